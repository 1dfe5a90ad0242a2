/*
 * The tally of a proposal: claim it, give the server's parts when it holds
 * the proposal's key, open the bids from the board as anyone would
 * (core/bulletin.c), compute the result (core/clarke.c) and store it,
 * once.  The same code for the server's automatic tally (off its event
 * loop), for `factwiki proposal tally|verify`, and for the benchmark.
 */

#ifndef FW_STORE_TALLY_H
#define FW_STORE_TALLY_H

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/keeper.h"

/*
 * Claims the proposal that closed longest ago, is neither tallied nor
 * voided (nor claimed within the last minutes by a tally still running),
 * and has its parts in, and tallies it.  Returns 1 when it did something
 * (tallied it, or found parts wrong and gave the claim back), with lines
 * in log; 0 when none was due; -1 with err.
 */
int	store_tally_due(PGconn *, struct keeper *, struct buf *log,
	    struct buf *err);

/*
 * Tallies proposal slug now, which must be closed and not yet tallied.
 * Returns 0 with a line in log, or -1 with err.
 */
int	store_tally_slug(PGconn *, struct keeper *,
	    const char *slug, struct buf *log, struct buf *err);

/*
 * Checks proposal slug as `proposal verify --from` does, from the
 * database: its board (with the board key the master key makes, when it is the
 * proposal's), its parts and its published result.  Returns 0 when all
 * agree (a line in log), 1 when they do not (a line in err for each
 * disagreement), -1 with err.
 */
int	store_tally_verify(PGconn *, struct keeper *,
	    const char *slug, struct buf *log, struct buf *err);

#endif
