/*
 * A request whose answer waits for the database.  Its state is one struct
 * answer, made with its first query and freed with the request (even when
 * the client goes away); a callback that starts another query reuses it.
 * The query runner (db.c) keeps its dbreq there, and each layer above what
 * it needs to answer when the query is done: view.c the face and view,
 * page.c the template and status, a handler its own pointer.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "fw.h"

static int	answer_done(struct http_request *, struct dbreq *,
		    const char *, size_t);
static int	answer_error(struct http_request *, struct dbreq *);
static void	answer_free(struct http_request *);

struct answer *
answer_start(struct http_request *req, const char *query,
    answer_done_cb done, answer_error_cb error)
{
	struct answer	*a;

	int		 queries;

	if ((a = http_state_get(req)) == NULL)
		a = http_state_create(req, sizeof(*a), answer_free);
	/* What the last query's starter kept is not this one's. */
	queries = a->queries;
	memset((char *)a + sizeof(a->q), 0, sizeof(*a) - sizeof(a->q));
	a->queries = queries + 1;
	a->done = done;
	a->error = error;
	db_start(&a->q, req, query, answer_done, answer_error);
	return (a);
}

void
answer_end(struct http_request *req)
{
	answer_free(req);
	req->onfree = NULL;
	http_state_cleanup(req);
}

/* Runs when the request goes, answered or not: nothing leaks. */
static void
answer_free(struct http_request *req)
{
	struct answer	*a;

	if ((a = http_state_get(req)) != NULL)
		db_clear(&a->q);
}

static int
answer_done(struct http_request *req, struct dbreq *q, const char *value,
    size_t len)
{
	struct answer	*a = http_state_get(req);

	(void)q;
	return (a->done(req, a, value, len));
}

static int
answer_error(struct http_request *req, struct dbreq *q)
{
	struct answer	*a = http_state_get(req);

	(void)q;
	return (a->error(req, a));
}
