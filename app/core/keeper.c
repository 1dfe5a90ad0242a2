/*
 * The master key's operations as messages: see keeper.h.
 */

#include <string.h>

#include <sodium.h>

#include "core/keeper.h"

_Static_assert(sizeof(((struct keeper_resp *)0)->out) >=
    BOARD_SIGBYTES, "a signature fits");
_Static_assert(sizeof(((struct keeper_resp *)0)->out) >=
    EG_POINTBYTES + EG_PROOFBYTES, "a part and its proof fit");

static void	local_call(struct keeper *, const struct keeper_req *,
		    struct keeper_resp *);
static int	ask(struct keeper *, enum keeper_op, const unsigned char *,
		    const unsigned char *, const unsigned char *,
		    const unsigned char *, struct keeper_resp *);
static int	bid_op(struct keeper *, enum keeper_op, const unsigned char *,
		    const unsigned char *, const unsigned char *,
		    const unsigned char *, unsigned char *, size_t);

void
keeper_local(struct keeper *k, const unsigned char master[SEAL_MASTERBYTES])
{
	memset(k, 0, sizeof(*k));
	memcpy(k->master, master, SEAL_MASTERBYTES);
	seal_master_id(master, k->master_id);
	board_key(master, k->board_pk, k->board_sk);
	k->call = local_call;
}

void
keeper_public(struct keeper *k)
{
	sodium_memzero(k->master, sizeof(k->master));
	sodium_memzero(k->board_sk, sizeof(k->board_sk));
	k->call = NULL;
}

void
keeper_clear(struct keeper *k)
{
	sodium_memzero(k, sizeof(*k));
}

void
keeper_answer(const struct keeper *k, const void *raw, size_t len,
    struct keeper_resp *resp)
{
	struct keeper_req	 req;
	unsigned char		 x[EG_SCALARBYTES];

	memset(resp, 0, sizeof(*resp));
	resp->status = KEEPER_BAD;
	if (len != sizeof(req))
		return;
	memcpy(&req, raw, sizeof(req));
	resp->id = req.id;
	switch (req.op) {
	case KEEPER_SIGN:
		board_sign(k->board_sk, req.data, resp->out);
		resp->status = KEEPER_OK;
		break;
	case KEEPER_NEWKEY:
		eg_keypair(x, resp->out);
		eg_wrap(k->master, x, resp->out + EG_POINTBYTES);
		resp->status = KEEPER_OK;
		break;
	case KEEPER_SHARED:
	case KEEPER_PART:
		if (eg_unwrap(k->master, req.wrapped, req.y, x) == -1)
			resp->status = KEEPER_NOTOURS;
		else if ((req.op == KEEPER_SHARED ?
		    eg_shared(x, req.ct, resp->out) :
		    eg_part(req.data, 1, x, req.y, req.ct, resp->out,
		    resp->out + EG_POINTBYTES)) == -1)
			resp->status = KEEPER_UNUSABLE;
		else
			resp->status = KEEPER_OK;
		if (resp->status != KEEPER_OK)
			memset(resp->out, 0, sizeof(resp->out));
		break;
	default:
		break;
	}
	sodium_memzero(x, sizeof(x));
	sodium_memzero(&req, sizeof(req));
}

static void
local_call(struct keeper *k, const struct keeper_req *req,
    struct keeper_resp *resp)
{
	keeper_answer(k, req, sizeof(*req), resp);
}

/*
 * Sends op with its inputs (those not NULL) and a fresh id: the answer's
 * status, KEEPER_GONE if none came.
 */
static int
ask(struct keeper *k, enum keeper_op op, const unsigned char *data,
    const unsigned char *wrapped, const unsigned char *y,
    const unsigned char *ct, struct keeper_resp *resp)
{
	struct keeper_req	 req;

	memset(&req, 0, sizeof(req));
	randombytes_buf(&req.id, sizeof(req.id));
	req.op = op;
	if (data != NULL)
		memcpy(req.data, data, sizeof(req.data));
	if (wrapped != NULL)
		memcpy(req.wrapped, wrapped, sizeof(req.wrapped));
	if (y != NULL)
		memcpy(req.y, y, sizeof(req.y));
	if (ct != NULL)
		memcpy(req.ct, ct, sizeof(req.ct));
	memset(resp, 0, sizeof(*resp));
	resp->status = KEEPER_GONE;
	k->call(k, &req, resp);
	if (resp->id != req.id)
		resp->status = KEEPER_GONE;
	sodium_memzero(&req, sizeof(req));
	return ((int)resp->status);
}

int
keeper_sign(struct keeper *k, const unsigned char hash[BOARD_HASHBYTES],
    unsigned char sig[BOARD_SIGBYTES])
{
	struct keeper_resp	 resp;
	int			 rc;

	if ((rc = ask(k, KEEPER_SIGN, hash, NULL, NULL, NULL, &resp)) ==
	    KEEPER_OK)
		memcpy(sig, resp.out, BOARD_SIGBYTES);
	return (rc);
}

int
keeper_newkey(struct keeper *k, unsigned char y[EG_POINTBYTES],
    unsigned char wrapped[EG_WRAPPEDBYTES])
{
	struct keeper_resp	 resp;
	int			 rc;

	if ((rc = ask(k, KEEPER_NEWKEY, NULL, NULL, NULL, NULL, &resp)) ==
	    KEEPER_OK) {
		memcpy(y, resp.out, EG_POINTBYTES);
		memcpy(wrapped, resp.out + EG_POINTBYTES, EG_WRAPPEDBYTES);
	}
	return (rc);
}

/* An op on a bid: the first len bytes of its answer into out. */
static int
bid_op(struct keeper *k, enum keeper_op op, const unsigned char *ctx,
    const unsigned char *wrapped, const unsigned char *y,
    const unsigned char *ct, unsigned char *out, size_t len)
{
	struct keeper_resp	 resp;
	int			 rc;

	if ((rc = ask(k, op, ctx, wrapped, y, ct, &resp)) == KEEPER_OK)
		memcpy(out, resp.out, len);
	sodium_memzero(&resp, sizeof(resp));
	return (rc);
}

int
keeper_shared(struct keeper *k, const unsigned char wrapped[EG_WRAPPEDBYTES],
    const unsigned char y[EG_POINTBYTES], const unsigned char ct[EG_BIDBYTES],
    unsigned char key[EG_POINTBYTES])
{
	return (bid_op(k, KEEPER_SHARED, NULL, wrapped, y, ct, key,
	    EG_POINTBYTES));
}

int
keeper_part(struct keeper *k, const unsigned char ctx[32],
    const unsigned char wrapped[EG_WRAPPEDBYTES],
    const unsigned char y[EG_POINTBYTES], const unsigned char ct[EG_BIDBYTES],
    unsigned char d[EG_POINTBYTES], unsigned char proof[EG_PROOFBYTES])
{
	unsigned char	 out[EG_POINTBYTES + EG_PROOFBYTES];
	int		 rc;

	if ((rc = bid_op(k, KEEPER_PART, ctx, wrapped, y, ct, out,
	    sizeof(out))) == KEEPER_OK) {
		memcpy(d, out, EG_POINTBYTES);
		memcpy(proof, out + EG_POINTBYTES, EG_PROOFBYTES);
	}
	return (rc);
}
