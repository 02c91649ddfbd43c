/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_sync.c: kernel-side tests of mutexes, rwlocks, condvars and sleeps
 * (kern/kern_sync.c), under contention from many kernel threads.
 *
 * Run by host_ktest through kt_runner.c.  Counters protected by the lock
 * under test are updated with a plain read-modify-write, so a lock that
 * does not exclude loses increments and the exact totals fail.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

#include "ktest.h"

#define KY_MAXTHREADS	16
#define KY_WAIT_NS	(5 * NSEC_PER_SEC)
#define KY_RING		8

struct ky_state {
	kmutex_t		ky_mtx;
	krwlock_t		ky_rw;
	kcondvar_t		ky_cv;		/* "something changed" */
	kcondvar_t		ky_cv2;
	volatile unsigned long	ky_counter;
	volatile u_int		ky_readers;
	volatile u_int		ky_writers;
	volatile u_int		ky_maxreaders;
	volatile u_int		ky_bad;
	volatile u_int		ky_flag;
	volatile u_int		ky_woken;
	int			ky_rounds;
	/* producer/consumer ring, under ky_mtx */
	unsigned long		ky_ring[KY_RING];
	u_int			ky_head, ky_count;
	unsigned long		ky_sum, ky_consumed, ky_total;
	struct lwp		*ky_lwps[KY_MAXTHREADS];
};

static void
ky_start(struct ktest_ctx *ctx, struct ky_state *ky, int first, int n,
    void (*fn)(void *))
{
	int i;

	for (i = first; i < first + n; i++)
		KT_CHECK_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN |
		    KTHREAD_MPSAFE, NULL, fn, ky, &ky->ky_lwps[i], "kysync%d",
		    i), 0);
}

static void
ky_join(struct ky_state *ky, int n)
{
	int i;

	for (i = 0; i < n; i++)
		(void)kthread_join(ky->ky_lwps[i]);
}

static void
ky_note_max(volatile u_int *maxp, u_int n)
{
	u_int old;

	while ((old = atomic_load_relaxed(maxp)) < n &&
	    atomic_cas_uint(maxp, old, n) != old)
		continue;
}

/* ---- mutexes ------------------------------------------------------------ */

static void
ky_mutex_incr(void *arg)
{
	struct ky_state *ky = arg;
	unsigned long v;
	int i;

	for (i = 0; i < ky->ky_rounds; i++) {
		mutex_enter(&ky->ky_mtx);
		if (!mutex_owned(&ky->ky_mtx))
			atomic_inc_uint(&ky->ky_bad);
		v = ky->ky_counter;
		ky->ky_counter = v + 1;
		mutex_exit(&ky->ky_mtx);
	}
}

static void
ky_mutex_contention(struct ktest_ctx *ctx, kmutex_type_t type, int ipl,
    int rounds)
{
	struct ky_state ky = { .ky_rounds = rounds };

	mutex_init(&ky.ky_mtx, type, ipl);
	ky_start(ctx, &ky, 0, KY_MAXTHREADS, ky_mutex_incr);
	ky_join(&ky, KY_MAXTHREADS);
	KT_CHECK_EQ(ky.ky_counter, (unsigned long)KY_MAXTHREADS * rounds);
	KT_CHECK_EQ(ky.ky_bad, 0);
	mutex_destroy(&ky.ky_mtx);
}

KTEST(sync, mutex_contention_counts_exact)
{
	ky_mutex_contention(ctx, MUTEX_DEFAULT, IPL_NONE, 10000);
}

KTEST(sync, spin_mutex_contention_counts_exact)
{
	ky_mutex_contention(ctx, MUTEX_SPIN, IPL_VM, 10000);
}

static void
ky_mutex_holder(void *arg)
{
	struct ky_state *ky = arg;

	mutex_enter(&ky->ky_mtx);
	atomic_store_relaxed(&ky->ky_flag, 1);
	while (atomic_load_relaxed(&ky->ky_flag) != 2)
		kpause("kyhold", false, 1, NULL);
	mutex_exit(&ky->ky_mtx);
}

KTEST(sync, mutex_owner_and_tryenter_follow_holder)
{
	struct ky_state ky = { .ky_rounds = 0 };
	uint64_t deadline = getuptime_ns() + KY_WAIT_NS;

	mutex_init(&ky.ky_mtx, MUTEX_DEFAULT, IPL_NONE);
	KT_CHECK(mutex_owner(&ky.ky_mtx) == NULL);
	KT_CHECK_EQ(mutex_tryenter(&ky.ky_mtx), 1);
	KT_CHECK(mutex_owned(&ky.ky_mtx));
	mutex_exit(&ky.ky_mtx);
	KT_CHECK(!mutex_owned(&ky.ky_mtx));

	ky_start(ctx, &ky, 0, 1, ky_mutex_holder);
	while (atomic_load_relaxed(&ky.ky_flag) != 1 &&
	    getuptime_ns() < deadline)
		kpause("kywait", false, 1, NULL);
	KT_CHECK_EQ(atomic_load_relaxed(&ky.ky_flag), 1);
	KT_CHECK_EQ(mutex_tryenter(&ky.ky_mtx), 0);
	KT_CHECK(mutex_owner(&ky.ky_mtx) == ky.ky_lwps[0]);
	KT_CHECK(!mutex_owned(&ky.ky_mtx));
	atomic_store_relaxed(&ky.ky_flag, 2);
	mutex_enter(&ky.ky_mtx);	/* waits for the holder */
	KT_CHECK(mutex_owned(&ky.ky_mtx));
	mutex_exit(&ky.ky_mtx);
	ky_join(&ky, 1);
	mutex_destroy(&ky.ky_mtx);
}

KTEST(sync, mutex_obj_freed_with_last_reference)
{
	kmutex_t *m;

	m = mutex_obj_alloc(MUTEX_DEFAULT, IPL_NONE);
	KT_REQUIRE(m != NULL);
	mutex_obj_hold(m);
	mutex_enter(m);
	mutex_exit(m);
	KT_CHECK(!mutex_obj_free(m));
	KT_CHECK(mutex_obj_free(m));
}

/* ---- rwlocks --------------------------------------------------------------- */

/* Every reader holds the lock until all readers are in together. */
static void
ky_rw_gather(void *arg)
{
	struct ky_state *ky = arg;
	uint64_t deadline = getuptime_ns() + KY_WAIT_NS;

	rw_enter(&ky->ky_rw, RW_READER);
	ky_note_max(&ky->ky_maxreaders, atomic_inc_uint_nv(&ky->ky_readers));
	while (atomic_load_relaxed(&ky->ky_readers) < 8 &&
	    getuptime_ns() < deadline)
		kpause("kyread", false, 1, NULL);
	if (!rw_read_held(&ky->ky_rw))
		atomic_inc_uint(&ky->ky_bad);
	rw_exit(&ky->ky_rw);
}

KTEST(sync, rwlock_readers_hold_concurrently)
{
	struct ky_state ky = { .ky_rounds = 0 };

	rw_init(&ky.ky_rw);
	ky_start(ctx, &ky, 0, 8, ky_rw_gather);
	ky_join(&ky, 8);
	KT_CHECK_EQ(ky.ky_maxreaders, 8);
	KT_CHECK_EQ(ky.ky_bad, 0);
	rw_destroy(&ky.ky_rw);
}

static void
ky_rw_reader(void *arg)
{
	struct ky_state *ky = arg;
	int i;

	for (i = 0; i < ky->ky_rounds; i++) {
		rw_enter(&ky->ky_rw, RW_READER);
		atomic_inc_uint(&ky->ky_readers);
		if (atomic_load_relaxed(&ky->ky_writers) != 0)
			atomic_inc_uint(&ky->ky_bad);
		if (i % 8 == 0)
			kpause("kyrd", false, 0, NULL);
		atomic_dec_uint(&ky->ky_readers);
		rw_exit(&ky->ky_rw);
	}
}

static void
ky_rw_writer(void *arg)
{
	struct ky_state *ky = arg;
	unsigned long v;
	int i;

	for (i = 0; i < ky->ky_rounds; i++) {
		rw_enter(&ky->ky_rw, RW_WRITER);
		if (atomic_inc_uint_nv(&ky->ky_writers) != 1 ||
		    atomic_load_relaxed(&ky->ky_readers) != 0 ||
		    !rw_write_held(&ky->ky_rw))
			atomic_inc_uint(&ky->ky_bad);
		v = ky->ky_counter;
		if (i % 8 == 0)
			kpause("kywr", false, 0, NULL);
		ky->ky_counter = v + 1;
		atomic_dec_uint(&ky->ky_writers);
		rw_exit(&ky->ky_rw);
	}
}

KTEST(sync, rwlock_writers_exclusive_under_contention)
{
	struct ky_state ky = { .ky_rounds = 1000 };

	rw_init(&ky.ky_rw);
	ky_start(ctx, &ky, 0, 8, ky_rw_reader);
	ky_start(ctx, &ky, 8, 4, ky_rw_writer);
	ky_join(&ky, 12);
	KT_CHECK_EQ(ky.ky_bad, 0);
	KT_CHECK_EQ(ky.ky_counter, 4 * 1000);
	rw_destroy(&ky.ky_rw);
}

KTEST(sync, rwlock_upgrade_and_downgrade)
{
	krwlock_t rw;

	rw_init(&rw);
	rw_enter(&rw, RW_READER);
	KT_CHECK(rw_read_held(&rw));
	KT_CHECK(!rw_write_held(&rw));
	KT_CHECK_EQ(rw_tryenter(&rw, RW_WRITER), 0);
	KT_CHECK_EQ(rw_tryupgrade(&rw), 1);
	KT_CHECK(rw_write_held(&rw));
	KT_CHECK(rw_lock_held(&rw));
	rw_downgrade(&rw);
	KT_CHECK(!rw_write_held(&rw));
	KT_CHECK(rw_read_held(&rw));
	KT_CHECK_EQ(rw_tryenter(&rw, RW_READER), 1);
	rw_exit(&rw);
	rw_exit(&rw);
	KT_CHECK(!rw_lock_held(&rw));
	rw_destroy(&rw);
}

/* ---- condition variables ------------------------------------------------------ */

#define KY_PRODUCERS	4
#define KY_CONSUMERS	4
#define KY_ITEMS	5000

static void
ky_producer(void *arg)
{
	struct ky_state *ky = arg;
	unsigned long i;

	for (i = 1; i <= KY_ITEMS; i++) {
		mutex_enter(&ky->ky_mtx);
		while (ky->ky_count == KY_RING)
			cv_wait(&ky->ky_cv2, &ky->ky_mtx);	/* not full */
		ky->ky_ring[(ky->ky_head + ky->ky_count) % KY_RING] = i;
		ky->ky_count++;
		cv_signal(&ky->ky_cv);
		mutex_exit(&ky->ky_mtx);
	}
}

static void
ky_consumer(void *arg)
{
	struct ky_state *ky = arg;

	mutex_enter(&ky->ky_mtx);
	for (;;) {
		while (ky->ky_count == 0 && ky->ky_consumed < ky->ky_total)
			cv_wait(&ky->ky_cv, &ky->ky_mtx);	/* not empty */
		if (ky->ky_count == 0)
			break;
		ky->ky_sum += ky->ky_ring[ky->ky_head];
		ky->ky_head = (ky->ky_head + 1) % KY_RING;
		ky->ky_count--;
		ky->ky_consumed++;
		cv_signal(&ky->ky_cv2);
		if (ky->ky_consumed == ky->ky_total)
			cv_broadcast(&ky->ky_cv);	/* release the others */
	}
	mutex_exit(&ky->ky_mtx);
}

KTEST(sync, cv_producer_consumer_delivers_every_item)
{
	struct ky_state ky = { .ky_rounds = 0 };
	unsigned long want;

	mutex_init(&ky.ky_mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ky.ky_cv, "kynotemp");
	cv_init(&ky.ky_cv2, "kynotful");
	ky.ky_total = (unsigned long)KY_PRODUCERS * KY_ITEMS;
	ky_start(ctx, &ky, 0, KY_CONSUMERS, ky_consumer);
	ky_start(ctx, &ky, KY_CONSUMERS, KY_PRODUCERS, ky_producer);
	ky_join(&ky, KY_CONSUMERS + KY_PRODUCERS);
	want = (unsigned long)KY_PRODUCERS * KY_ITEMS * (KY_ITEMS + 1) / 2;
	KT_CHECK_EQ(ky.ky_consumed, ky.ky_total);
	KT_CHECK_EQ(ky.ky_sum, want);
	cv_destroy(&ky.ky_cv2);
	cv_destroy(&ky.ky_cv);
	mutex_destroy(&ky.ky_mtx);
}

KTEST(sync, cv_timedwait_returns_ewouldblock)
{
	kmutex_t mtx;
	kcondvar_t cv;
	uint64_t t0, t1;
	int rv;

	mutex_init(&mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "kytimed");
	mutex_enter(&mtx);
	t0 = getuptime_ns();
	rv = cv_timedwait(&cv, &mtx, mstohz(20));
	t1 = getuptime_ns();
	KT_CHECK(mutex_owned(&mtx));
	KT_CHECK_EQ(rv, EWOULDBLOCK);
	KT_CHECK_MSG(t1 - t0 >= 20 * NSEC_PER_MSEC, "woke after %llu ns",
	    (unsigned long long)(t1 - t0));
	t0 = getuptime_ns();
	rv = cv_timedwait_ns(&cv, &mtx, 5 * NSEC_PER_MSEC);
	t1 = getuptime_ns();
	KT_CHECK_EQ(rv, EWOULDBLOCK);
	KT_CHECK(t1 - t0 >= 5 * NSEC_PER_MSEC);
	KT_CHECK_EQ(cv_timedwait(&cv, &mtx, -1), EWOULDBLOCK);
	KT_CHECK_EQ(cv_timedwait_ns(&cv, &mtx, 0), EWOULDBLOCK);
	mutex_exit(&mtx);
	cv_destroy(&cv);
	mutex_destroy(&mtx);
}

static void
ky_timed_waiter(void *arg)
{
	struct ky_state *ky = arg;
	uint64_t t0;
	int rv = 0;

	mutex_enter(&ky->ky_mtx);
	t0 = getuptime_ns();
	while (ky->ky_flag == 0 && rv == 0)
		rv = cv_timedwait(&ky->ky_cv, &ky->ky_mtx, mstohz(10000));
	if (rv != 0 || getuptime_ns() - t0 > 5 * NSEC_PER_SEC)
		atomic_inc_uint(&ky->ky_bad);
	mutex_exit(&ky->ky_mtx);
}

KTEST(sync, cv_signal_wakes_timed_waiter_early)
{
	struct ky_state ky = { .ky_rounds = 0 };

	mutex_init(&ky.ky_mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ky.ky_cv, "kysig");
	ky_start(ctx, &ky, 0, 1, ky_timed_waiter);
	kpause("kysleep", false, mstohz(20), NULL);
	mutex_enter(&ky.ky_mtx);
	ky.ky_flag = 1;
	cv_signal(&ky.ky_cv);
	mutex_exit(&ky.ky_mtx);
	ky_join(&ky, 1);
	KT_CHECK_EQ(ky.ky_bad, 0);
	cv_destroy(&ky.ky_cv);
	mutex_destroy(&ky.ky_mtx);
}

static void
ky_bcast_waiter(void *arg)
{
	struct ky_state *ky = arg;

	mutex_enter(&ky->ky_mtx);
	ky->ky_readers++;
	cv_signal(&ky->ky_cv2);
	while (ky->ky_flag == 0)
		cv_wait(&ky->ky_cv, &ky->ky_mtx);
	ky->ky_woken++;
	mutex_exit(&ky->ky_mtx);
}

KTEST(sync, cv_broadcast_wakes_all_waiters)
{
	struct ky_state ky = { .ky_rounds = 0 };

	mutex_init(&ky.ky_mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ky.ky_cv, "kybcast");
	cv_init(&ky.ky_cv2, "kyready");
	KT_CHECK(!cv_has_waiters(&ky.ky_cv));
	ky_start(ctx, &ky, 0, 8, ky_bcast_waiter);
	mutex_enter(&ky.ky_mtx);
	while (ky.ky_readers < 8)
		cv_wait(&ky.ky_cv2, &ky.ky_mtx);
	KT_CHECK(cv_has_waiters(&ky.ky_cv));
	ky.ky_flag = 1;
	cv_broadcast(&ky.ky_cv);
	mutex_exit(&ky.ky_mtx);
	ky_join(&ky, 8);
	KT_CHECK_EQ(ky.ky_woken, 8);
	cv_destroy(&ky.ky_cv2);
	cv_destroy(&ky.ky_cv);
	mutex_destroy(&ky.ky_mtx);
}

/* ---- sleeping ------------------------------------------------------------------ */

static void
ky_mutex_grabber(void *arg)
{
	struct ky_state *ky = arg;

	mutex_enter(&ky->ky_mtx);
	ky->ky_flag = 1;
	mutex_exit(&ky->ky_mtx);
}

KTEST(sync, kpause_sleeps_at_least_and_releases_mutex)
{
	struct ky_state ky = { .ky_rounds = 0 };
	uint64_t t0, t1;

	t0 = getuptime_ns();
	KT_CHECK_EQ(kpause("kyp", false, mstohz(5), NULL), EWOULDBLOCK);
	t1 = getuptime_ns();
	KT_CHECK(t1 - t0 >= 5 * NSEC_PER_MSEC);
	t0 = getuptime_ns();
	kpause_ns(3 * NSEC_PER_MSEC);
	KT_CHECK(getuptime_ns() - t0 >= 3 * NSEC_PER_MSEC);

	mutex_init(&ky.ky_mtx, MUTEX_DEFAULT, IPL_NONE);
	mutex_enter(&ky.ky_mtx);
	ky_start(ctx, &ky, 0, 1, ky_mutex_grabber);
	/* The grabber gets the mutex while we sleep with it released. */
	t0 = getuptime_ns();
	while (ky.ky_flag == 0 && getuptime_ns() - t0 < KY_WAIT_NS)
		kpause("kyp", false, mstohz(10), &ky.ky_mtx);
	KT_CHECK(mutex_owned(&ky.ky_mtx));
	KT_CHECK_EQ(atomic_load_relaxed(&ky.ky_flag), 1);
	mutex_exit(&ky.ky_mtx);
	ky_join(&ky, 1);
	mutex_destroy(&ky.ky_mtx);
}
