/*
 * A chart alone: GET /charts/{place}/{variable}.svg draws the series as
 * the series page does, for embedding in other pages; ?compare=a,b adds
 * other places' series of the same variable (ten places at most), ?from
 * and ?to cut the years.  An image is no page: problems are answered as
 * application/problem+json, never as HTML.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/slug.h"
#include "core/svg.h"
#include "fw.h"

#define SVG_SUFFIX	".svg"

int	page_chart(struct http_request *);

static int	chart_done(struct http_request *, struct answer *,
		    const char *, size_t);

static int
chart_done(struct http_request *req, struct answer *a, const char *text,
    size_t len)
{
	struct buf	 out, err;
	json_t		*doc;

	if (text == NULL)
		return (render_problem(req, a->face, HTTP_STATUS_NOT_FOUND,
		    "nothing here", NULL));
	if ((doc = json_loadb(text, len, 0, NULL)) == NULL)
		fatal("chart: the database sent bad JSON");
	buf_init(&out);
	buf_init(&err);
	buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (svg_line_chart_json(&out, doc, &err) == -1) {
		kore_log(LOG_ERR, "chart %s: %s", req->path, buf_cstr(&err));
		(void)render_problem(req, a->face,
		    HTTP_STATUS_INTERNAL_ERROR, "the chart could not be "
		    "drawn; it was logged", NULL);
	} else {
		(void)render_answer(req, &a->ticket, HTTP_STATUS_OK,
		    "image/svg+xml", out.data, out.len);
	}
	buf_free(&out);
	buf_free(&err);
	json_decref(doc);
	return (KORE_RESULT_OK);
}

int
page_chart(struct http_request *req)
{
	struct cache_ticket	 t;
	struct dbreq		*q;
	char			 place[SLUG_MAX + 1];
	char			 file[SLUG_MAX + sizeof(SVG_SUFFIX)];
	size_t			 len;

	if (!http_state_exists(req)) {
		if (req->method != HTTP_METHOD_GET &&
		    req->method != HTTP_METHOD_HEAD) {
			http_response_header(req, "allow", "GET, HEAD");
			return (render_problem(req, FACE_JSON,
			    HTTP_STATUS_METHOD_NOT_ALLOWED,
			    "a chart is read with GET", NULL));
		}
		http_populate_qs(req);
		if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		/* The route's regex has checked both; the file ends .svg. */
		if (path_tail(req, 1, place, sizeof(place)) == -1 ||
		    path_tail(req, 0, file, sizeof(file)) == -1 ||
		    (len = strlen(file)) <= strlen(SVG_SUFFIX))
			return (render_problem(req, FACE_JSON,
			    HTTP_STATUS_NOT_FOUND, "no such chart", NULL));
		file[len - strlen(SVG_SUFFIX)] = '\0';
		if (view_cached(req, FACE_JSON, 0, &t))
			return (KORE_RESULT_OK);
		/* In FROM, to be inlined and planned once (prepare.c). */
		q = view_query(req, "SELECT (SELECT d FROM api.chart($1, $2, "
		    "string_to_array($3, ','), $4, $5) d)", FACE_JSON,
		    chart_done);
		db_param(q, place);
		db_param(q, file);
		db_param(q, param(req, "compare"));
		db_param(q, param(req, "from"));
		db_param(q, param(req, "to"));
		view_keep(req, &t);
	}
	return (db_run(req));
}
