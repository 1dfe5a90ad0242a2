/*
 * The master key in the server.  The parent makes the key file on the
 * first start, once, before any worker runs (workers would race to make
 * it), and stops the start when the file is missing or is not the key of
 * the proposals in the database.  Each worker then loads it for itself.
 */

#include <kore/kore.h>

#include <stdlib.h>

#include <sodium.h>

#include "store/db.h"
#include "store/keys.h"
#include "referenda.h"

static unsigned char	master[SEAL_MASTERBYTES];

static int	keys_load(int, struct buf *, struct buf *);

static int
keys_load(int create, struct buf *log, struct buf *err)
{
	const char	*path, *url;
	PGconn		*conn;
	int		 rc;

	if ((path = getenv(KEYS_ENV)) == NULL || path[0] == '\0')
		path = KEYS_DEFAULT;
	if ((url = getenv("DATABASE_URL")) == NULL || url[0] == '\0') {
		buf_puts(err, "DATABASE_URL is not set (`make run` sets it)");
		return (-1);
	}
	if ((conn = store_connect(url, err)) == NULL)
		return (-1);
	rc = store_key_load(conn, path, create, master, log, err);
	PQfinish(conn);
	return (rc);
}

void
keys_make(void)
{
	struct buf	 log, err;

	if (sodium_init() == -1)
		fatal("libsodium cannot start");
	buf_init(&log);
	buf_init(&err);
	if (keys_load(1, &log, &err) == -1)
		fatal("master key: %s", buf_cstr(&err));
	if (log.len > 0)
		kore_log(LOG_NOTICE, "%s", buf_cstr(&log));
	/* The parent serves nothing: only workers keep the key. */
	sodium_memzero(master, sizeof(master));
	buf_free(&log);
	buf_free(&err);
}

void
keys_init(void)
{
	struct buf	 log, err;

	buf_init(&log);
	buf_init(&err);
	if (keys_load(0, &log, &err) == -1)
		fatalx("master key: %s", buf_cstr(&err));
	(void)sodium_mlock(master, sizeof(master));
	buf_free(&log);
	buf_free(&err);
}

const unsigned char *
keys_master(void)
{
	return (master);
}
