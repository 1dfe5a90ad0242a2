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
int	cmd_trustee(int, char **);
int	cmd_ledger(int, char **);
int	cmd_backup(int, char **);

struct buf;

/* The usage line of `factwiki clarke`, which names every rule. */
void	clarke_synopsis(struct buf *);

#include <libpq-fe.h>

struct buf;

/* A connection, or NULL after a message on stderr (exit with EXIT_DB). */
PGconn	*cli_connect(void);
/*
 * What cli_connect() connects to, as libpq conninfo or a URI, into info:
 * 0, or -1 after a message on stderr.
 */
int	cli_conninfo(struct buf *info);
/* Where the master key file is, as the server finds it from the checkout. */
void	cli_key_path(struct buf *path);

/*
 * The site a command talks to: flag (--url), else $FACTWIKI_URL, else the
 * server of `make run`.
 */
const char	*cli_site(const char *flag);
/*
 * method site+path, with a JSON body when json is not NULL, and the API
 * token $FACTWIKI_TOKEN when set.  The answer's body goes to answer.
 * Returns the HTTP status, or -1 with err saying why there was none.
 */
struct buf;
long	cli_http(const char *method, const char *site, const char *path,
	    const char *json, struct buf *answer, struct buf *err);
/*
 * The same with JSON both ways: the answer of a 2xx, or NULL with err
 * saying why (the problem's detail for a 4xx or 5xx).
 */
#include <jansson.h>
json_t	*cli_json(const char *method, const char *site, const char *path,
	    const json_t *body, struct buf *err);
/* The detail of a problem answer (4xx, 5xx), or its status, into err. */
void	cli_problem(long status, struct buf *answer, struct buf *err);

void	usage_error(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
