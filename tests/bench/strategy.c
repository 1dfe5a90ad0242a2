/*
 * Who can gain by not bidding their true value, under each pair of rules
 * that go together: the search of strategy.h on STRATEGY_ELECTIONS
 * random elections, STRATEGY_PER voters trying in each.  The numbers the
 * rules' explanations quote (app/core/clarke_rules.c) are this table's.
 *
 * cc -O2 -Iapp tests/bench/strategy.c build/libfwcore.a
 */

#include <stdio.h>

#include "strategy.h"

#define STRATEGY_ELECTIONS	2000
#define STRATEGY_PER		20

/* gain / of as a percentage with two decimals. */
static double
percent(int64_t gain, int64_t of)
{
	return (of == 0 ? 0.0 : 100.0 * (double)gain / (double)of);
}

int
main(void)
{
	struct search_count	 c[CLARKE_TAX__MAX * CLARKE_PAYOUT__MAX];
	char			 name[64];
	size_t			 t, p, n, k;

	for (t = 0, n = 0; t < CLARKE_TAX__MAX; t++) {
		for (p = 0; p < CLARKE_PAYOUT__MAX; p++) {
			if (clarke_rules_check(t, p) != NULL)
				continue;
			c[n].tax = t;
			c[n].payout = p;
			n++;
		}
	}
	search_run(2006, STRATEGY_ELECTIONS, STRATEGY_PER, c, n);

	printf("in %d random elections of 1-300 voters, up to %d voters of "
	    "each trying %d other bids and not bidding:\n",
	    STRATEGY_ELECTIONS, STRATEGY_PER, SEARCH_TRIES);
	printf("%-34s %7s  %8s %12s  %8s %12s %8s\n", "rules", "voters",
	    "gain bid", "largest", "gain out", "largest", "<=share");
	for (k = 0; k < n; k++) {
		(void)snprintf(name, sizeof(name), "%s/%s",
		    clarke_tax_name(c[k].tax), clarke_payout_name(c[k].payout));
		printf("%-34s %7zu  %7.2f%% %11.2f%%  %7.2f%% %11.2f%% %8s\n",
		    name, c[k].voters, percent((int64_t)c[k].gain_bid,
		    (int64_t)c[k].voters), percent(c[k].bid_gain, c[k].bid_of),
		    percent((int64_t)c[k].gain_abstain, (int64_t)c[k].voters),
		    percent(c[k].abstain_gain, c[k].abstain_of),
		    c[k].abstain_within_share ? "yes" : "no");
	}
	printf("gain bid: share of those voters better off bidding "
	    "otherwise; gain out: better off not\nbidding at all; largest: "
	    "the largest gain seen, in %% of max_bid; <=share: not bidding\n"
	    "never gained more than the voter's cost share.\n");
	return (0);
}
