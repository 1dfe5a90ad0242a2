/*
 * Sealed bids and the keys that seal them, with libsodium.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/money.h"
#include "core/seal.h"

_Static_assert(SEAL_MASTERBYTES == crypto_secretbox_KEYBYTES, "master");
_Static_assert(SEAL_PUBLICBYTES == crypto_box_PUBLICKEYBYTES, "public");
_Static_assert(SEAL_SECRETBYTES == crypto_box_SECRETKEYBYTES, "secret");
_Static_assert(SEAL_WRAPPEDBYTES == crypto_secretbox_NONCEBYTES +
    crypto_secretbox_MACBYTES + SEAL_SECRETBYTES, "wrapped");
_Static_assert(SEAL_BIDBYTES == SEAL_PLAINBYTES + crypto_box_SEALBYTES,
    "bid");

#define BID_MAGIC	"FWB1"
#define MAGIC_LEN	4
#define KEYID_CONTEXT	"factwiki master key id"
#define KEYFILE_FORM	"a key file holds 64 hexadecimal digits and a newline"

static void	put64(unsigned char *, uint64_t);
static uint64_t	get64(const unsigned char *);

static void
put64(unsigned char *p, uint64_t v)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t	 v;
	int		 i;

	v = 0;
	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (v);
}

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

void
seal_keypair(const unsigned char master[SEAL_MASTERBYTES],
    unsigned char pk[SEAL_PUBLICBYTES],
    unsigned char wrapped[SEAL_WRAPPEDBYTES])
{
	unsigned char	 sk[SEAL_SECRETBYTES];

	crypto_box_keypair(pk, sk);
	randombytes_buf(wrapped, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(wrapped + crypto_secretbox_NONCEBYTES, sk,
	    sizeof(sk), wrapped, master);
	sodium_memzero(sk, sizeof(sk));
}

int
seal_unwrap(const unsigned char master[SEAL_MASTERBYTES],
    const unsigned char wrapped[SEAL_WRAPPEDBYTES],
    const unsigned char pk[SEAL_PUBLICBYTES],
    unsigned char sk[SEAL_SECRETBYTES])
{
	unsigned char	 derived[SEAL_PUBLICBYTES];
	int		 rc;

	if (crypto_secretbox_open_easy(sk, wrapped +
	    crypto_secretbox_NONCEBYTES, SEAL_WRAPPEDBYTES -
	    crypto_secretbox_NONCEBYTES, wrapped, master) != 0)
		return (-1);
	/* The wrapped key must be this proposal's, not another's. */
	rc = crypto_scalarmult_base(derived, sk) == 0 &&
	    sodium_memcmp(derived, pk, SEAL_PUBLICBYTES) == 0 ? 0 : -1;
	if (rc == -1)
		sodium_memzero(sk, SEAL_SECRETBYTES);
	return (rc);
}

void
seal_bid(const unsigned char pk[SEAL_PUBLICBYTES], int64_t voter,
    int64_t amount, unsigned char ct[SEAL_BIDBYTES])
{
	unsigned char	 m[SEAL_PLAINBYTES];

	memcpy(m, BID_MAGIC, MAGIC_LEN);
	put64(m + MAGIC_LEN, (uint64_t)voter);
	put64(m + MAGIC_LEN + 8, (uint64_t)amount);
	randombytes_buf(m + MAGIC_LEN + 16, SEAL_PLAINBYTES - MAGIC_LEN - 16);
	if (crypto_box_seal(ct, m, sizeof(m), pk) != 0)
		abort();
	sodium_memzero(m, sizeof(m));
}

int
seal_bid_open(const unsigned char pk[SEAL_PUBLICBYTES],
    const unsigned char sk[SEAL_SECRETBYTES], const unsigned char *ct,
    size_t len, int64_t *voter, int64_t *amount)
{
	unsigned char	 m[SEAL_PLAINBYTES];
	int		 rc;

	if (len != SEAL_BIDBYTES ||
	    crypto_box_seal_open(m, ct, len, pk, sk) != 0)
		return (-1);
	rc = -1;
	if (memcmp(m, BID_MAGIC, MAGIC_LEN) == 0) {
		*voter = (int64_t)get64(m + MAGIC_LEN);
		*amount = (int64_t)get64(m + MAGIC_LEN + 8);
		rc = 0;
	}
	sodium_memzero(m, sizeof(m));
	return (rc);
}

int
seal_bid_reveal(const unsigned char pk[SEAL_PUBLICBYTES],
    const unsigned char sk[SEAL_SECRETBYTES], const unsigned char *ct,
    size_t len, int64_t voter, int64_t *amount, const char **why)
{
	int64_t	 who, a;

	if (seal_bid_open(pk, sk, ct, len, &who, &a) == -1)
		*why = "does not open: it was altered";
	else if (who != voter)
		*why = "was sealed by another voter";
	else if (a > MONEY_BID_MAX || a < -MONEY_BID_MAX)
		*why = "is out of range";
	else {
		*amount = a;
		sodium_memzero(&a, sizeof(a));
		return (0);
	}
	sodium_memzero(&a, sizeof(a));
	return (-1);
}

void
seal_receipt(const unsigned char *ct, size_t len,
    char receipt[SEAL_RECEIPT_STRLEN])
{
	unsigned char	 h[(SEAL_RECEIPT_STRLEN - 1) / 2];

	crypto_generichash(h, sizeof(h), ct, len, NULL, 0);
	sodium_bin2hex(receipt, SEAL_RECEIPT_STRLEN, h, sizeof(h));
}
