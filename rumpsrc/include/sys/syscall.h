/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/syscall.h: the API gate and the system call table
 * (kern/kern_gate.c, kern/kern_syscall.c).
 *
 * Every public entry point (rump_sys_*, rump_pub_*) runs its body through
 * rump_gate(): the gate refuses with ENXIO when the kernel is not running,
 * schedules the calling host thread onto a virtual CPU, records an escape
 * point (so that a panic on this client thread unwinds back here instead
 * of taking the host thread down), runs the body, and unschedules.
 * System calls additionally set the caller's errno through
 * rumpuser_seterrno() and return -1 on error.
 *
 * System calls are also registered by number (NetBSD numbering), so that
 * the hyp_syscall upcall (remote clients) can reach them.
 */
#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

#include <sys/types.h>

struct lwp;

typedef int sy_call_t(struct lwp *l, const void *uap, register_t *retval);

/* Run fn(arg) as a gated entry; returns fn's result or ENXIO. */
int	rump_gate(int (*fn)(void *arg), void *arg);

/*
 * Run a system call body through the gate: returns retval[0] on success;
 * on error sets the caller's errno and returns -1.
 */
register_t rsys_call(sy_call_t *fn, const void *uap);

struct rump_sysent {
	int		se_num;		/* NetBSD syscall number */
	sy_call_t	*se_call;
	const char	*se_name;
};

int	syscall_establish(const struct rump_sysent *tbl, size_t n);
void	syscall_disestablish(const struct rump_sysent *tbl, size_t n);
/* Dispatch by number (used by hyp_syscall): 0 or errno. */
int	syscall_dispatch(int num, const void *uap, register_t *retval);

#define SYS_getpid		20
#define SYS_getppid		39
#define SYS___clock_gettime50	427
#define SYS___nanosleep50	430
#define SYS_MAXSYSCALL		512

/* Kernel state as seen by the gate (kern/init_main.c). */
enum rump_state {
	RUMP_STATE_DOWN = 0,	/* not booted, or shut down */
	RUMP_STATE_BOOTING,
	RUMP_STATE_RUNNING,
	RUMP_STATE_STOPPING,	/* rump_shutdown in progress */
	RUMP_STATE_DEAD		/* panicked: every entry answers ENXIO */
};
extern volatile int rump_state;

#endif /* _SYS_SYSCALL_H_ */
