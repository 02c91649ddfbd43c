/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/kernel.h: kernel-wide time keeping and identity (kern/kern_time.c).
 *
 * Time comes from the hypervisor clocks: uptime from the monotonic clock
 * relative to boot, wall time from the host's real-time clock.  hz is the
 * tick rate used for timeouts expressed in ticks (callouts, cv_timedwait);
 * callouts are not driven by a periodic tick but by the next deadline, so
 * a tick is only a unit.
 */
#ifndef _SYS_KERNEL_H_
#define _SYS_KERNEL_H_

#include <sys/types.h>

#define HZ		1000
extern int hz;

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL

uint64_t getuptime_ns(void);		/* monotonic ns since boot */
void	nanouptime(struct timespec *ts);
void	nanotime(struct timespec *ts);	/* wall clock */
time_t	time_uptime_sec(void);
time_t	time_second_now(void);
extern struct timespec boottime;	/* wall clock at bootstrap */

static inline uint64_t
ticks_to_ns(int ticks)
{
	return ticks <= 0 ? 0 : (uint64_t)ticks * (NSEC_PER_SEC / HZ);
}

static inline int
ns_to_ticks(uint64_t ns)
{
	uint64_t t = (ns + NSEC_PER_SEC / HZ - 1) / (NSEC_PER_SEC / HZ);
	return t > 0x7fffffff ? 0x7fffffff : (int)t;
}

#define mstohz(ms)	ns_to_ticks((uint64_t)(ms) * NSEC_PER_MSEC)
#define hztoms(t)	((t) * 1000 / HZ)

#define MAXHOSTNAMELEN	256
extern char hostname[MAXHOSTNAMELEN];
extern const char ostype[];
extern const char osrelease[];
extern const char version[];

int	time_init(void);

#endif /* _SYS_KERNEL_H_ */
