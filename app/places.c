/*
 * Places: GET /api/v1/places and /api/v1/places/{slug}.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_places(struct http_request *);
int	api_place(struct http_request *);

static const struct csv_col places_cols[] = {
	{ "slug", "slug", CSV_PATH },
	{ "name", "name", CSV_PATH },
	{ "kind", "kind", CSV_PATH },
	{ "parent", "parent", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view places_view = {
	"places", "api.places($1, $2, $3, $4, $5)", "data", places_cols,
	{ "?q", "?kind", "?limit=100", "?cursor", "text" }, NULL, NULL,
	VIEW_PUBLIC
};

static const struct csv_col place_cols[] = {
	{ "variable", "slug", CSV_PATH },
	{ "name", "name", CSV_PATH },
	{ "unit", "unit", CSV_PATH },
	{ "first_year", "first_year", CSV_PATH },
	{ "last_year", "last_year", CSV_PATH },
	{ "count", "count", CSV_PATH },
	{ "latest_value", "latest.value", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view place_view = {
	"place", "api.place($1, $2)", "variables", place_cols,
	{ "/0", "text" }, "no such place", NULL, VIEW_PUBLIC
};

int
api_places(struct http_request *req)
{
	return (view_serve(req, &places_view));
}

int
api_place(struct http_request *req)
{
	return (view_serve(req, &place_view));
}
