/*
 * csv_field() and csv_endrow(), and that factcsv reads back what they
 * write.
 */

#include "unit.h"

#include <string.h>

#include "core/buf.h"
#include "core/csvout.h"
#include "core/factcsv.h"

static void	field(const char *, size_t, const char *);
static int	read_row(void *, const struct factcsv_row *);
static void	read_error(void *, const struct factcsv_error *);

static void
field(const char *s, size_t len, const char *want)
{
	struct buf	 b;

	buf_init(&b);
	csv_field(&b, s, len, 1);
	if (strcmp(buf_cstr(&b), want) != 0)
		fail_msg("got [%s], want [%s]", buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_fields(void **state)
{
	(void)state;
	field("", 0, "");
	field("plain", 5, "plain");
	field("New York", 8, "New York");
	field("a,b", 3, "\"a,b\"");
	field("say \"hi\"", 8, "\"say \"\"hi\"\"\"");
	field("\"", 1, "\"\"\"\"");
	field("two\nlines", 9, "\"two\nlines\"");
	field("cr\rhere", 7, "\"cr\rhere\"");
	field("crlf\r\n", 6, "\"crlf\r\n\"");
	field(" lead", 5, "\" lead\"");
	field("trail ", 6, "\"trail \"");
	field("\ttab", 4, "\"'\ttab\"");
	field("tab\t", 4, "\"tab\t\"");
	field("in side", 7, "in side");
	field("C\xc3\xb4te d'Ivoire", 14, "C\xc3\xb4te d'Ivoire");
	field("-0.17", 5, "-0.17");
	/* Only len bytes count. */
	field("ab,c", 2, "ab");
}

/* A cell a spreadsheet would run gets an apostrophe; numbers stay. */
static void
test_formulas(void **state)
{
	(void)state;
	field("=HYPERLINK(\"http://x\",\"y\")", 26,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	field("=1+1", 4, "'=1+1");
	field("+1-1", 4, "'+1-1");
	field("-1+1", 4, "'-1+1");
	field("@SUM(A1)", 8, "'@SUM(A1)");
	field("\t=1", 3, "\"'\t=1\"");
	field("\r=1", 3, "\"'\r=1\"");
	field("-", 1, "'-");
	field("'=1", 3, "''=1");
	field("''-x", 4, "'''-x");
	/* Numbers, and what starts otherwise, are as they were. */
	field("-3", 2, "-3");
	field("-0.17", 5, "-0.17");
	field("+007", 4, "+007");
	field("-1.5e6", 6, "-1.5e6");
	field("'-3", 3, "'-3");
	field("'plain", 6, "'plain");
	field("a=1", 3, "a=1");
	field(" =1", 3, "\" =1\"");
	assert_false(csv_formula_like("", 0));
	assert_false(csv_formula_like("'", 1));
	assert_false(csv_formula_like("\0=", 2));
	assert_true(csv_formula_like("'''@", 4));
}

static void
test_rows(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b);
	csv_field(&b, "place", 5, 1);
	csv_field(&b, "note", 4, 0);
	csv_endrow(&b);
	csv_field(&b, "a", 1, 1);
	csv_field(&b, "", 0, 0);
	csv_endrow(&b);
	csv_field(&b, "", 0, 1);
	csv_field(&b, "x,y", 3, 0);
	csv_endrow(&b);
	assert_string_equal(buf_cstr(&b), "place,note\na,\n,\"x,y\"\n");
	buf_free(&b);
}

struct readback {
	const char	*notes[32];
	int		 n;
	int		 errors;
};

static int
read_row(void *arg, const struct factcsv_row *r)
{
	struct readback	*rb = arg;

	if (strcmp(r->note, rb->notes[rb->n]) != 0)
		fail_msg("row %d: note [%s] read back as [%s]", rb->n,
		    rb->notes[rb->n], r->note);
	rb->n++;
	return (0);
}

static void
read_error(void *arg, const struct factcsv_error *e)
{
	struct readback	*rb = arg;

	print_error("line %lu: %s: %s\n", e->line,
	    e->column ? e->column : "-", e->message);
	rb->errors++;
}

/* Whatever a note holds, formulas too, the reader gets it back exactly. */
static void
test_roundtrip(void **state)
{
	static const char	*notes[] = {
		"", "plain", " lead and trail ", "\ttabs\t", "a,b",
		"\"quoted\"", "say \"hi\", then go", "two\nlines",
		"crlf\r\nend", "cr\ronly", "\n", " ", ",", "\"",
		"C\xc3\xb4te d'Ivoire \xe2\x80\x94 \xe5\x8c\x97\xe4\xba\xac",
		"trailing newline\n", "=HYPERLINK(\"http://evil\",\"x\")",
		"+1", "-", "-x", "@x", "\t=1", "\r=1", "'=1", "''=1", "'-3",
		"'", "'plain", "-3"
	};
	struct readback		 rb;
	struct factcsv_sink	 sink;
	struct factcsv		*p;
	struct buf		 b;
	size_t			 i;

	(void)state;
	memset(&rb, 0, sizeof(rb));
	buf_init(&b);
	csv_field(&b, "place", 5, 1);
	csv_field(&b, "variable", 8, 0);
	csv_field(&b, "year", 4, 0);
	csv_field(&b, "value", 5, 0);
	csv_field(&b, "source", 6, 0);
	csv_field(&b, "note", 4, 0);
	csv_endrow(&b);
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		rb.notes[i] = notes[i];
		csv_field(&b, "x", 1, 1);
		csv_field(&b, "y", 1, 0);
		csv_field(&b, "2020", 4, 0);
		csv_field(&b, "1", 1, 0);
		csv_field(&b, "#1", 2, 0);
		csv_field(&b, notes[i], strlen(notes[i]), 0);
		csv_endrow(&b);
	}

	sink.arg = &rb;
	sink.row = read_row;
	sink.error = read_error;
	p = factcsv_new(&sink);
	assert_int_equal(factcsv_feed(p, b.data, b.len), 0);
	assert_int_equal(factcsv_finish(p), 0);
	assert_int_equal(rb.errors, 0);
	assert_int_equal(rb.n, sizeof(notes) / sizeof(notes[0]));
	factcsv_free(p);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_formulas),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_roundtrip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
