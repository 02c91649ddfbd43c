/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_softint.c: kernel-side tests of soft interrupts (kern/kern_softint.c):
 * handlers run on the CPU that scheduled them, levels run in priority
 * order, repeated schedules coalesce, disestablish waits for a running
 * handler, and handlers without SOFTINT_MPSAFE hold the giant lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/intr.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>

#include "ktest.h"

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

struct kt_si {
	void		*ks_cookie;
	volatile u_int	ks_runs;
	volatile int	ks_cpu;		/* where it last ran */
	volatile u_int	ks_started;
	int		ks_sleep_ms;
	bool		ks_giant;	/* kernel_locked_p() when it ran */
	u_int		*ks_order;	/* shared log of levels, or NULL */
	volatile u_int	*ks_norder;
	u_int		ks_level;
};

static void
kt_si_fn(void *arg)
{
	struct kt_si *ks = arg;

	atomic_inc_uint(&ks->ks_started);
	ks->ks_cpu = (int)cpu_index(curcpu());
	ks->ks_giant = kernel_locked_p();
	if (ks->ks_order != NULL)
		ks->ks_order[atomic_inc_uint_nv(ks->ks_norder) - 1] =
		    ks->ks_level;
	if (ks->ks_sleep_ms > 0)
		(void)kpause("ktsi", false, mstohz(ks->ks_sleep_ms), NULL);
	atomic_inc_uint(&ks->ks_runs);
}

/* ---------------------------------------------------------------- cpu */

struct kt_oncpu {
	struct ktest_ctx	*ko_ctx;
	struct kt_si		*ko_si;
	int			ko_cpu;
};

/* Runs bound to CPU ko_cpu; schedules and waits for the handler. */
static void
kt_oncpu_thread(void *arg)
{
	struct kt_oncpu *ko = arg;
	struct ktest_ctx *ctx = ko->ko_ctx;
	u_int before = ko->ko_si->ks_runs;

	KT_CHECK_EQ(cpu_index(curcpu()), ko->ko_cpu);
	softint_schedule(ko->ko_si->ks_cookie);
	if (kt_wait_for(&ko->ko_si->ks_runs, before + 1, 5000))
		KT_CHECK_EQ(ko->ko_si->ks_cpu, ko->ko_cpu);
	else
		KT_CHECK_MSG(false, "softint scheduled on cpu %d never ran",
		    ko->ko_cpu);
	kthread_exit(0);
}

KTEST(softint, softint_runs_on_scheduling_cpu)
{
	struct kt_si ks;
	struct kt_oncpu ko;
	struct lwp *l;
	int cpu;

	memset(&ks, 0, sizeof(ks));
	ks.ks_cookie = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE,
	    kt_si_fn, &ks);
	KT_REQUIRE(ks.ks_cookie != NULL);

	/* From this (unbound) thread: wherever we are now. */
	for (int i = 0; i < 20; i++) {
		cpu = (int)cpu_index(curcpu());
		softint_schedule(ks.ks_cookie);
		KT_REQUIRE(kt_wait_for(&ks.ks_runs, (u_int)i + 1, 5000));
		KT_CHECK_EQ(ks.ks_cpu, cpu);
	}
	/* From a thread bound to each CPU in turn. */
	for (int i = 0; i < ncpu; i++) {
		ko.ko_ctx = ctx;
		ko.ko_si = &ks;
		ko.ko_cpu = i;
		KT_REQUIRE(kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, cpu_lookup(i), kt_oncpu_thread, &ko, &l,
		    "ktoncpu%d", i) == 0);
		KT_CHECK_EQ(kthread_join(l), 0);
	}
	softint_disestablish(ks.ks_cookie);
}

KTEST(softint, softint_levels_run_in_priority_order)
{
	static const u_int levels[] = { SOFTINT_CLOCK, SOFTINT_BIO,
	    SOFTINT_NET, SOFTINT_SERIAL };
	struct kt_si ks[4];
	u_int order[8];
	volatile u_int norder = 0;

	memset(ks, 0, sizeof(ks));
	for (int i = 0; i < 4; i++) {
		ks[i].ks_level = levels[i];
		ks[i].ks_order = order;
		ks[i].ks_norder = &norder;
		ks[i].ks_cookie = softint_establish(levels[i] |
		    SOFTINT_MPSAFE, kt_si_fn, &ks[i]);
		KT_REQUIRE(ks[i].ks_cookie != NULL);
	}
	/* We hold our CPU throughout: its softint thread cannot run yet. */
	for (int i = 0; i < 4; i++)
		softint_schedule(ks[i].ks_cookie);
	KT_REQUIRE(kt_wait_for(&norder, 4, 5000));
	KT_CHECK_EQ(order[0], SOFTINT_SERIAL);
	KT_CHECK_EQ(order[1], SOFTINT_NET);
	KT_CHECK_EQ(order[2], SOFTINT_BIO);
	KT_CHECK_EQ(order[3], SOFTINT_CLOCK);
	for (int i = 0; i < 4; i++)
		softint_disestablish(ks[i].ks_cookie);
}

KTEST(softint, softint_repeated_schedule_runs_once)
{
	struct kt_si ks;

	memset(&ks, 0, sizeof(ks));
	ks.ks_cookie = softint_establish(SOFTINT_BIO | SOFTINT_MPSAFE,
	    kt_si_fn, &ks);
	KT_REQUIRE(ks.ks_cookie != NULL);
	for (int i = 0; i < 100; i++)
		softint_schedule(ks.ks_cookie);
	KT_REQUIRE(kt_wait_for(&ks.ks_runs, 1, 5000));
	(void)kpause("ktcoal", false, mstohz(20), NULL);
	KT_CHECK_EQ(ks.ks_runs, 1);
	softint_schedule(ks.ks_cookie);
	KT_REQUIRE(kt_wait_for(&ks.ks_runs, 2, 5000));
	(void)kpause("ktcoal", false, mstohz(20), NULL);
	KT_CHECK_EQ(ks.ks_runs, 2);
	softint_disestablish(ks.ks_cookie);
}

KTEST(softint, softint_disestablish_waits_for_running_handler)
{
	struct kt_si ks;

	memset(&ks, 0, sizeof(ks));
	ks.ks_sleep_ms = 100;
	ks.ks_cookie = softint_establish(SOFTINT_CLOCK | SOFTINT_MPSAFE,
	    kt_si_fn, &ks);
	KT_REQUIRE(ks.ks_cookie != NULL);
	softint_schedule(ks.ks_cookie);
	KT_REQUIRE(kt_wait_for(&ks.ks_started, 1, 5000));
	KT_CHECK_EQ(ks.ks_runs, 0);
	softint_disestablish(ks.ks_cookie);
	KT_CHECK_EQ(ks.ks_runs, 1);
}

KTEST(softint, softint_disestablish_cancels_pending)
{
	struct kt_si ks;

	memset(&ks, 0, sizeof(ks));
	ks.ks_cookie = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE,
	    kt_si_fn, &ks);
	KT_REQUIRE(ks.ks_cookie != NULL);
	softint_schedule(ks.ks_cookie);	/* we still hold the CPU */
	softint_disestablish(ks.ks_cookie);
	(void)kpause("ktcanc", false, mstohz(20), NULL);
	KT_CHECK_EQ(ks.ks_started, 0);
}

KTEST(softint, softint_without_mpsafe_holds_giant_lock)
{
	struct kt_si ks[2];

	memset(ks, 0, sizeof(ks));
	ks[0].ks_cookie = softint_establish(SOFTINT_NET, kt_si_fn, &ks[0]);
	ks[1].ks_cookie = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE,
	    kt_si_fn, &ks[1]);
	KT_REQUIRE(ks[0].ks_cookie != NULL && ks[1].ks_cookie != NULL);
	softint_schedule(ks[0].ks_cookie);
	softint_schedule(ks[1].ks_cookie);
	KT_REQUIRE(kt_wait_for(&ks[0].ks_runs, 1, 5000));
	KT_REQUIRE(kt_wait_for(&ks[1].ks_runs, 1, 5000));
	KT_CHECK(ks[0].ks_giant);
	KT_CHECK(!ks[1].ks_giant);
	softint_disestablish(ks[0].ks_cookie);
	softint_disestablish(ks[1].ks_cookie);
}

/*
 * The per-CPU softint state and threads come with the first establish,
 * not with boot (unless a component established one during boot), and
 * a softint scheduled right after that first establish runs.
 */
KTEST(softint, softint_state_made_at_first_establish)
{
	struct kt_si ks;
	bool booted_with = cpu_lookup(0)->ci_softint != NULL;

	if (!booted_with) {
		for (int i = 0; i < ncpu; i++)
			KT_CHECK(cpu_lookup(i)->ci_softint == NULL);
	}
	memset(&ks, 0, sizeof(ks));
	ks.ks_cookie = softint_establish(SOFTINT_CLOCK | SOFTINT_MPSAFE,
	    kt_si_fn, &ks);
	KT_REQUIRE(ks.ks_cookie != NULL);
	for (int i = 0; i < ncpu; i++)
		KT_CHECK(cpu_lookup(i)->ci_softint != NULL);
	softint_schedule(ks.ks_cookie);
	KT_CHECK(kt_wait_for(&ks.ks_runs, 1, 5000));
	softint_disestablish(ks.ks_cookie);
}
