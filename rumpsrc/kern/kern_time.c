/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_time.c: the rump kernel's clocks and identity strings.
 *
 * Uptime is the hypervisor's monotonic clock (RUMPUSER_CLOCK_ABSMONO)
 * minus its reading at boot; wall time is the hypervisor's real-time clock
 * (RUMPUSER_CLOCK_RELWALL), read on demand so that host clock adjustments
 * show through.  boottime is the wall clock at time_init().  hz is the
 * tick unit of timeouts (HZ, 1000); no periodic tick exists.
 *
 * time_init() is called by rump_init() (kern/init_main.c) before any
 * timeout can be armed; everyone else calls the readers, which hold no
 * lock and may be called from any context, with or without a CPU.
 */
#include <sys/systm.h>
#include <sys/kernel.h>
#include <rump/rumpuser.h>

int hz = HZ;
struct timespec boottime;
char hostname[MAXHOSTNAMELEN];
const char ostype[] = "NetBSD";
const char osrelease[] = "10.0";
const char version[] = "linux-rump rump kernel (NetBSD-compatible ABI)";

static uint64_t time_boot_mono_ns;

static int
time_read(int clk, uint64_t *nsp)
{
	int64_t sec;
	long nsec;
	int error;

	error = rumpuser_clock_gettime(clk, &sec, &nsec);
	if (error != 0)
		return error;
	if (sec < 0)
		sec = 0;
	*nsp = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
	return 0;
}

/* A clock that stops working after boot leaves the kernel no sane way on. */
static uint64_t
time_read_or_panic(int clk)
{
	uint64_t ns;
	int error;

	error = time_read(clk, &ns);
	if (error != 0)
		panic("time: hypervisor clock %d failed: error %d", clk, error);
	return ns;
}

/* Boot: fix the uptime origin and boottime.  Returns 0 or an errno. */
int
time_init(void)
{
	uint64_t wall;
	int error;

	hz = HZ;
	error = time_read(RUMPUSER_CLOCK_ABSMONO, &time_boot_mono_ns);
	if (error != 0)
		return error;
	error = time_read(RUMPUSER_CLOCK_RELWALL, &wall);
	if (error != 0)
		return error;
	boottime.tv_sec = (time_t)(wall / NSEC_PER_SEC);
	boottime.tv_nsec = (long)(wall % NSEC_PER_SEC);
	return 0;
}

uint64_t
getuptime_ns(void)
{
	uint64_t now = time_read_or_panic(RUMPUSER_CLOCK_ABSMONO);

	return now > time_boot_mono_ns ? now - time_boot_mono_ns : 0;
}

void
nanouptime(struct timespec *ts)
{
	uint64_t ns = getuptime_ns();

	ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

void
nanotime(struct timespec *ts)
{
	uint64_t ns = time_read_or_panic(RUMPUSER_CLOCK_RELWALL);

	ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

time_t
time_uptime_sec(void)
{
	return (time_t)(getuptime_ns() / NSEC_PER_SEC);
}

time_t
time_second_now(void)
{
	return (time_t)(time_read_or_panic(RUMPUSER_CLOCK_RELWALL) /
	    NSEC_PER_SEC);
}
