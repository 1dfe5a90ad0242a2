/*
 * An import from the web, whichever face asked for it (upload.h): its
 * task, which checks who asks and runs the importer, and the files the
 * page keeps.
 *
 * The page keeps the file it checked as var/uploads/ID.csv, ID random,
 * for its second step: a browser cannot send a file input's file again,
 * and the ID is known to the uploader only.  A kept file goes once it is
 * imported or fails its check; those older than a day go at the next
 * upload.
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
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "upload.h"

#define UPLOAD_DIR	"var/uploads"
#define UPLOAD_TTL	(24 * 60 * 60)
#define IO_CHUNK	(64 * 1024)

static void		 upload_free(struct http_request *);
static int		 upload_task(struct kore_task *);
static void		 upload_fail(struct upload *, int, const char *);
static int		 upload_auth(struct upload *, PGconn *);
static int		 upload_keep(struct upload *);
static int		 upload_open(struct upload *);
static void		 upload_sweep(void);
static ssize_t		 upload_read(void *, void *, size_t);
static int		 write_all(int, const void *, size_t);

struct upload *
upload_new(struct http_request *req)
{
	struct upload	*u;

	u = http_state_create(req, sizeof(*u), upload_free);
	u->req = req;
	u->fd = -1;
	buf_init(&u->message);
	return (u);
}

int
upload_start(struct http_request *req, struct upload *u, const char *csrf)
{
	auth_credentials(req, csrf, &u->kind, u->hash, &csrf);
	u->csrf = csrf != NULL ? kore_strdup(csrf) : NULL;
	kore_task_create(&u->task, upload_task);
	kore_task_bind_request(&u->task, req);
	kore_task_run(&u->task);
	return (KORE_RESULT_RETRY);
}

int
upload_wait(struct http_request *req, struct upload **up)
{
	*up = http_state_get(req);
	if (kore_task_finished(&(*up)->task)) {
		/* As db.c for a write: every worker reads what it wrote. */
		if ((*up)->rc == IMPORT_OK && (*up)->res.version != 0)
			version_seen((uint64_t)(*up)->res.version);
		return (1);
	}
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

void
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

json_t *
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

json_t *
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

int
upload_flag(const char *s)
{
	return (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1"));
}
