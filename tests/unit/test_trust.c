/*
 * Trustees, their joint key, sealed bids and the board: every round trip,
 * and every way a part, a dealing or a bid can be wrong.
 */

#include "unit.h"

#include <string.h>

#include <sodium.h>

#include "core/board.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/money.h"
#include "core/transcript.h"

#define N	3
#define K	2

struct setup {
	struct trustee_key	 tk[N];
	unsigned char		 pubs[N][TK_PUBLICBYTES];
	unsigned char		 ctx[32];
	unsigned char		*dealing[N];
	unsigned char		 y[EG_POINTBYTES];
	unsigned char		 x[N][EG_SCALARBYTES];
	unsigned char		 yj[N][EG_POINTBYTES];
};

static void
setup_make(struct setup *s, unsigned n, unsigned k)
{
	const char	*why;
	unsigned	 i, bad;

	for (i = 0; i < n; i++) {
		tk_new(&s->tk[i]);
		memcpy(s->pubs[i], s->tk[i].pub, TK_PUBLICBYTES);
	}
	dkg_context("drop-tcp-wrappers", k, n,
	    (const unsigned char (*)[TK_PUBLICBYTES])s->pubs, s->ctx);
	for (i = 0; i < n; i++) {
		s->dealing[i] = test_malloc(dkg_dealing_len(n, k));
		assert_int_equal(dkg_deal(&s->tk[i], s->ctx, i + 1, n, k,
		    (const unsigned char (*)[TK_PUBLICBYTES])s->pubs,
		    s->dealing[i]), 0);
		assert_int_equal(dkg_dealing_check(s->dealing[i],
		    dkg_dealing_len(n, k), s->ctx, i + 1, n, k, s->pubs[i],
		    &why), 0);
	}
	dkg_joint_key(n, k, (const unsigned char *const *)s->dealing, s->y);
	assert_true(eg_point_ok(s->y));
	for (i = 0; i < n; i++) {
		assert_int_equal(dkg_share(&s->tk[i], i + 1, n, k,
		    (const unsigned char *const *)s->dealing, s->x[i], &bad,
		    &why), 0);
		assert_int_equal(dkg_verification_key(n, k,
		    (const unsigned char *const *)s->dealing, i + 1,
		    s->yj[i]), 0);
	}
}

static void
setup_free(struct setup *s, unsigned n)
{
	unsigned	 i;

	for (i = 0; i < n; i++)
		test_free(s->dealing[i]);
}

/* The bid from the parts of the trustees in which[0..k-1] (0-based). */
static int
open_with(struct setup *s, const unsigned char *ct, const char *voter,
    const unsigned *which, size_t k, int64_t *amount, const char **why)
{
	unsigned char	 d[N][EG_POINTBYTES], proof[EG_PROOFBYTES];
	unsigned char	 key[EG_POINTBYTES];
	unsigned	 index[N];
	size_t		 i;

	for (i = 0; i < k; i++) {
		index[i] = which[i] + 1;
		assert_int_equal(eg_part(s->ctx, index[i], s->x[which[i]],
		    s->yj[which[i]], ct, d[i], proof), 0);
		assert_int_equal(eg_part_verify(s->ctx, index[i],
		    s->yj[which[i]], ct, d[i], proof), 0);
	}
	assert_int_equal(eg_combine(k, index,
	    (const unsigned char (*)[EG_POINTBYTES])d, key), 0);
	return (eg_open(s->y, voter, ct, key, MONEY_BID_MAX, amount, why));
}

static void
test_transcript(void **state)
{
	struct transcript	 t;
	unsigned char		 a[32], b[32];

	(void)state;
	/* Parts are delimited: "ab","c" is not "a","bc". */
	transcript_init(&t, "d");
	transcript_put_str(&t, "ab");
	transcript_put_str(&t, "c");
	transcript_end(&t, a);
	transcript_init(&t, "d");
	transcript_put_str(&t, "a");
	transcript_put_str(&t, "bc");
	transcript_end(&t, b);
	assert_memory_not_equal(a, b, 32);
	transcript_init(&t, "e");
	transcript_put_str(&t, "ab");
	transcript_put_str(&t, "c");
	transcript_end(&t, b);
	assert_memory_not_equal(a, b, 32);
	transcript_init_scalar(&t, "d");
	transcript_end(&t, a);
	assert_true(eg_scalar_ok(a));
}

static void
test_threshold(void **state)
{
	static const int64_t	 amounts[] = { 1, -MONEY_BID_MAX,
	    MONEY_BID_MAX - 1, 0, -5000 };
	static const unsigned	 pairs[][2] = { {0, 1}, {0, 2}, {1, 2},
	    {2, 0} };
	struct setup	 s;
	unsigned char	 ct[EG_BIDBYTES];
	const char	*why;
	int64_t		 got;
	size_t		 a, p;
	unsigned	 all[] = { 0, 1, 2 };

	(void)state;
	setup_make(&s, N, K);
	for (a = 0; a < sizeof(amounts) / sizeof(amounts[0]); a++) {
		assert_int_equal(eg_seal(s.y, "alice", amounts[a], ct), 0);
		for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
			got = 7;
			assert_int_equal(open_with(&s, ct, "alice", pairs[p],
			    2, &got, &why), 0);
			assert_true(got == amounts[a]);
		}
		assert_int_equal(open_with(&s, ct, "alice", all, 3, &got,
		    &why), 0);
		assert_true(got == amounts[a]);
		/* One part is not enough: it is not the key. */
		assert_int_equal(open_with(&s, ct, "alice", all, 1, &got,
		    &why), -1);
		assert_non_null(strstr(why, "does not open"));
		/* Sealed for alice: bob's it is not. */
		assert_int_equal(open_with(&s, ct, "bob", all, 2, &got, &why),
		    -1);
	}
	setup_free(&s, N);
}

static void
test_one_of_one(void **state)
{
	unsigned char	 x[EG_SCALARBYTES], y[EG_POINTBYTES];
	unsigned char	 master[32], wrapped[EG_WRAPPEDBYTES];
	unsigned char	 back[EG_SCALARBYTES], ct[EG_BIDBYTES];
	unsigned char	 key[EG_POINTBYTES], d[EG_POINTBYTES];
	unsigned char	 proof[EG_PROOFBYTES], ctx[32];
	unsigned	 one = 1;
	const char	*why;
	int64_t		 got;

	(void)state;
	eg_keypair(x, y);
	randombytes_buf(master, sizeof(master));
	eg_wrap(master, x, wrapped);
	assert_int_equal(eg_unwrap(master, wrapped, y, back), 0);
	assert_memory_equal(x, back, sizeof(x));
	master[0] ^= 1;
	assert_int_equal(eg_unwrap(master, wrapped, y, back), -1);
	master[0] ^= 1;
	wrapped[30] ^= 1;
	assert_int_equal(eg_unwrap(master, wrapped, y, back), -1);
	wrapped[30] ^= 1;
	/* Another proposal's key: the scalar must be y's. */
	eg_keypair(back, key);
	assert_int_equal(eg_unwrap(master, wrapped, key, back), -1);

	assert_int_equal(eg_seal(y, "bob", -99999, ct), 0);
	assert_int_equal(eg_shared(x, ct, key), 0);
	assert_int_equal(eg_open(y, "bob", ct, key, MONEY_BID_MAX, &got, &why),
	    0);
	assert_true(got == -99999);
	/* The server's part is a part like a trustee's: index 1 of 1. */
	dkg_context("p", 1, 0, NULL, ctx);
	assert_int_equal(eg_part(ctx, 1, x, y, ct, d, proof), 0);
	assert_int_equal(eg_part_verify(ctx, 1, y, ct, d, proof), 0);
	assert_int_equal(eg_combine(1, &one,
	    (const unsigned char (*)[EG_POINTBYTES])&d, key), 0);
	assert_int_equal(eg_open(y, "bob", ct, key, MONEY_BID_MAX, &got, &why),
	    0);
	assert_true(got == -99999);
	/* Bounds: a bid beyond the proposal's max does not count. */
	assert_int_equal(eg_open(y, "bob", ct, key, 99998, &got, &why), -1);
	assert_non_null(strstr(why, "bounds"));
	sodium_memzero(x, sizeof(x));
}

static void
test_sizes(void **state)
{
	unsigned char	 x[EG_SCALARBYTES], y[EG_POINTBYTES];
	unsigned char	 a[EG_BIDBYTES], b[EG_BIDBYTES];

	(void)state;
	eg_keypair(x, y);
	/* The length is fixed by the type; two seals of one amount differ. */
	assert_int_equal(eg_seal(y, "v", 1, a), 0);
	assert_int_equal(eg_seal(y, "v", 1, b), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(eg_seal(y, "v", -MONEY_BID_MAX, a), 0);
	/* Too long to pad: refused, not cut. */
	assert_int_equal(eg_seal(y, "v", INT64_C(-100000000000000), a), -1);
	memset(b, 0, sizeof(b));
	assert_int_equal(eg_seal(b, "v", 1, a), -1);
}

static void
test_altered(void **state)
{
	struct setup	 s;
	unsigned char	 ct[EG_BIDBYTES], other[EG_BIDBYTES];
	unsigned char	 d[EG_POINTBYTES], d2[EG_POINTBYTES];
	unsigned char	 proof[EG_PROOFBYTES], bad[EG_PROOFBYTES];
	unsigned	 idx[2] = { 1, 1 };
	unsigned char	 two[2][EG_POINTBYTES], key[EG_POINTBYTES];
	const char	*why;
	int64_t		 got;
	size_t		 i;

	(void)state;
	setup_make(&s, N, K);
	assert_int_equal(eg_seal(s.y, "alice", 500, ct), 0);
	assert_int_equal(eg_seal(s.y, "alice", 600, other), 0);
	assert_int_equal(eg_part(s.ctx, 1, s.x[0], s.yj[0], ct, d, proof), 0);
	/* Any bit of the proof, another trustee's key or index, another bid. */
	for (i = 0; i < sizeof(proof); i += 7) {
		memcpy(bad, proof, sizeof(bad));
		bad[i] ^= 0x10;
		assert_int_equal(eg_part_verify(s.ctx, 1, s.yj[0], ct, d, bad),
		    -1);
	}
	assert_int_equal(eg_part_verify(s.ctx, 2, s.yj[0], ct, d, proof), -1);
	assert_int_equal(eg_part_verify(s.ctx, 1, s.yj[1], ct, d, proof), -1);
	assert_int_equal(eg_part_verify(s.ctx, 1, s.yj[0], other, d, proof),
	    -1);
	/* A part of another bid passed off as this one's. */
	assert_int_equal(eg_part(s.ctx, 1, s.x[0], s.yj[0], other, d2, proof),
	    0);
	assert_int_equal(eg_part_verify(s.ctx, 1, s.yj[0], ct, d2, proof), -1);
	/* The same trustee twice is not two parts. */
	memcpy(two[0], d, sizeof(d));
	memcpy(two[1], d, sizeof(d));
	assert_int_equal(eg_combine(2, idx,
	    (const unsigned char (*)[EG_POINTBYTES])two, key), -1);
	idx[1] = 0;
	assert_int_equal(eg_combine(2, idx,
	    (const unsigned char (*)[EG_POINTBYTES])two, key), -1);
	/* A bid with a byte changed anywhere does not open. */
	for (i = EG_POINTBYTES; i < sizeof(ct); i++) {
		unsigned	 which[2] = { 0, 1 };

		memcpy(other, ct, sizeof(ct));
		other[i] ^= 0x01;
		assert_int_equal(open_with(&s, other, "alice", which, 2, &got,
		    &why), -1);
	}
	/* Its point: no part can even be made. */
	memcpy(other, ct, sizeof(ct));
	memset(other, 0, EG_POINTBYTES);
	assert_int_equal(eg_part(s.ctx, 1, s.x[0], s.yj[0], other, d, proof),
	    -1);
	assert_int_equal(eg_open(s.y, "alice", other, d, MONEY_BID_MAX, &got,
	    &why), -1);
	setup_free(&s, N);
}

static void
test_dealings(void **state)
{
	struct setup	 s;
	unsigned char	*d, x[EG_SCALARBYTES], h[32], sig[TK_SIGBYTES];
	unsigned char	 again[32];
	size_t		 len = dkg_dealing_len(N, K);
	const char	*why;
	unsigned	 bad;

	(void)state;
	setup_make(&s, N, K);
	d = s.dealing[1];
	/* Another trustee's index, another context, another threshold. */
	assert_int_equal(dkg_dealing_check(d, len, s.ctx, 1, N, K, s.pubs[1],
	    &why), -1);
	assert_int_equal(dkg_dealing_check(d, len, s.ctx, 2, N, K, s.pubs[0],
	    &why), -1);
	assert_non_null(strstr(why, "signature"));
	s.ctx[0] ^= 1;
	assert_int_equal(dkg_dealing_check(d, len, s.ctx, 2, N, K, s.pubs[1],
	    &why), -1);
	s.ctx[0] ^= 1;
	assert_int_equal(dkg_dealing_check(d, len - 1, s.ctx, 2, N, K,
	    s.pubs[1], &why), -1);
	/* Any byte changed breaks the signature. */
	d[100] ^= 1;
	assert_int_equal(dkg_dealing_check(d, len, s.ctx, 2, N, K, s.pubs[1],
	    &why), -1);
	d[100] ^= 1;

	/*
	 * A dealer who signs a share that is not f(j): trustee 3 finds it,
	 * and names the dealer.
	 */
	randombytes_buf(x, sizeof(x));
	x[31] = 0;
	assert_int_equal(crypto_box_seal(d + len - TK_SIGBYTES - 80, x, 32,
	    s.pubs[2] + 32), 0);
	{
		struct transcript	 t;

		transcript_init(&t, "factwiki dealing");
		transcript_put(&t, d, len - TK_SIGBYTES);
		transcript_end(&t, h);
	}
	dkg_sign(&s.tk[1], h, d + len - TK_SIGBYTES);
	assert_int_equal(dkg_dealing_check(d, len, s.ctx, 2, N, K, s.pubs[1],
	    &why), 0);
	assert_int_equal(dkg_share(&s.tk[2], 3, N, K,
	    (const unsigned char *const *)s.dealing, x, &bad, &why), -1);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(why, "commitments"));
	/* Trustee 1's share is still right. */
	assert_int_equal(dkg_share(&s.tk[0], 1, N, K,
	    (const unsigned char *const *)s.dealing, x, &bad, &why), 0);
	/* And a share that is not one's own does not open. */
	assert_int_equal(dkg_share(&s.tk[0], 2, N, K,
	    (const unsigned char *const *)s.dealing, x, &bad, &why), -1);
	assert_int_equal(bad, 1);

	/* Acknowledgements: signed by the trustee, over everything. */
	dkg_ack_hash(s.ctx, s.y, N, K, (const unsigned char *const *)s.dealing,
	    h);
	dkg_sign(&s.tk[0], h, sig);
	assert_int_equal(dkg_verify(s.pubs[0], h, sig), 0);
	assert_int_equal(dkg_verify(s.pubs[1], h, sig), -1);
	s.dealing[2][50] ^= 1;
	dkg_ack_hash(s.ctx, s.y, N, K, (const unsigned char *const *)s.dealing,
	    again);
	assert_memory_not_equal(h, again, 32);
	setup_free(&s, N);
}

/*
 * The last dealer cannot choose the joint key: a commitment C_0 = X - sum
 * of the others' (whose discrete log it would know) comes without a proof
 * of its own discrete log.
 */
static void
test_rogue_key(void **state)
{
	struct setup	 s;
	unsigned char	 x[EG_SCALARBYTES], big_x[EG_POINTBYTES], h[32];
	unsigned char	*d;
	size_t		 len = dkg_dealing_len(N, K);
	const char	*why;
	struct transcript	 t;

	(void)state;
	setup_make(&s, N, K);
	eg_keypair(x, big_x);
	d = s.dealing[2];
	crypto_core_ristretto255_sub(d + 39, big_x, s.dealing[0] + 39);
	crypto_core_ristretto255_sub(d + 39, d + 39, s.dealing[1] + 39);
	transcript_init(&t, "factwiki dealing");
	transcript_put(&t, d, len - TK_SIGBYTES);
	transcript_end(&t, h);
	dkg_sign(&s.tk[2], h, d + len - TK_SIGBYTES);
	assert_int_equal(dkg_dealing_check(d, len, s.ctx, 3, N, K, s.pubs[2],
	    &why), -1);
	assert_non_null(strstr(why, "proof"));
	setup_free(&s, N);
}

static void
test_keys_text(void **state)
{
	struct trustee_key	 a, b;
	char			 text[TK_FILE_LEN], pub[TK_PUBLIC_STRLEN];
	unsigned char		 back[TK_PUBLICBYTES];
	const char		*errstr;

	(void)state;
	tk_new(&a);
	tk_format(&a, text);
	assert_int_equal(tk_parse(text, sizeof(text), &b, &errstr), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(tk_parse(text, sizeof(text) - 1, &b, &errstr), 0);
	assert_int_equal(tk_parse(text, 20, &b, &errstr), -1);
	text[sizeof(TK_FILE_HEAD) + 3] = 'G';
	assert_int_equal(tk_parse(text, sizeof(text), &b, &errstr), -1);
	assert_non_null(strstr(errstr, "hexadecimal"));

	tk_public_text(a.pub, pub);
	assert_int_equal(strlen(pub), TK_PUBLIC_STRLEN - 1);
	assert_int_equal(tk_public_parse(pub, strlen(pub), back, &errstr), 0);
	assert_memory_equal(back, a.pub, sizeof(back));
	assert_int_equal(tk_public_parse(pub, 10, back, &errstr), -1);
	assert_int_equal(tk_public_parse("", 0, back, &errstr), -1);
	pub[0] = '*';
	assert_int_equal(tk_public_parse(pub, strlen(pub), back, &errstr), -1);
	tk_wipe(&a);
	tk_wipe(&b);
}

static void
test_board(void **state)
{
	unsigned char		 master[32], pk[BOARD_PUBLICBYTES];
	unsigned char		 sk[BOARD_SECRETBYTES], pk2[BOARD_PUBLICBYTES];
	unsigned char		 ctx[32], h[BOARD_HASHBYTES];
	unsigned char		 h2[BOARD_HASHBYTES], sig[BOARD_SIGBYTES];
	unsigned char		 ct[EG_BIDBYTES];
	struct board_entry	 e;

	(void)state;
	randombytes_buf(master, sizeof(master));
	randombytes_buf(ctx, sizeof(ctx));
	randombytes_buf(ct, sizeof(ct));
	board_key(master, pk, sk);
	board_key(master, pk2, sk);
	assert_memory_equal(pk, pk2, sizeof(pk));
	memset(&e, 0, sizeof(e));
	e.seq = 1;
	e.voter = "alice";
	e.at = "2026-12-07T10:00:00Z";
	e.ciphertext = ct;
	e.ciphertext_len = sizeof(ct);
	board_hash(ctx, &e, h);
	board_sign(sk, h, sig);
	assert_int_equal(board_verify(pk, h, sig), 0);
	/* Every field is in the hash. */
	e.seq = 2;
	board_hash(ctx, &e, h2);
	assert_memory_not_equal(h, h2, sizeof(h));
	e.seq = 1;
	e.voter = "alicf";
	board_hash(ctx, &e, h2);
	assert_memory_not_equal(h, h2, sizeof(h));
	e.voter = "alice";
	e.prev[31] = 1;
	board_hash(ctx, &e, h2);
	assert_memory_not_equal(h, h2, sizeof(h));
	e.prev[31] = 0;
	ct[40] ^= 1;
	board_hash(ctx, &e, h2);
	assert_memory_not_equal(h, h2, sizeof(h));
	assert_int_equal(board_verify(pk, h2, sig), -1);
	master[0] ^= 1;
	board_key(master, pk2, sk);
	assert_int_equal(board_verify(pk2, h, sig), -1);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_transcript),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_one_of_one),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_altered),
		cmocka_unit_test(test_dealings),
		cmocka_unit_test(test_rogue_key),
		cmocka_unit_test(test_keys_text),
		cmocka_unit_test(test_board),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
