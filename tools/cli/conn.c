/*
 * Which database the CLI talks to: $DATABASE_URL, or else the cluster that
 * `make run` keeps in var/pg of the checkout this program was built in.
 */

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "store/db.h"
#include "store/keys.h"
#include "cli.h"

int
cli_conninfo(struct buf *info)
{
	const char	*url;
	char		 exe[PATH_MAX], sock[PATH_MAX], *root;
	ssize_t		 n;

	if ((url = getenv("DATABASE_URL")) != NULL && url[0] != '\0') {
		buf_puts(info, url);
		return (0);
	}
	/* build/factwiki -> the checkout -> var/pg */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	root = dirname(dirname(exe));
	(void)snprintf(sock, sizeof(sock), "%s/var/pg", root);
	/* The socket path must be short: follow var/pg's link. */
	if (realpath(sock, exe) == NULL) {
		fprintf(stderr, "factwiki: DATABASE_URL is not set and there "
		    "is no local cluster in %s (start it with `make run`)\n",
		    sock);
		return (-1);
	}
	buf_printf(info, "host=%s dbname=factwiki user=factwiki", exe);
	return (0);
}

PGconn *
cli_connect(void)
{
	struct buf	 err, info;
	PGconn		*conn;

	buf_init(&err);
	buf_init(&info);
	conn = NULL;
	if (cli_conninfo(&info) == 0 &&
	    (conn = store_connect(buf_cstr(&info), &err)) == NULL)
		fprintf(stderr, "factwiki: %s\n", buf_cstr(&err));
	buf_free(&err);
	buf_free(&info);
	return (conn);
}

/* As the server finds it when run from the checkout (tools/run.sh). */
void
cli_key_path(struct buf *path)
{
	const char	*env;
	char		 exe[PATH_MAX];
	ssize_t		 n;

	if ((env = getenv(KEYS_ENV)) != NULL && env[0] != '\0') {
		buf_puts(path, env);
		return;
	}
	/* build/factwiki -> the checkout */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		n = 0;
	exe[n] = '\0';
	buf_printf(path, "%s/" KEYS_DEFAULT, dirname(dirname(exe)));
}
