/*
 * Writing CSV (RFC 4180), in the format that factcsv.c reads back, with no
 * cell that a spreadsheet would run.
 */

#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/csvout.h"
#include "core/decimal.h"

static int	csv_needs_quotes(const char *, size_t);

/*
 * Quotes where RFC 4180 needs them, and around leading or trailing spaces
 * and tabs: our reader keeps those, but many others (and libcsv's default)
 * drop them from unquoted fields.
 */
static int
csv_needs_quotes(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return (0);
	if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
	    s[len - 1] == '\t')
		return (1);
	for (i = 0; i < len; i++) {
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return (1);
	}
	return (0);
}

int
csv_formula_like(const char *s, size_t len)
{
	char		 canon[DECIMAL_MAX];
	const char	*errstr;

	while (len > 0 && *s == '\'') {
		s++;
		len--;
	}
	if (len == 0 || memchr("=+-@\t\r", *s, 6) == NULL)
		return (0);
	return (decimal_parse(s, len, canon, &errstr) == -1);
}

void
csv_field_read(const char **s, size_t *len)
{
	if (*len > 1 && **s == '\'' && csv_formula_like(*s + 1, *len - 1)) {
		(*s)++;
		(*len)--;
	}
}

void
csv_field(struct buf *b, const char *s, size_t len, int first)
{
	const char	*q, *end;
	int		 quoted;

	if (!first)
		buf_putc(b, ',');
	if ((quoted = csv_needs_quotes(s, len)))
		buf_putc(b, '"');
	if (csv_formula_like(s, len))
		buf_putc(b, '\'');
	if (!quoted) {
		buf_append(b, s, len);
		return;
	}
	end = s + len;
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		buf_append(b, s, (size_t)(q - s) + 1);
		buf_putc(b, '"');
		s = q + 1;
	}
	buf_append(b, s, (size_t)(end - s));
	buf_putc(b, '"');
}

/*
 * LF, not RFC 4180's CRLF: what Unix tools and most programs expect, and
 * the import (ours, and every common reader) takes either.
 */
void
csv_endrow(struct buf *b)
{
	buf_putc(b, '\n');
}
