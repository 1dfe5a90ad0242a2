/*
 * Connecting and running plain statements with libpq.
 */

#include <string.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "store/db.h"

static void	describe_target(const char *, struct buf *);

/* "host=/var/run/x port=5432 dbname=f user=u", from what libpq would use. */
static void
describe_target(const char *conninfo, struct buf *out)
{
	static const char *const keys[] = { "host", "port", "dbname", "user" };
	PQconninfoOption	*opts, *o;
	char			*msg;
	size_t			 i;
	int			 first;

	msg = NULL;
	if ((opts = PQconninfoParse(conninfo, &msg)) == NULL) {
		buf_puts(out, "a connection string libpq cannot read");
		PQfreemem(msg);
		return;
	}
	first = 1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		for (o = opts; o->keyword != NULL; o++) {
			if (strcmp(o->keyword, keys[i]) || o->val == NULL ||
			    o->val[0] == '\0')
				continue;
			buf_printf(out, "%s%s=%s", first ? "" : " ",
			    o->keyword, o->val);
			first = 0;
		}
	}
	if (first)
		buf_puts(out, "libpq's defaults");
	PQconninfoFree(opts);
}

PGconn *
store_connect(const char *conninfo, struct buf *err)
{
	PGconn	*conn;

	conn = PQconnectdb(conninfo);
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
		return (conn);

	buf_puts(err, "cannot reach the database (");
	describe_target(conninfo, err);
	buf_puts(err, "): ");
	if (conn == NULL) {
		buf_puts(err, "out of memory");
	} else {
		buf_puts(err, PQerrorMessage(conn));
		PQfinish(conn);
	}
	while (err->len > 0 && (err->data[err->len - 1] == '\n'))
		err->len--;
	(void)buf_cstr(err);
	return (NULL);
}

void
store_error(PGconn *conn, const PGresult *res, struct buf *err)
{
	const char	*msg, *detail;

	msg = NULL;
	detail = NULL;
	if (res != NULL) {
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	}
	if (msg == NULL)
		msg = PQerrorMessage(conn);
	buf_puts(err, msg);
	if (detail != NULL)
		buf_printf(err, " (%s)", detail);
	while (err->len > 0 && err->data[err->len - 1] == '\n')
		err->len--;
	(void)buf_cstr(err);
}

int
store_exec(PGconn *conn, const char *sql, struct buf *err)
{
	PGresult	*res;
	int		 rc;

	res = PQexec(conn, sql);
	rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_error(conn, res, err);
		rc = -1;
	}
	PQclear(res);
	return (rc);
}
