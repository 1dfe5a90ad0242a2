/*
 * The account page and what its forms do: GET /account, POST
 * /account/tokens (a new API token), POST /account/tokens/{id}/revoke,
 * POST /account/role (admins give roles); and GET /api/v1/me, which tells
 * an API client whose its token is.
 *
 * The forms' answers are the account page itself, built by the statement
 * that writes.  A new token is shown on it once, and never stored: the
 * handler makes it from a random nonce and a key that only this worker
 * knows, the database keeps its hash and hands the nonce back with the
 * page, and the page is drawn with the token made again from the nonce
 * (a done callback has nowhere else to find it).
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "core/dkg.h"
#include "core/text.h"
#include "account.h"
#include "auth.h"
#include "fw.h"

#define LABEL_MAX	200

int	page_account(struct http_request *);
int	page_token_create(struct http_request *);
int	page_token_revoke(struct http_request *);
int	page_role(struct http_request *);
int	page_trustee_key(struct http_request *);
int	api_me(struct http_request *);

static int	posted(struct http_request *);
static void	token_make(const char *, char *, char *);
static struct dbreq *account_write(struct http_request *, const char *,
		    int);
static int	account_form(struct http_request *, int, json_t *);
static int	account_shown(struct http_request *, struct answer *,
		    const char *, size_t);
static int	me_done(struct http_request *, struct answer *,
		    const char *, size_t);

/* 405 unless a POST, whose form it then reads: 1 when it may go on. */
static int
posted(struct http_request *req)
{
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "POST");
		(void)page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "use the forms of the account page");
		return (0);
	}
	http_populate_post(req);
	return (1);
}

/*
 * The token that nonce (hex, 2 * TOKEN_KEYLEN digits) makes with this
 * worker's key, and its hash in hex (unless hash_hex is NULL).
 */
static void
token_make(const char *nonce_hex, char *token, char *hash_hex)
{
	static unsigned char	 key[TOKEN_KEYLEN];
	static int		 have_key;
	unsigned char		 nonce[TOKEN_KEYLEN], hash[TOKEN_HASHLEN];
	size_t			 len;

	if (!have_key) {
		randombytes_buf(key, sizeof(key));
		have_key = 1;
	}
	if (sodium_hex2bin(nonce, sizeof(nonce), nonce_hex, strlen(nonce_hex),
	    NULL, &len, NULL) != 0 || len != sizeof(nonce))
		fatal("token_make: the database changed a nonce");
	token_derive(key, nonce, token, hash);
	if (hash_hex != NULL)
		sodium_bin2hex(hash_hex, 2 * TOKEN_HASHLEN + 1, hash,
		    sizeof(hash));
}

/*
 * Starts a write of the account page's forms: expr, whose first three
 * parameters are the request's credentials (added here), answers the
 * account page, shown with status.
 */
static struct dbreq *
account_write(struct http_request *req, const char *expr, int status)
{
	struct dbreq	*q;

	q = page_query(req, "account", expr, status, account_shown);
	auth_params(req, q, param(req, "csrf"));
	return (q);
}

/* The account page with form (consumed: what was typed, errors) on it. */
static int
account_form(struct http_request *req, int status, json_t *form)
{
	struct dbreq	*q;
	char		 hex[2 * TOKEN_HASHLEN + 1];
	char		*text;

	if ((text = json_dumps(form, JSON_COMPACT)) == NULL)
		fatal("account_form: out of memory");
	json_decref(form);
	q = page_query(req, "account", "api.account(decode($1, 'hex'), "
	    "$2::json)", status, account_shown);
	db_param(q, session_hash(req, hex, sizeof(hex)) ? hex : NULL);
	db_param(q, text);
	free(text);
	return (db_run(req));
}

static int
account_shown(struct http_request *req, struct answer *a, const char *text,
    size_t len)
{
	json_t	*ctx, *page, *created;
	char	 token[TOKEN_STRLEN + 1], *out;
	int	 rc;

	if ((ctx = json_loadb(text, len, 0, NULL)) == NULL)
		fatal("account_shown: the database sent bad JSON");
	page = json_object_get(ctx, "page");
	if (json_is_null(page)) {
		json_decref(ctx);
		if (req->method == HTTP_METHOD_POST)
			return (page_error(req, HTTP_STATUS_UNAUTHORIZED,
			    "sign in first: your session has ended"));
		return (redirect(req, "/login?next=/account"));
	}
	if ((created = json_object_get(page, "created")) != NULL) {
		token_make(json_string_value(json_object_get(created,
		    "nonce")), token, NULL);
		(void)json_object_del(created, "nonce");
		(void)json_object_set_new(created, "token", json_string(token));
		sodium_memzero(token, sizeof(token));
		/* Shown once: no cache keeps it. */
		http_response_header(req, "cache-control", "no-store");
	}
	if ((out = json_dumps(ctx, JSON_COMPACT)) == NULL)
		fatal("account_shown: out of memory");
	json_decref(ctx);
	rc = page_render(req, a->tmpl, a->status, out, strlen(out));
	sodium_memzero(out, strlen(out));
	free(out);
	return (rc);
}

int
page_account(struct http_request *req)
{
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		return (account_form(req, HTTP_STATUS_OK, json_object()));
	}
	return (db_run(req));
}

int
page_token_create(struct http_request *req)
{
	struct dbreq	*q;
	unsigned char	 nonce[TOKEN_KEYLEN];
	char		 nonce_hex[2 * TOKEN_KEYLEN + 1];
	char		 hash_hex[2 * TOKEN_HASHLEN + 1];
	char		 token[TOKEN_STRLEN + 1];
	const char	*label;

	if (http_state_exists(req))
		return (db_run(req));
	if (!posted(req))
		return (KORE_RESULT_OK);
	if ((label = param(req, "label")) == NULL)
		label = "";
	if (utf8_length(label, strlen(label)) > LABEL_MAX)
		return (account_form(req, 422, json_pack("{s:s, s:{s:s}}",
		    "label", label, "errors", "label",
		    "a label has at most 200 characters")));
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2hex(nonce_hex, sizeof(nonce_hex), nonce, sizeof(nonce));
	token_make(nonce_hex, token, hash_hex);
	sodium_memzero(token, sizeof(token));
	q = account_write(req, "api.token_create($1, $2, $3, $4, $5, $6)",
	    HTTP_STATUS_CREATED);
	db_param(q, hash_hex);
	db_param(q, label);
	db_param(q, nonce_hex);
	return (db_run(req));
}

int
page_token_revoke(struct http_request *req)
{
	struct dbreq	*q;
	char		 id[32];

	if (http_state_exists(req))
		return (db_run(req));
	if (!posted(req))
		return (KORE_RESULT_OK);
	if (path_tail(req, 1, id, sizeof(id)) == -1)
		return (page_error(req, HTTP_STATUS_NOT_FOUND,
		    "no such API token"));
	q = account_write(req, "api.token_revoke($1, $2, $3, $4)",
	    HTTP_STATUS_OK);
	db_param(q, id);
	return (db_run(req));
}

int
page_role(struct http_request *req)
{
	struct dbreq	*q;
	const char	*name, *role;
	json_t		*errors;

	if (http_state_exists(req))
		return (db_run(req));
	if (!posted(req))
		return (KORE_RESULT_OK);
	name = param(req, "name");
	role = param(req, "role");
	if (name == NULL || role == NULL) {
		errors = json_object();
		if (name == NULL)
			(void)json_object_set_new(errors, "name",
			    json_string("name the user"));
		if (role == NULL)
			(void)json_object_set_new(errors, "role", json_string(
			    "a role is editor, curator or admin"));
		return (account_form(req, 422, json_pack("{s:s?, s:o}",
		    "role_name", name, "errors", errors)));
	}
	q = account_write(req, "api.role_set($1, $2, $3, $4, $5)",
	    HTTP_STATUS_OK);
	db_param(q, name);
	db_param(q, role);
	return (db_run(req));
}

/* A trustee's public key, made with `factwiki trustee keygen`. */
int
page_trustee_key(struct http_request *req)
{
	struct dbreq	*q;
	const char	*key, *errstr;
	unsigned char	 pub[TK_PUBLICBYTES];

	if (http_state_exists(req))
		return (db_run(req));
	if (!posted(req))
		return (KORE_RESULT_OK);
	if ((key = param(req, "public_key")) == NULL)
		key = "";
	if (tk_public_parse(key, strlen(key), pub, &errstr) == -1)
		return (account_form(req, 422, json_pack("{s:s, s:{s:s}}",
		    "public_key", key, "errors", "public_key", errstr)));
	q = account_write(req, "api.trustee_key_put($1, $2, $3, $4)",
	    HTTP_STATUS_OK);
	db_param(q, key);
	return (db_run(req));
}

int
api_me(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_query(req, "SELECT api.me($1, $2, $3)", FACE_JSON,
		    me_done);
		auth_params(req, q, NULL);
	}
	return (db_run(req));
}

static int
me_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	(void)a;
	http_response_header(req, "vary", "Authorization");
	return (render_body(req, HTTP_STATUS_OK, "application/json", doc,
	    len));
}
