/*
 * Money: signed 64-bit integers of minor units (cents), two fraction digits.
 */

#ifndef FW_MONEY_H
#define FW_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* |bid| <= 1,000,000,000.00 */
#define MONEY_BID_MAX		INT64_C(100000000000)
/* "-9223372036854775808.00" and its NUL fit. */
#define MONEY_STRLEN		32

/*
 * Parses "12", "12.3", "12.34", "-5", "+5": optional sign, digits, optional
 * "." and one or two digits.  Refuses more fraction digits, exponents,
 * thousands separators, spaces and anything else.  Returns 0, or -1 with
 * *errstr set to a message fit for a user.  The range is that of int64_t;
 * callers check their own limits (MONEY_BID_MAX).
 */
int	money_parse(const char *s, size_t len, int64_t *cents,
	    const char **errstr);

/* Writes "-1000.00" style text into out (MONEY_STRLEN bytes). */
void	money_format(int64_t cents, char *out);

#endif
