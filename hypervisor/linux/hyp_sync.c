/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_sync.c: rumpuser mutexes, reader/writer locks and condition
 * variables on wait queues.
 *
 * None of these is a Linux spinning lock.  RUMPUSER_MTX_SPIN means "never
 * give the rump CPU context back while waiting", not "do not sleep": the
 * holder of any rump lock may sleep (kmalloc(GFP_KERNEL), file I/O), so
 * every wait here is a sleeping wait, in TASK_IDLE (uninterruptible, not
 * in the load average, not reported by the hung-task detector).  Nor are
 * they struct mutex / rw_semaphore: each wait is our own loop so that it
 * can notice the STOPPED state (hyp_exit.c), and rwlocks need tryupgrade,
 * downgrade and held.
 *
 * A mutex is one word, m_holder, taken with cmpxchg; waiters queue
 * exclusively and the releaser wakes one.  A rwlock keeps readers, the
 * writer and the number of waiting writers under a spinlock; readers do
 * not enter while a writer waits (no writer starvation).  A condvar is a
 * wait queue with exclusive waits: signal wakes one, broadcast all.
 *
 * Every object is on a registry so that entering STOPPED can wake all
 * waiters and unload can free what a dead rump kernel left.
 * All functions: process context, may sleep unless said otherwise.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/ktime.h>
#include <linux/hrtimer.h>

#include "hyp.h"

struct rumpuser_mtx {
	struct task_struct	*m_holder;	/* NULL when free */
	struct lwp		*m_owner;	/* KMUTEX: holder's lwp */
	int			m_flags;	/* RUMPUSER_MTX_* */
	wait_queue_head_t	m_wq;
	struct list_head	m_all;
};

struct rumpuser_rw {
	spinlock_t		rw_lock;	/* protects the next four */
	int			rw_readers;
	int			rw_wwait;	/* writers waiting */
	struct task_struct	*rw_writer;
	struct lwp		*rw_wlwp;	/* writer's lwp, for held */
	wait_queue_head_t	rw_wq;
	struct list_head	rw_all;
};

struct rumpuser_cv {
	wait_queue_head_t	cv_wq;
	atomic_t		cv_nwaiters;
	struct list_head	cv_all;
};

static LIST_HEAD(hyp_mtxs);
static LIST_HEAD(hyp_rws);
static LIST_HEAD(hyp_cvs);
static DEFINE_SPINLOCK(hyp_sync_lock);

/* ---------------------------------------------------------------------
 * Registry
 */

static void
hyp_sync_register(struct list_head *entry, struct list_head *list)
{
	spin_lock(&hyp_sync_lock);
	list_add_tail(entry, list);
	spin_unlock(&hyp_sync_lock);
}

static void
hyp_sync_unregister(struct list_head *entry)
{
	spin_lock(&hyp_sync_lock);
	list_del(entry);
	spin_unlock(&hyp_sync_lock);
}

/*
 * hyp_sync_wake_all: wake every waiter of every object (STOPPED entry).
 * Waiters check STOPPED before anything else, so this wake is not taken
 * for a lock release or a signal.
 */
void
hyp_sync_wake_all(void)
{
	struct rumpuser_mtx *m;
	struct rumpuser_rw *rw;
	struct rumpuser_cv *cv;

	spin_lock(&hyp_sync_lock);
	list_for_each_entry(m, &hyp_mtxs, m_all)
		wake_up_all(&m->m_wq);
	list_for_each_entry(rw, &hyp_rws, rw_all)
		wake_up_all(&rw->rw_wq);
	list_for_each_entry(cv, &hyp_cvs, cv_all)
		wake_up_all(&cv->cv_wq);
	spin_unlock(&hyp_sync_lock);
}

/* hyp_sync_fini: free the objects the rump kernel did not destroy. */
void
hyp_sync_fini(void)
{
	struct rumpuser_mtx *m, *mtmp;
	struct rumpuser_rw *rw, *rtmp;
	struct rumpuser_cv *cv, *ctmp;
	int nm = 0, nr = 0, nc = 0;
	LIST_HEAD(mgone);
	LIST_HEAD(rgone);
	LIST_HEAD(cgone);

	spin_lock(&hyp_sync_lock);
	list_splice_init(&hyp_mtxs, &mgone);
	list_splice_init(&hyp_rws, &rgone);
	list_splice_init(&hyp_cvs, &cgone);
	spin_unlock(&hyp_sync_lock);

	list_for_each_entry_safe(m, mtmp, &mgone, m_all) {
		kfree(m);
		nm++;
	}
	list_for_each_entry_safe(rw, rtmp, &rgone, rw_all) {
		kfree(rw);
		nr++;
	}
	list_for_each_entry_safe(cv, ctmp, &cgone, cv_all) {
		kfree(cv);
		nc++;
	}
	if (nm + nr + nc)
		hyp_dbg("freed %d mutexes, %d rwlocks, %d condvars left by "
		    "the rump kernel", nm, nr, nc);
}

/* ---------------------------------------------------------------------
 * Mutexes
 */

static bool
hyp_mtx_try(struct rumpuser_mtx *m)
{
	return cmpxchg_acquire(&m->m_holder, NULL, current) == NULL;
}

/* Called right after taking m. */
static void
hyp_mtx_set_owner(struct rumpuser_mtx *m)
{
	if (m->m_flags & RUMPUSER_MTX_KMUTEX)
		WRITE_ONCE(m->m_owner, rumpuser_curlwp());
}

static void
hyp_mtx_release(struct rumpuser_mtx *m)
{
	if (m->m_flags & RUMPUSER_MTX_KMUTEX)
		WRITE_ONCE(m->m_owner, NULL);
	smp_store_release(&m->m_holder, NULL);
	if (wq_has_sleeper(&m->m_wq))
		wake_up(&m->m_wq);
}

/*
 * hyp_mtx_wait: sleep until m is ours.  Returns false only to a foreign
 * thread after STOPPED in a wrapped wait (without m).
 */
static bool
hyp_mtx_wait(struct rumpuser_mtx *m, bool wrapped)
{
	DEFINE_WAIT(w);
	bool got = false;

	for (;;) {
		prepare_to_wait_exclusive(&m->m_wq, &w, TASK_IDLE);
		if (hyp_is_stopped())
			break;
		if (hyp_mtx_try(m)) {
			got = true;
			break;
		}
		schedule();
	}
	finish_wait(&m->m_wq, &w);
	if (!got)
		hyp_stop_point(wrapped);
	return got;
}

void
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *m;

	m = kzalloc(sizeof(*m), GFP_KERNEL | __GFP_NOFAIL);
	m->m_flags = flags;
	init_waitqueue_head(&m->m_wq);
	hyp_sync_register(&m->m_all, &hyp_mtxs);
	*mtxp = m;
}

/* Never gives the rump CPU context back. */
void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *m)
{
	if (!hyp_mtx_try(m))
		hyp_mtx_wait(m, false);
	hyp_mtx_set_owner(m);
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *m)
{
	int nlocks;
	bool got;

	if (m->m_flags & RUMPUSER_MTX_SPIN) {
		rumpuser_mutex_enter_nowrap(m);
		return;
	}
	if (!hyp_mtx_try(m)) {
		hyp_unsched(&nlocks, m);
		got = hyp_mtx_wait(m, true);
		hyp_sched(nlocks, m);
		if (!got)
			return;
	}
	hyp_mtx_set_owner(m);
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *m)
{
	if (!hyp_mtx_try(m))
		return RUMP_EBUSY;
	hyp_mtx_set_owner(m);
	return 0;
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *m)
{
	if (READ_ONCE(m->m_holder) == NULL && !hyp_is_stopped())
		pr_err_ratelimited("rump: exit of a free mutex %px\n", m);
	hyp_mtx_release(m);
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *m)
{
	if (READ_ONCE(m->m_holder) != NULL || wq_has_sleeper(&m->m_wq))
		pr_err_ratelimited("rump: destroying a busy mutex %px\n", m);
	hyp_sync_unregister(&m->m_all);
	kfree(m);
}

void
rumpuser_mutex_owner(struct rumpuser_mtx *m, struct lwp **lp)
{
	*lp = READ_ONCE(m->m_owner);
}

/* ---------------------------------------------------------------------
 * Reader/writer locks
 */

/*
 * hyp_rw_try: take rw for lk if possible.  A writer that waits counts in
 * rw_wwait (waiting is true for it), and readers keep out while any does.
 */
static bool
hyp_rw_try(struct rumpuser_rw *rw, int lk, bool waiting, struct lwp *me)
{
	bool ok = false;

	spin_lock(&rw->rw_lock);
	if (lk == RUMPUSER_RW_WRITER) {
		if (rw->rw_writer == NULL && rw->rw_readers == 0) {
			rw->rw_writer = current;
			rw->rw_wlwp = me;
			if (waiting)
				rw->rw_wwait--;
			ok = true;
		}
	} else {
		if (rw->rw_writer == NULL && rw->rw_wwait == 0) {
			rw->rw_readers++;
			ok = true;
		}
	}
	spin_unlock(&rw->rw_lock);
	return ok;
}

static void
hyp_rw_wake(struct rumpuser_rw *rw)
{
	if (wq_has_sleeper(&rw->rw_wq))
		wake_up_all(&rw->rw_wq);
}

/* As hyp_mtx_wait, for a rwlock. */
static bool
hyp_rw_wait(struct rumpuser_rw *rw, int lk, struct lwp *me, bool wrapped)
{
	bool writer = lk == RUMPUSER_RW_WRITER;
	DEFINE_WAIT(w);
	bool got = false;

	if (writer) {
		spin_lock(&rw->rw_lock);
		rw->rw_wwait++;
		spin_unlock(&rw->rw_lock);
	}
	for (;;) {
		prepare_to_wait(&rw->rw_wq, &w, TASK_IDLE);
		if (hyp_is_stopped())
			break;
		if (hyp_rw_try(rw, lk, writer, me)) {
			got = true;
			break;
		}
		schedule();
	}
	finish_wait(&rw->rw_wq, &w);
	if (!got) {
		if (writer) {
			spin_lock(&rw->rw_lock);
			rw->rw_wwait--;
			spin_unlock(&rw->rw_lock);
			hyp_rw_wake(rw);
		}
		hyp_stop_point(wrapped);
	}
	return got;
}

void
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;

	rw = kzalloc(sizeof(*rw), GFP_KERNEL | __GFP_NOFAIL);
	spin_lock_init(&rw->rw_lock);
	init_waitqueue_head(&rw->rw_wq);
	hyp_sync_register(&rw->rw_all, &hyp_rws);
	*rwp = rw;
}

void
rumpuser_rw_enter(int lk, struct rumpuser_rw *rw)
{
	struct lwp *me = NULL;
	int nlocks;

	if (lk == RUMPUSER_RW_WRITER)
		me = rumpuser_curlwp();
	if (hyp_rw_try(rw, lk, false, me))
		return;
	hyp_unsched(&nlocks, rw);
	hyp_rw_wait(rw, lk, me, true);
	hyp_sched(nlocks, rw);
}

int
rumpuser_rw_tryenter(int lk, struct rumpuser_rw *rw)
{
	struct lwp *me = NULL;

	if (lk == RUMPUSER_RW_WRITER)
		me = rumpuser_curlwp();
	return hyp_rw_try(rw, lk, false, me) ? 0 : RUMP_EBUSY;
}

/* Succeeds only for the sole reader; the lock is never dropped. */
int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	struct lwp *me = rumpuser_curlwp();
	int err = RUMP_EBUSY;

	spin_lock(&rw->rw_lock);
	if (rw->rw_writer == NULL && rw->rw_readers == 1) {
		rw->rw_readers = 0;
		rw->rw_writer = current;
		rw->rw_wlwp = me;
		err = 0;
	}
	spin_unlock(&rw->rw_lock);
	return err;
}

void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{
	spin_lock(&rw->rw_lock);
	if (rw->rw_writer != NULL) {
		rw->rw_writer = NULL;
		rw->rw_wlwp = NULL;
		rw->rw_readers = 1;
	} else {
		pr_err_ratelimited("rump: downgrade of rwlock %px not held "
		    "for writing\n", rw);
	}
	spin_unlock(&rw->rw_lock);
	hyp_rw_wake(rw);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	bool wake = false;

	spin_lock(&rw->rw_lock);
	if (rw->rw_writer != NULL) {
		rw->rw_writer = NULL;
		rw->rw_wlwp = NULL;
		wake = true;
	} else if (rw->rw_readers > 0) {
		rw->rw_readers--;
		wake = rw->rw_readers == 0;
	} else if (!hyp_is_stopped()) {
		pr_err_ratelimited("rump: exit of a free rwlock %px\n", rw);
	}
	spin_unlock(&rw->rw_lock);
	if (wake)
		hyp_rw_wake(rw);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	if (rw->rw_writer != NULL || rw->rw_readers != 0 ||
	    wq_has_sleeper(&rw->rw_wq))
		pr_err_ratelimited("rump: destroying a busy rwlock %px\n", rw);
	hyp_sync_unregister(&rw->rw_all);
	kfree(rw);
}

/* READER: held by any reader; WRITER: held for writing by the caller. */
void
rumpuser_rw_held(int lk, struct rumpuser_rw *rw, int *heldp)
{
	struct lwp *me;

	if (lk == RUMPUSER_RW_WRITER) {
		me = rumpuser_curlwp();
		spin_lock(&rw->rw_lock);
		*heldp = rw->rw_writer != NULL &&
		    (me != NULL ? rw->rw_wlwp == me :
		    rw->rw_writer == current);
		spin_unlock(&rw->rw_lock);
	} else {
		*heldp = READ_ONCE(rw->rw_readers) > 0;
	}
}

/* ---------------------------------------------------------------------
 * Condition variables
 */

enum hyp_cv_result {
	HYP_CV_SIGNALLED,
	HYP_CV_TIMEDOUT,
	HYP_CV_STOPPED,
};

/*
 * hyp_cv_wake_fn: wake function of a condvar waiter; runs under the queue
 * lock.  Unlike autoremove_wake_function it dequeues (and counts) the
 * waiter even if it is running at that moment, so a signal never skips a
 * waiter that is about to sleep again.  Dequeued first, then woken: the
 * waiter reads "dequeued" as "signalled" and then takes the queue lock
 * before leaving, so its on-stack entry outlives this function.
 */
static int
hyp_cv_wake_fn(struct wait_queue_entry *we, unsigned int mode, int sync,
    void *key)
{
	list_del_init_careful(&we->entry);
	default_wake_function(we, mode, sync, key);
	return 1;
}

/*
 * hyp_cv_sleep: queue on cv, release m (held by the caller), sleep until
 * signalled, deadline (CLOCK_MONOTONIC, NULL for none) or STOPPED.  Being
 * on the queue before m is released means no signal sent under m is lost.
 * Whether we were signalled is decided under the queue lock, where wakers
 * dequeue us, so a signal is never both consumed and reported as timeout.
 */
static enum hyp_cv_result
hyp_cv_sleep(struct rumpuser_cv *cv, struct rumpuser_mtx *m,
    ktime_t *deadline)
{
	enum hyp_cv_result res = HYP_CV_SIGNALLED;
	unsigned long flags;
	DEFINE_WAIT_FUNC(w, hyp_cv_wake_fn);

	prepare_to_wait_exclusive(&cv->cv_wq, &w, TASK_IDLE);
	hyp_mtx_release(m);
	for (;;) {
		if (hyp_is_stopped()) {
			res = HYP_CV_STOPPED;
			break;
		}
		if (list_empty_careful(&w.entry))
			break;
		if (deadline != NULL) {
			if (ktime_compare(ktime_get(), *deadline) >= 0) {
				res = HYP_CV_TIMEDOUT;
				break;
			}
			schedule_hrtimeout_range(deadline, 0,
			    HRTIMER_MODE_ABS);
		} else {
			schedule();
		}
		set_current_state(TASK_IDLE);
	}
	__set_current_state(TASK_RUNNING);

	spin_lock_irqsave(&cv->cv_wq.lock, flags);
	if (!list_empty(&w.entry))
		list_del_init(&w.entry);
	else if (res == HYP_CV_TIMEDOUT)
		res = HYP_CV_SIGNALLED;
	spin_unlock_irqrestore(&cv->cv_wq.lock, flags);
	return res;
}

/*
 * hyp_cv_relock: take m back after a wrapped wait (rump CPU given back
 * with nlocks).  A SPIN|KMUTEX mutex is taken after the CPU context (the
 * rump scheduler may need it), any other after.  Returns false to a
 * foreign thread after STOPPED, without m but with the CPU asked back.
 */
static bool
hyp_cv_relock(struct rumpuser_mtx *m, int nlocks)
{
	const int both = RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX;
	bool got = true;

	if ((m->m_flags & both) == both) {
		hyp_sched(nlocks, m);
		rumpuser_mutex_enter_nowrap(m);
		return true;
	}
	if (!hyp_mtx_try(m))
		got = hyp_mtx_wait(m, true);
	hyp_sched(nlocks, m);
	if (got)
		hyp_mtx_set_owner(m);
	return got;
}

void
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv;

	cv = kzalloc(sizeof(*cv), GFP_KERNEL | __GFP_NOFAIL);
	init_waitqueue_head(&cv->cv_wq);
	atomic_set(&cv->cv_nwaiters, 0);
	hyp_sync_register(&cv->cv_all, &hyp_cvs);
	*cvp = cv;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	if (atomic_read(&cv->cv_nwaiters) != 0)
		pr_err_ratelimited("rump: destroying condvar %px with %d "
		    "waiters\n", cv, atomic_read(&cv->cv_nwaiters));
	hyp_sync_unregister(&cv->cv_all);
	kfree(cv);
}

/* Wrapped wait, common to cv_wait and cv_timedwait.  Returns rump errno. */
static int
hyp_cv_wait_wrapped(struct rumpuser_cv *cv, struct rumpuser_mtx *m,
    ktime_t *deadline)
{
	enum hyp_cv_result res;
	int nlocks;

	atomic_inc(&cv->cv_nwaiters);
	hyp_unsched(&nlocks, m);
	res = hyp_cv_sleep(cv, m, deadline);
	atomic_dec(&cv->cv_nwaiters);
	if (res == HYP_CV_STOPPED) {
		hyp_stop_point(true);
		hyp_sched(nlocks, m);
		return RUMP_ENXIO;
	}
	if (!hyp_cv_relock(m, nlocks))
		return RUMP_ENXIO;
	return res == HYP_CV_TIMEDOUT ? RUMP_ETIMEDOUT : 0;
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *m)
{
	hyp_cv_wait_wrapped(cv, m, NULL);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *m)
{
	enum hyp_cv_result res;

	atomic_inc(&cv->cv_nwaiters);
	res = hyp_cv_sleep(cv, m, NULL);
	atomic_dec(&cv->cv_nwaiters);
	if (res == HYP_CV_STOPPED)
		hyp_stop_point(false);
	rumpuser_mutex_enter_nowrap(m);
}

/* Relative timeout; 0 when signalled (or woken early), else ETIMEDOUT. */
int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *m,
    int64_t sec, int64_t nsec)
{
	ktime_t deadline = hyp_deadline_rel(sec, nsec);

	return hyp_cv_wait_wrapped(cv, m, &deadline);
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	if (wq_has_sleeper(&cv->cv_wq))
		wake_up(&cv->cv_wq);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	if (wq_has_sleeper(&cv->cv_wq))
		wake_up_all(&cv->cv_wq);
}

void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp)
{
	*waitersp = atomic_read(&cv->cv_nwaiters);
}
