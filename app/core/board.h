/*
 * The public bulletin board of a proposal (referenda-trust.md, "Bulletin
 * board"): every accepted bid is an entry chained to the one before it
 * and signed by the server's Ed25519 board key.
 *
 *	hash = H("factwiki board entry"; ctx, seq, voter, at, ciphertext,
 *	    prev)
 *
 * (transcript.h), seq as 8 big-endian bytes, voter and at as the text the
 * board publishes, prev the hash of entry seq-1 or 32 zero bytes for the
 * first; signature = Ed25519(board key, hash).  A receipt is (seq, hash,
 * signature): whoever holds one can show that the server accepted that
 * bid, and that every entry before it stood as it does.  No I/O.
 */

#ifndef FW_BOARD_H
#define FW_BOARD_H

#include <stddef.h>
#include <stdint.h>

#define BOARD_HASHBYTES		32
#define BOARD_SIGBYTES		64
#define BOARD_PUBLICBYTES	32
#define BOARD_SECRETBYTES	64

struct board_entry {
	uint64_t		 seq;
	const char		*voter;
	const char		*at;
	const unsigned char	*ciphertext;
	size_t			 ciphertext_len;
	unsigned char		 prev[BOARD_HASHBYTES];
};

/* The board's signing key, derived from the server's 32-byte master key. */
void	board_key(const unsigned char master[32],
	    unsigned char pk[BOARD_PUBLICBYTES],
	    unsigned char sk[BOARD_SECRETBYTES]);

void	board_hash(const unsigned char ctx[32], const struct board_entry *,
	    unsigned char hash[BOARD_HASHBYTES]);
void	board_sign(const unsigned char sk[BOARD_SECRETBYTES],
	    const unsigned char hash[BOARD_HASHBYTES],
	    unsigned char sig[BOARD_SIGBYTES]);
/* 0 when sig is the board key pk's signature of hash, else -1. */
int	board_verify(const unsigned char pk[BOARD_PUBLICBYTES],
	    const unsigned char hash[BOARD_HASHBYTES],
	    const unsigned char sig[BOARD_SIGBYTES]);

#endif
