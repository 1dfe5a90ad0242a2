/*
 * The CSV importer.  See import.h for the shape of it; the statements here
 * are set-based so that a million rows cost a few scans, not a million
 * round trips.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/factcsv.h"
#include "store/db.h"
#include "store/import.h"

#define READ_CHUNK	(256 * 1024)
/*
 * The server handles a CopyData message once it has all of it: small ones
 * keep it busy while the next rows are parsed (256 KiB ones took twice as
 * long to copy a million rows).
 */
#define COPY_FLUSH	(16 * 1024)

struct importer {
	PGconn			*conn;
	const struct import_opts *opts;
	struct import_result	*res;
	struct buf		 copy;		/* COPY text not yet sent */
	struct buf		*err;
	int			 copy_failed;
	char			 sqlstate[6];	/* of the last failure */
	unsigned long		 rows;
	uint64_t		 bytes;
};

static const char staging_sql[] =
    "CREATE TEMPORARY TABLE import_rows ("
    " line bigint NOT NULL, place text NOT NULL, place_slug text NOT NULL,"
    " variable text NOT NULL, variable_slug text NOT NULL,"
    " year smallint NOT NULL, value numeric NOT NULL,"
    " source_url text, source_id bigint, unit text, source_title text,"
    " note text)";

/*
 * Problems only the database can see, each as (line, column, message),
 * among them changes to a protected series on a connection that writes for
 * an editor (see sql/006_editing.sql: its trigger stays the last guard),
 * the first IMPORT_ERRORS_SHOWN by line, and how many there are in all.
 * $1: create missing places, variables and sources.
 */
static const char check_sql[] =
    "WITH unknown AS ("
    "  SELECT line, 'place' AS col, format('no place %s exists: create it"
    " first, or import with the create-missing option',"
    "   quote_literal(place)) AS msg"
    "  FROM import_rows r WHERE NOT $1 AND NOT EXISTS"
    "   (SELECT 1 FROM places p WHERE p.slug = r.place_slug)"
    "  UNION ALL"
    "  SELECT line, 'variable', format('no variable %s exists: create it"
    " first, or import with the create-missing option',"
    "   quote_literal(variable))"
    "  FROM import_rows r WHERE NOT $1 AND NOT EXISTS"
    "   (SELECT 1 FROM variables v WHERE v.slug = r.variable_slug)"
    "  UNION ALL"
    "  SELECT line, 'source', format('no source #%s exists', source_id)"
    "  FROM import_rows r WHERE source_id IS NOT NULL AND NOT EXISTS"
    "   (SELECT 1 FROM sources s WHERE s.id = r.source_id)"
    "  UNION ALL"
    "  SELECT line, 'source', format('no source has the URL %s: create it"
    " first, or import with the create-missing option', source_url)"
    "  FROM import_rows r WHERE NOT $1 AND source_url IS NOT NULL"
    "   AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.url = r.source_url)),"
    " units AS ("
    "  SELECT r.line, 'unit', format('variable %s is measured in %s, not %s',"
    "   v.slug, quote_literal(v.unit), quote_literal(r.unit))"
    "  FROM import_rows r JOIN variables v ON v.slug = r.variable_slug"
    "  WHERE r.unit <> '' AND r.unit <> v.unit"
    "  UNION ALL"
    "  SELECT r.line, 'unit', format('the new variable %s is measured in %s"
    " on line %s, not %s', r.variable_slug, quote_literal(f.unit), f.line,"
    "   quote_literal(r.unit))"
    "  FROM import_rows r JOIN (SELECT n.variable_slug, n.line, i.unit"
    "    FROM (SELECT variable_slug, min(line) AS line FROM import_rows i"
    "     WHERE unit <> '' AND NOT EXISTS"
    "      (SELECT 1 FROM variables v WHERE v.slug = i.variable_slug)"
    "     GROUP BY variable_slug) n"
    "    JOIN import_rows i USING (line)) f USING (variable_slug)"
    "  WHERE r.unit <> '' AND r.unit <> f.unit),"
    " protected AS ("
    "  SELECT r.line, NULL, format('the series %s/%s is protected: only a"
    " curator can change its facts', p.slug, v.slug)"
    "  FROM import_rows r JOIN places p ON p.slug = r.place_slug"
    "  JOIN variables v ON v.slug = r.variable_slug"
    "  JOIN protected_series ps ON ps.place_id = p.id"
    "   AND ps.variable_id = v.id"
    "  LEFT JOIN facts f ON f.place_id = p.id AND f.variable_id = v.id"
    "   AND f.year = r.year"
    "  LEFT JOIN sources s ON s.url = r.source_url"
    "  WHERE current_setting('factwiki.role', true) = 'editor'"
    "   AND (f.place_id IS NULL OR f.value::text <> r.value::text"
    "   OR f.source_id <> coalesce(r.source_id, s.id)"
    "   OR (r.note IS NOT NULL AND f.note <> r.note))),"
    " e AS (SELECT * FROM unknown UNION ALL SELECT * FROM units"
    "  UNION ALL SELECT * FROM protected)"
    "SELECT line, col, msg, count(*) OVER () FROM e"
    " ORDER BY line, col LIMIT 100";

/*
 * The same (place, variable, year) on several lines, each line naming
 * another.  A hash of a million keys costs seconds, so an import that is
 * otherwise fine lets the primary keys of the merge find duplicates, and
 * runs this only to say where they are.
 */
static const char dup_sql[] =
    "WITH dupkeys AS ("
    "  SELECT place_slug, variable_slug, year FROM import_rows"
    "  GROUP BY 1, 2, 3 HAVING count(*) > 1),"
    " e AS ("
    "  SELECT line, NULL::text AS col,"
    "   format('the same place, variable and year as line %s',"
    "    coalesce(nullif(first_value(line) OVER w, line),"
    "     lead(line) OVER w)) AS msg"
    "  FROM import_rows JOIN dupkeys USING (place_slug, variable_slug, year)"
    "  WINDOW w AS (PARTITION BY place_slug, variable_slug, year"
    "   ORDER BY line))"
    "SELECT line, col, msg, count(*) OVER () FROM e"
    " ORDER BY line, col LIMIT 100";

/* What an import would do, for --dry-run. */
static const char summary_sql[] =
    "WITH r AS ("
    "  SELECT r.*, p.id AS place_id, v.id AS variable_id,"
    "   coalesce(r.source_id, s.id) AS sid"
    "  FROM import_rows r"
    "  LEFT JOIN places p ON p.slug = r.place_slug"
    "  LEFT JOIN variables v ON v.slug = r.variable_slug"
    "  LEFT JOIN sources s ON s.url = r.source_url),"
    " c AS ("
    "  SELECT f.place_id IS NOT NULL AS known,"
    "   f.value::text <> r.value::text OR f.source_id IS DISTINCT FROM r.sid"
    "   OR (r.note IS NOT NULL AND f.note <> r.note) AS changed"
    "  FROM r LEFT JOIN facts f ON f.place_id = r.place_id"
    "   AND f.variable_id = r.variable_id AND f.year = r.year)"
    "SELECT count(*) FILTER (WHERE NOT known),"
    " count(*) FILTER (WHERE known AND changed),"
    " count(*) FILTER (WHERE known AND NOT changed),"
    " (SELECT count(DISTINCT place_slug) FROM r WHERE place_id IS NULL),"
    " (SELECT count(DISTINCT variable_slug) FROM r WHERE variable_id IS NULL),"
    " (SELECT count(DISTINCT source_url) FROM r WHERE sid IS NULL)"
    " FROM c";

/*
 * A name is the text first given for a slug; a unit, the first given.
 * Grouping by hash and joining back on the line is cheaper than sorting a
 * million rows for DISTINCT ON.
 */
static const char create_places_sql[] =
    "WITH f AS (SELECT place_slug, min(line) AS line FROM import_rows"
    "  GROUP BY place_slug)"
    "INSERT INTO places (slug, name)"
    " SELECT f.place_slug, r.place FROM f JOIN import_rows r USING (line)"
    " WHERE NOT EXISTS (SELECT 1 FROM places p WHERE p.slug = f.place_slug)";
static const char create_variables_sql[] =
    "WITH f AS (SELECT variable_slug, coalesce(min(line) FILTER"
    "   (WHERE unit <> ''), min(line)) AS line FROM import_rows"
    "  GROUP BY variable_slug)"
    "INSERT INTO variables (slug, name, unit)"
    " SELECT f.variable_slug, r.variable, coalesce(r.unit, '')"
    " FROM f JOIN import_rows r USING (line)"
    " WHERE NOT EXISTS"
    "  (SELECT 1 FROM variables v WHERE v.slug = f.variable_slug)";
static const char create_sources_sql[] =
    "WITH f AS (SELECT source_url, coalesce(min(line) FILTER"
    "   (WHERE source_title <> ''), min(line)) AS line FROM import_rows"
    "  WHERE source_url IS NOT NULL GROUP BY source_url)"
    "INSERT INTO sources (url, title)"
    " SELECT f.source_url, coalesce(nullif(r.source_title, ''), f.source_url)"
    " FROM f JOIN import_rows r USING (line)"
    " WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.url = f.source_url)";

/*
 * The merge: facts that are new or differ are written with their revision,
 * all under one change; nothing at all is written when nothing differs.
 * A note left out of the file (no column) keeps the fact's note.
 * $1 user id, $2 comment.
 */
static const char merge_sql[] =
    "WITH r AS ("
    "  SELECT p.id AS place_id, v.id AS variable_id, r.year, r.value,"
    "   coalesce(r.source_id, s.id) AS source_id, r.note"
    "  FROM import_rows r"
    "  JOIN places p ON p.slug = r.place_slug"
    "  JOIN variables v ON v.slug = r.variable_slug"
    "  LEFT JOIN sources s ON s.url = r.source_url),"
    " d AS MATERIALIZED ("
    "  SELECT r.place_id, r.variable_id, r.year, r.value, r.source_id,"
    "   coalesce(r.note, f.note, '') AS note,"
    "   f.value AS old_value, f.source_id AS old_source_id,"
    "   f.note AS old_note, f.revision AS old_revision,"
    "   coalesce(f.revision, t.revision, 0) + 1 AS revision,"
    "   CASE WHEN f.revision IS NOT NULL THEN 'update'"
    "    WHEN t.revision IS NOT NULL THEN 'restore'"
    "    ELSE 'create' END AS action"
    "  FROM r LEFT JOIN facts f USING (place_id, variable_id, year)"
    "  LEFT JOIN fact_tombstones t USING (place_id, variable_id, year)"
    "  WHERE f.place_id IS NULL OR f.value::text <> r.value::text"
    "   OR f.source_id <> r.source_id"
    "   OR (r.note IS NOT NULL AND f.note <> r.note)),"
    " ch AS ("
    "  INSERT INTO changes (user_id, kind, comment, facts_added,"
    "   facts_updated)"
    "  SELECT $1, 'import', $2,"
    "   count(*) FILTER (WHERE old_revision IS NULL),"
    "   count(*) FILTER (WHERE old_revision IS NOT NULL)"
    "  FROM d HAVING count(*) > 0"
    "  RETURNING id, facts_added, facts_updated),"
    " ins AS ("
    "  INSERT INTO facts (place_id, variable_id, year, value, source_id,"
    "   note, revision, change_id)"
    "  SELECT place_id, variable_id, year, value, source_id, note, revision,"
    "   (SELECT id FROM ch) FROM d WHERE old_revision IS NULL),"
    " upd AS ("
    "  UPDATE facts f SET value = d.value, source_id = d.source_id,"
    "   note = d.note, revision = d.revision, change_id = (SELECT id FROM ch)"
    "  FROM d WHERE d.old_revision IS NOT NULL AND f.place_id = d.place_id"
    "   AND f.variable_id = d.variable_id AND f.year = d.year),"
    " rv AS ("
    "  INSERT INTO fact_revisions (place_id, variable_id, year, revision,"
    "   change_id, action, old_value, old_source_id, old_note, new_value,"
    "   new_source_id, new_note)"
    "  SELECT place_id, variable_id, year, revision, (SELECT id FROM ch),"
    "   action, old_value, old_source_id, old_note, value, source_id, note"
    "  FROM d),"
    " restored AS ("
    "  DELETE FROM fact_tombstones t USING d"
    "  WHERE d.action = 'restore' AND t.place_id = d.place_id"
    "   AND t.variable_id = d.variable_id AND t.year = d.year)"
    "SELECT id, facts_added, facts_updated FROM ch";

static int	exec_params(struct importer *, const char *, int,
		    const char *const *, PGresult **);
static int	copy_flush(struct importer *, int);
static void	copy_text(struct buf *, const char *);
static int	on_row(void *, const struct factcsv_row *);
static void	on_error(void *, const struct factcsv_error *);
static void	add_error(struct import_result *, unsigned long,
		    const char *, const char *);
static int	read_file(struct importer *, int *);
static int	check(struct importer *, const char *);
static int	summarize(struct importer *);
static long	created(struct importer *, const char *);
static int	merge(struct importer *, const char *);

static void
add_error(struct import_result *res, unsigned long line, const char *column,
    const char *message)
{
	struct import_error	*e;

	res->nerrors++;
	if (res->nshown == IMPORT_ERRORS_SHOWN)
		return;
	e = &res->errors[res->nshown++];
	e->line = line;
	e->column = column != NULL ? strdup(column) : NULL;
	e->message = strdup(message);
	if (e->message == NULL || (column != NULL && e->column == NULL))
		abort();
}

static void
on_error(void *arg, const struct factcsv_error *e)
{
	struct importer	*im = arg;

	add_error(im->res, e->line, e->column, e->message);
}

/* A field in COPY's text format: backslash escapes, \N for NULL. */
static void
copy_text(struct buf *b, const char *s)
{
	size_t	 n;

	if (s == NULL) {
		buf_append(b, "\\N", 2);
		return;
	}
	/* Runs of plain bytes at once: this is the importer's inner loop. */
	for (;;) {
		n = strcspn(s, "\\\t\n\r");
		buf_append(b, s, n);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '\\':
			buf_append(b, "\\\\", 2);
			break;
		case '\t':
			buf_append(b, "\\t", 2);
			break;
		case '\n':
			buf_append(b, "\\n", 2);
			break;
		default:
			buf_append(b, "\\r", 2);
			break;
		}
		s++;
	}
}

static int
copy_flush(struct importer *im, int force)
{
	if (im->copy_failed)
		return (-1);
	if (im->copy.len == 0 || (!force && im->copy.len < COPY_FLUSH))
		return (0);
	if (PQputCopyData(im->conn, im->copy.data, (int)im->copy.len) != 1) {
		store_error(im->conn, NULL, im->err);
		im->copy_failed = 1;
		return (-1);
	}
	buf_reset(&im->copy);
	return (0);
}

static int
on_row(void *arg, const struct factcsv_row *r)
{
	struct importer	*im = arg;
	struct buf	*b = &im->copy;

	/*
	 * Valid rows of a bad file are copied too: the checks that follow
	 * then report all that is wrong with it, not only the first part.
	 */
	im->rows++;
	buf_printf(b, "%lu\t", r->line);
	copy_text(b, r->place);
	buf_putc(b, '\t');
	copy_text(b, r->place_slug);
	buf_putc(b, '\t');
	copy_text(b, r->variable);
	buf_putc(b, '\t');
	copy_text(b, r->variable_slug);
	buf_printf(b, "\t%d\t%s\t", r->year, r->value);
	copy_text(b, r->source_url);
	if (r->source_id > 0)
		buf_printf(b, "\t%lld\t", (long long)r->source_id);
	else
		buf_append(b, "\t\\N\t", 4);
	copy_text(b, r->unit);
	buf_putc(b, '\t');
	copy_text(b, r->source_title);
	buf_putc(b, '\t');
	copy_text(b, r->note);
	buf_putc(b, '\n');
	return (copy_flush(im, 0));
}

/*
 * Streams the input through the CSV reader into COPY.  *usable is 0 when
 * the file cannot be checked further (its header is bad).  Returns -1 when
 * reading or copying failed.
 */
static int
read_file(struct importer *im, int *usable)
{
	struct factcsv_sink	 sink;
	struct factcsv		*csv;
	PGresult		*res;
	char			*chunk;
	ssize_t			 n;
	int			 rc, fatal;

	*usable = 1;
	res = PQexec(im->conn, "COPY import_rows FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		store_error(im->conn, res, im->err);
		PQclear(res);
		return (-1);
	}
	PQclear(res);

	sink.arg = im;
	sink.row = on_row;
	sink.error = on_error;
	if ((csv = factcsv_new(&sink)) == NULL ||
	    (chunk = malloc(READ_CHUNK)) == NULL)
		abort();

	rc = 0;
	fatal = 0;
	for (;;) {
		n = im->opts->read(im->opts->arg, chunk, READ_CHUNK);
		if (n < 0) {
			buf_puts(im->err, "cannot read the file");
			rc = -1;
			break;
		}
		if (n == 0) {
			if (factcsv_finish(csv) == -1)
				fatal = 1;
			break;
		}
		im->bytes += (uint64_t)n;
		if (factcsv_feed(csv, chunk, (size_t)n) == -1) {
			fatal = 1;
			break;
		}
		if (im->opts->progress != NULL)
			im->opts->progress(im->opts->arg, im->rows,
			    im->bytes);
	}
	im->res->rows = factcsv_rows(csv);
	if (fatal && factcsv_rows(csv) == 0)
		*usable = 0;
	if (fatal && im->res->nerrors == 0)
		rc = -1;	/* the row callback stopped it: a COPY error */
	factcsv_free(csv);
	free(chunk);

	if (copy_flush(im, 1) == -1)
		rc = -1;
	if (PQputCopyEnd(im->conn, rc == -1 ? "import failed" : NULL) != 1) {
		store_error(im->conn, NULL, im->err);
		return (-1);
	}
	res = PQgetResult(im->conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
		store_error(im->conn, res, im->err);
		rc = -1;
	}
	PQclear(res);
	while ((res = PQgetResult(im->conn)) != NULL)
		PQclear(res);
	return (rc);
}

static int
exec_params(struct importer *im, const char *sql, int n,
    const char *const *params, PGresult **out)
{
	PGresult	*res;
	const char	*state;

	res = PQexecParams(im->conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		(void)snprintf(im->sqlstate, sizeof(im->sqlstate), "%s",
		    state != NULL ? state : "");
		store_error(im->conn, res, im->err);
		PQclear(res);
		return (-1);
	}
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return (0);
}

/*
 * Adds the database's findings to the reader's, keeping the first ones by
 * line: both lists are sorted, so the shown ones are merged in order.
 */
static int
check(struct importer *im, const char *sql)
{
	struct import_result	*r = im->res;
	struct import_error	 mine[IMPORT_ERRORS_SHOWN];
	const char		*params[1];
	PGresult		*res;
	size_t			 nmine, i, j, nrows;
	unsigned long		 total, line;

	params[0] = im->opts->create_missing ? "true" : "false";
	if (exec_params(im, sql, sql == check_sql, params, &res) == -1)
		return (-1);
	nrows = (size_t)PQntuples(res);
	if (nrows == 0) {
		PQclear(res);
		return (0);
	}
	total = strtoul(PQgetvalue(res, 0, 3), NULL, 10);

	nmine = r->nshown;
	memcpy(mine, r->errors, nmine * sizeof(mine[0]));
	r->nshown = 0;
	r->nerrors -= nmine;
	for (i = 0, j = 0; i < nmine || j < nrows;) {
		line = j < nrows ?
		    strtoul(PQgetvalue(res, (int)j, 0), NULL, 10) : 0;
		if (i < nmine && (j == nrows || mine[i].line <= line)) {
			if (r->nshown < IMPORT_ERRORS_SHOWN)
				r->errors[r->nshown++] = mine[i];
			else {
				free(mine[i].column);
				free(mine[i].message);
			}
			r->nerrors++;
			i++;
		} else {
			add_error(r, line, PQgetisnull(res, (int)j, 1) ? NULL :
			    PQgetvalue(res, (int)j, 1),
			    PQgetvalue(res, (int)j, 2));
			j++;
		}
	}
	/* Those beyond the first hundred were counted, not fetched. */
	r->nerrors += total - nrows;
	PQclear(res);
	return (0);
}

static int
summarize(struct importer *im)
{
	PGresult	*res;

	if (exec_params(im, summary_sql, 0, NULL, &res) == -1)
		return (-1);
	im->res->added = atol(PQgetvalue(res, 0, 0));
	im->res->updated = atol(PQgetvalue(res, 0, 1));
	im->res->unchanged = atol(PQgetvalue(res, 0, 2));
	im->res->places_created = atol(PQgetvalue(res, 0, 3));
	im->res->variables_created = atol(PQgetvalue(res, 0, 4));
	im->res->sources_created = atol(PQgetvalue(res, 0, 5));
	PQclear(res);
	return (0);
}

/* Runs one of the create_*_sql statements; how many rows, or -1. */
static long
created(struct importer *im, const char *sql)
{
	PGresult	*res;
	long		 n;

	if (exec_params(im, sql, 0, NULL, &res) == -1)
		return (-1);
	n = atol(PQcmdTuples(res));
	PQclear(res);
	return (n);
}

static int
merge(struct importer *im, const char *user_id)
{
	struct import_result	*r = im->res;
	const char		*params[2];
	PGresult		*res;

	if (im->opts->create_missing) {
		if ((r->places_created = created(im, create_places_sql)) < 0 ||
		    (r->variables_created =
		    created(im, create_variables_sql)) < 0 ||
		    (r->sources_created = created(im, create_sources_sql)) < 0)
			return (-1);
	}
	/*
	 * Edits wait for the merge, so that a revision number and the old
	 * content it records are never raced by a concurrent edit.
	 */
	if (store_exec(im->conn,
	    "LOCK TABLE facts IN SHARE ROW EXCLUSIVE MODE", im->err) == -1)
		return (-1);
	params[0] = user_id;
	params[1] = im->opts->comment != NULL ? im->opts->comment : "import";
	if (exec_params(im, merge_sql, 2, params, &res) == -1)
		return (-1);
	if (PQntuples(res) == 1) {
		r->change = atoll(PQgetvalue(res, 0, 0));
		r->added = atol(PQgetvalue(res, 0, 1));
		r->updated = atol(PQgetvalue(res, 0, 2));
	}
	r->unchanged = (long)r->rows - r->added - r->updated;
	PQclear(res);
	return (0);
}

int
store_import(PGconn *conn, const struct import_opts *opts,
    struct import_result *res, struct buf *err)
{
	struct importer	 im;
	const char	*params[1];
	PGresult	*pres;
	char		 user_id[32];
	int		 usable, rc;

	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	im.conn = conn;
	im.opts = opts;
	im.res = res;
	im.err = err;
	buf_init(&im.copy);

	rc = IMPORT_FAILED;
	/*
	 * The staging table is read five times: keep it in memory.  It lives
	 * outside the import's transaction, so that when the merge fails on a
	 * duplicate key, the rows are still there to say which lines.
	 */
	if (store_exec(conn, "SET temp_buffers = '1GB'", err) == -1)
		goto done;
	params[0] = opts->user != NULL ? opts->user : "system";
	if (exec_params(&im, "SELECT id FROM users WHERE name = $1", 1, params,
	    &pres) == -1)
		goto done;
	if (PQntuples(pres) != 1) {
		PQclear(pres);
		add_error(res, 0, NULL, "no user of that name");
		rc = IMPORT_INVALID;
		goto done;
	}
	(void)snprintf(user_id, sizeof(user_id), "%s", PQgetvalue(pres, 0, 0));
	PQclear(pres);

	if (store_exec(conn, staging_sql, err) == -1 ||
	    read_file(&im, &usable) == -1 ||
	    store_exec(conn, "BEGIN; SET LOCAL work_mem = '256MB'", err) == -1)
		goto done;
	if (usable && (store_exec(conn, "ANALYZE import_rows", err) == -1 ||
	    check(&im, check_sql) == -1))
		goto done;
	/* A file already known bad, or not to be written: find all now. */
	if (usable && (res->nerrors > 0 || opts->dry_run) &&
	    check(&im, dup_sql) == -1)
		goto done;
	if (res->nerrors > 0) {
		rc = IMPORT_INVALID;
		goto done;
	}
	if (opts->dry_run) {
		if (summarize(&im) == -1)
			goto done;
		rc = IMPORT_OK;
		goto done;
	}
	if (merge(&im, user_id) == -1) {
		/* A key met twice: duplicate lines.  Say which. */
		if (strcmp(im.sqlstate, "23505") || store_exec(conn,
		    "ROLLBACK; BEGIN; SET LOCAL work_mem = '256MB'", err) == -1 ||
		    check(&im, dup_sql) == -1 || res->nerrors == 0)
			goto done;
		buf_reset(err);
		rc = IMPORT_INVALID;
		goto done;
	}
	if (store_exec(conn, "COMMIT", err) == -1)
		goto done;
	rc = IMPORT_OK;

done:
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
	PQclear(PQexec(conn, "DROP TABLE IF EXISTS import_rows"));
	buf_free(&im.copy);
	return (rc);
}

void
import_result_free(struct import_result *res)
{
	size_t	 i;

	for (i = 0; i < res->nshown; i++) {
		free(res->errors[i].column);
		free(res->errors[i].message);
	}
	res->nshown = 0;
}
