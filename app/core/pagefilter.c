/*
 * The filters of factwiki's pages: words and drawings.  What they write
 * is escaped by core/html.c, as the language's own filters are; the
 * charts are core/svg.c's.
 */

#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/pagefilter.h"
#include "core/svg.h"

/* Groups the digits of {{n|count}}: 7,971,931. */
#define COUNT_SEP		","

static int	filter_count(struct buf *, const json_t *, struct buf *);
static int	filter_plural(struct buf *, const json_t *, struct buf *);
static int	filter_chart(struct buf *, const json_t *, struct buf *);
static int	filter_sparkline(struct buf *, const json_t *, struct buf *);
static int	filter_bars(struct buf *, const json_t *, struct buf *);

const struct tmpl_filter page_filters[] = {
	{ "count",	filter_count },		/* 7,971,931 */
	{ "s",		filter_plural },	/* bid{{n|s}}: "s" unless 1 */
	{ "chart",	filter_chart },		/* SVG line chart of series */
	{ "sparkline",	filter_sparkline },	/* SVG sparkline of a series */
	{ "bars",	filter_bars },		/* SVG bars of signed values */
	{ NULL,		NULL }
};

/*
 * An integer, or the exact decimal text of a fact value, with its
 * integer digits grouped by three; anything else as plain text.
 */
static int
filter_count(struct buf *out, const json_t *v, struct buf *err)
{
	struct buf	 tmp;
	const char	*s;
	size_t		 i, len, sign, ndig, k;

	(void)err;
	buf_init(&tmp);
	html_value_text(&tmp, v);
	s = tmp.data;
	len = tmp.len;
	sign = len > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
	for (ndig = 0; sign + ndig < len && s[sign + ndig] >= '0' &&
	    s[sign + ndig] <= '9'; ndig++)
		;
	i = sign + ndig;
	if (i < len && s[i] == '.' && i + 1 < len) {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if (ndig == 0 || i != len || json_is_boolean(v)) {
		html_text(out, s, len);
		buf_free(&tmp);
		return (0);
	}
	buf_append(out, s, sign);
	for (k = 0; k < ndig; k++) {
		if (k > 0 && (ndig - k) % 3 == 0)
			buf_puts(out, COUNT_SEP);
		buf_putc(out, s[sign + k]);
	}
	buf_append(out, s + sign + ndig, len - sign - ndig);
	buf_free(&tmp);
	return (0);
}

/* English plurals of the words the pages count: all but one take "s". */
static int
filter_plural(struct buf *out, const json_t *v, struct buf *err)
{
	const char	*s;

	(void)err;
	s = json_is_string(v) ? json_string_value(v) : NULL;
	if ((json_is_integer(v) && json_integer_value(v) == 1) ||
	    (s != NULL && strcmp(s, "1") == 0))
		return (0);
	buf_putc(out, 's');
	return (0);
}

/* The chart filters draw nothing for a missing value. */
static int
filter_chart(struct buf *out, const json_t *v, struct buf *err)
{
	if (v == NULL || json_is_null(v))
		return (0);
	return (svg_line_chart_json(out, v, err));
}

static int
filter_sparkline(struct buf *out, const json_t *v, struct buf *err)
{
	if (v == NULL || json_is_null(v))
		return (0);
	return (svg_sparkline_json(out, v, err));
}

static int
filter_bars(struct buf *out, const json_t *v, struct buf *err)
{
	if (v == NULL || json_is_null(v))
		return (0);
	return (svg_bar_chart_json(out, v, err));
}
