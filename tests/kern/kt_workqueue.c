/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_workqueue.c: kernel-side tests of work queues (kern/kern_workqueue.c):
 * FIFO order, per-CPU queues running on their CPU, workqueue_wait on a
 * running item, destroy running what is queued and joining its threads,
 * and the giant lock for queues without WQ_MPSAFE.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/workqueue.h>

#include "ktest.h"

#define KT_NWORK	1000

struct kt_item {
	struct work	ki_wk;
	u_int		ki_id;
	volatile int	ki_cpu;
	volatile u_int	ki_done;
	bool		ki_giant;
};

struct kt_wq {
	struct kt_item	kw_items[KT_NWORK];
	u_int		kw_order[KT_NWORK];
	volatile u_int	kw_n;
	int		kw_sleep_ms;
};

static void
kt_wq_fn(struct work *wk, void *arg)
{
	struct kt_wq *kw = arg;
	struct kt_item *ki = container_of(wk, struct kt_item, ki_wk);
	u_int n;

	ki->ki_cpu = (int)cpu_index(curcpu());
	ki->ki_giant = kernel_locked_p();
	if (kw->kw_sleep_ms > 0)
		(void)kpause("ktwq", false, mstohz(kw->kw_sleep_ms), NULL);
	n = atomic_inc_uint_nv(&kw->kw_n) - 1;
	if (n < KT_NWORK)
		kw->kw_order[n] = ki->ki_id;
	atomic_inc_uint(&ki->ki_done);
}

static struct kt_wq *
kt_wq_new(void)
{
	struct kt_wq *kw = kmem_zalloc(sizeof(*kw), KM_SLEEP);

	for (u_int i = 0; i < KT_NWORK; i++)
		kw->kw_items[i].ki_id = i;
	return kw;
}

KTEST(workqueue, workqueue_runs_in_order)
{
	struct kt_wq *kw = kt_wq_new();
	struct workqueue *wq;

	KT_REQUIRE(workqueue_create(&wq, "ktorder", kt_wq_fn, kw, PRI_NONE,
	    IPL_NONE, WQ_MPSAFE) == 0);
	for (u_int i = 0; i < KT_NWORK; i++)
		workqueue_enqueue(wq, &kw->kw_items[i].ki_wk, NULL);
	workqueue_wait(wq, &kw->kw_items[KT_NWORK - 1].ki_wk);
	KT_CHECK_EQ(kw->kw_n, KT_NWORK);
	for (u_int i = 0; i < KT_NWORK; i++) {
		if (kw->kw_order[i] != i) {
			KT_CHECK_EQ(kw->kw_order[i], i);
			break;
		}
	}
	workqueue_destroy(wq);
	kmem_free(kw, sizeof(*kw));
}

KTEST(workqueue, workqueue_percpu_runs_on_requested_cpu)
{
	struct kt_wq *kw = kt_wq_new();
	struct workqueue *wq;

	KT_REQUIRE(workqueue_create(&wq, "ktpcpu", kt_wq_fn, kw, PRI_NONE,
	    IPL_NONE, WQ_MPSAFE | WQ_PERCPU) == 0);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < ncpu; i++) {
			struct kt_item *ki = &kw->kw_items[round * ncpu + i];

			workqueue_enqueue(wq, &ki->ki_wk, cpu_lookup(i));
		}
	}
	for (int i = 0; i < 5 * ncpu; i++)
		workqueue_wait(wq, &kw->kw_items[i].ki_wk);
	for (int i = 0; i < 5 * ncpu; i++) {
		KT_CHECK_EQ(kw->kw_items[i].ki_done, 1);
		KT_CHECK_EQ(kw->kw_items[i].ki_cpu, i % ncpu);
	}
	workqueue_destroy(wq);
	kmem_free(kw, sizeof(*kw));
}

KTEST(workqueue, workqueue_wait_waits_for_running_item)
{
	struct kt_wq *kw = kt_wq_new();
	struct workqueue *wq;

	kw->kw_sleep_ms = 50;
	KT_REQUIRE(workqueue_create(&wq, "ktwait", kt_wq_fn, kw, PRI_NONE,
	    IPL_NONE, WQ_MPSAFE) == 0);
	workqueue_enqueue(wq, &kw->kw_items[0].ki_wk, NULL);
	workqueue_enqueue(wq, &kw->kw_items[1].ki_wk, NULL);
	(void)kpause("ktwqw", false, mstohz(10), NULL);	/* item 0 runs */
	workqueue_wait(wq, &kw->kw_items[1].ki_wk);
	KT_CHECK_EQ(kw->kw_items[0].ki_done, 1);
	KT_CHECK_EQ(kw->kw_items[1].ki_done, 1);
	workqueue_destroy(wq);
	kmem_free(kw, sizeof(*kw));
}

KTEST(workqueue, workqueue_destroy_runs_queued_work_and_joins)
{
	struct kt_wq *kw = kt_wq_new();
	struct workqueue *wq;
	u_int threads = kthread_count();

	KT_REQUIRE(workqueue_create(&wq, "ktdestroy", kt_wq_fn, kw, PRI_NONE,
	    IPL_NONE, WQ_MPSAFE | WQ_PERCPU) == 0);
	KT_CHECK_EQ(kthread_count(), threads + (u_int)ncpu);
	for (u_int i = 0; i < 100; i++)
		workqueue_enqueue(wq, &kw->kw_items[i].ki_wk,
		    cpu_lookup((int)i % ncpu));
	workqueue_destroy(wq);
	KT_CHECK_EQ(kw->kw_n, 100);
	KT_CHECK_EQ(kthread_count(), threads);
	kmem_free(kw, sizeof(*kw));
}

KTEST(workqueue, workqueue_without_mpsafe_holds_giant_lock)
{
	struct kt_wq *kw = kt_wq_new();
	struct workqueue *wq;

	KT_REQUIRE(workqueue_create(&wq, "ktgiant", kt_wq_fn, kw, PRI_NONE,
	    IPL_NONE, 0) == 0);
	workqueue_enqueue(wq, &kw->kw_items[0].ki_wk, NULL);
	workqueue_wait(wq, &kw->kw_items[0].ki_wk);
	KT_CHECK(kw->kw_items[0].ki_giant);
	workqueue_destroy(wq);
	kmem_free(kw, sizeof(*kw));
}
