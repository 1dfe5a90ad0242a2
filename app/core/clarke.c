/*
 * The Clarke-tax tally: voters sorted by name, their cost shares (over
 * the roll, abstainers too) and net values, the decision, then the
 * proposal's tax and payout rules (clarke_rules.c).
 *
 * All amounts are int64_t minor units and every step is checked: a result
 * is either exact to the unit or refused.  The tally is a handful of
 * linear passes over voters sorted by name; the order fixes who gets the
 * remainder units, so that anyone recomputing gets the same cents.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clarke.h"

/* clarke_sort() sorts n voters' 8-byte name prefixes from this n. */
#define SORT_KEYS_MIN	64

static int	 cmp_name(const void *, const void *);
static int	 cmp_key(const void *, const void *);
static int	 compute(struct clarke_voter *, size_t,
		    const struct clarke_terms *, struct clarke_result *,
		    const char **);

static int
cmp_name(const void *a, const void *b)
{
	const struct clarke_voter	*va = a, *vb = b;

	return (strcmp(va->name, vb->name));
}

/*
 * A name's first 8 bytes, big-endian, zero-padded: as integers they
 * order as strcmp orders the names, so most comparisons touch no name.
 */
struct sortkey {
	uint64_t	 prefix;
	const char	*name;
	size_t		 idx;
};

static int
cmp_key(const void *a, const void *b)
{
	const struct sortkey	*ka = a, *kb = b;

	if (ka->prefix != kb->prefix)
		return (ka->prefix < kb->prefix ? -1 : 1);
	return (strcmp(ka->name, kb->name));
}

int
clarke_sort(struct clarke_voter *v, size_t n, size_t *dup)
{
	struct clarke_voter	 t;
	struct sortkey		*k;
	const unsigned char	*p;
	size_t			 i, j, src;
	int			 c;

	k = NULL;
	if (n >= SORT_KEYS_MIN && n <= SIZE_MAX / sizeof(*k))
		k = malloc(n * sizeof(*k));
	if (k == NULL) {
		/* Few voters, or no memory to spare: sort them directly. */
		if (n > 1)
			qsort(v, n, sizeof(*v), cmp_name);
	} else {
		for (i = 0; i < n; i++) {
			k[i].prefix = 0;
			p = (const unsigned char *)v[i].name;
			for (c = 0; c < 8; c++) {
				k[i].prefix <<= 8;
				if (*p != '\0')
					k[i].prefix |= *p++;
			}
			k[i].name = v[i].name;
			k[i].idx = i;
		}
		qsort(k, n, sizeof(*k), cmp_key);

		/* Voter k[j].idx goes to j: follow each cycle once. */
		for (i = 0; i < n; i++) {
			if (k[i].idx == i || k[i].idx == SIZE_MAX)
				continue;
			t = v[i];
			for (j = i;; j = src) {
				src = k[j].idx;
				k[j].idx = SIZE_MAX;
				if (src == i) {
					v[j] = t;
					break;
				}
				v[j] = v[src];
			}
		}
		free(k);
	}

	for (i = 1; i < n; i++) {
		if (!strcmp(v[i - 1].name, v[i].name)) {
			if (dup != NULL)
				*dup = i;
			return (-1);
		}
	}
	return (0);
}

int
clarke_compute(struct clarke_voter *v, size_t n,
    const struct clarke_terms *terms, struct clarke_result *res,
    const char **errstr)
{
	size_t	 i;

	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].name, v[i].name) >= 0) {
			*errstr = "voters must be sorted by name, each once";
			return (-1);
		}
	}
	return (compute(v, n, terms, res, errstr));
}

/* clarke_compute() for voters known to be in order. */
static int
compute(struct clarke_voter *v, size_t n, const struct clarke_terms *terms,
    struct clarke_result *res, const char **errstr)
{
	struct clarke_result	 r;
	const char		*misfit;
	uint64_t		 q, rem;
	int64_t			 total_bid, total_net, total_cost, share;
	size_t			 i;

	if (n == 0) {
		*errstr = "there are no bids to tally";
		return (-1);
	}
	if (terms->cost < 0 || terms->cost > CLARKE_COST_MAX) {
		/* CLARKE_COST_MAX as money. */
		*errstr = "the cost must be at least 0 and at most "
		    "23058430092136939.51";
		return (-1);
	}
	if ((size_t)terms->tax >= CLARKE_TAX__MAX ||
	    (size_t)terms->payout >= CLARKE_PAYOUT__MAX) {
		*errstr = "unknown tax or payout rule";
		return (-1);
	}
	if ((misfit = clarke_rules_check(terms->tax, terms->payout)) != NULL) {
		*errstr = misfit;
		return (-1);
	}
	if (terms->max_bid < 1) {
		*errstr = "the largest bid allowed must be at least 0.01";
		return (-1);
	}

	/*
	 * Cost shares over everyone given, net values, and the decision.
	 * An abstainer's share stays unpaid: it is theirs only so that no
	 * one else's depends on who bids.
	 */
	q = (uint64_t)terms->cost / n;
	rem = (uint64_t)terms->cost % n;
	total_bid = 0;
	total_net = 0;
	total_cost = 0;
	for (i = 0; i < n; i++) {
		share = (int64_t)(q + (i < rem));
		v[i].tax = 0;
		v[i].payout = 0;
		v[i].pivotal = 0;
		if (v[i].abstain) {
			v[i].cost_share = 0;
			v[i].net = 0;
			continue;
		}
		if (v[i].bid > terms->max_bid || v[i].bid < -terms->max_bid) {
			*errstr = "a bid is beyond the largest bid allowed, "
			    "either way";
			return (-1);
		}
		v[i].cost_share = share;
		total_cost += share;	/* at most the cost */
		if (__builtin_sub_overflow(v[i].bid, share, &v[i].net) ||
		    __builtin_add_overflow(total_net, v[i].net, &total_net) ||
		    __builtin_add_overflow(total_bid, v[i].bid, &total_bid))
			goto toolarge;
	}
	r.adopt = total_net > 0;
	r.total_bid = total_bid;
	r.total_cost = total_cost;
	r.total_net = total_net;
	r.total_tax = 0;
	r.total_payout = 0;
	if (clarke_tax_rules[terms->tax].apply(v, n, terms, &r) == -1 ||
	    clarke_payout_rules[terms->payout].apply(v, n, terms, &r) == -1)
		goto toolarge;
	/* Payouts never exceed the taxes: each rule shares out at most. */
	r.total_surplus = r.total_tax - r.total_payout;
	*res = r;
	return (0);

toolarge:
	*errstr = "the amounts are too large to tally exactly";
	return (-1);
}

int
clarke_tally(struct clarke_voter *v, size_t n,
    const struct clarke_terms *terms, struct clarke_result *res,
    const char **errstr)
{
	if (clarke_sort(v, n, NULL) == -1) {
		*errstr = "two bids have the same voter";
		return (-1);
	}
	/* clarke_sort() has seen them strictly ascending. */
	return (compute(v, n, terms, res, errstr));
}
