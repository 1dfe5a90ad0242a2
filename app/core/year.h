#ifndef FW_YEAR_H
#define FW_YEAR_H

#include <stddef.h>

#define YEAR_MIN	(-9999)
#define YEAR_MAX	9999

/*
 * Parses a year: an optional "-" and decimal digits, -9999..9999 (negative
 * is BCE).  Returns 0, or -1 with *errstr set to a message fit for a user
 * ("2020.5" -> "a year is a whole number", "99999" -> out of range).
 */
int	year_parse(const char *s, size_t len, int *year, const char **errstr);

#endif
