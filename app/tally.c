/*
 * The automatic tally.  Every second each worker's timer starts a task
 * (a thread with its own libpq connection, as decrypting 100,000 bids
 * takes seconds the event loop cannot wait) that claims and tallies the
 * proposals that have closed: app/store/tally.c, the code of `factwiki
 * proposal tally`.  The claim is an UPDATE that one worker wins; the
 * result is stored only if none is, so a proposal is tallied once.
 *
 * The thread calls nothing of Kore but the task's own functions: its
 * messages wait in the task until the worker's loop logs them.
 */

#include <kore/kore.h>
#include <kore/tasks.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/tally.h"
#include "referenda.h"

#define TALLY_EVERY_MS	1000

struct tally_task {
	struct kore_task	 task;		/* first: Kore's handle */
	struct buf		 log;
	struct buf		 err;
};

static void	tally_tick(void *, u_int64_t);
static int	tally_thread(struct kore_task *);
static void	tally_done(struct kore_task *);

static const char	*dburl;
/* The thread's own connection; one task at a time uses it. */
static PGconn		*conn;
static int		 running;
/* The last error logged: a database that is down is said once. */
static char		*last_error;

void
tally_init(void)
{
	dburl = getenv("DATABASE_URL");
	(void)kore_timer_add(tally_tick, TALLY_EVERY_MS, NULL, 0);
}

static void
tally_tick(void *arg, u_int64_t now)
{
	struct tally_task	*t;

	(void)arg;
	(void)now;
	if (running)
		return;
	running = 1;
	t = kore_calloc(1, sizeof(*t));
	buf_init(&t->log);
	buf_init(&t->err);
	kore_task_create(&t->task, tally_thread);
	kore_task_bind_callback(&t->task, tally_done);
	kore_task_run(&t->task);
}

/* In the task's thread. */
static int
tally_thread(struct kore_task *task)
{
	struct tally_task	*t = (struct tally_task *)task;
	int			 rc;

	if (conn != NULL && PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		conn = NULL;
	}
	if (conn == NULL && (conn = store_connect(dburl, &t->err)) == NULL)
		return (KORE_RESULT_ERROR);
	/* After a stop, several may have closed. */
	while ((rc = store_tally_due(conn, keys_keeper(), &t->log,
	    &t->err)) == 1)
		;
	return (rc == 0 ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

static void
tally_done(struct kore_task *task)
{
	struct tally_task	*t = (struct tally_task *)task;
	const char		*err;
	char			*line, *next;

	if (!kore_task_finished(task))
		return;
	if (t->log.len > 0) {
		(void)buf_cstr(&t->log);
		for (line = strtok_r(t->log.data, "\n", &next); line != NULL;
		    line = strtok_r(NULL, "\n", &next))
			kore_log(LOG_NOTICE, "%s", line);
	}
	err = t->err.len > 0 ? buf_cstr(&t->err) : NULL;
	if (err != NULL &&
	    (last_error == NULL || strcmp(err, last_error) != 0))
		kore_log(LOG_ERR, "tally: %s", err);
	kore_free(last_error);
	last_error = err != NULL ? kore_strdup(err) : NULL;
	kore_task_destroy(task);
	buf_free(&t->log);
	buf_free(&t->err);
	kore_free(t);
	running = 0;
}
