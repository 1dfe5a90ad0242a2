/*
 * Calendar dates, as sources state them (published, accessed).
 */

#ifndef FW_DATE_H
#define FW_DATE_H

#include <stddef.h>

/* "YYYY-MM-DD" and its NUL. */
#define DATE_LEN	11

/*
 * Parses a date written YYYY-MM-DD (ISO 8601, the Gregorian calendar,
 * years 0001 to 9999), a day that exists ("2023-02-29" does not).  Writes
 * it to out (DATE_LEN bytes).  Returns 0, or -1 with *errstr set to a
 * message fit for a user.
 */
int	date_parse(const char *s, size_t len, char *out, const char **errstr);

#endif
