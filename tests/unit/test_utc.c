/*
 * UTC times: the forms accepted, their normal form and instant, and the
 * messages for the rest.
 */

#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "core/utc.h"

static void
good(const char *s, int zone_optional, const char *norm, int64_t usec)
{
	char		 out[UTC_STRLEN];
	const char	*errstr;
	int64_t		 got;

	if (utc_parse(s, strlen(s), zone_optional, &got, out, &errstr) != 0)
		fail_msg("%s: %s", s, errstr);
	assert_string_equal(out, norm);
	assert_int_equal(got, usec);
}

static void
bad(const char *s, int zone_optional, const char *msg)
{
	const char	*errstr;
	int64_t		 got;

	if (utc_parse(s, strlen(s), zone_optional, &got, NULL, &errstr) == 0)
		fail_msg("%s: accepted", s);
	if (strstr(errstr, msg) == NULL)
		fail_msg("%s: '%s' lacks '%s'", s, errstr, msg);
}

static void
test_good(void **state)
{
	(void)state;
	good("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z", 0);
	good("1970-01-01T00:00Z", 0, "1970-01-01T00:00:00Z", 0);
	good("2024-05-01T12:00:00Z", 0, "2024-05-01T12:00:00Z",
	    INT64_C(1714564800000000));
	good("2024-05-01T12:00:00+00:00", 0, "2024-05-01T12:00:00Z",
	    INT64_C(1714564800000000));
	good("2024-02-29T23:59:59.5Z", 0, "2024-02-29T23:59:59.5Z",
	    INT64_C(1709251199500000));
	good("2024-02-29T23:59:59.123456Z", 0, "2024-02-29T23:59:59.123456Z",
	    INT64_C(1709251199123456));
	good("2024-02-29T23:59:59.000Z", 0, "2024-02-29T23:59:59Z",
	    INT64_C(1709251199000000));
	good("2000-02-29T00:00:00Z", 0, "2000-02-29T00:00:00Z",
	    INT64_C(951782400000000));
	good("9999-12-31T23:59:59Z", 0, "9999-12-31T23:59:59Z",
	    INT64_C(253402300799000000));
	/* The forms' datetime-local fields. */
	good("2024-05-01T12:00", 1, "2024-05-01T12:00:00Z",
	    INT64_C(1714564800000000));
	good("2024-05-01T12:00:30", 1, "2024-05-01T12:00:30Z",
	    INT64_C(1714564830000000));
	good("2024-05-01T12:00Z", 1, "2024-05-01T12:00:00Z",
	    INT64_C(1714564800000000));
}

static void
test_bad(void **state)
{
	(void)state;
	bad("", 0, "2024-05-01T12:00:00Z");
	bad("2024-05-01", 0, "2024-05-01T12:00:00Z");
	bad("2024-05-01 12:00:00Z", 0, "2024-05-01T12:00:00Z");
	bad("2024-05-01T12:00:00", 0, "end it with Z");
	bad("2024-05-01T12:00:00+02:00", 0, "in UTC");
	bad("2024-05-01T12:00:00-05:00", 0, "in UTC");
	bad("2024-05-01T12:00:00z", 0, "2024-05-01T12:00:00Z");
	bad("2024-05-01T12:00:00.Z", 0, "2024-05-01T12:00:00Z");
	bad("2024-05-01T12:00:00.1234567Z", 0, "six digits");
	bad("2024-05-01T12:00:00ZZ", 0, "2024-05-01T12:00:00Z");
	bad("2024-5-01T12:00:00Z", 0, "2024-05-01T12:00:00Z");
	bad("+2024-05-01T12:00:00Z", 0, "2024-05-01T12:00:00Z");
	bad("1969-12-31T23:59:59Z", 0, "1970 or later");
	bad("2023-02-29T00:00:00Z", 0, "no such day");
	bad("1900-02-29T00:00:00Z", 1, "no such day");
	bad("1969-12-31T00:00:00Z", 1, "1970");
	bad("2024-04-31T00:00:00Z", 0, "no such day");
	bad("2024-13-01T00:00:00Z", 0, "no such day");
	bad("2024-00-10T00:00:00Z", 0, "no such day");
	bad("2024-01-00T00:00:00Z", 0, "no such day");
	bad("2024-01-01T24:00:00Z", 0, "time of day");
	bad("2024-01-01T23:60:00Z", 0, "time of day");
	bad("2024-01-01T23:59:60Z", 0, "time of day");
	bad("2024-01-01T23:59:5Z", 0, "2024-05-01T12:00:00Z");
	bad("2024-01-01T23:59:59Z\n", 0, "2024-05-01T12:00:00Z");
	bad("now", 1, "2024-05-01T12:00:00Z");
}

/*
 * Every prefix of a good time fails or parses, and never reads past its
 * end: each is a heap block of its exact size, which ASan watches.
 */
static void
test_prefixes(void **state)
{
	const char	*s = "2024-02-29T23:59:59.123456+00:00", *errstr;
	char		*copy;
	int64_t		 got;
	size_t		 i;

	(void)state;
	for (i = 0; i <= strlen(s); i++) {
		copy = malloc(i + 1);
		memcpy(copy, s, i);
		assert_int_equal(utc_parse(copy, i, 1, &got, NULL, &errstr),
		    i == 16 || i == 19 || i == 21 || i == 22 || i == 23 ||
		    i == 24 || i == 25 || i == 26 || i == 32 ? 0 : -1);
		(void)utc_parse(copy, i, 0, &got, NULL, &errstr);
		free(copy);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_prefixes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
