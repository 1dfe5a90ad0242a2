/*
 * The tally of 100,000 bids of a proposal its operator reads (app/store/
 * tally.c, as the server runs it) against the least work that opening
 * those bids needs, timed in the same run.
 *
 * The baseline is libsodium alone, per bid: K = x*R
 * (crypto_scalarmult_ristretto255), the bid's key, a BLAKE2b of R and K
 * (crypto_generichash), and crypto_aead_xchacha20poly1305_ietf_decrypt;
 * its inputs are laid out as core/elgamal.c lays them, and every bid must
 * open.  The associated data, a hash of public data (the bid key and the
 * voter), is made before the clock starts.
 *
 * Beyond that, per bid, the tally reads the board from the database as
 * JSON (api.board()); checks the entry's hash and its Ed25519 signature;
 * makes the server's part D = x*R with a Chaum-Pedersen proof (w*G, w*R,
 * a hash) and stores it as JSON in trustee_parts; checks that proof
 * (s*G, c*Y, s*R, c*D, a hash) and every point it takes; combines the
 * parts (lambda*D, one part: lambda = 1); opens the bid (the key, the
 * associated data, the decryption); then computes and stores the result.
 * That is eight scalar multiplications and a signature check where the
 * baseline has one multiplication.  A second baseline adds the raw calls
 * of the signature check and of making and checking the proof; the rest
 * (JSON, the database, point checks, the combine, Clarke) is what it
 * leaves out.
 *
 * There is no target for this scheme: both ratios are printed.  (The
 * target of 1.5 was set against crypto_box_seal_open() alone, for bids
 * sealed to a key the server held whole.)
 *
 * The proposal has every voter on its roll, each holding the deposit a
 * first bid takes, so that the tally settles every voter in the ledger
 * (api.settle(), in the statement that stores the result).  What that
 * settlement costs is timed on its own: the same statement, with the
 * tally's result, on a twin proposal whose voters hold the same
 * deposits; the tally without it is the tally less that.  The target:
 * the tally with its settlement at most 1.3 times the tally without.
 * The settlement's own baseline is the least work of writing its rows: a
 * plain INSERT of the same rows, from a table holding just them, into a
 * bare table of the ledger's columns (no key, index, check or trigger).
 *
 * It makes its own master key (registering its board key, as the server's
 * first start does), voters and closed proposals, each with a bid of every
 * voter as a signed, chained board entry put in by COPY, in $DATABASE_URL
 * (the throwaway cluster of tests/bench/run.sh; no server must be
 * tallying there).  Each round times both baselines, then a tally; the
 * median of the rounds' ratios is the result, as a busy machine can slow
 * either for a while.
 *
 *   build/tally_bench [VOTERS]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/board.h"
#include "core/buf.h"
#include "core/clarke.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/keeper.h"
#include "core/seal.h"
#include "store/db.h"
#include "store/keys.h"
#include "store/tally.h"

#define VOTERS		100000
#define ROUNDS		3
#define COPY_CHUNK	(1 << 20)
/* core/elgamal.c's domains. */
#define KEY_DOMAIN	"factwiki bid key"
#define AD_DOMAIN	"factwiki bid ad"
#define PROOF_DOMAIN	"factwiki part proof"
/* Room for a hash's input: its domain and up to seven parts of 32 bytes. */
#define INPUT_MAX	(8 + 32 + 7 * (8 + 32))

/* A closed proposal, its bids, and what opens and checks them. */
struct round {
	char		 slug[64];
	unsigned char	 x[EG_SCALARBYTES];	/* the bid key's scalar */
	unsigned char	 y[EG_POINTBYTES];
	unsigned char	 ctx[32];
	unsigned char	 board_pk[BOARD_PUBLICBYTES];
	unsigned char	*cts;			/* EG_BIDBYTES a bid */
	unsigned char	*ads;			/* 32 */
	unsigned char	*hashes;		/* BOARD_HASHBYTES */
	unsigned char	*sigs;			/* BOARD_SIGBYTES */
	double		 open;			/* seconds: the baseline */
	double		 checked;		/* and the checks */
	double		 tally;
	double		 settle;		/* api.settle() alone */
	double		 rows;			/* its rows, plainly */
	char		 twin[72];
	char		 id[24], twin_id[24];
};

static double	now(void);
static void	die(PGconn *, const char *, struct buf *);
static void	copy_in(PGconn *, const char *, struct buf *);
static unsigned char	*part(unsigned char *, const void *, size_t);
static void	hash_of(unsigned char *, size_t, const char *,
		    const unsigned char *const *, const size_t *, size_t);
static int	bid_open(const struct round *, size_t,
		    unsigned char *);
static int	bid_check(const struct round *, size_t,
		    const unsigned char *);
static void	challenge(const struct round *, const unsigned char *,
		    const unsigned char *, const unsigned char *,
		    const unsigned char *, unsigned char *);
static double	time_bids(const struct round *, size_t, int);
static PGresult	*make_voters(PGconn *, const char *, size_t);
static void	make_proposal(PGconn *, const unsigned char *, const char *,
		    int, PGresult *, size_t, struct round *);
static void	hold_deposits(PGconn *, const char *, const char *);
static void	check_result(PGconn *, const struct round *, size_t);
static double	time_settle(PGconn *, const struct round *);
static double	time_rows(PGconn *, const struct round *);
static double	median(double *);
static int	by_value(const void *, const void *);

static double
now(void)
{
	struct timespec	 ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
die(PGconn *conn, const char *what, struct buf *err)
{
	if (conn != NULL)
		buf_printf(err, "%s", PQerrorMessage(conn));
	fprintf(stderr, "tally_bench: %s: %s\n", what, buf_cstr(err));
	exit(1);
}

/* COPY sql FROM STDIN with rows, in one go. */
static void
copy_in(PGconn *conn, const char *sql, struct buf *rows)
{
	struct buf	 err;
	PGresult	*res;
	size_t		 off, n;

	buf_init(&err);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		die(conn, sql, &err);
	PQclear(res);
	for (off = 0; off < rows->len; off += n) {
		n = rows->len - off < COPY_CHUNK ? rows->len - off : COPY_CHUNK;
		if (PQputCopyData(conn, rows->data + off, (int)n) != 1)
			die(conn, sql, &err);
	}
	if (PQputCopyEnd(conn, NULL) != 1)
		die(conn, sql, &err);
	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die(conn, sql, &err);
	PQclear(res);
	buf_free(&err);
}

/* One part of a hash's input as core/transcript.h frames it. */
static unsigned char *
part(unsigned char *p, const void *v, size_t len)
{
	uint64_t	 n = len;
	int		 i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
	memcpy(p + 8, v, len);
	return (p + 8 + len);
}

/* crypto_generichash of H(domain; parts...), outlen bytes. */
static void
hash_of(unsigned char *out, size_t outlen, const char *domain,
    const unsigned char *const *parts, const size_t *lens, size_t n)
{
	unsigned char	 in[INPUT_MAX], *p;
	size_t		 i, len;

	for (i = 0, len = 8 + strlen(domain); i < n; i++)
		len += 8 + lens[i];
	if (len > sizeof(in))
		abort();
	p = part(in, domain, strlen(domain));
	for (i = 0; i < n; i++)
		p = part(p, parts[i], lens[i]);
	(void)crypto_generichash(out, outlen, in, (size_t)(p - in), NULL, 0);
}

/* The baseline's work for bid i: k = x*R, the bid's key, the decryption. */
static int
bid_open(const struct round *r, size_t i, unsigned char *k)
{
	unsigned char		 key[32], plain[EG_AMOUNTBYTES];
	unsigned char		 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	const unsigned char	*ct = r->cts + i * EG_BIDBYTES;
	const unsigned char	*parts[2];
	size_t			 lens[2] = { EG_POINTBYTES, EG_POINTBYTES };

	if (crypto_scalarmult_ristretto255(k, r->x, ct) != 0)
		return (-1);
	parts[0] = ct;
	parts[1] = k;
	hash_of(key, sizeof(key), KEY_DOMAIN, parts, lens, 2);
	memset(nonce, 0, sizeof(nonce));
	return (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL,
	    ct + EG_POINTBYTES, EG_AMOUNTBYTES + EG_MACBYTES, r->ads + i * 32,
	    32, nonce, key) == 0 ? 0 : -1);
}

/* The proof's challenge: elgamal.c's, a hash reduced to a scalar. */
static void
challenge(const struct round *r, const unsigned char *ct,
    const unsigned char *d, const unsigned char *a, const unsigned char *b,
    unsigned char *c)
{
	static const unsigned char	 index[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	unsigned char			 wide[64];
	const unsigned char		*parts[7];
	size_t				 lens[7] = { 32, 8, 32, 32, 32, 32, 32 };

	parts[0] = r->ctx;
	parts[1] = index;
	parts[2] = r->y;
	parts[3] = ct;
	parts[4] = d;
	parts[5] = a;
	parts[6] = b;
	hash_of(wide, sizeof(wide), PROOF_DOMAIN, parts, lens, 7);
	crypto_core_ristretto255_scalar_reduce(c, wide);
}

/*
 * What the second baseline adds for bid i: its entry's signature, and the
 * proof of its part d (with one holder, d is K): made, then checked.
 */
static int
bid_check(const struct round *r, size_t i, const unsigned char *d)
{
	const unsigned char	*ct = r->cts + i * EG_BIDBYTES;
	unsigned char		 w[32], a[32], b[32], c[32], cx[32], s[32];
	unsigned char		 sg[32], cy[32], sr[32], cd[32], again[32];

	if (crypto_sign_verify_detached(r->sigs + i * BOARD_SIGBYTES,
	    r->hashes + i * BOARD_HASHBYTES, BOARD_HASHBYTES, r->board_pk) != 0)
		return (-1);
	crypto_core_ristretto255_scalar_random(w);
	if (crypto_scalarmult_ristretto255_base(a, w) != 0 ||
	    crypto_scalarmult_ristretto255(b, w, ct) != 0)
		return (-1);
	challenge(r, ct, d, a, b, c);
	crypto_core_ristretto255_scalar_mul(cx, c, r->x);
	crypto_core_ristretto255_scalar_add(s, w, cx);
	if (crypto_scalarmult_ristretto255_base(sg, s) != 0 ||
	    crypto_scalarmult_ristretto255(cy, c, r->y) != 0 ||
	    crypto_scalarmult_ristretto255(sr, s, ct) != 0 ||
	    crypto_scalarmult_ristretto255(cd, c, d) != 0)
		return (-1);
	crypto_core_ristretto255_sub(a, sg, cy);
	crypto_core_ristretto255_sub(b, sr, cd);
	challenge(r, ct, d, a, b, again);
	return (memcmp(again, c, sizeof(c)) == 0 ? 0 : -1);
}

/* Seconds that the baseline takes over every bid, with the checks or not. */
static double
time_bids(const struct round *r, size_t n, int checks)
{
	unsigned char	 k[EG_POINTBYTES];
	double		 start;
	size_t		 i, bad;

	bad = 0;
	start = now();
	for (i = 0; i < n; i++)
		bad += bid_open(r, i, k) == -1 ||
		    (checks && bid_check(r, i, k) == -1);
	start = now() - start;
	if (bad > 0) {
		fprintf(stderr, "tally_bench: %zu bids do not open or check\n",
		    bad);
		exit(1);
	}
	return (start);
}

/* n voters named "tb1a2b3c4d-0000001"...: id and name, in name order. */
static PGresult *
make_voters(PGconn *conn, const char *run, size_t n)
{
	struct buf	 rows, err;
	PGresult	*voters;
	const char	*params[1];
	char		 like[32];
	size_t		 i;

	buf_init(&rows);
	buf_init(&err);
	for (i = 0; i < n; i++)
		buf_printf(&rows, "tb%s-%07zu\n", run, i);
	copy_in(conn, "COPY users (name) FROM STDIN", &rows);
	buf_free(&rows);
	(void)snprintf(like, sizeof(like), "tb%s-%%", run);
	params[0] = like;
	voters = PQexecParams(conn, "SELECT id, name FROM users WHERE name "
	    "LIKE $1 ORDER BY name", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(voters) != PGRES_TUPLES_OK ||
	    (size_t)PQntuples(voters) != n)
		die(conn, "users", &err);
	return (voters);
}

/*
 * A proposal its operator reads, closed an hour ago, its scalar wrapped
 * under master, and a bid of every voter made as the server makes one:
 * sealed to the bid key, an entry chained to the one before, signed.
 */
static void
make_proposal(PGconn *conn, const unsigned char *master, const char *run,
    int round, PGresult *voters, size_t n, struct round *r)
{
	unsigned char		 wrapped[EG_WRAPPEDBYTES];
	unsigned char		 board_sk[BOARD_SECRETBYTES];
	unsigned char		*ct, *hash;
	char			 y_hex[2 * EG_POINTBYTES + 1];
	char			 wrapped_hex[2 * EG_WRAPPEDBYTES + 1];
	char			 key_id[SEAL_KEYID_STRLEN];
	char			 hex[2 * EG_BIDBYTES + 1], at[32];
	const unsigned char	*parts[2];
	size_t			 lens[2];
	const char		*params[6], *voter;
	struct board_entry	 e;
	struct buf		 rows, err;
	PGresult		*res;
	time_t			 t;
	int64_t			 amount;
	size_t			 i;

	buf_init(&rows);
	buf_init(&err);
	seal_master_id(master, key_id);
	board_key(master, r->board_pk, board_sk);
	eg_keypair(r->x, r->y);
	eg_wrap(master, r->x, wrapped);
	sodium_bin2hex(y_hex, sizeof(y_hex), r->y, sizeof(r->y));
	sodium_bin2hex(wrapped_hex, sizeof(wrapped_hex), wrapped,
	    sizeof(wrapped));
	(void)snprintf(r->slug, sizeof(r->slug), "tally-bench-%s-%d", run,
	    round);
	dkg_context(r->slug, 1, 0, NULL, r->ctx);
	params[0] = r->slug;
	params[1] = y_hex;
	params[2] = wrapped_hex;
	params[3] = key_id;
	params[4] = clarke_tax_name(CLARKE_TAX_DEFAULT);
	params[5] = clarke_payout_name(CLARKE_PAYOUT_DEFAULT);
	if (snprintf(r->twin, sizeof(r->twin), "%s-twin", r->slug) >=
	    (int)sizeof(r->twin))
		abort();
	/* The twin first: its settlement alone is timed. */
	for (i = 0; i < 2; i++) {
		params[0] = i == 0 ? r->twin : r->slug;
		res = PQexecParams(conn, "INSERT INTO proposals (slug, title, "
		    "project, cost, currency, opens_at, closes_at, "
		    "creator_id, surplus_to, electorate, max_bid, readers, "
		    "threshold, bid_key, wrapped_key, master_key_id, "
		    "board_key_id, tax_rule, payout_rule) SELECT $1, "
		    "'Tally benchmark', 'factwiki', 1234567, 'EUR', "
		    "now() - interval '2 hours', now() - interval '1 hour', "
		    "u.id, u.id, 'roll', 100000000, 'operator', 1, "
		    "decode($2, 'hex'), decode($3, 'hex'), $4, $4, $5, $6 "
		    "FROM users u WHERE u.name = 'system' RETURNING id", 6,
		    NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			die(conn, "proposal", &err);
		(void)snprintf(i == 0 ? r->twin_id : r->id, sizeof(r->id),
		    "%s", PQgetvalue(res, 0, 0));
		hold_deposits(conn, i == 0 ? r->twin_id : r->id, run);
		if (i == 0)
			PQclear(res);
	}
	params[0] = r->slug;

	/* Every entry at one whole second, as api.utc_iso() writes it. */
	t = time(NULL) - 90 * 60;
	(void)strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if ((r->cts = malloc(n * EG_BIDBYTES)) == NULL ||
	    (r->ads = malloc(n * 32)) == NULL ||
	    (r->hashes = malloc(n * BOARD_HASHBYTES)) == NULL ||
	    (r->sigs = malloc(n * BOARD_SIGBYTES)) == NULL)
		abort();
	memset(&e, 0, sizeof(e));
	e.at = at;
	e.ciphertext_len = EG_BIDBYTES;
	for (i = 0; i < n; i++) {
		voter = PQgetvalue(voters, (int)i, 1);
		ct = r->cts + i * EG_BIDBYTES;
		hash = r->hashes + i * BOARD_HASHBYTES;
		/* Within max_bid, 1,000,000.00 either way. */
		amount = (int64_t)randombytes_uniform(200000001) - 100000000;
		if (eg_seal(r->y, voter, amount, ct) == -1)
			die(NULL, "eg_seal", &err);
		parts[0] = r->y;
		lens[0] = EG_POINTBYTES;
		parts[1] = (const unsigned char *)voter;
		lens[1] = strlen(voter);
		hash_of(r->ads + i * 32, 32, AD_DOMAIN, parts, lens, 2);
		e.seq = i + 1;
		e.voter = voter;
		e.ciphertext = ct;
		board_hash(r->ctx, &e, hash);
		board_sign(board_sk, hash, r->sigs + i * BOARD_SIGBYTES);

		buf_printf(&rows, "%s\t%zu\t%s\t%s\t", PQgetvalue(res, 0, 0),
		    i + 1, PQgetvalue(voters, (int)i, 0), at);
		sodium_bin2hex(hex, sizeof(hex), ct, EG_BIDBYTES);
		buf_printf(&rows, "\\\\x%s\t", hex);
		sodium_bin2hex(hex, sizeof(hex), e.prev, BOARD_HASHBYTES);
		buf_printf(&rows, "\\\\x%s\t", hex);
		sodium_bin2hex(hex, sizeof(hex), hash, BOARD_HASHBYTES);
		buf_printf(&rows, "\\\\x%s\t", hex);
		sodium_bin2hex(hex, sizeof(hex), r->sigs + i * BOARD_SIGBYTES,
		    BOARD_SIGBYTES);
		buf_printf(&rows, "\\\\x%s\n", hex);
		memcpy(e.prev, hash, BOARD_HASHBYTES);
	}
	PQclear(res);
	sodium_memzero(board_sk, sizeof(board_sk));
	copy_in(conn, "COPY board_entries (proposal_id, seq, voter_id, at, "
	    "ciphertext, prev, hash, signature) FROM STDIN", &rows);
	buf_free(&rows);
	buf_free(&err);
}

/*
 * Every voter named "tb<run>-..." on proposal id's roll, and holding the
 * deposit a first bid takes (max_bid and the cost share over the roll),
 * each a movement from the world, as a credit and the deposit would be.
 */
static void
hold_deposits(PGconn *conn, const char *id, const char *run)
{
	struct buf	 err;
	PGresult	*res;
	const char	*params[2];
	char		 like[32];
	int		 i;
	static const char *const sql[] = {
		"INSERT INTO proposal_voters (proposal_id, user_id) SELECT $1, "
		"id FROM users WHERE name LIKE $2",
		"WITH v AS (SELECT u.id, p.max_bid + p.cost / count(*) OVER () "
		"+ CASE WHEN row_number() OVER (ORDER BY u.name COLLATE \"C\") "
		"<= p.cost % count(*) OVER () THEN 1 ELSE 0 END AS deposit, "
		"nextval('ledger_txn') AS txn FROM proposals p, users u "
		"WHERE p.id = $1 AND u.name LIKE $2) "
		"INSERT INTO ledger (txn, account, user_id, proposal_id, "
		"currency, amount, memo) SELECT v.txn, a.account, a.user_id, "
		"a.proposal_id, 'EUR', a.amount, 'deposit' FROM v, LATERAL "
		"(VALUES ('world', NULL::bigint, NULL::bigint, -v.deposit), "
		"('deposit', v.id, $1::bigint, v.deposit)) "
		"AS a(account, user_id, proposal_id, amount)",
	};

	buf_init(&err);
	(void)snprintf(like, sizeof(like), "tb%s-%%", run);
	params[0] = id;
	params[1] = like;
	for (i = 0; i < 2; i++) {
		res = PQexecParams(conn, sql[i], 2, NULL, params, NULL, NULL,
		    0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			die(conn, "deposits", &err);
		PQclear(res);
	}
	buf_free(&err);
}

/*
 * Seconds that the settlement alone takes: api.settle() of the tally's
 * result, on the twin whose voters hold the same deposits.
 */
static double
time_settle(PGconn *conn, const struct round *r)
{
	struct buf	 err;
	PGresult	*doc, *res;
	const char	*params[2];
	double		 start;

	buf_init(&err);
	params[0] = r->id;
	doc = PQexecParams(conn, "SELECT doc FROM results WHERE proposal_id "
	    "= $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(doc) != PGRES_TUPLES_OK || PQntuples(doc) != 1)
		die(conn, "the result", &err);
	params[0] = r->twin_id;
	params[1] = PQgetvalue(doc, 0, 0);
	start = now();
	res = PQexecParams(conn, "SELECT api.settle($1, $2::json)", 2, NULL,
	    params, NULL, NULL, 0);
	start = now() - start;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die(conn, "api.settle", &err);
	PQclear(res);
	PQclear(doc);
	buf_free(&err);
	return (start);
}

/* Seconds that a plain INSERT of the twin's settlement's rows takes. */
static double
time_rows(PGconn *conn, const struct round *r)
{
	struct buf	 err;
	PGresult	*res;
	const char	*params[1];
	double		 start;

	buf_init(&err);
	params[0] = r->twin_id;
	res = PQexecParams(conn, "CREATE TABLE bench_rows AS SELECT txn, "
	    "account, user_id, proposal_id, currency, amount, memo, at FROM "
	    "ledger WHERE txn IN (SELECT txn FROM ledger WHERE proposal_id = "
	    "$1 AND memo <> 'deposit')", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	    store_exec(conn, "CREATE TABLE bench_ledger AS SELECT * FROM "
	    "bench_rows WITH NO DATA", &err) == -1 ||
	    store_exec(conn, "VACUUM ANALYZE bench_rows", &err) == -1)
		die(conn, "the settlement's rows", &err);
	PQclear(res);
	start = now();
	if (store_exec(conn, "INSERT INTO bench_ledger SELECT * FROM "
	    "bench_rows", &err) == -1)
		die(conn, "the plain insert", &err);
	start = now() - start;
	if (store_exec(conn, "DROP TABLE bench_rows, bench_ledger", &err) == -1)
		die(conn, "drop", &err);
	buf_free(&err);
	return (start);
}

/* The tally counted every bid, and found nothing wrong with the board. */
static void
check_result(PGconn *conn, const struct round *r, size_t n)
{
	struct buf	 err;
	PGresult	*res;
	const char	*params[2];
	char		 voters[24];

	buf_init(&err);
	(void)snprintf(voters, sizeof(voters), "%zu", n);
	params[0] = r->slug;
	params[1] = voters;
	res = PQexecParams(conn, "SELECT r.voters = $2::integer AND "
	    "json_array_length(r.doc::json -> 'board' -> 'problems') = 0 AND "
	    "json_array_length(r.doc::json -> 'invalid') = 0 FROM results r "
	    "JOIN proposals p ON p.id = r.proposal_id WHERE p.slug = $1", 2,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
	    strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		die(conn, "the tally did not count every bid, or found "
		    "problems", &err);
	PQclear(res);
	buf_free(&err);
}

static int
by_value(const void *a, const void *b)
{
	const double	*x = a, *y = b;

	return (*x < *y ? -1 : *x > *y);
}

static double
median(double *v)
{
	qsort(v, ROUNDS, sizeof(v[0]), by_value);
	return (v[ROUNDS / 2]);
}

int
main(int argc, char *argv[])
{
	struct round	 rounds[ROUNDS];
	unsigned char	 master[SEAL_MASTERBYTES], tag[4];
	struct keeper	 keeper;
	char		 run[2 * sizeof(tag) + 1];
	char		 dir[] = "/tmp/tally_bench.XXXXXX", path[64];
	double		 ratio[ROUNDS], ratio_checked[ROUNDS], settled[ROUNDS];
	double		 plain[ROUNDS];
	const char	*url;
	struct buf	 log, err;
	PGconn		*conn;
	PGresult	*res;
	size_t		 n;
	int		 i;

	n = argc > 1 ? strtoul(argv[1], NULL, 10) : VOTERS;
	if (n == 0 || sodium_init() == -1)
		return (1);
	buf_init(&log);
	buf_init(&err);
	if ((url = getenv("DATABASE_URL")) == NULL ||
	    (conn = store_connect(url, &err)) == NULL)
		die(NULL, "DATABASE_URL", &err);

	/* A master key made and registered as the server's first start does. */
	if (mkdtemp(dir) == NULL)
		die(NULL, "mkdtemp", &err);
	(void)snprintf(path, sizeof(path), "%s/master.key", dir);
	if (store_key_load(conn, path, 1, master, &log, &err) == -1)
		die(NULL, "the master key", &err);
	(void)unlink(path);
	(void)rmdir(dir);
	randombytes_buf(tag, sizeof(tag));
	sodium_bin2hex(run, sizeof(run), tag, sizeof(tag));

	res = make_voters(conn, run, n);
	for (i = 0; i < ROUNDS; i++)
		make_proposal(conn, master, run, i, res, n, &rounds[i]);
	PQclear(res);
	if (store_exec(conn, "VACUUM ANALYZE users", &err) == -1 ||
	    store_exec(conn, "VACUUM ANALYZE board_entries", &err) == -1 ||
	    store_exec(conn, "VACUUM ANALYZE ledger", &err) == -1 ||
	    store_exec(conn, "VACUUM ANALYZE proposal_voters", &err) == -1 ||
	    store_exec(conn, "CHECKPOINT", &err) == -1)
		die(NULL, "vacuum", &err);

	keeper_local(&keeper, master);
	for (i = 0; i < ROUNDS; i++) {
		rounds[i].open = time_bids(&rounds[i], n, 0);
		rounds[i].checked = time_bids(&rounds[i], n, 1);
		rounds[i].tally = now();
		if (store_tally_slug(conn, &keeper, rounds[i].slug, &log,
		    &err) == -1)
			die(NULL, "tally", &err);
		rounds[i].tally = now() - rounds[i].tally;
		check_result(conn, &rounds[i], n);
		rounds[i].settle = time_settle(conn, &rounds[i]);
		rounds[i].rows = time_rows(conn, &rounds[i]);
		plain[i] = rounds[i].settle / rounds[i].rows;
		ratio[i] = rounds[i].tally / rounds[i].open;
		ratio_checked[i] = rounds[i].tally / rounds[i].checked;
		settled[i] = rounds[i].tally /
		    (rounds[i].tally - rounds[i].settle);
		printf("round %d, %zu bids: baseline %6.2fs, with the signature "
		    "and proof %6.2fs, tally %6.2fs: %.2f, %.2f; its "
		    "settlement %5.2fs: %.2f; its rows plainly %5.2fs: %.2f\n",
		    i + 1, n, rounds[i].open, rounds[i].checked,
		    rounds[i].tally, ratio[i], ratio_checked[i],
		    rounds[i].settle, settled[i], rounds[i].rows, plain[i]);
		sodium_memzero(rounds[i].x, sizeof(rounds[i].x));
		free(rounds[i].cts);
		free(rounds[i].ads);
		free(rounds[i].hashes);
		free(rounds[i].sigs);
	}
	printf("tally of %zu bids / the baseline (x*R, key, decrypt): %.2f, "
	    "the median of %d rounds (no target)\n", n, median(ratio), ROUNDS);
	printf("tally of %zu bids / the baseline with a signature check and "
	    "the proof made and checked: %.2f, the median of %d rounds\n", n,
	    median(ratio_checked), ROUNDS);
	printf("tally of %zu bids with the settlement of every voter / "
	    "without: %.2f, the median of %d rounds (target <= 1.3)\n", n,
	    median(settled), ROUNDS);
	printf("settlement of %zu voters / a plain INSERT of its rows into a "
	    "bare table: %.2f, the median of %d rounds (no target)\n", n,
	    median(plain), ROUNDS);
	sodium_memzero(master, sizeof(master));
	keeper_clear(&keeper);
	buf_free(&log);
	buf_free(&err);
	PQfinish(conn);
	return (0);
}
