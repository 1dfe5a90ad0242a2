/*
 * utc_parse(): a time parsed and written in its normal form reads back as
 * the same instant and the same text, with or without its optional zone.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 out[UTC_STRLEN], again[UTC_STRLEN];
	const char	*errstr;
	int64_t		 usec, back;
	int		 optional;

	for (optional = 0; optional < 2; optional++) {
		errstr = NULL;
		if (utc_parse((const char *)data, size, optional, &usec, out,
		    &errstr) != 0) {
			if (errstr == NULL || *errstr == '\0')
				abort();
			continue;
		}
		if (strlen(out) >= UTC_STRLEN || usec < 0)
			abort();
		if (utc_parse(out, strlen(out), 0, &back, again, &errstr) != 0)
			abort();
		if (back != usec || strcmp(out, again) != 0)
			abort();
	}
	return (0);
}
