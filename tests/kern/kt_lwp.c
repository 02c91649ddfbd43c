/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_lwp.c: kernel-side tests of lwps, processes, process hooks and the
 * system call table (kern/kern_lwp.c, kern/kern_syscall.c).
 *
 * Host threads are simulated with bare hypervisor threads
 * (rumpuser_thread_create): they have no lwp, like a foreign caller, and
 * enter the kernel only through the public API.
 *
 * Run by host_ktest through kt_runner.c.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "ktest.h"
#include "../../rumpsrc/kern/kern_private.h"

#define KL_HOSTCALLS	200

struct kl_host {
	int		kh_pid1, kh_pid2, kh_ppid2;
	int		kh_rv1, kh_rv2, kh_pid_after;
	struct lwp	*kh_bound;
	int		kh_calls;
};

/* Run fn on a bare host thread (no lwp) and wait for it. */
static int
kl_host_thread(void *(*fn)(void *), void *arg)
{
	void *cookie;
	int error;

	error = rumpuser_thread_create(fn, arg, "klhost", 1, -1, -1, &cookie);
	if (error != 0)
		return error;
	return rumpuser_thread_join(cookie);
}

KTEST(lwp, lwp_case_runs_on_implicit_lwp_of_proc0)
{
	struct lwp *l = curlwp;

	KT_REQUIRE(l != NULL);
	KT_CHECK(l->l_flags & LW_TEMP);
	KT_CHECK(l->l_proc == &proc0);
	KT_CHECK_EQ(proc0.p_pid, 0);
	KT_CHECK(lwp0.l_proc == &proc0 && (lwp0.l_flags & LW_SYSTEM));
	KT_CHECK(rump_pub_lwproc_curlwp() == NULL);
	KT_CHECK_EQ(rump_sys_getpid(), 0);
}

KTEST(lwp, lwp_alloc_links_into_process)
{
	struct lwp *l;
	int n = proc0.p_nlwps;

	l = lwp_alloc(&proc0, LW_SYSTEM, "kltest");
	KT_REQUIRE(l != NULL);
	KT_CHECK_EQ(proc0.p_nlwps, n + 1);
	KT_CHECK(l->l_lid > 1);
	KT_CHECK(lwp_lookup(&proc0, l->l_lid) == l);
	KT_CHECK_STR(l->l_name, "kltest");
	lwp_free(l);
	KT_CHECK_EQ(proc0.p_nlwps, n);
}

static struct {
	volatile u_int	forks, exits;
	volatile int	fail_fork;
	struct proc	*last_parent;
} kl_hooks_seen;

static int
kl_hook_fork(struct proc *child, struct proc *parent, int flags)
{
	if (kl_hooks_seen.fail_fork)
		return EAGAIN;
	atomic_inc_uint(&kl_hooks_seen.forks);
	kl_hooks_seen.last_parent = parent;
	return 0;
}

static void
kl_hook_exit(struct proc *p)
{
	atomic_inc_uint(&kl_hooks_seen.exits);
}

static const struct proc_hooks kl_hooks = {
	.ph_fork = kl_hook_fork,
	.ph_exit = kl_hook_exit,
};

static void *
kl_rfork_twice(void *arg)
{
	struct kl_host *kh = arg;

	kh->kh_rv1 = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	kh->kh_pid1 = rump_sys_getpid();
	kh->kh_rv2 = rump_pub_lwproc_rfork(RUMP_RFFDG);
	kh->kh_pid2 = rump_sys_getpid();
	kh->kh_ppid2 = rump_sys_getppid();
	kh->kh_bound = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_releaselwp();		/* the child */
	kh->kh_pid_after = rump_sys_getpid();	/* implicit lwp again */
	rumpuser_thread_exit();
}

KTEST(lwp, lwproc_rfork_runs_proc_hooks)
{
	struct kl_host kh;

	memset(&kh, 0, sizeof(kh));
	memset(&kl_hooks_seen, 0, sizeof(kl_hooks_seen));
	proc_hooks_register(&kl_hooks);
	KT_CHECK_EQ(kl_host_thread(kl_rfork_twice, &kh), 0);
	KT_CHECK_EQ(kh.kh_rv1, 0);
	KT_CHECK_EQ(kh.kh_rv2, 0);
	KT_CHECK(kh.kh_pid1 > 0 && kh.kh_pid2 > 0 && kh.kh_pid1 != kh.kh_pid2);
	KT_CHECK_EQ(kh.kh_ppid2, kh.kh_pid1);
	KT_CHECK(kh.kh_bound != NULL);
	KT_CHECK_EQ(kh.kh_pid_after, 0);
	KT_CHECK_EQ(kl_hooks_seen.forks, 2);
	/* The child ended; the first process is still bound to nobody. */
	KT_CHECK_EQ(kl_hooks_seen.exits, 1);
	KT_CHECK(kl_hooks_seen.last_parent != &proc0);
	proc_hooks_unregister(&kl_hooks);
}

static void *
kl_rfork_fails(void *arg)
{
	struct kl_host *kh = arg;

	kh->kh_rv1 = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	kh->kh_pid1 = rump_sys_getpid();
	rumpuser_thread_exit();
}

KTEST(lwp, lwproc_rfork_fails_cleanly_when_hook_fails)
{
	struct kl_host kh;

	memset(&kh, 0, sizeof(kh));
	memset(&kl_hooks_seen, 0, sizeof(kl_hooks_seen));
	kl_hooks_seen.fail_fork = 1;
	proc_hooks_register(&kl_hooks);
	KT_CHECK_EQ(kl_host_thread(kl_rfork_fails, &kh), 0);
	KT_CHECK_EQ(kh.kh_rv1, EAGAIN);
	KT_CHECK_EQ(kh.kh_pid1, 0);
	proc_hooks_unregister(&kl_hooks);
}

static void *
kl_many_calls(void *arg)
{
	struct kl_host *kh = arg;
	int i;

	for (i = 0; i < KL_HOSTCALLS; i++) {
		if (rump_sys_getpid() == 0)
			kh->kh_calls++;
	}
	rumpuser_thread_exit();
}

KTEST(lwp, lwp_implicit_lwps_freed_after_host_calls)
{
	struct kl_host kh;
	u_int base = lwp_temp_count();

	memset(&kh, 0, sizeof(kh));
	KT_CHECK_EQ(base, 1);		/* this case's own */
	KT_CHECK_EQ(kl_host_thread(kl_many_calls, &kh), 0);
	KT_CHECK_EQ(kh.kh_calls, KL_HOSTCALLS);
	KT_CHECK_EQ(lwp_temp_count(), base);
}

/* ---- system call table -------------------------------------------------- */

static int
kl_sys_answer(struct lwp *l, const void *uap, register_t *retval)
{
	const int *argp = uap;

	if (argp == NULL)
		return EFAULT;
	retval[0] = *argp + 1;
	return 0;
}

static const struct rump_sysent kl_sysent[] = {
	{ .se_num = 501, .se_call = kl_sys_answer, .se_name = "klanswer" },
};

static const struct rump_sysent kl_sysent_dup[] = {
	{ .se_num = 502, .se_call = kl_sys_answer, .se_name = "klfree" },
	{ .se_num = SYS_getpid, .se_call = kl_sys_answer,
	  .se_name = "kldup" },
};

KTEST(syscall, syscall_dispatch_by_number)
{
	register_t rv[2] = { -1, -1 };
	int arg = 41;

	/* The foundation component registered getpid at boot. */
	KT_CHECK_EQ(syscall_dispatch(SYS_getpid, NULL, rv), 0);
	KT_CHECK_EQ(rv[0], 0);
	KT_CHECK_EQ(syscall_dispatch(499, NULL, rv), ENOSYS);
	KT_CHECK_EQ(syscall_dispatch(-1, NULL, rv), ENOSYS);
	KT_CHECK_EQ(syscall_dispatch(SYS_MAXSYSCALL, NULL, rv), ENOSYS);

	KT_REQUIRE(syscall_establish(kl_sysent, 1) == 0);
	KT_CHECK_EQ(syscall_establish(kl_sysent, 1), EEXIST);
	KT_CHECK_EQ(rsys_call_num(501, &arg), 42);
	KT_CHECK_EQ(rsys_call_num(501, NULL), -1);	/* EFAULT */
	KT_CHECK_EQ(rsys_call(kl_sys_answer, &arg), 42);
	syscall_disestablish(kl_sysent, 1);
	KT_CHECK_EQ(syscall_dispatch(501, &arg, rv), ENOSYS);
}

KTEST(syscall, syscall_establish_unwinds_on_conflict)
{
	register_t rv[2];
	int arg = 1;

	KT_CHECK_EQ(syscall_establish(kl_sysent_dup, 2), EEXIST);
	/* The first entry was taken back. */
	KT_CHECK_EQ(syscall_dispatch(502, &arg, rv), ENOSYS);
	/* getpid is still the real one. */
	KT_CHECK_EQ(syscall_dispatch(SYS_getpid, NULL, rv), 0);
	KT_CHECK_EQ(rv[0], 0);
}

KTEST(syscall, hyp_syscall_upcall_dispatches)
{
	long rv[2] = { -1, -1 };
	int arg = 9;

	KT_CHECK_EQ(rump_hyp_syscall(SYS_getppid, NULL, rv), 0);
	KT_CHECK_EQ(rv[0], 0);
	KT_CHECK_EQ(rump_hyp_syscall(7, &arg, rv), ENOSYS);
	KT_CHECK_EQ(rump_hyp_getpid(), 0);
}
