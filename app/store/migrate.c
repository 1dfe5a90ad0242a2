/*
 * Schema migrations.  Each migration is recorded with a checksum; one that
 * changed after it was applied is an error, not something to guess about.
 */

#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/buf.h"
#include "store/db.h"
#include "store/migrate.h"

#define API_PREFIX	"sql/api/"

static void	checksum(const char *, size_t, char *);
static int	recorded(PGconn *, const char *, char *, struct buf *);
static int	record(PGconn *, const char *, const char *, struct buf *);
static int	apply_migration(PGconn *, const struct sql_file *,
		    struct buf *, struct buf *);
static int	apply_api(PGconn *, struct buf *, struct buf *);

/* Hex BLAKE2b-256 of text: 65 bytes with the NUL. */
static void
checksum(const char *text, size_t len, char *hex)
{
	unsigned char	 h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)text, len,
	    NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* 1 and the checksum when name was applied, 0 when not, -1 on error. */
static int
recorded(PGconn *conn, const char *name, char *sum, struct buf *err)
{
	PGresult	*res;
	const char	*params[1];
	int		 rc;

	params[0] = name;
	res = PQexecParams(conn,
	    "SELECT checksum FROM schema_migrations WHERE name = $1",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_error(conn, res, err);
		rc = -1;
	} else if (PQntuples(res) == 0) {
		rc = 0;
	} else {
		strncpy(sum, PQgetvalue(res, 0, 0), 64);
		sum[64] = '\0';
		rc = 1;
	}
	PQclear(res);
	return (rc);
}

static int
record(PGconn *conn, const char *name, const char *sum, struct buf *err)
{
	PGresult	*res;
	const char	*params[2];
	int		 rc;

	params[0] = name;
	params[1] = sum;
	res = PQexecParams(conn,
	    "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2) "
	    "ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, "
	    "applied_at = now()", 2, NULL, params, NULL, NULL, 0);
	rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_error(conn, res, err);
		rc = -1;
	}
	PQclear(res);
	return (rc);
}

static int
apply_migration(PGconn *conn, const struct sql_file *f, struct buf *log,
    struct buf *err)
{
	char	 sum[65], have[65];
	int	 rc;

	checksum(f->text, strlen(f->text), sum);
	if ((rc = recorded(conn, f->name, have, err)) == -1)
		return (-1);
	if (rc == 1) {
		if (strcmp(sum, have)) {
			buf_printf(err, "%s changed after it was applied: "
			    "write a new migration instead", f->name);
			return (-1);
		}
		return (0);
	}
	if (store_exec(conn, f->text, err) == -1) {
		buf_printf(err, " [in %s]", f->name);
		return (-1);
	}
	buf_printf(log, "applied %s\n", f->name);
	return (record(conn, f->name, sum, err));
}

/* The api schema holds functions only: it is dropped and built anew. */
static int
apply_api(PGconn *conn, struct buf *log, struct buf *err)
{
	const struct sql_file	*f;
	crypto_generichash_state st;
	unsigned char		 h[32];
	char			 sum[65], have[65];
	int			 rc;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	for (f = sql_files; f->name != NULL; f++) {
		if (strncmp(f->name, API_PREFIX, strlen(API_PREFIX)))
			continue;
		crypto_generichash_update(&st, (const unsigned char *)f->name,
		    strlen(f->name) + 1);
		crypto_generichash_update(&st, (const unsigned char *)f->text,
		    strlen(f->text));
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(sum, sizeof(sum), h, sizeof(h));

	if ((rc = recorded(conn, "api", have, err)) == -1)
		return (-1);
	if (rc == 1 && !strcmp(sum, have))
		return (0);

	if (store_exec(conn, "DROP SCHEMA IF EXISTS api CASCADE; "
	    "CREATE SCHEMA api", err) == -1)
		return (-1);
	for (f = sql_files; f->name != NULL; f++) {
		if (strncmp(f->name, API_PREFIX, strlen(API_PREFIX)))
			continue;
		if (store_exec(conn, f->text, err) == -1) {
			buf_printf(err, " [in %s]", f->name);
			return (-1);
		}
	}
	buf_puts(log, "rebuilt the api schema\n");
	return (record(conn, "api", sum, err));
}

int
store_migrate(PGconn *conn, struct buf *log, struct buf *err)
{
	const struct sql_file	*f;

	if (sodium_init() == -1) {
		buf_puts(err, "libsodium cannot start");
		return (-1);
	}
	/* One migration at a time, whoever runs it. */
	if (store_exec(conn, "BEGIN; "
	    "SELECT pg_advisory_xact_lock(hashtext('factwiki migrate')); "
	    "SET LOCAL client_min_messages = warning; "
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "name text PRIMARY KEY, checksum text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", err) == -1)
		goto fail;

	for (f = sql_files; f->name != NULL; f++) {
		if (!strncmp(f->name, API_PREFIX, strlen(API_PREFIX)))
			continue;
		if (apply_migration(conn, f, log, err) == -1)
			goto fail;
	}
	if (apply_api(conn, log, err) == -1)
		goto fail;
	if (store_exec(conn, "COMMIT", err) == -1)
		goto fail;
	return (0);

fail:
	PQclear(PQexec(conn, "ROLLBACK"));
	return (-1);
}
