/*
 * What the edit forms and the write API share: posted fields, the checks
 * of a fact's fields (the CSV reader's, with its messages), form pages
 * shown again with the user's input and its errors, and the answer to a
 * write that succeeded.
 */

#ifndef FW_FORM_H
#define FW_FORM_H

#include "core/factcsv.h"
#include "fw.h"

/* The longest comment of a change (the changes table's check). */
#define COMMENT_MAX	2000

/* ---- posted fields ---- */

/*
 * Reads a posted form: urlencoded, or multipart/form-data.  -1 when it
 * answered 400: a field could not be read.
 */
int		 form_read(struct http_request *);
/* A field of the form, or "" when it was not sent. */
const char	*form_field(struct http_request *, const char *);
/* {name: value} of the fields named (NULL-terminated), for an overlay. */
json_t		*form_fields(struct http_request *, const char *const *);

/* ---- checks ---- */

/* A fact's fields, checked; the row points into copies owned here. */
struct fact_input {
	struct factcsv_row	 row;
	char			*copy[FACTCSV_NCOLS];
	char			 source[32];	/* "#ID", when row's is an id */
};

void		 fact_input_init(struct fact_input *);
void		 fact_input_free(struct fact_input *);
/*
 * Checks s as column c of the CSV format; when bad, errors (an object)
 * gets {field: message}.  Returns 0 or -1.
 */
int		 fact_input_check(struct fact_input *, enum factcsv_col,
		    const char *field, const char *s, json_t *errors);
/* The source as the database takes it: its URL or "#ID". */
const char	*fact_input_source(struct fact_input *);
/*
 * Text for the field of that name (label, in messages): valid UTF-8, at
 * most max characters, on one line unless multiline; required or not.
 * When bad, errors gets {field: message}.  Returns 0 or -1.
 */
int		 text_input_check(const char *field, const char *label,
		    const char *s, size_t max, int multiline, int required,
		    json_t *errors);
/*
 * A revision as a form or the API names it: a whole number (0 is a place,
 * variable or source that no form has changed yet).  Returns it, or -1
 * (errors, unless NULL, gets {field: message}); "" is 0.
 */
long		 revision_input(const char *field, const char *s,
		    json_t *errors);

/* ---- pages ---- */

/*
 * Shows a form page with status: template tmpl rendered with the document
 * of expr, the signed-in user beside it.  expr's last parameter is the
 * overlay (see form_overlay()), merged into the document by
 * api.form_merge(): add expr's other parameters, then the overlay.  From
 * a handler, return db_run(req); from a done callback the query is
 * chained: return KORE_RESULT_OK.
 */
struct dbreq	*form_page(struct http_request *, const char *tmpl,
		    const char *expr, int status);
/*
 * The last parameter of form_page()'s query: members that replace the
 * document's, such as "form" (the user's input) and "errors" (consumed;
 * NULL for none).
 */
void		 form_overlay(struct dbreq *, json_t *);

/*
 * After a write that succeeded: 303 See Other to location, with notice
 * for the next page in the fw_notice cookie (percent-encoded, read once).
 */
int		 form_redirect(struct http_request *, const char *location,
		    const char *notice);

/*
 * The answer of a write function, parsed; or NULL after answering 503
 * when there is none: Kore 4.1 can lose an error the database raised (its
 * pgsql event handler reads on when the connection's last message comes
 * in a packet of its own, and the error is then overwritten).
 */
json_t		*form_answer(struct http_request *, enum face, const char *doc,
		    size_t len);
/*
 * The problem a write function answered a form with ({"problem": {...}}
 * in doc), or NULL when it succeeded.  Borrowed from doc.
 */
json_t		*form_problem(json_t *doc);
/* {field: message} of a problem's errors[], for a form. */
json_t		*form_errors(json_t *problem);

/* ---- places, variables and sources ---- */

struct entity_form {
	const char		*tmpl;
	/*
	 * Its document: $1 the key (NULL for a new one), $2 the overlay, $3
	 * the revision to start from (NULL: the latest).
	 */
	const char		*expr;
	/*
	 * The write: $1-$3 the credentials, $4 the key, $5 the base
	 * revision, $6 the content (JSON), $7 the comment; for a form.
	 */
	const char		*save;
	const char *const	*fields;	/* shown again after a problem */
	const char		*entity;	/* "place": in answers, notices */
	/* Its pages: /places/{slug} (a source: /sources/{id}), /places/new. */
	const char		*collection;
	/*
	 * The content to save from the posted form, key's (NULL: a new
	 * one); each field that is wrong gets a message in errors.
	 */
	json_t			*(*content)(struct http_request *,
				    const char *key, json_t *errors);
};

/*
 * The whole handler of an entity's form: GET shows it (?revision=N: that
 * revision, to bring it back), POST checks it with ef->content and saves,
 * or shows it again with the problems, a preview or a conflict.
 */
int	entity_serve(struct http_request *, const struct entity_form *);
/*
 * A new entity's slug: the form's when given (checked), else derived; not
 * "new", which names the form.
 */
const char	*entity_slug(struct http_request *, const struct entity_form *,
		    const char *derived, json_t *errors);

#endif
