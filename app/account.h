/*
 * Accounts on the web (account*.c): what their handlers share.
 */

#ifndef FW_ACCOUNT_WEB_H
#define FW_ACCOUNT_WEB_H

#include "fw.h"

/* ---- account_pw.c: argon2id off the event loop ---- */

/* What a password task keeps for its handler besides the verdict. */
#define PW_CARRY	32

/*
 * Start a task that hashes password, or checks it against hash (NULL for
 * a name without an account: the task then hashes the password, which
 * takes as long), and make it the request's state, which must have none
 * (see answer_end()).  carry (shorter than PW_CARRY) comes back from
 * pw_result().  The handler then returns KORE_RESULT_RETRY.
 */
void	pw_hash_start(struct http_request *, const char *password);
void	pw_verify_start(struct http_request *, const char *password,
	    const char *hash, const char *carry);
/* 1 when the request's state is a password task. */
int	pw_pending(struct http_request *);
/*
 * -1 while the task runs (return KORE_RESULT_RETRY); else 1 when the
 * password was hashed or matched, 0 when not.  The request then has no
 * state; hash (PASSWORD_HASHLEN bytes) gets the new hash and carry
 * (PW_CARRY bytes) what pw_verify_start() was given; either may be NULL.
 */
int	pw_result(struct http_request *, char *hash, char *carry);

/* ---- account_client.c: the browser of an account request ---- */

/*
 * The pre-session token of the sign-in and register forms, which have no
 * session to take a CSRF token from: the fw_pre cookie's, else a new one,
 * sent as that cookie.  token: TOKEN_STRLEN + 1 bytes.
 */
void	pre_token(struct http_request *, char *token);
/* 1 when the form's csrf field is the fw_pre cookie's token. */
int	pre_token_ok(struct http_request *, const char *csrf);

/*
 * How long a session lasts, in seconds: the database's row and the
 * browser's cookie alike.
 */
#define SESSION_LIFETIME	(30 * 24 * 3600)

/*
 * Makes a new session and sends its cookie: adds four parameters to q, as
 * api.session_open() takes them after the user: the token's hash, the
 * session's CSRF token, the hash of the session the browser had (or
 * NULL), and SESSION_LIFETIME.  The cookie goes out before the statement
 * that opens the session, the request's last: only the handler knows the
 * token (the database gets its hash), and a done callback has no room to
 * keep it.  Should that statement fail, the browser holds a token that
 * opens nothing: signed out, which it was about to be anyway.
 */
void	session_params(struct http_request *, struct dbreq *);
/*
 * A new token in cookie name for lifetime seconds, sent with the answer;
 * its hash (hex) is q's next parameter.  The session's, and the device
 * cookie of a sign-in (account_login.c).
 */
void	token_cookie_param(struct http_request *, struct dbreq *,
	    const char *name, long long lifetime);
/* Takes the session cookie away. */
void	session_cookie_clear(struct http_request *);

/*
 * The client's address, as PostgreSQL's inet reads it: the connection's
 * peer, or, when that is on this host or a private network (the proxy in
 * front of us), the address that the proxy put last in X-Forwarded-For.
 */
void	client_address(struct http_request *, char *, size_t);

/* 303 See Other to location, a path on this site. */
int	redirect(struct http_request *, const char *location);
/*
 * The done callback of signing in and registering: 303 to the form's
 * next, or home when there is none or it is a page of signing in or out.
 */
int	go_next(struct http_request *, struct answer *, const char *, size_t);

/*
 * The document of a sign-in or register form shown again: what the
 * visitor typed (never a password), a message per field, or one for the
 * whole form.  A new object with the form's pre-session token and next.
 */
json_t	*form_doc(struct http_request *, const char *name,
	    const char *next);

#endif
