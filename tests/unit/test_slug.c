/*
 * slug_valid() and slug_derive().
 */

#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "core/slug.h"

static void	derive(const char *, const char *);
static void	underive(const char *, size_t);

static void
derive(const char *name, const char *want)
{
	char	 out[SLUG_MAX + 1];

	memset(out, 'X', sizeof(out));
	if (slug_derive(name, strlen(name), out) != 0)
		fail_msg("\"%s\": no slug", name);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", name, out, want);
	if (!slug_valid(out, strlen(out)))
		fail_msg("\"%s\": \"%s\" is not a valid slug", name, out);
}

static void
underive(const char *name, size_t len)
{
	char	 out[SLUG_MAX + 1];

	if (slug_derive(name, len, out) != -1)
		fail_msg("\"%s\": got \"%s\"", name, out);
}

static void
test_valid(void **state)
{
	char	 s[SLUG_MAX + 2];

	(void)state;
	assert_true(slug_valid("new-york", 8));
	assert_true(slug_valid("a", 1));
	assert_true(slug_valid("1", 1));
	assert_true(slug_valid("life-expectancy", 15));
	assert_true(slug_valid("a-1-b", 5));
	assert_false(slug_valid("", 0));
	assert_false(slug_valid("-a", 2));
	assert_false(slug_valid("a-", 2));
	assert_false(slug_valid("a--b", 4));
	assert_false(slug_valid("A", 1));
	assert_false(slug_valid("new york", 8));
	assert_false(slug_valid("new_york", 8));
	assert_false(slug_valid("-", 1));
	assert_false(slug_valid("caf\xc3\xa9", 5));
	assert_false(slug_valid("a\0b", 3));
	/* Only len bytes count. */
	assert_true(slug_valid("ab-", 2));

	memset(s, 'a', sizeof(s));
	assert_true(slug_valid(s, SLUG_MAX));
	assert_false(slug_valid(s, SLUG_MAX + 1));
}

static void
test_spec_examples(void **state)
{
	(void)state;
	derive("New York", "new-york");
	derive("C\xc3\xb4te d'Ivoire", "cote-d-ivoire");
	derive("Stra\xc3\x9f" "e", "strasse");
	derive("  --Hello__World-- ", "hello-world");
	derive("Afghanistan", "afghanistan");
	derive("life-expectancy", "life-expectancy");
	derive("Life expectancy (years)", "life-expectancy-years");
}

static void
test_folding(void **state)
{
	(void)state;
	derive("\xc3\x89" "cole", "ecole");			/* É */
	derive("\xc3\xa6" "bleskiver", "aebleskiver");		/* æ */
	derive("\xc3\x86" "sir", "aesir");			/* Æ */
	derive("K\xc3\xb8" "benhavn", "kobenhavn");		/* ø */
	derive("\xc3\x85" "land", "aland");			/* Å */
	derive("\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz");		/* Łódź */
	derive("\xc5\x93" "uvre", "oeuvre");			/* œ */
	derive("\xc3\xbe" "orn", "thorn");			/* þ */
	derive("\xc3\x9e" "ingvellir", "thingvellir");		/* Þ */
	derive("\xc4\x91" "\xc3\xa0" "o", "dao");		/* đà */
	derive("Diyarbak\xc4\xb1" "r", "diyarbakir");		/* ı */
	derive("\xc4\xb0" "stanbul", "istanbul");		/* İ */
	derive("S\xc3\xa3" "o Tom\xc3\xa9 and Pr\xc3\xad" "ncipe",
	    "sao-tome-and-principe");
	derive("Cura\xc3\xa7" "ao", "curacao");
	derive("Reykjav\xc3\xad" "k", "reykjavik");
	derive("M\xc3\xbc" "nchen", "munchen");
	derive("\xc3\x9c" "BER", "uber");
	derive("Plze\xc5\x88", "plzen");			/* ň */
	derive("\xc5\xbb" "\xc3\xb3\xc5\x82" "w", "zolw");	/* Żółw */
	derive("Ca\xc3\xb1\xc3\xb3n", "canon");
	derive("\xc3\xb0", "d");				/* ð */
	derive("\xc4\xb2" "sselmeer", "ijsselmeer");		/* Ĳ */
	derive("\xc5\xbf", "s");				/* ſ */
	derive("\xc3\xbf", "y");				/* ÿ */
	derive("\xc5\xb8", "y");				/* Ÿ */
	/* Outside the two blocks, but common in place names. */
	derive("Bra\xc8\x99ov", "brasov");			/* ș */
	derive("Vi\xe1\xbb\x87t Nam", "viet-nam");		/* ệ */
	derive("Ho\xcc\x80" " Chi\xcc\x81", "ho-chi");		/* combining */
	derive("Co\xcc\x82te", "cote");				/* ô as o + U+0302 */
	/* Superscripts, micro and ordinals. */
	derive("m\xc2\xb3", "m3");
	derive("\xc2\xb5g/m\xc2\xb3", "ug-m3");
	derive("1\xc2\xaa", "1a");
}

static void
test_separators(void **state)
{
	(void)state;
	derive("a,b", "a-b");
	derive("a \xc3\x97 b", "a-b");				/* × */
	derive("a\xc3\xb7" "b", "a-b");				/* ÷ */
	derive("a\xc2\xa0" "b", "a-b");				/* NBSP */
	derive("\xe5\x8c\x97\xe4\xba\xac Beijing", "beijing");	/* 北京 */
	derive("Beijing \xe5\x8c\x97\xe4\xba\xac", "beijing");
	derive("a\xe2\x80\x94" "b", "a-b");			/* em dash */
	derive("\xf0\x9f\x98\x80" "smile", "smile");		/* emoji */
	derive("GDP (US$, 2015)", "gdp-us-2015");
	derive("a\t\n\rb", "a-b");
	derive("x", "x");
	derive("---x---", "x");
	derive("CO2", "co2");
}

static void
test_nothing_left(void **state)
{
	(void)state;
	underive("", 0);
	underive("   ", 3);
	underive("---", 3);
	underive("\xe5\x8c\x97\xe4\xba\xac", 6);
	underive("\xc3\x97", 2);
	underive("\xcc\x81", 2);	/* a combining mark alone */
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	underive("caf\xe9", 4);			/* Latin-1 */
	underive("abc\xc3", 4);			/* truncated */
	underive("\xc0\xaf", 2);		/* overlong */
	underive("\xed\xa0\x80", 3);		/* surrogate */
	underive("\xf4\x90\x80\x80", 4);	/* above U+10FFFF */
	underive("a\0b", 3);			/* NUL */
	/* Invalid past the cut is still invalid. */
	underive("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xff", 77);
}

static void
test_cut(void **state)
{
	char	 name[512], want[SLUG_MAX + 1];

	(void)state;
	/* 64 letters fit exactly; of 65, the last goes (no "-" to cut at). */
	memset(name, 'a', 65);
	name[64] = '\0';
	derive(name, name);
	name[64] = 'a';
	name[65] = '\0';
	memcpy(want, name, 64);
	want[64] = '\0';
	derive(name, want);

	/* Six words of ten make 65 characters: five are left. */
	derive("abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij "
	    "abcdefghij", "abcdefghij-abcdefghij-abcdefghij-abcdefghij-"
	    "abcdefghij");
	/* A word that ends at 64 is kept whole. */
	memset(name, 'a', 31);
	name[31] = ' ';
	memset(name + 32, 'b', 32);
	strcpy(name + 64, " c");
	memcpy(want, name, 64);
	want[31] = '-';
	want[64] = '\0';
	derive(name, want);
	/* A cut at the "-" would leave "ab": the long word is cut instead. */
	memcpy(name, "ab ", 3);
	memset(name + 3, 'c', 70);
	name[73] = '\0';
	memcpy(want, "ab-", 3);
	memset(want + 3, 'c', 61);
	want[64] = '\0';
	derive(name, want);
	/* "ß" is two letters, the second one too many. */
	memset(name, 'a', 63);
	strcpy(name + 63, "\xc3\x9f");
	memset(want, 'a', 63);
	strcpy(want + 63, "s");
	derive(name, want);
}

/* The rule of slug.h, computed apart, over many word lengths. */
static void
test_cut_rules(void **state)
{
	char	 name[1024], full[1024], want[SLUG_MAX + 1];
	size_t	 k;
	int	 w, n, i;

	(void)state;
	for (w = 1; w < 80; w++) {
		for (n = 1; n < 12; n++) {
			name[0] = full[0] = '\0';
			for (i = 0; i < n; i++) {
				if (i > 0) {
					strcat(name, " ");
					strcat(full, "-");
				}
				memset(name + strlen(name), 'x', w);
				name[(i + 1) * (w + 1) - 1] = '\0';
				memset(full + strlen(full), 'x', w);
				full[(i + 1) * (w + 1) - 1] = '\0';
			}
			if (strlen(full) <= SLUG_MAX)
				strcpy(want, full);
			else {
				k = SLUG_MAX;
				if (full[SLUG_MAX] != '-') {
					for (k = SLUG_MAX; k > 0 &&
					    full[k - 1] != '-'; k--)
						;
					k = k > 0 && k - 1 >= SLUG_MAX / 2 ?
					    k - 1 : SLUG_MAX;
				}
				memcpy(want, full, k);
				want[k] = '\0';
			}
			derive(name, want);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_nothing_left),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_cut_rules),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
