/*
 * The Clarke-tax tally, its published forms, and the bids reader.
 *
 * All amounts are int64_t minor units and every step is checked: a result
 * is either exact to the unit or refused.  The tally is a handful of
 * linear passes over voters sorted by name; the order fixes who gets the
 * remainder units, so that anyone recomputing gets the same cents.
 */

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/csvout.h"
#include "core/money.h"
#include "core/text.h"

/* Largest remainders: digits counted at a time, and the stack finish. */
#define SELECT_BITS	12
#define SELECT_BUCKETS	(1 << SELECT_BITS)
#define SELECT_CAP	4096

/* clarke_sort() sorts n voters' 8-byte name prefixes from this n. */
#define SORT_KEYS_MIN	64

/* Products of two amounts; -pedantic wants __extension__ for it. */
__extension__ typedef unsigned __int128	u128;

enum slot {
	SLOT_TAX,
	SLOT_PAYOUT
};

static int	 cmp_name(const void *, const void *);
static int	 cmp_key(const void *, const void *);
static int	 cmp_desc(const void *, const void *);
static uint64_t	 mag(int64_t);
static int	 on_side(const struct clarke_voter *, int);
static int64_t	*slot(struct clarke_voter *, enum slot);
static void	 split_equal(struct clarke_voter *, size_t, int, int64_t,
		    uint64_t, enum slot);
static void	 split_prorata(struct clarke_voter *, size_t, int, int64_t,
		    uint64_t, enum slot);
static void	 round_up(struct clarke_voter *, size_t, int, uint64_t,
		    uint64_t, enum slot);
static int	 tax_pivot(struct clarke_voter *, size_t, int64_t, int,
		    int64_t *);
static int	 tax_coalition(struct clarke_voter *, size_t, int64_t, int,
		    enum clarke_tax, int64_t *);
static int	 payout_losers(struct clarke_voter *, size_t, int, int64_t);
static int	 compute(struct clarke_voter *, size_t, int64_t,
		    enum clarke_tax, enum clarke_payout, struct clarke_result *,
		    const char **);
static void	 json_string(struct buf *, const char *);
static void	 json_amount(struct buf *, const char *, int64_t);
static void	 csv_amount(struct buf *, int64_t);

static const char *const tax_names[] = {
	"pivot", "coalition-equal", "coalition-prorata"
};
static const char *const payout_names[] = {
	"none", "losers-prorata"
};

int
clarke_tax_parse(const char *s, enum clarke_tax *tax)
{
	size_t	 i;

	for (i = 0; i < sizeof(tax_names) / sizeof(tax_names[0]); i++) {
		if (!strcmp(s, tax_names[i])) {
			*tax = (enum clarke_tax)i;
			return (0);
		}
	}
	return (-1);
}

int
clarke_payout_parse(const char *s, enum clarke_payout *payout)
{
	size_t	 i;

	for (i = 0; i < sizeof(payout_names) / sizeof(payout_names[0]); i++) {
		if (!strcmp(s, payout_names[i])) {
			*payout = (enum clarke_payout)i;
			return (0);
		}
	}
	return (-1);
}

const char *
clarke_tax_name(enum clarke_tax tax)
{
	if ((size_t)tax >= sizeof(tax_names) / sizeof(tax_names[0]))
		return ("?");
	return (tax_names[tax]);
}

const char *
clarke_payout_name(enum clarke_payout payout)
{
	if ((size_t)payout >= sizeof(payout_names) / sizeof(payout_names[0]))
		return ("?");
	return (payout_names[payout]);
}

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

static int
cmp_desc(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y ? -1 : x < y);
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

/* |x| without the overflow of -INT64_MIN. */
static uint64_t
mag(int64_t x)
{
	return (x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x);
}

/* side > 0: net value for the change; side < 0: against it. */
static int
on_side(const struct clarke_voter *v, int side)
{
	return (side > 0 ? v->net > 0 : v->net < 0);
}

static int64_t *
slot(struct clarke_voter *v, enum slot which)
{
	return (which == SLOT_TAX ? &v->tax : &v->payout);
}

/* total over the k voters on side, the first total mod k one unit more. */
static void
split_equal(struct clarke_voter *v, size_t n, int side, int64_t total,
    uint64_t k, enum slot which)
{
	uint64_t	 q, r, j;
	size_t		 i;

	q = (uint64_t)total / k;
	r = (uint64_t)total % k;
	for (i = 0, j = 0; i < n; i++) {
		if (!on_side(&v[i], side))
			continue;
		*slot(&v[i], which) = (int64_t)(q + (j < r));
		j++;
	}
}

/*
 * total over the voters on side pro rata to |net|, whose sum is sum > 0:
 * floor(total * |net| / sum) each, then one unit each to the largest
 * remainders, ties to the earlier voter.  total * |net| < 2^127 always
 * fits in 128 bits, and each quotient is at most total.
 */
static void
split_prorata(struct clarke_voter *v, size_t n, int side, int64_t total,
    uint64_t sum, enum slot which)
{
	u128		 p;
	uint64_t	 q, got;
	size_t		 i;

	got = 0;
	for (i = 0; i < n; i++) {
		if (!on_side(&v[i], side))
			continue;
		p = (u128)(uint64_t)total * mag(v[i].net);
		if ((p >> 64) == 0)	/* the usual case: 64-bit division */
			q = (uint64_t)p / sum;
		else
			q = (uint64_t)(p / sum);
		v[i].aux = (uint64_t)(p - (u128)q * sum);
		*slot(&v[i], which) = (int64_t)q;
		got += q;
	}
	/* Each remainder is below one unit: fewer left than recipients. */
	if ((uint64_t)total > got)
		round_up(v, n, side, (uint64_t)total - got, sum - 1, which);
}

/*
 * Gives one more unit to the left voters on side with the largest
 * remainders in aux (all <= max), ties to the earlier voter.
 *
 * Rather than sort, this finds the threshold: the left-th largest
 * remainder.  A radix select counts SELECT_BITS of the remainders at a
 * time, most significant first, narrowing to the bucket that holds the
 * threshold; once that bucket has at most SELECT_CAP voters their
 * remainders are sorted on the stack.  For remainders spread as they
 * usually are that is three passes over the voters in all; for any
 * input at most seven, so O(n), without allocating.
 */
static void
round_up(struct clarke_voter *v, size_t n, int side, uint64_t left,
    uint64_t max, enum slot which)
{
	size_t		 count[SELECT_BUCKETS], i, m;
	uint64_t	 cand[SELECT_CAP], prefix, mask, digit, key, theta;
	int		 bits, shift, b;

	for (bits = 0; bits < 64 && (max >> bits) != 0; bits++)
		;
	shift = bits > SELECT_BITS ? bits - SELECT_BITS : 0;
	digit = SELECT_BUCKETS - 1;

	/*
	 * Invariant: 1 <= left <= the voters whose remainder matches prefix
	 * under mask, so the bucket scan stops at a bucket that holds the
	 * threshold; left is then its rank within that bucket.
	 */
	prefix = 0;
	mask = 0;
	for (;;) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++) {
			if (on_side(&v[i], side) && (v[i].aux & mask) == prefix)
				count[(v[i].aux >> shift) & digit]++;
		}
		for (b = SELECT_BUCKETS - 1; b > 0 && left > count[b]; b--)
			left -= count[b];
		prefix |= (uint64_t)b << shift;
		mask |= digit << shift;
		m = count[b];
		if (shift == 0 || m <= SELECT_CAP)
			break;
		/* The last digit may overlap bits already fixed: harmless. */
		shift = shift > SELECT_BITS ? shift - SELECT_BITS : 0;
	}

	if (shift == 0) {
		/* Every bit is fixed: the threshold is prefix itself. */
		theta = prefix;
	} else {
		for (i = 0, m = 0; i < n; i++) {
			if (on_side(&v[i], side) && (v[i].aux & mask) == prefix)
				cand[m++] = v[i].aux;
		}
		qsort(cand, m, sizeof(cand[0]), cmp_desc);
		theta = cand[left - 1];
		/* Those at the threshold among the left largest. */
		for (i = 0, m = left, left = 0; i < m; i++)
			left += cand[i] == theta;
	}

	/* Above the threshold all get a unit; at it, the first left. */
	for (i = 0; i < n; i++) {
		if (!on_side(&v[i], side))
			continue;
		key = v[i].aux;
		if (key > theta || (key == theta && left > 0)) {
			if (key == theta)
				left--;
			(*slot(&v[i], which))++;
		}
	}
}

/*
 * Pivot: without voter i the total is V_i = V - v_i.  Adopted: i is
 * pivotal when V_i <= 0 (a tie rejects) and pays -V_i; rejected: when
 * V_i > 0, and pays V_i.
 */
static int
tax_pivot(struct clarke_voter *v, size_t n, int64_t total_net, int adopt,
    int64_t *total_tax)
{
	int64_t		 others, t, sum;
	size_t		 i;

	sum = 0;
	for (i = 0; i < n; i++) {
		if (__builtin_sub_overflow(total_net, v[i].net, &others))
			return (-1);
		if (adopt) {
			v[i].pivotal = others <= 0;
			if (__builtin_sub_overflow((int64_t)0, others, &t))
				return (-1);
		} else {
			v[i].pivotal = others > 0;
			t = others;
		}
		v[i].tax = v[i].pivotal ? t : 0;
		if (__builtin_add_overflow(sum, v[i].tax, &sum))
			return (-1);
	}
	*total_tax = sum;
	return (0);
}

/*
 * Coalition: W is the side the decision went, O the total of everyone
 * else; W owes T = max(0, -O) (adopted) or max(0, O) (rejected).
 */
static int
tax_coalition(struct clarke_voter *v, size_t n, int64_t total_net,
    int adopt, enum clarke_tax rule, int64_t *total_tax)
{
	int64_t		 others, t;
	uint64_t	 k, sum;
	size_t		 i;
	int		 side, pivotal;

	side = adopt ? 1 : -1;
	k = 0;
	sum = 0;
	others = total_net;
	for (i = 0; i < n; i++) {
		v[i].tax = 0;
		if (!on_side(&v[i], side))
			continue;
		k++;
		if (__builtin_add_overflow(sum, mag(v[i].net), &sum) ||
		    __builtin_sub_overflow(others, v[i].net, &others))
			return (-1);
	}

	if (adopt) {
		pivotal = others <= 0;
		if (__builtin_sub_overflow((int64_t)0, others, &t))
			return (-1);
	} else {
		pivotal = others > 0;
		t = others;
	}
	/* O holds no W voter, so cannot point the decision's way: T >= 0. */
	if (t < 0)
		t = 0;
	for (i = 0; i < n; i++)
		v[i].pivotal = pivotal && on_side(&v[i], side);

	/* T > 0 means O points against the decision, so W is not empty. */
	if (t > 0 && k == 0)
		return (-1);
	if (t > 0) {
		if (rule == CLARKE_COALITION_EQUAL)
			split_equal(v, n, side, t, k, SLOT_TAX);
		else
			split_prorata(v, n, side, t, sum, SLOT_TAX);
	}
	*total_tax = t;
	return (0);
}

/* All taxes to the losing side, pro rata to |net|. */
static int
payout_losers(struct clarke_voter *v, size_t n, int adopt, int64_t total)
{
	uint64_t	 sum;
	size_t		 i;
	int		 side;

	side = adopt ? -1 : 1;
	sum = 0;
	for (i = 0; i < n; i++) {
		if (on_side(&v[i], side) &&
		    __builtin_add_overflow(sum, mag(v[i].net), &sum))
			return (-1);
	}
	if (total == 0)
		return (0);
	/*
	 * Taxes imply losers: a tax is only owed when the others' total
	 * points against the decision, which takes a voter on that side.
	 */
	if (sum == 0)
		return (-1);
	split_prorata(v, n, side, total, sum, SLOT_PAYOUT);
	return (0);
}

int
clarke_compute(struct clarke_voter *v, size_t n, int64_t cost,
    enum clarke_tax tax, enum clarke_payout payout, struct clarke_result *res,
    const char **errstr)
{
	size_t	 i;

	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].name, v[i].name) >= 0) {
			*errstr = "voters must be sorted by name, each once";
			return (-1);
		}
	}
	return (compute(v, n, cost, tax, payout, res, errstr));
}

/* clarke_compute() for voters known to be in order. */
static int
compute(struct clarke_voter *v, size_t n, int64_t cost, enum clarke_tax tax,
    enum clarke_payout payout, struct clarke_result *res, const char **errstr)
{
	uint64_t	 q, r;
	int64_t		 total_bid, total_net, total_tax;
	size_t		 i;
	int		 adopt;

	if (n == 0) {
		*errstr = "there are no bids to tally";
		return (-1);
	}
	if (cost < 0 || cost > CLARKE_COST_MAX) {
		/* CLARKE_COST_MAX as money. */
		*errstr = "the cost must be at least 0 and at most "
		    "23058430092136939.51";
		return (-1);
	}
	if ((size_t)tax > CLARKE_COALITION_PRORATA ||
	    (size_t)payout > CLARKE_PAYOUT_LOSERS_PRORATA) {
		*errstr = "unknown tax or payout rule";
		return (-1);
	}

	/* Cost shares, net values, and the decision. */
	q = (uint64_t)cost / n;
	r = (uint64_t)cost % n;
	total_bid = 0;
	total_net = 0;
	for (i = 0; i < n; i++) {
		v[i].cost_share = (int64_t)(q + (i < r));
		v[i].tax = 0;
		v[i].payout = 0;
		v[i].pivotal = 0;
		if (__builtin_sub_overflow(v[i].bid, v[i].cost_share,
		    &v[i].net) ||
		    __builtin_add_overflow(total_net, v[i].net, &total_net) ||
		    __builtin_add_overflow(total_bid, v[i].bid, &total_bid))
			goto toolarge;
	}
	adopt = total_net > 0;

	if (tax == CLARKE_PIVOT) {
		if (tax_pivot(v, n, total_net, adopt, &total_tax) == -1)
			goto toolarge;
	} else {
		if (tax_coalition(v, n, total_net, adopt, tax,
		    &total_tax) == -1)
			goto toolarge;
	}

	if (payout == CLARKE_PAYOUT_LOSERS_PRORATA) {
		if (payout_losers(v, n, adopt, total_tax) == -1)
			goto toolarge;
	}

	res->adopt = adopt;
	res->total_bid = total_bid;
	res->total_cost = cost;
	res->total_net = total_net;
	res->total_tax = total_tax;
	res->total_payout =
	    payout == CLARKE_PAYOUT_LOSERS_PRORATA ? total_tax : 0;
	return (0);

toolarge:
	*errstr = "the amounts are too large to tally exactly";
	return (-1);
}

int
clarke_tally(struct clarke_voter *v, size_t n, int64_t cost,
    enum clarke_tax tax, enum clarke_payout payout, struct clarke_result *res,
    const char **errstr)
{
	if (clarke_sort(v, n, NULL) == -1) {
		*errstr = "two bids have the same voter";
		return (-1);
	}
	/* clarke_sort() has seen them strictly ascending. */
	return (compute(v, n, cost, tax, payout, res, errstr));
}

/*
 * The published forms.
 */

/* A JSON string: quote, backslash and control characters escaped. */
static void
json_string(struct buf *b, const char *s)
{
	const char	*run;
	unsigned char	 c;

	buf_putc(b, '"');
	for (run = s; (c = (unsigned char)*s) != '\0'; s++) {
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			buf_printf(b, "\\u%04x", c);
			break;
		}
	}
	buf_append(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

/* ,"key":"-12.00" */
static void
json_amount(struct buf *b, const char *key, int64_t cents)
{
	char	 m[MONEY_STRLEN];

	money_format(cents, m);
	buf_printf(b, ",\"%s\":\"%s\"", key, m);
}

void
clarke_json_head(struct buf *b, const struct clarke_result *res)
{
	char	 m[MONEY_STRLEN];

	money_format(res->total_net, m);
	buf_printf(b, "{\"decision\":\"%s\",\"total_net\":\"%s\",\"voters\":[",
	    res->adopt ? "adopt" : "reject", m);
}

void
clarke_json_voter(struct buf *b, const struct clarke_voter *v, int first)
{
	buf_puts(b, first ? "\n{\"voter\":" : ",\n{\"voter\":");
	json_string(b, v->name);
	json_amount(b, "bid", v->bid);
	json_amount(b, "cost_share", v->cost_share);
	json_amount(b, "net", v->net);
	buf_puts(b, v->pivotal ? ",\"pivotal\":true" : ",\"pivotal\":false");
	json_amount(b, "tax", v->tax);
	json_amount(b, "payout", v->payout);
	if (v->receipt != NULL) {
		buf_puts(b, ",\"receipt\":");
		json_string(b, v->receipt);
	}
	buf_putc(b, '}');
}

void
clarke_json_tail(struct buf *b, const struct clarke_result *res)
{
	char	 t[MONEY_STRLEN], p[MONEY_STRLEN];

	money_format(res->total_tax, t);
	money_format(res->total_payout, p);
	buf_printf(b, "\n],\"total_tax\":\"%s\",\"total_payout\":\"%s\"}\n",
	    t, p);
}

void
clarke_json(struct buf *b, const struct clarke_voter *v, size_t n,
    const struct clarke_result *res)
{
	size_t	 i;

	clarke_json_head(b, res);
	for (i = 0; i < n; i++)
		clarke_json_voter(b, &v[i], i == 0);
	clarke_json_tail(b, res);
}

static void
csv_amount(struct buf *b, int64_t cents)
{
	char	 m[MONEY_STRLEN];

	money_format(cents, m);
	csv_field(b, m, strlen(m), 0);
}

void
clarke_csv_head(struct buf *b, int receipts)
{
	static const char *const cols[] = {
		"voter", "bid", "cost_share", "net", "pivotal", "tax",
		"payout", "receipt"
	};
	size_t	 i, ncols;

	ncols = sizeof(cols) / sizeof(cols[0]) - (receipts ? 0 : 1);
	for (i = 0; i < ncols; i++)
		csv_field(b, cols[i], strlen(cols[i]), i == 0);
	csv_endrow(b);
}

void
clarke_csv_voter(struct buf *b, const struct clarke_voter *v, int receipts)
{
	const char	*p;

	csv_field(b, v->name, strlen(v->name), 1);
	csv_amount(b, v->bid);
	csv_amount(b, v->cost_share);
	csv_amount(b, v->net);
	p = v->pivotal ? "yes" : "no";
	csv_field(b, p, strlen(p), 0);
	csv_amount(b, v->tax);
	csv_amount(b, v->payout);
	if (receipts) {
		p = v->receipt != NULL ? v->receipt : "";
		csv_field(b, p, strlen(p), 0);
	}
	csv_endrow(b);
}

void
clarke_csv_total(struct buf *b, const struct clarke_result *res,
    int receipts)
{
	csv_field(b, "TOTAL", 5, 1);
	csv_amount(b, res->total_bid);
	csv_amount(b, res->total_cost);
	csv_amount(b, res->total_net);
	csv_field(b, "", 0, 0);
	csv_amount(b, res->total_tax);
	csv_amount(b, res->total_payout);
	if (receipts)
		csv_field(b, "", 0, 0);
	csv_endrow(b);
}

void
clarke_csv(struct buf *b, const struct clarke_voter *v, size_t n,
    const struct clarke_result *res)
{
	size_t	 i;
	int	 receipts;

	receipts = 0;
	for (i = 0; i < n && !receipts; i++)
		receipts = v[i].receipt != NULL;
	clarke_csv_head(b, receipts);
	for (i = 0; i < n; i++)
		clarke_csv_voter(b, &v[i], receipts);
	clarke_csv_total(b, res, receipts);
}

/*
 * The bids reader.
 */

/* Reading stops after this many problems: enough to fix a file by. */
#define READER_ERRMAX	100
/* Bytes fed to libcsv at a time, so a field too long is seen early. */
#define READER_CHUNK	4096
/* Names live in chunks that never move, as voters hold pointers. */
#define NAMES_CHUNK	65536

struct names {
	struct names	*next;
	size_t		 used;
	size_t		 cap;
	char		 data[];
};

struct clarke_reader {
	struct csv_parser	 csv;
	void			(*error)(void *, unsigned long,
				    const char *);
	void			*arg;

	unsigned long		 line;	/* being fed, from 1 */
	unsigned long		 errors;
	int			 stopped;
	int			 header;	/* seen */
	size_t			 bom;	/* bytes of it matched */
	size_t			 col_voter;
	size_t			 col_bid;

	/* The row being read. */
	size_t			 nfields;
	unsigned long		 newlines;	/* inside its fields */
	struct buf		 field[2];

	struct clarke_voter	*v;
	size_t			 n;
	size_t			 cap;
	struct names		*names;
};

static void	 reader_error(struct clarke_reader *, unsigned long,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static void	 reader_stop(struct clarke_reader *, unsigned long,
		    const char *);
static void	 reader_field(void *, size_t, void *);
static void	 reader_row(int, void *);
static void	 reader_header(struct clarke_reader *);
static void	 reader_bid(struct clarke_reader *, unsigned long);
static int	 reader_parse(struct clarke_reader *, const char *, size_t);
static int	 cmp_line(const void *, const void *);
static void	 reader_repeats(struct clarke_reader *, size_t, size_t);
static const char *name_save(struct clarke_reader *, const char *, size_t);

static const unsigned char	bom[3] = { 0xef, 0xbb, 0xbf };

struct clarke_reader *
clarke_reader_new(void (*error)(void *, unsigned long, const char *),
    void *arg)
{
	struct clarke_reader	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		abort();
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	r->error = error;
	r->arg = arg;
	r->line = 1;
	buf_init(&r->field[0]);
	buf_init(&r->field[1]);
	return (r);
}

void
clarke_reader_free(struct clarke_reader *r)
{
	struct names	*c, *next;

	if (r == NULL)
		return;
	csv_free(&r->csv);
	buf_free(&r->field[0]);
	buf_free(&r->field[1]);
	for (c = r->names; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(r->v);
	free(r);
}

static void
reader_error(struct clarke_reader *r, unsigned long line, const char *fmt,
    ...)
{
	struct buf	 msg;
	va_list		 ap;

	if (r->stopped)
		return;
	r->errors++;
	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	r->error(r->arg, line, buf_cstr(&msg));
	buf_free(&msg);
	if (r->errors >= READER_ERRMAX)
		reader_stop(r, line, "too many problems; reading stops here");
}

/* A problem after which nothing more is read. */
static void
reader_stop(struct clarke_reader *r, unsigned long line, const char *msg)
{
	if (r->stopped)
		return;
	r->errors++;
	r->error(r->arg, line, msg);
	r->stopped = 1;
}

static void
reader_field(void *s, size_t len, void *arg)
{
	struct clarke_reader	*r = arg;
	const char		*p = s;
	size_t			 i;

	if (r->stopped)
		return;
	if (len > CLARKE_FIELD_MAX) {
		reader_stop(r, r->line, "a field is longer than 4096 bytes");
		return;
	}
	for (i = 0; i < len; i++)
		r->newlines += p[i] == '\n';
	if (r->nfields < 2) {
		buf_reset(&r->field[r->nfields]);
		buf_append(&r->field[r->nfields], p, len);
	}
	r->nfields++;
}

static void
reader_row(int c, void *arg)
{
	struct clarke_reader	*r = arg;
	unsigned long		 line;

	(void)c;
	if (r->stopped)
		return;
	/* The row ended on this line and spanned its quoted newlines. */
	line = r->line - r->newlines;
	if (!r->header)
		reader_header(r);
	else if (r->nfields != 2)
		reader_error(r, line, "expected 2 fields (voter,bid), "
		    "found %zu", r->nfields);
	else
		reader_bid(r, line);
	r->nfields = 0;
	r->newlines = 0;
}

static void
reader_header(struct clarke_reader *r)
{
	const char	*a, *b;

	r->header = 1;
	a = buf_cstr(&r->field[0]);
	b = buf_cstr(&r->field[1]);
	/* Both as long as their C strings: no NUL inside. */
	if (r->nfields == 2 && strlen(a) == r->field[0].len &&
	    strlen(b) == r->field[1].len) {
		if (!strcasecmp(a, "voter") && !strcasecmp(b, "bid")) {
			r->col_voter = 0;
			r->col_bid = 1;
			return;
		}
		if (!strcasecmp(a, "bid") && !strcasecmp(b, "voter")) {
			r->col_voter = 1;
			r->col_bid = 0;
			return;
		}
	}
	reader_stop(r, r->line - r->newlines,
	    "the first line must be the header voter,bid");
}

static void
reader_bid(struct clarke_reader *r, unsigned long line)
{
	struct clarke_voter	*v;
	struct buf		*name, *bid;
	const char		*errstr;
	int64_t			 cents;
	size_t			 i, newcap;
	int			 bad;

	name = &r->field[r->col_voter];
	bid = &r->field[r->col_bid];

	bad = 0;
	if (name->len == 0) {
		reader_error(r, line, "voter: a name is required");
		bad = 1;
	} else if (!utf8_valid(name->data, name->len, NULL)) {
		reader_error(r, line, "voter: the name is not valid UTF-8");
		bad = 1;
	} else {
		for (i = 0; i < name->len; i++) {
			if ((unsigned char)name->data[i] < 0x20 ||
			    name->data[i] == 0x7f)
				break;
		}
		if (i < name->len) {
			reader_error(r, line, "voter: the name holds a "
			    "control character");
			bad = 1;
		}
	}
	if (money_parse(bid->len > 0 ? bid->data : "", bid->len, &cents,
	    &errstr) == -1) {
		reader_error(r, line, "bid: %s", errstr);
		bad = 1;
	} else if (cents > MONEY_BID_MAX || cents < -MONEY_BID_MAX) {
		reader_error(r, line, "bid: at most 1000000000.00 either way");
		bad = 1;
	}
	if (bad)
		return;

	if (r->n == r->cap) {
		newcap = r->cap == 0 ? 1024 : r->cap * 2;
		if (newcap > SIZE_MAX / sizeof(*v))
			abort();
		if ((v = realloc(r->v, newcap * sizeof(*v))) == NULL)
			abort();
		r->v = v;
		r->cap = newcap;
	}
	v = &r->v[r->n++];
	memset(v, 0, sizeof(*v));
	v->name = name_save(r, name->data, name->len);
	v->bid = cents;
	v->aux = line;
}

static const char *
name_save(struct clarke_reader *r, const char *s, size_t len)
{
	struct names	*c;
	size_t		 cap;
	char		*p;

	c = r->names;
	if (c == NULL || c->cap - c->used < len + 1) {
		cap = len + 1 > NAMES_CHUNK ? len + 1 : NAMES_CHUNK;
		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			abort();
		c->next = r->names;
		c->used = 0;
		c->cap = cap;
		r->names = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return (p);
}

/* Feeds libcsv one line (or READER_CHUNK bytes) at a time. */
static int
reader_parse(struct clarke_reader *r, const char *p, size_t len)
{
	const char	*nl;
	size_t		 take;

	while (len > 0 && !r->stopped) {
		take = len < READER_CHUNK ? len : READER_CHUNK;
		if ((nl = memchr(p, '\n', take)) != NULL)
			take = (size_t)(nl - p) + 1;
		if (csv_parse(&r->csv, p, take, reader_field, reader_row,
		    r) != take) {
			reader_stop(r, r->line, csv_error(&r->csv) ==
			    CSV_EPARSE ? "misplaced quote" :
			    "out of memory");
			break;
		}
		if (r->csv.entry_pos > CLARKE_FIELD_MAX)
			reader_stop(r, r->line,
			    "a field is longer than 4096 bytes");
		if (nl != NULL)
			r->line++;
		p += take;
		len -= take;
	}
	return (r->stopped ? -1 : 0);
}

int
clarke_reader_feed(struct clarke_reader *r, const void *data, size_t len)
{
	const char	*p = data;

	/* A byte order mark, as some spreadsheets write, is not a name. */
	while (r->bom < sizeof(bom) && len > 0) {
		if ((unsigned char)*p != bom[r->bom]) {
			/* Not a mark after all: what matched is data. */
			if (reader_parse(r, (const char *)bom, r->bom) == -1)
				return (-1);
			r->bom = SIZE_MAX;
			break;
		}
		r->bom++;
		p++;
		len--;
	}
	return (reader_parse(r, p, len));
}

static int
cmp_line(const void *a, const void *b)
{
	const struct clarke_voter	*va = a, *vb = b;

	return (va->aux < vb->aux ? -1 : va->aux > vb->aux);
}

/* Voters [first, end) share a name: each after the first is an error. */
static void
reader_repeats(struct clarke_reader *r, size_t first, size_t end)
{
	size_t	 i;

	/* In line order, so the messages are too. */
	qsort(r->v + first, end - first, sizeof(r->v[0]), cmp_line);
	for (i = first + 1; i < end; i++)
		reader_error(r, (unsigned long)r->v[i].aux,
		    "voter: '%s' already bid on line %lu", r->v[i].name,
		    (unsigned long)r->v[first].aux);
}

int
clarke_reader_finish(struct clarke_reader *r)
{
	unsigned long	 line;
	size_t		 i, first;

	if (r->stopped)
		return (-1);
	if (r->bom != SIZE_MAX && r->bom < sizeof(bom) && r->bom > 0)
		(void)reader_parse(r, (const char *)bom, r->bom);
	if (!r->stopped && csv_fini(&r->csv, reader_field, reader_row,
	    r) != 0) {
		/* Name the line where the open quote is, not the last one. */
		line = r->line - r->newlines;
		for (i = 0; i < r->csv.entry_pos; i++)
			line -= r->csv.entry_buf[i] == '\n';
		reader_stop(r, line, "a quoted field is not closed");
	}
	if (r->stopped)
		return (-1);
	if (!r->header) {
		reader_error(r, 0, "the input is empty: the header voter,bid "
		    "is required");
		return (-1);
	}
	if (r->n == 0 && r->errors == 0) {
		reader_error(r, 0, "there are no bids");
		return (-1);
	}

	if (clarke_sort(r->v, r->n, NULL) == -1) {
		/* Report each repeat against the voter's first line. */
		for (first = 0, i = 1; i <= r->n; i++) {
			if (i < r->n && !strcmp(r->v[i].name,
			    r->v[first].name))
				continue;
			reader_repeats(r, first, i);
			first = i;
		}
	}
	return (r->errors > 0 ? -1 : 0);
}

unsigned long
clarke_reader_errors(const struct clarke_reader *r)
{
	return (r->errors);
}

struct clarke_voter *
clarke_reader_voters(struct clarke_reader *r, size_t *n)
{
	*n = r->n;
	return (r->v);
}
