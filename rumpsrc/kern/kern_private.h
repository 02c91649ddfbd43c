/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_private.h: declarations shared only by the files of rumpsrc/kern.
 *
 * The public kernel headers (include/sys) are the contract with the rest of
 * the rump kernel; what is here is plumbing between the core files: the
 * boot and shutdown stages that kern/init_main.c runs, the upcalls it
 * hands to the hypervisor, and the lwproc machinery shared by the
 * scheduler, the lwp code and the API gate.  Nothing outside kern/
 * includes this file.
 *
 * Two sections: the core proper (core-A: init, scheduler, lwps, locks,
 * kthreads, gate, syscalls, panic) and the services (core-B: printf,
 * kmem, callouts, softints, workqueues, time, cprng).
 */
#ifndef _KERN_PRIVATE_H_
#define _KERN_PRIVATE_H_

#include <sys/types.h>
#include <rump/rumpuser.h>

struct lwp;
struct proc;
struct cpu_info;

/* ==== core: init, scheduler, lwps, gate (core-A) ==================== */

/*
 * rump_state (sys/syscall.h) is read by every thread and changed by boot,
 * shutdown and panic: always access it through these.  Sequentially
 * consistent: the gate's "count myself, then check the state" and
 * shutdown's "change the state, then wait for the count" rely on it.
 * DEAD is final: boot and shutdown leave their transient states with a
 * compare-and-swap so that they never overwrite it.
 */
#define rump_state_load()	__atomic_load_n(&rump_state, __ATOMIC_SEQ_CST)
#define rump_state_store(s)	__atomic_store_n(&rump_state, (s), \
				    __ATOMIC_SEQ_CST)

/* kern_sched.c: virtual CPUs and the giant lock, boot and shutdown. */
int	rump_cpus_init(void);		/* ncpu must be set */
int	rump_cpus_fini(void);
/* Wake every thread waiting for a CPU (panic: the kernel is DEAD). */
void	rump_sched_wakeall(void);
/* Upcalls (struct rumpuser_hyperup). */
void	rump_hyp_schedule(void);
void	rump_hyp_unschedule(void);
void	rump_hyp_backend_unschedule(int nlocks, int *countp, void *interlock);
void	rump_hyp_backend_schedule(int nlocks, void *interlock);

/*
 * Outermost-or-nested schedule for the API gate: like rump_schedule(),
 * but returns ENOMEM when no implicit lwp can be allocated and ENXIO when
 * the kernel died while we waited for a CPU, instead of panicking.
 */
int	rump_schedule_gate(void);

/* kern_lwp.c: lwp0/proc0 and the process lists. */
int	rump_lwp_boot(void);		/* lwp0, proc0, lists, pids */
int	rump_lwp_boot_fini(void);
void	rump_lwp_bind0(void);		/* bind lwp0 to the calling thread */
void	rump_lwp_unbind0(void);
struct lwp *lwp_temp_alloc(void);	/* implicit lwp; no CPU needed */
void	lwp_temp_free(struct lwp *l);	/* unbound, off CPU */
/* Free every client process still alive (shutdown); returns how many. */
int	lwproc_release_all(void);
/* Live implicit lwps (leak check at shutdown). */
u_int	lwp_temp_count(void);

void	rump_hyp_lwproc_switch(struct lwp *l);
void	rump_hyp_lwproc_release(void);
int	rump_hyp_lwproc_rfork(void *priv, int flags, const char *comm);
int	rump_hyp_lwproc_newlwp(pid_t pid);
struct lwp *rump_hyp_lwproc_curlwp(void);
void	rump_hyp_lwpexit(void);
void	rump_hyp_execnotify(const char *comm);
pid_t	rump_hyp_getpid(void);

/* kern_kthread.c */
int	kthread_sys_init(void);
int	kthread_sys_fini(void);		/* EBUSY when threads are left */
u_int	kthread_public_count(void);	/* rump_pub_kthread_* not joined */

/* kern_gate.c: entries in progress (shutdown waits for them to drain). */
u_int	rump_gate_active(void);
/* Run system call `num` through the gate by number (sets errno). */
register_t rsys_call_num(int num, const void *uap);

/* kern_syscall.c */
int	syscall_init(void);
int	syscall_fini(void);
int	rump_hyp_syscall(int num, void *args, long *retval);

/* kern_panic.c: stop a thread that finds the kernel dead (see there). */
void	rump_dead_escape(struct lwp *l);

/*
 * System call arguments: one register-sized slot per argument, the value
 * at the slot's start (little-endian layout of NetBSD's syscallarg()).
 */
#define SYSARG(type, name)	union { register_t pad_; type val; } name
#define SCARG(uap, name)	((uap)->name.val)

/* ==== services: printf, kmem, callout, softint, time (core-B) ======= */

/* kern_prf.c: print "panic: <message>" as one line, in any context. */
void	prf_panic_line(const char *fmt, va_list ap);

/*
 * kern_kmem.c: drain every CPU's magazines into the depot and give empty
 * chunks back to the hypervisor (tests: exact host-byte accounting).
 */
void	kmem_reclaim(void);
/* Leaked allocations kmem_fini found at the last shutdown (tests). */
size_t	kmem_last_leaks(void);

/* kern_callout.c: schedule at an absolute uptime deadline (ns). */
struct callout;
void	callout_schedule_at(struct callout *c, uint64_t deadline_ns);

/*
 * kern_prf.c, tests only: divert console output to sink (NULL: back to
 * the console).  The sink is called under the console lock, one
 * character at a time, so it needs no locking of its own.
 */
void	prf_set_sink(void (*sink)(int ch));

#endif /* _KERN_PRIVATE_H_ */
