/*
 * The history of a place, variable or source: the edits made with its
 * form, each with the fields it changed.  GET /places/{slug}/history,
 * /variables/{slug}/history, /sources/{id}/history, and the same under
 * /api/v1, whose CSV face lists the revisions without their fields.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_place_history(struct http_request *);
int	api_variable_history(struct http_request *);
int	api_source_history(struct http_request *);

static const struct csv_col history_cols[] = {
	{ "revision", "revision", CSV_PATH },
	{ "action", "action", CSV_PATH },
	{ "at", "at", CSV_PATH },
	{ "user", "user", CSV_PATH },
	{ "comment", "comment", CSV_PATH },
	{ "change", "change", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view place_history_view = {
	"entity_history", "api.entity_history($1, $2)", "revisions",
	history_cols,
	{ "=place", "/1" }, "no such place", NULL, VIEW_PUBLIC
};

static const struct view variable_history_view = {
	"entity_history", "api.entity_history($1, $2)", "revisions",
	history_cols,
	{ "=variable", "/1" }, "no such variable", NULL, VIEW_PUBLIC
};

static const struct view source_history_view = {
	"entity_history", "api.entity_history($1, $2)", "revisions",
	history_cols,
	{ "=source", "/1" }, "no such source", NULL, VIEW_PUBLIC
};

int
api_place_history(struct http_request *req)
{
	return (view_serve(req, &place_history_view));
}

int
api_variable_history(struct http_request *req)
{
	return (view_serve(req, &variable_history_view));
}

int
api_source_history(struct http_request *req)
{
	return (view_serve(req, &source_history_view));
}
