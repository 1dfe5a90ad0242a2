/*
 * Escaping: text, attributes, URL components, hrefs, JSON scalars.
 */

#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "core/buf.h"
#include "core/html.h"

static char	*text(const char *, size_t);
static char	*attr(const char *, size_t);
static char	*urlc(const char *, size_t);
static char	*href(const char *);
static char	*value(json_t *);

#define S(x)	x, sizeof(x) - 1

static char *
text(const char *s, size_t len)
{
	struct buf	 b;

	buf_init(&b);
	html_text(&b, s, len);
	return (buf_release(&b));
}

static char *
attr(const char *s, size_t len)
{
	struct buf	 b;

	buf_init(&b);
	html_attr(&b, s, len);
	return (buf_release(&b));
}

static char *
urlc(const char *s, size_t len)
{
	struct buf	 b;

	buf_init(&b);
	html_url_component(&b, s, len);
	return (buf_release(&b));
}

static char *
href(const char *s)
{
	struct buf	 b;

	buf_init(&b);
	html_href(&b, s, strlen(s));
	return (buf_release(&b));
}

/* Takes the reference. */
static char *
value(json_t *v)
{
	struct buf	 b;

	buf_init(&b);
	html_value_text(&b, v);
	json_decref(v);
	return (buf_release(&b));
}

#define CHECK(call, want) do {						\
	char *got_ = (call);						\
	assert_string_equal(got_, (want));				\
	free(got_);							\
} while (0)

static void
test_text_specials(void **state)
{
	(void)state;
	CHECK(text(S("<script>alert(\"x\" & 'y')</script>")),
	    "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)"
	    "&lt;/script&gt;");
	CHECK(text(S("plain text, no change")), "plain text, no change");
	CHECK(text(S("")), "");
	/* Already escaped text is escaped again: no double meaning. */
	CHECK(text(S("&amp;")), "&amp;amp;");
	/* Newlines and tabs stay in text. */
	CHECK(text(S("a\tb\nc\r\n")), "a\tb\nc\r\n");
}

static void
test_text_utf8(void **state)
{
	(void)state;
	CHECK(text(S("C\xc3\xb4te d'Ivoire")), "C\xc3\xb4te d&#39;Ivoire");
	CHECK(text(S("\xe2\x82\xac \xf0\x9f\x8c\x8d")),
	    "\xe2\x82\xac \xf0\x9f\x8c\x8d");
	/* Invalid bytes, overlong "<", surrogate, truncated: U+FFFD each. */
	CHECK(text(S("a\xff" "b")), "a\xef\xbf\xbd" "b");
	CHECK(text(S("\xc0\xbc")), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK(text(S("\xed\xa0\x80")),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK(text(S("x\xe2\x82")), "x\xef\xbf\xbd\xef\xbf\xbd");
	/* NUL, other C0 controls, DEL, C1 controls, U+FFFF. */
	CHECK(text("a\0b", 3), "a\xef\xbf\xbd" "b");
	CHECK(text(S("\x01\x1b\x7f")),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK(text(S("\xc2\x85")), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK(text(S("\xef\xbf\xbf")),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* U+00A0 and U+10FFFF are fine, above is not. */
	CHECK(text(S("\xc2\xa0")), "\xc2\xa0");
	CHECK(text(S("\xf4\x8f\xbf\xbd")), "\xf4\x8f\xbf\xbd");
	CHECK(text(S("\xf4\x90\x80\x80")), "\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_attr(void **state)
{
	(void)state;
	CHECK(attr(S("\" onmouseover=\"alert(1)")),
	    "&quot; onmouseover=&quot;alert(1)");
	CHECK(attr(S("' autofocus x='")), "&#39; autofocus x=&#39;");
	CHECK(attr(S("a\tb\nc\rd")), "a&#9;b&#10;c&#13;d");
	CHECK(attr(S("<&>")), "&lt;&amp;&gt;");
}

static void
test_url_component(void **state)
{
	(void)state;
	CHECK(urlc(S("new-york_2.0~x")), "new-york_2.0~x");
	CHECK(urlc(S("a b/c?d=e&f#g")), "a%20b%2Fc%3Fd%3De%26f%23g");
	CHECK(urlc(S("C\xc3\xb4te")), "C%C3%B4te");
	CHECK(urlc(S("\"><script>")), "%22%3E%3Cscript%3E");
	CHECK(urlc("\0", 1), "%00");
	CHECK(urlc(S("100%")), "100%25");
}

static void
test_href(void **state)
{
	(void)state;
	CHECK(href("https://example.org/a?b=1&c=2"),
	    "https://example.org/a?b=1&amp;c=2");
	CHECK(href("HTTP://EXAMPLE.ORG/"), "HTTP://EXAMPLE.ORG/");
	CHECK(href("mailto:someone@example.org"), "mailto:someone@example.org");
	CHECK(href("/places/france"), "/places/france");
	CHECK(href("../x"), "../x");
	CHECK(href("x.html#top"), "x.html#top");
	CHECK(href("?q=a:b"), "?q=a:b");
	CHECK(href("/a:b"), "/a:b");
	CHECK(href("//example.org/x"), "//example.org/x");
	CHECK(href(""), "");
	CHECK(href("javascript:alert(1)"), "#");
	CHECK(href("JavaScript:alert(1)"), "#");
	CHECK(href(" javascript:alert(1)"), "#");
	CHECK(href("java\tscript:alert(1)"), "#");
	CHECK(href("java\nscript:alert(1)"), "#");
	CHECK(href("\x01javascript:alert(1)"), "#");
	CHECK(href("data:text/html,<script>alert(1)</script>"), "#");
	CHECK(href("vbscript:msgbox"), "#");
	CHECK(href("file:///etc/passwd"), "#");
	CHECK(href("httpx://example.org"), "#");
	CHECK(href("https://example.org/\"onclick=\"x"),
	    "https://example.org/&quot;onclick=&quot;x");
	/* Only the first 10 bytes, "javascript", with no colon: relative. */
	assert_int_equal(html_href_ok("javascript:x", 10), 1);
}

static void
test_value_text(void **state)
{
	(void)state;
	CHECK(value(json_string("43.88")), "43.88");
	CHECK(value(json_integer(-7971931)), "-7971931");
	CHECK(value(json_real(-0.18)), "-0.18");
	CHECK(value(json_real(0.1)), "0.1");
	CHECK(value(json_real(43.88)), "43.88");
	CHECK(value(json_real(1500000.0)), "1500000");
	CHECK(value(json_real(1.5e-5)), "0.000015");
	CHECK(value(json_real(1e300)), "1e+300");
	CHECK(value(json_real(0.0)), "0");
	CHECK(value(json_true()), "true");
	CHECK(value(json_false()), "false");
	CHECK(value(json_null()), "");
	CHECK(value(json_object()), "");
	CHECK(value(NULL), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_specials),
		cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_attr),
		cmocka_unit_test(test_url_component),
		cmocka_unit_test(test_href),
		cmocka_unit_test(test_value_text),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
