/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_clean.c: shut a userspace rump kernel down and check that it left
 * nothing behind, and run a suite's table of cases that way (see
 * host_clean.h).  Linked into the hosted test programs from
 * libhosttest.a.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_clean.h"
#include "ktest_host.h"

int
host_check_clean(char *msg, size_t msglen)
{
	struct timespec ts = { 0, 1000000 };
	struct rumphyp_stats st;
	unsigned long leaks;
	int i;

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
		    st.bio_inflight == 0 && st.live_vifs == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	snprintf(msg, msglen, "hypervisor leak after shutdown: allocs %ld "
	    "bytes %ld threads %ld locks %ld mappings %ld files %ld bio %ld "
	    "vifs %ld", st.live_allocs, st.live_bytes, st.live_threads,
	    st.live_locks, st.live_mappings, st.open_files, st.bio_inflight,
	    st.live_vifs);
	return -1;
}

int
host_shutdown_clean(char *msg, size_t msglen)
{
	int rv;

	rv = rump_shutdown();
	rumphyp_fini();
	if (rv != 0) {
		snprintf(msg, msglen, "rump_shutdown: error %d", rv);
		return -1;
	}
	return host_check_clean(msg, msglen);
}

/* One case; 0 when it passed, else -1 with the reason in msg. */
static int
host_run_case(const struct host_case *hc, volatile int *failed,
    char *msg, size_t msglen)
{
	char scratch[256];
	int rv;

	*failed = 0;
	msg[0] = '\0';
	rv = rump_init();
	if (rv != 0) {
		snprintf(msg, msglen, "rump_init: error %d", rv);
		return -1;
	}
	hc->fn();
	if (*failed) {
		/* the case's own failure is the report; still shut down */
		(void)host_shutdown_clean(scratch, sizeof(scratch));
		return -1;
	}
	return host_shutdown_clean(msg, msglen);
}

int
host_run_cases(const char *suite, const struct host_case *cases,
    size_t ncases, volatile int *failed, char *msg, size_t msglen,
    int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int nfail = 0, nrun = 0;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ncases; i++) {
		if (filter != NULL && strcmp(filter, cases[i].name) != 0)
			continue;
		nrun++;
		if (host_run_case(&cases[i], failed, msg, msglen) == 0) {
			printf("PASS: %s.%s\n", suite, cases[i].name);
		} else {
			printf("FAIL: %s.%s: %s\n", suite, cases[i].name, msg);
			nfail++;
		}
	}
	if (nrun == 0) {
		printf("FAIL: %s.filter: no case named %s\n", suite, filter);
		return 1;
	}
	return nfail != 0;
}
