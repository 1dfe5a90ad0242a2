/*
 * Times in UTC, as the API and the forms write them: ISO 8601 / RFC 3339
 * "2024-05-01T12:00:00Z".
 */

#ifndef FW_UTC_H
#define FW_UTC_H

#include <stddef.h>
#include <stdint.h>

/* "2024-05-01T12:00:00.123456Z" and its NUL. */
#define UTC_STRLEN	28

/*
 * Parses YYYY-MM-DDTHH:MM, then optionally :SS and a fraction of up to six
 * digits, then "Z" or "+00:00" (or nothing, when zone_optional: the forms'
 * datetime-local fields, which are labelled UTC).  Years 1970 to 9999;
 * days are checked against their month.  On success writes the time in
 * microseconds since 1970 and, when out is not NULL, its normal form
 * "2024-05-01T12:00:00Z" (the fraction kept when not zero), and returns 0;
 * else -1 with *errstr set to a message fit for a user.
 */
int	utc_parse(const char *s, size_t len, int zone_optional, int64_t *usec,
	    char out[UTC_STRLEN], const char **errstr);

#endif
