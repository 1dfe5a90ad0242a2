/*
 * The claims of the rules' explanations that a single voter cannot gain
 * by bidding anything but their value (pivot with none or redistribute),
 * held to the strategy search of `make bench` (tests/bench/strategy.h):
 * its elections, fewer voters trying in each.  Not bidding at all may
 * gain, as those explanations say, but never more than the voter's cost
 * share, which an abstainer does not pay.
 */

#include "unit.h"

#include <string.h>

#include "core/clarke.h"
#include "../bench/strategy.h"

/* The elections and seed of tests/bench/strategy.c. */
#define ELECTIONS	2000
#define SEED		2006
#define PER		2

/* The words the explanations make the claim with. */
#define CLAIM		"not one voter could gain by bidding anything but"

static void
test_claims(void **state)
{
	struct search_count	 c[2];

	(void)state;
	assert_non_null(strstr(clarke_tax_rules[CLARKE_PIVOT].explanation,
	    CLAIM));
	assert_non_null(strstr(clarke_payout_rules[CLARKE_PAYOUT_NONE].
	    explanation, CLAIM));
	assert_non_null(strstr(clarke_payout_rules[
	    CLARKE_PAYOUT_REDISTRIBUTE].explanation, CLAIM));

	c[0].tax = CLARKE_PIVOT;
	c[0].payout = CLARKE_PAYOUT_NONE;
	c[1].tax = CLARKE_PIVOT;
	c[1].payout = CLARKE_PAYOUT_REDISTRIBUTE;
	search_run(SEED, ELECTIONS, PER, c, 2);
	assert_true(c[0].voters > ELECTIONS);
	assert_int_equal(c[0].gain_bid, 0);
	assert_int_equal(c[1].gain_bid, 0);
	assert_true(c[0].abstain_within_share);
	assert_true(c[1].abstain_within_share);
	/* Not vacuous: staying out did gain some. */
	assert_true(c[0].gain_abstain > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
