/*
 * The HTML face: a template from templates/ rendered with the document the
 * database built, the signed-in user beside it.  Templates escape all
 * they print (core/tmpl.c); nothing here writes markup by hand.
 *
 * A page's query is written here: the document of an expression wrapped
 * in api.page_doc() with the reader's session, which the query runner
 * knows nothing of.
 */

#include <sys/socket.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/host.h"
#include "core/pagefilter.h"
#include "core/text.h"
#include "core/tmpl.h"
#include "fw.h"

/* FACTWIKI_URL: https://facts.example.org, the address readers use. */
#define PUBLIC_URL_ENV	"FACTWIKI_URL"
#define HOST_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789.-:[]"

static struct tmpl_set	*templates;
static char		 public_url[256];
/* Without it: a listener's host:port, for clients that name another. */
static char		 local_host[INET6_ADDRSTRLEN + 8];

static int	page_send(struct http_request *, const struct cache_ticket *,
		    const char *, int, const char *, json_t *);
static int	page_shown(struct http_request *, struct answer *,
		    const char *, size_t);
static int	page_failed(struct http_request *, struct answer *);
static int	expr_nparams(const char *);
static void	origin(struct http_request *, struct buf *);
static json_t	*query(struct http_request *);
static json_t	*notice(struct http_request *);

/*
 * http(s)://host[:port], without a path: what FACTWIKI_URL may be.  A
 * trailing slash is dropped.  Without it, every listener must be a
 * loopback one, and the first gives the links' host when the client's
 * Host does not name this machine.  NULL, or what is wrong.
 */
const char *
page_url_init(void)
{
	struct kore_server	*srv;
	struct listener		*l;
	const char		*url, *host;
	size_t			 len;

	if ((url = getenv(PUBLIC_URL_ENV)) == NULL || url[0] == '\0') {
		LIST_FOREACH(srv, &kore_servers, list) {
			LIST_FOREACH(l, &srv->listeners, list) {
				if (l->family == AF_UNIX)
					continue;
				if (!host_loopback(l->host))
					return ("bound beyond loopback, the "
					    "server needs FACTWIKI_URL, the "
					    "site's address, for its links");
				if (local_host[0] == '\0')
					(void)snprintf(local_host,
					    sizeof(local_host),
					    l->family == AF_INET6 ? "[%s]:%s" :
					    "%s:%s", l->host, l->port);
			}
		}
		return (NULL);
	}
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		host = NULL;
	if (host == NULL || host >= url + len || len >= sizeof(public_url) ||
	    strspn(host, HOST_CHARS) != (size_t)(url + len - host))
		return ("FACTWIKI_URL must be the site's address, such as "
		    "https://facts.example.org");
	memcpy(public_url, url, len);
	public_url[len] = '\0';
	return (NULL);
}

int
page_init(void)
{
	struct buf	 err;

	buf_init(&err);
	if ((templates = tmpl_set_load("templates", page_filters,
	    &err)) == NULL) {
		kore_log(LOG_ERR, "templates:\n%s", buf_cstr(&err));
		buf_free(&err);
		return (-1);
	}
	buf_free(&err);
	return (0);
}

/*
 * The notice a redirect left for this page ("Saved."), shown once: the
 * cookie goes as it is read.  null when there is none.
 */
static json_t *
notice(struct http_request *req)
{
	const char	*value;
	char		*text;
	json_t		*j;

	if ((value = cookie_get(req, NOTICE_COOKIE)) == NULL)
		return (json_null());
	cookie_set(req, NOTICE_COOKIE, "", 0);
	text = kore_strdup(value);
	j = NULL;
	if (http_argument_urldecode(text) &&
	    utf8_valid(text, strlen(text), NULL))
		j = json_string(text);
	kore_free(text);
	return (j != NULL ? j : json_null());
}

/*
 * Renders ctx (consumed) with template name and sends it as type, the
 * answer of ticket t (or NULL); a failure is a plain 500.
 */
static int
page_send(struct http_request *req, const struct cache_ticket *t,
    const char *name, int status, const char *type, json_t *ctx)
{
	struct buf	 out, err;
	static const char oops[] = "the page could not be drawn; it was logged";

	buf_init(&out);
	origin(req, &out);
	(void)json_object_set_new(ctx, "path", json_string(req->path));
	(void)json_object_set_new(ctx, "origin", json_string(buf_cstr(&out)));
	buf_reset(&out);
	(void)json_object_set_new(ctx, "query", query(req));
	(void)json_object_set_new(ctx, "notice", notice(req));
	buf_init(&err);
	if (tmpl_render(templates, name, ctx, &out, &err) == -1) {
		kore_log(LOG_ERR, "template %s: %s", name, buf_cstr(&err));
		render_send(req, HTTP_STATUS_INTERNAL_ERROR,
		    "text/plain; charset=utf-8", oops, sizeof(oops) - 1);
	} else {
		(void)render_answer(req, t, status, type, out.data, out.len);
	}
	buf_free(&out);
	buf_free(&err);
	json_decref(ctx);
	return (KORE_RESULT_OK);
}

/*
 * scheme://host of this server, for links that leave the site (citations,
 * feeds), into out: FACTWIKI_URL; else, on loopback, the Host the client
 * asked for when it names this machine, or the listener's (behind a TLS
 * proxy, its X-Forwarded-Proto says https).  Never another Host: a shared
 * cache would keep the links it chose.
 */
static void
origin(struct http_request *req, struct buf *out)
{
	const char	*proto, *host;

	if (public_url[0] != '\0') {
		buf_puts(out, public_url);
		return;
	}
	if (!http_request_header(req, "x-forwarded-proto", &proto) ||
	    strcmp(proto, "https"))
		proto = "http";
	host = req->host;
	if (host == NULL || !host_header_loopback(host))
		host = local_host;
	buf_printf(out, "%s://%s", proto, host);
}

int
page_cache_key(struct http_request *req, struct buf *key)
{
	if (cookie_get(req, SESSION_COOKIE) != NULL ||
	    cookie_get(req, NOTICE_COOKIE) != NULL)
		return (-1);
	buf_putc(key, '\n');
	origin(req, key);
	return (0);
}

/*
 * The query string's parameters that passed their validators, for forms
 * that show what was asked and links to the next page that keep it.  Only
 * a GET's: a form posted back may hold a password.
 */
static json_t *
query(struct http_request *req)
{
	struct http_arg	*arg;
	json_t		*q;

	if ((q = json_object()) == NULL)
		fatal("query: out of memory");
	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD)
		return (q);
	TAILQ_FOREACH(arg, &req->arguments, list)
		(void)json_object_set_new(q, arg->name,
		    json_string(arg->s_value));
	return (q);
}

int
page_render(struct http_request *req, const char *name, int status,
    const char *doc, size_t len)
{
	return (page_render_as(req, NULL, name, status, PAGE_HTML, doc, len));
}

int
page_render_as(struct http_request *req, const struct cache_ticket *t,
    const char *name, int status, const char *type, const char *doc,
    size_t len)
{
	json_t		*ctx;
	json_error_t	 jerr;

	if ((ctx = json_loadb(doc, len, 0, &jerr)) == NULL)
		fatal("page %s: the database sent bad JSON: %s", name,
		    jerr.text);
	return (page_send(req, t, name, status, type, ctx));
}

/* The highest $n that expr names: the session's $n comes after. */
static int
expr_nparams(const char *expr)
{
	const char	*p;
	int		 n, max;

	max = 0;
	for (p = strchr(expr, '$'); p != NULL; p = strchr(p + 1, '$')) {
		n = atoi(p + 1);
		if (n > max)
			max = n;
	}
	return (max);
}

struct dbreq *
page_query(struct http_request *req, const char *tmpl, const char *expr,
    int status, answer_done_cb done)
{
	struct answer	*a;
	struct buf	 sql;
	char		 hex[65];

	buf_init(&sql);
	buf_printf(&sql, "SELECT api.page_doc(decode($%d, 'hex'), %s)",
	    expr_nparams(expr) + 1, expr);
	a = answer_start(req, buf_cstr(&sql), done, page_failed);
	buf_free(&sql);
	a->face = FACE_HTML;
	a->tmpl = tmpl;
	a->status = status;
	/* The handler adds expr's parameters once this returns. */
	db_param_last(&a->q, session_hash(req, hex, sizeof(hex)) ? hex :
	    NULL);
	return (&a->q);
}

static int
page_failed(struct http_request *req, struct answer *a)
{
	return (page_refused(req, a->q.status, a->q.message));
}

int
page_refused(struct http_request *req, int status, const char *detail)
{
	json_t	*doc;
	char	 hex[65];

	/*
	 * Signed in, the header still says who: a second query finds them.
	 * Not when the database failed: that query would fail too.
	 */
	if (status >= 500 || !session_hash(req, hex, sizeof(hex)) ||
	    (doc = json_pack("{s:i, s:s, s:s}", "status", status, "title",
	    status_title(status), "detail", detail)) == NULL)
		return (page_error(req, status, detail));
	return (page_with_user(req, "error", status, doc));
}

static int
page_shown(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	return (page_render(req, a->tmpl, a->status, doc, len));
}

int
page_with_user(struct http_request *req, const char *name, int status,
    json_t *doc)
{
	struct dbreq	*q;
	char		*text;
	int		 chained;

	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text == NULL)
		fatal("page_with_user: out of memory");
	chained = http_state_exists(req);
	q = page_query(req, name, "$1::json", status, page_shown);
	db_param(q, text);
	free(text);
	return (chained ? KORE_RESULT_OK : db_run(req));
}

int
page_error(struct http_request *req, int status, const char *detail)
{
	json_t	*ctx;

	ctx = json_pack("{s:n, s:{s:i, s:s, s:s}}", "user", "page",
	    "status", status, "title", status_title(status),
	    "detail", detail);
	if (ctx == NULL)
		ctx = json_pack("{s:n, s:{s:i}}", "user", "page", "status",
		    status);
	return (page_send(req, NULL, "error", status, PAGE_HTML, ctx));
}

int
render_problem(struct http_request *req, enum face face, int status,
    const char *detail, json_t *extra)
{
	if (face != FACE_HTML)
		return (render_problem_json(req, status, detail, extra));
	if (extra != NULL)
		json_decref(extra);
	return (page_error(req, status, detail));
}
