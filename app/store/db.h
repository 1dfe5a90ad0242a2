/*
 * The store: plain libpq, no Kore.  The CLI and the server's background
 * work (imports from the browser, tallies) use it with their own
 * connection; transactions here may span statements.
 */

#ifndef FW_STORE_DB_H
#define FW_STORE_DB_H

#include <libpq-fe.h>

#include "core/buf.h"

/*
 * Connects to conninfo (a libpq URI or key=value string).  On failure
 * returns NULL and writes to err a message naming what was tried (host,
 * port, database, user; never a password).
 */
PGconn	*store_connect(const char *conninfo, struct buf *err);

/* Runs sql (no parameters, no result wanted); 0, or -1 with err set. */
int	 store_exec(PGconn *, const char *sql, struct buf *err);

/*
 * Appends the error of a failed result or connection to err: the primary
 * message, then the detail when there is one.
 */
void	 store_error(PGconn *, const PGresult *, struct buf *err);

#endif
