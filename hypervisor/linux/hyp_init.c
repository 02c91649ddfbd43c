/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_init.c: start and end of the Linux kernel hypervisor.
 *
 * rumpuser_init() is the rump kernel's first hypercall (from rump_init(),
 * in the thread that runs module_init).  It checks the interface version
 * and keeps a copy of the upcall table.  hyp_fini() is called by the module
 * glue after rump_shutdown() (or after rump_init() failed): it ends every
 * thread we created, closes files and taps, frees what the rump kernel left behind
 * and writes the one-line leak report the tests read.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/cpumask.h>

#include "hyp.h"

struct rumpuser_hyperup hyp_up;
struct hyp_params hyp_cfg = {
	.hp_ncpu = 0,
	.hp_hostname = "rump-linux",
	.hp_verbose = false,
};
char hyp_cfg_hostname[HYP_HOSTNAME_MAX + 1] = "rump-linux";

static bool hyp_initialized;

/*
 * hyp_set_params: take the module parameters.  Called by the glue before
 * rump_init(); the strings are copied, so the caller's may go away.
 */
void
hyp_set_params(const struct hyp_params *p)
{
	hyp_cfg = *p;
	strscpy(hyp_cfg_hostname, p->hp_hostname ? p->hp_hostname : "",
	    sizeof(hyp_cfg_hostname));
	hyp_cfg.hp_hostname = hyp_cfg_hostname;
	if (hyp_cfg.hp_ncpu < 0 || hyp_cfg.hp_ncpu > HYP_NCPU_MAX)
		hyp_cfg.hp_ncpu = 0;
}

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{
	int err;

	if (version != RUMPUSER_VERSION) {
		hyp_warn("rump kernel wants hypercall interface version %d, "
		    "this hypervisor implements %d", version, RUMPUSER_VERSION);
		return RUMP_EINVAL;
	}
	if (hyp == NULL)
		return RUMP_EINVAL;
	if (hyp_initialized) {
		hyp_warn("rumpuser_init called twice");
		return RUMP_EBUSY;
	}

	err = hyp_mem_init();
	if (err)
		return err;

	hyp_up = *hyp;
	atomic_set(&hyp_stopped_flag, 0);
	hyp_initialized = true;
	hyp_dbg("hypervisor up: interface v%d, %d cpus, hostname \"%s\"",
	    version, hyp_cfg.hp_ncpu ? hyp_cfg.hp_ncpu : num_online_cpus(),
	    hyp_cfg.hp_hostname);
	return 0;
}

/*
 * hyp_fini: tear the hypervisor down.  Process context, no rump CPU held,
 * the rump kernel shut down or stopped.  Threads go first (they may still
 * use files, locks and memory), then the bio worker's files, bindings,
 * locks and finally memory.
 */
void
hyp_fini(void)
{
	unsigned long nalloc, nbytes, nreclaimed = 0, breclaimed = 0;
	bool stopped = hyp_is_stopped();
	int nthreads;

	hyp_bio_fini();

	nthreads = hyp_thread_live();
	if (nthreads > 0 && !stopped) {
		hyp_warn("%d rump kernel threads still running at unload; "
		    "stopping them", nthreads);
		hyp_stop("unload with live threads");
	}
	hyp_thread_fini();
	hyp_vif_fini();
	hyp_file_fini();
	hyp_task_fini();
	hyp_sync_fini();
	hyp_console_flush();

	hyp_mem_counts(&nalloc, &nbytes);
	if (hyp_initialized)
		hyp_mem_fini(&nreclaimed, &breclaimed);

	if (stopped) {
		/* A dead kernel cannot free: what it held is reclaimed. */
		hyp_log("reclaimed %lu allocations (%lu bytes) from stopped "
		    "rump kernel", nreclaimed, breclaimed);
		nalloc -= nreclaimed;
		nbytes -= breclaimed;
		nthreads = hyp_thread_live();
	} else if (nreclaimed) {
		hyp_warn("freed %lu leaked allocations (%lu bytes)",
		    nreclaimed, breclaimed);
	}
	if (hyp_nparked())
		hyp_warn("%d foreign threads stay parked in the stopped rump "
		    "kernel", hyp_nparked());
	hyp_log("leak report: %lu allocations (%lu bytes), %d threads live",
	    nalloc, nbytes, nthreads);

	hyp_initialized = false;
	atomic_set(&hyp_stopped_flag, 0);
}
