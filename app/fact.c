/*
 * One fact: GET /facts/{place}/{variable}/{year}, as it is now or as it was
 * at a revision (?revision=N, the permalink a citation gives).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

int	page_fact(struct http_request *);

static const struct view fact_view = {
	"fact", "api.fact_page($1, $2, $3, $4, $5)", NULL, NULL,
	{ "/2", "/1", "/0", "?revision", "text" }, "no such fact", NULL,
	VIEW_PUBLIC
};

int
page_fact(struct http_request *req)
{
	return (view_serve(req, &fact_view));
}
