/*
 * Trustees and the proposal key they make together (referenda-trust.md,
 * "Trustees"): a joint Feldman key generation over ristretto255 (Pedersen,
 * 1991), run through the server, which relays what it cannot read.
 *
 * A trustee key pair is made on the trustee's own machine: an Ed25519 key
 * that signs, and an X25519 key that receives shares.  Its public half
 * (TK_PUBLICBYTES: the two public keys) goes on the trustee's account.
 *
 * For a proposal with trustees 1..n and threshold k, each trustee i deals:
 * a random polynomial f_i of degree k-1, its commitments C_il = a_il*G, a
 * Schnorr proof of knowing a_i0 (without which the last dealer could
 * choose the joint key), the shares f_i(j) each sealed to trustee j, all
 * signed.  Then
 *
 *	Y   = sum_i C_i0				the bid key
 *	x_j = sum_i f_i(j)				trustee j's share
 *	Y_j = sum_i sum_l j^l C_il = x_j*G		public, checks j's parts
 *
 * Each trustee checks the shares it received against the commitments and
 * signs an acknowledgement of (context, Y, every dealing); the proposal
 * takes bids once all n have.  No I/O.
 */

#ifndef FW_DKG_H
#define FW_DKG_H

#include <stddef.h>
#include <stdint.h>

#include "core/elgamal.h"

/* The most trustees of a proposal. */
#define DKG_TRUSTEES_MAX	32

#define TK_PUBLICBYTES		64	/* Ed25519 public key, X25519 one */
#define TK_SECRETBYTES		64	/* Ed25519 seed, X25519 secret key */
#define TK_SIGBYTES		64
/* The public key as base64, with its NUL. */
#define TK_PUBLIC_STRLEN	89
/* The key file: a first line naming it, the secret in hex, a newline. */
#define TK_FILE_HEAD		"factwiki trustee key 1\n"
#define TK_FILE_LEN		(sizeof(TK_FILE_HEAD) - 1 + \
				    2 * TK_SECRETBYTES + 1)

struct trustee_key {
	unsigned char	 sign_sk[64];	/* crypto_sign's: seed, public key */
	unsigned char	 box_sk[32];
	unsigned char	 pub[TK_PUBLICBYTES];
};

void	tk_new(struct trustee_key *);
/* The key file's text, TK_FILE_LEN bytes (no NUL). */
void	tk_format(const struct trustee_key *, char text[TK_FILE_LEN]);
/* Returns 0, or -1 with *errstr naming what is wrong with the file. */
int	tk_parse(const char *, size_t, struct trustee_key *,
	    const char **errstr);
void	tk_public_text(const unsigned char pub[TK_PUBLICBYTES],
	    char text[TK_PUBLIC_STRLEN]);
int	tk_public_parse(const char *, size_t, unsigned char pub[TK_PUBLICBYTES],
	    const char **errstr);
void	tk_wipe(struct trustee_key *);

/*
 * What binds everything of a proposal's key together:
 * H("factwiki proposal"; slug, k, n, pub_1, ..., pub_n).  A proposal
 * without trustees has k = 1, n = 0.
 */
void	dkg_context(const char *slug, unsigned k, unsigned n,
	    const unsigned char (*pubs)[TK_PUBLICBYTES], unsigned char ctx[32]);

/*
 * A dealing's bytes: "FWD1", i, n, k (a byte each), ctx, C_0..C_{k-1},
 * the proof (c, s), the n sealed shares (80 bytes each), and the Ed25519
 * signature of H("factwiki dealing"; all that comes before it).
 */
size_t	dkg_dealing_len(unsigned n, unsigned k);

/*
 * Trustee i's dealing into out (dkg_dealing_len(n, k) bytes).  Returns 0,
 * or -1 when n, k or i are out of range or a trustee's key cannot receive.
 */
int	dkg_deal(const struct trustee_key *, const unsigned char ctx[32],
	    unsigned i, unsigned n, unsigned k,
	    const unsigned char (*pubs)[TK_PUBLICBYTES], unsigned char *out);

/*
 * Anyone's check of trustee i's dealing: its form, context, signature by
 * pub (trustee i's key) and proof.  Returns 0, or -1 with *why.
 */
int	dkg_dealing_check(const unsigned char *, size_t,
	    const unsigned char ctx[32], unsigned i, unsigned n, unsigned k,
	    const unsigned char pub[TK_PUBLICBYTES], const char **why);

/*
 * Trustee j's share: its part of each of the n checked dealings (in the
 * order of i), each checked against its dealer's commitments, summed.
 * Returns 0, or -1 with *why naming the dealer whose share is wrong in
 * *bad (1..n).
 */
int	dkg_share(const struct trustee_key *, unsigned j, unsigned n, unsigned k,
	    const unsigned char *const *dealings, unsigned char x[EG_SCALARBYTES],
	    unsigned *bad, const char **why);

/* Y and Y_j from n checked dealings. */
void	dkg_joint_key(unsigned n, unsigned k,
	    const unsigned char *const *dealings, unsigned char y[EG_POINTBYTES]);
int	dkg_verification_key(unsigned n, unsigned k,
	    const unsigned char *const *dealings, unsigned j,
	    unsigned char yj[EG_POINTBYTES]);

/*
 * What each trustee signs once its shares check: H("factwiki key ack";
 * ctx, Y, dealing_1, ..., dealing_n).
 */
void	dkg_ack_hash(const unsigned char ctx[32],
	    const unsigned char y[EG_POINTBYTES], unsigned n, unsigned k,
	    const unsigned char *const *dealings, unsigned char h[32]);
void	dkg_sign(const struct trustee_key *, const unsigned char h[32],
	    unsigned char sig[TK_SIGBYTES]);
int	dkg_verify(const unsigned char pub[TK_PUBLICBYTES],
	    const unsigned char h[32], const unsigned char sig[TK_SIGBYTES]);

#endif
