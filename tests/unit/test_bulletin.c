/*
 * A whole board as the site publishes it, built here from scratch: read,
 * checked and opened; then every way of altering it is found and named.
 */

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/board.h"
#include "core/bulletin.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/money.h"

#define N	3
#define K	2

static struct trustee_key	 tk[N];
static unsigned char		 board_pk[BOARD_PUBLICBYTES];
static unsigned char		 board_sk[BOARD_SECRETBYTES];

static json_t *
b64(const unsigned char *p, size_t len)
{
	char	 text[1024];

	sodium_bin2base64(text, sizeof(text), p, len,
	    sodium_base64_VARIANT_ORIGINAL);
	return (json_string(text));
}

static json_t *
hex(const unsigned char *p, size_t len)
{
	char	 text[129];

	sodium_bin2hex(text, sizeof(text), p, len);
	return (json_string(text));
}

/* Appends a signed entry for voter with amount to the board. */
static void
append(json_t *board, const unsigned char *y, const unsigned char *ctx,
    const char *voter, int64_t amount)
{
	json_t			*entries = json_object_get(board, "entries");
	struct board_entry	 e;
	unsigned char		 ct[EG_BIDBYTES], h[BOARD_HASHBYTES];
	unsigned char		 sig[BOARD_SIGBYTES];
	size_t			 n = json_array_size(entries);

	memset(&e, 0, sizeof(e));
	if (n > 0)
		(void)sodium_hex2bin(e.prev, 32, json_string_value(
		    json_object_get(json_array_get(entries, n - 1), "hash")),
		    64, NULL, NULL, NULL);
	assert_int_equal(eg_seal(y, voter, amount, ct), 0);
	e.seq = n + 1;
	e.voter = voter;
	e.at = "2026-12-07T10:00:00.5Z";
	e.ciphertext = ct;
	e.ciphertext_len = sizeof(ct);
	board_hash(ctx, &e, h);
	board_sign(board_sk, h, sig);
	json_array_append_new(entries, json_pack("{s:I, s:s, s:s, s:o, s:o, "
	    "s:o, s:o}", "seq", (json_int_t)e.seq, "voter", voter, "at", e.at,
	    "ciphertext", b64(ct, sizeof(ct)), "prev", hex(e.prev, 32),
	    "hash", hex(h, 32), "signature", b64(sig, sizeof(sig))));
}

/* A 2-of-3 board with its key set up by the trustees, and bids. */
static json_t *
board_new(unsigned char *y, unsigned char *ctx, unsigned char (*x)[32])
{
	unsigned char	 pubs[N][TK_PUBLICBYTES], *d[N], h[32];
	unsigned char	 sig[TK_SIGBYTES];
	const char	*names[N] = { "ann", "ben", "cy" }, *why;
	json_t		*board, *trustees;
	unsigned	 i, bad;

	for (i = 0; i < N; i++)
		memcpy(pubs[i], tk[i].pub, TK_PUBLICBYTES);
	dkg_context("tcp", K, N, (const unsigned char (*)[TK_PUBLICBYTES])pubs,
	    ctx);
	for (i = 0; i < N; i++) {
		d[i] = malloc(dkg_dealing_len(N, K));
		assert_int_equal(dkg_deal(&tk[i], ctx, i + 1, N, K,
		    (const unsigned char (*)[TK_PUBLICBYTES])pubs, d[i]), 0);
	}
	dkg_joint_key(N, K, (const unsigned char *const *)d, y);
	dkg_ack_hash(ctx, y, N, K, (const unsigned char *const *)d, h);
	trustees = json_array();
	for (i = 0; i < N; i++) {
		assert_int_equal(dkg_share(&tk[i], i + 1, N, K,
		    (const unsigned char *const *)d, x[i], &bad, &why), 0);
		dkg_sign(&tk[i], h, sig);
		json_array_append_new(trustees, json_pack("{s:I, s:s, s:o, "
		    "s:o, s:o}", "index", (json_int_t)i + 1, "name", names[i],
		    "public_key", b64(pubs[i], TK_PUBLICBYTES), "dealing",
		    b64(d[i], dkg_dealing_len(N, K)), "ack",
		    b64(sig, sizeof(sig))));
	}
	for (i = 0; i < N; i++)
		free(d[i]);
	board = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:s, s:[], s:[]}",
	    "proposal", "tcp", "readers", "trustees", "threshold", K,
	    "trustees", trustees, "bid_key",
	    b64(y, 32), "board_key", b64(board_pk, sizeof(board_pk)),
	    "max_bid", "1000000000.00", "entries", "parts");
	append(board, y, ctx, "alice", 500);
	append(board, y, ctx, "bob", 1000);
	append(board, y, ctx, "alice", -200);	/* replaces her 5.00 */
	append(board, y, ctx, "eleanor", -5000);
	return (board);
}

/* Trustee index's parts of the bids that count. */
static void
add_parts(json_t *board, struct bulletin *b, unsigned index,
    const unsigned char *x)
{
	unsigned char	 d[EG_POINTBYTES], proof[EG_PROOFBYTES];
	json_t		*parts = json_array();
	size_t		 i;

	for (i = 0; i < b->nbids; i++) {
		assert_int_equal(eg_part(b->ctx, index, x, b->t[index - 1].yj,
		    b->bids[i].ct, d, proof), 0);
		json_array_append_new(parts, json_pack("{s:I, s:o, s:o}",
		    "seq", (json_int_t)b->bids[i].seq, "part", b64(d, sizeof(d)),
		    "proof", b64(proof, sizeof(proof))));
	}
	json_array_append_new(json_object_get(board, "parts"),
	    json_pack("{s:I, s:s, s:o}", "index", (json_int_t)index, "trustee",
	    "t", "parts", parts));
}

/* Trustees 1 and 2 give their parts; b is the board read and opened. */
static void
open_by_two(json_t *board, struct bulletin *b, unsigned char (*x)[32])
{
	assert_int_equal(bulletin_read(b, board, board_pk), 0);
	add_parts(board, b, 1, x[0]);
	add_parts(board, b, 2, x[1]);
	bulletin_free(b);
	assert_int_equal(bulletin_read(b, board, board_pk), 0);
	assert_int_equal(bulletin_open(b, board), 2);
}

static const char *
entry_hash(json_t *board, size_t i)
{
	return (json_string_value(json_object_get(json_array_get(
	    json_object_get(board, "entries"), i), "hash")));
}

static void
test_whole(void **state)
{
	unsigned char	 y[32], ctx[32], x[N][32];
	struct bulletin	 b;
	json_t		*board;

	(void)state;
	board = board_new(y, ctx, x);
	assert_int_equal(bulletin_read(&b, board, board_pk), 0);
	assert_int_equal(b.nproblems, 0);
	assert_int_equal(b.entries, 4);
	assert_int_equal(b.nbids, 3);
	/* Before any part, nothing opens; with one of two, still nothing. */
	assert_int_equal(bulletin_open(&b, board), 0);
	assert_int_equal(b.opened, 0);
	add_parts(board, &b, 3, x[2]);
	bulletin_free(&b);
	assert_int_equal(bulletin_read(&b, board, board_pk), 0);
	assert_int_equal(bulletin_open(&b, board), 1);
	assert_int_equal(b.opened, 0);
	add_parts(board, &b, 1, x[0]);
	bulletin_free(&b);

	assert_int_equal(bulletin_read(&b, board, board_pk), 0);
	assert_int_equal(bulletin_open(&b, board), 2);
	assert_int_equal(b.nproblems, 0);
	assert_int_equal(b.opened, 3);
	/* In the order of the board: bob (2), alice (3), eleanor (4). */
	assert_string_equal(b.bids[0].voter, "bob");
	assert_true(b.bids[0].valid == 1 && b.bids[0].amount == 1000);
	assert_string_equal(b.bids[1].voter, "alice");
	assert_true(b.bids[1].valid == 1 && b.bids[1].amount == -200);
	assert_string_equal(b.bids[1].receipt, entry_hash(board, 2));
	assert_true(b.bids[2].valid == 1 && b.bids[2].amount == -5000);
	bulletin_free(&b);
	json_decref(board);
}

/* The problems, as one string, for strstr. */
static void
expect_problem(json_t *board, const char *what)
{
	struct bulletin	 b;

	(void)bulletin_read(&b, board, board_pk);
	(void)bulletin_open(&b, board);
	if (strstr(buf_cstr(&b.problems), what) == NULL)
		fail_msg("want \"%s\" in:\n%s", what, buf_cstr(&b.problems));
	bulletin_free(&b);
}

static void
test_altered(void **state)
{
	unsigned char	 y[32], ctx[32], x[N][32], ct[EG_BIDBYTES];
	unsigned char	 other[BOARD_PUBLICBYTES], other_sk[64];
	json_t		*board, *copy, *e, *entries;
	struct bulletin	 b;

	(void)state;
	board = board_new(y, ctx, x);

	/* Bob's 10.00 rewritten: a new ciphertext in his entry. */
	copy = json_deep_copy(board);
	e = json_array_get(json_object_get(copy, "entries"), 1);
	assert_int_equal(eg_seal(y, "bob", -99900, ct), 0);
	json_object_set_new(e, "ciphertext", b64(ct, sizeof(ct)));
	expect_problem(copy, "entry 2 (bob): its hash is not that of its "
	    "fields");
	/* And the rewritten bid does not count: bob has none. */
	(void)bulletin_read(&b, copy, board_pk);
	assert_int_equal(b.nbids, 2);
	bulletin_free(&b);
	json_decref(copy);

	/* A forged bid for a voter who never bid, hash and all. */
	copy = json_deep_copy(board);
	board_key((const unsigned char *)"0123456789abcdef0123456789abcdef",
	    other, other_sk);
	memcpy(board_sk, other_sk, sizeof(board_sk));
	append(copy, y, ctx, "mallory", 500000);
	board_key((const unsigned char *)"the test's own board master key",
	    board_pk, board_sk);
	expect_problem(copy, "entry 5 (mallory): it is not signed by the "
	    "board key");
	json_decref(copy);

	/* Reordered: entries 2 and 3 swap places. */
	copy = json_deep_copy(board);
	entries = json_object_get(copy, "entries");
	e = json_incref(json_array_get(entries, 1));
	json_array_remove(entries, 1);
	json_array_insert_new(entries, 2, e);
	expect_problem(copy, "entry 2 (alice): it is numbered 3");
	json_decref(copy);

	/* Dropped: bob's entry gone, and the rest renumbered to hide it. */
	copy = json_deep_copy(board);
	entries = json_object_get(copy, "entries");
	json_array_remove(entries, 1);
	json_object_set_new(json_array_get(entries, 1), "seq",
	    json_integer(2));
	expect_problem(copy, "entry 2 (alice): its hash is not that of its "
	    "fields");
	json_decref(copy);
	/* Dropped, numbers left: the next does not follow. */
	copy = json_deep_copy(board);
	json_array_remove(json_object_get(copy, "entries"), 1);
	expect_problem(copy, "entry 2 (alice): it is numbered 3");
	json_decref(copy);

	/* Another key for the bids than the trustees made. */
	copy = json_deep_copy(board);
	{
		unsigned char	 xs[32], ys[32];

		eg_keypair(xs, ys);
		json_object_set_new(copy, "bid_key", b64(ys, 32));
	}
	expect_problem(copy, "the bid key is not the one the trustees' "
	    "dealings make");
	json_decref(copy);

	/* A trustee's part of one bid, wrong. */
	copy = json_deep_copy(board);
	(void)bulletin_read(&b, copy, board_pk);
	add_parts(copy, &b, 1, x[0]);
	add_parts(copy, &b, 2, x[2]);	/* cy's share as ben's */
	bulletin_free(&b);
	expect_problem(copy, "ben: its part of entry 2 is not correct");
	(void)bulletin_read(&b, copy, board_pk);
	assert_int_equal(bulletin_open(&b, copy), 1);
	assert_int_equal(b.opened, 0);
	assert_int_equal(b.t[1].parts, -1);
	bulletin_free(&b);
	json_decref(copy);

	/* A board signed by another key than the one trusted. */
	expect_problem(board, "");
	memcpy(other, board_pk, sizeof(other));
	other[0] ^= 1;
	(void)bulletin_read(&b, board, other);
	assert_non_null(strstr(buf_cstr(&b.problems), "another signing key"));
	assert_int_equal(b.nbids, 0);
	bulletin_free(&b);
	json_decref(board);
}

/* A bid that was sealed wrong is listed, not a stop. */
static void
test_invalid_bid(void **state)
{
	unsigned char	 y[32], ctx[32], x[N][32];
	struct bulletin	 b;
	json_t		*board;

	(void)state;
	board = board_new(y, ctx, x);
	/* Sealed for "alicia", posted as bob's (the server signs it). */
	{
		json_t			*entries = json_object_get(board,
					    "entries");
		struct board_entry	 e;
		unsigned char		 ct[EG_BIDBYTES], h[32], sig[64];

		memset(&e, 0, sizeof(e));
		(void)sodium_hex2bin(e.prev, 32, entry_hash(board, 3), 64, NULL,
		    NULL, NULL);
		assert_int_equal(eg_seal(y, "alicia", 100, ct), 0);
		e.seq = 5;
		e.voter = "bob";
		e.at = "2026-12-07T10:01:00Z";
		e.ciphertext = ct;
		e.ciphertext_len = sizeof(ct);
		board_hash(ctx, &e, h);
		board_sign(board_sk, h, sig);
		json_array_append_new(entries, json_pack("{s:i, s:s, s:s, "
		    "s:o, s:o, s:o, s:o}", "seq", 5, "voter", "bob", "at",
		    e.at, "ciphertext", b64(ct, sizeof(ct)), "prev",
		    hex(e.prev, 32), "hash", hex(h, 32), "signature",
		    b64(sig, sizeof(sig))));
	}
	open_by_two(board, &b, x);
	assert_int_equal(b.nproblems, 0);
	assert_int_equal(b.opened, 3);
	assert_string_equal(b.bids[2].voter, "bob");
	assert_int_equal(b.bids[2].valid, -1);
	assert_non_null(strstr(b.bids[2].why, "another voter"));
	bulletin_free(&b);
	json_decref(board);
}

/*
 * On a roll: a bid by a voter off it is invalid, with the reason; a voter
 * on it without a bid abstains, and the cost is shared by the whole roll.
 */
static void
test_roll(void **state)
{
	unsigned char		 y[32], ctx[32], x[N][32];
	struct bulletin		 b;
	struct clarke_result	 res;
	struct buf		 json, csv;
	json_t			*board, *doc;
	const char		*why;

	(void)state;
	board = board_new(y, ctx, x);
	json_object_set_new(board, "electorate", json_string("roll"));
	expect_problem(board, "its electorate and roll do not agree");
	json_object_set_new(board, "roll", json_pack("[s, s, s]", "eleanor",
	    "alice", "dave"));
	open_by_two(board, &b, x);
	buf_init(&json);
	buf_init(&csv);
	assert_int_equal(bulletin_result(&b, 300, CLARKE_PIVOT,
	    CLARKE_PAYOUT_NONE, &res, &json, &csv, &why), 0);
	doc = json_loads(buf_cstr(&json), 0, NULL);
	assert_non_null(doc);
	/*
	 * Shares of 1.00 over the roll of three; dave, who abstains, pays
	 * none.  alice -2.00 - 1.00 and eleanor -50.00 - 1.00: rejected.
	 */
	assert_int_equal(res.adopt, 0);
	assert_int_equal(res.total_cost, 200);
	assert_int_equal(json_array_size(json_object_get(doc, "voters")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "voters"), 1), "voter")), "dave");
	assert_true(json_is_null(json_object_get(json_array_get(
	    json_object_get(doc, "voters"), 1), "bid")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "invalid"), 0), "reason")),
	    "its voter is not on the voter roll");
	json_decref(doc);
	buf_free(&json);
	buf_free(&csv);
	bulletin_free(&b);
	json_decref(board);
}

static int
setup(void **state)
{
	size_t	 i;

	(void)state;
	if (sodium_init() == -1)
		return (-1);
	for (i = 0; i < N; i++)
		tk_new(&tk[i]);
	board_key((const unsigned char *)"the test's own board master key",
	    board_pk, board_sk);
	return (0);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_altered),
		cmocka_unit_test(test_invalid_bid),
		cmocka_unit_test(test_roll),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
