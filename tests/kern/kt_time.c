/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_time.c: kernel-side tests of time keeping (kern/kern_time.c): the
 * uptime clock is monotonic and advances across sleeps, wall time agrees
 * with boottime plus uptime, and the tick conversions of sys/kernel.h.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kernel.h>

#include "ktest.h"

KTEST(time, time_uptime_is_monotonic)
{
	uint64_t prev = getuptime_ns(), now;

	for (int i = 0; i < 10000; i++) {
		now = getuptime_ns();
		if (now < prev) {
			KT_CHECK_MSG(now >= prev, "uptime went back %llu ns",
			    (unsigned long long)(prev - now));
			return;
		}
		prev = now;
	}
}

KTEST(time, time_uptime_advances_across_sleep)
{
	struct timespec a, b;
	uint64_t t0 = getuptime_ns(), t1;

	nanouptime(&a);
	(void)kpause("kttime", false, mstohz(20), NULL);
	t1 = getuptime_ns();
	nanouptime(&b);
	KT_CHECK(t1 - t0 >= 20 * NSEC_PER_MSEC);
	KT_CHECK(t1 - t0 < 5 * NSEC_PER_SEC);
	KT_CHECK(b.tv_sec > a.tv_sec ||
	    (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
	KT_CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
	KT_CHECK(time_uptime_sec() == (time_t)(getuptime_ns() / NSEC_PER_SEC));
}

/* Wall time = boottime + uptime, give or take host clock steps. */
KTEST(time, time_wall_clock_agrees_with_boottime)
{
	struct timespec now;
	int64_t wall, boot, up, diff;

	nanotime(&now);
	wall = now.tv_sec * 1000000000LL + now.tv_nsec;
	boot = boottime.tv_sec * 1000000000LL + boottime.tv_nsec;
	up = (int64_t)getuptime_ns();
	diff = wall - boot - up;
	KT_CHECK(boottime.tv_sec > 1600000000);	/* after 2020 */
	KT_CHECK_MSG(diff > -1000000000LL && diff < 1000000000LL,
	    "wall - boottime - uptime = %lld ns", (long long)diff);
	diff = time_second_now() - now.tv_sec;
	KT_CHECK(diff >= 0 && diff <= 1);
}

KTEST(time, time_tick_conversions)
{
	KT_CHECK_EQ(hz, 1000);
	KT_CHECK_EQ(ticks_to_ns(1), 1000000);
	KT_CHECK_EQ(ticks_to_ns(0), 0);
	KT_CHECK_EQ(ticks_to_ns(-5), 0);
	KT_CHECK_EQ(ns_to_ticks(1), 1);
	KT_CHECK_EQ(ns_to_ticks(1000000), 1);
	KT_CHECK_EQ(ns_to_ticks(1000001), 2);
	KT_CHECK_EQ(mstohz(1500), 1500);
	KT_CHECK_EQ(hztoms(250), 250);
	KT_CHECK_EQ(ns_to_ticks(~0ULL / 2), 0x7fffffff);
}
