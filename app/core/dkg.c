/*
 * Trustee keys and the joint key generation: see dkg.h.
 */

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "core/dkg.h"
#include "core/transcript.h"

_Static_assert(TK_PUBLICBYTES == crypto_sign_PUBLICKEYBYTES +
    crypto_box_PUBLICKEYBYTES, "public");
_Static_assert(TK_SIGBYTES == crypto_sign_BYTES, "signature");
_Static_assert(DKG_TRUSTEES_MAX <= EG_INDEX_MAX, "index");

#define DEALING_MAGIC	"FWD1"
#define HEAD_LEN	(4 + 3 + 32)
#define SHARE_LEN	(crypto_box_SEALBYTES + EG_SCALARBYTES)
#define POK_LEN		(2 * EG_SCALARBYTES)
#define FILE_FORM	"a trustee key file is the line \"factwiki trustee " \
			"key 1\" and 128 hexadecimal digits"

static size_t	commitment_at(unsigned);
static size_t	pok_at(unsigned);
static size_t	share_at(unsigned, unsigned);
static void	pok_challenge(const unsigned char *, unsigned,
		    const unsigned char *, const unsigned char *,
		    unsigned char *);
static void	dealing_hash(const unsigned char *, size_t, unsigned char *);
static int	feldman(const unsigned char *, unsigned, unsigned,
		    unsigned char *);
static void	derive_public(struct trustee_key *);

/* ---- trustee keys ---- */

static void
derive_public(struct trustee_key *tk)
{
	memcpy(tk->pub, tk->sign_sk + 32, 32);
	(void)crypto_scalarmult_base(tk->pub + 32, tk->box_sk);
}

void
tk_new(struct trustee_key *tk)
{
	unsigned char	 pk[crypto_sign_PUBLICKEYBYTES];

	(void)crypto_sign_keypair(pk, tk->sign_sk);
	randombytes_buf(tk->box_sk, sizeof(tk->box_sk));
	derive_public(tk);
}

void
tk_format(const struct trustee_key *tk, char text[TK_FILE_LEN])
{
	unsigned char	 secret[TK_SECRETBYTES];
	char		 hex[2 * TK_SECRETBYTES + 1];
	size_t		 head = sizeof(TK_FILE_HEAD) - 1;

	memcpy(secret, tk->sign_sk, 32);
	memcpy(secret + 32, tk->box_sk, 32);
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	memcpy(text, TK_FILE_HEAD, head);
	memcpy(text + head, hex, 2 * TK_SECRETBYTES);
	text[TK_FILE_LEN - 1] = '\n';
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(hex, sizeof(hex));
}

int
tk_parse(const char *text, size_t len, struct trustee_key *tk,
    const char **errstr)
{
	unsigned char	 secret[TK_SECRETBYTES], pk[crypto_sign_PUBLICKEYBYTES];
	size_t		 head = sizeof(TK_FILE_HEAD) - 1, got, i;

	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len != head + 2 * TK_SECRETBYTES ||
	    memcmp(text, TK_FILE_HEAD, head) != 0) {
		*errstr = FILE_FORM;
		return (-1);
	}
	for (i = head; i < len; i++) {
		if (!((text[i] >= '0' && text[i] <= '9') ||
		    (text[i] >= 'a' && text[i] <= 'f'))) {
			*errstr = FILE_FORM;
			return (-1);
		}
	}
	(void)sodium_hex2bin(secret, sizeof(secret), text + head,
	    len - head, NULL, &got, NULL);
	(void)crypto_sign_seed_keypair(pk, tk->sign_sk, secret);
	memcpy(tk->box_sk, secret + 32, 32);
	sodium_memzero(secret, sizeof(secret));
	derive_public(tk);
	return (0);
}

void
tk_public_text(const unsigned char pub[TK_PUBLICBYTES],
    char text[TK_PUBLIC_STRLEN])
{
	sodium_bin2base64(text, TK_PUBLIC_STRLEN, pub, TK_PUBLICBYTES,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
tk_public_parse(const char *text, size_t len,
    unsigned char pub[TK_PUBLICBYTES], const char **errstr)
{
	unsigned char	 x[crypto_box_PUBLICKEYBYTES];
	size_t		 got;

	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len != TK_PUBLIC_STRLEN - 1 ||
	    sodium_base642bin(pub, TK_PUBLICBYTES, text, len, NULL, &got,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != TK_PUBLICBYTES) {
		*errstr = "a trustee public key is the 88 characters of "
		    "base64 that `factwiki trustee keygen` prints";
		return (-1);
	}
	if (crypto_sign_ed25519_pk_to_curve25519(x, pub) != 0 ||
	    sodium_is_zero(pub + 32, crypto_box_PUBLICKEYBYTES)) {
		*errstr = "that is not a trustee public key: its keys are "
		    "not valid points";
		return (-1);
	}
	return (0);
}

void
tk_wipe(struct trustee_key *tk)
{
	sodium_memzero(tk, sizeof(*tk));
}

/* ---- the proposal's context ---- */

void
dkg_context(const char *slug, unsigned k, unsigned n,
    const unsigned char (*pubs)[TK_PUBLICBYTES], unsigned char ctx[32])
{
	struct transcript	 t;
	unsigned		 i;

	transcript_init(&t, "factwiki proposal");
	transcript_put_str(&t, slug);
	transcript_put_u64(&t, k);
	transcript_put_u64(&t, n);
	for (i = 0; i < n; i++)
		transcript_put(&t, pubs[i], TK_PUBLICBYTES);
	transcript_end(&t, ctx);
}

/* ---- dealings ---- */

size_t
dkg_dealing_len(unsigned n, unsigned k)
{
	return (HEAD_LEN + (size_t)k * EG_POINTBYTES + POK_LEN +
	    (size_t)n * SHARE_LEN + TK_SIGBYTES);
}

/* Where in a dealing: commitment l, the proof, trustee j's (1..n) share. */
static size_t
commitment_at(unsigned l)
{
	return (HEAD_LEN + (size_t)l * EG_POINTBYTES);
}

static size_t
pok_at(unsigned k)
{
	return (commitment_at(k));
}

static size_t
share_at(unsigned k, unsigned j)
{
	return (pok_at(k) + POK_LEN + (size_t)(j - 1) * SHARE_LEN);
}

/* c = H("factwiki dealer proof"; ctx, i, C_i0, A) as a scalar. */
static void
pok_challenge(const unsigned char *ctx, unsigned i, const unsigned char *c0,
    const unsigned char *a, unsigned char *c)
{
	struct transcript	 t;

	transcript_init_scalar(&t, "factwiki dealer proof");
	transcript_put(&t, ctx, 32);
	transcript_put_u64(&t, i);
	transcript_put(&t, c0, EG_POINTBYTES);
	transcript_put(&t, a, EG_POINTBYTES);
	transcript_end(&t, c);
}

static void
dealing_hash(const unsigned char *d, size_t signed_len, unsigned char *h)
{
	struct transcript	 t;

	transcript_init(&t, "factwiki dealing");
	transcript_put(&t, d, signed_len);
	transcript_end(&t, h);
}

int
dkg_deal(const struct trustee_key *tk, const unsigned char ctx[32],
    unsigned i, unsigned n, unsigned k,
    const unsigned char (*pubs)[TK_PUBLICBYTES], unsigned char *out)
{
	unsigned char	 a[DKG_TRUSTEES_MAX][EG_SCALARBYTES];
	unsigned char	 w[EG_SCALARBYTES], big_a[EG_POINTBYTES];
	unsigned char	 c[EG_SCALARBYTES], cx[EG_SCALARBYTES];
	unsigned char	 js[EG_SCALARBYTES], f[EG_SCALARBYTES];
	unsigned char	 h[32], *p;
	size_t		 len = dkg_dealing_len(n, k);
	unsigned	 j, l;
	int		 rc;

	if (n < 1 || n > DKG_TRUSTEES_MAX || k < 1 || k > n || i < 1 ||
	    i > n)
		return (-1);
	memcpy(out, DEALING_MAGIC, 4);
	out[4] = (unsigned char)i;
	out[5] = (unsigned char)n;
	out[6] = (unsigned char)k;
	memcpy(out + 7, ctx, 32);
	for (l = 0; l < k; l++) {
		do {
			crypto_core_ristretto255_scalar_random(a[l]);
		} while (crypto_scalarmult_ristretto255_base(
		    out + commitment_at(l), a[l]) != 0);
	}
	/* The proof of knowing a_0. */
	do {
		crypto_core_ristretto255_scalar_random(w);
	} while (crypto_scalarmult_ristretto255_base(big_a, w) != 0);
	pok_challenge(ctx, i, out + commitment_at(0), big_a, c);
	p = out + pok_at(k);
	memcpy(p, c, EG_SCALARBYTES);
	crypto_core_ristretto255_scalar_mul(cx, c, a[0]);
	crypto_core_ristretto255_scalar_add(p + EG_SCALARBYTES, w, cx);
	/* f(j) by Horner's rule, sealed to trustee j. */
	rc = 0;
	for (j = 1; j <= n && rc == 0; j++) {
		eg_scalar_of(j, js);
		memcpy(f, a[k - 1], EG_SCALARBYTES);
		for (l = k - 1; l-- > 0;) {
			crypto_core_ristretto255_scalar_mul(f, f, js);
			crypto_core_ristretto255_scalar_add(f, f, a[l]);
		}
		if (crypto_box_seal(out + share_at(k, j), f,
		    EG_SCALARBYTES, pubs[j - 1] + 32) != 0)
			rc = -1;
	}
	dealing_hash(out, len - TK_SIGBYTES, h);
	dkg_sign(tk, h, out + len - TK_SIGBYTES);
	sodium_memzero(a, sizeof(a));
	sodium_memzero(w, sizeof(w));
	sodium_memzero(cx, sizeof(cx));
	sodium_memzero(f, sizeof(f));
	return (rc);
}

int
dkg_dealing_check(const unsigned char *d, size_t len,
    const unsigned char ctx[32], unsigned i, unsigned n, unsigned k,
    const unsigned char pub[TK_PUBLICBYTES], const char **why)
{
	unsigned char	 h[32], sg[EG_POINTBYTES], cc[EG_POINTBYTES];
	unsigned char	 a[EG_POINTBYTES], again[EG_SCALARBYTES];
	const unsigned char	*proof;
	unsigned	 l;

	if (n < 1 || n > DKG_TRUSTEES_MAX || k < 1 || k > n ||
	    len != dkg_dealing_len(n, k) || memcmp(d, DEALING_MAGIC, 4) != 0 ||
	    d[4] != i || d[5] != n || d[6] != k) {
		*why = "it is not a dealing of this trustee for this "
		    "threshold and number of trustees";
		return (-1);
	}
	if (memcmp(d + 7, ctx, 32) != 0) {
		*why = "it was dealt for another proposal or other trustees";
		return (-1);
	}
	dealing_hash(d, len - TK_SIGBYTES, h);
	if (dkg_verify(pub, h, d + len - TK_SIGBYTES) != 0) {
		*why = "its signature is not the trustee's";
		return (-1);
	}
	for (l = 0; l < k; l++) {
		if (!eg_point_ok(d + commitment_at(l))) {
			*why = "a commitment is not a valid point";
			return (-1);
		}
	}
	proof = d + pok_at(k);
	if (!eg_scalar_ok(proof + EG_SCALARBYTES) ||
	    crypto_scalarmult_ristretto255_base(sg, proof + EG_SCALARBYTES) !=
	    0 || crypto_scalarmult_ristretto255(cc, proof, d + commitment_at(0))
	    != 0) {
		*why = "its proof of the dealer's secret is not valid";
		return (-1);
	}
	crypto_core_ristretto255_sub(a, sg, cc);
	pok_challenge(ctx, i, d + commitment_at(0), a, again);
	if (memcmp(again, proof, EG_SCALARBYTES) != 0) {
		*why = "its proof of the dealer's secret is not valid";
		return (-1);
	}
	return (0);
}

/* sum over l of j^l * C_l: what f(j)*G must be. */
static int
feldman(const unsigned char *d, unsigned k, unsigned j, unsigned char *out)
{
	unsigned char	 pw[EG_SCALARBYTES], js[EG_SCALARBYTES];
	unsigned char	 term[EG_POINTBYTES];
	unsigned	 l;

	memcpy(out, d + commitment_at(0), EG_POINTBYTES);
	eg_scalar_of(j, js);
	memcpy(pw, js, sizeof(pw));
	for (l = 1; l < k; l++) {
		if (crypto_scalarmult_ristretto255(term, pw,
		    d + commitment_at(l)) != 0)
			return (-1);
		crypto_core_ristretto255_add(out, out, term);
		crypto_core_ristretto255_scalar_mul(pw, pw, js);
	}
	return (0);
}

int
dkg_share(const struct trustee_key *tk, unsigned j, unsigned n, unsigned k,
    const unsigned char *const *dealings, unsigned char x[EG_SCALARBYTES],
    unsigned *bad, const char **why)
{
	unsigned char	 s[EG_SCALARBYTES], sg[EG_POINTBYTES];
	unsigned char	 want[EG_POINTBYTES];
	unsigned	 i;

	memset(x, 0, EG_SCALARBYTES);
	for (i = 1; i <= n; i++) {
		*bad = i;
		if (crypto_box_seal_open(s, dealings[i - 1] + share_at(k, j),
		    SHARE_LEN, tk->pub + 32, tk->box_sk) != 0) {
			*why = "its share for this trustee does not open with "
			    "this key";
			goto fail;
		}
		if (crypto_scalarmult_ristretto255_base(sg, s) != 0 ||
		    feldman(dealings[i - 1], k, j, want) != 0 ||
		    sodium_memcmp(sg, want, EG_POINTBYTES) != 0) {
			*why = "its share for this trustee does not match its "
			    "commitments";
			goto fail;
		}
		crypto_core_ristretto255_scalar_add(x, x, s);
	}
	sodium_memzero(s, sizeof(s));
	return (0);
fail:
	sodium_memzero(s, sizeof(s));
	sodium_memzero(x, EG_SCALARBYTES);
	return (-1);
}

void
dkg_joint_key(unsigned n, unsigned k, const unsigned char *const *dealings,
    unsigned char y[EG_POINTBYTES])
{
	unsigned	 i;

	(void)k;
	memcpy(y, dealings[0] + commitment_at(0), EG_POINTBYTES);
	for (i = 1; i < n; i++)
		crypto_core_ristretto255_add(y, y,
		    dealings[i] + commitment_at(0));
}

int
dkg_verification_key(unsigned n, unsigned k,
    const unsigned char *const *dealings, unsigned j,
    unsigned char yj[EG_POINTBYTES])
{
	unsigned char	 term[EG_POINTBYTES];
	unsigned	 i;

	for (i = 0; i < n; i++) {
		if (feldman(dealings[i], k, j, i == 0 ? yj : term) != 0)
			return (-1);
		if (i > 0)
			crypto_core_ristretto255_add(yj, yj, term);
	}
	return (eg_point_ok(yj) ? 0 : -1);
}

void
dkg_ack_hash(const unsigned char ctx[32], const unsigned char y[EG_POINTBYTES],
    unsigned n, unsigned k, const unsigned char *const *dealings,
    unsigned char h[32])
{
	struct transcript	 t;
	unsigned		 i;

	transcript_init(&t, "factwiki key ack");
	transcript_put(&t, ctx, 32);
	transcript_put(&t, y, EG_POINTBYTES);
	for (i = 0; i < n; i++)
		transcript_put(&t, dealings[i], dkg_dealing_len(n, k));
	transcript_end(&t, h);
}

void
dkg_sign(const struct trustee_key *tk, const unsigned char h[32],
    unsigned char sig[TK_SIGBYTES])
{
	(void)crypto_sign_detached(sig, NULL, h, 32, tk->sign_sk);
}

int
dkg_verify(const unsigned char pub[TK_PUBLICBYTES], const unsigned char h[32],
    const unsigned char sig[TK_SIGBYTES])
{
	return (crypto_sign_verify_detached(sig, h, 32, pub) == 0 ? 0 : -1);
}
