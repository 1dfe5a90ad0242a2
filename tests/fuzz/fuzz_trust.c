/*
 * What the referenda read from outside: trustee key files and public keys,
 * dealings, parts, sealed bids and whole boards.  Anything at all is refused cleanly,
 * or, when it is taken, is what it claims to be.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/bulletin.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/money.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct trustee_key	 tk;
static unsigned char		 x[EG_SCALARBYTES], y[EG_POINTBYTES];
static unsigned char		 ctx[32];

static void	once(void);
static void	board(const uint8_t *, size_t);

static void
once(void)
{
	static int	 ready;

	if (ready)
		return;
	if (sodium_init() == -1)
		abort();
	tk_new(&tk);
	eg_keypair(x, y);
	dkg_context("fuzz", 1, 1, (const unsigned char (*)[TK_PUBLICBYTES])
	    tk.pub, ctx);
	ready = 1;
}

/* A board document: read and opened, or refused, never a crash. */
static void
board(const uint8_t *data, size_t size)
{
	struct bulletin	 b;
	json_t		*doc;

	if ((doc = json_loadb((const char *)data, size, 0, NULL)) == NULL)
		return;
	if (bulletin_read(&b, doc, y) == 0) {
		(void)bulletin_open(&b, doc);
		if (b.opened > b.nbids || b.nbids > b.entries)
			abort();
	} else if (b.nproblems == 0)
		abort();
	bulletin_free(&b);
	json_decref(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trustee_key	 back;
	unsigned char		 pub[TK_PUBLICBYTES], key[EG_POINTBYTES];
	unsigned char		 ct[EG_BIDBYTES], d[EG_POINTBYTES];
	unsigned char		 proof[EG_PROOFBYTES];
	char			 text[TK_FILE_LEN];
	const char		*errstr;
	int64_t			 amount;

	once();
	board(data, size);
	errstr = NULL;
	if (tk_parse((const char *)data, size, &back, &errstr) == 0) {
		tk_format(&back, text);
		if (size < TK_FILE_LEN - 1 ||
		    memcmp(text, data, TK_FILE_LEN - 1) != 0)
			abort();
	} else if (errstr == NULL)
		abort();
	errstr = NULL;
	if (tk_public_parse((const char *)data, size, pub, &errstr) != 0 &&
	    errstr == NULL)
		abort();
	errstr = NULL;
	if (dkg_dealing_check(data, size, ctx, 1, 1, 1, tk.pub, &errstr) == 0)
		abort();	/* no one but tk signs */
	if (errstr == NULL)
		abort();

	if (size >= EG_BIDBYTES) {
		memcpy(ct, data, EG_BIDBYTES);
		errstr = NULL;
		if (eg_shared(x, ct, key) == 0) {
			if (eg_open(y, "v", ct, key, MONEY_BID_MAX, &amount,
			    &errstr) == 0)
				abort();	/* a forgery that opens */
			if (errstr == NULL)
				abort();
			if (eg_part(ctx, 1, x, y, ct, d, proof) != 0 ||
			    eg_part_verify(ctx, 1, y, ct, d, proof) != 0)
				abort();
		}
		if (size >= EG_BIDBYTES + EG_POINTBYTES + EG_PROOFBYTES &&
		    eg_part_verify(ctx, 1, y, ct, data + EG_BIDBYTES,
		    data + EG_BIDBYTES + EG_POINTBYTES) == 0)
			abort();	/* a part that no one made */
	}
	return (0);
}
