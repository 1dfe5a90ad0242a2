/*
 * The key keeper's messages: each op answered as the key itself would
 * answer, a wrapped key of another master refused, a point that is not
 * one refused, and anything that is not a whole request refused with
 * nothing in the answer.
 */

#include "unit.h"

#include <string.h>

#include <sodium.h>

#include "core/keeper.h"

static void
test_sign(void **state)
{
	unsigned char	 master[SEAL_MASTERBYTES], hash[BOARD_HASHBYTES];
	unsigned char	 sig[BOARD_SIGBYTES];
	struct keeper	 k;

	(void)state;
	seal_master_new(master);
	keeper_local(&k, master);
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(keeper_sign(&k, hash, sig), KEEPER_OK);
	assert_int_equal(board_verify(k.board_pk, hash, sig), 0);
	hash[0] ^= 1;
	assert_int_not_equal(board_verify(k.board_pk, hash, sig), 0);
	keeper_clear(&k);
}

static void
test_bid_key(void **state)
{
	unsigned char	 master[SEAL_MASTERBYTES], other[SEAL_MASTERBYTES];
	unsigned char	 y[EG_POINTBYTES], wrapped[EG_WRAPPEDBYTES];
	unsigned char	 x[EG_SCALARBYTES], ct[EG_BIDBYTES];
	unsigned char	 key[EG_POINTBYTES], want[EG_POINTBYTES];
	unsigned char	 d[EG_POINTBYTES], proof[EG_PROOFBYTES], ctx[32];
	const char	*why;
	struct keeper	 k, them;
	int64_t		 amount;

	(void)state;
	seal_master_new(master);
	seal_master_new(other);
	keeper_local(&k, master);
	keeper_local(&them, other);
	assert_int_equal(keeper_newkey(&k, y, wrapped), KEEPER_OK);
	/* Only this master opens it, and it is the scalar of y. */
	assert_int_equal(eg_unwrap(master, wrapped, y, x), 0);
	assert_int_equal(eg_unwrap(other, wrapped, y, x), -1);
	assert_int_equal(eg_unwrap(master, wrapped, y, x), 0);

	assert_int_equal(eg_seal(y, "ada", 1234, ct), 0);
	assert_int_equal(keeper_shared(&k, wrapped, y, ct, key), KEEPER_OK);
	assert_int_equal(eg_shared(x, ct, want), 0);
	assert_memory_equal(key, want, sizeof(key));
	assert_int_equal(eg_open(y, "ada", ct, key, 10000, &amount, &why), 0);
	assert_int_equal(amount, 1234);
	assert_int_equal(keeper_shared(&them, wrapped, y, ct, key),
	    KEEPER_NOTOURS);

	randombytes_buf(ctx, sizeof(ctx));
	assert_int_equal(keeper_part(&k, ctx, wrapped, y, ct, d, proof),
	    KEEPER_OK);
	assert_int_equal(eg_part_verify(ctx, 1, y, ct, d, proof), 0);
	assert_int_equal(keeper_part(&them, ctx, wrapped, y, ct, d, proof),
	    KEEPER_NOTOURS);
	/* A bid whose point is not one. */
	memset(ct, 0xff, EG_POINTBYTES);
	assert_int_equal(keeper_shared(&k, wrapped, y, ct, key),
	    KEEPER_UNUSABLE);
	assert_int_equal(keeper_part(&k, ctx, wrapped, y, ct, d, proof),
	    KEEPER_UNUSABLE);
	sodium_memzero(x, sizeof(x));
	keeper_clear(&k);
	keeper_clear(&them);
}

static void
test_not_requests(void **state)
{
	unsigned char		 master[SEAL_MASTERBYTES];
	unsigned char		 raw[sizeof(struct keeper_req) + 1], zero[
				    sizeof(((struct keeper_resp *)0)->out)];
	struct keeper_req	 req;
	struct keeper_resp	 resp;
	struct keeper		 k;

	(void)state;
	seal_master_new(master);
	keeper_local(&k, master);
	memset(zero, 0, sizeof(zero));
	memset(&req, 0, sizeof(req));
	req.id = 7;
	req.op = KEEPER_SIGN;
	memcpy(raw, &req, sizeof(req));
	raw[sizeof(req)] = 0;
	/* One byte short, one byte long: refused, and nothing signed. */
	keeper_answer(&k, raw, sizeof(req) - 1, &resp);
	assert_int_equal(resp.status, KEEPER_BAD);
	assert_memory_equal(resp.out, zero, sizeof(zero));
	keeper_answer(&k, raw, sizeof(raw), &resp);
	assert_int_equal(resp.status, KEEPER_BAD);
	keeper_answer(&k, raw, sizeof(req), &resp);
	assert_int_equal(resp.status, KEEPER_OK);
	assert_int_equal(resp.id, 7);
	req.op = 0;
	keeper_answer(&k, &req, sizeof(req), &resp);
	assert_int_equal(resp.status, KEEPER_BAD);
	req.op = KEEPER_PART + 1;
	keeper_answer(&k, &req, sizeof(req), &resp);
	assert_int_equal(resp.status, KEEPER_BAD);
	assert_memory_equal(resp.out, zero, sizeof(zero));
	keeper_clear(&k);
}

/* A keeper that keeps only its public part has no key left to use. */
static void
test_public(void **state)
{
	unsigned char	 master[SEAL_MASTERBYTES], zero[SEAL_MASTERBYTES];
	char		 id[SEAL_KEYID_STRLEN];
	struct keeper	 k;

	(void)state;
	seal_master_new(master);
	seal_master_id(master, id);
	keeper_local(&k, master);
	keeper_public(&k);
	memset(zero, 0, sizeof(zero));
	assert_memory_equal(k.master, zero, sizeof(zero));
	assert_string_equal(k.master_id, id);
	assert_null(k.call);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_bid_key),
		cmocka_unit_test(test_not_requests),
		cmocka_unit_test(test_public),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
