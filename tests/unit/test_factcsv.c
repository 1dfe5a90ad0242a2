/*
 * The CSV import reader.  Each input is read in one block and again split
 * in many ways (down to a byte at a time); every reading must call back
 * the same way.  The callbacks are written down as text, one line each:
 *
 *	row LINE place|slug variable|slug year value source unit title note
 *	error LINE column: message
 *	stop			(factcsv_feed returned -1)
 *	finish RC rows N errors N
 */

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/factcsv.h"

#define HEADER	"place,variable,year,value,source\n"

struct rec {
	struct buf	 out;
	unsigned long	 rows;
	unsigned long	 errors;
	unsigned long	 stop_at;	/* row callback returns -1 there */
};

static int	 rec_row(void *, const struct factcsv_row *);
static void	 rec_error(void *, const struct factcsv_error *);
static char	*read_split(const char *, size_t, size_t);
static char	*read_all(const char *, size_t);
static void	 expect(const char *, const char *);
static void	 expect_n(const char *, size_t, const char *);
static void	 expect_has(const char *, const char *);
static const char *opt(const char *);

static const char *
opt(const char *s)
{
	return (s == NULL ? "(null)" : s);
}

static int
rec_row(void *arg, const struct factcsv_row *r)
{
	struct rec	*rec = arg;

	rec->rows++;
	buf_printf(&rec->out, "row %lu %s|%s %s|%s %d %s ", r->line,
	    r->place, r->place_slug, r->variable, r->variable_slug, r->year,
	    r->value);
	if (r->source_url != NULL) {
		assert_int_equal(r->source_id, 0);
		buf_printf(&rec->out, "%s", r->source_url);
	} else {
		assert_true(r->source_id > 0);
		buf_printf(&rec->out, "#%lld", (long long)r->source_id);
	}
	buf_printf(&rec->out, " [%s] [%s] [%s]\n", opt(r->unit),
	    opt(r->source_title), opt(r->note));
	if (rec->stop_at != 0 && rec->rows == rec->stop_at)
		return (-1);
	return (0);
}

static void
rec_error(void *arg, const struct factcsv_error *e)
{
	struct rec	*rec = arg;

	rec->errors++;
	buf_printf(&rec->out, "error %lu %s: %s\n", e->line,
	    e->column != NULL ? e->column : "-", e->message);
}

/* Reads in pieces of chunk bytes; returns the transcript. */
static char *
read_split(const char *in, size_t len, size_t chunk)
{
	struct factcsv_sink	 sink;
	struct factcsv		*p;
	struct rec		 rec;
	size_t			 off, n;
	int			 rc;

	memset(&rec, 0, sizeof(rec));
	buf_init(&rec.out);
	sink.arg = &rec;
	sink.row = rec_row;
	sink.error = rec_error;
	p = factcsv_new(&sink);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (factcsv_feed(p, in + off, n) == -1) {
			buf_puts(&rec.out, "stop\n");
			break;
		}
	}
	rc = factcsv_finish(p);
	buf_printf(&rec.out, "finish %d rows %lu errors %lu\n", rc,
	    factcsv_rows(p), factcsv_errors(p));
	assert_int_equal(factcsv_rows(p), rec.rows);
	assert_int_equal(factcsv_errors(p), rec.errors);
	factcsv_free(p);
	return (buf_release(&rec.out));
}

/* Reads in one block, then split every which way: all must agree. */
static char *
read_all(const char *in, size_t len)
{
	static const size_t	 chunks[] = { 1, 2, 3, 5, 7, 64, 4096 };
	char			*whole, *other;
	size_t			 i;

	whole = read_split(in, len, len > 0 ? len : 1);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		if (chunks[i] >= len && i > 0)
			break;
		other = read_split(in, len, chunks[i]);
		if (strcmp(whole, other) != 0)
			fail_msg("in pieces of %zu:\n%s\nin one:\n%s",
			    chunks[i], other, whole);
		free(other);
	}
	return (whole);
}

static void
expect_n(const char *in, size_t len, const char *want)
{
	char	*got;

	got = read_all(in, len);
	if (strcmp(got, want) != 0)
		fail_msg("input:\n%s\ngot:\n%s\nwant:\n%s", in, got, want);
	free(got);
}

static void
expect(const char *in, const char *want)
{
	expect_n(in, strlen(in), want);
}

/* The transcript holds part. */
static void
expect_has(const char *in, const char *part)
{
	char	*got;

	got = read_all(in, strlen(in));
	if (strstr(got, part) == NULL)
		fail_msg("input:\n%s\ngot:\n%s\nlacks:\n%s", in, got, part);
	free(got);
}

static void
test_simple(void **state)
{
	(void)state;
	expect(HEADER
	    "new-york,population,2020,8336817,https://example.com/nyc\n",
	    "row 2 new-york|new-york population|population 2020 8336817 "
	    "https://example.com/nyc [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 1 errors 0\n");
	/* No line end at the end of the file. */
	expect(HEADER "a,b,1,1,#1",
	    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 1 errors 0\n");
}

static void
test_all_columns(void **state)
{
	(void)state;
	/* Any order, any case, spaces around names; names are derived. */
	expect(" Note ,SOURCE_TITLE,Unit,Source,Value,Year,Variable,Place\n"
	    "a note,Gapminder,persons,https://example.com/,1.5e6,-500,"
	    "Life Expectancy,C\xc3\xb4te d'Ivoire\n",
	    "row 2 C\xc3\xb4te d'Ivoire|cote-d-ivoire "
	    "Life Expectancy|life-expectancy -500 1500000 "
	    "https://example.com/ [persons] [Gapminder] [a note]\n"
	    "finish 0 rows 1 errors 0\n");
	/* Optional columns present but empty are "". */
	expect("place,variable,year,value,source,unit,source_title,note\n"
	    "a,b,1,1,#1,,,\n",
	    "row 2 a|a b|b 1 1 #1 [] [] []\n"
	    "finish 0 rows 1 errors 0\n");
}

static void
test_trim(void **state)
{
	(void)state;
	/* Every field trimmed of spaces and tabs, except the note. */
	expect("place,variable,year,value,source,unit,source_title,note\n"
	    " a \t, b ,\t2020 , 1.50 , #7 , kg ,\" T \",  keep  me \t\n"
	    "\" x \",\"y\t\",\" 1\",\"2 \",\" https://e.org/ \",,,\" q \"\n",
	    "row 2 a|a b|b 2020 1.50 #7 [kg] [T] [  keep  me \t]\n"
	    "row 3 x|x y|y 1 2 https://e.org/ [] [] [ q ]\n"
	    "finish 0 rows 2 errors 0\n");
}

static void
test_bom_crlf(void **state)
{
	(void)state;
	expect("\xef\xbb\xbfplace,variable,year,value,source\r\n"
	    "a,b,2020,1,#1\r\n"
	    "\r\n"
	    "c,d,2021,2,#2\r\n",
	    "row 2 a|a b|b 2020 1 #1 [(null)] [(null)] [(null)]\n"
	    "row 4 c|c d|d 2021 2 #2 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 2 errors 0\n");
	/* A BOM alone, or only partly there. */
	expect("\xef\xbb\xbf", "error 0 -: the file is empty\n"
	    "finish -1 rows 0 errors 1\n");
	expect_has("\xef\xbbplace,variable,year,value,source\n",
	    "error 1 -: a column name is not valid UTF-8");
	expect_has("\xef", "the first line is not a header");
	/* A lone CR ends a line too (old Mac files). */
	expect("place,variable,year,value,source\ra,b,1,1,#1\r\rc,d,1,1,#1",
	    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "row 4 c|c d|d 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 2 errors 0\n");
}

static void
test_utf16(void **state)
{
	(void)state;
	expect_n("\xff\xfep\0l\0", 6,
	    "error 0 -: the file is UTF-16 text; save it as UTF-8\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
	expect_n("\xfe\xff\0p\0l", 6,
	    "error 0 -: the file is UTF-16 text; save it as UTF-8\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
}

/*
 * The contract: LINE is the physical line, quoted newlines count.  The
 * row on line 7 has a field with two line breaks: the next is on 10.
 */
static void
test_line_numbers(void **state)
{
	(void)state;
	expect("place,variable,year,value,source,note\n"	/* 1 */
	    "a,b,1,1,#1,\n"					/* 2 */
	    "\n"						/* 3 */
	    "a,b,2,1,#1,\"one\n"				/* 4 */
	    "two\"\n"						/* 5 */
	    "   \n"						/* 6 */
	    "a,b,3,1,#1,\"x\n"					/* 7 */
	    "y\r\n"						/* 8 */
	    "z\"\n"						/* 9 */
	    "a,b,4,x,#1,\n"					/* 10 */
	    "a,b,5,1,#1,\"p\n"					/* 11 */
	    "q\",extra\n"					/* 12 */
	    "\"a\n"						/* 13 */
	    "\",b,6,y,#1,\n",					/* 14 */
	    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] []\n"
	    "row 4 a|a b|b 2 1 #1 [(null)] [(null)] [one\ntwo]\n"
	    "row 7 a|a b|b 3 1 #1 [(null)] [(null)] [x\ny\r\nz]\n"
	    "error 10 value: not a number: a value is digits with an "
	    "optional sign, point and exponent, as in -12.5 or 1.5e6\n"
	    "error 11 -: expected 6 fields, found 7\n"
	    "error 13 place: the text holds a line break or another "
	    "control character\n"
	    "error 13 value: not a number: a value is digits with an "
	    "optional sign, point and exponent, as in -12.5 or 1.5e6\n"
	    "finish 0 rows 3 errors 4\n");
}

static void
test_gapminder(void **state)
{
	FILE		*f;
	struct buf	 b;
	char		 chunk[8192], *got, *last;
	size_t		 n;

	(void)state;
	/* The test runs from the top of the repository. */
	if ((f = fopen("data/gapminder-facts.csv", "rb")) == NULL)
		fail_msg("data/gapminder-facts.csv: cannot open");
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);

	got = read_all(b.data, b.len);
	assert_non_null(strstr(got, "row 2 Afghanistan|afghanistan "
	    "population|population 1955 7971931 "
	    "https://www.gapminder.org/data/documentation/gd003/ [persons] "
	    "[Gapminder Foundation - Population (v7)] [(null)]\n"));
	assert_non_null(strstr(got, "life-expectancy 1955 43.88 "));
	last = strstr(got, "finish");
	assert_non_null(last);
	assert_string_equal(last, "finish 0 rows 2046 errors 0\n");
	free(got);
	buf_free(&b);
}

static void
test_empty(void **state)
{
	(void)state;
	expect("", "error 0 -: the file is empty\n"
	    "finish -1 rows 0 errors 1\n");
	expect("\n\n\r\n", "error 0 -: the file is empty\n"
	    "finish -1 rows 0 errors 1\n");
	expect(" \t \n  \n", "error 0 -: the file is empty\n"
	    "finish -1 rows 0 errors 1\n");
	expect(HEADER, "error 0 -: the file has a header but no rows\n"
	    "finish -1 rows 0 errors 1\n");
	expect(HEADER "\n\n", "error 0 -: the file has a header but no "
	    "rows\nfinish -1 rows 0 errors 1\n");
	expect("place,variable,year,value,source",
	    "error 0 -: the file has a header but no rows\n"
	    "finish -1 rows 0 errors 1\n");
	/* Blank lines before the header count too. */
	expect("\n\n" HEADER "a,b,1,1,#1\n",
	    "row 4 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 1 errors 0\n");
}

static void
test_header_problems(void **state)
{
	(void)state;
	expect("place,variable,year,value\na,b,1,1\n",
	    "error 1 -: the required column \"source\" is missing\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
	expect("place,year,source\n",
	    "error 1 -: the required column \"variable\" is missing\n"
	    "error 1 -: the required column \"value\" is missing\n"
	    "stop\nfinish -1 rows 0 errors 2\n");
	expect("place,variable,year,valeu,source,comment\n",
	    "error 1 -: unknown column \"valeu\"; the columns are place, "
	    "variable, year, value, source, unit, source_title and note\n"
	    "error 1 -: unknown column \"comment\"; the columns are place, "
	    "variable, year, value, source, unit, source_title and note\n"
	    "error 1 -: the required column \"value\" is missing\n"
	    "stop\nfinish -1 rows 0 errors 3\n");
	expect("place,variable,year,value,source,PLACE\n",
	    "error 1 -: the column \"place\" is there twice\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
	expect("place,variable,year,value,source,\n",
	    "error 1 -: a column has no name; the columns are place, "
	    "variable, year, value, source, unit, source_title and note\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
	expect("Afghanistan,population,1955,7971931,https://example.com/\n",
	    "error 1 -: the first line is not a header: it names the "
	    "columns, as in place,variable,year,value,source\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
	expect_has("place,variable,year,value,source,\xe9t\xe9\n",
	    "error 1 -: a column name is not valid UTF-8");
	/* Long names are shortened, controls hidden. */
	expect_has("place,variable,year,value,source,\"a\nb"
	    "cccccccccccccccccccccccccccccccccccccccccccccc\"\n",
	    "unknown column \"a?b" "ccccccccccccccccccccccccccccccccccccc"
	    "...\"");
	/* A quote problem in the header stops the reading. */
	expect("place,var\"iable,year,value,source\na,b,1,1,#1\n",
	    "error 1 -: a quote in a field that does not start with one; "
	    "quote the whole field, write each quote in it as two (\"\"), "
	    "and leave no space before the opening quote\n"
	    "stop\nfinish -1 rows 0 errors 1\n");
}

/* Past 20 problems, one more error says how many are left. */
static void
test_many_unknown_columns(void **state)
{
	struct buf	 b;
	char		*got;
	int		 i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "place,variable,year,value,source");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, ",x%d", i);
	buf_puts(&b, "\n");
	got = read_split(b.data, b.len, b.len);
	assert_non_null(strstr(got, "unknown column \"x19\""));
	assert_null(strstr(got, "unknown column \"x20\""));
	assert_non_null(strstr(got, "error 1 -: and 980 more problems with "
	    "the columns\nstop\nfinish -1 rows 0 errors 21\n"));
	free(got);
	buf_free(&b);
}

static void
test_field_count(void **state)
{
	(void)state;
	expect(HEADER "a,b,1,1\na,b,1,1,#1,x\na,b,1,1,#1\nlonely\n",
	    "error 2 -: expected 5 fields, found 4\n"
	    "error 3 -: expected 5 fields, found 6\n"
	    "row 4 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "error 5 -: expected 5 fields, found 1\n"
	    "finish 0 rows 1 errors 3\n");
}

static void
test_bad_values(void **state)
{
	(void)state;
	expect(HEADER
	    "a,b,2020,\"1,234\",#1\n"
	    "a,b,2020,12abc,#1\n"
	    "a,b,2020,NaN,#1\n"
	    "a,b,2020,Infinity,#1\n"
	    "a,b,2020,,#1\n"
	    "a,b,2020.5,1,#1\n"
	    "a,b,99999,1,#1\n"
	    "a,b,,1,#1\n"
	    "a,b,2020,.5,#1\n",
	    "error 2 value: write a value without thousands separators and "
	    "with a point for decimals, as in 1234567 or 1.5\n"
	    "error 3 value: not a number: a value is digits with an optional "
	    "sign, point and exponent, as in -12.5 or 1.5e6\n"
	    "error 4 value: NaN and infinities are not values; give a "
	    "number\n"
	    "error 5 value: NaN and infinities are not values; give a "
	    "number\n"
	    "error 6 value: a value is required\n"
	    "error 7 year: a year is a whole number, as in 2020\n"
	    "error 8 year: a year is between -9999 and 9999\n"
	    "error 9 year: a year is required\n"
	    "error 10 value: a value starts with a digit: write 0.5, not .5\n"
	    "finish 0 rows 0 errors 9\n");
	/* Values are canonical, exactly as written otherwise. */
	expect(HEADER "a,b,1,-0.17,#1\na,b,1,2.50,#1\na,b,1,+007,#1\n"
	    "a,b,1,1E-3,#1\n",
	    "row 2 a|a b|b 1 -0.17 #1 [(null)] [(null)] [(null)]\n"
	    "row 3 a|a b|b 1 2.50 #1 [(null)] [(null)] [(null)]\n"
	    "row 4 a|a b|b 1 7 #1 [(null)] [(null)] [(null)]\n"
	    "row 5 a|a b|b 1 0.001 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 4 errors 0\n");
}

static void
test_places_and_variables(void **state)
{
	(void)state;
	expect(HEADER
	    ",b,1,1,#1\n"
	    "a, ,1,1,#1\n"
	    "\xe5\x8c\x97\xe4\xba\xac,b,1,1,#1\n"
	    "---,b,1,1,#1\n"
	    "\"New\nYork\",b,1,1,#1\n"		/* lines 6 and 7 */
	    "New York,Life expectancy (years),1,1,#1\n",
	    "error 2 place: a place is required\n"
	    "error 3 variable: a variable is required\n"
	    "error 4 place: the place name has no letter or digit to make "
	    "a slug from\n"
	    "error 5 place: the place name has no letter or digit to make "
	    "a slug from\n"
	    "error 6 place: the text holds a line break or another control "
	    "character\n"
	    "row 8 New York|new-york Life expectancy (years)|"
	    "life-expectancy-years 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 1 errors 5\n");
}

static void
test_sources(void **state)
{
	(void)state;
	expect(HEADER
	    "a,b,1,1,#12\n"
	    "a,b,1,1,#007\n"
	    "a,b,1,1,#9007199254740992\n"
	    "a,b,1,1,HTTPS://Example.com/X\n"
	    "a,b,1,1,www.example.com\n"
	    "a,b,1,1,ftp://example.com/\n"
	    "a,b,1,1,\n"
	    "a,b,1,1,#\n"
	    "a,b,1,1,#0\n"
	    "a,b,1,1,#-1\n"
	    "a,b,1,1,#12a\n"
	    "a,b,1,1,#9007199254740993\n"
	    "a,b,1,1,#99999999999999999999999\n"
	    "a,b,1,1,https://example.com/a b\n",
	    "row 2 a|a b|b 1 1 #12 [(null)] [(null)] [(null)]\n"
	    "row 3 a|a b|b 1 1 #7 [(null)] [(null)] [(null)]\n"
	    "row 4 a|a b|b 1 1 #9007199254740992 [(null)] [(null)] "
	    "[(null)]\n"
	    "row 5 a|a b|b 1 1 https://Example.com/X [(null)] [(null)] "
	    "[(null)]\n"
	    "error 6 source: a source is an http(s) URL or #ID of an "
	    "existing source\n"
	    "error 7 source: a source is an http(s) URL or #ID of an "
	    "existing source\n"
	    "error 8 source: a source is required\n"
	    "error 9 source: a source id is # and a number, as in #12\n"
	    "error 10 source: a source id is a positive number, as in #12\n"
	    "error 11 source: a source id is # and a number, as in #12\n"
	    "error 12 source: a source id is # and a number, as in #12\n"
	    "error 13 source: the source id is too large\n"
	    "error 14 source: the source id is too large\n"
	    "error 15 source: a source is an http(s) URL or #ID of an "
	    "existing source\n"
	    "finish 0 rows 4 errors 10\n");
}

/* Every bad field of a row is reported, and the row is not handed on. */
static void
test_all_field_errors(void **state)
{
	(void)state;
	expect(HEADER ",,2020.5,1\x2c" "5,nope\n"
	    "a,b,1,1,#1\n",
	    "error 2 -: expected 5 fields, found 6\n"
	    "row 3 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 1 errors 1\n");
	expect("source,value,year,variable,place\n"
	    "nope,12abc,2020.5,,\n",
	    "error 2 source: a source is an http(s) URL or #ID of an "
	    "existing source\n"
	    "error 2 value: not a number: a value is digits with an "
	    "optional sign, point and exponent, as in -12.5 or 1.5e6\n"
	    "error 2 year: a year is a whole number, as in 2020\n"
	    "error 2 variable: a variable is required\n"
	    "error 2 place: a place is required\n"
	    "finish 0 rows 0 errors 5\n");
}

static void
test_not_utf8(void **state)
{
	(void)state;
	expect("place,variable,year,value,source,note\n"
	    "Caf\xe9,b,1,1,#1,ok\n"
	    "a,b,1,1,#1,caf\xe9\n"
	    "a,b\xc0\xaf,1,1,#1,\n"
	    "a,b,1,1,#1,\xed\xa0\x80\n",
	    "error 2 place: the text is not valid UTF-8; save the file as "
	    "UTF-8\n"
	    "error 3 note: the text is not valid UTF-8; save the file as "
	    "UTF-8\n"
	    "error 4 variable: the text is not valid UTF-8; save the file "
	    "as UTF-8\n"
	    "error 5 note: the text is not valid UTF-8; save the file as "
	    "UTF-8\n"
	    "finish 0 rows 0 errors 4\n");
	expect_n("place,variable,year,value,source,note\n"
	    "a,b,1,1,#1,x\0y\n", 52,
	    "error 2 note: the text holds a NUL byte\n"
	    "finish 0 rows 0 errors 1\n");
}

static void
test_quotes(void **state)
{
	(void)state;
	/* Quoted fields, doubled quotes, commas and newlines inside. */
	expect("place,variable,year,value,source,note\n"
	    "\"a\",\"b\",\"1\",\"1\",\"#1\",\"say \"\"hi\"\", ok\"\n"
	    "a,b,1,1,#1,\"\"\"\"\n"
	    "a,b,1,1,#1,\"\"\n",
	    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] [say \"hi\", ok]\n"
	    "row 3 a|a b|b 1 1 #1 [(null)] [(null)] [\"]\n"
	    "row 4 a|a b|b 1 1 #1 [(null)] [(null)] []\n"
	    "finish 0 rows 3 errors 0\n");
	/* Stray quotes: the row is reported, reading goes on. */
	expect(HEADER
	    "a,b\"c,1,1,#1\n"
	    "a,\"b\"c,1,1,#1\n"
	    "a, \"b\",1,1,#1\n"
	    "a,\"b\" ,1,1,#1\n"
	    "a,\"b\n"
	    "x\"y,1,1,#1\n"
	    "a,b,1,1,#1\n",
	    "error 2 variable: a quote in a field that does not start with "
	    "one; quote the whole field, write each quote in it as two "
	    "(\"\"), and leave no space before the opening quote\n"
	    "error 3 variable: a closing quote must be followed by a comma "
	    "or the end of the line; inside quotes, write a quote as two "
	    "(\"\")\n"
	    "error 4 variable: a quote in a field that does not start with "
	    "one; quote the whole field, write each quote in it as two "
	    "(\"\"), and leave no space before the opening quote\n"
	    "error 5 variable: a closing quote must be followed by a comma "
	    "or the end of the line; inside quotes, write a quote as two "
	    "(\"\")\n"
	    "error 6 variable: a closing quote must be followed by a comma "
	    "or the end of the line; inside quotes, write a quote as two "
	    "(\"\")\n"
	    "row 8 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "finish 0 rows 1 errors 5\n");
}

static void
test_unterminated_quote(void **state)
{
	(void)state;
	expect(HEADER
	    "a,b,1,1,#1\n"
	    "a,b,1,1,\"#1\n"
	    "a,b,1,1,#1\n",
	    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "error 3 source: a quoted field is not closed: its closing "
	    "quote is missing\n"
	    "finish -1 rows 1 errors 1\n");
	expect(HEADER "\"", "error 2 place: a quoted field is not closed: "
	    "its closing quote is missing\n"
	    "finish -1 rows 0 errors 1\n");
	expect("place,\"variable,year,value,source\n",
	    "error 1 -: a quoted field is not closed: its closing quote is "
	    "missing\n"
	    "finish -1 rows 0 errors 1\n");
}

/* FACTCSV_FIELD_MAX bytes are fine; one more stops the reading. */
static void
test_long_fields(void **state)
{
	struct buf	 b;
	char		*got;
	size_t		 start;
	int		 quoted;

	(void)state;
	for (quoted = 0; quoted < 2; quoted++) {
		buf_init(&b);
		buf_puts(&b, "place,variable,year,value,source,note\n"
		    "a,b,1,1,#1,");
		if (quoted)
			buf_putc(&b, '"');
		start = b.len;
		while (b.len - start < FACTCSV_FIELD_MAX)
			buf_putc(&b, 'x');
		if (quoted)
			buf_putc(&b, '"');
		buf_puts(&b, "\na,b,1,1,#1,ok\n");
		got = read_split(b.data, b.len, 4096);
		assert_string_equal(got, "error 2 note: the note is longer "
		    "than 2000 characters\n"
		    "row 3 a|a b|b 1 1 #1 [(null)] [(null)] [ok]\n"
		    "finish 0 rows 1 errors 1\n");
		free(got);
		buf_free(&b);

		buf_init(&b);
		buf_puts(&b, "place,variable,year,value,source,note\n"
		    "a,b,1,1,#1,ok\n"
		    "a,b,1,1,#1,");
		if (quoted)
			buf_putc(&b, '"');
		start = b.len;
		while (b.len - start < FACTCSV_FIELD_MAX + 1)
			buf_putc(&b, 'x');
		if (quoted)
			buf_putc(&b, '"');
		buf_puts(&b, "\na,b,1,1,#1,ok\n");
		got = read_all(b.data, b.len);
		assert_string_equal(got,
		    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] [ok]\n"
		    "error 3 note: the field is longer than 65536 bytes\n"
		    "stop\nfinish -1 rows 1 errors 1\n");
		free(got);
		buf_free(&b);
	}
}

/*
 * An unclosed quote early in a large file: the reading stops once the
 * field is too long, with a hint, instead of growing without end.
 */
static void
test_memory_bounded(void **state)
{
	struct factcsv_sink	 sink;
	struct factcsv		*p;
	struct rec		 rec;
	char			 block[65536];
	int			 i, rc;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	buf_init(&rec.out);
	sink.arg = &rec;
	sink.row = rec_row;
	sink.error = rec_error;
	p = factcsv_new(&sink);
	assert_int_equal(factcsv_feed(p, HEADER "a,\"b,1,1,#1\n",
	    strlen(HEADER) + 12), 0);
	for (i = 0; i < 32 * 1024 * 1024 / (int)sizeof(block); i++) {
		memset(block, 'x', sizeof(block));
		block[100] = '\n';
		if ((rc = factcsv_feed(p, block, sizeof(block))) == -1)
			break;
	}
	assert_int_equal(rc, -1);
	assert_true(i <= 1);
	assert_int_equal(factcsv_finish(p), -1);
	assert_string_equal(buf_cstr(&rec.out), "error 2 variable: the field "
	    "is longer than 65536 bytes; is a closing quote missing?\n");
	factcsv_free(p);
	buf_free(&rec.out);
}

static void
test_text_limits(void **state)
{
	struct buf	 b;
	char		*got;
	int		 i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "place,variable,year,value,source,unit,source_title,"
	    "note\n");
	/* 200 two-byte letters: a name at the limit; then one over. */
	buf_puts(&b, "\"");
	for (i = 0; i < 200; i++)
		buf_puts(&b, "\xc3\xa9");
	buf_puts(&b, "\",b,1,1,#1,,,\n\"");
	for (i = 0; i < 201; i++)
		buf_puts(&b, "\xc3\xa9");
	buf_puts(&b, "\",b,1,1,#1,,,\n");
	buf_puts(&b, "a,b,1,1,#1,");
	for (i = 0; i < 101; i++)
		buf_putc(&b, 'u');
	buf_puts(&b, ",");
	for (i = 0; i < 501; i++)
		buf_putc(&b, 't');
	buf_puts(&b, ",");
	for (i = 0; i < 2001; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "\n");
	buf_puts(&b, "a,b,1,1,#1,kg\x01,T\tT,\"line\nbreak\ttab\x7f\"\n");
	got = read_all(b.data, b.len);
	assert_non_null(strstr(got, "row 2 \xc3\xa9\xc3\xa9"));
	assert_non_null(strstr(got, "|eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	    "eeeeeeeeeeeeeeeeeeeeee b|b"));
	assert_non_null(strstr(got, "error 3 place: the place name is longer "
	    "than 200 characters\n"
	    "error 4 unit: the unit is longer than 100 characters\n"
	    "error 4 source_title: the source title is longer than 500 "
	    "characters\n"
	    "error 4 note: the note is longer than 2000 characters\n"
	    "error 5 unit: the text holds a line break or another control "
	    "character\n"
	    "error 5 source_title: the text holds a line break or another "
	    "control character\n"
	    "error 5 note: the text holds a control character\n"
	    "finish 0 rows 1 errors 7\n"));
	free(got);
	buf_free(&b);
}

static void
test_row_callback_stops(void **state)
{
	struct factcsv_sink	 sink;
	struct factcsv		*p;
	struct rec		 rec;
	const char		*in = HEADER "a,b,1,1,#1\nc,d,1,1,#1\n"
				    "e,f,1,1,#1\n";

	(void)state;
	memset(&rec, 0, sizeof(rec));
	buf_init(&rec.out);
	rec.stop_at = 2;
	sink.arg = &rec;
	sink.row = rec_row;
	sink.error = rec_error;
	p = factcsv_new(&sink);
	assert_int_equal(factcsv_feed(p, in, strlen(in)), -1);
	assert_int_equal(factcsv_feed(p, in, strlen(in)), -1);
	assert_int_equal(factcsv_finish(p), -1);
	assert_int_equal(factcsv_rows(p), 2);
	assert_int_equal(factcsv_errors(p), 0);
	assert_string_equal(buf_cstr(&rec.out),
	    "row 2 a|a b|b 1 1 #1 [(null)] [(null)] [(null)]\n"
	    "row 3 c|c d|d 1 1 #1 [(null)] [(null)] [(null)]\n");
	factcsv_free(p);
	buf_free(&rec.out);
}

/* Sinks may leave out the error callback, or both. */
static void
test_null_callbacks(void **state)
{
	struct factcsv_sink	 sink;
	struct factcsv		*p;
	const char		*in = HEADER "a,b,1,1,#1\nx,y,z,1,#1\n";

	(void)state;
	memset(&sink, 0, sizeof(sink));
	p = factcsv_new(&sink);
	assert_int_equal(factcsv_feed(p, in, strlen(in)), 0);
	assert_int_equal(factcsv_finish(p), 0);
	assert_int_equal(factcsv_rows(p), 1);
	assert_int_equal(factcsv_errors(p), 1);
	factcsv_free(p);
	factcsv_free(NULL);
}

static void
test_columns_table(void **state)
{
	(void)state;
	assert_string_equal(factcsv_columns[FACTCSV_PLACE], "place");
	assert_string_equal(factcsv_columns[FACTCSV_VARIABLE], "variable");
	assert_string_equal(factcsv_columns[FACTCSV_YEAR], "year");
	assert_string_equal(factcsv_columns[FACTCSV_VALUE], "value");
	assert_string_equal(factcsv_columns[FACTCSV_SOURCE], "source");
	assert_string_equal(factcsv_columns[FACTCSV_UNIT], "unit");
	assert_string_equal(factcsv_columns[FACTCSV_SOURCE_TITLE],
	    "source_title");
	assert_string_equal(factcsv_columns[FACTCSV_NOTE], "note");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_all_columns),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_gapminder),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_header_problems),
		cmocka_unit_test(test_many_unknown_columns),
		cmocka_unit_test(test_field_count),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_places_and_variables),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_all_field_errors),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_long_fields),
		cmocka_unit_test(test_memory_bounded),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_row_callback_stops),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test(test_columns_table),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
