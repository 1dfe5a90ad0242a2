/*
 * Variables with a form: GET/POST /variables/new and
 * /variables/{slug}/edit.  The slug is derived from the name unless given,
 * and never changes after.  A new unit for a variable with facts is
 * allowed, since a unit may be corrected, but the form asks to confirm
 * it: it relabels every fact without converting a value.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "form.h"

#define DESCRIPTION_MAX	100000

int	page_variable_edit(struct http_request *);

static json_t	*variable_content(struct http_request *, const char *,
		    json_t *);


static const char *const fields[] = {
	"slug", "name", "unit", "confirm_unit", "description", "comment", NULL
};

static const struct entity_form variable_form = {
	"variable_edit", "api.form_merge(api.variable_form($1), "
	"api.entity_restore('variable', $1, $3) || coalesce($2::jsonb, '{}'))",
	"SELECT api.variable_save($1, $2, $3, $4, $5, $6, $7, true)",
	fields, "variable", "/variables", variable_content
};

int
page_variable_edit(struct http_request *req)
{
	return (entity_serve(req, &variable_form));
}

static json_t *
variable_content(struct http_request *req, const char *key, json_t *errors)
{
	struct fact_input	 in;
	json_t			*content;
	const char		*slug;

	fact_input_init(&in);
	if (text_input_check("name", "name", form_field(req, "name"), 200, 0,
	    1, errors) == 0)
		(void)fact_input_check(&in, FACTCSV_VARIABLE, "name",
		    form_field(req, "name"), errors);
	slug = key != NULL ? key : entity_slug(req, &variable_form,
	    in.row.variable_slug, errors);
	(void)fact_input_check(&in, FACTCSV_UNIT, "unit",
	    form_field(req, "unit"), errors);
	(void)text_input_check("description", "description",
	    form_field(req, "description"), DESCRIPTION_MAX, 1, 0, errors);

	content = json_pack("{s:s, s:s, s:s, s:s, s:b}", "slug", slug,
	    "name", form_field(req, "name"), "unit",
	    in.row.unit != NULL ? in.row.unit : "", "description",
	    form_field(req, "description"), "confirm_unit",
	    *form_field(req, "confirm_unit") != '\0');
	fact_input_free(&in);
	return (content);
}
