/*
 * money_parse() and money_format().
 */

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

static void	ok(const char *, int64_t);
static void	bad(const char *, const char *);
static void	fmt(int64_t, const char *);

static void
ok(const char *in, int64_t want)
{
	const char	*errstr = NULL;
	int64_t		 cents = 12345;

	if (money_parse(in, strlen(in), &cents, &errstr) != 0)
		fail_msg("\"%s\": refused: %s", in, errstr);
	if (cents != want)
		fail_msg("\"%s\": got %lld, want %lld", in, (long long)cents,
		    (long long)want);
}

static void
bad(const char *in, const char *part)
{
	const char	*errstr = NULL;
	int64_t		 cents;

	if (money_parse(in, strlen(in), &cents, &errstr) == 0)
		fail_msg("\"%s\": accepted as %lld", in, (long long)cents);
	if (strstr(errstr, part) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, errstr,
		    part);
}

static void
fmt(int64_t cents, const char *want)
{
	char	 out[MONEY_STRLEN];

	money_format(cents, out);
	if (strcmp(out, want) != 0)
		fail_msg("%lld: got \"%s\", want \"%s\"", (long long)cents,
		    out, want);
}

static void
test_parse(void **state)
{
	(void)state;
	ok("12", 1200);
	ok("12.3", 1230);
	ok("12.34", 1234);
	ok("-5", -500);
	ok("+5", 500);
	ok("0", 0);
	ok("-0", 0);
	ok("0.01", 1);
	ok("-0.01", -1);
	ok("007.50", 750);
	ok("1000000000.00", MONEY_BID_MAX);
	ok("92233720368547758.07", INT64_MAX);
	ok("-92233720368547758.08", INT64_MIN);
	ok("-92233720368547758.07", -INT64_MAX);
}

static void
test_refused(void **state)
{
	(void)state;
	bad("", "an amount is required");
	bad("-", "starts with digits");
	bad("+", "starts with digits");
	bad(".5", "starts with digits");
	bad("-.5", "starts with digits");
	bad("12.", "a point must be followed by digits");
	bad("12.345", "at most two digits");
	bad("1,234.50", "thousands separators");
	bad("1e5", "exponent");
	bad("1E5", "exponent");
	bad("12.5e3", "exponent");
	bad("12 ", "an amount is digits");
	bad(" 12", "starts with digits");
	bad("12abc", "an amount is digits");
	bad("12.3.4", "an amount is digits");
	bad("--5", "starts with digits");
	bad("NaN", "starts with digits");
	bad("92233720368547758.08", "too large");
	bad("-92233720368547758.09", "too large");
	bad("92233720368547758080", "too large");
	bad("99999999999999999999999999", "too large");
	bad("-9223372036854775808", "too large");
}

/* Only len bytes are read, and a NUL within them is refused. */
static void
test_length(void **state)
{
	const char	*errstr;
	int64_t		 cents;

	(void)state;
	assert_int_equal(money_parse("12.50x", 5, &cents, &errstr), 0);
	assert_int_equal(cents, 1250);
	assert_int_equal(money_parse("12\0" "5", 4, &cents, &errstr), -1);
	assert_int_equal(money_parse("12.5", 0, &cents, &errstr), -1);
}

static void
test_format(void **state)
{
	(void)state;
	fmt(0, "0.00");
	fmt(1, "0.01");
	fmt(-1, "-0.01");
	fmt(99, "0.99");
	fmt(-99, "-0.99");
	fmt(100, "1.00");
	fmt(-100000, "-1000.00");
	fmt(123456, "1234.56");
	fmt(MONEY_BID_MAX, "1000000000.00");
	fmt(INT64_MAX, "92233720368547758.07");
	fmt(INT64_MIN, "-92233720368547758.08");
	/* The longest text, with its NUL, fits MONEY_STRLEN. */
	assert_true(strlen("-92233720368547758.08") + 1 <= MONEY_STRLEN);
}

static void
test_roundtrip(void **state)
{
	char		 out[MONEY_STRLEN];
	const char	*errstr;
	int64_t		 v, back;
	int		 i, k;

	(void)state;
	srand(7);
	for (i = 0; i < 100000; i++) {
		v = 0;
		for (k = 0; k < 4; k++)
			v = (int64_t)((uint64_t)v << 16 |
			    (uint64_t)(rand() & 0xffff));
		if (i % 3 == 0)
			v >>= rand() % 63;
		money_format(v, out);
		if (money_parse(out, strlen(out), &back, &errstr) != 0)
			fail_msg("%lld: \"%s\" refused: %s", (long long)v,
			    out, errstr);
		if (back != v)
			fail_msg("%lld: \"%s\" read back as %lld",
			    (long long)v, out, (long long)back);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_roundtrip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
