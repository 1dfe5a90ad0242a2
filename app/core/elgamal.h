/*
 * Bids sealed to a key that no single party holds (referenda-trust.md):
 * hashed ElGamal over ristretto255, with decryption shared by trustees.
 *
 * A proposal's bid key is a point Y = x*G whose scalar x exists only as
 * Shamir shares x_j of its trustees (dkg.h), or, for a proposal without
 * trustees, as one scalar wrapped under the server's master key.  A bid is
 *
 *	R = r*G,  K = r*Y,  k = H("factwiki bid key"; R, K),
 *	ct = R || XChaCha20-Poly1305(k, nonce 0, amount, ad)
 *	ad = H("factwiki bid ad"; Y, voter)
 *
 * amount being the bid as money text ("-50.00") padded with spaces to
 * EG_AMOUNTBYTES, so that every sealed bid has the same length whatever
 * its amount.  The key is used once, so a fixed nonce is safe; the
 * associated data ties the bid to its proposal and its voter: a bid moved
 * to another voter or proposal does not open.
 *
 * After the close, trustee j publishes for each counted bid its part
 * D_j = x_j*R with a Chaum-Pedersen proof that log_G(Y_j) = log_R(D_j),
 * Y_j = x_j*G being public (dkg.h).  Any k valid parts give
 * K = sum(lambda_j * D_j), lambda_j the Lagrange coefficients at 0, and
 * so the bid.  No I/O.
 */

#ifndef FW_ELGAMAL_H
#define FW_ELGAMAL_H

#include <stddef.h>
#include <stdint.h>

#define EG_POINTBYTES	32
#define EG_SCALARBYTES	32
/* The challenge and the response of a proof. */
#define EG_PROOFBYTES	64
/* "-1000000000.00" and room: the padded amount. */
#define EG_AMOUNTBYTES	16
#define EG_MACBYTES	16
#define EG_BIDBYTES	(EG_POINTBYTES + EG_AMOUNTBYTES + EG_MACBYTES)
/* A scalar wrapped under a master key: nonce, MAC, scalar. */
#define EG_WRAPPEDBYTES	(24 + 16 + EG_SCALARBYTES)
/* The most trustees a proposal may have: parts are indexed 1..255. */
#define EG_INDEX_MAX	255

/* A valid point that is not the identity: what every public point must be. */
int	eg_point_ok(const unsigned char p[EG_POINTBYTES]);

/* A trustee's index (or any small integer) as a scalar. */
void	eg_scalar_of(unsigned, unsigned char s[EG_SCALARBYTES]);

/* A scalar in its reduced form only: proofs are not malleable. */
int	eg_scalar_ok(const unsigned char s[EG_SCALARBYTES]);

/* A random scalar x and its point Y = x*G. */
void	eg_keypair(unsigned char x[EG_SCALARBYTES],
	    unsigned char y[EG_POINTBYTES]);

/*
 * Wraps x under a 32-byte master key (crypto_secretbox), and back; unwrap
 * returns -1 when the master key is not the one, or the wrapping or y
 * was altered (x*G must be y).
 */
void	eg_wrap(const unsigned char master[32],
	    const unsigned char x[EG_SCALARBYTES],
	    unsigned char out[EG_WRAPPEDBYTES]);
int	eg_unwrap(const unsigned char master[32],
	    const unsigned char in[EG_WRAPPEDBYTES],
	    const unsigned char y[EG_POINTBYTES],
	    unsigned char x[EG_SCALARBYTES]);

/*
 * Seals amount (minor units, |amount| < 10^13) for voter to the bid key
 * y.  Returns 0, or -1 when y is not a usable key or the amount does not
 * fit.
 */
int	eg_seal(const unsigned char y[EG_POINTBYTES], const char *voter,
	    int64_t amount, unsigned char ct[EG_BIDBYTES]);

/*
 * Trustee index's part of a bid, with its proof: x is the trustee's share,
 * yj = x*G its public verification key, ctx the proposal's context
 * (dkg_context()).  Returns 0, or -1 when the bid's R is not a usable
 * point (the bid is then invalid, and no part is needed).
 */
int	eg_part(const unsigned char ctx[32], unsigned index,
	    const unsigned char x[EG_SCALARBYTES],
	    const unsigned char yj[EG_POINTBYTES],
	    const unsigned char ct[EG_BIDBYTES], unsigned char d[EG_POINTBYTES],
	    unsigned char proof[EG_PROOFBYTES]);
/* 0 when d is trustee index's correct part of ct, else -1. */
int	eg_part_verify(const unsigned char ctx[32], unsigned index,
	    const unsigned char yj[EG_POINTBYTES],
	    const unsigned char ct[EG_BIDBYTES],
	    const unsigned char d[EG_POINTBYTES],
	    const unsigned char proof[EG_PROOFBYTES]);

/*
 * K from k parts: index[i] (distinct, 1..EG_INDEX_MAX) and d[i].  Returns
 * 0, or -1 when the indexes repeat or a part is not a usable point.
 */
int	eg_combine(size_t k, const unsigned *index,
	    const unsigned char (*d)[EG_POINTBYTES],
	    unsigned char key[EG_POINTBYTES]);

/* K = x*R for whoever holds the whole scalar: -1 when R is not usable. */
int	eg_shared(const unsigned char x[EG_SCALARBYTES],
	    const unsigned char ct[EG_BIDBYTES], unsigned char key[EG_POINTBYTES]);

/*
 * The one opening of a bid, for the tally and for a voter's own view:
 * decrypts ct with K, then checks the amount's form and that it lies in
 * [-max, max].  Returns 0, or -1 with *why saying what is wrong in words
 * fit for a published result (never the amount).
 */
int	eg_open(const unsigned char y[EG_POINTBYTES], const char *voter,
	    const unsigned char ct[EG_BIDBYTES],
	    const unsigned char key[EG_POINTBYTES], int64_t max,
	    int64_t *amount, const char **why);

#endif
