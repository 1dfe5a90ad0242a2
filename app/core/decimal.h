/*
 * Exact decimals: fact values.  Never converted to binary floating point.
 */

#ifndef FW_DECIMAL_H
#define FW_DECIMAL_H

#include <stddef.h>

/*
 * Longest canonical text decimal_parse() produces, with its NUL: longer
 * values are refused ("the value has too many digits").
 */
#define DECIMAL_MAX	1100

/*
 * Parses a value in the grammar of the CSV format and the API: optional
 * sign, digits, optional "." and fraction digits, optional exponent
 * ("1.5e6"); no spaces, thousands separators, NaN or infinities.  Writes the
 * canonical text to out (DECIMAL_MAX bytes): the same digits, the exponent
 * expanded, as PostgreSQL's numeric prints it ("1.5e6" -> "1500000",
 * "2.50" -> "2.50", "-0.17" -> "-0.17", "+007" -> "7").  Returns 0, or -1
 * with *errstr set to a message fit for a user.
 */
int	decimal_parse(const char *s, size_t len, char *out,
	    const char **errstr);

/*
 * A JSON number that arrived as a double: its shortest decimal text that
 * reads back as the same double ("-0.18", not "-0.17999999999999999"),
 * canonical as above (1e21 -> "1000000000000000000000").  Refuses NaN,
 * infinities and more than 15 significant digits, which a double cannot
 * carry exactly (the message asks for a JSON string).  Assumes the C
 * locale's decimal point, as strtod(3) and printf(3) use it.
 */
int	decimal_from_double(double d, char *out, const char **errstr);

#endif
