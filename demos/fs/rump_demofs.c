// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_demofs.c: the Linux module wrapper of the file system demo.
 *
 * On insmod (after rump.ko) it runs demofs_run() from demofs.c -- the same
 * source the userspace twin tests/kern/host_demofs.c includes -- which
 * mounts kernfs and tmpfs inside the rump kernel, works on files there
 * and prints what it does to the kernel log, each line prefixed
 * "rump_demofs: ", ending with "rump_demofs: ok ..." or
 * "rump_demofs: failed at ...".  On failure the module refuses to load.
 * The demo leaves nothing behind in the rump kernel (both file systems are
 * unmounted, its process released), so rmmod has nothing to undo.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <rump/rump.h>

/* The shared demo logic: included, not linked (see its top comment). */
#include "demofs.c"

static void rump_demofs_printf(const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("rump_demofs: %pV\n", &vaf);
	va_end(ap);
}

static void *rump_demofs_alloc(rump_size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void rump_demofs_free(void *p)
{
	kvfree(p);
}

static const struct demofs_env rump_demofs_env = {
	.de_printf = rump_demofs_printf,
	.de_alloc = rump_demofs_alloc,
	.de_free = rump_demofs_free,
};

static int __init rump_demofs_init(void)
{
	int error = demofs_run(&rump_demofs_env);

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

static void __exit rump_demofs_exit(void)
{
	pr_info("rump_demofs: unloaded\n");
}

module_init(rump_demofs_init);
module_exit(rump_demofs_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
MODULE_DESCRIPTION("File system demo on the rump kernel in rump.ko: tmpfs and kernfs");
