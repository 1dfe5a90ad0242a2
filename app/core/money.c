/*
 * Money as int64_t minor units.  Parsing is strict: what a user typed is
 * either exactly an amount or refused with a reason.
 */

#include <stdint.h>
#include <stdio.h>

#include "core/money.h"

int
money_parse(const char *s, size_t len, int64_t *cents, const char **errstr)
{
	const char	*frac;
	size_t		 i, intdigits, fracdigits;
	int		 negative, k;
	unsigned	 digit;
	uint64_t	 mag, limit;

	i = 0;
	negative = 0;
	if (len == 0) {
		*errstr = "an amount is required";
		return (-1);
	}
	if (s[0] == '-' || s[0] == '+') {
		negative = s[0] == '-';
		i++;
	}

	/* -INT64_MIN is one more than INT64_MAX. */
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	mag = 0;
	for (intdigits = 0; i < len && s[i] >= '0' && s[i] <= '9';
	    i++, intdigits++) {
		if (mag > (limit - (uint64_t)(s[i] - '0')) / 10)
			goto toolarge;
		mag = mag * 10 + (uint64_t)(s[i] - '0');
	}
	if (intdigits == 0) {
		*errstr = "an amount starts with digits, as in 12.50";
		return (-1);
	}

	fracdigits = 0;
	frac = NULL;
	if (i < len && s[i] == '.') {
		frac = s + i;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++fracdigits > 2) {
				*errstr = "an amount has at most two digits "
				    "after the point";
				return (-1);
			}
		}
		if (fracdigits == 0) {
			*errstr = "a point must be followed by digits, "
			    "as in 12.50";
			return (-1);
		}
	}

	if (i < len) {
		if (s[i] == ',')
			*errstr = "write an amount without thousands "
			    "separators, as in 1234.50";
		else if (s[i] == 'e' || s[i] == 'E')
			*errstr = "write an amount without an exponent, "
			    "as in 1500000.00";
		else
			*errstr = "an amount is digits with an optional "
			    "sign and point, as in -12.50";
		return (-1);
	}

	/* Scale to cents: two more digits, padding the fraction. */
	for (k = 0; k < 2; k++) {
		digit = 0;
		if (frac != NULL && (size_t)k < fracdigits)
			digit = (unsigned)(frac[1 + k] - '0');
		if (mag > (limit - digit) / 10)
			goto toolarge;
		mag = mag * 10 + digit;
	}

	if (negative)
		*cents = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)mag;
	else
		*cents = (int64_t)mag;
	return (0);

toolarge:
	*errstr = "the amount is too large";
	return (-1);
}

void
money_format(int64_t cents, char *out)
{
	uint64_t	 mag;

	mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	(void)snprintf(out, MONEY_STRLEN, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
}
