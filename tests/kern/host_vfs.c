/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vfs.c: the userspace VFS/tmpfs test suite's driver.
 *
 * Usage: host_vfs [case]
 *
 * Every case (host_vfs_io.c, host_vfs_ns.c, host_vfs_sys.c) runs against
 * a fresh rump kernel on the POSIX hypervisor, through the public API
 * only (rump/rump.h): rump_init, the case, rump_shutdown, rumphyp_fini,
 * then the hypervisor's live-object counters must all be zero and
 * kmem_fini must have reported no leaked allocation -- so every case is
 * also a leak check of the vnodes, files, mounts and tmpfs nodes it made.
 * One line per case: `PASS: vfs.<case>` or `FAIL: vfs.<case>: <why>`.
 * Exit status 1 if any case failed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_vfs.h"
#include "ktest_host.h"

/* After shutdown every hypervisor object must be gone (1 s to settle). */
static int
hv_check_clean(void)
{
	struct rumphyp_stats st;
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 1000; i++) {
		rumphyp_stats(&st);
		if (st.live_allocs == 0 && st.live_bytes == 0 &&
		    st.live_threads == 0 && st.live_locks == 0 &&
		    st.live_mappings == 0 && st.open_files == 0 &&
		    st.bio_inflight == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	snprintf(hv_msg, sizeof(hv_msg), "hypervisor leak after shutdown: "
	    "allocs %ld bytes %ld threads %ld locks %ld mappings %ld files "
	    "%ld", st.live_allocs, st.live_bytes, st.live_threads,
	    st.live_locks, st.live_mappings, st.open_files);
	return -1;
}

static int
hv_run(const struct hv_case *hc)
{
	unsigned long leaks;
	int rv;

	hv_failed = 0;
	hv_msg[0] = '\0';
	rv = rump_init();
	if (rv != 0) {
		snprintf(hv_msg, sizeof(hv_msg), "rump_init: error %d", rv);
		return -1;
	}
	hc->hc_fn();
	rv = rump_shutdown();
	rumphyp_fini();
	if (hv_failed)
		return -1;
	if (rv != 0) {
		snprintf(hv_msg, sizeof(hv_msg), "rump_shutdown: error %d", rv);
		return -1;
	}
	if (hv_check_clean() != 0)
		return -1;
	leaks = ktest_kmem_last_leaks();
	if (leaks != 0) {
		snprintf(hv_msg, sizeof(hv_msg), "kernel leaked %lu "
		    "allocations (see the kmem: lines above)", leaks);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct hv_case *const sets[] = {
		hv_cases_io, hv_cases_ns, hv_cases_sys,
	};
	const char *filter = argc > 1 ? argv[1] : NULL;
	const struct hv_case *hc;
	size_t i;
	int nfail = 0, nrun = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		for (hc = sets[i]; hc->hc_name != NULL; hc++) {
			if (filter != NULL && strcmp(filter, hc->hc_name) != 0)
				continue;
			nrun++;
			if (hv_run(hc) == 0) {
				printf("PASS: vfs.%s\n", hc->hc_name);
			} else {
				printf("FAIL: vfs.%s: %s\n", hc->hc_name,
				    hv_msg);
				nfail++;
			}
		}
	}
	if (nrun == 0) {
		printf("FAIL: vfs.filter: no case named %s\n", filter);
		return 1;
	}
	return nfail != 0;
}
