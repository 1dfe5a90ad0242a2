/*
 * Variables: GET /api/v1/variables and /api/v1/variables/{slug}, and their
 * pages.  A variable's page has more than its API document: the place x
 * year table (?from, ?to, paged by ?cursor) and a chart comparing the
 * places of ?compare (?add puts one more on it).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_variables(struct http_request *);
int	api_variable(struct http_request *);

static const struct csv_col variables_cols[] = {
	{ "slug", "slug", CSV_PATH },
	{ "name", "name", CSV_PATH },
	{ "unit", "unit", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view variables_view = {
	"variables", "api.variables($1, $2, $3)", "data", variables_cols,
	{ "?q", "?limit=100", "?cursor" }, NULL, NULL, VIEW_PUBLIC
};

static const struct csv_col variable_cols[] = {
	{ "place", "slug", CSV_PATH },
	{ "name", "name", CSV_PATH },
	{ "kind", "kind", CSV_PATH },
	{ "first_year", "first_year", CSV_PATH },
	{ "last_year", "last_year", CSV_PATH },
	{ "count", "count", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

/* The page: the place x year table, 100 places at a time, and a chart. */
static const struct view variable_page_view = {
	"variable", "api.variable_page($1, $2, $3, string_to_array($4, ','), "
	"$5, $6, $7, $8)", NULL, NULL,
	{ "/0", "?from", "?to", "?compare", "?add", "=100", "?cursor", "text" },
	"no such variable", NULL
};

static const struct view variable_view = {
	"variable", "api.variable($1)", "places", variable_cols,
	{ "/0" }, "no such variable", &variable_page_view, VIEW_PUBLIC
};

int
api_variables(struct http_request *req)
{
	return (view_serve(req, &variables_view));
}

int
api_variable(struct http_request *req)
{
	return (view_serve(req, &variable_view));
}
