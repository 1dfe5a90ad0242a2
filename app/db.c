/*
 * The one asynchronous query state machine: init -> query -> wait -> read
 * -> done.  Kore gives the connection back to its pool after each query,
 * so a request runs exactly one statement: every write is one statement
 * (a CTE or an SQL function), and every read returns its whole document.
 *
 * Errors raised by the SQL functions carry SQLSTATE FWnnn, nnn being the
 * HTTP status to answer with; their message is the problem's detail, and
 * their DETAIL, when it is a JSON object, adds members to the problem.
 */

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define DB_STATE_QUERY	0
#define DB_STATE_WAIT	1
#define DB_STATE_READ	2
#define DB_STATE_ERROR	3
#define DB_STATE_DONE	4

static void	db_compose(struct http_request *, struct dbreq *);
static int	db_query(struct http_request *);
static int	db_wait(struct http_request *);
static int	db_read(struct http_request *);
static int	db_error(struct http_request *);
static int	db_done(struct http_request *);
static void	db_onfree(struct http_request *);
static void	db_clear(struct dbreq *);
static void	db_take_error(struct dbreq *);

static struct http_state db_states[] = {
	KORE_HTTP_STATE(db_query),
	KORE_HTTP_STATE(db_wait),
	KORE_HTTP_STATE(db_read),
	KORE_HTTP_STATE(db_error),
	KORE_HTTP_STATE(db_done),
};

#define DB_STATES	(sizeof(db_states) / sizeof(db_states[0]))

struct dbreq *
db_new(struct http_request *req, const char *query, enum face face,
    db_done_cb done)
{
	struct dbreq	*q;

	q = http_state_create(req, sizeof(*q), db_onfree);
	kore_pgsql_init(&q->sql);
	kore_pgsql_bind_request(&q->sql, req);
	q->query = query;
	q->face = face;
	q->done = done;
	req->fsm_state = DB_STATE_QUERY;
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
	kore_pgsql_init(&q->sql);
	kore_pgsql_bind_request(&q->sql, req);
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

static int
db_query(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);
	const char	*values[DB_MAXPARAMS];
	int		 i;

	if (q->query == NULL)
		db_compose(req, q);
	req->fsm_state = DB_STATE_WAIT;
	if (!kore_pgsql_setup(&q->sql, FW_DB, KORE_PGSQL_ASYNC)) {
		/* Still INIT: queued until a connection is free. */
		if (q->sql.state == KORE_PGSQL_STATE_INIT) {
			req->fsm_state = DB_STATE_QUERY;
			return (HTTP_STATE_RETRY);
		}
		kore_pgsql_logerror(&q->sql);
		q->status = 503;
		req->fsm_state = DB_STATE_ERROR;
		return (HTTP_STATE_CONTINUE);
	}
	for (i = 0; i < q->nparams; i++)
		values[i] = q->params[i];
	if (!kore_pgsql_query_param_fields(&q->sql, q->query, 0, q->nparams,
	    values, NULL, NULL)) {
		db_take_error(q);
		req->fsm_state = DB_STATE_ERROR;
	}
	return (HTTP_STATE_CONTINUE);
}

static int
db_wait(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	switch (q->sql.state) {
	case KORE_PGSQL_STATE_WAIT:
		return (HTTP_STATE_RETRY);
	case KORE_PGSQL_STATE_COMPLETE:
		req->fsm_state = DB_STATE_DONE;
		break;
	case KORE_PGSQL_STATE_ERROR:
		db_take_error(q);
		req->fsm_state = DB_STATE_ERROR;
		break;
	case KORE_PGSQL_STATE_RESULT:
		req->fsm_state = DB_STATE_READ;
		break;
	default:
		kore_pgsql_continue(&q->sql);
		break;
	}
	return (HTTP_STATE_CONTINUE);
}

static int
db_read(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);
	int		 len;

	if (!q->has_value && kore_pgsql_ntuples(&q->sql) > 0 &&
	    kore_pgsql_nfields(&q->sql) > 0 &&
	    !PQgetisnull(q->sql.result, 0, 0)) {
		len = kore_pgsql_getlength(&q->sql, 0, 0);
		q->value = kore_malloc((size_t)len + 1);
		memcpy(q->value, kore_pgsql_getvalue(&q->sql, 0, 0),
		    (size_t)len);
		q->value[len] = '\0';
		q->value_len = (size_t)len;
		q->has_value = 1;
	}
	kore_pgsql_continue(&q->sql);
	req->fsm_state = DB_STATE_WAIT;
	return (HTTP_STATE_CONTINUE);
}

/*
 * FWnnn: the status and message the SQL function chose.  Anything else is
 * the server's fault (or the database is gone): log it, tell little.
 */
static void
db_take_error(struct dbreq *q)
{
	const char	*state, *msg, *detail;

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

static int
db_error(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);
	json_t		*extra;
	const char	*detail;

	/* Give the connection back before writing the answer. */
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

	kore_pgsql_cleanup(&q->sql);
	(void)q->done(req, q, q->has_value ? q->value : NULL, q->value_len);
	/* The callback may have started another query with db_next(). */
	return (req->fsm_state == DB_STATE_QUERY ? HTTP_STATE_CONTINUE :
	    HTTP_STATE_COMPLETE);
}
