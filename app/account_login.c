/*
 * Signing in and out: GET and POST /login, POST /logout.
 *
 * Signing in is three steps.  api.login_begin() records the attempt, or
 * refuses it past the limits, and answers the account's password hash; a
 * task checks the password against it, off the event loop (account_pw.c);
 * api.login_finish() opens the session.  A name without an account goes
 * through the same steps, takes as long, and gets the same answer as a
 * wrong password, so that no one learns which names have accounts.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "account.h"
#include "fw.h"

int	page_login(struct http_request *);
int	page_logout(struct http_request *);

#define MISMATCH	"that name and password do not match an account"

static int	login_form(struct http_request *, int, const char *,
		    const char *, const char *);
static int	login_start(struct http_request *);
static int	login_found(struct http_request *, struct answer *,
		    const char *, size_t);
static int	login_check(struct http_request *);
static int	login_checked(struct http_request *);
static const char *limit_words(const char *);
static int	logout_done(struct http_request *, struct answer *,
		    const char *, size_t);

/* The form again, with message above it (NULL: none). */
static int
login_form(struct http_request *req, int status, const char *name,
    const char *next, const char *message)
{
	json_t	*doc;

	doc = form_doc(req, name, next);
	if (message != NULL)
		(void)json_object_set_new(doc, "message", json_string(message));
	return (page_with_user(req, "login", status, doc));
}

int
page_login(struct http_request *req)
{
	if (!http_state_exists(req))
		return (login_start(req));
	if (pw_pending(req))
		return (login_checked(req));
	if (db_run(req) == KORE_RESULT_RETRY)
		return (KORE_RESULT_RETRY);
	/* Kore sets status when answering: login_found() left it to us. */
	return (req->status == 0 ? login_check(req) : KORE_RESULT_OK);
}

static int
login_start(struct http_request *req)
{
	const char	*name, *password, *next, *errstr;
	char		 address[64], device[2 * TOKEN_HASHLEN + 1];
	struct dbreq	*q;
	json_t		*doc;

	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		http_populate_qs(req);
		if (params_check(req, FACE_HTML) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		return (login_form(req, HTTP_STATUS_OK, NULL,
		    param(req, "next"), NULL));
	}
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "GET, HEAD, POST");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "sign in with the form of this page"));
	}
	http_populate_post(req);
	name = param(req, "name");
	password = param(req, "password");
	next = param(req, "next");
	if (!pre_token_ok(req, param(req, "csrf")))
		return (login_form(req, HTTP_STATUS_FORBIDDEN, name, next,
		    "this form had expired, or your browser did not send "
		    "its cookie: try again (signing in needs cookies)"));
	if (name == NULL || password == NULL) {
		doc = form_doc(req, name, next);
		if (name == NULL)
			(void)json_object_set_new(json_object_get(doc,
			    "errors"), "name", json_string("enter your name"));
		if (password == NULL)
			(void)json_object_set_new(json_object_get(doc,
			    "errors"), "password",
			    json_string("enter your password"));
		return (page_with_user(req, "login", 422, doc));
	}
	/* No account has such a name or password: nothing to count. */
	if (username_check(name, strlen(name), &errstr) == -1 ||
	    strlen(password) > PASSWORD_MAX)
		return (login_form(req, HTTP_STATUS_UNAUTHORIZED, name, next,
		    MISMATCH));
	client_address(req, address, sizeof(address));
	q = view_query(req, "SELECT api.login_begin($1, $2, $3)", FACE_HTML,
	    login_found);
	db_param(q, name);
	db_param(q, address);
	db_param(q, cookie_token_hash(req, DEVICE_COOKIE, device,
	    sizeof(device)) ? device : NULL);
	return (db_run(req));
}

/* Which limit was reached, as the message says it (api.login_begin()). */
static const char *
limit_words(const char *limit)
{
	static const struct {
		const char	*limit;
		const char	*words;
	} said[] = {
		{ "device", "from this browser" },
		{ "pair", "for this account from your address" },
		{ "account", "for this account" },
		{ "address", "from your address" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
		if (!strcmp(limit, said[i].limit))
			return (said[i].words);
	}
	fatal("limit_words: unknown limit %s", limit);
}

/*
 * Past a limit: 429 and the form again.  Else the handler goes on with
 * the document (a task cannot start inside a query's state).
 */
static int
login_found(struct http_request *req, struct answer *a, const char *text,
    size_t len)
{
	json_t		*doc;
	json_int_t	 wait;
	char		 seconds[24], message[200];

	(void)a;
	if ((doc = json_loadb(text, len, 0, NULL)) == NULL)
		fatal("login_found: the database sent bad JSON");
	if (json_object_get(doc, "wait") == NULL) {
		json_decref(doc);
		return (KORE_RESULT_OK);
	}
	wait = json_integer_value(json_object_get(doc, "wait"));
	(void)snprintf(seconds, sizeof(seconds), "%" JSON_INTEGER_FORMAT,
	    wait);
	(void)snprintf(message, sizeof(message), "too many failed sign-ins %s "
	    "in the last 15 minutes: try again in %" JSON_INTEGER_FORMAT
	    " %s", limit_words(json_string_value(json_object_get(doc,
	    "limit"))), wait < 60 ? wait : (wait + 59) / 60,
	    wait < 60 ? (wait == 1 ? "second" : "seconds") :
	    (wait > 60 ? "minutes" : "minute"));
	json_decref(doc);
	http_response_header(req, "retry-after", seconds);
	return (login_form(req, 429, param(req, "name"), param(req, "next"),
	    message));
}

/* The attempt is recorded: check the password in a task. */
static int
login_check(struct http_request *req)
{
	struct answer	*a = http_state_get(req);
	json_t		*doc;
	char		 attempt[PW_CARRY];

	if (!a->q.has_value ||
	    (doc = json_loadb(a->q.value, a->q.value_len, 0, NULL)) == NULL)
		fatal("login_check: the database sent no attempt");
	(void)snprintf(attempt, sizeof(attempt), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(doc, "attempt")));
	answer_end(req);
	pw_verify_start(req, param(req, "password"),
	    json_string_value(json_object_get(doc, "hash")), attempt);
	json_decref(doc);
	return (KORE_RESULT_RETRY);
}

static int
login_checked(struct http_request *req)
{
	struct dbreq	*q;
	char		 attempt[PW_CARRY];
	int		 ok;

	if ((ok = pw_result(req, NULL, attempt)) == -1)
		return (KORE_RESULT_RETRY);
	if (!ok)
		return (login_form(req, HTTP_STATUS_UNAUTHORIZED,
		    param(req, "name"), param(req, "next"), MISMATCH));
	q = view_query(req, "SELECT api.login_finish($1, $2, $3, $4, $5, $6)",
	    FACE_HTML, go_next);
	db_param(q, attempt);
	session_params(req, q);
	/* From now on this browser is its owner's (sql/014_devices.sql). */
	token_cookie_param(req, q, DEVICE_COOKIE, DEVICE_LIFETIME);
	return (db_run(req));
}


/*
 * POST /logout: the session ends in the database, and the cookie goes,
 * with a valid session's CSRF token; without a session, there is nothing
 * to end.
 */
int
page_logout(struct http_request *req)
{
	struct dbreq	*q;
	char		 hex[2 * TOKEN_HASHLEN + 1];

	if (!http_state_exists(req)) {
		if (req->method != HTTP_METHOD_POST) {
			http_response_header(req, "allow", "POST");
			return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
			    "sign out with the Sign out button at the top "
			    "of any page"));
		}
		if (!session_hash(req, hex, sizeof(hex)))
			return (redirect(req, "/"));
		http_populate_post(req);
		q = view_query(req, "SELECT api.logout($1, $2)", FACE_HTML,
		    logout_done);
		db_param(q, hex);
		db_param(q, param(req, "csrf"));
	}
	return (db_run(req));
}

static int
logout_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	(void)a;
	(void)doc;
	(void)len;
	session_cookie_clear(req);
	return (redirect(req, "/"));
}
