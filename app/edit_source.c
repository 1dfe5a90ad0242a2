/*
 * Sources with a form: GET/POST /sources/new and /sources/{id}/edit.  A
 * source has a title, and may have a URL (unique), a publisher, the dates
 * it was published and accessed, and notes in Markdown.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "form.h"

#define TITLE_MAX	500
#define NOTES_MAX	100000

int	page_source_edit(struct http_request *);

static json_t	*source_content(struct http_request *, const char *,
		    json_t *);
static json_t	*date_input(const char *, struct http_request *, json_t *);

static const char *const fields[] = {
	"url", "title", "publisher", "published", "accessed", "notes",
	"comment", NULL
};

static const struct entity_form source_form = {
	"source_edit", "api.form_merge(api.source_form($1::bigint), "
	"api.entity_restore('source', $1::text, $3) || "
	"coalesce($2::jsonb, '{}'))",
	"SELECT api.source_save($1, $2, $3, $4, $5, $6, $7, true)",
	fields, "source", "/sources", source_content
};

/* A date field: null when empty, else YYYY-MM-DD or an error. */
static json_t *
date_input(const char *name, struct http_request *req, json_t *errors)
{
	const char	*s, *errstr;
	char		 date[DATE_LEN];

	s = form_field(req, name);
	if (*s == '\0')
		return (json_null());
	if (date_parse(s, strlen(s), date, &errstr) == -1) {
		(void)json_object_set_new(errors, name, json_string(errstr));
		return (json_null());
	}
	return (json_string(date));
}

int
page_source_edit(struct http_request *req)
{
	return (entity_serve(req, &source_form));
}

static json_t *
source_content(struct http_request *req, const char *key, json_t *errors)
{
	json_t		*content, *published, *accessed;
	const char	*url;
	char		*lower;
	size_t		 i;

	(void)key;
	url = form_field(req, "url");
	if (*url != '\0' && !url_valid(url, strlen(url)))
		(void)json_object_set_new(errors, "url", json_string(
		    "a URL starts with http:// or https://, as in "
		    "https://www.census.gov/, and holds no spaces"));
	(void)text_input_check("title", "title", form_field(req, "title"),
	    TITLE_MAX, 0, 1, errors);
	(void)text_input_check("publisher", "publisher",
	    form_field(req, "publisher"), TITLE_MAX, 0, 0, errors);
	published = date_input("published", req, errors);
	accessed = date_input("accessed", req, errors);
	(void)text_input_check("notes", "notes", form_field(req, "notes"),
	    NOTES_MAX, 1, 0, errors);

	/* The scheme in lowercase, as the CSV reader writes it. */
	lower = kore_strdup(url);
	for (i = 0; lower[i] != '\0' && lower[i] != ':'; i++)
		lower[i] = (char)(lower[i] | 0x20);
	content = json_pack("{s:s?, s:s, s:s, s:o, s:o, s:s}", "url",
	    *lower != '\0' ? lower : NULL, "title", form_field(req, "title"),
	    "publisher", form_field(req, "publisher"), "published",
	    published, "accessed", accessed, "notes",
	    form_field(req, "notes"));
	kore_free(lower);
	return (content);
}
