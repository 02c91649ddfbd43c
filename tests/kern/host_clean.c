/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_clean.c: shut a userspace rump kernel down and check that it left
 * nothing behind (see host_clean.h).  Linked into the hosted test
 * programs from libhosttest.a.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_clean.h"
#include "ktest_host.h"

int
host_shutdown_clean(char *msg, size_t msglen)
{
	struct timespec ts = { 0, 1000000 };
	struct rumphyp_stats st;
	unsigned long leaks;
	int rv, i;

	rv = rump_shutdown();
	rumphyp_fini();
	if (rv != 0) {
		snprintf(msg, msglen, "rump_shutdown: error %d", rv);
		return -1;
	}
	leaks = ktest_kmem_last_leaks();
	if (leaks != 0) {
		snprintf(msg, msglen, "kernel leaked %lu allocations", leaks);
		return -1;
	}
	for (i = 0; i < 1000; i++) {
		rumphyp_stats(&st);
		if (st.live_allocs == 0 && st.live_bytes == 0 &&
		    st.live_threads == 0 && st.live_locks == 0 &&
		    st.live_mappings == 0 && st.open_files == 0 &&
		    st.bio_inflight == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	snprintf(msg, msglen, "hypervisor leak after shutdown: allocs %ld "
	    "bytes %ld threads %ld locks %ld mappings %ld files %ld bio %ld",
	    st.live_allocs, st.live_bytes, st.live_threads, st.live_locks,
	    st.live_mappings, st.open_files, st.bio_inflight);
	return -1;
}
