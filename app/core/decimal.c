/*
 * Exact decimals as text.  A value is kept as the digits it was written
 * with; only the exponent is expanded, the way PostgreSQL's numeric does it,
 * so that what we print is what the database stores and prints back.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/decimal.h"

/* Past this, an exponent only matters for its length check. */
#define EXP_CAP		1000000

/* A double carries 15 significant decimal digits exactly. */
#define DOUBLE_DIGITS	15

static const char	*decimal_word(const char *, size_t);

/* Names of things that are not values, for a better message. */
static const char *
decimal_word(const char *s, size_t len)
{
	static const char	*words[] = {
		"nan", "inf", "infinity", NULL
	};
	size_t			 i;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		s++;
		len--;
	}
	for (i = 0; words[i] != NULL; i++) {
		if (strlen(words[i]) == len &&
		    strncasecmp(s, words[i], len) == 0)
			return ("NaN and infinities are not values; "
			    "give a number");
	}
	return (NULL);
}

int
decimal_parse(const char *s, size_t len, char *out, const char **errstr)
{
	const char	*digits, *frac;
	size_t		 i, intlen, fraclen, n, lz, k, o;
	int64_t		 expo, point, scale, intout, total;
	int		 negative, expneg, nonzero, zeroint;

	if (len == 0) {
		*errstr = "a value is required";
		return (-1);
	}
	if ((*errstr = decimal_word(s, len)) != NULL)
		return (-1);

	i = 0;
	negative = 0;
	if (s[0] == '-' || s[0] == '+') {
		negative = s[0] == '-';
		i++;
	}

	digits = s + i;
	for (intlen = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		intlen++;
	if (intlen == 0) {
		if (i < len && s[i] == '.' && i + 1 < len &&
		    s[i + 1] >= '0' && s[i + 1] <= '9')
			*errstr = "a value starts with a digit: write 0.5, "
			    "not .5";
		else
			goto nan;
		return (-1);
	}

	frac = NULL;
	fraclen = 0;
	if (i < len && s[i] == '.') {
		frac = s + ++i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			fraclen++;
		if (fraclen == 0) {
			*errstr = "a point must be followed by digits: "
			    "write 5 or 5.0, not 5.";
			return (-1);
		}
	}

	expo = 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		expneg = 0;
		if (++i < len && (s[i] == '-' || s[i] == '+')) {
			expneg = s[i] == '-';
			i++;
		}
		if (i == len || s[i] < '0' || s[i] > '9') {
			*errstr = "an exponent needs digits, as in 1.5e6";
			return (-1);
		}
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			expo = expo * 10 + (s[i] - '0');
			if (expo > EXP_CAP)
				expo = EXP_CAP;
		}
		if (expneg)
			expo = -expo;
	}

	if (i < len) {
		if (s[i] == ',')
			*errstr = "write a value without thousands "
			    "separators and with a point for decimals, "
			    "as in 1234567 or 1.5";
		else
			goto nan;
		return (-1);
	}

	/*
	 * The digits d[0..n) are the integer and fraction digits in a row;
	 * the point goes after `point' of them, and `scale' digits follow
	 * it, as PostgreSQL counts them: fraction digits minus exponent.
	 */
	n = intlen + fraclen;
	point = (int64_t)intlen + expo;
	scale = (int64_t)fraclen - expo;
	if (scale < 0)
		scale = 0;

#define DIGIT(k)	((k) < intlen ? digits[(k)] : frac[(k) - intlen])

	for (lz = 0; lz < n && DIGIT(lz) == '0'; lz++)
		;
	nonzero = lz < n;

	/* Integer digits printed: leading zeros go, one "0" stays. */
	zeroint = !nonzero || point <= 0 || (int64_t)lz >= point;
	if (zeroint)
		intout = 1;
	else
		intout = point - (int64_t)lz;
	total = (negative && nonzero) + intout + (scale > 0 ? 1 + scale : 0);
	if (total > DECIMAL_MAX - 1) {
		*errstr = "the value has too many digits";
		return (-1);
	}

	o = 0;
	if (negative && nonzero)
		out[o++] = '-';
	if (zeroint)
		out[o++] = '0';
	else {
		for (k = lz; (int64_t)k < point; k++)
			out[o++] = k < n ? DIGIT(k) : '0';
	}
	if (scale > 0) {
		out[o++] = '.';
		for (k = 0; (int64_t)k < scale; k++) {
			if (point + (int64_t)k < 0)
				out[o++] = '0';
			else
				out[o++] = DIGIT((size_t)(point + (int64_t)k));
		}
	}
	out[o] = '\0';
	return (0);

#undef DIGIT

nan:
	*errstr = "not a number: a value is digits with an optional sign, "
	    "point and exponent, as in -12.5 or 1.5e6";
	return (-1);
}

int
decimal_from_double(double d, char *out, const char **errstr)
{
	char	 text[64];
	int	 prec;

	if (!isfinite(d)) {
		*errstr = "NaN and infinities are not values; give a number";
		return (-1);
	}
	for (prec = 1; prec <= DOUBLE_DIGITS; prec++) {
		(void)snprintf(text, sizeof(text), "%.*e", prec - 1, d);
		if (strtod(text, NULL) == d)
			return (decimal_parse(text, strlen(text), out, errstr));
	}
	*errstr = "the number has more than 15 significant digits, more "
	    "than a JSON number carries exactly; send the value as a JSON "
	    "string, as in \"0.12345678901234567\"";
	return (-1);
}
