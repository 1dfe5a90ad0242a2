/*
 * Sources: GET /api/v1/sources and /api/v1/sources/{id}.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_sources(struct http_request *);
int	api_source(struct http_request *);

static const struct csv_col sources_cols[] = {
	{ "id", "id", CSV_PATH },
	{ "title", "title", CSV_PATH },
	{ "url", "url", CSV_PATH },
	{ "publisher", "publisher", CSV_PATH },
	{ "published", "published", CSV_PATH },
	{ "accessed", "accessed", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view sources_view = {
	"sources", "api.sources($1, $2, $3)", "data", sources_cols
};

/* The facts a source backs, in the import format. */
static const struct csv_col source_cols[] = {
	{ "place", "place", CSV_PATH },
	{ "variable", "variable", CSV_PATH },
	{ "year", "year", CSV_PATH },
	{ "value", "value", CSV_PATH },
	{ "unit", "unit", CSV_PATH },
	{ "source", NULL, CSV_SOURCE },
	{ "source_title", NULL, CSV_SOURCE_TITLE },
	{ "note", "note", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view source_view = {
	"source", "api.source($1, $2, $3, $4)", "facts", source_cols
};

int
api_sources(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &sources_view, face);
		db_param(q, param(req, "q"));
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
	}
	return (db_run(req));
}

int
api_source(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 id[20];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 0, id, sizeof(id)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such source", NULL));
		q = view_start(req, &source_view, face);
		db_param(q, id);
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
		view_text_param(q);
	}
	return (db_run(req));
}
