/*
 * Reads from a standby.  With DATABASE_READ_URL set (a PostgreSQL
 * streaming standby of DATABASE_URL's primary), the public reads of
 * requests that carry no credentials go there; every write, every request
 * of someone signed in (so that an editor always reads their own writes),
 * the sessions, the rate limits and the tallies stay on the primary.
 *
 * Each worker asks the standby every REPLICA_POLL_MS which version of the
 * data it has replayed (sql/013_version.sql) and how far behind it is.
 * Answers read there are made at that version: their ETags name it, and
 * the worker's cache keeps them only once the standby has caught up with
 * the version the primary announced (cache.c), so that nothing older is
 * ever kept as newer.  A standby that does not answer, or is more than
 * FACTWIKI_MAX_LAG seconds (10) behind, gets no reads until it is back; a
 * read that fails there because the standby went away runs again on the
 * primary (db.c), so no request fails for it.
 *
 * Answers read on the standby say how far behind it was, in seconds, in
 * X-Replica-Lag (as Wikidata's maxlag lets a bot back off): 0 when it had
 * every version the primary announced, else the age of the last
 * transaction it replayed.
 */

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define REPLICA_URL_ENV		"DATABASE_READ_URL"
#define REPLICA_POLL_MS		200
/* A poll unanswered this long: the standby is taken as gone. */
#define REPLICA_STALL_MS	2000
/* Further behind than this, the standby gets no reads (seconds). */
#define REPLICA_MAX_LAG_ENV	"FACTWIKI_MAX_LAG"
#define REPLICA_MAX_LAG_S	10.0

#define REPLICA_QUERY \
	"SELECT version, extract(epoch from now() - " \
	"pg_last_xact_replay_timestamp()) FROM content_version"

static struct {
	double		 max_lag;
	int		 up;
	uint64_t	 version;	/* the last one the standby had */
	char		 lag[32];	/* X-Replica-Lag */
	struct kore_pgsql sql;
	int		 polling;
	int		 over;		/* Kore is done with this poll */
	u_int64_t	 started;
	int		 answered;	/* this poll got its row */
	uint64_t	 seen;		/* this poll's version */
	double		 age;		/* this poll's replay age, seconds */
} replica;

static void	replica_poll(void *, u_int64_t);
static void	replica_send(void);
static void	replica_heard(struct kore_pgsql *, void *);
static void	replica_end(void);
static void	replica_state(int, const char *);

void
replica_init(void)
{
	const char	*url, *lag;
	char		*end;

	if ((url = getenv(REPLICA_URL_ENV)) == NULL || url[0] == '\0')
		return;
	replica.max_lag = REPLICA_MAX_LAG_S;
	if ((lag = getenv(REPLICA_MAX_LAG_ENV)) != NULL && lag[0] != '\0') {
		replica.max_lag = strtod(lag, &end);
		if (*end != '\0' || !(replica.max_lag > 0) ||
		    replica.max_lag > 86400)
			fatal("%s must be a number of seconds above 0, up to "
			    "86400", REPLICA_MAX_LAG_ENV);
	}
	if (!kore_pgsql_register(FW_DB_READ, url))
		fatal("cannot register the standby's database");
	(void)kore_timer_add(replica_poll, REPLICA_POLL_MS, NULL, 0);
}

int
replica_serves(struct http_request *req)
{
	const char	*authz;

	/* Credentials of any kind, good or not, read the primary. */
	return (replica.up &&
	    (req->method == HTTP_METHOD_GET ||
	    req->method == HTTP_METHOD_HEAD) &&
	    !http_request_header(req, "authorization", &authz) &&
	    cookie_get(req, SESSION_COOKIE) == NULL);
}

uint64_t
replica_version(struct http_request *req)
{
	return (replica_serves(req) ? replica.version : version_now());
}

const char *
replica_lag(void)
{
	return (replica.lag);
}

void
replica_failed(void)
{
	replica_state(0, "a read there failed");
}

static void
replica_state(int up, const char *why)
{
	if (up != replica.up)
		kore_log(up ? LOG_NOTICE : LOG_WARNING, "the standby %s: %s",
		    up ? "takes reads again" : "gets no reads", why);
	replica.up = up;
}

static void
replica_poll(void *arg, u_int64_t now)
{
	(void)arg;
	if (replica.polling && !replica.over && db_link_died(&replica.sql)) {
		replica.answered = 0;
		replica.over = 1;
		replica_state(0, "its connection failed");
	}
	if (replica.polling && !replica.over) {
		if (now - replica.started > REPLICA_STALL_MS) {
			replica.answered = 0;
			replica_end();
			replica_state(0, "it does not answer");
		}
		return;
	}
	/* Ended here, out of Kore's callback, which may still use it. */
	if (replica.polling)
		replica_end();
	replica.polling = 1;
	replica.over = 0;
	replica.started = now;
	replica.answered = 0;
	kore_pgsql_init(&replica.sql);
	kore_pgsql_bind_callback(&replica.sql, replica_heard, NULL);
	replica_send();
}

static void
replica_send(void)
{
	if (!kore_pgsql_setup(&replica.sql, FW_DB_READ, KORE_PGSQL_ASYNC)) {
		/* Queued: the callback says when a connection is free. */
		if (replica.sql.state == KORE_PGSQL_STATE_INIT)
			return;
		replica.over = 1;
		replica_state(0, "it cannot be reached");
		return;
	}
	if (!kore_pgsql_query(&replica.sql, REPLICA_QUERY)) {
		replica.over = 1;
		replica_state(0, "it cannot be asked");
	}
}

static void
replica_heard(struct kore_pgsql *sql, void *arg)
{
	const char	*age;

	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		replica_send();
		break;
	case KORE_PGSQL_STATE_RESULT:
		if (kore_pgsql_ntuples(sql) == 1) {
			replica.answered = 1;
			replica.seen = strtoull(kore_pgsql_getvalue(sql, 0, 0),
			    NULL, 10);
			age = kore_pgsql_getvalue(sql, 0, 1);
			/* No transaction replayed yet: as old as can be. */
			replica.age = age[0] != '\0' ? strtod(age, NULL) :
			    replica.max_lag + 1;
		}
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		replica.answered = 0;
		if (sql->result != NULL) {
			kore_pgsql_continue(sql);
			break;
		}
		replica.over = 1;
		replica_state(0, "its connection failed");
		break;
	case KORE_PGSQL_STATE_DONE:
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		replica.over = 1;
		break;
	default:
		break;
	}
}

/* The poll is over: what it found, if it found anything, counts. */
static void
replica_end(void)
{
	double	 lag;
	int	 answered;

	answered = replica.answered;
	replica.polling = 0;
	replica.answered = 0;
	/* Cleaning up calls the callback once more: it must not act. */
	replica.sql.cb = NULL;
	kore_pgsql_cleanup(&replica.sql);
	if (!answered)
		return;
	lag = replica.seen >= version_now() && version_now() != 0 ? 0 :
	    replica.age > 0 ? replica.age : 0;
	replica.version = replica.seen;
	(void)snprintf(replica.lag, sizeof(replica.lag), "%.3f", lag);
	if (lag > replica.max_lag)
		replica_state(0, "it is too far behind");
	else
		replica_state(1, "it answers");
}
