/*
 * The template language: values, escaping, sections, partials, filters,
 * and the errors found when templates are loaded.
 */

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "core/buf.h"
#include "core/pagefilter.h"
#include "core/tmpl.h"

static json_t	*J(const char *);
static char	*render(const char *, const char *);
static char	*render_set(struct tmpl_set *, const char *, const char *);
static char	*parse_error(const char *);
static size_t	 count(const char *, const char *);
static void	 put_file(const char *, const char *, const char *);
static void	 rm_dir(const char *, const char *const *);
static int	 shout(struct buf *, const json_t *, struct buf *);

#define CHECK(call, want) do {						\
	char *got_ = (call);						\
	assert_string_equal(got_, (want));				\
	free(got_);							\
} while (0)

static json_t *
J(const char *text)
{
	json_error_t	 e;
	json_t		*v;

	if ((v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e)) ==
	    NULL)
		fail_msg("bad JSON in test: %s: %s", e.text, text);
	return (v);
}

/* Renders tpl with ctx (JSON text, or NULL); the template must parse. */
static char *
render(const char *tpl, const char *ctx)
{
	struct tmpl_set	*set;
	struct buf	 err;
	char		*out;

	buf_init(&err);
	set = tmpl_set_parse_string("t", tpl, strlen(tpl), page_filters,
	    &err);
	if (set == NULL)
		fail_msg("parse error: %s", buf_cstr(&err));
	out = render_set(set, "t", ctx);
	tmpl_set_free(set);
	buf_free(&err);
	return (out);
}

static char *
render_set(struct tmpl_set *set, const char *name, const char *ctx)
{
	struct buf	 out, err;
	json_t		*j;

	buf_init(&out);
	buf_init(&err);
	j = ctx != NULL ? J(ctx) : NULL;
	if (tmpl_render(set, name, j, &out, &err) == -1)
		fail_msg("render error: %s", buf_cstr(&err));
	json_decref(j);
	buf_free(&err);
	return (buf_release(&out));
}

/* The load-time error of tpl, which must not parse. */
static char *
parse_error(const char *tpl)
{
	struct tmpl_set	*set;
	struct buf	 err;

	buf_init(&err);
	set = tmpl_set_parse_string("t", tpl, strlen(tpl), page_filters,
	    &err);
	if (set != NULL)
		fail_msg("parsed, but should not have: %s", tpl);
	return (buf_release(&err));
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	 n;

	for (n = 0; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return (n);
}

static void
put_file(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void
rm_dir(const char *dir, const char *const *names)
{
	char	 path[512];

	for (; *names != NULL; names++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, *names);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

/* A filter a set is given: the value's text in capitals, or a refusal. */
static int
shout(struct buf *out, const json_t *v, struct buf *err)
{
	const char	*s;

	if (!json_is_string(v)) {
		buf_puts(err, "not a string");
		return (-1);
	}
	for (s = json_string_value(v); *s != '\0'; s++)
		buf_putc(out, *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : 'X');
	return (0);
}

static void
test_escaping(void **state)
{
	(void)state;
	CHECK(render("<p>{{name}}</p>", "{\"name\":\"<script>&\\\"'\"}"),
	    "<p>&lt;script&gt;&amp;&quot;&#39;</p>");
	/* In a quoted attribute, nothing can end the attribute. */
	CHECK(render("<a title=\"{{t}}\" data-x='{{t}}'>",
	    "{\"t\":\"\\\" onclick=\\\"alert(1)' x='\"}"),
	    "<a title=\"&quot; onclick=&quot;alert(1)&#39; x=&#39;\" "
	    "data-x='&quot; onclick=&quot;alert(1)&#39; x=&#39;'>");
	/* Escaped entities are not decoded: they come out as typed. */
	CHECK(render("{{x}}", "{\"x\":\"&lt;b&gt;\"}"), "&amp;lt;b&amp;gt;");
	/* Template text itself is not escaped. */
	CHECK(render("<b>&amp;</b>", NULL), "<b>&amp;</b>");
	/* A NUL inside a JSON string does not cut or pass through. */
	CHECK(render("{{x}}", "{\"x\":\"a\\u0000<\"}"),
	    "a\xef\xbf\xbd&lt;");
}

static void
test_values(void **state)
{
	(void)state;
	CHECK(render("{{s}}|{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|{{missing}}|{{o}}"
	    "|{{a}}", "{\"s\":\"2.50\",\"i\":-7971931,\"r\":-0.18,"
	    "\"t\":true,\"f\":false,\"n\":null,\"o\":{\"x\":1},\"a\":[1]}"),
	    "2.50|-7971931|-0.18|true|false||||");
	/* Fact values are strings: their digits come out exactly. */
	CHECK(render("{{#v}}{{.}} {{/v}}",
	    "{\"v\":[\"-0.17\",\"7971931\",\"2.50\","
	    "\"12345678901234567890.123456789\"]}"),
	    "-0.17 7971931 2.50 12345678901234567890.123456789 ");
	CHECK(render("{{ name }}{{name}}", "{\"name\":\"x\"}"), "xx");
	CHECK(render("{{.}}", "\"top\""), "top");
	CHECK(render("{{x}}", NULL), "");
	CHECK(render("", "{}"), "");
	CHECK(render("no tags } { }} {", NULL), "no tags } { }} {");
}

static void
test_lookup(void **state)
{
	(void)state;
	CHECK(render("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}"), "deep");
	CHECK(render("{{a.b.c}}", "{\"a\":{\"b\":\"not an object\"}}"), "");
	CHECK(render("{{a.x}}", "{\"a\":{},\"x\":\"outer\"}"), "");
	/* Names are searched from the innermost context out. */
	CHECK(render("{{#place}}{{name}} / {{site}} / {{place.name}}"
	    "{{/place}}", "{\"site\":\"factwiki\",\"name\":\"outer\","
	    "\"place\":{\"name\":\"France\"}}"),
	    "France / factwiki / France");
	/* A key that is there, even as null, ends the search. */
	CHECK(render("{{#place}}[{{note}}]{{/place}}",
	    "{\"note\":\"outer\",\"place\":{\"note\":null}}"), "[]");
	/* Only the first part of a dotted name is searched for. */
	CHECK(render("{{#place}}{{variable.unit}}{{/place}}",
	    "{\"variable\":{\"unit\":\"years\"},\"place\":{\"name\":\"x\"}}"),
	    "years");
	CHECK(render("{{#o}}{{.}}{{/o}}|{{#s}}{{.}}{{/s}}", "{\"o\":{\"a\":1},"
	    "\"s\":\"str\"}"), "|str");
	CHECK(render("{{a-b}}{{a_b}}{{A1}}",
	    "{\"a-b\":\"1\",\"a_b\":\"2\",\"A1\":\"3\"}"), "123");
}

static void
test_sections(void **state)
{
	(void)state;
	CHECK(render("{{#xs}}<{{.}}>{{/xs}}", "{\"xs\":[1,\"two\",3.5]}"),
	    "<1><two><3.5>");
	CHECK(render("{{#xs}}{{name}},{{/xs}}",
	    "{\"xs\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"), "a,b,");
	CHECK(render("{{#o}}{{name}}{{/o}}", "{\"o\":{\"name\":\"once\"}}"),
	    "once");
	CHECK(render("{{#o}}in{{/o}}", "{\"o\":{}}"), "in");

	/* Shown once: true, a non-empty string, a non-zero number. */
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":true}"), "yes");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":\"x\"}"), "yes");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":\"0\"}"), "yes");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":-1}"), "yes");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":0.5}"), "yes");
	/* A string or number is pushed; true is not. */
	CHECK(render("{{#v}}{{.}}{{/v}}", "{\"v\":\"str\"}"), "str");
	CHECK(render("{{#v}}{{.}}{{/v}}", "{\"v\":42}"), "42");
	CHECK(render("{{#v}}{{name}}{{/v}}", "{\"v\":true,\"name\":\"n\"}"),
	    "n");

	/* Skipped: false, null, missing, [], "", 0. */
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":false}"), "");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":null}"), "");
	CHECK(render("{{#v}}yes{{/v}}", "{}"), "");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":[]}"), "");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":\"\"}"), "");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":0}"), "");
	CHECK(render("{{#v}}yes{{/v}}", "{\"v\":0.0}"), "");

	/* Nested arrays. */
	CHECK(render("{{#rows}}[{{#cells}}{{.}}{{/cells}}]{{/rows}}",
	    "{\"rows\":[{\"cells\":[1,2]},{\"cells\":[]},{\"cells\":[3]}]}"),
	    "[12][][3]");
	/* An array of arrays: {{.}} inside is the inner array. */
	CHECK(render("{{#m}}({{#.}}{{.}}{{/.}}){{/m}}", "{\"m\":[[1,2],[3]]}"),
	    "(12)(3)");
}

static void
test_inverted(void **state)
{
	(void)state;
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":[]}"), "none");
	CHECK(render("{{^v}}none{{/v}}", "{}"), "none");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":false}"), "none");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":\"\"}"), "none");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":0}"), "none");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":null}"), "none");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":[1]}"), "");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":{}}"), "");
	CHECK(render("{{^v}}none{{/v}}", "{\"v\":true}"), "");
	/* The context inside is the one outside. */
	CHECK(render("{{#xs}}{{.}}{{/xs}}{{^xs}}no {{what}}{{/xs}}",
	    "{\"xs\":[],\"what\":\"facts\"}"), "no facts");
}

static void
test_loop_variables(void **state)
{
	(void)state;
	CHECK(render("{{#xs}}{{@index}}{{@number}}{{.}} {{/xs}}",
	    "{\"xs\":[\"a\",\"b\",\"c\"]}"), "01a 12b 23c ");
	CHECK(render("{{#xs}}{{.}}{{^@last}}, {{/@last}}{{/xs}}",
	    "{\"xs\":[\"a\",\"b\",\"c\"]}"), "a, b, c");
	CHECK(render("{{#xs}}{{#@first}}<b>{{.}}</b>{{/@first}}"
	    "{{^@first}}{{.}}{{/@first}}{{/xs}}", "{\"xs\":[1,2,3]}"),
	    "<b>1</b>23");
	CHECK(render("{{#xs}}{{@first}}/{{@last}} {{/xs}}", "{\"xs\":[1,2]}"),
	    "true/false false/true ");
	/* The innermost array: objects in between do not count. */
	CHECK(render("{{#rows}}{{#o}}{{#cells}}{{@index}}{{/cells}}{{/o}}"
	    "{{@index}};{{/rows}}",
	    "{\"rows\":[{\"o\":{\"cells\":[7,8]}},{\"o\":{\"cells\":[9]}}]}"),
	    "010;01;");
	CHECK(render("{{@index}}{{#@first}}x{{/@first}}", "{}"), "");
}

static void
test_standalone_lines(void **state)
{
	(void)state;
	CHECK(render("<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n",
	    "{\"xs\":[\"a\",\"b\"]}"),
	    "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	CHECK(render("a\n  {{! a comment }}  \nb\n", NULL), "a\nb\n");
	CHECK(render("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", "{\"t\":true}"),
	    "a\r\nb\r\nc");
	/* Not alone on its line: the blanks and newlines stay. */
	CHECK(render("a {{#t}}b{{/t}} c\n", "{\"t\":true}"), "a b c\n");
	/* A variable is never standalone. */
	CHECK(render("  {{x}}  \n", "{\"x\":1}"), "  1  \n");
}

static void
test_partials(void **state)
{
	struct tmpl_set	*set;
	struct buf	 err;
	const char	*page = "{{> head}}<p>{{#xs}}{{> item}}{{/xs}}</p>";
	const char	*head = "<h1>{{title}}</h1>\n";
	const char	*item = "[{{name}}]";
	const char	*tree =
	    "{{name}}{{#children}}({{> tree}}){{/children}}";

	(void)state;
	buf_init(&err);
	set = tmpl_set_new(NULL);
	assert_int_equal(tmpl_set_add(set, "page", NULL, page, strlen(page),
	    &err), 0);
	assert_int_equal(tmpl_set_add(set, "head", NULL, head, strlen(head),
	    &err), 0);
	assert_int_equal(tmpl_set_add(set, "item", NULL, item, strlen(item),
	    &err), 0);
	assert_int_equal(tmpl_set_add(set, "tree", NULL, tree, strlen(tree),
	    &err), 0);
	assert_int_equal(tmpl_set_link(set, &err), 0);
	assert_true(tmpl_exists(set, "head"));
	assert_false(tmpl_exists(set, "nope"));
	CHECK(render_set(set, "page", "{\"title\":\"T&\",\"xs\":[{\"name\":"
	    "\"a\"},{\"name\":\"<b>\"}]}"),
	    "<h1>T&amp;</h1>\n<p>[a][&lt;b&gt;]</p>");
	/* A partial that includes itself is fine while data runs out. */
	CHECK(render_set(set, "tree", "{\"name\":\"r\",\"children\":[{\"name\":"
	    "\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]},"
	    "{\"name\":\"c\",\"children\":[]}]}"), "r(a(b))(c)");
	/* Adding the same name twice is refused. */
	assert_int_equal(tmpl_set_add(set, "item", NULL, "x", 1, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "loaded already"));
	tmpl_set_free(set);
	buf_free(&err);
}

static void
test_partial_recursion_limit(void **state)
{
	struct tmpl_set	*set;
	struct buf	 out, err;
	const char	*self = "x{{> loop}}";
	json_t		*ctx;

	(void)state;
	buf_init(&out);
	buf_init(&err);
	set = tmpl_set_parse_string("loop", self, strlen(self), NULL, &err);
	assert_non_null(set);
	ctx = J("{}");
	assert_int_equal(tmpl_render(set, "loop", ctx, &out, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "loop:1: partials nested "
	    "too deep"));
	json_decref(ctx);
	tmpl_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

static void
test_load_errors(void **state)
{
	(void)state;
	CHECK(parse_error("a\n{{x|bogus}}"), "t:2: unknown filter 'bogus'");
	CHECK(parse_error("{{x|md|url}}"),
	    "t:1: unknown filter 'md|url' (one filter a tag)");
	CHECK(parse_error("<ul>\n{{#items}}\n<li>{{.}}</li>\n</ul>\n"),
	    "t:2: {{#items}} is never closed");
	CHECK(parse_error("{{^ items }}"), "t:1: {{^items}} is never closed");
	CHECK(parse_error("one\ntwo\nthree {{name\n"),
	    "t:3: '{{' without its '}}'");
	CHECK(parse_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}"),
	    "t:3: {{/a}} does not close {{#b}} of line 2");
	CHECK(parse_error("x\n{{/a}}"), "t:2: {{/a}} closes no section");
	CHECK(parse_error("{{{raw}}}"), "t:1: unescaped output is not "
	    "supported: write {{name}}, or use a filter such as {{name|md}}");
	CHECK(parse_error("{{& raw}}"), "t:1: unescaped output is not "
	    "supported: write {{name}}, or use a filter such as {{name|md}}");
	CHECK(parse_error("{{=<% %>=}}"),
	    "t:1: changing the delimiters is not supported");
	CHECK(parse_error("{{}}"), "t:1: a tag needs a name");
	CHECK(parse_error("{{ |md}}"), "t:1: a tag needs a name");
	CHECK(parse_error("{{a b}}"), "t:1: bad name 'a b': names are letters, "
	    "digits, '_' and '-', joined by '.'");
	CHECK(parse_error("{{a..b}}"),
	    "t:1: bad name 'a..b': empty part between dots");
	CHECK(parse_error("{{#x|md}}{{/x|md}}"), "t:1: bad name 'x|md': names "
	    "are letters, digits, '_' and '-', joined by '.'");
	CHECK(parse_error("{{@count}}"), "t:1: unknown loop variable "
	    "'@count' (there are @index, @number, @first, @last)");
	CHECK(parse_error("{{> ../etc/passwd}}"),
	    "t:1: bad template name '../etc/passwd'");
	CHECK(parse_error("{{> nowhere}}"),
	    "t:1: no template 'nowhere' for {{> nowhere}}");
	/* Lines are counted through comments, text and CRLF. */
	CHECK(parse_error("{{!\n\n}}\r\n{{#x}}\n{{y|nope}}"),
	    "t:5: unknown filter 'nope'");
	/* Nesting beyond the limit. */
	{
		struct buf	 t;
		char		*e;
		int		 i;

		buf_init(&t);
		for (i = 0; i < 65; i++)
			buf_puts(&t, "{{#a}}");
		e = parse_error(buf_cstr(&t));
		assert_non_null(strstr(e, "nested more than 64 deep"));
		free(e);
		buf_free(&t);
	}
}

static void
test_filter_md(void **state)
{
	char	*s;

	(void)state;
	s = render("{{d|md}}", "{\"d\":\"# Title\\n\\nSome **bold** text "
	    "<script>alert(1)</script> and [a link](javascript:alert(1)) "
	    "and [ok](https://example.org/?a=1&b=2).\\n\\n"
	    "<img src=x onerror=alert(1)>\\n\"}");
	assert_non_null(strstr(s, "<h1>Title</h1>"));
	assert_non_null(strstr(s, "<strong>bold</strong>"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "javascript:"));
	assert_non_null(strstr(s, "<a href=\"\">a link</a>"));
	assert_non_null(strstr(s,
	    "<a href=\"https://example.org/?a=1&amp;b=2\">ok</a>"));
	assert_non_null(strstr(s, "raw HTML omitted"));
	free(s);
	/* Not a string: plain escaped text; missing: nothing. */
	CHECK(render("{{d|md}}", "{\"d\":12}"), "12");
	CHECK(render("{{d|md}}", "{}"), "");
	CHECK(render("{{d|md}}", "{\"d\":\"[x](vbscript:y) [z](data:text/"
	    "html,a)\"}"), "<p><a href=\"\">x</a> <a href=\"\">z</a></p>\n");
}

static void
test_filter_href_url_json(void **state)
{
	(void)state;
	CHECK(render("<a href=\"{{u|href}}\">",
	    "{\"u\":\"javascript:alert(1)\"}"),
	    "<a href=\"#\">");
	CHECK(render("<a href=\"{{u|href}}\">",
	    "{\"u\":\"https://example.org/?a=1&b=\\\"2\"}"),
	    "<a href=\"https://example.org/?a=1&amp;b=&quot;2\">");
	CHECK(render("{{u|href}}", "{\"u\":\"/places/france\"}"),
	    "/places/france");
	CHECK(render("{{u|href}}", "{}"), "#");
	CHECK(render("{{u|href}}", "{\"u\":5}"), "#");
	CHECK(render("/places/{{p|url}}?q={{q|url}}",
	    "{\"p\":\"C\\u00f4te d'Ivoire\",\"q\":\"a&b=c/d\"}"),
	    "/places/C%C3%B4te%20d%27Ivoire?q=a%26b%3Dc%2Fd");
	CHECK(render("{{y|url}}", "{\"y\":-500}"), "-500");
	CHECK(render("<div data-x=\"{{o|json}}\">",
	    "{\"o\":{\"a\":\"<b>\",\"n\":[1,\"2.50\"]}}"),
	    "<div data-x=\"{&quot;a&quot;:&quot;&lt;b&gt;&quot;,"
	    "&quot;n&quot;:[1,&quot;2.50&quot;]}\">");
	CHECK(render("{{o|json}}|{{s|json}}", "{\"s\":\"it's\"}"),
	    "null|&quot;it&#39;s&quot;");
}

static void
test_filter_count(void **state)
{
	(void)state;
	CHECK(render("{{n|count}}", "{\"n\":7971931}"), "7,971,931");
	CHECK(render("{{n|count}}", "{\"n\":-1234567}"), "-1,234,567");
	CHECK(render("{{n|count}}", "{\"n\":999}"), "999");
	CHECK(render("{{n|count}}", "{\"n\":1000}"), "1,000");
	CHECK(render("{{n|count}}", "{\"n\":0}"), "0");
	CHECK(render("{{n|count}}", "{\"n\":\"1234567.891\"}"),
	    "1,234,567.891");
	CHECK(render("{{n|count}}", "{\"n\":\"-100000.50\"}"), "-100,000.50");
	CHECK(render("{{n|count}}", "{\"n\":\"1.\"}"), "1.");
	CHECK(render("{{n|count}}", "{\"n\":\"<b>1000\"}"), "&lt;b&gt;1000");
	CHECK(render("{{n|count}}", "{\"n\":true}"), "true");
	CHECK(render("{{n|count}}", "{}"), "");
}

static void
test_filter_plural(void **state)
{
	(void)state;
	CHECK(render("{{n|count}} bid{{n|s}}", "{\"n\":1}"), "1 bid");
	CHECK(render("{{n|count}} bid{{n|s}}", "{\"n\":\"1\"}"), "1 bid");
	CHECK(render("{{n|count}} bid{{n|s}}", "{\"n\":0}"), "0 bids");
	CHECK(render("{{n|count}} bid{{n|s}}", "{\"n\":1001}"),
	    "1,001 bids");
	CHECK(render("{{n|count}} bid{{n|s}}", "{\"n\":-1}"), "-1 bids");
	CHECK(render("bid{{n|s}}", "{}"), "bids");
}

static void
test_filter_charts(void **state)
{
	char	*s;

	(void)state;
	s = render("<figure>{{series|chart}}</figure>", "{\"series\":"
	    "{\"place\":{\"slug\":\"afghanistan\",\"name\":\"Afghanistan\"},"
	    "\"variable\":{\"slug\":\"life-expectancy\",\"name\":"
	    "\"Life expectancy\",\"unit\":\"years\"},\"observations\":["
	    "{\"year\":1955,\"value\":\"43.88\",\"source\":1},"
	    "{\"year\":1960,\"value\":\"45.03\",\"source\":1}],"
	    "\"sources\":[]}}");
	assert_non_null(strstr(s, "<figure><svg xmlns="));
	assert_int_equal(count(s, "<circle"), 2);
	assert_non_null(strstr(s, "<title>Afghanistan, 1955: 43.88 years"
	    "</title>"));
	assert_non_null(strstr(s, "Life expectancy in Afghanistan"));
	free(s);
	s = render("{{s|sparkline}}", "{\"s\":{\"observations\":["
	    "{\"year\":2000,\"value\":\"1\"},"
	    "{\"year\":2001,\"value\":\"2\"}]}}");
	assert_non_null(strstr(s, "class=\"chart sparkline\""));
	free(s);
	s = render("{{b|bars}}", "{\"b\":[{\"label\":\"<Eleanor>\",\"value\":"
	    "\"-52.00\"},{\"label\":\"Alice\",\"value\":\"3.00\"}]}");
	assert_int_equal(count(s, "<rect"), 3);
	assert_non_null(strstr(s, "&lt;Eleanor&gt;: -52.00"));
	free(s);
	CHECK(render("{{s|chart}}{{s|sparkline}}{{s|bars}}", "{}"), "");
}

static void
test_filter_refuses(void **state)
{
	struct tmpl_set	*set;
	struct buf	 out, err;
	const char	*t = "x\n{{s|chart}}";
	json_t		*ctx;

	(void)state;
	buf_init(&out);
	buf_init(&err);
	set = tmpl_set_parse_string("t", t, strlen(t), page_filters, &err);
	assert_non_null(set);
	ctx = J("{\"s\":\"not a series\"}");
	assert_int_equal(tmpl_render(set, "t", ctx, &out, &err), -1);
	assert_string_equal(buf_cstr(&err),
	    "t:2: filter chart: not a series, nor a list of series");
	json_decref(ctx);
	tmpl_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

/*
 * A set has the language's filters and those it was given, no others:
 * the server's are unknown to a set not given them, at load time.
 */
static void
test_filters_given(void **state)
{
	static const struct tmpl_filter	 mine[] = {
		{ "shout",	shout },
		{ NULL,		NULL }
	};
	struct tmpl_set	*set;
	struct buf	 out, err;
	const char	*t = "{{a|shout}} {{a|url}}\n{{n|shout}}";
	const char	*count = "x\n{{n|count}}";
	json_t		*ctx;

	(void)state;
	buf_init(&out);
	buf_init(&err);
	set = tmpl_set_parse_string("t", t, strlen(t), mine, &err);
	assert_non_null(set);
	ctx = J("{\"a\":\"a b\",\"n\":1}");
	assert_int_equal(tmpl_render(set, "t", ctx, &out, &err), -1);
	assert_string_equal(buf_cstr(&out), "AXB a%20b\n");
	assert_string_equal(buf_cstr(&err), "t:2: filter shout: not a string");
	json_decref(ctx);
	tmpl_set_free(set);

	buf_reset(&err);
	assert_null(tmpl_set_parse_string("t", count, strlen(count), mine,
	    &err));
	assert_string_equal(buf_cstr(&err), "t:2: unknown filter 'count'");
	buf_reset(&err);
	assert_null(tmpl_set_parse_string("t", count, strlen(count), NULL,
	    &err));
	assert_string_equal(buf_cstr(&err), "t:2: unknown filter 'count'");
	/* The first of the language's, {{x}} itself, has no name to give. */
	CHECK(parse_error("{{x|}}"), "t:1: unknown filter ''");
	buf_free(&out);
	buf_free(&err);
}

static void
test_limits(void **state)
{
	struct tmpl_set	*set;
	struct buf	 out, err;
	const char	*t = "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{.}}"
			    "{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}";
	json_t		*ctx;

	(void)state;
	buf_init(&out);
	buf_init(&err);
	set = tmpl_set_parse_string("t", t, strlen(t), NULL, &err);
	assert_non_null(set);
	ctx = J("{\"a\":[1,2,3,4,5,6,7,8,9,10]}");

	tmpl_set_limits(set, 1000, 0);
	assert_int_equal(tmpl_render(set, "t", ctx, &out, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "too much work"));

	buf_reset(&out);
	buf_reset(&err);
	tmpl_set_limits(set, 0, 100);
	assert_int_equal(tmpl_render(set, "t", ctx, &out, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "page too large"));

	buf_reset(&out);
	buf_reset(&err);
	assert_int_equal(tmpl_render(set, "nope", ctx, &out, &err), -1);
	assert_string_equal(buf_cstr(&err), "no template 'nope'");

	/* The default caps let a million values through. */
	buf_reset(&out);
	buf_reset(&err);
	tmpl_set_limits(set, 0, 0);
	assert_int_equal(tmpl_render(set, "t", ctx, &out, &err), 0);
	assert_int_equal(out.len, 1100000);

	json_decref(ctx);
	tmpl_set_free(set);
	buf_free(&out);
	buf_free(&err);
}

static void
test_load_dir(void **state)
{
	struct tmpl_set	*set;
	struct buf	 err;
	char		*s;

	(void)state;
	buf_init(&err);
	set = tmpl_set_load("tests/unit/templates", page_filters, &err);
	if (set == NULL)
		fail_msg("load: %s", buf_cstr(&err));
	s = render_set(set, "page", "{\"title\":\"Facts & <figures>\","
	    "\"description\":\"Some *facts*. <b>raw</b>\",\"count\":2046,"
	    "\"facts\":[{\"place\":{\"slug\":\"cote-d-ivoire\",\"name\":"
	    "\"C\\u00f4te d'Ivoire\"},\"year\":1955,\"value\":\"43.88\"},"
	    "{\"place\":{\"slug\":\"a b\",\"name\":\"B\"},\"year\":-500,"
	    "\"value\":\"-0.17\"}]}");
	assert_non_null(strstr(s, "<title>Facts &amp; &lt;figures&gt; · "
	    "factwiki</title>"));
	assert_non_null(strstr(s, "<em>facts</em>"));
	assert_null(strstr(s, "<b>raw"));
	assert_non_null(strstr(s, "<tr class=\"first\"><td><a href=\""
	    "/places/cote-d-ivoire\">C\xc3\xb4te d&#39;Ivoire</a></td>"
	    "<td>1955</td><td>43.88</td></tr>\n"));
	assert_non_null(strstr(s, "<tr class=\"\"><td><a href=\"/places/"
	    "a%20b\">B</a></td><td>-500</td><td>-0.17</td></tr>\n"));
	assert_null(strstr(s, "No facts yet"));
	assert_non_null(strstr(s, "<footer>2,046 facts</footer>"));
	/* Standalone tags leave no blank lines behind. */
	assert_null(strstr(s, "\n\n"));
	free(s);
	s = render_set(set, "page", "{\"title\":\"x\",\"facts\":[]}");
	assert_non_null(strstr(s, "<tr><td colspan=\"3\">No facts yet.</td>"));
	assert_null(strstr(s, "class=\"description\""));
	free(s);
	tmpl_set_free(set);
	buf_free(&err);
}

static void
test_load_dir_errors(void **state)
{
	static const char *const names[] = {
		"a.html", "b.html", "c.html", "notes.txt", NULL
	};
	struct tmpl_set	*set;
	struct buf	 err, want;
	char		 dir[] = "/tmp/test_tmpl.XXXXXX";

	(void)state;
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp");
	put_file(dir, "a.html", "ok {{> b}}\n{{> gone}}\n");
	put_file(dir, "b.html", "<ul>\n{{#items}}\n<li>{{.}}\n");
	put_file(dir, "c.html", "\n\n{{x|raw}}\n");
	put_file(dir, "notes.txt", "{{#not a template");
	buf_init(&err);
	buf_init(&want);
	set = tmpl_set_load(dir, NULL, &err);
	assert_null(set);
	/* Every broken file is reported, in order, with its line. */
	buf_printf(&want, "%s/b.html:2: {{#items}} is never closed\n"
	    "%s/c.html:3: unknown filter 'raw'", dir, dir);
	assert_string_equal(buf_cstr(&err), buf_cstr(&want));

	/* Fix those two: now the missing partial is found. */
	put_file(dir, "b.html", "<ul>{{#items}}<li>{{.}}{{/items}}</ul>");
	put_file(dir, "c.html", "c");
	buf_reset(&err);
	buf_reset(&want);
	assert_null(tmpl_set_load(dir, NULL, &err));
	buf_printf(&want, "%s/a.html:2: no template 'gone' for {{> gone}}",
	    dir);
	assert_string_equal(buf_cstr(&err), buf_cstr(&want));

	put_file(dir, "a.html", "ok {{> b}}\n");
	buf_reset(&err);
	set = tmpl_set_load(dir, NULL, &err);
	assert_non_null(set);
	CHECK(render_set(set, "a", "{\"items\":[1,2]}"),
	    "ok <ul><li>1<li>2</ul>\n");
	tmpl_set_free(set);

	rm_dir(dir, names);
	buf_reset(&err);
	assert_null(tmpl_set_load(dir, NULL, &err));
	assert_non_null(strstr(buf_cstr(&err), "No such file"));
	buf_free(&err);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_inverted),
		cmocka_unit_test(test_loop_variables),
		cmocka_unit_test(test_standalone_lines),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_partial_recursion_limit),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_filter_md),
		cmocka_unit_test(test_filter_href_url_json),
		cmocka_unit_test(test_filter_count),
		cmocka_unit_test(test_filter_plural),
		cmocka_unit_test(test_filter_charts),
		cmocka_unit_test(test_filter_refuses),
		cmocka_unit_test(test_filters_given),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_load_dir_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
