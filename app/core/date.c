/*
 * Dates: the one format PostgreSQL reads the same whatever its DateStyle.
 */

#include <string.h>

#include "core/date.h"

static int	digits(const char *, size_t);
static int	leap(int);

/* The value of n decimal digits, or -1. */
static int
digits(const char *s, size_t n)
{
	size_t	 i;
	int	 v;

	for (i = 0, v = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

static int
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

int
date_parse(const char *s, size_t len, char *out, const char **errstr)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 y, m, d;

	if (len != DATE_LEN - 1 || s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) == -1 || (m = digits(s + 5, 2)) == -1 ||
	    (d = digits(s + 8, 2)) == -1) {
		*errstr = "write a date as YYYY-MM-DD, as in 2024-03-31";
		return (-1);
	}
	if (y == 0 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y))) {
		*errstr = "no such day in the calendar";
		return (-1);
	}
	memcpy(out, s, DATE_LEN - 1);
	out[DATE_LEN - 1] = '\0';
	return (0);
}
