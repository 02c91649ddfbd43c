/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_exit.c: rumpuser_exit() and the STOPPED state.
 *
 * Inside Linux a rump kernel panic must never become a host panic.  When
 * the rump kernel calls rumpuser_exit() (RUMPUSER_PANIC or a plain exit
 * value) the hypervisor logs it once and enters STOPPED:
 *  - every thread we created that waits in, or later enters, one of our
 *    wait loops or clock sleeps, or comes back from a blocking host call
 *    (hyp_sched), ends there (hyp_thread_end);
 *  - a foreign host thread in a wrapped wait returns from the wait
 *    (without the lock) and is handed to hyp_backend_schedule, where the
 *    rump kernel unwinds it to its API gate;
 *  - a foreign thread that cannot be unwound from here (nowrap wait, or
 *    the caller of rumpuser_exit itself) is parked for good; parking pins
 *    the module, because the parked thread sleeps in module text;
 *  - calls that can fail return ENXIO; the bio worker stops calling into
 *    the kernel.
 * The module glue also enters STOPPED when rump_shutdown() fails.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/printk.h>

#include "hyp.h"

atomic_t hyp_stopped_flag = ATOMIC_INIT(0);
DECLARE_WAIT_QUEUE_HEAD(hyp_stop_wq);

/*
 * hyp_stop: enter STOPPED (once) and wake every sleeper of ours so that
 * it notices.  Any context that may sleep; takes no rump CPU.
 */
void
hyp_stop(const char *why)
{
	if (atomic_xchg(&hyp_stopped_flag, 1) != 0)
		return;
	smp_mb__after_atomic();
	hyp_log("hypervisor stopped (%s)", why);
	hyp_thread_wake_all();
	hyp_sync_wake_all();
	hyp_bio_wake();
	hyp_vif_wake_all();
	wake_up_all(&hyp_stop_wq);
}

/*
 * hyp_stop_point: called by a wait loop that saw STOPPED, after it left
 * its wait queue.  Returns only for a foreign thread in a wrapped wait.
 */
void
hyp_stop_point(bool wrapped)
{
	if (hyp_thread_self() == NULL && wrapped)
		return;
	hyp_thread_end("a nowrap wait");
	hyp_dead_end();
}

void
rumpuser_exit(int value)
{
	if (value == RUMPUSER_PANIC) {
		if (!hyp_is_stopped())
			pr_err("rump: rump kernel panicked; stopped, host "
			    "unaffected (thread %s, pid %d)\n",
			    current->comm, task_pid_nr(current));
		hyp_console_flush();
		hyp_stop("rump kernel panic");
	} else {
		if (!hyp_is_stopped())
			hyp_log("rump kernel requested exit(%d) in thread %s; "
			    "stopped", value, current->comm);
		hyp_stop("exit request");
	}

	hyp_thread_end("rumpuser_exit");
	hyp_dead_end();
}
