/*
 * Protecting a series: POST /series/{p}/{v}/protect and .../unprotect
 * (curators).  Editors cannot change the facts of a protected series,
 * with a form, the API or an import; curators still can.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/slug.h"
#include "auth.h"
#include "form.h"

int	page_series_protect(struct http_request *);

static int	protected(struct http_request *, struct answer *, const char *,
		    size_t);

static int
protected(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	struct buf	 where;
	json_t		*res;
	int		 on;

	(void)a;
	if ((res = form_answer(req, FACE_HTML, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	on = json_is_true(json_object_get(res, "protected"));
	buf_init(&where);
	buf_printf(&where, "/series/%s/%s",
	    json_string_value(json_object_get(res, "place")),
	    json_string_value(json_object_get(res, "variable")));
	(void)form_redirect(req, buf_cstr(&where), on ?
	    "Protected: only curators can change this series now." :
	    "Unprotected: editors can change this series again.");
	buf_free(&where);
	json_decref(res);
	return (KORE_RESULT_OK);
}

int
page_series_protect(struct http_request *req)
{
	struct dbreq	*q;
	char		 place[SLUG_MAX + 1], variable[SLUG_MAX + 1];
	char		 action[16];
	json_t		*errors;

	if (http_state_exists(req))
		return (db_run(req));
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));
	if (path_tail(req, 2, place, sizeof(place)) == -1 ||
	    path_tail(req, 1, variable, sizeof(variable)) == -1 ||
	    path_tail(req, 0, action, sizeof(action)) == -1)
		return (page_error(req, HTTP_STATUS_NOT_FOUND,
		    "There is no such series."));
	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	if (text_input_check("comment", "comment", form_field(req, "comment"),
	    COMMENT_MAX, 0, 0, errors) == -1) {
		(void)page_error(req, 422, json_string_value(json_object_get(
		    errors, "comment")));
		json_decref(errors);
		return (KORE_RESULT_OK);
	}
	json_decref(errors);
	q = view_query(req, "SELECT api.series_protect($1, $2, $3, $4, $5, "
	    "$6, $7)", FACE_HTML, protected);
	auth_params(req, q, form_field(req, "csrf"));
	db_param(q, place);
	db_param(q, variable);
	db_param(q, strcmp(action, "protect") ? "false" : "true");
	db_param(q, form_field(req, "comment"));
	return (db_run(req));
}
