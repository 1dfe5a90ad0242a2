/*
 * The browser behind an account request: the cookies we give it, where it
 * connects from, and the pre-session token of the forms that come before
 * a session.
 *
 * The sign-in and register forms need CSRF protection too (or another
 * site could sign a visitor in as someone else), but have no session to
 * keep a token in.  They use a double-submit token: a random value in the
 * fw_pre cookie and in the form's csrf field, which must be equal.
 * Another site can make a browser post a form but can neither read nor
 * set our cookie, so it cannot know the value.  This needs no server-side
 * secret shared by the workers and kept across restarts, as a signed token
 * would.
 *
 * Our cookies are Secure when the request came over TLS: Kore's own, or
 * that of a proxy in front of it (which is how factwiki is served
 * publicly), which says X-Forwarded-Proto: https.  A client that sends
 * that header itself over plain HTTP only keeps its own browser from
 * sending the cookie back.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "account.h"
#include "fw.h"

#define PRE_COOKIE	"fw_pre"

static int		 token_syntax(const char *);
static int		 proxy_peer(const struct connection *);
static int		 forwarded_for(struct http_request *, char *, size_t);

/* As token_new() makes them: "fw_" and 43 characters of base64url. */
static int
token_syntax(const char *s)
{
	return (s != NULL && strlen(s) == TOKEN_STRLEN &&
	    !strncmp(s, "fw_", 3) &&
	    strspn(s + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == TOKEN_STRLEN - 3);
}

void
pre_token(struct http_request *req, char *token)
{
	unsigned char	 unused[TOKEN_HASHLEN];
	const char	*have;

	if (token_syntax(have = cookie_get(req, PRE_COOKIE))) {
		memcpy(token, have, TOKEN_STRLEN + 1);
		return;
	}
	token_new(token, unused);
	cookie_set(req, PRE_COOKIE, token, -1);
}

int
pre_token_ok(struct http_request *req, const char *csrf)
{
	const char	*have;

	have = cookie_get(req, PRE_COOKIE);
	return (token_syntax(have) && token_syntax(csrf) &&
	    sodium_memcmp(have, csrf, TOKEN_STRLEN) == 0);
}

void
token_cookie_param(struct http_request *req, struct dbreq *q,
    const char *name, long long lifetime)
{
	char		 token[TOKEN_STRLEN + 1], hex[2 * TOKEN_HASHLEN + 1];
	unsigned char	 hash[TOKEN_HASHLEN];

	token_new(token, hash);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	db_param(q, hex);
	cookie_set(req, name, token, lifetime);
	sodium_memzero(token, sizeof(token));
}

void
session_params(struct http_request *req, struct dbreq *q)
{
	char		 csrf[TOKEN_STRLEN + 1], old[2 * TOKEN_HASHLEN + 1];
	char		 seconds[16];
	unsigned char	 unused[TOKEN_HASHLEN];

	token_cookie_param(req, q, SESSION_COOKIE, SESSION_LIFETIME);
	token_new(csrf, unused);
	db_param(q, csrf);
	db_param(q, session_hash(req, old, sizeof(old)) ? old : NULL);
	(void)snprintf(seconds, sizeof(seconds), "%d", SESSION_LIFETIME);
	db_param(q, seconds);
}

void
session_cookie_clear(struct http_request *req)
{
	cookie_set(req, SESSION_COOKIE, "", 0);
}

/*
 * Whether the peer may be the proxy in front of us: this host, or a
 * private network (a container's, a data centre's).  Only then is its
 * X-Forwarded-For believed: a client on the Internet could otherwise name
 * a new address with each guess and so escape the limit per address.
 */
static int
proxy_peer(const struct connection *c)
{
	const unsigned char	*a;

	switch (c->family) {
	case AF_INET:
		a = (const unsigned char *)&c->addr.ipv4.sin_addr;
		break;
	case AF_INET6:
		a = c->addr.ipv6.sin6_addr.s6_addr;
		if (IN6_IS_ADDR_LOOPBACK(&c->addr.ipv6.sin6_addr) ||
		    (a[0] & 0xfe) == 0xfc)
			return (1);
		if (!IN6_IS_ADDR_V4MAPPED(&c->addr.ipv6.sin6_addr))
			return (0);
		a += 12;
		break;
	case AF_UNIX:
		return (1);
	default:
		return (0);
	}
	/* 127/8, 10/8, 172.16/12, 192.168/16 */
	return (a[0] == 127 || a[0] == 10 ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168));
}

/* The last address of X-Forwarded-For, the one our proxy added. */
static int
forwarded_for(struct http_request *req, char *out, size_t size)
{
	const char	*xff, *last;
	char		 text[INET6_ADDRSTRLEN];
	unsigned char	 bin[sizeof(struct in6_addr)];
	size_t		 len;
	int		 family;

	if (!http_request_header(req, "x-forwarded-for", &xff))
		return (-1);
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	last += strspn(last, " \t");
	len = strcspn(last, " \t");
	if (len == 0 || len >= sizeof(text))
		return (-1);
	memcpy(text, last, len);
	text[len] = '\0';
	family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(family, text, bin) != 1 ||
	    inet_ntop(family, bin, out, size) == NULL)
		return (-1);
	return (0);
}

void
client_address(struct http_request *req, char *out, size_t size)
{
	const struct connection	*c = req->owner;
	const void		*addr;

	if (proxy_peer(c) && forwarded_for(req, out, size) == 0)
		return;
	if (c->family == AF_INET)
		addr = &c->addr.ipv4.sin_addr;
	else if (c->family == AF_INET6)
		addr = &c->addr.ipv6.sin6_addr;
	else
		addr = NULL;
	if (addr == NULL || inet_ntop(c->family, addr, out, size) == NULL)
		kore_strlcpy(out, "127.0.0.1", size);
}

int
redirect(struct http_request *req, const char *location)
{
	http_response_header(req, "location", location);
	return (render_body(req, HTTP_STATUS_SEE_OTHER,
	    "text/plain; charset=utf-8", "", 0));
}

int
go_next(struct http_request *req, struct answer *a, const char *doc,
    size_t len)
{
	const char	*next;

	(void)a;
	(void)doc;
	(void)len;
	next = param(req, "next");
	if (next == NULL || !strncmp(next, "/login", 6) ||
	    !strncmp(next, "/logout", 7) || !strncmp(next, "/register", 9))
		next = "/";
	return (redirect(req, next));
}

json_t *
form_doc(struct http_request *req, const char *name, const char *next)
{
	char	 token[TOKEN_STRLEN + 1];

	pre_token(req, token);
	return (json_pack("{s:s, s:s?, s:s?, s:{}}", "csrf", token,
	    "name", name, "next", next, "errors"));
}
