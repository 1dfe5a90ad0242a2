/*
 * POST /api/v1/imports: the body is the CSV, imported at once (or only
 * checked, with ?dry_run=true): the answer is what the import did, or a
 * problem that lists the file's errors.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fw.h"
#include "upload.h"

int	api_import(struct http_request *);

static int	api_answer(struct http_request *, struct upload *);

static int
api_answer(struct http_request *req, struct upload *u)
{
	struct buf	 detail;
	json_t		*doc;
	char		*text;

	if (u->status != 0) {
		(void)render_problem(req, FACE_JSON, u->status,
		    buf_cstr(&u->message), NULL);
	} else if (u->rc == IMPORT_INVALID) {
		buf_init(&detail);
		buf_printf(&detail, "the file has %lu error%s: nothing was "
		    "imported", u->res.nerrors, u->res.nerrors == 1 ? "" : "s");
		(void)render_problem(req, FACE_JSON, 422, buf_cstr(&detail),
		    json_pack("{s:o, s:I}", "errors", upload_errors(u),
		    "error_count", (json_int_t)u->res.nerrors));
		buf_free(&detail);
	} else {
		doc = upload_summary(u);
		if ((text = json_dumps(doc, JSON_COMPACT)) == NULL)
			fatal("api_answer: out of memory");
		json_decref(doc);
		render_send(req, HTTP_STATUS_OK, "application/json", text,
		    strlen(text));
		free(text);
	}
	upload_end(req);
	return (KORE_RESULT_OK);
}

int
api_import(struct http_request *req)
{
	struct upload	*u;
	const char	*type, *comment;

	if (!LIST_EMPTY(&req->tasks))
		return (upload_wait(req, &u) ? api_answer(req, u) :
		    KORE_RESULT_RETRY);
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "POST");
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "send the CSV with POST",
		    NULL));
	}
	http_populate_qs(req);
	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if (http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "text/csv", 8) &&
	    strncasecmp(type, "text/plain", 10))
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE, "send the CSV as the "
		    "body, with Content-Type: text/csv", NULL));

	u = upload_new(req);
	u->from = FROM_BODY;
	u->create_missing = param(req, "create_missing") != NULL &&
	    upload_flag(param(req, "create_missing"));
	u->dry_run = param(req, "dry_run") != NULL &&
	    upload_flag(param(req, "dry_run"));
	comment = param(req, "comment");
	u->comment = kore_strdup(comment != NULL ? comment :
	    "import through the API");
	return (upload_start(req, u, NULL));
}
