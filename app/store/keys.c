/*
 * The master key file: it wraps the bid keys of proposals without
 * trustees, and the board's signing key is derived from it.  A missing or
 * different key affects only the proposals that need the old one: they
 * are named in a warning, and the server starts, making a new key when
 * there is none, so that facts and every other proposal go on.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/board.h"
#include "core/buf.h"
#include "core/seal.h"
#include "store/db.h"
#include "store/keys.h"

static int	read_key(const char *, unsigned char *, struct buf *);
static int	make_key(const char *, unsigned char *, struct buf *);

/* 0 when read, 1 when there is no such file, -1 on another error. */
static int
read_key(const char *path, unsigned char *master, struct buf *err)
{
	struct stat	 st;
	char		 text[SEAL_KEYFILE_LEN + 1];
	const char	*errstr;
	ssize_t		 n;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (1);
		buf_printf(err, "cannot read the master key file %s: %s",
		    path, strerror(errno));
		return (-1);
	}
	rc = -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		buf_printf(err, "the master key file %s is not a file", path);
	} else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		buf_printf(err, "the master key file %s can be read by others "
		    "(mode %04o): chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
	} else if ((n = read(fd, text, sizeof(text))) == -1) {
		buf_printf(err, "cannot read the master key file %s: %s",
		    path, strerror(errno));
	} else if (seal_master_parse(text, (size_t)n, master, &errstr) ==
	    -1) {
		buf_printf(err, "the master key file %s is damaged: %s", path,
		    errstr);
	} else {
		rc = 0;
	}
	sodium_memzero(text, sizeof(text));
	close(fd);
	return (rc);
}

/* 0 when made, 1 when another process made it first, -1 on error. */
static int
make_key(const char *path, unsigned char *master, struct buf *err)
{
	char	 text[SEAL_KEYFILE_LEN];
	int	 fd, rc;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		if (errno == EEXIST)
			return (1);
		buf_printf(err, "cannot make the master key file %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	seal_master_new(master);
	seal_master_format(master, text);
	rc = 0;
	if (write(fd, text, sizeof(text)) != (ssize_t)sizeof(text) ||
	    fsync(fd) == -1) {
		buf_printf(err, "cannot write the master key file %s: %s",
		    path, strerror(errno));
		(void)unlink(path);
		rc = -1;
	}
	sodium_memzero(text, sizeof(text));
	close(fd);
	return (rc);
}

int
store_key_load(PGconn *conn, const char *path, int create,
    unsigned char master[SEAL_MASTERBYTES], struct buf *log,
    struct buf *err)
{
	PGresult	*res;
	unsigned char	 pk[BOARD_PUBLICBYTES], sk[BOARD_SECRETBYTES];
	char		 id[SEAL_KEYID_STRLEN], hex[2 * BOARD_PUBLICBYTES + 1];
	const char	*params[2];
	int		 rc;

	rc = read_key(path, master, err);
	if (rc == 1 && !create) {
		buf_printf(err, "there is no master key file %s (the server "
		    "makes it on its first start; %s says where it is)", path,
		    KEYS_ENV);
		return (-1);
	}
	if (rc == 1) {
		if ((rc = make_key(path, master, err)) == 1)
			rc = read_key(path, master, err) == 0 ? 0 : -1;
		else if (rc == 0)
			buf_printf(log, "made a new master key file %s: back "
			    "it up, for the bids of proposals without trustees "
			    "open only with it, and the board signs with it\n",
			    path);
	}
	if (rc == -1)
		return (-1);

	/* The board key this one makes: registered, so verifiers find it. */
	seal_master_id(master, id);
	board_key(master, pk, sk);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2hex(hex, sizeof(hex), pk, sizeof(pk));
	params[0] = id;
	params[1] = hex;
	res = PQexecParams(conn, "WITH k AS (INSERT INTO board_keys (id, "
	    "public_key) VALUES ($1, decode($2, 'hex')) ON CONFLICT (id) DO "
	    "NOTHING RETURNING public_key) SELECT coalesce((SELECT public_key "
	    "FROM k), (SELECT public_key FROM board_keys WHERE id = $1)) = "
	    "decode($2, 'hex')", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot register the board key (has `factwiki "
		    "migrate` run?): ");
		store_error(conn, res, err);
		PQclear(res);
		sodium_memzero(master, SEAL_MASTERBYTES);
		return (-1);
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		buf_printf(log, "warning: the database's board key %s is not "
		    "the one the key file makes: it was altered; the server "
		    "signs and checks with its own\n", id);
	PQclear(res);

	/* What needs another key: only those proposals wait for it. */
	params[0] = id;
	res = PQexecParams(conn, "SELECT coalesce(nullif(master_key_id, $1), "
	    "board_key_id), string_agg(slug, ', ' ORDER BY id), count(*) "
	    "FROM proposals WHERE tallied_at IS NULL AND voided_at IS NULL "
	    "AND (master_key_id <> $1 OR board_key_id <> $1) GROUP BY 1", 1,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot check the proposals' keys: ");
		store_error(conn, res, err);
		PQclear(res);
		sodium_memzero(master, SEAL_MASTERBYTES);
		return (-1);
	}
	for (rc = 0; rc < PQntuples(res); rc++)
		buf_printf(log, "warning: %s proposal%s (%s) need%s master key "
		    "%s, not the one in %s (%s): until it is back there (or %s "
		    "names it), their boards take no bids and those without "
		    "trustees cannot be tallied; the rest of the site works\n",
		    PQgetvalue(res, rc, 2), strcmp(PQgetvalue(res, rc, 2), "1")
		    ? "s" : "", PQgetvalue(res, rc, 1), strcmp(PQgetvalue(res,
		    rc, 2), "1") ? "" : "s", PQgetvalue(res, rc, 0), path, id,
		    KEYS_ENV);
	PQclear(res);
	return (0);
}
