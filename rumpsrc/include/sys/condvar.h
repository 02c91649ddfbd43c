/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/condvar.h: condition variables (kern/kern_sync.c), on hypervisor
 * condvars.  Waits release the rump CPU; wake-ups may be spurious, so
 * callers loop on their condition.  Timeouts are in ticks (hz per second);
 * cv_timedwait returns EWOULDBLOCK when the time ran out, 0 otherwise.
 * The _ns variants take nanoseconds.  A wait in a kernel that has been
 * stopped (panicked) does not return to the caller.
 */
#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/types.h>

struct rumpuser_cv;
struct kmutex;

typedef struct kcondvar {
	struct rumpuser_cv	*cv_hyp;
	const char		*cv_wmesg;
} kcondvar_t;

void	cv_init(kcondvar_t *cv, const char *wmesg);
void	cv_destroy(kcondvar_t *cv);
void	cv_wait(kcondvar_t *cv, struct kmutex *mtx);
int	cv_timedwait(kcondvar_t *cv, struct kmutex *mtx, int ticks);
int	cv_timedwait_ns(kcondvar_t *cv, struct kmutex *mtx, uint64_t ns);
void	cv_signal(kcondvar_t *cv);
void	cv_broadcast(kcondvar_t *cv);
bool	cv_has_waiters(kcondvar_t *cv);

/*
 * kpause: sleep for the given number of ticks (at least one tick when
 * ticks > 0).  mtx, when not NULL, is released across the sleep.
 * Returns EWOULDBLOCK after the full sleep.
 */
int	kpause(const char *wmesg, bool intr, int ticks, struct kmutex *mtx);
/* Sleep at least ns nanoseconds (monotonic). */
void	kpause_ns(uint64_t ns);

#endif /* _SYS_CONDVAR_H_ */
