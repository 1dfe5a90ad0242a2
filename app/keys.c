/*
 * The master key in the server.  The parent reads the key file (making it
 * on the first start, once: workers would race to make it) and warns of
 * the proposals that need another key.  It then starts one key keeper for
 * each worker, a process that holds the key and answers the messages of
 * core/keeper.h over a socket, and forgets the key itself.  No worker
 * holds the key, and none can read its file: a bug in a handler may ask
 * the keeper to sign or open what a handler may, but cannot take the key.
 *
 * A keeper runs as the workers do (the same user, the same root), cannot
 * be traced or dumped, and its seccomp filter allows it to read and write
 * its socket, get random bytes and exit: nothing else.  It ends with the
 * parent.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <kore/kore.h>
#include <kore/seccomp.h>

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/keeper.h"
#include "store/db.h"
#include "store/keys.h"
#include "referenda.h"

#if defined(__x86_64__)
#define KEEPER_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define KEEPER_ARCH	AUDIT_ARCH_AARCH64
#else
#error "the key keeper's seccomp filter knows no other architecture"
#endif

/* A worker waits this long for an answer, then says the keeper is gone. */
#define KEEPER_TIMEOUT_S	10

static struct sock_filter keeper_filter[] = {
	KORE_BPF_LOAD(arch, 0),
	KORE_BPF_CMP(KEEPER_ARCH, 1, 0),
	KORE_BPF_RET(SECCOMP_RET_KILL_PROCESS),
	KORE_BPF_LOAD(nr, 0),
	KORE_SYSCALL_ALLOW(read),
	KORE_SYSCALL_ALLOW(write),
	KORE_SYSCALL_ALLOW(getrandom),
	KORE_SYSCALL_ALLOW(exit),
	KORE_SYSCALL_ALLOW(exit_group),
	KORE_BPF_RET(SECCOMP_RET_KILL_PROCESS),
};

static struct keeper	 keeper;
/* keeper_fds[id - 1]: worker id's end of its socket to its keeper. */
static int		 keeper_fds[KORE_WORKER_MAX];
static int		 keeper_fd = -1;
static pthread_mutex_t	 keeper_lock = PTHREAD_MUTEX_INITIALIZER;

static int	keys_load(unsigned char *, struct buf *, struct buf *);
static void	keeper_start(unsigned);
static void	keeper_confine(void);
static void	keeper_run(int) __attribute__((noreturn));
static void	keeper_die(const char *) __attribute__((noreturn));
static void	remote_call(struct keeper *, const struct keeper_req *,
		    struct keeper_resp *);

static int
keys_load(unsigned char *master, struct buf *log, struct buf *err)
{
	const char	*path, *url;
	PGconn		*conn;
	int		 rc;

	if ((path = getenv(KEYS_ENV)) == NULL || path[0] == '\0')
		path = KEYS_DEFAULT;
	if ((url = getenv("DATABASE_URL")) == NULL || url[0] == '\0') {
		buf_puts(err, "DATABASE_URL is not set (`make run` sets it)");
		return (-1);
	}
	if ((conn = store_connect(url, err)) == NULL)
		return (-1);
	rc = store_key_load(conn, path, 1, master, log, err);
	PQfinish(conn);
	return (rc);
}

void
keys_make(void)
{
	unsigned char	 master[SEAL_MASTERBYTES];
	struct buf	 log, err;

	if (sodium_init() == -1)
		fatal("libsodium cannot start");
	buf_init(&log);
	buf_init(&err);
	if (keys_load(master, &log, &err) == -1)
		fatal("master key: %s", buf_cstr(&err));
	if (log.len > 0)
		kore_log(strstr(buf_cstr(&log), "warning") != NULL ?
		    LOG_WARNING : LOG_NOTICE, "%s", buf_cstr(&log));
	keeper_local(&keeper, master);
	sodium_memzero(master, sizeof(master));
	keeper_start(worker_count > 0 ? worker_count : cpu_count);
	/* The parent serves nothing: from here only the keepers hold it. */
	keeper_public(&keeper);
	buf_free(&log);
	buf_free(&err);
}

/* One keeper for each worker id 1..n, before any worker is forked. */
static void
keeper_start(unsigned n)
{
	struct timeval	 tv;
	unsigned	 i;
	pid_t		 pid;
	int		 sv[2];

	if (n > KORE_WORKER_MAX)
		fatal("keys: %u workers are more than %d", n, KORE_WORKER_MAX);
	memset(&tv, 0, sizeof(tv));
	tv.tv_sec = KEEPER_TIMEOUT_S;
	for (i = 0; i < n; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
			fatal("keys: socketpair: %s", errno_s);
		if (setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv)) == -1)
			fatal("keys: setsockopt: %s", errno_s);
		if ((pid = fork()) == -1)
			fatal("keys: fork: %s", errno_s);
		if (pid == 0) {
			(void)close(sv[0]);
			keeper_run(sv[1]);
		}
		(void)close(sv[1]);
		keeper_fds[i] = sv[0];
	}
}

static void
keeper_die(const char *what)
{
	char	 line[160];
	int	 len;

	len = snprintf(line, sizeof(line), "factwiki: key keeper: %s: %s\n",
	    what, strerror(errno));
	if (len > 0)
		(void)write(STDERR_FILENO, line, (size_t)len);
	_exit(1);
}

/* The workers' user and root, when they have one; then no more. */
static void
keeper_confine(void)
{
	struct sock_fprog	 prog;
	struct passwd		*pw;

	pw = NULL;
	if (!skip_runas && (pw = getpwnam(kore_runas_user)) == NULL)
		keeper_die("no such user");
	if (!skip_chroot && (chroot(kore_root_path) == -1 || chdir("/") == -1))
		keeper_die("chroot");
	if (pw != NULL && (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1))
		keeper_die("cannot drop privileges");
	if (prctl(PR_SET_DUMPABLE, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		keeper_die("prctl");
	prog.len = KORE_FILTER_LEN(keeper_filter);
	prog.filter = keeper_filter;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		keeper_die("seccomp");
}

static void
keeper_run(int fd)
{
	/* One byte more than a request: a longer one is refused. */
	unsigned char		 req[sizeof(struct keeper_req) + 1];
	struct keeper_resp	 resp;
	pid_t			 parent;
	ssize_t			 n;

	parent = getppid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	/* Stopped by the parent's end, never by a signal to the group. */
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGTERM, SIG_IGN);
	(void)signal(SIGQUIT, SIG_IGN);
	(void)signal(SIGHUP, SIG_IGN);
	kore_platform_proctitle("[keeper]");
	if (dup2(fd, STDERR_FILENO + 1) == -1)
		keeper_die("dup2");
	(void)close_range(STDERR_FILENO + 2, ~0U, 0);
	fd = STDERR_FILENO + 1;
	(void)sodium_mlock(&keeper, sizeof(keeper));
	keeper_confine();
	for (;;) {
		n = read(fd, req, sizeof(req));
		if (n == 0)
			_exit(0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			_exit(1);
		keeper_answer(&keeper, req, (size_t)n, &resp);
		if (write(fd, &resp, sizeof(resp)) != sizeof(resp))
			_exit(1);
	}
}

/*
 * In a worker (its main thread and its task threads): one request at a
 * time on its socket.  An answer with another id is the late answer to a
 * worker of the same id that died waiting for it.
 */
static void
remote_call(struct keeper *k, const struct keeper_req *req,
    struct keeper_resp *resp)
{
	ssize_t		 n;
	int		 ok;

	(void)k;
	pthread_mutex_lock(&keeper_lock);
	do {
		n = write(keeper_fd, req, sizeof(*req));
	} while (n == -1 && errno == EINTR);
	ok = n == sizeof(*req);
	while (ok) {
		n = read(keeper_fd, resp, sizeof(*resp));
		if (n == -1 && errno == EINTR)
			continue;
		if (n != sizeof(*resp))
			ok = 0;
		else if (resp->id == req->id)
			break;
	}
	if (!ok) {
		memset(resp, 0, sizeof(*resp));
		resp->status = KEEPER_GONE;
	}
	pthread_mutex_unlock(&keeper_lock);
}

void
keys_init(void)
{
	u_int16_t	 i;

	if (worker == NULL || worker->id < 1 || worker->id > KORE_WORKER_MAX)
		fatalx("keys: not in a worker");
	keeper_fd = keeper_fds[worker->id - 1];
	/* The other workers' sockets are theirs. */
	for (i = 0; i < KORE_WORKER_MAX; i++) {
		if (i != worker->id - 1 && keeper_fds[i] > 0) {
			(void)close(keeper_fds[i]);
			keeper_fds[i] = -1;
		}
	}
	if (keeper_fd <= 0)
		fatalx("keys: worker %u has no key keeper", worker->id);
	keeper.call = remote_call;
}

struct keeper *
keys_keeper(void)
{
	return (&keeper);
}

const char *
keys_master_id(void)
{
	return (keeper.master_id);
}

const unsigned char *
keys_board_pk(void)
{
	return (keeper.board_pk);
}
