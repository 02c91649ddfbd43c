// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_demoffs.c: the Linux module wrapper of the FFS demo.
 *
 * On insmod (after rump.ko) it runs demoffs_run() from demoffs.c -- the
 * same source the userspace twin tests/kern/host_demoffs.c includes --
 * on the host disk named by the module parameter `dev` (default /dev/vda:
 * the first virtio disk of the qemu guest, an image made by
 * scripts/mkffsimage.sh).  The demo mounts it in the rump kernel, lists and
 * reads it, tries the write step, and prints each line to the kernel log
 * prefixed "rump_demoffs: ", ending with "rump_demoffs: ok ..." or
 * "rump_demoffs: failed at ...".  On failure the module refuses to load.
 * Loaded by tests/guest/ffs.sh and demos/demo-guest.sh.  The demo leaves
 * nothing behind in the rump kernel, so rmmod has nothing to undo.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <rump/rump.h>

/* The shared demo logic: included, not linked (see its top comment). */
#include "demoffs.c"

static char *dev = "/dev/vda";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "host path of the FFS disk or image (default /dev/vda)");

static void rump_demoffs_printf(const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("rump_demoffs: %pV\n", &vaf);
	va_end(ap);
}

static void *rump_demoffs_alloc(rump_size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void rump_demoffs_free(void *p)
{
	kvfree(p);
}

static int __init rump_demoffs_init(void)
{
	struct demoffs_env env = {
		.de_printf = rump_demoffs_printf,
		.de_alloc = rump_demoffs_alloc,
		.de_free = rump_demoffs_free,
		.de_device = dev,
	};
	struct demoffs_result res;
	int error = demoffs_run(&env, &res);

	/* rump errno values are NetBSD's; report a plain Linux error. */
	switch (error) {
	case 0:
		return 0;
	case RUMP_ENOMEM:
		return -ENOMEM;
	case RUMP_ENXIO:
		return -ENXIO;
	case RUMP_ENOENT:
		return -ENOENT;
	default:
		return -EIO;
	}
}

static void __exit rump_demoffs_exit(void)
{
	pr_info("rump_demoffs: unloaded\n");
}

module_init(rump_demoffs_init);
module_exit(rump_demoffs_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
MODULE_DESCRIPTION("FFS demo on the rump kernel in rump.ko: a host disk mounted, listed, read (and written when FFS can)");
