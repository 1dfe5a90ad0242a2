/*
 * Who may bid, and what it costs them (referenda-trust.md):
 *
 *	PUT  /api/v1/proposals/{slug}/roll	{"voters": [...]}, or CSV with a
 *						voter column (or one name a line)
 *	POST /proposals/{slug}/roll		the page's form
 *	GET  /api/v1/account/ledger		the user's statement: JSON, CSV
 *	GET  /account/ledger			the same, a page
 *
 * The roll is kept by a proposal's creator and by curators until bidding
 * opens.  Money moves only in SQL (sql/api/080_binding.sql): here it is
 * read.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/slug.h"
#include "auth.h"
#include "form.h"
#include "referenda.h"

int	api_roll(struct http_request *);
int	page_roll(struct http_request *);
int	api_ledger(struct http_request *);

/* Some 60,000 names of the longest kind, one a line. */
#define ROLL_BODY_MAX	(4 * 1024 * 1024)

static const struct csv_col ledger_cols[] = {
	{ "at", "at", CSV_PATH },
	{ "account", "account", CSV_PATH },
	{ "memo", "memo", CSV_PATH },
	{ "proposal", "proposal", CSV_PATH },
	{ "currency", "currency", CSV_PATH },
	{ "amount", "amount", CSV_PATH },
	{ "balance_after", "balance_after", CSV_PATH },
	{ "ref", "ref", CSV_PATH },
	{ NULL, NULL, CSV_PATH }
};

static const struct view ledger_page_view = {
	"ledger", "api.ledger_page(decode($1, 'hex'), $2, $3)", NULL, NULL,
	{ NULL }, NULL, NULL
};

static const struct view ledger_view = {
	"ledger", "api.ledger($1, $2, $3, $4, $5)", "data", ledger_cols,
	{ NULL }, NULL, &ledger_page_view
};

static json_t	*roll_body(struct http_request *);
static int	roll_start(struct http_request *, const char *, json_t *,
		    enum face);
static int	roll_written(struct http_request *, struct answer *,
		    const char *, size_t);

/*
 * The names of a roll's body: JSON {"voters": [...]}, or text (CSV whose
 * first line may be the header "voter", or names one a line).  NULL after
 * answering.
 */
static json_t *
roll_body(struct http_request *req)
{
	struct buf	 text;
	const char	*type, *s;
	json_t		*body, *names, *errors, *v, *item;
	char		 chunk[8192];
	ssize_t		 n;
	size_t		 i;

	errors = json_object();
	names = NULL;
	if (!http_request_header(req, "content-type", &type) ||
	    strncasecmp(type, "application/json", 16) == 0) {
		if ((body = body_json(req, ROLL_BODY_MAX)) == NULL) {
			json_decref(errors);
			return (NULL);
		}
		v = json_object_get(body, "voters");
		if (!json_is_array(v) || json_object_size(body) != 1)
			(void)json_object_set_new(errors, "voters", json_string(
			    "the body is {\"voters\": [\"ann\", ...]}"));
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				(void)json_object_set_new(errors, "voters",
				    json_string("a voter is a user name"));
		}
		if (json_object_size(errors) == 0)
			names = json_incref(v);
		json_decref(body);
	} else if (strncasecmp(type, "text/csv", 8) == 0 ||
	    strncasecmp(type, "text/plain", 10) == 0) {
		if (req->content_length > ROLL_BODY_MAX) {
			json_decref(errors);
			(void)render_problem_json(req,
			    HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE, "a roll has "
			    "at most 4 MiB of names", NULL);
			return (NULL);
		}
		buf_init(&text);
		while ((n = http_body_read(req, chunk, sizeof(chunk))) > 0)
			buf_append(&text, chunk, (size_t)n);
		s = buf_cstr(&text);
		/* A CSV's header names its one column. */
		if (strncasecmp(s, "voter", 5) == 0 &&
		    (s[5] == '\n' || s[5] == '\r' || s[5] == '\0'))
			s += 5;
		names = names_parse(s, "voters", errors);
		buf_free(&text);
	} else
		(void)json_object_set_new(errors, "voters", json_string(
		    "send JSON {\"voters\": [...]} or text/csv"));
	if (names == NULL) {
		(void)render_problem(req, FACE_JSON, 422, json_string_value(
		    json_object_get(errors, "voters")), json_pack(
		    "{s:[{s:s, s:O}]}", "errors", "field", "voters", "message",
		    json_object_get(errors, "voters")));
		json_decref(errors);
		return (NULL);
	}
	json_decref(errors);
	return (names);
}

/* api.roll_put() of names (consumed), answered in face. */
static int
roll_start(struct http_request *req, const char *csrf, json_t *names,
    enum face face)
{
	struct dbreq	*q;
	char		 slug[SLUG_MAX + 1], *text;

	(void)path_tail(req, 1, slug, sizeof(slug));
	if ((text = json_dumps(names, JSON_COMPACT)) == NULL)
		fatal("roll_start: out of memory");
	json_decref(names);
	q = view_query(req, "SELECT api.roll_put($1, $2, $3, $4, $5)", face,
	    roll_written);
	auth_params(req, q, csrf);
	db_param(q, slug);
	db_param(q, text);
	free(text);
	return (db_run(req));
}

int
api_roll(struct http_request *req)
{
	char	 slug[SLUG_MAX + 1];
	json_t	*names;

	if (http_state_exists(req))
		return (db_run(req));
	if (req->method != HTTP_METHOD_PUT) {
		http_response_header(req, "allow", "PUT");
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "a roll is replaced with "
		    "PUT; it is read in its proposal", NULL));
	}
	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if (path_tail(req, 1, slug, sizeof(slug)) == -1)
		return (render_problem(req, FACE_JSON, HTTP_STATUS_NOT_FOUND,
		    "no such proposal", NULL));
	if ((names = roll_body(req)) == NULL)
		return (KORE_RESULT_OK);
	return (roll_start(req, NULL, names, FACE_JSON));
}

int
page_roll(struct http_request *req)
{
	char	 slug[SLUG_MAX + 1];
	json_t	*names, *errors;

	if (http_state_exists(req))
		return (db_run(req));
	if (!proposal_form(req, slug, sizeof(slug), "A roll is kept with the "
	    "form on its proposal's page."))
		return (KORE_RESULT_OK);
	errors = json_object();
	names = names_parse(form_field(req, "voters"), "voters", errors);
	if (names == NULL) {
		(void)page_error(req, 422, json_string_value(json_object_get(
		    errors, "voters")));
		json_decref(errors);
		return (KORE_RESULT_OK);
	}
	json_decref(errors);
	return (roll_start(req, form_field(req, "csrf"), names, FACE_HTML));
}

static int
roll_written(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	char	 slug[SLUG_MAX + 1];
	char	 location[sizeof("/proposals/") + SLUG_MAX + sizeof("#roll")];

	if (a->face != FACE_HTML)
		return (render_body(req, HTTP_STATUS_OK, "application/json",
		    doc, len));
	(void)path_tail(req, 1, slug, sizeof(slug));
	(void)snprintf(location, sizeof(location), "/proposals/%s#roll", slug);
	return (form_redirect(req, location, "The voter roll is saved."));
}

int
api_ledger(struct http_request *req)
{
	struct dbreq	*q;
	enum face	 face;
	char		 hex[65];

	if (http_state_exists(req))
		return (db_run(req));
	if (view_admit(req, &face) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if (face == FACE_HTML) {
		q = view_start(req, &ledger_page_view, face);
		db_param(q, session_hash(req, hex, sizeof(hex)) ? hex : NULL);
	} else {
		q = view_start(req, &ledger_view, face);
		auth_params(req, q, NULL);
	}
	db_param(q, param(req, "limit") != NULL ? param(req, "limit") :
	    "100");
	db_param(q, param(req, "cursor"));
	return (db_run(req));
}
