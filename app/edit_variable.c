/*
 * Variables with a form: GET/POST /variables/new and
 * /variables/{slug}/edit.  The slug is derived from the name unless given,
 * and never changes after.  A new unit for a variable with facts is
 * allowed, since a unit may be corrected, but the form asks to confirm
 * it: it relabels every fact without converting a value.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include "core/slug.h"
#include "form.h"

#define DESCRIPTION_MAX	100000

int	page_variable_edit(struct http_request *);


static const char *const fields[] = {
	"slug", "name", "unit", "confirm_unit", "description", "comment", NULL
};

static const struct entity_form variable_form = {
	"variable_edit", "api.form_merge(api.variable_form($1), "
	"api.entity_restore('variable', $1, $3) || coalesce($2::jsonb, '{}'))",
	"SELECT api.variable_save($1, $2, $3, $4, $5, $6, $7, true)",
	fields, "variable", "/variables"
};

int
page_variable_edit(struct http_request *req)
{
	struct fact_input	 in;
	json_t			*errors, *content;
	const char		*key, *slug;
	char			 keybuf[SLUG_MAX + 1];

	if (http_state_exists(req))
		return (db_run(req));
	key = entity_key(req, &variable_form, keybuf, sizeof(keybuf));
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD)
		return (entity_page(req, &variable_form, key, HTTP_STATUS_OK,
		    NULL));
	if (req->method != HTTP_METHOD_POST)
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This form is sent with POST."));

	form_read(req);
	errors = json_object();
	fact_input_init(&in);
	if (text_input_check("name", "name", form_field(req, "name"), 200, 0,
	    1, errors) == 0)
		(void)fact_input_check(&in, FACTCSV_VARIABLE, "name",
		    form_field(req, "name"), errors);
	slug = in.row.variable_slug;
	if (key == NULL && *form_field(req, "slug") != '\0') {
		slug = form_field(req, "slug");
		if (!slug_valid(slug, strlen(slug)))
			(void)json_object_set_new(errors, "slug", json_string(
			    "a slug is lowercase letters and digits in words "
			    "joined by single hyphens, as in life-expectancy, "
			    "at most 64 characters"));
	}
	if (key == NULL && !strcmp(slug, "new"))
		(void)json_object_set_new(errors, "slug", json_string(
		    "new is not a slug a variable can have: /variables/new is "
		    "the form for a new variable"));
	(void)fact_input_check(&in, FACTCSV_UNIT, "unit",
	    form_field(req, "unit"), errors);
	(void)text_input_check("description", "description",
	    form_field(req, "description"), DESCRIPTION_MAX, 1, 0, errors);

	content = json_pack("{s:s, s:s, s:s, s:s, s:b}", "slug",
	    key != NULL ? key : slug, "name", form_field(req, "name"), "unit",
	    in.row.unit != NULL ? in.row.unit : "", "description",
	    form_field(req, "description"), "confirm_unit",
	    *form_field(req, "confirm_unit") != '\0');
	fact_input_free(&in);
	return (entity_save(req, &variable_form, key, content, errors));
}
