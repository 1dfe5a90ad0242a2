/*
 * The CSV importer.  See import.h for the shape of it; the statements it
 * runs on the rows it copied are api.import_*() (sql/api/055_import.sql).
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

/*
 * The problems the database finds, each as (line, column, message): the
 * first IMPORT_ERRORS_SHOWN by line, and how many there are in all.
 */
#define FINDINGS(f)	"SELECT line, col, msg, count(*) OVER () FROM " f \
			" ORDER BY line, col LIMIT $1"

/* $2: create missing places, variables and sources. */
static const char check_sql[] = FINDINGS("api.import_check($2)");
/*
 * A hash of a million keys costs seconds, so an import that is otherwise
 * fine lets the primary keys of the merge find duplicate lines, and runs
 * this only to say which they are.
 */
static const char dup_sql[] = FINDINGS("api.import_duplicates()");

/*
 * The import's transaction.  Its statements each read a million rows
 * once: compiling them (JIT) cost more than it saved, seconds of it.  The
 * plans need the staging table's size and names, not fine histograms: its
 * ANALYZE reads a tenth of the default sample.
 */
static const char begin_sql[] = "BEGIN; SET LOCAL work_mem = '256MB'; "
    "SET LOCAL jit = off; SET LOCAL default_statistics_target = 10";

static int	exec_params(struct importer *, const char *, int,
		    const char *const *, PGresult **);
static int	copy_flush(struct importer *, int);
static void	copy_text(struct buf *, const char *);
static int	on_row(void *, const struct factcsv_row *);
static void	on_error(void *, const struct factcsv_error *);
static void	add_error(struct import_result *, unsigned long,
		    const char *, const char *);
static int	read_file(struct importer *, int *);
static int	check(struct importer *, const char *, int);
static int	summarize(struct importer *);
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
	 * The columns are those of api.import_stage(), in its order.
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
check(struct importer *im, const char *sql, int nparams)
{
	struct import_result	*r = im->res;
	struct import_error	 mine[IMPORT_ERRORS_SHOWN];
	const char		*params[2];
	char			 shown[16];
	PGresult		*res;
	size_t			 nmine, i, j, nrows;
	unsigned long		 total, line;

	(void)snprintf(shown, sizeof(shown), "%d", IMPORT_ERRORS_SHOWN);
	params[0] = shown;
	params[1] = im->opts->create_missing ? "true" : "false";
	if (exec_params(im, sql, nparams, params, &res) == -1)
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
	/* Those beyond the first shown were counted, not fetched. */
	r->nerrors += total - nrows;
	PQclear(res);
	return (0);
}

static int
summarize(struct importer *im)
{
	PGresult	*res;

	if (exec_params(im, "SELECT * FROM api.import_summary()", 0, NULL,
	    &res) == -1)
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

static int
merge(struct importer *im, const char *user_id)
{
	struct import_result	*r = im->res;
	const char		*params[2];
	PGresult		*res;

	if (im->opts->create_missing) {
		if (exec_params(im, "SELECT * FROM api.import_create()", 0,
		    NULL, &res) == -1)
			return (-1);
		r->places_created = atol(PQgetvalue(res, 0, 0));
		r->variables_created = atol(PQgetvalue(res, 0, 1));
		r->sources_created = atol(PQgetvalue(res, 0, 2));
		PQclear(res);
	}
	params[0] = user_id;
	params[1] = im->opts->comment != NULL ? im->opts->comment : "import";
	if (exec_params(im, "SELECT * FROM api.import_merge($1, $2)", 2,
	    params, &res) == -1)
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
	 * The staging table is read more than once: keep it in memory.  It
	 * lives outside the import's transaction, so that when the merge fails
	 * on a duplicate key, the rows are still there to say which lines.
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

	if (store_exec(conn, "SELECT api.import_stage()", err) == -1 ||
	    read_file(&im, &usable) == -1 ||
	    store_exec(conn, begin_sql, err) == -1)
		goto done;
	if (usable && (store_exec(conn,
	    "ANALYZE import_rows; SELECT api.import_find_names()", err) == -1 ||
	    check(&im, check_sql, 2) == -1))
		goto done;
	/* A file already known bad, or not to be written: find all now. */
	if (usable && (res->nerrors > 0 || opts->dry_run) &&
	    check(&im, dup_sql, 1) == -1)
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
		if (strcmp(im.sqlstate, "23505") ||
		    store_exec(conn, "ROLLBACK", err) == -1 ||
		    store_exec(conn, begin_sql, err) == -1 ||
		    check(&im, dup_sql, 1) == -1 || res->nerrors == 0)
			goto done;
		buf_reset(err);
		rc = IMPORT_INVALID;
		goto done;
	}
	/* Counted now, not at the commit: the caller learns the version. */
	if (exec_params(&im, "SELECT content_version_settle()", 0, NULL,
	    &pres) == -1)
		goto done;
	res->version = PQgetisnull(pres, 0, 0) ? 0 :
	    strtoll(PQgetvalue(pres, 0, 0), NULL, 10);
	PQclear(pres);
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
