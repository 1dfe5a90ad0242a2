#ifndef FW_STORE_MIGRATE_H
#define FW_STORE_MIGRATE_H

#include <libpq-fe.h>

#include "core/buf.h"

struct sql_file {
	const char	*name;		/* "sql/001_facts.sql" */
	const char	*text;
};

/* Built into the program from sql/ by tools/embed-sql.sh, NULL-ended. */
extern const struct sql_file sql_files[];

/*
 * Brings the schema up to date in one transaction: applies each migration
 * sql/NNN_*.sql not yet applied, in order, writes the tally's tax and
 * payout rules (core/clarke.h) into the tables that proposals reference,
 * then rebuilds the api schema from the files in sql/api/ when any of
 * those changed.  Safe to run again and from
 * several processes at once.  Writes what it did to log, one line each.
 * Returns 0, or -1 with err set (and nothing changed).
 */
int	store_migrate(PGconn *, struct buf *log, struct buf *err);

#endif
