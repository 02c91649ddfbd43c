/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/lwp.h: lightweight processes (threads of the rump kernel), virtual
 * CPUs and the current-thread context.
 *
 * Every host thread running rump kernel code is bound to exactly one lwp
 * (rumpuser_curlwp() returns it) and holds exactly one virtual CPU while
 * it runs kernel code.  Lwps of kernel threads belong to proc0; a client
 * process made with rump_pub_lwproc_rfork() gets its own proc.
 * Implemented in kern/kern_lwp.c (lwps, procs) and kern/kern_sched.c (CPUs).
 */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <rump/rumpuser.h>

#define MAXCOMLEN	16
#define MAXCPUS		64

struct proc;
struct cpu_info;
struct rump_jmpbuf;

struct lwp {
	struct proc		*l_proc;
	struct cpu_info		*l_cpu;		/* CPU held, or last held */
	struct cpu_info		*l_boundcpu;	/* only ever run here, or NULL */
	lwpid_t			l_lid;
	int			l_flags;	/* LW_* */
	int			l_biglocks;	/* giant lock holds while off CPU */
	int			l_refcnt;	/* references from joiners */
	int			l_nesting;	/* rump_schedule depth on CPU */
	void			*l_hypcookie;	/* hypervisor thread, for join */
	void			(*l_startfn)(void *);	/* kthread body */
	void			*l_startarg;
	struct rump_jmpbuf	*l_escape;	/* API gate to unwind to on panic */
	void			*l_private;	/* per-subsystem (syscall layer) */
	LIST_ENTRY(lwp)		l_sibling;	/* on proc's p_lwps */
	LIST_ENTRY(lwp)		l_list;		/* on alllwp */
	char			l_name[MAXCOMLEN];
};

/* l_flags */
#define LW_SYSTEM	0x0001	/* kernel thread */
#define LW_TEMP		0x0002	/* implicit lwp of a host thread, freed on exit */
#define LW_MUSTJOIN	0x0004	/* kthread that will be joined */
#define LW_WEXIT	0x0008	/* exiting */
#define LW_ONCPU	0x0010	/* holds a virtual CPU now */
#define LW_BOUND	0x0020	/* pinned to l_boundcpu */
#define LW_HOSTBOUND	0x0040	/* client lwp bound to some host thread */

struct cpu_info {
	u_int			ci_index;
	struct lwp *volatile	ci_curlwp;	/* lwp holding this CPU or NULL */
	void			*ci_softint;	/* kern/kern_softint.c */
	uint64_t		ci_nswitch;	/* times taken by a new lwp */
} __aligned(64);	/* one cache line each: ci_curlwp is CASed */

extern struct cpu_info	*rump_cpus;	/* array of ncpu */
extern int		ncpu;
extern struct lwp	lwp0;		/* the boot thread's lwp */
extern struct proc	proc0;		/* the kernel process */

#define curlwp		(rumpuser_curlwp())
#define curcpu()	(curlwp->l_cpu)
#define curproc		(curlwp->l_proc)
#define cpu_index(ci)	((ci)->ci_index)
#define cpu_lookup(i)	(&rump_cpus[(i)])

/* Lwp lifetime (kern/kern_lwp.c). */
struct lwp *lwp_alloc(struct proc *p, int flags, const char *name);
void	lwp_free(struct lwp *l);	/* not curlwp, not on a CPU */
struct lwp *lwp_lookup(struct proc *p, lwpid_t lid);

/*
 * Scheduling (kern/kern_sched.c).  rump_schedule binds an implicit LW_TEMP
 * lwp to a host thread that has none, then takes a virtual CPU (waiting
 * for one if all are busy).  rump_unschedule gives the CPU back and, for
 * an LW_TEMP lwp, unbinds and frees it (soft interrupts run on their own
 * per-CPU threads, never here).  They nest: only the outermost pair does
 * the work.
 */
void	rump_schedule(void);
void	rump_unschedule(void);
void	rump_schedule_cpu(struct lwp *l);	/* take a CPU for l */
void	rump_unschedule_cpu(struct lwp *l);	/* give l's CPU back */
bool	rump_cpu_held(void);			/* curlwp has a CPU */

/* The giant lock, for code that is not MP-safe (held across blocking). */
void	kernel_lock(void);
void	kernel_unlock(void);
bool	kernel_locked_p(void);

#endif /* _SYS_LWP_H_ */
