/*
 * Domain-separated hashing for the referenda's public proofs: BLAKE2b over
 * a domain and a list of parts, each part preceded by its length as an
 * 8-byte big-endian integer, so that no two lists of parts hash alike.
 *
 *	H(domain; p1, ..., pn) = BLAKE2b(L(domain) || L(p1) || ... || L(pn))
 *	L(x) = u64be(|x|) || x
 *
 * docs/referenda-security.md gives every use of it with its parts.
 */

#ifndef FW_TRANSCRIPT_H
#define FW_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

struct transcript {
	crypto_generichash_state	 st;
	size_t				 outlen;
};

/* A transcript whose end is a 32-byte hash. */
void	transcript_init(struct transcript *, const char *domain);
/* A transcript whose end is a scalar of ristretto255 (64 bytes, reduced). */
void	transcript_init_scalar(struct transcript *, const char *domain);
void	transcript_put(struct transcript *, const void *, size_t);
void	transcript_put_str(struct transcript *, const char *);
/* An integer as its 8 big-endian bytes (a part of length 8). */
void	transcript_put_u64(struct transcript *, uint64_t);
/* The hash (32 bytes), or the scalar (32 bytes) of a scalar transcript. */
void	transcript_end(struct transcript *, unsigned char out[32]);

#endif
