/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_clock.c: rumpuser_clock_gettime and rumpuser_clock_sleep.
 *
 * RUMPUSER_CLOCK_RELWALL is the host's wall clock (ktime_get_real_ts64),
 * RUMPUSER_CLOCK_ABSMONO its monotonic clock (ktime_get_ts64, the clock
 * hrtimers use as CLOCK_MONOTONIC).  Sleeping is an absolute hrtimer sleep
 * on CLOCK_MONOTONIC, repeated after early wake-ups, so a sleep is never
 * short and deadlines do not drift.  A RELWALL sleep is a relative
 * interval measured on the monotonic clock (wall clock steps do not
 * stretch or cut it).  The sleeper sits on hyp_stop_wq so that entering
 * STOPPED wakes foreign sleepers too.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "hyp.h"

int
rumpuser_clock_gettime(int clk, int64_t *sec, long *nsec)
{
	struct timespec64 ts;

	switch (clk) {
	case RUMPUSER_CLOCK_RELWALL:
		ktime_get_real_ts64(&ts);
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		ktime_get_ts64(&ts);
		break;
	default:
		return RUMP_EINVAL;
	}
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

/*
 * hyp_sleep_until: sleep until CLOCK_MONOTONIC reaches deadline.  Returns
 * false if STOPPED (after hyp_stop_point, so only to a foreign thread).
 */
static bool
hyp_sleep_until(ktime_t deadline)
{
	DEFINE_WAIT(w);
	bool stopped = false;

	for (;;) {
		prepare_to_wait(&hyp_stop_wq, &w, TASK_IDLE);
		if (hyp_is_stopped()) {
			stopped = true;
			break;
		}
		if (ktime_compare(ktime_get(), deadline) >= 0)
			break;
		schedule_hrtimeout_range(&deadline, 0, HRTIMER_MODE_ABS);
	}
	finish_wait(&hyp_stop_wq, &w);
	if (stopped)
		hyp_stop_point(true);
	return !stopped;
}

int
rumpuser_clock_sleep(int clk, int64_t sec, long nsec)
{
	ktime_t deadline;
	int nlocks;
	bool done;

	switch (clk) {
	case RUMPUSER_CLOCK_RELWALL:
		deadline = hyp_deadline_rel(sec, nsec);
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC)
			return RUMP_EINVAL;
		deadline = sec >= KTIME_SEC_MAX ? KTIME_MAX :
		    ktime_set(sec, nsec);
		break;
	default:
		return RUMP_EINVAL;
	}
	if (hyp_is_stopped()) {
		hyp_stop_point(true);
		return RUMP_ENXIO;
	}

	hyp_unsched(&nlocks, NULL);
	done = hyp_sleep_until(deadline);
	hyp_sched(nlocks, NULL);
	return done ? 0 : RUMP_ENXIO;
}
