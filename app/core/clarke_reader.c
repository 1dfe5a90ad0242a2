/*
 * The bids reader: libcsv, a line at a time, with every problem reported
 * by its line.
 */

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/clarke_reader.h"
#include "core/money.h"
#include "core/text.h"

/* Reading stops after this many problems: enough to fix a file by. */
#define READER_ERRMAX	100
/* Bytes fed to libcsv at a time, so a field too long is seen early. */
#define READER_CHUNK	4096
/* Names live in chunks that never move, as voters hold pointers. */
#define NAMES_CHUNK	65536

struct names {
	struct names	*next;
	size_t		 used;
	size_t		 cap;
	char		 data[];
};

struct clarke_reader {
	struct csv_parser	 csv;
	void			(*error)(void *, unsigned long,
				    const char *);
	void			*arg;
	int			 roll;	/* an empty bid abstains */

	unsigned long		 line;	/* being fed, from 1 */
	unsigned long		 errors;
	int			 stopped;
	int			 header;	/* seen */
	size_t			 bom;	/* bytes of it matched */
	size_t			 col_voter;
	size_t			 col_bid;

	/* The row being read. */
	size_t			 nfields;
	unsigned long		 newlines;	/* inside its fields */
	struct buf		 field[2];

	struct clarke_voter	*v;
	size_t			 n;
	size_t			 cap;
	struct names		*names;
};

static void	 reader_error(struct clarke_reader *, unsigned long,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static void	 reader_stop(struct clarke_reader *, unsigned long,
		    const char *);
static void	 reader_field(void *, size_t, void *);
static void	 reader_row(int, void *);
static void	 reader_header(struct clarke_reader *);
static void	 reader_bid(struct clarke_reader *, unsigned long);
static int	 reader_parse(struct clarke_reader *, const char *, size_t);
static int	 cmp_line(const void *, const void *);
static void	 reader_repeats(struct clarke_reader *, size_t, size_t);
static const char *name_save(struct clarke_reader *, const char *, size_t);

static const unsigned char	bom[3] = { 0xef, 0xbb, 0xbf };

struct clarke_reader *
clarke_reader_new(int roll, void (*error)(void *, unsigned long,
    const char *), void *arg)
{
	struct clarke_reader	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		abort();
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	r->error = error;
	r->arg = arg;
	r->roll = roll;
	r->line = 1;
	buf_init(&r->field[0]);
	buf_init(&r->field[1]);
	return (r);
}

void
clarke_reader_free(struct clarke_reader *r)
{
	struct names	*c, *next;

	if (r == NULL)
		return;
	csv_free(&r->csv);
	buf_free(&r->field[0]);
	buf_free(&r->field[1]);
	for (c = r->names; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(r->v);
	free(r);
}

static void
reader_error(struct clarke_reader *r, unsigned long line, const char *fmt,
    ...)
{
	struct buf	 msg;
	va_list		 ap;

	if (r->stopped)
		return;
	r->errors++;
	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	r->error(r->arg, line, buf_cstr(&msg));
	buf_free(&msg);
	if (r->errors >= READER_ERRMAX)
		reader_stop(r, line, "too many problems; reading stops here");
}

/* A problem after which nothing more is read. */
static void
reader_stop(struct clarke_reader *r, unsigned long line, const char *msg)
{
	if (r->stopped)
		return;
	r->errors++;
	r->error(r->arg, line, msg);
	r->stopped = 1;
}

static void
reader_field(void *s, size_t len, void *arg)
{
	struct clarke_reader	*r = arg;
	const char		*p = s;
	size_t			 i;

	if (r->stopped)
		return;
	if (len > CLARKE_FIELD_MAX) {
		reader_stop(r, r->line, "a field is longer than 4096 bytes");
		return;
	}
	for (i = 0; i < len; i++)
		r->newlines += p[i] == '\n';
	if (r->nfields < 2) {
		buf_reset(&r->field[r->nfields]);
		buf_append(&r->field[r->nfields], p, len);
	}
	r->nfields++;
}

static void
reader_row(int c, void *arg)
{
	struct clarke_reader	*r = arg;
	unsigned long		 line;

	(void)c;
	if (r->stopped)
		return;
	/* The row ended on this line and spanned its quoted newlines. */
	line = r->line - r->newlines;
	if (!r->header)
		reader_header(r);
	else if (r->nfields != 2)
		reader_error(r, line, "expected 2 fields (voter,bid), "
		    "found %zu", r->nfields);
	else
		reader_bid(r, line);
	r->nfields = 0;
	r->newlines = 0;
}

static void
reader_header(struct clarke_reader *r)
{
	const char	*a, *b;

	r->header = 1;
	a = buf_cstr(&r->field[0]);
	b = buf_cstr(&r->field[1]);
	/* Both as long as their C strings: no NUL inside. */
	if (r->nfields == 2 && strlen(a) == r->field[0].len &&
	    strlen(b) == r->field[1].len) {
		if (!strcasecmp(a, "voter") && !strcasecmp(b, "bid")) {
			r->col_voter = 0;
			r->col_bid = 1;
			return;
		}
		if (!strcasecmp(a, "bid") && !strcasecmp(b, "voter")) {
			r->col_voter = 1;
			r->col_bid = 0;
			return;
		}
	}
	reader_stop(r, r->line - r->newlines,
	    "the first line must be the header voter,bid");
}

static void
reader_bid(struct clarke_reader *r, unsigned long line)
{
	struct clarke_voter	*v;
	struct buf		*name, *bid;
	const char		*errstr;
	int64_t			 cents;
	size_t			 i, newcap;
	int			 bad, abstain;

	name = &r->field[r->col_voter];
	bid = &r->field[r->col_bid];

	bad = 0;
	if (name->len == 0) {
		reader_error(r, line, "voter: a name is required");
		bad = 1;
	} else if (!utf8_valid(name->data, name->len, NULL)) {
		reader_error(r, line, "voter: the name is not valid UTF-8");
		bad = 1;
	} else {
		for (i = 0; i < name->len; i++) {
			if ((unsigned char)name->data[i] < 0x20 ||
			    name->data[i] == 0x7f)
				break;
		}
		if (i < name->len) {
			reader_error(r, line, "voter: the name holds a "
			    "control character");
			bad = 1;
		}
	}
	abstain = r->roll && bid->len == 0;
	cents = 0;
	if (!abstain && money_parse(bid->len > 0 ? bid->data : "", bid->len,
	    &cents, &errstr) == -1) {
		reader_error(r, line, "bid: %s", errstr);
		bad = 1;
	} else if (cents > MONEY_BID_MAX || cents < -MONEY_BID_MAX) {
		reader_error(r, line, "bid: at most 1000000000.00 either way");
		bad = 1;
	}
	if (bad)
		return;

	if (r->n == r->cap) {
		newcap = r->cap == 0 ? 1024 : r->cap * 2;
		if (newcap > SIZE_MAX / sizeof(*v))
			abort();
		if ((v = realloc(r->v, newcap * sizeof(*v))) == NULL)
			abort();
		r->v = v;
		r->cap = newcap;
	}
	v = &r->v[r->n++];
	memset(v, 0, sizeof(*v));
	v->name = name_save(r, name->data, name->len);
	v->bid = cents;
	v->abstain = abstain;
	v->aux = line;
}

static const char *
name_save(struct clarke_reader *r, const char *s, size_t len)
{
	struct names	*c;
	size_t		 cap;
	char		*p;

	c = r->names;
	if (c == NULL || c->cap - c->used < len + 1) {
		cap = len + 1 > NAMES_CHUNK ? len + 1 : NAMES_CHUNK;
		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			abort();
		c->next = r->names;
		c->used = 0;
		c->cap = cap;
		r->names = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return (p);
}

/* Feeds libcsv one line (or READER_CHUNK bytes) at a time. */
static int
reader_parse(struct clarke_reader *r, const char *p, size_t len)
{
	const char	*nl;
	size_t		 take;

	while (len > 0 && !r->stopped) {
		take = len < READER_CHUNK ? len : READER_CHUNK;
		if ((nl = memchr(p, '\n', take)) != NULL)
			take = (size_t)(nl - p) + 1;
		if (csv_parse(&r->csv, p, take, reader_field, reader_row,
		    r) != take) {
			reader_stop(r, r->line, csv_error(&r->csv) ==
			    CSV_EPARSE ? "misplaced quote" :
			    "out of memory");
			break;
		}
		if (r->csv.entry_pos > CLARKE_FIELD_MAX)
			reader_stop(r, r->line,
			    "a field is longer than 4096 bytes");
		if (nl != NULL)
			r->line++;
		p += take;
		len -= take;
	}
	return (r->stopped ? -1 : 0);
}

int
clarke_reader_feed(struct clarke_reader *r, const void *data, size_t len)
{
	const char	*p = data;

	/* A byte order mark, as some spreadsheets write, is not a name. */
	while (r->bom < sizeof(bom) && len > 0) {
		if ((unsigned char)*p != bom[r->bom]) {
			/* Not a mark after all: what matched is data. */
			if (reader_parse(r, (const char *)bom, r->bom) == -1)
				return (-1);
			r->bom = SIZE_MAX;
			break;
		}
		r->bom++;
		p++;
		len--;
	}
	return (reader_parse(r, p, len));
}

static int
cmp_line(const void *a, const void *b)
{
	const struct clarke_voter	*va = a, *vb = b;

	return (va->aux < vb->aux ? -1 : va->aux > vb->aux);
}

/* Voters [first, end) share a name: each after the first is an error. */
static void
reader_repeats(struct clarke_reader *r, size_t first, size_t end)
{
	size_t	 i;

	/* In line order, so the messages are too. */
	qsort(r->v + first, end - first, sizeof(r->v[0]), cmp_line);
	for (i = first + 1; i < end; i++)
		reader_error(r, (unsigned long)r->v[i].aux,
		    "voter: '%s' already bid on line %lu", r->v[i].name,
		    (unsigned long)r->v[first].aux);
}

int
clarke_reader_finish(struct clarke_reader *r)
{
	unsigned long	 line;
	size_t		 i, first;

	if (r->stopped)
		return (-1);
	if (r->bom != SIZE_MAX && r->bom < sizeof(bom) && r->bom > 0)
		(void)reader_parse(r, (const char *)bom, r->bom);
	if (!r->stopped && csv_fini(&r->csv, reader_field, reader_row,
	    r) != 0) {
		/* Name the line where the open quote is, not the last one. */
		line = r->line - r->newlines;
		for (i = 0; i < r->csv.entry_pos; i++)
			line -= r->csv.entry_buf[i] == '\n';
		reader_stop(r, line, "a quoted field is not closed");
	}
	if (r->stopped)
		return (-1);
	if (!r->header) {
		reader_error(r, 0, "the input is empty: the header voter,bid "
		    "is required");
		return (-1);
	}
	if (r->n == 0 && r->errors == 0) {
		reader_error(r, 0, "there are no bids");
		return (-1);
	}

	if (clarke_sort(r->v, r->n, NULL) == -1) {
		/* Report each repeat against the voter's first line. */
		for (first = 0, i = 1; i <= r->n; i++) {
			if (i < r->n && !strcmp(r->v[i].name,
			    r->v[first].name))
				continue;
			reader_repeats(r, first, i);
			first = i;
		}
	}
	return (r->errors > 0 ? -1 : 0);
}

unsigned long
clarke_reader_errors(const struct clarke_reader *r)
{
	return (r->errors);
}

struct clarke_voter *
clarke_reader_voters(struct clarke_reader *r, size_t *n)
{
	*n = r->n;
	return (r->v);
}
