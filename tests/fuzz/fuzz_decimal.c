/*
 * decimal_parse(): what it writes is canonical, so that parsing it again
 * gives it back; and decimal_from_double() gives text that reads back as
 * the same double.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	check_canonical(const char *);

/* As PostgreSQL prints numeric: -?(0|[1-9][0-9]*)(\.[0-9]+)?, no "-0". */
static void
check_canonical(const char *s)
{
	size_t	 i, len;

	len = strlen(s);
	if (len == 0 || len >= DECIMAL_MAX)
		abort();
	i = s[0] == '-';
	/* No leading zero but "0" itself; no "-0". */
	if (s[i] < '0' || s[i] > '9')
		abort();
	if (s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9')
		abort();
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (s[i] == '.') {
		if (s[++i] == '\0')
			abort();
		for (; s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if (s[i] != '\0')
		abort();
	if (s[0] == '-' && strspn(s + 1, "0.") == len - 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 out[DECIMAL_MAX], again[DECIMAL_MAX];
	const char	*errstr;
	double		 d;

	errstr = NULL;
	if (decimal_parse((const char *)data, size, out, &errstr) == 0) {
		check_canonical(out);
		if (decimal_parse(out, strlen(out), again, &errstr) != 0)
			abort();
		if (strcmp(out, again) != 0)
			abort();
	} else if (errstr == NULL || *errstr == '\0')
		abort();

	if (size >= sizeof(d)) {
		memcpy(&d, data, sizeof(d));
		errstr = NULL;
		if (decimal_from_double(d, out, &errstr) == 0) {
			check_canonical(out);
			if (strtod(out, NULL) != d)
				abort();
		} else if (errstr == NULL)
			abort();
	}
	return (0);
}
