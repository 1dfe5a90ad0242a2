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

int
session_hash(struct http_request *req, char *hex, size_t size)
{
	unsigned char	 hash[TOKEN_HASHLEN];
	char		*token;
	size_t		 len;

	/* Kore appends the cookies again on each call. */
	if (TAILQ_EMPTY(&req->req_cookies))
		http_populate_cookies(req);
	if (!http_request_cookie(req, SESSION_COOKIE, &token))
		return (0);
	len = strlen(token);
	if (len != TOKEN_STRLEN || size < 2 * sizeof(hash) + 1)
		return (0);
	token_hash(token, len, hash);
	sodium_bin2hex(hex, size, hash, sizeof(hash));
	return (1);
}
