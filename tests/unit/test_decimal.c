/*
 * decimal_parse() and decimal_from_double().  The expected texts are what
 * PostgreSQL 15 prints for the same input cast to numeric.
 */

#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

static void	ok(const char *, const char *);
static void	bad(const char *, const char *);
static void	ok_double(double, const char *);
static void	bad_double(double, const char *);

static void
ok(const char *in, const char *want)
{
	char		 out[DECIMAL_MAX];
	const char	*errstr = NULL;

	if (decimal_parse(in, strlen(in), out, &errstr) != 0)
		fail_msg("\"%s\": refused: %s", in, errstr);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", in, out, want);
}

/* Refused, with a message that holds part. */
static void
bad(const char *in, const char *part)
{
	char		 out[DECIMAL_MAX];
	const char	*errstr = NULL;

	if (decimal_parse(in, strlen(in), out, &errstr) == 0)
		fail_msg("\"%s\": accepted as \"%s\"", in, out);
	assert_non_null(errstr);
	if (strstr(errstr, part) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, errstr,
		    part);
}

static void
ok_double(double d, const char *want)
{
	char		 out[DECIMAL_MAX];
	const char	*errstr = NULL;

	if (decimal_from_double(d, out, &errstr) != 0)
		fail_msg("%.17g: refused: %s", d, errstr);
	if (strcmp(out, want) != 0)
		fail_msg("%.17g: got \"%s\", want \"%s\"", d, out, want);
}

static void
bad_double(double d, const char *part)
{
	char		 out[DECIMAL_MAX];
	const char	*errstr = NULL;

	if (decimal_from_double(d, out, &errstr) == 0)
		fail_msg("%.17g: accepted as \"%s\"", d, out);
	if (strstr(errstr, part) == NULL)
		fail_msg("%.17g: message \"%s\" lacks \"%s\"", d, errstr,
		    part);
}

/* The contract's and the brief's examples. */
static void
test_spec_examples(void **state)
{
	(void)state;
	ok("1.5e6", "1500000");
	ok("2.50", "2.50");
	ok("-0.17", "-0.17");
	ok("7971931", "7971931");
	ok("+007", "7");
	ok("1e-3", "0.001");
	ok("-0", "0");
	ok("-0.00", "0.00");
	ok("1.50e1", "15.0");
	ok("0.000", "0.000");
	ok("12e-1", "1.2");
}

/* Cross-checked against PostgreSQL: the scale is fraction digits minus exponent. */
static void
test_like_postgres(void **state)
{
	(void)state;
	ok("100e-2", "1.00");
	ok("0e-5", "0.00000");
	ok("-0e5", "0");
	ok("00.000e2", "0.0");
	ok("0.5e1", "5");
	ok("5e-1", "0.5");
	ok("1E3", "1000");
	ok("1e+3", "1000");
	ok("-1.5E-2", "-0.015");
	ok("000", "0");
	ok("0.0", "0.0");
	ok("1e0", "1");
	ok("123.456e-10", "0.0000000123456");
	ok("123.456e10", "1234560000000");
	ok("9.99e2", "999");
	ok("0e0", "0");
	ok("-0e-0", "0");
	ok("0012.3400", "12.3400");
	ok("-00.5", "-0.5");
	ok("43.88", "43.88");
	ok("0e1000000", "0");
	ok("1e-1", "0.1");
	ok("-12.5e-3", "-0.0125");
	ok("99999999999999999999.99999999999999999999",
	    "99999999999999999999.99999999999999999999");
}

static void
test_length_cap(void **state)
{
	char	 in[4096], want[DECIMAL_MAX + 10];

	(void)state;
	/* 1e1098 is "1" and 1098 zeros: 1099 characters, the most. */
	memset(want, '0', sizeof(want));
	want[0] = '1';
	want[1099] = '\0';
	ok("1e1098", want);
	bad("1e1099", "too many digits");
	bad("-1e1098", "too many digits");
	bad("1e-1098", "too many digits");
	bad("1e99999999999999999999", "too many digits");
	bad("1e-99999999999999999999", "too many digits");
	bad("0e-5000", "too many digits");

	/* Leading zeros do not count; the digits kept do. */
	memset(in, '0', 3000);
	strcpy(in + 3000, "42");
	ok(in, "42");
	memset(in, '1', 3000);
	in[3000] = '\0';
	bad(in, "too many digits");
}

static void
test_refused(void **state)
{
	(void)state;
	bad("", "a value is required");
	bad("1,234", "thousands separators");
	bad("1,5", "thousands separators");
	bad("12abc", "not a number");
	bad("abc", "not a number");
	bad("NaN", "not values");
	bad("nan", "not values");
	bad("-NaN", "not values");
	bad("Infinity", "not values");
	bad("-Infinity", "not values");
	bad("inf", "not values");
	bad("+INF", "not values");
	bad("1 000", "not a number");
	bad(" 5", "not a number");
	bad("5 ", "not a number");
	bad("5.", "a point must be followed by digits");
	bad("5.e3", "a point must be followed by digits");
	bad(".5", "write 0.5");
	bad("-.5", "write 0.5");
	bad(".", "not a number");
	bad("-", "not a number");
	bad("+", "not a number");
	bad("--5", "not a number");
	bad("+-5", "not a number");
	bad("1e", "an exponent needs digits");
	bad("1e+", "an exponent needs digits");
	bad("1e-x", "an exponent needs digits");
	bad("1.2.3", "not a number");
	bad("1e5.5", "not a number");
	bad("0x1A", "not a number");
	bad("1_000", "not a number");
	bad("\xe2\x88\x92" "5", "not a number");	/* U+2212 minus */
	bad("5%", "not a number");
}

/* A NUL inside the length is a byte like another: refused. */
static void
test_embedded_nul(void **state)
{
	char		 out[DECIMAL_MAX];
	const char	*errstr;

	(void)state;
	assert_int_equal(decimal_parse("12\0" "3", 4, out, &errstr), -1);
	/* Only len bytes are read: the rest of the string does not count. */
	assert_int_equal(decimal_parse("12x", 2, out, &errstr), 0);
	assert_string_equal(out, "12");
}

static void
test_from_double(void **state)
{
	char		 want[400];

	(void)state;
	ok_double(-0.18, "-0.18");
	ok_double(-0.17, "-0.17");
	ok_double(0.1, "0.1");
	ok_double(2.5, "2.5");
	ok_double(7971931.0, "7971931");
	ok_double(100.0, "100");
	ok_double(0.0, "0");
	ok_double(-0.0, "0");
	ok_double(1e21, "1000000000000000000000");
	ok_double(1.5e-7, "0.00000015");
	ok_double(1e15, "1000000000000000");
	ok_double(1e16, "10000000000000000");
	ok_double(123456789012345.0, "123456789012345");
	ok_double(0.000123456789012345, "0.000123456789012345");
	ok_double(-43.88, "-43.88");

	/* 1e308: "1" and 308 zeros, the largest power of ten. */
	memset(want, '0', sizeof(want));
	want[0] = '1';
	want[309] = '\0';
	ok_double(1e308, want);
	/* The smallest denormal is 5e-324: shortest text, one digit. */
	memset(want, '0', sizeof(want));
	want[1] = '.';
	want[325] = '5';
	want[326] = '\0';
	ok_double(5e-324, want);

	bad_double(1234567890123456.0, "send the value as a JSON string");
	bad_double(0.1 + 0.2, "more than 15 significant digits");
	bad_double(DBL_MAX, "more than 15 significant digits");
	bad_double(NAN, "not values");
	bad_double(INFINITY, "not values");
	bad_double(-INFINITY, "not values");
}

/* Every double of 15 digits or fewer comes back as itself. */
static void
test_from_double_roundtrip(void **state)
{
	char		 out[DECIMAL_MAX];
	const char	*errstr;
	double		 d;
	int		 i;

	(void)state;
	srand(42);
	for (i = 0; i < 20000; i++) {
		d = (double)rand() / RAND_MAX * pow(10, rand() % 40 - 20);
		if (i % 2)
			d = -d;
		if (decimal_from_double(d, out, &errstr) != 0)
			continue;
		if (strtod(out, NULL) != d)
			fail_msg("%.17g became %s", d, out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_like_postgres),
		cmocka_unit_test(test_length_cap),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_from_double),
		cmocka_unit_test(test_from_double_roundtrip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
