/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sync.c: mutexes, reader/writer locks and condition variables.
 *
 * The rump kernel builds its own locking on these.  All three sit on
 * pthread primitives; the work here is the CPU-context discipline:
 *  - a wait that may block gives the rump CPU back first (the wrap in hyp.h)
 *    and takes it again afterwards; lock entry tries first and only wraps
 *    when it must actually wait;
 *  - RUMPUSER_MTX_SPIN mutexes never give the CPU back on entry: their
 *    holders never block, so waiting for one while holding a CPU is short;
 *  - on wake-up from a condvar wait the mutex and the CPU must be retaken in
 *    an order that cannot deadlock (see hyp_cv_reschedule()).
 * A KMUTEX mutex records the owning lwp for mutex_owned() in the kernel.
 * Every mutex also records the host thread holding it (rumphyp_mutex_held).
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "hyp.h"

struct rumpuser_mtx {
	pthread_mutex_t m_pth;
	int m_flags;
	struct lwp *m_owner;		/* KMUTEX: holder lwp; atomic */
	const void *m_hostowner;	/* holder host thread; atomic */
};

struct rumpuser_rw {
	pthread_mutex_t rw_pth;		/* protects every field below */
	pthread_cond_t rw_readers_cv;
	pthread_cond_t rw_writers_cv;
	int rw_readers;			/* read holds */
	int rw_writer;			/* 1 while write-held */
	struct lwp *rw_writer_lwp;	/* the write holder */
	int rw_writers_waiting;
};

struct rumpuser_cv {
	pthread_cond_t c_pth;		/* on CLOCK_MONOTONIC */
	int c_waiters;			/* atomic */
};

/* Its address names the calling host thread. */
static __thread char hyp_thread_tag;

/* ---- mutexes ---------------------------------------------------------- */

static void
hyp_mtx_host_lock(struct rumpuser_mtx *mtx)
{
	HYP_PTH(pthread_mutex_lock(&mtx->m_pth));
	__atomic_store_n(&mtx->m_hostowner, &hyp_thread_tag, __ATOMIC_RELAXED);
}

static int
hyp_mtx_host_trylock(struct rumpuser_mtx *mtx)
{
	int rv;

	rv = pthread_mutex_trylock(&mtx->m_pth);
	if (rv == EBUSY)
		return RUMP_EBUSY;
	HYP_PTH(rv);
	__atomic_store_n(&mtx->m_hostowner, &hyp_thread_tag, __ATOMIC_RELAXED);
	return 0;
}

static void
hyp_mtx_host_unlock(struct rumpuser_mtx *mtx)
{
	__atomic_store_n(&mtx->m_hostowner, NULL, __ATOMIC_RELAXED);
	HYP_PTH(pthread_mutex_unlock(&mtx->m_pth));
}

/* Precondition: the calling thread holds mtx's host lock. */
static void
hyp_mtx_set_owner(struct rumpuser_mtx *mtx, struct lwp *l)
{
	if (mtx->m_flags & RUMPUSER_MTX_KMUTEX)
		__atomic_store_n(&mtx->m_owner, l, __ATOMIC_RELAXED);
}

void
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx;
	pthread_mutexattr_t attr;

	mtx = calloc(1, sizeof(*mtx));
	if (mtx == NULL) {
		/* The interface gives init no way to fail. */
		rumpuser_dprintf("rumpuser (posix): out of memory for a "
		    "mutex\n");
		abort();
	}
	mtx->m_flags = flags;
	HYP_PTH(pthread_mutexattr_init(&attr));
	/* Error checking turns a recursive enter into an abort, not a hang. */
	HYP_PTH(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK));
	HYP_PTH(pthread_mutex_init(&mtx->m_pth, &attr));
	HYP_PTH(pthread_mutexattr_destroy(&attr));
	HYP_COUNT_ADD(hc_locks, 1);
	*mtxp = mtx;
}

/* Called with a CPU context held; never gives it back. */
void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{
	hyp_mtx_host_lock(mtx);
	hyp_mtx_set_owner(mtx, rumpuser_curlwp());
}

/* Called with a CPU context held; gives it back only if it must wait. */
void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	int nlocks;

	if (mtx->m_flags & RUMPUSER_MTX_SPIN) {
		rumpuser_mutex_enter_nowrap(mtx);
		return;
	}
	if (hyp_mtx_host_trylock(mtx) != 0) {
		HYP_UNSCHED(&nlocks, NULL);
		hyp_mtx_host_lock(mtx);
		HYP_SCHED(nlocks, NULL);
	}
	hyp_mtx_set_owner(mtx, rumpuser_curlwp());
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	int rv;

	rv = hyp_mtx_host_trylock(mtx);
	if (rv == 0)
		hyp_mtx_set_owner(mtx, rumpuser_curlwp());
	return rv;
}

/* Precondition: the caller holds mtx. */
void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{
	hyp_mtx_set_owner(mtx, NULL);
	hyp_mtx_host_unlock(mtx);
}

/* Precondition: nobody holds or waits for mtx. */
void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	HYP_PTH(pthread_mutex_destroy(&mtx->m_pth));
	free(mtx);
	HYP_COUNT_SUB(hc_locks, 1);
}

/* Only KMUTEX mutexes track their owner; others report NULL. */
void
rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp)
{
	if (mtx->m_flags & RUMPUSER_MTX_KMUTEX)
		*lp = __atomic_load_n(&mtx->m_owner, __ATOMIC_RELAXED);
	else
		*lp = NULL;
}

int
rumphyp_mutex_held(struct rumpuser_mtx *mtx)
{
	return __atomic_load_n(&mtx->m_hostowner, __ATOMIC_RELAXED) ==
	    &hyp_thread_tag;
}

/* ---- reader/writer locks ---------------------------------------------- */
/*
 * Writer preference: a new reader waits while a writer holds the lock or
 * waits for it.  The internal pthread mutex is held only for a few
 * instructions at a time and never across an upcall.
 */

void
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;

	rw = calloc(1, sizeof(*rw));
	if (rw == NULL) {
		rumpuser_dprintf("rumpuser (posix): out of memory for an "
		    "rwlock\n");
		abort();
	}
	HYP_PTH(pthread_mutex_init(&rw->rw_pth, NULL));
	HYP_PTH(pthread_cond_init(&rw->rw_readers_cv, NULL));
	HYP_PTH(pthread_cond_init(&rw->rw_writers_cv, NULL));
	HYP_COUNT_ADD(hc_locks, 1);
	*rwp = rw;
}

/* Precondition: rw->rw_pth held.  Returns 1 if the lock was taken. */
static int
hyp_rw_try_locked(struct rumpuser_rw *rw, int lk)
{
	if (lk == RUMPUSER_RW_WRITER) {
		if (rw->rw_writer || rw->rw_readers > 0)
			return 0;
		rw->rw_writer = 1;
		rw->rw_writer_lwp = rumpuser_curlwp();
		return 1;
	}
	if (rw->rw_writer || rw->rw_writers_waiting > 0)
		return 0;
	rw->rw_readers++;
	return 1;
}

/* Precondition: rw->rw_pth held.  Waits (host-blocking) for the lock. */
static void
hyp_rw_wait_locked(struct rumpuser_rw *rw, int lk)
{
	if (lk == RUMPUSER_RW_WRITER) {
		rw->rw_writers_waiting++;
		while (rw->rw_writer || rw->rw_readers > 0)
			HYP_PTH(pthread_cond_wait(&rw->rw_writers_cv,
			    &rw->rw_pth));
		rw->rw_writers_waiting--;
	} else {
		while (rw->rw_writer || rw->rw_writers_waiting > 0)
			HYP_PTH(pthread_cond_wait(&rw->rw_readers_cv,
			    &rw->rw_pth));
	}
	if (!hyp_rw_try_locked(rw, lk))
		assert(!"rwlock: free lock not taken");
}

/* Called with a CPU context held; gives it back only if it must wait. */
void
rumpuser_rw_enter(int lk, struct rumpuser_rw *rw)
{
	int nlocks, taken;

	assert(lk == RUMPUSER_RW_READER || lk == RUMPUSER_RW_WRITER);
	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	taken = hyp_rw_try_locked(rw, lk);
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
	if (taken)
		return;

	HYP_UNSCHED(&nlocks, NULL);
	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	hyp_rw_wait_locked(rw, lk);
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
	HYP_SCHED(nlocks, NULL);
}

int
rumpuser_rw_tryenter(int lk, struct rumpuser_rw *rw)
{
	int taken;

	assert(lk == RUMPUSER_RW_READER || lk == RUMPUSER_RW_WRITER);
	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	taken = hyp_rw_try_locked(rw, lk);
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
	return taken ? 0 : RUMP_EBUSY;
}

/* Precondition: the caller holds a read lock on rw. */
int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	int rv = RUMP_EBUSY;

	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	assert(!rw->rw_writer && rw->rw_readers > 0);
	if (rw->rw_readers == 1) {
		rw->rw_readers = 0;
		rw->rw_writer = 1;
		rw->rw_writer_lwp = rumpuser_curlwp();
		rv = 0;
	}
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
	return rv;
}

/* Precondition: the caller holds rw as writer.  Never blocks. */
void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{
	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	assert(rw->rw_writer && rw->rw_readers == 0);
	rw->rw_writer = 0;
	rw->rw_writer_lwp = NULL;
	rw->rw_readers = 1;
	if (rw->rw_writers_waiting == 0)
		HYP_PTH(pthread_cond_broadcast(&rw->rw_readers_cv));
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
}

/* Precondition: the caller holds rw (as reader or as the writer). */
void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	if (rw->rw_writer) {
		rw->rw_writer = 0;
		rw->rw_writer_lwp = NULL;
	} else {
		assert(rw->rw_readers > 0);
		rw->rw_readers--;
	}
	if (rw->rw_writers_waiting > 0) {
		if (rw->rw_readers == 0)
			HYP_PTH(pthread_cond_signal(&rw->rw_writers_cv));
	} else {
		HYP_PTH(pthread_cond_broadcast(&rw->rw_readers_cv));
	}
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
}

/* Precondition: nobody holds or waits for rw. */
void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	assert(!rw->rw_writer && rw->rw_readers == 0 &&
	    rw->rw_writers_waiting == 0);
	HYP_PTH(pthread_cond_destroy(&rw->rw_writers_cv));
	HYP_PTH(pthread_cond_destroy(&rw->rw_readers_cv));
	HYP_PTH(pthread_mutex_destroy(&rw->rw_pth));
	free(rw);
	HYP_COUNT_SUB(hc_locks, 1);
}

/*
 * READER: is rw read-held by anybody (the rump kernel asks only about
 * locks it believes it holds).  WRITER: is it write-held by our lwp.
 */
void
rumpuser_rw_held(int lk, struct rumpuser_rw *rw, int *heldp)
{
	HYP_PTH(pthread_mutex_lock(&rw->rw_pth));
	if (lk == RUMPUSER_RW_WRITER)
		*heldp = rw->rw_writer &&
		    rw->rw_writer_lwp == rumpuser_curlwp();
	else
		*heldp = rw->rw_readers > 0;
	HYP_PTH(pthread_mutex_unlock(&rw->rw_pth));
}

/* ---- condition variables ---------------------------------------------- */

void
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv;
	pthread_condattr_t attr;

	cv = calloc(1, sizeof(*cv));
	if (cv == NULL) {
		rumpuser_dprintf("rumpuser (posix): out of memory for a "
		    "condvar\n");
		abort();
	}
	HYP_PTH(pthread_condattr_init(&attr));
	HYP_PTH(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
	HYP_PTH(pthread_cond_init(&cv->c_pth, &attr));
	HYP_PTH(pthread_condattr_destroy(&attr));
	HYP_COUNT_ADD(hc_locks, 1);
	*cvp = cv;
}

/* Precondition: nobody waits on cv. */
void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	assert(__atomic_load_n(&cv->c_waiters, __ATOMIC_RELAXED) == 0);
	HYP_PTH(pthread_cond_destroy(&cv->c_pth));
	free(cv);
	HYP_COUNT_SUB(hc_locks, 1);
}

/*
 * Before a wrapped wait: the caller holds mtx and a CPU.  Count ourselves
 * as a waiter, drop the KMUTEX owner, give the CPU back with mtx as the
 * interlock.  The host lock stays held until pthread_cond_*wait drops it.
 */
static void
hyp_cv_unschedule(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int *nlocksp)
{
	__atomic_add_fetch(&cv->c_waiters, 1, __ATOMIC_RELAXED);
	hyp_mtx_set_owner(mtx, NULL);
	HYP_UNSCHED(nlocksp, mtx);
}

/*
 * After the host wait: we hold mtx's host lock, no CPU.  Retake the CPU
 * and the mutex in an order that cannot deadlock:
 *  - SPIN|KMUTEX (a kernel spin mutex): another thread may be spinning for
 *    mtx with enter_nowrap while holding a CPU.  Holding mtx while waiting
 *    for a CPU could wait for it forever, so drop mtx, take the CPU, then
 *    take mtx the way the kernel does for spin mutexes (nowrap).
 *  - plain KMUTEX (an adaptive kernel mutex): whoever wants mtx with a CPU
 *    held uses rumpuser_mutex_enter, which gives the CPU back before it
 *    blocks; holding mtx while waiting for a CPU is therefore safe.
 *  - purely SPIN (the kernel scheduler's own locks): mutex, then CPU, as
 *    the scheduler expects to hold its lock when it is called back.
 */
static void
hyp_cv_reschedule(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int nlocks)
{
	const int spin_kmutex = RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX;

	__atomic_sub_fetch(&cv->c_waiters, 1, __ATOMIC_RELAXED);
	if ((mtx->m_flags & spin_kmutex) == spin_kmutex) {
		hyp_mtx_host_unlock(mtx);
		HYP_SCHED(nlocks, mtx);
		rumpuser_mutex_enter_nowrap(mtx);
	} else {
		HYP_SCHED(nlocks, mtx);
		hyp_mtx_set_owner(mtx, rumpuser_curlwp());
	}
}

/* pthread_cond_*wait drop and retake the host lock: keep m_hostowner true. */
static int
hyp_cv_host_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    const struct timespec *deadline)
{
	int rv;

	__atomic_store_n(&mtx->m_hostowner, NULL, __ATOMIC_RELAXED);
	if (deadline != NULL)
		rv = pthread_cond_timedwait(&cv->c_pth, &mtx->m_pth, deadline);
	else
		rv = pthread_cond_wait(&cv->c_pth, &mtx->m_pth);
	__atomic_store_n(&mtx->m_hostowner, &hyp_thread_tag, __ATOMIC_RELAXED);
	if (rv != ETIMEDOUT)
		HYP_PTH(rv);
	return rv;
}

/* Precondition: the caller holds mtx and a CPU context. */
void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	int nlocks;

	hyp_cv_unschedule(cv, mtx, &nlocks);
	(void)hyp_cv_host_wait(cv, mtx, NULL);	/* 0: checked inside */
	hyp_cv_reschedule(cv, mtx, nlocks);
}

/* Precondition: the caller holds mtx.  The CPU context is kept. */
void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	__atomic_add_fetch(&cv->c_waiters, 1, __ATOMIC_RELAXED);
	hyp_mtx_set_owner(mtx, NULL);
	(void)hyp_cv_host_wait(cv, mtx, NULL);	/* 0: checked inside */
	hyp_mtx_set_owner(mtx, rumpuser_curlwp());
	__atomic_sub_fetch(&cv->c_waiters, 1, __ATOMIC_RELAXED);
}

/*
 * Wait at most sec/nsec (relative, measured from the call) for a signal.
 * Returns 0 when woken, ETIMEDOUT once the deadline has passed.  A
 * spurious host wake-up reads as a signal, which condvar users tolerate.
 */
int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec)
{
	struct timespec deadline;
	int nlocks, rv;

	if (sec < 0 || nsec < 0 || nsec >= 1000000000)
		return RUMP_EINVAL;
	HYP_PTH(clock_gettime(CLOCK_MONOTONIC, &deadline) ? errno : 0);
	/* A deadline past time_t's range is as good as none. */
	if (sec > INT64_MAX / 2 - deadline.tv_sec)
		sec = INT64_MAX / 2 - deadline.tv_sec;
	deadline.tv_sec += (time_t)sec;
	deadline.tv_nsec += (long)nsec;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}

	hyp_cv_unschedule(cv, mtx, &nlocks);
	rv = hyp_cv_host_wait(cv, mtx, &deadline);
	hyp_cv_reschedule(cv, mtx, nlocks);
	return rv == ETIMEDOUT ? RUMP_ETIMEDOUT : 0;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	HYP_PTH(pthread_cond_signal(&cv->c_pth));
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	HYP_PTH(pthread_cond_broadcast(&cv->c_pth));
}

/* Reports the number of waiters (non-zero: somebody waits). */
void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp)
{
	*waitersp = __atomic_load_n(&cv->c_waiters, __ATOMIC_RELAXED);
}
