/*
 * GET /api/v1/openapi.json, and the answers for paths that lead nowhere.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_openapi(struct http_request *);
int	api_not_found(struct http_request *);
int	page_not_found(struct http_request *);

int
api_openapi(struct http_request *req)
{
	enum face	 face;

	if (view_admit(req, &face) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	return (render_body(req, HTTP_STATUS_OK, "application/json",
	    openapi_doc.data, openapi_doc.len));
}

/* Never an HTML error page on /api. */
int
api_not_found(struct http_request *req)
{
	return (render_problem(req, FACE_JSON, HTTP_STATUS_NOT_FOUND,
	    "no such endpoint: see /api/v1/openapi.json", NULL));
}

/* Every other path: a page that says so. */
int
page_not_found(struct http_request *req)
{
	return (page_error(req, HTTP_STATUS_NOT_FOUND,
	    "There is no page at this address."));
}
