/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp.h: private header of the Linux kernel hypervisor (hypervisor/linux).
 *
 * The hyp_*.c files implement the rumpuser v17 hypercalls on Linux kernel
 * primitives, one host facility per file.  This header holds what they
 * share: the upcall table kept by rumpuser_init(), the wrap idiom that
 * gives the rump CPU context back around a blocking host call, the STOPPED
 * state entered after a rump kernel panic, and the per-facility init/fini
 * hooks called by hyp_init.c.  The module glue (hyp_glue.c) sees only
 * struct hyp_params, hyp_set_params(), hyp_fini() and hyp_stop().
 */
#ifndef _RUMP_HYP_LINUX_H_
#define _RUMP_HYP_LINUX_H_

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>

#include <rump/rumpuser.h>
#include <rump/hyp_errno.h>

/* Configuration handed over by the module glue before rumpuser_init(). */
#define HYP_HOSTNAME_MAX	64
#define HYP_NCPU_MAX		64

struct hyp_params {
	int		hp_ncpu;	/* 0: number of online CPUs */
	const char	*hp_hostname;
	bool		hp_verbose;
};

/* Interface to the module glue. */
void hyp_set_params(const struct hyp_params *p);
void hyp_stop(const char *why);
void hyp_fini(void);

/* hyp_init.c: the kept upcall table and configuration. */
extern struct rumpuser_hyperup hyp_up;
extern struct hyp_params hyp_cfg;
extern char hyp_cfg_hostname[HYP_HOSTNAME_MAX + 1];

/*
 * The wrap idiom: a hypercall that blocks gives the rump CPU context back
 * first and takes it again afterwards.  interlock is the lock being waited
 * for, or NULL when the blocking part is not a lock wait.
 */
static inline void
hyp_unsched(int *nlocks, void *interlock)
{
	hyp_up.hyp_backend_unschedule(0, nlocks, interlock);
}

/*
 * hyp_deadline_rel: CLOCK_MONOTONIC time sec+nsec from now, saturating;
 * now for a zero or negative interval.
 */
static inline ktime_t
hyp_deadline_rel(int64_t sec, int64_t nsec)
{
	ktime_t now = ktime_get();
	s32 rem;

	if (nsec < 0)
		nsec = 0;
	if (nsec >= NSEC_PER_SEC) {
		if (sec > KTIME_SEC_MAX)
			return KTIME_MAX;
		sec += div_s64_rem(nsec, NSEC_PER_SEC, &rem);
		nsec = rem;
	}
	if (sec < 0 || (sec == 0 && nsec == 0))
		return now;
	if (sec >= KTIME_SEC_MAX / 2)
		return KTIME_MAX;
	return ktime_add(now, ktime_set(sec, nsec));
}

/*
 * hyp_exit.c: the STOPPED state.  Once a rump kernel panicked (or asked to
 * exit) nothing of it may run again.  Every wait loop of the hypervisor
 * checks hyp_is_stopped() and then calls hyp_stop_point(): a thread of
 * ours ends there, a foreign host thread in a wrapped wait returns (its
 * caller then hands it to hyp_backend_schedule, where the rump kernel
 * unwinds it), a foreign thread in a nowrap wait is parked for good.
 */
extern atomic_t hyp_stopped_flag;
extern wait_queue_head_t hyp_stop_wq;

static inline bool
hyp_is_stopped(void)
{
	return atomic_read(&hyp_stopped_flag) != 0;
}

void hyp_stop_point(bool wrapped);
int hyp_nparked(void);

/*
 * hyp_sched: take the rump CPU back after hyp_unsched.  Once STOPPED a
 * thread of ours ends here instead of running on in the dead kernel.  In
 * a dead kernel hyp_backend_schedule does not return to a client thread
 * inside an API gate (it unwinds to the gate), so callers hold nothing
 * that needs releasing (file references, kmalloc'd memory) across it.
 */
static inline void
hyp_sched(int nlocks, void *interlock)
{
	if (unlikely(hyp_is_stopped()))
		hyp_stop_point(true);
	hyp_up.hyp_backend_schedule(nlocks, interlock);
}

/*
 * hyp_dead_end: what follows a call to hyp_thread_end().  objtool (6.1)
 * knows only a fixed list of functions that do not return, so a call to
 * one in another file must be followed by a dead end it can see.
 */
static inline void __noreturn
hyp_dead_end(void)
{
	for (;;) {
		set_current_state(TASK_IDLE);
		schedule();
	}
}

/* hyp_thread.c: threads we create ("ours"). */
struct hyp_thread;
typedef void (*hyp_thread_fn)(void *arg);

struct hyp_thread *hyp_thread_self(void);
int hyp_thread_spawn(hyp_thread_fn fn, void *arg, const char *name,
    bool mustjoin, struct hyp_thread **tp);
void hyp_thread_reap(struct hyp_thread *t);
void hyp_thread_end(const char *where);	/* never returns, see above */
void hyp_thread_wake_all(void);
int hyp_thread_live(void);
void hyp_thread_fini(void);
int *hyp_thread_errno_slot(struct hyp_thread *t);
const char *hyp_thread_name(void);

/* hyp_task.c: bindings of foreign host threads (lwp and errno). */
struct lwp *hyp_task_lwp(void);
void hyp_task_set_lwp(struct lwp *l);
void hyp_task_set_errno(int err);
int hyp_task_errno(void);
void hyp_task_fini(void);

/* hyp_errno.c: host error -> rump errno, including kernel-internal codes. */
int hyp_errno(int linux_err);
int rump_errno(void);		/* exported to client modules */

/* hyp_mem.c */
int hyp_mem_init(void);
void hyp_mem_counts(unsigned long *nallocs, unsigned long *nbytes);
void hyp_mem_fini(unsigned long *nreclaimed, unsigned long *breclaimed);

/* hyp_sync.c */
void hyp_sync_wake_all(void);
void hyp_sync_fini(void);

/* hyp_file.c and hyp_bio.c */
struct file *hyp_file_get(int fd);
void hyp_file_fini(void);
void hyp_bio_wake(void);
void hyp_bio_fini(void);

/* hyp_vif.c: the vif= parameter, taps opened at load, STOPPED wake-up. */
int hyp_vif_parse(const char *spec);
int hyp_vif_open_all(void);
void hyp_vif_wake_all(void);
void hyp_vif_fini(void);

/* hyp_misc.c */
void hyp_console_flush(void);

#define hyp_log(fmt, ...)	pr_info("rump: " fmt "\n", ##__VA_ARGS__)
#define hyp_warn(fmt, ...)	pr_warn("rump: " fmt "\n", ##__VA_ARGS__)
#define hyp_dbg(fmt, ...)						\
	do {								\
		if (hyp_cfg.hp_verbose)					\
			pr_info("rump: " fmt "\n", ##__VA_ARGS__);	\
	} while (0)

#endif /* _RUMP_HYP_LINUX_H_ */
