/*
 * The Clarke-tax tally: the contract's vectors, an independent slow
 * reference over thousands of random elections, the properties the spec
 * states, arithmetic at the bounds, the published forms and the reader.
 */

#include "unit.h"

#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/clarke_out.h"
#include "core/clarke_reader.h"
#include "core/money.h"

__extension__ typedef __int128		i128;

#define VECTORS		"tests/data/clarke-vectors.json"
#define ELECTIONS	2000

/*
 * splitmix64: a fixed seed, so a failure is reproducible.
 */
static uint64_t	rng_state;

static uint64_t
rng(void)
{
	uint64_t	 z;

	z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* Uniform in [lo, hi]. */
static int64_t
rng_range(int64_t lo, int64_t hi)
{
	uint64_t	 span;

	span = (uint64_t)hi - (uint64_t)lo + 1;
	if (span == 0)
		return ((int64_t)rng());
	return ((int64_t)((uint64_t)lo + rng() % span));
}

static int64_t
amount(const char *s)
{
	const char	*errstr;
	int64_t		 c;

	if (money_parse(s, strlen(s), &c, &errstr) == -1)
		fail_msg("bad amount '%s' in the vectors: %s", s, errstr);
	return (c);
}

static const char *
fmt(int64_t c, char *out)
{
	money_format(c, out);
	return (out);
}

/* Terms whose bids are bounded only by int64_t, or by max_bid. */
#define TERMS(cost, tax, payout) \
	TERMS_MAX(cost, tax, payout, INT64_MAX)
#define TERMS_MAX(cost, tax, payout, max_bid) \
	(&(const struct clarke_terms){ (cost), (tax), (payout), (max_bid) })

/*
 * Rebates: voters up to which the reference tries every bid that could
 * be least (every bid there is, when max_bid is at most DENSE_MAX).
 */
#define KINKS_MAX	40
#define DENSE_MAX	60
/* Voters beyond which it works out only some 64 rebates: O(n^2). */
#define REBATES_ALL	3000

/*
 * The reference: the spec read literally, in 128 bits, largest remainders
 * by sorting, O(n log n) and no cleverness (redistribute: O(n^2) and
 * more).  Voters sorted by name; abstain[i] for a voter on the roll who
 * did not bid.
 */
struct ref {
	int	 adopt;
	i128	 total_net, total_tax, total_payout, total_cost;
	i128	*cost_share, *net, *tax, *payout, *roll_share;
	int	*pivotal;
};

static const i128	*lr_rem;

static int
lr_cmp(const void *a, const void *b)
{
	size_t	 i = *(const size_t *)a, j = *(const size_t *)b;

	if (lr_rem[i] != lr_rem[j])
		return (lr_rem[i] > lr_rem[j] ? -1 : 1);
	return (i < j ? -1 : i > j);
}

/* total over the voters with in[i], pro rata to w[i], into out. */
static void
ref_lr(size_t n, const int *in, const i128 *w, i128 total, i128 *out)
{
	i128	 sum, got, *rem;
	size_t	*idx, k, i;

	rem = calloc(n, sizeof(*rem));
	idx = calloc(n, sizeof(*idx));
	assert_non_null(rem);
	assert_non_null(idx);
	sum = 0;
	for (i = 0; i < n; i++)
		if (in[i])
			sum += w[i];
	got = 0;
	for (i = 0, k = 0; i < n; i++) {
		if (!in[i])
			continue;
		out[i] = total * w[i] / sum;
		rem[i] = total * w[i] % sum;
		got += out[i];
		idx[k++] = i;
	}
	lr_rem = rem;
	qsort(idx, k, sizeof(*idx), lr_cmp);
	assert_true(total - got < (i128)k);
	for (i = 0; (i128)i < total - got; i++)
		out[idx[i]]++;
	free(rem);
	free(idx);
}

/* The pivot taxes of an election with these net values, summed. */
static i128
ref_pivot_total(const i128 *net, size_t n)
{
	i128	 total, others, t;
	size_t	 i;
	int	 adopt;

	total = 0;
	for (i = 0; i < n; i++)
		total += net[i];
	adopt = total > 0;
	t = 0;
	for (i = 0; i < n; i++) {
		others = total - net[i];
		if (adopt ? others <= 0 : others > 0)
			t += adopt ? -others : others;
	}
	return (t);
}

/* T of the election where voter i bids b, the others' nets in net. */
static i128
ref_pivot_with(i128 *net, size_t n, size_t i, i128 share, i128 b)
{
	i128	 keep, t;

	keep = net[i];
	net[i] = b - share;
	t = ref_pivot_total(net, n);
	net[i] = keep;
	return (t);
}

/*
 * Redistribute, as the contract words it: min over b in [-max, max] of T
 * with i bidding b, over n.  Every b when the range is tiny; else every
 * b where T could turn (each kink, where someone's pivotal total crosses
 * 0, and the decision's edge, with their neighbours) for a few voters;
 * else the two ends alone, which the others show to be enough.
 */
static void
ref_redistribute(struct ref *r, size_t n, int64_t max)
{
	i128	 least, t, others, b, cand[3 * KINKS_MAX + 8];
	size_t	 i, j, k, m, stride;

	/* -1: not worked out. */
	stride = n <= REBATES_ALL ? 1 : n / 64;
	r->total_payout = stride == 1 ? 0 : -1;
	for (i = 0; i < n; i++) {
		r->payout[i] = -1;
		if (i % stride != 0)
			continue;
		least = -1;
		k = 0;
		if (max <= DENSE_MAX && n <= KINKS_MAX) {
			for (b = -max; b <= max; b++) {
				t = ref_pivot_with(r->net, n, i,
				    r->roll_share[i], b);
				if (least < 0 || t < least)
					least = t;
			}
		} else {
			others = r->total_net - r->net[i];
			cand[k++] = -max;
			cand[k++] = max;
			if (n <= KINKS_MAX) {
				/* S + b - s_i = 0, and = v_j. */
				cand[k++] = r->roll_share[i] - others;
				for (j = 0; j < n; j++)
					cand[k++] = r->net[j] - others +
					    r->roll_share[i];
			}
			for (j = 0; j < k; j++) {
				for (m = 0; m < 3; m++) {
					b = cand[j] + (i128)m - 1;
					if (b < -max || b > max)
						continue;
					t = ref_pivot_with(r->net, n, i,
					    r->roll_share[i], b);
					if (least < 0 || t < least)
						least = t;
				}
			}
		}
		r->payout[i] = least / (i128)n;
		if (stride == 1)
			r->total_payout += r->payout[i];
	}
}

static void
ref_tally(const int64_t *bid, const int *abstain, size_t n,
    const struct clarke_terms *terms, struct ref *r)
{
	i128	 others, t, *w;
	int	*in, side;
	size_t	 i, k, j;

	r->cost_share = calloc(n, sizeof(i128));
	r->roll_share = calloc(n, sizeof(i128));
	r->net = calloc(n, sizeof(i128));
	r->tax = calloc(n, sizeof(i128));
	r->payout = calloc(n, sizeof(i128));
	r->pivotal = calloc(n, sizeof(int));
	w = calloc(n, sizeof(*w));
	in = calloc(n, sizeof(*in));

	r->total_net = 0;
	r->total_cost = 0;
	for (i = 0; i < n; i++) {
		r->roll_share[i] = terms->cost / (int64_t)n +
		    ((int64_t)i < terms->cost % (int64_t)n);
		if (abstain[i])
			continue;
		r->cost_share[i] = r->roll_share[i];
		r->net[i] = bid[i] - r->cost_share[i];
		r->total_net += r->net[i];
		r->total_cost += r->cost_share[i];
	}
	r->adopt = r->total_net > 0;
	r->total_tax = 0;
	if (terms->tax == CLARKE_PIVOT) {
		for (i = 0; i < n; i++) {
			others = r->total_net - r->net[i];
			r->pivotal[i] = r->adopt ? others <= 0 : others > 0;
			if (r->pivotal[i])
				r->tax[i] = r->adopt ? -others : others;
			r->total_tax += r->tax[i];
		}
	} else {
		others = 0;
		k = 0;
		for (i = 0; i < n; i++) {
			in[i] = r->adopt ? r->net[i] > 0 : r->net[i] < 0;
			w[i] = r->net[i] < 0 ? -r->net[i] : r->net[i];
			if (in[i])
				k++;
			else
				others += r->net[i];
		}
		t = r->adopt ? -others : others;
		for (i = 0; i < n; i++)
			r->pivotal[i] = in[i] &&
			    (r->adopt ? others <= 0 : others > 0);
		if (t > 0) {
			r->total_tax = t;
			if (terms->tax == CLARKE_COALITION_EQUAL) {
				for (i = 0, j = 0; i < n; i++) {
					if (!in[i])
						continue;
					r->tax[i] = t / (i128)k +
					    ((i128)j < t % (i128)k);
					j++;
				}
			} else
				ref_lr(n, in, w, t, r->tax);
		}
	}
	r->total_payout = 0;
	if (terms->payout == CLARKE_PAYOUT_LOSERS_PRORATA &&
	    r->total_tax > 0) {
		side = r->adopt ? -1 : 1;
		for (i = 0; i < n; i++) {
			in[i] = side > 0 ? r->net[i] > 0 : r->net[i] < 0;
			w[i] = r->net[i] < 0 ? -r->net[i] : r->net[i];
		}
		ref_lr(n, in, w, r->total_tax, r->payout);
		r->total_payout = r->total_tax;
	} else if (terms->payout == CLARKE_PAYOUT_REDISTRIBUTE)
		ref_redistribute(r, n, terms->max_bid);
	free(w);
	free(in);
}

static void
ref_free(struct ref *r)
{
	free(r->cost_share);
	free(r->roll_share);
	free(r->net);
	free(r->tax);
	free(r->payout);
	free(r->pivotal);
}

/*
 * The spec's statements, checked on a result on their own.
 */
static void
check_properties(const struct clarke_voter *v, size_t n,
    const struct clarke_terms *terms, const struct clarke_result *res)
{
	i128	 net, cs, bids, tsum, pays, others, roll, unpaid;
	int64_t	 share, prev;
	size_t	 i;

	net = cs = bids = tsum = pays = unpaid = 0;
	prev = 0;
	for (i = 0; i < n; i++) {
		/* The share over the roll, which abstainers leave unpaid. */
		roll = terms->cost / (int64_t)n +
		    ((int64_t)i < terms->cost % (int64_t)n);
		share = v[i].abstain ? (int64_t)roll : v[i].cost_share;
		if (i > 0) {
			assert_true(strcmp(v[i - 1].name, v[i].name) < 0);
			/* Shares differ by a unit at most, first ones more. */
			assert_true(share <= prev);
			assert_true(prev - share <= 1);
		}
		prev = share;
		if (v[i].abstain) {
			assert_int_equal(v[i].cost_share, 0);
			assert_int_equal(v[i].net, 0);
			assert_int_equal(v[i].tax, 0);
			assert_false(v[i].pivotal);
			unpaid += roll;
		} else
			assert_int_equal(v[i].net, v[i].bid - v[i].cost_share);
		assert_true(v[i].tax >= 0);
		assert_true(v[i].payout >= 0);
		if (!v[i].pivotal)
			assert_int_equal(v[i].tax, 0);
		net += v[i].net;
		cs += v[i].cost_share;
		if (!v[i].abstain)
			bids += v[i].bid;
		tsum += v[i].tax;
		pays += v[i].payout;
	}
	assert_true(cs + unpaid == terms->cost);
	assert_true(net == res->total_net);
	assert_true(bids == res->total_bid);
	assert_true(res->total_cost == cs);
	assert_int_equal(res->adopt, res->total_net > 0);
	assert_true(tsum == res->total_tax);
	assert_true(pays == res->total_payout);
	assert_int_equal(res->total_surplus,
	    res->total_tax - res->total_payout);

	for (i = 0; i < n; i++) {
		others = (i128)res->total_net - v[i].net;
		if (terms->tax == CLARKE_PIVOT) {
			/* Pivotal: removing the voter changes the decision. */
			assert_int_equal(v[i].pivotal,
			    res->adopt != (others > 0));
			assert_true(v[i].tax <= (others < 0 ? -others :
			    others));
		} else if (v[i].tax > 0) {
			/* Only the winning side pays the group tax. */
			assert_true(res->adopt ? v[i].net > 0 : v[i].net < 0);
		}
		if (v[i].payout > 0) {
			assert_int_not_equal(terms->payout,
			    CLARKE_PAYOUT_NONE);
			if (terms->payout == CLARKE_PAYOUT_LOSERS_PRORATA)
				assert_true(res->adopt ? v[i].net < 0 :
				    v[i].net > 0);
			else	/* a rebate is at most an even share */
				assert_true(v[i].payout <=
				    res->total_tax / (int64_t)n);
		}
	}
	if (terms->payout == CLARKE_PAYOUT_LOSERS_PRORATA)
		assert_int_equal(res->total_payout, res->total_tax);
	else if (terms->payout == CLARKE_PAYOUT_REDISTRIBUTE)
		assert_true(res->total_payout <= res->total_tax);
	else
		assert_int_equal(res->total_payout, 0);
}

static void
check_against_ref(const struct clarke_voter *v, size_t n,
    const struct clarke_terms *terms, const struct clarke_result *res)
{
	struct ref	 r;
	int64_t		*bid;
	int		*abstain;
	size_t		 i;

	bid = calloc(n, sizeof(*bid));
	abstain = calloc(n, sizeof(*abstain));
	assert_true(bid != NULL && abstain != NULL);
	for (i = 0; i < n; i++) {
		bid[i] = v[i].bid;
		abstain[i] = v[i].abstain;
	}
	ref_tally(bid, abstain, n, terms, &r);
	assert_int_equal(res->adopt, r.adopt);
	assert_true(res->total_net == r.total_net);
	assert_true(res->total_cost == r.total_cost);
	assert_true(res->total_tax == r.total_tax);
	assert_true(res->total_payout == r.total_payout ||
	    r.total_payout == -1);
	for (i = 0; i < n; i++) {
		assert_true(v[i].cost_share == r.cost_share[i]);
		assert_true(v[i].net == r.net[i]);
		if (r.payout[i] == -1)
			r.payout[i] = v[i].payout;
		if (v[i].tax != r.tax[i] || v[i].payout != r.payout[i] ||
		    v[i].pivotal != r.pivotal[i])
			fail_msg("%s (%zu of %zu) under %s/%s: tax %lld want "
			    "%lld, payout %lld want %lld, pivotal %d want %d",
			    v[i].name, i, n, clarke_tax_name(terms->tax),
			    clarke_payout_name(terms->payout),
			    (long long)v[i].tax, (long long)r.tax[i],
			    (long long)v[i].payout, (long long)r.payout[i],
			    v[i].pivotal, r.pivotal[i]);
	}
	ref_free(&r);
	free(bid);
	free(abstain);
}

/*
 * The contract's vectors, every field to the cent.
 */
static void
test_vectors(void **state)
{
	struct clarke_voter	 v[16];
	struct clarke_result	 res;
	struct clarke_terms	 terms;
	json_t			*root, *c, *bids, *e, *ev, *w;
	json_error_t		 jerr;
	enum clarke_tax		 tax;
	enum clarke_payout	 payout;
	const char		*key, *errstr;
	json_t			*val;
	char			 m[MONEY_STRLEN];
	size_t			 i, n, ic, ncase;

	(void)state;
	root = json_load_file(VECTORS, 0, &jerr);
	if (root == NULL)
		fail_msg("%s: %s", VECTORS, jerr.text);
	ncase = 0;
	json_array_foreach(json_object_get(root, "cases"), ic, c) {
		ncase++;
		bids = json_object_get(c, "bids");
		e = json_object_get(c, "expect");
		assert_int_equal(clarke_tax_parse(json_string_value(
		    json_object_get(c, "tax_rule")), &tax), 0);
		assert_int_equal(clarke_payout_parse(json_string_value(
		    json_object_get(c, "payout_rule")), &payout), 0);
		n = 0;
		json_object_foreach(bids, key, val) {
			assert_true(n < sizeof(v) / sizeof(v[0]));
			memset(&v[n], 0, sizeof(v[n]));
			v[n].name = key;
			v[n].bid = amount(json_string_value(val));
			n++;
		}
		terms.cost = amount(json_string_value(json_object_get(c,
		    "cost")));
		terms.tax = tax;
		terms.payout = payout;
		terms.max_bid = MONEY_BID_MAX;
		if (clarke_tally(v, n, &terms, &res, &errstr) == -1)
			fail_msg("%s: %s", json_string_value(
			    json_object_get(c, "name")), errstr);
		assert_string_equal(res.adopt ? "adopt" : "reject",
		    json_string_value(json_object_get(e, "decision")));
		assert_string_equal(fmt(res.total_net, m),
		    json_string_value(json_object_get(e, "total_net")));
		assert_string_equal(fmt(res.total_tax, m),
		    json_string_value(json_object_get(e, "total_tax")));
		assert_string_equal(fmt(res.total_payout, m),
		    json_string_value(json_object_get(e, "total_payout")));
		ev = json_object_get(e, "voters");
		assert_int_equal(json_object_size(ev), n);
		for (i = 0; i < n; i++) {
			w = json_object_get(ev, v[i].name);
			assert_non_null(w);
			assert_string_equal(fmt(v[i].cost_share, m),
			    json_string_value(json_object_get(w,
			    "cost_share")));
			assert_string_equal(fmt(v[i].net, m),
			    json_string_value(json_object_get(w, "net")));
			assert_string_equal(fmt(v[i].tax, m),
			    json_string_value(json_object_get(w, "tax")));
			assert_string_equal(fmt(v[i].payout, m),
			    json_string_value(json_object_get(w, "payout")));
			/* In these cases the pivotal are those who pay. */
			assert_int_equal(v[i].pivotal, v[i].tax > 0);
		}
		check_properties(v, n, &terms, &res);
		check_against_ref(v, n, &terms, &res);
	}
	assert_true(ncase >= 15);
	json_decref(root);
}

/* Fisher-Yates, so that the tally must sort. */
static void
shuffle(struct clarke_voter *v, size_t n)
{
	struct clarke_voter	 t;
	size_t			 i, j;

	for (i = n; i > 1; i--) {
		j = rng() % i;
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* The largest |bid| of the voters who bid, at least 1. */
static int64_t
largest_bid(const struct clarke_voter *v, size_t n)
{
	int64_t	 max;
	size_t	 i;

	for (i = 0, max = 1; i < n; i++) {
		if (!v[i].abstain && (v[i].bid > max || -v[i].bid > max))
			max = v[i].bid > 0 ? v[i].bid : -v[i].bid;
	}
	return (max);
}

/* Tax and payout rules at random, among those that go together. */
static void
random_rules(struct clarke_terms *terms)
{
	terms->tax = (enum clarke_tax)(rng() % CLARKE_TAX__MAX);
	terms->payout = (enum clarke_payout)(rng() % CLARKE_PAYOUT__MAX);
	if (clarke_rules_check(terms->tax, terms->payout) != NULL)
		terms->tax = CLARKE_PIVOT;
}

/*
 * Random elections: many shapes of bids, every rule, against the
 * reference, the properties, and a shuffled copy of the input.  A
 * quarter of them have a roll with abstainers, whose bids (left at
 * random) the tally must not read; max_bid is the largest bid or more.
 */
static void
random_election(struct clarke_voter *v, char (*names)[24], size_t n,
    struct clarke_terms *terms)
{
	int64_t		 lim;
	size_t		 i;
	int		 shape, roll;

	shape = (int)(rng() % 6);
	roll = rng() % 4 == 0;
	lim = shape == 0 ? 3 : shape == 1 ? 500 : shape == 2 ? 100000 :
	    MONEY_BID_MAX;
	for (i = 0; i < n; i++) {
		/* Distinct by the index, sorted apart by the first byte. */
		(void)snprintf(names[i], sizeof(names[i]), "%c%zu",
		    (char)('a' + rng() % 26), i);
		memset(&v[i], 0, sizeof(v[i]));
		v[i].name = names[i];
		if (shape == 4)		/* few values: many ties */
			v[i].bid = 100 * rng_range(-2, 2);
		else if (shape == 5)	/* mostly zero, a few extremes */
			v[i].bid = rng() % 4 ? 0 : rng() % 2 ?
			    MONEY_BID_MAX : -MONEY_BID_MAX;
		else
			v[i].bid = rng_range(-lim, lim);
		if (roll && rng() % 3 == 0) {
			v[i].abstain = 1;
			v[i].bid = (int64_t)rng();
		}
	}
	switch (rng() % 5) {
	case 0:
		terms->cost = 0;
		break;
	case 1:
		terms->cost = rng_range(0, (int64_t)n * 2);
		break;
	case 2:
		terms->cost = rng_range(0, 1000000);
		break;
	case 3:
		terms->cost = rng_range(0, MONEY_BID_MAX * 4);
		break;
	default:
		terms->cost = rng() % 8 ? rng_range(0, 100000) :
		    CLARKE_COST_MAX;
		break;
	}
	terms->max_bid = largest_bid(v, n);
	if (rng() % 2)
		terms->max_bid = rng_range(terms->max_bid, rng() % 2 ?
		    terms->max_bid + 10 : MONEY_BID_MAX);
	shuffle(v, n);
}

static void
test_random(void **state)
{
	struct clarke_voter	*v, *w;
	struct clarke_result	 res, res2;
	struct clarke_terms	 terms;
	char			(*names)[24];
	const char		*errstr;
	size_t			 e, n, k, nmax;

	(void)state;
	rng_state = 20240917;
	nmax = 3000;
	v = calloc(nmax, sizeof(*v));
	w = calloc(nmax, sizeof(*w));
	names = calloc(nmax, sizeof(*names));
	assert_true(v != NULL && w != NULL && names != NULL);
	for (e = 0; e < ELECTIONS; e++) {
		n = e % 100 == 99 ? 1000 + rng() % 2000 :
		    e % 10 == 9 ? 1 + rng() % 200 : 1 + rng() % 12;
		random_election(v, names, n, &terms);
		random_rules(&terms);
		memcpy(w, v, n * sizeof(*v));
		if (clarke_tally(v, n, &terms, &res, &errstr) == -1)
			fail_msg("election %zu: %s", e, errstr);
		check_properties(v, n, &terms, &res);
		check_against_ref(v, n, &terms, &res);

		/* Another input order: the same result, voter by voter. */
		shuffle(w, n);
		assert_int_equal(clarke_tally(w, n, &terms, &res2, &errstr),
		    0);
		assert_int_equal(res.adopt, res2.adopt);
		assert_int_equal(res.total_bid, res2.total_bid);
		assert_int_equal(res.total_net, res2.total_net);
		assert_int_equal(res.total_tax, res2.total_tax);
		assert_int_equal(res.total_payout, res2.total_payout);
		for (k = 0; k < n; k++) {
			assert_ptr_equal(v[k].name, w[k].name);
			assert_int_equal(v[k].cost_share, w[k].cost_share);
			assert_int_equal(v[k].tax, w[k].tax);
			assert_int_equal(v[k].payout, w[k].payout);
			assert_int_equal(v[k].pivotal, w[k].pivotal);
		}
	}
	free(v);
	free(w);
	free(names);
}

/*
 * Elections for the rebates: 1-300 voters, a max_bid tiny to large, bids
 * spread over it or bunched so that the vote is close and many voters
 * pivotal (which is when there is a tax to give back), costs from none
 * to more than anyone bids, and a roll with more or fewer abstainers.
 */
static void
rebate_election(struct clarke_voter *v, char (*names)[24], size_t n,
    struct clarke_terms *terms)
{
	int64_t		 max, net, share;
	size_t		 i;
	int		 shape, abstainers, close;

	switch (rng() % 3) {
	case 0:
		max = rng_range(1, DENSE_MAX);
		break;
	case 1:
		max = rng_range(61, 100000);
		break;
	default:
		max = rng_range(1, MONEY_BID_MAX);
		break;
	}
	switch (rng() % 3) {
	case 0:
		terms->cost = 0;
		break;
	case 1:
		terms->cost = rng_range(0, (int64_t)n * (max / 4 + 1));
		break;
	default:
		terms->cost = rng_range(0, (int64_t)n * max * 2);
		break;
	}
	terms->tax = CLARKE_PIVOT;
	terms->payout = CLARKE_PAYOUT_REDISTRIBUTE;
	terms->max_bid = max;
	shape = (int)(rng() % 4);
	abstainers = (int)(rng() % 3);
	net = 0;
	for (i = 0; i < n; i++) {
		(void)snprintf(names[i], sizeof(names[i]), "r%04zu", i);
		memset(&v[i], 0, sizeof(v[i]));
		v[i].name = names[i];
		switch (shape) {
		case 0:		/* anywhere */
			v[i].bid = rng_range(-max, max);
			break;
		case 1:		/* two camps of about the same weight */
			v[i].bid = (i % 2 ? max : -max) / 2 +
			    rng_range(-max / 8, max / 8);
			break;
		case 2:		/* the extremes and nothing */
			v[i].bid = rng() % 3 == 0 ? 0 : rng() % 2 ? max : -max;
			break;
		default:	/* small stakes, a few large */
			v[i].bid = rng() % 8 ? rng_range(-max / 20, max / 20) :
			    rng_range(-max, max);
			break;
		}
		v[i].abstain = abstainers == 1 ? rng() % 8 == 0 :
		    abstainers == 2 ? rng() % 2 == 0 : 0;
		share = terms->cost / (int64_t)n +
		    ((int64_t)i < terms->cost % (int64_t)n);
		if (!v[i].abstain)
			net += v[i].bid - share;
	}
	/* Half of them close: bids moved, within max, towards a tie. */
	close = rng() % 2;
	for (i = 0; i < n && close; i++) {
		if (v[i].abstain)
			continue;
		share = terms->cost / (int64_t)n +
		    ((int64_t)i < terms->cost % (int64_t)n);
		net -= v[i].bid - share;
		v[i].bid = share - net + rng_range(-max / 4, max / 4);
		if (v[i].bid > max)
			v[i].bid = max;
		if (v[i].bid < -max)
			v[i].bid = -max;
		net += v[i].bid - share;
	}
}

/*
 * Redistribute on thousands of random elections: exact against the
 * reference (every bid when the range is tiny, every kink of T for a few
 * voters, the two ends otherwise), never more than the taxes, and each
 * voter's rebate the same whatever they bid, the extremes, the bids that
 * tie the vote and not bidding at all included.  Every rebate is 0, as
 * clarke_rules.c proves: the reference finds so on its own.
 */
static void
test_redistribute(void **state)
{
	struct clarke_voter	 v[300];
	struct clarke_result	 res, again;
	struct clarke_terms	 terms;
	static char		 names[300][24];
	const char		*errstr;
	int64_t			 rebate, others, share, tries[12];
	size_t			 e, n, i, k, j, paid;

	(void)state;
	rng_state = 2006;
	paid = 0;
	for (e = 0; e < 3000; e++) {
		n = rng() % 4 ? 1 + rng() % KINKS_MAX : 1 + rng() % 300;
		rebate_election(v, names, n, &terms);
		if (clarke_compute(v, n, &terms, &res, &errstr) == -1)
			fail_msg("election %zu: %s", e, errstr);
		check_properties(v, n, &terms, &res);
		check_against_ref(v, n, &terms, &res);
		/* The rule's explanation says so: nothing comes back. */
		assert_int_equal(res.total_payout, 0);
		paid += res.total_tax > 0;

		/* A few voters bid otherwise: their rebate stays. */
		for (k = 0; k < 3; k++) {
			i = rng() % n;
			rebate = v[i].payout;
			share = terms.cost / (int64_t)n +
			    ((int64_t)i < terms.cost % (int64_t)n);
			others = res.total_net - v[i].net;
			j = 0;
			tries[j++] = -terms.max_bid;
			tries[j++] = terms.max_bid;
			tries[j++] = 0;
			tries[j++] = rng_range(-terms.max_bid, terms.max_bid);
			tries[j++] = rng_range(-terms.max_bid, terms.max_bid);
			/* The vote tied, and one past it. */
			tries[j++] = share - others;
			tries[j++] = share - others + 1;
			for (j = 0; j < 8; j++) {
				v[i].abstain = j == 7;
				if (j < 7 && (tries[j] < -terms.max_bid ||
				    tries[j] > terms.max_bid))
					continue;
				if (j < 7)
					v[i].bid = tries[j];
				assert_int_equal(clarke_compute(v, n, &terms,
				    &again, &errstr), 0);
				check_properties(v, n, &terms, &again);
				if (v[i].payout != rebate)
					fail_msg("election %zu: %s's rebate "
					    "%lld became %lld", e, v[i].name,
					    (long long)rebate,
					    (long long)v[i].payout);
			}
			/* Put the election back as it was. */
			assert_int_equal(clarke_compute(v, n, &terms, &res,
			    &errstr), 0);
		}
	}
	/* Not vacuous: many of them had a tax to give back. */
	assert_true(paid > 1000);
}

/*
 * The roll: an abstainer counts with net value 0 and pays nothing, so the
 * tally is that of the voter bidding just their share, but for what they
 * pay; and no one else's share moves, whatever they do.
 */
static void
test_roll(void **state)
{
	static struct clarke_voter	 v[300], w[300];
	static char			 names[300][24];
	struct clarke_result		 abstains, bids;
	struct clarke_terms		 terms;
	const char			*errstr;
	int64_t				 share;
	size_t				 e, n, i, k;

	(void)state;
	rng_state = 1958;
	for (e = 0; e < 1000; e++) {
		n = 1 + rng() % 300;
		rebate_election(v, names, n, &terms);
		random_rules(&terms);
		k = rng() % n;
		share = terms.cost / (int64_t)n +
		    ((int64_t)k < terms.cost % (int64_t)n);
		if (share > terms.max_bid)
			terms.max_bid = share;
		v[k].abstain = 1;
		memcpy(w, v, n * sizeof(*v));
		w[k].abstain = 0;
		w[k].bid = share;
		assert_int_equal(clarke_compute(v, n, &terms, &abstains,
		    &errstr), 0);
		check_properties(v, n, &terms, &abstains);
		check_against_ref(v, n, &terms, &abstains);
		assert_int_equal(clarke_compute(w, n, &terms, &bids, &errstr),
		    0);
		/* All the same but what k pays. */
		assert_true(abstains.adopt == bids.adopt &&
		    abstains.total_net == bids.total_net &&
		    abstains.total_tax == bids.total_tax &&
		    abstains.total_payout == bids.total_payout &&
		    abstains.total_cost + share == bids.total_cost &&
		    abstains.total_bid + share == bids.total_bid);
		for (i = 0; i < n; i++) {
			assert_true(v[i].net == w[i].net &&
			    v[i].tax == w[i].tax &&
			    v[i].pivotal == w[i].pivotal &&
			    v[i].payout == w[i].payout);
			assert_int_equal(v[i].cost_share, i == k ? 0 :
			    w[i].cost_share);
		}
		assert_int_equal(w[k].cost_share, share);

		/* Whatever k bids, the others' shares are the same. */
		w[k].bid = rng_range(-terms.max_bid, terms.max_bid);
		assert_int_equal(clarke_compute(w, n, &terms, &bids, &errstr),
		    0);
		for (i = 0; i < n; i++)
			assert_int_equal(v[i].cost_share, i == k ? 0 :
			    w[i].cost_share);
	}

	/* Everyone abstains: nothing to decide with, the status quo. */
	for (i = 0; i < 5; i++)
		v[i].abstain = 1;
	assert_int_equal(clarke_compute(v, 5, TERMS_MAX(1000, CLARKE_PIVOT,
	    CLARKE_PAYOUT_REDISTRIBUTE, 100), &abstains, &errstr), 0);
	assert_false(abstains.adopt);
	assert_int_equal(abstains.total_cost, 0);
	assert_int_equal(abstains.total_tax + abstains.total_payout, 0);
}

/* Voters a, b and c bidding x, y and z. */
static void
three(struct clarke_voter *v, int64_t x, int64_t y, int64_t z)
{
	memset(v, 0, 3 * sizeof(*v));
	v[0].name = "a";
	v[1].name = "b";
	v[2].name = "c";
	v[0].bid = x;
	v[1].bid = y;
	v[2].bid = z;
}

/*
 * The terms: the rules that go together (as the table says, in the
 * table's words), max_bid.
 */
static void
test_terms(void **state)
{
	struct clarke_voter	 v[3];
	struct clarke_result	 res;
	struct buf		 want, allowed;
	const char		*errstr, *misfit;
	size_t			 t, p, k;

	(void)state;
	three(v, 500, -400, -200);
	buf_init(&want);
	buf_init(&allowed);
	for (p = 0; p < CLARKE_PAYOUT__MAX; p++) {
		buf_reset(&allowed);
		for (t = 0, k = 0; t < CLARKE_TAX__MAX; t++) {
			if (!(clarke_payout_rules[p].taxes & (1u << t)))
				continue;
			if (k++ > 0)
				buf_puts(&allowed, " or ");
			buf_puts(&allowed, clarke_tax_rules[t].name);
		}
		assert_true(k > 0);
		buf_reset(&want);
		buf_printf(&want, "the payout rule %s works only with the "
		    "tax rule%s %s", clarke_payout_rules[p].name,
		    k > 1 ? "s" : "", buf_cstr(&allowed));
		if (k == CLARKE_TAX__MAX)
			assert_null(clarke_payout_rules[p].misfit);
		else
			assert_string_equal(clarke_payout_rules[p].misfit,
			    buf_cstr(&want));
		for (t = 0; t < CLARKE_TAX__MAX; t++) {
			misfit = clarke_rules_check(t, p);
			assert_true((misfit == NULL) ==
			    !!(clarke_payout_rules[p].taxes & (1u << t)));
			errstr = NULL;
			assert_int_equal(clarke_compute(v, 3, TERMS_MAX(0, t,
			    p, 1000), &res, &errstr), misfit == NULL ? 0 : -1);
			if (misfit != NULL)
				assert_string_equal(errstr, misfit);
		}
	}
	buf_free(&want);
	buf_free(&allowed);
	assert_null(clarke_rules_check(CLARKE_PIVOT,
	    CLARKE_PAYOUT_REDISTRIBUTE));
	assert_non_null(clarke_rules_check(CLARKE_COALITION_EQUAL,
	    CLARKE_PAYOUT_REDISTRIBUTE));

	/* Bids up to max_bid either way; an abstainer's is not read. */
	assert_int_equal(clarke_compute(v, 3, TERMS_MAX(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE, 500), &res, &errstr), 0);
	assert_int_equal(clarke_compute(v, 3, TERMS_MAX(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE, 499), &res, &errstr), -1);
	assert_non_null(strstr(errstr, "largest bid"));
	v[1].bid = -501;
	assert_int_equal(clarke_compute(v, 3, TERMS_MAX(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE, 500), &res, &errstr), -1);
	v[1].abstain = 1;
	assert_int_equal(clarke_compute(v, 3, TERMS_MAX(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE, 500), &res, &errstr), 0);
	assert_int_equal(clarke_compute(v, 3, TERMS_MAX(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE, 0), &res, &errstr), -1);
	assert_non_null(strstr(errstr, "at least 0.01"));
}

/*
 * Rebates worked out by hand: the textbook TV (cost 300.00 over three,
 * bids 50.00, 50.00, 250.00; nets -50, -50, +150), max_bid 250.00.  c
 * pays 100.00.  a (or b) bidding 250.00 instead makes V = 250.00: no one
 * is pivotal (without c 100.00 is left), so T = 0 there and a's rebate is
 * 0.  c bidding -250.00 makes V = -450.00, rejected; no one is pivotal
 * (without a, -400.00): c's is 0 too.  The 100.00 is all surplus.
 */
static void
test_redistribute_small(void **state)
{
	struct clarke_voter	 v[3];
	struct clarke_result	 res;
	const char		*errstr;
	size_t			 i;

	(void)state;
	three(v, 5000, 5000, 25000);
	assert_int_equal(clarke_compute(v, 3, TERMS_MAX(30000, CLARKE_PIVOT,
	    CLARKE_PAYOUT_REDISTRIBUTE, 25000), &res, &errstr), 0);
	assert_true(res.adopt);
	assert_int_equal(res.total_tax, 10000);
	assert_int_equal(v[2].tax, 10000);
	for (i = 0; i < 3; i++)
		assert_int_equal(v[i].payout, 0);
	assert_int_equal(res.total_payout, 0);
	assert_int_equal(res.total_surplus, 10000);
}

/*
 * Every rule on one set of voters, against the reference; max_bid is the
 * largest bid.  Rules that do not go together are refused, with the
 * words of the table.
 */
static void
all_rules(struct clarke_voter *v, size_t n, int64_t cost)
{
	struct clarke_result	 res;
	struct clarke_terms	 terms;
	const char		*errstr, *misfit;
	enum clarke_tax		 t;
	enum clarke_payout	 p;

	terms.cost = cost;
	terms.max_bid = largest_bid(v, n);
	for (t = 0; t < CLARKE_TAX__MAX; t++) {
		for (p = 0; p < CLARKE_PAYOUT__MAX; p++) {
			terms.tax = t;
			terms.payout = p;
			misfit = clarke_rules_check(t, p);
			if (clarke_tally(v, n, &terms, &res, &errstr) == -1) {
				if (misfit == NULL)
					fail_msg("%s", errstr);
				assert_string_equal(errstr, misfit);
				continue;
			}
			assert_null(misfit);
			check_properties(v, n, &terms, &res);
			check_against_ref(v, n, &terms, &res);
		}
	}
}

/*
 * At the bounds: bids of MONEY_BID_MAX either way, near it, and the
 * largest costs.
 */
static void
test_extremes(void **state)
{
	static char		 names[64][8];
	struct clarke_voter	 v[64];
	size_t			 i, n, round;

	(void)state;
	rng_state = 7;
	for (round = 0; round < 200; round++) {
		n = 1 + rng() % 64;
		for (i = 0; i < n; i++) {
			(void)snprintf(names[i], sizeof(names[i]), "v%02zu", i);
			memset(&v[i], 0, sizeof(v[i]));
			v[i].name = names[i];
			switch (rng() % 4) {
			case 0:
				v[i].bid = MONEY_BID_MAX;
				break;
			case 1:
				v[i].bid = -MONEY_BID_MAX;
				break;
			case 2:
				v[i].bid = MONEY_BID_MAX - rng_range(0, 99);
				break;
			default:
				v[i].bid = rng_range(-MONEY_BID_MAX,
				    MONEY_BID_MAX);
				break;
			}
		}
		all_rules(v, n, round % 3 == 0 ? CLARKE_COST_MAX :
		    round % 3 == 1 ? CLARKE_COST_MAX - rng_range(0, 999) :
		    rng_range(0, CLARKE_COST_MAX));
	}
}

/*
 * The 10^7-voter bound, scaled down: the sums the tally forms are at most
 * sum |bid| + cost.  For 10^7 voters at MONEY_BID_MAX that is 10^18 +
 * CLARKE_COST_MAX; a few voters with bids of 10^18 / k give the same sums
 * (the tally itself does not limit bids), so this is the 10^7 case's
 * arithmetic without the 10^7 voters.
 */
static void
test_bound_sums(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	struct clarke_voter	 v[4];
	const int64_t		 big = INT64_C(1000000000000000000);
	size_t			 i, k;

	(void)state;
	for (k = 1; k <= 4; k++) {
		/* All for, all against, and mixed. */
		for (i = 0; i < k; i++) {
			memset(&v[i], 0, sizeof(v[i]));
			v[i].name = names[i];
			v[i].bid = big / (int64_t)k;
		}
		all_rules(v, k, CLARKE_COST_MAX);
		for (i = 0; i < k; i++)
			v[i].bid = -big / (int64_t)k;
		all_rules(v, k, CLARKE_COST_MAX);
		for (i = 0; i < k; i++)
			v[i].bid = (i % 2 ? -big : big) / (int64_t)k;
		all_rules(v, k, CLARKE_COST_MAX);
		all_rules(v, k, 0);
	}
}

/*
 * Sums near 10^18 as 10^7 voters would make, from a few voters: here the
 * remainders of the pro-rata splits use all eight bytes (every radix
 * pass) and the products need 128 bits.
 */
static void
test_bound_random(void **state)
{
	static char		 names[64][8];
	struct clarke_voter	 v[64];
	int64_t			 lim, sum;
	size_t			 i, n, round;

	(void)state;
	rng_state = 1018;
	for (round = 0; round < 300; round++) {
		n = 2 + rng() % 63;
		lim = INT64_C(1000000000000000000) / (int64_t)n;
		sum = 0;
		for (i = 0; i < n; i++) {
			(void)snprintf(names[i], sizeof(names[i]), "v%02zu", i);
			memset(&v[i], 0, sizeof(v[i]));
			v[i].name = names[i];
			v[i].bid = rng_range(-lim, lim);
			sum += v[i].bid < 0 ? -v[i].bid : v[i].bid;
		}
		/* A cost that does not drown every bid. */
		all_rules(v, n, rng_range(0, sum / 2));
	}
}

/*
 * Thousands of equal or nearly equal remainders: the largest-remainder
 * selection must narrow down past its first buckets, to the last bit.
 */
static void
test_many_remainders(void **state)
{
	struct clarke_voter	*v;
	char			(*names)[16];
	size_t			 i, n, pattern;

	(void)state;
	rng_state = 99;
	n = 15001;
	v = calloc(n, sizeof(*v));
	names = calloc(n, sizeof(*names));
	assert_true(v != NULL && names != NULL);
	for (pattern = 0; pattern < 4; pattern++) {
		for (i = 0; i < n; i++) {
			(void)snprintf(names[i], sizeof(names[i]), "w%05zu", i);
			memset(&v[i], 0, sizeof(v[i]));
			v[i].name = names[i];
			switch (pattern) {
			case 0:		/* all equal */
				v[i].bid = 7;
				break;
			case 1:		/* equal high bits, varied low */
				v[i].bid = (INT64_C(1) << 30) +
				    rng_range(0, (1 << 20) - 1);
				break;
			case 2:		/* two values */
				v[i].bid = i % 2 ? 1000003 : 999983;
				break;
			default:
				v[i].bid = rng_range(1, MONEY_BID_MAX);
				break;
			}
		}
		/* One against, so that there is a tax to share. */
		v[n - 1].bid = pattern == 1 ? -1 : -rng_range(1, 100000);
		all_rules(v, n, 0);
		v[n - 1].bid = -(int64_t)n * 5;
		all_rules(v, n, 0);
	}
	free(v);
	free(names);
}

/*
 * Beyond the bounds, the tally refuses rather than wraps (UBSan would
 * also catch a wrap here).
 */
static void
test_overflow(void **state)
{
	struct clarke_voter	 v[3];
	struct clarke_result	 res;
	const char		*errstr;
	enum clarke_tax		 t;
	enum clarke_payout	 p;

	(void)state;
	memset(v, 0, sizeof(v));
	v[0].name = "a";
	v[1].name = "b";
	v[2].name = "c";
	for (t = 0; t < CLARKE_TAX__MAX; t++) {
		for (p = 0; p < CLARKE_PAYOUT__MAX; p++) {
			if (clarke_rules_check(t, p) != NULL)
				continue;
			v[0].bid = INT64_MAX;
			v[1].bid = INT64_MAX;
			v[2].bid = 0;
			errstr = NULL;
			assert_int_equal(clarke_tally(v, 3, TERMS(0, t, p),
			    &res, &errstr), -1);
			assert_non_null(strstr(errstr, "too large"));

			/* bid - cost share below INT64_MIN. */
			v[0].bid = INT64_MIN;
			v[1].bid = 0;
			assert_int_equal(clarke_tally(v, 1, TERMS(1, t, p),
			    &res, &errstr), -1);

			/*
			 * V fits, V - v_i does not: pivot refuses; the
			 * coalition rules never form V - v_i and must then
			 * be exact.
			 */
			v[0].bid = INT64_MAX;
			v[1].bid = INT64_MIN + 1;
			v[2].bid = 1;
			if (clarke_tally(v, 3, TERMS(0, t, p), &res,
			    &errstr) == 0) {
				assert_int_not_equal(t, CLARKE_PIVOT);
				check_properties(v, 3, TERMS(0, t, p), &res);
				check_against_ref(v, 3, TERMS(0, t, p), &res);
			}
		}
	}

	v[0].bid = 5;
	assert_int_equal(clarke_tally(v, 1, TERMS(-1, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), -1);
	assert_non_null(strstr(errstr, "cost"));
	assert_int_equal(clarke_tally(v, 1, TERMS(CLARKE_COST_MAX + 1,
	    CLARKE_PIVOT, CLARKE_PAYOUT_NONE), &res, &errstr), -1);
	assert_int_equal(clarke_tally(v, 1, TERMS(CLARKE_COST_MAX,
	    CLARKE_PIVOT, CLARKE_PAYOUT_NONE), &res, &errstr), 0);
	assert_int_equal(v[0].cost_share, CLARKE_COST_MAX);
	assert_int_equal(res.total_net, 5 - CLARKE_COST_MAX);
}

static void
test_errors(void **state)
{
	struct clarke_voter	 v[3];
	struct clarke_result	 res;
	const char		*errstr;
	size_t			 dup;

	(void)state;
	memset(v, 0, sizeof(v));
	errstr = NULL;
	assert_int_equal(clarke_tally(v, 0, TERMS(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), -1);
	assert_non_null(errstr);

	v[0].name = "bob";
	v[1].name = "alice";
	v[2].name = "bob";
	errstr = NULL;
	assert_int_equal(clarke_tally(v, 3, TERMS(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), -1);
	assert_non_null(errstr);
	assert_int_equal(clarke_sort(v, 3, &dup), -1);
	assert_int_equal(dup, 2);
	assert_string_equal(v[dup].name, "bob");

	/* clarke_compute wants them sorted and checks. */
	v[0].name = "b";
	v[1].name = "a";
	v[2].name = "c";
	assert_int_equal(clarke_compute(v, 3, TERMS(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), -1);
	v[0].name = "a";
	v[1].name = "b";
	assert_int_equal(clarke_compute(v, 3, TERMS(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), 0);
	assert_int_equal(clarke_compute(v, 3, TERMS(0, (enum clarke_tax)7,
	    CLARKE_PAYOUT_NONE), &res, &errstr), -1);
	assert_int_equal(clarke_compute(v, 3, TERMS(0, CLARKE_PIVOT,
	    (enum clarke_payout)7), &res, &errstr), -1);
}

/*
 * Pivotal under pivot is "removing them changes the decision", which on
 * adoption includes a voter whose removal only makes a tie: they pay 0.
 */
static void
test_pivotal_tie(void **state)
{
	struct clarke_voter	 v[2];
	struct clarke_result	 res;
	const char		*errstr;

	(void)state;
	memset(v, 0, sizeof(v));
	v[0].name = "a";
	v[0].bid = 500;
	v[1].name = "b";
	v[1].bid = 0;
	assert_int_equal(clarke_tally(v, 2, TERMS(0, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), 0);
	assert_true(res.adopt);
	assert_true(v[0].pivotal);
	assert_int_equal(v[0].tax, 0);
	assert_false(v[1].pivotal);

	/* A lone voter decides alone and pays nothing. */
	assert_int_equal(clarke_tally(v, 1, TERMS(100, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE), &res, &errstr), 0);
	assert_true(res.adopt);
	assert_true(v[0].pivotal);
	assert_int_equal(v[0].tax, 0);

	/* Everyone at zero: rejected, no side, no tax. */
	v[0].bid = 0;
	assert_int_equal(clarke_tally(v, 2, TERMS(0,
	    CLARKE_COALITION_PRORATA, CLARKE_PAYOUT_LOSERS_PRORATA), &res,
	    &errstr), 0);
	assert_false(res.adopt);
	assert_false(v[0].pivotal || v[1].pivotal);
	assert_int_equal(res.total_tax, 0);
}

static void
test_names(void **state)
{
	enum clarke_tax		 t;
	enum clarke_payout	 p;
	size_t			 i;

	(void)state;
	for (i = 0; i < CLARKE_TAX__MAX; i++) {
		assert_int_equal(clarke_tax_parse(clarke_tax_name(
		    (enum clarke_tax)i), &t), 0);
		assert_int_equal(t, i);
	}
	for (i = 0; i < CLARKE_PAYOUT__MAX; i++) {
		assert_int_equal(clarke_payout_parse(
		    clarke_payout_name((enum clarke_payout)i), &p), 0);
		assert_int_equal(p, i);
	}
	assert_string_equal(clarke_tax_name(CLARKE_PIVOT), "pivot");
	assert_string_equal(clarke_payout_name(CLARKE_PAYOUT_LOSERS_PRORATA),
	    "losers-prorata");
	assert_int_equal(clarke_tax_parse("Pivot", &t), -1);
	assert_int_equal(clarke_tax_parse("", &t), -1);
	assert_int_equal(clarke_payout_parse("losers", &p), -1);
}

/* Words of one rule: what every page and document made from it needs. */
static void
check_rule(const struct clarke_rule *r, int tax)
{
	const char	*c;

	assert_non_null(r->name);
	/* Lowercase words joined by single hyphens, as the contract's. */
	for (c = r->name; *c != '\0'; c++)
		assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' &&
		    *c <= '9') || (*c == '-' && c != r->name && c[1] != '\0' &&
		    c[1] != '-'));
	assert_true(c != r->name);
	assert_non_null(r->apply);
	assert_true(r->summary != NULL && r->summary[0] != '\0');
	assert_true(r->explanation != NULL && r->explanation[0] != '\0');
	assert_true(tax ? r->pivotal != NULL : r->pivotal == NULL);
}

/*
 * Each rule has its whole entry (a rule added to the enum alone leaves a
 * hole here), under a name no other rule of its kind has.
 */
static void
test_rule_tables(void **state)
{
	struct buf	 b;
	size_t		 i, j;

	(void)state;
	for (i = 0; i < CLARKE_TAX__MAX; i++) {
		check_rule(&clarke_tax_rules[i], 1);
		for (j = 0; j < i; j++)
			assert_string_not_equal(clarke_tax_rules[i].name,
			    clarke_tax_rules[j].name);
	}
	for (i = 0; i < CLARKE_PAYOUT__MAX; i++) {
		check_rule(&clarke_payout_rules[i], 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(clarke_payout_rules[i].name,
			    clarke_payout_rules[j].name);
	}

	buf_init(&b);
	clarke_rule_names(&b, clarke_tax_rules, 3, ", ", " or ");
	assert_string_equal(buf_cstr(&b),
	    "pivot, coalition-equal or coalition-prorata");
	buf_reset(&b);
	clarke_rule_names(&b, clarke_payout_rules, 2, "|", "|");
	assert_string_equal(buf_cstr(&b), "none|losers-prorata");
	buf_reset(&b);
	clarke_rule_names(&b, clarke_tax_rules, 1, ", ", " or ");
	assert_string_equal(buf_cstr(&b), "pivot");
	buf_free(&b);
}

/*
 * The published forms.
 */
static void
tally_sample(struct clarke_voter *v, size_t *n, struct clarke_result *res)
{
	static const char *const names[] = {
		"zoë", "a \"quoted\", name", "back\\slash", "tab\there",
		"line\nbreak", " padded ", "ctl\r\x01\x1f"
	};
	static const int64_t	 bids[] = { 2000, -150, 99, 0, -1, 300, 5 };
	const char		*errstr;
	size_t			 i;

	*n = sizeof(names) / sizeof(names[0]);
	for (i = 0; i < *n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].name = names[i];
		v[i].bid = bids[i];
	}
	assert_int_equal(clarke_tally(v, *n, TERMS(1000,
	    CLARKE_COALITION_PRORATA, CLARKE_PAYOUT_LOSERS_PRORATA), res,
	    &errstr), 0);
}

static void
test_json(void **state)
{
	struct clarke_voter	 v[8];
	struct clarke_result	 res;
	struct buf		 b;
	json_t			*root, *voters, *o;
	json_error_t		 jerr;
	const char		*key;
	json_t			*val;
	char			 m[MONEY_STRLEN];
	size_t			 i, n, nkeys;
	static const char *const keys[] = {
		"voter", "bid", "cost_share", "net", "pivotal", "tax",
		"payout", "receipt"
	};

	(void)state;
	tally_sample(v, &n, &res);
	v[1].receipt = "ab01";
	buf_init(&b);
	clarke_json(&b, v, n, &res);
	root = json_loads(buf_cstr(&b), 0, &jerr);
	if (root == NULL)
		fail_msg("%s in %s", jerr.text, buf_cstr(&b));

	/* The keys, in the spec's order. */
	i = 0;
	json_object_foreach(root, key, val) {
		static const char *const top[] = {
			"decision", "total_net", "voters", "total_tax",
			"total_payout"
		};
		assert_true(i < 5);
		assert_string_equal(key, top[i]);
		i++;
	}
	assert_int_equal(i, 5);
	assert_string_equal(json_string_value(json_object_get(root,
	    "decision")), res.adopt ? "adopt" : "reject");
	assert_string_equal(json_string_value(json_object_get(root,
	    "total_net")), fmt(res.total_net, m));
	assert_string_equal(json_string_value(json_object_get(root,
	    "total_tax")), fmt(res.total_tax, m));
	assert_string_equal(json_string_value(json_object_get(root,
	    "total_payout")), fmt(res.total_payout, m));

	voters = json_object_get(root, "voters");
	assert_int_equal(json_array_size(voters), n);
	json_array_foreach(voters, i, o) {
		nkeys = 0;
		json_object_foreach(o, key, val) {
			assert_string_equal(key, keys[nkeys]);
			nkeys++;
		}
		assert_int_equal(nkeys, v[i].receipt != NULL ? 8 : 7);
		assert_string_equal(json_string_value(json_object_get(o,
		    "voter")), v[i].name);
		assert_string_equal(json_string_value(json_object_get(o,
		    "bid")), fmt(v[i].bid, m));
		assert_string_equal(json_string_value(json_object_get(o,
		    "cost_share")), fmt(v[i].cost_share, m));
		assert_string_equal(json_string_value(json_object_get(o,
		    "net")), fmt(v[i].net, m));
		assert_string_equal(json_string_value(json_object_get(o,
		    "tax")), fmt(v[i].tax, m));
		assert_string_equal(json_string_value(json_object_get(o,
		    "payout")), fmt(v[i].payout, m));
		assert_true(json_is_boolean(json_object_get(o, "pivotal")));
		assert_int_equal(json_is_true(json_object_get(o, "pivotal")),
		    v[i].pivotal);
	}
	json_decref(root);
	buf_free(&b);
}

struct csvrows {
	char	 f[16][9][64];
	size_t	 nf[16];
	size_t	 row, col;
};

static void
csvrows_field(void *s, size_t len, void *arg)
{
	struct csvrows	*c = arg;

	assert_true(c->row < 16 && c->col < 9 && len < 64);
	memcpy(c->f[c->row][c->col], s, len);
	c->f[c->row][c->col][len] = '\0';
	c->col++;
}

static void
csvrows_row(int ch, void *arg)
{
	struct csvrows	*c = arg;

	(void)ch;
	c->nf[c->row++] = c->col;
	c->col = 0;
}

/* Parses CSV text back with libcsv, keeping spaces as written. */
static int
csv_space(unsigned char c)
{
	(void)c;
	return (0);
}

static void
csv_read(const struct buf *b, struct csvrows *c)
{
	struct csv_parser	 p;

	memset(c, 0, sizeof(*c));
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	csv_set_space_func(&p, csv_space);
	assert_int_equal(csv_parse(&p, b->data, b->len, csvrows_field,
	    csvrows_row, c), b->len);
	assert_int_equal(csv_fini(&p, csvrows_field, csvrows_row, c), 0);
	csv_free(&p);
}

static void
test_csv(void **state)
{
	static const char *const cols[] = {
		"voter", "bid", "cost_share", "net", "pivotal", "tax",
		"payout", "receipt"
	};
	struct clarke_voter	 v[8];
	struct clarke_result	 res;
	struct csvrows		*c;
	struct buf		 b;
	char			 m[MONEY_STRLEN];
	size_t			 i, n;

	(void)state;
	c = malloc(sizeof(*c));
	assert_non_null(c);
	tally_sample(v, &n, &res);
	buf_init(&b);
	clarke_csv(&b, v, n, &res);
	csv_read(&b, c);
	assert_int_equal(c->row, n + 2);
	for (i = 0; i < 7; i++)
		assert_string_equal(c->f[0][i], cols[i]);
	for (i = 0; i < n; i++) {
		assert_int_equal(c->nf[i + 1], 7);
		assert_string_equal(c->f[i + 1][0], v[i].name);
		assert_string_equal(c->f[i + 1][1], fmt(v[i].bid, m));
		assert_string_equal(c->f[i + 1][2], fmt(v[i].cost_share, m));
		assert_string_equal(c->f[i + 1][3], fmt(v[i].net, m));
		assert_string_equal(c->f[i + 1][4],
		    v[i].pivotal ? "yes" : "no");
		assert_string_equal(c->f[i + 1][5], fmt(v[i].tax, m));
		assert_string_equal(c->f[i + 1][6], fmt(v[i].payout, m));
	}
	assert_string_equal(c->f[n + 1][0], "TOTAL");
	assert_string_equal(c->f[n + 1][1], fmt(res.total_bid, m));
	assert_string_equal(c->f[n + 1][2], "10.00");
	assert_string_equal(c->f[n + 1][3], fmt(res.total_net, m));
	assert_string_equal(c->f[n + 1][4], "");
	assert_string_equal(c->f[n + 1][5], fmt(res.total_tax, m));
	assert_string_equal(c->f[n + 1][6], fmt(res.total_payout, m));

	/* With receipts, a receipt column, empty where there is none. */
	v[2].receipt = "00ff";
	buf_reset(&b);
	clarke_csv(&b, v, n, &res);
	csv_read(&b, c);
	for (i = 0; i < n + 2; i++)
		assert_int_equal(c->nf[i], 8);
	assert_string_equal(c->f[0][7], cols[7]);
	assert_string_equal(c->f[3][7], "00ff");
	assert_string_equal(c->f[2][7], "");
	buf_free(&b);
	free(c);
}

/*
 * The bids reader.
 */
struct errs {
	struct buf	 text;
	size_t		 n;
};

static void
errs_add(void *arg, unsigned long line, const char *msg)
{
	struct errs	*e = arg;

	buf_printf(&e->text, "%lu: %s\n", line, msg);
	e->n++;
}

/*
 * Reads s whole, or a byte at a time, as bids or as a roll; returns the
 * reader, errors in e.
 */
static struct clarke_reader *
read_bids(const char *s, size_t len, int bytewise, int roll, struct errs *e)
{
	struct clarke_reader	*r;
	size_t			 i;
	int			 rc;

	buf_init(&e->text);
	e->n = 0;
	r = clarke_reader_new(roll, errs_add, e);
	rc = 0;
	if (bytewise) {
		for (i = 0; i < len && rc == 0; i++)
			rc = clarke_reader_feed(r, s + i, 1);
	} else
		rc = clarke_reader_feed(r, s, len);
	if (rc == 0)
		(void)clarke_reader_finish(r);
	(void)buf_cstr(&e->text);
	return (r);
}

/* Reading s must give exactly the errors want ("" for none). */
static void
expect_read(const char *s, const char *want)
{
	struct clarke_reader	*r;
	struct errs		 e;
	int			 bytewise;

	for (bytewise = 0; bytewise < 2; bytewise++) {
		r = read_bids(s, strlen(s), bytewise, 0, &e);
		if (strcmp(e.text.data, want) != 0)
			fail_msg("reading %s%s: got\n%swant\n%s", s,
			    bytewise ? " (bytewise)" : "", e.text.data, want);
		assert_int_equal(clarke_reader_errors(r), e.n);
		buf_free(&e.text);
		clarke_reader_free(r);
	}
}

static void
test_reader(void **state)
{
	static const char	 good[] =
	    "\xef\xbb\xbfVoter,BID\r\n"
	    "zoe,1\r\n"
	    "\"a, b\",-2.5\r\n"
	    "  amy  ,+3.25\r\n"
	    "\r\n"
	    "\"multi \"\"quoted\"\"\",0\r\n"
	    "ünï,1000000000.00";
	static const char	 nul[] = "voter\0x,bid\nx,1\n";
	struct clarke_reader	*r;
	struct clarke_voter	*v;
	struct errs		 e;
	size_t			 n;
	int			 bytewise;

	(void)state;
	for (bytewise = 0; bytewise < 2; bytewise++) {
		r = read_bids(good, sizeof(good) - 1, bytewise, 0, &e);
		assert_string_equal(e.text.data, "");
		v = clarke_reader_voters(r, &n);
		assert_int_equal(n, 5);
		assert_string_equal(v[0].name, "a, b");
		assert_int_equal(v[0].bid, -250);
		assert_string_equal(v[1].name, "amy");
		assert_int_equal(v[1].bid, 325);
		assert_string_equal(v[2].name, "multi \"quoted\"");
		assert_string_equal(v[3].name, "zoe");
		assert_int_equal(v[3].bid, 100);
		assert_string_equal(v[4].name, "ünï");
		assert_int_equal(v[4].bid, MONEY_BID_MAX);
		buf_free(&e.text);
		clarke_reader_free(r);
	}

	expect_read("bid,voter\n5,x\n", "");
	/* Only part of a byte order mark: it is data. */
	expect_read("\xef\xbbvoter,bid\nx,1\n",
	    "1: the first line must be the header voter,bid\n");
	expect_read("\xef\xbb", "1: the first line must be the header "
	    "voter,bid\n");
	expect_read("", "0: the input is empty: the header voter,bid is "
	    "required\n");
	expect_read("voter,bid\n", "0: there are no bids\n");
	expect_read("name,amount\nx,1\n",
	    "1: the first line must be the header voter,bid\n");
	r = read_bids(nul, sizeof(nul) - 1, 0, 0, &e);
	assert_string_equal(e.text.data,
	    "1: the first line must be the header voter,bid\n");
	buf_free(&e.text);
	clarke_reader_free(r);
	expect_read("voter,bid\nx,1\n\"y\nz\",1e5\nq,1,2\n,4\nw,1,000\n"
	    "big,1000000000.01\nneg,-1000000000.01\nok,-1000000000\n",
	    "3: voter: the name holds a control character\n"
	    "3: bid: write an amount without an exponent, as in 1500000.00\n"
	    "5: expected 2 fields (voter,bid), found 3\n"
	    "6: voter: a name is required\n"
	    "7: expected 2 fields (voter,bid), found 3\n"
	    "8: bid: at most 1000000000.00 either way\n"
	    "9: bid: at most 1000000000.00 either way\n");
	expect_read("voter,bid\nx,1.234\ny,\n",
	    "2: bid: an amount has at most two digits after the point\n"
	    "3: bid: an amount is required\n");
	expect_read("voter,bid\nx,1\ny,2\nx,3\nz,4\nx,5\n",
	    "4: voter: 'x' already bid on line 2\n"
	    "6: voter: 'x' already bid on line 2\n");
	expect_read("voter,bid\n\"\xff\",1\n\"a\x01\",1\n",
	    "2: voter: the name is not valid UTF-8\n"
	    "3: voter: the name holds a control character\n");
	expect_read("voter,bid\nx,1\n\"y,2\n",
	    "3: a quoted field is not closed\n");
	expect_read("voter,bid\nx,1\ny\"z,2\n", "3: misplaced quote\n");
}

/*
 * A roll's result: an abstainer's bid null in the JSON, empty in the CSV,
 * and that CSV cut to voter and bid, read as a roll, tallies the same.
 */
static void
test_roll_io(void **state)
{
	static const char	 roll[] = "voter,bid\nx,\n\" y \",\n";
	struct clarke_voter	 v[4], *w;
	struct clarke_result	 res, res2;
	struct clarke_reader	*r;
	struct csvrows		*c;
	struct errs		 e;
	struct buf		 b, cut;
	json_t			*root, *o;
	const char		*errstr;
	size_t			 i, n;

	(void)state;
	three(v, 90000, 123, -10000);
	v[1].abstain = 1;	/* whose bid is not read */
	memset(&v[3], 0, sizeof(v[3]));
	v[3].name = "d";
	v[3].abstain = 1;
	assert_int_equal(clarke_compute(v, 4, TERMS_MAX(1001, CLARKE_PIVOT,
	    CLARKE_PAYOUT_REDISTRIBUTE, 100000), &res, &errstr), 0);
	/* Shares over the roll of 4: 2.51, 2.50, 2.50, 2.50. */
	assert_int_equal(v[0].cost_share, 251);
	assert_int_equal(v[2].cost_share, 250);
	assert_int_equal(res.total_cost, 501);
	assert_int_equal(res.total_bid, 80000);

	buf_init(&b);
	clarke_json(&b, v, 4, &res);
	root = json_loads(buf_cstr(&b), 0, NULL);
	assert_non_null(root);
	o = json_array_get(json_object_get(root, "voters"), 1);
	assert_true(json_is_null(json_object_get(o, "bid")));
	assert_string_equal(json_string_value(json_object_get(o,
	    "cost_share")), "0.00");
	assert_string_equal(json_string_value(json_object_get(o, "net")),
	    "0.00");
	assert_string_equal(json_string_value(json_object_get(o, "tax")),
	    "0.00");
	assert_true(json_is_false(json_object_get(o, "pivotal")));
	json_decref(root);

	c = malloc(sizeof(*c));
	assert_non_null(c);
	buf_reset(&b);
	clarke_csv(&b, v, 4, &res);
	csv_read(&b, c);
	assert_string_equal(c->f[2][1], "");
	assert_string_equal(c->f[2][2], "0.00");
	assert_string_equal(c->f[5][1], "800.00");
	assert_string_equal(c->f[5][2], "5.01");

	/* voter,bid of each row but the TOTAL, read back as a roll. */
	buf_init(&cut);
	buf_puts(&cut, "voter,bid\n");
	for (i = 1; i <= 4; i++)
		buf_printf(&cut, "%s,%s\n", c->f[i][0], c->f[i][1]);
	r = read_bids(cut.data, cut.len, 0, 1, &e);
	assert_string_equal(e.text.data, "");
	w = clarke_reader_voters(r, &n);
	assert_int_equal(n, 4);
	assert_int_equal(clarke_compute(w, n, TERMS_MAX(1001, CLARKE_PIVOT,
	    CLARKE_PAYOUT_REDISTRIBUTE, 100000), &res2, &errstr), 0);
	buf_reset(&cut);
	clarke_csv(&cut, w, n, &res2);
	assert_string_equal(buf_cstr(&cut), buf_cstr(&b));
	buf_free(&e.text);
	clarke_reader_free(r);

	/* Without the roll, an empty bid is still an error. */
	expect_read("voter,bid\nx,1\ny,\n", "3: bid: an amount is required\n");
	r = read_bids(roll, sizeof(roll) - 1, 1, 1, &e);
	assert_string_equal(e.text.data, "");
	w = clarke_reader_voters(r, &n);
	assert_int_equal(n, 2);
	assert_true(w[0].abstain && w[1].abstain);
	buf_free(&e.text);
	clarke_reader_free(r);
	buf_free(&b);
	buf_free(&cut);
	free(c);
}

static void
test_reader_limits(void **state)
{
	struct clarke_reader	*r;
	struct errs		 e;
	struct buf		 in;
	size_t			 i;

	(void)state;
	/* A field too long stops the reading, whatever the split. */
	buf_init(&in);
	buf_puts(&in, "voter,bid\n");
	for (i = 0; i < CLARKE_FIELD_MAX + 1; i++)
		buf_putc(&in, 'x');
	buf_puts(&in, ",1\n");
	r = read_bids(in.data, in.len, 0, 0, &e);
	assert_string_equal(e.text.data,
	    "2: a field is longer than 4096 bytes\n");
	buf_free(&e.text);
	clarke_reader_free(r);

	/* Exactly the limit is fine. */
	buf_reset(&in);
	buf_puts(&in, "voter,bid\n");
	for (i = 0; i < CLARKE_FIELD_MAX; i++)
		buf_putc(&in, 'x');
	buf_puts(&in, ",1\n");
	r = read_bids(in.data, in.len, 0, 0, &e);
	assert_string_equal(e.text.data, "");
	buf_free(&e.text);
	clarke_reader_free(r);

	/* Many bad rows: reading stops after 100 problems. */
	buf_reset(&in);
	buf_puts(&in, "voter,bid\n");
	for (i = 0; i < 500; i++)
		buf_printf(&in, "v%zu,bad\n", i);
	r = read_bids(in.data, in.len, 0, 0, &e);
	assert_int_equal(e.n, 101);
	assert_non_null(strstr(e.text.data, "101: too many problems"));
	buf_free(&e.text);
	clarke_reader_free(r);
	buf_free(&in);

	/* Many voters: the names move to new chunks, pointers stay good. */
	buf_init(&in);
	buf_puts(&in, "voter,bid\n");
	for (i = 0; i < 20000; i++)
		buf_printf(&in, "voter-%06zu-with-a-longer-name,%zu\n", i, i);
	r = read_bids(in.data, in.len, 0, 0, &e);
	assert_string_equal(e.text.data, "");
	{
		struct clarke_voter	*v;
		size_t			 n;
		char			 want[64];

		v = clarke_reader_voters(r, &n);
		assert_int_equal(n, 20000);
		for (i = 0; i < n; i++) {
			(void)snprintf(want, sizeof(want),
			    "voter-%06zu-with-a-longer-name", i);
			assert_string_equal(v[i].name, want);
			assert_int_equal(v[i].bid, (int64_t)i * 100);
		}
	}
	buf_free(&e.text);
	clarke_reader_free(r);
	buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_redistribute),
		cmocka_unit_test(test_redistribute_small),
		cmocka_unit_test(test_roll),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_bound_sums),
		cmocka_unit_test(test_bound_random),
		cmocka_unit_test(test_many_remainders),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pivotal_tie),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_rule_tables),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_limits),
		cmocka_unit_test(test_roll_io),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
