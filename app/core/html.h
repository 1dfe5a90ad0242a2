/*
 * Escaping: every byte of page output that does not come from a template
 * file goes through one of these.  The output is also well-formed XML, so
 * the same functions serve the SVG charts.
 *
 * Text and attributes alike get & < > " ' escaped, which is safe in element
 * content and inside a quoted attribute value (never write an unquoted
 * one).  Bytes that are not valid UTF-8, NUL and the other control
 * characters (except tab, LF, CR), C1 controls and U+FFFE/U+FFFF become
 * U+FFFD: the page stays valid UTF-8 and XML whatever a user typed.
 */

#ifndef FW_HTML_H
#define FW_HTML_H

#include <stddef.h>

#include <jansson.h>

struct buf;

/* Element content (and quoted attributes): & < > " ' escaped. */
void	html_text(struct buf *, const char *, size_t);
void	html_puts(struct buf *, const char *);

/*
 * A quoted attribute value: as html_text, and tab, LF and CR as character
 * references, which XML attribute normalisation would otherwise turn into
 * spaces.
 */
void	html_attr(struct buf *, const char *, size_t);

/*
 * A URL path segment or query component: every byte but the RFC 3986
 * unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX.  The result needs no
 * further escaping in an attribute.
 */
void	html_url_component(struct buf *, const char *, size_t);

/*
 * 1 if s may go in an href: an http:, https: or mailto: URL, or a relative
 * one (no scheme).  0 for any other scheme (javascript:, data:, ...) and for
 * control characters, which browsers strip before looking at the scheme.
 */
int	html_href_ok(const char *, size_t);

/* The URL attribute-escaped when html_href_ok(), else "#". */
void	html_href(struct buf *, const char *, size_t);

/*
 * The display text of a JSON scalar, NOT escaped (the caller escapes it):
 * a string as is, an integer in decimal, a real as the shortest decimal
 * that reads back as the same double (never "%.17g" noise), true/false;
 * nothing for null, NULL, objects and arrays.
 */
void	html_value_text(struct buf *, const json_t *);

#endif
