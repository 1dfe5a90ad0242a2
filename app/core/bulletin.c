/*
 * Checking a bulletin board and opening its bids: see bulletin.h.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/bulletin.h"
#include "core/clarke_out.h"
#include "core/money.h"

static void	problem(struct bulletin *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	hex32(const char *, unsigned char *);
static int	read_setup(struct bulletin *, const json_t *);
static int	read_trustees(struct bulletin *, const json_t *);
static void	check_key(struct bulletin *, const json_t *);
static int	read_entries(struct bulletin *, const json_t *);
static int	entry_check(struct bulletin *, const json_t *, uint64_t,
		    const unsigned char *, unsigned char *, unsigned char *);
static int	cmp_voter_seq(const void *, const void *);
static int	cmp_seq(const void *, const void *);
static struct bulletin_bid	*bid_of(struct bulletin *, uint64_t);
static void	read_parts(struct bulletin *, struct bulletin_trustee *,
		    unsigned, const json_t *);
static void	open_bids(struct bulletin *);
static int	cmp_name(const void *, const void *);
static int	cmp_str(const void *, const void *);
static int	roll_names(const json_t *, const char ***, size_t *);
static size_t	abstainers(const char **, size_t, struct clarke_voter *,
		    size_t);
static void	compare_member(const json_t *, const json_t *, const char *,
		    const char *, struct buf *, size_t *);

static void
problem(struct bulletin *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(&b->problems, fmt, ap);
	va_end(ap);
	buf_putc(&b->problems, '\n');
	b->nproblems++;
}

int
bulletin_b64(const char *s, unsigned char *out, size_t len)
{
	size_t	 got;

	if (s == NULL || strlen(s) != sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL) - 1)
		return (-1);
	if (sodium_base642bin(out, len, s, strlen(s), NULL, &got, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != len)
		return (-1);
	return (0);
}

static int
hex32(const char *s, unsigned char *out)
{
	size_t	 got;

	if (s == NULL || strlen(s) != 64 || sodium_hex2bin(out, 32, s, 64,
	    NULL, &got, NULL) != 0 || got != 32)
		return (-1);
	return (0);
}

int
bulletin_read(struct bulletin *b, const json_t *board,
    const unsigned char board_pk[BOARD_PUBLICBYTES])
{
	unsigned char	 published[BOARD_PUBLICBYTES];

	memset(b, 0, sizeof(*b));
	buf_init(&b->problems);
	memcpy(b->board_pk, board_pk, BOARD_PUBLICBYTES);
	if (read_setup(b, board) == -1)
		return (-1);
	if (bulletin_b64(json_string_value(json_object_get(board,
	    "board_key")), published, sizeof(published)) == -1 ||
	    memcmp(published, board_pk, sizeof(published)) != 0)
		problem(b, "the board names another signing key than the one "
		    "trusted for this site");
	check_key(b, board);
	return (read_entries(b, board));
}

/* The proposal, its readers, threshold and trustees, and the context. */
static int
read_setup(struct bulletin *b, const json_t *board)
{
	const char	*readers, *text;
	json_int_t	 k;

	b->slug = json_string_value(json_object_get(board, "proposal"));
	readers = json_string_value(json_object_get(board, "readers"));
	k = json_integer_value(json_object_get(board, "threshold"));
	if (b->slug == NULL || readers == NULL ||
	    (strcmp(readers, "trustees") != 0 &&
	    strcmp(readers, "operator") != 0) || k < 1 ||
	    k > DKG_TRUSTEES_MAX) {
		problem(b, "this is not a board: it lacks its proposal, "
		    "readers or threshold");
		return (-1);
	}
	b->operator_reads = strcmp(readers, "operator") == 0;
	b->k = (unsigned)k;
	if (read_trustees(b, json_object_get(board, "trustees")) == -1)
		return (-1);
	text = json_string_value(json_object_get(board, "max_bid"));
	if (text == NULL || money_parse(text, strlen(text), &b->max_bid,
	    &text) == -1 || b->max_bid <= 0) {
		problem(b, "this is not a board: its max_bid is not an amount");
		return (-1);
	}
	text = json_string_value(json_object_get(board, "electorate"));
	b->roll = json_object_get(board, "roll");
	if (text != NULL && !strcmp(text, "roll") != json_is_array(b->roll)) {
		problem(b, "this is not a board: its electorate and roll do not "
		    "agree");
		return (-1);
	}
	if (!json_is_array(b->roll))
		b->roll = NULL;
	return (0);
}

static int
read_trustees(struct bulletin *b, const json_t *list)
{
	unsigned char	 pubs[DKG_TRUSTEES_MAX][TK_PUBLICBYTES];
	const json_t	*t, *dealing;
	size_t		 i, len;

	if (!json_is_array(list) || json_array_size(list) >
	    DKG_TRUSTEES_MAX || (b->operator_reads &&
	    json_array_size(list) != 0) || (!b->operator_reads &&
	    json_array_size(list) < b->k)) {
		problem(b, "this is not a board: its trustees do not fit its "
		    "readers and threshold");
		return (-1);
	}
	b->n = (unsigned)json_array_size(list);
	b->holders = b->operator_reads ? 1 : b->n;
	len = dkg_dealing_len(b->n, b->k);
	b->bytes = calloc(b->n == 0 ? 1 : b->n, len);
	json_array_foreach(list, i, t) {
		b->t[i].name = json_string_value(json_object_get(t, "name"));
		if (json_integer_value(json_object_get(t, "index")) !=
		    (json_int_t)i + 1 || b->t[i].name == NULL ||
		    bulletin_b64(json_string_value(json_object_get(t,
		    "public_key")), b->t[i].pub, TK_PUBLICBYTES) == -1) {
			problem(b, "this is not a board: trustee %zu lacks its "
			    "index, name or public key", i + 1);
			return (-1);
		}
		memcpy(pubs[i], b->t[i].pub, TK_PUBLICBYTES);
		dealing = json_object_get(t, "dealing");
		if (json_is_null(dealing) || dealing == NULL)
			continue;
		if (bulletin_b64(json_string_value(dealing),
		    b->bytes + i * len, len) == -1)
			problem(b, "trustee %s's dealing is not one of this "
			    "size of proposal", b->t[i].name);
		else
			b->t[i].dealing = b->bytes + i * len;
	}
	dkg_context(b->slug, b->k, b->n,
	    (const unsigned char (*)[TK_PUBLICBYTES])pubs, b->ctx);
	return (0);
}

/*
 * The bid key: the operator's as published, or the one the trustees'
 * dealings make, which every trustee must have acknowledged.
 */
static void
check_key(struct bulletin *b, const json_t *board)
{
	const unsigned char	*dealings[DKG_TRUSTEES_MAX];
	unsigned char		 published[EG_POINTBYTES], h[32];
	unsigned char		 sig[TK_SIGBYTES];
	const char		*why, *key;
	unsigned		 i, good;

	key = json_string_value(json_object_get(board, "bid_key"));
	if (key != NULL && (bulletin_b64(key, published, sizeof(published)) ==
	    -1 || !eg_point_ok(published))) {
		problem(b, "the bid key is not a valid point");
		return;
	}
	if (b->operator_reads) {
		if (key == NULL)
			return;
		memcpy(b->y, published, sizeof(b->y));
		memcpy(b->t[0].yj, published, sizeof(b->y));
		b->has_key = 1;
		return;
	}
	for (i = good = 0; i < b->n; i++) {
		dealings[i] = b->t[i].dealing;
		if (dealings[i] == NULL)
			continue;
		if (dkg_dealing_check(dealings[i], dkg_dealing_len(b->n, b->k),
		    b->ctx, i + 1, b->n, b->k, b->t[i].pub, &why) == -1)
			problem(b, "trustee %s's dealing: %s", b->t[i].name,
			    why);
		else
			good++;
	}
	if (good < b->n) {
		if (key != NULL)
			problem(b, "the board has a bid key before every "
			    "trustee dealt a correct share of it");
		return;
	}
	dkg_joint_key(b->n, b->k, dealings, b->y);
	dkg_ack_hash(b->ctx, b->y, b->n, b->k, dealings, h);
	for (i = good = 0; i < b->n; i++) {
		if (dkg_verification_key(b->n, b->k, dealings, i + 1,
		    b->t[i].yj) == -1) {
			problem(b, "trustee %s has no verification key",
			    b->t[i].name);
			continue;
		}
		if (bulletin_b64(json_string_value(json_object_get(
		    json_array_get(json_object_get(board, "trustees"), i),
		    "ack")), sig, sizeof(sig)) == -1)
			continue;
		if (dkg_verify(b->t[i].pub, h, sig) == 0) {
			b->t[i].acked = 1;
			good++;
		} else
			problem(b, "trustee %s's acknowledgement is not its "
			    "signature of this key", b->t[i].name);
	}
	if (key != NULL && memcmp(published, b->y, sizeof(published)) != 0) {
		problem(b, "the bid key is not the one the trustees' dealings "
		    "make");
		return;
	}
	if (key != NULL && good < b->n) {
		problem(b, "the board has a bid key that not every trustee "
		    "acknowledged");
		return;
	}
	b->has_key = key != NULL;
}

/*
 * Entry seq (from 1): its fields, hash and signature.  prev is the hash of
 * the entry before it as it should be (NULL: none checks).  Returns 1 when
 * the entry is the board's own, with ct and hash filled, else 0.
 */
static int
entry_check(struct bulletin *b, const json_t *e, uint64_t seq,
    const unsigned char *prev, unsigned char *ct, unsigned char *hash)
{
	struct board_entry	 be;
	unsigned char		 claimed[BOARD_HASHBYTES];
	unsigned char		 sig[BOARD_SIGBYTES];
	const char		*voter;
	json_int_t		 n;

	memset(&be, 0, sizeof(be));
	n = json_integer_value(json_object_get(e, "seq"));
	voter = json_string_value(json_object_get(e, "voter"));
	be.voter = voter != NULL ? voter : "?";
	if (n != (json_int_t)seq) {
		problem(b, "entry %llu (%s): it is numbered %lld: an entry "
		    "was dropped, added or moved before it",
		    (unsigned long long)seq, be.voter, (long long)n);
		return (0);
	}
	be.seq = seq;
	be.at = json_string_value(json_object_get(e, "at"));
	be.ciphertext = ct;
	be.ciphertext_len = EG_BIDBYTES;
	if (voter == NULL || be.at == NULL ||
	    bulletin_b64(json_string_value(json_object_get(e, "ciphertext")),
	    ct, EG_BIDBYTES) == -1 ||
	    hex32(json_string_value(json_object_get(e, "prev")),
	    be.prev) == -1 ||
	    hex32(json_string_value(json_object_get(e, "hash")),
	    claimed) == -1 ||
	    bulletin_b64(json_string_value(json_object_get(e, "signature")),
	    sig, sizeof(sig)) == -1) {
		problem(b, "entry %llu (%s): a field is missing or not of its "
		    "form", (unsigned long long)seq, be.voter);
		return (0);
	}
	if (prev != NULL && memcmp(be.prev, prev, BOARD_HASHBYTES) != 0)
		problem(b, "entry %llu (%s): it does not follow entry %llu "
		    "(its prev is not that entry's hash): an entry was "
		    "dropped, added, rewritten or moved", (unsigned long long)seq,
		    be.voter, (unsigned long long)seq - 1);
	board_hash(b->ctx, &be, hash);
	if (memcmp(hash, claimed, sizeof(claimed)) != 0) {
		problem(b, "entry %llu (%s): its hash is not that of its "
		    "fields: it was rewritten", (unsigned long long)seq,
		    be.voter);
		return (0);
	}
	if (board_verify(b->board_pk, hash, sig) == -1) {
		problem(b, "entry %llu (%s): it is not signed by the board "
		    "key: the server did not accept it", (unsigned long long)seq,
		    be.voter);
		return (0);
	}
	return (1);
}

static int
cmp_voter_seq(const void *a, const void *b)
{
	const struct bulletin_bid	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->voter, y->voter)) != 0)
		return (c);
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct bulletin_bid	*x = a, *y = b;

	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/*
 * The chain, then the bids that count: each voter's last entry of those
 * that are the board's own.
 */
static int
read_entries(struct bulletin *b, const json_t *board)
{
	const json_t	*list, *e;
	unsigned char	 prev[BOARD_HASHBYTES], hash[BOARD_HASHBYTES];
	struct bulletin_bid	*bid;
	size_t		 i, kept;
	int		 chained;

	list = json_object_get(board, "entries");
	if (!json_is_array(list)) {
		problem(b, "this is not a board: it has no entries");
		return (-1);
	}
	if (json_array_size(list) > 0 && !b->has_key)
		problem(b, "the board took bids without a bid key that checks");
	b->entries = json_array_size(list);
	b->bids = calloc(b->entries == 0 ? 1 : b->entries, sizeof(*b->bids));
	memset(prev, 0, sizeof(prev));
	chained = 1;
	json_array_foreach(list, i, e) {
		bid = &b->bids[b->nbids];
		if (entry_check(b, e, i + 1, chained ? prev : NULL, bid->ct,
		    hash)) {
			bid->voter = json_string_value(json_object_get(e,
			    "voter"));
			bid->seq = i + 1;
			sodium_bin2hex(bid->receipt, sizeof(bid->receipt), hash,
			    sizeof(hash));
			b->nbids++;
			memcpy(prev, hash, sizeof(prev));
			memcpy(b->head, bid->receipt, sizeof(b->head));
			chained = 1;
		} else
			chained = 0;
	}
	/* The last of each voter's entries: sort by voter, then seq. */
	qsort(b->bids, b->nbids, sizeof(*b->bids), cmp_voter_seq);
	for (i = kept = 0; i < b->nbids; i++) {
		if (i + 1 < b->nbids &&
		    strcmp(b->bids[i].voter, b->bids[i + 1].voter) == 0)
			continue;
		b->bids[kept++] = b->bids[i];
	}
	b->nbids = kept;
	qsort(b->bids, b->nbids, sizeof(*b->bids), cmp_seq);
	return (0);
}

static struct bulletin_bid *
bid_of(struct bulletin *b, uint64_t seq)
{
	struct bulletin_bid	 key;

	key.seq = seq;
	return (bsearch(&key, b->bids, b->nbids, sizeof(*b->bids), cmp_seq));
}

/* One holder's parts: each counted bid with a usable point needs one. */
static void
read_parts(struct bulletin *b, struct bulletin_trustee *t, unsigned index,
    const json_t *parts)
{
	struct bulletin_bid	*bid;
	const json_t		*p;
	unsigned char		 proof[EG_PROOFBYTES];
	unsigned char		*have;
	const char		*who = t->name != NULL ? t->name : "the operator";
	size_t			 i;
	json_int_t		 seq;

	t->parts = -1;
	t->d = calloc(b->nbids == 0 ? 1 : b->nbids, sizeof(*t->d));
	have = calloc(b->nbids == 0 ? 1 : b->nbids, 1);
	if (!json_is_array(parts)) {
		t->parts_why = "its parts are not a list";
		goto out;
	}
	json_array_foreach(parts, i, p) {
		seq = json_integer_value(json_object_get(p, "seq"));
		if (seq < 1 || (bid = bid_of(b, (uint64_t)seq)) == NULL) {
			t->parts_why = "it gave a part of an entry that does "
			    "not count";
			problem(b, "%s: part %zu: entry %lld does not count",
			    who, i + 1, (long long)seq);
			goto out;
		}
		if (have[bid - b->bids]++ ||
		    bulletin_b64(json_string_value(json_object_get(p, "part")),
		    t->d[bid - b->bids], EG_POINTBYTES) == -1 ||
		    bulletin_b64(json_string_value(json_object_get(p,
		    "proof")), proof, sizeof(proof)) == -1 ||
		    eg_part_verify(b->ctx, index, t->yj, bid->ct,
		    t->d[bid - b->bids], proof) == -1) {
			t->parts_why = "a part is not correct";
			problem(b, "%s: its part of entry %lld is not correct",
			    who, (long long)seq);
			goto out;
		}
	}
	for (i = 0; i < b->nbids; i++) {
		if (!have[i] && eg_point_ok(b->bids[i].ct)) {
			t->parts_why = "a part is missing";
			problem(b, "%s: it gave no part of entry %llu", who,
			    (unsigned long long)b->bids[i].seq);
			goto out;
		}
	}
	t->parts = 1;
out:
	free(have);
}

unsigned
bulletin_open(struct bulletin *b, const json_t *board)
{
	const json_t	*set;
	json_int_t	 index;
	size_t		 i;
	unsigned	 good;

	if (!b->has_key)
		return (0);
	json_array_foreach(json_object_get(board, "parts"), i, set) {
		index = json_integer_value(json_object_get(set, "index"));
		if (index < 1 || index > b->holders ||
		    b->t[index - 1].parts != 0) {
			problem(b, "parts %zu: no trustee %lld, or a second "
			    "set of its parts", i + 1, (long long)index);
			continue;
		}
		read_parts(b, &b->t[index - 1], (unsigned)index,
		    json_object_get(set, "parts"));
	}
	for (i = good = 0; i < b->holders; i++)
		good += b->t[i].parts == 1;
	if (good >= b->k)
		open_bids(b);
	return (good);
}

/* With the first k holders whose parts are all correct. */
static void
open_bids(struct bulletin *b)
{
	unsigned char	 d[DKG_TRUSTEES_MAX][EG_POINTBYTES];
	unsigned char	 key[EG_POINTBYTES];
	unsigned	 index[DKG_TRUSTEES_MAX];
	struct bulletin_bid	*bid;
	size_t		 i, k, h;

	for (i = 0; i < b->nbids; i++) {
		bid = &b->bids[i];
		for (h = k = 0; h < b->holders && k < b->k; h++) {
			if (b->t[h].parts != 1)
				continue;
			index[k] = (unsigned)h + 1;
			memcpy(d[k++], b->t[h].d[i], EG_POINTBYTES);
		}
		bid->valid = -1;
		if (!eg_point_ok(bid->ct))
			bid->why = "it is not a sealed bid: its first point "
			    "is not valid";
		else if (eg_combine(k, index,
		    (const unsigned char (*)[EG_POINTBYTES])d, key) == -1)
			bid->why = "its parts do not combine";
		else if (eg_open(b->y, bid->voter, bid->ct, key, b->max_bid,
		    &bid->amount, &bid->why) == 0)
			bid->valid = 1;
		b->opened++;
	}
	sodium_memzero(key, sizeof(key));
}

void
bulletin_free(struct bulletin *b)
{
	unsigned	 i;

	for (i = 0; i < DKG_TRUSTEES_MAX; i++)
		free(b->t[i].d);
	free(b->bids);
	free(b->bytes);
	buf_free(&b->problems);
	if (b->opened > 0)
		sodium_memzero(b, sizeof(*b));
}

static int
cmp_name(const void *a, const void *b)
{
	const struct clarke_voter	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

static int
cmp_str(const void *a, const void *b)
{
	const char *const	*x = a, *const *y = b;

	return (strcmp(*x, *y));
}

/*
 * The names of the roll, sorted, in *names (*n of them), for bsearch;
 * a roll of 100,000 is then looked up as often without a quadratic walk.
 */
static int
roll_names(const json_t *roll, const char ***names, size_t *n)
{
	const json_t	*r;
	size_t		 i;

	*n = 0;
	if ((*names = calloc(json_array_size(roll) + 1,
	    sizeof(**names))) == NULL)
		return (-1);
	json_array_foreach(roll, i, r) {
		if (json_is_string(r))
			(*names)[(*n)++] = json_string_value(r);
	}
	qsort(*names, *n, sizeof(**names), cmp_str);
	return (0);
}

/*
 * The voters of the roll (names, sorted) who have no valid bid, added to
 * the n bidders of v (sorted by name; room for the whole roll) as
 * abstaining, and all sorted again.  Returns the number of voters.
 */
static size_t
abstainers(const char **names, size_t nnames, struct clarke_voter *v,
    size_t n)
{
	size_t			 i, have;
	struct clarke_voter	 key;

	have = n;
	for (i = 0; i < nnames; i++) {
		key.name = names[i];
		if (bsearch(&key, v, have, sizeof(*v), cmp_name) != NULL)
			continue;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].name = key.name;
		v[n++].abstain = 1;
	}
	qsort(v, n, sizeof(*v), cmp_name);
	return (n);
}

int
bulletin_result(struct bulletin *b, int64_t cost, enum clarke_tax tax,
    enum clarke_payout payout, struct clarke_result *res, struct buf *json,
    struct buf *csv, const char **errstr)
{
	struct clarke_voter	*v;
	struct clarke_terms	 terms;
	json_t			*invalid, *board, *problems;
	char			*text;
	const char		*line, *end, **names;
	size_t			 i, n, nnames;
	int			 rc;

	memset(res, 0, sizeof(*res));
	v = calloc(b->nbids + json_array_size(b->roll) + 1, sizeof(*v));
	if (v == NULL || roll_names(b->roll, &names, &nnames) == -1) {
		free(v);
		*errstr = "out of memory";
		return (-1);
	}
	invalid = json_array();
	for (i = n = 0; i < b->nbids; i++) {
		if (b->bids[i].valid == 1 && b->roll != NULL &&
		    bsearch(&b->bids[i].voter, names, nnames, sizeof(*names),
		    cmp_str) == NULL) {
			b->bids[i].valid = -1;
			b->bids[i].why = "its voter is not on the voter roll";
		}
		if (b->bids[i].valid == 1) {
			v[n].name = b->bids[i].voter;
			v[n].receipt = b->bids[i].receipt;
			v[n++].bid = b->bids[i].amount;
			continue;
		}
		json_array_append_new(invalid, json_pack("{s:s, s:I, s:s, s:s}",
		    "voter", b->bids[i].voter, "seq", (json_int_t)b->bids[i].seq,
		    "receipt", b->bids[i].receipt, "reason",
		    b->bids[i].why != NULL ? b->bids[i].why : "not opened"));
	}
	/* The tally's order: by name; clarke_compute() checks it. */
	qsort(v, n, sizeof(*v), cmp_name);
	n = abstainers(names, nnames, v, n);
	terms.cost = cost;
	terms.tax = tax;
	terms.payout = payout;
	terms.max_bid = b->max_bid;
	rc = n > 0 ? clarke_compute(v, n, &terms, res, errstr) : 0;
	if (rc == 0) {
		clarke_json(json, v, n, res);
		/* Open the object again after its last member. */
		while (json->len > 0 && (json->data[json->len - 1] == '\n' ||
		    json->data[json->len - 1] == '}'))
			json->len--;
		problems = json_array();
		for (line = buf_cstr(&b->problems); *line != '\0';
		    line = end + 1) {
			end = strchr(line, '\n');
			json_array_append_new(problems, json_stringn(line,
			    (size_t)(end - line)));
		}
		board = json_pack("{s:I, s:s, s:o}", "entries",
		    (json_int_t)b->entries, "head", b->head, "problems",
		    problems);
		text = json_dumps(invalid, JSON_COMPACT);
		buf_printf(json, ",\"invalid\":%s", text);
		free(text);
		text = json_dumps(board, JSON_COMPACT);
		buf_printf(json, ",\"board\":%s}\n", text);
		free(text);
		json_decref(board);
		clarke_csv_head(csv, 1);
		for (i = 0; i < n; i++)
			clarke_csv_voter(csv, &v[i], 1);
		clarke_csv_total(csv, res, 1);
	}
	json_decref(invalid);
	free(names);
	free(v);
	return (rc);
}

static void
compare_member(const json_t *a, const json_t *b, const char *who,
    const char *key, struct buf *out, size_t *n)
{
	char	*ta, *tb;

	if (json_equal(json_object_get(a, key), json_object_get(b, key)))
		return;
	ta = json_dumps(json_object_get(a, key), JSON_ENCODE_ANY);
	tb = json_dumps(json_object_get(b, key), JSON_ENCODE_ANY);
	buf_printf(out, "%s%s: %s is %s in the published result, %s from "
	    "the board\n", who, who[0] != '\0' ? "" : "the result", key,
	    ta != NULL ? ta : "absent", tb != NULL ? tb : "absent");
	free(ta);
	free(tb);
	(*n)++;
}

size_t
bulletin_compare(const json_t *published, const json_t *again,
    struct buf *out)
{
	static const char *const totals[] = { "decision", "total_net",
	    "total_tax", "total_payout", "invalid" };
	static const char *const cols[] = { "bid", "cost_share", "net",
	    "pivotal", "tax", "payout", "receipt" };
	const json_t	*pv, *av, *p, *a;
	struct buf	 who;
	size_t		 i, j, n;

	n = 0;
	buf_init(&who);
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
		compare_member(published, again, "", totals[i], out, &n);
	pv = json_object_get(published, "voters");
	av = json_object_get(again, "voters");
	for (i = 0; i < json_array_size(pv) || i < json_array_size(av); i++) {
		p = json_array_get(pv, i);
		a = json_array_get(av, i);
		buf_reset(&who);
		buf_printf(&who, "voter %s",
		    json_string_value(json_object_get(p != NULL ? p : a,
		    "voter")));
		if (p == NULL || a == NULL || !json_equal(json_object_get(p,
		    "voter"), json_object_get(a, "voter"))) {
			buf_printf(out, "%s: %s\n", buf_cstr(&who), p == NULL ?
			    "counted from the board, missing from the published "
			    "result" : "in the published result, not a bid the "
			    "board counts");
			n++;
			continue;
		}
		for (j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
			compare_member(p, a, buf_cstr(&who), cols[j], out, &n);
	}
	buf_free(&who);
	return (n);
}

size_t
bulletin_verify(const json_t *board, const unsigned char pk[BOARD_PUBLICBYTES],
    const json_t *proposal, struct buf *out)
{
	struct clarke_result	 res;
	struct bulletin		 b;
	struct buf		 doc, csv;
	enum clarke_tax		 tax;
	enum clarke_payout	 payout;
	const json_t		*published;
	const char		*cost_text, *errstr;
	json_t			*again;
	int64_t			 cost;
	size_t			 n;

	buf_init(&doc);
	buf_init(&csv);
	n = 0;
	if (bulletin_read(&b, board, pk) == 0)
		(void)bulletin_open(&b, board);
	buf_puts(out, buf_cstr(&b.problems));
	n += b.nproblems;
	published = json_object_get(proposal, "result");
	cost_text = json_string_value(json_object_get(proposal, "cost"));
	if (cost_text == NULL || money_parse(cost_text, strlen(cost_text),
	    &cost, &errstr) == -1 || clarke_tax_parse(json_string_value(
	    json_object_get(proposal, "tax_rule")), &tax) == -1 ||
	    clarke_payout_parse(json_string_value(json_object_get(proposal,
	    "payout_rule")), &payout) == -1) {
		buf_puts(out, "the proposal's cost or rules are not readable\n");
		n++;
	} else if (!json_is_object(published)) {
		buf_puts(out, "no result is published\n");
		n++;
	} else if (b.opened < b.nbids) {
		buf_printf(out, "a result is published, but the board's parts "
		    "open only %zu of its %zu bids\n", b.opened, b.nbids);
		n++;
	} else if (bulletin_result(&b, cost, tax, payout, &res, &doc, &csv,
	    &errstr) == -1) {
		buf_printf(out, "the bids on the board cannot be tallied: %s\n",
		    errstr);
		n++;
	} else if ((again = json_loadb(doc.data, doc.len, 0, NULL)) != NULL) {
		n += bulletin_compare(published, again, out);
		json_decref(again);
	}
	bulletin_free(&b);
	buf_free(&doc);
	buf_free(&csv);
	return (n);
}
