/*
 * Sealed bids (referenda.md, "Sealing").  Each proposal has its own X25519
 * key pair; a bid is only ever stored as crypto_box_seal() ciphertext of
 * (voter id, amount, nonce) to the proposal's public key.  The proposal's
 * secret key is stored only wrapped (crypto_secretbox) under the server's
 * master key, which lives in a file outside the database.
 *
 * A bid's plaintext is SEAL_PLAINBYTES: "FWB1", the voter id and the amount
 * as 64-bit big-endian integers, and 16 random bytes.  Its fixed size keeps
 * the ciphertext's length from saying anything about the amount.  The
 * voter id inside binds the ciphertext to its voter: whoever can write to
 * the database cannot move a bid from one voter to another unnoticed.
 *
 * No I/O: the callers read and write files and databases.
 */

#ifndef FW_SEAL_H
#define FW_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_MASTERBYTES	32	/* crypto_secretbox_KEYBYTES */
#define SEAL_PUBLICBYTES	32	/* crypto_box_PUBLICKEYBYTES */
#define SEAL_SECRETBYTES	32	/* crypto_box_SECRETKEYBYTES */
/* nonce, MAC and secret key */
#define SEAL_WRAPPEDBYTES	(24 + 16 + SEAL_SECRETBYTES)
#define SEAL_PLAINBYTES		(4 + 8 + 8 + 16)
/* + the ephemeral public key and the MAC of crypto_box_seal() */
#define SEAL_BIDBYTES		(SEAL_PLAINBYTES + 48)
/* Hex of 16 bytes, and of 32, with their NULs. */
#define SEAL_KEYID_STRLEN	33
#define SEAL_RECEIPT_STRLEN	65
/* The key file: the master key in hex and a newline. */
#define SEAL_KEYFILE_LEN	(2 * SEAL_MASTERBYTES + 1)

/*
 * A new random master key, and the text of its key file
 * (SEAL_KEYFILE_LEN bytes, no NUL).
 */
void	seal_master_new(unsigned char master[SEAL_MASTERBYTES]);
void	seal_master_format(const unsigned char master[SEAL_MASTERBYTES],
	    char text[SEAL_KEYFILE_LEN]);

/*
 * A key file's text: 64 hex digits, then an optional newline.  Returns
 * 0, or -1 with *errstr set to a message naming what is wrong.
 */
int	seal_master_parse(const char *text, size_t len,
	    unsigned char master[SEAL_MASTERBYTES], const char **errstr);

/*
 * The master key's id: hex of a keyed BLAKE2b of a constant.  It names
 * the key (in the database, in messages) without revealing it.
 */
void	seal_master_id(const unsigned char master[SEAL_MASTERBYTES],
	    char id[SEAL_KEYID_STRLEN]);

/*
 * A new key pair for a proposal: the public key, and the secret key
 * wrapped under master.  The secret key itself never leaves.
 */
void	seal_keypair(const unsigned char master[SEAL_MASTERBYTES],
	    unsigned char pk[SEAL_PUBLICBYTES],
	    unsigned char wrapped[SEAL_WRAPPEDBYTES]);

/*
 * The secret key of a proposal, unwrapped with master and checked
 * against the proposal's public key.  Returns 0, or -1 when master is
 * not the key it was wrapped under, the wrapping was altered, or it
 * belongs to another public key.  Wipe sk with sodium_memzero() after use.
 */
int	seal_unwrap(const unsigned char master[SEAL_MASTERBYTES],
	    const unsigned char wrapped[SEAL_WRAPPEDBYTES],
	    const unsigned char pk[SEAL_PUBLICBYTES],
	    unsigned char sk[SEAL_SECRETBYTES]);

/* Seals (voter, amount, a random nonce) to pk. */
void	seal_bid(const unsigned char pk[SEAL_PUBLICBYTES], int64_t voter,
	    int64_t amount, unsigned char ct[SEAL_BIDBYTES]);

/*
 * Opens a sealed bid of len bytes.  Returns 0, or -1 when it is not a bid
 * sealed to this key pair (wrong length or key, altered, not a bid).
 */
int	seal_bid_open(const unsigned char pk[SEAL_PUBLICBYTES],
	    const unsigned char sk[SEAL_SECRETBYTES], const unsigned char *ct,
	    size_t len, int64_t *voter, int64_t *amount);

/*
 * Opens voter's sealed bid as the tally counts it and as its voter is
 * shown it: a bid sealed to this key pair, by voter, of at most
 * MONEY_BID_MAX either way.  Returns 0 with *amount, or -1 with *why
 * saying what the bid does wrong, as a predicate ("was sealed by another
 * voter"), never with the amount.
 */
int	seal_bid_reveal(const unsigned char pk[SEAL_PUBLICBYTES],
	    const unsigned char sk[SEAL_SECRETBYTES], const unsigned char *ct,
	    size_t len, int64_t voter, int64_t *amount, const char **why);

/* A bid's receipt: hex BLAKE2b-256 of its ciphertext. */
void	seal_receipt(const unsigned char *ct, size_t len,
	    char receipt[SEAL_RECEIPT_STRLEN]);

#endif
