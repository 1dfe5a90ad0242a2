/*
 * factwiki user add NAME [--role editor|curator|admin]
 *
 * The password is read from standard input (one line), so that it appears
 * in no process list nor shell history.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/account.h"
#include "core/buf.h"
#include "store/db.h"
#include "cli.h"

static int	read_password(char *, size_t);

/* One line from stdin, without echo on a terminal. */
static int
read_password(char *pw, size_t size)
{
	struct termios	 old, quiet;
	int		 tty;
	size_t		 len;
	char		*ok;

	tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs("password: ", stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(pw, (int)size, stdin);
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (ok == NULL)
		return (-1);
	len = strcspn(pw, "\r\n");
	pw[len] = '\0';
	return (0);
}

int
cmd_user(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	char		 pw[PASSWORD_MAX + 2], hash[PASSWORD_HASHLEN];
	const char	*role, *name, *errstr, *params[3];
	struct buf	 err;
	PGconn		*conn;
	PGresult	*res;
	int		 ch, rc;

	role = "editor";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			role = optarg;
			break;
		default:
			usage_error("user: bad option");
			return (EXIT_USAGE);
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "add")) {
		usage_error("user add NAME [--role ROLE]");
		return (EXIT_USAGE);
	}
	if (strcmp(role, "editor") && strcmp(role, "curator") &&
	    strcmp(role, "admin")) {
		usage_error("user: a role is editor, curator or admin");
		return (EXIT_USAGE);
	}
	name = argv[optind + 1];
	if (username_check(name, strlen(name), &errstr) == -1) {
		fprintf(stderr, "factwiki: user: %s\n", errstr);
		return (EXIT_INPUT);
	}
	if (read_password(pw, sizeof(pw)) == -1) {
		fprintf(stderr, "factwiki: user: no password on standard "
		    "input\n");
		return (EXIT_INPUT);
	}
	if (password_check(pw, strlen(pw), &errstr) == -1) {
		fprintf(stderr, "factwiki: user: %s\n", errstr);
		return (EXIT_INPUT);
	}
	if (password_hash(pw, strlen(pw), hash) == -1) {
		fprintf(stderr, "factwiki: user: out of memory\n");
		return (EXIT_INPUT);
	}
	sodium_memzero(pw, sizeof(pw));

	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);
	params[0] = name;
	params[1] = role;
	params[2] = hash;
	res = PQexecParams(conn, "INSERT INTO users (name, role, "
	    "password_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	    3, NULL, params, NULL, NULL, 0);
	rc = 0;
	buf_init(&err);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_error(conn, res, &err);
		fprintf(stderr, "factwiki: user: %s\n", buf_cstr(&err));
		rc = EXIT_DB;
	} else if (!strcmp(PQcmdTuples(res), "0")) {
		fprintf(stderr, "factwiki: user: '%s' exists already\n", name);
		rc = EXIT_INPUT;
	} else {
		printf("added %s (%s)\n", name, role);
	}
	buf_free(&err);
	PQclear(res);
	PQfinish(conn);
	return (rc);
}
