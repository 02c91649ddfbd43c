/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fakecpu.c: the fake scheduler behind tests/hyp (see fakecpu.h).
 *
 * Rules checked on every upcall:
 *  - backend_unschedule: the thread holds a CPU; if an interlock (a
 *    condvar's mutex) is passed, the thread holds that mutex;
 *  - backend_schedule: the thread holds no CPU; with an interlock, the
 *    thread holds it for plain and purely SPIN mutexes (mutex first, then
 *    CPU) and does NOT hold it for SPIN|KMUTEX (CPU first, then mutex);
 *  - the lock count handed out by unschedule comes back in schedule.
 * Any other upcall is unexpected in these tests and counts as a violation.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fakecpu.h"
#include "rumphyp_posix.h"

#define FAKECPU_MAXMTX	64

static pthread_mutex_t fc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fc_cv = PTHREAD_COND_INITIALIZER;
static int fc_free = FAKECPU_NCPU;		/* under fc_lock */
static struct {
	struct rumpuser_mtx *mtx;
	int flags;
} fc_mutexes[FAKECPU_MAXMTX];			/* under fc_lock */

static long fc_unscheds, fc_scheds, fc_violations;	/* atomic */
static char fc_last[160];				/* under fc_lock */

static __thread int fc_has_cpu;
static __thread int fc_giant;		/* fake giant-lock holds */
static __thread long fc_thread_unscheds;

static void
fakecpu_violation(const char *what)
{
	__atomic_add_fetch(&fc_violations, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&fc_lock);
	snprintf(fc_last, sizeof(fc_last), "%s", what);
	pthread_mutex_unlock(&fc_lock);
}

void
fakecpu_take(void)
{
	if (fc_has_cpu)
		fakecpu_violation("schedule while holding a CPU");
	pthread_mutex_lock(&fc_lock);
	while (fc_free == 0)
		pthread_cond_wait(&fc_cv, &fc_lock);
	fc_free--;
	pthread_mutex_unlock(&fc_lock);
	fc_has_cpu = 1;
}

void
fakecpu_give(void)
{
	if (!fc_has_cpu)
		fakecpu_violation("unschedule without a CPU");
	fc_has_cpu = 0;
	pthread_mutex_lock(&fc_lock);
	fc_free++;
	pthread_cond_signal(&fc_cv);
	pthread_mutex_unlock(&fc_lock);
}

int
fakecpu_held(void)
{
	return fc_has_cpu;
}

void
fakecpu_set_giant(int n)
{
	fc_giant = n;
}

int
fakecpu_giant(void)
{
	return fc_giant;
}

void
fakecpu_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	int i;

	rumpuser_mutex_init(mtxp, flags);
	pthread_mutex_lock(&fc_lock);
	for (i = 0; i < FAKECPU_MAXMTX; i++) {
		if (fc_mutexes[i].mtx == NULL) {
			fc_mutexes[i].mtx = *mtxp;
			fc_mutexes[i].flags = flags;
			break;
		}
	}
	pthread_mutex_unlock(&fc_lock);
	if (i == FAKECPU_MAXMTX)
		fakecpu_violation("test registered too many mutexes");
}

void
fakecpu_mutex_destroy(struct rumpuser_mtx *mtx)
{
	int i;

	pthread_mutex_lock(&fc_lock);
	for (i = 0; i < FAKECPU_MAXMTX; i++)
		if (fc_mutexes[i].mtx == mtx)
			fc_mutexes[i].mtx = NULL;
	pthread_mutex_unlock(&fc_lock);
	rumpuser_mutex_destroy(mtx);
}

/* -1 if mtx was not registered. */
static int
fakecpu_mutex_flags(void *mtx)
{
	int i, flags = -1;

	pthread_mutex_lock(&fc_lock);
	for (i = 0; i < FAKECPU_MAXMTX; i++)
		if (fc_mutexes[i].mtx == mtx)
			flags = fc_mutexes[i].flags;
	pthread_mutex_unlock(&fc_lock);
	return flags;
}

static void
fakecpu_hyp_schedule(void)
{
	fakecpu_take();
}

static void
fakecpu_hyp_unschedule(void)
{
	fakecpu_give();
}

static void
fakecpu_backend_unschedule(int nlocks, int *countp, void *interlock)
{
	if (interlock != NULL && !rumphyp_mutex_held(interlock))
		fakecpu_violation("unschedule: interlock not held");
	if (nlocks != 0)
		fakecpu_violation("unschedule: hypervisor passed nlocks != 0");
	*countp = fc_giant;
	fc_giant = 0;
	fc_thread_unscheds++;
	__atomic_add_fetch(&fc_unscheds, 1, __ATOMIC_RELAXED);
	fakecpu_give();
}

static void
fakecpu_backend_schedule(int nlocks, void *interlock)
{
	const int spin_kmutex = RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX;
	int flags, held;

	if (interlock != NULL) {
		flags = fakecpu_mutex_flags(interlock);
		held = rumphyp_mutex_held(interlock);
		if (flags == -1)
			fakecpu_violation("schedule: unknown interlock");
		else if ((flags & spin_kmutex) == spin_kmutex && held)
			fakecpu_violation("schedule: SPIN|KMUTEX mutex held "
			    "while taking the CPU");
		else if ((flags & spin_kmutex) != spin_kmutex && !held)
			fakecpu_violation("schedule: mutex not retaken "
			    "before the CPU");
	}
	fakecpu_take();
	fc_giant = nlocks;
	__atomic_add_fetch(&fc_scheds, 1, __ATOMIC_RELAXED);
}

static void
fakecpu_unexpected(void)
{
	fakecpu_violation("unexpected upcall");
}

static void
fakecpu_lwproc_switch(struct lwp *l)
{
	(void)l;
	fakecpu_unexpected();
}

static int
fakecpu_lwproc_rfork(void *priv, int flags, const char *comm)
{
	(void)priv;
	(void)flags;
	(void)comm;
	fakecpu_unexpected();
	return 78;
}

static int
fakecpu_lwproc_newlwp(pid_t pid)
{
	(void)pid;
	fakecpu_unexpected();
	return 78;
}

static struct lwp *
fakecpu_lwproc_curlwp(void)
{
	fakecpu_unexpected();
	return NULL;
}

static int
fakecpu_syscall(int num, void *args, long *retval)
{
	(void)num;
	(void)args;
	(void)retval;
	fakecpu_unexpected();
	return 78;
}

static void
fakecpu_execnotify(const char *comm)
{
	(void)comm;
	fakecpu_unexpected();
}

static pid_t
fakecpu_getpid(void)
{
	fakecpu_unexpected();
	return 1;
}

const struct rumpuser_hyperup fakecpu_upcalls = {
	.hyp_schedule = fakecpu_hyp_schedule,
	.hyp_unschedule = fakecpu_hyp_unschedule,
	.hyp_backend_unschedule = fakecpu_backend_unschedule,
	.hyp_backend_schedule = fakecpu_backend_schedule,
	.hyp_lwproc_switch = fakecpu_lwproc_switch,
	.hyp_lwproc_release = fakecpu_unexpected,
	.hyp_lwproc_rfork = fakecpu_lwproc_rfork,
	.hyp_lwproc_newlwp = fakecpu_lwproc_newlwp,
	.hyp_lwproc_curlwp = fakecpu_lwproc_curlwp,
	.hyp_syscall = fakecpu_syscall,
	.hyp_lwpexit = fakecpu_unexpected,
	.hyp_execnotify = fakecpu_execnotify,
	.hyp_getpid = fakecpu_getpid,
};

long
fakecpu_unschedules(void)
{
	return __atomic_load_n(&fc_unscheds, __ATOMIC_RELAXED);
}

long
fakecpu_schedules(void)
{
	return __atomic_load_n(&fc_scheds, __ATOMIC_RELAXED);
}

long
fakecpu_thread_unschedules(void)
{
	return fc_thread_unscheds;
}

long
fakecpu_violations(void)
{
	return __atomic_load_n(&fc_violations, __ATOMIC_RELAXED);
}

const char *
fakecpu_last_violation(void)
{
	return fc_last;
}
