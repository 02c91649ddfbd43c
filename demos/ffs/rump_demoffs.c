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
 *
 * Benchmark mode (tests/guest/bench.sh, for `make bench`): with
 * `bench=<path>` the module runs no demo; it mounts the disk `dev`
 * read-only in the rump kernel, reads the file <path> (relative to the
 * image's root) with 1 MiB reads, unmounts and prints "rump_demoffs: bench
 * read <bytes> bytes in <us> us" (the time covers open, the reads and
 * close; not the mount), or "rump_demoffs: bench failed: ..." and refuses
 * to load.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <rump/rump.h>

/* The shared demo logic: included, not linked (see its top comment). */
#include "demoffs.c"

static char *dev = "/dev/vda";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "host path of the FFS disk or image (default /dev/vda)");

static char *bench;
module_param(bench, charp, 0444);
MODULE_PARM_DESC(bench, "benchmark mode: time a read of this file of the image (no demo)");

#define RUMP_DEMOFFS_BENCH_IO	(1024 * 1024)

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

/* Read path (under DEMOFFS_MNT, mounted) whole; *nbytes, *ns: its size, time. */
static int rump_demoffs_bench_read(const char *path, char *buf,
    long long *nbytes, u64 *ns)
{
	rump_ssize_t rv;
	u64 t0;
	int fd, error = 0;

	*nbytes = 0;
	t0 = ktime_get_ns();
	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd == -1)
		return demoffs_errno();
	while ((rv = rump_sys_read(fd, buf, RUMP_DEMOFFS_BENCH_IO)) > 0)
		*nbytes += rv;
	if (rv == -1)
		error = demoffs_errno();
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demoffs_errno();
	*ns = ktime_get_ns() - t0;
	return error;
}

/*
 * The benchmark mode: etfs + read-only mount of dev, one timed read of
 * bench, everything undone.  Returns 0 or a rump errno.
 */
static int rump_demoffs_bench(void)
{
	struct rump_ufs_args args = { .fspec = (char *)DEMOFFS_DEV };
	char path[DEMOFFS_PATH_MAX];
	long long nbytes;
	const char *what;
	char *buf;
	int error, made_mnt = 0;
	u64 ns;

	if (snprintf(path, sizeof(path), "%s/%s", DEMOFFS_MNT, bench) >=
	    (int)sizeof(path))
		return RUMP_ENAMETOOLONG;
	buf = kvmalloc(RUMP_DEMOFFS_BENCH_IO, GFP_KERNEL);
	if (buf == NULL)
		return RUMP_ENOMEM;
	what = "rfork";
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error)
		goto out_free;
	what = "etfs register";
	error = rump_pub_etfs_register(DEMOFFS_DEV, dev, RUMP_ETFS_BLK);
	if (error)
		goto out_release;
	what = "mkdir " DEMOFFS_MNT;
	if (rump_sys_mkdir(DEMOFFS_MNT, 0755) == 0) {
		made_mnt = 1;
	} else if (rump_errno() != RUMP_EEXIST) {
		error = demoffs_errno();
		goto out_etfs;
	}
	what = "mount";
	if (rump_sys_mount("ffs", DEMOFFS_MNT, RUMP_MNT_RDONLY, &args,
	    sizeof(args)) == -1) {
		error = demoffs_errno();
		goto out_rmdir;
	}
	what = path;
	error = rump_demoffs_bench_read(path, buf, &nbytes, &ns);
	if (rump_sys_unmount(DEMOFFS_MNT, 0) == -1 && error == 0) {
		what = "unmount";
		error = demoffs_errno();
	}
	if (error == 0)
		pr_info("rump_demoffs: bench read %lld bytes in %llu us\n",
		    nbytes, (unsigned long long)(ns / 1000));
out_rmdir:
	if (made_mnt && rump_sys_rmdir(DEMOFFS_MNT) == -1 && error == 0) {
		what = "rmdir " DEMOFFS_MNT;
		error = demoffs_errno();
	}
out_etfs:
	if (rump_pub_etfs_remove(DEMOFFS_DEV) != 0 && error == 0) {
		what = "etfs remove";
		error = RUMP_EBUSY;
	}
out_release:
	rump_pub_lwproc_releaselwp();
out_free:
	kvfree(buf);
	if (error)
		pr_info("rump_demoffs: bench failed: %s: error %d\n", what,
		    error);
	return error;
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
	int error;

	if (bench != NULL && bench[0] != '\0')
		error = rump_demoffs_bench();
	else
		error = demoffs_run(&env, &res);

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
