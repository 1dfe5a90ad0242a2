/*
 * The recent changes as an Atom 1.0 feed: GET /changes.atom.  The feed is
 * a template (templates/atom.html, which escapes all it prints, as XML
 * needs); each entry's id is the change's page, which never moves.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "fw.h"

#define FEED_ENTRIES	"50"

int	page_atom(struct http_request *);

static int	atom_done(struct http_request *, struct answer *,
		    const char *, size_t);

static int
atom_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	return (page_render_as(req, &a->ticket, "atom", HTTP_STATUS_OK,
	    "application/atom+xml", doc, len));
}

int
page_atom(struct http_request *req)
{
	struct cache_ticket	 t;
	struct dbreq		*q;

	if (!http_state_exists(req)) {
		if (req->method != HTTP_METHOD_GET &&
		    req->method != HTTP_METHOD_HEAD) {
			http_response_header(req, "allow", "GET, HEAD");
			return (render_problem(req, FACE_JSON,
			    HTTP_STATUS_METHOD_NOT_ALLOWED,
			    "a feed is read with GET", NULL));
		}
		/* The same feed for everyone; its links name the origin. */
		if (view_cached(req, FACE_JSON, 1, &t))
			return (KORE_RESULT_OK);
		q = view_query(req, "SELECT json_build_object('page', "
		    "api.feed($1))", FACE_JSON, atom_done);
		db_param(q, FEED_ENTRIES);
		view_keep(req, &t);
	}
	return (db_run(req));
}
