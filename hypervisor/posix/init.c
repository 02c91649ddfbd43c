/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * init.c: start and stop of the POSIX hypervisor.
 *
 * rumpuser_init() is the first hypercall the rump kernel makes: it checks
 * the interface version and keeps a copy of the upcall table that every
 * other file reaches through hyp_up.  rumphyp_fini() (tests, tools) undoes
 * it so a second rump kernel can boot in the same process.  The live-object
 * counters every file updates live here too, with rumphyp_stats().
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp.h"

struct rumpuser_hyperup hyp_up;
struct hyp_counters hyp_counters;

static int hyp_initialised;

static bool hyp_quiescent(void);

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{
	if (version != RUMPUSER_VERSION) {
		fprintf(stderr, "rumpuser (posix): kernel wants hypercall "
		    "interface version %d, this hypervisor implements %d\n",
		    version, RUMPUSER_VERSION);
		return RUMP_EINVAL;
	}
	if (hyp == NULL || hyp->hyp_backend_schedule == NULL ||
	    hyp->hyp_backend_unschedule == NULL ||
	    hyp->hyp_schedule == NULL || hyp->hyp_unschedule == NULL) {
		fprintf(stderr, "rumpuser (posix): incomplete upcall table\n");
		return RUMP_EINVAL;
	}
	/*
	 * One rump kernel per process at a time.  A kernel that shut down
	 * cleanly leaves no thread, lock or allocation behind: then a new
	 * one may boot without rumphyp_fini() (rump_init after rump_shutdown).
	 */
	if (__atomic_exchange_n(&hyp_initialised, 1, __ATOMIC_ACQ_REL) &&
	    !hyp_quiescent()) {
		fprintf(stderr, "rumpuser (posix): a rump kernel is still "
		    "running in this process\n");
		return RUMP_EBUSY;
	}
	memcpy(&hyp_up, hyp, sizeof(hyp_up));
	return 0;
}

/* hyp_quiescent: nothing created by a previous kernel is still live. */
static bool
hyp_quiescent(void)
{
	return HYP_COUNT_READ(hc_allocs) == 0 &&
	    HYP_COUNT_READ(hc_maps) == 0 &&
	    HYP_COUNT_READ(hc_threads) == 0 &&
	    HYP_COUNT_READ(hc_locks) == 0 &&
	    HYP_COUNT_READ(hc_bio_inflight) == 0 &&
	    HYP_COUNT_READ(hc_vifs) == 0;
}

void
rumphyp_fini(void)
{
	hyp_bio_shutdown();
	memset(&hyp_up, 0, sizeof(hyp_up));
	__atomic_store_n(&hyp_initialised, 0, __ATOMIC_RELEASE);
}

void
rumphyp_stats(struct rumphyp_stats *st)
{
	st->live_allocs = HYP_COUNT_READ(hc_allocs);
	st->live_bytes = HYP_COUNT_READ(hc_bytes);
	st->live_mappings = HYP_COUNT_READ(hc_maps);
	st->mapped_bytes = HYP_COUNT_READ(hc_map_bytes);
	st->live_threads = HYP_COUNT_READ(hc_threads);
	st->open_files = HYP_COUNT_READ(hc_files);
	st->live_locks = HYP_COUNT_READ(hc_locks);
	st->bio_inflight = HYP_COUNT_READ(hc_bio_inflight);
	st->console_errors = HYP_COUNT_READ(hc_console_errors);
	st->live_vifs = HYP_COUNT_READ(hc_vifs);
}

void
hyp_pth_fail(int rv, const char *what, const char *file, int line)
{
	fprintf(stderr, "rumpuser (posix): %s:%d: %s failed: %s\n",
	    file, line, what, strerror(rv));
	abort();
}
