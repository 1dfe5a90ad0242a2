/*
 * Bids: PUT and GET /api/v1/proposals/{slug}/bid, and the proposal
 * page's form, POST /proposals/{slug}/bid.
 *
 * A bid takes two statements: api.bid_prepare() checks the voter and the
 * window and gives the voter's id and the proposal's public key; the
 * server seals (voter id, amount, nonce) to it; api.bid_put() stores the
 * ciphertext and its receipt, checking the window again as it writes.
 * The amount is never a query parameter, nor in a log line or an error.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/money.h"
#include "core/seal.h"
#include "core/slug.h"
#include "auth.h"
#include "form.h"
#include "referenda.h"

int	api_proposal_bid(struct http_request *);
int	page_proposal_bid(struct http_request *);

/* {"bid":"-1000000000.00"} and some room. */
#define BID_BODY_MAX	1024

static int	bid_amount(struct http_request *, int64_t *, struct buf *);
static int	bid_prepared(struct http_request *, struct answer *,
		    const char *, size_t);
static int	bid_placed(struct http_request *, struct answer *,
		    const char *, size_t);
static int	own_bid_done(struct http_request *, struct answer *,
		    const char *, size_t);
static int	hex_member(json_t *, const char *, unsigned char *, size_t);

/*
 * The amount of the bid request: the API's {"bid": "-50.00"}, the form's
 * bid field.  Returns 0, or the status to answer with (422; 400, 413 or
 * 415 for a body that is not a JSON object) and a message for the voter
 * in err.
 */
static int
bid_amount(struct http_request *req, int64_t *amount, struct buf *err)
{
	json_t		*body, *bid, *v;
	const char	*s, *errstr, *key;
	int		 status;

	body = NULL;
	s = NULL;
	if (strncmp(req->path, "/api/", 5) != 0) {
		s = form_field(req, "bid");
	} else if ((body = body_object(req, BID_BODY_MAX, &status, err)) ==
	    NULL) {
		return (status);
	} else if ((bid = json_object_get(body, "bid")) == NULL) {
		buf_puts(err, "an amount is required, as in "
		    "{\"bid\": \"-50.00\"}");
	} else if (!json_is_string(bid)) {
		buf_puts(err, "write the amount as a string, as in "
		    "{\"bid\": \"-50.00\"}: a JSON number may lose digits");
	} else {
		s = json_string_value(bid);
		json_object_foreach(body, key, v) {
			if (strcmp(key, "bid") != 0) {
				buf_printf(err, "unknown member '%s': the body "
				    "is {\"bid\": \"-50.00\"}", key);
				s = NULL;
				break;
			}
		}
	}
	if (s != NULL && money_parse(s, strlen(s), amount, &errstr) == -1)
		buf_puts(err, errstr);
	else if (s != NULL &&
	    (*amount > MONEY_BID_MAX || *amount < -MONEY_BID_MAX))
		buf_puts(err, "a bid is at most 1000000000.00 either way");
	json_decref(body);
	return (err->len > 0 ? 422 : 0);
}

int
api_proposal_bid(struct http_request *req)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1];

	if (http_state_exists(req))
		return (db_run(req));
	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if (path_tail(req, 1, slug, sizeof(slug)) == -1)
		return (render_problem(req, FACE_JSON, HTTP_STATUS_NOT_FOUND,
		    "no such proposal", NULL));
	switch (req->method) {
	case HTTP_METHOD_GET:
	case HTTP_METHOD_HEAD:
		q = view_query(req, "SELECT api.own_bid($1, $2, $3, $4)",
		    FACE_JSON, own_bid_done);
		break;
	case HTTP_METHOD_PUT:
		q = view_query(req, "SELECT api.bid_prepare($1, $2, $3, $4)",
		    FACE_JSON, bid_prepared);
		break;
	default:
		http_response_header(req, "allow", "GET, HEAD, PUT");
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "a bid is read with GET "
		    "and placed with PUT", NULL));
	}
	auth_params(req, q, NULL);
	db_param(q, slug);
	return (db_run(req));
}

int
page_proposal_bid(struct http_request *req)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1];

	if (http_state_exists(req))
		return (db_run(req));
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "POST");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "A bid is placed with the form of its proposal's page."));
	}
	if (path_tail(req, 1, slug, sizeof(slug)) == -1)
		return (page_error(req, HTTP_STATUS_NOT_FOUND,
		    "There is no such proposal."));
	form_read(req);
	q = view_query(req, "SELECT api.bid_prepare($1, $2, $3, $4)",
	    FACE_HTML, bid_prepared);
	auth_params(req, q, form_field(req, "csrf"));
	db_param(q, slug);
	return (db_run(req));
}

/* The voter may bid: seal the amount to the proposal's key and store it. */
static int
bid_prepared(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct dbreq	*q;
	unsigned char	 pk[SEAL_PUBLICBYTES], ct[SEAL_BIDBYTES];
	char		 hex[2 * SEAL_BIDBYTES + 1];
	char		 receipt[SEAL_RECEIPT_STRLEN];
	char		 voter[24], slug[SLUG_MAX + 1];
	struct buf	 err;
	json_t		*d, *errors;
	int64_t		 amount;
	int		 status;

	buf_init(&err);
	if ((status = bid_amount(req, &amount, &err)) != 0) {
		/* The page again, saying why; its form stays empty. */
		if (a->face == FACE_HTML) {
			(void)path_tail(req, 1, slug, sizeof(slug));
			(void)proposal_page(req, slug, status, buf_cstr(&err));
		} else {
			errors = json_pack("{s:[{s:s, s:s}]}", "errors",
			    "field", "bid", "message", buf_cstr(&err));
			(void)render_problem(req, a->face, status,
			    buf_cstr(&err), errors);
		}
		buf_free(&err);
		return (KORE_RESULT_OK);
	}
	buf_free(&err);
	d = json_loadb(doc, len, 0, NULL);
	if (d == NULL || hex_member(d, "public_key", pk, sizeof(pk)) == -1 ||
	    !json_is_integer(json_object_get(d, "voter")))
		fatal("bid_prepared: the database sent a bad document");
	(void)snprintf(voter, sizeof(voter), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(d, "voter")));
	seal_bid(pk, json_integer_value(json_object_get(d, "voter")), amount,
	    ct);
	sodium_memzero(&amount, sizeof(amount));
	json_decref(d);
	seal_receipt(ct, sizeof(ct), receipt);
	sodium_bin2hex(hex, sizeof(hex), ct, sizeof(ct));
	(void)path_tail(req, 1, slug, sizeof(slug));

	q = view_query(req, "SELECT api.bid_put($1, $2, $3, $4, $5, $6, $7)",
	    a->face, bid_placed);
	auth_params(req, q, a->face == FACE_HTML ? form_field(req, "csrf") :
	    NULL);
	db_param(q, slug);
	db_param(q, voter);
	db_param(q, hex);
	db_param(q, receipt);
	return (KORE_RESULT_OK);
}

static int
bid_placed(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	char	 slug[SLUG_MAX + 1];
	char	 location[sizeof("/proposals/") + SLUG_MAX + sizeof("#bid")];

	if (a->face != FACE_HTML)
		return (render_body(req, HTTP_STATUS_OK, "application/json",
		    doc, len));
	(void)path_tail(req, 1, slug, sizeof(slug));
	(void)snprintf(location, sizeof(location), "/proposals/%s#bid", slug);
	return (form_redirect(req, location, NULL));
}

static int
own_bid_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	json_t	*d;
	char	*text;

	if ((d = json_loadb(doc, len, 0, NULL)) == NULL)
		fatal("own_bid_done: the database sent bad JSON");
	if (bid_reveal(d) == -1) {
		json_decref(d);
		return (render_problem(req, a->face,
		    HTTP_STATUS_INTERNAL_ERROR, "your bid cannot be opened; "
		    "this was logged", NULL));
	}
	if ((text = json_dumps(d, JSON_COMPACT)) == NULL)
		fatal("own_bid_done: out of memory");
	(void)render_body(req, HTTP_STATUS_OK, "application/json", text,
	    strlen(text));
	free(text);
	json_decref(d);
	return (KORE_RESULT_OK);
}

static int
hex_member(json_t *obj, const char *name, unsigned char *out, size_t len)
{
	const char	*hex;
	size_t		 got;

	if ((hex = json_string_value(json_object_get(obj, name))) == NULL ||
	    sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got,
	    NULL) != 0 || got != len)
		return (-1);
	return (0);
}

int
bid_reveal(json_t *sealed)
{
	unsigned char	 pk[SEAL_PUBLICBYTES], sk[SEAL_SECRETBYTES];
	unsigned char	 wrapped[SEAL_WRAPPEDBYTES], ct[SEAL_BIDBYTES];
	char		 id[SEAL_KEYID_STRLEN], text[MONEY_STRLEN];
	const char	*why;
	json_int_t	 voter;
	int64_t		 amount;
	int		 rc;

	voter = json_integer_value(json_object_get(sealed, "voter"));
	seal_master_id(keys_master(), id);
	rc = -1;
	if (hex_member(sealed, "public_key", pk, sizeof(pk)) == -1 ||
	    hex_member(sealed, "sealed_secret_key", wrapped,
	    sizeof(wrapped)) == -1 ||
	    hex_member(sealed, "ciphertext", ct, sizeof(ct)) == -1)
		why = "came in a bad document from the database";
	else if (!json_is_string(json_object_get(sealed, "master_key_id")) ||
	    strcmp(id, json_string_value(json_object_get(sealed,
	    "master_key_id"))) != 0)
		why = "was sealed under another master key";
	else if (seal_unwrap(keys_master(), wrapped, pk, sk) == -1)
		why = "is on a proposal whose secret key was altered";
	else
		rc = seal_bid_reveal(pk, sk, ct, sizeof(ct), voter, &amount,
		    &why);
	sodium_memzero(sk, sizeof(sk));
	if (rc == -1) {
		kore_log(LOG_ERR, "cannot open the bid of voter %"
		    JSON_INTEGER_FORMAT ": it %s", voter, why);
		return (-1);
	}
	money_format(amount, text);
	sodium_memzero(&amount, sizeof(amount));
	(void)json_object_set_new(sealed, "bid", json_string(text));
	sodium_memzero(text, sizeof(text));
	(void)json_object_del(sealed, "voter");
	(void)json_object_del(sealed, "ciphertext");
	(void)json_object_del(sealed, "public_key");
	(void)json_object_del(sealed, "sealed_secret_key");
	(void)json_object_del(sealed, "master_key_id");
	return (0);
}
