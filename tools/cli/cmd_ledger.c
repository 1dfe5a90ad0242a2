/*
 * factwiki ledger credit|debit USER AMOUNT --ref TEXT [--currency CODE]
 *
 * An admin's movement of money into a user's balance (credit: it came in
 * from outside, as a payment received) or out of it (debit: paid out),
 * with a reference that the user's statement shows.  A debit never leaves
 * a balance below zero.  Everything else in the ledger moves by the
 * referenda's deposits and settlements alone.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/money.h"
#include "store/db.h"
#include "cli.h"

#define USAGE	"ledger credit|debit USER AMOUNT --ref TEXT [--currency CODE]"

int
cmd_ledger(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ref", required_argument, NULL, 'r' },
		{ "currency", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*ref, *currency, *errstr, *params[4];
	char		 cents[24];
	struct buf	 err;
	PGconn		*conn;
	PGresult	*res;
	int64_t		 amount;
	int		 ch, debit, rc;

	ref = NULL;
	currency = "EUR";
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			ref = optarg;
			break;
		case 'c':
			currency = optarg;
			break;
		default:
			usage_error(USAGE);
			return (EXIT_USAGE);
		}
	}
	if (argc < 2 || (strcmp(argv[1], "credit") &&
	    strcmp(argv[1], "debit")) || optind + 2 != argc || ref == NULL ||
	    ref[0] == '\0' || strlen(ref) > 200 || strlen(currency) != 3 ||
	    strspn(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		usage_error(USAGE);
		return (EXIT_USAGE);
	}
	debit = !strcmp(argv[1], "debit");
	if (money_parse(argv[optind + 1], strlen(argv[optind + 1]), &amount,
	    &errstr) == -1) {
		fprintf(stderr, "factwiki: ledger: %s\n", errstr);
		return (EXIT_INPUT);
	}
	if (amount <= 0) {
		fprintf(stderr, "factwiki: ledger: the amount is more than "
		    "0.00: credit adds it, debit takes it\n");
		return (EXIT_INPUT);
	}
	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);
	(void)snprintf(cents, sizeof(cents), "%lld",
	    (long long)(debit ? -amount : amount));
	params[0] = argv[optind];
	params[1] = cents;
	params[2] = currency;
	params[3] = ref;
	res = PQexecParams(conn, "SELECT api.ledger_admin($1, $2, $3, $4)", 4,
	    NULL, params, NULL, NULL, 0);
	buf_init(&err);
	rc = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_error(conn, res, &err);
		fprintf(stderr, "factwiki: ledger: %s\n", buf_cstr(&err));
		rc = EXIT_INPUT;
	} else
		printf("%s\n", PQgetvalue(res, 0, 0));
	buf_free(&err);
	PQclear(res);
	PQfinish(conn);
	return (rc);
}
