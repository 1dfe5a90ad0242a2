/*
 * utf8_valid(), utf8_length() and url_valid().
 */

#include "unit.h"

#include <string.h>

#include "core/text.h"

static void	valid(const char *, size_t);
static void	invalid(const char *, size_t, size_t);
static int	url(const char *);

static void
valid(const char *s, size_t len)
{
	size_t	 bad = 12345;

	if (!utf8_valid(s, len, &bad))
		fail_msg("valid UTF-8 refused at byte %zu", bad);
	assert_int_equal(bad, 12345);
}

static void
invalid(const char *s, size_t len, size_t at)
{
	size_t	 bad = 12345;

	if (utf8_valid(s, len, &bad))
		fail_msg("invalid UTF-8 accepted (byte %zu)", at);
	if (bad != at)
		fail_msg("bad byte reported at %zu, want %zu", bad, at);
	/* bad may be NULL. */
	assert_false(utf8_valid(s, len, NULL));
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	valid("", 0);
	valid("plain ASCII, with\ttabs\nand lines", 32);
	valid("\xc2\x80", 2);			/* U+0080 */
	valid("\xdf\xbf", 2);			/* U+07FF */
	valid("\xe0\xa0\x80", 3);		/* U+0800 */
	valid("\xed\x9f\xbf", 3);		/* U+D7FF */
	valid("\xee\x80\x80", 3);		/* U+E000 */
	valid("\xef\xbf\xbf", 3);		/* U+FFFF */
	valid("\xef\xbb\xbf", 3);		/* BOM: a code point like another */
	valid("\xf0\x90\x80\x80", 4);		/* U+10000 */
	valid("\xf4\x8f\xbf\xbf", 4);		/* U+10FFFF */
	valid("C\xc3\xb4te d'Ivoire", 14);
	valid("\xe5\x8c\x97\xe4\xba\xac", 6);
	valid("\xf0\x9f\x98\x80", 4);
	/* Only len bytes are read. */
	valid("ab\xff", 2);
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	invalid("\0", 1, 0);				/* NUL */
	invalid("ab\0cd", 5, 2);
	invalid("\x80", 1, 0);				/* lone continuation */
	invalid("a\xbf", 2, 1);
	invalid("\xc0\x80", 2, 0);			/* overlong NUL */
	invalid("\xc1\xbf", 2, 0);			/* overlong */
	invalid("\xe0\x9f\xbf", 3, 0);			/* overlong */
	invalid("\xf0\x8f\xbf\xbf", 4, 0);		/* overlong */
	invalid("\xed\xa0\x80", 3, 0);			/* U+D800 */
	invalid("\xed\xbf\xbf", 3, 0);			/* U+DFFF */
	invalid("\xf4\x90\x80\x80", 4, 0);		/* U+110000 */
	invalid("\xf5\x80\x80\x80", 4, 0);
	invalid("\xf8\x88\x80\x80\x80", 5, 0);
	invalid("\xfe", 1, 0);
	invalid("\xff", 1, 0);
	invalid("abc\xc3", 4, 3);			/* truncated */
	invalid("abc\xe2\x82", 5, 3);
	invalid("abc\xf0\x9f\x98", 6, 3);
	invalid("\xc3(", 2, 0);				/* bad continuation */
	invalid("\xe2\x28\xa1", 3, 0);
	invalid("\xe2\x82\x28", 3, 0);
	invalid("caf\xe9 au lait", 13, 3);		/* Latin-1 */
	invalid("ok \xc3\xa9 then \xe9", 12, 11);
}

static void
test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("C\xc3\xb4te", 5), 4);
	assert_int_equal(utf8_length("\xe5\x8c\x97\xe4\xba\xac", 6), 2);
	assert_int_equal(utf8_length("\xf0\x9f\x98\x80!", 5), 2);
}

static int
url(const char *s)
{
	return (url_valid(s, strlen(s)));
}

static void
test_url_valid(void **state)
{
	char	 long_url[2100];

	(void)state;
	assert_true(url("https://www.gapminder.org/data/documentation/gd003/"));
	assert_true(url("http://example.com"));
	assert_true(url("http://example.com/"));
	assert_true(url("HTTPS://EXAMPLE.COM/A"));
	assert_true(url("Http://example.com"));
	assert_true(url("https://example.com:8443/x?y=1#z"));
	assert_true(url("https://user:pw@example.com/"));
	assert_true(url("http://[::1]:8080/"));
	assert_true(url("http://127.0.0.1"));
	assert_true(url("https://example.com?q"));
	assert_true(url("https://example.com#top"));
	assert_true(url("https://de.wikipedia.org/wiki/K\xc3\xb6ln"));
	assert_true(url("https://b\xc3\xbc" "cher.example/"));
	assert_true(url("https://example.com/a|b{c}"));

	assert_false(url(""));
	assert_false(url("example.com"));
	assert_false(url("www.example.com/page"));
	assert_false(url("ftp://example.com/"));
	assert_false(url("mailto:someone@example.com"));
	assert_false(url("javascript:alert(1)"));
	assert_false(url("http:/example.com"));
	assert_false(url("http://"));
	assert_false(url("https://"));
	assert_false(url("http:///path"));
	assert_false(url("http://?q"));
	assert_false(url("http://#f"));
	assert_false(url("http://:80/"));
	assert_false(url("http://user@/"));
	assert_false(url("http://example.com:8x/"));
	assert_false(url("http://[::1/"));
	assert_false(url("http://[]/"));
	assert_false(url("http://example.com/a b"));
	assert_false(url(" http://example.com/"));
	assert_false(url("http://example.com/ "));
	assert_false(url("http://example.com/\t"));
	assert_false(url("http://example.com/\n"));
	assert_false(url("http://example.com/\x7f"));
	assert_false(url("http://example.com/\x01"));
	assert_false(url("http://example.com/\xc2\xa0"));	/* NBSP */
	assert_false(url("http://example.com/\xc2\x85"));	/* NEL */
	assert_false(url("http://example.com/\xe2\x80\xa8"));	/* U+2028 */
	assert_false(url("http://example.com/\xe3\x80\x80"));	/* U+3000 */
	assert_false(url("http://example.com/caf\xe9"));	/* Latin-1 */
	assert_false(url_valid("http://example.com/\0x", 21));

	/* 2000 bytes are the most. */
	memcpy(long_url, "https://example.com/", 20);
	memset(long_url + 20, 'a', sizeof(long_url) - 20);
	assert_true(url_valid(long_url, 2000));
	assert_false(url_valid(long_url, 2001));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_url_valid),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
