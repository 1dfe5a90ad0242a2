/*
 * The server's master key and its file.  The key wraps the bid keys of
 * proposals without trustees (elgamal.h) and the board's signing key is
 * derived from it (board.h); store/keys.c reads and makes the file.
 *
 * No I/O: the callers read and write the file.
 */

#ifndef FW_SEAL_H
#define FW_SEAL_H

#include <stddef.h>

#define SEAL_MASTERBYTES	32	/* crypto_secretbox_KEYBYTES */
/* Hex of 16 bytes, with its NUL. */
#define SEAL_KEYID_STRLEN	33
/* The key file: the master key in hex and a newline. */
#define SEAL_KEYFILE_LEN	(2 * SEAL_MASTERBYTES + 1)

/*
 * A new random master key, and the text of its key file
 * (SEAL_KEYFILE_LEN bytes, no NUL).
 */
void	seal_master_new(unsigned char master[SEAL_MASTERBYTES]);
void	seal_master_format(const unsigned char master[SEAL_MASTERBYTES],
	    char text[SEAL_KEYFILE_LEN]);

/*
 * A key file's text: 64 hex digits, then an optional newline.  Returns
 * 0, or -1 with *errstr set to a message naming what is wrong.
 */
int	seal_master_parse(const char *text, size_t len,
	    unsigned char master[SEAL_MASTERBYTES], const char **errstr);

/*
 * The master key's id: hex of a keyed BLAKE2b of a constant.  It names
 * the key (in the database, in messages) without revealing it.
 */
void	seal_master_id(const unsigned char master[SEAL_MASTERBYTES],
	    char id[SEAL_KEYID_STRLEN]);

#endif
