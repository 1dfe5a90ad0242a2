/*
 * The template engine.  Templates are parsed once, when the set is
 * loaded, into a tree of nodes whose text points into the kept source;
 * rendering walks the tree.  The only way to write markup that is not
 * escaped is a filter, the language's (tmpl_escape.c) or one the set was
 * given, and each filter makes its markup safe itself.  A filter is found
 * when its tag is parsed, so that an unknown one is a load error.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/tmpl.h"

#define TMPL_MAX_NEST		64	/* sections in sections, per file */
#define TMPL_MAX_PARTIAL	16	/* partials in partials, at render */
#define TMPL_MAX_FILE		(4 * 1024 * 1024)
#define TMPL_MAX_STEPS		(20 * 1000 * 1000)
#define TMPL_MAX_OUTPUT		(64 * 1024 * 1024)

enum ntype {
	N_TEXT,
	N_VAR,
	N_SECTION,
	N_INVERTED,
	N_PARTIAL
};

/* The loop variables: {{@index}} and friends. */
enum at {
	AT_NONE,
	AT_INDEX,
	AT_NUMBER,
	AT_FIRST,
	AT_LAST
};

struct seg {
	const char	*s;
	size_t		 len;
};

struct path {
	struct seg	*seg;
	size_t		 nseg;		/* 0 is ".", the current value */
	enum at		 at;
};

struct node;

struct nodes {
	struct node	*v;
	size_t		 n;
	size_t		 cap;
};

struct tmpl;

struct node {
	enum ntype		 type;
	int			 line;
	const char		*text;		/* N_TEXT, in the source */
	size_t			 len;
	struct path		 path;		/* N_VAR and sections */
	const struct tmpl_filter *filter;	/* N_VAR */
	struct nodes		 body;		/* N_SECTION, N_INVERTED */
	char			*pname;		/* N_PARTIAL */
	const struct tmpl	*partial;	/* N_PARTIAL, set by link */
};

struct tmpl {
	char		*name;
	char		*file;
	char		*src;
	size_t		 len;
	struct nodes	 root;
};

struct tmpl_set {
	struct tmpl			**v;
	size_t				  n;
	size_t				  cap;
	/* The filters of its templates, besides the language's. */
	const struct tmpl_filter	 *filters;
	size_t				  max_steps;
	size_t				  max_output;
};

enum ttype {
	T_EOF,
	T_VAR,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_PARTIAL,
	T_COMMENT
};

/* Literal text, then the tag that ends it. */
struct token {
	enum ttype	 type;
	const char	*text;
	size_t		 textlen;
	const char	*tag;		/* its content, sigil and blanks off */
	size_t		 taglen;
	int		 line;
};

struct parser {
	const struct tmpl_set	*set;
	const char		*file;
	const char		*src;
	size_t			 len;
	size_t			 pos;
	int			 line;
	struct buf		*err;
};

/* A context stack entry; array sections also know where they are. */
struct frame {
	const json_t		*v;
	const struct frame	*up;
	size_t			 index;
	size_t			 count;
	int			 loop;
};

struct render {
	const struct tmpl_set	*set;
	struct buf		*out;
	struct buf		*err;
	size_t			 start;
	size_t			 steps;
	int			 pdepth;
	const char		*file;
};

static void	clean(struct buf *, const char *, size_t);
static void	quote(struct buf *, const char *, size_t);
static void	put_tag(struct buf *, const struct token *);
static int	perr(struct parser *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	count_nl(const char *, size_t, size_t);
static const char *find2(const char *, size_t, size_t, char);
static void	trim(const char **, size_t *);
static int	lex(struct parser *, struct token *);
static int	parse_path(struct parser *, const char *, size_t, int,
		    struct path *);
static const struct tmpl_filter *table_find(const struct tmpl_filter *,
		    const char *, size_t);
static const struct tmpl_filter *find_filter(const struct tmpl_set *,
		    const char *, size_t);
static int	valid_tname(const char *, size_t);
static struct node *node_add(struct nodes *);
static int	parse_body(struct parser *, struct nodes *,
		    const struct token *, int);
static void	nodes_free(struct nodes *);
static void	tmpl_free(struct tmpl *);
static int	link_nodes(struct tmpl_set *, const struct tmpl *,
		    struct nodes *, struct buf *);
static const struct tmpl *find_tmpl(const struct tmpl_set *, const char *,
		    size_t);
static int	cmp_tmpl(const void *, const void *);
static int	cmp_str(const void *, const void *);
static int	read_file(const char *, struct buf *, struct buf *);
static const json_t *lookup(const struct path *, const struct frame *,
		    json_t **);
static int	truthy(const json_t *);
static int	rerr(struct render *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	render_nodes(struct render *, const struct nodes *,
		    const struct frame *);

/*
 * Template text in an error message: at most 40 bytes, control characters
 * as "?", so a log line stays one line.
 */
static void
clean(struct buf *b, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && i < 40; i++)
		buf_putc(b, (unsigned char)s[i] < 0x20 ? '?' : s[i]);
	if (len > 40)
		buf_puts(b, "...");
}

static void
quote(struct buf *b, const char *s, size_t len)
{
	buf_putc(b, '\'');
	clean(b, s, len);
	buf_putc(b, '\'');
}

/* A section tag as written: {{#name}}, {{^name}}, {{/name}}. */
static void
put_tag(struct buf *b, const struct token *tok)
{
	buf_puts(b, tok->type == T_SECTION ? "{{#" :
	    tok->type == T_INVERTED ? "{{^" : "{{/");
	clean(b, tok->tag, tok->taglen);
	buf_puts(b, "}}");
}

static int
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list	 ap;

	if (p->err->len > 0)
		buf_putc(p->err, '\n');
	if (line > 0)
		buf_printf(p->err, "%s:%d: ", p->file, line);
	else
		buf_printf(p->err, "%s: ", p->file);
	va_start(ap, fmt);
	buf_vprintf(p->err, fmt, ap);
	va_end(ap);
	return (-1);
}

static int
count_nl(const char *s, size_t from, size_t to)
{
	int	 n;

	for (n = 0; from < to; from++) {
		if (s[from] == '\n')
			n++;
	}
	return (n);
}

/* The first two c in a row in s[from..len), or NULL. */
static const char *
find2(const char *s, size_t len, size_t from, char c)
{
	const char	*p;

	while (from + 1 < len) {
		if ((p = memchr(s + from, c, len - from - 1)) == NULL)
			return (NULL);
		if (p[1] == c)
			return (p);
		from = (size_t)(p - s) + 1;
	}
	return (NULL);
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t' || **s == '\n' ||
	    **s == '\r')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\n' || (*s)[*len - 1] == '\r'))
		(*len)--;
}

/*
 * The next piece of literal text and the tag after it.  A section,
 * inverted, closing, comment or partial tag alone on its line (blanks
 * aside) takes the whole line, so that templates can be indented without
 * filling pages with blank lines.
 */
static int
lex(struct parser *p, struct token *tok)
{
	const char	*open, *close, *s;
	size_t		 k, c, end, textend, j, len;

	memset(tok, 0, sizeof(*tok));
	tok->text = p->src + p->pos;
	if ((open = find2(p->src, p->len, p->pos, '{')) == NULL) {
		tok->type = T_EOF;
		tok->textlen = p->len - p->pos;
		tok->line = p->line + count_nl(p->src, p->pos, p->len);
		p->line = tok->line;
		p->pos = p->len;
		return (0);
	}
	k = (size_t)(open - p->src);
	tok->line = p->line + count_nl(p->src, p->pos, k);
	c = k + 2;
	if ((close = find2(p->src, p->len, c, '}')) == NULL)
		return (perr(p, tok->line, "'{{' without its '}}'"));
	end = (size_t)(close - p->src) + 2;
	s = p->src + c;
	len = (size_t)(close - s);
	trim(&s, &len);

	tok->type = T_VAR;
	if (len > 0) {
		switch (s[0]) {
		case '#':
			tok->type = T_SECTION;
			break;
		case '^':
			tok->type = T_INVERTED;
			break;
		case '/':
			tok->type = T_CLOSE;
			break;
		case '>':
			tok->type = T_PARTIAL;
			break;
		case '!':
			tok->type = T_COMMENT;
			break;
		case '{':
		case '&':
			return (perr(p, tok->line, "unescaped output is not "
			    "supported: write {{name}}, or use a filter "
			    "such as {{name|md}}"));
		case '=':
			return (perr(p, tok->line,
			    "changing the delimiters is not supported"));
		default:
			break;
		}
	}
	if (tok->type != T_VAR) {
		s++;
		len--;
		trim(&s, &len);
	}
	tok->tag = s;
	tok->taglen = len;

	textend = k;
	if (tok->type != T_VAR) {
		/* Standalone: blanks back to a line start and on to its end. */
		for (j = k; j > 0 && (p->src[j - 1] == ' ' ||
		    p->src[j - 1] == '\t'); j--)
			;
		if (j == 0 || p->src[j - 1] == '\n') {
			c = end;
			while (c < p->len && (p->src[c] == ' ' ||
			    p->src[c] == '\t'))
				c++;
			if (c < p->len && p->src[c] == '\r' &&
			    c + 1 < p->len && p->src[c + 1] == '\n')
				c++;
			if (c == p->len || p->src[c] == '\n') {
				textend = j;
				end = c < p->len ? c + 1 : c;
			}
		}
	}
	tok->textlen = textend - p->pos;
	p->line += count_nl(p->src, p->pos, end);
	p->pos = end;
	return (0);
}

/* name(.name)*, ".", or one of the loop variables. */
static int
parse_path(struct parser *p, const char *s, size_t len, int line,
    struct path *path)
{
	static const struct {
		const char	*name;
		enum at		 at;
	} ats[] = {
		{ "@index", AT_INDEX },
		{ "@number", AT_NUMBER },
		{ "@first", AT_FIRST },
		{ "@last", AT_LAST },
	};
	size_t	 i, k, n;

	memset(path, 0, sizeof(*path));
	if (len == 0)
		return (perr(p, line, "a tag needs a name"));
	if (len == 1 && s[0] == '.')
		return (0);
	if (s[0] == '@') {
		for (k = 0; k < sizeof(ats) / sizeof(ats[0]); k++) {
			if (strlen(ats[k].name) == len &&
			    memcmp(ats[k].name, s, len) == 0) {
				path->at = ats[k].at;
				return (0);
			}
		}
		perr(p, line, "unknown loop variable ");
		quote(p->err, s, len);
		buf_puts(p->err, " (there are @index, @number, @first, @last)");
		return (-1);
	}

	n = 1;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			n++;
			continue;
		}
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-')
			continue;
		perr(p, line, "bad name ");
		quote(p->err, s, len);
		buf_puts(p->err, ": names are letters, digits, '_' and '-', "
		    "joined by '.'");
		return (-1);
	}
	if ((path->seg = calloc(n, sizeof(*path->seg))) == NULL)
		abort();
	path->nseg = n;
	k = 0;
	path->seg[0].s = s;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			path->seg[k].len = (size_t)(s + i - path->seg[k].s);
			path->seg[++k].s = s + i + 1;
		}
	}
	path->seg[k].len = (size_t)(s + len - path->seg[k].s);
	for (k = 0; k < n; k++) {
		if (path->seg[k].len == 0) {
			free(path->seg);
			memset(path, 0, sizeof(*path));
			perr(p, line, "bad name ");
			quote(p->err, s, len);
			buf_puts(p->err, ": empty part between dots");
			return (-1);
		}
	}
	return (0);
}

/* Template names: what a file name without ".html" may be. */
static int
valid_tname(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > 128 || s[0] == '.')
		return (0);
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return (0);
	}
	return (1);
}

static struct node *
node_add(struct nodes *ns)
{
	struct node	*v;
	size_t		 cap;

	if (ns->n == ns->cap) {
		cap = ns->cap == 0 ? 8 : ns->cap * 2;
		if ((v = reallocarray(ns->v, cap, sizeof(*v))) == NULL)
			abort();
		ns->v = v;
		ns->cap = cap;
	}
	memset(&ns->v[ns->n], 0, sizeof(ns->v[0]));
	return (&ns->v[ns->n++]);
}

/*
 * Nodes up to the end of the file, or up to the tag closing open (when
 * not NULL), which must then come.
 */
static int
parse_body(struct parser *p, struct nodes *out, const struct token *open,
    int depth)
{
	struct token	 tok;
	struct node	*n;
	const char	*s, *bar;
	size_t		 len, flen;
	int		 line;

	for (;;) {
		line = p->line;
		if (lex(p, &tok) == -1)
			return (-1);
		if (tok.textlen > 0) {
			n = node_add(out);
			n->type = N_TEXT;
			n->line = line;
			n->text = tok.text;
			n->len = tok.textlen;
		}
		switch (tok.type) {
		case T_EOF:
			if (open == NULL)
				return (0);
			perr(p, open->line, "%s", "");
			put_tag(p->err, open);
			buf_puts(p->err, " is never closed");
			return (-1);
		case T_COMMENT:
			break;
		case T_VAR:
			s = tok.tag;
			len = tok.taglen;
			flen = 0;
			if ((bar = memchr(s, '|', len)) != NULL) {
				flen = len - (size_t)(bar - s) - 1;
				len = (size_t)(bar - s);
				trim(&s, &len);
			}
			n = node_add(out);
			n->type = N_VAR;
			n->line = tok.line;
			if (parse_path(p, s, len, tok.line, &n->path) == -1)
				return (-1);
			n->filter = &tmpl_escapes[0];
			if (bar == NULL)
				break;
			s = bar + 1;
			trim(&s, &flen);
			n->filter = find_filter(p->set, s, flen);
			if (n->filter == NULL) {
				perr(p, tok.line, "unknown filter ");
				quote(p->err, s, flen);
				if (memchr(s, '|', flen) != NULL)
					buf_puts(p->err, " (one filter a tag)");
				return (-1);
			}
			break;
		case T_SECTION:
		case T_INVERTED:
			if (depth >= TMPL_MAX_NEST)
				return (perr(p, tok.line, "sections nested "
				    "more than %d deep", TMPL_MAX_NEST));
			n = node_add(out);
			n->type = tok.type == T_SECTION ? N_SECTION :
			    N_INVERTED;
			n->line = tok.line;
			if (parse_path(p, tok.tag, tok.taglen, tok.line,
			    &n->path) == -1)
				return (-1);
			if (parse_body(p, &n->body, &tok, depth + 1) == -1)
				return (-1);
			break;
		case T_CLOSE:
			if (open == NULL) {
				perr(p, tok.line, "%s", "");
				put_tag(p->err, &tok);
				buf_puts(p->err, " closes no section");
				return (-1);
			}
			if (tok.taglen != open->taglen ||
			    memcmp(tok.tag, open->tag, tok.taglen) != 0) {
				perr(p, tok.line, "%s", "");
				put_tag(p->err, &tok);
				buf_puts(p->err, " does not close ");
				put_tag(p->err, open);
				buf_printf(p->err, " of line %d", open->line);
				return (-1);
			}
			return (0);
		case T_PARTIAL:
			if (!valid_tname(tok.tag, tok.taglen)) {
				perr(p, tok.line, "bad template name ");
				quote(p->err, tok.tag, tok.taglen);
				return (-1);
			}
			n = node_add(out);
			n->type = N_PARTIAL;
			n->line = tok.line;
			if ((n->pname = strndup(tok.tag, tok.taglen)) == NULL)
				abort();
			break;
		}
	}
}

static void
nodes_free(struct nodes *ns)
{
	size_t	 i;

	for (i = 0; i < ns->n; i++) {
		free(ns->v[i].path.seg);
		free(ns->v[i].pname);
		nodes_free(&ns->v[i].body);
	}
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	nodes_free(&t->root);
	free(t->name);
	free(t->file);
	free(t->src);
	free(t);
}

/* The filter of that name in a table (NULL is an empty one), or NULL. */
static const struct tmpl_filter *
table_find(const struct tmpl_filter *t, const char *name, size_t len)
{
	for (; t != NULL && t->name != NULL; t++) {
		if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return (t);
	}
	return (NULL);
}

/*
 * The filter a tag names after its '|': one of the language's, but for
 * the first ({{x}} itself, whose name is empty), or one of the set's.
 */
static const struct tmpl_filter *
find_filter(const struct tmpl_set *set, const char *name, size_t len)
{
	const struct tmpl_filter	*f;

	if ((f = table_find(&tmpl_escapes[1], name, len)) != NULL)
		return (f);
	return (table_find(set->filters, name, len));
}

struct tmpl_set *
tmpl_set_new(const struct tmpl_filter *filters)
{
	struct tmpl_set			*set;
	const struct tmpl_filter	*f;

	if ((set = calloc(1, sizeof(*set))) == NULL)
		abort();
	set->filters = filters;
	/* Each name finds its own filter, not one before it. */
	for (f = filters; f != NULL && f->name != NULL; f++) {
		if (f->name[0] == '\0' ||
		    find_filter(set, f->name, strlen(f->name)) != f)
			abort();
	}
	set->max_steps = TMPL_MAX_STEPS;
	set->max_output = TMPL_MAX_OUTPUT;
	return (set);
}

void
tmpl_set_limits(struct tmpl_set *set, size_t max_steps, size_t max_output)
{
	set->max_steps = max_steps > 0 ? max_steps : TMPL_MAX_STEPS;
	set->max_output = max_output > 0 ? max_output : TMPL_MAX_OUTPUT;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *file,
    const char *text, size_t len, struct buf *err)
{
	struct parser	  p;
	struct tmpl	 *t, **v;
	size_t		  cap;

	if (file == NULL)
		file = name;
	memset(&p, 0, sizeof(p));
	p.set = set;
	p.file = file;
	p.err = err;
	if (!valid_tname(name, strlen(name)))
		return (perr(&p, 0, "bad template name: letters, digits, "
		    "'_', '-' and '.'"));
	if (find_tmpl(set, name, strlen(name)) != NULL)
		return (perr(&p, 0, "a template of this name is loaded "
		    "already"));
	if (len > TMPL_MAX_FILE)
		return (perr(&p, 0, "larger than %d bytes", TMPL_MAX_FILE));

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->name = strdup(name)) == NULL ||
	    (t->file = strdup(file)) == NULL ||
	    (t->src = malloc(len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->len = len;

	p.src = t->src;
	p.len = t->len;
	p.line = 1;
	if (parse_body(&p, &t->root, NULL, 0) == -1) {
		tmpl_free(t);
		return (-1);
	}

	if (set->n == set->cap) {
		cap = set->cap == 0 ? 16 : set->cap * 2;
		if ((v = reallocarray(set->v, cap, sizeof(*v))) == NULL)
			abort();
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n++] = t;
	qsort(set->v, set->n, sizeof(*set->v), cmp_tmpl);
	return (0);
}

static int
link_nodes(struct tmpl_set *set, const struct tmpl *t, struct nodes *ns,
    struct buf *err)
{
	struct node	*n;
	size_t		 i;
	int		 rc;

	rc = 0;
	for (i = 0; i < ns->n; i++) {
		n = &ns->v[i];
		if (n->type == N_PARTIAL) {
			n->partial = find_tmpl(set, n->pname, strlen(n->pname));
			if (n->partial == NULL) {
				if (err->len > 0)
					buf_putc(err, '\n');
				buf_printf(err, "%s:%d: no template '%s' for "
				    "{{> %s}}", t->file, n->line, n->pname,
				    n->pname);
				rc = -1;
			}
		}
		if (link_nodes(set, t, &n->body, err) == -1)
			rc = -1;
	}
	return (rc);
}

int
tmpl_set_link(struct tmpl_set *set, struct buf *err)
{
	size_t	 i;
	int	 rc;

	rc = 0;
	for (i = 0; i < set->n; i++) {
		if (link_nodes(set, set->v[i], &set->v[i]->root, err) == -1)
			rc = -1;
	}
	return (rc);
}

struct tmpl_set *
tmpl_set_parse_string(const char *name, const char *text, size_t len,
    const struct tmpl_filter *filters, struct buf *err)
{
	struct tmpl_set	*set;

	set = tmpl_set_new(filters);
	if (tmpl_set_add(set, name, NULL, text, len, err) == -1 ||
	    tmpl_set_link(set, err) == -1) {
		tmpl_set_free(set);
		return (NULL);
	}
	return (set);
}

static int
cmp_tmpl(const void *a, const void *b)
{
	const struct tmpl *const	*x = a;
	const struct tmpl *const	*y = b;

	return (strcmp((*x)->name, (*y)->name));
}

static int
cmp_str(const void *a, const void *b)
{
	const char *const	*x = a;
	const char *const	*y = b;

	return (strcmp(*x, *y));
}

static const struct tmpl *
find_tmpl(const struct tmpl_set *set, const char *name, size_t len)
{
	size_t	 lo, hi, mid;
	int	 c;

	lo = 0;
	hi = set->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(set->v[mid]->name, name, len);
		if (c == 0 && set->v[mid]->name[len] != '\0')
			c = 1;
		if (c == 0)
			return (set->v[mid]);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (NULL);
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return (find_tmpl(set, name, strlen(name)) != NULL);
}

static int
read_file(const char *path, struct buf *out, struct buf *err)
{
	FILE		*f;
	struct stat	 st;
	char		 chunk[8192];
	size_t		 n;
	int		 rc;

	if ((f = fopen(path, "r")) == NULL) {
		buf_printf(err, "%s%s: %s", err->len > 0 ? "\n" : "", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > TMPL_MAX_FILE) {
		buf_printf(err, "%s%s: not a regular file of at most %d "
		    "bytes", err->len > 0 ? "\n" : "", path, TMPL_MAX_FILE);
		fclose(f);
		return (-1);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	rc = ferror(f) ? -1 : 0;
	if (rc == -1)
		buf_printf(err, "%s%s: read error", err->len > 0 ? "\n" : "",
		    path);
	fclose(f);
	return (rc);
}

struct tmpl_set *
tmpl_set_load(const char *dir, const struct tmpl_filter *filters,
    struct buf *err)
{
	struct tmpl_set	 *set;
	DIR		 *d;
	struct dirent	 *de;
	struct buf	  path, text;
	char		**names, **v, *name;
	size_t		  n, cap, i, len;
	int		  rc;

	if ((d = opendir(dir)) == NULL) {
		buf_printf(err, "%s%s: %s", err->len > 0 ? "\n" : "", dir,
		    strerror(errno));
		return (NULL);
	}
	names = NULL;
	n = cap = 0;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".html") != 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			if ((v = reallocarray(names, cap, sizeof(*v))) == NULL)
				abort();
			names = v;
		}
		if ((names[n++] = strdup(de->d_name)) == NULL)
			abort();
	}
	closedir(d);
	/* Sorted, so that errors come in the same order every time. */
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);

	set = tmpl_set_new(filters);
	buf_init(&path);
	buf_init(&text);
	rc = 0;
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_reset(&text);
		buf_printf(&path, "%s/%s", dir, names[i]);
		name = names[i];
		name[strlen(name) - 5] = '\0';
		if (read_file(buf_cstr(&path), &text, err) == -1 ||
		    tmpl_set_add(set, name, buf_cstr(&path), text.data,
		    text.len, err) == -1)
			rc = -1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&path);
	buf_free(&text);
	if (rc == 0 && n == 0) {
		buf_printf(err, "%s%s: no *.html templates",
		    err->len > 0 ? "\n" : "", dir);
		rc = -1;
	}
	if (rc == 0)
		rc = tmpl_set_link(set, err);
	if (rc == -1) {
		tmpl_set_free(set);
		return (NULL);
	}
	return (set);
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

/*
 * Mustache's lookup: the first name is searched from the innermost frame
 * out, and a frame whose object has the key (even as null) ends the
 * search; the rest of a dotted name is looked up in what it found.  Loop
 * variables come from the innermost array section and are new values,
 * handed back in *tmp for the caller to release.
 */
static const json_t *
lookup(const struct path *path, const struct frame *f, json_t **tmp)
{
	const json_t	*v;
	size_t		 i;

	*tmp = NULL;
	if (path->at != AT_NONE) {
		while (f != NULL && !f->loop)
			f = f->up;
		if (f == NULL)
			return (NULL);
		switch (path->at) {
		case AT_INDEX:
			*tmp = json_integer((json_int_t)f->index);
			break;
		case AT_NUMBER:
			*tmp = json_integer((json_int_t)f->index + 1);
			break;
		case AT_FIRST:
			*tmp = json_boolean(f->index == 0);
			break;
		default:
			*tmp = json_boolean(f->index + 1 == f->count);
			break;
		}
		return (*tmp);
	}
	if (path->nseg == 0)
		return (f != NULL ? f->v : NULL);

	v = NULL;
	for (; f != NULL; f = f->up) {
		if (json_is_object(f->v) && (v = json_object_getn(f->v,
		    path->seg[0].s, path->seg[0].len)) != NULL)
			break;
	}
	for (i = 1; v != NULL && i < path->nseg; i++) {
		if (!json_is_object(v))
			return (NULL);
		v = json_object_getn(v, path->seg[i].s, path->seg[i].len);
	}
	return (v);
}

static int
truthy(const json_t *v)
{
	if (v == NULL)
		return (0);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return (1);
	case JSON_ARRAY:
		return (json_array_size(v) > 0);
	case JSON_STRING:
		return (json_string_length(v) > 0);
	case JSON_INTEGER:
		return (json_integer_value(v) != 0);
	case JSON_REAL:
		return (json_real_value(v) != 0.0);
	default:
		return (0);
	}
}

static int
rerr(struct render *r, int line, const char *fmt, ...)
{
	va_list	 ap;

	if (r->err->len > 0)
		buf_putc(r->err, '\n');
	buf_printf(r->err, "%s:%d: ", r->file, line);
	va_start(ap, fmt);
	buf_vprintf(r->err, fmt, ap);
	va_end(ap);
	return (-1);
}

static int
render_nodes(struct render *r, const struct nodes *ns, const struct frame *f)
{
	const struct node	*n;
	const json_t		*v;
	json_t			*tmp;
	struct frame		 sub;
	const char		*file;
	struct buf		 ferr;
	size_t			 i, k;
	int			 rc;

	for (i = 0; i < ns->n; i++) {
		n = &ns->v[i];
		if (++r->steps > r->set->max_steps)
			return (rerr(r, n->line, "too much work for one page"));
		if (r->out->len - r->start > r->set->max_output)
			return (rerr(r, n->line, "page too large"));
		rc = 0;
		switch (n->type) {
		case N_TEXT:
			buf_append(r->out, n->text, n->len);
			break;
		case N_VAR:
			v = lookup(&n->path, f, &tmp);
			buf_init(&ferr);
			if (n->filter->fn(r->out, v, &ferr) == -1)
				rc = rerr(r, n->line, "filter %s: %s",
				    n->filter->name, buf_cstr(&ferr));
			buf_free(&ferr);
			json_decref(tmp);
			break;
		case N_SECTION:
			v = lookup(&n->path, f, &tmp);
			memset(&sub, 0, sizeof(sub));
			sub.up = f;
			if (json_is_array(v)) {
				sub.loop = 1;
				sub.count = json_array_size(v);
				for (k = 0; rc == 0 && k < sub.count; k++) {
					sub.v = json_array_get(v, k);
					sub.index = k;
					rc = render_nodes(r, &n->body, &sub);
				}
			} else if (json_is_true(v)) {
				/* Nothing worth pushing: {{#@first}}{{.}}. */
				rc = render_nodes(r, &n->body, f);
			} else if (truthy(v)) {
				sub.v = v;
				rc = render_nodes(r, &n->body, &sub);
			}
			json_decref(tmp);
			break;
		case N_INVERTED:
			v = lookup(&n->path, f, &tmp);
			if (!truthy(v))
				rc = render_nodes(r, &n->body, f);
			json_decref(tmp);
			break;
		case N_PARTIAL:
			if (n->partial == NULL)
				return (rerr(r, n->line, "partial not linked"));
			if (r->pdepth >= TMPL_MAX_PARTIAL)
				return (rerr(r, n->line, "partials nested too "
				    "deep (a partial that includes itself?)"));
			r->pdepth++;
			file = r->file;
			r->file = n->partial->file;
			rc = render_nodes(r, &n->partial->root, f);
			r->file = file;
			r->pdepth--;
			break;
		}
		if (rc == -1)
			return (-1);
	}
	return (0);
}

int
tmpl_render(const struct tmpl_set *set, const char *name, const json_t *ctx,
    struct buf *out, struct buf *err)
{
	const struct tmpl	*t;
	struct render		 r;
	struct frame		 top;

	if ((t = find_tmpl(set, name, strlen(name))) == NULL) {
		if (err->len > 0)
			buf_putc(err, '\n');
		buf_printf(err, "no template '%s'", name);
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.err = err;
	r.start = out->len;
	r.file = t->file;
	memset(&top, 0, sizeof(top));
	top.v = ctx;
	return (render_nodes(&r, &t->root, ctx != NULL ? &top : NULL));
}
