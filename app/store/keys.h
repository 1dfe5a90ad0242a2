/*
 * The master key: a file outside the database, made on the server's first
 * start, which wraps the bid keys of proposals without trustees and from
 * which the board's signing key is derived.
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
 * create is set, makes it (mode 0600).  Registers the board key it makes,
 * and names in log ("warning: ...") the proposals that need another
 * master key.  Returns 0 (with a line in log when it made the key), or -1
 * with err saying what is wrong and what to do (an unreadable file; no
 * file and create not set; no database).
 */
int	store_key_load(PGconn *, const char *path, int create,
	    unsigned char master[SEAL_MASTERBYTES], struct buf *log,
	    struct buf *err);

#endif
