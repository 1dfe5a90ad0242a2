/*
 * A request's JSON body: the one reader of every route that takes one, so
 * that all say the same about the same mistake.  Each route's limit is its
 * handler's; the rule is one: a body longer than it is refused unread, as
 * Kore knows its length (Content-Length) before anyone reads it.
 *
 * Numbers are read as doubles (JSON_DECODE_INT_AS_REAL), 2020 as 2020.0,
 * so that a member has one type whatever its digits; and a member given
 * twice is a mistake, not the last one winning.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <strings.h>

#include "fw.h"

#define BODY_CHUNK	8192

json_t *
body_object(struct http_request *req, size_t max, int *status,
    struct buf *err)
{
	struct buf	 body;
	json_error_t	 jerr;
	json_t		*obj;
	const char	*type;
	char		 chunk[BODY_CHUNK];
	ssize_t		 n;

	if (http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "application/json", 16)) {
		buf_puts(err, "send JSON (Content-Type: application/json)");
		*status = HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE;
		return (NULL);
	}
	if (req->content_length > max) {
		buf_printf(err, "the body is longer than %zu bytes", max);
		*status = HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE;
		return (NULL);
	}
	*status = HTTP_STATUS_BAD_REQUEST;
	/* No body at all leaves req->http_body NULL: reading gives 0. */
	buf_init(&body);
	while ((n = http_body_read(req, chunk, sizeof(chunk))) > 0)
		buf_append(&body, chunk, (size_t)n);
	obj = NULL;
	if (n == -1)
		buf_puts(err, "the body could not be read");
	else if (body.len == 0)
		buf_puts(err, "the body is not JSON: it is empty");
	else if ((obj = json_loadb(body.data, body.len,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr)) == NULL)
		buf_printf(err, "the body is not JSON: %s (line %d, column %d)",
		    jerr.text, jerr.line, jerr.column);
	else if (!json_is_object(obj)) {
		buf_puts(err, "the body must be a JSON object");
		json_decref(obj);
		obj = NULL;
	}
	buf_free(&body);
	return (obj);
}

json_t *
body_json(struct http_request *req, size_t max)
{
	struct buf	 err;
	json_t		*obj;
	int		 status;

	buf_init(&err);
	if ((obj = body_object(req, max, &status, &err)) == NULL)
		(void)render_problem_json(req, status, buf_cstr(&err), NULL);
	buf_free(&err);
	return (obj);
}
