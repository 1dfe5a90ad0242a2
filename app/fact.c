/*
 * One fact: GET /facts/{place}/{variable}/{year}, as it is now or as it was
 * at a revision (?revision=N, the permalink a citation gives).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "core/slug.h"
#include "fw.h"

int	page_fact(struct http_request *);

static const struct view fact_view = {
	"fact", "api.fact_page($1, $2, $3, $4, $5)", NULL, NULL
};

int
page_fact(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 place[SLUG_MAX + 1], variable[SLUG_MAX + 1];
	char		 year[8];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 2, place, sizeof(place)) == -1 ||
		    path_tail(req, 1, variable, sizeof(variable)) == -1 ||
		    path_tail(req, 0, year, sizeof(year)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such fact", NULL));
		q = view_start(req, &fact_view, face);
		db_param(q, place);
		db_param(q, variable);
		db_param(q, year);
		db_param(q, param(req, "revision"));
		view_text_param(q);
	}
	return (db_run(req));
}
