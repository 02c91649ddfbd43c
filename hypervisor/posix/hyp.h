/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp.h: private glue shared by the files of the POSIX (pthreads) hypervisor.
 *
 * Every file in hypervisor/posix includes this first.  It pulls in the host
 * headers the rumpuser interface expects to be in scope, the interface
 * itself, the errno translation, and declares what the files share: the
 * upcall table kept by rumpuser_init(), the statistics counters, the one
 * wrapping idiom for "give the rump CPU back while blocking on the host",
 * and the teardown hooks rumphyp_fini() runs.
 *
 * Nothing outside hypervisor/posix includes this file; tests use the public
 * rumphyp_posix.h instead.
 */
#ifndef _RUMP_POSIX_HYP_H_
#define _RUMP_POSIX_HYP_H_

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rump/rumpuser.h>
#include <rump/hyp_errno.h>

#include "rumphyp_posix.h"

/* The upcall table handed to rumpuser_init() (init.c). */
extern struct rumpuser_hyperup hyp_up;

/*
 * Live-object counters (init.c).  Updated with relaxed atomics: they are
 * only read for leak reports, never used to order anything.
 */
struct hyp_counters {
	long hc_allocs;
	long hc_bytes;
	long hc_maps;
	long hc_map_bytes;
	long hc_threads;
	long hc_files;
	long hc_locks;
	long hc_bio_inflight;
	long hc_console_errors;
	long hc_vifs;
};
extern struct hyp_counters hyp_counters;

#define HYP_COUNT_ADD(field, n) \
	((void)__atomic_add_fetch(&hyp_counters.field, (n), __ATOMIC_RELAXED))
#define HYP_COUNT_SUB(field, n) \
	((void)__atomic_sub_fetch(&hyp_counters.field, (n), __ATOMIC_RELAXED))
#define HYP_COUNT_READ(field) \
	__atomic_load_n(&hyp_counters.field, __ATOMIC_RELAXED)

/*
 * The wrap: give the calling thread's rump CPU context back before a call
 * that may block on the host, and take it again afterwards.  The lock
 * count handed back by the kernel is kept in a local and returned as is.
 * `interlock` is the hypervisor lock the blocking wait is on, when there is
 * one (a condvar's mutex); NULL otherwise.
 */
#define HYP_UNSCHED(nlocksp, interlock) \
	hyp_up.hyp_backend_unschedule(0, (nlocksp), (interlock))
#define HYP_SCHED(nlocks, interlock) \
	hyp_up.hyp_backend_schedule((nlocks), (interlock))

#define HYP_WRAP(expr)							\
	do {								\
		int hyp_wrap_nlocks_;					\
		HYP_UNSCHED(&hyp_wrap_nlocks_, NULL);			\
		expr;							\
		HYP_SCHED(hyp_wrap_nlocks_, NULL);			\
	} while (0)

/*
 * A pthread call that cannot fail unless the hypervisor itself is broken
 * (unlocking a mutex we hold, destroying an idle condvar): check it, and
 * on failure report what failed and abort (init.c).
 */
void hyp_pth_fail(int rv, const char *what, const char *file, int line)
    __attribute__((__noreturn__));
#define HYP_PTH(call)							\
	do {								\
		int hyp_pth_rv_ = (call);				\
		if (hyp_pth_rv_ != 0)					\
			hyp_pth_fail(hyp_pth_rv_, #call, __FILE__,	\
			    __LINE__);					\
	} while (0)

/* thread.c: called on every exit path of a thread we created. */
void hyp_thread_finish(void);

/* misc.c: flush the calling thread's pending console line. */
void hyp_console_flush(void);

/* vif.c: process totals of the virtual interfaces (rumphyp_vif_stats). */
enum hyp_vif_stat {
	HYP_VIF_SENT, HYP_VIF_RECEIVED, HYP_VIF_LOST, HYP_VIF_DUPLICATED,
	HYP_VIF_REORDERED, HYP_VIF_FULL, HYP_VIF_SEND_ERRORS, HYP_VIF_NSTATS
};
void hyp_vif_count(enum hyp_vif_stat s, long n);

/* file.c: stop the bio worker pool (joins every worker). */
void hyp_bio_shutdown(void);

#endif /* _RUMP_POSIX_HYP_H_ */
