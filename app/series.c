/*
 * Series: GET /api/v1/series/{place}/{variable} and its page, now or as of
 * a change (?as_of=CHANGE_ID, the permalink a citation gives).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "core/slug.h"
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

static const struct view series_view = {
	"series", "api.series($1, $2, $3, $4, $5, $6)", "observations",
	series_cols
};

/* The page: sources named on each row, history, what to cite. */
static const struct view series_page_view = {
	"series", "api.series_page($1, $2, $3, $4, $5, $6)", NULL, NULL
};

int
api_series(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 place[SLUG_MAX + 1], variable[SLUG_MAX + 1];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 1, place, sizeof(place)) == -1 ||
		    path_tail(req, 0, variable, sizeof(variable)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such series", NULL));
		q = view_start(req, face == FACE_HTML ? &series_page_view :
		    &series_view, face);
		db_param(q, place);
		db_param(q, variable);
		db_param(q, param(req, "from"));
		db_param(q, param(req, "to"));
		db_param(q, param(req, "as_of"));
		view_text_param(q);
	}
	return (db_run(req));
}
