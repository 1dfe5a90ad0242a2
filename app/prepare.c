/*
 * Reads as prepared statements.  Kore sends each query unnamed, so that
 * PostgreSQL parses and plans it at every call; a read's SQL inlined from
 * a function (sql/api/010_read.sql) then costs more to plan than to run.
 * The handlers' read queries are a few fixed texts, so each worker numbers
 * each text the first time it runs, and prepares it on a connection the
 * first time it runs there.  What a connection holds is kept in libpq's
 * instance data of that connection, and goes with it.
 *
 * Preparing waits for its answer, once per text and connection, as Kore
 * itself waits for a connection to open.
 */

#include <kore/kore.h>
#include <kore/pgsql.h>

#include <libpq-events.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"

/* More texts than the code has: past this, reads run unnamed. */
#define PREPARE_MAX	256

/*
 * The texts this worker has numbered, a statement's name being its number;
 * found by their hash, open addressed, so that a read compares one text.
 */
#define PREPARE_SLOTS	(PREPARE_MAX * 2)

struct text {
	char		*query;		/* NULL: a free slot */
	u_int64_t	 hash;
	size_t		 number;
};

static struct text	texts[PREPARE_SLOTS];
static size_t		ntexts;

/* What one connection has prepared, by number. */
struct prepared {
	u_int8_t	done[PREPARE_MAX / 8];
};

static int	prepare_event(PGEventId, void *, void *);
static int	text_number(const char *, size_t *);

/* The connection's instance data: made with it, freed by libpq's event. */
static int
prepare_event(PGEventId id, void *info, void *pass)
{
	PGEventConnDestroy	*destroy;
	PGEventConnReset	*reset;
	struct prepared		*p;

	(void)pass;
	switch (id) {
	case PGEVT_CONNRESET:
		reset = info;
		if ((p = PQinstanceData(reset->conn, prepare_event)) != NULL)
			memset(p, 0, sizeof(*p));
		break;
	case PGEVT_CONNDESTROY:
		destroy = info;
		kore_free(PQinstanceData(destroy->conn, prepare_event));
		break;
	default:
		break;
	}
	return (1);
}

static int
text_number(const char *query, size_t *n)
{
	struct text	*t;
	const char	*c;
	u_int64_t	 hash;
	size_t		 i;

	/* FNV-1a. */
	hash = 0xcbf29ce484222325ULL;
	for (c = query; *c != '\0'; c++)
		hash = (hash ^ (u_int8_t)*c) * 0x100000001b3ULL;
	for (i = hash % PREPARE_SLOTS;; i = (i + 1) % PREPARE_SLOTS) {
		t = &texts[i];
		if (t->query == NULL)
			break;
		if (t->hash == hash && !strcmp(t->query, query)) {
			*n = t->number;
			return (1);
		}
	}
	/* At most half the slots are taken: a free one is always found. */
	if (ntexts == PREPARE_MAX)
		return (0);
	t->query = kore_strdup(query);
	t->hash = hash;
	t->number = ntexts++;
	*n = t->number;
	return (1);
}

int
prepare_read(PGconn *db, const char *query, char *name, size_t len)
{
	struct prepared	*p;
	PGresult	*res;
	size_t		 n;
	int		 ok;

	if (!text_number(query, &n))
		return (0);
	(void)snprintf(name, len, "fw%zu", n);
	if ((p = PQinstanceData(db, prepare_event)) == NULL) {
		if (!PQregisterEventProc(db, prepare_event, "factwiki", NULL))
			return (0);
		p = kore_calloc(1, sizeof(*p));
		(void)PQsetInstanceData(db, prepare_event, p);
	}
	if (p->done[n / 8] & (1 << (n % 8)))
		return (1);
	/* An error here shows again, and is answered, when it runs unnamed. */
	res = PQprepare(db, name, query, 0, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (ok)
		p->done[n / 8] |= 1 << (n % 8);
	return (ok);
}
