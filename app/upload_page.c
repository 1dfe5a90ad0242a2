/*
 * The page /import: a file, or pasted text.  Its first step checks it (a
 * dry run) and keeps it; the second imports what was kept, by its ID.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include <sodium.h>

#include "core/text.h"
#include "form.h"
#include "upload.h"

/* Pasted text that failed its check comes back for fixing, up to this. */
#define TEXT_SHOWN	(256 * 1024)
#define NAME_SHOWN	200

int	page_import(struct http_request *);

static int	page_answer(struct http_request *, struct upload *);
static int	page_form(struct http_request *, int, json_t *);

/*
 * The page after a step: the summary (and, after a dry run, the button
 * that imports the kept file), or every error with its line.
 */
static int
page_answer(struct http_request *req, struct upload *u)
{
	json_t	*doc, *form;
	int	 status;

	if (u->status == HTTP_STATUS_UNAUTHORIZED ||
	    u->status == HTTP_STATUS_FORBIDDEN) {
		status = u->status;
		(void)page_error(req, status, buf_cstr(&u->message));
		upload_end(req);
		return (KORE_RESULT_OK);
	}
	form = json_pack("{s:s?, s:b}", "comment", u->comment,
	    "create_missing", u->create_missing);
	if (u->text != NULL && strlen(u->text) <= TEXT_SHOWN &&
	    u->rc != IMPORT_OK)
		(void)json_object_set_new(form, "csv", json_string(u->text));
	doc = json_pack("{s:o}", "form", form);
	if (u->status != 0) {
		status = u->status;
		(void)json_object_set_new(doc, "problem",
		    json_string(buf_cstr(&u->message)));
	} else if (u->rc == IMPORT_INVALID) {
		status = 422;
		(void)json_object_set_new(doc, "lines", upload_errors(u));
		(void)json_object_set_new(doc, "error_count",
		    json_integer((json_int_t)u->res.nerrors));
		if (u->res.nerrors > u->res.nshown)
			(void)json_object_set_new(doc, "errors_more",
			    json_integer((json_int_t)(u->res.nerrors -
			    u->res.nshown)));
	} else {
		status = HTTP_STATUS_OK;
		(void)json_object_set_new(doc, u->dry_run ? "checked" :
		    "imported", upload_summary(u));
		if (u->dry_run)
			(void)json_object_set_new(doc, "upload",
			    json_string(u->id));
	}
	upload_end(req);
	return (page_with_user(req, "import", status, doc));
}

/* The upload form, shown again with errors when status is not 200. */
static int
page_form(struct http_request *req, int status, json_t *overlay)
{
	struct dbreq	*q;

	q = form_page(req, "import", "api.form_merge('{}', $1)", status);
	form_overlay(q, overlay);
	return (db_run(req));
}

int
page_import(struct http_request *req)
{
	static const char *const fields[] = {
		"comment", "create_missing", "csv", NULL
	};
	struct upload		*u;
	struct http_file	*file;
	json_t			*errors, *form;
	const char		*id, *text, *comment;
	unsigned char		 rnd[UPLOAD_IDLEN / 2];
	struct buf		 why;

	if (!LIST_EMPTY(&req->tasks))
		return (upload_wait(req, &u) ? page_answer(req, u) :
		    KORE_RESULT_RETRY);
	if (http_state_exists(req))
		return (db_run(req));
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD)
		return (page_form(req, HTTP_STATUS_OK, NULL));
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "GET, HEAD, POST");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This page is read with GET and sent with POST."));
	}

	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	comment = form_field(req, "comment");
	(void)text_input_check("comment", "comment", comment, COMMENT_MAX, 0,
	    0, errors);
	id = form_field(req, "upload");
	text = form_field(req, "csv");
	file = http_file_lookup(req, "file");
	if (*id != '\0' && (strlen(id) != UPLOAD_IDLEN ||
	    strspn(id, "0123456789abcdef") != UPLOAD_IDLEN))
		(void)json_object_set_new(errors, "file", json_string(
		    "this form is not one the server sent: upload the file "
		    "again"));
	else if (*id == '\0' && file == NULL && *text == '\0')
		(void)json_object_set_new(errors, "file", json_string(
		    "choose a CSV file, or paste CSV text"));
	if (json_object_size(errors) > 0) {
		form = form_fields(req, fields);
		(void)json_object_set_new(form, "create_missing", json_boolean(
		    upload_flag(form_field(req, "create_missing"))));
		return (page_form(req, 422, json_pack("{s:o, s:o}", "form",
		    form, "errors", errors)));
	}
	json_decref(errors);

	u = upload_new(req);
	u->create_missing = upload_flag(form_field(req, "create_missing"));
	buf_init(&why);
	if (*id != '\0') {
		memcpy(u->id, id, UPLOAD_IDLEN + 1);
		u->from = FROM_KEPT;
	} else {
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(u->id, sizeof(u->id), rnd, sizeof(rnd));
		u->dry_run = 1;
		if (file != NULL) {
			u->from = FROM_FILE;
			u->file = file;
			if (utf8_valid(file->filename, strlen(file->filename),
			    NULL) && utf8_length(file->filename,
			    strlen(file->filename)) <= NAME_SHOWN)
				buf_printf(&why, "import of %s",
				    file->filename);
		} else {
			u->from = FROM_TEXT;
			u->text = text;
			buf_puts(&why, "import of pasted text");
		}
	}
	u->comment = kore_strdup(*comment != '\0' ? comment :
	    why.len > 0 ? buf_cstr(&why) : "import from the web");
	buf_free(&why);
	return (upload_start(req, u, form_field(req, "csrf")));
}
