/*
 * The CSV import reader.  The input is read in one piece, then in two
 * split at a point taken from the data (and a byte at a time when small):
 * every reading must call back the same way.  Rows must be valid as
 * factcsv.h promises, and lines must never go back.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/decimal.h"
#include "core/factcsv.h"
#include "core/slug.h"
#include "core/text.h"
#include "core/year.h"

struct run {
	struct buf	 log;
	unsigned long	 rows;
	unsigned long	 errors;
	unsigned long	 events;
	unsigned long	 lastline;
	int		 zero;		/* a line 0 error was seen */
};

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	 check_line(struct run *, unsigned long);
static void	 check_text(const char *, size_t);
static int	 on_row(void *, const struct factcsv_row *);
static void	 on_error(void *, const struct factcsv_error *);
static char	*read_pieces(const uint8_t *, size_t, const size_t *, size_t);

static void
check_line(struct run *r, unsigned long line)
{
	if (r->zero)
		abort();		/* a line 0 error is alone */
	if (line == 0) {
		if (r->events > 0)
			abort();
		r->zero = 1;
	} else if (line < r->lastline)
		abort();
	r->lastline = line;
	r->events++;
}

static void
check_text(const char *s, size_t maxcp)
{
	size_t	 len;

	if (s == NULL)
		return;
	len = strlen(s);
	if (!utf8_valid(s, len, NULL) || utf8_length(s, len) > maxcp)
		abort();
}

static int
on_row(void *arg, const struct factcsv_row *row)
{
	struct run	*r = arg;
	char		 again[DECIMAL_MAX];
	const char	*errstr;

	check_line(r, row->line);
	if (row->line == 0)
		abort();
	r->rows++;
	if (row->place == NULL || *row->place == '\0' ||
	    row->variable == NULL || *row->variable == '\0')
		abort();
	if (!slug_valid(row->place_slug, strlen(row->place_slug)) ||
	    !slug_valid(row->variable_slug, strlen(row->variable_slug)))
		abort();
	check_text(row->place, 200);
	check_text(row->variable, 200);
	if (row->year < YEAR_MIN || row->year > YEAR_MAX)
		abort();
	if (decimal_parse(row->value, strlen(row->value), again,
	    &errstr) != 0 || strcmp(again, row->value) != 0)
		abort();
	if ((row->source_url == NULL) == (row->source_id == 0))
		abort();
	if (row->source_url != NULL && !url_valid(row->source_url,
	    strlen(row->source_url)))
		abort();
	if (row->source_id < 0 || row->source_id > (INT64_C(1) << 53))
		abort();
	check_text(row->unit, 100);
	check_text(row->source_title, 500);
	check_text(row->note, FACTCSV_NOTE_MAX);

	buf_printf(&r->log, "row %lu %s %s %s %s %d %s %s %lld %s %s\n",
	    row->line, row->place, row->place_slug, row->variable,
	    row->variable_slug, row->year, row->value,
	    row->source_url ? row->source_url : "-",
	    (long long)row->source_id, row->unit ? row->unit : "-",
	    row->source_title ? row->source_title : "-");
	buf_puts(&r->log, row->note ? row->note : "-");
	buf_putc(&r->log, '\n');
	return (0);
}

static void
on_error(void *arg, const struct factcsv_error *e)
{
	struct run	*r = arg;
	int		 c;

	check_line(r, e->line);
	r->errors++;
	if (e->message == NULL || *e->message == '\0')
		abort();
	if (e->column != NULL) {
		for (c = 0; c < FACTCSV_NCOLS; c++) {
			if (strcmp(e->column, factcsv_columns[c]) == 0)
				break;
		}
		if (c == FACTCSV_NCOLS)
			abort();
	}
	buf_printf(&r->log, "error %lu %s %s\n", e->line,
	    e->column ? e->column : "-", e->message);
}

/* Reads data in pieces at the given offsets; returns the log. */
static char *
read_pieces(const uint8_t *data, size_t size, const size_t *cuts,
    size_t ncuts)
{
	struct factcsv_sink	 sink;
	struct factcsv		*p;
	struct run		 r;
	size_t			 i, from, to;
	int			 rc;

	memset(&r, 0, sizeof(r));
	buf_init(&r.log);
	sink.arg = &r;
	sink.row = on_row;
	sink.error = on_error;
	p = factcsv_new(&sink);
	from = 0;
	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : size;
		if (factcsv_feed(p, data + from, to - from) == -1) {
			buf_puts(&r.log, "stop\n");
			/* Stopped means stopped. */
			if (factcsv_feed(p, data, size) != -1)
				abort();
			break;
		}
		from = to;
	}
	rc = factcsv_finish(p);
	if (factcsv_rows(p) != r.rows || factcsv_errors(p) != r.errors)
		abort();
	/* A file without errors is one with rows. */
	if (rc == 0 && r.rows == 0 && r.errors == 0)
		abort();
	buf_printf(&r.log, "finish %d %lu %lu\n", rc, r.rows, r.errors);
	factcsv_free(p);
	return (buf_release(&r.log));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	 cut, *cuts;
	char	*one, *two, *bytes;
	size_t	 i;

	one = read_pieces(data, size, NULL, 0);

	cut = size > 0 ? ((size_t)data[0] * 257 + data[size - 1]) %
	    (size + 1) : 0;
	two = read_pieces(data, size, &cut, 1);
	if (strcmp(one, two) != 0)
		abort();
	free(two);

	if (size > 0 && size <= 512) {
		if ((cuts = calloc(size, sizeof(*cuts))) == NULL)
			abort();
		for (i = 0; i < size - 1; i++)
			cuts[i] = i + 1;
		bytes = read_pieces(data, size, cuts, size - 1);
		if (strcmp(one, bytes) != 0)
			abort();
		free(bytes);
		free(cuts);
	}
	free(one);
	return (0);
}
