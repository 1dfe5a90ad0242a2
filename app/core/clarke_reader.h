/*
 * Reading bids as `factwiki clarke` takes them: CSV with a header naming
 * the columns voter and bid (any case, either order), one bid a row.
 * Names must be non-empty UTF-8 without control characters; bids are
 * money_parse() amounts with |bid| <= MONEY_BID_MAX.  Read as a voter
 * roll, a row with an empty bid is a voter on the roll who did not bid
 * (abstain); otherwise it is an error.  Each problem goes to the error
 * callback with its physical line (0: the whole input), and reading goes
 * on with the next row where it can.
 */

#ifndef FW_CLARKE_READER_H
#define FW_CLARKE_READER_H

#include <stddef.h>

#include "core/clarke.h"

/* Longest voter name or bid field the reader accepts, in bytes. */
#define CLARKE_FIELD_MAX	4096

struct clarke_reader;

struct clarke_reader	*clarke_reader_new(int roll, void (*error)(void *,
			    unsigned long, const char *), void *arg);
void			 clarke_reader_free(struct clarke_reader *);

/* Any split of the input.  0, or -1 when reading cannot go on. */
int	clarke_reader_feed(struct clarke_reader *, const void *, size_t);

/*
 * Ends the input, then sorts the voters and reports repeated names.
 * Returns 0 when the whole input was good, else -1.
 */
int	clarke_reader_finish(struct clarke_reader *);

unsigned long	clarke_reader_errors(const struct clarke_reader *);

/*
 * The voters read, owned by the reader (their names too); sorted by name
 * after clarke_reader_finish().
 */
struct clarke_voter	*clarke_reader_voters(struct clarke_reader *,
			    size_t *n);

#endif
