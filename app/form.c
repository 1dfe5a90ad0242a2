/*
 * What the edit forms and the write API share.  Every check here is a
 * core one (core/factcsv.c, core/text.c), so that a form, the API and an
 * imported file say the same about the same input.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/slug.h"
#include "core/text.h"
#include "auth.h"
#include "form.h"

#define REVISION_DIGITS	9
/* A slug (64) or an id. */
#define ENTITY_KEY_MAX	80

static int	form_done(struct http_request *, struct answer *, const char *,
		    size_t);
static const char *entity_key(struct http_request *,
		    const struct entity_form *, char *, size_t);
static struct dbreq *entity_query(struct http_request *,
		    const struct entity_form *, const char *, int);
static int	entity_page(struct http_request *, const struct entity_form *,
		    const char *, int, json_t *);
static int	entity_save(struct http_request *, const struct entity_form *,
		    const char *, json_t *, json_t *);
static int	entity_saved(struct http_request *, struct answer *,
		    const char *, size_t);
static json_t	*entity_overlay(struct http_request *,
		    const struct entity_form *, long);
static void	error_set(json_t *, const char *, const char *);
static json_t	*text_json(const char *);

int
form_read(struct http_request *req)
{
	struct http_arg	*arg;
	const char	*type;
	char		*r, *w;

	if (http_request_header(req, "content-type", &type) &&
	    !strncasecmp(type, "multipart/form-data", 19))
		http_populate_multipart_form(req);
	else if (params_read_post(req) != KORE_RESULT_OK)
		return (-1);
	/*
	 * A browser sends a textarea's line breaks as CRLF: they are stored
	 * as the LF that the user typed, as the API and imports send them.
	 */
	TAILQ_FOREACH(arg, &req->arguments, list) {
		for (r = w = arg->s_value; *r != '\0'; r++) {
			if (r[0] != '\r' || r[1] != '\n')
				*w++ = *r;
		}
		*w = '\0';
	}
	return (0);
}

const char *
form_field(struct http_request *req, const char *name)
{
	const char	*value;

	if (!http_argument_get_string(req, name, &value))
		return ("");
	return (value);
}

/* A JSON string of s; "" when s is not UTF-8 (its check says so). */
static json_t *
text_json(const char *s)
{
	json_t	*j;

	if ((j = json_string(s)) == NULL)
		j = json_string("");
	return (j);
}

json_t *
form_fields(struct http_request *req, const char *const *names)
{
	json_t	*fields;

	fields = json_object();
	for (; *names != NULL; names++)
		(void)json_object_set_new(fields, *names,
		    text_json(form_field(req, *names)));
	return (fields);
}

/* The first message for a field stays: it is about what is typed first. */
static void
error_set(json_t *errors, const char *field, const char *message)
{
	if (errors != NULL && json_object_get(errors, field) == NULL)
		(void)json_object_set_new(errors, field, text_json(message));
}

void
fact_input_init(struct fact_input *in)
{
	memset(in, 0, sizeof(*in));
}

void
fact_input_free(struct fact_input *in)
{
	size_t	 i;

	for (i = 0; i < FACTCSV_NCOLS; i++)
		kore_free(in->copy[i]);
	memset(in, 0, sizeof(*in));
}

int
fact_input_check(struct fact_input *in, enum factcsv_col c,
    const char *field, const char *s, json_t *errors)
{
	struct buf	 msg;
	int		 rc;

	kore_free(in->copy[c]);
	in->copy[c] = kore_strdup(s);
	buf_init(&msg);
	rc = factcsv_field(c, in->copy[c], strlen(s), &in->row, &msg);
	if (rc == -1)
		error_set(errors, field, buf_cstr(&msg));
	buf_free(&msg);
	return (rc);
}

const char *
fact_input_source(struct fact_input *in)
{
	if (in->row.source_url != NULL)
		return (in->row.source_url);
	(void)snprintf(in->source, sizeof(in->source), "#%lld",
	    (long long)in->row.source_id);
	return (in->source);
}

int
text_input_check(const char *field, const char *label, const char *s,
    size_t max, int multiline, int required, json_t *errors)
{
	struct buf	 msg;
	size_t		 len;
	int		 rc;

	len = strlen(s);
	buf_init(&msg);
	rc = -1;
	if (!utf8_valid(s, len, NULL))
		buf_puts(&msg, "the text is not valid UTF-8");
	else if (required && strspn(s, " \t\r\n") == len)
		buf_printf(&msg, "a %s is required", label);
	else
		rc = text_check(s, len, max, multiline, label, &msg);
	if (rc == -1)
		error_set(errors, field, buf_cstr(&msg));
	buf_free(&msg);
	return (rc);
}

long
revision_input(const char *field, const char *s, json_t *errors)
{
	size_t	 len;

	len = strlen(s);
	if (len > REVISION_DIGITS || strspn(s, "0123456789") != len) {
		error_set(errors, field, "a revision is a whole number: the "
		    "one you read");
		return (-1);
	}
	return (len == 0 ? 0 : strtol(s, NULL, 10));
}

static int
form_done(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	if (doc == NULL)
		return (page_error(req, HTTP_STATUS_NOT_FOUND,
		    "There is nothing here to edit."));
	return (page_render(req, a->tmpl, a->status, doc, len));
}

struct dbreq *
form_page(struct http_request *req, const char *tmpl, const char *expr,
    int status)
{
	return (page_query(req, tmpl, expr, status, form_done));
}

void
form_overlay(struct dbreq *q, json_t *overlay)
{
	char	*text;

	if (overlay == NULL) {
		db_param(q, NULL);
		return;
	}
	if ((text = json_dumps(overlay, JSON_COMPACT)) == NULL)
		fatal("form_overlay: out of memory");
	db_param(q, text);
	free(text);
	json_decref(overlay);
}

int
form_redirect(struct http_request *req, const char *location,
    const char *notice)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 value;
	const unsigned char	*p;

	http_response_header(req, "location", location);
	if (notice != NULL) {
		/* Percent-encoded: a cookie value holds no spaces nor ";". */
		buf_init(&value);
		for (p = (const unsigned char *)notice; *p != '\0'; p++) {
			if ((*p >= 'A' && *p <= 'Z') ||
			    (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
				buf_putc(&value, (char)*p);
			else
				buf_printf(&value, "%%%c%c", hex[*p >> 4],
				    hex[*p & 0xf]);
		}
		cookie_set(req, NOTICE_COOKIE, buf_cstr(&value), 60);
		buf_free(&value);
	}
	http_response(req, HTTP_STATUS_SEE_OTHER, NULL, 0);
	return (KORE_RESULT_OK);
}

json_t *
form_answer(struct http_request *req, enum face face, const char *doc,
    size_t len)
{
	json_t	*res;

	if (doc == NULL) {
		(void)render_problem(req, face, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "the answer of the database was lost on its way: look "
		    "whether the change was made before you make it again",
		    NULL);
		return (NULL);
	}
	if ((res = json_loadb(doc, len, 0, NULL)) == NULL)
		fatal("form_answer: the database sent bad JSON");
	return (res);
}

json_t *
form_problem(json_t *doc)
{
	return (json_object_get(doc, "problem"));
}

json_t *
form_errors(json_t *problem)
{
	json_t	*errors, *e;
	size_t	 i;

	errors = json_object();
	json_array_foreach(json_object_get(problem, "errors"), i, e) {
		error_set(errors, json_string_value(json_object_get(e,
		    "field")), json_string_value(json_object_get(e,
		    "message")));
	}
	return (errors);
}

int
entity_serve(struct http_request *req, const struct entity_form *ef)
{
	const char	*key;
	char		 keybuf[ENTITY_KEY_MAX];
	json_t		*errors;

	if (http_state_exists(req))
		return (db_run(req));
	key = entity_key(req, ef, keybuf, sizeof(keybuf));
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD)
		return (entity_page(req, ef, key, HTTP_STATUS_OK, NULL));
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));
	if (form_read(req) == -1)
		return (KORE_RESULT_OK);
	errors = json_object();
	return (entity_save(req, ef, key, ef->content(req, key, errors),
	    errors));
}

const char *
entity_slug(struct http_request *req, const struct entity_form *ef,
    const char *derived, json_t *errors)
{
	struct buf	 msg;
	const char	*slug;

	slug = derived;
	if (*form_field(req, "slug") != '\0') {
		slug = form_field(req, "slug");
		if (!slug_valid(slug, strlen(slug)))
			error_set(errors, "slug", "a slug is lowercase letters "
			    "and digits in words joined by single hyphens, as "
			    "in new-york, at most 64 characters");
	}
	if (!strcmp(slug, "new")) {
		buf_init(&msg);
		buf_printf(&msg, "new is not a slug a %s can have: %s/new is "
		    "the form for a new %s", ef->entity, ef->collection,
		    ef->entity);
		error_set(errors, "slug", buf_cstr(&msg));
		buf_free(&msg);
	}
	return (slug);
}

/* The key of the form's path (size bytes in buf), or NULL for .../new. */
static const char *
entity_key(struct http_request *req, const struct entity_form *ef,
    char *buf, size_t size)
{
	size_t	 len;

	len = strlen(ef->collection);
	if ((!strncmp(req->path, ef->collection, len) &&
	    !strcmp(req->path + len, "/new")) ||
	    path_tail(req, 1, buf, size) == -1)
		return (NULL);
	return (buf);
}

static struct dbreq *
entity_query(struct http_request *req, const struct entity_form *ef,
    const char *key, int status)
{
	struct dbreq	*q;

	q = form_page(req, ef->tmpl, ef->expr, status);
	db_param(q, key);
	return (q);
}

/*
 * What a form shown again carries over: the user's input, and the revision
 * it was read at (when it is one), not the latest, so that an edit saved
 * meanwhile is still a conflict.
 */
static json_t *
entity_overlay(struct http_request *req, const struct entity_form *ef,
    long rev)
{
	json_t	*overlay;

	overlay = json_pack("{s:o}", "form", form_fields(req, ef->fields));
	if (rev >= 0)
		(void)json_object_set_new(overlay, "base", json_integer(rev));
	return (overlay);
}

/* The form of key (NULL: a new one), with status and overlay (consumed). */
static int
entity_page(struct http_request *req, const struct entity_form *ef,
    const char *key, int status, json_t *overlay)
{
	struct dbreq	*q;
	const char	*revision;
	int		 chained;

	/* GET ?revision=N: the form holds that revision, to bring it back. */
	revision = NULL;
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		http_populate_qs(req);
		if (params_check(req, FACE_HTML) != KORE_RESULT_OK) {
			json_decref(overlay);
			return (KORE_RESULT_OK);
		}
		revision = param(req, "revision");
	}
	chained = http_state_exists(req);
	q = entity_query(req, ef, key, status);
	form_overlay(q, overlay);
	db_param(q, revision);
	return (chained ? KORE_RESULT_OK : db_run(req));
}

/*
 * Saves content (consumed) as key's, the form's base and comment with it;
 * or, when errors (consumed) has any or a preview is asked, shows the form
 * again.
 */
static int
entity_save(struct http_request *req, const struct entity_form *ef,
    const char *key, json_t *content, json_t *errors)
{
	struct dbreq	*q;
	struct answer	*a;
	json_t		*overlay;
	char		*text;
	char		 base[16];
	long		 rev;
	int		 preview;

	rev = revision_input("base", form_field(req, "base"), errors);
	/* A preview shows the Markdown as it will be, and saves nothing. */
	preview = *form_field(req, "preview") != '\0';
	if (!preview)
		(void)text_input_check("comment", "comment",
		    form_field(req, "comment"), COMMENT_MAX, 0, 1, errors);
	if (preview || json_object_size(errors) > 0) {
		json_decref(content);
		overlay = entity_overlay(req, ef, rev);
		(void)json_object_set_new(overlay, "errors", errors);
		(void)json_object_set_new(overlay, "preview",
		    json_boolean(preview));
		return (entity_page(req, ef, key, preview ? HTTP_STATUS_OK :
		    422, overlay));
	}
	json_decref(errors);
	if ((text = json_dumps(content, JSON_COMPACT)) == NULL)
		fatal("entity_save: out of memory");
	json_decref(content);
	q = view_query(req, ef->save, FACE_HTML, entity_saved);
	a = http_state_get(req);
	a->arg = ef;
	auth_params(req, q, form_field(req, "csrf"));
	db_param(q, key);
	(void)snprintf(base, sizeof(base), "%ld", rev);
	db_param(q, base);
	db_param(q, text);
	free(text);
	db_param(q, form_field(req, "comment"));
	return (db_run(req));
}

static int
entity_saved(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	const struct entity_form	*ef = a->arg;
	struct buf			 location, notice;
	json_t				*res, *problem, *overlay, *slug;
	const char			*key;
	char				 keybuf[ENTITY_KEY_MAX], id[24];
	int				 status;

	if ((res = form_answer(req, FACE_HTML, doc, len)) == NULL)
		return (KORE_RESULT_OK);
	if ((problem = form_problem(res)) == NULL) {
		/* Its page: a source has no slug, and goes by its id. */
		slug = json_object_get(json_object_get(res, ef->entity),
		    "slug");
		(void)snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(res, "id")));
		key = json_is_string(slug) ? json_string_value(slug) : id;
		buf_init(&location);
		buf_init(&notice);
		buf_printf(&location, "%s/%s", ef->collection, key);
		buf_printf(&notice, "%s: the %s %s%s.",
		    !strcmp(json_string_value(json_object_get(res, "action")),
		    "unchanged") ? "Nothing changed" : "Saved", ef->entity,
		    key == id ? "#" : "", key);
		(void)form_redirect(req, buf_cstr(&location),
		    buf_cstr(&notice));
		buf_free(&location);
		buf_free(&notice);
		json_decref(res);
		return (KORE_RESULT_OK);
	}
	key = entity_key(req, ef, keybuf, sizeof(keybuf));
	status = (int)json_integer_value(json_object_get(problem, "status"));
	/* The save checked the base it sent. */
	overlay = entity_overlay(req, ef, revision_input("base",
	    form_field(req, "base"), NULL));
	if (status == HTTP_STATUS_CONFLICT) {
		(void)json_object_set(overlay, "conflict", problem);
		(void)json_object_set(overlay, "base", json_object_get(
		    json_object_get(problem, "current"), "revision"));
	} else if (json_object_get(problem, "errors") != NULL) {
		(void)json_object_set_new(overlay, "errors",
		    form_errors(problem));
	} else {
		(void)json_object_set(overlay, "problem",
		    json_object_get(problem, "detail"));
	}
	json_decref(res);
	return (entity_page(req, ef, key, status, overlay));
}
