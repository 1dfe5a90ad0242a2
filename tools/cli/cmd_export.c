/*
 * factwiki export [--place SLUG] [--variable SLUG] [--from YEAR] [--to YEAR]
 *
 * Writes facts as CSV in the import format, so that the output imports
 * back to the same state.  Rows stream (single-row mode): memory stays flat.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/csvout.h"
#include "core/slug.h"
#include "core/year.h"
#include "store/db.h"
#include "cli.h"

#define EXPORT_FLUSH	(64 * 1024)

/* The columns of api.export_rows(), in the order of the demo file. */
static const char *const header[] = {
	"place", "variable", "year", "value", "unit", "source",
	"source_title", "note"
};
#define NCOLS	((int)(sizeof(header) / sizeof(header[0])))

static const struct {
	int		 param;
	const char	*what;
	const char	*sql;
} named[] = {
	{ 0, "place", "SELECT 1 FROM places WHERE slug = $1" },
	{ 1, "variable", "SELECT 1 FROM variables WHERE slug = $1" },
};

static int	exists(PGconn *, const char *, const char *, int *);

/* Whether a place or variable slug exists: 1, 0, or -1 on error. */
static int
exists(PGconn *conn, const char *sql, const char *slug, int *found)
{
	PGresult	*res;
	const char	*params[1];

	params[0] = slug;
	res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return (-1);
	}
	*found = PQntuples(res) > 0;
	PQclear(res);
	return (0);
}

int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "place", required_argument, NULL, 'p' },
		{ "variable", required_argument, NULL, 'v' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*params[4] = { NULL, NULL, NULL, NULL };
	const char	*errstr;
	struct buf	 out, err;
	PGconn		*conn;
	PGresult	*res;
	int		 ch, i, year, found, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
		case 'v':
			if (!slug_valid(optarg, strlen(optarg))) {
				usage_error("export: '%s' is not a slug",
				    optarg);
				return (EXIT_USAGE);
			}
			params[ch == 'p' ? 0 : 1] = optarg;
			break;
		case 'f':
		case 't':
			if (year_parse(optarg, strlen(optarg), &year,
			    &errstr) == -1) {
				usage_error("export: --%s %s: %s",
				    ch == 'f' ? "from" : "to", optarg, errstr);
				return (EXIT_USAGE);
			}
			params[ch == 'f' ? 2 : 3] = optarg;
			break;
		default:
			usage_error("export: bad option");
			return (EXIT_USAGE);
		}
	}
	if (optind != argc) {
		usage_error("export takes no file: it writes to standard "
		    "output");
		return (EXIT_USAGE);
	}
	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);

	buf_init(&err);
	for (i = 0; i < (int)(sizeof(named) / sizeof(named[0])); i++) {
		if (params[named[i].param] == NULL)
			continue;
		if (exists(conn, named[i].sql, params[named[i].param],
		    &found) == -1)
			found = 0;
		if (!found) {
			fprintf(stderr, "factwiki: export: no %s '%s'\n",
			    named[i].what, params[named[i].param]);
			rc = PQstatus(conn) == CONNECTION_OK ? EXIT_INPUT :
			    EXIT_DB;
			buf_free(&err);
			PQfinish(conn);
			return (rc);
		}
	}

	if (!PQsendQueryParams(conn, "SELECT * FROM api.export_rows($1, $2, "
	    "$3::integer, $4::integer)", 4, NULL, params, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(conn)) {
		store_error(conn, NULL, &err);
		fprintf(stderr, "factwiki: export: %s\n", buf_cstr(&err));
		buf_free(&err);
		PQfinish(conn);
		return (EXIT_DB);
	}

	buf_init(&out);
	for (i = 0; i < NCOLS; i++)
		csv_field(&out, header[i], strlen(header[i]), i == 0);
	csv_endrow(&out);

	rc = 0;
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) == PGRES_SINGLE_TUPLE) {
			for (i = 0; i < NCOLS; i++)
				csv_field(&out, PQgetvalue(res, 0, i),
				    (size_t)PQgetlength(res, 0, i), i == 0);
			csv_endrow(&out);
		} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			store_error(conn, res, &err);
			fprintf(stderr, "factwiki: export: %s\n",
			    buf_cstr(&err));
			rc = EXIT_DB;
		}
		PQclear(res);
		if (out.len >= EXPORT_FLUSH || rc != 0) {
			fwrite(out.data, 1, out.len, stdout);
			buf_reset(&out);
		}
	}
	fwrite(out.data, 1, out.len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("factwiki: export");
		rc = EXIT_INPUT;
	}
	buf_free(&out);
	buf_free(&err);
	PQfinish(conn);
	return (rc);
}
