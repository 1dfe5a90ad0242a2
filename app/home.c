/*
 * The home page: a search box, counts, ways in and the latest changes.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	page_home(struct http_request *);

static const struct view home_view = {
	"home", "api.home($1)", NULL, NULL, { "text" }, NULL, NULL,
	VIEW_PUBLIC
};

int
page_home(struct http_request *req)
{
	return (view_serve(req, &home_view));
}
