/*
 * The tally of 100,000 sealed bids (claim, read and open them, compute,
 * store the result: app/store/tally.c, as the server runs it) against
 * crypto_box_seal_open() alone over the same 100,000 ciphertexts, timed
 * in the same run.  Target: a ratio of 1.5 at most.
 *
 * It makes its own voters and closed proposals, their bids put in by COPY,
 * in $DATABASE_URL (the throwaway cluster of tests/bench/run.sh; no server
 * must be tallying there).  Each round times the baseline, then a tally;
 * the median of the rounds' ratios is the result, as a busy machine can
 * slow either for a while.
 *
 *   build/tally_bench [VOTERS]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/seal.h"
#include "store/db.h"
#include "store/tally.h"

#define VOTERS		100000
#define ROUNDS		3
#define COPY_CHUNK	(1 << 20)

/* A closed proposal, its bids, and what opens them. */
struct round {
	char		 slug[64];
	unsigned char	 pk[SEAL_PUBLICBYTES];
	unsigned char	 sk[SEAL_SECRETBYTES];
	unsigned char	*cts;
	double		 open;		/* seconds: the baseline */
	double		 tally;
};

static double	now(void);
static void	die(PGconn *, const char *, struct buf *);
static void	copy_in(PGconn *, const char *, struct buf *);
static double	open_all(const struct round *, size_t);
static PGresult	*make_voters(PGconn *, const char *, size_t);
static void	make_proposal(PGconn *, const unsigned char *, const char *,
		    int, PGresult *, size_t, struct round *);
static int	by_ratio(const void *, const void *);

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

/* Seconds that crypto_box_seal_open() takes over every ciphertext. */
static double
open_all(const struct round *r, size_t n)
{
	unsigned char	 m[SEAL_PLAINBYTES];
	double		 start;
	size_t		 i, bad;

	bad = 0;
	start = now();
	for (i = 0; i < n; i++)
		bad += crypto_box_seal_open(m, r->cts + i * SEAL_BIDBYTES,
		    SEAL_BIDBYTES, r->pk, r->sk) != 0;
	start = now() - start;
	if (bad > 0) {
		fprintf(stderr, "tally_bench: %zu bids do not open\n", bad);
		exit(1);
	}
	return (start);
}

/* n voters named "tb1a2b3c4d-0000001"...: their ids, in name order. */
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
	voters = PQexecParams(conn, "SELECT id FROM users WHERE name LIKE $1 "
	    "ORDER BY name", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(voters) != PGRES_TUPLES_OK ||
	    (size_t)PQntuples(voters) != n)
		die(conn, "users", &err);
	return (voters);
}

/*
 * A proposal that closed an hour ago, its keys wrapped under master, and
 * a bid of every voter, sealed as the server seals them.
 */
static void
make_proposal(PGconn *conn, const unsigned char *master, const char *run,
    int round, PGresult *voters, size_t n, struct round *r)
{
	unsigned char	 wrapped[SEAL_WRAPPEDBYTES];
	char		 pk_hex[2 * SEAL_PUBLICBYTES + 1];
	char		 wrapped_hex[2 * SEAL_WRAPPEDBYTES + 1];
	char		 key_id[SEAL_KEYID_STRLEN];
	char		 receipt[SEAL_RECEIPT_STRLEN];
	char		 hex[2 * SEAL_BIDBYTES + 1];
	const char	*params[6];
	struct buf	 rows, err;
	PGresult	*res;
	int64_t		 amount;
	size_t		 i;

	buf_init(&rows);
	buf_init(&err);
	seal_master_id(master, key_id);
	seal_keypair(master, r->pk, wrapped);
	if (seal_unwrap(master, wrapped, r->pk, r->sk) == -1)
		die(NULL, "keys", &err);
	sodium_bin2hex(pk_hex, sizeof(pk_hex), r->pk, sizeof(r->pk));
	sodium_bin2hex(wrapped_hex, sizeof(wrapped_hex), wrapped,
	    sizeof(wrapped));
	(void)snprintf(r->slug, sizeof(r->slug), "tally-bench-%s-%d", run,
	    round);
	params[0] = r->slug;
	params[1] = pk_hex;
	params[2] = wrapped_hex;
	params[3] = key_id;
	params[4] = clarke_tax_name(CLARKE_TAX_DEFAULT);
	params[5] = clarke_payout_name(CLARKE_PAYOUT_DEFAULT);
	res = PQexecParams(conn, "INSERT INTO proposals (slug, title, "
	    "project, cost, currency, opens_at, closes_at, creator_id, "
	    "public_key, sealed_secret_key, master_key_id, tax_rule, "
	    "payout_rule) VALUES ($1, 'Tally benchmark', 'factwiki', 1234567, "
	    "'EUR', now() - interval '2 hours', now() - interval '1 hour', "
	    "(SELECT id FROM users WHERE name = 'system'), decode($2, 'hex'), "
	    "decode($3, 'hex'), $4, $5, $6) RETURNING id", 6, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die(conn, "proposal", &err);
	if ((r->cts = malloc(n * SEAL_BIDBYTES)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		amount = (int64_t)randombytes_uniform(200000001) - 100000000;
		seal_bid(r->pk, strtoll(PQgetvalue(voters, (int)i, 0), NULL,
		    10), amount, r->cts + i * SEAL_BIDBYTES);
		seal_receipt(r->cts + i * SEAL_BIDBYTES, SEAL_BIDBYTES,
		    receipt);
		sodium_bin2hex(hex, sizeof(hex), r->cts + i * SEAL_BIDBYTES,
		    SEAL_BIDBYTES);
		buf_printf(&rows, "%s\t%s\t\\\\x%s\t%s\n",
		    PQgetvalue(res, 0, 0), PQgetvalue(voters, (int)i, 0), hex,
		    receipt);
	}
	PQclear(res);
	copy_in(conn, "COPY bids (proposal_id, voter_id, ciphertext, receipt) "
	    "FROM STDIN", &rows);
	buf_free(&rows);
	buf_free(&err);
}

static int
by_ratio(const void *a, const void *b)
{
	const struct round	*x = a, *y = b;
	double			 rx, ry;

	rx = x->tally / x->open;
	ry = y->tally / y->open;
	return (rx < ry ? -1 : rx > ry);
}

int
main(int argc, char *argv[])
{
	struct round	 rounds[ROUNDS];
	unsigned char	 master[SEAL_MASTERBYTES];
	char		 run[9];
	const char	*url;
	struct buf	 log, err;
	PGconn		*conn;
	PGresult	*voters;
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

	randombytes_buf(master, 4);
	sodium_bin2hex(run, sizeof(run), master, 4);
	seal_master_new(master);
	voters = make_voters(conn, run, n);
	for (i = 0; i < ROUNDS; i++)
		make_proposal(conn, master, run, i, voters, n, &rounds[i]);
	PQclear(voters);
	if (store_exec(conn, "VACUUM ANALYZE users", &err) == -1 ||
	    store_exec(conn, "VACUUM ANALYZE bids", &err) == -1 ||
	    store_exec(conn, "CHECKPOINT", &err) == -1)
		die(NULL, "vacuum", &err);

	for (i = 0; i < ROUNDS; i++) {
		rounds[i].open = open_all(&rounds[i], n);
		rounds[i].tally = now();
		if (store_tally_slug(conn, master, rounds[i].slug, &log,
		    &err) == -1)
			die(NULL, "tally", &err);
		rounds[i].tally = now() - rounds[i].tally;
		printf("round %d: crypto_box_seal_open of %zu bids %6.2fs, "
		    "tally %6.2fs: %.2f\n", i + 1, n, rounds[i].open,
		    rounds[i].tally, rounds[i].tally / rounds[i].open);
		sodium_memzero(rounds[i].sk, sizeof(rounds[i].sk));
	}
	qsort(rounds, ROUNDS, sizeof(rounds[0]), by_ratio);
	printf("tally of %zu sealed bids / crypto_box_seal_open alone: "
	    "%.2f, the median of %d rounds (target <= 1.5)\n", n,
	    rounds[ROUNDS / 2].tally / rounds[ROUNDS / 2].open, ROUNDS);
	for (i = 0; i < ROUNDS; i++)
		free(rounds[i].cts);
	sodium_memzero(master, sizeof(master));
	buf_free(&log);
	buf_free(&err);
	PQfinish(conn);
	return (0);
}
