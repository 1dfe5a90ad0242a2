/*
 * factwiki import [--create-missing] [--dry-run] [--comment TEXT]
 *     [--user NAME] FILE|-
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "store/import.h"
#include "cli.h"

struct input {
	int		 fd;
	uint64_t	 size;		/* 0 when unknown (a pipe) */
	int		 tty;		/* draw a progress bar on stderr */
	double		 start;
	double		 shown;
};

static double	now(void);
static ssize_t	input_read(void *, void *, size_t);
static void	progress(void *, unsigned long, uint64_t);
static void	report_errors(const char *, const struct import_result *);
static void	report_summary(const struct import_result *, int);

static double
now(void)
{
	struct timespec	 ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static ssize_t
input_read(void *arg, void *buf, size_t len)
{
	struct input	*in = arg;
	ssize_t		 n;

	do {
		n = read(in->fd, buf, len);
	} while (n == -1 && errno == EINTR);
	return (n);
}

/* Rows, rows per second and, for a file of known size, a bar and ETA. */
static void
progress(void *arg, unsigned long rows, uint64_t bytes)
{
	struct input	*in = arg;
	double		 t, rate, frac;
	int		 i, width = 30;

	if (!in->tty)
		return;
	t = now();
	if (t - in->shown < 0.2)
		return;
	in->shown = t;
	rate = rows / (t - in->start > 0 ? t - in->start : 1);
	fprintf(stderr, "\r%10lu rows %9.0f rows/s", rows, rate);
	if (in->size > 0) {
		frac = (double)bytes / (double)in->size;
		if (frac > 1)
			frac = 1;
		fputs(" [", stderr);
		for (i = 0; i < width; i++)
			fputc(i < (int)(frac * width) ? '#' : '.', stderr);
		fprintf(stderr, "] %3.0f%%", frac * 100);
		if (frac > 0)
			fprintf(stderr, " ETA %4.0fs",
			    (t - in->start) * (1 - frac) / frac);
	}
	fflush(stderr);
}

static void
report_errors(const char *file, const struct import_result *r)
{
	const struct import_error	*e;
	size_t				 i;

	for (i = 0; i < r->nshown; i++) {
		e = &r->errors[i];
		if (e->line == 0)
			fprintf(stderr, "%s: %s\n", file, e->message);
		else if (e->column == NULL)
			fprintf(stderr, "%s:%lu: %s\n", file, e->line,
			    e->message);
		else
			fprintf(stderr, "%s:%lu: %s: %s\n", file, e->line,
			    e->column, e->message);
	}
	if (r->nerrors > r->nshown)
		fprintf(stderr, "%s: %lu more errors not shown\n", file,
		    r->nerrors - r->nshown);
	fprintf(stderr, "%s: %lu error%s: nothing was imported\n", file,
	    r->nerrors, r->nerrors == 1 ? "" : "s");
}

static void
report_summary(const struct import_result *r, int dry_run)
{
	printf("rows read: %lu\n", r->rows);
	printf("facts added: %ld\n", r->added);
	printf("facts updated: %ld\n", r->updated);
	printf("facts unchanged: %ld\n", r->unchanged);
	printf("places created: %ld\n", r->places_created);
	printf("variables created: %ld\n", r->variables_created);
	printf("sources created: %ld\n", r->sources_created);
	if (dry_run)
		printf("dry run: nothing was written\n");
	else if (r->change > 0)
		printf("change: %lld\n", (long long)r->change);
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "create-missing", no_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "comment", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts	 opts;
	struct import_result	 res;
	struct input		 in;
	struct stat		 st;
	struct buf		 err, comment;
	PGconn			*conn;
	const char		*file;
	int			 ch, rc;

	memset(&opts, 0, sizeof(opts));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			opts.create_missing = 1;
			break;
		case 'n':
			opts.dry_run = 1;
			break;
		case 'm':
			opts.comment = optarg;
			break;
		case 'u':
			opts.user = optarg;
			break;
		default:
			usage_error("import: bad option");
			return (EXIT_USAGE);
		}
	}
	if (argc - optind != 1) {
		usage_error("import takes one FILE, or - for standard input");
		return (EXIT_USAGE);
	}
	file = argv[optind];

	memset(&in, 0, sizeof(in));
	if (!strcmp(file, "-")) {
		in.fd = STDIN_FILENO;
		file = "<stdin>";
	} else if ((in.fd = open(file, O_RDONLY)) == -1) {
		fprintf(stderr, "factwiki: %s: %s\n", file, strerror(errno));
		return (EXIT_INPUT);
	}
	if (fstat(in.fd, &st) == 0 && S_ISREG(st.st_mode))
		in.size = (uint64_t)st.st_size;
	in.tty = isatty(STDERR_FILENO);
	in.start = now();

	if ((conn = cli_connect()) == NULL) {
		if (in.fd != STDIN_FILENO)
			close(in.fd);
		return (EXIT_DB);
	}

	buf_init(&err);
	buf_init(&comment);
	if (opts.comment == NULL) {
		buf_printf(&comment, "import of %s", file);
		opts.comment = buf_cstr(&comment);
	}
	opts.read = input_read;
	opts.arg = &in;
	opts.progress = progress;

	rc = store_import(conn, &opts, &res, &err);
	if (in.tty)
		fputs("\r\033[K", stderr);
	switch (rc) {
	case IMPORT_OK:
		report_summary(&res, opts.dry_run);
		rc = 0;
		break;
	case IMPORT_INVALID:
		report_errors(file, &res);
		rc = EXIT_INPUT;
		break;
	default:
		fprintf(stderr, "factwiki: %s: import failed: %s\n", file,
		    buf_cstr(&err));
		rc = PQstatus(conn) == CONNECTION_OK ? EXIT_INPUT : EXIT_DB;
		break;
	}
	import_result_free(&res);
	buf_free(&err);
	buf_free(&comment);
	PQfinish(conn);
	if (in.fd != STDIN_FILENO)
		close(in.fd);
	return (rc);
}
