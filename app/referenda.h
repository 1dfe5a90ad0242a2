/*
 * Referenda in the server: what keys.c, tally.c, proposals.c, bids.c and
 * results.c share.
 */

#ifndef FW_REFERENDA_H
#define FW_REFERENDA_H

#include "core/buf.h"
#include "fw.h"

/* ---- keys.c: the master key ---- */

/*
 * In the parent, before any worker starts: makes the key file on the first
 * start, and stops the start when it is missing or not the proposals' key.
 */
void			 keys_make(void);
/*
 * Loads the master key in a worker and checks it against the database
 * (the parent made and checked it before the workers started); a worker
 * without it stops the server.
 */
void			 keys_init(void);
const unsigned char	*keys_master(void);

/* ---- tally.c ---- */

/* Starts the timer that tallies proposals as they close. */
void	tally_init(void);

/* ---- proposals.c ---- */

/*
 * Starts (from a handler) or chains (from a done callback) the proposal
 * page of slug, with its voter's own bid opened, sent with status;
 * bid_error (may be NULL) says what was wrong with the bid just posted.
 */
int	proposal_page(struct http_request *, const char *slug, int status,
	    const char *bid_error);

/* ---- bids.c ---- */

/*
 * Turns the sealed bid that api.sealed_bid() gave (a member of doc) into
 * what its voter sees: {bid, receipt, placed_at}, opened and checked as
 * the tally does (seal_bid_reveal()).  Returns 0, or -1 after logging why
 * it cannot be opened (never with an amount).
 */
int	bid_reveal(json_t *sealed);

#endif
