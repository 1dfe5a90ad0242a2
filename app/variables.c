/*
 * Variables: GET /api/v1/variables and /api/v1/variables/{slug}, and their
 * pages.  A variable's page has more than its API document: the place x
 * year table (?from, ?to, paged by ?cursor) and a chart comparing the
 * places of ?compare (?add puts one more on it).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "core/slug.h"
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
	"variables", "api.variables($1, $2, $3)", "data",
	variables_cols
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

static const struct view variable_view = {
	"variable", "api.variable($1)", "places", variable_cols
};

static const struct view variable_page_view = {
	"variable", "api.variable_page($1, $2, $3, string_to_array($4, ','), "
	"$5, $6, $7, $8)", NULL, NULL
};

/* Rows of the place x year table on one page. */
#define VARIABLE_PAGE_ROWS	"100"

int
api_variables(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &variables_view, face);
		db_param(q, param(req, "q"));
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
	}
	return (db_run(req));
}

int
api_variable(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 slug[SLUG_MAX + 1];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 0, slug, sizeof(slug)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such variable", NULL));
		if (face == FACE_HTML) {
			q = view_start(req, &variable_page_view, face);
			db_param(q, slug);
			db_param(q, param(req, "from"));
			db_param(q, param(req, "to"));
			db_param(q, param(req, "compare"));
			db_param(q, param(req, "add"));
			db_param(q, VARIABLE_PAGE_ROWS);
			db_param(q, param(req, "cursor"));
			view_text_param(q);
		} else {
			q = view_start(req, &variable_view, face);
			db_param(q, slug);
		}
	}
	return (db_run(req));
}
