/*
 * The Clarke-tax tally of a referendum (referenda.md, "Tally"): exact
 * arithmetic on int64_t minor units, the same for the server and for
 * `factwiki clarke`.  No I/O, no database.
 *
 * Bounds.  With n <= CLARKE_VOTERS_MAX, |bid| <= MONEY_BID_MAX and
 * 0 <= cost <= CLARKE_COST_MAX no step can overflow: every sum the tally
 * forms is bounded by sum |bid| + cost <= 10^7 * 10^11 + INT64_MAX / 4
 * < INT64_MAX / 2, and the pro-rata products T * |v_i| < 2^126 are formed
 * in 128 bits.  Outside those bounds every step is still checked, and a
 * tally that cannot be done exactly fails instead of giving wrong numbers.
 */

#ifndef FW_CLARKE_H
#define FW_CLARKE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Largest total cost of a proposal, in minor units. */
#define CLARKE_COST_MAX		(INT64_MAX / 4)
/* Voters for which the bounds above are proven; not enforced. */
#define CLARKE_VOTERS_MAX	10000000
/* Longest voter name or bid field the bids reader accepts, in bytes. */
#define CLARKE_FIELD_MAX	4096

enum clarke_tax {
	CLARKE_PIVOT,
	CLARKE_COALITION_EQUAL,
	CLARKE_COALITION_PRORATA
};

enum clarke_payout {
	CLARKE_PAYOUT_NONE,
	CLARKE_PAYOUT_LOSERS_PRORATA
};

/*
 * One voter.  The caller fills name (NUL-terminated, compared bytewise
 * with strcmp), bid and optionally receipt; the tally fills the rest.
 *
 * pivotal: under pivot, removing this voter alone changes the decision.
 * Under the coalition rules, the voter is on the winning side W and W as
 * a whole is pivotal (without W the decision would change), which is
 * exactly when W owes a group tax, save the edge O = 0 on adoption where
 * W is pivotal but T = 0.  Either way a voter who is not pivotal pays 0.
 *
 * aux belongs to the caller until the tally, which uses it as scratch;
 * clarke_sort() moves it along with its voter (the bids reader keeps
 * input line numbers there).
 */
struct clarke_voter {
	const char	*name;
	const char	*receipt;	/* written out when not NULL */
	int64_t		 bid;
	int64_t		 cost_share;
	int64_t		 net;
	int64_t		 tax;
	int64_t		 payout;
	uint64_t	 aux;
	int		 pivotal;
};

struct clarke_result {
	int		 adopt;
	int64_t		 total_bid;
	int64_t		 total_cost;	/* the cost: sum of cost shares */
	int64_t		 total_net;
	int64_t		 total_tax;
	int64_t		 total_payout;
};

/* The command line names: "pivot", ..., "losers-prorata".  0 or -1. */
int		 clarke_tax_parse(const char *, enum clarke_tax *);
int		 clarke_payout_parse(const char *, enum clarke_payout *);
const char	*clarke_tax_name(enum clarke_tax);
const char	*clarke_payout_name(enum clarke_payout);

/*
 * Sorts voters by ascending name (byte order).  Returns 0, or -1 when two
 * voters share a name; *dup (when not NULL) is then the index, after the
 * sort, of the second of them.  Uses 24 bytes a voter for the while, or
 * sorts more slowly in place if they cannot be had.
 */
int	clarke_sort(struct clarke_voter *, size_t n, size_t *dup);

/*
 * Tallies voters already in strictly ascending name order (checked).
 * Returns 0, or -1 with *errstr set to a message fit for a user: no
 * voters, cost out of [0, CLARKE_COST_MAX], voters out of order or
 * repeated, amounts too large to tally exactly.  O(n) time; no memory
 * beyond the voters but some 64 KB of stack.  On failure the voters'
 * results are undefined.
 */
int	clarke_compute(struct clarke_voter *, size_t n, int64_t cost,
	    enum clarke_tax, enum clarke_payout, struct clarke_result *,
	    const char **errstr);

/* clarke_sort(), then clarke_compute(): voters may come in any order. */
int	clarke_tally(struct clarke_voter *, size_t n, int64_t cost,
	    enum clarke_tax, enum clarke_payout, struct clarke_result *,
	    const char **errstr);

/*
 * The published result.  JSON: {"decision","total_net","voters":[{"voter",
 * "bid","cost_share","net","pivotal","tax","payout"[,"receipt"]}],
 * "total_tax","total_payout"}, one voter a line.  CSV: voter,bid,
 * cost_share,net,pivotal,tax,payout[,receipt], pivotal "yes" or "no", then
 * a TOTAL row with the totals of the amount columns and pivotal empty.
 * The receipt column is there when receipts is set (clarke_csv: when any
 * voter has one).  Names must be valid UTF-8 for the JSON to be.
 *
 * The parts let a caller flush between voters; first is 1 for the first.
 */
void	clarke_json(struct buf *, const struct clarke_voter *, size_t,
	    const struct clarke_result *);
void	clarke_json_head(struct buf *, const struct clarke_result *);
void	clarke_json_voter(struct buf *, const struct clarke_voter *,
	    int first);
void	clarke_json_tail(struct buf *, const struct clarke_result *);

void	clarke_csv(struct buf *, const struct clarke_voter *, size_t,
	    const struct clarke_result *);
void	clarke_csv_head(struct buf *, int receipts);
void	clarke_csv_voter(struct buf *, const struct clarke_voter *,
	    int receipts);
void	clarke_csv_total(struct buf *, const struct clarke_result *,
	    int receipts);

/*
 * Reading bids as `factwiki clarke` takes them: CSV with a header naming
 * the columns voter and bid (any case, either order), one bid a row.
 * Names must be non-empty UTF-8 without control characters; bids are
 * money_parse() amounts with |bid| <= MONEY_BID_MAX.  Each problem goes to
 * the error callback with its physical line (0: the whole input), and
 * reading goes on with the next row where it can.
 */
struct clarke_reader;

struct clarke_reader	*clarke_reader_new(void (*error)(void *,
			    unsigned long, const char *), void *arg);
void			 clarke_reader_free(struct clarke_reader *);

/* Any split of the input.  0, or -1 when reading cannot go on. */
int	clarke_reader_feed(struct clarke_reader *, const void *, size_t);

/*
 * Ends the input, then sorts the voters and reports repeated names.
 * Returns 0 when the whole input was good, else -1.
 */
int	clarke_reader_finish(struct clarke_reader *);

unsigned long	clarke_reader_errors(const struct clarke_reader *);

/*
 * The voters read, owned by the reader (their names too); sorted by name
 * after clarke_reader_finish().
 */
struct clarke_voter	*clarke_reader_voters(struct clarke_reader *,
			    size_t *n);

#endif
