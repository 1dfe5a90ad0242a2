/*
 * The map: chained hash buckets, doubled as the map grows, and a list
 * from the most to the least recently used.  Each entry is one allocation
 * with its value at the end.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/lru.h"

#define LRU_BUCKETS_MIN	64

struct entry {
	struct entry	*chain;		/* the next in its bucket */
	struct entry	*newer;
	struct entry	*older;
	size_t		 len;
	unsigned char	 key[LRU_KEYLEN];
	unsigned char	 value[];
};

struct lru {
	struct entry	**buckets;
	size_t		 nbuckets;	/* a power of two */
	size_t		 count;
	size_t		 bytes;
	size_t		 budget;
	struct entry	*newest;
	struct entry	*oldest;
};

static void		 *xcalloc(size_t, size_t);
static void		 *xmalloc(size_t);
static struct entry	**bucket(struct lru *, const unsigned char *);
static struct entry	**find(struct lru *, const unsigned char *);
static void		  unlink_entry(struct lru *, struct entry **);
static void		  make_newest(struct lru *, struct entry *);
static void		  grow(struct lru *);

static void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL)
		abort();
	return (p);
}

static void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size)) == NULL)
		abort();
	return (p);
}

struct lru *
lru_new(size_t budget)
{
	struct lru	*l;

	l = xcalloc(1, sizeof(*l));
	l->budget = budget;
	l->nbuckets = LRU_BUCKETS_MIN;
	l->buckets = xcalloc(l->nbuckets, sizeof(*l->buckets));
	return (l);
}

void
lru_free(struct lru *l)
{
	if (l == NULL)
		return;
	lru_clear(l);
	free(l->buckets);
	free(l);
}

static struct entry **
bucket(struct lru *l, const unsigned char *key)
{
	uint64_t	 h;

	memcpy(&h, key, sizeof(h));
	return (&l->buckets[h & (l->nbuckets - 1)]);
}

/* Where the link to key's entry is (*result NULL: there is none). */
static struct entry **
find(struct lru *l, const unsigned char *key)
{
	struct entry	**e;

	for (e = bucket(l, key); *e != NULL; e = &(*e)->chain)
		if (memcmp((*e)->key, key, LRU_KEYLEN) == 0)
			break;
	return (e);
}

/* Takes the entry *link leads to out of its bucket and the list. */
static void
unlink_entry(struct lru *l, struct entry **link)
{
	struct entry	*e = *link;

	*link = e->chain;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		l->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		l->oldest = e->newer;
	l->count--;
	l->bytes -= sizeof(*e) + e->len;
}

static void
make_newest(struct lru *l, struct entry *e)
{
	e->newer = NULL;
	e->older = l->newest;
	if (l->newest != NULL)
		l->newest->newer = e;
	else
		l->oldest = e;
	l->newest = e;
}

/* Twice the buckets, for as many buckets as entries at most. */
static void
grow(struct lru *l)
{
	struct entry	**old, *e, *next, **b;
	size_t		  n, i;

	old = l->buckets;
	n = l->nbuckets;
	l->nbuckets *= 2;
	l->buckets = xcalloc(l->nbuckets, sizeof(*l->buckets));
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->chain;
			b = bucket(l, e->key);
			e->chain = *b;
			*b = e;
		}
	}
	free(old);
}

const void *
lru_get(struct lru *l, const unsigned char *key, size_t *len)
{
	struct entry	*e;

	if ((e = *find(l, key)) == NULL)
		return (NULL);
	if (e != l->newest) {
		if (e->newer != NULL)
			e->newer->older = e->older;
		if (e->older != NULL)
			e->older->newer = e->newer;
		else
			l->oldest = e->newer;
		make_newest(l, e);
	}
	*len = e->len;
	return (e->value);
}

void
lru_put(struct lru *l, const unsigned char *key, const void *value,
    size_t len)
{
	struct entry	**link, *e;

	if ((e = *(link = find(l, key))) != NULL) {
		unlink_entry(l, link);
		free(e);
	}
	if (len > l->budget || sizeof(*e) + len > l->budget)
		return;
	while (l->bytes + sizeof(*e) + len > l->budget) {
		e = l->oldest;
		unlink_entry(l, find(l, e->key));
		free(e);
	}
	e = xmalloc(sizeof(*e) + len);
	memcpy(e->key, key, LRU_KEYLEN);
	memcpy(e->value, value, len);
	e->len = len;
	if (l->count >= l->nbuckets)
		grow(l);
	link = bucket(l, key);
	e->chain = *link;
	*link = e;
	make_newest(l, e);
	l->count++;
	l->bytes += sizeof(*e) + len;
}

void
lru_clear(struct lru *l)
{
	struct entry	*e, *next;

	for (e = l->newest; e != NULL; e = next) {
		next = e->older;
		free(e);
	}
	memset(l->buckets, 0, l->nbuckets * sizeof(*l->buckets));
	l->newest = l->oldest = NULL;
	l->count = 0;
	l->bytes = 0;
}

size_t
lru_bytes(const struct lru *l)
{
	return (l->bytes);
}

size_t
lru_count(const struct lru *l)
{
	return (l->count);
}
