/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * clock.c: time and sleeping.
 *
 * RUMPUSER_CLOCK_RELWALL is the host's CLOCK_REALTIME, ABSMONO its
 * CLOCK_MONOTONIC.  The rump kernel's timer and callout code calls
 * rumpuser_clock_sleep from its clock thread; the sleep is wrapped.
 */
#include <time.h>

#include "hyp.h"

int
rumpuser_clock_gettime(int clk, int64_t *sec, long *nsec)
{
	struct timespec ts;
	clockid_t id;

	switch (clk) {
	case RUMPUSER_CLOCK_RELWALL:
		id = CLOCK_REALTIME;
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		id = CLOCK_MONOTONIC;
		break;
	default:
		return RUMP_EINVAL;
	}
	if (clock_gettime(id, &ts) != 0)
		return hyp_errno_to_rump(errno);
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

/* Sleep for a relative interval, restarting with what is left on EINTR. */
static int
hyp_sleep_relative(struct timespec ts)
{
	struct timespec left;

	while (nanosleep(&ts, &left) != 0) {
		if (errno != EINTR)
			return errno;
		ts = left;
	}
	return 0;
}

/* Sleep until CLOCK_MONOTONIC reaches ts, restarting on EINTR. */
static int
hyp_sleep_absolute(const struct timespec *ts)
{
	int rv;

	do {
		rv = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ts, NULL);
	} while (rv == EINTR);
	return rv;
}

/*
 * RELWALL: sleep at least sec/nsec.  ABSMONO: sleep until the monotonic
 * clock reads sec/nsec (at once if that has passed).  Called with a CPU
 * context held; wrapped.
 */
int
rumpuser_clock_sleep(int clk, int64_t sec, long nsec)
{
	struct timespec ts;
	int rv;

	if (nsec < 0 || nsec >= 1000000000)
		return RUMP_EINVAL;
	if (clk != RUMPUSER_CLOCK_RELWALL && clk != RUMPUSER_CLOCK_ABSMONO)
		return RUMP_EINVAL;
	/* A relative sleep of negative length is over before it starts. */
	if (sec < 0 && clk == RUMPUSER_CLOCK_RELWALL)
		return 0;
	if (sec < 0)
		sec = 0;
	ts.tv_sec = (time_t)sec;
	ts.tv_nsec = nsec;

	if (clk == RUMPUSER_CLOCK_RELWALL)
		HYP_WRAP(rv = hyp_sleep_relative(ts));
	else
		HYP_WRAP(rv = hyp_sleep_absolute(&ts));
	return hyp_errno_to_rump(rv);
}
