/*
 * factwiki migrate: create or upgrade the schema.
 */

#include <stdio.h>

#include "core/buf.h"
#include "store/migrate.h"
#include "cli.h"

int
cmd_migrate(int argc, char **argv)
{
	struct buf	 log, err;
	PGconn		*conn;
	int		 rc;

	(void)argv;
	if (argc != 1) {
		usage_error("migrate takes no arguments");
		return (EXIT_USAGE);
	}
	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);
	buf_init(&log);
	buf_init(&err);
	rc = 0;
	if (store_migrate(conn, &log, &err) == -1) {
		fprintf(stderr, "factwiki: migrate: %s\n", buf_cstr(&err));
		rc = PQstatus(conn) == CONNECTION_OK ? EXIT_INPUT : EXIT_DB;
	} else {
		fputs(log.len > 0 ? buf_cstr(&log) :
		    "the schema is up to date\n", stdout);
	}
	buf_free(&log);
	buf_free(&err);
	PQfinish(conn);
	return (rc);
}
