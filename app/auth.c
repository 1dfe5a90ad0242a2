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
auth_params(struct http_request *req, struct dbreq *q, const char *csrf)
{
	unsigned char	 hash[TOKEN_HASHLEN];
	char		 hex[2 * TOKEN_HASHLEN + 1];
	const char	*authz, *token;

	if (http_request_header(req, "authorization", &authz) &&
	    !strncasecmp(authz, "Bearer ", 7)) {
		token = authz + 7;
		token_hash(token, strlen(token), hash);
		sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
		db_param(q, "token");
		db_param(q, hex);
		db_param(q, NULL);
		return;
	}
	if (session_hash(req, hex, sizeof(hex))) {
		if (csrf == NULL)
			(void)http_request_header(req, "x-csrf-token", &csrf);
		db_param(q, "session");
		db_param(q, hex);
		db_param(q, csrf);
		return;
	}
	db_param(q, NULL);
	db_param(q, NULL);
	db_param(q, NULL);
}
