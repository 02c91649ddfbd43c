/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/kthread.h: kernel threads (kern/kern_kthread.c).
 *
 * A kernel thread is a hypervisor thread bound to an LW_SYSTEM lwp of
 * proc0.  It starts holding a CPU (its bound CPU if ci != NULL) and ends
 * with kthread_exit().  KTHREAD_MUSTJOIN threads are waited for with
 * kthread_join(), which also frees their lwp.
 */
#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/types.h>

struct lwp;
struct cpu_info;

#define KTHREAD_MPSAFE		0x01
#define KTHREAD_MUSTJOIN	0x02

#define PRI_NONE	-1

int	kthread_create(int pri, int flags, struct cpu_info *ci,
	    void (*func)(void *), void *arg, struct lwp **lp,
	    const char *fmt, ...) __printflike(7, 8);
void	kthread_exit(int ecode) __noreturn;
int	kthread_join(struct lwp *l);

/* Number of live kernel threads (for kernfs and leak checks). */
u_int	kthread_count(void);

#endif /* _SYS_KTHREAD_H_ */
