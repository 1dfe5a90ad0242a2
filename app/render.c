/*
 * Responses.  Every answer of the server goes out through render_body()
 * or render_answer() (which add the ETag and answer 304),
 * render_problem_json() or, for the HTML face, page.c; all of them send
 * through render_send().  Nothing here knows of faces or pages.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include <sodium.h>

#include "fw.h"

/*
 * Pages load only what this site serves (scripts, styles, images: a
 * Markdown image from elsewhere is not fetched, so no other site learns
 * who reads what), post forms only here and are framed nowhere.  A chart
 * alone may be embedded anywhere, and runs nothing.
 */
#define CSP_PAGE	"default-src 'self'; object-src 'none'; " \
			"base-uri 'none'; form-action 'self'; " \
			"frame-ancestors 'none'"
#define CSP_SVG		"default-src 'none'; style-src 'unsafe-inline'"
/* How long a 503 asks a client to wait: PostgreSQL restarts in about one. */
#define RETRY_AFTER_SECONDS	"5"

static int	etag_matches(const char *, const char *);
static int	tagged(struct http_request *, const char *);

/* Kore knows no reason phrase for some statuses that we use. */
const char *
status_title(int status)
{
	const char	*t;

	switch (status) {
	case 422:
		return ("Unprocessable Content");
	case 429:
		return ("Too Many Requests");
	}
	t = http_status_text(status);
	return (t != NULL && t[0] != '\0' ? t : "Error");
}

/* If-None-Match: "*", or a list of (possibly weak) tags. */
static int
etag_matches(const char *header, const char *etag)
{
	const char	*p;
	size_t		 len;

	len = strlen(etag);
	for (p = header; *p != '\0';) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return (1);
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, len) &&
		    (p[len] == '\0' || p[len] == ',' || p[len] == ' '))
			return (1);
		while (*p != '\0' && *p != ',')
			p++;
	}
	return (0);
}

/* The headers of an answer tagged etag; 1 after a 304 that matched. */
static int
tagged(struct http_request *req, const char *etag)
{
	const char	*inm;

	http_response_header(req, "etag", etag);
	http_response_header(req, "cache-control", "no-cache");
	http_response_header(req, "vary", "Accept, Cookie");
	if (http_request_header(req, "if-none-match", &inm) &&
	    etag_matches(inm, etag)) {
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return (1);
	}
	return (0);
}

int
render_unchanged(struct http_request *req, const struct cache_ticket *t)
{
	char		 etag[64];
	const char	*inm;

	cache_etag(t, etag, sizeof(etag));
	if (!http_request_header(req, "if-none-match", &inm) ||
	    !etag_matches(inm, etag))
		return (0);
	return (tagged(req, etag));
}

int
render_body(struct http_request *req, int status, const char *type,
    const void *body, size_t len)
{
	return (render_answer(req, NULL, status, type, body, len));
}

int
render_answer(struct http_request *req, const struct cache_ticket *t,
    int status, const char *type, const void *body, size_t len)
{
	unsigned char	 h[16];
	char		 etag[64], hex[2 * sizeof(h) + 1];

	if (status == HTTP_STATUS_OK && (req->method == HTTP_METHOD_GET ||
	    req->method == HTTP_METHOD_HEAD)) {
		if (t != NULL && t->version != 0) {
			/* Before the headers of every answer are added. */
			cache_keep(t, req, type, body, len);
			cache_etag(t, etag, sizeof(etag));
		} else {
			/* A hash of the bytes: right, whatever changed. */
			crypto_generichash(h, sizeof(h), body, len, NULL, 0);
			sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
			(void)snprintf(etag, sizeof(etag), "\"%s\"", hex);
		}
		if (tagged(req, etag))
			return (KORE_RESULT_OK);
	}
	render_send(req, status, type, body, len);
	return (KORE_RESULT_OK);
}

void
render_send(struct http_request *req, int status, const char *type,
    const void *body, size_t len)
{
	http_response_header(req, "content-type", type);
	/* Every 503 is the database out of reach, or too busy: soon, again. */
	if (status == HTTP_STATUS_SERVICE_UNAVAILABLE)
		http_response_header(req, "retry-after", RETRY_AFTER_SECONDS);
	/* A browser must not read a CSV or JSON answer as a page. */
	http_response_header(req, "x-content-type-options", "nosniff");
	if (!strncmp(type, "text/html", 9)) {
		http_response_header(req, "content-security-policy", CSP_PAGE);
		http_response_header(req, "referrer-policy", "same-origin");
	} else if (!strcmp(type, "image/svg+xml"))
		http_response_header(req, "content-security-policy", CSP_SVG);
	http_response(req, status, body, len);
}

int
render_problem_text(struct http_request *req, int status, const char *obj,
    size_t len)
{
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < len && obj[i] != '{'; i++)
		;
	if (i == len)
		fatal("render_problem_text: not a JSON object");
	buf_init(&b);
	buf_printf(&b, "{\"type\":\"about:blank\",\"title\":\"%s\",",
	    status_title(status));
	buf_append(&b, obj + i + 1, len - i - 1);
	render_send(req, status, "application/problem+json", b.data, b.len);
	buf_free(&b);
	return (KORE_RESULT_OK);
}

int
render_problem_json(struct http_request *req, int status, const char *detail,
    json_t *extra)
{
	json_t		*doc;
	char		*text;

	doc = json_pack("{s:i, s:s}", "status", status, "detail", detail);
	/* A detail that jansson refuses (not UTF-8) must not cost the answer. */
	if (doc == NULL)
		doc = json_pack("{s:i}", "status", status);
	if (doc == NULL)
		fatal("render_problem_json: out of memory");
	if (extra != NULL) {
		(void)json_object_update(doc, extra);
		json_decref(extra);
	}
	/* render_problem_text() puts them first, from the status. */
	(void)json_object_del(doc, "type");
	(void)json_object_del(doc, "title");
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text == NULL)
		fatal("render_problem_json: out of memory");
	(void)render_problem_text(req, status, text, strlen(text));
	free(text);
	return (KORE_RESULT_OK);
}
