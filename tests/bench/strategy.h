/*
 * The strategy search of tests/bench/strategy.c (`make bench`) and of
 * tests/unit/test_strategy.c: can one voter gain by not bidding their
 * true value?
 *
 * Random elections of 1-300 voters on a roll, each with a true value w_i
 * in [-max_bid, max_bid] (spread out, two camps, small stakes with a few
 * large, or evened out to a close vote), costs from none to as much as
 * all could bid, a few voters who do not bid at all.  The others bid
 * their value; for each pair of rules, some voters try other bids: the
 * extremes, a grid over the range, their value +-1, their cost share
 * (net 0) and +-1, the bids that tie the vote and one past, those that
 * make another voter pivotal or not, random ones, and not bidding.  A
 * voter's utility: w_i - their cost share if adopted, - tax + payout.
 * A voter gains when some try beats bidding w_i.
 */

#ifndef FW_STRATEGY_H
#define FW_STRATEGY_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clarke.h"
#include "core/money.h"

#define SEARCH_VOTERS	300
#define SEARCH_TRIES	40

__extension__ typedef __int128		s128;

/* What a search found for one pair of rules. */
struct search_count {
	enum clarke_tax		 tax;
	enum clarke_payout	 payout;
	size_t			 voters;	/* who tried */
	size_t			 gain_bid;	/* better off with a bid */
	size_t			 gain_abstain;	/* better off without */
	/* The largest gains, as a fraction gain / of: of max_bid. */
	int64_t			 bid_gain, bid_of;
	int64_t			 abstain_gain, abstain_of;
	/* Not bidding never gained more than the voter's cost share. */
	int			 abstain_within_share;
};

struct search {
	uint64_t		 rng;		/* the elections */
	uint64_t		 seed;		/* this one's: tries are */
	uint64_t		 tries;		/* seeded by it and voter */
	size_t			 n;
	struct clarke_terms	 terms;
	struct clarke_voter	 v[SEARCH_VOTERS];
	int64_t			 value[SEARCH_VOTERS];
	char			 names[SEARCH_VOTERS][8];
};

/*
 * splitmix64 from fixed seeds, so that anyone gets the same numbers, and
 * a voter the same tries however many others try.
 */
static uint64_t
search_rng(uint64_t *state)
{
	uint64_t	 z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* Uniform in [lo, hi], hi - lo < 2^63. */
static int64_t
search_range(uint64_t *state, int64_t lo, int64_t hi)
{
	return (lo + (int64_t)(search_rng(state) % (uint64_t)(hi - lo + 1)));
}

static int64_t
search_clip(const struct search *s, s128 b)
{
	if (b > s->terms.max_bid)
		return (s->terms.max_bid);
	if (b < -s->terms.max_bid)
		return (-s->terms.max_bid);
	return ((int64_t)b);
}

static int64_t
search_share(const struct search *s, size_t i)
{
	return (s->terms.cost / (int64_t)s->n +
	    ((int64_t)i < s->terms.cost % (int64_t)s->n));
}

/* A new election, every voter who bids bidding their value. */
static void
search_election(struct search *s)
{
	s128	 total;
	int64_t	 max;
	size_t	 i;
	int	 shape, abstainers;

	s->seed = search_rng(&s->rng);
	s->n = 1 + search_rng(&s->rng) % SEARCH_VOTERS;
	max = search_rng(&s->rng) % 2 ? search_range(&s->rng, 1, 10000) :
	    search_range(&s->rng, 1, MONEY_BID_MAX);
	s->terms.max_bid = max;
	switch (search_rng(&s->rng) % 3) {
	case 0:
		s->terms.cost = 0;
		break;
	case 1:
		s->terms.cost = search_range(&s->rng, 0,
		    (int64_t)s->n * max / 4);
		break;
	default:
		s->terms.cost = search_range(&s->rng, 0, (int64_t)s->n * max);
		break;
	}
	shape = (int)(search_rng(&s->rng) % 4);
	abstainers = (int)(search_rng(&s->rng) % 3);
	total = 0;
	for (i = 0; i < s->n; i++) {
		(void)snprintf(s->names[i], sizeof(s->names[i]), "v%03zu", i);
		memset(&s->v[i], 0, sizeof(s->v[i]));
		s->v[i].name = s->names[i];
		switch (shape) {
		case 0:		/* spread out */
			s->value[i] = search_range(&s->rng, -max, max);
			break;
		case 1:		/* two camps */
			s->value[i] = (i % 2 ? max : -max) / 2 +
			    search_range(&s->rng, -max / 8, max / 8);
			break;
		default:	/* small stakes, a few large */
			s->value[i] = search_rng(&s->rng) % 8 ?
			    search_range(&s->rng, -max / 20, max / 20) :
			    search_range(&s->rng, -max, max);
			break;
		}
		/* None, a tenth or three tenths do not bid. */
		s->v[i].abstain = search_rng(&s->rng) % 10 <
		    (uint64_t)(abstainers == 2 ? 3 : abstainers);
		if (!s->v[i].abstain)
			total += s->value[i] - search_share(s, i);
	}
	/* A close vote: values evened out, one by one, towards a tie. */
	for (i = 0; shape == 3 && i < s->n; i++) {
		if (s->v[i].abstain)
			continue;
		total -= s->value[i] - search_share(s, i);
		s->value[i] = search_clip(s, search_share(s, i) - total);
		total += s->value[i] - search_share(s, i);
	}
	for (i = 0; i < s->n; i++)
		s->v[i].bid = s->value[i];
}

/* Voter i's utility in the tally just made. */
static s128
search_utility(const struct search *s, size_t i,
    const struct clarke_result *res)
{
	const struct clarke_voter	*v = &s->v[i];

	return ((res->adopt ? (s128)s->value[i] - v->cost_share : 0) -
	    v->tax + v->payout);
}

static s128
search_tally(struct search *s, size_t i, struct clarke_result *res)
{
	const char	*errstr;

	if (clarke_compute(s->v, s->n, &s->terms, res, &errstr) == -1) {
		fprintf(stderr, "strategy: %s\n", errstr);
		exit(1);
	}
	return (search_utility(s, i, res));
}

/* gain / of > *best / *bestof, the fractions compared exactly. */
static void
search_largest(int64_t gain, int64_t of, int64_t *best, int64_t *bestof)
{
	if (*bestof == 0 || (s128)gain * *bestof > (s128)*best * of) {
		*best = gain;
		*bestof = of;
	}
}

/* Voter i (who bids) tries other bids, then not bidding. */
static void
search_voter(struct search *s, size_t i, struct search_count *c)
{
	struct clarke_result	 res;
	int64_t			 b[SEARCH_TRIES], max, share;
	s128			 truth, u, best, others;
	size_t			 k, nb, j;

	s->tries = s->seed ^ (i * 0xd1b54a32d192ed03ULL);
	max = s->terms.max_bid;
	share = search_share(s, i);
	truth = search_tally(s, i, &res);
	others = (s128)res.total_net - s->v[i].net;

	nb = 0;
	b[nb++] = -max;
	b[nb++] = max;
	for (k = 1; k < 8; k++)
		b[nb++] = -max + (int64_t)((s128)2 * max * (s128)k / 8);
	b[nb++] = 0;
	b[nb++] = search_clip(s, (s128)s->value[i] + 1);
	b[nb++] = search_clip(s, (s128)s->value[i] - 1);
	for (k = 0; k < 3; k++)		/* net value 0, -1, +1 */
		b[nb++] = search_clip(s, (s128)share + (s128)k - 1);
	for (k = 0; k < 3; k++)		/* the vote tied, and either side */
		b[nb++] = search_clip(s, (s128)share - others + (s128)k - 1);
	for (k = 0; k < 4 && s->n > 1; k++) {
		/* Where another voter j stops, or starts, being pivotal. */
		j = search_rng(&s->tries) % s->n;
		b[nb++] = search_clip(s, (s128)share - others +
		    s->v[j].net + (s128)(k % 2));
	}
	while (nb < SEARCH_TRIES)
		b[nb++] = search_range(&s->tries, -max, max);

	best = truth;
	for (k = 0; k < nb; k++) {
		if (b[k] == s->value[i])
			continue;
		s->v[i].bid = b[k];
		if ((u = search_tally(s, i, &res)) > best)
			best = u;
	}
	s->v[i].bid = s->value[i];
	c->voters++;
	if (best > truth) {
		c->gain_bid++;
		search_largest((int64_t)(best - truth), max, &c->bid_gain,
		    &c->bid_of);
	}

	s->v[i].abstain = 1;
	u = search_tally(s, i, &res);
	s->v[i].abstain = 0;
	if (u > truth) {
		c->gain_abstain++;
		search_largest((int64_t)(u - truth), max, &c->abstain_gain,
		    &c->abstain_of);
		if (u - truth > share)
			c->abstain_within_share = 0;
	}
}

/*
 * elections random elections from seed; in each, up to per voters who
 * bid try, under each of the npairs pairs of rules in c (tax, payout
 * set, the rest zeroed here).
 */
static void
search_run(uint64_t seed, size_t elections, size_t per,
    struct search_count *c, size_t npairs)
{
	struct search	*s;
	size_t		 e, p, k, i, bidders;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		exit(1);
	for (p = 0; p < npairs; p++) {
		c[p].voters = c[p].gain_bid = c[p].gain_abstain = 0;
		c[p].bid_gain = c[p].bid_of = 0;
		c[p].abstain_gain = c[p].abstain_of = 0;
		c[p].abstain_within_share = 1;
	}
	s->rng = seed;
	for (e = 0; e < elections; e++) {
		search_election(s);
		for (i = 0, bidders = 0; i < s->n; i++)
			bidders += !s->v[i].abstain;
		for (p = 0; p < npairs; p++) {
			s->terms.tax = c[p].tax;
			s->terms.payout = c[p].payout;
			/* The same voters under every pair of rules. */
			for (k = 0, i = e % s->n; k < per && k < bidders;
			    i = (i + 1) % s->n) {
				if (s->v[i].abstain)
					continue;
				search_voter(s, i, &c[p]);
				k++;
			}
		}
	}
	free(s);
}

#endif
