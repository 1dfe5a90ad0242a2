/*
 * The published result of a tally (referenda.md, "Command line"): the
 * JSON and CSV that `factwiki clarke` prints and the server stores.
 */

#ifndef FW_CLARKE_OUT_H
#define FW_CLARKE_OUT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/clarke.h"

/*
 * JSON: {"decision","total_net","voters":[{"voter","bid","cost_share",
 * "net","pivotal","tax","payout"[,"receipt"]}],"total_tax","total_payout"},
 * one voter a line.  CSV: voter,bid,cost_share,net,pivotal,tax,payout
 * [,receipt], pivotal "yes" or "no", then a TOTAL row with the totals of
 * the amount columns and pivotal empty.  The receipt column is there when
 * receipts is set (clarke_csv: when any voter has one).  Names must be
 * valid UTF-8 for the JSON to be.
 *
 * A voter on the roll who did not bid has bid null (JSON) or empty (CSV),
 * cost share, net and tax 0.00, pivotal false, and their payout; the
 * TOTAL row's bid and cost share are the sums of their columns.  Such a
 * CSV, cut to its voter and bid columns, is what `factwiki clarke --roll`
 * reads.
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

#endif
