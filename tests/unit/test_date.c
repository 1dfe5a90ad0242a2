/*
 * date_parse().
 */

#include "unit.h"

#include <string.h>

#include "core/date.h"

static void	ok(const char *);
static void	bad(const char *, const char *);

static void
ok(const char *in)
{
	const char	*errstr = NULL;
	char		 out[DATE_LEN];

	if (date_parse(in, strlen(in), out, &errstr) != 0)
		fail_msg("\"%s\": refused: %s", in, errstr);
	assert_string_equal(out, in);
}

static void
bad(const char *in, const char *part)
{
	const char	*errstr = NULL;
	char		 out[DATE_LEN];

	if (date_parse(in, strlen(in), out, &errstr) == 0)
		fail_msg("\"%s\": accepted", in);
	if (strstr(errstr, part) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, errstr,
		    part);
}

static void
test_dates(void **state)
{
	(void)state;
	ok("2024-03-31");
	ok("0001-01-01");
	ok("9999-12-31");
	ok("2024-02-29");
	ok("2000-02-29");
}

static void
test_refused(void **state)
{
	(void)state;
	bad("", "YYYY-MM-DD");
	bad("2024-3-31", "YYYY-MM-DD");
	bad("31/03/2024", "YYYY-MM-DD");
	bad("2024-03-31T00:00", "YYYY-MM-DD");
	bad("2024-03-3x", "YYYY-MM-DD");
	bad("+024-03-31", "YYYY-MM-DD");
	bad("2023-02-29", "no such day");
	bad("1900-02-29", "no such day");
	bad("2024-04-31", "no such day");
	bad("2024-13-01", "no such day");
	bad("2024-00-10", "no such day");
	bad("2024-01-00", "no such day");
	bad("0000-01-01", "no such day");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
