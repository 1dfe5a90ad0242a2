/*
 * Editing one fact with a form: GET/POST /facts/{p}/{v}/{y}/edit (edit,
 * or create when absent), GET/POST /facts/new, POST .../delete, and POST
 * .../revert (curators: give the fact a revision's content again).
 *
 * A form carries the revision it was read at (base); saving over a newer
 * one shows both versions side by side (fact_conflict.html) with a way to
 * save the user's on top of the other, never overwriting it unseen.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/slug.h"
#include "auth.h"
#include "form.h"

int	page_fact_edit(struct http_request *);
int	page_fact_new(struct http_request *);
int	page_fact_delete(struct http_request *);
int	page_fact_revert(struct http_request *);

#define FACT_FORM	"api.form_merge(api.fact_form($1, $2, $3), $4)"
#define NEW_FORM	"api.form_merge(api.fact_new_form(), $1)"

/* A fact's place, variable and year, from its path. */
struct fact_key {
	char	place[SLUG_MAX + 1];
	char	variable[SLUG_MAX + 1];
	char	year[8];
};

static const char *const edit_fields[] = {
	"value", "source", "note", "comment", "base", NULL
};
static const char *const new_fields[] = {
	"place", "variable", "year", "value", "source", "note", "comment",
	NULL
};

static int	fact_key(struct http_request *, int, struct fact_key *);
static void	key_params(struct dbreq *, const struct fact_key *);
static int	check_fact(struct http_request *, struct fact_input *,
		    json_t *);
static void	save_params(struct http_request *, struct dbreq *,
		    struct fact_input *, const char *);
static int	fact_saved(struct http_request *, struct answer *,
		    const char *, size_t);
static int	new_saved(struct http_request *, struct answer *,
		    const char *, size_t);
static int	shown_again(struct http_request *, const struct fact_key *,
		    json_t *, const char *const *);
static int	fact_deleted(struct http_request *, struct answer *,
		    const char *, size_t);
static int	fact_reverted(struct http_request *, struct answer *,
		    const char *, size_t);
static int	fact_done(struct http_request *, json_t *, const char *,
		    const char *);

/* The key of /facts/{p}/{v}/{y}/... with `after` segments after the year. */
static int
fact_key(struct http_request *req, int after, struct fact_key *k)
{
	if (path_tail(req, after + 2, k->place, sizeof(k->place)) == -1 ||
	    path_tail(req, after + 1, k->variable, sizeof(k->variable)) ==
	    -1 || path_tail(req, after, k->year, sizeof(k->year)) == -1) {
		(void)page_error(req, HTTP_STATUS_NOT_FOUND, "There is no such "
		    "fact.");
		return (-1);
	}
	return (0);
}

static void
key_params(struct dbreq *q, const struct fact_key *k)
{
	db_param(q, k->place);
	db_param(q, k->variable);
	db_param(q, k->year);
}

/*
 * The value, source, note and comment of a posted form, checked as an
 * imported file's would be; a comment is required.  Returns 0, or -1 with
 * errors filled in.
 */
static int
check_fact(struct http_request *req, struct fact_input *in, json_t *errors)
{
	(void)fact_input_check(in, FACTCSV_VALUE, "value",
	    form_field(req, "value"), errors);
	(void)fact_input_check(in, FACTCSV_SOURCE, "source",
	    form_field(req, "source"), errors);
	(void)fact_input_check(in, FACTCSV_NOTE, "note",
	    form_field(req, "note"), errors);
	(void)text_input_check("comment", "comment",
	    form_field(req, "comment"), COMMENT_MAX, 0, 1, errors);
	return (json_object_size(errors) > 0 ? -1 : 0);
}

/* $4 on of api.fact_save(), after the key. */
static void
save_params(struct http_request *req, struct dbreq *q, struct fact_input *in,
    const char *base)
{
	db_param(q, in->row.value);
	db_param(q, fact_input_source(in));
	db_param(q, in->row.note);
	db_param(q, base);
	db_param(q, form_field(req, "comment"));
}

/*
 * The edit form again, with the user's input and overlay's other members
 * (errors, a problem, a conflict), and the status of what went wrong.
 */
static int
shown_again(struct http_request *req, const struct fact_key *k,
    json_t *overlay, const char *const *fields)
{
	struct dbreq	*q;
	const char	*tmpl;
	json_t		*problem;
	int		 status;

	status = 422;
	tmpl = "fact_edit";
	if ((problem = json_object_get(overlay, "conflict")) != NULL) {
		status = HTTP_STATUS_CONFLICT;
		tmpl = "fact_conflict";
	} else if (json_object_get(overlay, "problem") != NULL) {
		status = (int)json_integer_value(json_object_get(overlay,
		    "status"));
		(void)json_object_del(overlay, "status");
	}
	(void)json_object_set_new(overlay, "form", form_fields(req, fields));
	q = form_page(req, tmpl, FACT_FORM, status);
	key_params(q, k);
	form_overlay(q, overlay);
	return (KORE_RESULT_OK);
}

/*
 * The answer of a write function for a form: the problem it had, shown
 * on the form, or the page to go to next.
 */
static int
fact_done(struct http_request *req, json_t *res, const char *location,
    const char *notice)
{
	json_t		*problem, *overlay;
	struct fact_key	 k;

	if ((problem = form_problem(res)) == NULL) {
		(void)form_redirect(req, location, notice);
		json_decref(res);
		return (KORE_RESULT_OK);
	}
	(void)fact_key(req, 1, &k);
	if (json_integer_value(json_object_get(problem, "status")) == 409)
		overlay = json_pack("{s:O}", "conflict", problem);
	else if (json_object_get(problem, "errors") != NULL)
		overlay = json_pack("{s:o}", "errors", form_errors(problem));
	else
		overlay = json_pack("{s:O, s:O}", "problem",
		    json_object_get(problem, "detail"), "status",
		    json_object_get(problem, "status"));
	json_decref(res);
	return (shown_again(req, &k, overlay, edit_fields));
}

static int
fact_saved(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct buf	 where, notice;
	json_t		*res, *fact;
	const char	*action;
	int		 rc;

	(void)a;
	if ((res = form_answer(req, FACE_HTML, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	action = json_string_value(json_object_get(res, "action"));
	fact = json_object_get(res, "fact");
	buf_init(&where);
	buf_init(&notice);
	buf_printf(&where, "/series/%s/%s#y%" JSON_INTEGER_FORMAT,
	    json_string_value(json_object_get(res, "place")),
	    json_string_value(json_object_get(res, "variable")),
	    json_integer_value(json_object_get(res, "year")));
	if (action != NULL && !strcmp(action, "unchanged"))
		buf_printf(&notice, "Nothing changed: %" JSON_INTEGER_FORMAT
		    " was %s already.", json_integer_value(json_object_get(res,
		    "year")), json_string_value(json_object_get(fact,
		    "value")));
	else
		buf_printf(&notice, "Saved: %" JSON_INTEGER_FORMAT " is %s "
		    "(revision %" JSON_INTEGER_FORMAT ").",
		    json_integer_value(json_object_get(res, "year")),
		    json_string_value(json_object_get(fact, "value")),
		    json_integer_value(json_object_get(res, "revision")));
	rc = fact_done(req, res, buf_cstr(&where), buf_cstr(&notice));
	buf_free(&where);
	buf_free(&notice);
	return (rc);
}

int
page_fact_edit(struct http_request *req)
{
	struct fact_input	 in;
	struct fact_key		 k;
	struct dbreq		*q;
	json_t			*errors;
	char			 base[16];
	long			 rev;

	if (http_state_exists(req))
		return (db_run(req));
	if (fact_key(req, 1, &k) == -1)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		q = form_page(req, "fact_edit", FACT_FORM, HTTP_STATUS_OK);
		key_params(q, &k);
		form_overlay(q, NULL);
		return (db_run(req));
	}
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));

	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	fact_input_init(&in);
	(void)check_fact(req, &in, errors);
	rev = revision_input("base", form_field(req, "base"), errors);
	if (json_object_size(errors) > 0) {
		fact_input_free(&in);
		(void)shown_again(req, &k, json_pack("{s:o}", "errors",
		    errors), edit_fields);
		return (db_run(req));
	}
	json_decref(errors);
	q = view_query(req, "SELECT api.fact_save($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, true)", FACE_HTML, fact_saved);
	auth_params(req, q, form_field(req, "csrf"));
	key_params(q, &k);
	(void)snprintf(base, sizeof(base), "%ld", rev);
	save_params(req, q, &in, rev > 0 ? base : NULL);
	fact_input_free(&in);
	return (db_run(req));
}

/*
 * A new fact: its place, variable and year are typed in.  Saving one that
 * exists is a conflict, shown on its own edit form's terms.
 */
static int
new_saved(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct fact_key	 k;
	struct dbreq	*q;
	json_t		*res, *problem, *overlay, *current;
	const char	*place, *variable;

	if ((res = form_answer(req, FACE_HTML, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	if ((problem = form_problem(res)) == NULL) {
		json_decref(res);
		return (fact_saved(req, a, doc, len));
	}
	if (json_integer_value(json_object_get(problem, "status")) == 409) {
		/* The fact exists: its key is the one to edit. */
		current = json_object_get(problem, "current");
		place = json_string_value(json_object_get(current, "place"));
		variable = json_string_value(json_object_get(current,
		    "variable"));
		(void)snprintf(k.place, sizeof(k.place), "%s",
		    place != NULL ? place : "");
		(void)snprintf(k.variable, sizeof(k.variable), "%s",
		    variable != NULL ? variable : "");
		(void)snprintf(k.year, sizeof(k.year), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(current, "year")));
		overlay = json_pack("{s:O}", "conflict", problem);
		json_decref(res);
		return (shown_again(req, &k, overlay, new_fields));
	}
	overlay = json_pack("{s:o, s:o}", "errors", form_errors(problem),
	    "form", form_fields(req, new_fields));
	if (json_object_get(problem, "errors") == NULL)
		(void)json_object_set(overlay, "problem",
		    json_object_get(problem, "detail"));
	q = form_page(req, "fact_new", NEW_FORM, (int)json_integer_value(
	    json_object_get(problem, "status")));
	form_overlay(q, overlay);
	json_decref(res);
	return (KORE_RESULT_OK);
}

int
page_fact_new(struct http_request *req)
{
	struct fact_input	 in;
	struct dbreq		*q;
	json_t			*errors, *form;
	char			 year[8];

	if (http_state_exists(req))
		return (db_run(req));
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		http_populate_qs(req);
		if (params_check(req, FACE_HTML) != KORE_RESULT_OK)
			return (KORE_RESULT_OK);
		form = json_pack("{s:s?, s:s?, s:s?}", "place",
		    param(req, "place"), "variable", param(req, "variable"),
		    "year", param(req, "year"));
		q = form_page(req, "fact_new", NEW_FORM, HTTP_STATUS_OK);
		form_overlay(q, json_pack("{s:o}", "form", form));
		return (db_run(req));
	}
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));

	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	fact_input_init(&in);
	(void)fact_input_check(&in, FACTCSV_PLACE, "place",
	    form_field(req, "place"), errors);
	(void)fact_input_check(&in, FACTCSV_VARIABLE, "variable",
	    form_field(req, "variable"), errors);
	(void)fact_input_check(&in, FACTCSV_YEAR, "year",
	    form_field(req, "year"), errors);
	(void)check_fact(req, &in, errors);
	if (json_object_size(errors) > 0) {
		fact_input_free(&in);
		q = form_page(req, "fact_new", NEW_FORM, 422);
		form_overlay(q, json_pack("{s:o, s:o}", "errors", errors,
		    "form", form_fields(req, new_fields)));
		return (db_run(req));
	}
	json_decref(errors);
	q = view_query(req, "SELECT api.fact_save($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, true)", FACE_HTML, new_saved);
	auth_params(req, q, form_field(req, "csrf"));
	db_param(q, in.row.place_slug);
	db_param(q, in.row.variable_slug);
	(void)snprintf(year, sizeof(year), "%d", in.row.year);
	db_param(q, year);
	save_params(req, q, &in, NULL);
	fact_input_free(&in);
	return (db_run(req));
}

static int
fact_deleted(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct buf	 where, notice;
	json_t		*res;
	int		 rc;

	(void)a;
	if ((res = form_answer(req, FACE_HTML, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	buf_init(&where);
	buf_init(&notice);
	buf_printf(&where, "/series/%s/%s",
	    json_string_value(json_object_get(res, "place")),
	    json_string_value(json_object_get(res, "variable")));
	buf_printf(&notice, "Deleted %" JSON_INTEGER_FORMAT " (revision %"
	    JSON_INTEGER_FORMAT "): its history keeps it, and a curator can "
	    "restore it.", json_integer_value(json_object_get(res, "year")),
	    json_integer_value(json_object_get(res, "revision")));
	rc = fact_done(req, res, buf_cstr(&where), buf_cstr(&notice));
	buf_free(&where);
	buf_free(&notice);
	return (rc);
}

/* Deleting, from the edit form: its base revision and a comment. */
int
page_fact_delete(struct http_request *req)
{
	struct fact_key	 k;
	struct dbreq	*q;
	json_t		*errors;
	long		 rev;

	if (http_state_exists(req))
		return (db_run(req));
	if (fact_key(req, 1, &k) == -1)
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));
	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	(void)text_input_check("delete_comment", "comment",
	    form_field(req, "comment"), COMMENT_MAX, 0, 1, errors);
	if ((rev = revision_input("base", form_field(req, "base"),
	    errors)) == 0)
		(void)json_object_set_new(errors, "base", json_string(
		    "there is no fact to delete"));
	if (json_object_size(errors) > 0) {
		(void)shown_again(req, &k, json_pack("{s:o}", "errors",
		    errors), edit_fields);
		return (db_run(req));
	}
	json_decref(errors);
	q = view_query(req, "SELECT api.fact_delete($1, $2, $3, $4, $5, $6, "
	    "$7, $8, true)", FACE_HTML, fact_deleted);
	auth_params(req, q, form_field(req, "csrf"));
	key_params(q, &k);
	db_param(q, form_field(req, "base"));
	db_param(q, form_field(req, "comment"));
	return (db_run(req));
}

static int
fact_reverted(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct buf	 where, notice;
	json_t		*res, *problem;
	int		 status;

	(void)a;
	if ((res = form_answer(req, FACE_HTML, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	/* The history page has the form: its problems get a page of their own. */
	if ((problem = form_problem(res)) != NULL) {
		status = (int)json_integer_value(json_object_get(problem,
		    "status"));
		(void)page_error(req, status, json_string_value(
		    json_object_get(problem, "detail")));
		json_decref(res);
		return (KORE_RESULT_OK);
	}
	buf_init(&where);
	buf_init(&notice);
	buf_printf(&where, "/facts/%s/%s/%" JSON_INTEGER_FORMAT "/history",
	    json_string_value(json_object_get(res, "place")),
	    json_string_value(json_object_get(res, "variable")),
	    json_integer_value(json_object_get(res, "year")));
	buf_printf(&notice, "Reverted: revision %" JSON_INTEGER_FORMAT
	    " has the content of revision %s.",
	    json_integer_value(json_object_get(res, "revision")),
	    form_field(req, "revision"));
	(void)form_redirect(req, buf_cstr(&where), buf_cstr(&notice));
	buf_free(&where);
	buf_free(&notice);
	json_decref(res);
	return (KORE_RESULT_OK);
}

/* Reverting, from the history page: the revision to go back to. */
int
page_fact_revert(struct http_request *req)
{
	struct fact_key	 k;
	struct dbreq	*q;
	json_t		*errors, *msg;

	if (http_state_exists(req))
		return (db_run(req));
	if (fact_key(req, 1, &k) == -1)
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));
	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	if (revision_input("revision", form_field(req, "revision"),
	    errors) == 0)
		(void)json_object_set_new(errors, "revision", json_string(
		    "say which revision to revert to"));
	(void)text_input_check("comment", "comment",
	    form_field(req, "comment"), COMMENT_MAX, 0, 0, errors);
	if (json_object_size(errors) > 0) {
		msg = json_object_iter_value(json_object_iter(errors));
		(void)page_error(req, 422, json_string_value(msg));
		json_decref(errors);
		return (KORE_RESULT_OK);
	}
	json_decref(errors);
	q = view_query(req, "SELECT api.fact_revert($1, $2, $3, $4, $5, $6, "
	    "$7, $8, true)", FACE_HTML, fact_reverted);
	auth_params(req, q, form_field(req, "csrf"));
	key_params(q, &k);
	db_param(q, form_field(req, "revision"));
	db_param(q, form_field(req, "comment"));
	return (db_run(req));
}
