/*
 * Facts: GET /api/v1/facts and /api/v1/facts/{place}/{variable}/{year}/history,
 * whose page also diffs two revisions (?old=A&new=B, or ?diff=A..B).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	api_facts(struct http_request *);
int	api_fact_history(struct http_request *);
/* POST /api/v1/facts writes a fact: facts_write.c. */
int	api_fact_save(struct http_request *);

/* The import format: what this answers as CSV imports back. */
static const struct view facts_view = {
	"facts", "api.facts(string_to_array($1, ','), "
	"string_to_array($2, ','), $3, $4, $5, $6, $7, $8)", "data",
	csv_import_cols,
	{ "?place", "?variable", "?from", "?to", "?source", "?limit=100",
	  "?cursor", "text" }, NULL, NULL, VIEW_PUBLIC
};

static const struct csv_col history_cols[] = {
	{ "revision", "revision", CSV_PATH },
	{ "action", "action", CSV_PATH },
	{ "at", "at", CSV_PATH },
	{ "user", "user", CSV_PATH },
	{ "comment", "comment", CSV_PATH },
	{ "old_value", "old.value", CSV_PATH },
	{ "old_source", "old.source", CSV_PATH },
	{ "old_note", "old.note", CSV_PATH },
	{ "new_value", "new.value", CSV_PATH },
	{ "new_source", "new.source", CSV_PATH },
	{ "new_note", "new.note", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

/* The page: sources named, and a diff of two revisions when asked. */
static const struct view history_page_view = {
	"history", "api.history_page($1, $2, $3, $4, $5, $6, $7)", NULL, NULL,
	{ "/3", "/2", "/1", "?old", "?new", "?diff", "text" }, "no such fact",
	NULL
};

static const struct view history_view = {
	"history", "api.fact_history($1, $2, $3, $4)", "revisions",
	history_cols,
	{ "/3", "/2", "/1", "text" }, "no such fact", &history_page_view,
	VIEW_PUBLIC
};

int
api_facts(struct http_request *req)
{
	if (req->method == HTTP_METHOD_POST)
		return (api_fact_save(req));
	return (view_serve(req, &facts_view));
}

int
api_fact_history(struct http_request *req)
{
	return (view_serve(req, &history_view));
}
