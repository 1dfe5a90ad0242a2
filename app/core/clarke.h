/*
 * The Clarke-tax tally of a referendum (referenda.md, "Tally";
 * referenda-trust.md, "Electorate and cost shares"): exact arithmetic on
 * int64_t minor units, the same for the server and for `factwiki clarke`.
 * No I/O, no database.
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

/*
 * The tax rules and the payout rules (referenda.md, "Tally"), each an
 * entry of clarke_tax_rules[] or clarke_payout_rules[], in
 * core/clarke_rules.c: its name as the contract, the API and the command
 * line spell it, the function that applies it, and the words that explain
 * it.  Everything else that lists the rules (the database's tables, the
 * forms and pages, the OpenAPI document, messages and usage) is made from
 * those tables.
 */
enum clarke_tax {
	CLARKE_PIVOT,
	CLARKE_COALITION_EQUAL,
	CLARKE_COALITION_PRORATA,
	CLARKE_TAX__MAX
};

enum clarke_payout {
	CLARKE_PAYOUT_NONE,
	CLARKE_PAYOUT_LOSERS_PRORATA,
	CLARKE_PAYOUT_REDISTRIBUTE,
	CLARKE_PAYOUT__MAX
};

/*
 * The rules of a proposal that names none; the payout rule is none
 * instead for a tax rule that the default does not follow
 * (clarke_payout_default()).
 */
#define CLARKE_TAX_DEFAULT	CLARKE_PIVOT
#define CLARKE_PAYOUT_DEFAULT	CLARKE_PAYOUT_REDISTRIBUTE

/* Every tax rule, as a set of bits (1 << tax). */
#define CLARKE_TAXES_ALL	((1u << CLARKE_TAX__MAX) - 1)

/*
 * One voter.  The caller fills name (NUL-terminated, compared bytewise
 * with strcmp), bid or abstain, and optionally receipt; the tally fills
 * the rest.
 *
 * abstain: on the voter roll without a bid (bid is not read).  The cost
 * is split over every voter given, abstainers too, so that staying out
 * changes no one's share; an abstainer pays no share of it, counts with
 * net value 0, is never pivotal and pays no tax, and may get a payout
 * (redistribute's rebate).  Without a roll, give only those who bid.
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
	int64_t		 cost_share;	/* what the voter pays if adopted */
	int64_t		 net;
	int64_t		 tax;
	int64_t		 payout;
	uint64_t	 aux;
	int		 pivotal;
	int		 abstain;
};

/*
 * What a proposal states for its tally.  Every bid must lie in
 * [-max_bid, max_bid] (checked; max_bid >= 1): the contract's proposals
 * have 1 <= max_bid <= MONEY_BID_MAX, and redistribute's rebates are
 * computed from that range.
 */
struct clarke_terms {
	int64_t			 cost;
	enum clarke_tax		 tax;
	enum clarke_payout	 payout;
	int64_t			 max_bid;
};

struct clarke_result {
	int		 adopt;
	int64_t		 total_bid;	/* of those who bid */
	int64_t		 total_cost;	/* sum of cost shares: the cost, but
					   for the shares of abstainers */
	int64_t		 total_net;
	int64_t		 total_tax;
	int64_t		 total_payout;
	int64_t		 total_surplus;	/* total_tax - total_payout: what
					   no voter gets back */
};

/*
 * A rule.  apply() gets the voters with their cost shares and net values,
 * the terms, and the result with the decision and totals so far.  A tax
 * rule sets each voter's tax and pivotal, and total_tax; a payout rule
 * (after the tax rule) each voter's payout, and total_payout.  Each
 * returns 0, or -1 when the amounts are too large to share out exactly.
 *
 * A payout rule follows only the tax rules in taxes (a bit 1 << tax
 * each), and says why not in misfit to anyone who chooses another.
 */
struct clarke_rule {
	const char	*name;		/* lowercase words joined by "-" */
	int		(*apply)(struct clarke_voter *, size_t,
			    const struct clarke_terms *,
			    struct clarke_result *);
	const char	*summary;	/* a sentence or two, for forms */
	const char	*explanation;	/* Markdown, for a proposal's page */
	const char	*pivotal;	/* tax rules: who is pivotal, and why */
	unsigned	 taxes;		/* payout rules */
	const char	*misfit;	/* when not every tax rule is */
};

extern const struct clarke_rule	clarke_tax_rules[CLARKE_TAX__MAX];
extern const struct clarke_rule	clarke_payout_rules[CLARKE_PAYOUT__MAX];

/*
 * Rules by name ("pivot", ..., "losers-prorata"): find gives the index in
 * rules[n], or -1 (for NULL too); parse 0 and the rule, or -1 for none such.
 */
int		 clarke_rule_find(const struct clarke_rule *, size_t n,
		    const char *);
int		 clarke_tax_parse(const char *, enum clarke_tax *);
int		 clarke_payout_parse(const char *, enum clarke_payout *);
const char	*clarke_tax_name(enum clarke_tax);
const char	*clarke_payout_name(enum clarke_payout);

/*
 * Whether a known tax rule and a known payout rule go together: NULL
 * when they do, else why not, a message fit for a user (the payout
 * rule's misfit).
 */
const char	*clarke_rules_check(enum clarke_tax, enum clarke_payout);

/* The payout rule of a proposal with this tax rule that names none. */
enum clarke_payout	clarke_payout_default(enum clarke_tax);

/*
 * The names of n rules, between each two sep and before the last last:
 * "pivot, coalition-equal or coalition-prorata" (", ", " or "),
 * "none|losers-prorata" ("|", "|").
 */
void	clarke_rule_names(struct buf *, const struct clarke_rule *, size_t n,
	    const char *sep, const char *last);

/*
 * Sorts voters by ascending name (byte order).  Returns 0, or -1 when two
 * voters share a name; *dup (when not NULL) is then the index, after the
 * sort, of the second of them.  Uses 24 bytes a voter for the while, or
 * sorts more slowly in place if they cannot be had.
 */
int	clarke_sort(struct clarke_voter *, size_t n, size_t *dup);

/*
 * Tallies voters already in strictly ascending name order (checked)
 * under terms.  Returns 0, or -1 with *errstr set to a message fit for a
 * user: no voters, cost out of [0, CLARKE_COST_MAX], rules unknown or
 * that do not go together, max_bid below 1 or a bid beyond it, voters
 * out of order or repeated, amounts too large to tally exactly.  O(n)
 * time; no memory beyond the voters but some 64 KB of stack.  On failure
 * the voters' results are undefined.
 */
int	clarke_compute(struct clarke_voter *, size_t n,
	    const struct clarke_terms *, struct clarke_result *,
	    const char **errstr);

/* clarke_sort(), then clarke_compute(): voters may come in any order. */
int	clarke_tally(struct clarke_voter *, size_t n,
	    const struct clarke_terms *, struct clarke_result *,
	    const char **errstr);

#endif
