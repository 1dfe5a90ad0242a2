/*
 * UTC times.  Strict, like the other parsers: local times and other
 * offsets are refused rather than guessed at, since a proposal's closing
 * time decides which bids count.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/utc.h"

static int	digits(const char *, size_t, size_t, size_t, int *);
static int64_t	days_from_civil(int, int, int);

/* The n digits at s[at] as a number; -1 when they are not all digits. */
static int
digits(const char *s, size_t len, size_t at, size_t n, int *value)
{
	size_t	 i;

	*value = 0;
	if (at + n > len)
		return (-1);
	for (i = at; i < at + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*value = *value * 10 + (s[i] - '0');
	}
	return (0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

int
utc_parse(const char *s, size_t len, int zone_optional, int64_t *usec,
    char out[UTC_STRLEN], const char **errstr)
{
	char	 date[DATE_LEN];
	int	 y, mo, d, h, mi, sec, frac, nfrac;
	size_t	 i;

	*errstr = "a time is written 2024-05-01T12:00:00Z (UTC)";
	if (len < 16 || digits(s, len, 0, 4, &y) == -1 || s[4] != '-' ||
	    digits(s, len, 5, 2, &mo) == -1 || s[7] != '-' ||
	    digits(s, len, 8, 2, &d) == -1 || s[10] != 'T' ||
	    digits(s, len, 11, 2, &h) == -1 || s[13] != ':' ||
	    digits(s, len, 14, 2, &mi) == -1)
		return (-1);
	i = 16;
	sec = frac = nfrac = 0;
	if (i < len && s[i] == ':') {
		if (digits(s, len, i + 1, 2, &sec) == -1)
			return (-1);
		i += 3;
		if (i < len && s[i] == '.') {
			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
				if (++nfrac > 6) {
					*errstr = "a time has at most six "
					    "digits after the seconds' point";
					return (-1);
				}
				frac = frac * 10 + (s[i] - '0');
			}
			if (nfrac == 0)
				return (-1);
		}
	}
	if (i == len) {
		if (!zone_optional) {
			*errstr = "a time must say that it is UTC: end it "
			    "with Z, as in 2024-05-01T12:00:00Z";
			return (-1);
		}
	} else if (len - i == 1 && s[i] == 'Z') {
		i++;
	} else if (len - i == 6 && !memcmp(s + i, "+00:00", 6)) {
		i += 6;
	} else if (len - i == 6 && (s[i] == '+' || s[i] == '-') &&
	    s[i + 3] == ':') {
		*errstr = "times are in UTC: convert it and end it with Z";
		return (-1);
	} else {
		return (-1);
	}

	if (date_parse(s, DATE_LEN - 1, date, errstr) == -1)
		return (-1);
	if (y < 1970) {
		*errstr = "a time must be in 1970 or later";
		return (-1);
	}
	if (h > 23 || mi > 59 || sec > 59) {
		*errstr = "that time of day does not exist (00:00:00 to "
		    "23:59:59)";
		return (-1);
	}
	while (nfrac < 6) {
		frac *= 10;
		nfrac++;
	}
	*usec = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) *
	    INT64_C(60000000) + sec * INT64_C(1000000) + frac;
	if (out != NULL) {
		(void)snprintf(out, UTC_STRLEN, "%04d-%02d-%02dT%02d:%02d:%02d",
		    y, mo, d, h, mi, sec);
		if (frac != 0) {
			(void)snprintf(out + 19, UTC_STRLEN - 19, ".%06u",
			    (unsigned)frac % 1000000u);
			/* Trailing zeros say nothing. */
			for (i = strlen(out); out[i - 1] == '0'; i--)
				out[i - 1] = '\0';
		}
		(void)strcat(out, "Z");
	}
	return (0);
}
