/*
 * text_check() and factcsv_field(): the checks that forms and the API
 * share with the CSV reader, and their messages.
 */

#include "unit.h"

#include <string.h>

#include "core/buf.h"
#include "core/factcsv.h"
#include "core/text.h"

static void	field_ok(enum factcsv_col, const char *, struct factcsv_row *);
static void	field_bad(enum factcsv_col, const char *, const char *);

/* Checks a copy of in, which the check may trim. */
static char	copy[4096];

static void
field_ok(enum factcsv_col c, const char *in, struct factcsv_row *r)
{
	struct buf	 msg;

	buf_init(&msg);
	strcpy(copy, in);
	if (factcsv_field(c, copy, strlen(copy), r, &msg) != 0)
		fail_msg("%s \"%s\": refused: %s", factcsv_columns[c], in,
		    buf_cstr(&msg));
	buf_free(&msg);
}

static void
field_bad(enum factcsv_col c, const char *in, const char *part)
{
	struct factcsv_row	 r;
	struct buf		 msg;

	buf_init(&msg);
	memset(&r, 0, sizeof(r));
	strcpy(copy, in);
	if (factcsv_field(c, copy, strlen(copy), &r, &msg) == 0)
		fail_msg("%s \"%s\": accepted", factcsv_columns[c], in);
	if (strstr(buf_cstr(&msg), part) == NULL)
		fail_msg("%s \"%s\": message \"%s\" lacks \"%s\"",
		    factcsv_columns[c], in, buf_cstr(&msg), part);
	buf_free(&msg);
}

static void
test_text_check(void **state)
{
	struct buf	 msg;

	(void)state;
	buf_init(&msg);
	assert_int_equal(text_check("Côte", 5, 4, 0, "name", &msg), 0);
	assert_int_equal(text_check("Côtes", 6, 4, 0, "name", &msg), -1);
	assert_string_equal(buf_cstr(&msg),
	    "the name is longer than 4 characters");
	buf_reset(&msg);
	assert_int_equal(text_check("a\nb", 3, 10, 0, "name", &msg), -1);
	assert_non_null(strstr(buf_cstr(&msg), "line break"));
	buf_reset(&msg);
	assert_int_equal(text_check("a\r\n\tb", 5, 10, 1, "note", &msg), 0);
	assert_int_equal(text_check("a\x7f", 2, 10, 1, "note", &msg), -1);
	assert_string_equal(buf_cstr(&msg),
	    "the text holds a control character");
	buf_free(&msg);
}

static void
test_fields(void **state)
{
	struct factcsv_row	 r;

	(void)state;
	memset(&r, 0, sizeof(r));
	field_ok(FACTCSV_VALUE, " 1.5e6 ", &r);
	assert_string_equal(r.value, "1500000");
	field_ok(FACTCSV_VALUE, "-0.17", &r);
	assert_string_equal(r.value, "-0.17");
	field_ok(FACTCSV_YEAR, "-500", &r);
	assert_int_equal(r.year, -500);
	field_ok(FACTCSV_PLACE, "Côte d'Ivoire", &r);
	assert_string_equal(r.place_slug, "cote-d-ivoire");
	field_ok(FACTCSV_SOURCE, "#12", &r);
	assert_int_equal(r.source_id, 12);
	field_ok(FACTCSV_SOURCE, " HTTPS://example.org/x ", &r);
	assert_string_equal(r.source_url, "https://example.org/x");
	field_ok(FACTCSV_NOTE, "  two\nlines ", &r);
	assert_string_equal(r.note, "  two\nlines ");
}

static void
test_messages(void **state)
{
	(void)state;
	field_bad(FACTCSV_VALUE, "1,234", "thousands");
	field_bad(FACTCSV_VALUE, "12abc", "not a number");
	field_bad(FACTCSV_VALUE, "NaN", "NaN");
	field_bad(FACTCSV_VALUE, "", "a value is required");
	field_bad(FACTCSV_YEAR, "2020.5", "a year is a whole number");
	field_bad(FACTCSV_PLACE, "", "a place is required");
	field_bad(FACTCSV_PLACE, "!!!", "no letter or digit");
	field_bad(FACTCSV_SOURCE, "gapminder.org", "an http(s) URL or #ID");
	field_bad(FACTCSV_SOURCE, "#x", "as in #12");
	field_bad(FACTCSV_SOURCE, "#0", "positive");
	field_bad(FACTCSV_NOTE, "bell\a", "control character");
	field_bad(FACTCSV_UNIT, "a\xff", "UTF-8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_messages),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
