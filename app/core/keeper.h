/*
 * What may be done with the master key, as messages: sign a board entry,
 * make a proposal's bid key, open one bid for its voter, give the
 * server's part of a bid at the tally.  The server's key keeper answers
 * them in a process of its own, so that no worker ever holds the key
 * (keys.c); the command line answers them in its own process.  Every
 * message has one size; an answer carries the id of its request.
 *
 * No I/O.
 */

#ifndef FW_KEEPER_H
#define FW_KEEPER_H

#include <stdint.h>

#include "core/board.h"
#include "core/elgamal.h"
#include "core/seal.h"

enum keeper_op {
	KEEPER_SIGN = 1,	/* in: hash; out: signature */
	KEEPER_NEWKEY,		/* out: y, wrapped */
	KEEPER_SHARED,		/* in: wrapped, y, ct; out: key (x*R) */
	KEEPER_PART,		/* in: ctx, wrapped, y, ct; out: part, proof */
};

enum keeper_status {
	KEEPER_OK = 0,
	KEEPER_BAD,		/* not a request */
	KEEPER_NOTOURS,		/* the wrapped key does not open with ours */
	KEEPER_UNUSABLE,	/* the bid's point is not usable */
	KEEPER_GONE,		/* no answer came (the caller's own) */
};

struct keeper_req {
	uint64_t	 id;
	uint32_t	 op;
	unsigned char	 data[32];	/* a hash, or a context */
	unsigned char	 wrapped[EG_WRAPPEDBYTES];
	unsigned char	 y[EG_POINTBYTES];
	unsigned char	 ct[EG_BIDBYTES];
};

struct keeper_resp {
	uint64_t	 id;
	uint32_t	 status;
	unsigned char	 out[EG_POINTBYTES + EG_WRAPPEDBYTES];
};

/*
 * Who answers: call sends req and fills resp.  master_id and board_pk
 * are public; master and board_sk are set only where the key is.
 */
struct keeper {
	char		 master_id[SEAL_KEYID_STRLEN];
	unsigned char	 board_pk[BOARD_PUBLICBYTES];
	unsigned char	 master[SEAL_MASTERBYTES];
	unsigned char	 board_sk[BOARD_SECRETBYTES];
	void		(*call)(struct keeper *, const struct keeper_req *,
			    struct keeper_resp *);
	void		*arg;
};

/* A keeper in this process, holding master. */
void	keeper_local(struct keeper *,
	    const unsigned char master[SEAL_MASTERBYTES]);
/* Its public part only, for a keeper that calls another process. */
void	keeper_public(struct keeper *);
void	keeper_clear(struct keeper *);

/*
 * The answer to len bytes of a request, with k's key: KEEPER_BAD for
 * anything that is not a whole request.
 */
void	keeper_answer(const struct keeper *, const void *req, size_t len,
	    struct keeper_resp *);

/* Each op through k->call: 0, or the keeper_status that refused it. */
int	keeper_sign(struct keeper *, const unsigned char hash[BOARD_HASHBYTES],
	    unsigned char sig[BOARD_SIGBYTES]);
int	keeper_newkey(struct keeper *, unsigned char y[EG_POINTBYTES],
	    unsigned char wrapped[EG_WRAPPEDBYTES]);
int	keeper_shared(struct keeper *,
	    const unsigned char wrapped[EG_WRAPPEDBYTES],
	    const unsigned char y[EG_POINTBYTES],
	    const unsigned char ct[EG_BIDBYTES],
	    unsigned char key[EG_POINTBYTES]);
int	keeper_part(struct keeper *, const unsigned char ctx[32],
	    const unsigned char wrapped[EG_WRAPPEDBYTES],
	    const unsigned char y[EG_POINTBYTES],
	    const unsigned char ct[EG_BIDBYTES],
	    unsigned char d[EG_POINTBYTES],
	    unsigned char proof[EG_PROOFBYTES]);

#endif
