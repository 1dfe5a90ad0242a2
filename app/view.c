/*
 * Views: one resource, several faces.  The database builds the document
 * (exact decimals included); the JSON face sends it untouched, the CSV
 * face flattens one of its arrays with csv.c's columns, the HTML face is
 * a page (page.c).  A handler's own query is answered in a face too: its
 * errors here.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/csvout.h"
#include "core/html.h"
#include "fw.h"

static int	view_done(struct http_request *, struct answer *,
		    const char *, size_t);
static int	view_csv(struct http_request *, struct answer *,
		    const char *, size_t);
static json_t	*lookup(json_t *, const char *);
static json_t	*source_of(json_t *, json_t *);
static void	cell(struct buf *, json_t *, int);
static void	link_next(struct http_request *, json_t *);

/* What a query may hold unescaped (RFC 3986 pchar, "/" and "?"). */
#define URI_QUERY_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789-._~!$'()*+,;=:@/?%"

/* Path segments are slugs, ids and years; anything longer is no page. */
#define SEGMENT_MAX	80

/* The import format: the columns of facts as `factwiki export` writes. */
const struct csv_col csv_import_cols[] = {
	{ "place", "place", CSV_PATH },
	{ "variable", "variable", CSV_PATH },
	{ "year", "year", CSV_PATH },
	{ "value", "value", CSV_PATH },
	{ "unit", "unit", CSV_PATH },
	{ "source", NULL, CSV_SOURCE },
	{ "source_title", NULL, CSV_SOURCE_TITLE },
	{ "note", "note", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

int
view_serve(struct http_request *req, const struct view *v)
{
	struct cache_ticket	 t;
	struct dbreq		*q;
	enum face		 face;
	const char		*a, *eq, *value;
	char			 seg[SEGMENT_MAX], name[32];
	int			 i, public;

	if (http_state_exists(req))
		return (db_run(req));
	if (view_admit(req, &face) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	public = v->public;
	if (face == FACE_HTML && v->page != NULL)
		v = v->page;
	for (i = 0; i < VIEW_MAXARGS && (a = v->args[i]) != NULL; i++) {
		if (a[0] == '/' &&
		    path_tail(req, a[1] - '0', seg, sizeof(seg)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, v->missing, NULL));
	}
	memset(&t, 0, sizeof(t));
	if (public && view_cached(req, face, face == FACE_HTML, &t))
		return (KORE_RESULT_OK);
	q = view_start(req, v, face);
	view_keep(req, &t);
	for (i = 0; i < VIEW_MAXARGS && (a = v->args[i]) != NULL; i++) {
		switch (a[0]) {
		case '/':
			(void)path_tail(req, a[1] - '0', seg, sizeof(seg));
			db_param(q, seg);
			break;
		case '?':
			eq = strchr(a, '=');
			(void)snprintf(name, sizeof(name), "%.*s",
			    (int)(eq != NULL ? eq - a - 1 : (long)strlen(a + 1)),
			    a + 1);
			if ((value = param(req, name)) == NULL && eq != NULL)
				value = eq + 1;
			db_param(q, value);
			break;
		case '=':
			db_param(q, a + 1);
			break;
		default:
			/* Numbers as text for the CSV and HTML faces. */
			db_param(q, face == FACE_JSON ? "false" : "true");
			break;
		}
	}
	return (db_run(req));
}

int
view_admit(struct http_request *req, enum face *face)
{
	/* param_face() parses the query string; a page must do it itself. */
	if (strncmp(req->path, "/api/", 5)) {
		http_populate_qs(req);
		*face = FACE_HTML;
	} else {
		*face = param_face(req);
	}
	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD) {
		http_response_header(req, "allow", "GET, HEAD");
		(void)render_problem(req, *face,
		    HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "this resource is read with GET", NULL);
		return (KORE_RESULT_ERROR);
	}
	return (params_check(req, *face));
}

struct dbreq *
view_start(struct http_request *req, const struct view *v, enum face face)
{
	struct dbreq	*q;
	struct answer	*a;
	struct buf	 sql;

	if (face == FACE_HTML) {
		q = page_query(req, v->name, v->expr, HTTP_STATUS_OK,
		    view_done);
	} else {
		buf_init(&sql);
		buf_printf(&sql, "SELECT %s", v->expr);
		q = view_query(req, buf_cstr(&sql), face, view_done);
		buf_free(&sql);
	}
	a = http_state_get(req);
	a->view = v;
	return (q);
}

int
view_cached(struct http_request *req, enum face face, int page,
    struct cache_ticket *t)
{
	struct cache_hit	 hit;
	struct buf		 key;
	int			 known;

	memset(t, 0, sizeof(*t));
	buf_init(&key);
	buf_printf(&key, "%d %s?%s", face, req->path,
	    req->query_string != NULL ? req->query_string : "");
	known = (!page || page_cache_key(req, &key) == 0) &&
	    cache_ticket(t, req, key.data, key.len);
	buf_free(&key);
	if (!known)
		return (0);
	if (render_unchanged(req, t))
		return (1);
	if (!cache_find(t, &hit))
		return (0);
	cache_replay(req, &hit);
	t->keep = 0;
	(void)render_answer(req, t, HTTP_STATUS_OK, hit.type, hit.body,
	    hit.len);
	return (1);
}

void
view_keep(struct http_request *req, const struct cache_ticket *t)
{
	struct answer	*a = http_state_get(req);

	a->ticket = *t;
}

struct dbreq *
view_query(struct http_request *req, const char *query, enum face face,
    answer_done_cb done)
{
	struct answer	*a;

	a = answer_start(req, query, done, view_failed);
	a->face = face;
	return (&a->q);
}

/*
 * A page is refused with its error page; a problem's DETAIL that is a JSON
 * object adds its members to the problem.
 */
int
view_failed(struct http_request *req, struct answer *a)
{
	json_t	*extra;

	if (a->face == FACE_HTML)
		return (page_refused(req, a->q.status, a->q.message));
	extra = NULL;
	if (a->q.detail != NULL &&
	    (extra = json_loads(a->q.detail, 0, NULL)) != NULL &&
	    !json_is_object(extra)) {
		json_decref(extra);
		extra = NULL;
	}
	return (render_problem(req, a->face, a->q.status, a->q.message,
	    extra));
}

static int
view_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	if (doc == NULL)
		return (render_problem(req, a->face, HTTP_STATUS_NOT_FOUND,
		    "nothing here", NULL));
	switch (a->face) {
	case FACE_CSV:
		return (view_csv(req, a, doc, len));
	case FACE_HTML:
		return (page_render_as(req, &a->ticket, a->tmpl, a->status,
		    PAGE_HTML, doc, len));
	default:
		return (render_answer(req, &a->ticket, HTTP_STATUS_OK,
		    "application/json", doc, len));
	}
}

/* a.b.c from obj; a leading "/" starts from the document instead. */
static json_t *
lookup(json_t *obj, const char *path)
{
	const char	*dot;
	char		 key[64];
	size_t		 len;

	while (obj != NULL && *path != '\0') {
		dot = strchr(path, '.');
		len = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (len >= sizeof(key))
			return (NULL);
		memcpy(key, path, len);
		key[len] = '\0';
		obj = json_object_get(obj, key);
		path += len + (dot != NULL);
	}
	return (obj);
}

/*
 * The source object of a row: the row's own {id, title, url}, or the one
 * its id names in the document's sources[].
 */
static json_t *
source_of(json_t *doc, json_t *row)
{
	json_t	*src, *s;
	size_t	 i;

	src = json_object_get(row, "source");
	if (json_is_object(src))
		return (src);
	json_array_foreach(json_object_get(doc, "sources"), i, s) {
		if (json_equal(json_object_get(s, "id"), src))
			return (s);
	}
	return (NULL);
}

static void
cell(struct buf *out, json_t *v, int first)
{
	char	 num[32];

	/* Absent (an old value of a first revision): an empty cell. */
	if (v == NULL) {
		csv_field(out, "", 0, first);
		return;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		csv_field(out, json_string_value(v), json_string_length(v),
		    first);
		break;
	case JSON_INTEGER:
		(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		csv_field(out, num, strlen(num), first);
		break;
	case JSON_TRUE:
		csv_field(out, "true", 4, first);
		break;
	case JSON_FALSE:
		csv_field(out, "false", 5, first);
		break;
	default:
		/* null, and reals: the documents of the CSV face have none. */
		csv_field(out, "", 0, first);
		break;
	}
}

static int
view_csv(struct http_request *req, struct answer *a, const char *text,
    size_t len)
{
	const struct view	*v = a->view;
	const struct csv_col	*c;
	struct buf		 out;
	json_t			*doc, *row, *src, *url;
	size_t			 i;
	char			 ref[32];

	if ((doc = json_loadb(text, len, 0, NULL)) == NULL)
		fatal("view_csv: %s: the database sent bad JSON", v->name);
	buf_init(&out);
	for (c = v->csv_cols; c->name != NULL; c++)
		csv_field(&out, c->name, strlen(c->name), c == v->csv_cols);
	csv_endrow(&out);
	json_array_foreach(json_object_get(doc, v->csv_rows), i, row) {
		for (c = v->csv_cols; c->name != NULL; c++) {
			switch (c->kind) {
			case CSV_SOURCE:
				/* As the importer reads it: URL, or #ID. */
				src = source_of(doc, row);
				url = json_object_get(src, "url");
				if (json_is_string(url)) {
					cell(&out, url, c == v->csv_cols);
					break;
				}
				(void)snprintf(ref, sizeof(ref),
				    "#%" JSON_INTEGER_FORMAT, json_integer_value(
				    json_object_get(src, "id")));
				csv_field(&out, ref, strlen(ref),
				    c == v->csv_cols);
				break;
			case CSV_SOURCE_TITLE:
				cell(&out, json_object_get(source_of(doc, row),
				    "title"), c == v->csv_cols);
				break;
			default:
				cell(&out, c->path[0] == '/' ?
				    lookup(doc, c->path + 1) :
				    lookup(row, c->path), c == v->csv_cols);
				break;
			}
		}
		csv_endrow(&out);
	}
	link_next(req, doc);
	json_decref(doc);
	(void)render_answer(req, &a->ticket, HTTP_STATUS_OK,
	    "text/csv; charset=utf-8", out.data, out.len);
	buf_free(&out);
	return (KORE_RESULT_OK);
}

/*
 * A CSV page has no room for the cursor of the next: it goes in a Link
 * header (RFC 8288), the request's URL with that cursor.
 */
static void
link_next(struct http_request *req, json_t *doc)
{
	struct buf	 url;
	json_t		*next;
	const char	*q, *end, *p;

	next = json_object_get(doc, "next");
	if (!json_is_string(next))
		return;
	buf_init(&url);
	buf_printf(&url, "<%s?", req->path);
	/* The other parameters as sent (and checked), escaped for a URI. */
	for (q = req->query_string; q != NULL && *q != '\0';
	    q = end + (*end == '&')) {
		end = q + strcspn(q, "&");
		if (end == q || (strncmp(q, "cursor", 6) == 0 &&
		    (q + 6 == end || q[6] == '=')))
			continue;
		for (p = q; p < end; p++) {
			if (strchr(URI_QUERY_CHARS, *p) != NULL)
				buf_putc(&url, *p);
			else
				buf_printf(&url, "%%%02X", (unsigned char)*p);
		}
		buf_putc(&url, '&');
	}
	buf_puts(&url, "cursor=");
	html_url_component(&url, json_string_value(next),
	    json_string_length(next));
	buf_puts(&url, ">; rel=\"next\"");
	http_response_header(req, "link", url.data);
	buf_free(&url);
}
