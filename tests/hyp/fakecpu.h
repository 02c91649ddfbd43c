/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fakecpu.h: a stand-in for the rump kernel's scheduler, for tests/hyp.
 *
 * The hypervisor tests run the POSIX hypervisor without a rump kernel.
 * fakecpu.c supplies the upcall table: a pool of "CPU tokens" (a counting
 * semaphore) that hyp_schedule/hyp_backend_schedule take and the unschedule
 * upcalls give back, with per-thread bookkeeping that records a violation
 * whenever the hypervisor breaks the rules: unscheduling without a CPU,
 * scheduling twice, or retaking a condvar's mutex and the CPU in the wrong
 * order for the mutex's kind.
 */
#ifndef _TESTS_HYP_FAKECPU_H_
#define _TESTS_HYP_FAKECPU_H_

#include <stdint.h>
#include <sys/types.h>

#include <rump/rumpuser.h>

#define FAKECPU_NCPU	4

extern const struct rumpuser_hyperup fakecpu_upcalls;

/* Take / give a CPU token for the calling thread (blocks for one). */
void fakecpu_take(void);
void fakecpu_give(void);
int fakecpu_held(void);

/* The calling thread's fake giant-lock count, handed through the wraps. */
void fakecpu_set_giant(int n);
int fakecpu_giant(void);

/* rumpuser_mutex_init plus registration of its flags for the checks. */
void fakecpu_mutex_init(struct rumpuser_mtx **mtxp, int flags);
void fakecpu_mutex_destroy(struct rumpuser_mtx *mtx);

/* Counters: totals, and the calling thread's own unschedules. */
long fakecpu_unschedules(void);
long fakecpu_schedules(void);
long fakecpu_thread_unschedules(void);
long fakecpu_violations(void);
const char *fakecpu_last_violation(void);

#endif /* _TESTS_HYP_FAKECPU_H_ */
