/*
 * The tally of a proposal: claim it, open its sealed bids with the master
 * key, compute the result (core/clarke.c) and store it, once.  The same
 * code for the server's automatic tally (off its event loop), for
 * `factwiki proposal tally|verify`, and for the benchmark.
 */

#ifndef FW_STORE_TALLY_H
#define FW_STORE_TALLY_H

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/seal.h"

/*
 * Claims the proposal that closed longest ago and is not tallied (nor
 * claimed within the last minutes by a tally still running), and tallies
 * it.  Returns 1 when it tallied one, with a line in log; 0 when none was
 * due, or another tally stored the result first; -1 with err.
 */
int	store_tally_due(PGconn *, const unsigned char *master, struct buf *log,
	    struct buf *err);

/*
 * Tallies proposal slug now, which must be closed and not yet tallied.
 * Returns 0 with a line in log, or -1 with err.
 */
int	store_tally_slug(PGconn *, const unsigned char *master,
	    const char *slug, struct buf *log, struct buf *err);

/*
 * Computes the result of tallied proposal slug again from its sealed bids
 * and compares it with the stored one.  Returns 0 when they are the same
 * (a line in log), 1 when they differ (err says where), -1 with err.
 */
int	store_tally_verify(PGconn *, const unsigned char *master,
	    const char *slug, struct buf *log, struct buf *err);

#endif
