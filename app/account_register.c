/*
 * Registering: GET and POST /register.  Anyone may register, as an editor.
 *
 * api.register_begin() tells whether the name is free and the address
 * may make another account (so that neither costs a hash); a task hashes
 * the password, off the event loop (account_pw.c); api.register() makes
 * the account and its session, and answers 409 should someone have taken
 * the name in between.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "account.h"
#include "fw.h"

int	page_register(struct http_request *);

static int	register_start(struct http_request *);
static json_t	*register_errors(const char *, const char *, const char *);
static int	register_found(struct http_request *, struct answer *,
		    const char *, size_t);
static int	register_hashed(struct http_request *);

int
page_register(struct http_request *req)
{
	if (!http_state_exists(req))
		return (register_start(req));
	if (pw_pending(req))
		return (register_hashed(req));
	if (db_run(req) == KORE_RESULT_RETRY)
		return (KORE_RESULT_RETRY);
	/* Kore sets status when answering: register_found() left it to us. */
	if (req->status != 0)
		return (KORE_RESULT_OK);
	answer_end(req);
	pw_hash_start(req, param(req, "password"));
	return (KORE_RESULT_RETRY);
}

/* A message per field that is wrong, or NULL when all are right. */
static json_t *
register_errors(const char *name, const char *password, const char *again)
{
	json_t		*errors;
	const char	*errstr;

	errors = json_object();
	if (name == NULL)
		(void)json_object_set_new(errors, "name",
		    json_string("choose a name"));
	else if (username_check(name, strlen(name), &errstr) == -1)
		(void)json_object_set_new(errors, "name", json_string(errstr));
	if (password == NULL)
		(void)json_object_set_new(errors, "password",
		    json_string("choose a password"));
	else if (password_check(password, strlen(password), &errstr) == -1)
		(void)json_object_set_new(errors, "password",
		    json_string(errstr));
	else if (again == NULL || strcmp(password, again))
		(void)json_object_set_new(errors, "password_again",
		    json_string("type the same password again"));
	if (json_object_size(errors) == 0) {
		json_decref(errors);
		return (NULL);
	}
	return (errors);
}

static int
register_start(struct http_request *req)
{
	const char	*name, *next;
	struct dbreq	*q;
	json_t		*doc, *errors;
	char		 address[64];

	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		http_populate_qs(req);
		if (params_check(req, FACE_HTML) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		return (page_with_user(req, "register", HTTP_STATUS_OK,
		    form_doc(req, NULL, param(req, "next"))));
	}
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "GET, HEAD, POST");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "register with the form of this page"));
	}
	http_populate_post(req);
	name = param(req, "name");
	next = param(req, "next");
	doc = form_doc(req, name, next);
	if (!pre_token_ok(req, param(req, "csrf"))) {
		(void)json_object_set_new(doc, "message", json_string(
		    "this form had expired, or your browser did not send its "
		    "cookie: try again (an account needs cookies)"));
		return (page_with_user(req, "register", HTTP_STATUS_FORBIDDEN,
		    doc));
	}
	errors = register_errors(name, param(req, "password"),
	    param(req, "password_again"));
	if (errors != NULL) {
		(void)json_object_set_new(doc, "errors", errors);
		return (page_with_user(req, "register", 422, doc));
	}
	json_decref(doc);
	client_address(req, address, sizeof(address));
	q = view_query(req, "SELECT api.register_begin($1, $2)", FACE_HTML,
	    register_found);
	db_param(q, name);
	db_param(q, address);
	return (db_run(req));
}

/*
 * A taken name, or an address past its limit: the form again.  Else the
 * handler hashes the password.
 */
static int
register_found(struct http_request *req, struct answer *a, const char *text,
    size_t len)
{
	json_t		*doc, *form;
	json_int_t	 wait;
	char		 seconds[24], message[160];
	int		 taken;

	(void)a;
	if ((doc = json_loadb(text, len, 0, NULL)) == NULL)
		fatal("register_found: the database sent bad JSON");
	taken = json_is_true(json_object_get(doc, "taken"));
	wait = json_integer_value(json_object_get(doc, "wait"));
	json_decref(doc);
	if (!taken && wait <= 0)
		return (KORE_RESULT_OK);
	form = form_doc(req, param(req, "name"), param(req, "next"));
	if (wait > 0) {
		(void)snprintf(seconds, sizeof(seconds), "%"
		    JSON_INTEGER_FORMAT, wait);
		http_response_header(req, "retry-after", seconds);
		(void)snprintf(message, sizeof(message), "ten accounts were "
		    "made from your address in the last hour: try again in %"
		    JSON_INTEGER_FORMAT " minute%s", (wait + 59) / 60,
		    wait > 60 ? "s" : "");
		(void)json_object_set_new(form, "message",
		    json_string(message));
		return (page_with_user(req, "register", 429, form));
	}
	(void)json_object_set_new(json_object_get(form, "errors"), "name",
	    json_string("this name is taken: choose another"));
	return (page_with_user(req, "register", 422, form));
}

static int
register_hashed(struct http_request *req)
{
	struct dbreq	*q;
	char		 hash[PASSWORD_HASHLEN], address[64];
	int		 ok;

	if ((ok = pw_result(req, hash, NULL)) == -1)
		return (KORE_RESULT_RETRY);
	if (!ok)
		return (page_error(req, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "the server is too busy to make your account: "
		    "try again in a minute"));
	client_address(req, address, sizeof(address));
	q = view_query(req, "SELECT api.register($1, $2, $3, $4, $5, $6, $7)",
	    FACE_HTML, go_next);
	db_param(q, param(req, "name"));
	db_param(q, hash);
	db_param(q, address);
	session_params(req, q);
	return (db_run(req));
}

