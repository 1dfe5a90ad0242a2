/*
 * Parses arbitrary template text and renders it against a fixed context
 * that has every kind of value, a partial beside it, with the filters the
 * server gives its templates.  Beyond what the
 * sanitizers catch, checks that:
 * - every failure says why;
 * - a template free of < > " ' & | writes none of < > " ' (whatever
 *   the context holds, only the template's own text carries markup);
 * - valid UTF-8 in gives valid UTF-8 out.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/pagefilter.h"
#include "core/tmpl.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	utf8_ok(const unsigned char *, size_t);

static json_t	*ctx;

static const char context[] =
    "{\"title\":\"<script>alert('x')</script> & \\\"q\\\"\","
    "\"name\":\"C\\u00f4te d'Ivoire\",\"slug\":\"cote-d-ivoire\","
    "\"n\":7971931,\"r\":-0.18,\"t\":true,\"f\":false,\"z\":null,"
    "\"e\":\"\",\"zero\":0,\"nul\":\"a\\u0000b\","
    "\"md\":\"# T\\n\\n<img src=x onerror=alert(1)> "
    "[j](javascript:alert(1)) *em* <b>x</b>\","
    "\"url\":\"javascript:alert(1)\","
    "\"ok\":\"https://example.org/?a=1&b=2\","
    "\"items\":[{\"name\":\"a\",\"children\":[{\"name\":\"b\","
    "\"children\":[]}]},{\"name\":\"<c>\",\"children\":[]}],"
    "\"nums\":[\"43.88\",\"-0.17\",\"7971931\",\"1.5e6\"],"
    "\"series\":{\"place\":{\"slug\":\"afg\",\"name\":\"Afghan<i>stan\"},"
    "\"variable\":{\"slug\":\"le\",\"name\":\"Life expectancy\","
    "\"unit\":\"years\"},\"observations\":[{\"year\":1955,"
    "\"value\":\"43.88\"},{\"year\":1960,\"value\":\"45.03\"},"
    "{\"year\":1970,\"value\":\"-1\"},{\"year\":1971,\"value\":\"x\"}]},"
    "\"bars\":[{\"label\":\"A<\",\"value\":\"-5.00\"},"
    "{\"label\":\"B\",\"value\":\"3.50\"}],"
    "\"o\":{\"a\":{\"b\":{\"c\":\"deep\"}}}}";

static const char partial[] =
    "<li>{{name}}{{#children}}{{> item}}{{/children}}</li>";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	json_error_t	 e;

	(void)argc;
	(void)argv;
	if ((ctx = json_loads(context, JSON_ALLOW_NUL, &e)) == NULL)
		abort();
	return (0);
}

/* Valid UTF-8, NUL included: what the template may pass through. */
static int
utf8_ok(const unsigned char *s, size_t len)
{
	size_t		 i, n, k;
	unsigned int	 c;

	for (i = 0; i < len; i += n) {
		c = s[i];
		if (c < 0x80) {
			n = 1;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4;
		else
			return (0);
		if (i + n > len)
			return (0);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
		}
		if ((c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] >= 0xa0) ||
		    (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] >= 0x90))
			return (0);
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set	*set;
	struct buf	 out, err;
	const char	*text = (const char *)data;
	int		 rc, plain;
	size_t		 i;

	buf_init(&out);
	buf_init(&err);
	set = tmpl_set_new(page_filters);
	tmpl_set_limits(set, 200000, 1 << 20);
	rc = tmpl_set_add(set, "main", NULL, text, size, &err);
	if (rc == 0)
		rc = tmpl_set_add(set, "item", NULL, partial,
		    sizeof(partial) - 1, &err);
	if (rc == 0)
		rc = tmpl_set_link(set, &err);
	if (rc == 0)
		rc = tmpl_render(set, "main", ctx, &out, &err);
	if (rc == -1 && err.len == 0)
		abort();

	if (rc == 0) {
		plain = 1;
		for (i = 0; i < size && plain; i++) {
			if (strchr("<>\"'&|", text[i]) != NULL &&
			    text[i] != '\0')
				plain = 0;
		}
		for (i = 0; plain && i < out.len; i++) {
			if (strchr("<>\"'", out.data[i]) != NULL &&
			    out.data[i] != '\0')
				abort();
		}
		if (utf8_ok(data, size) &&
		    !utf8_ok((const unsigned char *)out.data, out.len))
			abort();
	}

	tmpl_set_free(set);
	buf_free(&out);
	buf_free(&err);
	return (0);
}
