/*
 * Times the Clarke tally per voter at 10^4, 10^6 and 10^7 voters: the
 * compute step (voters already sorted, as the server reads them) should
 * stay flat, being linear; the full tally adds the O(n log n) sort.
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

static uint64_t	rng_state = 42;

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
 * MONEY_BID_MAX either way; then in name order.
 */
static void
generate(struct clarke_voter *v, char *names, char *scratch, size_t n)
{
	struct clarke_result	 res;
	const char		*errstr;
	char			*p;
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
	if (clarke_tally(v, n, 0, CLARKE_PIVOT, CLARKE_PAYOUT_NONE, &res,
	    &errstr) == -1) {
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

int
main(void)
{
	static const size_t	 sizes[] = { 10000, 1000000, 10000000 };
	static const struct {
		enum clarke_tax		 tax;
		enum clarke_payout	 payout;
	} rules[] = {
		{ CLARKE_PIVOT, CLARKE_PAYOUT_NONE },
		{ CLARKE_COALITION_PRORATA, CLARKE_PAYOUT_LOSERS_PRORATA },
	};
	struct clarke_voter	*v;
	struct clarke_result	 res;
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
		generate(v, names, scratch, n);
		for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			/* The compute step on sorted voters: best of a few. */
			best = 0;
			for (k = 0; k < REPEAT; k++) {
				t0 = now();
				if (clarke_compute(v, n, (int64_t)n * 100,
				    rules[r].tax, rules[r].payout, &res,
				    &errstr) == -1) {
					fprintf(stderr, "clarke_bench: %s\n",
					    errstr);
					return (1);
				}
				t0 = now() - t0;
				if (k == 0 || t0 < best)
					best = t0;
			}

			/* The whole tally from an input in random order. */
			shuffle(v, n);
			t0 = now();
			if (clarke_tally(v, n, (int64_t)n * 100, rules[r].tax,
			    rules[r].payout, &res, &errstr) == -1) {
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
	free(v);
	free(names);
	free(scratch);
	return (0);
}
