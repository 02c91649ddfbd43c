/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_bench.c: benchmarks of the rump kernel core on the POSIX hypervisor.
 *
 * Run by `make bench` (scripts/bench.sh).  Prints one line per figure:
 *   bench: <name> <value> <unit> [(peer <value> <unit>, ratio <x>)]
 * - rump_init: median over 20 boot/shutdown cycles of the time rump_init
 *   takes (shutdown not timed);
 * - null_syscall: rump_sys_getpid from a thread with a bound lwp (after
 *   rump_pub_lwproc_rfork), ns per call, median of 5 runs, beside the
 *   host's own syscall(SYS_getpid) measured in the same run;
 * - kmem_alloc_free_<size>: one kmem_alloc + kmem_free pair inside the
 *   kernel (ktest_bench_kmem), ns, median of 5 runs, beside the host's
 *   malloc + free of the same size.
 * Exit status non-zero if the kernel could not be booted or a call failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "bench_fs.h"
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "../kern/ktest_host.h"

#define HB_INIT_RUNS	20
#define HB_RUNS		5
#define HB_CALLS	200000
#define HB_KMEM_ITERS	1000000

static void
hb_report(const char *name, double value, const char *unit, double peer,
    const char *peerunit)
{
	if (peer > 0)
		printf("bench: %s %.1f %s (peer %.1f %s, ratio %.2f)\n", name,
		    value, unit, peer, peerunit, value / peer);
	else
		printf("bench: %s %.1f %s\n", name, value, unit);
}

static int
hb_init_time(void)
{
	uint64_t t[HB_INIT_RUNS], t0;
	int rv;

	for (int i = 0; i < HB_INIT_RUNS; i++) {
		t0 = hb_now();
		rv = rump_init();
		t[i] = hb_now() - t0;
		if (rv != 0) {
			fprintf(stderr, "bench: rump_init: error %d\n", rv);
			return -1;
		}
		rv = rump_shutdown();
		rumphyp_fini();
		if (rv != 0) {
			fprintf(stderr, "bench: rump_shutdown: error %d\n", rv);
			return -1;
		}
	}
	hb_report("rump_init", (double)hb_median(t, HB_INIT_RUNS) / 1000.0,
	    "us", 0, NULL);
	return 0;
}

/* Precondition: kernel running. */
static int
hb_null_syscall(void)
{
	uint64_t r[HB_RUNS], h[HB_RUNS], t0;
	volatile long sink = 0;
	int rv;

	rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv != 0) {
		fprintf(stderr, "bench: rump_pub_lwproc_rfork: error %d\n", rv);
		return -1;
	}
	for (int run = 0; run < HB_RUNS; run++) {
		t0 = hb_now();
		for (int i = 0; i < HB_CALLS; i++)
			sink += rump_sys_getpid();
		r[run] = (hb_now() - t0);
		t0 = hb_now();
		for (int i = 0; i < HB_CALLS; i++)
			sink += syscall(SYS_getpid);
		h[run] = (hb_now() - t0);
	}
	if (rump_sys_getpid() <= 0) {
		fprintf(stderr, "bench: rump_sys_getpid returned %d\n",
		    rump_sys_getpid());
		return -1;
	}
	rump_pub_lwproc_releaselwp();
	hb_report("null_syscall", (double)hb_median(r, HB_RUNS) / HB_CALLS,
	    "ns", (double)hb_median(h, HB_RUNS) / HB_CALLS, "ns");
	(void)sink;
	return 0;
}

static int
hb_kmem(unsigned long size)
{
	uint64_t k[HB_RUNS], h[HB_RUNS], t0;
	char name[64];
	void *volatile p;

	for (int run = 0; run < HB_RUNS; run++) {
		k[run] = ktest_bench_kmem(HB_KMEM_ITERS, size);
		if (k[run] == 0) {
			fprintf(stderr, "bench: kmem benchmark failed\n");
			return -1;
		}
		t0 = hb_now();
		for (int i = 0; i < HB_KMEM_ITERS; i++) {
			p = malloc(size);
			free(p);
		}
		h[run] = (hb_now() - t0) / HB_KMEM_ITERS;
	}
	snprintf(name, sizeof(name), "kmem_alloc_free_%lu", size);
	hb_report(name, (double)hb_median(k, HB_RUNS), "ns",
	    (double)hb_median(h, HB_RUNS), "ns");
	return 0;
}

int
main(void)
{
	int rv;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (hb_init_time() != 0)
		return 1;
	rv = rump_init();
	if (rv != 0) {
		fprintf(stderr, "bench: rump_init: error %d\n", rv);
		return 1;
	}
	if (hb_null_syscall() != 0 || hb_kmem(64) != 0 || hb_kmem(1024) != 0)
		return 1;
	rv = rump_shutdown();
	rumphyp_fini();
	if (rv != 0) {
		fprintf(stderr, "bench: rump_shutdown: error %d\n", rv);
		return 1;
	}
	return 0;
}
