/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_syscall.c: the system call table and the foundation system calls.
 *
 * Subsystems register their system calls by NetBSD number with
 * syscall_establish() (normally from their component's init) and remove
 * them with syscall_disestablish().  Each slot is claimed with a CAS, so
 * establishing needs no lock and dispatch reads the table lock-free; a
 * slot points into the registering subsystem's own (static) table.
 *
 * The foundation calls here -- getpid, getppid, clock_gettime, nanosleep
 * -- register themselves the same way, as the component sys_foundation at
 * level RUMP_COMPONENT_KERN, and their public rump_sys_* wrappers go
 * through the table by number: a kernel whose component did not come up
 * answers ENOSYS, as a remote client going through hyp_syscall would see.
 *
 * Addresses passed by callers are host addresses in the caller's own
 * address space (local clients only), so "copyout" is a plain copy after
 * a NULL check.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

static const struct rump_sysent *syscall_table[SYS_MAXSYSCALL];

int
syscall_init(void)
{
	memset(syscall_table, 0, sizeof(syscall_table));
	return 0;
}

/* Every subsystem must have disestablished its calls by now. */
int
syscall_fini(void)
{
	int i;

	for (i = 0; i < SYS_MAXSYSCALL; i++) {
		if (syscall_table[i] != NULL) {
			printf("rump_shutdown: system call %d (%s) still "
			    "established\n", i, syscall_table[i]->se_name);
			syscall_table[i] = NULL;
		}
	}
	return 0;
}

/* Remove the first n entries of tbl (those that are ours). */
static void
syscall_remove(const struct rump_sysent *tbl, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		(void)atomic_cas_ptr(&syscall_table[tbl[i].se_num],
		    (void *)(uintptr_t)&tbl[i], NULL);
}

/* Claim the slots of tbl: EINVAL for a bad number, EEXIST if taken. */
int
syscall_establish(const struct rump_sysent *tbl, size_t n)
{
	size_t i;
	int error;

	for (i = 0; i < n; i++) {
		if (tbl[i].se_num < 0 || tbl[i].se_num >= SYS_MAXSYSCALL ||
		    tbl[i].se_call == NULL) {
			error = EINVAL;
			goto err_remove;
		}
		if (atomic_cas_ptr(&syscall_table[tbl[i].se_num], NULL,
		    (void *)(uintptr_t)&tbl[i]) != NULL) {
			error = EEXIST;
			goto err_remove;
		}
	}
	return 0;

err_remove:
	syscall_remove(tbl, i);
	return error;
}

void
syscall_disestablish(const struct rump_sysent *tbl, size_t n)
{
	syscall_remove(tbl, n);
}

/* Precondition: the caller is inside the kernel (holds a CPU). */
int
syscall_dispatch(int num, const void *uap, register_t *retval)
{
	const struct rump_sysent *se;

	if (num < 0 || num >= SYS_MAXSYSCALL)
		return ENOSYS;
	se = atomic_load_acquire(&syscall_table[num]);
	if (se == NULL)
		return ENOSYS;
	retval[0] = 0;
	retval[1] = 0;
	return se->se_call(rumpuser_curlwp(), uap, retval);
}

struct syscall_hyp_args {
	int		sh_num;
	const void	*sh_uap;
	register_t	sh_retval[2];
};

static int
syscall_hyp_body(void *arg)
{
	struct syscall_hyp_args *sh = arg;

	return syscall_dispatch(sh->sh_num, sh->sh_uap, sh->sh_retval);
}

/*
 * The hyp_syscall upcall: system call num with NetBSD-layout arguments;
 * retval points to two longs.  Returns 0 or an errno.
 */
int
rump_hyp_syscall(int num, void *args, long *retval)
{
	struct syscall_hyp_args sh = { .sh_num = num, .sh_uap = args };
	int error;

	error = rump_gate(syscall_hyp_body, &sh);
	retval[0] = sh.sh_retval[0];
	retval[1] = sh.sh_retval[1];
	return error;
}

/* ---- the foundation system calls ---------------------------------------- */

struct sys_clock_gettime_args {
	SYSARG(int, clock_id);
	SYSARG(struct rump_timespec *, tp);
};

struct sys_nanosleep_args {
	SYSARG(const struct rump_timespec *, rqtp);
	SYSARG(struct rump_timespec *, rmtp);
};

static int
sys_getpid(struct lwp *l, const void *uap, register_t *retval)
{
	struct proc *p = l->l_proc;

	retval[0] = p->p_pid;
	retval[1] = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	return 0;
}

static int
sys_getppid(struct lwp *l, const void *uap, register_t *retval)
{
	struct proc *p = l->l_proc;

	retval[0] = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	return 0;
}

static int
sys_clock_gettime(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_clock_gettime_args *uap = v;
	struct rump_timespec *utp = SCARG(uap, tp);
	struct timespec ts;

	switch (SCARG(uap, clock_id)) {
	case RUMP_CLOCK_REALTIME:
		nanotime(&ts);
		break;
	case RUMP_CLOCK_MONOTONIC:
		nanouptime(&ts);
		break;
	default:
		return EINVAL;
	}
	if (utp == NULL)
		return EFAULT;
	utp->tv_sec = ts.tv_sec;
	utp->tv_nsec = ts.tv_nsec;
	return 0;
}

/* Whole sleeps only: no signals exist to cut one short, so rem is 0. */
static int
sys_nanosleep(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_nanosleep_args *uap = v;
	const struct rump_timespec *rqtp = SCARG(uap, rqtp);
	struct rump_timespec *rmtp = SCARG(uap, rmtp);
	const uint64_t maxsec = ((uint64_t)1 << 62) / NSEC_PER_SEC;
	uint64_t ns;

	if (rqtp == NULL)
		return EFAULT;
	if (rqtp->tv_sec < 0 || rqtp->tv_nsec < 0 ||
	    rqtp->tv_nsec >= (long)NSEC_PER_SEC)
		return EINVAL;
	if ((uint64_t)rqtp->tv_sec >= maxsec)
		ns = maxsec * NSEC_PER_SEC;
	else
		ns = (uint64_t)rqtp->tv_sec * NSEC_PER_SEC +
		    (uint64_t)rqtp->tv_nsec;
	kpause_ns(ns);
	if (rmtp != NULL) {
		rmtp->tv_sec = 0;
		rmtp->tv_nsec = 0;
	}
	return 0;
}

static const struct rump_sysent sysfound_table[] = {
	{ .se_num = SYS_getpid, .se_call = sys_getpid, .se_name = "getpid" },
	{ .se_num = SYS_getppid, .se_call = sys_getppid,
	  .se_name = "getppid" },
	{ .se_num = SYS___clock_gettime50, .se_call = sys_clock_gettime,
	  .se_name = "__clock_gettime50" },
	{ .se_num = SYS___nanosleep50, .se_call = sys_nanosleep,
	  .se_name = "__nanosleep50" },
};

static int
sysfound_init(void)
{
	return syscall_establish(sysfound_table, __arraycount(sysfound_table));
}

static void
sysfound_fini(void)
{
	syscall_disestablish(sysfound_table, __arraycount(sysfound_table));
}

RUMP_COMPONENT(sys_foundation, RUMP_COMPONENT_KERN, sysfound_init,
    sysfound_fini);

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_getpid(void)
{
	return (int)rsys_call_num(SYS_getpid, NULL);
}

int
rump_sys_getppid(void)
{
	return (int)rsys_call_num(SYS_getppid, NULL);
}

int
rump_sys_clock_gettime(int clock_id, struct rump_timespec *ts)
{
	struct sys_clock_gettime_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, clock_id) = clock_id;
	SCARG(&args, tp) = ts;
	return (int)rsys_call_num(SYS___clock_gettime50, &args);
}

int
rump_sys_nanosleep(const struct rump_timespec *req,
    struct rump_timespec *rem)
{
	struct sys_nanosleep_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, rqtp) = req;
	SCARG(&args, rmtp) = rem;
	return (int)rsys_call_num(SYS___nanosleep50, &args);
}
