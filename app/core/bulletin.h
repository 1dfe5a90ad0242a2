/*
 * Reading a proposal's bulletin board (referenda-trust.md) as anyone may:
 * the one check of its key set-up, chain, signatures and trustees' parts,
 * and the one opening of its bids.  The server's tally and `factwiki
 * proposal verify` both go through it, so that what the server counts is
 * exactly what a verifier can count again from public data.
 *
 * The board document (GET /api/v1/proposals/{slug}/board):
 *
 *	{"proposal", "readers": "trustees"|"operator", "threshold",
 *	 "trustees": [{"index", "name", "public_key", "dealing", "ack"}],
 *	 "bid_key", "board_key", "max_bid", "electorate", "roll",
 *	 "entries": [{"seq", "voter", "at", "ciphertext", "prev", "hash",
 *	     "signature"}],
 *	 "parts": [{"index", "trustee", "parts": [{"seq", "part", "proof"}]}]}
 *
 * Keys, ciphertexts, parts, proofs and signatures are base64; hashes hex.
 * The proposal's context (dkg_context()) is not published: every reader
 * makes it from the proposal, threshold and trustees.  A proposal read by the operator has no trustees, a
 * threshold of 1 and the server's part as index 1.  No I/O.
 */

#ifndef FW_BULLETIN_H
#define FW_BULLETIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/board.h"
#include "core/buf.h"
#include "core/clarke.h"
#include "core/dkg.h"
#include "core/elgamal.h"

/* The bid that counts for a voter: the last of their entries. */
struct bulletin_bid {
	const char	*voter;		/* the document's */
	uint64_t	 seq;
	char		 receipt[2 * BOARD_HASHBYTES + 1];
	unsigned char	 ct[EG_BIDBYTES];
	int		 valid;		/* 1 opened, -1 not, 0 not yet */
	const char	*why;		/* when not valid */
	int64_t		 amount;
};

/* A holder of a share: a trustee, or the operator (index 1, no name). */
struct bulletin_trustee {
	const char	*name;
	unsigned char	 pub[TK_PUBLICBYTES];
	const unsigned char *dealing;		/* into the board's bytes */
	unsigned char	 yj[EG_POINTBYTES];	/* its verification key */
	int		 acked;
	int		 parts;		/* 1 all correct, -1 not, 0 none */
	const char	*parts_why;
	unsigned char	(*d)[EG_POINTBYTES];	/* its part of each bid */
};

struct bulletin {
	const char		*slug;
	int			 operator_reads;
	unsigned		 k, n;
	unsigned		 holders;	/* n, or 1: the operator */
	struct bulletin_trustee	 t[DKG_TRUSTEES_MAX];
	unsigned char		*bytes;		/* the dealings, decoded */
	unsigned char		 ctx[32];
	unsigned char		 y[EG_POINTBYTES];
	int			 has_key;	/* y is set and checks */
	unsigned char		 board_pk[BOARD_PUBLICBYTES];
	int64_t			 max_bid;
	const json_t		*roll;		/* names; NULL: an open poll */
	uint64_t		 entries;
	char			 head[2 * BOARD_HASHBYTES + 1];	/* or "" */
	struct bulletin_bid	*bids;		/* in the order of seq */
	size_t			 nbids;
	size_t			 opened;	/* bids opened, valid or not */
	/* One line a disagreement: the board's entries, parts, set-up. */
	struct buf		 problems;
	size_t			 nproblems;
};

/*
 * Reads board (kept: the bulletin points into it) and checks everything
 * but the parts: the dealings and acknowledgements (or the
 * operator's key), the chain of entries and their signatures by board_pk
 * (the key the reader trusts for this site).  A bid whose entry does not
 * check is not counted; each problem is a line of problems.  Returns 0,
 * or -1 when board is not a board document at all (problems says why).
 */
int	bulletin_read(struct bulletin *, const json_t *board,
	    const unsigned char board_pk[BOARD_PUBLICBYTES]);

/*
 * Checks the parts of the board and, when at least k trustees gave a
 * correct part for every counted bid, opens every bid: valid, or invalid
 * with why.  A trustee's parts that do not check are set aside, with a
 * line in problems naming the trustee and the first bad part (t[i].parts
 * and t[i].parts_why say the same for each holder).  Returns
 * the number of trustees whose parts are all correct; the bids are
 * opened iff it is at least k.
 */
unsigned	bulletin_open(struct bulletin *, const json_t *board);

/*
 * The result of a board whose bids are opened: the valid bids tallied
 * under cost and the rules (core/clarke.c), with the voters of the roll
 * who have none as abstaining (a bid by a voter off the roll is invalid),
 * each voter with its receipt
 * (the hex hash of its entry), as the JSON and CSV that are published:
 * clarke_out.h's, with the JSON's object ending in
 *
 *	"invalid": [{"voter", "seq", "receipt", "reason"}],
 *	"board": {"entries", "head", "problems": ["..."]}
 *
 * head being the hash of the last entry.  Returns 0, or -1 with *errstr
 * when the tally cannot be done.
 */
int	bulletin_result(struct bulletin *, int64_t cost, enum clarke_tax,
	    enum clarke_payout, struct clarke_result *, struct buf *json,
	    struct buf *csv, const char **errstr);

/*
 * Where a published result and the one computed again from the board
 * differ: a line in out for each, naming the voter or the member.
 * Returns how many.
 */
size_t	bulletin_compare(const json_t *published, const json_t *again,
	    struct buf *out);

/*
 * Everything `factwiki proposal verify` checks, from public documents
 * alone: board, read with the trusted board_pk, and proposal (GET
 * /api/v1/proposals/{slug}: cost, rules, result).  The board's problems,
 * then the result computed again and compared, one line each in out.
 * Returns the number of lines: 0 when all agree.
 */
size_t	bulletin_verify(const json_t *board,
	    const unsigned char board_pk[BOARD_PUBLICBYTES],
	    const json_t *proposal, struct buf *out);

void	bulletin_free(struct bulletin *);

/*
 * Base64 (the original alphabet, with padding) of exactly len bytes into
 * out.  Returns 0, or -1 when s is not that.
 */
int	bulletin_b64(const char *s, unsigned char *out, size_t len);

#endif
