/*
 * The master key in the server.  The parent makes the key file on the
 * first start, once, before any worker runs (workers would race to make
 * it), and warns of the proposals that need another key (they wait for
 * it; the rest of the site does not).  Each worker then loads it for
 * itself, with the board key derived from it.
 */

#include <kore/kore.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/board.h"
#include "store/db.h"
#include "store/keys.h"
#include "referenda.h"

static unsigned char	master[SEAL_MASTERBYTES];
static char		master_id[SEAL_KEYID_STRLEN];
static unsigned char	board_pk[BOARD_PUBLICBYTES];
static unsigned char	board_sk[BOARD_SECRETBYTES];

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
		kore_log(strstr(buf_cstr(&log), "warning") != NULL ?
		    LOG_WARNING : LOG_NOTICE, "%s", buf_cstr(&log));
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
	(void)sodium_mlock(board_sk, sizeof(board_sk));
	seal_master_id(master, master_id);
	board_key(master, board_pk, board_sk);
	buf_free(&log);
	buf_free(&err);
}

const unsigned char *
keys_master(void)
{
	return (master);
}

const char *
keys_master_id(void)
{
	return (master_id);
}

const unsigned char *
keys_board_pk(void)
{
	return (board_pk);
}

const unsigned char *
keys_board_sk(void)
{
	return (board_sk);
}
