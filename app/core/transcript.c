/*
 * Domain-separated hashing: see transcript.h.
 */

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "core/transcript.h"

static void	start(struct transcript *, const char *, size_t);

static void
start(struct transcript *t, const char *domain, size_t outlen)
{
	t->outlen = outlen;
	(void)crypto_generichash_init(&t->st, NULL, 0, outlen);
	transcript_put_str(t, domain);
}

void
transcript_init(struct transcript *t, const char *domain)
{
	start(t, domain, 32);
}

void
transcript_init_scalar(struct transcript *t, const char *domain)
{
	start(t, domain, crypto_core_ristretto255_NONREDUCEDSCALARBYTES);
}

void
transcript_put(struct transcript *t, const void *p, size_t len)
{
	unsigned char	 n[8];
	uint64_t	 v = len;
	int		 i;

	for (i = 7; i >= 0; i--) {
		n[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	(void)crypto_generichash_update(&t->st, n, sizeof(n));
	(void)crypto_generichash_update(&t->st, p, len);
}

void
transcript_put_str(struct transcript *t, const char *s)
{
	transcript_put(t, s, strlen(s));
}

void
transcript_put_u64(struct transcript *t, uint64_t v)
{
	unsigned char	 n[8];
	int		 i;

	for (i = 7; i >= 0; i--) {
		n[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	transcript_put(t, n, sizeof(n));
}

void
transcript_end(struct transcript *t, unsigned char out[32])
{
	unsigned char	 wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];

	if (t->outlen == 32) {
		(void)crypto_generichash_final(&t->st, out, 32);
		return;
	}
	(void)crypto_generichash_final(&t->st, wide, sizeof(wide));
	crypto_core_ristretto255_scalar_reduce(out, wide);
	sodium_memzero(wide, sizeof(wide));
}
