/*
 * The bulletin board's chain and signatures: see board.h.
 */

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "core/board.h"
#include "core/transcript.h"

_Static_assert(BOARD_SIGBYTES == crypto_sign_BYTES, "signature");
_Static_assert(BOARD_PUBLICBYTES == crypto_sign_PUBLICKEYBYTES, "public");
_Static_assert(BOARD_SECRETBYTES == crypto_sign_SECRETKEYBYTES, "secret");

/* The master key never signs: a key derived from it for this one use does. */
void
board_key(const unsigned char master[32], unsigned char pk[BOARD_PUBLICBYTES],
    unsigned char sk[BOARD_SECRETBYTES])
{
	unsigned char	 seed[crypto_sign_SEEDBYTES];

	(void)crypto_generichash(seed, sizeof(seed),
	    (const unsigned char *)"factwiki board key",
	    sizeof("factwiki board key") - 1, master, 32);
	(void)crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
}

void
board_hash(const unsigned char ctx[32], const struct board_entry *e,
    unsigned char hash[BOARD_HASHBYTES])
{
	struct transcript	 t;

	transcript_init(&t, "factwiki board entry");
	transcript_put(&t, ctx, 32);
	transcript_put_u64(&t, e->seq);
	transcript_put_str(&t, e->voter);
	transcript_put_str(&t, e->at);
	transcript_put(&t, e->ciphertext, e->ciphertext_len);
	transcript_put(&t, e->prev, BOARD_HASHBYTES);
	transcript_end(&t, hash);
}

void
board_sign(const unsigned char sk[BOARD_SECRETBYTES],
    const unsigned char hash[BOARD_HASHBYTES], unsigned char sig[BOARD_SIGBYTES])
{
	(void)crypto_sign_detached(sig, NULL, hash, BOARD_HASHBYTES, sk);
}

int
board_verify(const unsigned char pk[BOARD_PUBLICBYTES],
    const unsigned char hash[BOARD_HASHBYTES],
    const unsigned char sig[BOARD_SIGBYTES])
{
	return (crypto_sign_verify_detached(sig, hash, BOARD_HASHBYTES, pk) ==
	    0 ? 0 : -1);
}
