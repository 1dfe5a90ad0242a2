/*
 * Proposals: the list (/api/v1/proposals, /proposals), one proposal
 * (/api/v1/proposals/{slug}; its page, /proposals/{slug}, with the
 * signed-in voter's own bid), and making one (POST /api/v1/proposals, the
 * form /proposals/new).
 *
 * A new proposal read by its operator gets its bid key here: the public
 * point and its scalar wrapped under the master key go to the database,
 * the scalar itself nowhere.  One with trustees gets its key from them
 * (trust.c), later.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/account.h"
#include "core/clarke.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/money.h"
#include "core/seal.h"
#include "core/slug.h"
#include "core/utc.h"
#include "auth.h"
#include "form.h"
#include "referenda.h"

int	api_proposals(struct http_request *);
int	api_proposal(struct http_request *);
int	page_proposal_new(struct http_request *);

#define TITLE_MAX	200
#define PROJECT_MAX	100
#define DESCRIPTION_MAX	100000
/* A description of 100,000 characters of up to 4 bytes, and the rest. */
#define PROPOSAL_BODY_MAX	(4 * DESCRIPTION_MAX + 16384)
/* A proposal's bidding is open for this long unless told otherwise. */
#define DEFAULT_DAYS	7

static const struct csv_col proposals_cols[] = {
	{ "slug", "slug", CSV_PATH },
	{ "title", "title", CSV_PATH },
	{ "project", "project", CSV_PATH },
	{ "status", "status", CSV_PATH },
	{ "cost", "cost", CSV_PATH },
	{ "currency", "currency", CSV_PATH },
	{ "opens_at", "opens_at", CSV_PATH },
	{ "closes_at", "closes_at", CSV_PATH },
	{ "tax_rule", "tax_rule", CSV_PATH },
	{ "payout_rule", "payout_rule", CSV_PATH },
	{ "readers", "readers", CSV_PATH },
	{ "threshold", "threshold", CSV_PATH },
	{ "bids", "bids", CSV_PATH },
	{ "decision", "decision", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view proposals_view = {
	"proposals", "api.proposals($1, $2, $3)", "data", proposals_cols,
	{ "?status", "?limit=100", "?cursor" }, NULL, NULL
};

/* JSON only: one proposal has no rows to make a CSV of. */
static const struct view proposal_view = {
	"proposal", "api.proposal($1)", NULL, NULL
};

/* The fields of a new proposal, as the API and the form name them. */
static const char *const fields[] = {
	"slug", "title", "project", "description", "cost", "currency",
	"opens_at", "closes_at", "tax_rule", "payout_rule", "trustees",
	"threshold", "max_bid", "electorate", "voters", "surplus_to", NULL
};

enum field {
	F_SLUG, F_TITLE, F_PROJECT, F_DESCRIPTION, F_COST, F_CURRENCY,
	F_OPENS_AT, F_CLOSES_AT, F_TAX_RULE, F_PAYOUT_RULE, F_TRUSTEES,
	F_THRESHOLD, F_MAX_BID, F_ELECTORATE, F_VOTERS, F_SURPLUS_TO, F_COUNT
};

static int	proposal_page_done(struct http_request *, struct answer *,
		    const char *, size_t);
static json_t	*proposal_check(const char *const *, int, json_t *);
static const char	*members_words(void);
static int	proposal_create(struct http_request *, json_t *,
		    const char *, answer_done_cb);
static int	api_proposal_create(struct http_request *);
static int	api_created(struct http_request *, struct answer *,
		    const char *, size_t);
static int	page_created(struct http_request *, struct answer *,
		    const char *, size_t);
static int	page_create_failed(struct http_request *, struct answer *);
static void	field_error(json_t *, const char *, const char *);
static int64_t	now_usec(void);
static json_t	*form_time(int64_t);
static void	rule_error(json_t *, const char *, const char *,
		    const struct clarke_rule *, size_t);
static json_t	*rule_choices(json_t *, const char *,
		    const struct clarke_rule *, size_t, size_t);
static json_t	*form_doc(json_t *, json_t *, int);
static json_t	*trustees_check(const char *, const char *, json_t *,
		    json_int_t *);
static void	binding_check(const char *const *, json_t *, json_t *);
static const char *api_list(json_t *, struct buf *, json_t *,
		    const char *);

int
api_proposals(struct http_request *req)
{
	if (!http_state_exists(req) && req->method == HTTP_METHOD_POST &&
	    !strncmp(req->path, "/api/", 5))
		return (api_proposal_create(req));
	return (view_serve(req, &proposals_view));
}

int
api_proposal(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 slug[SLUG_MAX + 1];

	if (!http_state_exists(req)) {
		if (view_admit(req, &face) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		if (path_tail(req, 0, slug, sizeof(slug)) == -1)
			return (render_problem(req, face,
			    HTTP_STATUS_NOT_FOUND, "no such proposal", NULL));
		if (face == FACE_HTML)
			return (proposal_page(req, slug, HTTP_STATUS_OK, NULL));
		q = view_start(req, &proposal_view, FACE_JSON);
		db_param(q, slug);
	}
	return (db_run(req));
}

int
proposal_page(struct http_request *req, const char *slug, int status,
    const char *bid_error)
{
	struct dbreq	*q;
	struct answer	*a;
	char		 hex[65];
	int		 chained;

	chained = http_state_exists(req);
	q = view_query(req, "SELECT api.proposal_page($1, decode($2, 'hex'), "
	    "$3)", FACE_HTML, proposal_page_done);
	a = http_state_get(req);
	a->status = status;
	db_param(q, slug);
	db_param(q, session_hash(req, hex, sizeof(hex)) ? hex : NULL);
	db_param(q, bid_error);
	return (chained ? KORE_RESULT_OK : db_run(req));
}

int
proposal_form(struct http_request *req, char *slug, size_t len,
    const char *how)
{
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "POST");
		(void)page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED, how);
		return (0);
	}
	if (path_tail(req, 1, slug, len) == -1) {
		(void)page_error(req, HTTP_STATUS_NOT_FOUND,
		    "There is no such proposal.");
		return (0);
	}
	return (form_read(req) == 0);
}

/* The voter's own bid is opened for them, on their page alone. */
static int
proposal_page_done(struct http_request *req, struct answer *a,
    const char *doc, size_t len)
{
	json_t	*d, *page, *own;
	char	*text;
	int	 rc;

	if ((d = json_loadb(doc, len, 0, NULL)) == NULL)
		fatal("proposal page: the database sent bad JSON");
	page = json_object_get(d, "page");
	if ((own = json_object_get(page, "own")) != NULL &&
	    json_is_object(own) && bid_reveal(own) == -1)
		(void)json_object_set_new(page, "own", json_pack("{s:s}",
		    "error", "Your bid cannot be opened; this was logged."));
	if ((text = json_dumps(d, JSON_COMPACT)) == NULL)
		fatal("proposal page: out of memory");
	json_decref(d);
	rc = page_render(req, "proposal", a->status, text, strlen(text));
	free(text);
	return (rc);
}

/*
 * {field: why} in errors, when there is a why.  A field has one message,
 * the first found: text_input_check() may have set it.
 */
static void
field_error(json_t *errors, const char *field, const char *why)
{
	if (why != NULL && json_object_get(errors, field) == NULL)
		(void)json_object_set_new(errors, field, json_string(why));
}

static int64_t
now_usec(void)
{
	struct timespec	 ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/*
 * Checks a new proposal's fields (in the order of fields[]; NULL or "" is
 * not given).  form: times may lack their Z, as a datetime-local field
 * sends them (labelled UTC).  Returns the fields as api.proposal_create()
 * takes them, or NULL when errors ({field: message}) has some.
 */
static json_t *
proposal_check(const char *const *in, int form, json_t *errors)
{
	char		 slug[SLUG_MAX + 1], opens[UTC_STRLEN];
	char		 closes[UTC_STRLEN], cents[24];
	const char	*s, *errstr, *why;
	enum clarke_tax	 tax;
	enum clarke_payout payout;
	json_t		*trustees, *binding, *checked;
	json_int_t	 threshold;
	int64_t		 cost, opens_usec, closes_usec;
	int		 derived, opens_ok, rules_ok;

	(void)text_input_check("title", "title", in[F_TITLE] ? in[F_TITLE] :
	    "", TITLE_MAX, 0, 1, errors);
	(void)text_input_check("project", "project", in[F_PROJECT] ?
	    in[F_PROJECT] : "", PROJECT_MAX, 0, 1, errors);
	(void)text_input_check("description", "description",
	    in[F_DESCRIPTION] ? in[F_DESCRIPTION] : "", DESCRIPTION_MAX, 1, 0,
	    errors);

	/* Each field's first problem, if any, goes to errors. */
	derived = 0;
	slug[0] = cents[0] = '\0';
	why = NULL;
	if ((s = in[F_SLUG]) != NULL && s[0] != '\0') {
		if (!slug_valid(s, strlen(s)))
			why = "a slug is lowercase letters and digits in words "
			    "joined by single hyphens, such as "
			    "drop-tcp-wrappers, at most 64 long";
		else if (!strcmp(s, "new"))
			why = "the slug 'new' is the page that makes "
			    "proposals: choose another";
		else
			(void)snprintf(slug, sizeof(slug), "%s", s);
	} else if ((s = in[F_TITLE]) != NULL && s[0] != '\0') {
		if (slug_derive(s, strlen(s), slug) == -1)
			why = "give a slug: the title has no letter or digit "
			    "to make one from";
		derived = 1;
	}
	field_error(errors, "slug", why);

	why = NULL;
	if ((s = in[F_COST]) == NULL || s[0] == '\0')
		why = "the cost is required: what making the change costs, "
		    "such as 12.00 (0 when nothing)";
	else if (money_parse(s, strlen(s), &cost, &errstr) == -1)
		why = errstr;
	else if (cost < 0)
		why = "the cost is 0.00 or more: those whom the change saves "
		    "money say so with their bids";
	else if (cost > CLARKE_COST_MAX)
		why = "the cost is too large to tally exactly";
	else
		(void)snprintf(cents, sizeof(cents), "%lld", (long long)cost);
	field_error(errors, "cost", why);

	if ((s = in[F_CURRENCY]) == NULL || strlen(s) != 3 ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		field_error(errors, "currency", "the currency is an ISO 4217 "
		    "code of three capital letters, such as EUR or USD");

	/* No opening time: bidding opens now. */
	opens[0] = '\0';
	opens_usec = now_usec();
	opens_ok = 1;
	if ((s = in[F_OPENS_AT]) != NULL && s[0] != '\0' &&
	    utc_parse(s, strlen(s), form, &opens_usec, opens, &errstr) == -1) {
		field_error(errors, "opens_at", errstr);
		opens_ok = 0;
	}
	why = NULL;
	closes_usec = 0;
	if ((s = in[F_CLOSES_AT]) == NULL || s[0] == '\0')
		why = "the closing time is required";
	else if (utc_parse(s, strlen(s), form, &closes_usec, closes,
	    &errstr) == -1)
		why = errstr;
	else if (opens_ok && closes_usec <= opens_usec)
		why = "bidding must close after it opens";
	else if (closes_usec <= now_usec())
		why = "the closing time has passed already: give one in the "
		    "future (UTC)";
	field_error(errors, "closes_at", why);

	tax = CLARKE_TAX_DEFAULT;
	rules_ok = 1;
	if ((s = in[F_TAX_RULE]) != NULL && s[0] != '\0' &&
	    clarke_tax_parse(s, &tax) == -1) {
		rule_error(errors, "tax_rule", "the tax rule is ",
		    clarke_tax_rules, CLARKE_TAX__MAX);
		rules_ok = 0;
	}
	payout = clarke_payout_default(tax);
	if ((s = in[F_PAYOUT_RULE]) != NULL && s[0] != '\0' &&
	    clarke_payout_parse(s, &payout) == -1) {
		rule_error(errors, "payout_rule", "the payout rule is ",
		    clarke_payout_rules, CLARKE_PAYOUT__MAX);
		rules_ok = 0;
	}
	if (rules_ok)
		field_error(errors, "payout_rule",
		    clarke_rules_check(tax, payout));

	trustees = trustees_check(in[F_TRUSTEES], in[F_THRESHOLD], errors,
	    &threshold);
	binding = json_object();
	binding_check(in, errors, binding);
	if (json_object_size(errors) > 0) {
		json_decref(trustees);
		json_decref(binding);
		return (NULL);
	}
	checked = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, "
	    "s:s, s:s, s:o, s:I}", "slug", slug, "slug_derived", derived,
	    "title", in[F_TITLE], "project", in[F_PROJECT], "description",
	    in[F_DESCRIPTION] ? in[F_DESCRIPTION] : "", "cost", cents,
	    "currency", in[F_CURRENCY], "opens_at", opens[0] ? opens : NULL,
	    "closes_at", closes, "tax_rule", clarke_tax_name(tax),
	    "payout_rule", clarke_payout_name(payout), "trustees", trustees,
	    "threshold", threshold);
	(void)json_object_update(checked, binding);
	json_decref(binding);
	return (checked);
}

json_t *
names_parse(const char *list, const char *field, json_t *errors)
{
	json_t		*names;
	const char	*p, *errstr;
	char		 name[USERNAME_MAX + 1];
	size_t		 len;

	names = json_array();
	for (p = list != NULL ? list : ""; *p != '\0'; p += len) {
		p += strspn(p, ", \t\r\n");
		if ((len = strcspn(p, ", \t\r\n")) == 0)
			break;
		errstr = "a user name has at most 64 characters";
		if (len >= sizeof(name) ||
		    username_check(p, len, &errstr) == -1) {
			field_error(errors, field, errstr);
			json_decref(names);
			return (NULL);
		}
		memcpy(name, p, len);
		name[len] = '\0';
		(void)json_array_append_new(names, json_string(name));
	}
	return (names);
}

/*
 * What binds the bids: max_bid (required), the electorate ("bidders", or
 * "roll" and its voters), surplus_to; into out, as api.proposal_create()
 * takes them.
 */
static void
binding_check(const char *const *in, json_t *errors, json_t *out)
{
	char		 cents[24];
	const char	*s, *errstr, *why;
	json_t		*roll;
	int64_t		 max;

	why = NULL;
	if ((s = in[F_MAX_BID]) == NULL || s[0] == '\0')
		why = "max_bid is required: the most a voter may bid either "
		    "way, which each voter deposits until the tally";
	else if (money_parse(s, strlen(s), &max, &errstr) == -1)
		why = errstr;
	else if (max <= 0 || max > MONEY_BID_MAX)
		why = "max_bid is more than 0.00 and at most 1000000000.00";
	else {
		(void)snprintf(cents, sizeof(cents), "%lld", (long long)max);
		(void)json_object_set_new(out, "max_bid", json_string(cents));
	}
	field_error(errors, "max_bid", why);

	s = in[F_ELECTORATE];
	if (s == NULL || s[0] == '\0' || !strcmp(s, "bidders"))
		(void)json_object_set_new(out, "electorate",
		    json_string("bidders"));
	else if (strcmp(s, "roll") != 0)
		field_error(errors, "electorate", "the electorate is a roll of "
		    "voters, or bidders (an open poll)");
	else if ((roll = names_parse(in[F_VOTERS], "voters", errors)) != NULL)
		(void)json_object_set_new(out, "electorate", roll);
	if ((s = in[F_SURPLUS_TO]) != NULL && s[0] != '\0') {
		if (username_check(s, strlen(s), &errstr) == -1)
			field_error(errors, "surplus_to", errstr);
		else
			(void)json_object_set_new(out, "surplus_to",
			    json_string(s));
	}
}

/*
 * The trustees, user names separated by commas or spaces (none: the
 * operator reads the bids), and the threshold, 1 to their number; a
 * majority when not given.  The database checks that they are users with
 * trustee keys.  Returns the names, or NULL after an error in errors.
 */
static json_t *
trustees_check(const char *list, const char *k, json_t *errors,
    json_int_t *threshold)
{
	json_t		*names;
	long long	 n;
	char		*end;

	*threshold = 1;
	if ((names = names_parse(list, "trustees", errors)) == NULL)
		return (NULL);
	*threshold = (json_int_t)json_array_size(names) / 2 + 1;
	if (json_array_size(names) > DKG_TRUSTEES_MAX)
		field_error(errors, "trustees", "a proposal has at most 32 "
		    "trustees");
	if (k != NULL && k[0] != '\0') {
		n = strtoll(k, &end, 10);
		if (*end != '\0' || n < 1 ||
		    n > (long long)json_array_size(names))
			field_error(errors, "threshold", json_array_size(names) ?
			    "the threshold is a whole number from 1 to the "
			    "number of trustees" : "a threshold needs "
			    "trustees: name them, or leave it out");
		else
			*threshold = n;
	}
	if (json_array_size(names) == 0)
		*threshold = 1;
	return (names);
}

/*
 * The proposal's keys, then api.proposal_create(): the board key's id,
 * and without trustees a bid key whose scalar only the master key opens.
 * Returns 0 when the query is ready, -1 when it answered that the key
 * keeper made no key.
 */
static int
proposal_create(struct http_request *req, json_t *checked, const char *csrf,
    answer_done_cb done)
{
	unsigned char	 y[EG_POINTBYTES];
	unsigned char	 wrapped[EG_WRAPPEDBYTES];
	char		 y64[sodium_base64_ENCODED_LEN(EG_POINTBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	char		 w64[sodium_base64_ENCODED_LEN(EG_WRAPPEDBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	char		*text, *keys_text;
	json_t		*keys;
	struct dbreq	*q;
	struct answer	*a;
	int		 api;

	api = strncmp(req->path, "/api/", 5) == 0;
	keys = json_pack("{s:s}", "board_key_id", keys_master_id());
	if (json_array_size(json_object_get(checked, "trustees")) == 0) {
		if (keeper_newkey(keys_keeper(), y, wrapped) != KEEPER_OK) {
			kore_log(LOG_ERR, "the key keeper made no bid key");
			json_decref(keys);
			json_decref(checked);
			(void)render_problem(req, api ? FACE_JSON : FACE_HTML,
			    HTTP_STATUS_SERVICE_UNAVAILABLE,
			    KEEPER_GONE_MESSAGE, NULL);
			return (-1);
		}
		sodium_bin2base64(y64, sizeof(y64), y, sizeof(y),
		    sodium_base64_VARIANT_ORIGINAL);
		sodium_bin2base64(w64, sizeof(w64), wrapped, sizeof(wrapped),
		    sodium_base64_VARIANT_ORIGINAL);
		(void)json_object_set_new(keys, "bid_key", json_string(y64));
		(void)json_object_set_new(keys, "wrapped_key",
		    json_string(w64));
		(void)json_object_set_new(keys, "master_key_id",
		    json_string(keys_master_id()));
	}
	if ((text = json_dumps(checked, JSON_COMPACT)) == NULL ||
	    (keys_text = json_dumps(keys, JSON_COMPACT)) == NULL)
		fatal("proposal_create: out of memory");
	json_decref(checked);
	json_decref(keys);
	if (!api) {
		a = answer_start(req, "SELECT api.proposal_create($1, $2, $3, "
		    "$4, $5)", done, page_create_failed);
		a->face = FACE_HTML;
		q = &a->q;
	} else
		q = view_query(req, "SELECT api.proposal_create($1, $2, $3, "
		    "$4, $5)", FACE_JSON, done);
	auth_params(req, q, csrf);
	db_param(q, text);
	db_param(q, keys_text);
	free(text);
	free(keys_text);
	return (0);
}

/* POST /api/v1/proposals: a JSON object of the fields, all strings. */
static int
api_proposal_create(struct http_request *req)
{
	const char	*in[F_COUNT + 1], *key;
	json_t		*body, *v, *errors, *checked, *list;
	struct buf	 trustees, threshold, voters;
	size_t		 i;
	int		 rc;

	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if ((body = body_json(req, PROPOSAL_BODY_MAX)) == NULL)
		return (KORE_RESULT_OK);
	errors = json_object();
	memset(in, 0, sizeof(in));
	buf_init(&trustees);
	buf_init(&threshold);
	buf_init(&voters);
	json_object_foreach(body, key, v) {
		for (i = 0; fields[i] != NULL && strcmp(fields[i], key); i++)
			;
		if (fields[i] == NULL)
			field_error(errors, key, members_words());
		else if (i == F_TRUSTEES || i == F_THRESHOLD)
			in[i] = api_list(v, i == F_TRUSTEES ? &trustees :
			    &threshold, errors, key);
		else if (i == F_ELECTORATE && json_is_array(v)) {
			in[F_ELECTORATE] = "roll";
			in[F_VOTERS] = api_list(v, &voters, errors, key);
		} else if (i == F_VOTERS)
			field_error(errors, key, "unknown member: the voter "
			    "roll is \"electorate\": [\"ann\", ...]");
		else if (json_is_string(v))
			in[i] = json_string_value(v);
		else if (!json_is_null(v))
			field_error(errors, key, "write it as a string, as in "
			    "\"cost\": \"12.00\"");
	}
	/* Every member is checked: a client learns of all its mistakes. */
	checked = proposal_check(in, 0, errors);
	buf_free(&trustees);
	buf_free(&threshold);
	buf_free(&voters);
	if (checked != NULL) {
		json_decref(errors);
		rc = proposal_create(req, checked, NULL, api_created);
		json_decref(body);
		return (rc == -1 ? KORE_RESULT_OK : db_run(req));
	}
	list = json_array();
	json_object_foreach(errors, key, v)
		(void)json_array_append_new(list, json_pack("{s:s, s:O}",
		    "field", key, "message", v));
	(void)render_problem(req, FACE_JSON, 422, json_string_value(
	    json_object_get(json_array_get(list, 0), "message")),
	    json_pack("{s:o}", "errors", list));
	json_decref(errors);
	json_decref(body);
	return (KORE_RESULT_OK);
}

/*
 * "unknown member: a proposal has slug, title, ... and surplus_to": the
 * API's members, which are the fields but the form's voters (the API's
 * roll is the electorate's list).
 */
static const char *
members_words(void)
{
	static struct buf	 words;
	size_t			 i, n;

	if (words.len > 0)
		return (buf_cstr(&words));
	buf_puts(&words, "unknown member: a proposal has ");
	for (i = n = 0; fields[i] != NULL; i++) {
		if (i == F_VOTERS)
			continue;
		if (n++ > 0)
			buf_puts(&words, fields[i + 1] != NULL ? ", " : " and ");
		buf_puts(&words, fields[i]);
	}
	return (buf_cstr(&words));
}

/*
 * The API's lists of names (trustees, the electorate's roll) and its
 * threshold (a number), as the form's text, for one check of each.
 */
static const char *
api_list(json_t *v, struct buf *text, json_t *errors, const char *key)
{
	json_t	*name;
	size_t	 i;

	if (json_is_null(v))
		return (NULL);
	/* The body reader reads every number as a real: 2 is 2.0. */
	if (!strcmp(key, "threshold")) {
		if (json_is_real(v) && json_real_value(v) >= 0 &&
		    json_real_value(v) <= DKG_TRUSTEES_MAX &&
		    json_real_value(v) == (int)json_real_value(v)) {
			buf_printf(text, "%d", (int)json_real_value(v));
			return (buf_cstr(text));
		}
		field_error(errors, key, "threshold is a whole number, as in 2");
		return (NULL);
	}
	json_array_foreach(v, i, name) {
		if (!json_is_string(name) ||
		    strpbrk(json_string_value(name), ", \t\r\n")) {
			field_error(errors, key, "a list of user names, as in "
			    "[\"ann\", \"ben\"]");
			return (NULL);
		}
		buf_printf(text, "%s%s", i > 0 ? "," : "",
		    json_string_value(name));
	}
	if (!json_is_array(v))
		field_error(errors, key, "a list of user names, as in "
		    "[\"ann\", \"ben\"]");
	return (json_is_array(v) ? buf_cstr(text) : NULL);
}

static int
api_created(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	json_t	*d;
	char	 location[sizeof("/api/v1/proposals/") + SLUG_MAX];

	(void)a;
	if ((d = json_loadb(doc, len, 0, NULL)) == NULL)
		fatal("api_created: the database sent bad JSON");
	(void)snprintf(location, sizeof(location), "/api/v1/proposals/%s",
	    json_string_value(json_object_get(d, "slug")));
	json_decref(d);
	http_response_header(req, "location", location);
	return (render_body(req, HTTP_STATUS_CREATED, "application/json",
	    doc, len));
}

/* "2024-05-01T12:00" in UTC, as a datetime-local field shows it. */
static json_t *
form_time(int64_t usec)
{
	struct tm	 tm;
	time_t		 t;
	char		 s[32];

	t = (time_t)(usec / 1000000);
	(void)gmtime_r(&t, &tm);
	(void)strftime(s, sizeof(s), "%Y-%m-%dT%H:%M", &tm);
	return (json_string(s));
}

/* "the tax rule is pivot, coalition-equal or coalition-prorata" */
static void
rule_error(json_t *errors, const char *field, const char *lead,
    const struct clarke_rule *rules, size_t n)
{
	struct buf	 why;

	buf_init(&why);
	buf_puts(&why, lead);
	clarke_rule_names(&why, rules, n, ", ", " or ");
	field_error(errors, field, buf_cstr(&why));
	buf_free(&why);
}

/*
 * The form's radio buttons for one kind of rule: each rule with its
 * summary, and checked for the one the form has, or for the default when
 * it has none or no such.
 */
static json_t *
rule_choices(json_t *form, const char *field, const struct clarke_rule *rules,
    size_t n, size_t def)
{
	json_t		*list;
	const char	*chosen;
	size_t		 i;
	int		 pick;

	chosen = json_string_value(json_object_get(form, field));
	if (chosen == NULL || (pick = clarke_rule_find(rules, n, chosen)) == -1)
		pick = (int)def;
	list = json_array();
	for (i = 0; i < n; i++)
		(void)json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "name", rules[i].name, "summary", rules[i].summary,
		    "checked", (int)i == pick));
	return (list);
}

/* The form's document: what it holds, its errors, the rules to choose. */
static json_t *
form_doc(json_t *form, json_t *errors, int preview)
{
	const char	*e;

	e = json_string_value(json_object_get(form, "electorate"));
	(void)json_object_set_new(form, "roll", json_boolean(e != NULL &&
	    !strcmp(e, "roll")));
	return (json_pack("{s:o, s:o, s:o, s:o?, s:b}", "tax_rules",
	    rule_choices(form, "tax_rule", clarke_tax_rules, CLARKE_TAX__MAX,
	    CLARKE_TAX_DEFAULT), "payout_rules", rule_choices(form,
	    "payout_rule", clarke_payout_rules, CLARKE_PAYOUT__MAX,
	    CLARKE_PAYOUT_DEFAULT), "form", form, "errors", errors,
	    "preview", preview));
}

/* GET: the form; POST: make the proposal, or the form with its errors. */
int
page_proposal_new(struct http_request *req)
{
	const char	*in[F_COUNT + 1];
	json_t		*errors, *checked, *form;
	int64_t		 now;
	size_t		 i;
	int		 preview;

	if (http_state_exists(req))
		return (db_run(req));
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		now = now_usec();
		form = json_pack("{s:o, s:o, s:s}", "opens_at",
		    form_time(now), "closes_at", form_time(now +
		    INT64_C(86400000000) * DEFAULT_DAYS), "currency", "EUR");
		return (page_with_user(req, "proposal_new", HTTP_STATUS_OK,
		    form_doc(form, NULL, 0)));
	}
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "GET, HEAD, POST");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This page is a form: GET shows it, POST sends it."));
	}
	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	for (i = 0; i < F_COUNT; i++)
		in[i] = form_field(req, fields[i]);
	in[F_COUNT] = NULL;
	errors = json_object();
	checked = proposal_check(in, 1, errors);
	/* A preview shows the description as it will be, and makes nothing. */
	preview = *form_field(req, "preview") != '\0';
	if (checked == NULL || preview) {
		json_decref(checked);
		return (page_with_user(req, "proposal_new", preview ?
		    HTTP_STATUS_OK : 422, form_doc(form_fields(req, fields),
		    errors, preview)));
	}
	json_decref(errors);
	if (proposal_create(req, checked, form_field(req, "csrf"),
	    page_created) == -1)
		return (KORE_RESULT_OK);
	return (db_run(req));
}

/*
 * What the database found wrong with the form's fields (a trustee with no
 * key, a slug taken) is shown beside them, as the server's own checks are.
 */
static int
page_create_failed(struct http_request *req, struct answer *a)
{
	json_t	*detail, *errors, *e;
	size_t	 i;

	detail = a->q.detail != NULL ? json_loads(a->q.detail, 0, NULL) : NULL;
	if (!json_is_array(json_object_get(detail, "errors"))) {
		json_decref(detail);
		return (view_failed(req, a));
	}
	errors = json_object();
	json_array_foreach(json_object_get(detail, "errors"), i, e)
		field_error(errors, json_string_value(json_object_get(e,
		    "field")), json_string_value(json_object_get(e,
		    "message")));
	json_decref(detail);
	return (page_with_user(req, "proposal_new", a->q.status,
	    form_doc(form_fields(req, fields), errors, 0)));
}

static int
page_created(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	json_t	*d;
	char	 location[sizeof("/proposals/") + SLUG_MAX];

	(void)a;
	if ((d = json_loadb(doc, len, 0, NULL)) == NULL)
		fatal("page_created: the database sent bad JSON");
	(void)snprintf(location, sizeof(location), "/proposals/%s",
	    json_string_value(json_object_get(d, "slug")));
	json_decref(d);
	return (form_redirect(req, location, NULL));
}
