/*
 * Results: GET /api/v1/proposals/{slug}/result (JSON, or CSV with
 * format=csv), exactly as the tally stored them, and the result page,
 * /proposals/{slug}/result (?page=N: a thousand voters a page).  404 until
 * the proposal is tallied.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "core/slug.h"
#include "fw.h"

int	api_proposal_result(struct http_request *);

static int	result_done(struct http_request *, struct answer *,
		    const char *, size_t);
static int	result_page_done(struct http_request *, struct answer *,
		    const char *, size_t);

int
api_proposal_result(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 slug[SLUG_MAX + 1], hex[65];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 1, slug, sizeof(slug)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such proposal", NULL));
		if (face == FACE_HTML) {
			q = view_query(req, "SELECT api.result_page($1, "
			    "decode($2, 'hex'), $3)", face, result_page_done);
			db_param(q, slug);
			db_param(q, session_hash(req, hex, sizeof(hex)) ? hex :
			    NULL);
			db_param(q, param(req, "page"));
		} else {
			q = view_query(req, "SELECT api.result($1, $2)", face,
			    result_done);
			db_param(q, slug);
			db_param(q, face == FACE_CSV ? "true" : "false");
		}
	}
	return (db_run(req));
}

static int
result_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	return (render_body(req, HTTP_STATUS_OK, a->face == FACE_CSV ?
	    "text/csv; charset=utf-8" : "application/json", doc, len));
}

static int
result_page_done(struct http_request *req, struct answer *a,
    const char *doc, size_t len)
{
	(void)a;
	return (page_render(req, "result", HTTP_STATUS_OK, doc, len));
}
