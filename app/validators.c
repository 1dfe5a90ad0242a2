/*
 * The function validators named in conf/factwiki.conf.in.  Kore calls them
 * for every declared parameter; each is a thin edge over the core's
 * parsers, so that the API, the pages and the CLI accept the same things.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "core/slug.h"
#include "core/text.h"
#include "core/year.h"
#include "fw.h"

#define SLUGS_MAX	100
#define QUERY_MAX	200
#define CURSOR_MAX	1024
#define FORM_TEXT_MAX	4096
#define NEXT_MAX	1024

int	v_year(struct http_request *, const void *);
int	v_slug(struct http_request *, const void *);
int	v_slugs(struct http_request *, const void *);
int	v_limit(struct http_request *, const void *);
int	v_id(struct http_request *, const void *);
int	v_revision(struct http_request *, const void *);
int	v_query(struct http_request *, const void *);
int	v_cursor(struct http_request *, const void *);
int	v_form_text(struct http_request *, const void *);
int	v_next(struct http_request *, const void *);
int	v_form_any(struct http_request *, const void *);

static int	whole_number(const char *, long long, long long);

/* Decimal digits only, min..max. */
static int
whole_number(const char *s, long long min, long long max)
{
	long long	 n;
	size_t		 i;

	if (s[0] == '\0' || strlen(s) > 18)
		return (KORE_RESULT_ERROR);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (KORE_RESULT_ERROR);
	}
	n = strtoll(s, NULL, 10);
	return (n >= min && n <= max ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

int
v_year(struct http_request *req, const void *data)
{
	const char	*errstr;
	int		 year;

	(void)req;
	return (year_parse(data, strlen(data), &year, &errstr) == 0 ?
	    KORE_RESULT_OK : KORE_RESULT_ERROR);
}

int
v_slug(struct http_request *req, const void *data)
{
	(void)req;
	return (slug_valid(data, strlen(data)) ? KORE_RESULT_OK :
	    KORE_RESULT_ERROR);
}

int
v_slugs(struct http_request *req, const void *data)
{
	const char	*p, *comma;
	size_t		 len;
	int		 n;

	(void)req;
	for (p = data, n = 0;; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (!slug_valid(p, len) || ++n > SLUGS_MAX)
			return (KORE_RESULT_ERROR);
		if (comma == NULL)
			return (KORE_RESULT_OK);
	}
}

int
v_limit(struct http_request *req, const void *data)
{
	(void)req;
	return (whole_number(data, 1, 10000));
}

/* Source ids, up to what JSON numbers carry exactly. */
int
v_id(struct http_request *req, const void *data)
{
	(void)req;
	return (whole_number(data, 1, 9007199254740991LL));
}

/* Revisions are PostgreSQL integers; the forms take up to 9 digits too. */
int
v_revision(struct http_request *req, const void *data)
{
	(void)req;
	return (whole_number(data, 1, 999999999));
}

int
v_query(struct http_request *req, const void *data)
{
	size_t	 len;

	(void)req;
	len = strlen(data);
	if (len == 0 || !utf8_valid(data, len, NULL) ||
	    utf8_length(data, len) > QUERY_MAX)
		return (KORE_RESULT_ERROR);
	return (KORE_RESULT_OK);
}

/* base64url, as the api schema writes cursors; it checks the rest. */
int
v_cursor(struct http_request *req, const void *data)
{
	const char	*s = data;
	size_t		 len;

	(void)req;
	len = strlen(s);
	if (len == 0 || len > CURSOR_MAX ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != len)
		return (KORE_RESULT_ERROR);
	return (KORE_RESULT_OK);
}

/* Any text of a form field that its handler checks with a message. */
int
v_form_text(struct http_request *req, const void *data)
{
	size_t	 len;

	(void)req;
	len = strlen(data);
	return (len <= FORM_TEXT_MAX && utf8_valid(data, len, NULL) ?
	    KORE_RESULT_OK : KORE_RESULT_ERROR);
}

/*
 * Where to go after signing in: a path on this site.  Not //host or /\host,
 * which browsers take for another site.
 */
int
v_next(struct http_request *req, const void *data)
{
	const char	*s = data;
	size_t		 i, len;

	(void)req;
	len = strlen(s);
	if (len == 0 || len > NEXT_MAX || s[0] != '/' || s[1] == '/')
		return (KORE_RESULT_ERROR);
	for (i = 0; i < len; i++) {
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '\\')
			return (KORE_RESULT_ERROR);
	}
	return (KORE_RESULT_OK);
}

/*
 * Any field of an edit form.  Kore drops a field that fails its validator,
 * and a dropped description or note would be saved empty: the handler
 * checks these, UTF-8 and length included, and says what is wrong.
 */
int
v_form_any(struct http_request *req, const void *data)
{
	(void)req;
	(void)data;
	return (KORE_RESULT_OK);
}
