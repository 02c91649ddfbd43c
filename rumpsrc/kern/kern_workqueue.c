/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_workqueue.c: work queues (sys/workqueue.h).
 *
 * A work queue is a FIFO of `struct work` items and a kernel thread that
 * takes them one by one and calls the queue's function on each.  With
 * WQ_PERCPU there is one FIFO and one thread per virtual CPU, each thread
 * bound to its CPU; workqueue_enqueue(wq, wk, ci) queues on ci's FIFO (the
 * caller's CPU when ci is NULL).  Without it ci is ignored.  Work items of
 * a queue without WQ_MPSAFE run with the giant lock held.
 *
 * workqueue_wait(wq, wk) returns once wk is neither queued nor running on
 * any of the queue's threads.  workqueue_destroy lets every thread finish
 * its queue, then joins them.
 *
 * Callers: drivers and protocols (deferred work that may sleep).  create,
 * wait and destroy may sleep; enqueue may be called in any context with a
 * CPU held (the FIFO lock is a spin mutex).
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/workqueue.h>

#include "kern_private.h"

#define WQ_NAMELEN	16

struct workqueue;

struct wq_queue {
	kmutex_t		q_lock;		/* spin: q_work, q_running */
	kcondvar_t		q_cv;		/* thread waits for work */
	kcondvar_t		q_done;		/* workqueue_wait waits */
	TAILQ_HEAD(, work)	q_work;
	struct work		*q_running;
	struct lwp		*q_lwp;
	struct workqueue	*q_wq;
	u_int			q_waiters;
	bool			q_exiting;
};

struct workqueue {
	void			(*wq_func)(struct work *, void *);
	void			*wq_arg;
	int			wq_flags;
	int			wq_nqueues;	/* 1, or ncpu with WQ_PERCPU */
	char			wq_name[WQ_NAMELEN];
	struct wq_queue		wq_queues[];
};

static size_t
wq_size(int nqueues)
{
	return sizeof(struct workqueue) +
	    (size_t)nqueues * sizeof(struct wq_queue);
}

/* The thread of one FIFO: run items in order until told to exit. */
static void
wq_thread(void *arg)
{
	struct wq_queue *q = arg;
	struct workqueue *wq = q->q_wq;
	struct work *wk;

	mutex_enter(&q->q_lock);
	for (;;) {
		wk = TAILQ_FIRST(&q->q_work);
		if (wk == NULL) {
			if (q->q_exiting)
				break;
			cv_wait(&q->q_cv, &q->q_lock);
			continue;
		}
		TAILQ_REMOVE(&q->q_work, wk, wk_entry);
		q->q_running = wk;
		mutex_exit(&q->q_lock);

		if (wq->wq_flags & WQ_MPSAFE) {
			wq->wq_func(wk, wq->wq_arg);
		} else {
			kernel_lock();
			wq->wq_func(wk, wq->wq_arg);
			kernel_unlock();
		}

		mutex_enter(&q->q_lock);
		q->q_running = NULL;
		if (q->q_waiters > 0)
			cv_broadcast(&q->q_done);
	}
	mutex_exit(&q->q_lock);
	kthread_exit(0);
}

/* Stop and join the first n queues' threads, destroy their locks. */
static void
wq_queues_fini(struct workqueue *wq, int n)
{
	struct wq_queue *q;
	int error;

	for (int i = 0; i < n; i++) {
		q = &wq->wq_queues[i];
		if (q->q_lwp != NULL) {
			mutex_enter(&q->q_lock);
			q->q_exiting = true;
			cv_signal(&q->q_cv);
			mutex_exit(&q->q_lock);
			error = kthread_join(q->q_lwp);
			if (error != 0)
				printf("workqueue %s: join: error %d\n",
				    wq->wq_name, error);
		}
		KASSERTMSG(TAILQ_EMPTY(&q->q_work),
		    "workqueue %s: work left after its thread", wq->wq_name);
		cv_destroy(&q->q_done);
		cv_destroy(&q->q_cv);
		mutex_destroy(&q->q_lock);
	}
}

/*
 * prio and ipl are accepted for compatibility: all threads have the same
 * host priority, and the FIFO lock is a spin mutex whatever the ipl.
 * May sleep.  Returns 0 or an errno (thread creation failed).
 */
int
workqueue_create(struct workqueue **wqp, const char *name,
    void (*func)(struct work *, void *), void *arg, int prio, int ipl,
    int flags)
{
	struct workqueue *wq;
	struct wq_queue *q;
	int n = (flags & WQ_PERCPU) ? ncpu : 1;
	int i, error;

	wq = kmem_zalloc(wq_size(n), KM_SLEEP);
	wq->wq_func = func;
	wq->wq_arg = arg;
	wq->wq_flags = flags;
	wq->wq_nqueues = n;
	strlcpy(wq->wq_name, name, sizeof(wq->wq_name));

	for (i = 0; i < n; i++) {
		q = &wq->wq_queues[i];
		mutex_init(&q->q_lock, MUTEX_SPIN, IPL_VM);
		cv_init(&q->q_cv, "wqwait");
		cv_init(&q->q_done, "wqdone");
		TAILQ_INIT(&q->q_work);
		q->q_wq = wq;
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, (flags & WQ_PERCPU) ? cpu_lookup(i) :
		    NULL, wq_thread, q, &q->q_lwp, "%s/%d", wq->wq_name, i);
		if (error != 0) {
			q->q_lwp = NULL;
			i++;
			goto err_fini_queues;
		}
	}
	*wqp = wq;
	return 0;

err_fini_queues:
	wq_queues_fini(wq, i);
	kmem_free(wq, wq_size(n));
	return error;
}

/* Runs what is queued, then ends the threads.  May sleep. */
void
workqueue_destroy(struct workqueue *wq)
{
	wq_queues_fini(wq, wq->wq_nqueues);
	kmem_free(wq, wq_size(wq->wq_nqueues));
}

/*
 * Queue wk (not queued already, see sys/workqueue.h).  Precondition: the
 * caller holds a CPU (when ci is NULL on a WQ_PERCPU queue, that CPU's
 * FIFO is used).
 */
void
workqueue_enqueue(struct workqueue *wq, struct work *wk, struct cpu_info *ci)
{
	struct wq_queue *q;

	if (wq->wq_flags & WQ_PERCPU) {
		if (ci == NULL)
			ci = curcpu();
		q = &wq->wq_queues[cpu_index(ci)];
	} else {
		q = &wq->wq_queues[0];
	}
	mutex_enter(&q->q_lock);
	TAILQ_INSERT_TAIL(&q->q_work, wk, wk_entry);
	if (q->q_running == NULL)
		cv_signal(&q->q_cv);
	mutex_exit(&q->q_lock);
}

static bool
wq_queued_locked(struct wq_queue *q, struct work *wk)
{
	struct work *w;

	TAILQ_FOREACH(w, &q->q_work, wk_entry) {
		if (w == wk)
			return true;
	}
	return false;
}

/* Wait until wk is neither queued nor running.  May sleep; not from wk. */
void
workqueue_wait(struct workqueue *wq, struct work *wk)
{
	struct wq_queue *q;

	for (int i = 0; i < wq->wq_nqueues; i++) {
		q = &wq->wq_queues[i];
		mutex_enter(&q->q_lock);
		KASSERTMSG(q->q_running != wk || curlwp != q->q_lwp,
		    "workqueue_wait from the work item itself");
		while (q->q_running == wk || wq_queued_locked(q, wk)) {
			q->q_waiters++;
			cv_wait(&q->q_done, &q->q_lock);
			q->q_waiters--;
		}
		mutex_exit(&q->q_lock);
	}
}
