/*
 * /static/: the files of static/.  Kore's filemap serves them
 * (conf/factwiki.conf.in); this route comes first, to answer as every
 * other route does what the filemap would answer with no word (a method
 * other than GET, a path that names no file), and to add the headers every
 * answer of ours carries: nosniff, so that no file is read as another type.
 */

#include <sys/stat.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <stdio.h>
#include <string.h>

#include "fw.h"

#define STATIC_PREFIX	"/static/"
#define STATIC_DIR	"static/"

/* Kore's handler of a filemap: in its binary, not in its headers. */
int	filemap_resolve(struct http_request *);

int	page_static(struct http_request *);

int
page_static(struct http_request *req)
{
	struct stat	 st;
	char		 file[256];
	int		 n;

	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD) {
		http_response_header(req, "allow", "GET, HEAD");
		return (page_error(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "the files of /static/ are read with GET"));
	}
	n = snprintf(file, sizeof(file), STATIC_DIR "%s",
	    req->path + strlen(STATIC_PREFIX));
	/* As the filemap will read it: decoded, then a regular file. */
	if (n < 0 || (size_t)n >= sizeof(file) ||
	    !http_argument_urldecode(file) || strstr(file, "..") != NULL ||
	    stat(file, &st) == -1 || !S_ISREG(st.st_mode))
		return (page_error(req, HTTP_STATUS_NOT_FOUND,
		    "there is no such file"));
	http_response_header(req, "x-content-type-options", "nosniff");
	return (filemap_resolve(req));
}
