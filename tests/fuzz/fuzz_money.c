/*
 * money_parse() and money_format(): an amount parsed and written reads
 * back the same, and so does any int64_t written.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 out[MONEY_STRLEN], again[MONEY_STRLEN];
	const char	*errstr;
	int64_t		 cents, back;

	errstr = NULL;
	if (money_parse((const char *)data, size, &cents, &errstr) == 0) {
		money_format(cents, out);
		if (money_parse(out, strlen(out), &back, &errstr) != 0)
			abort();
		if (back != cents)
			abort();
		money_format(back, again);
		if (strcmp(out, again) != 0)
			abort();
	} else if (errstr == NULL || *errstr == '\0')
		abort();

	if (size >= sizeof(cents)) {
		memcpy(&cents, data, sizeof(cents));
		money_format(cents, out);
		if (strlen(out) >= MONEY_STRLEN)
			abort();
		if (money_parse(out, strlen(out), &back, &errstr) != 0)
			abort();
		if (back != cents)
			abort();
	}
	return (0);
}
