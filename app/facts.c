/*
 * Facts: GET /api/v1/facts and /api/v1/facts/{place}/{variable}/{year}/history,
 * whose page also diffs two revisions (?old=A&new=B, or ?diff=A..B).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "core/slug.h"
#include "fw.h"

int	api_facts(struct http_request *);
int	api_fact_history(struct http_request *);
/* POST /api/v1/facts writes a fact: facts_write.c. */
int	api_fact_save(struct http_request *);

/* The import format: what this answers as CSV imports back. */
static const struct csv_col facts_cols[] = {
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

static const struct view facts_view = {
	"facts", "api.facts(string_to_array($1, ','), "
	"string_to_array($2, ','), $3, $4, $5, $6, $7, $8)", "data", facts_cols
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

static const struct view history_view = {
	"history", "api.fact_history($1, $2, $3, $4)", "revisions",
	history_cols
};

/* The page: sources named, and a diff of two revisions when asked. */
static const struct view history_page_view = {
	"history", "api.history_page($1, $2, $3, $4, $5, $6, $7)", NULL, NULL
};

int
api_facts(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (req->method == HTTP_METHOD_POST)
		return (api_fact_save(req));
	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &facts_view, face);
		db_param(q, param(req, "place"));
		db_param(q, param(req, "variable"));
		db_param(q, param(req, "from"));
		db_param(q, param(req, "to"));
		db_param(q, param(req, "source"));
		db_param(q, param_limit(req));
		db_param(q, param(req, "cursor"));
		view_text_param(q);
	}
	return (db_run(req));
}

int
api_fact_history(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 place[SLUG_MAX + 1], variable[SLUG_MAX + 1];
	char		 year[8];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 3, place, sizeof(place)) == -1 ||
		    path_tail(req, 2, variable, sizeof(variable)) == -1 ||
		    path_tail(req, 1, year, sizeof(year)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such fact", NULL));
		q = view_start(req, face == FACE_HTML ? &history_page_view :
		    &history_view, face);
		db_param(q, place);
		db_param(q, variable);
		db_param(q, year);
		if (face == FACE_HTML) {
			db_param(q, param(req, "old"));
			db_param(q, param(req, "new"));
			db_param(q, param(req, "diff"));
		}
		view_text_param(q);
	}
	return (db_run(req));
}
