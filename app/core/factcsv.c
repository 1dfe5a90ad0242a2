/*
 * Reading facts from CSV.  libcsv splits fields and keeps track of quotes;
 * this file counts lines, checks the header and the fields, and keeps
 * memory bounded.
 *
 * Lines.  Input is handed to libcsv in segments that end at each CR or LF,
 * so that the line number is known whenever libcsv calls back: a field ends
 * mid-segment (at a comma) and a row only at a segment's last byte.  LF,
 * CRLF and a lone CR each end one physical line, inside quotes too.
 * Errors are reported at the line where their row starts, except those
 * about the extent of one field (a stray or missing quote, a field too
 * long), which are reported where that field starts.
 *
 * Spaces.  As RFC 4180 says, spaces are part of a field: libcsv is told
 * that nothing is a space, so that a note keeps them; the other fields are
 * trimmed here.  A space between a quote and a comma is therefore an error.
 *
 * Memory.  libcsv grows one buffer for the field it is reading; its realloc
 * function here refuses to go past FACTCSV_FIELD_MAX and a little, which
 * stops an endless field (a quote never closed) early.  The fields of the
 * row being read are copied to one buffer that is reused for every row.
 */

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/csvout.h"
#include "core/decimal.h"
#include "core/factcsv.h"
#include "core/slug.h"
#include "core/text.h"
#include "core/year.h"

/*
 * libcsv's buffer holds a quoted field's closing quote too, and asks for
 * more room before it looks at the byte that ends the field: two bytes
 * more than the longest field.
 */
#define CSVBUF_MAX	(FACTCSV_FIELD_MAX + 2)

/*
 * libcsv grows its buffer by this much.  When a step would pass
 * CSVBUF_MAX, libcsv halves it until it fits: the buffer does reach
 * CSVBUF_MAX exactly.
 */
#define CSVBUF_STEP	4096

/* Lengths in code points, as the database's checks count them. */
#define NAME_MAX_CP	200
#define UNIT_MAX_CP	100
#define TITLE_MAX_CP	500

/* Source ids are JSON numbers: at most 2^53, which a double holds. */
#define SOURCE_ID_MAX	(INT64_C(1) << 53)

/* Header problems listed one by one; past this, one more says how many. */
#define HEADER_ERRORS	20

/* Unknown column names are quoted in messages up to this many bytes. */
#define NAME_SHOWN	40

#define NOPOS		((size_t)-1)

const char *const factcsv_columns[FACTCSV_NCOLS] = {
	"place", "variable", "year", "value", "source", "unit",
	"source_title", "note"
};

static const int	required[FACTCSV_NCOLS] = {
	1, 1, 1, 1, 1, 0, 0, 0
};

/* What a column holds, for messages. */
static const char *const labels[FACTCSV_NCOLS] = {
	"place name", "variable name", "year", "value", "source", "unit",
	"source title", "note"
};

enum phase {
	PHASE_START,		/* looking at the first bytes: BOM, UTF-16? */
	PHASE_HEADER,
	PHASE_ROWS,
	PHASE_STOPPED
};

struct factcsv {
	struct factcsv_sink	 sink;
	struct csv_parser	 csv;
	enum phase		 phase;

	unsigned char		 head[3];	/* first bytes, PHASE_START */
	size_t			 nhead;

	unsigned long		 line;		/* of the next byte fed */
	unsigned long		 nextline;	/* after this segment */
	unsigned long		 rowline;	/* where this row starts */
	unsigned long		 fieldline;	/* where this field starts */
	unsigned char		 last;		/* last byte fed */
	int			 skipping;	/* to the end of the line */

	/* The row being read: fields [0, ncols) in row, NUL-terminated. */
	size_t			 nfields;
	struct buf		 row;
	size_t			 off[FACTCSV_NCOLS];
	size_t			 len[FACTCSV_NCOLS];

	/* The header: column of each position, position of each column. */
	size_t			 ncols;
	int			 colat[FACTCSV_NCOLS];
	size_t			 posof[FACTCSV_NCOLS];	/* or NOPOS */
	size_t			 nknown;
	struct buf		 hdrerr;	/* NUL-separated messages */
	size_t			 nhdrerr;

	struct buf		 msg;
	unsigned long		 rows;
	unsigned long		 badrows;
	unsigned long		 errors;
};

static void	*csvbuf_realloc(void *, size_t);
static int	 no_space(unsigned char);
static void	 report(struct factcsv *, unsigned long, const char *,
		    const char *);
static void	 reportf(struct factcsv *, unsigned long, const char *,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
static const char *column_at(struct factcsv *, size_t);
static void	 stop(struct factcsv *);
static void	 on_field(void *, size_t, void *);
static void	 on_row(int, void *);
static void	 header_name(struct factcsv *, size_t, const char *, size_t);
static void	 header_problem(struct factcsv *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 header_end(struct factcsv *);
static int	 blank_row(struct factcsv *);
static void	 row_end(struct factcsv *);
static int	 check_field(struct factcsv *, struct factcsv_row *, int,
		    char *, size_t);
static int	 check_text(struct factcsv *, int, const char *, size_t,
		    size_t, int);
static int	 check_name(struct factcsv *, int, const char *, size_t,
		    char *);
static int	 check_source(struct factcsv *, struct factcsv_row *,
		    char *, size_t);
static size_t	 trim(const char *, size_t *);
static void	 show_name(struct buf *, const char *, size_t);
static void	 feed_lines(struct factcsv *, const unsigned char *, size_t);
static void	 parse_error(struct factcsv *);
static void	 new_row(struct factcsv *, unsigned long);
static void	 field_error(void *, const struct factcsv_error *);

/* libcsv may not grow its field buffer past CSVBUF_MAX. */
static void *
csvbuf_realloc(void *p, size_t size)
{
	if (size > CSVBUF_MAX)
		return (NULL);
	return (realloc(p, size));
}

static int
no_space(unsigned char c)
{
	(void)c;
	return (0);
}

struct factcsv *
factcsv_new(const struct factcsv_sink *sink)
{
	struct factcsv	*p;
	int		 i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		abort();
	p->sink = *sink;
	/* CSV_REPALL_NL: a call for each line end, blank lines too. */
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_REPALL_NL) != 0)
		abort();
	csv_set_space_func(&p->csv, no_space);
	csv_set_realloc_func(&p->csv, csvbuf_realloc);
	csv_set_blk_size(&p->csv, CSVBUF_STEP);
	p->phase = PHASE_START;
	p->line = p->nextline = p->rowline = p->fieldline = 1;
	buf_init(&p->row);
	buf_init(&p->hdrerr);
	buf_init(&p->msg);
	for (i = 0; i < FACTCSV_NCOLS; i++)
		p->posof[i] = NOPOS;
	return (p);
}

void
factcsv_free(struct factcsv *p)
{
	if (p == NULL)
		return;
	csv_free(&p->csv);
	buf_free(&p->row);
	buf_free(&p->hdrerr);
	buf_free(&p->msg);
	free(p);
}

unsigned long
factcsv_rows(const struct factcsv *p)
{
	return (p->rows);
}

unsigned long
factcsv_errors(const struct factcsv *p)
{
	return (p->errors);
}

static void
report(struct factcsv *p, unsigned long line, const char *column,
    const char *message)
{
	struct factcsv_error	 e;

	e.line = line;
	e.column = column;
	e.message = message;
	p->errors++;
	if (p->sink.error != NULL)
		p->sink.error(p->sink.arg, &e);
}

static void
reportf(struct factcsv *p, unsigned long line, const char *column,
    const char *fmt, ...)
{
	va_list	 ap;

	buf_reset(&p->msg);
	va_start(ap, fmt);
	buf_vprintf(&p->msg, fmt, ap);
	va_end(ap);
	report(p, line, column, buf_cstr(&p->msg));
}

/* The header name of the field at pos in a row, or NULL. */
static const char *
column_at(struct factcsv *p, size_t pos)
{
	if (p->phase != PHASE_ROWS || pos >= p->ncols)
		return (NULL);
	return (factcsv_columns[p->colat[pos]]);
}

static void
stop(struct factcsv *p)
{
	p->phase = PHASE_STOPPED;
}

/* A row starts on line: nothing of it has been read yet. */
static void
new_row(struct factcsv *p, unsigned long line)
{
	p->nfields = 0;
	buf_reset(&p->row);
	p->rowline = p->fieldline = line;
}

/*
 * libcsv's field callback.  The next field starts right after the comma
 * that ended this one, on the same line; at the end of a row, on_row()
 * sets it again.
 */
static void
on_field(void *data, size_t len, void *arg)
{
	struct factcsv	*p = arg;
	const char	*text;
	size_t		 pos;

	if (p->phase == PHASE_STOPPED)
		return;
	pos = p->nfields++;
	if (len > FACTCSV_FIELD_MAX) {
		reportf(p, p->fieldline, column_at(p, pos),
		    "the field is longer than %d bytes", FACTCSV_FIELD_MAX);
		stop(p);
		return;
	}

	if (p->phase == PHASE_HEADER) {
		/*
		 * The first field waits: alone on its line and blank, it
		 * is a blank line, not a header.
		 */
		if (pos == 0) {
			p->off[0] = 0;
			p->len[0] = len;
			buf_append(&p->row, data, len);
		} else {
			if (pos == 1)
				header_name(p, 0, p->row.data, p->len[0]);
			header_name(p, pos, data, len);
		}
	} else if (pos < p->ncols) {
		text = data;
		csv_field_read(&text, &len);
		p->off[pos] = p->row.len;
		p->len[pos] = len;
		buf_append(&p->row, text, len);
		buf_putc(&p->row, '\0');
	}
	p->fieldline = p->line;
}

/* libcsv's row callback: c is the CR or LF that ended it, -1 at the end. */
static void
on_row(int c, void *arg)
{
	struct factcsv	*p = arg;

	(void)c;
	if (p->phase == PHASE_STOPPED)
		return;
	if (p->nfields > 0 && !blank_row(p)) {
		if (p->phase == PHASE_HEADER) {
			if (p->nfields == 1)
				header_name(p, 0, p->row.data, p->len[0]);
			header_end(p);
		} else
			row_end(p);
	}
	new_row(p, p->nextline);
}

/* A line of nothing but spaces and tabs. */
static int
blank_row(struct factcsv *p)
{
	size_t	 i;

	if (p->nfields != 1)
		return (0);
	for (i = 0; i < p->len[0]; i++) {
		if (p->row.data[i] != ' ' && p->row.data[i] != '\t')
			return (0);
	}
	return (1);
}

/* Trims spaces and tabs: returns how many lead, and shortens *len. */
static size_t
trim(const char *s, size_t *len)
{
	size_t	 lead;

	for (lead = 0; lead < *len && (s[lead] == ' ' || s[lead] == '\t');
	    lead++)
		;
	*len -= lead;
	while (*len > 0 && (s[lead + *len - 1] == ' ' ||
	    s[lead + *len - 1] == '\t'))
		(*len)--;
	return (lead);
}

/* A name from the file, quoted for a message: short, no controls. */
static void
show_name(struct buf *b, const char *s, size_t len)
{
	size_t	 n, i;

	n = len;
	if (n > NAME_SHOWN) {
		/* Cut before a UTF-8 continuation byte, not in one. */
		for (n = NAME_SHOWN; n > 0 &&
		    ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			;
	}
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf_putc(b, '?');
		else
			buf_putc(b, s[i]);
	}
	if (n < len)
		buf_puts(b, "...");
	buf_putc(b, '"');
}

/*
 * Problems of the header are kept until its end: a first line with no
 * known column at all is better reported as a missing header.
 */
static void
header_problem(struct factcsv *p, const char *fmt, ...)
{
	va_list	 ap;

	if (p->nhdrerr++ >= HEADER_ERRORS)
		return;
	va_start(ap, fmt);
	buf_vprintf(&p->hdrerr, fmt, ap);
	va_end(ap);
	buf_append(&p->hdrerr, "", 1);
}

static void
header_name(struct factcsv *p, size_t pos, const char *name, size_t len)
{
	const char	*s;
	size_t		 n;
	int		 c;

	n = len;
	s = name + trim(name, &n);
	if (!utf8_valid(s, n, NULL)) {
		header_problem(p, "a column name is not valid UTF-8; "
		    "save the file as UTF-8");
		return;
	}
	for (c = 0; c < FACTCSV_NCOLS; c++) {
		if (strlen(factcsv_columns[c]) == n &&
		    strncasecmp(s, factcsv_columns[c], n) == 0)
			break;
	}
	if (c == FACTCSV_NCOLS) {
		buf_reset(&p->msg);
		show_name(&p->msg, s, n);
		if (n == 0)
			header_problem(p, "a column has no name; the columns "
			    "are place, variable, year, value, source, unit, "
			    "source_title and note");
		else
			header_problem(p, "unknown column %s; the columns are "
			    "place, variable, year, value, source, unit, "
			    "source_title and note", buf_cstr(&p->msg));
		return;
	}
	p->nknown++;
	if (p->posof[c] != NOPOS) {
		header_problem(p, "the column \"%s\" is there twice",
		    factcsv_columns[c]);
		return;
	}
	p->posof[c] = pos;
	/* Past FACTCSV_NCOLS, an earlier column was a problem already. */
	if (pos < FACTCSV_NCOLS)
		p->colat[pos] = c;
}

static void
header_end(struct factcsv *p)
{
	const char	*m;
	size_t		 i;
	int		 c;

	if (p->nknown == 0) {
		report(p, p->rowline, NULL, "the first line is not a header: "
		    "it names the columns, as in "
		    "place,variable,year,value,source");
		stop(p);
		return;
	}
	m = p->hdrerr.data;
	for (i = 0; i < p->nhdrerr && i < HEADER_ERRORS; i++) {
		report(p, p->rowline, NULL, m);
		m += strlen(m) + 1;
	}
	if (p->nhdrerr > HEADER_ERRORS)
		reportf(p, p->rowline, NULL, "and %zu more problems with "
		    "the columns", p->nhdrerr - HEADER_ERRORS);
	for (c = 0; c < FACTCSV_NCOLS; c++) {
		if (required[c] && p->posof[c] == NOPOS)
			reportf(p, p->rowline, NULL, "the required column "
			    "\"%s\" is missing", factcsv_columns[c]);
	}
	if (p->nhdrerr > 0 || p->errors > 0) {
		stop(p);
		return;
	}
	p->ncols = p->nfields;
	p->phase = PHASE_ROWS;
}

static void
row_end(struct factcsv *p)
{
	struct factcsv_row	 r;
	size_t			 pos;
	unsigned long		 before;
	int			 c;

	if (p->nfields != p->ncols) {
		reportf(p, p->rowline, NULL, "expected %zu fields, found %zu",
		    p->ncols, p->nfields);
		p->badrows++;
		return;
	}

	/* Not memset: value alone is DECIMAL_MAX bytes, for every row. */
	r.line = p->rowline;
	r.place = r.variable = NULL;
	r.place_slug[0] = r.variable_slug[0] = r.value[0] = '\0';
	r.year = 0;
	r.source_url = NULL;
	r.source_id = 0;
	r.unit = r.source_title = r.note = NULL;
	before = p->errors;
	for (pos = 0; pos < p->ncols; pos++) {
		c = p->colat[pos];
		(void)check_field(p, &r, c, p->row.data + p->off[pos],
		    p->len[pos]);
	}
	if (p->errors > before) {
		p->badrows++;
		return;
	}
	p->rows++;
	if (p->sink.row != NULL && p->sink.row(p->sink.arg, &r) == -1)
		stop(p);
}

/*
 * Checks the field of column c (s[len] is a NUL that may move in) and
 * fills in r.  Returns 0, or -1 after reporting the problem.
 */
static int
check_field(struct factcsv *p, struct factcsv_row *r, int c, char *s,
    size_t len)
{
	const char	*col = factcsv_columns[c];
	const char	*errstr;
	size_t		 bad;

	if (!utf8_valid(s, len, &bad)) {
		report(p, p->rowline, col, s[bad] == '\0' ?
		    "the text holds a NUL byte" :
		    "the text is not valid UTF-8; save the file as UTF-8");
		return (-1);
	}
	if (c != FACTCSV_NOTE) {
		s += trim(s, &len);
		s[len] = '\0';
	}

	switch (c) {
	case FACTCSV_PLACE:
		r->place = s;
		return (check_name(p, c, s, len, r->place_slug));
	case FACTCSV_VARIABLE:
		r->variable = s;
		return (check_name(p, c, s, len, r->variable_slug));
	case FACTCSV_YEAR:
		if (year_parse(s, len, &r->year, &errstr) == -1)
			break;
		return (0);
	case FACTCSV_VALUE:
		if (decimal_parse(s, len, r->value, &errstr) == -1)
			break;
		return (0);
	case FACTCSV_SOURCE:
		return (check_source(p, r, s, len));
	case FACTCSV_UNIT:
		r->unit = s;
		return (check_text(p, c, s, len, UNIT_MAX_CP, 0));
	case FACTCSV_SOURCE_TITLE:
		r->source_title = s;
		return (check_text(p, c, s, len, TITLE_MAX_CP, 0));
	case FACTCSV_NOTE:
		r->note = s;
		return (check_text(p, c, s, len, FACTCSV_NOTE_MAX, 1));
	default:
		abort();
	}
	report(p, p->rowline, col, errstr);
	return (-1);
}

/*
 * Text of at most max code points, without control characters; multiline
 * text may hold line ends and tabs.
 */
static int
check_text(struct factcsv *p, int c, const char *s, size_t len, size_t max,
    int multiline)
{
	buf_reset(&p->msg);
	if (text_check(s, len, max, multiline, labels[c], &p->msg) == 0)
		return (0);
	report(p, p->rowline, factcsv_columns[c], buf_cstr(&p->msg));
	return (-1);
}

/* A place or variable: a slug, or a name to derive one from. */
static int
check_name(struct factcsv *p, int c, const char *s, size_t len, char *slug)
{
	const char	*col = factcsv_columns[c];

	if (len == 0) {
		reportf(p, p->rowline, col, "a %s is required", col);
		return (-1);
	}
	if (check_text(p, c, s, len, NAME_MAX_CP, 0) == -1)
		return (-1);
	if (slug_valid(s, len)) {
		memcpy(slug, s, len + 1);
		return (0);
	}
	if (slug_derive(s, len, slug) == -1) {
		reportf(p, p->rowline, col, "the %s has no letter or digit "
		    "to make a slug from", labels[c]);
		return (-1);
	}
	return (0);
}

/* A source: an http(s) URL, or "#ID" of a source that exists. */
static int
check_source(struct factcsv *p, struct factcsv_row *r, char *s, size_t len)
{
	const char	*col = factcsv_columns[FACTCSV_SOURCE];
	size_t		 i;
	int64_t		 id;

	if (len == 0) {
		report(p, p->rowline, col, "a source is required");
		return (-1);
	}
	if (s[0] == '#') {
		id = 0;
		for (i = 1; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (id <= SOURCE_ID_MAX)
				id = id * 10 + (s[i] - '0');
		}
		if (i == 1 || i < len) {
			report(p, p->rowline, col, "a source id is # and a "
			    "number, as in #12");
			return (-1);
		}
		if (id == 0) {
			report(p, p->rowline, col, "a source id is a "
			    "positive number, as in #12");
			return (-1);
		}
		if (id > SOURCE_ID_MAX) {
			report(p, p->rowline, col, "the source id is too "
			    "large");
			return (-1);
		}
		r->source_id = id;
		return (0);
	}
	if (!url_valid(s, len)) {
		report(p, p->rowline, col, "a source is an http(s) URL or "
		    "#ID of an existing source");
		return (-1);
	}
	/* The scheme in lowercase, as the database's check wants it. */
	for (i = 0; s[i] != ':'; i++)
		s[i] = (char)(s[i] | 0x20);
	r->source_url = s;
	return (0);
}

/*
 * A quote where RFC 4180 allows none.  The row is reported and left: the
 * reading goes on at the next line.
 */
static void
parse_error(struct factcsv *p)
{
	const char	*col;
	int		 quoted;

	col = column_at(p, p->nfields);
	quoted = p->csv.quoted;
	if (quoted)
		report(p, p->fieldline, col, "a closing quote must be "
		    "followed by a comma or the end of the line; inside "
		    "quotes, write a quote as two (\"\")");
	else
		report(p, p->fieldline, col, "a quote in a field that does "
		    "not start with one; quote the whole field, write each "
		    "quote in it as two (\"\"), and leave no space before "
		    "the opening quote");
	if (p->phase == PHASE_HEADER) {
		stop(p);
		return;
	}
	p->badrows++;
	/* libcsv stopped in a state from which csv_fini() resets it. */
	(void)csv_fini(&p->csv, NULL, NULL, NULL);
	p->skipping = 1;
}

/*
 * Hands bytes to libcsv a line at a time, counting lines: LF, CRLF and a
 * lone CR each end one.
 */
static void
feed_lines(struct factcsv *p, const unsigned char *s, size_t len)
{
	const unsigned char	*lf, *cr, *end;
	size_t			 seg, n;
	unsigned char		 b;

	while (len > 0 && p->phase != PHASE_STOPPED) {
		lf = memchr(s, '\n', len);
		cr = memchr(s, '\r', lf != NULL ? (size_t)(lf - s) : len);
		end = cr != NULL ? cr : lf;
		seg = end != NULL ? (size_t)(end - s) + 1 : len;

		p->nextline = p->line;
		if (end != NULL) {
			b = seg > 1 ? s[seg - 2] : p->last;
			if (*end == '\r' || b != '\r')
				p->nextline++;
		}

		if (p->skipping) {
			if (end != NULL) {
				p->skipping = 0;
				new_row(p, p->nextline);
			}
		} else {
			n = csv_parse(&p->csv, s, seg, on_field, on_row, p);
			if (n < seg && p->phase != PHASE_STOPPED) {
				if (csv_error(&p->csv) == CSV_EPARSE) {
					parse_error(p);
					if (end != NULL && p->skipping) {
						p->skipping = 0;
						new_row(p, p->nextline);
					}
				} else if (csv_get_buffer_size(&p->csv) >=
				    CSVBUF_MAX) {
					reportf(p, p->fieldline,
					    column_at(p, p->nfields),
					    "the field is longer than %d "
					    "bytes%s", FACTCSV_FIELD_MAX,
					    p->csv.quoted &&
					    p->line > p->fieldline ?
					    "; is a closing quote missing?" :
					    "");
					stop(p);
				} else
					abort();	/* out of memory */
			}
		}
		p->last = s[seg - 1];
		p->line = p->nextline;
		s += seg;
		len -= seg;
	}
}

int
factcsv_feed(struct factcsv *p, const void *data, size_t len)
{
	static const unsigned char	 bom[3] = { 0xef, 0xbb, 0xbf };
	const unsigned char		*s = data;
	size_t				 n;

	/*
	 * The first bytes, one at a time whatever the split: a BOM is
	 * dropped, and UTF-16 gets a message of its own.
	 */
	while (p->phase == PHASE_START && len > 0) {
		p->head[p->nhead++] = *s++;
		len--;
		n = p->nhead;
		if (n == 2 && ((p->head[0] == 0xff && p->head[1] == 0xfe) ||
		    (p->head[0] == 0xfe && p->head[1] == 0xff))) {
			report(p, 0, NULL, "the file is UTF-16 text; save it "
			    "as UTF-8");
			stop(p);
			return (-1);
		}
		if (memcmp(p->head, bom, n) == 0 && n < 3)
			continue;
		if (n == 1 && (p->head[0] == 0xff || p->head[0] == 0xfe))
			continue;
		p->phase = PHASE_HEADER;
		if (memcmp(p->head, bom, n) != 0)
			feed_lines(p, p->head, n);
	}
	if (p->phase != PHASE_STOPPED)
		feed_lines(p, s, len);
	return (p->phase == PHASE_STOPPED ? -1 : 0);
}

int
factcsv_finish(struct factcsv *p)
{
	if (p->phase == PHASE_START) {
		p->phase = PHASE_HEADER;
		feed_lines(p, p->head, p->nhead);
	}
	if (p->phase == PHASE_STOPPED)
		return (-1);

	if (p->skipping)
		p->skipping = 0;
	else if (csv_fini(&p->csv, on_field, on_row, p) == -1) {
		report(p, p->fieldline, column_at(p, p->nfields),
		    "a quoted field is not closed: its closing quote is "
		    "missing");
		stop(p);
		return (-1);
	}
	if (p->phase == PHASE_STOPPED)
		return (-1);

	if (p->phase == PHASE_HEADER) {
		report(p, 0, NULL, "the file is empty");
		stop(p);
		return (-1);
	}
	if (p->rows + p->badrows == 0) {
		report(p, 0, NULL, "the file has a header but no rows");
		stop(p);
		return (-1);
	}
	return (0);
}

static void
field_error(void *arg, const struct factcsv_error *e)
{
	buf_puts(arg, e->message);
}

int
factcsv_field(enum factcsv_col c, char *s, size_t len,
    struct factcsv_row *r, struct buf *msg)
{
	struct factcsv	 p;
	int		 rc;

	/* A reader that is never fed: check_field() needs its sink only. */
	memset(&p, 0, sizeof(p));
	p.sink.arg = msg;
	p.sink.error = field_error;
	buf_init(&p.msg);
	rc = check_field(&p, r, c, s, len);
	buf_free(&p.msg);
	return (rc);
}
