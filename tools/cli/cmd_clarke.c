/*
 * factwiki clarke: tallies a referendum from its published bids, with
 * the code the server tallies with, so anyone can check a result.  With
 * --roll the input is the whole voter roll, an empty bid for each voter
 * on it who did not bid, as a published result has them.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/clarke_out.h"
#include "core/clarke_reader.h"
#include "core/money.h"

#include "cli.h"

/* Output goes out in pieces of about this size: 10M voters stay flat. */
#define OUT_CHUNK	65536

static void	clarke_error(void *, unsigned long, const char *);
static int	flush_out(struct buf *, int);
static void	rule_unknown(const char *, const char *,
		    const struct clarke_rule *, size_t);

void
clarke_synopsis(struct buf *b)
{
	buf_puts(b, "clarke --cost AMOUNT [--tax-rule ");
	clarke_rule_names(b, clarke_tax_rules, CLARKE_TAX__MAX, "|", "|");
	buf_puts(b, "] [--payout ");
	clarke_rule_names(b, clarke_payout_rules, CLARKE_PAYOUT__MAX, "|",
	    "|");
	buf_puts(b, "] [--max-bid AMOUNT] [--roll] [--format csv|json] "
	    "< bids.csv");
}

/* "clarke: --payout: 'x' is not none or losers-prorata", and the usage. */
static void
rule_unknown(const char *option, const char *value,
    const struct clarke_rule *rules, size_t n)
{
	struct buf	 names;

	buf_init(&names);
	clarke_rule_names(&names, rules, n, ", ", " or ");
	usage_error("clarke: %s: '%s' is not %s", option, value,
	    buf_cstr(&names));
	buf_free(&names);
}

static void
clarke_error(void *arg, unsigned long line, const char *msg)
{
	(void)arg;
	if (line == 0)
		fprintf(stderr, "factwiki clarke: stdin: %s\n", msg);
	else
		fprintf(stderr, "factwiki clarke: stdin:%lu: %s\n", line, msg);
}

static int
flush_out(struct buf *out, int force)
{
	if (out->len < OUT_CHUNK && !force)
		return (0);
	if (out->len > 0 && fwrite(out->data, 1, out->len, stdout) != out->len)
		return (-1);
	buf_reset(out);
	return (force ? fflush(stdout) : 0);
}

int
cmd_clarke(int argc, char **argv)
{
	static const struct option	 opts[] = {
		{ "cost", required_argument, NULL, 'c' },
		{ "tax-rule", required_argument, NULL, 't' },
		{ "payout", required_argument, NULL, 'p' },
		{ "max-bid", required_argument, NULL, 'm' },
		{ "roll", no_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct clarke_reader	*r;
	struct clarke_voter	*v;
	struct clarke_result	 res;
	struct clarke_terms	 terms;
	struct buf		 out;
	const char		*errstr;
	char			 in[65536];
	size_t			 n, nr, i;
	int			 ch, json, havecost, roll, rc;

	/*
	 * The contract's defaults of this command, whatever new proposals
	 * default to: a published result is recomputed with the rules it
	 * names, and those who name none meant these.
	 */
	terms.tax = CLARKE_PIVOT;
	terms.payout = CLARKE_PAYOUT_NONE;
	terms.max_bid = MONEY_BID_MAX;
	terms.cost = 0;
	json = 0;
	havecost = 0;
	roll = 0;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (money_parse(optarg, strlen(optarg), &terms.cost,
			    &errstr) == -1) {
				usage_error("clarke: --cost: %s", errstr);
				return (EXIT_USAGE);
			}
			if (terms.cost < 0 || terms.cost > CLARKE_COST_MAX) {
				usage_error("clarke: --cost: at least 0.00 and "
				    "at most 23058430092136939.51");
				return (EXIT_USAGE);
			}
			havecost = 1;
			break;
		case 't':
			if (clarke_tax_parse(optarg, &terms.tax) == -1) {
				rule_unknown("--tax-rule", optarg,
				    clarke_tax_rules, CLARKE_TAX__MAX);
				return (EXIT_USAGE);
			}
			break;
		case 'p':
			if (clarke_payout_parse(optarg, &terms.payout) == -1) {
				rule_unknown("--payout", optarg,
				    clarke_payout_rules, CLARKE_PAYOUT__MAX);
				return (EXIT_USAGE);
			}
			break;
		case 'm':
			if (money_parse(optarg, strlen(optarg), &terms.max_bid,
			    &errstr) == -1) {
				usage_error("clarke: --max-bid: %s", errstr);
				return (EXIT_USAGE);
			}
			if (terms.max_bid < 1 ||
			    terms.max_bid > MONEY_BID_MAX) {
				usage_error("clarke: --max-bid: at least 0.01 "
				    "and at most 1000000000.00");
				return (EXIT_USAGE);
			}
			break;
		case 'r':
			roll = 1;
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "csv")) {
				usage_error("clarke: --format: '%s' is not csv "
				    "or json", optarg);
				return (EXIT_USAGE);
			}
			json = !strcmp(optarg, "json");
			break;
		case ':':
			usage_error("clarke: %s needs a value",
			    argv[optind - 1]);
			return (EXIT_USAGE);
		default:
			usage_error("clarke: unknown option '%s'",
			    argv[optind - 1]);
			return (EXIT_USAGE);
		}
	}
	if (optind < argc) {
		usage_error("clarke: the bids come on stdin, not as '%s'",
		    argv[optind]);
		return (EXIT_USAGE);
	}
	if (!havecost) {
		usage_error("clarke: --cost is required");
		return (EXIT_USAGE);
	}
	if ((errstr = clarke_rules_check(terms.tax, terms.payout)) != NULL) {
		usage_error("clarke: %s", errstr);
		return (EXIT_USAGE);
	}

	r = clarke_reader_new(roll, clarke_error, NULL);
	rc = 0;
	while ((nr = fread(in, 1, sizeof(in), stdin)) > 0) {
		if ((rc = clarke_reader_feed(r, in, nr)) == -1)
			break;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "factwiki clarke: stdin: %s\n",
		    strerror(errno));
		clarke_reader_free(r);
		return (EXIT_INPUT);
	}
	if (rc == -1 || clarke_reader_finish(r) == -1) {
		clarke_reader_free(r);
		return (EXIT_INPUT);
	}

	v = clarke_reader_voters(r, &n);
	if (clarke_compute(v, n, &terms, &res, &errstr) == -1) {
		fprintf(stderr, "factwiki clarke: %s\n", errstr);
		clarke_reader_free(r);
		return (EXIT_INPUT);
	}

	/* Published bids carry no receipts: no receipt column. */
	buf_init(&out);
	if (json)
		clarke_json_head(&out, &res);
	else
		clarke_csv_head(&out, 0);
	for (i = 0; i < n && rc == 0; i++) {
		if (json)
			clarke_json_voter(&out, &v[i], i == 0);
		else
			clarke_csv_voter(&out, &v[i], 0);
		rc = flush_out(&out, 0);
	}
	if (json)
		clarke_json_tail(&out, &res);
	else
		clarke_csv_total(&out, &res, 0);
	if (rc == 0)
		rc = flush_out(&out, 1);
	buf_free(&out);
	clarke_reader_free(r);
	if (rc == -1) {
		fprintf(stderr, "factwiki clarke: stdout: %s\n",
		    strerror(errno));
		return (EXIT_INPUT);
	}
	return (0);
}
