/*
 * Account names, passwords and tokens (core/account.c).
 */

#include "unit.h"

#include <string.h>

#include <sodium.h>

#include "core/account.h"

static void
test_username(void **state)
{
	const char	*errstr = NULL;
	char		 long_name[USERNAME_MAX + 2];

	(void)state;
	assert_int_equal(username_check("alice", 5, &errstr), 0);
	assert_int_equal(username_check("a.b_c-9", 7, &errstr), 0);
	assert_int_equal(username_check("", 0, &errstr), -1);
	assert_string_equal(errstr, "a user name has 1 to 64 characters");
	assert_int_equal(username_check("-alice", 6, &errstr), -1);
	assert_int_equal(username_check("al ice", 6, &errstr), -1);
	assert_int_equal(username_check("al\xc3\xa9", 4, &errstr), -1);
	memset(long_name, 'a', sizeof(long_name));
	assert_int_equal(username_check(long_name, USERNAME_MAX, &errstr), 0);
	assert_int_equal(username_check(long_name, USERNAME_MAX + 1, &errstr),
	    -1);
}

static void
test_password(void **state)
{
	const char	*errstr = NULL;

	(void)state;
	assert_int_equal(password_check("12345678", 8, &errstr), 0);
	assert_int_equal(password_check("1234567", 7, &errstr), -1);
	assert_string_equal(errstr, "a password has at least 8 characters");
	assert_int_equal(password_check("1234\0" "5678", 9, &errstr), -1);
}

static void
test_hash_verify(void **state)
{
	char	 hash[PASSWORD_HASHLEN];

	(void)state;
	assert_int_equal(password_hash("correct horse", 13, hash), 0);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_true(password_verify(hash, "correct horse", 13));
	assert_false(password_verify(hash, "correct horsE", 13));
	assert_false(password_verify(hash, "correct hors", 12));
}

static void
test_token_new(void **state)
{
	char		 a[TOKEN_STRLEN + 1], b[TOKEN_STRLEN + 1];
	unsigned char	 ha[TOKEN_HASHLEN], hb[TOKEN_HASHLEN];

	(void)state;
	token_new(a, ha);
	token_new(b, hb);
	assert_int_equal(strlen(a), TOKEN_STRLEN);
	assert_memory_equal(a, "fw_", 3);
	assert_int_equal(strspn(a + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), TOKEN_STRLEN - 3);
	assert_string_not_equal(a, b);
	/* The hash is the token's, as session.c and auth.c compute it. */
	token_hash(a, strlen(a), hb);
	assert_memory_equal(ha, hb, TOKEN_HASHLEN);
}

static void
test_token_derive(void **state)
{
	unsigned char	 key[TOKEN_KEYLEN], other[TOKEN_KEYLEN];
	unsigned char	 nonce[TOKEN_KEYLEN];
	unsigned char	 h1[TOKEN_HASHLEN], h2[TOKEN_HASHLEN], h[TOKEN_HASHLEN];
	char		 t1[TOKEN_STRLEN + 1], t2[TOKEN_STRLEN + 1];

	(void)state;
	memset(key, 1, sizeof(key));
	memset(other, 2, sizeof(other));
	memset(nonce, 3, sizeof(nonce));
	/* The same key and nonce make the same token again. */
	token_derive(key, nonce, t1, h1);
	token_derive(key, nonce, t2, h2);
	assert_string_equal(t1, t2);
	assert_memory_equal(h1, h2, TOKEN_HASHLEN);
	assert_int_equal(strlen(t1), TOKEN_STRLEN);
	token_hash(t1, strlen(t1), h);
	assert_memory_equal(h, h1, TOKEN_HASHLEN);
	/* Another key, another token. */
	token_derive(other, nonce, t2, h2);
	assert_string_not_equal(t1, t2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_username),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_token_new),
		cmocka_unit_test(test_token_derive),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
