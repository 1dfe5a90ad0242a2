/*
 * The factwiki server module: what the handlers share.
 *
 * A handler parses and checks its request (params.c), then either answers
 * at once or runs a database query, whose result a view (view.c) renders
 * in the face the client asked for: JSON, CSV or HTML.
 *
 * Each file uses only those below it, never one above:
 *
 *	handlers	places.c, bids.c, ... (form.c: what forms share)
 *	view.c		a resource and a handler's query, in a face
 *	body.c		a request's JSON body
 *	params.c	the query string and the path
 *	page.c		the HTML face: templates, a page's query, problems
 *	answer.c	the state of a request waiting for its query
 *	db.c		one asynchronous query; it knows no face
 *	render.c	the bytes out: headers, ETag, problem+json
 *	cache.c		this worker's public answers, kept at a version
 *	version.c	the version of the data, which the workers share
 *	session.c	the session cookie
 */

#ifndef FW_H
#define FW_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"

#define FW_DB		"db"
/* A standby's, when DATABASE_READ_URL names one (replica.c). */
#define FW_DB_READ	"read"

/* The faces of a resource. */
enum face {
	FACE_JSON,
	FACE_CSV,
	FACE_HTML
};

/* ---- params.c: the query string, the path and posted forms ---- */

/*
 * Answers 400 (problem+json or an HTML page, as face says) when the query
 * string holds a parameter the route does not declare in the conf (pages
 * ignore those), one that failed its validator, or one given twice; the
 * message names it.
 * Returns KORE_RESULT_OK when all is well, else KORE_RESULT_ERROR after
 * answering.
 */
int		 params_check(struct http_request *, enum face);
/*
 * Reads a posted urlencoded form as Kore would, but keeps the line breaks
 * of a field (Kore drops such a field, and it would be saved empty) and a
 * value's every "=".  A field the route declares that fails its validator,
 * or holds a NUL, is not dropped either: 400 names it.  Returns
 * KORE_RESULT_OK, else KORE_RESULT_ERROR after answering.
 */
int		 params_read_post(struct http_request *);
/* The value of a parameter that passed params_check(), or NULL. */
const char	*param(struct http_request *, const char *);
/*
 * The JSON or CSV face, from ?format= or the Accept header.  Parses the
 * query string first (Kore leaves that to the handler).
 */
enum face	 param_face(struct http_request *);
/*
 * Segment n of the path, counted from its end (0 is the last) into out: the
 * same for /api/v1/places/x and /places/x.  -1 when there is none, or it is
 * empty or does not fit.
 */
int		 path_tail(struct http_request *, int, char *, size_t);

/* ---- session.c: who is asking ---- */

#define SESSION_COOKIE	"fw_session"

/* Hex BLAKE2b-256 of the session cookie's token: 1, or 0 without one. */
int		 session_hash(struct http_request *, char *hex, size_t);
/* The same of another cookie that holds a token (core/account.c). */
int		 cookie_token_hash(struct http_request *, const char *name,
		    char *hex, size_t);

/*
 * A browser that signed in before holds a token of this cookie, which
 * lets its owner sign in while guessers hold the account locked
 * (sql/014_devices.sql): a year.
 */
#define DEVICE_COOKIE	"fw_device"
#define DEVICE_LIFETIME	(365 * 24 * 3600)
/* A cookie the request sent, or NULL. */
const char	*cookie_get(struct http_request *, const char *);
/* Sets a cookie: HttpOnly, SameSite=Lax, Secure over TLS; see session.c. */
void		 cookie_set(struct http_request *, const char *, const char *,
		    long long max_age);

/* A message for the next page shown (a save's "Saved."), and its cookie. */
#define NOTICE_COOKIE	"fw_notice"

/* ---- version.c: the version of what the public reads ---- */

#define VERSION_RUNLEN	16

/* In the parent, before the workers are forked: the page they share. */
void		 version_map(void);
/* At worker start: listens for the changes of other writers. */
void		 version_init(void);
/*
 * The version of the data (sql/013_version.sql), read from memory; 0 when
 * this worker does not know it (it is not listening).
 */
uint64_t	 version_now(void);
/* A version a write made, or a notice told: the version, if it is newer. */
void		 version_seen(uint64_t);
/* Random bytes of this run of the server, the same in every worker. */
const unsigned char	*version_run(void);

/* ---- replica.c: public reads from a standby ---- */

/* At worker start: the standby's pool, and the poll of its state. */
void		 replica_init(void);
void		 docs_init(void);
/* Whether req's reads go to the standby: it is up, and req is anonymous. */
int		 replica_serves(struct http_request *);
/* The version req reads: the standby's, if it serves req; else now. */
uint64_t	 replica_version(struct http_request *);
/* How far behind the standby was at its last poll, in seconds. */
const char	*replica_lag(void);
/* A read failed there as if it were gone: no reads until it answers. */
void		 replica_failed(void);
/* The header that says so on an answer read there. */
#define REPLICA_LAG_HEADER	"x-replica-lag"

/* ---- cache.c: this worker's public answers, kept at a version ---- */

/* What an answer is kept under, and at which version. */
struct cache_ticket {
	unsigned char	 key[32];	/* a hash of what it answers */
	uint64_t	 version;	/* 0: none, the answer is not kept */
	int		 keep;		/* to be kept once made */
};

/* An answer kept: its media type, the handler's headers, its body. */
struct cache_hit {
	const char	*type;
	const char	*headers;	/* for cache_replay() */
	const void	*body;
	size_t		 len;
};

/* At worker start: the budget of FACTWIKI_CACHE_MB. */
void	cache_init(void);
/*
 * The ticket of req's answer to key (a resource, as view_cached() writes
 * it), at the version req reads (replica_version()): 1, or 0 when the
 * version is not known (then nothing is kept).
 */
int	cache_ticket(struct cache_ticket *, struct http_request *,
	    const char *key, size_t len);
/* The ETag of the ticket's answer, quoted, in etag (size >= 35). */
void	cache_etag(const struct cache_ticket *, char *etag, size_t size);
/* 1 and the answer kept for the ticket, at the version now; else 0. */
int	cache_find(const struct cache_ticket *, struct cache_hit *);
/* Sets the headers that the answer's handler had set. */
void	cache_replay(struct http_request *, const struct cache_hit *);
/*
 * Keeps the answer the ticket was for: its body and type, and the
 * headers set on req so far (none of a cookie).
 */
void	cache_keep(const struct cache_ticket *, struct http_request *,
	    const char *type, const void *body, size_t len);

/* ---- db.c: one asynchronous query per request ---- */

#define DB_MAXPARAMS	12

#define DB_ROUTE_UNSET		0
#define DB_ROUTE_PRIMARY	1
#define DB_ROUTE_STANDBY	2

struct dbreq;

/*
 * What the starter of a query does with its outcome: answer the request,
 * or start another query.  done gets the first column of the first row,
 * or NULL for no row; error finds status, message and detail in the dbreq.
 */
typedef int	(*db_done_cb)(struct http_request *, struct dbreq *,
		    const char *, size_t);
typedef int	(*db_error_cb)(struct http_request *, struct dbreq *);

struct dbreq {
	struct kore_pgsql	 sql;
	struct http_request	*req;
	TAILQ_ENTRY(dbreq)	 list;		/* in flight, for db.c */
	int			 listed;
	TAILQ_ENTRY(dbreq)	 line;		/* waiting its turn */
	int			 in_line;
	int			 turn;		/* may take a connection */
	int			 finished;
	char			*query;
	int			 nparams;
	char			*params[DB_MAXPARAMS];
	char			*last;		/* db_param_last()'s */
	int			 has_last;
	db_done_cb		 done;
	db_error_cb		 error;
	char			*value;
	size_t			 value_len;
	int			 has_value;
	int			 writes;	/* the request may write */
	uint64_t		 version;	/* a write's, or 0 */
	/* Where the request reads: decided once, for all its queries. */
	int			 route;		/* DB_ROUTE_* */
	int			 fallback;	/* the standby failed: again */
	int			 said_lag;	/* REPLICA_LAG_HEADER is set */
	/* An error: an FWnnn's status, else 500 (503: no database). */
	int			 status;
	char			*message;	/* for the client */
	char			*detail;	/* an FWnnn's DETAIL, or NULL */
};

/*
 * Makes q, which the request's state begins with, run query (copied):
 * add its parameters, then return db_run(req) from the handler, on this
 * call and on every later one.  From one of q's callbacks, the query runs
 * instead of an answer (no transaction spans the two; the value the
 * callback got is gone).
 */
void		 db_start(struct dbreq *, struct http_request *,
		    const char *query, db_done_cb, db_error_cb);
/*
 * Whether the connection under sql died during its query: Kore then marks
 * the query failed and tells no callback (db_watch(), replica.c).
 */
int		 db_link_died(const struct kore_pgsql *);
/* Adds $n; NULL is SQL NULL.  The text is copied. */
void		 db_param(struct dbreq *, const char *);
/*
 * Adds the parameter that goes after all the others, those added later
 * too: for a query whose text wraps another's, written before the other's
 * parameters are known.  One at most.
 */
void		 db_param_last(struct dbreq *, const char *);
/* Frees what q holds: the onfree of the state it is in calls this. */
void		 db_clear(struct dbreq *);
/* At worker start: watches for queries whose connection died. */
void		 db_init(void);
int		 db_run(struct http_request *);

/*
 * prepare.c: names query, a read, as a statement prepared on db: 1, or 0
 * if it is to run unnamed.
 */
int		 prepare_read(PGconn *db, const char *query, char *name,
		    size_t len);

/* ---- answer.c: the state of a request waiting for its query ---- */

struct answer;
struct view;

/* A query's outcome, as db_done_cb and db_error_cb, for its starter. */
typedef int	(*answer_done_cb)(struct http_request *, struct answer *,
		    const char *, size_t);
typedef int	(*answer_error_cb)(struct http_request *, struct answer *);

struct answer {
	struct dbreq		 q;		/* first: db.c finds it */
	answer_done_cb		 done;
	answer_error_cb		 error;
	enum face		 face;		/* view.c's: the face asked for */
	const struct view	*view;		/* view.c's */
	const char		*tmpl;		/* page.c's: the page's template */
	int			 status;	/* page.c's: what it is sent with */
	const void		*arg;		/* the handler's own */
	int			 queries;	/* started for the request */
	struct cache_ticket	 ticket;	/* view.c's: to keep the answer */
};

/*
 * Starts query for req (see db_start()), the request's state made on the
 * first call and the same on later ones; all but q start at zero, for its
 * starter to fill.
 */
struct answer	*answer_start(struct http_request *, const char *query,
		    answer_done_cb, answer_error_cb);
/*
 * Ends the state of a request whose query has finished without answering,
 * so that a task may take its place (account_pw.c).
 */
void		 answer_end(struct http_request *);

/* ---- render.c: every response goes out through these ---- */

/*
 * Sends body with an ETag (and 304 when If-None-Match matches it).
 * type: the media type.
 */
int	render_body(struct http_request *, int status, const char *type,
	    const void *body, size_t len);
/*
 * The same for an answer of ticket t (NULL, or one of version 0: as
 * render_body()): its ETag is the ticket's, and it is kept.
 */
int	render_answer(struct http_request *, const struct cache_ticket *t,
	    int status, const char *type, const void *body, size_t len);
/*
 * 1 after answering 304 when If-None-Match holds the ETag of t's answer;
 * else 0, nothing done.
 */
int	render_unchanged(struct http_request *, const struct cache_ticket *t);
/* Sends body as type, with the headers that every answer carries. */
void	render_send(struct http_request *, int status, const char *type,
	    const void *body, size_t len);
/*
 * An RFC 9457 problem (application/problem+json).  extra (may be NULL)
 * adds members such as errors[]; it is consumed.
 */
int	render_problem_json(struct http_request *, int status,
	    const char *detail, json_t *extra);
/*
 * A problem whose members (status, detail, ...) the database wrote as the
 * JSON object text obj: sent as it is, with type and title added, so that
 * the numbers in it keep their digits.
 */
int	render_problem_text(struct http_request *, int status,
	    const char *obj, size_t len);
/* "Not Found", "Unprocessable Content", ... */
const char	*status_title(int);

/* ---- page.c: the HTML face ---- */

/*
 * Renders template name with the document of api.page_doc() ({"user",
 * "page"}) and sends it with status.
 */
int	page_render(struct http_request *, const char *name, int status,
	    const char *doc, size_t len);
/*
 * The same for an answer of ticket t (may be NULL; see render_answer()),
 * of media type type: an HTML page (PAGE_HTML) or a document that is none
 * (the Atom feed).
 */
int	page_render_as(struct http_request *, const struct cache_ticket *t,
	    const char *name, int status, const char *type, const char *doc,
	    size_t len);
#define PAGE_HTML	"text/html; charset=utf-8"
/*
 * Adds to key what a page's bytes depend on beyond its path and query:
 * the origin its links name.  -1 when the page is the reader's own: one
 * who is signed in, or has a notice to see.
 */
int	page_cache_key(struct http_request *, struct buf *key);
/*
 * Starts (from a handler) or chains (from a callback) the query of a page:
 * the document of expr with the signed-in user beside it (api.page_doc()),
 * for template tmpl and status, which done finds in its answer.  Add
 * expr's parameters; the session's goes after them.  A failure is an
 * error page.
 */
struct dbreq	*page_query(struct http_request *, const char *tmpl,
		    const char *expr, int status, answer_done_cb done);
/*
 * Renders template name with doc (consumed) as its page and the signed-in
 * user beside it, which costs one query: for forms shown again with their
 * errors, and pages whose document the handler built.  Called from a
 * handler it runs that query; from a done callback, it chains it.
 */
int	page_with_user(struct http_request *, const char *name, int status,
	    json_t *doc);
/* An error page: status, its title, and detail. */
int	page_error(struct http_request *, int status, const char *detail);
/*
 * The error page of a query that was refused (403, 404, 409...), from its
 * error callback: signed in, with the user in the header (a second query);
 * else, or when the database failed, page_error().
 */
int	page_refused(struct http_request *, int status, const char *detail);
/*
 * A problem in face: an error page for FACE_HTML, else
 * render_problem_json()'s (extra, consumed, is only for those).  Here, not
 * in render.c, because it needs a page.
 */
int	render_problem(struct http_request *, enum face, int status,
	    const char *detail, json_t *extra);
/* The templates of templates/, loaded at start-up. */
int	page_init(void);
/*
 * FACTWIKI_URL, read once, in the parent; without it, the server must
 * listen on loopback alone.  NULL, or why the server cannot start.
 */
const char	*page_url_init(void);

/* ---- body.c: a request's JSON body ---- */

/*
 * The body as a JSON object, when it is one of at most max bytes (the
 * route's limit); else NULL, with the status to answer (400, 413, 415) in
 * status and why in err.
 */
json_t		*body_object(struct http_request *, size_t max, int *status,
		    struct buf *err);
/* The same, or NULL after answering that problem (problem+json). */
json_t		*body_json(struct http_request *, size_t max);

/* ---- view.c: one resource, its query and its faces ---- */

/* A column of a CSV face, taken from each row of the view's array. */
struct csv_col {
	const char	*name;
	/* "a.b": a member of the row; "/a.b": of the whole document. */
	const char	*path;
	enum {
		CSV_PATH,
		CSV_SOURCE,		/* the row's source: URL or #ID */
		CSV_SOURCE_TITLE
	}		 kind;
};

/* Facts as CSV rows in the import format, for views of facts. */
extern const struct csv_col	csv_import_cols[];

#define VIEW_MAXARGS	10

struct view {
	const char		*name;		/* and its page's template */
	const char		*expr;		/* an api.*() call */
	/* The rows of the CSV face: an array member of the document. */
	const char		*csv_rows;
	const struct csv_col	*csv_cols;
	/*
	 * For view_serve(): the expression's $1, $2, ... in order, each
	 *   "/N"		segment N of the path from its end (0: last)
	 *   "?name"		a query parameter (NULL when absent)
	 *   "?name=dflt"	the same, dflt when absent
	 *   "=text"		the text itself
	 *   "text"		numbers as text (true but for the JSON face)
	 */
	const char		*args[VIEW_MAXARGS];
	const char		*missing;	/* 404 detail: no such path */
	const struct view	*page;		/* the HTML face, when other */
	/*
	 * The same answer for everyone, of the data that the version counts
	 * (sql/013_version.sql): kept in the cache, its ETag the version's.
	 */
	int			 public;
};

#define VIEW_PUBLIC	1

/*
 * The whole handler of a read: admits the request, fills the view's args,
 * runs its query and renders the face asked for.
 */
int		 view_serve(struct http_request *, const struct view *);

/*
 * Admits a GET (HEAD) request for a view: 405 for other methods, 400 for
 * bad parameters (see params_check()).  Sets the face: a page, unless the
 * path is under /api/, where the client chooses JSON or CSV.  Returns
 * KORE_RESULT_OK, or KORE_RESULT_ERROR after answering.
 */
int		 view_admit(struct http_request *, enum face *);
/* Starts the view's query in face; the handler adds its parameters. */
struct dbreq	*view_start(struct http_request *, const struct view *,
		    enum face);
/*
 * Starts (from a handler) or chains (from a callback) query, whose answer
 * goes in face: done finds it in its answer, and an error is answered
 * there (the members an FWnnn error's DETAIL holds added to its problem).
 * Add its parameters; see db_start().
 */
struct dbreq	*view_query(struct http_request *, const char *query,
		    enum face, answer_done_cb done);
/* How view_query() answers an error, for a starter that has its own. */
int		 view_failed(struct http_request *, struct answer *);
/*
 * For a public resource (see struct view): answers 304 when the client
 * holds the ETag of its answer, else the answer kept at this version,
 * without the database; 1 then.  Else 0, and t is the ticket that the
 * answer, once made, goes with (view_keep()).  page: the answer is drawn
 * by page.c (see page_cache_key()).
 */
int		 view_cached(struct http_request *, enum face, int page,
		    struct cache_ticket *t);
/* The answer of the query just started for req goes with ticket t. */
void		 view_keep(struct http_request *, const struct cache_ticket *);

/* ---- init.c ---- */

/* The OpenAPI document, read at start-up. */
extern struct buf	openapi_doc;

#endif
