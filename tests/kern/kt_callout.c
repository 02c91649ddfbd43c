/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_callout.c: kernel-side tests of callouts (kern/kern_callout.c):
 * deadline order and FIFO among equal deadlines, accuracy (never early;
 * lateness printed, bounded generously), stop versus halt, handlers that
 * reschedule themselves, halt with an interlock, the state flags, and the
 * KASSERTs on misuse.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mutex.h>

#include "ktest.h"
#include "../../rumpsrc/kern/kern_private.h"

/* Sleep in 1 ms steps until *flag reaches want or ms run out. */
static bool
kt_wait_for(volatile u_int *flag, u_int want, int ms)
{
	while (atomic_load_acquire(flag) < want) {
		if (ms-- <= 0)
			return false;
		(void)kpause("ktwait", false, 1, NULL);
	}
	return true;
}

/* ---------------------------------------------------------------- order */

#define KT_NORDER	10000

struct kt_order {
	callout_t	ko_c[KT_NORDER];
	uint64_t	ko_deadline[KT_NORDER];	/* in firing order */
	uint64_t	ko_seq[KT_NORDER];
	volatile u_int	ko_n;		/* slots taken */
	volatile u_int	ko_done;	/* slots written (release) */
};

/* The run under test (one at a time). */
static struct kt_order *kt_order_cur;

static void
kt_order_fn_any(void *arg)
{
	callout_t *c = arg;
	struct kt_order *ko = kt_order_cur;
	u_int i = atomic_inc_uint_nv(&ko->ko_n) - 1;

	if (i < KT_NORDER) {
		ko->ko_deadline[i] = c->c_deadline;
		ko->ko_seq[i] = c->c_seq;
	}
	atomic_inc_uint(&ko->ko_done);	/* seq_cst: publishes the slot */
}

static void
kt_check_order(struct ktest_ctx *ctx, struct kt_order *ko)
{
	for (u_int i = 1; i < KT_NORDER; i++) {
		if (ko->ko_deadline[i] < ko->ko_deadline[i - 1] ||
		    (ko->ko_deadline[i] == ko->ko_deadline[i - 1] &&
		    ko->ko_seq[i] < ko->ko_seq[i - 1])) {
			KT_CHECK_MSG(false, "callout %u fired out of order", i);
			return;
		}
	}
}

KTEST(callout, callout_fires_in_deadline_order)
{
	struct kt_order *ko = kmem_zalloc(sizeof(*ko), KM_SLEEP);
	uint64_t r = 0x2545f4914f6cdd1dULL, base, t0, t1;

	kt_order_cur = ko;
	for (u_int i = 0; i < KT_NORDER; i++)
		callout_init(&ko->ko_c[i], CALLOUT_MPSAFE);
	/*
	 * Random deadlines 4.0 .. 4.2 s ahead (2000 distinct values, so
	 * about five callouts share each deadline).  Scheduling must be over
	 * before the first one is due, or late arrivals would rightly fire
	 * after earlier deadlines that already ran: under ThreadSanitizer,
	 * with the network stack's softint threads alive, scheduling the
	 * 10,000 takes up to ~1.7 s on two cores, hence the margin.
	 */
	t0 = getuptime_ns();
	base = t0 + 4000 * NSEC_PER_MSEC;
	for (u_int i = 0; i < KT_NORDER; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		callout_setfunc(&ko->ko_c[i], kt_order_fn_any, &ko->ko_c[i]);
		callout_schedule_at(&ko->ko_c[i],
		    base + (r % 2000) * 100 * NSEC_PER_USEC);
	}
	t1 = getuptime_ns();
	printf("info: scheduling %u callouts took %llu us\n", KT_NORDER,
	    (unsigned long long)((t1 - t0) / 1000));
	KT_CHECK(t1 < base);
	KT_CHECK(kt_wait_for(&ko->ko_done, KT_NORDER, 10000));
	KT_CHECK_EQ(ko->ko_done, KT_NORDER);
	kt_check_order(ctx, ko);
	for (u_int i = 0; i < KT_NORDER; i++) {
		callout_halt(&ko->ko_c[i], NULL);
		callout_destroy(&ko->ko_c[i]);
	}
	kmem_free(ko, sizeof(*ko));
}

KTEST(callout, callout_equal_deadlines_fire_fifo)
{
	struct kt_order *ko = kmem_zalloc(sizeof(*ko), KM_SLEEP);
	uint64_t a, b;
	const u_int n = 2000;

	kt_order_cur = ko;
	for (u_int i = 0; i < n; i++)
		callout_init(&ko->ko_c[i], CALLOUT_MPSAFE);
	/* Two deadlines, scheduled alternately, later one first; far
	 * enough ahead that all 2000 are queued before the first is due
	 * (under ThreadSanitizer that takes tens of milliseconds). */
	a = getuptime_ns() + 300 * NSEC_PER_MSEC;
	b = a + 5 * NSEC_PER_MSEC;
	for (u_int i = 0; i < n; i++) {
		callout_setfunc(&ko->ko_c[i], kt_order_fn_any, &ko->ko_c[i]);
		callout_schedule_at(&ko->ko_c[i], (i & 1) ? a : b);
	}
	KT_CHECK(kt_wait_for(&ko->ko_done, n, 10000));
	for (u_int i = 0; i < n; i++) {
		uint64_t want = i < n / 2 ? a : b;

		if (ko->ko_deadline[i] != want ||
		    (i % (n / 2) != 0 && ko->ko_seq[i] <= ko->ko_seq[i - 1])) {
			KT_CHECK_MSG(false, "firing %u: deadline or order", i);
			break;
		}
	}
	for (u_int i = 0; i < n; i++)
		callout_destroy(&ko->ko_c[i]);
	kmem_free(ko, sizeof(*ko));
}

/* ---------------------------------------------------------------- timing */

struct kt_timed {
	callout_t	kt_c;
	uint64_t	kt_fired;
	volatile u_int	kt_n;
};

static void
kt_timed_fn(void *arg)
{
	struct kt_timed *kt = arg;

	kt->kt_fired = getuptime_ns();
	atomic_inc_uint(&kt->kt_n);
}

KTEST(callout, callout_20ms_fires_no_earlier_than_delay)
{
	struct kt_timed kt;
	uint64_t late[10], t0, maxlate = 0, sum = 0;

	memset(&kt, 0, sizeof(kt));
	callout_init(&kt.kt_c, CALLOUT_MPSAFE);
	for (int i = 0; i < 10; i++) {
		t0 = getuptime_ns();
		callout_reset(&kt.kt_c, mstohz(20), kt_timed_fn, &kt);
		KT_REQUIRE(kt_wait_for(&kt.kt_n, (u_int)i + 1, 5000));
		KT_CHECK_MSG(kt.kt_fired >= t0 + 20 * NSEC_PER_MSEC,
		    "fired %llu ns after scheduling",
		    (unsigned long long)(kt.kt_fired - t0));
		late[i] = kt.kt_fired - t0 - 20 * NSEC_PER_MSEC;
		sum += late[i];
		if (late[i] > maxlate)
			maxlate = late[i];
	}
	printf("info: callout 20 ms lateness: mean %llu us, max %llu us\n",
	    (unsigned long long)(sum / 10 / 1000),
	    (unsigned long long)(maxlate / 1000));
	KT_CHECK_MSG(maxlate < NSEC_PER_SEC, "a 20 ms callout was %llu ms late",
	    (unsigned long long)(maxlate / NSEC_PER_MSEC));
	callout_halt(&kt.kt_c, NULL);
	callout_destroy(&kt.kt_c);
}

KTEST(callout, callout_stop_cancels_pending)
{
	struct kt_timed kt;

	memset(&kt, 0, sizeof(kt));
	callout_init(&kt.kt_c, CALLOUT_MPSAFE);
	callout_reset(&kt.kt_c, mstohz(30), kt_timed_fn, &kt);
	KT_CHECK(callout_pending(&kt.kt_c));
	KT_CHECK(callout_active(&kt.kt_c));
	KT_CHECK(!callout_stop(&kt.kt_c));	/* had not fired */
	KT_CHECK(!callout_pending(&kt.kt_c));
	KT_CHECK(!callout_active(&kt.kt_c));
	(void)kpause("ktstop", false, mstohz(80), NULL);
	KT_CHECK_EQ(kt.kt_n, 0);
	callout_destroy(&kt.kt_c);
}

KTEST(callout, callout_flags_follow_firing)
{
	struct kt_timed kt;

	memset(&kt, 0, sizeof(kt));
	callout_init(&kt.kt_c, CALLOUT_MPSAFE);
	KT_CHECK(!callout_active(&kt.kt_c));
	callout_reset(&kt.kt_c, 1, kt_timed_fn, &kt);
	KT_REQUIRE(kt_wait_for(&kt.kt_n, 1, 5000));
	callout_halt(&kt.kt_c, NULL);	/* clears FIRED once it finished */
	callout_reset(&kt.kt_c, 1, kt_timed_fn, &kt);
	KT_REQUIRE(kt_wait_for(&kt.kt_n, 2, 5000));
	(void)kpause("ktflag", false, 2, NULL);
	KT_CHECK(!callout_pending(&kt.kt_c));
	KT_CHECK(callout_expired(&kt.kt_c));
	KT_CHECK(callout_invoking(&kt.kt_c));
	callout_ack(&kt.kt_c);
	KT_CHECK(!callout_invoking(&kt.kt_c));
	KT_CHECK(callout_stop(&kt.kt_c));	/* it had fired */
	KT_CHECK(!callout_expired(&kt.kt_c));
	callout_destroy(&kt.kt_c);
}

/* ---------------------------------------------------------------- halt */

struct kt_slow {
	callout_t	ks_c;
	kmutex_t	ks_lock;
	volatile u_int	ks_started;
	volatile u_int	ks_done;
	volatile u_int	ks_runs;
	int		ks_resched;	/* reschedule while runs < this */
	bool		ks_forever;	/* always reschedule */
	bool		ks_take_lock;	/* handler takes ks_lock */
	int		ks_sleep_ms;
};

static void
kt_slow_fn(void *arg)
{
	struct kt_slow *ks = arg;
	u_int runs;

	atomic_inc_uint(&ks->ks_started);
	if (ks->ks_take_lock)
		mutex_enter(&ks->ks_lock);
	if (ks->ks_sleep_ms > 0)
		(void)kpause("ktslow", false, mstohz(ks->ks_sleep_ms), NULL);
	if (ks->ks_take_lock)
		mutex_exit(&ks->ks_lock);
	runs = atomic_inc_uint_nv(&ks->ks_runs);
	if (ks->ks_forever || runs < (u_int)ks->ks_resched)
		callout_schedule(&ks->ks_c, 1);
	atomic_inc_uint(&ks->ks_done);
}

static struct kt_slow *
kt_slow_new(int sleep_ms)
{
	struct kt_slow *ks = kmem_zalloc(sizeof(*ks), KM_SLEEP);

	mutex_init(&ks->ks_lock, MUTEX_DEFAULT, IPL_NONE);
	callout_init(&ks->ks_c, CALLOUT_MPSAFE);
	callout_setfunc(&ks->ks_c, kt_slow_fn, ks);
	ks->ks_sleep_ms = sleep_ms;
	return ks;
}

static void
kt_slow_free(struct kt_slow *ks)
{
	callout_halt(&ks->ks_c, NULL);
	callout_destroy(&ks->ks_c);
	mutex_destroy(&ks->ks_lock);
	kmem_free(ks, sizeof(*ks));
}

KTEST(callout, callout_halt_waits_for_running_handler)
{
	struct kt_slow *ks = kt_slow_new(100);

	callout_schedule(&ks->ks_c, 1);
	KT_REQUIRE(kt_wait_for(&ks->ks_started, 1, 5000));
	KT_CHECK(callout_halt(&ks->ks_c, NULL));	/* it had fired */
	KT_CHECK_EQ(ks->ks_done, 1);
	kt_slow_free(ks);
}

KTEST(callout, callout_stop_does_not_wait_for_running_handler)
{
	struct kt_slow *ks = kt_slow_new(100);

	callout_schedule(&ks->ks_c, 1);
	KT_REQUIRE(kt_wait_for(&ks->ks_started, 1, 5000));
	(void)callout_stop(&ks->ks_c);
	KT_CHECK_EQ(atomic_load_acquire(&ks->ks_done), 0);	/* sleeping */
	(void)callout_halt(&ks->ks_c, NULL);
	KT_CHECK_EQ(atomic_load_acquire(&ks->ks_done), 1);
	kt_slow_free(ks);
}

KTEST(callout, callout_handler_reschedules_itself)
{
	struct kt_slow *ks = kt_slow_new(0);

	ks->ks_resched = 5;
	callout_schedule(&ks->ks_c, 1);
	KT_REQUIRE(kt_wait_for(&ks->ks_done, 5, 5000));
	(void)kpause("ktresch", false, mstohz(30), NULL);
	KT_CHECK_EQ(ks->ks_runs, 5);
	KT_CHECK(!callout_pending(&ks->ks_c));
	kt_slow_free(ks);
}

KTEST(callout, callout_halt_stops_self_rescheduling_handler)
{
	struct kt_slow *ks = kt_slow_new(0);
	u_int runs;

	ks->ks_forever = true;
	callout_schedule(&ks->ks_c, 1);
	KT_REQUIRE(kt_wait_for(&ks->ks_done, 10, 5000));
	(void)callout_halt(&ks->ks_c, NULL);
	KT_CHECK(!callout_pending(&ks->ks_c));
	runs = ks->ks_runs;
	(void)kpause("kthalt", false, mstohz(30), NULL);
	KT_CHECK_EQ(ks->ks_runs, runs);
	kt_slow_free(ks);
}

/* The handler needs the interlock: halt must release it while waiting. */
KTEST(callout, callout_halt_releases_interlock_while_waiting)
{
	struct kt_slow *ks = kt_slow_new(0);

	ks->ks_take_lock = true;
	mutex_enter(&ks->ks_lock);
	callout_schedule(&ks->ks_c, 1);
	KT_REQUIRE(kt_wait_for(&ks->ks_started, 1, 5000));
	(void)callout_halt(&ks->ks_c, &ks->ks_lock);
	KT_CHECK(mutex_owned(&ks->ks_lock));
	KT_CHECK_EQ(ks->ks_done, 1);
	mutex_exit(&ks->ks_lock);
	kt_slow_free(ks);
}

/* ---------------------------------------------------------------- misuse */

KTEST(callout, callout_destroy_pending_panics)
{
	callout_t c;

	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, mstohz(1000), kt_timed_fn, NULL);
	callout_destroy(&c);
	KT_CHECK(!"callout_destroy of a pending callout did not panic");
}

static void
kt_halt_self_fn(void *arg)
{
	callout_halt(arg, NULL);
}

/* Panics on the clock thread: the hypervisor ends the process. */
KTEST(callout, callout_halt_from_own_handler_panics)
{
	static callout_t c;

	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, 1, kt_halt_self_fn, &c);
	(void)kpause("ktself", false, mstohz(3000), NULL);
	KT_CHECK(!"callout_halt from its own handler did not panic");
}
