/*
 * Bids: PUT and GET /api/v1/proposals/{slug}/bid, and the proposal
 * page's form, POST /proposals/{slug}/bid.
 *
 * A bid is an entry on the proposal's board (referenda-trust.md, core/
 * board.h).  api.bid_prepare() checks the voter and the window, and gives
 * the bid key, what the proposal's context is made of, and where the board
 * stands; the server seals the amount to the key (or takes the ciphertext
 * the voter sealed on their own machine), makes the entry that follows the
 * board's last, and signs it; api.bid_append() stores it if the board has
 * not moved on meanwhile, and else the two begin again.
 *
 * The amount is never a query parameter, nor in a log line or an error;
 * and every answer about a bid has one size whatever the amount: the
 * amount, where it is shown, is followed by spaces up to its widest.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/board.h"
#include "core/bulletin.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/money.h"
#include "core/slug.h"
#include "auth.h"
#include "form.h"
#include "referenda.h"

int	api_proposal_bid(struct http_request *);
int	page_proposal_bid(struct http_request *);

/* {"ciphertext": "<88 characters>"} and some room. */
#define BID_BODY_MAX	1024
/*
 * Each lost race to the board's end means another bid went in: after this
 * many a bid gives up, and the voter is told to try again.
 */
#define BID_TRIES	16

#define PREPARE		"SELECT api.bid_prepare($1, $2, $3, $4)"

static int	bid_start(struct http_request *, enum face);
static int	bid_input(struct http_request *, int64_t, const char *,
		    const unsigned char *, unsigned char *, struct buf *);
static int	bid_refuse(struct http_request *, enum face, int,
		    const char *);
static int	bid_prepared(struct http_request *, struct answer *,
		    const char *, size_t);
static int	bid_failed(struct http_request *, struct answer *);
static int	bid_placed(struct http_request *, struct answer *,
		    const char *, size_t);
static int	own_bid_done(struct http_request *, struct answer *,
		    const char *, size_t);
struct entry;
static int	entry_make(json_t *, const unsigned char *, struct entry *);

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
		auth_params(req, q, NULL);
		db_param(q, slug);
		return (db_run(req));
	case HTTP_METHOD_PUT:
		return (bid_start(req, FACE_JSON));
	default:
		http_response_header(req, "allow", "GET, HEAD, PUT");
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "a bid is read with GET "
		    "and placed with PUT", NULL));
	}
}

int
page_proposal_bid(struct http_request *req)
{
	char	 slug[SLUG_MAX + 1];

	if (http_state_exists(req))
		return (db_run(req));
	if (!proposal_form(req, slug, sizeof(slug), "A bid is placed with the "
	    "form of its proposal's page."))
		return (KORE_RESULT_OK);
	return (bid_start(req, FACE_HTML));
}

/* api.bid_prepare(), from the handler or again after a lost race. */
static int
bid_start(struct http_request *req, enum face face)
{
	struct answer	*a;
	char		 slug[SLUG_MAX + 1];
	int		 chained;

	chained = http_state_exists(req);
	(void)path_tail(req, 1, slug, sizeof(slug));
	a = answer_start(req, PREPARE, bid_prepared, view_failed);
	a->face = face;
	auth_params(req, &a->q, face == FACE_HTML ? form_field(req, "csrf") :
	    NULL);
	db_param(&a->q, slug);
	return (chained ? KORE_RESULT_OK : db_run(req));
}

/*
 * What the voter sends, sealed: the API's {"bid": "-50.00"} or
 * {"ciphertext": "<base64>"} (sealed on the voter's machine), the form's
 * bid field.  y is the bid key, voter the name sealed with it, max the
 * proposal's bound.  Returns 0 with ct, or the status to answer (422; 400,
 * 413 or 415 for a body that is not a JSON object) with a message in err.
 */
static int
bid_input(struct http_request *req, int64_t max, const char *voter,
    const unsigned char *y, unsigned char *ct, struct buf *err)
{
	json_t		*body, *v;
	const char	*s, *errstr, *key;
	char		 bound[MONEY_STRLEN];
	int64_t		 amount;
	int		 status;

	body = NULL;
	s = NULL;
	/* A bid that lost a race is read again. */
	(void)http_body_rewind(req);
	if (strncmp(req->path, "/api/", 5) != 0) {
		s = form_field(req, "bid");
	} else if ((body = body_object(req, BID_BODY_MAX, &status, err)) ==
	    NULL) {
		return (status);
	} else if (json_object_size(body) == 1 && (v = json_object_get(body,
	    "ciphertext")) != NULL) {
		if (bulletin_b64(json_string_value(v), ct, EG_BIDBYTES) == -1 ||
		    !eg_point_ok(ct))
			buf_puts(err, "a ciphertext is the 88 characters of "
			    "base64 that `factwiki proposal bid` seals");
		json_decref(body);
		return (err->len > 0 ? 422 : 0);
	} else if ((v = json_object_get(body, "bid")) == NULL) {
		buf_puts(err, "an amount is required, as in "
		    "{\"bid\": \"-50.00\"}");
	} else if (!json_is_string(v)) {
		buf_puts(err, "write the amount as a string, as in "
		    "{\"bid\": \"-50.00\"}: a JSON number may lose digits");
	} else {
		s = json_string_value(v);
		json_object_foreach(body, key, v) {
			if (strcmp(key, "bid") != 0) {
				buf_printf(err, "unknown member '%s': the body "
				    "is {\"bid\": \"-50.00\"} or "
				    "{\"ciphertext\": \"...\"}", key);
				s = NULL;
				break;
			}
		}
	}
	if (s != NULL && money_parse(s, strlen(s), &amount, &errstr) == -1) {
		buf_puts(err, errstr);
	} else if (s != NULL && (amount > max || amount < -max)) {
		money_format(max, bound);
		buf_printf(err, "a bid is at most %s either "
		    "way", bound);
	} else if (s != NULL && eg_seal(y, voter, amount, ct) == -1) {
		buf_puts(err, "this proposal's bid key is damaged");
		sodium_memzero(&amount, sizeof(amount));
		json_decref(body);
		return (500);
	}
	sodium_memzero(&amount, sizeof(amount));
	json_decref(body);
	return (err->len > 0 ? 422 : 0);
}

/* A bid refused for what the voter sent: the page again, or a problem. */
static int
bid_refuse(struct http_request *req, enum face face, int status,
    const char *why)
{
	char	 slug[SLUG_MAX + 1];

	if (face == FACE_HTML) {
		(void)path_tail(req, 1, slug, sizeof(slug));
		return (proposal_page(req, slug, status, why));
	}
	return (render_problem(req, face, status, why, json_pack(
	    "{s:[{s:s, s:s}]}", "errors", "field", "bid", "message", why)));
}

/* The entry that follows the board's last, as api.bid_append() takes it. */
struct entry {
	char		 voter[24], seq[24];
	const char	*at;
	char		 ct64[sodium_base64_ENCODED_LEN(EG_BIDBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	char		 prev[2 * BOARD_HASHBYTES + 1];
	char		 hash[2 * BOARD_HASHBYTES + 1];
	char		 sig64[sodium_base64_ENCODED_LEN(BOARD_SIGBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
};

/*
 * The entry of ciphertext ct: its hash, signed by the board key.  Returns
 * 0; -1 when prep is not the database's document; else the keeper_status
 * of a keeper that would not sign.
 */
static int
entry_make(json_t *prep, const unsigned char *ct, struct entry *out)
{
	unsigned char		 pubs[DKG_TRUSTEES_MAX][TK_PUBLICBYTES];
	unsigned char		 ctx[32], hash[BOARD_HASHBYTES];
	unsigned char		 sig[BOARD_SIGBYTES];
	struct board_entry	 e;
	const json_t		*keys, *k;
	size_t			 i, got;
	int			 rc;

	keys = json_object_get(prep, "trustee_keys");
	if (json_array_size(keys) > DKG_TRUSTEES_MAX)
		return (-1);
	json_array_foreach(keys, i, k) {
		if (bulletin_b64(json_string_value(k), pubs[i],
		    TK_PUBLICBYTES) == -1)
			return (-1);
	}
	dkg_context(json_string_value(json_object_get(prep, "slug")),
	    (unsigned)json_integer_value(json_object_get(prep, "threshold")),
	    (unsigned)json_array_size(keys),
	    (const unsigned char (*)[TK_PUBLICBYTES])pubs, ctx);
	memset(&e, 0, sizeof(e));
	e.seq = (uint64_t)json_integer_value(json_object_get(prep, "seq"));
	e.voter = json_string_value(json_object_get(prep, "name"));
	e.at = json_string_value(json_object_get(prep, "at"));
	e.ciphertext = ct;
	e.ciphertext_len = EG_BIDBYTES;
	if (e.voter == NULL || e.at == NULL || sodium_hex2bin(e.prev,
	    sizeof(e.prev), json_string_value(json_object_get(prep, "prev")),
	    2 * BOARD_HASHBYTES, NULL, &got, NULL) != 0 || got != 32)
		return (-1);
	board_hash(ctx, &e, hash);
	if ((rc = keeper_sign(keys_keeper(), hash, sig)) != KEEPER_OK)
		return (rc);
	(void)snprintf(out->voter, sizeof(out->voter), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(prep, "voter")));
	(void)snprintf(out->seq, sizeof(out->seq), "%llu",
	    (unsigned long long)e.seq);
	out->at = e.at;
	sodium_bin2base64(out->ct64, sizeof(out->ct64), ct, EG_BIDBYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2hex(out->prev, sizeof(out->prev), e.prev, sizeof(e.prev));
	sodium_bin2hex(out->hash, sizeof(out->hash), hash, sizeof(hash));
	sodium_bin2base64(out->sig64, sizeof(out->sig64), sig, sizeof(sig),
	    sodium_base64_VARIANT_ORIGINAL);
	return (0);
}

/* The voter may bid: seal, make the entry, append it. */
static int
bid_prepared(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	unsigned char	 y[EG_POINTBYTES], ct[EG_BIDBYTES];
	char		 slug[SLUG_MAX + 1];
	enum face	 face = a->face;
	struct entry	 e;
	struct buf	 err;
	json_t		*prep;
	int		 status;

	if ((prep = json_loadb(doc, len, 0, NULL)) == NULL ||
	    bulletin_b64(json_string_value(json_object_get(prep, "bid_key")),
	    y, sizeof(y)) == -1)
		fatal("bid_prepared: the database sent a bad document");
	buf_init(&err);
	status = bid_input(req, json_integer_value(json_object_get(prep,
	    "max_bid")), json_string_value(json_object_get(prep, "name")), y,
	    ct, &err);
	if (status != 0) {
		(void)bid_refuse(req, face, status, buf_cstr(&err));
		buf_free(&err);
		json_decref(prep);
		return (KORE_RESULT_OK);
	}
	buf_free(&err);
	if ((status = entry_make(prep, ct, &e)) == -1)
		fatal("bid_prepared: the database sent a bad document");
	if (status != KEEPER_OK) {
		json_decref(prep);
		kore_log(LOG_ERR, "the key keeper did not sign a bid");
		return (render_problem(req, face,
		    HTTP_STATUS_SERVICE_UNAVAILABLE, KEEPER_GONE_MESSAGE, NULL));
	}
	(void)path_tail(req, 1, slug, sizeof(slug));
	a = answer_start(req, "SELECT api.bid_append($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12)", bid_placed, bid_failed);
	a->face = face;
	auth_params(req, &a->q, face == FACE_HTML ? form_field(req, "csrf") :
	    NULL);
	db_param(&a->q, slug);
	db_param(&a->q, e.voter);
	db_param(&a->q, e.seq);
	db_param(&a->q, e.at);
	db_param(&a->q, e.ct64);
	db_param(&a->q, e.prev);
	db_param(&a->q, e.hash);
	db_param(&a->q, e.sig64);
	db_param(&a->q, keys_master_id());
	json_decref(prep);
	return (KORE_RESULT_OK);
}

/* Another bid took the board's end first: seal and sign again. */
static int
bid_failed(struct http_request *req, struct answer *a)
{
	if (a->q.status == HTTP_STATUS_CONFLICT && a->q.detail != NULL &&
	    strstr(a->q.detail, "\"retry\"") != NULL) {
		if (a->queries < 2 * BID_TRIES)
			return (bid_start(req, a->face));
		return (render_problem(req, a->face, HTTP_STATUS_CONFLICT,
		    "many bids came at once and yours lost every race to the "
		    "board: send it again", NULL));
	}
	return (view_failed(req, a));
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

/*
 * {"bid": "-50.00"<spaces>, ...}: the caller's bid, opened when the
 * operator reads the proposal's bids (null when only its trustees can),
 * its amount followed by as many spaces as make every answer one size.
 */
static int
own_bid_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct buf	 body;
	json_t		*own;
	char		*rest;
	int		 rc;

	(void)a;
	if ((own = json_loadb(doc, len, 0, NULL)) == NULL)
		fatal("own_bid_done: the database sent bad JSON");
	if (bid_reveal(own) == -1) {
		json_decref(own);
		return (render_problem(req, FACE_JSON, HTTP_STATUS_CONFLICT,
		    "your bid cannot be opened now: the server does not hold "
		    "its proposal's key", NULL));
	}
	buf_init(&body);
	buf_puts(&body, "{\"bid\":");
	if (json_is_string(json_object_get(own, "bid")))
		buf_printf(&body, "\"%s\"%s,", json_string_value(
		    json_object_get(own, "bid")), json_string_value(
		    json_object_get(own, "bid_pad")));
	else
		buf_printf(&body, "null%*s,", EG_AMOUNTBYTES + 2, "");
	(void)json_object_del(own, "bid");
	(void)json_object_del(own, "bid_pad");
	if ((rest = json_dumps(own, JSON_COMPACT)) == NULL)
		fatal("own_bid_done: out of memory");
	buf_puts(&body, rest + 1);
	rc = render_body(req, HTTP_STATUS_OK, "application/json", body.data,
	    body.len);
	sodium_memzero(body.data, body.len);
	buf_free(&body);
	free(rest);
	json_decref(own);
	return (rc);
}

int
bid_reveal(json_t *own)
{
	unsigned char	 y[EG_POINTBYTES];
	unsigned char	 wrapped[EG_WRAPPEDBYTES], ct[EG_BIDBYTES];
	unsigned char	 k[EG_POINTBYTES];
	char		 text[MONEY_STRLEN], pad[EG_AMOUNTBYTES + 1];
	const char	*why, *voter;
	json_t		*sealed;
	int64_t		 amount;
	int		 rc, status;

	sealed = json_object_get(own, "sealed");
	if (!json_is_object(sealed)) {
		(void)json_object_set_new(own, "bid", json_null());
		(void)json_object_del(own, "sealed");
		return (0);
	}
	voter = json_string_value(json_object_get(sealed, "voter"));
	rc = -1;
	if (voter == NULL || bulletin_b64(json_string_value(json_object_get(
	    sealed, "bid_key")), y, sizeof(y)) == -1 ||
	    bulletin_b64(json_string_value(json_object_get(sealed,
	    "wrapped_key")), wrapped, sizeof(wrapped)) == -1 ||
	    bulletin_b64(json_string_value(json_object_get(sealed,
	    "ciphertext")), ct, sizeof(ct)) == -1)
		why = "the database sent a bad document";
	else if (!json_is_string(json_object_get(sealed, "master_key_id")) ||
	    strcmp(keys_master_id(), json_string_value(json_object_get(sealed,
	    "master_key_id"))) != 0)
		why = "its proposal's key is under another master key";
	else if ((status = keeper_shared(keys_keeper(), wrapped, y, ct, k)) ==
	    KEEPER_NOTOURS)
		why = "its proposal's key was altered";
	else if (status == KEEPER_UNUSABLE)
		why = "it is not a sealed bid";
	else if (status != KEEPER_OK)
		why = "the key keeper did not answer";
	else if (eg_open(y, voter, ct, k, json_integer_value(json_object_get(
	    sealed, "max_bid")), &amount, &why) == 0)
		rc = 0;
	sodium_memzero(k, sizeof(k));
	if (rc == -1) {
		kore_log(LOG_ERR, "cannot open the bid of %s: %s",
		    voter != NULL ? voter : "?", why);
		return (-1);
	}
	money_format(amount, text);
	sodium_memzero(&amount, sizeof(amount));
	memset(pad, ' ', sizeof(pad));
	pad[EG_AMOUNTBYTES - strlen(text)] = '\0';
	(void)json_object_set_new(own, "bid", json_string(text));
	(void)json_object_set_new(own, "bid_pad", json_string(pad));
	sodium_memzero(text, sizeof(text));
	(void)json_object_del(own, "sealed");
	return (0);
}
