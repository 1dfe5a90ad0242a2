/*
 * Sealed bids: round trips, and every way a bid or a key can be wrong.
 */

#include "unit.h"

#include <string.h>

#include <sodium.h>

#include "core/money.h"
#include "core/seal.h"

static void
test_master_text(void **state)
{
	unsigned char	 k[SEAL_MASTERBYTES], back[SEAL_MASTERBYTES];
	char		 text[SEAL_KEYFILE_LEN], bad[SEAL_KEYFILE_LEN];
	const char	*errstr;

	(void)state;
	seal_master_new(k);
	seal_master_format(k, text);
	assert_int_equal(text[SEAL_KEYFILE_LEN - 1], '\n');
	assert_int_equal(seal_master_parse(text, sizeof(text), back, &errstr),
	    0);
	assert_memory_equal(k, back, sizeof(k));
	/* Without the newline too, and in capitals. */
	memcpy(bad, text, sizeof(bad));
	bad[0] = bad[0] >= 'a' ? (char)(bad[0] - 'a' + 'A') : bad[0];
	assert_int_equal(seal_master_parse(bad, sizeof(bad) - 1, back,
	    &errstr), 0);
	assert_memory_equal(k, back, sizeof(k));

	assert_int_equal(seal_master_parse(text, 10, back, &errstr), -1);
	assert_non_null(strstr(errstr, "64 hexadecimal digits"));
	assert_int_equal(seal_master_parse("", 0, back, &errstr), -1);
	memcpy(bad, text, sizeof(bad));
	bad[5] = 'g';
	assert_int_equal(seal_master_parse(bad, sizeof(bad), back, &errstr),
	    -1);
	assert_non_null(strstr(errstr, "hexadecimal digits only"));
	bad[5] = '\0';
	assert_int_equal(seal_master_parse(bad, sizeof(bad), back, &errstr),
	    -1);
	memcpy(bad, text, sizeof(bad));
	bad[SEAL_KEYFILE_LEN - 1] = ' ';
	assert_int_equal(seal_master_parse(bad, sizeof(bad), back, &errstr),
	    -1);
}

static void
test_master_id(void **state)
{
	unsigned char	 a[SEAL_MASTERBYTES], b[SEAL_MASTERBYTES];
	char		 ida[SEAL_KEYID_STRLEN], ida2[SEAL_KEYID_STRLEN];
	char		 idb[SEAL_KEYID_STRLEN];

	(void)state;
	seal_master_new(a);
	seal_master_new(b);
	seal_master_id(a, ida);
	seal_master_id(a, ida2);
	seal_master_id(b, idb);
	assert_int_equal(strlen(ida), SEAL_KEYID_STRLEN - 1);
	assert_string_equal(ida, ida2);
	assert_string_not_equal(ida, idb);
}

static void
test_wrap(void **state)
{
	unsigned char	 master[SEAL_MASTERBYTES], other[SEAL_MASTERBYTES];
	unsigned char	 pk[SEAL_PUBLICBYTES], pk2[SEAL_PUBLICBYTES];
	unsigned char	 w[SEAL_WRAPPEDBYTES], w2[SEAL_WRAPPEDBYTES];
	unsigned char	 sk[SEAL_SECRETBYTES], ct[SEAL_BIDBYTES];
	int64_t		 voter, amount;

	(void)state;
	seal_master_new(master);
	seal_master_new(other);
	seal_keypair(master, pk, w);
	assert_int_equal(seal_unwrap(master, w, pk, sk), 0);
	/* The unwrapped key opens what the public key sealed. */
	seal_bid(pk, 7, -5000, ct);
	assert_int_equal(seal_bid_open(pk, sk, ct, sizeof(ct), &voter,
	    &amount), 0);
	assert_int_equal(voter, 7);
	assert_int_equal(amount, -5000);

	/* Another master key, an altered wrapping, another proposal's key. */
	assert_int_equal(seal_unwrap(other, w, pk, sk), -1);
	memcpy(w2, w, sizeof(w));
	w2[SEAL_WRAPPEDBYTES - 1] ^= 1;
	assert_int_equal(seal_unwrap(master, w2, pk, sk), -1);
	memcpy(w2, w, sizeof(w));
	w2[0] ^= 1;
	assert_int_equal(seal_unwrap(master, w2, pk, sk), -1);
	seal_keypair(master, pk2, w2);
	assert_int_equal(seal_unwrap(master, w2, pk, sk), -1);
	assert_int_equal(seal_unwrap(master, w, pk2, sk), -1);
}

static void
test_bids(void **state)
{
	static const int64_t	 amounts[] = {
		0, 1, -1, 500, -100000, MONEY_BID_MAX, -MONEY_BID_MAX,
		INT64_MAX, INT64_MIN
	};
	static const int64_t	 voters[] = { 1, 2, 42, INT64_MAX };
	unsigned char		 master[SEAL_MASTERBYTES];
	unsigned char		 pk[SEAL_PUBLICBYTES], w[SEAL_WRAPPEDBYTES];
	unsigned char		 sk[SEAL_SECRETBYTES];
	unsigned char		 ct[SEAL_BIDBYTES], ct2[SEAL_BIDBYTES];
	int64_t			 voter, amount;
	size_t			 i, j;

	(void)state;
	seal_master_new(master);
	seal_keypair(master, pk, w);
	assert_int_equal(seal_unwrap(master, w, pk, sk), 0);
	for (i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		for (j = 0; j < sizeof(voters) / sizeof(voters[0]); j++) {
			seal_bid(pk, voters[j], amounts[i], ct);
			assert_int_equal(seal_bid_open(pk, sk, ct, sizeof(ct),
			    &voter, &amount), 0);
			assert_int_equal(voter, voters[j]);
			assert_int_equal(amount, amounts[i]);
		}
	}

	/* The same bid twice: two ciphertexts, two receipts. */
	seal_bid(pk, 1, 500, ct);
	seal_bid(pk, 1, 500, ct2);
	assert_memory_not_equal(ct, ct2, sizeof(ct));

	/* Altered, cut, or opened with another proposal's keys. */
	for (i = 0; i < sizeof(ct); i++) {
		memcpy(ct2, ct, sizeof(ct));
		ct2[i] ^= 0x80;
		assert_int_equal(seal_bid_open(pk, sk, ct2, sizeof(ct2),
		    &voter, &amount), -1);
	}
	assert_int_equal(seal_bid_open(pk, sk, ct, sizeof(ct) - 1, &voter,
	    &amount), -1);
	assert_int_equal(seal_bid_open(pk, sk, ct, 0, &voter, &amount), -1);
	seal_keypair(master, pk, w);
	assert_int_equal(seal_unwrap(master, w, pk, sk), 0);
	assert_int_equal(seal_bid_open(pk, sk, ct, sizeof(ct), &voter,
	    &amount), -1);
}

/* Sealed to the right key but not a bid: no magic. */
static void
test_not_a_bid(void **state)
{
	unsigned char	 pk[SEAL_PUBLICBYTES], sk[SEAL_SECRETBYTES];
	unsigned char	 m[SEAL_PLAINBYTES], ct[SEAL_BIDBYTES];
	int64_t		 voter, amount;

	(void)state;
	crypto_box_keypair(pk, sk);
	memset(m, 'x', sizeof(m));
	assert_int_equal(crypto_box_seal(ct, m, sizeof(m), pk), 0);
	assert_int_equal(seal_bid_open(pk, sk, ct, sizeof(ct), &voter,
	    &amount), -1);
}

/*
 * What the tally and the voter's own view both take: this key pair's
 * bid, of this voter, in range; and why not, never with the amount.
 */
static void
test_bid_reveal(void **state)
{
	unsigned char	 pk[SEAL_PUBLICBYTES], sk[SEAL_SECRETBYTES];
	unsigned char	 pk2[SEAL_PUBLICBYTES], sk2[SEAL_SECRETBYTES];
	unsigned char	 ct[SEAL_BIDBYTES];
	const char	*why;
	int64_t		 amount;

	(void)state;
	crypto_box_keypair(pk, sk);
	crypto_box_keypair(pk2, sk2);

	seal_bid(pk, 7, -MONEY_BID_MAX, ct);
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct), 7, &amount,
	    &why), 0);
	assert_int_equal(amount, -MONEY_BID_MAX);
	seal_bid(pk, 7, MONEY_BID_MAX, ct);
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct), 7, &amount,
	    &why), 0);
	assert_int_equal(amount, MONEY_BID_MAX);

	/* Each failure leaves the amount alone and says why. */
	amount = 1;
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct), 8, &amount,
	    &why), -1);
	assert_string_equal(why, "was sealed by another voter");
	assert_int_equal(seal_bid_reveal(pk2, sk2, ct, sizeof(ct), 7,
	    &amount, &why), -1);
	assert_string_equal(why, "does not open: it was altered");
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct) - 1, 7,
	    &amount, &why), -1);
	assert_string_equal(why, "does not open: it was altered");
	ct[10] ^= 1;
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct), 7, &amount,
	    &why), -1);
	assert_string_equal(why, "does not open: it was altered");
	seal_bid(pk, 7, MONEY_BID_MAX + 1, ct);
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct), 7, &amount,
	    &why), -1);
	assert_string_equal(why, "is out of range");
	seal_bid(pk, 7, INT64_MIN, ct);
	assert_int_equal(seal_bid_reveal(pk, sk, ct, sizeof(ct), 7, &amount,
	    &why), -1);
	assert_string_equal(why, "is out of range");
	assert_int_equal(amount, 1);
}

static void
test_receipt(void **state)
{
	char	 r[SEAL_RECEIPT_STRLEN];

	(void)state;
	/* BLAKE2b-256 of "abc" (RFC 7693's input, 32-byte output). */
	seal_receipt((const unsigned char *)"abc", 3, r);
	assert_string_equal(r, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	seal_receipt((const unsigned char *)"", 0, r);
	assert_int_equal(strlen(r), 64);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_text),
		cmocka_unit_test(test_master_id),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_bids),
		cmocka_unit_test(test_not_a_bid),
		cmocka_unit_test(test_bid_reveal),
		cmocka_unit_test(test_receipt),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
