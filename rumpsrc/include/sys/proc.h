/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/proc.h: processes of the rump kernel (kern/kern_lwp.c).
 *
 * proc0 (pid 0) owns kernel threads and the implicit lwps of host threads.
 * Client processes come from rump_pub_lwproc_rfork(); a process goes away
 * when its last lwp is released.  Later subsystems hang their per-process
 * state (file descriptors, current directory) on the p_* hooks below.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/lwp.h>

struct proc {
	pid_t			p_pid;
	struct proc		*p_pptr;	/* parent, NULL for proc0 */
	int			p_nlwps;
	int			p_flags;	/* PK_* */
	lwpid_t			p_nextlid;
	kmutex_t		p_lock;		/* p_lwps, p_nlwps, p_nextlid */
	LIST_HEAD(, lwp)	p_lwps;
	LIST_ENTRY(proc)	p_list;		/* on allproc */
	struct kauth_cred	*p_cred;	/* credential (vfs/vfs_cred.c) */
	void			*p_fd;		/* descriptor table (vfs) */
	void			*p_cwdi;	/* current/root directory (vfs) */
	char			p_comm[MAXCOMLEN + 1];
};

#define PK_SYSTEM	0x0001	/* proc0 */
#define PK_EXITING	0x0002

/* rfork flags (public values in rump/rump.h: RUMP_RFFDG, RUMP_RFCFDG) */
#define RFFDG		0x0004	/* copy the parent's descriptors */
#define RFCFDG		0x1000	/* start with a clean descriptor table */

struct proc *proc_find(pid_t pid);	/* no reference: caller holds procs */

/*
 * Per-process hooks, registered by subsystems (e.g. vfs registers one that
 * creates and copies descriptor tables).  fork is called for a new process
 * with its parent (may fail and unwind); exit when the last lwp is gone.
 */
struct proc_hooks {
	int	(*ph_fork)(struct proc *child, struct proc *parent, int flags);
	void	(*ph_exit)(struct proc *p);
};
void	proc_hooks_register(const struct proc_hooks *);
void	proc_hooks_unregister(const struct proc_hooks *);

#endif /* _SYS_PROC_H_ */
