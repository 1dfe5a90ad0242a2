/*
 * factwiki: migrate, import, export, users, tokens, referenda, backups.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "cli.h"

static const struct {
	const char	*name;
	int		(*run)(int, char **);
	const char	*synopsis;	/* else synopsis_of() writes it */
	void		(*synopsis_of)(struct buf *);
} commands[] = {
	{ "migrate", cmd_migrate, "migrate" },
	{ "import", cmd_import, "import [--create-missing] [--dry-run] "
	    "[--comment TEXT] [--user NAME] FILE|-" },
	{ "export", cmd_export, "export [--place SLUG] [--variable SLUG] "
	    "[--from YEAR] [--to YEAR]" },
	{ "user", cmd_user, "user add NAME [--role editor|curator|admin]" },
	{ "token", cmd_token, "token create NAME" },
	{ "clarke", cmd_clarke, NULL, clarke_synopsis },
	{ "proposal", cmd_proposal, "proposal tally SLUG | proposal verify "
	    "SLUG [--from URL [--board-key KEY] [--receipt RECEIPT]] | "
	    "proposal bid SLUG AMOUNT [--url URL]" },
	{ "ledger", cmd_ledger, "ledger credit|debit USER AMOUNT --ref TEXT "
	    "[--currency CODE]" },
	{ "backup", cmd_backup, "backup DIR" },
	{ "restore", cmd_backup, "restore DIR" },
	{ "trustee", cmd_trustee, "trustee keygen --out FILE | "
	    "trustee setup|decrypt SLUG --key FILE [--url URL]" },
};

static void
usage(FILE *fp)
{
	struct buf	 line;
	size_t		 i;

	fprintf(fp, "usage:\n");
	buf_init(&line);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		buf_reset(&line);
		if (commands[i].synopsis != NULL)
			buf_puts(&line, commands[i].synopsis);
		else
			commands[i].synopsis_of(&line);
		fprintf(fp, "  factwiki %s\n", buf_cstr(&line));
	}
	buf_free(&line);
	fprintf(fp, "\nThe database is $DATABASE_URL, or else the local "
	    "cluster of `make run`.\n");
}

void
usage_error(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "factwiki: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
}

int
main(int argc, char *argv[])
{
	size_t	 i;

	if (sodium_init() == -1) {
		fprintf(stderr, "factwiki: libsodium cannot start\n");
		return (EXIT_INPUT);
	}
	if (argc < 2) {
		usage(stderr);
		return (EXIT_USAGE);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return (0);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return (commands[i].run(argc - 1, argv + 1));
	}
	usage_error("unknown command '%s'", argv[1]);
	return (EXIT_USAGE);
}
