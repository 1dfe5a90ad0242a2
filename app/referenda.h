/*
 * Referenda in the server: what keys.c, tally.c, proposals.c, bids.c and
 * results.c share.
 */

#ifndef FW_REFERENDA_H
#define FW_REFERENDA_H

#include "core/buf.h"
#include "core/keeper.h"
#include "fw.h"

/* ---- keys.c: the master key, held by key keepers ---- */

/*
 * In the parent, before any worker starts: reads the key file (making it
 * on the first start), warns of the proposals that need another key, and
 * starts the key keepers.
 */
void			 keys_make(void);
/* What a request that needs the key is told when its keeper is gone. */
#define KEEPER_GONE_MESSAGE	"the server's key keeper did not answer: " \
				    "try again in a moment"
/* In a worker: its keeper, which answers core/keeper.h's messages. */
void			 keys_init(void);
struct keeper		*keys_keeper(void);
const char		*keys_master_id(void);
const unsigned char	*keys_board_pk(void);

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
