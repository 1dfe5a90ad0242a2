/*
 * Credentials of a request, for the write functions of the database.
 */

#ifndef FW_AUTH_H
#define FW_AUTH_H

#include "fw.h"

/*
 * Adds three parameters to q, for api.auth_user(kind, hash, csrf, role):
 * "token" and its hash for Authorization: Bearer; else "session", the
 * cookie's hash and csrf (from the form's csrf field or the X-CSRF-Token
 * header; NULL when neither came); else three NULLs, which the database
 * answers with 401.
 */
void	auth_params(struct http_request *, struct dbreq *, const char *csrf);

/* The size of the hash's hex, with its NUL. */
#define AUTH_HEXLEN	65

/*
 * The same three values, for a query on a connection of its own (an
 * import): *kind "token", "session" or NULL; hex (AUTH_HEXLEN bytes) the
 * hash; *csrfp the CSRF token or NULL.
 */
void	auth_credentials(struct http_request *, const char *csrf,
	    const char **kind, char *hex, const char **csrfp);

#endif
