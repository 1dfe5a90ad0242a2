/*
 * Series documents, made in the background (sql/015_series_docs.sql): the
 * first worker asks the database to make those of stale series, a batch
 * at a time, while a batch finds more to make, and again when the version
 * of the data moves or DOCS_IDLE_MS have passed.  A series without its
 * document is answered from its rows: a batch that fails, or a server that
 * never runs one, only makes answers slower, never wrong.
 */

#include <kore/kore.h>
#include <kore/pgsql.h>

#include <string.h>

#include "fw.h"

#define DOCS_TICK_MS	100
#define DOCS_IDLE_MS	5000
#define DOCS_BATCH	"1000"
#define DOCS_QUERY	"SELECT api.series_docs_fill($1)"

static struct {
	struct kore_pgsql sql;
	int		 busy;
	int		 over;		/* Kore is done with this batch */
	int		 more;		/* the last batch was full */
	uint64_t	 version;	/* the version of the last empty batch */
	u_int64_t	 last;
} docs;

static void	docs_tick(void *, u_int64_t);
static void	docs_send(void);
static void	docs_heard(struct kore_pgsql *, void *);

void
docs_init(void)
{
	/* One worker is enough; more would wait on each other's lock. */
	if (worker == NULL || worker->id != 1)
		return;
	(void)kore_timer_add(docs_tick, DOCS_TICK_MS, NULL, 0);
}

static void
docs_tick(void *arg, u_int64_t now)
{
	(void)arg;
	if (docs.busy && !docs.over && db_link_died(&docs.sql))
		docs.over = 1;
	if (docs.busy && !docs.over)
		return;
	/* Ended here, out of Kore's callback, which may still use it. */
	if (docs.busy) {
		docs.busy = 0;
		docs.sql.cb = NULL;
		kore_pgsql_cleanup(&docs.sql);
	}
	if (!docs.more && docs.version == version_now() &&
	    now - docs.last < DOCS_IDLE_MS)
		return;
	docs.busy = 1;
	docs.over = 0;
	docs.more = 0;
	docs.version = version_now();
	docs.last = now;
	kore_pgsql_init(&docs.sql);
	kore_pgsql_bind_callback(&docs.sql, docs_heard, NULL);
	docs_send();
}

static void
docs_send(void)
{
	if (!kore_pgsql_setup(&docs.sql, FW_DB, KORE_PGSQL_ASYNC)) {
		/* Queued: the callback says when a connection is free. */
		if (docs.sql.state != KORE_PGSQL_STATE_INIT)
			docs.over = 1;
		return;
	}
	if (!kore_pgsql_query_params(&docs.sql, DOCS_QUERY, 0, 1,
	    DOCS_BATCH, 0, 0))
		docs.over = 1;
}

static void
docs_heard(struct kore_pgsql *sql, void *arg)
{
	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		docs_send();
		break;
	case KORE_PGSQL_STATE_RESULT:
		if (kore_pgsql_ntuples(sql) == 1)
			docs.more = !strcmp(kore_pgsql_getvalue(sql, 0, 0),
			    DOCS_BATCH);
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_ERROR:
		if (sql->error != NULL)
			kore_log(LOG_WARNING, "series documents: %s",
			    sql->error);
		if (sql->result != NULL) {
			kore_pgsql_continue(sql);
			break;
		}
		docs.over = 1;
		break;
	case KORE_PGSQL_STATE_DONE:
		kore_pgsql_continue(sql);
		break;
	case KORE_PGSQL_STATE_COMPLETE:
		docs.over = 1;
		break;
	default:
		break;
	}
}
