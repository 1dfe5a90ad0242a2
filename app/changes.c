/*
 * Recent changes: GET /api/v1/changes, newest first (?kind=, ?user= filter
 * them), and one change with the revisions it wrote: GET
 * /api/v1/changes/{id}.  Their pages too.
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
	"changes", "api.changes($1, $2, $3, $4, $5)", "data", changes_cols,
	{ "?limit=100", "?cursor", "text", "?kind", "?user" }, NULL, NULL,
	VIEW_PUBLIC
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
	"change", "api.change($1, $2, $3, $4)", "revisions", change_cols,
	{ "/0", "?limit=100", "?cursor", "text" }, "no such change", NULL,
	VIEW_PUBLIC
};

int
api_changes(struct http_request *req)
{
	return (view_serve(req, &changes_view));
}

int
api_change(struct http_request *req)
{
	return (view_serve(req, &change_view));
}
