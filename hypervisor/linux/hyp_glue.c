/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_glue.c: module glue of rump.ko, kept apart from the hypercalls.
 *
 * Module parameters (ncpu, hostname, verbose) are handed to the hypervisor
 * with hyp_set_params() before rump_init() runs; the hypercall files know
 * nothing of module_param.  vif= (the virtual interfaces' taps,
 * "virt0:tap:rumptap0[,...]") is checked when insmod sets it (a bad value
 * refuses the load with the reason in the kernel log) and its taps are
 * opened by module_init, in insmod's context, before rump_init().  module_init boots the rump kernel and logs how
 * long that took; module_exit shuts it down (or, when shutdown fails, as
 * after a rump kernel panic, stops the hypervisor) and then tears the
 * hypervisor down with hyp_fini(), which writes the leak report.
 *
 * panic_inject is a test-only, root-writable parameter: 1 panics the rump
 * kernel in the writing thread, 2 on a rump kernel thread.  test_console
 * (test only) prints N lines on the rump console, as a rump kernel
 * printing in a loop would, to check that the host log is rate-limited.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/ktime.h>
#include <linux/errno.h>
#include <linux/sched.h>

#include <rump/rump.h>

#include "hyp.h"

#define HYP_GLUE_CONSOLE_MAX	100000

static int ncpu;
static char hostname[HYP_HOSTNAME_MAX + 1] = "rump-linux";
static bool verbose;

static char vif[256];
static DEFINE_MUTEX(hyp_glue_lock);	/* hyp_glue_running, panic_inject */
static bool hyp_glue_running;

/* rump kernel (NetBSD) errno -> negative Linux errno for module_init. */
static int
hyp_glue_linux_errno(int rumperr)
{
	if (rumperr <= 0)
		return -EIO;
	if (rumperr <= 10 || (rumperr >= 12 && rumperr <= 34))
		return -rumperr;	/* the same numbers on both */
	switch (rumperr) {
	case 11:
		return -EDEADLK;
	case 35:
		return -EAGAIN;
	case 45:
		return -EOPNOTSUPP;
	case 55:
		return -ENOBUFS;
	case 60:
		return -ETIMEDOUT;
	case 63:
		return -ENAMETOOLONG;
	case 78:
		return -ENOSYS;
	default:
		return -EIO;
	}
}

static int
hyp_glue_set_ncpu(const char *val, const struct kernel_param *kp)
{
	int n, err;

	err = kstrtoint(val, 0, &n);
	if (err) {
		pr_err("rump: ncpu=%s is not a number\n", val);
		return err;
	}
	if (n < 0 || n > HYP_NCPU_MAX) {
		pr_err("rump: ncpu=%d out of range (0 = online CPUs, "
		    "1..%d)\n", n, HYP_NCPU_MAX);
		return -EINVAL;
	}
	*(int *)kp->arg = n;
	return 0;
}

/* vif=: parsed into hyp_vif.c's table (nothing allocated); kept for get. */
static int
hyp_glue_set_vif(const char *val, const struct kernel_param *kp)
{
	int err;

	if (strlen(val) >= sizeof(vif)) {
		pr_err("rump: vif= is longer than %zu characters\n",
		    sizeof(vif) - 1);
		return -EINVAL;
	}
	err = hyp_vif_parse(val);
	if (err)
		return err;
	strscpy(vif, val, sizeof(vif));
	return 0;
}

static int
hyp_glue_get_vif(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n", vif);
}

static const struct kernel_param_ops hyp_glue_vif_ops = {
	.set = hyp_glue_set_vif,
	.get = hyp_glue_get_vif,
};

static const struct kernel_param_ops hyp_glue_ncpu_ops = {
	.set = hyp_glue_set_ncpu,
	.get = param_get_int,
};

static int
hyp_glue_set_panic(const char *val, const struct kernel_param *kp)
{
	int mode, err;

	err = kstrtoint(val, 0, &mode);
	if (err)
		return err;
	if (mode != 1 && mode != 2) {
		pr_err("rump: panic_inject=%d: write 1 (in this thread) or 2 "
		    "(on a rump kernel thread)\n", mode);
		return -EINVAL;
	}

	mutex_lock(&hyp_glue_lock);
	if (!hyp_glue_running) {
		mutex_unlock(&hyp_glue_lock);
		pr_err("rump: panic_inject: no running rump kernel\n");
		return -ENXIO;
	}
	pr_info("rump: panic_inject=%d: panicking the rump kernel %s\n",
	    mode, mode == 1 ? "in the writing thread" : "on a kernel thread");
	err = rump_pub_test_panic(mode == 2);
	mutex_unlock(&hyp_glue_lock);
	pr_info("rump: panic_inject=%d: rump_pub_test_panic returned %d\n",
	    mode, err);
	return 0;
}

static const struct kernel_param_ops hyp_glue_panic_ops = {
	.set = hyp_glue_set_panic,
};

static int
hyp_glue_set_console(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	int err;

	err = kstrtouint(val, 0, &n);
	if (err)
		return err;
	if (n == 0 || n > HYP_GLUE_CONSOLE_MAX) {
		pr_err("rump: test_console=%u: write 1..%d\n", n,
		    HYP_GLUE_CONSOLE_MAX);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		rumpuser_dprintf("console test line %u of %u\n", i + 1, n);
		cond_resched();
	}
	return 0;
}

static const struct kernel_param_ops hyp_glue_console_ops = {
	.set = hyp_glue_set_console,
};

module_param_cb(ncpu, &hyp_glue_ncpu_ops, &ncpu, 0444);
MODULE_PARM_DESC(ncpu, "virtual CPUs of the rump kernel (0 = online CPUs, "
    "at most 64)");
module_param_string(hostname, hostname, sizeof(hostname), 0444);
MODULE_PARM_DESC(hostname, "host name of the rump kernel (at most 64 "
    "characters)");
module_param(verbose, bool, 0444);
MODULE_PARM_DESC(verbose, "verbose rump kernel boot and hypervisor log");
module_param_cb(vif, &hyp_glue_vif_ops, NULL, 0444);
MODULE_PARM_DESC(vif, "virtual interfaces: <ifname>:tap:<tapname>[,...], "
    "e.g. virt0:tap:rumptap0 (the tap is created, or a persistent one "
    "attached)");
module_param_cb(panic_inject, &hyp_glue_panic_ops, NULL, 0200);
MODULE_PARM_DESC(panic_inject, "test only: 1 = panic the rump kernel in "
    "the writing thread, 2 = on a rump kernel thread");
module_param_cb(test_console, &hyp_glue_console_ops, NULL, 0200);
MODULE_PARM_DESC(test_console, "test only: print N lines on the rump "
    "console (rate-limited in the host log)");

static int __init
hyp_glue_init(void)
{
	struct hyp_params p = {
		.hp_ncpu = ncpu,
		.hp_hostname = hostname,
		.hp_verbose = verbose,
	};
	ktime_t start;
	int err;

	hyp_set_params(&p);
	err = hyp_vif_open_all();
	if (err)
		return err;	/* it said why, and closed what it opened */
	start = ktime_get();
	err = rump_init();
	if (err) {
		pr_err("rump: rump kernel bootstrap failed: error %d\n", err);
		hyp_stop("bootstrap failed");
		hyp_fini();
		return hyp_glue_linux_errno(err);
	}
	pr_info("rump: rump kernel bootstrap complete in %lld us\n",
	    ktime_us_delta(ktime_get(), start));

	mutex_lock(&hyp_glue_lock);
	hyp_glue_running = true;
	mutex_unlock(&hyp_glue_lock);
	return 0;
}

static void __exit
hyp_glue_exit(void)
{
	int err;

	mutex_lock(&hyp_glue_lock);
	hyp_glue_running = false;
	mutex_unlock(&hyp_glue_lock);

	err = rump_shutdown();
	if (err) {
		pr_info("rump: rump kernel shutdown failed (error %d); "
		    "stopping it\n", err);
		hyp_stop("shutdown failed");
	}
	hyp_fini();
}

module_init(hyp_glue_init);
module_exit(hyp_glue_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION("rump kernel (NetBSD-derived kernel library) hosted in "
    "the Linux kernel");
MODULE_AUTHOR("linux-rump developers");
