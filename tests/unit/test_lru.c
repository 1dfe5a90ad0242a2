/*
 * lru.c: what is kept is found, the least recently used goes first, the
 * budget holds, a key kept again replaces its value.
 */

#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "core/lru.h"

static const unsigned char	*key(int);
static void	put(struct lru *, int, const char *);
static void	has(struct lru *, int, const char *);

/* Keys whose first bytes, which place them, are all the same. */
static const unsigned char *
key(int n)
{
	static unsigned char	 k[LRU_KEYLEN];

	memset(k, 0, sizeof(k));
	k[LRU_KEYLEN - 1] = (unsigned char)n;
	k[LRU_KEYLEN - 2] = (unsigned char)(n >> 8);
	return (k);
}

static void
put(struct lru *l, int n, const char *value)
{
	lru_put(l, key(n), value, strlen(value));
}

/* value NULL: nothing is kept under n. */
static void
has(struct lru *l, int n, const char *value)
{
	const char	*got;
	size_t		 len;

	got = lru_get(l, key(n), &len);
	if (value == NULL) {
		if (got != NULL)
			fail_msg("key %d: kept [%.*s]", n, (int)len, got);
		return;
	}
	if (got == NULL)
		fail_msg("key %d: nothing kept, want [%s]", n, value);
	if (len != strlen(value) || memcmp(got, value, len) != 0)
		fail_msg("key %d: [%.*s], want [%s]", n, (int)len, got, value);
}

static void
test_found(void **state)
{
	struct lru	*l;
	int		 i;
	char		 v[16];

	(void)state;
	l = lru_new(1 << 20);
	has(l, 1, NULL);
	/* Past the first buckets, all in one chain. */
	for (i = 0; i < 1000; i++) {
		(void)snprintf(v, sizeof(v), "value %d", i);
		put(l, i, v);
	}
	assert_int_equal(lru_count(l), 1000);
	for (i = 0; i < 1000; i++) {
		(void)snprintf(v, sizeof(v), "value %d", i);
		has(l, i, v);
	}
	has(l, 1000, NULL);
	put(l, 7, "");
	has(l, 7, "");
	lru_clear(l);
	assert_int_equal(lru_count(l), 0);
	assert_int_equal(lru_bytes(l), 0);
	has(l, 3, NULL);
	put(l, 3, "again");
	has(l, 3, "again");
	lru_free(l);
}

static void
test_replace(void **state)
{
	struct lru	*l;
	size_t		 bytes;

	(void)state;
	l = lru_new(1 << 20);
	put(l, 1, "one");
	bytes = lru_bytes(l);
	put(l, 1, "uno");
	has(l, 1, "uno");
	assert_int_equal(lru_count(l), 1);
	assert_int_equal(lru_bytes(l), bytes);
	lru_free(l);
}

static void
test_budget(void **state)
{
	struct lru	*l;
	size_t		 one;
	char		 big[1000];

	(void)state;
	l = lru_new(1 << 20);
	put(l, 0, "0123456789");
	one = lru_bytes(l);
	lru_free(l);

	/* Room for three values of ten bytes. */
	l = lru_new(3 * one);
	put(l, 1, "aaaaaaaaaa");
	put(l, 2, "bbbbbbbbbb");
	put(l, 3, "cccccccccc");
	/* 1 is read, so 2 is the least recently used. */
	has(l, 1, "aaaaaaaaaa");
	put(l, 4, "dddddddddd");
	has(l, 2, NULL);
	has(l, 1, "aaaaaaaaaa");
	has(l, 3, "cccccccccc");
	has(l, 4, "dddddddddd");
	assert_true(lru_bytes(l) <= 3 * one);

	/* More than the budget: not kept, and the old value is gone. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put(l, 3, big);
	has(l, 3, NULL);
	has(l, 1, "aaaaaaaaaa");

	/* A longer value pushes out as many as it needs. */
	put(l, 5, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
	assert_true(lru_bytes(l) <= 3 * one);
	has(l, 5, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
	lru_free(l);

	/* A budget of nothing keeps nothing. */
	l = lru_new(0);
	put(l, 1, "a");
	has(l, 1, NULL);
	lru_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_budget),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
