/*
 * Fuzzes the Clarke tally and the bids reader.  The first four bytes
 * choose the mode, rules, cost, max_bid, whether there is a voter roll
 * and how the input is split; the rest is a bids CSV (even modes; an
 * empty bid abstains on a roll) or raw int64_t bids (odd modes; on a
 * roll a word ending in three zero bits abstains), which reach amounts
 * the reader would refuse, to exercise the overflow checks.  Whatever
 * the input: no undefined behaviour, and every tally that succeeds adds
 * up.
 */

#include <csv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/clarke_out.h"
#include "core/clarke_reader.h"
#include "core/csvout.h"
#include "core/money.h"

__extension__ typedef __int128		i128;

#define MAXRAW		256

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check(int);
static void	check_result(const struct clarke_voter *, size_t,
		    const struct clarke_terms *, const struct clarke_result *);
static void	check_order(struct clarke_voter *, size_t,
		    const struct clarke_terms *, const struct clarke_result *);
static void	check_json(const struct clarke_voter *, size_t,
		    const struct clarke_result *);
static void	check_csv(const struct clarke_voter *, size_t,
		    const struct clarke_result *);
static void	no_error(void *, unsigned long, const char *);

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
no_error(void *arg, unsigned long line, const char *msg)
{
	(void)arg;
	(void)line;
	check(msg != NULL && *msg != '\0');
}

static i128
abs128(i128 x)
{
	return (x < 0 ? -x : x);
}

/* The spec's sums and rules, in 128 bits so the check cannot overflow. */
static void
check_result(const struct clarke_voter *v, size_t n,
    const struct clarke_terms *terms, const struct clarke_result *res)
{
	i128	 cs, net, bid, t, p, others, wsum, lsum, o, share, unpaid;
	size_t	 i;
	int	 side;

	cs = net = bid = t = p = wsum = lsum = o = unpaid = 0;
	side = res->adopt ? 1 : -1;
	for (i = 0; i < n; i++) {
		if (i > 0)
			check(strcmp(v[i - 1].name, v[i].name) < 0);
		share = terms->cost / (int64_t)n +
		    ((int64_t)i < terms->cost % (int64_t)n);
		if (v[i].abstain) {
			check(v[i].cost_share == 0 && v[i].net == 0 &&
			    !v[i].pivotal && v[i].tax == 0);
			unpaid += share;
		} else {
			check(v[i].cost_share == share);
			check(v[i].net == (i128)v[i].bid - v[i].cost_share);
			check(abs128(v[i].bid) <= terms->max_bid);
			bid += v[i].bid;
		}
		check(v[i].tax >= 0 && v[i].payout >= 0);
		check(v[i].pivotal || v[i].tax == 0);
		cs += v[i].cost_share;
		net += v[i].net;
		t += v[i].tax;
		p += v[i].payout;
		if (side > 0 ? v[i].net > 0 : v[i].net < 0)
			wsum += abs128(v[i].net);
		else
			o += v[i].net;
		if (side > 0 ? v[i].net < 0 : v[i].net > 0)
			lsum += abs128(v[i].net);
	}
	check(cs + unpaid == terms->cost && res->total_cost == cs);
	check(net == res->total_net && bid == res->total_bid);
	check(res->adopt == (res->total_net > 0));
	check(t == res->total_tax && p == res->total_payout);
	check(res->total_surplus == res->total_tax - res->total_payout);
	switch (terms->payout) {
	case CLARKE_PAYOUT_LOSERS_PRORATA:
		check(res->total_payout == res->total_tax);
		break;
	case CLARKE_PAYOUT_REDISTRIBUTE:
		/* Bids bounded the same either way: nothing comes back. */
		check(terms->tax == CLARKE_PIVOT && res->total_payout == 0);
		break;
	default:
		check(res->total_payout == 0);
		break;
	}

	for (i = 0; i < n; i++) {
		others = (i128)res->total_net - v[i].net;
		if (terms->tax == CLARKE_PIVOT) {
			check(v[i].pivotal == (res->adopt != (others > 0)));
			check(v[i].tax == (v[i].pivotal ? abs128(others) : 0));
		} else {
			check(v[i].tax == 0 || (side > 0 ? v[i].net > 0 :
			    v[i].net < 0));
			/* Pro rata: floor or floor + 1 of the exact share. */
			if (terms->tax == CLARKE_COALITION_PRORATA &&
			    v[i].tax > 0) {
				share = res->total_tax * abs128(v[i].net) /
				    wsum;
				check(v[i].tax == share ||
				    v[i].tax == share + 1);
			}
		}
		if (v[i].payout > 0) {
			check(side > 0 ? v[i].net < 0 : v[i].net > 0);
			share = res->total_tax * abs128(v[i].net) / lsum;
			check(v[i].payout == share ||
			    v[i].payout == share + 1);
		}
	}
	if (terms->tax != CLARKE_PIVOT)
		check(res->total_tax == (side > 0 ? (o < 0 ? -o : 0) :
		    (o > 0 ? o : 0)));
}

/* Reversed input: the same result. */
static void
check_order(struct clarke_voter *v, size_t n,
    const struct clarke_terms *terms, const struct clarke_result *res)
{
	struct clarke_voter	*w;
	struct clarke_result	 r2;
	const char		*errstr;
	size_t			 i;

	if ((w = calloc(n, sizeof(*w))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		w[i].name = v[n - 1 - i].name;
		w[i].bid = v[n - 1 - i].bid;
		w[i].abstain = v[n - 1 - i].abstain;
	}
	check(clarke_tally(w, n, terms, &r2, &errstr) == 0);
	check(r2.adopt == res->adopt && r2.total_tax == res->total_tax &&
	    r2.total_net == res->total_net);
	for (i = 0; i < n; i++) {
		check(w[i].name == v[i].name);
		check(w[i].tax == v[i].tax && w[i].payout == v[i].payout &&
		    w[i].pivotal == v[i].pivotal &&
		    w[i].cost_share == v[i].cost_share);
	}
	free(w);
}

static void
check_json(const struct clarke_voter *v, size_t n,
    const struct clarke_result *res)
{
	struct buf	 b;
	json_t		*root, *voters, *o;
	char		 m[MONEY_STRLEN];
	size_t		 i;

	buf_init(&b);
	clarke_json(&b, v, n, res);
	root = json_loads(buf_cstr(&b), 0, NULL);
	check(root != NULL);
	money_format(res->total_tax, m);
	check(!strcmp(json_string_value(json_object_get(root, "total_tax")),
	    m));
	voters = json_object_get(root, "voters");
	check(json_array_size(voters) == n);
	json_array_foreach(voters, i, o) {
		check(!strcmp(json_string_value(json_object_get(o, "voter")),
		    v[i].name));
		check(json_is_null(json_object_get(o, "bid")) ==
		    v[i].abstain);
		money_format(v[i].payout, m);
		check(!strcmp(json_string_value(json_object_get(o, "payout")),
		    m));
	}
	json_decref(root);
	buf_free(&b);
}

struct csvback {
	const struct clarke_voter	*v;
	size_t				 row, col, n;
};

static void
csvback_field(void *s, size_t len, void *arg)
{
	struct csvback	*c = arg;
	const char	*text = s;

	/* The voter column reads back as the name written. */
	csv_field_read(&text, &len);
	if (c->col == 0 && c->row >= 1 && c->row <= c->n)
		check(strlen(c->v[c->row - 1].name) == len &&
		    memcmp(c->v[c->row - 1].name, text, len) == 0);
	c->col++;
}

static void
csvback_row(int ch, void *arg)
{
	struct csvback	*c = arg;

	(void)ch;
	check(c->col == 7);
	c->row++;
	c->col = 0;
}

static int
csv_nospace(unsigned char ch)
{
	(void)ch;
	return (0);
}

static void
check_csv(const struct clarke_voter *v, size_t n,
    const struct clarke_result *res)
{
	struct csv_parser	 p;
	struct csvback		 c;
	struct buf		 b;

	buf_init(&b);
	clarke_csv(&b, v, n, res);
	memset(&c, 0, sizeof(c));
	c.v = v;
	c.n = n;
	check(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0);
	csv_set_space_func(&p, csv_nospace);
	check(csv_parse(&p, b.data, b.len, csvback_field, csvback_row,
	    &c) == b.len);
	check(csv_fini(&p, csvback_field, csvback_row, &c) == 0);
	check(c.row == n + 2);
	csv_free(&p);
	buf_free(&b);
}

/* The largest |bid| of those who bid, at least 1, at most INT64_MAX. */
static int64_t
largest_bid(const struct clarke_voter *v, size_t n)
{
	i128	 max;
	size_t	 i;

	for (i = 0, max = 1; i < n; i++) {
		if (!v[i].abstain && abs128(v[i].bid) > max)
			max = abs128(v[i].bid);
	}
	return (max > INT64_MAX ? INT64_MAX : (int64_t)max);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 names[MAXRAW][8];
	struct clarke_voter	 raw[MAXRAW], *v;
	struct clarke_result	 res;
	struct clarke_terms	 terms;
	struct clarke_reader	*r;
	const char		*errstr, *misfit;
	uint64_t		 u;
	size_t			 n, i, chunk, take;
	int			 rc, roll, bound;

	if (size < 4)
		return (0);
	terms.tax = (enum clarke_tax)((data[0] >> 1) % CLARKE_TAX__MAX);
	terms.payout = (enum clarke_payout)((data[0] >> 3) %
	    CLARKE_PAYOUT__MAX);
	/* Rules that do not go together are refused, in their words. */
	if ((misfit = clarke_rules_check(terms.tax, terms.payout)) != NULL) {
		memset(&raw[0], 0, sizeof(raw[0]));
		raw[0].name = "x";
		terms.cost = 0;
		terms.max_bid = 1;
		check(clarke_tally(raw, 1, &terms, &res, &errstr) == -1 &&
		    errstr == misfit);
		terms.tax = CLARKE_PIVOT;
	}
	chunk = 1 + (size_t)(data[0] >> 4) * 67;
	switch (data[1] >> 6) {
	case 0:		/* small: remainders of the cost split */
		terms.cost = data[2] | (data[3] << 8);
		break;
	case 1:
		terms.cost = (int64_t)(data[2] | (data[3] << 8)) * 1000000;
		break;
	case 2:		/* at and around the bound */
		terms.cost = CLARKE_COST_MAX - data[2] + data[3];
		break;
	default:
		terms.cost = (int64_t)data[2] - 128;
		break;
	}
	/* max_bid: the contract's, the largest bid, small, or none. */
	bound = data[1] & 3;
	terms.max_bid = bound == 0 ? MONEY_BID_MAX : bound == 2 ?
	    1 + (data[1] >> 3 & 7) * 100 : INT64_MAX;
	roll = (data[1] & 4) != 0;
	data += 4;
	size -= 4;

	if ((data[-4] & 1) == 0) {
		r = clarke_reader_new(roll, no_error, NULL);
		for (rc = 0, i = 0; i < size && rc == 0; i += take) {
			take = size - i < chunk ? size - i : chunk;
			rc = clarke_reader_feed(r, data + i, take);
		}
		if (rc == 0 && clarke_reader_finish(r) == 0) {
			check(clarke_reader_errors(r) == 0);
			v = clarke_reader_voters(r, &n);
			check(n > 0);
			for (i = 0; i < n; i++) {
				check(v[i].bid >= -MONEY_BID_MAX &&
				    v[i].bid <= MONEY_BID_MAX);
				check(roll || !v[i].abstain);
			}
			if (bound == 1)
				terms.max_bid = largest_bid(v, n);
			rc = clarke_compute(v, n, &terms, &res, &errstr);
			/*
			 * Bids in the contract's bounds: only the cost, or
			 * a bid beyond a small max_bid, can be refused.
			 */
			check(rc == 0 || terms.cost < 0 ||
			    terms.cost > CLARKE_COST_MAX || bound == 2);
			if (rc == 0) {
				check_result(v, n, &terms, &res);
				check_json(v, n, &res);
				check_csv(v, n, &res);
				check_order(v, n, &terms, &res);
			}
		} else
			check(clarke_reader_errors(r) > 0);
		clarke_reader_free(r);
		return (0);
	}

	/* Raw bids, any int64_t, voters in reverse order of their names. */
	n = size / 8;
	if (n > MAXRAW)
		n = MAXRAW;
	for (i = 0; i < n; i++) {
		memcpy(&u, data + 8 * i, 8);
		(void)snprintf(names[i], sizeof(names[i]), "v%03zu", n - i);
		memset(&raw[i], 0, sizeof(raw[i]));
		raw[i].name = names[i];
		raw[i].bid = (int64_t)u;
		raw[i].abstain = roll && (u & 7) == 0;
	}
	if (bound == 1)
		terms.max_bid = largest_bid(raw, n);
	if (clarke_tally(raw, n, &terms, &res, &errstr) == 0) {
		check_result(raw, n, &terms, &res);
		check_order(raw, n, &terms, &res);
	} else
		check(errstr != NULL);
	return (0);
}
