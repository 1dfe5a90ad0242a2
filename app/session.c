/*
 * The session cookie.  It holds a random token (core/account.c); the
 * database knows only its hash, so a copy of the sessions table signs no
 * one in.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "fw.h"

const char *
cookie_get(struct http_request *req, const char *name)
{
	char	*value;

	/* Kore appends the cookies again on each call. */
	if (TAILQ_EMPTY(&req->req_cookies))
		http_populate_cookies(req);
	if (!http_request_cookie(req, name, &value))
		return (NULL);
	return (value);
}

/*
 * Every cookie of ours: HttpOnly, SameSite=Lax (Kore has no flag for it),
 * and Secure when the client came over TLS, to Kore or to a proxy that
 * says so.  max_age < 0: until the browser closes; 0: gone now.
 */
void
cookie_set(struct http_request *req, const char *name, const char *value,
    long long max_age)
{
	struct buf	 b;
	const char	*proto;

	buf_init(&b);
	buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
	if (max_age >= 0)
		buf_printf(&b, "; Max-Age=%lld", max_age);
	if (req->owner->ssl != NULL ||
	    (http_request_header(req, "x-forwarded-proto", &proto) &&
	    !strcmp(proto, "https")))
		buf_puts(&b, "; Secure");
	http_response_header(req, "set-cookie", buf_cstr(&b));
	buf_free(&b);
}

int
session_hash(struct http_request *req, char *hex, size_t size)
{
	return (cookie_token_hash(req, SESSION_COOKIE, hex, size));
}

int
cookie_token_hash(struct http_request *req, const char *name, char *hex,
    size_t size)
{
	unsigned char	 hash[TOKEN_HASHLEN];
	const char	*token;
	size_t		 len;

	if ((token = cookie_get(req, name)) == NULL)
		return (0);
	len = strlen(token);
	if (len != TOKEN_STRLEN || size < 2 * sizeof(hash) + 1)
		return (0);
	token_hash(token, len, hash);
	sodium_bin2hex(hex, size, hash, sizeof(hash));
	return (1);
}
