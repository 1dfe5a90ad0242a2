/*
 * factwiki proposal tally|verify SLUG: tally a closed proposal now (the
 * server does so on its own at the close), or compute a tallied one's
 * result again from its sealed bids and compare.  Both need the master
 * key file: $FACTWIKI_KEY_FILE, else var/master.key of this checkout.
 */

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/seal.h"
#include "store/keys.h"
#include "store/tally.h"
#include "cli.h"

static void	key_path(struct buf *);

/* As the server finds it when run from the checkout (tools/run.sh). */
static void
key_path(struct buf *path)
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

int
cmd_proposal(int argc, char **argv)
{
	unsigned char	 master[SEAL_MASTERBYTES];
	struct buf	 path, log, err;
	PGconn		*conn;
	int		 verify, rc;

	if (argc != 3 || (strcmp(argv[1], "tally") &&
	    strcmp(argv[1], "verify"))) {
		usage_error("proposal tally|verify SLUG");
		return (EXIT_USAGE);
	}
	verify = !strcmp(argv[1], "verify");
	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);

	buf_init(&path);
	buf_init(&log);
	buf_init(&err);
	key_path(&path);
	rc = store_key_load(conn, buf_cstr(&path), 0, master, &log, &err);
	if (rc == 0 && verify)
		rc = store_tally_verify(conn, master, argv[2], &log, &err);
	else if (rc == 0)
		rc = store_tally_slug(conn, master, argv[2], &log, &err);
	sodium_memzero(master, sizeof(master));
	if (rc == 0)
		fputs(buf_cstr(&log), stdout);
	else
		fprintf(stderr, "factwiki: proposal %s: %s\n", argv[1],
		    buf_cstr(&err));
	buf_free(&path);
	buf_free(&log);
	buf_free(&err);
	PQfinish(conn);
	return (rc == 0 ? 0 : EXIT_INPUT);
}
