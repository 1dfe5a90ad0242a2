/*
 * factwiki backup DIR: the database, as pg_dump's custom format, and the
 * master key file, which the bids of proposals without trustees need and
 * from which the board signs, into a new directory DIR, with SHA256SUMS
 * (`sha256sum -c SHA256SUMS` in DIR checks it too).
 *
 * factwiki restore DIR: checks every sum, then restores into an empty
 * database (never over data) and puts the key file where the server looks
 * for it, unless the same key is there already (never over another key).
 *
 * pg_dump and pg_restore run as programs, with arguments and no shell.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/buf.h"
#include "store/db.h"
#include "cli.h"

#define DUMP_FILE	"database.dump"
#define KEY_FILE	"master.key"
#define SUMS_FILE	"SHA256SUMS"
#define SUM_STRLEN	(crypto_hash_sha256_BYTES * 2 + 1)

extern char	**environ;

static const char *const backed_up[] = { DUMP_FILE, KEY_FILE };
#define NFILES	(sizeof(backed_up) / sizeof(backed_up[0]))

static int	run(char *const *);
static int	sum_file(const char *, char *, struct buf *);
static int	copy_file(const char *, const char *, struct buf *);
static int	same_file(const char *, const char *);
static int	backup(const char *);
static int	restore(const char *);
static int	sums_check(const char *, struct buf *);
static int	database_empty(struct buf *);

/* Runs argv[0] from PATH and waits: 0 when it exited 0. */
static int
run(char *const *argv)
{
	pid_t	 pid;
	int	 status;

	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0) {
		fprintf(stderr, "factwiki: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		return (-1);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "factwiki: %s failed\n", argv[0]);
		return (-1);
	}
	return (0);
}

/* The SHA-256 of a file, in hex. */
static int
sum_file(const char *path, char *hex, struct buf *err)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 data[65536];
	unsigned char			 h[crypto_hash_sha256_BYTES];
	ssize_t				 n;
	int				 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_printf(err, "cannot read %s: %s", path, strerror(errno));
		return (-1);
	}
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, data, sizeof(data))) > 0)
		crypto_hash_sha256_update(&st, data, (unsigned long long)n);
	close(fd);
	if (n == -1) {
		buf_printf(err, "cannot read %s: %s", path, strerror(errno));
		return (-1);
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, SUM_STRLEN, h, sizeof(h));
	return (0);
}

/* from to a new file to, mode 0600, on disk before it returns. */
static int
copy_file(const char *from, const char *to, struct buf *err)
{
	char	 data[65536];
	ssize_t	 n;
	int	 in, out, rc;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_printf(err, "cannot read %s: %s", from, strerror(errno));
		return (-1);
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		buf_printf(err, "cannot make %s: %s", to, strerror(errno));
		close(in);
		return (-1);
	}
	rc = 0;
	while (rc == 0 && (n = read(in, data, sizeof(data))) != 0) {
		if (n == -1 || write(out, data, (size_t)n) != n)
			rc = -1;
	}
	if (rc == 0 && fsync(out) == -1)
		rc = -1;
	if (rc == -1) {
		buf_printf(err, "cannot copy %s to %s: %s", from, to,
		    strerror(errno));
		(void)unlink(to);
	}
	sodium_memzero(data, sizeof(data));
	close(in);
	close(out);
	return (rc);
}

/* 1 when both files hold the same bytes. */
static int
same_file(const char *a, const char *b)
{
	char		 ha[SUM_STRLEN], hb[SUM_STRLEN];
	struct buf	 err;
	int		 same;

	buf_init(&err);
	same = sum_file(a, ha, &err) == 0 && sum_file(b, hb, &err) == 0 &&
	    strcmp(ha, hb) == 0;
	buf_free(&err);
	return (same);
}

static int
backup(const char *dir)
{
	struct buf	 info, key, path, sums, err;
	char		 hex[SUM_STRLEN];
	size_t		 i;
	int		 fd, rc;
	FILE		*fp;

	buf_init(&info);
	buf_init(&key);
	buf_init(&path);
	buf_init(&sums);
	buf_init(&err);
	rc = EXIT_INPUT;
	if (mkdir(dir, 0700) == -1) {
		fprintf(stderr, "factwiki: backup: cannot make %s: %s (give a "
		    "directory that does not exist yet)\n", dir,
		    strerror(errno));
		goto out;
	}
	cli_key_path(&key);
	if (access(buf_cstr(&key), R_OK) == -1) {
		fprintf(stderr, "factwiki: backup: cannot read the master key "
		    "file %s: %s (the bids of proposals without trustees and "
		    "the board's signatures need it)\n", buf_cstr(&key),
		    strerror(errno));
		goto out;
	}
	if (cli_conninfo(&info) == -1) {
		rc = EXIT_DB;
		goto out;
	}
	buf_printf(&path, "%s/" DUMP_FILE, dir);
	if (run((char *[]){ "pg_dump", "--format=custom", "--no-owner",
	    "--no-privileges", "--file", path.data, "--dbname", info.data,
	    NULL }) == -1) {
		rc = EXIT_DB;
		goto out;
	}
	buf_reset(&path);
	buf_printf(&path, "%s/" KEY_FILE, dir);
	if (copy_file(buf_cstr(&key), buf_cstr(&path), &err) == -1)
		goto fail;
	for (i = 0; i < NFILES; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, backed_up[i]);
		if (sum_file(buf_cstr(&path), hex, &err) == -1)
			goto fail;
		buf_printf(&sums, "%s  %s\n", hex, backed_up[i]);
	}
	buf_reset(&path);
	buf_printf(&path, "%s/" SUMS_FILE, dir);
	if ((fd = open(buf_cstr(&path), O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0600)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		buf_printf(&err, "cannot make %s: %s", buf_cstr(&path),
		    strerror(errno));
		goto fail;
	}
	if (fwrite(sums.data, 1, sums.len, fp) != sums.len ||
	    fflush(fp) != 0 || fsync(fileno(fp)) == -1) {
		buf_printf(&err, "cannot write %s: %s", buf_cstr(&path),
		    strerror(errno));
		(void)fclose(fp);
		goto fail;
	}
	(void)fclose(fp);
	printf("backed up the database and the master key to %s\n", dir);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "factwiki: backup: %s\n", buf_cstr(&err));
out:
	buf_free(&info);
	buf_free(&key);
	buf_free(&path);
	buf_free(&sums);
	buf_free(&err);
	return (rc);
}

/* Every file a backup holds is in SHA256SUMS, with the sum it has now. */
static int
sums_check(const char *dir, struct buf *err)
{
	struct buf	 path;
	char		 line[512], want[SUM_STRLEN], have[SUM_STRLEN];
	char		 name[256];
	size_t		 i, found;
	FILE		*fp;
	int		 rc;

	buf_init(&path);
	buf_printf(&path, "%s/" SUMS_FILE, dir);
	if ((fp = fopen(buf_cstr(&path), "re")) == NULL) {
		buf_printf(err, "cannot read %s: %s (is %s a backup?)",
		    buf_cstr(&path), strerror(errno), dir);
		buf_free(&path);
		return (-1);
	}
	rc = 0;
	found = 0;
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%64[0-9a-f]  %255[^\n]", want, name) != 2 ||
		    strlen(want) != SUM_STRLEN - 1) {
			buf_printf(err, "%s: a line is not \"SUM  FILE\"",
			    buf_cstr(&path));
			rc = -1;
			break;
		}
		for (i = 0; i < NFILES && strcmp(name, backed_up[i]); i++)
			;
		if (i == NFILES)
			continue;
		found |= (size_t)1 << i;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, name);
		if (sum_file(buf_cstr(&path), have, err) == -1)
			rc = -1;
		else if (strcmp(want, have)) {
			buf_printf(err, "%s is not what was backed up (its "
			    "SHA-256 differs from SHA256SUMS): nothing was "
			    "restored", buf_cstr(&path));
			rc = -1;
		}
	}
	(void)fclose(fp);
	for (i = 0; rc == 0 && i < NFILES; i++) {
		if (!(found & ((size_t)1 << i))) {
			buf_printf(err, "SHA256SUMS does not name %s",
			    backed_up[i]);
			rc = -1;
		}
	}
	buf_free(&path);
	return (rc);
}

/* 1 when the database has no tables of ours, 0 when it has, -1 on error. */
static int
database_empty(struct buf *err)
{
	PGconn		*conn;
	PGresult	*res;
	int		 rc;

	if ((conn = cli_connect()) == NULL)
		return (-1);
	res = PQexec(conn, "SELECT NOT EXISTS (SELECT 1 FROM pg_tables "
	    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_error(conn, res, err);
		rc = -1;
	} else {
		rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	}
	PQclear(res);
	PQfinish(conn);
	return (rc);
}

static int
restore(const char *dir)
{
	struct buf	 info, key, from, dump, err;
	int		 rc, empty, have_key;

	buf_init(&info);
	buf_init(&key);
	buf_init(&from);
	buf_init(&dump);
	buf_init(&err);
	rc = EXIT_INPUT;
	if (sums_check(dir, &err) == -1)
		goto fail;
	cli_key_path(&key);
	buf_printf(&from, "%s/" KEY_FILE, dir);
	have_key = access(buf_cstr(&key), F_OK) == 0;
	if (have_key && !same_file(buf_cstr(&key), buf_cstr(&from))) {
		buf_printf(&err, "another master key file is at %s: move it "
		    "away first (nothing was restored)", buf_cstr(&key));
		goto fail;
	}
	if ((empty = database_empty(&err)) == -1) {
		rc = EXIT_DB;
		goto fail;
	}
	if (!empty) {
		buf_puts(&err, "the database is not empty: restore into a new "
		    "one (createdb), never over data");
		goto fail;
	}
	if (cli_conninfo(&info) == -1) {
		rc = EXIT_DB;
		goto out;
	}
	buf_printf(&dump, "%s/" DUMP_FILE, dir);
	if (run((char *[]){ "pg_restore", "--no-owner", "--no-privileges",
	    "--exit-on-error", "--single-transaction", "--dbname", info.data,
	    dump.data, NULL }) == -1) {
		rc = EXIT_DB;
		goto out;
	}
	if (!have_key &&
	    copy_file(buf_cstr(&from), buf_cstr(&key), &err) == -1)
		goto fail;
	printf("restored the database, and the master key to %s\n",
	    buf_cstr(&key));
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "factwiki: restore: %s\n", buf_cstr(&err));
out:
	buf_free(&info);
	buf_free(&key);
	buf_free(&from);
	buf_free(&dump);
	buf_free(&err);
	return (rc);
}

int
cmd_backup(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		usage_error("%s DIR", argv[0]);
		return (EXIT_USAGE);
	}
	return (strcmp(argv[0], "restore") == 0 ? restore(argv[1]) :
	    backup(argv[1]));
}
