/*
 * SVG charts: one circle per observation, escaping, nice ticks, gaps,
 * signs, edge cases, and well-formed XML every time.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "core/buf.h"
#include "core/svg.h"

static size_t	 count(const char *, const char *);
static const char *well_formed(const char *);
static const char *entity(const char *);
static char	*line_chart(const struct svg_series *, size_t, const char *,
		    const char *);
static char	*chart_json(int (*)(struct buf *, const json_t *,
		    struct buf *), const char *, int);
static int	 is_nice(double);
static void	 same_as_file(char *, const char *);

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static size_t
count(const char *hay, const char *needle)
{
	size_t	 n;

	for (n = 0; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return (n);
}

/* The end of an entity reference at s ('&'), or NULL. */
static const char *
entity(const char *s)
{
	static const char *const names[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"
	};
	size_t	 i;

	for (i = 0; i < N(names); i++) {
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return (s + strlen(names[i]));
	}
	if (s[1] != '#')
		return (NULL);
	s += 2;
	if (*s == 'x') {
		for (s++, i = 0; strchr("0123456789abcdefABCDEF", *s) &&
		    *s != '\0'; s++, i++)
			;
	} else {
		for (i = 0; *s >= '0' && *s <= '9'; s++, i++)
			;
	}
	return (i > 0 && *s == ';' ? s + 1 : NULL);
}

/*
 * A small XML checker: one root element, tags balanced, attributes
 * quoted and unique, '<' never in text or values, '&' only as an entity.
 * Returns NULL, or why not.
 */
static const char *
well_formed(const char *s)
{
	char		 stack[64][32], attrs[32][32], name[32];
	size_t		 depth, roots, len, na, i;
	char		 q;

	depth = roots = 0;
	while (*s != '\0') {
		if (*s != '<') {
			if (depth == 0 && !strchr(" \t\r\n", *s))
				return ("text outside the root");
			if (*s == '&') {
				if ((s = entity(s)) == NULL)
					return ("bad entity in text");
				continue;
			}
			if (*s == '>' && s[-1] == ']' && s[-2] == ']')
				return ("]]> in text");
			s++;
			continue;
		}
		if (strncmp(s, "<!--", 4) == 0) {
			if ((s = strstr(s + 4, "-->")) == NULL)
				return ("open comment");
			s += 3;
			continue;
		}
		if (s[1] == '/') {
			s += 2;
			len = strcspn(s, " \t\r\n>");
			if (depth == 0 || len >= sizeof(name) ||
			    strlen(stack[depth - 1]) != len ||
			    strncmp(stack[depth - 1], s, len) != 0)
				return ("unbalanced end tag");
			depth--;
			s += len;
			s += strspn(s, " \t\r\n");
			if (*s++ != '>')
				return ("bad end tag");
			continue;
		}
		s++;
		len = strcspn(s, " \t\r\n/>");
		if (len == 0 || len >= sizeof(name))
			return ("bad tag name");
		memcpy(name, s, len);
		name[len] = '\0';
		s += len;
		na = 0;
		for (;;) {
			s += strspn(s, " \t\r\n");
			if (*s == '>' || (s[0] == '/' && s[1] == '>'))
				break;
			len = strcspn(s, " \t\r\n=/>");
			if (len == 0 || len >= sizeof(attrs[0]) ||
			    na == N(attrs))
				return ("bad attribute name");
			for (i = 0; i < na; i++) {
				if (strlen(attrs[i]) == len &&
				    strncmp(attrs[i], s, len) == 0)
					return ("duplicate attribute");
			}
			memcpy(attrs[na], s, len);
			attrs[na++][len] = '\0';
			s += len;
			if (*s++ != '=')
				return ("attribute without a value");
			if ((q = *s++) != '"' && q != '\'')
				return ("unquoted attribute");
			while (*s != q) {
				if (*s == '\0' || *s == '<')
					return ("bad attribute value");
				if (*s == '&') {
					if ((s = entity(s)) == NULL)
						return ("bad entity in value");
				} else
					s++;
			}
			s++;
		}
		if (*s == '/') {
			s += 2;
			if (depth == 0)
				roots++;
		} else {
			s++;
			if (depth == N(stack))
				return ("too deep");
			if (depth == 0)
				roots++;
			(void)snprintf(stack[depth++], sizeof(stack[0]), "%s",
			    name);
		}
	}
	if (depth != 0)
		return ("unclosed element");
	if (roots != 1)
		return ("not exactly one root element");
	return (NULL);
}

#define WELL_FORMED(s) do {						\
	const char *why_ = well_formed(s);				\
	if (why_ != NULL)						\
		fail_msg("not well-formed: %s:\n%s", why_, s);		\
} while (0)

static char *
line_chart(const struct svg_series *s, size_t n, const char *title,
    const char *unit)
{
	struct buf	 b;
	char		*out;

	buf_init(&b);
	assert_int_equal(svg_line_chart(&b, s, n, title, unit), 0);
	out = buf_release(&b);
	WELL_FORMED(out);
	return (out);
}

/* fn over the JSON text; want is the return value expected. */
static char *
chart_json(int (*fn)(struct buf *, const json_t *, struct buf *),
    const char *text, int want)
{
	struct buf	 b, err;
	json_error_t	 e;
	json_t		*j;

	buf_init(&b);
	buf_init(&err);
	if ((j = json_loads(text, JSON_DECODE_ANY, &e)) == NULL)
		fail_msg("bad JSON in test: %s", e.text);
	assert_int_equal(fn(&b, j, &err), want);
	json_decref(j);
	if (want == 0) {
		WELL_FORMED(buf_cstr(&b));
		buf_free(&err);
		return (buf_release(&b));
	}
	assert_int_equal(b.len, 0);
	buf_free(&b);
	return (buf_release(&err));
}

/* out (freed) is byte for byte the file tests/unit/charts/name. */
static void
same_as_file(char *out, const char *name)
{
	struct buf	 want;
	char		 path[256], chunk[4096];
	FILE		*f;
	size_t		 n;

	(void)snprintf(path, sizeof(path), "tests/unit/charts/%s", name);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot read %s", path);
	buf_init(&want);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&want, chunk, n);
	fclose(f);
	assert_string_equal(out, buf_cstr(&want));
	buf_free(&want);
	free(out);
}

/* 1, 2 or 5 times a power of ten. */
static int
is_nice(double x)
{
	double	 m;

	m = x / pow(10.0, floor(log10(x)));
	return (fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 ||
	    fabs(m - 5) < 1e-9);
}

static const int	 years11[] = { 1955, 1960, 1965, 1970, 1975, 1980,
			    1985, 1990, 1995, 2000, 2005 };
static const char *const afg[] = { "43.88", "45.03", "46.13", "47.08",
			    "47.55", "43.68", "42.03", "53.83", "54.33",
			    "54.73", "56.2" };

static void
test_checker(void **state)
{
	(void)state;
	assert_null(well_formed("<a x=\"1\" y='&amp;'><b/>t&#39;&#x27;</a>\n"));
	assert_non_null(well_formed("<a><b></a></b>"));
	assert_non_null(well_formed("<a x=\"<\"/>"));
	assert_non_null(well_formed("<a>&</a>"));
	assert_non_null(well_formed("<a x=1/>"));
	assert_non_null(well_formed("<a x=\"1\" x=\"2\"/>"));
	assert_non_null(well_formed("<a/><b/>"));
	assert_non_null(well_formed("<a>"));
}

static void
test_circles(void **state)
{
	static const int	 y2[] = { 2000, 2001, 2002, 2003, 2004, 2005 };
	static const char *const v2[] = { "1", "n/a", "3", "", "5", "6" };
	struct svg_series	 s[2] = {
		{ "Afghanistan", N(years11), years11, afg },
		{ "Elsewhere", N(y2), y2, v2 },
	};
	char			*out;

	(void)state;
	out = line_chart(s, 2, "Life expectancy", "years");
	/* Values that are not decimals are no observations. */
	assert_int_equal(count(out, "<circle"), 11 + 4);
	assert_int_equal(count(out, "</circle>"), 11 + 4);
	assert_non_null(strstr(out, "<title>Afghanistan, 1955: 43.88 years"
	    "</title>"));
	assert_non_null(strstr(out, "<title>Afghanistan, 2005: 56.2 years"
	    "</title>"));
	assert_null(strstr(out, "n/a"));
	assert_non_null(strstr(out, "role=\"img\""));
	assert_non_null(strstr(out, "viewBox=\"0 0 640 320\""));
	assert_non_null(strstr(out, "width=\"100%\""));
	assert_non_null(strstr(out, "<title>Life expectancy</title>"));
	assert_non_null(strstr(out, "<desc>Line chart in years. Afghanistan: "
	    "11 observations, 1955: 43.88 to 2005: 56.2. Elsewhere: 4 "
	    "observations, 2000: 1 to 2005: 6.</desc>"));
	assert_non_null(strstr(out, "class=\"legend\""));
	assert_non_null(strstr(out, "class=\"series series-1\""));
	free(out);
}

static void
test_exact_text(void **state)
{
	static const int	 y[] = { 2000, 2001, 2002 };
	static const char *const v[] = { "2.50", "1.5e6", "-0.170" };
	struct svg_series	 s = { "P", 3, y, v };
	char			*out;

	(void)state;
	out = line_chart(&s, 1, "T", "");
	assert_non_null(strstr(out, "<title>P, 2000: 2.50</title>"));
	assert_non_null(strstr(out, "<title>P, 2001: 1.5e6</title>"));
	assert_non_null(strstr(out, "<title>P, 2002: -0.170</title>"));
	free(out);
}

static void
test_escaping(void **state)
{
	static const int	 y[] = { 2000, 2001 };
	static const char *const v[] = { "1", "2" };
	struct svg_series	 s[2] = {
		{ "<script>&\"'", 2, y, v },
		{ "Plain", 2, y, v },
	};
	char			*out;

	(void)state;
	out = line_chart(s, 2, "<b>Title</b> & \"more\"",
	    "<i>unit</i>");
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "<b>"));
	assert_null(strstr(out, "<i>"));
	assert_non_null(strstr(out, "<title>&lt;script&gt;&amp;&quot;&#39;, "
	    "2000: 1 &lt;i&gt;unit&lt;/i&gt;</title>"));
	assert_non_null(strstr(out, "aria-label=\"&lt;b&gt;Title&lt;/b&gt; "
	    "&amp; &quot;more&quot;\""));
	/* In the legend too. */
	assert_non_null(strstr(out, ">&lt;script&gt;&amp;&quot;&#39;</text>"));
	free(out);
}

/* One coordinate as svg_coord() writes it, and as printf does. */
static void
coord_is_printf(double x)
{
	struct buf	 b;
	char		 want[512];

	buf_init(&b);
	svg_coord(&b, x);
	(void)snprintf(want, sizeof(want), "%.1f", fabs(x) < 0.05 ? 0.0 : x);
	if (strcmp(buf_cstr(&b), want) != 0)
		fail_msg("%.17g: svg_coord wrote %s, printf %s", x,
		    buf_cstr(&b), want);
	buf_free(&b);
}

/*
 * Coordinates are written without printf, and must not differ from it by
 * a byte: ties (k + 0.25 rounds to even), tenths that no double holds,
 * both signs, the edges of the fast path, and a million at random.
 */
static void
test_coord_matches_printf(void **state)
{
	static const double	 some[] = {
		0.0, -0.0, 0.04999, 0.05, -0.05, 0.05000000000000001, 0.15,
		0.25, 0.35, 0.45, 0.75, 1.25, -1.25, 2.5, 12.25, 12.75, 99.95,
		-99.95, 639.95, 1e14 + 0.25, 999999999999999.9, 1e15, -1e15,
		1e300, -1e300, 4.9e-324
	};
	uint64_t	 r = 88172645463325252ULL;
	size_t		 i;
	double		 x;
	int		 k;

	(void)state;
	for (i = 0; i < sizeof(some) / sizeof(some[0]); i++)
		coord_is_printf(some[i]);
	coord_is_printf(INFINITY);
	for (k = -100000; k <= 100000; k++) {
		coord_is_printf(k / 20.0);
		coord_is_printf(k / 100.0);
		coord_is_printf(k * 0.05 + 0.25);
	}
	for (i = 0; i < 1000000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		/* Pixels mostly, and now and then far out. */
		x = (double)(int64_t)(r >> 11) / (double)(1ULL << 53);
		x = (x - 0.5) * (i % 10 == 0 ? 2e16 : 2000.0);
		coord_is_printf(x);
	}
}

static void
test_nice_numbers(void **state)
{
	struct svg_axis	 ax;
	double		 lo, hi, e;
	int		 i;

	(void)state;
	assert_true(svg_nice_num(0.7, 1) == 0.5 || svg_nice_num(0.7, 1) == 1);
	assert_true(fabs(svg_nice_num(83, 0) - 100) < 1e-9);
	assert_true(fabs(svg_nice_num(25, 1) - 20) < 1e-9);
	assert_true(fabs(svg_nice_num(0.025, 1) - 0.02) < 1e-12);
	assert_true(fabs(svg_nice_num(0.031, 1) - 0.05) < 1e-12);

	svg_nice_axis(0, 82.5, 5, &ax);
	assert_true(ax.min == 0 && ax.max == 100 && ax.step == 20);
	assert_int_equal(ax.nticks, 6);
	assert_int_equal(ax.nfrac, 0);

	svg_nice_axis(-0.43, 1.02, 5, &ax);
	assert_true(fabs(ax.step - 0.5) < 1e-12);
	assert_true(fabs(ax.min + 0.5) < 1e-12 && fabs(ax.max - 1.5) < 1e-12);
	assert_int_equal(ax.nfrac, 1);

	svg_nice_axis(7971931, 25268405, 5, &ax);
	assert_true(ax.step == 5e6 && ax.min == 5e6 && ax.max == 3e7);

	/* Equal ends are widened, zero too. */
	svg_nice_axis(43.88, 43.88, 5, &ax);
	assert_true(ax.min <= 43.88 && ax.max >= 43.88 && ax.max > ax.min);
	svg_nice_axis(0, 0, 5, &ax);
	assert_true(ax.min < 0 && ax.max > 0);

	/* Whatever the range: nice steps, ticks covering the data. */
	srand(7);
	for (i = 0; i < 10000; i++) {
		e = pow(10, rand() % 20 - 10);
		lo = ((double)rand() / RAND_MAX - 0.5) * e;
		hi = lo + ((double)rand() / RAND_MAX + 0.001) * e /
		    pow(10, rand() % 4);
		svg_nice_axis(lo, hi, 5, &ax);
		assert_true(is_nice(ax.step));
		assert_true(ax.min <= lo + (hi - lo) * 1e-9);
		assert_true(ax.max >= hi - (hi - lo) * 1e-9);
		assert_true(ax.nticks >= 3 && ax.nticks <= 12);
	}
}

static void
test_ticks(void **state)
{
	static const int	 y[] = { 2000, 2001, 2002, 2003 };
	static const char *const v[] = { "28.1", "50", "82.5", "60" };
	static const int	 y2[] = { 2000, 2001 };
	struct svg_series	 s = { "P", 4, y, v };
	struct svg_series	 s2 = { "P", 2, y2, v };
	const char		*p, *e;
	char			*out;
	int			 year;

	(void)state;
	/* 28.1 .. 82.5: zero joins the axis, ticks every 20. */
	out = line_chart(&s, 1, "T", "years");
	assert_non_null(strstr(out, "dy=\"0.32em\">0</text>"));
	assert_non_null(strstr(out, "dy=\"0.32em\">20</text>"));
	assert_non_null(strstr(out, "dy=\"0.32em\">100</text>"));
	assert_null(strstr(out, "dy=\"0.32em\">10</text>"));
	/* Year ticks are whole years, every one here. */
	assert_non_null(strstr(out, ">2000</text>"));
	assert_non_null(strstr(out, ">2001</text>"));
	assert_non_null(strstr(out, ">2003</text>"));
	free(out);

	/* Two years: no 2000.5. */
	out = line_chart(&s2, 1, "T", "");
	p = strstr(out, "class=\"axis axis-x\"");
	e = strstr(p, "</g>");
	assert_int_equal(count(p, "</text>") - count(e, "</text>"), 2);
	assert_null(strstr(out, "2000.5"));
	free(out);

	/* 1955..2005: every ten years, all within the data. */
	{
		struct svg_series sa = { "A", N(years11), years11, afg };

		out = line_chart(&sa, 1, "T", "");
		p = strstr(out, "class=\"axis axis-x\"");
		e = strstr(p, "</g>");
		for (year = 1950; year <= 2010; year += 5) {
			char	 want[32];
			char	*hit;

			(void)snprintf(want, sizeof(want), ">%d</text>",
			    year);
			hit = strstr(p, want);
			if (year % 10 == 0 && year > 1950 && year < 2010)
				assert_true(hit != NULL && hit < e);
			else
				assert_true(hit == NULL || hit > e);
		}
		free(out);
	}
}

/* Boston's population, yearly since 1625: too close for a dot a year. */
static void
test_dense(void **state)
{
	int			 y[400];
	char			 text[400][8];
	const char		*v[400];
	struct svg_series	 s = { "Boston", 0, y, v };
	const char		*alone, *circle;
	char			*out;
	int			 year;

	(void)state;
	for (year = 1625; year <= 2024; year++) {
		/* 1850 alone, between gaps. */
		if ((year > 1800 && year < 1850) || (year > 1850 && year < 1900))
			continue;
		y[s.n] = year;
		(void)snprintf(text[s.n], sizeof(text[0]), "%d", year - 1600);
		v[s.n] = text[s.n];
		s.n++;
	}
	out = line_chart(&s, 1, "T", "");
	/* Every point is there with its tooltip; the dots on lines clear. */
	assert_int_equal(count(out, "<circle"), s.n);
	assert_int_equal(count(out, "<title>Boston, "), s.n);
	assert_int_equal(count(out, "fill-opacity=\"0\""), s.n - 1);
	alone = strstr(out, "<title>Boston, 1850: 250</title>");
	assert_non_null(alone);
	for (circle = alone; strncmp(circle, "<circle", 7) != 0; circle--)
		;
	assert_null(memmem(circle, alone - circle, "fill-opacity", 12));
	assert_int_equal(count(out, "<path"), 2);
	free(out);

	/* Eleven points five years apart: a dot each. */
	s.n = 11;
	for (year = 0; year < 11; year++)
		y[year] = 1955 + 5 * year;
	out = line_chart(&s, 1, "T", "");
	assert_null(strstr(out, "fill-opacity"));
	free(out);
}

static void
test_big_values(void **state)
{
	static const int	 y[] = { 1955, 2005 };
	static const char *const v[] = { "7971931", "25268405" };
	struct svg_series	 s = { "Afghanistan", 2, y, v };
	char			*out;

	(void)state;
	out = line_chart(&s, 1, "Population", "persons");
	assert_non_null(strstr(out, ">30M</text>"));
	assert_non_null(strstr(out, ">0</text>"));
	assert_non_null(strstr(out, "<title>Afghanistan, 2005: 25268405 "
	    "persons</title>"));
	free(out);
}

static void
test_gaps(void **state)
{
	static const int	 y1[] = { 1950, 1955, 1960, 1975, 1980, 1985 };
	static const int	 y2[] = { 2000, 2001, 2002, 2003, 2004, 2006,
				    2007, 2008, 2009, 2010 };
	static const int	 y3[] = { 1950, 1960, 1971, 1981, 1991, 2001 };
	static const int	 y4[] = { 1950, 1955, 1960, 1990, 2020, 2025 };
	static const int	 y5[] = { 2005, 1995, 2000, 1985, 1990 };
	static const char *const v[] = { "1", "2", "3", "4", "5", "6",
				    "7", "8", "9", "10" };
	struct svg_series	 s;
	char			*out;

	(void)state;
	/* Five-yearly, 1965 and 1970 missing: two pieces. */
	s = (struct svg_series){ "P", N(y1), y1, v };
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "<path"), 2);
	assert_int_equal(count(out, "<circle"), 6);
	free(out);

	/* Annual, 2005 missing: two pieces. */
	s = (struct svg_series){ "P", N(y2), y2, v };
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "<path"), 2);
	free(out);

	/* Census years, 10 or 11 apart: one line. */
	s = (struct svg_series){ "P", N(y3), y3, v };
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "<path"), 1);
	free(out);

	/* A point alone between gaps has its circle, no line. */
	s = (struct svg_series){ "P", N(y4), y4, v };
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "<path"), 2);
	assert_int_equal(count(out, "<circle"), 6);
	free(out);

	/* Unsorted input is drawn in year order: one line. */
	s = (struct svg_series){ "P", N(y5), y5, v };
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "<path"), 1);
	assert_int_equal(count(out, " L"), 4);
	assert_non_null(strstr(out, "<desc>Line chart. P: 5 observations, "
	    "1985: 4 to 2005: 1.</desc>"));
	free(out);
}

static void
test_signs(void **state)
{
	static const int	 y[] = { 2000, 2001, 2002, 2003 };
	static const char *const mixed[] = { "-0.43", "0.1", "1.02", "0.5" };
	static const char *const neg[] = { "-10", "-20", "-80", "-50" };
	static const char *const pos[] = { "95", "96", "100", "98" };
	struct svg_series	 s = { "P", 4, y, mixed };
	char			*out;

	(void)state;
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "class=\"zero\""), 1);
	assert_non_null(strstr(out, ">-0.5</text>"));
	assert_non_null(strstr(out, ">1.5</text>"));
	assert_null(strstr(out, "-0.0"));
	free(out);

	/* All negative: zero is the top of the axis. */
	s.values = neg;
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "class=\"zero\""), 1);
	assert_non_null(strstr(out, ">0</text>"));
	assert_non_null(strstr(out, ">-80</text>"));
	free(out);

	/* 95..100: far from zero, the axis zooms in. */
	s.values = pos;
	out = line_chart(&s, 1, "T", "");
	assert_int_equal(count(out, "class=\"zero\""), 0);
	assert_null(strstr(out, ">0</text>"));
	assert_non_null(strstr(out, ">95</text>"));
	free(out);
}

static void
test_single_and_empty(void **state)
{
	static const int	 y[] = { -500 };
	static const char *const v[] = { "43.88" };
	static const char *const bad[] = { "x" };
	struct svg_series	 s = { "Athens", 1, y, v };
	char			*out;
	struct buf		 b;
	struct svg_series	 many[SVG_MAX_SERIES + 1];

	(void)state;
	out = line_chart(&s, 1, "T", "persons");
	assert_int_equal(count(out, "<circle"), 1);
	assert_int_equal(count(out, "<path"), 0);
	assert_non_null(strstr(out, ">-500</text>"));
	assert_non_null(strstr(out, "<title>Athens, -500: 43.88 persons"));
	assert_null(strstr(out, "No data"));
	free(out);

	s.values = bad;
	out = line_chart(&s, 1, "T", "");
	assert_non_null(strstr(out, ">No data</text>"));
	assert_int_equal(count(out, "<circle"), 0);
	free(out);

	s.n = 0;
	out = line_chart(&s, 1, NULL, NULL);
	assert_non_null(strstr(out, ">No data</text>"));
	assert_non_null(strstr(out, "<title>Chart</title>"));
	free(out);
	out = line_chart(NULL, 0, "T", "");
	assert_non_null(strstr(out, ">No data</text>"));
	free(out);

	/* Values no double can space out are left undrawn, not NaN. */
	{
		static const int	 yx[] = { 1, 2, 3, 4, 5 };
		static const char *const vx[] = { "1e308", "-1e308",
					    "5e-324", "1e-200", "0" };
		struct svg_series	 sx = { "X", 5, yx, vx };
		struct svg_axis		 ax;

		out = line_chart(&sx, 1, "T", "");
		assert_int_equal(count(out, "<circle"), 1);
		assert_null(strstr(out, "nan"));
		free(out);
		svg_nice_axis(-1e308, 1e308, 5, &ax);
		assert_true(isfinite(ax.step) && ax.nticks < 20);
		svg_nice_axis(0, 5e-324, 5, &ax);
		assert_true(ax.step > 0 && ax.nticks < 20);
	}

	memset(many, 0, sizeof(many));
	buf_init(&b);
	assert_int_equal(svg_line_chart(&b, many, N(many), "T", ""), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(svg_line_chart(&b, many, SVG_MAX_SERIES, "T", ""), 0);
	WELL_FORMED(buf_cstr(&b));
	buf_free(&b);
}

static void
test_legend(void **state)
{
	static const int	 y[] = { 2000, 2001 };
	static const char *const v[] = { "1", "2" };
	struct svg_series	 s[3] = {
		{ "A", 2, y, v },
		{ "The Democratic Republic of the Congo", 2, y, v },
		{ "C", 2, y, v },
	};
	char			*out;

	(void)state;
	out = line_chart(s, 3, "T", "");
	assert_int_equal(count(out, "class=\"legend\""), 1);
	assert_int_equal(count(out, "<rect"), 1 + 3);
	/* Long names are cut, with the whole name as a tooltip. */
	assert_non_null(strstr(out, "<title>The Democratic Republic of the "
	    "Congo</title>The Democratic R\xe2\x80\xa6</text>"));
	free(out);
	out = line_chart(s, 1, "T", "");
	assert_null(strstr(out, "legend"));
	free(out);
}

static void
test_sparkline(void **state)
{
	static const char *const v[] = { "43.88", "45.03", "46.13", "47.08",
				    "47.55", "43.68", "42.03", "53.83",
				    "54.33", "54.73", "56.2" };
	struct svg_series	 s = { "Afghanistan", N(years11), years11, v };
	struct buf		 b;

	(void)state;
	buf_init(&b);
	assert_int_equal(svg_sparkline(&b, &s, "Life expectancy", "years"), 0);
	WELL_FORMED(buf_cstr(&b));
	assert_non_null(strstr(b.data, "viewBox=\"0 0 100 24\" width=\"100\" "
	    "height=\"24\""));
	assert_int_equal(count(b.data, "<circle"), 1);
	assert_int_equal(count(b.data, "<path"), 1);
	assert_non_null(strstr(b.data, "<title>Afghanistan, 2005: 56.2 years"
	    "</title></circle>"));
	assert_null(strstr(b.data, "<text"));

	buf_reset(&b);
	s.n = 0;
	assert_int_equal(svg_sparkline(&b, &s, NULL, NULL), 0);
	WELL_FORMED(buf_cstr(&b));
	assert_non_null(strstr(b.data, "No data"));
	buf_free(&b);
}

static void
test_bars(void **state)
{
	static const struct svg_bar bars[] = {
		{ "Alice", 300, "3.00" },
		{ "Bob", 800, "8.00" },
		{ "Charlie", 0, "0.00" },
		{ "Diane", 0, "0.00" },
		{ "<Eleanor>", -5200, "-52.00" },
		{ "Fred", -100200, "-1002.00" },
	};
	struct buf	 b;

	(void)state;
	buf_init(&b);
	assert_int_equal(svg_bar_chart(&b, bars, N(bars), "Net values",
	    "EUR"), 0);
	WELL_FORMED(buf_cstr(&b));
	assert_int_equal(count(b.data, "<rect"), 1 + N(bars));
	assert_int_equal(count(b.data, "class=\"bar pos\""), 4);
	assert_int_equal(count(b.data, "class=\"bar neg\""), 2);
	assert_int_equal(count(b.data, "class=\"zero\""), 1);
	assert_non_null(strstr(b.data, "<title>&lt;Eleanor&gt;: -52.00 EUR"
	    "</title>"));
	assert_non_null(strstr(b.data, ">-1002.00</text>"));
	assert_null(strstr(b.data, "<Eleanor"));
	assert_non_null(strstr(b.data, "<desc>Bar chart of 6 values in EUR: "
	    "2 positive, 2 negative.</desc>"));

	buf_reset(&b);
	assert_int_equal(svg_bar_chart(&b, NULL, 0, NULL, NULL), 0);
	WELL_FORMED(buf_cstr(&b));
	assert_non_null(strstr(b.data, "No data"));

	buf_reset(&b);
	assert_int_equal(svg_bar_chart(&b, bars, SVG_MAX_BARS + 1, "T", ""),
	    -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_json(void **state)
{
	char	*out;

	(void)state;
	out = chart_json(svg_line_chart_json, "{\"place\":{\"slug\":\"afg\","
	    "\"name\":\"Afghanistan\"},\"variable\":{\"slug\":\"le\","
	    "\"name\":\"Life expectancy\",\"unit\":\"years\"},"
	    "\"observations\":[{\"year\":1955,\"value\":\"43.88\","
	    "\"source\":1},{\"year\":1960,\"value\":45.03},"
	    "{\"year\":1965,\"value\":null},{\"year\":1970,\"value\":47}],"
	    "\"sources\":[{\"id\":1}]}", 0);
	assert_int_equal(count(out, "<circle"), 3);
	assert_non_null(strstr(out, "<title>Life expectancy in Afghanistan"
	    "</title>"));
	/* A JSON number is its shortest decimal, not 45.030000000000001. */
	assert_non_null(strstr(out, "Afghanistan, 1960: 45.03 years"));
	assert_non_null(strstr(out, "Afghanistan, 1970: 47 years"));
	free(out);

	out = chart_json(svg_line_chart_json, "{\"title\":\"Compare\",\"unit\":"
	    "\"u\",\"series\":[{\"place\":{\"slug\":\"a\"},\"observations\":"
	    "[{\"year\":1,\"value\":\"1\"}]},{\"place\":{\"name\":\"B\"},"
	    "\"observations\":[]}]}", 0);
	assert_non_null(strstr(out, "<title>Compare</title>"));
	assert_non_null(strstr(out, "<title>a, 1: 1 u</title>"));
	assert_non_null(strstr(out, "B: no data."));
	free(out);

	out = chart_json(svg_line_chart_json, "[{\"observations\":[]}]", 0);
	assert_non_null(strstr(out, "No data"));
	free(out);

	out = chart_json(svg_sparkline_json, "[{\"place\":{\"name\":\"X\"},"
	    "\"observations\":[{\"year\":1,\"value\":\"2\"}]},{\"bad\":1}]", 0);
	assert_non_null(strstr(out, "X, 1: 2"));
	free(out);

	out = chart_json(svg_bar_chart_json, "{\"title\":\"Net\",\"unit\":"
	    "\"EUR\",\"bars\":[{\"label\":\"a\",\"value\":\"5\"},"
	    "{\"label\":\"b\",\"value\":\"-5.00\"}]}", 0);
	assert_non_null(strstr(out, "<title>b: -5.00 EUR</title>"));
	assert_non_null(strstr(out, ">5</text>"));
	free(out);

	/* Other shapes are refused with a reason. */
#define REFUSED(fn, text, msg) do {					\
	char *e_ = chart_json(fn, text, -1);				\
	assert_string_equal(e_, msg);					\
	free(e_);							\
} while (0)
	REFUSED(svg_line_chart_json, "\"x\"",
	    "not a series, nor a list of series");
	REFUSED(svg_line_chart_json, "{\"place\":{}}",
	    "not a series, nor a list of series");
	REFUSED(svg_line_chart_json, "[1]",
	    "series 0 has no observations array");
	REFUSED(svg_line_chart_json, "{\"observations\":[{\"year\":\"1955\"}]}",
	    "series 0, observation 0: the year is not a whole number");
	REFUSED(svg_line_chart_json, "{\"observations\":[{\"year\":1e10}]}",
	    "series 0, observation 0: the year is not a whole number");
	REFUSED(svg_line_chart_json, "[{\"observations\":[]},"
	    "{\"observations\":[]},{\"observations\":[]},{\"observations\":[]},"
	    "{\"observations\":[]},{\"observations\":[]},{\"observations\":[]},"
	    "{\"observations\":[]},{\"observations\":[]},{\"observations\":[]},"
	    "{\"observations\":[]}]", "11 series, more than 10 on one chart");
	REFUSED(svg_bar_chart_json, "{\"x\":1}", "not a list of bars");
	REFUSED(svg_bar_chart_json, "[{\"label\":\"a\",\"value\":\"1.234\"}]",
	    "bar 0: the value is not an amount such as \"-52.00\"");
	REFUSED(svg_bar_chart_json, "[{\"label\":\"a\",\"value\":5}]",
	    "bar 0: the value is not an amount such as \"-52.00\"");
#undef REFUSED
}

/*
 * Whole line charts, kept as files: however the drawing is arranged, it
 * draws the same bytes.  Three series (a gap, a value that is no decimal,
 * negative values, markup in the text, one without data); a dense line
 * with a point alone; one year; no data at all.  And a bar chart.
 */
static void
test_pinned(void **state)
{
	static const int	 ya[] = { 1950, 1955, 1960, 1975, 1980 };
	static const char *const va[] = { "-2.5", "1", "3.25", "4", "x" };
	static const int	 yb[] = { 1950, 1980 };
	static const char *const vb[] = { "0.5", "-1" };
	static const int	 yd[] = { 1900, 1901, 1902, 1950, 1999, 2000 };
	static const char *const vd[] = { "1", "2", "3", "4", "5", "6" };
	static const int	 y1[] = { 2000 };
	static const char *const v1[] = { "42" };
	struct svg_series	 three[3] = {
		{ "A", N(ya), ya, va },
		{ "B & <C>", N(yb), yb, vb },
		{ "E", 0, NULL, NULL },
	};
	struct svg_series	 dense = { "D", N(yd), yd, vd };
	struct svg_series	 one = { "O", N(y1), y1, v1 };
	struct svg_series	 none = { "N", 0, NULL, NULL };
	static const struct svg_bar bars[] = {
		{ "Alice", 300, "3.00" },
		{ "<Eleanor>", -5200, "-52.00" },
	};
	struct buf		 b;

	(void)state;
	same_as_file(line_chart(three, 3, "Pinned <chart>", "units & more"),
	    "line-three.svg");
	same_as_file(line_chart(&dense, 1, "Dense", ""), "line-dense.svg");
	same_as_file(line_chart(&one, 1, "One", "kg"), "line-one.svg");
	same_as_file(line_chart(&none, 1, NULL, NULL), "line-none.svg");
	buf_init(&b);
	assert_int_equal(svg_bar_chart(&b, bars, N(bars), "Net values",
	    "EUR"), 0);
	same_as_file(buf_release(&b), "bars.svg");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker),
		cmocka_unit_test(test_circles),
		cmocka_unit_test(test_exact_text),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_coord_matches_printf),
		cmocka_unit_test(test_nice_numbers),
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_big_values),
		cmocka_unit_test(test_dense),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_signs),
		cmocka_unit_test(test_single_and_empty),
		cmocka_unit_test(test_legend),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_pinned),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
