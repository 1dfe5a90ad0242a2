/*
 * year_parse().
 */

#include "unit.h"

#include <string.h>

#include "core/year.h"

static void	ok(const char *, int);
static void	bad(const char *, const char *);

static void
ok(const char *in, int want)
{
	const char	*errstr = NULL;
	int		 y = -12345;

	if (year_parse(in, strlen(in), &y, &errstr) != 0)
		fail_msg("\"%s\": refused: %s", in, errstr);
	if (y != want)
		fail_msg("\"%s\": got %d, want %d", in, y, want);
}

static void
bad(const char *in, const char *part)
{
	const char	*errstr = NULL;
	int		 y;

	if (year_parse(in, strlen(in), &y, &errstr) == 0)
		fail_msg("\"%s\": accepted as %d", in, y);
	if (strstr(errstr, part) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, errstr,
		    part);
}

static void
test_years(void **state)
{
	(void)state;
	ok("2020", 2020);
	ok("1955", 1955);
	ok("0", 0);
	ok("-0", 0);
	ok("-500", -500);
	ok("9999", 9999);
	ok("-9999", -9999);
	ok("02020", 2020);
	ok("0000000000000000000000009999", 9999);
	ok("-0001", -1);
}

static void
test_refused(void **state)
{
	(void)state;
	bad("", "a year is required");
	bad("2020.5", "a year is a whole number");
	bad("2020.0", "a year is a whole number");
	bad("2020,5", "a year is a whole number");
	bad("99999", "a year is between -9999 and 9999");
	bad("10000", "a year is between -9999 and 9999");
	bad("-10000", "a year is between -9999 and 9999");
	bad("99999999999999999999999", "a year is between -9999 and 9999");
	bad("-", "not a year");
	bad("+2020", "not a year");
	bad("2020a", "not a year");
	bad("20 20", "not a year");
	bad(" 2020", "not a year");
	bad("2020 ", "not a year");
	bad("2e3", "not a year");
	bad("--5", "not a year");
	bad("MMXX", "not a year");
}

/* Only len bytes are read. */
static void
test_length(void **state)
{
	const char	*errstr;
	int		 y;

	(void)state;
	assert_int_equal(year_parse("2020x", 4, &y, &errstr), 0);
	assert_int_equal(y, 2020);
	assert_int_equal(year_parse("20\0" "20", 5, &y, &errstr), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_length),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
