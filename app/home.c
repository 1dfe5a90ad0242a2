/*
 * The home page: a search box, counts, ways in and the latest changes.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	page_home(struct http_request *);

static const struct view home_view = {
	"home", "api.home($1)", NULL, NULL
};

int
page_home(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &home_view, face);
		view_text_param(q);
	}
	return (db_run(req));
}
