/*
 * factwiki token create NAME: prints a new API token for user NAME.  Only
 * its hash is stored; the token itself is shown this once.
 */

#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/account.h"
#include "core/buf.h"
#include "store/db.h"
#include "cli.h"

int
cmd_token(int argc, char **argv)
{
	char		 token[TOKEN_STRLEN + 1];
	unsigned char	 hash[TOKEN_HASHLEN];
	const char	*params[2];
	int		 lengths[2], formats[2], rc;
	struct buf	 err;
	PGconn		*conn;
	PGresult	*res;

	if (argc != 3 || strcmp(argv[1], "create")) {
		usage_error("token create NAME");
		return (EXIT_USAGE);
	}
	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);

	token_new(token, hash);
	params[0] = argv[2];
	lengths[0] = 0;
	formats[0] = 0;
	params[1] = (const char *)hash;
	lengths[1] = sizeof(hash);
	formats[1] = 1;
	res = PQexecParams(conn, "INSERT INTO api_tokens (user_id, hash, "
	    "label) SELECT id, $2, 'command line' FROM users "
	    "WHERE name = $1 AND role <> 'system'", 2, NULL, params, lengths,
	    formats, 0);
	rc = 0;
	buf_init(&err);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_error(conn, res, &err);
		fprintf(stderr, "factwiki: token: %s\n", buf_cstr(&err));
		rc = EXIT_DB;
	} else if (!strcmp(PQcmdTuples(res), "0")) {
		fprintf(stderr, "factwiki: token: no user '%s'\n", argv[2]);
		rc = EXIT_INPUT;
	} else {
		printf("%s\n", token);
	}
	buf_free(&err);
	PQclear(res);
	PQfinish(conn);
	return (rc);
}
