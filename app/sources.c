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
	"sources", "api.sources($1, $2, $3)", "data", sources_cols,
	{ "?q", "?limit=100", "?cursor" }, NULL, NULL, VIEW_PUBLIC
};

static const struct view source_view = {
	"source", "api.source($1, $2, $3, $4)", "facts", csv_import_cols,
	{ "/0", "?limit=100", "?cursor", "text" }, "no such source", NULL,
	VIEW_PUBLIC
};

int
api_sources(struct http_request *req)
{
	return (view_serve(req, &sources_view));
}

int
api_source(struct http_request *req)
{
	return (view_serve(req, &source_view));
}
