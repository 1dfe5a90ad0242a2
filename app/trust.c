/*
 * Trustees and the board (referenda-trust.md):
 *
 *	PUT  /api/v1/account/trustee-key		{"public_key"}
 *	POST /api/v1/proposals/{slug}/trustee-dealings	{"dealing"}
 *	POST /api/v1/proposals/{slug}/trustee-acks	{"ack"}
 *	POST /api/v1/proposals/{slug}/trustee-parts	{"parts": [...]}
 *	GET  /api/v1/proposals/{slug}/board		JSON; CSV: its entries
 *	GET  /api/v1/keys/board
 *	POST /api/v1/proposals/{slug}/void		{"reason"}, admins
 *	POST /proposals/{slug}/void			the page's form
 *
 * A dealing and an acknowledgement are checked here (core/dkg.c) before
 * they are stored: a trustee's mistake is a 422 at once, not a key that
 * never works.  Parts are checked by the tally, off the event loop, since
 * the proofs of 100,000 bids take seconds.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/bulletin.h"
#include "core/dkg.h"
#include "core/slug.h"
#include "auth.h"
#include "form.h"
#include "referenda.h"

int	api_trustee_key(struct http_request *);
int	api_trustee_dealing(struct http_request *);
int	api_trustee_ack(struct http_request *);
int	api_trustee_parts(struct http_request *);
int	api_board(struct http_request *);
int	api_board_keys(struct http_request *);
int	api_proposal_void(struct http_request *);
int	page_proposal_void(struct http_request *);

/* A dealing among 32 trustees is some 5 KB of base64. */
#define TRUST_BODY_MAX	16384
/* Some 180 bytes a bid: parts of 350,000 bids. */
#define PARTS_BODY_MAX	(64 * 1024 * 1024)
#define REASON_BODY_MAX	8192

static const struct csv_col board_cols[] = {
	{ "seq", "seq", CSV_PATH },
	{ "voter", "voter", CSV_PATH },
	{ "at", "at", CSV_PATH },
	{ "ciphertext", "ciphertext", CSV_PATH },
	{ "prev", "prev", CSV_PATH },
	{ "hash", "hash", CSV_PATH },
	{ "signature", "signature", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view board_view = {
	"board", "api.board($1)", "entries", board_cols, { "/1" },
	NULL, NULL
};

/* JSON only: the keys have no rows to make a CSV of. */
static const struct view board_keys_view = {
	"board_keys", "api.board_keys($1)", NULL, NULL, { NULL }, NULL, NULL
};

static json_t	*posted_json(struct http_request *, const char *, size_t,
		    const char *, char *, size_t);
static json_t	*member(struct http_request *, size_t, const char *);
static int	state_start(struct http_request *, answer_done_cb);
static int	trustee_post(struct http_request *, const char *,
		    answer_done_cb);
static int	dealing_checked(struct http_request *, struct answer *,
		    const char *, size_t);
static int	ack_checked(struct http_request *, struct answer *,
		    const char *, size_t);
static int	state_keys(json_t *, unsigned char (*)[TK_PUBLICBYTES],
		    unsigned *, unsigned *, unsigned *, unsigned char *);
static int	written(struct http_request *, struct answer *, const char *,
		    size_t);
static int	voided(struct http_request *, struct answer *, const char *,
		    size_t);

/*
 * Admits a request with method to the API with a JSON body that has
 * member name, and the proposal's slug in slug (when slug is not NULL):
 * the member, or NULL after answering.
 */
static json_t *
posted_json(struct http_request *req, const char *name, size_t max,
    const char *method, char *slug, size_t slug_len)
{
	int	 want;

	want = !strcmp(method, "PUT") ? HTTP_METHOD_PUT : HTTP_METHOD_POST;
	if (req->method != want) {
		http_response_header(req, "allow", method);
		(void)render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "this takes a JSON body "
		    "with the method in the Allow header", NULL);
		return (NULL);
	}
	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (NULL);
	if (slug != NULL && path_tail(req, 1, slug, slug_len) == -1) {
		(void)render_problem(req, FACE_JSON, HTTP_STATUS_NOT_FOUND,
		    "no such proposal", NULL);
		return (NULL);
	}
	return (member(req, max, name));
}

/*
 * The body's one member name (a string, but for "parts"), from the start
 * of the body: a new reference, or NULL after answering.
 */
static json_t *
member(struct http_request *req, size_t max, const char *name)
{
	json_t	*body, *v;

	(void)http_body_rewind(req);
	if ((body = body_json(req, max)) == NULL)
		return (NULL);
	v = json_object_get(body, name);
	if (v == NULL || json_object_size(body) != 1 ||
	    (strcmp(name, "parts") ? !json_is_string(v) : !json_is_array(v))) {
		(void)render_problem(req, FACE_JSON, 422, !strcmp(name,
		    "parts") ? "the body is {\"parts\": [{\"seq\", \"part\", "
		    "\"proof\"}, ...]}, as `factwiki trustee decrypt` sends it" :
		    "the body is one member, a string, as `factwiki trustee` "
		    "sends it", json_pack("{s:[{s:s, s:s}]}", "errors",
		    "field", name, "message", "required"));
		json_decref(body);
		return (NULL);
	}
	json_incref(v);
	json_decref(body);
	return (v);
}

int
api_trustee_key(struct http_request *req)
{
	struct dbreq	*q;
	unsigned char	 pub[TK_PUBLICBYTES];
	const char	*errstr, *text;
	json_t		*key;

	if (http_state_exists(req))
		return (db_run(req));
	if ((key = posted_json(req, "public_key", TRUST_BODY_MAX, "PUT", NULL,
	    0)) == NULL)
		return (KORE_RESULT_OK);
	text = json_string_value(key);
	if (tk_public_parse(text, strlen(text), pub, &errstr) == -1) {
		json_decref(key);
		return (render_problem(req, FACE_JSON, 422, errstr, json_pack(
		    "{s:[{s:s, s:s}]}", "errors", "field", "public_key",
		    "message", errstr)));
	}
	q = view_query(req, "SELECT api.trustee_key_put($1, $2, $3, $4)",
	    FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, text);
	json_decref(key);
	return (db_run(req));
}

/* api.trustee_state(), which the callback checks what was sent against. */
static int
state_start(struct http_request *req, answer_done_cb done)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1];

	(void)path_tail(req, 1, slug, sizeof(slug));
	q = view_query(req, "SELECT api.trustee_state($1, $2, $3, $4)",
	    FACE_JSON, done);
	auth_params(req, q, NULL);
	db_param(q, slug);
	return (db_run(req));
}

int
api_trustee_dealing(struct http_request *req)
{
	return (trustee_post(req, "dealing", dealing_checked));
}

int
api_trustee_ack(struct http_request *req)
{
	return (trustee_post(req, "ack", ack_checked));
}

/*
 * A trustee's member name, checked by done against the trustee's state:
 * the member is read again then.
 */
static int
trustee_post(struct http_request *req, const char *name, answer_done_cb done)
{
	char	 slug[SLUG_MAX + 1];
	json_t	*v;

	if (http_state_exists(req))
		return (db_run(req));
	if ((v = posted_json(req, name, TRUST_BODY_MAX, "POST", slug,
	    sizeof(slug))) == NULL)
		return (KORE_RESULT_OK);
	json_decref(v);
	return (state_start(req, done));
}

/*
 * From api.trustee_state(): the trustees' keys, their number, the
 * threshold, the caller's index, and the proposal's context.
 */
static int
state_keys(json_t *state, unsigned char (*pubs)[TK_PUBLICBYTES], unsigned *n,
    unsigned *k, unsigned *me, unsigned char *ctx)
{
	json_t	*t;
	size_t	 i;

	*n = (unsigned)json_array_size(json_object_get(state, "trustees"));
	*k = (unsigned)json_integer_value(json_object_get(state, "threshold"));
	*me = (unsigned)json_integer_value(json_object_get(state, "index"));
	if (*n > DKG_TRUSTEES_MAX || *me < 1 || *me > *n)
		return (-1);
	json_array_foreach(json_object_get(state, "trustees"), i, t) {
		if (bulletin_b64(json_string_value(json_object_get(t,
		    "public_key")), pubs[i], TK_PUBLICBYTES) == -1)
			return (-1);
	}
	dkg_context(json_string_value(json_object_get(state, "slug")), *k, *n,
	    (const unsigned char (*)[TK_PUBLICBYTES])pubs, ctx);
	return (0);
}

static int
dealing_checked(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	unsigned char	 pubs[DKG_TRUSTEES_MAX][TK_PUBLICBYTES], ctx[32];
	unsigned char	*d;
	char		 slug[SLUG_MAX + 1], index[8];
	const char	*why;
	json_t		*state, *dealing;
	struct dbreq	*q;
	unsigned	 n, k, me;
	size_t		 dlen;

	(void)a;
	if ((state = json_loadb(doc, len, 0, NULL)) == NULL ||
	    state_keys(state, pubs, &n, &k, &me, ctx) == -1)
		fatal("dealing_checked: the database sent a bad document");
	if ((dealing = member(req, TRUST_BODY_MAX, "dealing")) == NULL) {
		json_decref(state);
		return (KORE_RESULT_OK);
	}
	dlen = dkg_dealing_len(n, k);
	d = kore_malloc(dlen);
	/* One already dealt: api.trustee_deal() says so. */
	why = NULL;
	if (json_is_true(json_object_get(state, "dealt")))
		;
	else if (bulletin_b64(json_string_value(dealing), d, dlen) == -1)
		why = "dealing: it is not the base64 of a dealing of this "
		    "proposal's size";
	else
		(void)dkg_dealing_check(d, dlen, ctx, me, n, k, pubs[me - 1],
		    &why);
	kore_free(d);
	json_decref(state);
	if (why != NULL) {
		json_decref(dealing);
		return (render_problem(req, FACE_JSON, 422, why, NULL));
	}
	(void)path_tail(req, 1, slug, sizeof(slug));
	(void)snprintf(index, sizeof(index), "%u", me);
	q = view_query(req, "SELECT api.trustee_deal($1, $2, $3, $4, $5, $6)",
	    FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, slug);
	db_param(q, index);
	db_param(q, json_string_value(dealing));
	json_decref(dealing);
	return (KORE_RESULT_OK);
}

/*
 * An acknowledgement is the trustee's signature of the key every dealing
 * makes: checked here, and the key it signs goes with it, to be set when
 * it is the last.
 */
static int
ack_checked(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	unsigned char		 pubs[DKG_TRUSTEES_MAX][TK_PUBLICBYTES];
	unsigned char		 ctx[32], y[EG_POINTBYTES], h[32];
	unsigned char		 sig[TK_SIGBYTES], *bytes;
	const unsigned char	*dealings[DKG_TRUSTEES_MAX];
	char			 slug[SLUG_MAX + 1], index[8];
	char			 y64[sodium_base64_ENCODED_LEN(EG_POINTBYTES,
				    sodium_base64_VARIANT_ORIGINAL)];
	const char		*why;
	json_t			*state, *ack, *t;
	struct dbreq		*q;
	unsigned		 n, k, me;
	size_t			 i, dlen;

	(void)a;
	if ((state = json_loadb(doc, len, 0, NULL)) == NULL ||
	    state_keys(state, pubs, &n, &k, &me, ctx) == -1)
		fatal("ack_checked: the database sent a bad document");
	if ((ack = member(req, TRUST_BODY_MAX, "ack")) == NULL) {
		json_decref(state);
		return (KORE_RESULT_OK);
	}
	dlen = dkg_dealing_len(n, k);
	bytes = kore_calloc(n, dlen);
	why = NULL;
	json_array_foreach(json_object_get(state, "trustees"), i, t) {
		dealings[i] = bytes + i * dlen;
		if (bulletin_b64(json_string_value(json_object_get(t,
		    "dealing")), bytes + i * dlen, dlen) == -1)
			why = "not every trustee has dealt yet: acknowledge "
			    "once all have (`factwiki trustee setup` says "
			    "when)";
	}
	if (why == NULL && bulletin_b64(json_string_value(ack), sig,
	    sizeof(sig)) == -1)
		why = "ack: it is not the base64 of a signature";
	if (why == NULL) {
		dkg_joint_key(n, k, dealings, y);
		dkg_ack_hash(ctx, y, n, k, dealings, h);
		if (dkg_verify(pubs[me - 1], h, sig) == -1)
			why = "ack: it is not your signature of the key the "
			    "dealings make";
	}
	kore_free(bytes);
	json_decref(state);
	if (why != NULL) {
		json_decref(ack);
		return (render_problem(req, FACE_JSON, 422, why, NULL));
	}
	sodium_bin2base64(y64, sizeof(y64), y, sizeof(y),
	    sodium_base64_VARIANT_ORIGINAL);
	(void)path_tail(req, 1, slug, sizeof(slug));
	(void)snprintf(index, sizeof(index), "%u", me);
	q = view_query(req, "SELECT api.trustee_ack($1, $2, $3, $4, $5, $6, "
	    "$7)", FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, slug);
	db_param(q, index);
	db_param(q, json_string_value(ack));
	db_param(q, y64);
	json_decref(ack);
	return (KORE_RESULT_OK);
}

int
api_trustee_parts(struct http_request *req)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1], *text;
	json_t		*parts;

	if (http_state_exists(req))
		return (db_run(req));
	if ((parts = posted_json(req, "parts", PARTS_BODY_MAX, "POST", slug,
	    sizeof(slug))) == NULL)
		return (KORE_RESULT_OK);
	if ((text = json_dumps(parts, JSON_COMPACT)) == NULL)
		fatal("api_trustee_parts: out of memory");
	json_decref(parts);
	q = view_query(req, "SELECT api.trustee_parts_put($1, $2, $3, $4, "
	    "$5)", FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, slug);
	db_param(q, text);
	free(text);
	return (db_run(req));
}

static int
written(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	(void)a;
	return (render_body(req, HTTP_STATUS_OK, "application/json", doc,
	    len));
}

int
api_board(struct http_request *req)
{
	return (view_serve(req, &board_view));
}

int
api_board_keys(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		q = view_start(req, &board_keys_view, FACE_JSON);
		db_param(q, keys_master_id());
	}
	return (db_run(req));
}

int
api_proposal_void(struct http_request *req)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1];
	json_t		*reason;

	if (http_state_exists(req))
		return (db_run(req));
	if ((reason = posted_json(req, "reason", REASON_BODY_MAX, "POST", slug,
	    sizeof(slug))) == NULL)
		return (KORE_RESULT_OK);
	q = view_query(req, "SELECT api.proposal_void($1, $2, $3, $4, $5)",
	    FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, slug);
	db_param(q, json_string_value(reason));
	json_decref(reason);
	return (db_run(req));
}

int
page_proposal_void(struct http_request *req)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1];

	if (http_state_exists(req))
		return (db_run(req));
	if (!proposal_form(req, slug, sizeof(slug), "A proposal is voided "
	    "with the form on its page."))
		return (KORE_RESULT_OK);
	q = view_query(req, "SELECT api.proposal_void($1, $2, $3, $4, $5)",
	    FACE_HTML, voided);
	auth_params(req, q, form_field(req, "csrf"));
	db_param(q, slug);
	db_param(q, form_field(req, "reason"));
	return (db_run(req));
}

static int
voided(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	char	 slug[SLUG_MAX + 1];
	char	 location[sizeof("/proposals/") + SLUG_MAX];

	(void)a;
	(void)doc;
	(void)len;
	(void)path_tail(req, 1, slug, sizeof(slug));
	(void)snprintf(location, sizeof(location), "/proposals/%s", slug);
	return (form_redirect(req, location, "The proposal is voided."));
}
