/*
 * HTML templates: a small Mustache-like language, escaped by default.
 *
 *   {{name}} {{a.b.c}} {{.}}	a value from the context stack, innermost
 *				first (only the first name is searched for;
 *				the rest are looked up in what it found).
 *				Strings are escaped (& < > " '), which is safe
 *				in text and in quoted attributes; integers in
 *				decimal; reals as their shortest decimal
 *				(fact values should be strings, exact);
 *				booleans true/false; null, missing, objects
 *				and arrays print nothing.
 *   {{name|filter}}		one filter, which writes safe markup itself:
 *				the language's md, url, href, json (below),
 *				or one the set was given (the server's are
 *				in core/pagefilter.c).
 *   {{#name}}..{{/name}}	a section: once per element of an array, once
 *				for an object, a non-empty string or a
 *				non-zero number (the element or value is
 *				pushed on the stack), once for true (nothing
 *				pushed); skipped for false, null, missing,
 *				[], "" and 0.
 *   {{^name}}..{{/name}}	inverted: only when the section would skip.
 *   {{@index}} {{@number}}	in an array section: 0-based and 1-based
 *   {{@first}} {{@last}}	position, booleans for the ends.
 *   {{> name}}			another template of the set.
 *   {{! text }}		a comment.
 *
 * There is no unescaped output: {{{x}}}, {{&x}} and {{=..=}} are errors.
 * Section, comment and partial tags alone on their line take the line
 * with them.  Every error in a template is found when it is loaded and
 * reported as FILE:LINE: message.
 */

#ifndef FW_TMPL_H
#define FW_TMPL_H

#include <stddef.h>

#include <jansson.h>

struct buf;
struct tmpl_set;

/*
 * A filter writes v (NULL when the name is missing) as safe markup for
 * any JSON value: whatever it is given, nothing it writes may end the
 * element or attribute it stands in, or run script.  Returns 0, or -1
 * with a message in err to fail the render.
 */
typedef int	(*tmpl_filter_fn)(struct buf *out, const json_t *v,
		    struct buf *err);

/* A table of filters ends with a NULL name. */
struct tmpl_filter {
	const char	*name;
	tmpl_filter_fn	 fn;
};

/*
 * The language's own filters (tmpl_escape.c), which every set has: the
 * first, with the empty name, is {{x}} itself; then one for each other
 * place a value can go in a page: md (Markdown, raw HTML dropped), url (a
 * URL path segment or query part), href (a whole URL, or "#"), json (for
 * a data- attribute).
 */
extern const struct tmpl_filter	tmpl_escapes[];

/*
 * Every *.html file of dir, named by its file name without ".html", parsed
 * and linked, with the filters given (as tmpl_set_new()).  NULL on any
 * error, with every message (one a line) in err.
 */
struct tmpl_set	*tmpl_set_load(const char *dir, const struct tmpl_filter *,
		    struct buf *err);

/* One template from memory (tests, the fuzzer): new + add + link. */
struct tmpl_set	*tmpl_set_parse_string(const char *name, const char *text,
		    size_t len, const struct tmpl_filter *, struct buf *err);

/*
 * A set whose templates may use the filters of the table given (NULL for
 * none) besides the language's.  The table must outlive the set; a name
 * that is empty, or that another filter has, is a mistake in the code and
 * aborts.
 *
 * Building a set by hand: add templates (file names messages, NULL means
 * name), then link, which resolves every {{> partial}} and reports those
 * missing.  Both return 0, or -1 with the message in err.  Render only a
 * set whose last link succeeded.
 */
struct tmpl_set	*tmpl_set_new(const struct tmpl_filter *);
int		 tmpl_set_add(struct tmpl_set *, const char *name,
		    const char *file, const char *text, size_t len,
		    struct buf *err);
int		 tmpl_set_link(struct tmpl_set *, struct buf *err);

/*
 * Caps on one render, against templates that loop over big arrays inside
 * big arrays: nodes visited and bytes written (0 keeps the default, 20
 * million and 64 MiB).
 */
void		 tmpl_set_limits(struct tmpl_set *, size_t max_steps,
		    size_t max_output);

/* 1 if the set has a template of that name. */
int		 tmpl_exists(const struct tmpl_set *, const char *name);

/*
 * Appends the template rendered with ctx (which may be NULL) to out.
 * Returns 0, or -1 with a message in err (unknown template, partials too
 * deep, a cap reached, a filter refused its value); out then holds part of
 * a page, which the caller must not send.
 */
int		 tmpl_render(const struct tmpl_set *, const char *name,
		    const json_t *ctx, struct buf *out, struct buf *err);

void		 tmpl_set_free(struct tmpl_set *);

#endif
