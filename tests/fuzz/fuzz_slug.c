/*
 * slug_derive() and the text checks: a derived slug is valid, deriving
 * is idempotent, and a valid slug derives to itself.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/slug.h"
#include "core/text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	char		 out[SLUG_MAX + 1], again[SLUG_MAX + 1];
	size_t		 bad, len;
	int		 valid;

	valid = utf8_valid(s, size, &bad);
	if (!valid && bad >= size)
		abort();
	if (valid && utf8_length(s, size) > size)
		abort();
	(void)url_valid(s, size);
	if (url_valid(s, size) && (!valid || size > 2000))
		abort();

	if (slug_derive(s, size, out) == 0) {
		if (!valid)
			abort();
		len = strlen(out);
		if (!slug_valid(out, len))
			abort();
		if (slug_derive(out, len, again) != 0 ||
		    strcmp(out, again) != 0)
			abort();
	}
	if (slug_valid(s, size)) {
		if (slug_derive(s, size, out) != 0)
			abort();
		if (strlen(out) != size || memcmp(out, s, size) != 0)
			abort();
	}
	return (0);
}
