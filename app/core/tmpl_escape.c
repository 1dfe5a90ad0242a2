/*
 * The template language's own filters: one for each place a value can
 * go in a page, each escaping for that place.  They are the language's
 * safety, so every set has them; what a site adds (core/pagefilter.c)
 * builds on the same escaping (core/html.c).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "core/buf.h"
#include "core/html.h"
#include "core/tmpl.h"

static int	filter_text(struct buf *, const json_t *, struct buf *);
static int	filter_md(struct buf *, const json_t *, struct buf *);
static int	filter_url(struct buf *, const json_t *, struct buf *);
static int	filter_href(struct buf *, const json_t *, struct buf *);
static int	filter_json(struct buf *, const json_t *, struct buf *);

const struct tmpl_filter tmpl_escapes[] = {
	{ "",		filter_text },		/* {{x}} */
	{ "md",		filter_md },		/* Markdown, raw HTML dropped */
	{ "url",	filter_url },		/* a URL path or query part */
	{ "href",	filter_href },		/* a whole URL, or "#" */
	{ "json",	filter_json },		/* for a data- attribute */
	{ NULL,		NULL }
};

/* {{x}}: scalars as escaped text; objects and arrays print nothing. */
static int
filter_text(struct buf *out, const json_t *v, struct buf *err)
{
	struct buf	 tmp;
	char		 num[32];

	(void)err;
	if (json_is_string(v)) {
		html_text(out, json_string_value(v), json_string_length(v));
		return (0);
	}
	/* Years and counts, on every row of a table: no allocation. */
	if (json_is_integer(v)) {
		(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		buf_puts(out, num);
		return (0);
	}
	buf_init(&tmp);
	html_value_text(&tmp, v);
	html_text(out, tmp.data, tmp.len);
	buf_free(&tmp);
	return (0);
}

/*
 * CommonMark in safe mode: raw HTML becomes a comment, javascript:,
 * vbscript:, file: and data: links are emptied, invalid UTF-8 replaced.
 */
static int
filter_md(struct buf *out, const json_t *v, struct buf *err)
{
	char	*html;

	if (!json_is_string(v))
		return (filter_text(out, v, err));
	html = cmark_markdown_to_html(json_string_value(v),
	    json_string_length(v), CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8);
	if (html == NULL) {
		buf_puts(err, "markdown: out of memory");
		return (-1);
	}
	buf_puts(out, html);
	free(html);
	return (0);
}

static int
filter_url(struct buf *out, const json_t *v, struct buf *err)
{
	struct buf	 tmp;

	(void)err;
	buf_init(&tmp);
	html_value_text(&tmp, v);
	html_url_component(out, tmp.data, tmp.len);
	buf_free(&tmp);
	return (0);
}

static int
filter_href(struct buf *out, const json_t *v, struct buf *err)
{
	(void)err;
	if (!json_is_string(v)) {
		buf_putc(out, '#');
		return (0);
	}
	html_href(out, json_string_value(v), json_string_length(v));
	return (0);
}

static int
filter_json(struct buf *out, const json_t *v, struct buf *err)
{
	char	*s;

	(void)err;
	if (v == NULL) {
		buf_puts(out, "null");
		return (0);
	}
	if ((s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT)) == NULL)
		abort();
	html_attr(out, s, strlen(s));
	free(s);
	return (0);
}
