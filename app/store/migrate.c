/*
 * Schema migrations.  Each migration is recorded with a checksum; one that
 * changed after it was applied is an error, not something to guess about.
 * Then the tally's rules are written into the tables that the proposals'
 * rules reference, and the api schema is rebuilt if it changed.
 */

#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "store/db.h"
#include "store/migrate.h"

#define API_PREFIX	"sql/api/"

/* Each kind of rule: its table in the database, from its table in C. */
static const struct rule_table {
	const char		*kind;
	const struct clarke_rule *rules;
	size_t			 n;
	int			 nparams;	/* columns written */
	const char		*upsert;
	const char		*prune;
} rule_tables[] = {
	{ "tax", clarke_tax_rules, CLARKE_TAX__MAX, 4,
	    "INSERT INTO tax_rules (name, summary, explanation, pivotal) "
	    "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE "
	    "SET summary = excluded.summary, "
	    "explanation = excluded.explanation, pivotal = excluded.pivotal "
	    "WHERE (tax_rules.summary, tax_rules.explanation, "
	    "tax_rules.pivotal) IS DISTINCT FROM (excluded.summary, "
	    "excluded.explanation, excluded.pivotal)",
	    "DELETE FROM tax_rules WHERE name <> ALL ($1::text[])" },
	{ "payout", clarke_payout_rules, CLARKE_PAYOUT__MAX, 3,
	    "INSERT INTO payout_rules (name, summary, explanation) "
	    "VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE "
	    "SET summary = excluded.summary, "
	    "explanation = excluded.explanation "
	    "WHERE (payout_rules.summary, payout_rules.explanation) "
	    "IS DISTINCT FROM (excluded.summary, excluded.explanation)",
	    "DELETE FROM payout_rules WHERE name <> ALL ($1::text[])" },
};

static void	checksum(const char *, size_t, char *);
static int	recorded(PGconn *, const char *, char *, struct buf *);
static int	record(PGconn *, const char *, const char *, struct buf *);
static int	apply_migration(PGconn *, const struct sql_file *,
		    struct buf *, struct buf *);
static int	apply_api(PGconn *, struct buf *, struct buf *);
static int	rule_exec(PGconn *, const char *, int, const char *const *,
		    int *, struct buf *);
static int	write_rules(PGconn *, const struct rule_table *,
		    struct buf *, struct buf *);

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

/* One statement of write_rules(); *changed counts the rows it changed. */
static int
rule_exec(PGconn *conn, const char *sql, int nparams,
    const char *const *params, int *changed, struct buf *err)
{
	PGresult	*res;
	int		 rc;

	res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_error(conn, res, err);
		rc = -1;
	} else {
		*changed += PQcmdTuples(res)[0] != '0';
	}
	PQclear(res);
	return (rc);
}

/*
 * The rules of one kind, as the tally has them: each written, and any
 * other removed.  A proposal that has a rule no longer in the tally's
 * table keeps it from being removed, and this migration from happening.
 */
static int
write_rules(PGconn *conn, const struct rule_table *t, struct buf *log,
    struct buf *err)
{
	struct buf	 names;
	const char	*params[4];
	size_t		 i;
	int		 changed, rc;

	changed = 0;
	for (i = 0; i < t->n; i++) {
		params[0] = t->rules[i].name;
		params[1] = t->rules[i].summary;
		params[2] = t->rules[i].explanation;
		params[3] = t->rules[i].pivotal;
		if (rule_exec(conn, t->upsert, t->nparams, params, &changed,
		    err) == -1) {
			buf_printf(err, " [writing the %s rule %s]", t->kind,
			    t->rules[i].name);
			return (-1);
		}
	}
	/* The names are plain words and hyphens: an array literal as is. */
	buf_init(&names);
	buf_putc(&names, '{');
	clarke_rule_names(&names, t->rules, t->n, ",", ",");
	buf_putc(&names, '}');
	params[0] = buf_cstr(&names);
	rc = rule_exec(conn, t->prune, 1, params, &changed, err);
	buf_free(&names);
	if (rc == -1) {
		buf_printf(err, " [a proposal has a %s rule that this program "
		    "does not know]", t->kind);
		return (-1);
	}
	if (changed > 0)
		buf_printf(log, "wrote the %s rules\n", t->kind);
	return (0);
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
	size_t			 i;

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
	for (i = 0; i < sizeof(rule_tables) / sizeof(rule_tables[0]); i++) {
		if (write_rules(conn, &rule_tables[i], log, err) == -1)
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
