/*
 * Imports from the web: POST /api/v1/imports (the body is the CSV) and
 * the page /import (a file, or pasted text: a dry run first, then the
 * import of what was checked).
 *
 * Both run the importer of the command line (store/import.c) in a task
 * thread, on a connection of its own: an import is one transaction that
 * may take a while, and the event loop must not wait for it.  The task
 * checks the credentials first, on that connection, and imports as that
 * user; for an editor the connection says so (factwiki.role), and a
 * trigger then refuses rows of protected series (sql/006_editing.sql).
 *
 * The page keeps the file it checked as var/uploads/ID.csv, ID random,
 * for its second step: a browser cannot send a file input's file again,
 * and the ID is known to the uploader only.  A kept file goes once it is
 * imported or fails its check; those older than a day go at the next
 * upload.
 *
 * The request's state is the import until its task ends, then a query
 * of db.c for the page (account_pw.c does the same): a task bound to the
 * request says which.
 */

#include <sys/stat.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/account.h"
#include "core/text.h"
#include "store/db.h"
#include "store/import.h"
#include "auth.h"
#include "form.h"

#define UPLOAD_DIR	"var/uploads"
#define UPLOAD_TTL	(24 * 60 * 60)
#define UPLOAD_IDLEN	32		/* hex of 16 random bytes */
/* Pasted text that failed its check comes back for fixing, up to this. */
#define TEXT_SHOWN	(256 * 1024)
#define IO_CHUNK	(64 * 1024)
#define NAME_SHOWN	200

int	api_import(struct http_request *);
int	page_import(struct http_request *);

enum upload_from {
	FROM_BODY,		/* the API: the request's body */
	FROM_FILE,		/* the page: a file field, to keep */
	FROM_TEXT,		/* the page: pasted text, to keep */
	FROM_KEPT		/* the page: a file its first step kept */
};

/*
 * One import.  The task thread reads what the event loop set before it
 * started and writes the rest, which the event loop reads once the task
 * has finished.  What the thread allocates is libc's, never Kore's.
 */
struct upload {
	struct kore_task	 task;		/* first: the entry gets it */
	struct http_request	*req;
	enum upload_from	 from;
	struct http_file	*file;
	const char		*text;
	char			 id[UPLOAD_IDLEN + 1];
	const char		*kind;
	char			 hash[AUTH_HEXLEN];
	char			*csrf;
	int			 create_missing;
	int			 dry_run;
	char			*comment;

	int			 fd;
	char			 user[USERNAME_MAX + 1];
	int			 editor;	/* role editor, not more */
	int			 status;	/* of a failure; 0: it ran */
	struct buf		 message;
	int			 rc;		/* of store_import() */
	struct import_result	 res;
};

static struct upload	*upload_new(struct http_request *);
static int		 upload_start(struct http_request *, struct upload *,
			    const char *);
static int		 upload_wait(struct http_request *, struct upload **);
static void		 upload_free(struct http_request *);
static void		 upload_end(struct http_request *);
static int		 upload_task(struct kore_task *);
static void		 upload_fail(struct upload *, int, const char *);
static int		 upload_auth(struct upload *, PGconn *);
static int		 upload_keep(struct upload *);
static int		 upload_open(struct upload *);
static void		 upload_sweep(void);
static ssize_t		 upload_read(void *, void *, size_t);
static int		 write_all(int, const void *, size_t);
static json_t		*upload_summary(const struct upload *);
static json_t		*upload_errors(const struct upload *);
static int		 api_answer(struct http_request *, struct upload *);
static int		 page_answer(struct http_request *, struct upload *);
static int		 page_form(struct http_request *, int, json_t *);
static int		 truthy(const char *);

static struct upload *
upload_new(struct http_request *req)
{
	struct upload	*u;

	u = http_state_create(req, sizeof(*u), upload_free);
	u->req = req;
	u->fd = -1;
	buf_init(&u->message);
	return (u);
}

/* Starts the task; the handler then waits for it. */
static int
upload_start(struct http_request *req, struct upload *u, const char *csrf)
{
	auth_credentials(req, csrf, &u->kind, u->hash, &csrf);
	u->csrf = csrf != NULL ? kore_strdup(csrf) : NULL;
	kore_task_create(&u->task, upload_task);
	kore_task_bind_request(&u->task, req);
	kore_task_run(&u->task);
	return (KORE_RESULT_RETRY);
}

/*
 * 1 and *up once the task of req has finished; else 0, and the request
 * sleeps until the task wakes it.
 */
static int
upload_wait(struct http_request *req, struct upload **up)
{
	*up = http_state_get(req);
	if (kore_task_finished(&(*up)->task))
		return (1);
	http_request_sleep(req);
	return (0);
}

/*
 * Kore calls this whenever it tries to free the request; while the task
 * runs (the client went away) the request waits for it, and so does this.
 */
static void
upload_free(struct http_request *req)
{
	struct upload	*u = http_state_get(req);

	if (u == NULL || !kore_task_finished(&u->task))
		return;
	kore_free(u->csrf);
	kore_free(u->comment);
	u->csrf = u->comment = NULL;
	buf_free(&u->message);
	import_result_free(&u->res);
	if (u->fd != -1)
		close(u->fd);
	u->fd = -1;
}

/* The task is over and answered for: the state may be a query's now. */
static void
upload_end(struct http_request *req)
{
	struct upload	*u = http_state_get(req);

	upload_free(req);
	kore_task_destroy(&u->task);
	http_state_cleanup(req);
	req->onfree = NULL;
}

/* ---- in the task thread ---- */

static void
upload_fail(struct upload *u, int status, const char *message)
{
	u->status = status;
	buf_reset(&u->message);
	buf_puts(&u->message, message);
}

static int
upload_task(struct kore_task *t)
{
	struct upload		*u = (struct upload *)t;
	struct import_opts	 opts;
	struct buf		 err, path;
	PGconn			*conn;
	const char		*url;

	buf_init(&err);
	url = getenv("DATABASE_URL");
	if ((conn = store_connect(url != NULL ? url : "", &err)) == NULL) {
		upload_fail(u, HTTP_STATUS_SERVICE_UNAVAILABLE, "the database "
		    "cannot be reached; try again soon");
		buf_free(&err);
		return (KORE_RESULT_OK);
	}
	if (upload_auth(u, conn) == 0 && upload_keep(u) == 0 &&
	    upload_open(u) == 0) {
		memset(&opts, 0, sizeof(opts));
		opts.create_missing = u->create_missing;
		opts.dry_run = u->dry_run;
		opts.comment = u->comment;
		opts.user = u->user;
		opts.read = upload_read;
		opts.arg = u;
		u->rc = store_import(conn, &opts, &u->res, &err);
		/* A refusal (a protected series) or a race, or no database. */
		if (u->rc == IMPORT_FAILED)
			upload_fail(u, PQstatus(conn) == CONNECTION_OK ?
			    HTTP_STATUS_CONFLICT :
			    HTTP_STATUS_SERVICE_UNAVAILABLE, buf_cstr(&err));
	}
	/* A kept file stays only for a second step that may come. */
	if (u->id[0] != '\0' && (u->status != 0 || u->rc != IMPORT_OK ||
	    !u->dry_run)) {
		buf_init(&path);
		buf_printf(&path, "%s/%s.csv", UPLOAD_DIR, u->id);
		(void)unlink(buf_cstr(&path));
		buf_free(&path);
		u->id[0] = '\0';
	}
	buf_free(&err);
	PQfinish(conn);
	return (KORE_RESULT_OK);
}

/* Who imports: the user of the credentials, or a failure saying why not. */
static int
upload_auth(struct upload *u, PGconn *conn)
{
	const char	*params[3], *state, *name, *role;
	PGresult	*res;
	json_t		*who;
	int		 rc;

	params[0] = u->kind;
	params[1] = u->kind != NULL ? u->hash : NULL;
	params[2] = u->csrf;
	res = PQexecParams(conn, "SELECT api.import_user($1, $2, $3)", 3,
	    NULL, params, NULL, NULL, 0);
	rc = -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		who = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
		name = json_string_value(json_object_get(who, "name"));
		role = json_string_value(json_object_get(who, "role"));
		if (name != NULL && role != NULL &&
		    strlen(name) < sizeof(u->user)) {
			memcpy(u->user, name, strlen(name) + 1);
			u->editor = !strcmp(role, "editor");
			rc = 0;
		}
		json_decref(who);
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL && !strncmp(state, "FW", 2))
		upload_fail(u, atoi(state + 2), PQresultErrorField(res,
		    PG_DIAG_MESSAGE_PRIMARY));
	else if (rc == -1)
		upload_fail(u, HTTP_STATUS_SERVICE_UNAVAILABLE, "the database "
		    "could not check who you are; try again soon");
	PQclear(res);
	if (rc == 0 && u->editor &&
	    (rc = store_exec(conn, "SET factwiki.role = 'editor'",
	    &u->message)) == -1)
		upload_fail(u, HTTP_STATUS_SERVICE_UNAVAILABLE, "the database "
		    "could not be told who you are; try again soon");
	return (rc);
}

/* The page's first step: what was sent goes to a file of its own. */
static int
upload_keep(struct upload *u)
{
	struct buf	 path;
	char		*chunk;
	ssize_t		 n;
	int		 fd, rc;

	if (u->from != FROM_FILE && u->from != FROM_TEXT)
		return (0);
	upload_sweep();
	buf_init(&path);
	buf_printf(&path, "%s/%s.csv", UPLOAD_DIR, u->id);
	if ((mkdir(UPLOAD_DIR, 0700) == -1 && errno != EEXIST) ||
	    (fd = open(buf_cstr(&path), O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0600)) == -1) {
		upload_fail(u, HTTP_STATUS_INTERNAL_ERROR, "the upload could "
		    "not be kept on the server; it was logged");
		buf_free(&path);
		u->id[0] = '\0';
		return (-1);
	}
	rc = 0;
	if (u->from == FROM_TEXT) {
		rc = write_all(fd, u->text, strlen(u->text));
	} else {
		if ((chunk = malloc(IO_CHUNK)) == NULL)
			abort();
		http_file_rewind(u->file);
		while (rc == 0 &&
		    (n = http_file_read(u->file, chunk, IO_CHUNK)) != 0)
			rc = n < 0 ? -1 : write_all(fd, chunk, (size_t)n);
		free(chunk);
	}
	if (close(fd) == -1 || rc == -1) {
		upload_fail(u, HTTP_STATUS_INTERNAL_ERROR, "the upload could "
		    "not be kept on the server; it was logged");
		rc = -1;
	}
	u->from = FROM_KEPT;
	buf_free(&path);
	return (rc);
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/* A kept file, to read: gone when imported, failed, or a day old. */
static int
upload_open(struct upload *u)
{
	struct buf	 path;

	if (u->from != FROM_KEPT)
		return (0);
	buf_init(&path);
	buf_printf(&path, "%s/%s.csv", UPLOAD_DIR, u->id);
	u->fd = open(buf_cstr(&path), O_RDONLY | O_CLOEXEC);
	buf_free(&path);
	if (u->fd == -1) {
		upload_fail(u, HTTP_STATUS_GONE, "this upload is not kept any "
		    "more (it was imported, or is older than a day): upload "
		    "the file again");
		u->id[0] = '\0';
		return (-1);
	}
	return (0);
}

/* Kept files older than UPLOAD_TTL: their second step never came. */
static void
upload_sweep(void)
{
	struct dirent	*e;
	struct stat	 st;
	DIR		*dir;
	time_t		 now;

	if ((dir = opendir(UPLOAD_DIR)) == NULL)
		return;
	now = time(NULL);
	while ((e = readdir(dir)) != NULL) {
		if (strlen(e->d_name) != UPLOAD_IDLEN + 4 ||
		    strcmp(e->d_name + UPLOAD_IDLEN, ".csv"))
			continue;
		if (fstatat(dirfd(dir), e->d_name, &st, 0) == 0 &&
		    st.st_mtime < now - UPLOAD_TTL)
			(void)unlinkat(dirfd(dir), e->d_name, 0);
	}
	closedir(dir);
}

static ssize_t
upload_read(void *arg, void *buf, size_t len)
{
	struct upload	*u = arg;
	ssize_t		 n;

	if (u->from == FROM_KEPT) {
		do {
			n = read(u->fd, buf, len);
		} while (n == -1 && errno == EINTR);
		return (n);
	}
	if (u->req->http_body == NULL && u->req->http_body_fd == -1)
		return (0);
	return (http_body_read(u->req, buf, len));
}

/* ---- back on the event loop ---- */

static json_t *
upload_summary(const struct upload *u)
{
	const struct import_result	*r = &u->res;

	return (json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:b}",
	    "rows", (json_int_t)r->rows, "added", (json_int_t)r->added,
	    "updated", (json_int_t)r->updated,
	    "unchanged", (json_int_t)r->unchanged,
	    "places_created", (json_int_t)r->places_created,
	    "variables_created", (json_int_t)r->variables_created,
	    "sources_created", (json_int_t)r->sources_created,
	    "change", r->change != 0 ? json_integer(r->change) : json_null(),
	    "dry_run", u->dry_run));
}

/* errors[] as the CLI prints them: line (0: the file), column, message. */
static json_t *
upload_errors(const struct upload *u)
{
	const struct import_error	*e;
	json_t				*list;
	size_t				 i;

	list = json_array();
	for (i = 0; i < u->res.nshown; i++) {
		e = &u->res.errors[i];
		(void)json_array_append_new(list, json_pack("{s:I, s:s?, s:s?}",
		    "line", (json_int_t)e->line, "column", e->column,
		    "message", e->message));
	}
	return (list);
}

static int
api_answer(struct http_request *req, struct upload *u)
{
	struct buf	 detail;
	json_t		*doc;
	char		*text;

	if (u->status != 0) {
		(void)render_problem(req, FACE_JSON, u->status,
		    buf_cstr(&u->message), NULL);
	} else if (u->rc == IMPORT_INVALID) {
		buf_init(&detail);
		buf_printf(&detail, "the file has %lu error%s: nothing was "
		    "imported", u->res.nerrors, u->res.nerrors == 1 ? "" : "s");
		(void)render_problem(req, FACE_JSON, 422, buf_cstr(&detail),
		    json_pack("{s:o, s:I}", "errors", upload_errors(u),
		    "error_count", (json_int_t)u->res.nerrors));
		buf_free(&detail);
	} else {
		doc = upload_summary(u);
		if ((text = json_dumps(doc, JSON_COMPACT)) == NULL)
			fatal("api_answer: out of memory");
		json_decref(doc);
		render_send(req, HTTP_STATUS_OK, "application/json", text,
		    strlen(text));
		free(text);
	}
	upload_end(req);
	return (KORE_RESULT_OK);
}

/*
 * The page after a step: the summary (and, after a dry run, the button
 * that imports the kept file), or every error with its line.
 */
static int
page_answer(struct http_request *req, struct upload *u)
{
	json_t	*doc, *form;
	int	 status;

	if (u->status == HTTP_STATUS_UNAUTHORIZED ||
	    u->status == HTTP_STATUS_FORBIDDEN) {
		status = u->status;
		(void)page_error(req, status, buf_cstr(&u->message));
		upload_end(req);
		return (KORE_RESULT_OK);
	}
	form = json_pack("{s:s?, s:b}", "comment", u->comment,
	    "create_missing", u->create_missing);
	if (u->text != NULL && strlen(u->text) <= TEXT_SHOWN &&
	    u->rc != IMPORT_OK)
		(void)json_object_set_new(form, "csv", json_string(u->text));
	doc = json_pack("{s:o}", "form", form);
	if (u->status != 0) {
		status = u->status;
		(void)json_object_set_new(doc, "problem",
		    json_string(buf_cstr(&u->message)));
	} else if (u->rc == IMPORT_INVALID) {
		status = 422;
		(void)json_object_set_new(doc, "lines", upload_errors(u));
		(void)json_object_set_new(doc, "error_count",
		    json_integer((json_int_t)u->res.nerrors));
		if (u->res.nerrors > u->res.nshown)
			(void)json_object_set_new(doc, "errors_more",
			    json_integer((json_int_t)(u->res.nerrors -
			    u->res.nshown)));
	} else {
		status = HTTP_STATUS_OK;
		(void)json_object_set_new(doc, u->dry_run ? "checked" :
		    "imported", upload_summary(u));
		if (u->dry_run)
			(void)json_object_set_new(doc, "upload",
			    json_string(u->id));
	}
	upload_end(req);
	return (page_with_user(req, "import", status, doc));
}

/* The upload form, shown again with errors when status is not 200. */
static int
page_form(struct http_request *req, int status, json_t *overlay)
{
	struct dbreq	*q;

	q = form_page(req, "import", "api.form_merge('{}', $1)", status);
	form_overlay(q, overlay);
	return (db_run(req));
}

static int
truthy(const char *s)
{
	return (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1"));
}

int
api_import(struct http_request *req)
{
	struct upload	*u;
	const char	*type, *comment;

	if (!LIST_EMPTY(&req->tasks))
		return (upload_wait(req, &u) ? api_answer(req, u) :
		    KORE_RESULT_RETRY);
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "POST");
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_METHOD_NOT_ALLOWED, "send the CSV with POST",
		    NULL));
	}
	http_populate_qs(req);
	if (params_check(req, FACE_JSON) != KORE_RESULT_OK)
		return (KORE_RESULT_OK);
	if (http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "text/csv", 8) &&
	    strncasecmp(type, "text/plain", 10))
		return (render_problem(req, FACE_JSON,
		    HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE, "send the CSV as the "
		    "body, with Content-Type: text/csv", NULL));

	u = upload_new(req);
	u->from = FROM_BODY;
	u->create_missing = param(req, "create_missing") != NULL &&
	    truthy(param(req, "create_missing"));
	u->dry_run = param(req, "dry_run") != NULL &&
	    truthy(param(req, "dry_run"));
	comment = param(req, "comment");
	u->comment = kore_strdup(comment != NULL ? comment :
	    "import through the API");
	return (upload_start(req, u, NULL));
}

int
page_import(struct http_request *req)
{
	static const char *const fields[] = {
		"comment", "create_missing", "csv", NULL
	};
	struct upload		*u;
	struct http_file	*file;
	json_t			*errors, *form;
	const char		*id, *text, *comment;
	unsigned char		 rnd[UPLOAD_IDLEN / 2];
	struct buf		 why;

	if (!LIST_EMPTY(&req->tasks))
		return (upload_wait(req, &u) ? page_answer(req, u) :
		    KORE_RESULT_RETRY);
	if (http_state_exists(req))
		return (db_run(req));
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD)
		return (page_form(req, HTTP_STATUS_OK, NULL));
	if (req->method != HTTP_METHOD_POST) {
		http_response_header(req, "allow", "GET, HEAD, POST");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "This page is read with GET and sent with POST."));
	}

	form_read(req);
	errors = json_object();
	comment = form_field(req, "comment");
	(void)text_input_check("comment", "comment", comment, COMMENT_MAX, 0,
	    0, errors);
	id = form_field(req, "upload");
	text = form_field(req, "csv");
	file = http_file_lookup(req, "file");
	if (*id != '\0' && (strlen(id) != UPLOAD_IDLEN ||
	    strspn(id, "0123456789abcdef") != UPLOAD_IDLEN))
		(void)json_object_set_new(errors, "file", json_string(
		    "this form is not one the server sent: upload the file "
		    "again"));
	else if (*id == '\0' && file == NULL && *text == '\0')
		(void)json_object_set_new(errors, "file", json_string(
		    "choose a CSV file, or paste CSV text"));
	if (json_object_size(errors) > 0) {
		form = form_fields(req, fields);
		(void)json_object_set_new(form, "create_missing",
		    json_boolean(truthy(form_field(req, "create_missing"))));
		return (page_form(req, 422, json_pack("{s:o, s:o}", "form",
		    form, "errors", errors)));
	}
	json_decref(errors);

	u = upload_new(req);
	u->create_missing = truthy(form_field(req, "create_missing"));
	buf_init(&why);
	if (*id != '\0') {
		memcpy(u->id, id, UPLOAD_IDLEN + 1);
		u->from = FROM_KEPT;
	} else {
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(u->id, sizeof(u->id), rnd, sizeof(rnd));
		u->dry_run = 1;
		if (file != NULL) {
			u->from = FROM_FILE;
			u->file = file;
			if (utf8_valid(file->filename, strlen(file->filename),
			    NULL) && utf8_length(file->filename,
			    strlen(file->filename)) <= NAME_SHOWN)
				buf_printf(&why, "import of %s",
				    file->filename);
		} else {
			u->from = FROM_TEXT;
			u->text = text;
			buf_puts(&why, "import of pasted text");
		}
	}
	u->comment = kore_strdup(*comment != '\0' ? comment :
	    why.len > 0 ? buf_cstr(&why) : "import from the web");
	buf_free(&why);
	return (upload_start(req, u, form_field(req, "csrf")));
}
