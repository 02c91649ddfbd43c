/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_kthread.c: kernel-side tests of kernel threads (kern/kern_kthread.c):
 * creation, joining, self-exit, counting, names, and public kthreads that
 * call the public API from inside the kernel.
 *
 * Run by host_ktest through kt_runner.c.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <rump/rump.h>

#include "ktest.h"

#define KK_WAIT_NS	(5 * NSEC_PER_SEC)
#define KK_MANY		64

struct kk_state {
	volatile u_int	kk_done;
	volatile u_int	kk_bad;
	struct lwp	*kk_self;
	char		kk_name[MAXCOMLEN];
	int		kk_pid;
	int		kk_rv;
};

static void
kk_sleep_then_done(void *arg)
{
	struct kk_state *kk = arg;
	struct lwp *l = curlwp;

	if (l == NULL || (l->l_flags & LW_SYSTEM) == 0 ||
	    l->l_proc != &proc0 || !rump_cpu_held())
		atomic_inc_uint(&kk->kk_bad);
	kk->kk_self = l;
	strlcpy(kk->kk_name, l->l_name, sizeof(kk->kk_name));
	kpause("kksleep", false, mstohz(5), NULL);
	atomic_store_release(&kk->kk_done, 1);
	kthread_exit(0);
}

KTEST(kthread, kthread_join_returns_after_exit)
{
	struct kk_state kk = { .kk_done = 0 };
	struct lwp *l;
	u_int base = kthread_count();

	KT_REQUIRE(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    kk_sleep_then_done, &kk, &l, "kk%s%d", "join", 7) == 0);
	KT_CHECK_EQ(kthread_count(), base + 1);
	KT_CHECK_EQ(kthread_join(l), 0);
	KT_CHECK_EQ(kk.kk_done, 1);
	KT_CHECK(kk.kk_self == l);
	KT_CHECK_STR(kk.kk_name, "kkjoin7");
	KT_CHECK_EQ(kk.kk_bad, 0);
	KT_CHECK_EQ(kthread_count(), base);
}

static void
kk_return_without_exit(void *arg)
{
	struct kk_state *kk = arg;

	atomic_store_release(&kk->kk_done, 1);
}

KTEST(kthread, kthread_function_return_ends_thread)
{
	struct kk_state kk = { .kk_done = 0 };
	struct lwp *l;

	KT_REQUIRE(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    kk_return_without_exit, &kk, &l, "kkret") == 0);
	KT_CHECK_EQ(kthread_join(l), 0);
	KT_CHECK_EQ(kk.kk_done, 1);
}

KTEST(kthread, kthread_unjoinable_exits_and_count_drops)
{
	struct kk_state kk = { .kk_done = 0 };
	u_int base = kthread_count();
	uint64_t deadline = getuptime_ns() + KK_WAIT_NS;

	KT_REQUIRE(kthread_create(PRI_NONE, 0, NULL, kk_sleep_then_done,
	    &kk, NULL, "kkfree") == 0);
	while (kthread_count() != base && getuptime_ns() < deadline)
		kpause("kkwait", false, 1, NULL);
	KT_CHECK_EQ(kthread_count(), base);
	KT_CHECK_EQ(kk.kk_done, 1);
	KT_CHECK_EQ(kk.kk_bad, 0);
}

static void
kk_count(void *arg)
{
	struct kk_state *kk = arg;

	atomic_inc_uint(&kk->kk_done);
	if ((curlwp->l_flags & LW_BOUND) &&
	    curcpu() != curlwp->l_boundcpu)
		atomic_inc_uint(&kk->kk_bad);
}

KTEST(kthread, kthread_many_create_join)
{
	struct kk_state kk = { .kk_done = 0 };
	struct lwp *l[KK_MANY];
	int i, created = 0;

	for (i = 0; i < KK_MANY; i++) {
		if (kthread_create(PRI_NONE, KTHREAD_MUSTJOIN | KTHREAD_MPSAFE,
		    i % 2 ? cpu_lookup(i % ncpu) : NULL, kk_count, &kk, &l[i],
		    "kkmany%d", i) != 0)
			break;
		created++;
	}
	KT_CHECK_EQ(created, KK_MANY);
	for (i = 0; i < created; i++)
		KT_CHECK_EQ(kthread_join(l[i]), 0);
	KT_CHECK_EQ(kk.kk_done, created);
	KT_CHECK_EQ(kk.kk_bad, 0);
}

/* A public kthread's function calls the public API: the gate nests. */
static void
kk_public_fn(void *arg)
{
	struct kk_state *kk = arg;

	kk->kk_pid = rump_sys_getpid();
	/* Kernel threads keep their lwp. */
	kk->kk_rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (!rump_cpu_held() || curlwp->l_nesting != 1)
		atomic_inc_uint(&kk->kk_bad);
	atomic_store_release(&kk->kk_done, 1);
}

KTEST(kthread, kthread_public_fn_calls_api)
{
	struct kk_state kk = { .kk_pid = -1 };
	struct lwp *l = NULL;

	KT_REQUIRE(rump_pub_kthread_create(kk_public_fn, &kk, "kkpub",
	    &l) == 0);
	KT_CHECK_EQ(rump_pub_kthread_join(l), 0);
	KT_CHECK_EQ(kk.kk_done, 1);
	KT_CHECK_EQ(kk.kk_pid, 0);
	KT_CHECK_EQ(kk.kk_rv, EPERM);
	KT_CHECK_EQ(kk.kk_bad, 0);
	KT_CHECK_EQ(rump_pub_kthread_create(NULL, NULL, "x", &l), EINVAL);
}

KTEST(kthread, kthread_public_join_rejects_kernel_threads)
{
	struct kk_state kk = { .kk_done = 0 };
	struct lwp *l;

	KT_REQUIRE(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    kk_return_without_exit, &kk, &l, "kkpriv") == 0);
	KT_CHECK_EQ(rump_pub_kthread_join(l), EINVAL);
	KT_CHECK_EQ(kthread_join(l), 0);
}
