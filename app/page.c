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
