/*
 * Places: GET /api/v1/places and /api/v1/places/{slug}.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "core/slug.h"
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
	"places", "api.places($1, $2, $3, $4, $5)", "data", places_cols
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
	"place", "api.place($1, $2)", "variables", place_cols
};

int
api_places(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &places_view, face);
		db_param(q, param(req, "q"));
		db_param(q, param(req, "kind"));
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
		view_text_param(q);
	}
	return (db_run(req));
}

int
api_place(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 slug[SLUG_MAX + 1];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 0, slug, sizeof(slug)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such place", NULL));
		q = view_start(req, &place_view, face);
		db_param(q, slug);
		view_text_param(q);
	}
	return (db_run(req));
}
