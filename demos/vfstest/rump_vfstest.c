// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_vfstest.c: the Linux module that runs the core VFS test cases of
 * vfstest.c inside the qemu guest.
 *
 * Loaded after rump.ko by tests/guest/vfs.sh.  On insmod it runs every
 * case (tmpfs on /mnt, kernfs on /kern) and prints one kernel log line per
 * case, "rump_vfstest: PASS: guest.vfs.<case>" or
 * "rump_vfstest: FAIL: guest.vfs.<case>: <reason>", then
 * "rump_vfstest: done: N failed".  The guest script relays the result
 * lines.  If any case failed the module refuses to load (-EIO); either way
 * the cases leave nothing mounted or open in the rump kernel.
 * make demo loads it too (demos/demo-guest.sh loads every demo module).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <rump/rump.h>

/* The shared cases: included, not linked (see its top comment). */
#include "vfstest.c"

static void rump_vfstest_printf(const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("rump_vfstest: %pV\n", &vaf);
	va_end(ap);
}

static void *rump_vfstest_alloc(rump_size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void rump_vfstest_free(void *p)
{
	kvfree(p);
}

static const struct vfstest_env rump_vfstest_env = {
	.ve_printf = rump_vfstest_printf,
	.ve_alloc = rump_vfstest_alloc,
	.ve_free = rump_vfstest_free,
	.ve_prefix = "guest.vfs",
};

static int __init rump_vfstest_init(void)
{
	int failed = vfstest_run(&rump_vfstest_env);

	pr_info("rump_vfstest: done: %d failed\n", failed);
	return failed == 0 ? 0 : -EIO;
}

static void __exit rump_vfstest_exit(void)
{
	pr_info("rump_vfstest: unloaded\n");
}

module_init(rump_vfstest_init);
module_exit(rump_vfstest_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
MODULE_DESCRIPTION("VFS test cases run inside the rump kernel in rump.ko");
