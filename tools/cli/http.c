/*
 * The commands that talk to a factwiki site rather than to its database
 * (trustees, voters, public verifiers) do so over HTTP with libcurl.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "core/buf.h"
#include "cli.h"

#define SITE_DEFAULT	"http://127.0.0.1:8888"
/* A board of 10^7 bids is some 4 GB: more is not a factwiki answer. */
#define ANSWER_MAX	((size_t)8 << 30)

static size_t	keep(char *, size_t, size_t, void *);

const char *
cli_site(const char *flag)
{
	const char	*env;

	if (flag != NULL)
		return (flag);
	if ((env = getenv("FACTWIKI_URL")) != NULL && env[0] != '\0')
		return (env);
	return (SITE_DEFAULT);
}

static size_t
keep(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (b->len + size * n > ANSWER_MAX)
		return (0);
	buf_append(b, p, size * n);
	return (size * n);
}

long
cli_http(const char *method, const char *site, const char *path,
    const char *json, struct buf *answer, struct buf *err)
{
	struct curl_slist	*headers;
	struct buf		 url, auth;
	const char		*token;
	CURL			*c;
	CURLcode		 rc;
	long			 status;

	buf_init(&url);
	buf_init(&auth);
	if (strncmp(site, "http://", 7) != 0 &&
	    strncmp(site, "https://", 8) != 0) {
		buf_printf(err, "%s: a site's address starts with http:// or "
		    "https://", site);
		return (-1);
	}
	buf_printf(&url, "%s%s", site, path);
	if ((c = curl_easy_init()) == NULL) {
		buf_puts(err, "libcurl cannot start");
		buf_free(&url);
		return (-1);
	}
	headers = curl_slist_append(NULL, "accept: application/json");
	if ((token = getenv("FACTWIKI_TOKEN")) != NULL && token[0] != '\0') {
		buf_printf(&auth, "authorization: Bearer %s", token);
		headers = curl_slist_append(headers, buf_cstr(&auth));
	}
	if (json != NULL) {
		headers = curl_slist_append(headers,
		    "content-type: application/json");
		(void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	}
	(void)curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	(void)curl_easy_setopt(c, CURLOPT_URL, buf_cstr(&url));
	(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	status = -1;
	if (rc != CURLE_OK)
		buf_printf(err, "%s: %s", buf_cstr(&url),
		    curl_easy_strerror(rc));
	else
		(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	if (auth.data != NULL)
		sodium_memzero(auth.data, auth.cap);
	buf_free(&auth);
	buf_free(&url);
	return (status);
}

void
cli_problem(long status, struct buf *answer, struct buf *err)
{
	json_t		*doc;
	const char	*detail;

	doc = json_loadb(answer->data, answer->len, 0, NULL);
	if ((detail = json_string_value(json_object_get(doc, "detail"))) !=
	    NULL)
		buf_printf(err, "%s (HTTP %ld)", detail, status);
	else
		buf_printf(err, "the site answered HTTP %ld", status);
	json_decref(doc);
}

json_t *
cli_json(const char *method, const char *site, const char *path,
    const json_t *body, struct buf *err)
{
	struct buf	 answer;
	json_t		*doc;
	char		*text;
	long		 status;

	buf_init(&answer);
	text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
	status = cli_http(method, site, path, text, &answer, err);
	free(text);
	doc = NULL;
	if (status >= 200 && status < 300) {
		if ((doc = json_loadb(answer.data, answer.len, 0, NULL)) ==
		    NULL)
			buf_printf(err, "%s%s: the answer is not JSON", site,
			    path);
	} else if (status != -1)
		cli_problem(status, &answer, err);
	buf_free(&answer);
	return (doc);
}
