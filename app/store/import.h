/*
 * Importing facts from CSV: all or nothing, idempotent, streaming.
 *
 * The file is read once: each row is checked on its own (core/factcsv.c)
 * and copied into a temporary table with COPY; set-based statements
 * (sql/api/055_import.sql) then check what needs the database (unknown
 * places, variables and sources, units, protected series, duplicate rows)
 * and merge.  Every write happens in one transaction on the caller's
 * connection, so a failure or a kill leaves the database as it was; the
 * staging table is the session's own and goes with it.
 */

#ifndef FW_STORE_IMPORT_H
#define FW_STORE_IMPORT_H

#include <stdint.h>
#include <sys/types.h>

#include <libpq-fe.h>

#include "core/buf.h"

#define IMPORT_ERRORS_SHOWN	100

struct import_opts {
	int		 create_missing;
	int		 dry_run;
	const char	*comment;	/* NULL: "import" */
	const char	*user;		/* NULL: "system" */
	/* Reads up to len bytes of the CSV; 0 at the end, -1 on error. */
	ssize_t		(*read)(void *arg, void *buf, size_t len);
	void		*arg;
	/* Called now and then while reading (may be NULL). */
	void		(*progress)(void *arg, unsigned long rows,
			    uint64_t bytes);
};

struct import_error {
	unsigned long	 line;		/* 0: the whole file */
	char		*column;	/* NULL: the row or the file */
	char		*message;
};

struct import_result {
	unsigned long		rows;
	long			added;
	long			updated;
	long			unchanged;
	long			places_created;
	long			variables_created;
	long			sources_created;
	int64_t			change;		/* 0 when nothing written */
	/* The content's version it made (sql/013_version.sql), or 0. */
	int64_t			version;
	unsigned long		nerrors;	/* all of them */
	size_t			nshown;		/* <= IMPORT_ERRORS_SHOWN */
	struct import_error	errors[IMPORT_ERRORS_SHOWN];
};

#define IMPORT_OK	0
#define IMPORT_INVALID	1	/* the file is bad: see errors */
#define IMPORT_FAILED	2	/* the database or the reader failed: err */

int	store_import(PGconn *, const struct import_opts *,
	    struct import_result *, struct buf *err);
void	import_result_free(struct import_result *);

#endif
