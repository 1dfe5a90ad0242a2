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

/* The texts this worker has numbered: a statement's name is its number. */
static char	*texts[PREPARE_MAX];
static size_t	 ntexts;

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
	size_t	 i;

	for (i = 0; i < ntexts; i++) {
		if (!strcmp(texts[i], query)) {
			*n = i;
			return (1);
		}
	}
	if (ntexts == PREPARE_MAX)
		return (0);
	texts[ntexts] = kore_strdup(query);
	*n = ntexts++;
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
