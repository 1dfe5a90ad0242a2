/*
 * Writing CSV (RFC 4180): the one place that quotes CSV output.
 */

#ifndef FW_CSVOUT_H
#define FW_CSVOUT_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Appends one field, quoted when it holds a comma, quote, CR or LF, or
 * starts or ends with a space or tab (kept exactly, so that files
 * round-trip), and after an apostrophe when csv_formula_like() says so.
 * first: no separator before it.
 */
void	csv_field(struct buf *, const char *s, size_t len, int first);
/*
 * Whether a spreadsheet could take the field for a formula (OWASP's CSV
 * injection): after any apostrophes, it starts with =, +, -, @, tab or CR,
 * and is not a number ("-3", "-0.17" stay numbers).  The writer puts an
 * apostrophe before such a field, which spreadsheets show as text; the
 * importer takes one off a field that is an apostrophe and such a field,
 * so that every export imports back unchanged.
 */
int	csv_formula_like(const char *s, size_t len);
/*
 * A field as a reader of our CSV takes it: without the apostrophe that
 * csv_field() put before a formula.  Moves *s and *len past it.
 */
void	csv_field_read(const char **s, size_t *len);
/* Ends a row with "\n" (not CRLF; every reader takes both). */
void	csv_endrow(struct buf *);

#endif
