/*
 * Hashed ElGamal over ristretto255 with shared decryption: see elgamal.h.
 */

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "core/elgamal.h"
#include "core/money.h"
#include "core/transcript.h"

_Static_assert(EG_POINTBYTES == crypto_core_ristretto255_BYTES, "point");
_Static_assert(EG_SCALARBYTES == crypto_core_ristretto255_SCALARBYTES,
    "scalar");
_Static_assert(EG_MACBYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES,
    "mac");
_Static_assert(EG_WRAPPEDBYTES == crypto_secretbox_NONCEBYTES +
    crypto_secretbox_MACBYTES + EG_SCALARBYTES, "wrapped");

static void	bid_key(const unsigned char *, const unsigned char *,
		    unsigned char *);
static void	bid_ad(const unsigned char *, const char *, unsigned char *);
static void	proof_challenge(const unsigned char *, unsigned,
		    const unsigned char *, const unsigned char *,
		    const unsigned char *, const unsigned char *,
		    const unsigned char *, unsigned char *);

int
eg_point_ok(const unsigned char p[EG_POINTBYTES])
{
	return (crypto_core_ristretto255_is_valid_point(p) == 1 &&
	    !sodium_is_zero(p, EG_POINTBYTES));
}

void
eg_keypair(unsigned char x[EG_SCALARBYTES], unsigned char y[EG_POINTBYTES])
{
	do {
		crypto_core_ristretto255_scalar_random(x);
	} while (crypto_scalarmult_ristretto255_base(y, x) != 0);
}

void
eg_wrap(const unsigned char master[32], const unsigned char x[EG_SCALARBYTES],
    unsigned char out[EG_WRAPPEDBYTES])
{
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	(void)crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, x,
	    EG_SCALARBYTES, out, master);
}

int
eg_unwrap(const unsigned char master[32],
    const unsigned char in[EG_WRAPPEDBYTES], const unsigned char y[EG_POINTBYTES],
    unsigned char x[EG_SCALARBYTES])
{
	unsigned char	 check[EG_POINTBYTES];

	if (crypto_secretbox_open_easy(x, in + crypto_secretbox_NONCEBYTES,
	    EG_WRAPPEDBYTES - crypto_secretbox_NONCEBYTES, in, master) != 0)
		return (-1);
	if (crypto_scalarmult_ristretto255_base(check, x) != 0 ||
	    sodium_memcmp(check, y, EG_POINTBYTES) != 0) {
		sodium_memzero(x, EG_SCALARBYTES);
		return (-1);
	}
	return (0);
}

/* The symmetric key of a bid: H("factwiki bid key"; R, K). */
static void
bid_key(const unsigned char *r, const unsigned char *k, unsigned char *out)
{
	struct transcript	 t;

	transcript_init(&t, "factwiki bid key");
	transcript_put(&t, r, EG_POINTBYTES);
	transcript_put(&t, k, EG_POINTBYTES);
	transcript_end(&t, out);
}

/* What a bid is bound to: H("factwiki bid ad"; Y, voter). */
static void
bid_ad(const unsigned char *y, const char *voter, unsigned char *out)
{
	struct transcript	 t;

	transcript_init(&t, "factwiki bid ad");
	transcript_put(&t, y, EG_POINTBYTES);
	transcript_put_str(&t, voter);
	transcript_end(&t, out);
}

int
eg_seal(const unsigned char y[EG_POINTBYTES], const char *voter,
    int64_t amount, unsigned char ct[EG_BIDBYTES])
{
	unsigned char	 r[EG_SCALARBYTES], k[EG_POINTBYTES], key[32];
	unsigned char	 ad[32], plain[EG_AMOUNTBYTES];
	unsigned char	 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	char		 text[MONEY_STRLEN];
	size_t		 len;
	int		 rc;

	if (!eg_point_ok(y))
		return (-1);
	money_format(amount, text);
	if ((len = strlen(text)) > EG_AMOUNTBYTES) {
		sodium_memzero(text, sizeof(text));
		return (-1);
	}
	memset(plain, ' ', sizeof(plain));
	memcpy(plain, text, len);
	sodium_memzero(text, sizeof(text));
	do {
		crypto_core_ristretto255_scalar_random(r);
	} while (crypto_scalarmult_ristretto255_base(ct, r) != 0);
	rc = -1;
	if (crypto_scalarmult_ristretto255(k, r, y) == 0) {
		bid_key(ct, k, key);
		bid_ad(y, voter, ad);
		memset(nonce, 0, sizeof(nonce));
		(void)crypto_aead_xchacha20poly1305_ietf_encrypt(
		    ct + EG_POINTBYTES, NULL, plain, sizeof(plain), ad,
		    sizeof(ad), NULL, nonce, key);
		rc = 0;
	}
	sodium_memzero(r, sizeof(r));
	sodium_memzero(k, sizeof(k));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(plain, sizeof(plain));
	return (rc);
}

void
eg_scalar_of(unsigned n, unsigned char s[EG_SCALARBYTES])
{
	memset(s, 0, EG_SCALARBYTES);
	s[0] = (unsigned char)(n & 0xff);
	s[1] = (unsigned char)(n >> 8 & 0xff);
}

int
eg_scalar_ok(const unsigned char s[EG_SCALARBYTES])
{
	unsigned char	 wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	unsigned char	 red[EG_SCALARBYTES];

	memset(wide, 0, sizeof(wide));
	memcpy(wide, s, EG_SCALARBYTES);
	crypto_core_ristretto255_scalar_reduce(red, wide);
	return (memcmp(red, s, EG_SCALARBYTES) == 0);
}

/* c = H("factwiki part proof"; ctx, index, Y_j, R, D, A, B) as a scalar. */
static void
proof_challenge(const unsigned char *ctx, unsigned index,
    const unsigned char *yj, const unsigned char *r, const unsigned char *d,
    const unsigned char *a, const unsigned char *b, unsigned char *c)
{
	struct transcript	 t;

	transcript_init_scalar(&t, "factwiki part proof");
	transcript_put(&t, ctx, 32);
	transcript_put_u64(&t, index);
	transcript_put(&t, yj, EG_POINTBYTES);
	transcript_put(&t, r, EG_POINTBYTES);
	transcript_put(&t, d, EG_POINTBYTES);
	transcript_put(&t, a, EG_POINTBYTES);
	transcript_put(&t, b, EG_POINTBYTES);
	transcript_end(&t, c);
}

int
eg_part(const unsigned char ctx[32], unsigned index,
    const unsigned char x[EG_SCALARBYTES], const unsigned char yj[EG_POINTBYTES],
    const unsigned char ct[EG_BIDBYTES], unsigned char d[EG_POINTBYTES],
    unsigned char proof[EG_PROOFBYTES])
{
	unsigned char	 w[EG_SCALARBYTES], a[EG_POINTBYTES];
	unsigned char	 b[EG_POINTBYTES], cx[EG_SCALARBYTES];
	int		 rc;

	if (!eg_point_ok(ct) ||
	    crypto_scalarmult_ristretto255(d, x, ct) != 0)
		return (-1);
	rc = -1;
	do {
		crypto_core_ristretto255_scalar_random(w);
	} while (crypto_scalarmult_ristretto255_base(a, w) != 0);
	if (crypto_scalarmult_ristretto255(b, w, ct) == 0) {
		proof_challenge(ctx, index, yj, ct, d, a, b, proof);
		crypto_core_ristretto255_scalar_mul(cx, proof, x);
		crypto_core_ristretto255_scalar_add(proof + EG_SCALARBYTES, w,
		    cx);
		rc = 0;
	}
	sodium_memzero(w, sizeof(w));
	sodium_memzero(cx, sizeof(cx));
	return (rc);
}

/*
 * With (c, s): A = s*G - c*Y_j and B = s*R - c*D are what the prover
 * committed to if the proof is right, and then c is their hash.
 */
int
eg_part_verify(const unsigned char ctx[32], unsigned index,
    const unsigned char yj[EG_POINTBYTES], const unsigned char ct[EG_BIDBYTES],
    const unsigned char d[EG_POINTBYTES],
    const unsigned char proof[EG_PROOFBYTES])
{
	const unsigned char	*c = proof, *s = proof + EG_SCALARBYTES;
	unsigned char		 sg[EG_POINTBYTES], cy[EG_POINTBYTES];
	unsigned char		 sr[EG_POINTBYTES], cd[EG_POINTBYTES];
	unsigned char		 a[EG_POINTBYTES], b[EG_POINTBYTES];
	unsigned char		 again[EG_SCALARBYTES];

	if (!eg_point_ok(yj) || !eg_point_ok(ct) || !eg_point_ok(d) ||
	    !eg_scalar_ok(c) || !eg_scalar_ok(s))
		return (-1);
	if (crypto_scalarmult_ristretto255_base(sg, s) != 0 ||
	    crypto_scalarmult_ristretto255(cy, c, yj) != 0 ||
	    crypto_scalarmult_ristretto255(sr, s, ct) != 0 ||
	    crypto_scalarmult_ristretto255(cd, c, d) != 0)
		return (-1);
	crypto_core_ristretto255_sub(a, sg, cy);
	crypto_core_ristretto255_sub(b, sr, cd);
	proof_challenge(ctx, index, yj, ct, d, a, b, again);
	return (memcmp(again, c, EG_SCALARBYTES) == 0 ? 0 : -1);
}

int
eg_combine(size_t k, const unsigned *index,
    const unsigned char (*d)[EG_POINTBYTES], unsigned char key[EG_POINTBYTES])
{
	unsigned char	 lambda[EG_SCALARBYTES], num[EG_SCALARBYTES];
	unsigned char	 den[EG_SCALARBYTES], m[EG_SCALARBYTES];
	unsigned char	 j[EG_SCALARBYTES], diff[EG_SCALARBYTES];
	unsigned char	 term[EG_POINTBYTES], sum[EG_POINTBYTES];
	size_t		 a, b;

	if (k == 0)
		return (-1);
	for (a = 0; a < k; a++) {
		if (index[a] == 0 || index[a] > EG_INDEX_MAX ||
		    !eg_point_ok(d[a]))
			return (-1);
		for (b = 0; b < a; b++)
			if (index[a] == index[b])
				return (-1);
	}
	for (a = 0; a < k; a++) {
		/* lambda_j = prod over m != j of m / (m - j) */
		eg_scalar_of(1, num);
		eg_scalar_of(1, den);
		eg_scalar_of(index[a], j);
		for (b = 0; b < k; b++) {
			if (b == a)
				continue;
			eg_scalar_of(index[b], m);
			crypto_core_ristretto255_scalar_mul(num, num, m);
			crypto_core_ristretto255_scalar_sub(diff, m, j);
			crypto_core_ristretto255_scalar_mul(den, den, diff);
		}
		if (crypto_core_ristretto255_scalar_invert(den, den) != 0)
			return (-1);
		crypto_core_ristretto255_scalar_mul(lambda, num, den);
		if (crypto_scalarmult_ristretto255(term, lambda, d[a]) != 0)
			return (-1);
		if (a == 0)
			memcpy(sum, term, sizeof(sum));
		else
			crypto_core_ristretto255_add(sum, sum, term);
	}
	if (!eg_point_ok(sum))
		return (-1);
	memcpy(key, sum, EG_POINTBYTES);
	return (0);
}

int
eg_shared(const unsigned char x[EG_SCALARBYTES],
    const unsigned char ct[EG_BIDBYTES], unsigned char key[EG_POINTBYTES])
{
	if (!eg_point_ok(ct))
		return (-1);
	return (crypto_scalarmult_ristretto255(key, x, ct) == 0 ? 0 : -1);
}

int
eg_open(const unsigned char y[EG_POINTBYTES], const char *voter,
    const unsigned char ct[EG_BIDBYTES], const unsigned char k[EG_POINTBYTES],
    int64_t max, int64_t *amount, const char **why)
{
	unsigned char	 key[32], ad[32], plain[EG_AMOUNTBYTES];
	unsigned char	 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	const char	*errstr;
	size_t		 len, i;
	int		 rc;

	if (!eg_point_ok(ct)) {
		*why = "it is not a sealed bid: its first point is not valid";
		return (-1);
	}
	bid_key(ct, k, key);
	bid_ad(y, voter, ad);
	memset(nonce, 0, sizeof(nonce));
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL,
	    ct + EG_POINTBYTES, EG_AMOUNTBYTES + EG_MACBYTES, ad, sizeof(ad),
	    nonce, key);
	sodium_memzero(key, sizeof(key));
	if (rc != 0) {
		*why = "it does not open: it was altered, or sealed for "
		    "another voter or proposal";
		return (-1);
	}
	for (len = 0; len < sizeof(plain) && plain[len] != ' '; len++)
		;
	for (i = len; i < sizeof(plain); i++)
		if (plain[i] != ' ')
			len = 0;
	rc = -1;
	if (len == 0 || money_parse((const char *)plain, len, amount,
	    &errstr) == -1)
		*why = "its amount is not written as money";
	else if (*amount > max || *amount < -max)
		*why = "its amount lies beyond the proposal's bounds";
	else
		rc = 0;
	sodium_memzero(plain, sizeof(plain));
	return (rc);
}
