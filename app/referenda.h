/*
 * Referenda in the server: what keys.c, tally.c, proposals.c, bids.c and
 * results.c share.
 */

#ifndef FW_REFERENDA_H
#define FW_REFERENDA_H

#include "core/buf.h"
#include "fw.h"

/* ---- keys.c: the master key, and the board key derived from it ---- */

/*
 * In the parent, before any worker starts: makes the key file on the first
 * start, and warns of the proposals that need another key.
 */
void			 keys_make(void);
/* Loads the master key and the board key in a worker. */
void			 keys_init(void);
const unsigned char	*keys_master(void);
const char		*keys_master_id(void);
const unsigned char	*keys_board_pk(void);
const unsigned char	*keys_board_sk(void);

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

/*
 * Admits a form's POST to /proposals/{slug}/...: 1 with the slug and the
 * form read, else 0 after answering (how: what the 405 page says).
 */
int	proposal_form(struct http_request *, char *slug, size_t,
	    const char *how);

/*
 * User names separated by commas, spaces or lines, as a JSON array; NULL
 * after a message for field in errors ({field: why}).
 */
json_t	*names_parse(const char *, const char *field, json_t *errors);

/* ---- bids.c ---- */

/*
 * Turns the voter's entry that api.own_entry() gave into what its voter
 * sees: the amount (bid, and bid_pad, the spaces that make every amount
 * as wide as the widest) when the operator's key opens it, else a null
 * bid; never what it took to open it.  Returns 0, or -1 after logging why
 * it cannot be opened (never with an amount).
 */
int	bid_reveal(json_t *own);

#endif
