/*
 * Query string, path and urlencoded form parameters.
 *
 * The conf declares every parameter of every route with a validator, and
 * Kore keeps only those that pass.  Kore drops the others silently; a
 * client that wrote from=abc or frm=1990 deserves to be told, so
 * params_check() reads the raw query string again and answers 400 naming
 * the parameter that was dropped, and what it should look like.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

/* What each validator of conf/factwiki.conf.in accepts, for messages. */
static const struct {
	const char	*validator;
	const char	*accepts;
} accepts[] = {
	{ "v_year", "a year from -9999 to 9999" },
	{ "v_slug", "a slug such as new-york" },
	{ "v_slugs", "one or more slugs separated by commas, "
	    "such as norway,sweden" },
	{ "v_limit", "a whole number from 1 to 10000" },
	{ "v_cursor", "the cursor of a previous answer's next" },
	{ "v_format", "json or csv" },
	{ "v_query", "text of 1 to 200 characters" },
	{ "v_kind", "one of country, region, city, world, other" },
	{ "v_id", "a whole number from 1 up" },
	{ "v_revision", "a revision number from 1 to 999999999" },
	{ "v_page", "a page number from 1 up" },
	{ "v_diff", "two revisions such as 3..5" },
	{ "v_csrf", "the CSRF token of the page that the form came from" },
	{ "v_form_text", "UTF-8 text of at most 4096 bytes" },
	{ "v_next", "a path on this site, such as /places" },
	{ "v_role", "one of editor, curator, admin" },
	{ "v_form_any", "text, which the form checks itself" },
	{ "v_bool", "true or false" },
	{ "v_proposal_status", "one of draft, open, closed, tallied" },
	{ "v_change_kind", "one of edit, delete, revert, import, protect, "
	    "unprotect" },
	{ "v_user", "a user's name" },
};

#define MAXARGS		HTTP_MAX_QUERY_ARGS

static const char	*accepted(const struct kore_validator *);
static struct kore_handler_params *declared(struct http_request *,
			    const char *, int);
static int		 form_decode(char *);
static int		 bad_param(struct http_request *, enum face,
			    const char *, struct buf *);

static const char *
accepted(const struct kore_validator *v)
{
	size_t	 i;

	for (i = 0; i < sizeof(accepts) / sizeof(accepts[0]); i++) {
		if (!strcmp(accepts[i].validator, v->name))
			return (accepts[i].accepts);
	}
	return ("a valid value");
}

/* The route's declaration of name: in the query string (qs), or posted. */
static struct kore_handler_params *
declared(struct http_request *req, const char *name, int qs)
{
	struct kore_handler_params	*p;

	TAILQ_FOREACH(p, &req->hdlr->params, list) {
		if (!(p->flags & KORE_PARAMS_QUERY_STRING) == !qs &&
		    p->method == (req->method == HTTP_METHOD_HEAD ?
		    HTTP_METHOD_GET : req->method) && !strcmp(p->name, name))
			return (p);
	}
	return (NULL);
}

/* Answers 400 with msg, naming the parameter in errors[] too. */
static int
bad_param(struct http_request *req, enum face face, const char *name,
    struct buf *msg)
{
	json_t	*errors;

	errors = json_pack("{s:[{s:s, s:s}]}", "errors", "parameter", name,
	    "message", buf_cstr(msg));
	(void)render_problem(req, face, HTTP_STATUS_BAD_REQUEST,
	    buf_cstr(msg), errors);
	return (KORE_RESULT_ERROR);
}

int
params_check(struct http_request *req, enum face face)
{
	struct kore_handler_params	*p;
	struct buf			 msg;
	char				*copy, *args[MAXARGS + 1], *eq;
	const char			*seen[MAXARGS], *value, *bad;
	int				 n, i, j;

	if (req->query_string == NULL || req->query_string[0] == '\0')
		return (KORE_RESULT_OK);

	copy = kore_strdup(req->query_string);
	n = kore_split_string(copy, "&", args, MAXARGS + 1);
	buf_init(&msg);
	bad = NULL;
	if (n > MAXARGS - 1) {
		bad = "";
		buf_printf(&msg, "at most %d parameters", MAXARGS - 1);
	}
	for (i = 0; bad == NULL && i < n; i++) {
		if ((eq = strchr(args[i], '=')) != NULL)
			*eq++ = '\0';
		seen[i] = args[i];
		/* An empty value is no value: an empty search box. */
		if (eq == NULL || *eq == '\0')
			continue;
		if ((p = declared(req, args[i], 1)) == NULL) {
			/* Pages let links carry what they like (?utm_...). */
			if (face == FACE_HTML)
				continue;
			bad = args[i];
			buf_printf(&msg, "unknown parameter '%s'", bad);
			break;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(seen[j], args[i])) {
				bad = args[i];
				buf_printf(&msg, "parameter '%s' is given "
				    "twice", bad);
			}
		}
		if (bad == NULL &&
		    !http_argument_get_string(req, args[i], &value)) {
			bad = args[i];
			buf_printf(&msg, "parameter '%s' must be %s", bad,
			    accepted(p->validator));
		}
	}
	if (bad != NULL)
		(void)bad_param(req, face, bad, &msg);
	buf_free(&msg);
	kore_free(copy);
	return (bad == NULL ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

/*
 * A value as a form urlencodes it, decoded in place: "+" is a space, %XX
 * its byte, and a "%" before anything else itself.  Unlike Kore's decoder,
 * line breaks and tabs are kept; only NUL, which would cut the text short,
 * is refused (-1).
 */
static int
form_decode(char *s)
{
	char		*r, *w, hex[3];

	for (r = w = s; *r != '\0'; w++) {
		if (*r == '+') {
			*w = ' ';
			r++;
		} else if (r[0] == '%' && isxdigit((unsigned char)r[1]) &&
		    isxdigit((unsigned char)r[2])) {
			hex[0] = r[1];
			hex[1] = r[2];
			hex[2] = '\0';
			if ((*w = (char)strtol(hex, NULL, 16)) == '\0')
				return (-1);
			r += 3;
		} else {
			*w = *r++;
		}
	}
	*w = '\0';
	return (0);
}

int
params_read_post(struct http_request *req)
{
	struct kore_handler_params	*p;
	struct http_arg			*arg;
	struct kore_buf			*body;
	struct buf			 msg;
	char				 data[BUFSIZ], *text, *pair, *next;
	char				*eq;
	const char			*bad;
	ssize_t				 n;

	body = kore_buf_alloc(BUFSIZ);
	while ((n = http_body_read(req, data, sizeof(data))) > 0)
		kore_buf_append(body, data, (size_t)n);
	text = kore_buf_stringify(body, NULL);
	buf_init(&msg);
	bad = NULL;
	for (pair = text; n == 0 && bad == NULL && pair != NULL;
	    pair = next) {
		if ((next = strchr(pair, '&')) != NULL)
			*next++ = '\0';
		/* The value is all after the first "=", "=" included. */
		if ((eq = strchr(pair, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if (!http_argument_urldecode(pair) ||
		    (p = declared(req, pair, 0)) == NULL)
			continue;
		if (form_decode(eq) == -1) {
			bad = pair;
			buf_printf(&msg, "the field '%s' holds a NUL byte", bad);
		} else if (!kore_validator_check(req, p->validator, eq)) {
			bad = pair;
			buf_printf(&msg, "the field '%s' must be %s", bad,
			    accepted(p->validator));
		} else {
			arg = kore_malloc(sizeof(*arg));
			arg->name = kore_strdup(pair);
			arg->s_value = kore_strdup(eq);
			TAILQ_INSERT_TAIL(&req->arguments, arg, list);
		}
	}
	if (n == -1) {
		bad = "";
		buf_puts(&msg, "the form could not be read");
	}
	if (bad != NULL)
		(void)bad_param(req, FACE_HTML, bad, &msg);
	buf_free(&msg);
	kore_buf_free(body);
	return (bad == NULL ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

const char *
param(struct http_request *req, const char *name)
{
	const char	*value;

	if (!http_argument_get_string(req, name, &value))
		return (NULL);
	return (value);
}

enum face
param_face(struct http_request *req)
{
	const char	*format, *accept;

	http_populate_qs(req);
	if ((format = param(req, "format")) != NULL)
		return (strcmp(format, "csv") ? FACE_JSON : FACE_CSV);
	if (http_request_header(req, "accept", &accept) &&
	    strstr(accept, "text/csv") != NULL &&
	    strstr(accept, "application/json") == NULL)
		return (FACE_CSV);
	return (FACE_JSON);
}

int
path_tail(struct http_request *req, int n, char *out, size_t size)
{
	const char	*start, *end;
	size_t		 len;

	/* Kore compiles route regexes without capture groups: split. */
	end = req->path + strlen(req->path);
	for (;;) {
		start = end;
		while (start > req->path && start[-1] != '/')
			start--;
		if (n-- == 0)
			break;
		if (start == req->path)
			return (-1);
		end = start - 1;
	}
	len = (size_t)(end - start);
	if (len == 0 || len >= size)
		return (-1);
	memcpy(out, start, len);
	out[len] = '\0';
	return (0);
}
