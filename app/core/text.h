/*
 * Checks on text that arrives from users: encoding and URLs.
 */

#ifndef FW_TEXT_H
#define FW_TEXT_H

#include <stddef.h>

struct buf;

/*
 * 1 if s[0..len) is valid UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF) and holds no NUL, else 0; *bad (when not NULL) is then
 * the offset of the first offending byte.
 */
int	utf8_valid(const char *s, size_t len, size_t *bad);

/* Number of code points of valid UTF-8. */
size_t	utf8_length(const char *s, size_t len);

/*
 * 1 if s[0..len) is an absolute http or https URL (the scheme in any case)
 * with a host (and a port, if any, of digits), no spaces nor control
 * characters (Unicode spaces and C1 controls neither), valid UTF-8, at
 * most 2000 bytes; else 0.
 */
int	url_valid(const char *s, size_t len);

/*
 * Text typed for a field that label names ("note"): at most max code
 * points, no control characters (but line ends and tabs when multiline).
 * s is valid UTF-8.  Returns 0, or -1 with a message fit for a user
 * appended to msg ("the note is longer than 2000 characters").
 */
int	text_check(const char *s, size_t len, size_t max, int multiline,
	    const char *label, struct buf *msg);

#endif
