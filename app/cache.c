/*
 * This worker's answers to public reads (view.c says which are public),
 * each kept with the version of the data it was made at (version.c).
 * While the version stays, the same request is answered from here, and a
 * client that holds the answer's ETag is answered 304, both before any
 * database work.  When the version moves, all that is kept goes.
 *
 * An answer is kept under a hash of what it is an answer to: the face,
 * the path and query, and whatever else its bytes depend on (a page's
 * origin: page_cache_key()).  Its ETag hashes that key with the version
 * and the server's run (version_run()), so it is known before the answer
 * is made, and never names two answers.
 *
 * A request read on a standby that lags reads an older version: it finds
 * nothing here (what is kept is at the version now), and what it makes is
 * not kept (replica.c).
 *
 * FACTWIKI_CACHE_MB bounds what each worker keeps: 64 MB unless told.
 * That holds the JSON of some 40,000 series (1.5 KB each) or the pages of
 * some 6,000 (10 KB), the much-read part of a wiki, in what a small
 * machine of two workers can spare; the least recently used go first.  0
 * keeps nothing (ETags still come from the version).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/lru.h"
#include "fw.h"

#define CACHE_MB_ENV	"FACTWIKI_CACHE_MB"
#define CACHE_MB	64
#define CACHE_MB_MAX	65536

static struct lru	*answers;
static size_t		 budget;
/* The version what is kept was made at; 0: none known. */
static uint64_t		 answers_at;

static void	cache_sync(void);

void
cache_init(void)
{
	const char	*mb;
	char		*end;
	unsigned long	 n;

	n = CACHE_MB;
	if ((mb = getenv(CACHE_MB_ENV)) != NULL && mb[0] != '\0') {
		n = strtoul(mb, &end, 10);
		if (*end != '\0' || mb[0] < '0' || mb[0] > '9' ||
		    n > CACHE_MB_MAX)
			fatal("%s must be a number of megabytes from 0 to %d",
			    CACHE_MB_ENV, CACHE_MB_MAX);
	}
	budget = (size_t)n * 1024 * 1024;
	answers = lru_new(budget);
}

/* What is kept was made at the version now, or goes. */
static void
cache_sync(void)
{
	uint64_t	 now;

	if ((now = version_now()) != answers_at) {
		lru_clear(answers);
		answers_at = now;
	}
}

int
cache_ticket(struct cache_ticket *t, struct http_request *req,
    const char *key, size_t len)
{
	memset(t, 0, sizeof(*t));
	if ((t->version = replica_version(req)) == 0)
		return (0);
	crypto_generichash(t->key, sizeof(t->key), (const unsigned char *)key,
	    len, NULL, 0);
	t->keep = budget > 0;
	return (1);
}

void
cache_etag(const struct cache_ticket *t, char *etag, size_t size)
{
	crypto_generichash_state	 st;
	unsigned char			 v[8], h[16];
	char				 hex[2 * sizeof(h) + 1];
	int				 i;

	for (i = 0; i < 8; i++)
		v[i] = (unsigned char)(t->version >> (8 * i));
	crypto_generichash_init(&st, version_run(), VERSION_RUNLEN, sizeof(h));
	crypto_generichash_update(&st, v, sizeof(v));
	crypto_generichash_update(&st, t->key, sizeof(t->key));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	(void)snprintf(etag, size, "\"%s\"", hex);
}

/*
 * Kept as one string: the media type, NUL; each header the handler set,
 * name NUL value NUL; a NUL; the body.
 */
int
cache_find(const struct cache_ticket *t, struct cache_hit *hit)
{
	const char	*p;
	size_t		 len;

	cache_sync();
	if (t->version != answers_at ||
	    (p = lru_get(answers, t->key, &len)) == NULL)
		return (0);
	hit->type = p;
	p += strlen(p) + 1;
	hit->headers = p;
	while (*p != '\0') {
		p += strlen(p) + 1;
		p += strlen(p) + 1;
	}
	p++;
	hit->body = p;
	hit->len = len - (size_t)(p - hit->type);
	return (1);
}

void
cache_replay(struct http_request *req, const struct cache_hit *hit)
{
	const char	*name, *value;

	for (name = hit->headers; *name != '\0';
	    name = value + strlen(value) + 1) {
		value = name + strlen(name) + 1;
		http_response_header(req, name, value);
	}
}

void
cache_keep(const struct cache_ticket *t, struct http_request *req,
    const char *type, const void *body, size_t len)
{
	struct http_header	*h;
	struct buf		 b;

	cache_sync();
	/* Made at an older version: it may show what is no longer so. */
	if (!t->keep || t->version != answers_at)
		return;
	buf_init(&b);
	buf_append(&b, type, strlen(type) + 1);
	TAILQ_FOREACH(h, &req->resp_headers, list) {
		/* A cookie is one reader's. */
		if (!strcasecmp(h->header, "set-cookie")) {
			buf_free(&b);
			return;
		}
		/* True of the read that made it only. */
		if (!strcasecmp(h->header, REPLICA_LAG_HEADER))
			continue;
		buf_append(&b, h->header, strlen(h->header) + 1);
		buf_append(&b, h->value, strlen(h->value) + 1);
	}
	buf_putc(&b, '\0');
	buf_append(&b, body, len);
	lru_put(answers, t->key, b.data, b.len);
	buf_free(&b);
}
