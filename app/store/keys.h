/*
 * The master key that wraps every proposal's secret key: a file outside
 * the database, made on the server's first start, checked at every start
 * against the key ids the database's proposals were sealed under.
 */

#ifndef FW_STORE_KEYS_H
#define FW_STORE_KEYS_H

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/seal.h"

/* Where the key file is; else var/master.key of the checkout. */
#define KEYS_ENV	"FACTWIKI_KEY_FILE"
#define KEYS_DEFAULT	"var/master.key"

/*
 * Reads the key file at path into master.  When it does not exist and
 * create is set, makes it (mode 0600), unless the database holds sealed
 * proposals: a new key could not open them.  Then checks that every
 * proposal was sealed under this key.  Returns 0 (with a line in log when
 * it made the key), or -1 with err saying what is wrong and what to do.
 */
int	store_key_load(PGconn *, const char *path, int create,
	    unsigned char master[SEAL_MASTERBYTES], struct buf *log,
	    struct buf *err);

#endif
