/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_kthread.c: kernel threads.
 *
 * A kernel thread is a hypervisor thread bound to an LW_SYSTEM lwp of
 * proc0.  It binds its lwp, takes a CPU (its bound CPU if it has one)
 * and runs func(arg) holding it; it ends with kthread_exit() (also when
 * func returns).  A KTHREAD_MUSTJOIN thread leaves its lwp behind for
 * kthread_join(), which waits for the hypervisor thread and frees the lwp;
 * any other thread frees its own lwp on the way out.
 *
 * kthread_count() counts threads from creation until their lwp is freed
 * (joined, or exited if not joinable); rump_shutdown() refuses to free
 * memory while it is non-zero.
 *
 * The public rump_pub_kthread_create/join let a host (e.g. a Linux module)
 * run its own function on a rump kernel thread; such a function may call
 * the public API (the gate nests on a thread that already holds a CPU).
 *
 * Called by: subsystems (softint, callout, workqueue threads), the public
 * API, kern/init_main.c (kthread_sys_init/fini).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/condvar.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

/* How long shutdown waits for exiting unjoinable threads. */
#define KTHREAD_DRAIN_MS	3000

static volatile u_int kthread_nlive;	/* created, lwp not yet freed */
static volatile u_int kthread_npublic;	/* public ones not yet joined */
/* l_private of public kthreads points here (join checks it). */
static const char kthread_public_tag[] = "public kthread";

int
kthread_sys_init(void)
{
	atomic_store_relaxed(&kthread_nlive, 0);
	atomic_store_relaxed(&kthread_npublic, 0);
	return 0;
}

/*
 * Shutdown: wait a little for unjoinable threads on their way out, then
 * refuse (EBUSY) if any thread is left.  Precondition: the caller holds a
 * CPU; every subsystem that owns threads has stopped them.
 */
int
kthread_sys_fini(void)
{
	int waited;

	for (waited = 0; kthread_count() != 0 && waited < KTHREAD_DRAIN_MS;
	    waited += 10)
		kpause("kthrfini", false, mstohz(10), NULL);
	if (kthread_count() != 0) {
		printf("rump_shutdown: %u kernel thread(s) still alive\n",
		    kthread_count());
		return EBUSY;
	}
	return 0;
}

/*
 * Acquire: an exiting thread's decrement (a release) is its last touch of
 * kernel memory, and whoever sees the count reach 0 may free that memory.
 */
u_int
kthread_count(void)
{
	return atomic_load_acquire(&kthread_nlive);
}

u_int
kthread_public_count(void)
{
	return atomic_load_relaxed(&kthread_npublic);
}

/*
 * A new kernel thread starts here with its own lwp as argument; the body
 * and its argument are in the lwp, which lives exactly as long as the
 * thread (a detached thread frees it as it exits, a joinable one is freed
 * by its joiner), so nothing is allocated or freed just to start it.
 */
static void *
kthread_trampoline(void *arg)
{
	struct lwp *l = arg;

	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	rump_schedule();
	if ((l->l_flags & LW_ONCPU) == 0) {
		/* The kernel died before we ran: leave without touching it. */
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		rumpuser_thread_exit();
	}
	l->l_startfn(l->l_startarg);
	kthread_exit(0);
}

/*
 * Start a kernel thread running func(arg), bound to ci if not NULL.
 * Precondition: the caller holds a CPU.  *lp (if lp) gets the lwp; for a
 * thread that is not KTHREAD_MUSTJOIN it may be gone by the time the
 * caller looks.  pri is passed to the hypervisor as a hint.
 */
static int
kthread_vcreate(int pri, int flags, struct cpu_info *ci,
    void (*func)(void *), void *arg, struct lwp **lp, const void *tag,
    const char *fmt, va_list ap)
{
	char name[MAXCOMLEN];
	struct lwp *l;
	void *cookie;
	int error, lflags;

	KASSERT(rump_cpu_held());
	vsnprintf(name, sizeof(name), fmt, ap);
	lflags = LW_SYSTEM;
	if (flags & KTHREAD_MUSTJOIN)
		lflags |= LW_MUSTJOIN;
	if (ci != NULL)
		lflags |= LW_BOUND;
	l = lwp_alloc(&proc0, lflags, name);
	if (l == NULL)
		return ENOMEM;
	l->l_boundcpu = ci;
	l->l_cpu = ci;
	l->l_private = (void *)(uintptr_t)tag;
	l->l_startfn = func;
	l->l_startarg = arg;

	atomic_inc_uint(&kthread_nlive);
	/*
	 * The cookie goes through a local: a detached thread may already
	 * have run, exited and freed l when rumpuser_thread_create returns.
	 * A joinable thread's lwp lives until it is joined, after we return.
	 */
	error = rumpuser_thread_create(kthread_trampoline, l, name,
	    (flags & KTHREAD_MUSTJOIN) != 0, pri,
	    ci != NULL ? (int)ci->ci_index : -1, &cookie);
	if (error != 0)
		goto err_uncount;
	if (flags & KTHREAD_MUSTJOIN)
		l->l_hypcookie = cookie;
	if (lp != NULL)
		*lp = l;
	return 0;

err_uncount:
	atomic_dec_uint(&kthread_nlive);
	lwp_free(l);
	return error;
}

int
kthread_create(int pri, int flags, struct cpu_info *ci,
    void (*func)(void *), void *arg, struct lwp **lp, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = kthread_vcreate(pri, flags, ci, func, arg, lp, NULL, fmt, ap);
	va_end(ap);
	return error;
}

/*
 * End the calling kernel thread.  Precondition: curlwp is a kernel
 * thread's lwp, at its outermost schedule level, without the giant lock.
 */
void
kthread_exit(int ecode)
{
	struct lwp *l = rumpuser_curlwp();

	KASSERT(l != NULL && (l->l_flags & LW_SYSTEM) && l != &lwp0);
	KASSERTMSG(l->l_nesting == 1, "kthread_exit inside a nested gate");
	KASSERTMSG(!kernel_locked_p(), "kthread_exit with the giant lock");
	(void)ecode;
	l->l_nesting = 0;
	if (l->l_flags & LW_MUSTJOIN) {
		/* kthread_join frees the lwp once the host thread is gone. */
		l->l_flags |= LW_WEXIT;
		rump_unschedule_cpu(l);
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	} else {
		/* Nobody joins: off the lists while we hold a CPU, then free. */
		l->l_flags |= LW_WEXIT;
		rump_unschedule_cpu(l);
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		rump_schedule();	/* on an implicit lwp, to unlink ours */
		lwp_free(l);
		rump_unschedule();
		/* Last touch of kernel memory: shutdown may free it now. */
		atomic_dec_uint(&kthread_nlive);
	}
	rumpuser_thread_exit();
}

/*
 * Wait for a KTHREAD_MUSTJOIN thread to end and free its lwp.
 * Precondition: the caller holds a CPU (given back while waiting).
 */
int
kthread_join(struct lwp *l)
{
	int error;

	/*
	 * Until the join returns, the thread itself updates l_flags (LW_ONCPU,
	 * LW_WEXIT): only l_hypcookie, which its creator wrote and only a
	 * joinable thread has, may be looked at before.
	 */
	KASSERT(l != NULL && l->l_hypcookie != NULL);
	KASSERT(l != rumpuser_curlwp());
	error = rumpuser_thread_join(l->l_hypcookie);
	if (error != 0)
		return error;
	KASSERT((l->l_flags & (LW_SYSTEM | LW_MUSTJOIN | LW_WEXIT)) ==
	    (LW_SYSTEM | LW_MUSTJOIN | LW_WEXIT));
	lwp_free(l);
	atomic_dec_uint(&kthread_nlive);
	return 0;
}

/* ---- public API ------------------------------------------------------- */

/* kthread_create, marking the lwp with tag (in l_private). */
static int
kthread_create_tagged(const void *tag, int flags, void (*func)(void *),
    void *arg, struct lwp **lp, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = kthread_vcreate(PRI_NONE, flags, NULL, func, arg, lp, tag,
	    fmt, ap);
	va_end(ap);
	return error;
}

struct kthread_pub_args {
	void		(*kp_fn)(void *);
	void		*kp_arg;
	const char	*kp_name;
	struct lwp	*kp_lwp;
};

static int
kthread_pub_create_body(void *arg)
{
	struct kthread_pub_args *kp = arg;
	int error;

	error = kthread_create_tagged(kthread_public_tag,
	    KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, kp->kp_fn, kp->kp_arg,
	    &kp->kp_lwp, "%s", kp->kp_name);
	if (error == 0)
		atomic_inc_uint(&kthread_npublic);
	return error;
}

/* Run fn(arg) on a new joinable rump kernel thread. */
int
rump_pub_kthread_create(void (*fn)(void *), void *arg, const char *name,
    struct lwp **lp)
{
	struct kthread_pub_args kp = {
		.kp_fn = fn,
		.kp_arg = arg,
		.kp_name = name != NULL ? name : "pubkthread",
	};
	int error;

	if (fn == NULL || lp == NULL)
		return EINVAL;
	error = rump_gate(kthread_pub_create_body, &kp);
	if (error == 0)
		*lp = kp.kp_lwp;
	return error;
}

static int
kthread_pub_join_body(void *arg)
{
	struct lwp *l = arg;
	int error;

	if (l->l_private != (const void *)kthread_public_tag)
		return EINVAL;
	if (l == rumpuser_curlwp())
		return EDEADLK;
	error = kthread_join(l);
	if (error == 0)
		atomic_dec_uint(&kthread_npublic);
	return error;
}

/* Wait until the thread's function has returned; frees the thread. */
int
rump_pub_kthread_join(struct lwp *l)
{
	if (l == NULL)
		return EINVAL;
	return rump_gate(kthread_pub_join_body, l);
}
