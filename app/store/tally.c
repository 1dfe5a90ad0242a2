/*
 * Tallies (referenda-trust.md).  Each step is its own statement on a
 * connection in autocommit:
 *
 *   claim	UPDATE proposals SET tally_started_at, for a proposal closed,
 *		neither tallied nor voided, whose parts can be had: k sets of
 *		trustees' parts not yet found wrong, or, without trustees,
 *		the server's own, when it holds the proposal's key.  The
 *		claim waits for the bids in flight (they lock the row).
 *   parts	without trustees, the server's part of each bid that counts,
 *		with its proof, stored as the parts of holder 1: published
 *		and checked like a trustee's.
 *   open	the board read as anyone reads it (core/bulletin.c), with the
 *		board key the server derives itself when it is the
 *		proposal's: a bid the database gained without the server's
 *		signature does not count.
 *   mark	a trustee's parts that do not check are marked, for the page
 *		and for the trustee to give again; with fewer than k correct
 *		sets the claim is given back and the tally waits.
 *   store	one statement marks the proposal tallied, inserts the result
 *		and settles every voter in the ledger (api.settle()), only if
 *		it is neither tallied nor voided: whoever comes second stores
 *		and settles nothing.
 *
 * No amount is ever written to a log or a message here.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "core/board.h"
#include "core/buf.h"
#include "core/bulletin.h"
#include "core/clarke.h"
#include "core/elgamal.h"
#include "core/keeper.h"
#include "store/db.h"
#include "store/tally.h"

/* A claim older than this is a tally whose process died. */
#define STALE		"interval '5 minutes'"

struct tally {
	char			*id;
	char			*slug;
	int			 operator_reads;
	int64_t			 cost;
	enum clarke_tax		 tax;
	enum clarke_payout	 payout;
	unsigned char		 y[EG_POINTBYTES];
	unsigned char		 wrapped[EG_WRAPPEDBYTES];
	char			 key_id[SEAL_KEYID_STRLEN];
	unsigned char		 board_pk[BOARD_PUBLICBYTES];
	json_t			*board;
	struct bulletin		 b;
	struct clarke_result	 res;
	struct buf		 doc;
	struct buf		 csv;
};

static void	tally_init(struct tally *);
static void	tally_free(struct tally *);
static int	tally_load(PGconn *, const struct keeper *, const char *,
		    struct tally *, struct buf *);
static int	b64_field(const char *, unsigned char *, size_t);
static int	server_parts(PGconn *, struct keeper *, struct tally *,
		    struct buf *);
static int	mark_parts(PGconn *, struct tally *, unsigned, struct buf *,
		    struct buf *);
static int	tally_store(PGconn *, struct tally *, struct buf *);
static int	tally_run(PGconn *, struct keeper *, const char *,
		    struct buf *, struct buf *);
static json_t	*query_json(PGconn *, const char *, const char *,
		    struct buf *);

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
	free(t->id);
	free(t->slug);
	bulletin_free(&t->b);
	json_decref(t->board);
	buf_free(&t->doc);
	buf_free(&t->csv);
}

static int
b64_field(const char *text, unsigned char *out, size_t len)
{
	return (bulletin_b64(text, out, len));
}

/* The JSON document the one-parameter SQL expression gives. */
static json_t *
query_json(PGconn *conn, const char *sql, const char *param, struct buf *err)
{
	PGresult	*res;
	json_t		*doc;

	res = PQexecParams(conn, sql, 1, NULL, &param, NULL, NULL, 0);
	doc = NULL;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		store_error(conn, res, err);
	else if ((doc = json_loadb(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), 0, NULL)) == NULL)
		buf_puts(err, "the database sent a document that is not JSON");
	PQclear(res);
	return (doc);
}

/*
 * The proposal's terms and keys, and its board.  The board key trusted is
 * the one the master key makes, when it is the proposal's; else the one
 * the database kept for it (a proposal made under an earlier key file).
 */
static int
tally_load(PGconn *conn, const struct keeper *k, const char *id,
    struct tally *t, struct buf *err)
{
	PGresult	*res;
	const char	*params[1];
	int		 rc;

	params[0] = id;
	res = PQexecParams(conn, "SELECT p.slug, p.cost, p.tax_rule, "
	    "p.payout_rule, p.readers, api.b64(p.bid_key), "
	    "api.b64(p.wrapped_key), p.master_key_id, p.board_key_id, "
	    "api.b64(k.public_key) FROM proposals p JOIN board_keys k "
	    "ON k.id = p.board_key_id WHERE p.id = $1", 1, NULL, params,
	    NULL, NULL, 0);
	rc = -1;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		buf_puts(err, "cannot read the proposal: ");
		store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	if ((t->id = strdup(id)) == NULL ||
	    (t->slug = strdup(PQgetvalue(res, 0, 0))) == NULL)
		abort();
	t->cost = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	t->operator_reads = strcmp(PQgetvalue(res, 0, 4), "operator") == 0;
	if (clarke_tax_parse(PQgetvalue(res, 0, 2), &t->tax) == -1 ||
	    clarke_payout_parse(PQgetvalue(res, 0, 3), &t->payout) == -1 ||
	    b64_field(PQgetvalue(res, 0, 9), t->board_pk,
	    sizeof(t->board_pk)) == -1 || (t->operator_reads &&
	    (b64_field(PQgetvalue(res, 0, 5), t->y, sizeof(t->y)) == -1 ||
	    b64_field(PQgetvalue(res, 0, 6), t->wrapped,
	    sizeof(t->wrapped)) == -1)))
		buf_printf(err, "proposal %s: its rules or keys are damaged",
		    t->slug);
	else
		rc = 0;
	if (rc == 0 && strcmp(PQgetvalue(res, 0, 8), k->master_id) == 0)
		memcpy(t->board_pk, k->board_pk, sizeof(t->board_pk));
	(void)snprintf(t->key_id, sizeof(t->key_id), "%s",
	    PQgetvalue(res, 0, 7));
	PQclear(res);
	if (rc == 0 && (t->board = query_json(conn, "SELECT api.board(slug) "
	    "FROM proposals WHERE id = $1", id, err)) == NULL)
		rc = -1;
	return (rc);
}

/*
 * Without trustees the server holds the one share: its part of each bid
 * that counts is made here, stored, and added to the board read.
 */
static int
server_parts(PGconn *conn, struct keeper *k, struct tally *t,
    struct buf *err)
{
	unsigned char	 d[EG_POINTBYTES];
	unsigned char	 proof[EG_PROOFBYTES];
	char		 d64[sodium_base64_ENCODED_LEN(EG_POINTBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	char		 p64[sodium_base64_ENCODED_LEN(EG_PROOFBYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	const char	*params[2];
	PGresult	*res;
	json_t		*parts;
	char		*text;
	size_t		 i;
	int		 rc, why;

	if (json_array_size(json_object_get(t->board, "parts")) > 0)
		return (0);
	parts = json_array();
	for (i = 0; i < t->b.nbids; i++) {
		why = keeper_part(k, t->b.ctx, t->wrapped, t->y,
		    t->b.bids[i].ct, d, proof);
		if (why == KEEPER_UNUSABLE)
			continue;
		if (why != KEEPER_OK) {
			buf_printf(err, "proposal %s: %s", t->slug,
			    why == KEEPER_NOTOURS ? "its key does not open "
			    "with the master key: it was altered" :
			    "the key keeper did not answer");
			json_decref(parts);
			return (-1);
		}
		sodium_bin2base64(d64, sizeof(d64), d, sizeof(d),
		    sodium_base64_VARIANT_ORIGINAL);
		sodium_bin2base64(p64, sizeof(p64), proof, sizeof(proof),
		    sodium_base64_VARIANT_ORIGINAL);
		json_array_append_new(parts, json_pack("{s:I, s:s, s:s}", "seq",
		    (json_int_t)t->b.bids[i].seq, "part", d64, "proof", p64));
	}
	if ((text = json_dumps(parts, JSON_COMPACT)) == NULL)
		abort();
	params[0] = t->id;
	params[1] = text;
	res = PQexecParams(conn, "INSERT INTO trustee_parts (proposal_id, "
	    "idx, parts) VALUES ($1, 1, $2::jsonb) ON CONFLICT DO NOTHING", 2,
	    NULL, params, NULL, NULL, 0);
	free(text);
	rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		buf_printf(err, "proposal %s: cannot store the server's parts: ",
		    t->slug);
		store_error(conn, res, err);
		rc = -1;
	}
	PQclear(res);
	json_array_append_new(json_object_get(t->board, "parts"),
	    json_pack("{s:i, s:n, s:o}", "index", 1, "trustee", "parts",
	    parts));
	return (rc);
}

/*
 * Marks the parts that did not check; with fewer than k good sets, gives
 * the claim back.  Returns 1 when the tally can go on, 0 when it waits,
 * -1 on error.
 */
static int
mark_parts(PGconn *conn, struct tally *t, unsigned good, struct buf *log,
    struct buf *err)
{
	const char	*params[3];
	char		 index[8];
	PGresult	*res;
	unsigned	 i;

	for (i = 0; i < t->b.holders; i++) {
		if (t->b.t[i].parts != -1)
			continue;
		(void)snprintf(index, sizeof(index), "%u", i + 1);
		params[0] = t->id;
		params[1] = index;
		params[2] = t->b.t[i].parts_why;
		res = PQexecParams(conn, "UPDATE trustee_parts SET rejected = "
		    "$3 WHERE proposal_id = $1 AND idx = $2 AND rejected IS "
		    "NULL", 3, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			store_error(conn, res, err);
			PQclear(res);
			return (-1);
		}
		PQclear(res);
		buf_printf(log, "proposal %s: the parts of %s do not check "
		    "(%s)\n", t->slug, t->b.t[i].name != NULL ?
		    t->b.t[i].name : "the server", t->b.t[i].parts_why);
	}
	if (good >= t->b.k)
		return (1);
	params[0] = t->id;
	res = PQexecParams(conn, "UPDATE proposals SET tally_started_at = "
	    "NULL WHERE id = $1 AND tallied_at IS NULL", 1, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	buf_printf(log, "proposal %s: waits for %u correct sets of parts, has "
	    "%u\n", t->slug, t->b.k, good);
	return (0);
}

/* 1 when stored and settled, 0 when tallied or voided before; -1, error. */
static int
tally_store(PGconn *conn, struct tally *t, struct buf *err)
{
	PGresult	*res;
	const char	*params[8];
	char		 voters[24], net[24], tax[24], payout[24];
	size_t		 i, n;
	int		 rc;

	for (i = n = 0; i < t->b.nbids; i++)
		n += t->b.bids[i].valid == 1;
	(void)snprintf(voters, sizeof(voters), "%zu", n);
	(void)snprintf(net, sizeof(net), "%lld", (long long)t->res.total_net);
	(void)snprintf(tax, sizeof(tax), "%lld", (long long)t->res.total_tax);
	(void)snprintf(payout, sizeof(payout), "%lld",
	    (long long)t->res.total_payout);
	params[0] = t->id;
	params[1] = t->res.adopt ? "true" : "false";
	params[2] = voters;
	params[3] = net;
	params[4] = tax;
	params[5] = payout;
	params[6] = buf_cstr(&t->doc);
	params[7] = buf_cstr(&t->csv);
	res = PQexecParams(conn, "WITH p AS (UPDATE proposals "
	    "SET tallied_at = now() WHERE id = $1 AND tallied_at IS NULL "
	    "AND voided_at IS NULL RETURNING id), r AS (INSERT INTO results "
	    "(proposal_id, adopt, voters, total_net, total_tax, total_payout, "
	    "doc, csv) SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM p "
	    "RETURNING proposal_id) SELECT api.settle(proposal_id, $7::json) "
	    "FROM r", 8, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_printf(err, "proposal %s: cannot store the result: ",
		    t->slug);
		store_error(conn, res, err);
		rc = -1;
	} else {
		rc = PQntuples(res) == 1;
	}
	PQclear(res);
	return (rc);
}

/* Tallies claimed proposal id: 1 tallied, 0 waits or done, -1 error. */
static int
tally_run(PGconn *conn, struct keeper *k, const char *id,
    struct buf *log, struct buf *err)
{
	struct tally	 t;
	const char	*errstr;
	unsigned	 good;
	size_t		 i, invalid;
	int		 rc;

	tally_init(&t);
	if ((rc = tally_load(conn, k, id, &t, err)) == -1)
		goto out;
	if (bulletin_read(&t.b, t.board, t.board_pk) == -1) {
		buf_printf(err, "proposal %s: its board cannot be read: %s",
		    t.slug, buf_cstr(&t.b.problems));
		rc = -1;
		goto out;
	}
	if (t.operator_reads && (rc = server_parts(conn, k, &t,
	    err)) == -1)
		goto out;
	good = bulletin_open(&t.b, t.board);
	if ((rc = mark_parts(conn, &t, good, log, err)) != 1)
		goto out;
	if (bulletin_result(&t.b, t.cost, t.tax, t.payout, &t.res, &t.doc,
	    &t.csv, &errstr) == -1) {
		buf_printf(err, "proposal %s: %s", t.slug, errstr);
		rc = -1;
		goto out;
	}
	if ((rc = tally_store(conn, &t, err)) == 1) {
		for (i = invalid = 0; i < t.b.nbids; i++)
			invalid += t.b.bids[i].valid != 1;
		buf_printf(log, "tallied proposal %s: %zu %s (%zu invalid), "
		    "%s%s\n", t.slug, t.b.nbids, t.b.nbids == 1 ? "bid" :
		    "bids", invalid, t.b.nbids == invalid ? "no decision to "
		    "make" : t.res.adopt ? "adopted" : "rejected",
		    t.b.nproblems > 0 ? "; its board has problems, listed in "
		    "the result" : "");
	}
out:
	tally_free(&t);
	return (rc);
}

int
store_tally_due(PGconn *conn, struct keeper *k, struct buf *log,
    struct buf *err)
{
	PGresult	*res;
	char		*id;
	const char	*params[1];
	int		 rc;

	params[0] = k->master_id;
	/* SKIP LOCKED: a proposal with a bid in flight waits for the next. */
	res = PQexecParams(conn, "UPDATE proposals SET tally_started_at = "
	    "now() WHERE id = (SELECT id FROM proposals p WHERE tallied_at IS "
	    "NULL AND voided_at IS NULL AND closes_at <= now() AND "
	    "(tally_started_at IS NULL OR tally_started_at < now() - " STALE
	    ") AND CASE readers WHEN 'operator' THEN master_key_id = $1 ELSE "
	    "(SELECT count(*) FROM trustee_parts tp WHERE tp.proposal_id = "
	    "p.id AND tp.rejected IS NULL) >= threshold END ORDER BY "
	    "closes_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id", 1, NULL,
	    params, NULL, NULL, 0);
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
	rc = tally_run(conn, k, id, log, err);
	free(id);
	return (rc == -1 ? -1 : 1);
}

int
store_tally_slug(PGconn *conn, struct keeper *k,
    const char *slug, struct buf *log, struct buf *err)
{
	PGresult	*res;
	const char	*params[1];
	char		*id;
	int		 rc;

	params[0] = slug;
	res = PQexecParams(conn, "UPDATE proposals SET tally_started_at = "
	    "now() WHERE slug = $1 AND tallied_at IS NULL AND voided_at IS "
	    "NULL AND closes_at <= now() RETURNING id", 1, NULL, params, NULL,
	    NULL, 0);
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
		rc = tally_run(conn, k, id, log, err);
		free(id);
		if (rc == 0 && err->len == 0)
			buf_printf(err, "proposal %s was not tallied: %s", slug,
			    log->len > 0 ? buf_cstr(log) : "it was tallied "
			    "meanwhile, by another tally (the server's?)");
		return (rc == 1 ? 0 : -1);
	}
	PQclear(res);

	/* Why not. */
	res = PQexecParams(conn, "SELECT tallied_at IS NOT NULL, "
	    "api.utc_iso(closes_at), api.utc_iso(tallied_at), voided_reason "
	    "FROM proposals WHERE slug = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_puts(err, "cannot read the proposal: ");
		store_error(conn, res, err);
	} else if (PQntuples(res) == 0) {
		buf_printf(err, "no proposal '%s'", slug);
	} else if (!PQgetisnull(res, 0, 3)) {
		buf_printf(err, "proposal %s was voided: %s", slug,
		    PQgetvalue(res, 0, 3));
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

int
store_tally_verify(PGconn *conn, struct keeper *k,
    const char *slug, struct buf *log, struct buf *err)
{
	struct tally	 t;
	PGresult	*res;
	json_t		*proposal;
	const char	*params[1];
	size_t		 n;
	int		 rc;

	params[0] = slug;
	res = PQexecParams(conn, "SELECT id FROM proposals WHERE slug = $1", 1,
	    NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		if (PQresultStatus(res) == PGRES_TUPLES_OK)
			buf_printf(err, "no proposal '%s'", slug);
		else
			store_error(conn, res, err);
		PQclear(res);
		return (-1);
	}
	tally_init(&t);
	rc = tally_load(conn, k, PQgetvalue(res, 0, 0), &t, err);
	PQclear(res);
	if (rc == 0 && (proposal = query_json(conn, "SELECT api.proposal($1)",
	    slug, err)) == NULL)
		rc = -1;
	if (rc == 0) {
		if ((n = bulletin_verify(t.board, t.board_pk, proposal,
		    err)) == 0)
			buf_printf(log, "proposal %s: the board, its parts and "
			    "the published result agree\n", slug);
		rc = n == 0 ? 0 : 1;
		json_decref(proposal);
	}
	tally_free(&t);
	return (rc);
}
