/*
 * A map of 32-byte keys to byte strings, bounded by a budget of bytes:
 * keeping one more drops the least recently used until it fits.  The keys
 * are hashes, spread already: their first bytes place them.  Allocation
 * failure aborts, as in buf.c.
 */

#ifndef FW_LRU_H
#define FW_LRU_H

#include <stddef.h>

#define LRU_KEYLEN	32

struct lru;

/* An empty map of at most budget bytes (see lru_bytes()). */
struct lru	*lru_new(size_t budget);
void		 lru_free(struct lru *);
/*
 * The value kept under key, now the most recently used, and its length in
 * *len; NULL when there is none.  It stays until the next lru_put() or
 * lru_clear().
 */
const void	*lru_get(struct lru *, const unsigned char *key, size_t *len);
/*
 * Keeps a copy of value under key, in place of any there.  A value that
 * the whole budget cannot hold is not kept (nor is the old one).
 */
void		 lru_put(struct lru *, const unsigned char *key,
		    const void *value, size_t len);
void		 lru_clear(struct lru *);
/* What is kept, as the budget counts it: values, keys, bookkeeping. */
size_t		 lru_bytes(const struct lru *);
size_t		 lru_count(const struct lru *);

#endif
