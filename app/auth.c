/*
 * The credentials a request carries: a bearer token or a session cookie.
 * Checking them is the database's job, in the statement that writes
 * (api.auth_user()), so that no request can pass a check and then write as
 * someone else.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "auth.h"
#include "fw.h"

void
auth_credentials(struct http_request *req, const char *csrf,
    const char **kind, char *hex, const char **csrfp)
{
	unsigned char	 hash[TOKEN_HASHLEN];
	const char	*authz, *token;

	*kind = NULL;
	*csrfp = NULL;
	hex[0] = '\0';
	if (http_request_header(req, "authorization", &authz) &&
	    !strncasecmp(authz, "Bearer ", 7)) {
		token = authz + 7;
		token_hash(token, strlen(token), hash);
		sodium_bin2hex(hex, AUTH_HEXLEN, hash, sizeof(hash));
		*kind = "token";
		return;
	}
	if (session_hash(req, hex, AUTH_HEXLEN)) {
		if (csrf == NULL)
			(void)http_request_header(req, "x-csrf-token", &csrf);
		*kind = "session";
		*csrfp = csrf;
	}
}

void
auth_params(struct http_request *req, struct dbreq *q, const char *csrf)
{
	const char	*kind;
	char		 hex[AUTH_HEXLEN];

	auth_credentials(req, csrf, &kind, hex, &csrf);
	db_param(q, kind);
	db_param(q, kind != NULL ? hex : NULL);
	db_param(q, csrf);
}
