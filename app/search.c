/*
 * Search by name: GET /api/v1/search?q= (what the search box suggests as
 * one types) and the results page, /search?q=.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

/* Hits of each kind: a few for the suggest box, more on the page. */
#define SEARCH_SUGGEST	"10"
#define SEARCH_PAGE	"50"

int	api_search(struct http_request *);

static const struct csv_col search_cols[] = {
	{ "type", "type", CSV_PATH },
	{ "name", "name", CSV_PATH },
	{ "href", "href", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view search_view = {
	"search", "api.search($1, $2, $3)", "data", search_cols
};

int
api_search(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	const char	*limit;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if ((limit = param(req, "limit")) == NULL)
			limit = face == FACE_HTML ? SEARCH_PAGE : SEARCH_SUGGEST;
		q = view_start(req, &search_view, face);
		db_param(q, param(req, "q"));
		db_param(q, limit);
		view_text_param(q);
	}
	return (db_run(req));
}
