/*
 * Start-up of each worker: the database pool and the documents read once.
 */

#include <sys/stat.h>

#include <kore/kore.h>
#include <kore/hooks.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <sodium.h>

#include "fw.h"

int	fw_init(int);

struct buf	openapi_doc;

/*
 * glibc 2.36 and libpq stat files with newfstatat, which Kore 4.1's
 * worker filter lacks.
 */
KORE_SECCOMP_FILTER("factwiki",
	KORE_SYSCALL_ALLOW(newfstatat),
)

static int	read_file(const char *, struct buf *);

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

	buf_init(&openapi_doc);
	if (read_file("static/openapi.json", &openapi_doc) == -1)
		fatal("cannot read static/openapi.json from %s", kore_root_path);
	return (KORE_RESULT_OK);
}
