/*
 * The master key file.  Losing it loses every bid not yet tallied, and a
 * key made anew in its place would seal new proposals under a key that
 * cannot open the old ones; so a missing or different key is an error
 * that stops start-up, with what to do, while sealed proposals exist.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

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
	char		 id[SEAL_KEYID_STRLEN];
	int		 rc, i, nkeys;

	res = PQexec(conn, "SELECT master_key_id, count(*) FROM proposals "
	    "GROUP BY master_key_id ORDER BY count(*) DESC");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot check the master key against the "
		    "database (has `factwiki migrate` run?): ");
		store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	nkeys = PQntuples(res);

	rc = read_key(path, master, err);
	if (rc == 1 && nkeys > 0) {
		buf_printf(err, "the master key file %s is missing, but the "
		    "database holds proposals sealed under key %s (%s of "
		    "them): restore the file from a backup, or set %s to "
		    "where it is; without it their bids cannot be opened, and "
		    "no new key is made while they exist", path,
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), KEYS_ENV);
		rc = -1;
	} else if (rc == 1 && !create) {
		buf_printf(err, "there is no master key file %s (the server "
		    "makes it on its first start; %s says where it is)", path,
		    KEYS_ENV);
		rc = -1;
	} else if (rc == 1) {
		if ((rc = make_key(path, master, err)) == 1)
			rc = read_key(path, master, err) == 0 ? 0 : -1;
		else if (rc == 0)
			buf_printf(log, "made a new master key file %s: back "
			    "it up, for without it sealed bids cannot be "
			    "opened\n", path);
	}
	if (rc == 0) {
		seal_master_id(master, id);
		for (i = 0; i < nkeys; i++) {
			if (strcmp(PQgetvalue(res, i, 0), id) == 0)
				continue;
			buf_printf(err, "the master key file %s holds key "
			    "%s, but the database holds proposals sealed "
			    "under key %s (%s of them): set %s to the right "
			    "file, or restore it from a backup", path, id,
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			    KEYS_ENV);
			rc = -1;
			break;
		}
	}
	if (rc == -1)
		sodium_memzero(master, SEAL_MASTERBYTES);
	PQclear(res);
	return (rc);
}
