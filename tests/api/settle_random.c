/*
 * settle_random N: N random elections (every rule, half of them on a roll
 * that some of its voters do not bid on), each tallied and settled by the
 * server's own code (store_tally_slug(), its settlement in the statement
 * that stores the result), in $DATABASE_URL, with the key file the server
 * uses ($FACTWIKI_KEY_FILE, else var/master.key).  After each: every
 * movement of the ledger balances and so does the whole ledger; the
 * proposal's deposits and pool are empty; each voter's balance moved by
 * exactly what the result says (the cost share if adopted, the tax, the
 * payout) and surplus_to's by the rest.  Every tenth election is tallied
 * by two processes at once, and a running server may tally any of them
 * too: one settles, the others find it tallied, and nothing is settled
 * twice.  Prints a line, exits 0, or 1 naming the
 * first election that broke a rule.
 */

#include <sys/wait.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "core/board.h"
#include "core/buf.h"
#include "core/clarke.h"
#include "core/dkg.h"
#include "core/elgamal.h"
#include "core/keeper.h"
#include "core/money.h"
#include "core/seal.h"
#include "store/db.h"
#include "store/keys.h"
#include "store/tally.h"

#define VOTERS_MAX	12
#define POOL		24

static PGconn		*conn;
static unsigned char	 master[SEAL_MASTERBYTES];
static struct keeper	 keeper;
static char		 run[9];

static void	die(const char *, ...) __attribute__((format(printf, 1, 2)));
static PGresult	*q(const char *, int, const char *const *);
static const char *one(const char *, int, const char *const *);
static void	election(int);
static void	balances(int64_t *, int64_t *);
static int64_t	amount_of(json_t *, const char *);

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "settle_random: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static PGresult *
q(const char *sql, int n, const char *const *params)
{
	PGresult	*res;

	res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK)
		die("%s: %s", sql, PQerrorMessage(conn));
	return (res);
}

/* The first value of a one-row query, kept until the next call. */
static const char *
one(const char *sql, int n, const char *const *params)
{
	static char	*keep;
	PGresult	*res;

	res = q(sql, n, params);
	free(keep);
	if ((keep = strdup(PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) :
	    "")) == NULL)
		abort();
	PQclear(res);
	return (keep);
}

static int64_t
amount_of(json_t *v, const char *key)
{
	const char	*s = json_string_value(json_object_get(v, key)), *errstr;
	int64_t		 cents;

	if (s == NULL || money_parse(s, strlen(s), &cents, &errstr) == -1)
		die("the result's %s is not an amount", key);
	return (cents);
}

/* The balances of the pool's voters, and of surplus_to. */
static void
balances(int64_t *voters, int64_t *fund)
{
	PGresult	*res;
	const char	*p[1], *dash;
	int		 i;

	p[0] = run;
	res = q("SELECT name, api.balance(id, 'EUR') FROM users WHERE name "
	    "LIKE 'sr' || $1 || '-%'", 1, p);
	for (i = 0; i < PQntuples(res); i++) {
		dash = strrchr(PQgetvalue(res, i, 0), '-') + 1;
		if (!strcmp(dash, "fund"))
			*fund = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		else
			voters[atoi(dash)] = strtoll(PQgetvalue(res, i, 1),
			    NULL, 10);
	}
	PQclear(res);
}

/* Election e: random voters, rules, roll and bids; tallied; checked. */
static void
election(int e)
{
	static const char *const taxes[] = { "pivot", "coalition-equal",
	    "coalition-prorata" };
	/* redistribute last: it follows pivot alone. */
	static const char *const payouts[] = { "none", "losers-prorata",
	    "redistribute" };
	unsigned char		 x[EG_SCALARBYTES], y[EG_POINTBYTES];
	unsigned char		 wrapped[EG_WRAPPEDBYTES], ct[EG_BIDBYTES];
	unsigned char		 ctx[32], prev[32], hash[32], sig[64];
	unsigned char		 bpk[BOARD_PUBLICBYTES], bsk[BOARD_SECRETBYTES];
	char			 y64[64], w64[128], slug[64], key_id[33];
	char			 nums[4][32], ct64[128], sig64[128];
	char			 hex[65], phex[65], at[] = "2020-01-01T00:00:00Z";
	char			*id;
	const char		*p[12];
	struct board_entry	 be;
	struct buf		 log, err;
	json_t			*doc, *v;
	pid_t			 child;
	int64_t			 max, cost, amount, before[POOL], after[POOL];
	int64_t			 fund, fund_after, delta;
	int			 n, i, voter[VOTERS_MAX], status, twice, rc;
	int			 roll[POOL], nroll, rule;
	size_t			 k;
	struct buf		 names;

	twice = e % 10 == 0;
	n = 1 + (int)randombytes_uniform(VOTERS_MAX);
	max = 100 + (int64_t)randombytes_uniform(1000000);
	cost = (int64_t)randombytes_uniform(100000);
	eg_keypair(x, y);
	eg_wrap(master, x, wrapped);
	seal_master_id(master, key_id);
	board_key(master, bpk, bsk);
	sodium_bin2base64(y64, sizeof(y64), y, sizeof(y),
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(w64, sizeof(w64), wrapped, sizeof(wrapped),
	    sodium_base64_VARIANT_ORIGINAL);
	(void)snprintf(slug, sizeof(slug), "settle-%s-%d", run, e);
	(void)snprintf(nums[0], sizeof(nums[0]), "%lld", (long long)cost);
	(void)snprintf(nums[1], sizeof(nums[1]), "%lld", (long long)max);
	p[0] = slug;
	p[1] = nums[0];
	p[2] = nums[1];
	rule = (int)randombytes_uniform(3);
	p[3] = taxes[rule];
	p[4] = payouts[randombytes_uniform(rule == 0 ? 3 : 2)];
	/* Half the elections have a roll: a random half of the pool. */
	nroll = 0;
	if (randombytes_uniform(2)) {
		for (i = 0; i < POOL; i++)
			if (randombytes_uniform(2))
				roll[nroll++] = i;
		if (nroll == 0)
			roll[nroll++] = (int)randombytes_uniform(POOL);
	}
	p[9] = nroll > 0 ? "roll" : "bidders";
	p[5] = y64;
	p[6] = w64;
	p[7] = key_id;
	p[8] = run;
	/*
	 * Closed an hour ago, made as the API would but for the times, and
	 * claimed, so that a running server's tally leaves it alone while
	 * its bids go in.
	 */
	id = strdup(one("INSERT INTO proposals (slug, title, project, cost, "
	    "currency, opens_at, closes_at, tally_started_at, tax_rule, "
	    "payout_rule, creator_id, readers, threshold, bid_key, "
	    "wrapped_key, master_key_id, board_key_id, max_bid, electorate, "
	    "surplus_to) SELECT $1, 'Settlement', 'x', $2, 'EUR', now() - "
	    "interval '2 hours', now() - interval '1 hour', now(), $4, $5, "
	    "u.id, 'operator', 1, decode($6, 'base64'), "
	    "decode($7, 'base64'), $8, $8, $3, $10, u.id FROM users u "
	    "WHERE u.name = 'sr' || $9 || '-fund' RETURNING id", 10, p));
	if (id == NULL)
		abort();
	buf_init(&names);
	for (i = 0; i < nroll; i++)
		buf_printf(&names, "%ssr%s-%d", i > 0 ? "," : "{", run,
		    roll[i]);
	if (nroll > 0) {
		buf_putc(&names, '}');
		p[0] = id;
		p[1] = buf_cstr(&names);
		PQclear(q("INSERT INTO proposal_voters (proposal_id, user_id) "
		    "SELECT $1, u.id FROM users u WHERE u.name = ANY ($2::text[])",
		    2, p));
	}
	buf_free(&names);
	/* Balances before any deposit. */
	balances(before, &fund);
	dkg_context(slug, 1, 0, NULL, ctx);
	memset(prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		voter[i] = nroll > 0 ? roll[randombytes_uniform(nroll)] :
		    (int)randombytes_uniform(POOL);
		(void)snprintf(nums[0], sizeof(nums[0]), "sr%s-%d", run,
		    voter[i]);
		amount = (int64_t)randombytes_uniform((uint32_t)(2 * max + 1)) -
		    max;
		if (eg_seal(y, nums[0], amount, ct) == -1)
			die("cannot seal");
		memset(&be, 0, sizeof(be));
		be.seq = (uint64_t)i + 1;
		be.voter = nums[0];
		be.at = at;
		be.ciphertext = ct;
		be.ciphertext_len = sizeof(ct);
		memcpy(be.prev, prev, sizeof(prev));
		board_hash(ctx, &be, hash);
		board_sign(bsk, hash, sig);
		sodium_bin2base64(ct64, sizeof(ct64), ct, sizeof(ct),
		    sodium_base64_VARIANT_ORIGINAL);
		sodium_bin2base64(sig64, sizeof(sig64), sig, sizeof(sig),
		    sodium_base64_VARIANT_ORIGINAL);
		sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
		sodium_bin2hex(phex, sizeof(phex), prev, sizeof(prev));
		(void)snprintf(nums[1], sizeof(nums[1]), "%d", i + 1);
		/* The deposit, as a first bid takes it; then the entry. */
		p[0] = id;
		p[1] = nums[0];
		PQclear(q("SELECT api.bid_admit(p, u) FROM proposals p, users u "
		    "WHERE p.id = $1 AND u.name = $2", 2, p));
		p[0] = id;
		p[1] = nums[1];
		p[2] = nums[0];
		p[3] = ct64;
		p[4] = phex;
		p[5] = hex;
		p[6] = sig64;
		p[7] = at;
		PQclear(q("INSERT INTO board_entries (proposal_id, seq, voter_id, "
		    "at, ciphertext, prev, hash, signature) SELECT $1, $2, u.id, "
		    "$8, decode($4, 'base64'), decode($5, 'hex'), decode($6, "
		    "'hex'), decode($7, 'base64') FROM users u WHERE u.name = $3",
		    8, p));
		memcpy(prev, hash, sizeof(prev));
	}
	buf_init(&log);
	buf_init(&err);
	child = -1;
	if (twice) {
		/* Two tallies at once, each with its own connection. */
		if ((child = fork()) == -1)
			die("fork");
		if (child == 0) {
			PGconn	*c2 = PQconnectdb(getenv("DATABASE_URL"));

			(void)store_tally_slug(c2, &keeper, slug, &log, &err);
			PQfinish(c2);
			_exit(0);
		}
	}
	rc = store_tally_slug(conn, &keeper, slug, &log, &err);
	if (child != -1)
		(void)waitpid(child, &status, 0);
	/* The other tally may come first: then it settled. */
	if (rc == -1 && strstr(buf_cstr(&err), "tallied already") == NULL &&
	    strstr(buf_cstr(&err), "tallied meanwhile") == NULL)
		die("election %d: %s", e, buf_cstr(&err));
	buf_free(&log);
	buf_free(&err);

	p[0] = slug;
	if ((doc = json_loads(one("SELECT r.doc FROM results r JOIN proposals "
	    "p ON p.id = r.proposal_id WHERE p.slug = $1", 1, p), 0,
	    NULL)) == NULL)
		die("election %d: no result", e);
	if (strcmp(one("SELECT count(*) FROM (SELECT txn FROM ledger GROUP BY "
	    "txn HAVING sum(amount) <> 0 OR count(*) <> 2) t", 0, NULL),
	    "0") != 0 || strcmp(one("SELECT coalesce(sum(amount), 0) FROM "
	    "ledger", 0, NULL), "0") != 0)
		die("election %d: the ledger does not balance", e);
	if (strcmp(one("SELECT count(*) FROM (SELECT account, user_id FROM "
	    "ledger l JOIN proposals p ON p.id = l.proposal_id WHERE p.slug = "
	    "$1 GROUP BY account, user_id HAVING sum(amount) <> 0) t", 1, p),
	    "0") != 0)
		die("election %d: a deposit or the pool is not empty", e);
	balances(after, &fund_after);
	delta = 0;
	for (i = 0; i < POOL; i++) {
		int64_t	 want = before[i], share, tax, payout;
		char	 name[32];

		(void)snprintf(name, sizeof(name), "sr%s-%d", run, i);
		json_array_foreach(json_object_get(doc, "voters"), k, v) {
			if (strcmp(json_string_value(json_object_get(v,
			    "voter")), name) != 0)
				continue;
			share = amount_of(v, "cost_share");
			tax = amount_of(v, "tax");
			payout = amount_of(v, "payout");
			if (strcmp(json_string_value(json_object_get(doc,
			    "decision")), "adopt") != 0)
				share = 0;
			want += payout - share - tax;
			delta += share + tax - payout;
		}
		if (after[i] != want)
			die("election %d: %s's balance is not what the result "
			    "says", e, name);
	}
	if (fund_after != fund + delta)
		die("election %d: surplus_to did not get the rest", e);
	json_decref(doc);
	free(id);
	sodium_memzero(x, sizeof(x));
	sodium_memzero(bsk, sizeof(bsk));
}

int
main(int argc, char *argv[])
{
	struct buf	 log, err;
	const char	*p[1], *path;
	char		 name[32];
	unsigned char	 r[4];
	int		 n, e, i;

	n = argc > 1 ? atoi(argv[1]) : 1000;
	if (sodium_init() == -1 || n < 1)
		return (2);
	buf_init(&log);
	buf_init(&err);
	if (getenv("DATABASE_URL") == NULL)
		die("DATABASE_URL is not set");
	if ((conn = store_connect(getenv("DATABASE_URL"), &err)) == NULL)
		die("%s", buf_cstr(&err));
	if ((path = getenv(KEYS_ENV)) == NULL || path[0] == '\0')
		path = KEYS_DEFAULT;
	if (store_key_load(conn, path, 0, master, &log, &err) == -1)
		die("%s", buf_cstr(&err));
	keeper_local(&keeper, master);
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(run, sizeof(run), r, sizeof(r));
	for (i = -1; i < POOL; i++) {
		if (i < 0)
			(void)snprintf(name, sizeof(name), "sr%s-fund", run);
		else
			(void)snprintf(name, sizeof(name), "sr%s-%d", run, i);
		p[0] = name;
		PQclear(q("INSERT INTO users (name) VALUES ($1)", 1, p));
		if (i >= 0)
			PQclear(q("SELECT api.ledger_admin($1, 1000000000000, "
			    "'EUR', 'settle_random')", 1, p));
	}
	for (e = 1; e <= n; e++)
		election(e);
	printf("%d random elections settled; the ledger balanced after each, "
	    "every balance moved as its result said, and none settled twice\n",
	    n);
	sodium_memzero(master, sizeof(master));
	keeper_clear(&keeper);
	buf_free(&log);
	buf_free(&err);
	PQfinish(conn);
	return (0);
}
