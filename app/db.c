/*
 * The one asynchronous query state machine: init -> query -> wait -> done.
 * Kore gives the connection back to its pool after each query, so a request
 * step runs exactly one statement: every write is one statement (a CTE or
 * an SQL function), and every read returns its whole document.
 *
 * Errors raised by the SQL functions carry SQLSTATE FWnnn, nnn being the
 * HTTP status to answer with; their message is the problem's detail, and
 * their DETAIL, when it is a JSON object, adds members to the problem.
 *
 * The query is bound to a callback, not to the request.  Bound to the
 * request, Kore 4.1 reads the connection on every packet and keeps only
 * its last state: when an error and the end of the results come in two
 * packets and the request has not run in between (it may wait for the next
 * turn of the event loop under load), the error is overwritten by "done"
 * and lost.  The callback sees every state as it happens and keeps what
 * matters: the first value, or the error.
 */

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define DB_STATE_QUERY	0
#define DB_STATE_WAIT	1
#define DB_STATE_ERROR	2
#define DB_STATE_DONE	3

/* How often queries whose connection died are looked for. */
#define DB_WATCH_MS	1000

static void	db_compose(struct http_request *, struct dbreq *);
static void	db_callback(struct kore_pgsql *, void *);
static void	db_keep_value(struct dbreq *);
static void	db_keep_error(struct dbreq *);
static void	db_finish(struct http_request *, struct dbreq *);
static void	db_watch(void *, u_int64_t);
static int	db_query(struct http_request *);
static int	db_wait(struct http_request *);
static int	db_error(struct http_request *);
static int	db_done(struct http_request *);
static void	db_onfree(struct http_request *);
static void	db_clear(struct dbreq *);

static struct http_state db_states[] = {
	KORE_HTTP_STATE(db_query),
	KORE_HTTP_STATE(db_wait),
	KORE_HTTP_STATE(db_error),
	KORE_HTTP_STATE(db_done),
};

#define DB_STATES	(sizeof(db_states) / sizeof(db_states[0]))

/* Queries sent and not finished, for db_watch(). */
static TAILQ_HEAD(, dbreq)	inflight = TAILQ_HEAD_INITIALIZER(inflight);

void
db_init(void)
{
	(void)kore_timer_add(db_watch, DB_WATCH_MS, NULL, 0);
}

struct dbreq *
db_new(struct http_request *req, const char *query, enum face face,
    db_done_cb done)
{
	struct dbreq	*q;

	q = http_state_create(req, sizeof(*q), db_onfree);
	q->req = req;
	q->face = face;
	db_next(req, query, done);
	return (q);
}

void
db_param(struct dbreq *q, const char *value)
{
	if (q->nparams == DB_MAXPARAMS)
		fatal("db_param: more than %d parameters", DB_MAXPARAMS);
	q->params[q->nparams++] = value != NULL ? kore_strdup(value) : NULL;
}

void
db_next(struct http_request *req, const char *query, db_done_cb done)
{
	struct dbreq	*q = http_state_get(req);

	db_clear(q);
	q->query = query;
	q->expr = NULL;
	q->with_user = 0;
	q->done = done;
	q->has_value = 0;
	q->value_len = 0;
	q->status = 0;
	q->finished = 0;
	kore_pgsql_init(&q->sql);
	kore_pgsql_bind_callback(&q->sql, db_callback, req);
	req->fsm_state = DB_STATE_QUERY;
}

int
db_run(struct http_request *req)
{
	return (http_state_run(db_states, DB_STATES, req));
}

/* Runs when the request goes, answered or not: nothing leaks. */
static void
db_onfree(struct http_request *req)
{
	struct dbreq	*q;

	if ((q = http_state_get(req)) == NULL)
		return;
	db_clear(q);
}

/* Frees what a query holds; the dbreq can then run another. */
static void
db_clear(struct dbreq *q)
{
	int	 i;

	if (q->listed) {
		TAILQ_REMOVE(&inflight, q, list);
		q->listed = 0;
	}
	/* Cleaning up calls the callback once more: it must not act. */
	q->sql.cb = NULL;
	kore_pgsql_cleanup(&q->sql);
	for (i = 0; i < q->nparams; i++)
		kore_free(q->params[i]);
	kore_free(q->value);
	kore_free(q->message);
	kore_free(q->detail);
	kore_free(q->composed);
	q->nparams = 0;
	q->value = q->message = q->detail = q->composed = NULL;
}

/*
 * A view's expression becomes SELECT expr, or, for a page, the expression
 * with the user of the session beside it (the session is the last $n).
 */
static void
db_compose(struct http_request *req, struct dbreq *q)
{
	struct buf	 sql;
	char		 hex[65];

	buf_init(&sql);
	if (q->with_user) {
		db_param(q, session_hash(req, hex, sizeof(hex)) ? hex : NULL);
		buf_printf(&sql, "SELECT api.page_doc(decode($%d, 'hex'), %s)",
		    q->nparams, q->expr);
	} else {
		buf_printf(&sql, "SELECT %s", q->expr);
	}
	q->composed = kore_strdup(buf_cstr(&sql));
	q->query = q->composed;
	buf_free(&sql);
}

/* The first column of the first row: all a step ever wants. */
static void
db_keep_value(struct dbreq *q)
{
	int	 len;

	if (q->has_value || kore_pgsql_ntuples(&q->sql) == 0 ||
	    kore_pgsql_nfields(&q->sql) == 0 ||
	    PQgetisnull(q->sql.result, 0, 0))
		return;
	len = kore_pgsql_getlength(&q->sql, 0, 0);
	q->value = kore_malloc((size_t)len + 1);
	memcpy(q->value, kore_pgsql_getvalue(&q->sql, 0, 0), (size_t)len);
	q->value[len] = '\0';
	q->value_len = (size_t)len;
	q->has_value = 1;
}

/*
 * FWnnn: the status and message the SQL function chose.  Anything else is
 * the server's fault (or the database is gone): log it, tell little.
 */
static void
db_keep_error(struct dbreq *q)
{
	const char	*state, *msg, *detail;

	if (q->status != 0)
		return;
	state = msg = detail = NULL;
	if (q->sql.result != NULL) {
		state = PQresultErrorField(q->sql.result, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(q->sql.result,
		    PG_DIAG_MESSAGE_PRIMARY);
		detail = PQresultErrorField(q->sql.result,
		    PG_DIAG_MESSAGE_DETAIL);
	}
	if (state != NULL && state[0] == 'F' && state[1] == 'W' &&
	    msg != NULL) {
		q->status = atoi(state + 2);
		q->message = kore_strdup(msg);
		if (detail != NULL)
			q->detail = kore_strdup(detail);
		return;
	}
	kore_pgsql_logerror(&q->sql);
	/* No result: the connection failed, not the statement. */
	q->status = q->sql.result == NULL ? 503 : 500;
}

static void
db_finish(struct http_request *req, struct dbreq *q)
{
	if (q->listed) {
		TAILQ_REMOVE(&inflight, q, list);
		q->listed = 0;
	}
	q->finished = 1;
	http_request_wakeup(req);
}

static void
db_callback(struct kore_pgsql *pgsql, void *arg)
{
	struct http_request	*req = arg;
	struct dbreq		*q = http_state_get(req);

	switch (pgsql->state) {
	case KORE_PGSQL_STATE_INIT:
		/* A connection came free: try again. */
		http_request_wakeup(req);
		break;
	case KORE_PGSQL_STATE_WAIT:
		http_request_sleep(req);
		break;
	case KORE_PGSQL_STATE_RESULT:
		db_keep_value(q);
		kore_pgsql_continue(pgsql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		db_keep_error(q);
		/* A statement's error: read on to the end.  A dead link: stop. */
		if (pgsql->result != NULL)
			kore_pgsql_continue(pgsql);
		else
			db_finish(req, q);
		break;
	case KORE_PGSQL_STATE_DONE:
		kore_pgsql_continue(pgsql);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		db_finish(req, q);
		break;
	default:
		break;
	}
}

/*
 * Kore tells a callback nothing when a connection dies under a query (it
 * only marks the query failed): wake such requests, so that they answer.
 */
static void
db_watch(void *arg, u_int64_t now)
{
	struct dbreq	*q, *next;

	(void)arg;
	(void)now;
	for (q = TAILQ_FIRST(&inflight); q != NULL; q = next) {
		next = TAILQ_NEXT(q, list);
		if (q->sql.state == KORE_PGSQL_STATE_ERROR && q->sql.conn == NULL) {
			db_keep_error(q);
			db_finish(q->req, q);
		}
	}
}

static int
db_query(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);
	const char	*values[DB_MAXPARAMS];
	int		 i;

	if (q->query == NULL)
		db_compose(req, q);
	if (!kore_pgsql_setup(&q->sql, FW_DB, KORE_PGSQL_ASYNC)) {
		/* Still INIT: queued until a connection is free. */
		if (q->sql.state == KORE_PGSQL_STATE_INIT) {
			http_request_sleep(req);
			return (HTTP_STATE_RETRY);
		}
		db_keep_error(q);
		req->fsm_state = DB_STATE_ERROR;
		return (HTTP_STATE_CONTINUE);
	}
	for (i = 0; i < q->nparams; i++)
		values[i] = q->params[i];
	req->fsm_state = DB_STATE_WAIT;
	TAILQ_INSERT_TAIL(&inflight, q, list);
	q->listed = 1;
	if (!kore_pgsql_query_param_fields(&q->sql, q->query, 0, q->nparams,
	    values, NULL, NULL)) {
		db_keep_error(q);
		db_finish(req, q);
	}
	return (HTTP_STATE_CONTINUE);
}

static int
db_wait(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	if (!q->finished) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}
	req->fsm_state = q->status != 0 ? DB_STATE_ERROR : DB_STATE_DONE;
	return (HTTP_STATE_CONTINUE);
}

static int
db_error(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);
	json_t		*extra;
	const char	*detail;

	/* Give the connection back before writing the answer. */
	q->sql.cb = NULL;
	kore_pgsql_cleanup(&q->sql);
	extra = NULL;
	if (q->detail != NULL) {
		extra = json_loads(q->detail, 0, NULL);
		if (extra != NULL && !json_is_object(extra)) {
			json_decref(extra);
			extra = NULL;
		}
	}
	if (q->message != NULL)
		detail = q->message;
	else if (q->status == 503)
		detail = "the database cannot be reached; try again soon";
	else
		detail = "something went wrong on our side; it was logged";
	(void)render_problem(req, q->face, q->status, detail, extra);
	return (HTTP_STATE_COMPLETE);
}

static int
db_done(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	(void)q->done(req, q, q->has_value ? q->value : NULL, q->value_len);
	/* The callback may have started another query with db_next(). */
	return (req->fsm_state == DB_STATE_QUERY ? HTTP_STATE_CONTINUE :
	    HTTP_STATE_COMPLETE);
}
