/*
 * The version of what the public reads (sql/013_version.sql), which every
 * worker knows without asking the database.  It lives in a page of memory
 * that the parent maps before it forks the workers: all of them share it,
 * and so do those forked again after one died.
 *
 * A write of this server moves it as soon as its statement returns (db.c,
 * upload.c), so that the next request, on whichever worker, sees the
 * write.  Writes from elsewhere (the command line, another server, psql)
 * arrive by NOTIFY, on a connection of each worker's own that Kore's event
 * loop watches.  While that connection is down, the worker cannot know
 * what it missed: the version is unknown to it (0), and it answers nothing
 * from its cache until the connection is back and has read the version
 * again.
 */

#include <sys/mman.h>

#include <kore/kore.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "fw.h"

#define VERSION_CHANNEL	"factwiki_changed"
/* How often a worker that does not listen tries again. */
#define VERSION_RETRY_MS	1000
/* Our own kind of event for Kore's loop, beside its KORE_TYPE_*. */
#define VERSION_EVENT		100

struct version_page {
	_Atomic uint64_t	 version;
	/* Random for each run of the server: see version_run(). */
	unsigned char		 run[VERSION_RUNLEN];
};

static struct version_page	*page;

/* This worker's connection that listens, NULL while it does not. */
static struct {
	struct kore_event	 evt;		/* first: the loop hands it back */
	PGconn			*conn;
} listener;

static void	version_listen(void *, u_int64_t);
static int	version_start(PGconn *);
static void	version_heard(void *, int);
static void	version_drop(const char *);

void
version_map(void)
{
	page = mmap(NULL, sizeof(*page), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		fatal("cannot map the version's page: %s", errno_s);
	atomic_init(&page->version, 0);
	randombytes_buf(page->run, sizeof(page->run));
}

void
version_init(void)
{
	listener.evt.type = VERSION_EVENT;
	listener.evt.handle = version_heard;
	version_listen(NULL, 0);
	(void)kore_timer_add(version_listen, VERSION_RETRY_MS, NULL, 0);
}

uint64_t
version_now(void)
{
	return (listener.conn != NULL ? atomic_load(&page->version) : 0);
}

const unsigned char *
version_run(void)
{
	return (page->run);
}

void
version_seen(uint64_t v)
{
	uint64_t	 now;

	/* Notices of two commits may come in either order: keep the later. */
	now = atomic_load(&page->version);
	while (v > now &&
	    !atomic_compare_exchange_weak(&page->version, &now, v))
		;
}

/*
 * Connects, listens, then reads the version: a change after the read is
 * heard.  Blocks, as Kore's own connections do; at start and when the
 * database came back only.
 */
static void
version_listen(void *arg, u_int64_t now)
{
	const char	*url;
	PGconn		*conn;

	(void)arg;
	(void)now;
	if (listener.conn != NULL)
		return;
	if ((url = getenv("DATABASE_URL")) == NULL ||
	    (conn = PQconnectdb(url)) == NULL)
		return;
	if (PQstatus(conn) != CONNECTION_OK || version_start(conn) == -1) {
		PQfinish(conn);
		return;
	}
	listener.conn = conn;
	kore_platform_event_level_read(PQsocket(conn), &listener);
	kore_log(LOG_NOTICE, "listening for changes at version %" PRIu64,
	    version_now());
}

static int
version_start(PGconn *conn)
{
	PGresult	*res;
	int		 ok;

	res = PQexec(conn, "LISTEN " VERSION_CHANNEL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return (-1);
	res = PQexec(conn, "SELECT version FROM content_version");
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	if (ok)
		version_seen(strtoull(PQgetvalue(res, 0, 0), NULL, 10));
	PQclear(res);
	if (!ok || PQsetnonblocking(conn, 1) == -1)
		return (-1);
	return (0);
}

static void
version_heard(void *arg, int error)
{
	PGnotify	*n;
	const char	*why;
	int		 ok;

	(void)arg;
	/* What came before the connection ended counts too. */
	ok = PQconsumeInput(listener.conn);
	while ((n = PQnotifies(listener.conn)) != NULL) {
		version_seen(strtoull(n->extra, NULL, 10));
		PQfreemem(n);
	}
	if (ok && !error)
		return;
	why = PQerrorMessage(listener.conn);
	version_drop(why[0] != '\0' ? why : "the connection ended");
}

static void
version_drop(const char *why)
{
	size_t	 len;
	int	 fd;

	/* libpq's messages end with a newline. */
	len = strcspn(why, "\n");
	kore_log(LOG_ERR, "not listening for changes (%.*s): answers are not "
	    "cached until the database is back", (int)len, why);
	/* A socket that libpq closed has left the loop with it. */
	if ((fd = PQsocket(listener.conn)) != -1)
		kore_platform_disable_read(fd);
	PQfinish(listener.conn);
	listener.conn = NULL;
}
