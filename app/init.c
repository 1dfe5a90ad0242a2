/*
 * Start-up of each worker: the database pool and the documents read once.
 */

#include <sys/stat.h>

#include <kore/kore.h>
#include <kore/hooks.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clarke.h"
#include "fw.h"
#include "referenda.h"

#define OPENAPI_DIR	"static/openapi"

int	fw_init(int);

struct buf	openapi_doc;

/*
 * What Kore 4.1's worker filter lacks: glibc 2.36 and libpq stat files with
 * newfstatat; loading templates/ lists a directory; glibc starts the task
 * threads (which hash passwords) with clone3 and registers their rseq;
 * imports from the web keep files under var/uploads (upload.c); the
 * master key is locked in memory, out of swap (keys.c).  glibc's realloc
 * moves a large block with mremap (a page of a thousand rows), and its
 * qsort asks sysinfo for the memory size on its first sort of over 1 KiB
 * in a process.  Kore's filemap resolves each path with realpath(), and
 * glibc's checks a path that ends in "." or "/" with faccessat2 (the
 * only call a run of `SECCOMP_TRACING=1 make test` finds beyond these).
 * A call missing here kills the thread that made it, and the parent never
 * hears of it: the worker hangs.
 */
KORE_SECCOMP_FILTER("factwiki",
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(sysinfo),
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(mlock),
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(unlinkat),
	KORE_SYSCALL_ALLOW(faccessat2),
)

static int	read_file(const char *, struct buf *);
static void	openapi_merge(json_t *, json_t *);
static json_t	*openapi_rule(const struct clarke_rule *, size_t, size_t);
static int	openapi_load(struct buf *);

static int
read_file(const char *path, struct buf *out)
{
	char	 chunk[8192];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return (-1);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(out, chunk, (size_t)n);
	close(fd);
	return (n == 0 ? 0 : -1);
}

/*
 * Adds part's paths and components to doc's.  A path both have gets the
 * part's methods too (GET /api/v1/facts is read, POST is written).
 */
static void
openapi_merge(json_t *doc, json_t *part)
{
	json_t		*into, *v, *paths;
	const char	*key;

	paths = json_object_get(doc, "paths");
	json_object_foreach(json_object_get(part, "paths"), key, v) {
		if ((into = json_object_get(paths, key)) != NULL)
			(void)json_object_update(into, v);
		else
			(void)json_object_set(paths, key, v);
	}
	json_object_foreach(json_object_get(part, "components"), key, v) {
		into = json_object_get(json_object_get(doc, "components"), key);
		if (into != NULL)
			(void)json_object_update(into, v);
		else
			(void)json_object_set(json_object_get(doc,
			    "components"), key, v);
	}
}

/*
 * The schema of a tax or payout rule (TaxRule, PayoutRule, to which the
 * parts refer), from the tally's table of rules.
 */
static json_t *
openapi_rule(const struct clarke_rule *rules, size_t n, size_t def)
{
	struct buf	 about;
	json_t		*names, *schema;
	size_t		 i;

	names = json_array();
	buf_init(&about);
	for (i = 0; i < n; i++) {
		(void)json_array_append_new(names, json_string(rules[i].name));
		buf_printf(&about, "%s`%s`: %s", i > 0 ? " " : "",
		    rules[i].name, rules[i].summary);
	}
	schema = json_pack("{s:s, s:o, s:s, s:s}", "type", "string", "enum",
	    names, "default", rules[def].name, "description",
	    buf_cstr(&about));
	buf_free(&about);
	return (schema);
}

/*
 * The OpenAPI document: the JSON files of static/openapi/ in name order,
 * one a part of the API each, merged into the first, and the schemas of
 * the rules.
 */
static int
openapi_load(struct buf *out)
{
	struct dirent	**names;
	struct buf	 path, text;
	json_t		*doc, *part, *schemas;
	const char	*name;
	char		*dumped;
	int		 i, n, rc;

	if ((n = scandir(OPENAPI_DIR, &names, NULL, alphasort)) == -1)
		return (-1);
	doc = NULL;
	rc = 0;
	buf_init(&path);
	buf_init(&text);
	for (i = 0; i < n; i++) {
		name = names[i]->d_name;
		if (rc == 0 && strlen(name) > 5 &&
		    !strcmp(name + strlen(name) - 5, ".json")) {
			buf_reset(&path);
			buf_reset(&text);
			buf_printf(&path, "%s/%s", OPENAPI_DIR, name);
			if (read_file(buf_cstr(&path), &text) == -1 ||
			    (part = json_loadb(text.data, text.len, 0,
			    NULL)) == NULL) {
				kore_log(LOG_ERR, "%s: not JSON",
				    buf_cstr(&path));
				rc = -1;
			} else if (doc == NULL) {
				doc = part;
			} else {
				openapi_merge(doc, part);
				json_decref(part);
			}
		}
		free(names[i]);
	}
	free(names);
	buf_free(&path);
	buf_free(&text);
	if (rc == 0 && doc != NULL) {
		schemas = json_object_get(json_object_get(doc, "components"),
		    "schemas");
		(void)json_object_set_new(schemas, "TaxRule",
		    openapi_rule(clarke_tax_rules, CLARKE_TAX__MAX,
		    CLARKE_TAX_DEFAULT));
		(void)json_object_set_new(schemas, "PayoutRule",
		    openapi_rule(clarke_payout_rules, CLARKE_PAYOUT__MAX,
		    CLARKE_PAYOUT_DEFAULT));
		dumped = json_dumps(doc, JSON_INDENT(1));
		buf_puts(out, dumped);
		free(dumped);
	}
	json_decref(doc);
	return (doc == NULL ? -1 : rc);
}

/*
 * In the parent, before the workers start: what a worker could only fail
 * at over and over, each restarted as it stops.
 */
void
kore_parent_configure(int argc, char **argv)
{
	const char	*why;

	(void)argc;
	(void)argv;
	/*
	 * In the foreground Kore logs to standard output: a line at a time,
	 * so that a log read while the server runs has every line so far.
	 */
	(void)setvbuf(stdout, NULL, _IOLBF, 0);
	/* The workers are forked after: they inherit the address read. */
	if ((why = page_url_init()) != NULL)
		fatal("%s", why);
	keys_make();
	version_map();
}

int
fw_init(int state)
{
	const char	*url;

	/* Also called when the module is unloaded: nothing to do then. */
	if (state != KORE_MODULE_LOAD)
		return (KORE_RESULT_OK);

	if (sodium_init() == -1)
		fatal("libsodium cannot start");
	if ((url = getenv("DATABASE_URL")) == NULL || url[0] == '\0')
		fatal("DATABASE_URL is not set (`make run` sets it)");
	if (!kore_pgsql_register(FW_DB, url))
		fatal("cannot register the database");
	replica_init();
	docs_init();
	db_init();

	if (page_init() == -1)
		fatal("cannot load the templates from %s/templates",
		    kore_root_path);
	buf_init(&openapi_doc);
	if (openapi_load(&openapi_doc) == -1)
		fatal("cannot build the OpenAPI document from %s/%s",
		    kore_root_path, OPENAPI_DIR);
	keys_init();
	tally_init();
	cache_init();
	version_init();
	return (KORE_RESULT_OK);
}
