/*
 * factwiki proposal tally SLUG
 * factwiki proposal verify SLUG [--from URL [--board-key KEY]
 *     [--receipt RECEIPT]]
 * factwiki proposal bid SLUG AMOUNT [--url URL]
 *
 * tally tallies a closed proposal now (the server does so on its own once
 * its parts are in).  verify checks a proposal as anyone can: with --from,
 * from the public answers of the site at URL alone (its board, its board
 * key, its result); without, from the database, with the master key file
 * ($FACTWIKI_KEY_FILE, else var/master.key of this checkout).  It exits 0
 * iff the chain, signatures, key set-up, parts, receipts and result all
 * agree, else 1 with a line for each disagreement.  bid seals a bid on
 * this machine and sends only the ciphertext ($FACTWIKI_TOKEN is the
 * voter's API token): not even the site's server sees the amount.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/board.h"
#include "core/buf.h"
#include "core/bulletin.h"
#include "core/elgamal.h"
#include "core/keeper.h"
#include "core/money.h"
#include "core/seal.h"
#include "core/slug.h"
#include "store/keys.h"
#include "store/tally.h"
#include "cli.h"

#define USAGE	"proposal tally SLUG | proposal verify SLUG [--from URL " \
		"[--board-key KEY] [--receipt RECEIPT]] | proposal bid SLUG " \
		"AMOUNT [--url URL]"

static int	from_database(const char *, int);
static json_t	*fetch(const char *, const char *, const char *,
		    struct buf *);
static int	board_key_pick(const char *, json_t *, json_t *,
		    unsigned char *, struct buf *);
static size_t	receipt_check(const char *, json_t *, const unsigned char *,
		    struct buf *);
static int	from_site(const char *, const char *, const char *,
		    const char *);
static int	bid(const char *, const char *, const char *);

static int
from_database(const char *slug, int verify)
{
	unsigned char	 master[SEAL_MASTERBYTES];
	struct keeper	 k;
	struct buf	 path, log, err;
	PGconn		*conn;
	int		 rc;

	if ((conn = cli_connect()) == NULL)
		return (EXIT_DB);
	buf_init(&path);
	buf_init(&log);
	buf_init(&err);
	cli_key_path(&path);
	rc = store_key_load(conn, buf_cstr(&path), 0, master, &log, &err);
	fputs(buf_cstr(&log), stderr);
	buf_reset(&log);
	keeper_local(&k, master);
	sodium_memzero(master, sizeof(master));
	if (rc == 0 && verify)
		rc = store_tally_verify(conn, &k, slug, &log, &err);
	else if (rc == 0)
		rc = store_tally_slug(conn, &k, slug, &log, &err);
	keeper_clear(&k);
	if (rc == 0)
		fputs(buf_cstr(&log), stdout);
	else if (rc == 1)
		fputs(buf_cstr(&err), stdout);
	else
		fprintf(stderr, "factwiki: proposal %s: %s\n", verify ?
		    "verify" : "tally", buf_cstr(&err));
	buf_free(&path);
	buf_free(&log);
	buf_free(&err);
	PQfinish(conn);
	return (rc == 0 ? 0 : EXIT_INPUT);
}

static json_t *
fetch(const char *site, const char *fmt, const char *slug, struct buf *err)
{
	struct buf	 path;
	json_t		*doc;

	buf_init(&path);
	buf_printf(&path, fmt, slug);
	doc = cli_json("GET", site, buf_cstr(&path), NULL, err);
	buf_free(&path);
	return (doc);
}

/*
 * The board key trusted: the one given (--board-key), else the site's
 * that signed this board, which must be among those the site lists.
 */
static int
board_key_pick(const char *given, json_t *board, json_t *keys,
    unsigned char *pk, struct buf *err)
{
	const char	*named;
	json_t		*k;
	size_t		 i;

	if (given != NULL) {
		if (bulletin_b64(given, pk, BOARD_PUBLICBYTES) == -1) {
			buf_puts(err, "--board-key: the base64 of an Ed25519 "
			    "public key, as /api/v1/keys/board gives it");
			return (-1);
		}
		return (0);
	}
	named = json_string_value(json_object_get(board, "board_key"));
	json_array_foreach(json_object_get(keys, "keys"), i, k) {
		if (named != NULL && json_is_string(json_object_get(k, "key")) &&
		    !strcmp(named, json_string_value(json_object_get(k, "key"))))
			return (bulletin_b64(named, pk, BOARD_PUBLICBYTES));
	}
	buf_puts(err, "the board names a signing key the site does not list "
	    "at /api/v1/keys/board");
	return (-1);
}

/*
 * A voter's receipt, {"seq", "hash", "signature"}: signed by the board
 * key, on the board as entry seq, and that entry either counts or was
 * replaced by a later one of the same voter.
 */
static size_t
receipt_check(const char *text, json_t *board, const unsigned char *pk,
    struct buf *out)
{
	unsigned char	 hash[BOARD_HASHBYTES], sig[BOARD_SIGBYTES];
	const char	*hex;
	json_t		*r, *e;
	json_int_t	 seq;
	size_t		 got;

	if ((r = json_loads(text, 0, NULL)) == NULL) {
		buf_puts(out, "--receipt: not JSON: give it as the site gave "
		    "it, {\"seq\", \"hash\", \"signature\"}\n");
		return (1);
	}
	if (json_is_object(json_object_get(r, "receipt")))
		r = json_object_get(r, "receipt");
	seq = json_integer_value(json_object_get(r, "seq"));
	hex = json_string_value(json_object_get(r, "hash"));
	if (hex == NULL || sodium_hex2bin(hash, sizeof(hash), hex,
	    strlen(hex), NULL, &got, NULL) != 0 || got != sizeof(hash) ||
	    bulletin_b64(json_string_value(json_object_get(r, "signature")),
	    sig, sizeof(sig)) == -1) {
		buf_puts(out, "--receipt: it lacks its seq, hash or "
		    "signature\n");
		return (1);
	}
	if (board_verify(pk, hash, sig) == -1) {
		buf_puts(out, "the receipt is not signed by the board key\n");
		return (1);
	}
	e = json_array_get(json_object_get(board, "entries"),
	    (size_t)seq - 1);
	if (seq < 1 || e == NULL || !json_is_string(json_object_get(e,
	    "hash")) || strcmp(json_string_value(json_object_get(e, "hash")),
	    hex) != 0) {
		buf_printf(out, "receipt %lld: the board does not hold the "
		    "entry the server signed for it: it was dropped or "
		    "rewritten\n", (long long)seq);
		return (1);
	}
	return (0);
}

static int
from_site(const char *site, const char *slug, const char *given,
    const char *receipt)
{
	unsigned char	 pk[BOARD_PUBLICBYTES];
	struct buf	 err, out;
	json_t		*board, *proposal, *keys;
	char		 pk64[sodium_base64_ENCODED_LEN(BOARD_PUBLICBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	size_t		 n;
	int		 rc;

	buf_init(&err);
	buf_init(&out);
	board = proposal = keys = NULL;
	rc = EXIT_INPUT;
	if ((board = fetch(site, "/api/v1/proposals/%s/board", slug,
	    &err)) == NULL || (proposal = fetch(site, "/api/v1/proposals/%s",
	    slug, &err)) == NULL || (keys = fetch(site, "/api/v1/keys/board%s",
	    "", &err)) == NULL || board_key_pick(given, board, keys, pk,
	    &err) == -1) {
		fprintf(stderr, "factwiki: proposal verify: %s\n",
		    buf_cstr(&err));
		goto out;
	}
	n = bulletin_verify(board, pk, proposal, &out);
	if (receipt != NULL)
		n += receipt_check(receipt, board, pk, &out);
	fputs(buf_cstr(&out), stdout);
	sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk),
	    sodium_base64_VARIANT_ORIGINAL);
	if (n == 0) {
		printf("proposal %s: the board (%zu entries, signed by %s%s), "
		    "its key set-up, its parts and the published result "
		    "agree\n", slug, json_array_size(json_object_get(board,
		    "entries")), pk64, given != NULL ? ", as given" :
		    ", as the site lists it: pin it with --board-key");
		rc = 0;
	} else
		printf("proposal %s: %zu disagreement%s\n", slug, n,
		    n == 1 ? "" : "s");
out:
	json_decref(board);
	json_decref(proposal);
	json_decref(keys);
	buf_free(&err);
	buf_free(&out);
	return (rc);
}

/* Sealed here: the site gets the ciphertext, never the amount. */
static int
bid(const char *site, const char *slug, const char *text)
{
	unsigned char	 pk[BOARD_PUBLICBYTES], ct[EG_BIDBYTES];
	char		 ct64[sodium_base64_ENCODED_LEN(EG_BIDBYTES,
			    sodium_base64_VARIANT_ORIGINAL)], *answer;
	const char	*errstr, *name;
	struct bulletin	 b;
	struct buf	 err, path;
	json_t		*me, *board, *put;
	int64_t		 amount;
	int		 rc;

	if (money_parse(text, strlen(text), &amount, &errstr) == -1) {
		fprintf(stderr, "factwiki: proposal bid: %s\n", errstr);
		return (EXIT_USAGE);
	}
	buf_init(&err);
	buf_init(&path);
	memset(&b, 0, sizeof(b));
	board = put = NULL;
	rc = EXIT_INPUT;
	if ((me = cli_json("GET", site, "/api/v1/me", NULL, &err)) == NULL ||
	    (name = json_string_value(json_object_get(me, "name"))) == NULL ||
	    (board = fetch(site, "/api/v1/proposals/%s/board", slug,
	    &err)) == NULL)
		goto fail;
	memset(pk, 0, sizeof(pk));
	(void)bulletin_b64(json_string_value(json_object_get(board,
	    "board_key")), pk, sizeof(pk));
	if (bulletin_read(&b, board, pk) == -1 || !b.has_key) {
		buf_printf(&err, "%s takes no bids: its bid key is not set up "
		    "and acknowledged by every trustee", slug);
		goto fail;
	}
	if (amount > b.max_bid || amount < -b.max_bid) {
		buf_printf(&err, "a bid on %s is at most %s either way", slug,
		    json_string_value(json_object_get(board, "max_bid")));
		goto fail;
	}
	if (eg_seal(b.y, name, amount, ct) == -1) {
		buf_puts(&err, "the bid key cannot seal");
		goto fail;
	}
	sodium_bin2base64(ct64, sizeof(ct64), ct, sizeof(ct),
	    sodium_base64_VARIANT_ORIGINAL);
	buf_printf(&path, "/api/v1/proposals/%s/bid", slug);
	if ((put = cli_json("PUT", site, buf_cstr(&path), json_pack("{s:s}",
	    "ciphertext", ct64), &err)) == NULL)
		goto fail;
	if ((answer = json_dumps(put, JSON_COMPACT)) != NULL)
		printf("%s\n", answer);
	free(answer);
	fprintf(stderr, "sealed here as %s's bid: keep the receipt above to "
	    "check it with `factwiki proposal verify --receipt`\n", name);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "factwiki: proposal bid: %s\n", buf_cstr(&err));
out:
	sodium_memzero(&amount, sizeof(amount));
	bulletin_free(&b);
	json_decref(me);
	json_decref(board);
	json_decref(put);
	buf_free(&err);
	buf_free(&path);
	return (rc);
}

int
cmd_proposal(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "board-key", required_argument, NULL, 'k' },
		{ "receipt", required_argument, NULL, 'r' },
		{ "url", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*what, *from, *key, *receipt, *url, *negative;
	int		 ch, i;

	what = argc > 1 ? argv[1] : "";
	from = key = receipt = url = negative = NULL;
	/* A negative amount is not an option: set it aside from getopt. */
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (argv[i][0] == '-' && argv[i][1] >= '0' &&
		    argv[i][1] <= '9' && negative == NULL) {
			negative = argv[i];
			memmove(&argv[i], &argv[i + 1],
			    (size_t)(argc - i) * sizeof(*argv));
			argc--;
			break;
		}
	}
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'r':
			receipt = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		default:
			usage_error(USAGE);
			return (EXIT_USAGE);
		}
	}
	if (optind >= argc || !slug_valid(argv[optind],
	    strlen(argv[optind]))) {
		usage_error(USAGE);
		return (EXIT_USAGE);
	}
	if (!strcmp(what, "bid") && optind + (negative ? 1 : 2) == argc &&
	    from == NULL && key == NULL && receipt == NULL)
		return (bid(cli_site(url), argv[optind], negative != NULL ?
		    negative : argv[optind + 1]));
	if (negative != NULL || optind + 1 != argc || url != NULL ||
	    (strcmp(what, "tally") && strcmp(what, "verify")) ||
	    (strcmp(what, "verify") && (from || key || receipt)) ||
	    (from == NULL && (key || receipt))) {
		usage_error(USAGE);
		return (EXIT_USAGE);
	}
	if (from != NULL)
		return (from_site(from, argv[optind], key, receipt));
	return (from_database(argv[optind], !strcmp(what, "verify")));
}
