/*
 * The factwiki command line: one file per command, each a cmd_*() that
 * returns the process exit status.
 */

#ifndef FW_CLI_H
#define FW_CLI_H

#define EXIT_INPUT	1	/* bad input; messages went to stderr */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_DB		3	/* the database cannot be reached */

int	cmd_migrate(int, char **);
int	cmd_import(int, char **);
int	cmd_export(int, char **);
int	cmd_user(int, char **);
int	cmd_token(int, char **);
int	cmd_clarke(int, char **);
int	cmd_proposal(int, char **);

struct buf;

/* The usage line of `factwiki clarke`, which names every rule. */
void	clarke_synopsis(struct buf *);

#include <libpq-fe.h>

/* A connection, or NULL after a message on stderr (exit with EXIT_DB). */
PGconn	*cli_connect(void);

void	usage_error(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
