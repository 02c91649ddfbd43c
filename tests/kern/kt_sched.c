/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_sched.c: kernel-side tests of the scheduler (kern/kern_sched.c):
 * virtual CPUs, nesting, bound lwps and the giant lock.
 *
 * Run by host_ktest through kt_runner.c: each case holds a CPU and an
 * implicit lwp of proc0.  Helper kernel threads are joined with
 * kthread_join, which gives the case's CPU back while it waits -- that is
 * what lets ncpu helpers hold every CPU at once.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#include "ktest.h"

#define KS_MAXTHREADS	(4 * MAXCPUS)
#define KS_WAIT_NS	(5 * NSEC_PER_SEC)

struct ks_state {
	struct ktest_ctx	*ks_ctx;
	volatile u_int		ks_arrived;
	volatile u_int		ks_inside;
	volatile u_int		ks_maxinside;
	volatile u_int		ks_bad;
	volatile u_int		ks_flag;
	volatile unsigned long	ks_counter;
	struct cpu_info		*ks_cpu;
	struct lwp		*ks_lwps[KS_MAXTHREADS];
};

static void
ks_start(struct ktest_ctx *ctx, struct ks_state *ks, int n,
    void (*fn)(void *), struct cpu_info *ci)
{
	int i, error;

	for (i = 0; i < n; i++) {
		error = kthread_create(PRI_NONE, KTHREAD_MUSTJOIN |
		    KTHREAD_MPSAFE, ci, fn, ks, &ks->ks_lwps[i], "kstest%d",
		    i);
		KT_CHECK_EQ(error, 0);
	}
}

static void
ks_join(struct ks_state *ks, int n)
{
	int i;

	for (i = 0; i < n; i++)
		(void)kthread_join(ks->ks_lwps[i]);
}

static void
ks_note_max(struct ks_state *ks, u_int n)
{
	u_int old;

	while ((old = atomic_load_relaxed(&ks->ks_maxinside)) < n &&
	    atomic_cas_uint(&ks->ks_maxinside, old, n) != old)
		continue;
}

/* Spin holding the CPU until every thread has arrived (or time is up). */
static void
ks_parallel_thread(void *arg)
{
	struct ks_state *ks = arg;
	uint64_t deadline = getuptime_ns() + KS_WAIT_NS;

	ks_note_max(ks, atomic_inc_uint_nv(&ks->ks_arrived));
	while (atomic_load_relaxed(&ks->ks_arrived) < (u_int)ncpu &&
	    getuptime_ns() < deadline)
		__builtin_ia32_pause();
	if (atomic_load_relaxed(&curcpu()->ci_curlwp) != curlwp)
		atomic_inc_uint(&ks->ks_bad);
}

KTEST(sched, sched_ncpu_threads_run_in_parallel)
{
	struct ks_state ks = { .ks_ctx = ctx };

	ks_start(ctx, &ks, ncpu, ks_parallel_thread, NULL);
	ks_join(&ks, ncpu);
	KT_CHECK_EQ(ks.ks_arrived, ncpu);
	/* All ncpu were holding a CPU at once: nobody gave up waiting. */
	KT_CHECK_EQ(ks.ks_maxinside, ncpu);
	KT_CHECK_EQ(ks.ks_bad, 0);
}

#define KS_ROUNDS	2000

/* Count holders in a window; give the CPU away between windows. */
static void
ks_holders_thread(void *arg)
{
	struct ks_state *ks = arg;
	u_int n;
	int i, j;

	for (i = 0; i < KS_ROUNDS; i++) {
		n = atomic_inc_uint_nv(&ks->ks_inside);
		ks_note_max(ks, n);
		if (n > (u_int)ncpu ||
		    atomic_load_relaxed(&curcpu()->ci_curlwp) != curlwp ||
		    !rump_cpu_held())
			atomic_inc_uint(&ks->ks_bad);
		for (j = 0; j < 50; j++)
			__builtin_ia32_pause();
		atomic_dec_uint(&ks->ks_inside);
		if (i % 4 == 0)
			kpause("ksyield", false, 0, NULL);
	}
}

KTEST(sched, sched_never_more_than_ncpu_hold_cpus)
{
	struct ks_state ks = { .ks_ctx = ctx };
	int n = 4 * ncpu;

	ks_start(ctx, &ks, n, ks_holders_thread, NULL);
	ks_join(&ks, n);
	KT_CHECK_EQ(ks.ks_bad, 0);
	KT_CHECK(ks.ks_maxinside >= 1 && ks.ks_maxinside <= (u_int)ncpu);
}

KTEST(sched, sched_nested_schedule_counts)
{
	struct lwp *l = curlwp;
	struct cpu_info *ci = curcpu();

	KT_REQUIRE(l != NULL && rump_cpu_held());
	KT_CHECK(l->l_flags & LW_TEMP);
	KT_CHECK_EQ(l->l_nesting, 1);
	rump_schedule();
	rump_schedule();
	KT_CHECK_EQ(l->l_nesting, 3);
	KT_CHECK(curlwp == l && curcpu() == ci);
	rump_unschedule();
	rump_unschedule();
	KT_CHECK_EQ(l->l_nesting, 1);
	KT_CHECK(rump_cpu_held() && atomic_load_relaxed(&ci->ci_curlwp) == l);
}

static void
ks_bound_thread(void *arg)
{
	struct ks_state *ks = arg;
	int i;

	for (i = 0; i < 50; i++) {
		if (curcpu() != ks->ks_cpu ||
		    atomic_load_relaxed(&ks->ks_cpu->ci_curlwp) != curlwp)
			atomic_inc_uint(&ks->ks_bad);
		kpause("ksbound", false, i % 2, NULL);
	}
}

KTEST(sched, sched_bound_lwp_runs_only_on_its_cpu)
{
	struct ks_state ks = { .ks_ctx = ctx };

	ks.ks_cpu = cpu_lookup(ncpu - 1);
	ks_start(ctx, &ks, 2, ks_bound_thread, ks.ks_cpu);
	ks_join(&ks, 2);
	KT_CHECK_EQ(ks.ks_bad, 0);
}

KTEST(sched, sched_giant_lock_is_recursive)
{
	KT_CHECK(!kernel_locked_p());
	kernel_lock();
	kernel_lock();
	KT_CHECK(kernel_locked_p());
	kernel_unlock();
	KT_CHECK(kernel_locked_p());
	kernel_unlock();
	KT_CHECK(!kernel_locked_p());
}

static void
ks_giant_taker(void *arg)
{
	struct ks_state *ks = arg;

	kernel_lock();
	atomic_store_relaxed(&ks->ks_flag, 1);
	kernel_unlock();
}

/* While we sleep holding it twice, another thread can take the giant. */
KTEST(sched, sched_giant_dropped_across_blocking)
{
	struct ks_state ks = { .ks_ctx = ctx };
	uint64_t deadline = getuptime_ns() + KS_WAIT_NS;

	kernel_lock();
	kernel_lock();
	ks_start(ctx, &ks, 1, ks_giant_taker, NULL);
	while (atomic_load_relaxed(&ks.ks_flag) == 0 &&
	    getuptime_ns() < deadline) {
		kpause("ksgiant", false, 1, NULL);
		KT_CHECK(kernel_locked_p());
	}
	KT_CHECK_EQ(atomic_load_relaxed(&ks.ks_flag), 1);
	kernel_unlock();
	KT_CHECK(kernel_locked_p());
	kernel_unlock();
	KT_CHECK(!kernel_locked_p());
	ks_join(&ks, 1);
}

#define KS_GIANT_ROUNDS	3000

static void
ks_giant_counter(void *arg)
{
	struct ks_state *ks = arg;
	unsigned long v;
	int i;

	for (i = 0; i < KS_GIANT_ROUNDS; i++) {
		kernel_lock();
		v = ks->ks_counter;
		__builtin_ia32_pause();
		ks->ks_counter = v + 1;
		if (i % 100 == 0) {
			/* Sleeping drops the giant; it must come back. */
			kpause("ksgiant", false, 0, NULL);
			if (!kernel_locked_p())
				atomic_inc_uint(&ks->ks_bad);
		}
		kernel_unlock();
	}
}

KTEST(sched, sched_giant_lock_excludes_between_blocking_points)
{
	struct ks_state ks = { .ks_ctx = ctx };

	ks_start(ctx, &ks, 8, ks_giant_counter, NULL);
	ks_join(&ks, 8);
	KT_CHECK_EQ(ks.ks_counter, 8 * KS_GIANT_ROUNDS);
	KT_CHECK_EQ(ks.ks_bad, 0);
}

KTEST(sched, sched_cpus_numbered_and_free_at_rest)
{
	int i, held = 0;

	KT_REQUIRE(ncpu >= 1 && ncpu <= MAXCPUS);
	for (i = 0; i < ncpu; i++) {
		KT_CHECK_EQ(cpu_index(cpu_lookup(i)), i);
		if (atomic_load_relaxed(&cpu_lookup(i)->ci_curlwp) == curlwp)
			held++;
	}
	KT_CHECK_EQ(held, 1);
	KT_CHECK(curcpu()->ci_nswitch > 0);
}
