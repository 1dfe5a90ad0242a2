/*
 * The write API of facts: POST /api/v1/facts creates or updates one fact
 * (api_facts() hands POST here), DELETE /api/v1/facts/{p}/{v}/{y}
 * ?revision=N deletes one.  A bearer token, or a session cookie with its
 * CSRF token in X-CSRF-Token.
 *
 * Values: a JSON string is taken as written (exact, recommended); a JSON
 * number as the shortest decimal that reads back as the same double, so
 * -0.18 stays -0.18, and one with more than 15 significant digits, which
 * a double cannot carry, is refused with a message asking for a string.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/decimal.h"
#include "core/slug.h"
#include "auth.h"
#include "form.h"

/* A fact with a full note and comment is a few KiB. */
#define FACT_BODY_MAX	(64 * 1024)

int	api_fact_save(struct http_request *);
int	api_fact_delete(struct http_request *);

static const char *const members[] = {
	"place", "variable", "year", "value", "source", "note", "comment",
	"revision", NULL
};

static const char *member_text(json_t *, const char *, char *, json_t *);
static int	unprocessable(struct http_request *, json_t *);
static int	written(struct http_request *, struct answer *, const char *,
		    size_t);

/*
 * The text of a member, a string or a number (num holds a number's text,
 * DECIMAL_MAX bytes); NULL when it is absent or null, or bad (errors then
 * says why).
 */
static const char *
member_text(json_t *doc, const char *name, char *num, json_t *errors)
{
	const char	*errstr;
	json_t		*v;

	if ((v = json_object_get(doc, name)) == NULL)
		return (NULL);
	switch (json_typeof(v)) {
	case JSON_STRING:
		return (json_string_value(v));
	case JSON_REAL:
		if (decimal_from_double(json_real_value(v), num,
		    &errstr) == 0)
			return (num);
		break;
	case JSON_NULL:
		return (NULL);
	default:
		errstr = "must be a string or a number";
		break;
	}
	(void)json_object_set_new(errors, name, json_string(errstr));
	return (NULL);
}

/* 422 with errors[] of {field, message}; consumes errors. */
static int
unprocessable(struct http_request *req, json_t *errors)
{
	json_t		*list, *msg;
	const char	*field;
	struct buf	 detail;

	list = json_array();
	buf_init(&detail);
	json_object_foreach(errors, field, msg) {
		if (detail.len == 0)
			buf_printf(&detail, "%s: %s", field,
			    json_string_value(msg));
		(void)json_array_append_new(list, json_pack("{s:s, s:O}",
		    "field", field, "message", msg));
	}
	if (json_array_size(list) > 1)
		buf_printf(&detail, " (and %zu more problems)",
		    json_array_size(list) - 1);
	(void)render_problem(req, FACE_JSON, 422, buf_cstr(&detail),
	    json_pack("{s:o}", "errors", list));
	buf_free(&detail);
	json_decref(errors);
	return (KORE_RESULT_OK);
}

/*
 * The fact written: 201 when it is new (or restored), else 200; or the
 * problem the database found, with its members (current, errors).
 */
static int
written(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	json_t		*res;
	const char	*action;
	int		 status;

	(void)a;
	if ((res = form_answer(req, FACE_JSON, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	/* The query answers a problem unwrapped: it has a status. */
	if (json_is_integer(json_object_get(res, "status"))) {
		status = (int)json_integer_value(json_object_get(res,
		    "status"));
		json_decref(res);
		return (render_problem_text(req, status, doc, len));
	}
	status = HTTP_STATUS_OK;
	action = json_string_value(json_object_get(res, "action"));
	if (action != NULL && (!strcmp(action, "create") ||
	    !strcmp(action, "restore")))
		status = HTTP_STATUS_CREATED;
	json_decref(res);
	/* The document as the database wrote it: exact numbers. */
	render_send(req, status, "application/json", doc, len);
	return (KORE_RESULT_OK);
}

int
api_fact_save(struct http_request *req)
{
	struct fact_input	 in;
	struct dbreq		*q;
	json_t			*doc, *errors;
	const char		*key, *note, *comment, *s;
	char			 year[8], base[16], num[DECIMAL_MAX];
	char			 ref[DECIMAL_MAX + 1];
	json_t			*v;
	long			 rev;
	size_t			 i;

	if (http_state_exists(req))
		return (db_run(req));
	if ((doc = body_json(req, FACT_BODY_MAX)) == NULL)
		return (KORE_RESULT_OK);

	errors = json_object();
	json_object_foreach(doc, key, v) {
		for (i = 0; members[i] != NULL && strcmp(members[i], key); i++)
			;
		if (members[i] == NULL)
			(void)json_object_set_new(errors, key, json_string(
			    "unknown field; a fact has place, variable, year, "
			    "value, source, note, comment and revision"));
	}
	fact_input_init(&in);
	s = member_text(doc, "place", num, errors);
	(void)fact_input_check(&in, FACTCSV_PLACE, "place", s ? s : "",
	    errors);
	s = member_text(doc, "variable", num, errors);
	(void)fact_input_check(&in, FACTCSV_VARIABLE, "variable", s ? s : "",
	    errors);
	s = member_text(doc, "year", num, errors);
	(void)fact_input_check(&in, FACTCSV_YEAR, "year", s ? s : "",
	    errors);
	s = member_text(doc, "value", num, errors);
	(void)fact_input_check(&in, FACTCSV_VALUE, "value", s ? s : "",
	    errors);
	if ((s = member_text(doc, "source", num, errors)) != NULL &&
	    json_is_real(json_object_get(doc, "source"))) {
		/* A number is an id: as the CSV writes one. */
		(void)snprintf(ref, sizeof(ref), "#%s", s);
		s = ref;
	}
	(void)fact_input_check(&in, FACTCSV_SOURCE, "source", s ? s : "",
	    errors);
	if ((note = member_text(doc, "note", num, errors)) != NULL)
		(void)fact_input_check(&in, FACTCSV_NOTE, "note", note, errors);
	if ((comment = member_text(doc, "comment", num, errors)) == NULL)
		comment = "";
	(void)text_input_check("comment", "comment", comment, COMMENT_MAX,
	    0, 0, errors);
	s = member_text(doc, "revision", num, errors);
	rev = revision_input("revision", s != NULL ? s : "", errors);

	if (json_object_size(errors) > 0) {
		fact_input_free(&in);
		json_decref(doc);
		return (unprocessable(req, errors));
	}
	json_decref(errors);

	q = view_query(req, "SELECT coalesce(r -> 'problem', r) FROM "
	    "api.fact_save($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	    "false) r", FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, in.row.place_slug);
	db_param(q, in.row.variable_slug);
	(void)snprintf(year, sizeof(year), "%d", in.row.year);
	db_param(q, year);
	db_param(q, in.row.value);
	db_param(q, fact_input_source(&in));
	db_param(q, note != NULL ? in.row.note : NULL);
	(void)snprintf(base, sizeof(base), "%ld", rev);
	db_param(q, rev > 0 ? base : NULL);
	db_param(q, comment);
	fact_input_free(&in);
	json_decref(doc);
	return (db_run(req));
}

int
api_fact_delete(struct http_request *req)
{
	struct dbreq	*q;
	json_t		*errors;
	const char	*comment;
	char		 place[SLUG_MAX + 1], variable[SLUG_MAX + 1];
	char		 year[8];

	if (http_state_exists(req))
		return (db_run(req));
	if (req->method != HTTP_METHOD_DELETE) {
		http_response_header(req, "allow", "DELETE");
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "a fact is deleted with "
		    "DELETE; it is read at /api/v1/facts?place=...", NULL));
	}
	http_populate_qs(req);
	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if (path_tail(req, 2, place, sizeof(place)) == -1 ||
	    path_tail(req, 1, variable, sizeof(variable)) == -1 ||
	    path_tail(req, 0, year, sizeof(year)) == -1)
		return (render_problem(req, FACE_JSON, HTTP_STATUS_NOT_FOUND,
		    "no such fact", NULL));
	if (param(req, "revision") == NULL)
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_BAD_REQUEST, "parameter 'revision' is "
		    "required: the revision of the fact you read", NULL));
	errors = json_object();
	if ((comment = param(req, "comment")) == NULL)
		comment = "";
	if (text_input_check("comment", "comment", comment, COMMENT_MAX, 0,
	    0, errors) == -1)
		return (unprocessable(req, errors));
	json_decref(errors);

	q = view_query(req, "SELECT coalesce(r -> 'problem', r) FROM "
	    "api.fact_delete($1, $2, $3, $4, $5, $6, $7, $8, false) r",
	    FACE_JSON, written);
	auth_params(req, q, NULL);
	db_param(q, place);
	db_param(q, variable);
	db_param(q, year);
	db_param(q, param(req, "revision"));
	db_param(q, comment);
	return (db_run(req));
}
