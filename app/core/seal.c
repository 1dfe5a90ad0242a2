/*
 * The master key and its file: see seal.h.
 */

#include <string.h>

#include <sodium.h>

#include "core/seal.h"

_Static_assert(SEAL_MASTERBYTES == crypto_secretbox_KEYBYTES, "master");

#define KEYID_CONTEXT	"factwiki master key id"
#define KEYFILE_FORM	"a key file holds 64 hexadecimal digits and a newline"

void
seal_master_new(unsigned char master[SEAL_MASTERBYTES])
{
	crypto_secretbox_keygen(master);
}

void
seal_master_format(const unsigned char master[SEAL_MASTERBYTES],
    char text[SEAL_KEYFILE_LEN])
{
	char	 hex[2 * SEAL_MASTERBYTES + 1];

	sodium_bin2hex(hex, sizeof(hex), master, SEAL_MASTERBYTES);
	memcpy(text, hex, 2 * SEAL_MASTERBYTES);
	text[2 * SEAL_MASTERBYTES] = '\n';
	sodium_memzero(hex, sizeof(hex));
}

int
seal_master_parse(const char *text, size_t len,
    unsigned char master[SEAL_MASTERBYTES], const char **errstr)
{
	size_t	 i, n;

	n = len;
	if (n > 0 && text[n - 1] == '\n')
		n--;
	if (n != 2 * SEAL_MASTERBYTES) {
		*errstr = KEYFILE_FORM;
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (strchr("0123456789abcdefABCDEF", text[i]) == NULL ||
		    text[i] == '\0') {
			*errstr = "a key file holds hexadecimal digits only";
			return (-1);
		}
	}
	if (sodium_hex2bin(master, SEAL_MASTERBYTES, text, n, NULL, NULL,
	    NULL) != 0) {
		*errstr = KEYFILE_FORM;
		return (-1);
	}
	return (0);
}

void
seal_master_id(const unsigned char master[SEAL_MASTERBYTES],
    char id[SEAL_KEYID_STRLEN])
{
	unsigned char	 h[(SEAL_KEYID_STRLEN - 1) / 2];

	crypto_generichash(h, sizeof(h), (const unsigned char *)KEYID_CONTEXT,
	    sizeof(KEYID_CONTEXT) - 1, master, SEAL_MASTERBYTES);
	sodium_bin2hex(id, SEAL_KEYID_STRLEN, h, sizeof(h));
}
