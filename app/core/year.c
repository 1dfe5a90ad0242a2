/*
 * Years: whole numbers, negative for BCE.
 */

#include <stddef.h>

#include "core/year.h"

int
year_parse(const char *s, size_t len, int *year, const char **errstr)
{
	size_t	 i, ndigits;
	int	 negative, v;

	if (len == 0) {
		*errstr = "a year is required";
		return (-1);
	}
	i = 0;
	negative = s[0] == '-';
	if (negative)
		i++;

	/* Leading zeros are harmless; v stops growing once out of range. */
	v = 0;
	for (ndigits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		ndigits++;
		if (v <= YEAR_MAX)
			v = v * 10 + (s[i] - '0');
	}
	if (ndigits > 0 && i < len && (s[i] == '.' || s[i] == ',')) {
		*errstr = "a year is a whole number, as in 2020";
		return (-1);
	}
	if (ndigits == 0 || i < len) {
		*errstr = "not a year: a year is digits with an optional "
		    "minus for BCE, as in 2020 or -500";
		return (-1);
	}
	if (v > YEAR_MAX) {
		*errstr = "a year is between -9999 and 9999";
		return (-1);
	}
	*year = negative ? -v : v;
	return (0);
}
