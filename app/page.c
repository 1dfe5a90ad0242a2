/*
 * The HTML face: a template from templates/ rendered with the document the
 * database built, the signed-in user beside it.  Templates escape all
 * they print (core/tmpl.c); nothing here writes markup by hand.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/tmpl.h"
#include "fw.h"

static struct tmpl_set	*templates;

static int	page_send(struct http_request *, const char *, int, json_t *);
static int	page_with_user_done(struct http_request *, struct dbreq *,
		    const char *, size_t);
static json_t	*origin(struct http_request *);

int
page_init(void)
{
	struct buf	 err;

	buf_init(&err);
	if ((templates = tmpl_set_load("templates", &err)) == NULL) {
		kore_log(LOG_ERR, "templates:\n%s", buf_cstr(&err));
		buf_free(&err);
		return (-1);
	}
	buf_free(&err);
	return (0);
}

/* Renders ctx (consumed) with template name; a failure is a plain 500. */
static int
page_send(struct http_request *req, const char *name, int status,
    json_t *ctx)
{
	struct buf	 out, err;
	static const char oops[] = "the page could not be drawn; it was logged";

	(void)json_object_set_new(ctx, "path", json_string(req->path));
	(void)json_object_set_new(ctx, "origin", origin(req));
	buf_init(&out);
	buf_init(&err);
	if (tmpl_render(templates, name, ctx, &out, &err) == -1) {
		kore_log(LOG_ERR, "template %s: %s", name, buf_cstr(&err));
		http_response_header(req, "content-type",
		    "text/plain; charset=utf-8");
		http_response(req, HTTP_STATUS_INTERNAL_ERROR, oops,
		    sizeof(oops) - 1);
	} else {
		(void)render_body(req, status, "text/html; charset=utf-8",
		    out.data, out.len);
	}
	buf_free(&out);
	buf_free(&err);
	json_decref(ctx);
	return (KORE_RESULT_OK);
}

/*
 * scheme://host of this server as the client reached it, for links that
 * leave the site (citations, feeds).  Behind a TLS proxy, its
 * X-Forwarded-Proto says https.
 */
static json_t *
origin(struct http_request *req)
{
	const char	*proto;
	struct buf	 b;
	json_t		*o;

	if (!http_request_header(req, "x-forwarded-proto", &proto) ||
	    strcmp(proto, "https"))
		proto = "http";
	buf_init(&b);
	buf_printf(&b, "%s://%s", proto, req->host != NULL ? req->host : "");
	o = json_string(buf_cstr(&b));
	buf_free(&b);
	return (o != NULL ? o : json_string(""));
}

int
page_render(struct http_request *req, const char *name, int status,
    const char *doc, size_t len)
{
	json_t		*ctx;
	json_error_t	 jerr;

	if ((ctx = json_loadb(doc, len, 0, &jerr)) == NULL)
		fatal("page %s: the database sent bad JSON: %s", name,
		    jerr.text);
	return (page_send(req, name, status, ctx));
}

static int
page_with_user_done(struct http_request *req, struct dbreq *q,
    const char *doc, size_t len)
{
	return (page_render(req, q->tmpl, q->tmpl_status, doc, len));
}

int
page_with_user(struct http_request *req, const char *name, int status,
    json_t *doc)
{
	struct dbreq	*q;
	char		*text;
	int		 chained;

	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text == NULL)
		fatal("page_with_user: out of memory");
	if ((chained = http_state_exists(req))) {
		db_next(req, NULL, page_with_user_done);
		q = http_state_get(req);
		q->face = FACE_HTML;
	} else {
		q = db_new(req, NULL, FACE_HTML, page_with_user_done);
	}
	q->expr = "$1::json";
	q->with_user = 1;
	q->tmpl = name;
	q->tmpl_status = status;
	db_param(q, text);
	free(text);
	return (chained ? KORE_RESULT_OK : db_run(req));
}

int
page_error(struct http_request *req, int status, const char *detail)
{
	json_t	*ctx;

	ctx = json_pack("{s:n, s:{s:i, s:s, s:s}}", "user", "page",
	    "status", status, "title", status_title(status),
	    "detail", detail);
	if (ctx == NULL)
		ctx = json_pack("{s:n, s:{s:i}}", "user", "page", "status",
		    status);
	return (page_send(req, "error", status, ctx));
}
