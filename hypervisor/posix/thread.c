/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * thread.c: host threads and the current-lwp binding.
 *
 * rumpuser_thread_create() runs rump kernel threads (kthreads, softint
 * threads, the idle loop) on pthreads; rumpuser_curlwp() answers "which
 * rump lwp is this host thread running" from a thread-local pointer, O(1),
 * for every host thread, including ones this file did not create.
 *
 * A thread's life as counted by live_threads: incremented before
 * pthread_create, decremented by hyp_thread_finish() as the last thing the
 * thread does in the hypervisor (its cookie, for detached threads, is freed
 * before the body even starts; for joinable ones by rumpuser_thread_join).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp.h"

#define HYP_THREAD_NAMELEN	16	/* pthread_setname_np: 15 + NUL */

struct hyp_thread {
	pthread_t ht_pthread;
	void *(*ht_fun)(void *);
	void *ht_arg;
	int ht_mustjoin;
	char ht_name[HYP_THREAD_NAMELEN];
};

static __thread struct lwp *hyp_curlwp;
static __thread int hyp_thread_ours;	/* created by rumpuser_thread_create */

/* The last hypervisor bookkeeping of a thread we created. */
void
hyp_thread_finish(void)
{
	hyp_console_flush();
	if (hyp_thread_ours) {
		hyp_thread_ours = 0;
		HYP_COUNT_SUB(hc_threads, 1);
	}
}

static void *
hyp_thread_trampoline(void *cookie)
{
	struct hyp_thread *ht = cookie;
	void *(*fun)(void *) = ht->ht_fun;
	void *arg = ht->ht_arg;
	int rv;

	hyp_thread_ours = 1;
	/* Naming is cosmetic: a failure only shows in debuggers. */
	rv = pthread_setname_np(pthread_self(), ht->ht_name);
	if (rv != 0)
		rumpuser_dprintf("rumpuser (posix): cannot name thread "
		    "\"%s\": error %d\n", ht->ht_name, rv);
	if (!ht->ht_mustjoin)
		free(ht);

	/* The body ends with rumpuser_thread_exit(); tolerate a return. */
	fun(arg);
	hyp_thread_finish();
	return NULL;
}

/*
 * priority and cpuidx are hints the host scheduler is free to ignore; we
 * do.  Called with a CPU context held; creating a thread does not block.
 */
int
rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *name,
    int mustjoin, int priority, int cpuidx, void **cookie)
{
	struct hyp_thread *ht;
	pthread_attr_t attr;
	pthread_t pt;
	int rv;

	(void)priority;
	(void)cpuidx;
	if (mustjoin && cookie == NULL)
		return RUMP_EINVAL;

	ht = calloc(1, sizeof(*ht));
	if (ht == NULL)
		return RUMP_ENOMEM;
	ht->ht_fun = fun;
	ht->ht_arg = arg;
	ht->ht_mustjoin = mustjoin;
	/* Thread names are at most 15 characters: truncate. */
	if (name != NULL)
		snprintf(ht->ht_name, sizeof(ht->ht_name), "%s", name);
	else
		snprintf(ht->ht_name, sizeof(ht->ht_name), "rumpthread");

	rv = pthread_attr_init(&attr);
	if (rv != 0)
		goto err_free_ht;
	rv = pthread_attr_setdetachstate(&attr, mustjoin ?
	    PTHREAD_CREATE_JOINABLE : PTHREAD_CREATE_DETACHED);
	if (rv != 0)
		goto err_destroy_attr;

	HYP_COUNT_ADD(hc_threads, 1);
	/* A detached thread may free ht before pthread_create returns. */
	rv = pthread_create(&pt, &attr, hyp_thread_trampoline, ht);
	if (rv != 0)
		goto err_uncount;
	(void)pthread_attr_destroy(&attr);
	if (mustjoin) {
		ht->ht_pthread = pt;
		*cookie = ht;
	}
	return 0;

err_uncount:
	HYP_COUNT_SUB(hc_threads, 1);
err_destroy_attr:
	(void)pthread_attr_destroy(&attr);
err_free_ht:
	free(ht);
	return hyp_errno_to_rump(rv);
}

void
rumpuser_thread_exit(void)
{
	hyp_thread_finish();
	pthread_exit(NULL);
}

/* Blocks until the thread is gone: wrapped. */
int
rumpuser_thread_join(void *cookie)
{
	struct hyp_thread *ht = cookie;
	int rv;

	assert(ht != NULL && ht->ht_mustjoin);
	HYP_WRAP(rv = pthread_join(ht->ht_pthread, NULL));
	if (rv != 0)
		return hyp_errno_to_rump(rv);
	free(ht);
	return 0;
}

void
rumpuser_curlwpop(int op, struct lwp *l)
{
	switch (op) {
	case RUMPUSER_LWP_CREATE:
	case RUMPUSER_LWP_DESTROY:
		/* Informational: a thread-local binding needs no setup. */
		break;
	case RUMPUSER_LWP_SET:
		assert(hyp_curlwp == NULL);
		hyp_curlwp = l;
		break;
	case RUMPUSER_LWP_CLEAR:
		assert(hyp_curlwp != NULL && hyp_curlwp == l);
		hyp_curlwp = NULL;
		break;
	default:
		assert(!"rumpuser_curlwpop: unknown op");
		break;
	}
}

struct lwp *
rumpuser_curlwp(void)
{
	return hyp_curlwp;
}
