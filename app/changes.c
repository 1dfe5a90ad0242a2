/*
 * Recent changes: GET /api/v1/changes, newest first, and one change with
 * the revisions it wrote: GET /api/v1/changes/{id}.  Their pages too.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_changes(struct http_request *);
int	api_change(struct http_request *);

static const struct csv_col changes_cols[] = {
	{ "id", "id", CSV_PATH },
	{ "at", "at", CSV_PATH },
	{ "user", "user", CSV_PATH },
	{ "kind", "kind", CSV_PATH },
	{ "comment", "comment", CSV_PATH },
	{ "facts_added", "facts_added", CSV_PATH },
	{ "facts_updated", "facts_updated", CSV_PATH },
	{ "facts_deleted", "facts_deleted", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view changes_view = {
	"changes", "api.changes($1, $2, $3)", "data", changes_cols
};

static const struct csv_col change_cols[] = {
	{ "place", "place", CSV_PATH },
	{ "variable", "variable", CSV_PATH },
	{ "year", "year", CSV_PATH },
	{ "revision", "revision", CSV_PATH },
	{ "action", "action", CSV_PATH },
	{ "old_value", "old", CSV_PATH },
	{ "new_value", "new", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view change_view = {
	"change", "api.change($1, $2, $3, $4)", "revisions", change_cols
};

int
api_changes(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &changes_view, face);
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
		view_text_param(q);
	}
	return (db_run(req));
}

int
api_change(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 id[20];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 0, id, sizeof(id)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such change", NULL));
		q = view_start(req, &change_view, face);
		db_param(q, id);
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
		view_text_param(q);
	}
	return (db_run(req));
}
