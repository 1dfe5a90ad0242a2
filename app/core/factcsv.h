/*
 * Reading facts in the CSV import format (the contract's "CSV format"):
 * a streaming reader on top of libcsv that checks the header and every
 * field, and hands on rows that are valid on their own.  Checks that need
 * the database (does the place exist, is the (place, variable, year) twice
 * in the file) are the importer's.
 *
 * Memory stays flat whatever the size of the input: a field longer than
 * FACTCSV_FIELD_MAX bytes stops the reading with an error.
 *
 * The format as read here:
 *  - UTF-8, with or without a BOM; UTF-16 is refused at once.
 *  - RFC 4180 quoting.  Spaces are data, as RFC 4180 says: a note keeps
 *    them, other fields are trimmed after unquoting; a space between a
 *    quote and its comma is an error, like any quote out of place.
 *  - LF, CRLF or a lone CR end a line; lines are physical lines, quoted
 *    line breaks count.  Blank lines, and lines of spaces and tabs, are
 *    skipped (and counted).
 *  - The header is the first line that is not blank.
 *  - Text: place and variable names at most 200 code points, unit 100,
 *    source_title 500, note FACTCSV_NOTE_MAX (the database's limits); no
 *    control characters, except tab, CR and LF in a note.
 */

#ifndef FW_FACTCSV_H
#define FW_FACTCSV_H

#include <stddef.h>
#include <stdint.h>

#include "core/decimal.h"
#include "core/slug.h"

struct buf;

#define FACTCSV_FIELD_MAX	65536
#define FACTCSV_NOTE_MAX	2000	/* code points */

enum factcsv_col {
	FACTCSV_PLACE,
	FACTCSV_VARIABLE,
	FACTCSV_YEAR,
	FACTCSV_VALUE,
	FACTCSV_SOURCE,
	FACTCSV_UNIT,
	FACTCSV_SOURCE_TITLE,
	FACTCSV_NOTE,
	FACTCSV_NCOLS
};

/* Header names, lowercase, in the order of enum factcsv_col. */
extern const char *const factcsv_columns[FACTCSV_NCOLS];

/*
 * A valid row.  Strings are NUL-terminated UTF-8 and valid only during the
 * callback.  Optional columns that the file lacks are NULL; present but
 * empty ones are "".  Text fields are trimmed of surrounding spaces and
 * tabs, except note, which is kept as written.  place_slug is place when
 * that is a valid slug, else slug_derive(place); the same for variable.
 * source_url has its scheme in lowercase ("HTTPS://x" -> "https://x"),
 * the rest as written.
 */
struct factcsv_row {
	unsigned long	 line;		/* physical line where the row starts */
	const char	*place;		/* as written: a slug or a name */
	char		 place_slug[SLUG_MAX + 1];
	const char	*variable;
	char		 variable_slug[SLUG_MAX + 1];
	int		 year;
	char		 value[DECIMAL_MAX];	/* canonical, see decimal.h */
	const char	*source_url;	/* NULL when the source is "#ID" */
	int64_t		 source_id;	/* > 0 when "#ID", else 0 */
	const char	*unit;
	const char	*source_title;
	const char	*note;
};

/*
 * One problem.  line is the physical line (1 is the header, unless blank
 * lines come first; 0 when the problem is the whole input, such as an
 * empty file, and then it is the only error).  It is the line where the
 * row starts, but for a quote out of place, a quote never closed and a
 * field too long: those are about one field, reported where that field
 * starts.  Lines never go back from one error (or row) to the next.
 * column is a header name (from factcsv_columns), or NULL when the
 * problem is the row, the header or the file.  message is valid only
 * during the callback.
 */
struct factcsv_error {
	unsigned long	 line;
	const char	*column;
	const char	*message;
};

struct factcsv_sink {
	void	*arg;
	/* Returns 0, or -1 to stop reading (factcsv_feed then returns -1). */
	int	(*row)(void *arg, const struct factcsv_row *);
	void	(*error)(void *arg, const struct factcsv_error *);
};

struct factcsv;

struct factcsv	*factcsv_new(const struct factcsv_sink *);
void		 factcsv_free(struct factcsv *);

/*
 * Feeds the next bytes of the input (any split, even inside a UTF-8
 * sequence or a CRLF: the callbacks are the same).  Reports each bad row
 * or field through the sink's error callback, one error per bad field,
 * and goes on with the next row; a quote out of place reports the row and
 * goes on at the next line.  Returns 0, or -1 when reading cannot go on
 * (bad header, UTF-16, field too long, the row callback stopped it): the
 * error was reported; feed nothing more.
 */
int	factcsv_feed(struct factcsv *, const void *buf, size_t len);

/*
 * Ends the input: reports an unterminated quote, an empty file or a file
 * with a header only.  Returns 0, or -1 after such an error or when
 * reading had stopped.  0 does not mean no row was bad: see
 * factcsv_errors().
 */
int	factcsv_finish(struct factcsv *);

/*
 * Checks one field of a fact as this reader checks it in a file, for the
 * forms and the API, which must say the same.  s[len] is a NUL; the field
 * is trimmed in place (but a note), and r's members for column c are set,
 * pointing into s.  Returns 0, or -1 with the message appended to msg.
 */
int	factcsv_field(enum factcsv_col c, char *s, size_t len,
	    struct factcsv_row *r, struct buf *msg);

/* Rows handed to the row callback, and errors reported, so far. */
unsigned long	factcsv_rows(const struct factcsv *);
unsigned long	factcsv_errors(const struct factcsv *);

#endif
