/*
 * Tallies.  Each step is its own statement on a connection in autocommit:
 *
 *   claim	UPDATE proposals SET tally_started_at: waits for the bids in
 *		flight (they share-lock the row), and after it no bid is
 *		accepted (api.bid_put() checks tally_started_at);
 *   open	read the sealed bids, open each with the proposal's secret
 *		key, unwrapped with the master key;
 *   compute	core/clarke.c (voters sorted by name, bytewise), then the
 *		JSON and CSV that are published;
 *   store	one statement marks the proposal tallied and inserts the
 *		result, only if it was not tallied already: whoever comes
 *		second stores nothing.
 *
 * No amount is ever written to a log or a message here.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/clarke.h"
#include "core/clarke_out.h"
#include "core/seal.h"
#include "store/db.h"
#include "store/tally.h"

/* A claim older than this is a tally whose process died. */
#define STALE		"interval '5 minutes'"

struct tally {
	char			*slug;
	int64_t			 cost;
	enum clarke_tax		 tax;
	enum clarke_payout	 payout;
	unsigned char		 pk[SEAL_PUBLICBYTES];
	unsigned char		 wrapped[SEAL_WRAPPEDBYTES];
	char			 key_id[SEAL_KEYID_STRLEN];
	PGresult		*bids;		/* voters' names, receipts */
	struct clarke_voter	*voters;
	size_t			 n;
	struct clarke_result	 res;
	struct buf		 doc;
	struct buf		 csv;
};

static void	tally_init(struct tally *);
static void	tally_free(struct tally *);
static int	tally_load(PGconn *, const char *, struct tally *,
		    struct buf *);
static int	tally_open(PGconn *, const unsigned char *, const char *,
		    struct tally *, struct buf *);
static int	tally_compute(struct tally *, struct buf *);
static int	tally_store(PGconn *, const char *, struct tally *,
		    struct buf *);
static int	tally_run(PGconn *, const unsigned char *, const char *,
		    struct buf *, struct buf *);
static int	hex_field(const char *, unsigned char *, size_t);
static void	summary(const struct tally *, struct buf *);
static void	first_difference(const char *, const char *, struct buf *);

static void
tally_init(struct tally *t)
{
	memset(t, 0, sizeof(*t));
	buf_init(&t->doc);
	buf_init(&t->csv);
}

static void
tally_free(struct tally *t)
{
	free(t->slug);
	free(t->voters);
	PQclear(t->bids);
	buf_free(&t->doc);
	buf_free(&t->csv);
}

static int
hex_field(const char *hex, unsigned char *out, size_t len)
{
	size_t	 got;

	return (sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got,
	    NULL) == 0 && got == len ? 0 : -1);
}

/* The proposal's terms and keys. */
static int
tally_load(PGconn *conn, const char *id, struct tally *t, struct buf *err)
{
	PGresult	*res;
	const char	*params[1];
	int		 rc;

	params[0] = id;
	res = PQexecParams(conn, "SELECT slug, cost, tax_rule, payout_rule, "
	    "encode(public_key, 'hex'), encode(sealed_secret_key, 'hex'), "
	    "master_key_id FROM proposals WHERE id = $1", 1, NULL, params,
	    NULL, NULL, 0);
	rc = -1;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		buf_puts(err, "cannot read the proposal: ");
		store_error(conn, res, err);
	} else if ((t->slug = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		abort();
	} else if (clarke_tax_parse(PQgetvalue(res, 0, 2), &t->tax) == -1 ||
	    clarke_payout_parse(PQgetvalue(res, 0, 3), &t->payout) == -1 ||
	    hex_field(PQgetvalue(res, 0, 4), t->pk, sizeof(t->pk)) == -1 ||
	    hex_field(PQgetvalue(res, 0, 5), t->wrapped,
	    sizeof(t->wrapped)) == -1 ||
	    strlen(PQgetvalue(res, 0, 6)) != SEAL_KEYID_STRLEN - 1) {
		buf_printf(err, "proposal %s: its rules or keys are damaged",
		    t->slug);
	} else {
		t->cost = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		memcpy(t->key_id, PQgetvalue(res, 0, 6), SEAL_KEYID_STRLEN);
		rc = 0;
	}
	PQclear(res);
	return (rc);
}

/*
 * Reads the bids in binary, so that no ciphertext goes through hex, and
 * opens each one as its voter is shown it (seal_bid_reveal()): the bid
 * of the voter of its row, in range.
 * They come in no order: the tally sorts the voters' names (byte order),
 * faster than the database, which would sort whole rows, on disk.
 */
static int
tally_open(PGconn *conn, const unsigned char *master, const char *id,
    struct tally *t, struct buf *err)
{
	unsigned char	 sk[SEAL_SECRETBYTES];
	const unsigned char *be;
	char		 key_id[SEAL_KEYID_STRLEN];
	const char	*params[1], *why;
	uint64_t	 row_voter;
	size_t		 i, j;
	int		 rc;

	seal_master_id(master, key_id);
	if (strcmp(key_id, t->key_id) != 0) {
		buf_printf(err, "proposal %s was sealed under master key %s, "
		    "not this one (%s)", t->slug, t->key_id, key_id);
		return (-1);
	}
	if (seal_unwrap(master, t->wrapped, t->pk, sk) == -1) {
		buf_printf(err, "proposal %s: its secret key does not open "
		    "with the master key: it was altered", t->slug);
		return (-1);
	}
	params[0] = id;
	t->bids = PQexecParams(conn, "SELECT b.voter_id, u.name, "
	    "b.ciphertext, b.receipt FROM bids b "
	    "JOIN users u ON u.id = b.voter_id WHERE b.proposal_id = $1", 1,
	    NULL, params, NULL, NULL, 1);
	if (PQresultStatus(t->bids) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot read the bids: ");
		store_error(conn, t->bids, err);
		sodium_memzero(sk, sizeof(sk));
		return (-1);
	}
	t->n = (size_t)PQntuples(t->bids);
	if ((t->voters = calloc(t->n + 1, sizeof(*t->voters))) == NULL)
		abort();
	rc = 0;
	for (i = 0; i < t->n && rc == 0; i++) {
		/* voter_id: an int8, big-endian. */
		be = (const unsigned char *)PQgetvalue(t->bids, (int)i, 0);
		for (row_voter = 0, j = 0; j < 8; j++)
			row_voter = row_voter << 8 | be[j];
		t->voters[i].name = PQgetvalue(t->bids, (int)i, 1);
		t->voters[i].receipt = PQgetvalue(t->bids, (int)i, 3);
		if ((rc = seal_bid_reveal(t->pk, sk, (const unsigned char *)
		    PQgetvalue(t->bids, (int)i, 2), (size_t)PQgetlength(
		    t->bids, (int)i, 2), (int64_t)row_voter,
		    &t->voters[i].bid, &why)) == -1)
			buf_printf(err, "proposal %s: the bid in the row of "
			    "%s %s", t->slug, t->voters[i].name, why);
	}
	sodium_memzero(sk, sizeof(sk));
	return (rc);
}

/*
 * The result and its published forms.  No bids: nothing to decide with,
 * the status quo stays, and the result says so with no voters.
 */
static int
tally_compute(struct tally *t, struct buf *err)
{
	const char	*errstr;
	size_t		 i;

	if (t->n > 0 && clarke_tally(t->voters, t->n, t->cost, t->tax,
	    t->payout, &t->res, &errstr) == -1) {
		buf_printf(err, "proposal %s: %s", t->slug, errstr);
		return (-1);
	}
	clarke_json(&t->doc, t->voters, t->n, &t->res);
	clarke_csv_head(&t->csv, 1);
	for (i = 0; i < t->n; i++)
		clarke_csv_voter(&t->csv, &t->voters[i], 1);
	clarke_csv_total(&t->csv, &t->res, 1);
	return (0);
}

/* 1 when stored, 0 when the proposal was tallied already, -1 on error. */
static int
tally_store(PGconn *conn, const char *id, struct tally *t, struct buf *err)
{
	PGresult	*res;
	const char	*params[8];
	char		 voters[24], net[24], tax[24], payout[24];
	int		 rc;

	(void)snprintf(voters, sizeof(voters), "%zu", t->n);
	(void)snprintf(net, sizeof(net), "%lld", (long long)t->res.total_net);
	(void)snprintf(tax, sizeof(tax), "%lld", (long long)t->res.total_tax);
	(void)snprintf(payout, sizeof(payout), "%lld",
	    (long long)t->res.total_payout);
	params[0] = id;
	params[1] = t->res.adopt ? "true" : "false";
	params[2] = voters;
	params[3] = net;
	params[4] = tax;
	params[5] = payout;
	params[6] = buf_cstr(&t->doc);
	params[7] = buf_cstr(&t->csv);
	res = PQexecParams(conn, "WITH p AS (UPDATE proposals "
	    "SET tallied_at = now() WHERE id = $1 AND tallied_at IS NULL "
	    "RETURNING id) INSERT INTO results (proposal_id, adopt, voters, "
	    "total_net, total_tax, total_payout, doc, csv) "
	    "SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM p", 8, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		buf_printf(err, "proposal %s: cannot store the result: ",
		    t->slug);
		store_error(conn, res, err);
		rc = -1;
	} else {
		rc = strcmp(PQcmdTuples(res), "1") == 0;
	}
	PQclear(res);
	return (rc);
}

static void
summary(const struct tally *t, struct buf *log)
{
	buf_printf(log, "tallied proposal %s: %zu %s, %s\n", t->slug, t->n,
	    t->n == 1 ? "bid" : "bids", t->n == 0 ? "no decision to make" :
	    t->res.adopt ? "adopted" : "rejected");
}

/* Tallies claimed proposal id: as store_tally_due(). */
static int
tally_run(PGconn *conn, const unsigned char *master, const char *id,
    struct buf *log, struct buf *err)
{
	struct tally	 t;
	int		 rc;

	tally_init(&t);
	if ((rc = tally_load(conn, id, &t, err)) == 0 &&
	    (rc = tally_open(conn, master, id, &t, err)) == 0 &&
	    (rc = tally_compute(&t, err)) == 0 &&
	    (rc = tally_store(conn, id, &t, err)) == 1)
		summary(&t, log);
	tally_free(&t);
	return (rc);
}

int
store_tally_due(PGconn *conn, const unsigned char *master, struct buf *log,
    struct buf *err)
{
	PGresult	*res;
	char		*id;
	int		 rc;

	/* SKIP LOCKED: a proposal with a bid in flight waits for the next. */
	res = PQexec(conn, "UPDATE proposals SET tally_started_at = now() "
	    "WHERE id = (SELECT id FROM proposals WHERE tallied_at IS NULL "
	    "AND closes_at <= now() AND (tally_started_at IS NULL OR "
	    "tally_started_at < now() - " STALE ") ORDER BY closes_at "
	    "LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot claim a tally: ");
		store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return (0);
	}
	if ((id = strdup(PQgetvalue(res, 0, 0))) == NULL)
		abort();
	PQclear(res);
	rc = tally_run(conn, master, id, log, err);
	free(id);
	return (rc);
}

int
store_tally_slug(PGconn *conn, const unsigned char *master,
    const char *slug, struct buf *log, struct buf *err)
{
	PGresult	*res;
	const char	*params[1];
	char		*id;
	int		 rc;

	params[0] = slug;
	res = PQexecParams(conn, "UPDATE proposals SET tally_started_at = "
	    "now() WHERE slug = $1 AND tallied_at IS NULL AND "
	    "closes_at <= now() RETURNING id", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot claim the tally: ");
		store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	if (PQntuples(res) == 1) {
		if ((id = strdup(PQgetvalue(res, 0, 0))) == NULL)
			abort();
		PQclear(res);
		rc = tally_run(conn, master, id, log, err);
		free(id);
		if (rc == 0)
			buf_printf(err, "proposal %s was tallied meanwhile, by "
			    "another tally (the server's?)", slug);
		return (rc == 1 ? 0 : -1);
	}
	PQclear(res);

	/* Why not. */
	res = PQexecParams(conn, "SELECT tallied_at IS NOT NULL, "
	    "api.utc_iso(closes_at), api.utc_iso(tallied_at) FROM proposals "
	    "WHERE slug = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot read the proposal: ");
		store_error(conn, res, err);
	} else if (PQntuples(res) == 0) {
		buf_printf(err, "no proposal '%s'", slug);
	} else if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		buf_printf(err, "proposal %s was tallied already, at %s",
		    slug, PQgetvalue(res, 0, 2));
	} else {
		buf_printf(err, "proposal %s is still open: it closes at %s, "
		    "and is tallied then on its own", slug,
		    PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return (-1);
}

/* Where two published results part: the first differing line. */
static void
first_difference(const char *stored, const char *again, struct buf *err)
{
	size_t	 line, i, start;

	line = 1;
	start = 0;
	for (i = 0; stored[i] != '\0' && stored[i] == again[i]; i++) {
		if (stored[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	buf_printf(err, "line %zu of the CSV:\n  stored:     %.*s\n"
	    "  recomputed: %.*s", line,
	    (int)strcspn(stored + start, "\r\n"), stored + start,
	    (int)strcspn(again + start, "\r\n"), again + start);
}

int
store_tally_verify(PGconn *conn, const unsigned char *master,
    const char *slug, struct buf *log, struct buf *err)
{
	PGresult	*res;
	struct tally	 t;
	const char	*params[1], *id;
	int		 rc;

	params[0] = slug;
	res = PQexecParams(conn, "SELECT p.id, r.doc, r.csv FROM proposals p "
	    "LEFT JOIN results r ON r.proposal_id = p.id WHERE p.slug = $1",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot read the proposal: ");
		store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 1)) {
		buf_printf(err, PQntuples(res) == 0 ? "no proposal '%s'" :
		    "proposal %s is not tallied yet: nothing to verify", slug);
		PQclear(res);
		return (-1);
	}
	id = PQgetvalue(res, 0, 0);
	tally_init(&t);
	if ((rc = tally_load(conn, id, &t, err)) == 0 &&
	    (rc = tally_open(conn, master, id, &t, err)) == 0 &&
	    (rc = tally_compute(&t, err)) == 0) {
		if (strcmp(buf_cstr(&t.doc), PQgetvalue(res, 0, 1)) == 0 &&
		    strcmp(buf_cstr(&t.csv), PQgetvalue(res, 0, 2)) == 0) {
			buf_printf(log, "proposal %s: the stored result is "
			    "the one its %zu sealed %s give\n", slug, t.n,
			    t.n == 1 ? "bid" : "bids");
		} else {
			buf_printf(err, "proposal %s: the stored result is "
			    "not the one its sealed bids give; first at ",
			    slug);
			first_difference(PQgetvalue(res, 0, 2),
			    buf_cstr(&t.csv), err);
			rc = 1;
		}
	}
	tally_free(&t);
	PQclear(res);
	return (rc);
}
