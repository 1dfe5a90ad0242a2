/*
 * Search by name: GET /api/v1/search?q= (what the search box suggests as
 * one types) and the results page, /search?q=.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"


int	api_search(struct http_request *);

static const struct csv_col search_cols[] = {
	{ "type", "type", CSV_PATH },
	{ "name", "name", CSV_PATH },
	{ "href", "href", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

/* Hits of each kind: a few for the suggest box, more on the page. */
static const struct view search_page_view = {
	"search", "api.search($1, $2, $3)", NULL, NULL,
	{ "?q", "?limit=50", "text" }, NULL, NULL
};

static const struct view search_view = {
	"search", "api.search($1, $2, $3)", "data", search_cols,
	{ "?q", "?limit=10", "text" }, NULL, &search_page_view, VIEW_PUBLIC
};

int
api_search(struct http_request *req)
{
	return (view_serve(req, &search_view));
}
