/*
 * The one asynchronous query state machine: init -> query -> wait -> done.
 * Kore gives the connection back to its pool after each query, so a request
 * step runs exactly one statement: every write is one statement (a CTE or
 * an SQL function), and every read returns its whole document.
 *
 * Errors raised by the SQL functions carry SQLSTATE FWnnn, nnn being the
 * HTTP status to answer with; their message is for the client, and their
 * DETAIL may hold more (the members of a problem).  Any other error is the
 * server's, or the database is gone: 500 or 503, and a message that says
 * little.
 *
 * What the answer looks like is not known here: whoever starts a query
 * gives it a callback for its value and one for its error, and keeps what
 * they need in the request's state, which the dbreq begins (answer.c).
 *
 * The query is bound to a callback, not to the request.  Bound to the
 * request, Kore 4.1 reads the connection on every packet and keeps only
 * its last state: when an error and the end of the results come in two
 * packets and the request has not run in between (it may wait for the next
 * turn of the event loop under load), the error is overwritten by "done"
 * and lost.  The callback sees every state as it happens and keeps what
 * matters: the first value, or the error.
 *
 * Requests take the worker's connections in the order they asked: Kore
 * wakes the first request of its queue when a connection comes free, but
 * a newer request that runs before it takes the connection, and the woken
 * one goes back to the end of the queue; under load a few wait for
 * hundreds of milliseconds.  So a request waits in our line, not Kore's,
 * and is handed its turn when a request before it gives one back; it
 * keeps the turn for the queries it runs one after another.
 *
 * A request decides once, at its first query, whether it reads on the
 * standby (replica.c) or on the primary, and keeps to it.  A query that
 * fails on the standby because the standby went away, or cannot serve it
 * (a conflict with its recovery, a write), runs again on the primary, and
 * the standby gets no more reads until it answers again.
 *
 * A request that may write (any but GET and HEAD) ends its statement by
 * counting its changes to the data the public reads (sql/013_version.sql):
 * its query is wrapped so that the version it made comes back beside its
 * value, and every worker knows the new version (version.c) before the
 * answer goes out.
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

/* The CTE runs the query whole before the version is counted. */
#define DB_WRITE	"WITH w AS MATERIALIZED (%s) " \
			"SELECT w.*, content_version_settle() FROM w"

static void	db_callback(struct kore_pgsql *, void *);
static void	db_keep_value(struct dbreq *);
static void	db_keep_error(struct dbreq *);
static void	db_finish(struct http_request *, struct dbreq *);
static void	db_watch(void *, u_int64_t);
static int	db_wait_turn(struct dbreq *);
static void	db_give_turn(struct dbreq *);
static void	db_reset(struct dbreq *);
static void	db_drop_result(struct dbreq *);
static void	db_arm(struct dbreq *);
static int	db_standby_failed(const PGresult *);
static void	db_fall_back(struct dbreq *);
static int	db_query(struct http_request *);
static int	db_send(struct dbreq *, const char **, int);
static int	db_wait(struct http_request *);
static int	db_error(struct http_request *);
static int	db_done(struct http_request *);
static int	db_then(struct http_request *);

static struct http_state db_states[] = {
	KORE_HTTP_STATE(db_query),
	KORE_HTTP_STATE(db_wait),
	KORE_HTTP_STATE(db_error),
	KORE_HTTP_STATE(db_done),
};

#define DB_STATES	(sizeof(db_states) / sizeof(db_states[0]))

/* Queries sent and not finished, for db_watch(). */
static TAILQ_HEAD(, dbreq)	inflight = TAILQ_HEAD_INITIALIZER(inflight);

/* Requests waiting for a connection, oldest first; how many have a turn. */
static TAILQ_HEAD(, dbreq)	waiting = TAILQ_HEAD_INITIALIZER(waiting);
static u_int32_t		turns;

void
db_init(void)
{
	(void)kore_timer_add(db_watch, DB_WATCH_MS, NULL, 0);
}

void
db_start(struct dbreq *q, struct http_request *req, const char *query,
    db_done_cb done, db_error_cb error)
{
	struct buf	 sql;

	db_reset(q);
	q->req = req;
	q->writes = req->method != HTTP_METHOD_GET &&
	    req->method != HTTP_METHOD_HEAD;
	if (q->writes) {
		buf_init(&sql);
		buf_printf(&sql, DB_WRITE, query);
		q->query = kore_strdup(buf_cstr(&sql));
		buf_free(&sql);
	} else {
		q->query = kore_strdup(query);
	}
	q->version = 0;
	q->done = done;
	q->error = error;
	if (q->route == DB_ROUTE_UNSET)
		q->route = replica_serves(req) ? DB_ROUTE_STANDBY :
		    DB_ROUTE_PRIMARY;
	db_arm(q);
}

/* q's query goes next, on a connection it has yet to take. */
static void
db_arm(struct dbreq *q)
{
	kore_pgsql_init(&q->sql);
	kore_pgsql_bind_callback(&q->sql, db_callback, q->req);
	q->req->fsm_state = DB_STATE_QUERY;
}

void
db_param(struct dbreq *q, const char *value)
{
	if (q->nparams + q->has_last == DB_MAXPARAMS)
		fatal("db_param: more than %d parameters", DB_MAXPARAMS);
	q->params[q->nparams++] = value != NULL ? kore_strdup(value) : NULL;
}

void
db_param_last(struct dbreq *q, const char *value)
{
	if (q->has_last || q->nparams == DB_MAXPARAMS)
		fatal("db_param_last: no room, or given twice");
	q->last = value != NULL ? kore_strdup(value) : NULL;
	q->has_last = 1;
}

int
db_run(struct http_request *req)
{
	return (http_state_run(db_states, DB_STATES, req));
}

void
db_clear(struct dbreq *q)
{
	db_reset(q);
	db_give_turn(q);
}

/* The query's parts and connection go; its turn stays with the request. */
static void
db_reset(struct dbreq *q)
{
	int	 i;

	db_drop_result(q);
	for (i = 0; i < q->nparams; i++)
		kore_free(q->params[i]);
	kore_free(q->last);
	kore_free(q->query);
	q->nparams = q->has_last = 0;
	q->last = q->query = NULL;
}

/* The query's connection and what it answered go; its text stays. */
static void
db_drop_result(struct dbreq *q)
{
	if (q->listed) {
		TAILQ_REMOVE(&inflight, q, list);
		q->listed = 0;
	}
	/* Cleaning up calls the callback once more: it must not act. */
	q->sql.cb = NULL;
	kore_pgsql_cleanup(&q->sql);
	kore_free(q->value);
	kore_free(q->message);
	kore_free(q->detail);
	q->value = q->message = q->detail = NULL;
	q->has_value = q->status = q->finished = q->fallback = 0;
	q->value_len = 0;
}

/*
 * The first column of the first row: all a step ever wants; and of a
 * write, the version it made, in the last.
 */
static void
db_keep_value(struct dbreq *q)
{
	int	 len, last;

	if (q->has_value || kore_pgsql_ntuples(&q->sql) == 0 ||
	    kore_pgsql_nfields(&q->sql) == 0)
		return;
	last = kore_pgsql_nfields(&q->sql) - 1;
	if (q->writes && last > 0 && !PQgetisnull(q->sql.result, 0, last))
		q->version = strtoull(kore_pgsql_getvalue(&q->sql, 0, last),
		    NULL, 10);
	if (PQgetisnull(q->sql.result, 0, 0))
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

	if (q->status != 0 || q->fallback)
		return;
	if (q->route == DB_ROUTE_STANDBY && db_standby_failed(q->sql.result)) {
		q->fallback = 1;
		return;
	}
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
	if (q->sql.result == NULL) {
		q->status = HTTP_STATUS_SERVICE_UNAVAILABLE;
		q->message = kore_strdup("the database cannot be reached; "
		    "try again soon");
	} else {
		q->status = HTTP_STATUS_INTERNAL_ERROR;
		q->message = kore_strdup("something went wrong on our side; "
		    "it was logged");
	}
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
		if (db_link_died(&q->sql)) {
			db_keep_error(q);
			db_finish(q->req, q);
		}
	}
}

int
db_link_died(const struct kore_pgsql *sql)
{
	return (sql->state == KORE_PGSQL_STATE_ERROR && sql->conn == NULL);
}

static int
db_query(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);
	const char	*values[DB_MAXPARAMS];
	int		 i, n;

	if (!db_wait_turn(q)) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}
	if (!kore_pgsql_setup(&q->sql, q->route == DB_ROUTE_STANDBY ?
	    FW_DB_READ : FW_DB, KORE_PGSQL_ASYNC)) {
		/* Still INIT: queued until a connection is free. */
		if (q->sql.state == KORE_PGSQL_STATE_INIT) {
			http_request_sleep(req);
			return (HTTP_STATE_RETRY);
		}
		if (q->route == DB_ROUTE_STANDBY) {
			db_fall_back(q);
			return (HTTP_STATE_CONTINUE);
		}
		db_keep_error(q);
		req->fsm_state = DB_STATE_ERROR;
		return (HTTP_STATE_CONTINUE);
	}
	for (i = 0; i < q->nparams; i++)
		values[i] = q->params[i];
	n = q->nparams;
	if (q->has_last)
		values[n++] = q->last;
	req->fsm_state = DB_STATE_WAIT;
	TAILQ_INSERT_TAIL(&inflight, q, list);
	q->listed = 1;
	if (!db_send(q, values, n)) {
		db_keep_error(q);
		db_finish(req, q);
	}
	return (HTTP_STATE_CONTINUE);
}

/*
 * A read goes as a prepared statement (prepare.c), everything else as Kore
 * sends it.  Sent, a query waits for its result as Kore's would.
 */
static int
db_send(struct dbreq *q, const char **values, int n)
{
	struct kore_pgsql	*sql = &q->sql;
	PGconn			*db = sql->conn->db;
	char			 name[16];

	if (q->writes || !prepare_read(db, q->query, name, sizeof(name)))
		return (kore_pgsql_query_param_fields(sql, q->query, 0, n,
		    values, NULL, NULL));
	if (!PQsendQueryPrepared(db, name, n, values, NULL, NULL, 0)) {
		kore_free(sql->error);
		sql->error = kore_strdup(PQerrorMessage(db));
		sql->state = KORE_PGSQL_STATE_ERROR;
		return (KORE_RESULT_ERROR);
	}
	kore_platform_schedule_read(PQsocket(db), sql->conn);
	sql->state = KORE_PGSQL_STATE_WAIT;
	sql->flags |= KORE_PGSQL_SCHEDULED;
	sql->cb(sql, sql->arg);
	return (KORE_RESULT_OK);
}

static int
db_wait(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	if (!q->finished) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}
	if (q->fallback) {
		db_fall_back(q);
		return (HTTP_STATE_CONTINUE);
	}
	req->fsm_state = q->status != 0 ? DB_STATE_ERROR : DB_STATE_DONE;
	return (HTTP_STATE_CONTINUE);
}

static int
db_error(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	/* Give the connection back before writing the answer. */
	q->sql.cb = NULL;
	kore_pgsql_cleanup(&q->sql);
	(void)q->error(req, q);
	return (db_then(req));
}

static int
db_done(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	/* Committed: the next request, on any worker, reads what it wrote. */
	if (q->version != 0)
		version_seen(q->version);
	if (q->route == DB_ROUTE_STANDBY && !q->said_lag) {
		http_response_header(req, REPLICA_LAG_HEADER, replica_lag());
		q->said_lag = 1;
	}
	(void)q->done(req, q, q->has_value ? q->value : NULL, q->value_len);
	return (db_then(req));
}

/* After a callback: it answered, or started another query with db_start(). */
static int
db_then(struct http_request *req)
{
	struct dbreq	*q = http_state_get(req);

	if (req->fsm_state == DB_STATE_QUERY)
		return (HTTP_STATE_CONTINUE);
	db_give_turn(q);
	return (HTTP_STATE_COMPLETE);
}

/*
 * Whether a read failed on the standby for the standby's sake: its link
 * (no result, or class 08), its shutting down or starting (57P), a
 * conflict with its recovery (40001), or a write it cannot make (25006).
 */
static int
db_standby_failed(const PGresult *res)
{
	const char	*state;

	if (res == NULL ||
	    (state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) == NULL)
		return (1);
	return (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3) ||
	    !strcmp(state, "40001") || !strcmp(state, "25006"));
}

/* The standby failed q: q runs again from the start, on the primary. */
static void
db_fall_back(struct dbreq *q)
{
	replica_failed();
	db_drop_result(q);
	q->route = DB_ROUTE_PRIMARY;
	db_arm(q);
}

/*
 * Whether q may take a connection now: it has its turn, or is the first to
 * ask while one is free.  Otherwise it joins the end of the line.
 */
static int
db_wait_turn(struct dbreq *q)
{
	if (q->turn)
		return (1);
	if (TAILQ_EMPTY(&waiting) && turns < pgsql_conn_max) {
		q->turn = 1;
		turns++;
		return (1);
	}
	if (!q->in_line) {
		TAILQ_INSERT_TAIL(&waiting, q, line);
		q->in_line = 1;
	}
	return (0);
}

/* q is done with the database: the first in line has the turn. */
static void
db_give_turn(struct dbreq *q)
{
	struct dbreq	*next;

	if (q->in_line) {
		TAILQ_REMOVE(&waiting, q, line);
		q->in_line = 0;
	}
	if (!q->turn)
		return;
	q->turn = 0;
	turns--;
	if ((next = TAILQ_FIRST(&waiting)) != NULL) {
		TAILQ_REMOVE(&waiting, next, line);
		next->in_line = 0;
		next->turn = 1;
		turns++;
		http_request_wakeup(next->req);
	}
}
