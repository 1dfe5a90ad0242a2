/*
 * factwiki trustee keygen --out FILE
 * factwiki trustee setup SLUG --key FILE [--url URL]
 * factwiki trustee decrypt SLUG --key FILE [--url URL]
 *
 * What a trustee runs on their own machine (referenda-trust.md,
 * "Trustees").  keygen makes the key pair and prints the public key for
 * the account page.  setup deals this trustee's shares of a proposal's bid
 * key and, once every trustee has dealt, checks the shares it received and
 * acknowledges the key: run it until it says the key is acknowledged.
 * decrypt, after the close, gives this trustee's part of each bid that
 * counts, with its proof.  The private key never leaves the file; the site
 * is told only what the board publishes.  $FACTWIKI_TOKEN is the trustee's
 * API token.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/bulletin.h"
#include "core/dkg.h"
#include "core/slug.h"
#include "cli.h"

#define KEYFILE_MAX	4096

static int	keygen(const char *);
static int	key_read(const char *, struct trustee_key *);
static json_t	*board_get(const char *, const char *, struct bulletin *);
static int	my_index(const struct bulletin *, const struct trustee_key *,
		    unsigned *);
static int	post(const char *, const char *, const char *, json_t *);
static int	setup(const char *, const char *, const struct trustee_key *);
static int	decrypt(const char *, const char *, const struct trustee_key *);
static json_t	*b64(const unsigned char *, size_t);

static json_t *
b64(const unsigned char *p, size_t len)
{
	size_t	 size = sodium_base64_ENCODED_LEN(len,
		    sodium_base64_VARIANT_ORIGINAL);
	char	*text;
	json_t	*s;

	if ((text = malloc(size)) == NULL)
		return (NULL);
	sodium_bin2base64(text, size, p, len, sodium_base64_VARIANT_ORIGINAL);
	s = json_string(text);
	free(text);
	return (s);
}

/* The new key goes to a file no one else may read, which must not exist. */
static int
keygen(const char *out)
{
	struct trustee_key	 tk;
	char			 text[TK_FILE_LEN], pub[TK_PUBLIC_STRLEN];
	int			 fd, rc;

	if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		fprintf(stderr, "factwiki: trustee keygen: %s: %s%s\n", out,
		    strerror(errno), errno == EEXIST ? " (a key is never "
		    "overwritten: choose another file)" : "");
		return (EXIT_INPUT);
	}
	tk_new(&tk);
	tk_format(&tk, text);
	rc = write(fd, text, sizeof(text)) == (ssize_t)sizeof(text) &&
	    fsync(fd) == 0 ? 0 : -1;
	if (close(fd) == -1)
		rc = -1;
	sodium_memzero(text, sizeof(text));
	if (rc == -1) {
		fprintf(stderr, "factwiki: trustee keygen: %s: %s\n", out,
		    strerror(errno));
		(void)unlink(out);
		tk_wipe(&tk);
		return (EXIT_INPUT);
	}
	tk_public_text(tk.pub, pub);
	tk_wipe(&tk);
	printf("%s\n", pub);
	fprintf(stderr, "The private key is in %s: keep it, and a copy, where "
	    "only you can read it.\nPut the public key above on your account "
	    "page (Trustee key), or:\n  curl -X PUT -H \"Authorization: "
	    "Bearer $FACTWIKI_TOKEN\" -H 'content-type: application/json' "
	    "-d '{\"public_key\":\"%s\"}' SITE/api/v1/account/trustee-key\n",
	    out, pub);
	return (0);
}

static int
key_read(const char *path, struct trustee_key *tk)
{
	char		 text[KEYFILE_MAX];
	const char	*errstr;
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		fprintf(stderr, "factwiki: trustee: %s: %s\n", path,
		    strerror(errno));
		if (fd != -1)
			(void)close(fd);
		return (-1);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		fprintf(stderr, "factwiki: trustee: warning: %s can be read "
		    "by others than you (chmod 600 it)\n", path);
	n = read(fd, text, sizeof(text));
	(void)close(fd);
	if (n < 0 || tk_parse(text, (size_t)n, tk, &errstr) == -1) {
		fprintf(stderr, "factwiki: trustee: %s: %s\n", path,
		    n < 0 ? strerror(errno) : errstr);
		sodium_memzero(text, sizeof(text));
		return (-1);
	}
	sodium_memzero(text, sizeof(text));
	return (0);
}

/*
 * The proposal's board, read (its own board key taken as it is: a trustee
 * checks what it is given to sign, not who signed the entries).
 */
static json_t *
board_get(const char *site, const char *slug, struct bulletin *b)
{
	unsigned char	 pk[BOARD_PUBLICBYTES];
	struct buf	 path, err;
	json_t		*board;

	buf_init(&path);
	buf_init(&err);
	buf_printf(&path, "/api/v1/proposals/%s/board", slug);
	board = cli_json("GET", site, buf_cstr(&path), NULL, &err);
	if (board != NULL) {
		memset(pk, 0, sizeof(pk));
		(void)bulletin_b64(json_string_value(json_object_get(board,
		    "board_key")), pk, sizeof(pk));
		if (bulletin_read(b, board, pk) == -1) {
			buf_printf(&err, "%s", buf_cstr(&b->problems));
			bulletin_free(b);
			json_decref(board);
			board = NULL;
		}
	}
	if (board == NULL)
		fprintf(stderr, "factwiki: trustee: %s\n", buf_cstr(&err));
	buf_free(&path);
	buf_free(&err);
	return (board);
}

static int
my_index(const struct bulletin *b, const struct trustee_key *tk,
    unsigned *index)
{
	unsigned	 i;

	for (i = 0; i < b->n; i++) {
		if (memcmp(b->t[i].pub, tk->pub, TK_PUBLICBYTES) == 0) {
			*index = i + 1;
			return (0);
		}
	}
	fprintf(stderr, "factwiki: trustee: this key is not one of the "
	    "trustees' of %s (%u: ", b->slug, b->n);
	for (i = 0; i < b->n; i++)
		fprintf(stderr, "%s%s", i > 0 ? ", " : "", b->t[i].name);
	fprintf(stderr, ")\n");
	return (-1);
}

/* POSTs body (consumed) to the proposal's what. */
static int
post(const char *site, const char *slug, const char *what, json_t *body)
{
	struct buf	 path, err;
	json_t		*answer;

	buf_init(&path);
	buf_init(&err);
	buf_printf(&path, "/api/v1/proposals/%s/%s", slug, what);
	answer = cli_json("POST", site, buf_cstr(&path), body, &err);
	json_decref(body);
	if (answer == NULL)
		fprintf(stderr, "factwiki: trustee: %s\n", buf_cstr(&err));
	json_decref(answer);
	buf_free(&path);
	buf_free(&err);
	return (answer != NULL ? 0 : -1);
}

/* Deals, if this trustee has not; acknowledges, once everyone has. */
static int
setup(const char *site, const char *slug, const struct trustee_key *tk)
{
	unsigned char		 pubs[DKG_TRUSTEES_MAX][TK_PUBLICBYTES];
	const unsigned char	*dealings[DKG_TRUSTEES_MAX];
	unsigned char		*mine, x[EG_SCALARBYTES], h[32];
	unsigned char		 sig[TK_SIGBYTES];
	char			 key[sodium_base64_ENCODED_LEN(EG_POINTBYTES,
				    sodium_base64_VARIANT_ORIGINAL)];
	struct bulletin		 b;
	const char		*why;
	json_t			*board;
	unsigned		 me, i, bad, missing;
	int			 rc;

	if ((board = board_get(site, slug, &b)) == NULL)
		return (EXIT_INPUT);
	rc = EXIT_INPUT;
	if (b.operator_reads) {
		fprintf(stderr, "factwiki: trustee: %s has no trustees: its "
		    "operator's key reads its bids\n", slug);
		goto out;
	}
	if (my_index(&b, tk, &me) == -1)
		goto out;
	if (b.t[me - 1].dealing == NULL) {
		for (i = 0; i < b.n; i++)
			memcpy(pubs[i], b.t[i].pub, TK_PUBLICBYTES);
		if ((mine = malloc(dkg_dealing_len(b.n, b.k))) == NULL ||
		    dkg_deal(tk, b.ctx, me, b.n, b.k,
		    (const unsigned char (*)[TK_PUBLICBYTES])pubs, mine) != 0) {
			fprintf(stderr, "factwiki: trustee: a trustee's public "
			    "key cannot receive a share\n");
			free(mine);
			goto out;
		}
		if (post(site, slug, "trustee-dealings", json_pack("{s:o}",
		    "dealing", b64(mine, dkg_dealing_len(b.n, b.k)))) == -1) {
			free(mine);
			goto out;
		}
		free(mine);
		printf("dealt the shares of trustee %u of %u (%s)\n", me, b.n,
		    b.t[me - 1].name);
		bulletin_free(&b);
		json_decref(board);
		if ((board = board_get(site, slug, &b)) == NULL)
			return (EXIT_INPUT);
	}
	for (i = missing = 0; i < b.n; i++) {
		if ((dealings[i] = b.t[i].dealing) != NULL)
			continue;
		printf("%s %s", missing++ ? "," : "waiting for the dealings of",
		    b.t[i].name);
	}
	if (missing) {
		printf(": run this again once they have dealt\n");
		rc = 0;
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		if (dkg_dealing_check(dealings[i], dkg_dealing_len(b.n, b.k),
		    b.ctx, i + 1, b.n, b.k, b.t[i].pub, &why) == -1) {
			fprintf(stderr, "factwiki: trustee: %s's dealing: %s: "
			    "the key is not acknowledged; tell the proposal's "
			    "creator\n", b.t[i].name, why);
			goto out;
		}
	}
	if (dkg_share(tk, me, b.n, b.k, dealings, x, &bad, &why) == -1) {
		fprintf(stderr, "factwiki: trustee: %s's dealing: %s: the key "
		    "is not acknowledged; tell the proposal's creator\n",
		    b.t[bad - 1].name, why);
		goto out;
	}
	sodium_memzero(x, sizeof(x));
	dkg_joint_key(b.n, b.k, dealings, b.y);
	sodium_bin2base64(key, sizeof(key), b.y, sizeof(b.y),
	    sodium_base64_VARIANT_ORIGINAL);
	if (b.t[me - 1].acked) {
		printf("the bid key %s is acknowledged\n", key);
		rc = 0;
		goto out;
	}
	dkg_ack_hash(b.ctx, b.y, b.n, b.k, dealings, h);
	dkg_sign(tk, h, sig);
	if (post(site, slug, "trustee-acks", json_pack("{s:o}", "ack",
	    b64(sig, sizeof(sig)))) == -1)
		goto out;
	printf("checked the shares from every trustee; acknowledged the bid "
	    "key %s\n", key);
	rc = 0;
out:
	bulletin_free(&b);
	json_decref(board);
	return (rc);
}

/* After the close: this trustee's part of each bid that counts. */
static int
decrypt(const char *site, const char *slug, const struct trustee_key *tk)
{
	const unsigned char	*dealings[DKG_TRUSTEES_MAX];
	unsigned char		 x[EG_SCALARBYTES], d[EG_POINTBYTES];
	unsigned char		 proof[EG_PROOFBYTES];
	struct bulletin		 b;
	const char		*why, *status;
	json_t			*board, *parts;
	unsigned		 me, i, bad;
	size_t			 n;
	int			 rc;

	if ((board = board_get(site, slug, &b)) == NULL)
		return (EXIT_INPUT);
	rc = EXIT_INPUT;
	status = json_string_value(json_object_get(board, "status"));
	if (my_index(&b, tk, &me) == -1)
		goto out;
	if (status == NULL || strcmp(status, "closed") != 0) {
		fprintf(stderr, "factwiki: trustee: %s is %s: parts are given "
		    "between its close and its tally\n", slug,
		    status != NULL ? status : "of no known status");
		goto out;
	}
	if (!b.has_key) {
		fprintf(stderr, "factwiki: trustee: %s never had a bid key "
		    "that every trustee acknowledged\n", slug);
		goto out;
	}
	if (b.nproblems > 0)
		fprintf(stderr, "factwiki: trustee: the board has problems; "
		    "only its own entries get parts:\n%s",
		    buf_cstr(&b.problems));
	for (i = 0; i < b.n; i++)
		dealings[i] = b.t[i].dealing;
	if (dkg_share(tk, me, b.n, b.k, dealings, x, &bad, &why) == -1) {
		fprintf(stderr, "factwiki: trustee: %s's dealing: %s\n",
		    b.t[bad - 1].name, why);
		goto out;
	}
	parts = json_array();
	for (n = 0; n < b.nbids; n++) {
		if (eg_part(b.ctx, me, x, b.t[me - 1].yj, b.bids[n].ct, d,
		    proof) == -1)
			continue;	/* not a bid: it will count for nothing */
		json_array_append_new(parts, json_pack("{s:I, s:o, s:o}",
		    "seq", (json_int_t)b.bids[n].seq, "part", b64(d, sizeof(d)),
		    "proof", b64(proof, sizeof(proof))));
	}
	sodium_memzero(x, sizeof(x));
	n = json_array_size(parts);
	if (post(site, slug, "trustee-parts", json_pack("{s:o}", "parts",
	    parts)) == 0) {
		printf("gave the parts of %zu bid%s as trustee %u of %u (%s)\n",
		    n, n == 1 ? "" : "s", me, b.n, b.t[me - 1].name);
		rc = 0;
	}
out:
	bulletin_free(&b);
	json_decref(board);
	return (rc);
}

int
cmd_trustee(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "key", required_argument, NULL, 'k' },
		{ "url", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct trustee_key	 tk;
	const char		*out, *keyfile, *url, *what;
	int			 ch, rc;

	out = keyfile = url = NULL;
	what = argc > 1 ? argv[1] : "";
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		default:
			usage_error("trustee: unknown option");
			return (EXIT_USAGE);
		}
	}
	if (!strcmp(what, "keygen") && out != NULL && optind == argc)
		return (keygen(out));
	if ((strcmp(what, "setup") && strcmp(what, "decrypt")) ||
	    keyfile == NULL || optind != argc - 1 ||
	    !slug_valid(argv[optind], strlen(argv[optind]))) {
		usage_error("trustee keygen --out FILE | trustee setup|decrypt "
		    "SLUG --key FILE [--url URL]");
		return (EXIT_USAGE);
	}
	if (key_read(keyfile, &tk) == -1)
		return (EXIT_INPUT);
	if (!strcmp(what, "setup"))
		rc = setup(cli_site(url), argv[optind], &tk);
	else
		rc = decrypt(cli_site(url), argv[optind], &tk);
	tk_wipe(&tk);
	return (rc);
}
