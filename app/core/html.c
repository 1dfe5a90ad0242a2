/*
 * HTML and URL escaping.  Output is valid UTF-8 and XML whatever the input.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/html.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

static size_t	utf8_char(const unsigned char *, size_t);
static void	escape(struct buf *, const char *, size_t, int);
static void	real_text(struct buf *, double);

/*
 * Length of the UTF-8 sequence at s that may appear in a page, or 0: not
 * UTF-8 (overlong, surrogate, above U+10FFFF, truncated), a C1 control or
 * U+FFFE/U+FFFF, which XML forbids.  ASCII is the caller's business.
 */
static size_t
utf8_char(const unsigned char *s, size_t len)
{
	unsigned char	 c;

	c = s[0];
	if (c < 0xc2 || c > 0xf4)
		return (0);
	if (c < 0xe0) {
		if (len < 2 || (s[1] & 0xc0) != 0x80)
			return (0);
		if (c == 0xc2 && s[1] < 0xa0)
			return (0);
		return (2);
	}
	if (c < 0xf0) {
		if (len < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return (0);
		if (c == 0xe0 && s[1] < 0xa0)
			return (0);
		if (c == 0xed && s[1] >= 0xa0)
			return (0);
		if (c == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
			return (0);
		return (3);
	}
	if (len < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
	    (s[3] & 0xc0) != 0x80)
		return (0);
	if (c == 0xf0 && s[1] < 0x90)
		return (0);
	if (c == 0xf4 && s[1] >= 0x90)
		return (0);
	return (4);
}

static void
escape(struct buf *b, const char *s, size_t len, int attr)
{
	const unsigned char	*u = (const unsigned char *)s;
	const char		*rep;
	size_t			 i, n, run;

	if (len == 0)
		return;
	run = 0;
	for (i = 0; i < len; i += n) {
		rep = NULL;
		n = 1;
		if (u[i] >= 0x80) {
			if ((n = utf8_char(u + i, len - i)) == 0) {
				rep = REPLACEMENT;
				n = 1;
			}
		} else {
			switch (u[i]) {
			case '&':
				rep = "&amp;";
				break;
			case '<':
				rep = "&lt;";
				break;
			case '>':
				rep = "&gt;";
				break;
			case '"':
				rep = "&quot;";
				break;
			case '\'':
				rep = "&#39;";
				break;
			case '\t':
				rep = attr ? "&#9;" : NULL;
				break;
			case '\n':
				rep = attr ? "&#10;" : NULL;
				break;
			case '\r':
				rep = attr ? "&#13;" : NULL;
				break;
			default:
				if (u[i] < 0x20 || u[i] == 0x7f)
					rep = REPLACEMENT;
				break;
			}
		}
		if (rep != NULL) {
			buf_append(b, s + run, i - run);
			buf_puts(b, rep);
			run = i + n;
		}
	}
	buf_append(b, s + run, len - run);
}

void
html_text(struct buf *b, const char *s, size_t len)
{
	escape(b, s, len, 0);
}

void
html_puts(struct buf *b, const char *s)
{
	escape(b, s, strlen(s), 0);
}

void
html_attr(struct buf *b, const char *s, size_t len)
{
	escape(b, s, len, 1);
}

void
html_url_component(struct buf *b, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	char			 pct[3];
	size_t			 i, run;

	if (len == 0)
		return;
	run = 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			continue;
		buf_append(b, s + run, i - run);
		pct[0] = '%';
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 0x0f];
		buf_append(b, pct, sizeof(pct));
		run = i + 1;
	}
	buf_append(b, s + run, len - run);
}

int
html_href_ok(const char *s, size_t len)
{
	static const char	*allowed[] = { "http", "https", "mailto" };
	size_t			 i, k;

	/* Browsers drop tabs and newlines anywhere: "java\tscript:". */
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return (0);
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			return (1);
		if (s[i] == ':')
			break;
	}
	if (i == len)
		return (1);
	for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++) {
		if (strlen(allowed[k]) == i &&
		    strncasecmp(s, allowed[k], i) == 0)
			return (1);
	}
	return (0);
}

void
html_href(struct buf *b, const char *s, size_t len)
{
	if (html_href_ok(s, len))
		html_attr(b, s, len);
	else
		buf_putc(b, '#');
}

/*
 * The shortest "%.*g" that reads back as d, written without an exponent
 * when that stays short (1000000, not 1e+06).
 */
static void
real_text(struct buf *b, double d)
{
	char	 s[64];
	int	 prec, e, frac;

	if (!isfinite(d))
		return;
	for (prec = 1; prec < 17; prec++) {
		(void)snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	(void)snprintf(s, sizeof(s), "%.*g", prec, d);
	if (strchr(s, 'e') != NULL && d != 0.0 && fabs(d) >= 1e-6 &&
	    fabs(d) < 1e21) {
		e = (int)floor(log10(fabs(d)));
		frac = prec - 1 - e;
		(void)snprintf(s, sizeof(s), "%.*f", frac < 0 ? 0 : frac, d);
	}
	buf_puts(b, s);
}

void
html_value_text(struct buf *b, const json_t *v)
{
	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		buf_append(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		real_text(b, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_puts(b, "true");
		break;
	case JSON_FALSE:
		buf_puts(b, "false");
		break;
	default:
		break;
	}
}
