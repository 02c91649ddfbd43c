/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_panic.c: panic, and what threads do in a kernel that has died.
 *
 * panic() prints "panic: <message>" as one console line, marks the kernel
 * DEAD (the first panic only; a nested or concurrent one just stops its
 * thread) and wakes everything waiting for a CPU so that it notices.
 * Then:
 *  (a) a client thread inside an API gate (curlwp has an escape point)
 *      starts a detached hypervisor thread whose only job is
 *      rumpuser_exit(RUMPUSER_PANIC) -- the hypervisor then stops every
 *      rump thread -- unbinds its lwp and jumps back to the gate, which
 *      returns ENXIO to the caller;
 *  (b) any other thread (kernel threads, boot) calls
 *      rumpuser_exit(RUMPUSER_PANIC) itself, which does not return.
 * Nothing is freed: the host reclaims a dead kernel's memory when it
 * unloads it.  The host itself never panics.
 *
 * rump_dead_escape() is the same escape for a thread that finds the
 * kernel dead when it comes back from a wait (kern_sched.c).
 *
 * rump_pub_test_panic() injects a panic for tests.
 *
 * Called by: KASSERT and every fatal error path; the scheduler; tests.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/syscall.h>
#include <machine/jmpbuf.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

/* How long rump_pub_test_panic(1) waits for the kernel to die. */
#define PANIC_TEST_WAIT_MS	5000

static volatile u_int panic_started;

/*
 * The never-returning calls below, under names declared without
 * __noreturn, each followed by a trap.  objtool (run on kernel-flavour
 * objects) cannot know that these external functions do not return and
 * would report a fall-through into the next function after a bare call;
 * the trap makes the dead end explicit.
 */
void	panic_hyp_exit(int value) __asm__("rumpuser_exit");
void	panic_longjmp(struct rump_jmpbuf *jb, int val)
	    __asm__("rump_longjmp");
#define PANIC_HYP_EXIT()	do {					\
	panic_hyp_exit(RUMPUSER_PANIC);					\
	__builtin_trap();						\
} while (0)

/*
 * If l is a client thread inside a gate, unbind it and jump back to the
 * gate (no return).  Otherwise return: the caller stops on its own.
 * Precondition: the kernel is DEAD.
 */
void
rump_dead_escape(struct lwp *l)
{
	struct rump_jmpbuf *jb;

	if (l == NULL || l->l_escape == NULL || (l->l_flags & LW_SYSTEM))
		return;
	jb = l->l_escape;
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	panic_longjmp(jb, 1);
	__builtin_trap();
}

static void *
panic_reporter(void *arg)
{
	PANIC_HYP_EXIT();
}

void
panic(const char *fmt, ...)
{
	struct lwp *l = rumpuser_curlwp();
	va_list ap;
	int error;

	if (atomic_swap_uint(&panic_started, 1) == 0) {
		va_start(ap, fmt);
		prf_panic_line(fmt, ap);
		va_end(ap);
		/* Sequentially consistent: before the wake-ups below. */
		rump_state_store(RUMP_STATE_DEAD);
		rump_sched_wakeall();
		if (l != NULL && l->l_escape != NULL &&
		    (l->l_flags & LW_SYSTEM) == 0) {
			error = rumpuser_thread_create(panic_reporter, NULL,
			    "rumppanic", 0, PRI_NONE, -1, NULL);
			if (error != 0)
				rumpuser_dprintf("rump: panic: cannot start "
				    "the reporter thread (error %d); the "
				    "kernel is stopped without it\n", error);
		}
	}
	rump_dead_escape(l);
	PANIC_HYP_EXIT();
}

/* ---- test hook ---------------------------------------------------------- */

static void
panic_test_thread(void *arg)
{
	panic("rump_pub_test_panic: requested on a kernel thread");
}

static int
panic_test_body(void *arg)
{
	int mode = *(int *)arg;
	int waited, error;

	if (mode == 0)
		panic("rump_pub_test_panic: requested in the calling thread");
	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE, NULL,
	    panic_test_thread, NULL, NULL, "panictest");
	if (error != 0)
		return error;
	/* A wait that finds the kernel dead unwinds to the gate (ENXIO). */
	for (waited = 0; waited < PANIC_TEST_WAIT_MS &&
	    rump_state_load() != RUMP_STATE_DEAD; waited += 10)
		kpause("paniced", false, mstohz(10), NULL);
	return rump_state_load() == RUMP_STATE_DEAD ? ENXIO : ETIMEDOUT;
}

/*
 * Test only: panic in the calling thread (0) or on a new kernel thread
 * (1).  Returns ENXIO once the kernel is dead, EINVAL for another mode.
 */
int
rump_pub_test_panic(int on_kthread)
{
	int mode = on_kthread;

	if (mode != 0 && mode != 1)
		return EINVAL;
	return rump_gate(panic_test_body, &mode);
}
