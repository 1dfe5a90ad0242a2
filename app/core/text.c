/*
 * Checks on text that arrives from users.  UTF-8 is checked strictly (RFC
 * 3629): what passes here is stored as is, and PostgreSQL refuses
 * overlong forms, surrogates and NUL anyway, later and less helpfully.
 */

#include <stddef.h>
#include <stdint.h>
#include <strings.h>

#include "core/buf.h"
#include "core/text.h"

#define URL_MAX		2000

static size_t	utf8_seq(const unsigned char *, size_t);
static int	url_bad_cp(uint32_t);

/*
 * Length of the valid sequence at s (n > 0 bytes available), or 0 when it
 * is not one.  The ranges are those of RFC 3629, section 4.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char	 c, lo, hi;
	size_t		 need, i;

	c = s[0];
	if (c >= 0x01 && c <= 0x7f)
		return (1);
	lo = 0x80;
	hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return (0);	/* NUL, continuation, 0xc0, 0xc1, 0xf5.. */

	if (n < need)
		return (0);
	if (s[1] < lo || s[1] > hi)
		return (0);
	for (i = 2; i < need; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return (0);
	}
	return (need);
}

int
utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n;

	i = 0;
	while (i < len) {
		/* Most text is ASCII: skip it without the full decoder. */
		if (u[i] >= 0x01 && u[i] <= 0x7f) {
			i++;
			continue;
		}
		if ((n = utf8_seq(u + i, len - i)) == 0) {
			if (bad != NULL)
				*bad = i;
			return (0);
		}
		i += n;
	}
	return (1);
}

size_t
utf8_length(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n;

	n = 0;
	for (i = 0; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

/* Code points that no URL holds: C1 controls and Unicode spaces. */
static int
url_bad_cp(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0xa0)
		return (1);
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000 || cp == 0xfeff)
		return (1);
	return (0);
}

int
url_valid(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n, host, end, k;
	uint32_t		 cp;

	if (len > URL_MAX)
		return (0);
	if (len >= 7 && strncasecmp(s, "http://", 7) == 0)
		host = 7;
	else if (len >= 8 && strncasecmp(s, "https://", 8) == 0)
		host = 8;
	else
		return (0);

	for (i = 0; i < len; i += n) {
		if (u[i] <= 0x20 || u[i] == 0x7f)
			return (0);
		if (u[i] < 0x80) {
			n = 1;
			continue;
		}
		if ((n = utf8_seq(u + i, len - i)) == 0)
			return (0);
		cp = u[i] & (0xff >> (n + 1));
		for (k = 1; k < n; k++)
			cp = (cp << 6) | (u[i + k] & 0x3f);
		if (url_bad_cp(cp))
			return (0);
	}

	/* The authority ends at the path, query or fragment. */
	for (end = host; end < len; end++) {
		if (s[end] == '/' || s[end] == '?' || s[end] == '#')
			break;
	}
	/* Skip user information; what is left is host[:port]. */
	for (i = end; i > host; i--) {
		if (s[i - 1] == '@') {
			host = i;
			break;
		}
	}
	if (host < end && s[host] == '[') {
		/* An IPv6 literal: [addr], then maybe a port. */
		for (i = host + 1; i < end && s[i] != ']'; i++)
			;
		if (i == end || i == host + 1)
			return (0);
		i++;
	} else {
		for (i = host; i < end && s[i] != ':'; i++)
			;
		if (i == host)
			return (0);
	}
	if (i < end) {
		if (s[i] != ':')
			return (0);
		for (i++; i < end; i++) {
			if (s[i] < '0' || s[i] > '9')
				return (0);
		}
	}
	return (1);
}

int
text_check(const char *s, size_t len, size_t max, int multiline,
    const char *label, struct buf *msg)
{
	size_t		 i, cps;
	unsigned char	 b;

	/* One pass: controls, and code points (bytes but continuations). */
	cps = 0;
	for (i = 0; i < len; i++) {
		b = (unsigned char)s[i];
		cps += (b & 0xc0) != 0x80;
		if (b >= 0x20 && b != 0x7f)
			continue;
		if (multiline && (b == '\n' || b == '\r' || b == '\t'))
			continue;
		buf_puts(msg, multiline ?
		    "the text holds a control character" :
		    "the text holds a line break or another control "
		    "character");
		return (-1);
	}
	if (cps > max) {
		buf_printf(msg, "the %s is longer than %zu characters", label,
		    max);
		return (-1);
	}
	return (0);
}
