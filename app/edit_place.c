/*
 * Places with a form: GET/POST /places/new and /places/{slug}/edit.
 * A new place's slug is derived from its name unless one is given; after
 * that it never changes, since links to the place depend on it.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/slug.h"
#include "form.h"

#define DESCRIPTION_MAX	100000

int	page_place_edit(struct http_request *);

static json_t	*place_content(struct http_request *, const char *,
		    json_t *);

static const char *const fields[] = {
	"slug", "name", "kind", "parent", "description", "comment", NULL
};

static const struct entity_form place_form = {
	"place_edit", "api.place_form($1, "
	"api.entity_restore('place', $1, $3) || coalesce($2::jsonb, '{}'))",
	"SELECT api.place_save($1, $2, $3, $4, $5, $6, $7, true)",
	fields, "place", "/places", place_content
};

static const char *const kinds[] = {
	"country", "region", "city", "world", "other", NULL
};

int
page_place_edit(struct http_request *req)
{
	return (entity_serve(req, &place_form));
}

static json_t *
place_content(struct http_request *req, const char *key, json_t *errors)
{
	struct fact_input	 in;
	json_t			*content;
	const char		*kind, *slug, *parent;
	char			 derived[SLUG_MAX + 1];
	size_t			 i;

	fact_input_init(&in);
	if (text_input_check("name", "name", form_field(req, "name"), 200, 0,
	    1, errors) == 0)
		(void)fact_input_check(&in, FACTCSV_PLACE, "name",
		    form_field(req, "name"), errors);
	/* The parent's check below derives a slug into the same row. */
	memcpy(derived, in.row.place_slug, sizeof(derived));
	slug = key != NULL ? key : entity_slug(req, &place_form, derived,
	    errors);
	kind = form_field(req, "kind");
	for (i = 0; kinds[i] != NULL && strcmp(kinds[i], kind); i++)
		;
	if (kinds[i] == NULL)
		(void)json_object_set_new(errors, "kind", json_string(
		    "a kind is one of country, region, city, world, other"));
	parent = NULL;
	if (*form_field(req, "parent") != '\0' &&
	    fact_input_check(&in, FACTCSV_PLACE, "parent",
	    form_field(req, "parent"), errors) == 0)
		parent = in.row.place_slug;
	(void)text_input_check("description", "description",
	    form_field(req, "description"), DESCRIPTION_MAX, 1, 0, errors);

	content = json_pack("{s:s, s:s, s:s, s:s?, s:s}", "slug", slug,
	    "name", form_field(req, "name"), "kind", kind, "parent", parent,
	    "description", form_field(req, "description"));
	fact_input_free(&in);
	return (content);
}
