/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_gate.c: the API gate, through which every public entry point runs.
 *
 * rump_gate(fn, arg):
 *  1. counts itself as an active entry and refuses with ENXIO unless the
 *     kernel is RUNNING (rump_shutdown waits for the count to drain, so
 *     no entry runs while the kernel is torn down);
 *  2. schedules the calling host thread (an implicit lwp if it has none);
 *  3. on a client thread at its outermost gate, records an escape point
 *     (rump_setjmp into a jmpbuf in this frame, l_escape): a panic on this
 *     thread, or a wait that finds the kernel dead, unwinds back here and
 *     the gate returns ENXIO.  Kernel threads (which may call the public
 *     API too, e.g. a rump_pub_kthread_create function) get no escape
 *     point: a panic ends them through the hypervisor instead;
 *  4. runs fn(arg), then clears the escape point and unschedules.
 * The lwp is read again after fn: lwproc calls inside fn may have moved
 * the thread to another lwp, taking the escape point with them.
 *
 * rsys_call() / rsys_call_num() add the system call convention: result in
 * retval[0], or -1 with the error handed to rumpuser_seterrno().
 *
 * Called by: every rump_sys_* and rump_pub_* function, the hypervisor's
 * syscall upcall.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lwp.h>
#include <sys/syscall.h>
#include <machine/jmpbuf.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

static volatile u_int gate_nactive;

u_int
rump_gate_active(void)
{
	return __atomic_load_n(&gate_nactive, __ATOMIC_SEQ_CST);
}

static void
gate_leave(void)
{
	atomic_dec_uint(&gate_nactive);
}

int
rump_gate(int (*fn)(void *arg), void *arg)
{
	struct rump_jmpbuf jb;
	struct lwp *l;
	volatile bool escape;	/* read again after fn: keep it in memory */
	int error;

	/* Count first, then check: shutdown sets the state, then waits. */
	atomic_inc_uint(&gate_nactive);
	if (__predict_false(rump_state_load() != RUMP_STATE_RUNNING)) {
		gate_leave();
		return ENXIO;
	}
	error = rump_schedule_gate();
	if (__predict_false(error != 0)) {
		gate_leave();
		return error;
	}
	l = rumpuser_curlwp();
	escape = l->l_escape == NULL && (l->l_flags & LW_SYSTEM) == 0;
	if (escape) {
		if (rump_setjmp(&jb) != 0) {
			/*
			 * The kernel died under us: the binding was cleared
			 * before the jump, nothing is freed (the host reclaims
			 * a dead kernel's memory), the count stays up.
			 */
			return ENXIO;
		}
		l->l_escape = &jb;
	}

	error = fn(arg);

	l = rumpuser_curlwp();
	if (escape)
		l->l_escape = NULL;
	if (__predict_false(rump_state_load() == RUMP_STATE_DEAD)) {
		rump_dead_escape(l);
		if (l->l_flags & LW_TEMP)
			rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		return ENXIO;
	}
	rump_unschedule();
	gate_leave();
	return error;
}

struct rsys_args {
	sy_call_t	*ra_fn;
	int		ra_num;
	const void	*ra_uap;
	register_t	ra_retval[2];
};

static int
rsys_body(void *arg)
{
	struct rsys_args *ra = arg;

	return ra->ra_fn(rumpuser_curlwp(), ra->ra_uap, ra->ra_retval);
}

static int
rsys_num_body(void *arg)
{
	struct rsys_args *ra = arg;

	return syscall_dispatch(ra->ra_num, ra->ra_uap, ra->ra_retval);
}

static register_t
rsys_finish(int error, const struct rsys_args *ra)
{
	if (error != 0) {
		rumpuser_seterrno(error);
		return -1;
	}
	return ra->ra_retval[0];
}

register_t
rsys_call(sy_call_t *fn, const void *uap)
{
	struct rsys_args ra = { .ra_fn = fn, .ra_uap = uap };

	return rsys_finish(rump_gate(rsys_body, &ra), &ra);
}

/* System call `num` from the table (kern_syscall.c). */
register_t
rsys_call_num(int num, const void *uap)
{
	struct rsys_args ra = { .ra_num = num, .ra_uap = uap };

	return rsys_finish(rump_gate(rsys_num_body, &ra), &ra);
}
