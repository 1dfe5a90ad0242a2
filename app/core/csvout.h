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
 * round-trip).  first: no separator before it.
 */
void	csv_field(struct buf *, const char *s, size_t len, int first);
/* Ends a row with "\n" (not CRLF; every reader takes both). */
void	csv_endrow(struct buf *);

#endif
