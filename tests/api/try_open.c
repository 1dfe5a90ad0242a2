/*
 * try_open BOARD.json [WRAPPED] < SECRETS: tries to open a board's bids with every
 * secret the server has, as an operator or a thief with the database and
 * the key files would.  SECRETS is hex, one value a line (every bytea of
 * the database, the key files' bytes); every 32-byte window of each is
 * tried as
 *
 *	the bid key's scalar	x, with K = x*R of the first bid;
 *	a master key		unwrapping WRAPPED (hex), the proposal's
 *				wrapped key, when it has one;
 *	an X25519 secret	opening a share a dealer sealed to a trustee;
 *	a seed			of the board key, or of either of those.
 *
 * Prints what opened, and exits 1 if anything did, 0 if nothing did, 2 on
 * bad input.  The tests run it on a proposal with trustees (nothing may
 * open) and on one read by its operator (the master key must open it: the
 * check can fail).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/board.h"
#include "core/bulletin.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/money.h"

static struct bulletin	 b;
static unsigned char	 wrapped[EG_WRAPPEDBYTES];
static int		 has_wrapped;

static int	try_scalar(const unsigned char *, const char *);
static int	try_window(const unsigned char *);

/* 1 when x is the bid key's scalar: the first bid opens with it. */
static int
try_scalar(const unsigned char *x, const char *as)
{
	unsigned char	 k[EG_POINTBYTES], y[EG_POINTBYTES];
	const char	*why;
	int64_t		 amount;

	if (crypto_scalarmult_ristretto255_base(y, x) != 0 ||
	    sodium_memcmp(y, b.y, sizeof(y)) != 0)
		return (0);
	if (b.nbids > 0 && eg_shared(x, b.bids[0].ct, k) == 0 &&
	    eg_open(b.y, b.bids[0].voter, b.bids[0].ct, k, MONEY_BID_MAX,
	    &amount, &why) == 0)
		printf("opened: the bid of %s, with %s\n", b.bids[0].voter, as);
	else
		printf("opened: the bid key's scalar is %s\n", as);
	return (1);
}

static int
try_window(const unsigned char *w)
{
	unsigned char	 x[EG_SCALARBYTES], wide[64], pk[32], sk[64];
	unsigned	 i;
	int		 found;

	found = 0;
	memset(wide, 0, sizeof(wide));
	memcpy(wide, w, 32);
	crypto_core_ristretto255_scalar_reduce(x, wide);
	found |= try_scalar(x, "a value the server holds");
	if (has_wrapped && eg_unwrap(w, wrapped, b.y, x) == 0)
		found |= try_scalar(x, "the wrapped key, unwrapped by a value "
		    "the server holds (its master key)");
	/* A share sealed to a trustee, opened with the trustee's secret. */
	(void)crypto_scalarmult_base(pk, w);
	for (i = 0; i < b.n; i++) {
		if (sodium_memcmp(pk, b.t[i].pub + 32, 32) != 0)
			continue;
		printf("opened: the share key of trustee %s is a value the "
		    "server holds\n", b.t[i].name);
		found = 1;
	}
	/* As a seed: the keys it would make. */
	(void)crypto_sign_seed_keypair(pk, sk, w);
	for (i = 0; i < b.n; i++) {
		if (sodium_memcmp(pk, b.t[i].pub, 32) == 0) {
			printf("opened: the signing key of trustee %s is a "
			    "value the server holds\n", b.t[i].name);
			found = 1;
		}
	}
	return (found);
}

int
main(int argc, char *argv[])
{
	unsigned char	 bytes[8192], pk[BOARD_PUBLICBYTES];
	char		 line[2 * sizeof(bytes) + 2];
	json_t		*board;
	size_t		 len, i;
	unsigned long	 tried;
	int		 found;

	if (sodium_init() == -1 || argc < 2 || argc > 3 ||
	    (board = json_load_file(argv[1], 0, NULL)) == NULL) {
		fprintf(stderr, "usage: try_open BOARD.json [WRAPPED] < "
		    "SECRETS\n");
		return (2);
	}
	(void)bulletin_b64(json_string_value(json_object_get(board,
	    "board_key")), pk, sizeof(pk));
	if (bulletin_read(&b, board, pk) == -1 || !b.has_key) {
		fprintf(stderr, "try_open: not a board with a bid key:\n%s",
		    buf_cstr(&b.problems));
		return (2);
	}
	has_wrapped = argc == 3 && sodium_hex2bin(wrapped, sizeof(wrapped),
	    argv[2], strlen(argv[2]), NULL, &len, NULL) == 0 &&
	    len == sizeof(wrapped);
	found = 0;
	tried = 0;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (sodium_hex2bin(bytes, sizeof(bytes), line, strlen(line),
		    NULL, &len, NULL) != 0)
			continue;
		for (i = 0; i + 32 <= len; i++, tried++)
			found |= try_window(bytes + i);
	}
	printf("%lu values tried against %zu bids\n", tried, b.nbids);
	bulletin_free(&b);
	json_decref(board);
	return (found ? 1 : 0);
}
