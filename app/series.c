/*
 * Series: GET /api/v1/series/{place}/{variable} and its page, now or as of
 * a change (?as_of=CHANGE_ID, the permalink a citation gives).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_series(struct http_request *);

/* The import format again, one row per observation. */
static const struct csv_col series_cols[] = {
	{ "place", "/place.slug", CSV_PATH },
	{ "variable", "/variable.slug", CSV_PATH },
	{ "year", "year", CSV_PATH },
	{ "value", "value", CSV_PATH },
	{ "unit", "/variable.unit", CSV_PATH },
	{ "source", NULL, CSV_SOURCE },
	{ "source_title", NULL, CSV_SOURCE_TITLE },
	{ "note", "note", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

/*
 * Both in FROM, so that their SQL is inlined and planned once (prepare.c).
 * The page: sources named on each row, history, what to cite.
 */
static const struct view series_page_view = {
	"series", "(SELECT d FROM api.series_page($1, $2, $3, $4, $5, $6) d)",
	NULL, NULL,
	{ "/1", "/0", "?from", "?to", "?as_of", "text" }, "no such series",
	NULL
};

static const struct view series_view = {
	"series", "(SELECT d FROM api.series($1, $2, $3, $4, $5, $6) d)",
	"observations",
	series_cols,
	{ "/1", "/0", "?from", "?to", "?as_of", "text" }, "no such series",
	&series_page_view, VIEW_PUBLIC
};

int
api_series(struct http_request *req)
{
	return (view_serve(req, &series_view));
}
