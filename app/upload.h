/*
 * Imports from the web (upload*.c): the API's POST /api/v1/imports
 * (upload_api.c), whose body is the CSV, and the page /import
 * (upload_page.c), a file or pasted text, checked first and then
 * imported.
 *
 * Both run the importer of the command line (store/import.c) in a task
 * thread, on a connection of its own (upload.c): an import is one
 * transaction that may take a while, and the event loop must not wait
 * for it.  The task checks the credentials first, on that connection,
 * and imports as that user; for an editor the connection says so
 * (factwiki.role), and a trigger then refuses rows of protected series
 * (sql/006_editing.sql).
 *
 * The request's state is the import until its task ends, then a query
 * of db.c for the page (account_pw.c does the same): a task bound to the
 * request says which.
 */

#ifndef FW_UPLOAD_H
#define FW_UPLOAD_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include "core/account.h"
#include "store/import.h"
#include "auth.h"

#define UPLOAD_IDLEN	32		/* hex of 16 random bytes */

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

/* The request's state, a new import: the handler fills it in. */
struct upload	*upload_new(struct http_request *);
/*
 * Starts the task, with the credentials of the request (csrf: the form's
 * field, or NULL); the handler returns what this does, and then waits.
 */
int		 upload_start(struct http_request *, struct upload *,
		    const char *csrf);
/*
 * 1 and *up once the task of req has finished; else 0, and the request
 * sleeps until the task wakes it.
 */
int		 upload_wait(struct http_request *, struct upload **);
/* The task is over and answered for: the state may be a query's now. */
void		 upload_end(struct http_request *);

/*
 * What the import did; errors[] as the CLI prints them: line (0: the
 * file), column, message.
 */
json_t		*upload_summary(const struct upload *);
json_t		*upload_errors(const struct upload *);

/* 1 for a flag that is set: a checkbox's "on", or "true" or "1". */
int		 upload_flag(const char *);

#endif
