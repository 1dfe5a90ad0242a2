/*
 * Passwords off the event loop.  argon2id takes some 100 ms and 64 MiB by
 * design; on a worker's event loop that would stall every other request
 * of the worker, so a Kore task thread does it while the request sleeps.
 *
 * A task's memory must outlive the request if the client goes away: Kore
 * then frees the request only once its tasks end, and the request's state
 * last.  So the task lives in the request's state, which answer.c uses
 * for queries: a request's state is a query's (answer.c's) or a task
 * (here), one after the other, and pw_pending() tells which.
 */

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "account.h"
#include "fw.h"

/* Only the task thread touches a job from pw_start() until it ends. */
struct pwjob {
	struct kore_task	 task;		/* first: pw_run() gets it */
	int			 verify;
	int			 known;		/* hash holds the account's */
	char			 password[PASSWORD_MAX + 1];
	size_t			 password_len;
	char			 hash[PASSWORD_HASHLEN];
	char			 carry[PW_CARRY];
};

static void	pw_start(struct http_request *, struct pwjob *, const char *);
static int	pw_run(struct kore_task *);

/* In the task thread: libsodium only, nothing of Kore's. */
static int
pw_run(struct kore_task *t)
{
	struct pwjob	*job = (struct pwjob *)t;
	char		 scratch[PASSWORD_HASHLEN];
	int		 ok;

	if (!job->verify)
		ok = password_hash(job->password, job->password_len,
		    job->hash) == 0;
	else if (job->known)
		ok = password_verify(job->hash, job->password,
		    job->password_len);
	else {
		/* Unknown names must cost what known ones do. */
		(void)password_hash(job->password, job->password_len,
		    scratch);
		ok = 0;
	}
	sodium_memzero(job->password, sizeof(job->password));
	return (ok ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

/* The task's memory has no onfree: the task thread may still be using it. */
static void
pw_start(struct http_request *req, struct pwjob *tmpl, const char *password)
{
	struct pwjob	*job;

	job = http_state_create(req, sizeof(*job), NULL);
	*job = *tmpl;
	job->password_len = strlen(password);
	if (job->password_len >= sizeof(job->password))
		fatal("pw_start: password not checked by password_check()");
	memcpy(job->password, password, job->password_len);
	kore_task_create(&job->task, pw_run);
	kore_task_bind_request(&job->task, req);
	kore_task_run(&job->task);
}

void
pw_hash_start(struct http_request *req, const char *password)
{
	struct pwjob	 tmpl;

	memset(&tmpl, 0, sizeof(tmpl));
	pw_start(req, &tmpl, password);
}

void
pw_verify_start(struct http_request *req, const char *password,
    const char *hash, const char *carry)
{
	struct pwjob	 tmpl;

	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.verify = 1;
	if (hash != NULL && strlen(hash) < sizeof(tmpl.hash)) {
		tmpl.known = 1;
		memcpy(tmpl.hash, hash, strlen(hash) + 1);
	}
	if (strlen(carry) >= sizeof(tmpl.carry))
		fatal("pw_verify_start: carry too long");
	memcpy(tmpl.carry, carry, strlen(carry) + 1);
	pw_start(req, &tmpl, password);
}

/* A bound task is on the request's list until pw_result() destroys it. */
int
pw_pending(struct http_request *req)
{
	return (!LIST_EMPTY(&req->tasks));
}

int
pw_result(struct http_request *req, char *hash, char *carry)
{
	struct pwjob	*job = http_state_get(req);
	int		 ok;

	if (kore_task_state(&job->task) != KORE_TASK_STATE_FINISHED) {
		http_request_sleep(req);
		return (-1);
	}
	ok = kore_task_result(&job->task) == KORE_RESULT_OK;
	kore_task_destroy(&job->task);
	if (hash != NULL)
		memcpy(hash, job->hash, sizeof(job->hash));
	if (carry != NULL)
		memcpy(carry, job->carry, sizeof(job->carry));
	sodium_memzero(job, sizeof(*job));
	http_state_cleanup(req);
	return (ok);
}
