/*
 * Times the Clarke tally per voter at 10^4, 10^6 and 10^7 voters: the
 * compute step (voters already sorted, as the server reads them) should
 * stay flat, being linear; the full tally adds the O(n log n) sort.
 *
 * Then redistribute's rebates for 10^5 and 10^6 voters in a close vote
 * (a tax to give back, half of them pivotal), against the compute step
 * under pivot/none on the same voters in the same run (target <= 1.5),
 * and how much of the tax the rebates give back in random elections of
 * 1-300 voters with a tax.
 *
 * cc -O2 -Iapp tests/bench/clarke_bench.c app/core/clarke.c \
 *     app/core/clarke_rules.c app/core/buf.c
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clarke.h"
#include "core/money.h"

#define NAMELEN		28	/* 6 letters, "-", 20 digits, NUL */
#define REPEAT		3
/* Rebates: timings of each rule, alternated; elections for the share. */
#define REBATE_REPEAT	9
#define ELECTIONS	10000

static uint64_t	rng_state = 42;

/* The tally the server runs by default, with no cost: the baseline. */
static const struct clarke_terms terms_none = {
	0, CLARKE_PIVOT, CLARKE_PAYOUT_NONE, MONEY_BID_MAX
};

static uint64_t
rng(void)
{
	uint64_t	 z;

	z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static double
now(void)
{
	struct timespec	 ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e9 + ts.tv_nsec);
}

/*
 * The names of sorted voters v laid out in their order, as they are when
 * read from a sorted file: the compute step's check of the order then
 * reads them in one pass, rather than measuring the cache misses of a
 * sort that has just scattered them (the +sort column counts those).
 */
static void
lay_out(struct clarke_voter *v, char *names, char *scratch, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		memcpy(scratch + i * NAMELEN, v[i].name, NAMELEN);
	memcpy(names, scratch, n * NAMELEN);
	for (i = 0; i < n; i++)
		v[i].name = names + i * NAMELEN;
}

/*
 * Voters with names like usernames, "kqzvtd-123", and bids up to
 * MONEY_BID_MAX either way; then in name order.  A close vote: bids
 * moved, one by one, within MONEY_BID_MAX either way, towards a tie.
 */
static void
generate(struct clarke_voter *v, char *names, char *scratch, size_t n,
    int close)
{
	struct clarke_result	 res;
	const char		*errstr;
	char			*p;
	int64_t			 total;
	size_t			 i, j;

	for (i = 0; i < n; i++) {
		p = names + i * NAMELEN;
		for (j = 0; j < 6; j++)
			p[j] = (char)('a' + rng() % 26);
		(void)snprintf(p + 6, NAMELEN - 6, "-%zu", i);
		memset(&v[i], 0, sizeof(v[i]));
		v[i].name = p;
		v[i].bid = (int64_t)(rng() % (2 * MONEY_BID_MAX + 1)) -
		    MONEY_BID_MAX;
	}
	for (i = 0, total = 0; i < n; i++)
		total += v[i].bid;
	for (i = 0; close && i < n && total != 0; i++) {
		total -= v[i].bid;
		v[i].bid = -total > MONEY_BID_MAX ? MONEY_BID_MAX :
		    -total < -MONEY_BID_MAX ? -MONEY_BID_MAX : -total;
		total += v[i].bid;
	}
	if (clarke_tally(v, n, &terms_none, &res, &errstr) == -1) {
		fprintf(stderr, "clarke_bench: %s\n", errstr);
		exit(1);
	}
	lay_out(v, names, scratch, n);
}

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

/* One compute step on sorted voters, in ns; exits if it fails. */
static double
compute_ns(struct clarke_voter *v, size_t n, const struct clarke_terms *t,
    struct clarke_result *res)
{
	const char	*errstr;
	double		 t0;

	t0 = now();
	if (clarke_compute(v, n, t, res, &errstr) == -1) {
		fprintf(stderr, "clarke_bench: %s\n", errstr);
		exit(1);
	}
	return (now() - t0);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
median(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
	return (n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2);
}

/*
 * The rebates' own time: the compute step under pivot/redistribute less
 * that under pivot/none, the two alternated on the same voters, medians.
 */
static void
bench_rebates(struct clarke_voter *v, char *names, char *scratch, size_t n)
{
	struct clarke_terms	 none, redis;
	struct clarke_result	 res;
	double			 tn[REBATE_REPEAT], tr[REBATE_REPEAT], mn, mr;
	size_t			 k;

	generate(v, names, scratch, n, 1);
	none = terms_none;
	none.cost = (int64_t)n * 100;
	redis = none;
	redis.payout = CLARKE_PAYOUT_REDISTRIBUTE;
	for (k = 0; k < REBATE_REPEAT; k++) {
		tn[k] = compute_ns(v, n, &none, &res);
		tr[k] = compute_ns(v, n, &redis, &res);
	}
	if (res.total_tax == 0) {
		fprintf(stderr, "clarke_bench: no tax to give back\n");
		exit(1);
	}
	mn = median(tn, REBATE_REPEAT);
	mr = median(tr, REBATE_REPEAT);
	printf("%-10zu  %14.1f  %14.1f  %14.1f  %8.2f\n", n, mn / n,
	    mr / n, (mr - mn) / n, (mr - mn) / mn);
	fflush(stdout);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * How much of the tax the rebates give back: random elections of 1-300
 * voters (max_bid 0.01 to the contract's, bids anywhere or close to a
 * tie, costs from none to half of what all could bid, a roll with up to
 * half abstaining), those with a tax; the share in parts per 10,000.
 */
static void
bench_returned(void)
{
	static struct clarke_voter	 v[300];
	static char			 names[300][8];
	static uint64_t			 share[ELECTIONS];
	struct clarke_terms		 t;
	struct clarke_result		 res;
	const char			*errstr;
	uint64_t			 sum;
	int64_t				 total;
	size_t				 e, i, n, taxed;

	t.tax = CLARKE_PIVOT;
	t.payout = CLARKE_PAYOUT_REDISTRIBUTE;
	for (e = 0, taxed = 0; e < ELECTIONS; e++) {
		n = 1 + rng() % 300;
		t.max_bid = 1 + (int64_t)(rng() % (uint64_t)(rng() % 2 ?
		    MONEY_BID_MAX : 10000));
		t.cost = (int64_t)(rng() % ((uint64_t)n *
		    (uint64_t)t.max_bid / 2 + 1));
		for (i = 0, total = 0; i < n; i++) {
			(void)snprintf(names[i], sizeof(names[i]), "v%03zu", i);
			memset(&v[i], 0, sizeof(v[i]));
			v[i].name = names[i];
			v[i].bid = (int64_t)(rng() % (uint64_t)(2 * t.max_bid +
			    1)) - t.max_bid;
			v[i].abstain = e % 2 && rng() % 2;
			if (!v[i].abstain)
				total += v[i].bid - t.cost / (int64_t)n;
		}
		/* Every other election close: the first bids evened out. */
		for (i = 0; e % 4 < 2 && i < n; i++) {
			if (v[i].abstain)
				continue;
			total -= v[i].bid;
			v[i].bid = -total > t.max_bid ? t.max_bid :
			    -total < -t.max_bid ? -t.max_bid : -total;
			total += v[i].bid;
		}
		if (clarke_compute(v, n, &t, &res, &errstr) == -1) {
			fprintf(stderr, "clarke_bench: %s\n", errstr);
			exit(1);
		}
		if (res.total_tax > 0)
			share[taxed++] = (uint64_t)res.total_payout * 10000 /
			    (uint64_t)res.total_tax;
	}
	for (i = 0, sum = 0; i < taxed; i++)
		sum += share[i];
	qsort(share, taxed, sizeof(share[0]), cmp_u64);
	printf("rebates / tax in %zu random elections of 1-300 voters with "
	    "a tax (of %d): mean %.2f%%, median %.2f%%\n", taxed, ELECTIONS,
	    taxed ? sum / 100.0 / taxed : 0.0,
	    taxed ? share[taxed / 2] / 100.0 : 0.0);
}

int
main(void)
{
	static const size_t	 sizes[] = { 10000, 1000000, 10000000 };
	static const size_t	 rebate_sizes[] = { 100000, 1000000 };
	static const struct {
		enum clarke_tax		 tax;
		enum clarke_payout	 payout;
	} rules[] = {
		{ CLARKE_PIVOT, CLARKE_PAYOUT_NONE },
		{ CLARKE_COALITION_PRORATA, CLARKE_PAYOUT_LOSERS_PRORATA },
	};
	struct clarke_voter	*v;
	struct clarke_result	 res;
	struct clarke_terms	 terms;
	const char		*errstr;
	char			*names, *scratch, name[64];
	double			 t0, best, tally;
	size_t			 s, r, k, n, max;

	max = sizes[sizeof(sizes) / sizeof(sizes[0]) - 1];
	v = calloc(max, sizeof(*v));
	names = malloc(max * NAMELEN);
	scratch = malloc(max * NAMELEN);
	if (v == NULL || names == NULL || scratch == NULL) {
		fprintf(stderr, "clarke_bench: out of memory\n");
		return (1);
	}

	printf("%-10s  %-36s  %14s  %14s\n", "voters", "rules",
	    "compute ns/v", "+sort ns/v");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		n = sizes[s];
		generate(v, names, scratch, n, 0);
		for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			terms = terms_none;
			terms.cost = (int64_t)n * 100;
			terms.tax = rules[r].tax;
			terms.payout = rules[r].payout;
			/* The compute step on sorted voters: best of a few. */
			best = 0;
			for (k = 0; k < REPEAT; k++) {
				t0 = compute_ns(v, n, &terms, &res);
				if (k == 0 || t0 < best)
					best = t0;
			}

			/* The whole tally from an input in random order. */
			shuffle(v, n);
			t0 = now();
			if (clarke_tally(v, n, &terms, &res, &errstr) == -1) {
				fprintf(stderr, "clarke_bench: %s\n", errstr);
				return (1);
			}
			tally = now() - t0;
			lay_out(v, names, scratch, n);

			(void)snprintf(name, sizeof(name), "%s/%s",
			    clarke_tax_name(rules[r].tax),
			    clarke_payout_name(rules[r].payout));
			printf("%-10zu  %-36s  %14.1f  %14.1f\n", n, name,
			    best / n, tally / n);
			fflush(stdout);
		}
	}

	printf("\nredistribute in a close vote, medians of %d (target: "
	    "rebates / compute <= 1.5)\n", REBATE_REPEAT);
	printf("%-10s  %14s  %14s  %14s  %8s\n", "voters", "none ns/v",
	    "redistr. ns/v", "rebates ns/v", "ratio");
	for (s = 0; s < sizeof(rebate_sizes) / sizeof(rebate_sizes[0]); s++)
		bench_rebates(v, names, scratch, rebate_sizes[s]);
	bench_returned();
	free(v);
	free(names);
	free(scratch);
	return (0);
}
