// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_hello.c: the smallest client of rump.ko.
 *
 * On insmod it proves, through the public rump API only, that the rump
 * kernel inside rump.ko works for another module:
 *   1. it creates a rump process context for the insmod thread and reads
 *      back its pid and parent pid with system calls;
 *   2. it runs a function on a kernel thread inside the rump kernel, which
 *      sleeps there and records what it saw, and joins that thread;
 *   3. it sleeps on a rump kernel callout (nanosleep) and measures the
 *      sleep with the rump kernel's monotonic clock;
 *   4. it releases its process context.
 * It prints one summary line beginning "rump_hello: ok" on success, or
 * "rump_hello: failed" with the step and error, and then refuses to load
 * (the insmod fails with that error, nothing stays behind).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <rump/rump.h>

#define HELLO_SLEEP_NS		(20 * 1000 * 1000)	/* on a callout */
#define HELLO_THREAD_SLEEP_NS	(5 * 1000 * 1000)	/* inside the kthread */

struct hello_thread_ctx {
	int	htc_pid;	/* getpid() as seen from the rump kthread */
	int	htc_error;	/* errno of a failed step, else 0 */
	bool	htc_ran;
};

static int hello_now_ns(long long *nsp)
{
	struct rump_timespec ts;

	if (rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &ts) == -1)
		return rump_errno();
	*nsp = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	return 0;
}

static int hello_sleep_ns(long ns)
{
	struct rump_timespec req = { .tv_sec = 0, .tv_nsec = ns };

	if (rump_sys_nanosleep(&req, NULL) == -1)
		return rump_errno();
	return 0;
}

/* Runs on a rump kernel thread, holding a rump CPU. */
static void hello_thread(void *arg)
{
	struct hello_thread_ctx *htc = arg;

	htc->htc_pid = rump_sys_getpid();
	htc->htc_error = hello_sleep_ns(HELLO_THREAD_SLEEP_NS);
	htc->htc_ran = true;
}

static int hello_run(void)
{
	struct hello_thread_ctx htc = { 0 };
	struct lwp *l;
	long long t0, t1;
	int pid, ppid, error;
	const char *step;

	step = "rfork";
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error)
		goto out;

	step = "getpid";
	pid = rump_sys_getpid();
	ppid = rump_sys_getppid();
	if (pid <= 0 || ppid < 0) {
		error = rump_errno();
		if (error == 0)
			error = RUMP_EINVAL;	/* a call "succeeded" with junk */
		goto out_release;
	}

	step = "kthread_create";
	error = rump_pub_kthread_create(hello_thread, &htc, "hello", &l);
	if (error)
		goto out_release;
	step = "kthread_join";
	error = rump_pub_kthread_join(l);
	if (error)
		goto out_release;
	step = "kthread";
	if (!htc.htc_ran || htc.htc_error) {
		error = htc.htc_error ? htc.htc_error : RUMP_EINVAL;
		goto out_release;
	}

	step = "clock";
	error = hello_now_ns(&t0);
	if (error)
		goto out_release;
	step = "nanosleep";
	error = hello_sleep_ns(HELLO_SLEEP_NS);
	if (error)
		goto out_release;
	step = "clock";
	error = hello_now_ns(&t1);
	if (error)
		goto out_release;
	step = "sleep too short";
	if (t1 - t0 < HELLO_SLEEP_NS) {
		error = RUMP_EINVAL;
		goto out_release;
	}

	rump_pub_lwproc_releaselwp();
	pr_info("rump_hello: ok: process pid %d (parent %d), kthread ran in pid %d, slept %lld us on a callout (asked %d us)\n",
	    pid, ppid, htc.htc_pid, (t1 - t0) / 1000, HELLO_SLEEP_NS / 1000);
	return 0;

out_release:
	rump_pub_lwproc_releaselwp();
out:
	pr_err("rump_hello: failed at %s: rump errno %d\n", step, error);
	return error;
}

static int __init rump_hello_init(void)
{
	int error = hello_run();

	/* rump errno values are NetBSD's; report a plain Linux error. */
	switch (error) {
	case 0:
		return 0;
	case RUMP_ENOMEM:
		return -ENOMEM;
	case RUMP_ENXIO:
		return -ENXIO;
	default:
		return -EIO;
	}
}

static void __exit rump_hello_exit(void)
{
	pr_info("rump_hello: unloaded\n");
}

module_init(rump_hello_init);
module_exit(rump_hello_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
MODULE_DESCRIPTION("Minimal client of the rump kernel API in rump.ko");
