// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_ffswalk.c: a test client module for FFS on damaged disks: mount,
 * walk, read, write a little, unmount -- expecting errors, never a
 * crash.
 *
 * Loaded by tests/guest/ffsbad.sh (after rump.ko) once per damaged image
 * made by scripts/mkffsbad.sh, with `dev=<host path>`.  Through the
 * public rump API only, on a rump process of its own: it maps the path
 * into the rump kernel as the block device /dev/ffsbad (etfs), mounts it
 * read-only on /bad and walks the whole tree (getdents, lstat of every
 * entry, readlink of links, up to 256 KiB read from every file; at most
 * 2000 entries and 16 levels, so a damaged directory cannot keep it
 * busy), unmounts; then mounts it read-write (forced: a damaged clean
 * flag must not stop the attempt), creates, writes, renames and removes
 * a file and a directory, walks again and unmounts.  Every step's result
 * goes to the kernel log, "rump_ffswalk: <step>: ...", ending with
 * "rump_ffswalk: done: ro mount <error>, rw mount <error>, <n> errors
 * seen" (error 0: mounted).  The module loads whenever the rump kernel
 * came through (errors of the file system are the expected outcome); it
 * refuses to load, with "rump_ffswalk: failed: ...", only when its own
 * set-up or clean-up failed (rfork, etfs, /bad, an unmount), since that
 * would leave something behind in the rump kernel.  rmmod has nothing
 * to undo.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <rump/rump.h>

#define FW_DEV		"/dev/ffsbad"
#define FW_MNT		"/bad"
#define FW_BUF		16384
#define FW_READMAX	(256 * 1024)
#define FW_MAXENT	2000
#define FW_MAXDEPTH	16
#define FW_PATH		512

static char *dev;
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "host path of the (damaged) FFS image");

struct fw_ctx {
	char	*fw_buf;	/* FW_BUF bytes: getdents, reads */
	int	fw_entries;
	int	fw_errors;
	long long fw_bytes;
};

static int fw_errno(void)
{
	int error = rump_errno();

	return error != 0 ? error : RUMP_EIO;
}

/* A failed call the file system may answer on a damaged disk. */
static void fw_err(struct fw_ctx *fc, const char *what, const char *path)
{
	fc->fw_errors++;
	if (fc->fw_errors <= 20)
		pr_info("rump_ffswalk: %s %s: error %d\n", what, path,
		    fw_errno());
}

static void fw_file(struct fw_ctx *fc, const char *path)
{
	rump_ssize_t n;
	long long got = 0;
	int fd;

	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd == -1) {
		fw_err(fc, "open", path);
		return;
	}
	while (got < FW_READMAX &&
	    (n = rump_sys_read(fd, fc->fw_buf, FW_BUF)) > 0)
		got += n;
	if (got < FW_READMAX && n == -1)
		fw_err(fc, "read", path);
	fc->fw_bytes += got;
	if (rump_sys_close(fd) == -1)
		fw_err(fc, "close", path);
}

/* Walk dir (its path in a buffer of FW_PATH bytes, extended in place). */
static void fw_walk(struct fw_ctx *fc, char *path, int depth)
{
	struct rump_dirent *de;
	struct rump_stat st;
	size_t len = strlen(path);
	char *dirbuf;
	int fd, n = 0, pos;

	if (depth > FW_MAXDEPTH)
		return;
	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd == -1) {
		fw_err(fc, "open directory", path);
		return;
	}
	dirbuf = kmalloc(FW_BUF, GFP_KERNEL);
	if (dirbuf == NULL) {
		fc->fw_errors++;
		goto out_close;
	}
	while (fc->fw_entries < FW_MAXENT &&
	    (n = rump_sys_getdents(fd, dirbuf, FW_BUF)) > 0) {
		for (pos = 0; pos < n && fc->fw_entries < FW_MAXENT;
		    pos += de->d_reclen) {
			de = (struct rump_dirent *)(dirbuf + pos);
			if (de->d_reclen == 0)
				break;
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if (snprintf(path + len, FW_PATH - len, "/%s",
			    de->d_name) >= (int)(FW_PATH - len))
				continue;
			fc->fw_entries++;
			if (rump_sys_lstat(path, &st) == -1)
				fw_err(fc, "lstat", path);
			else if (RUMP_S_ISDIR(st.st_mode))
				fw_walk(fc, path, depth + 1);
			else if (RUMP_S_ISLNK(st.st_mode) &&
			    rump_sys_readlink(path, fc->fw_buf, FW_BUF) == -1)
				fw_err(fc, "readlink", path);
			else if (RUMP_S_ISREG(st.st_mode))
				fw_file(fc, path);
			path[len] = '\0';
		}
	}
	if (n == -1)
		fw_err(fc, "getdents", path);
	kfree(dirbuf);
out_close:
	path[len] = '\0';
	if (rump_sys_close(fd) == -1)
		fw_err(fc, "close directory", path);
}

static void fw_walk_all(struct fw_ctx *fc, const char *step)
{
	char *path = kmalloc(FW_PATH, GFP_KERNEL);

	if (path == NULL) {
		fc->fw_errors++;
		return;
	}
	fc->fw_entries = 0;
	fc->fw_bytes = 0;
	strcpy(path, FW_MNT);
	fw_walk(fc, path, 0);
	pr_info("rump_ffswalk: %s: walked %d entries, read %lld bytes\n",
	    step, fc->fw_entries, fc->fw_bytes);
	kfree(path);
}

/* Changes on a read-write mount; errors counted. */
static void fw_write(struct fw_ctx *fc)
{
	int fd;

	memset(fc->fw_buf, 'w', FW_BUF);
	fd = rump_sys_open(FW_MNT "/walk-new", RUMP_O_CREAT | RUMP_O_RDWR,
	    0644);
	if (fd == -1) {
		fw_err(fc, "create", FW_MNT "/walk-new");
	} else {
		if (rump_sys_write(fd, fc->fw_buf, FW_BUF) != FW_BUF)
			fw_err(fc, "write", FW_MNT "/walk-new");
		if (rump_sys_close(fd) == -1)
			fw_err(fc, "close", FW_MNT "/walk-new");
	}
	if (rump_sys_mkdir(FW_MNT "/walk-dir", 0755) == -1)
		fw_err(fc, "mkdir", FW_MNT "/walk-dir");
	if (rump_sys_rename(FW_MNT "/walk-new", FW_MNT "/walk-dir/moved") == -1)
		fw_err(fc, "rename", FW_MNT "/walk-new");
	fw_walk_all(fc, "rw walk");
	if (rump_sys_unlink(FW_MNT "/walk-dir/moved") == -1)
		fw_err(fc, "unlink", FW_MNT "/walk-dir/moved");
	if (rump_sys_rmdir(FW_MNT "/walk-dir") == -1)
		fw_err(fc, "rmdir", FW_MNT "/walk-dir");
}

/* Mount with flags, run fn, unmount.  *mounterr: the mount's result. */
static int fw_mounted(struct fw_ctx *fc, int flags, int *mounterr,
    void (*fn)(struct fw_ctx *), const char *step)
{
	struct rump_ufs_args args = { .fspec = (char *)FW_DEV };

	*mounterr = 0;
	if (rump_sys_mount("ffs", FW_MNT, flags, &args, sizeof(args)) == -1) {
		*mounterr = fw_errno();
		pr_info("rump_ffswalk: %s mount: refused, error %d\n", step,
		    *mounterr);
		return 0;
	}
	pr_info("rump_ffswalk: %s mount: mounted\n", step);
	fn(fc);
	if (rump_sys_unmount(FW_MNT, 0) == -1) {
		pr_info("rump_ffswalk: failed: %s unmount: error %d\n", step,
		    fw_errno());
		return fw_errno();
	}
	return 0;
}

static void fw_ro(struct fw_ctx *fc)
{
	fw_walk_all(fc, "ro walk");
}

static int __init rump_ffswalk_init(void)
{
	struct fw_ctx fc = { 0 };
	int error, roerr = 0, rwerr = 0;

	if (dev == NULL || dev[0] == '\0') {
		pr_info("rump_ffswalk: failed: no dev= given\n");
		return -EINVAL;
	}
	fc.fw_buf = kvmalloc(FW_BUF, GFP_KERNEL);
	if (fc.fw_buf == NULL)
		return -ENOMEM;
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error) {
		pr_info("rump_ffswalk: failed: rfork: error %d\n", error);
		goto out_free;
	}
	error = rump_pub_etfs_register(FW_DEV, dev, RUMP_ETFS_BLK);
	if (error) {
		pr_info("rump_ffswalk: failed: etfs register %s: error %d\n",
		    dev, error);
		goto out_release;
	}
	if (rump_sys_mkdir(FW_MNT, 0755) == -1) {
		error = fw_errno();
		pr_info("rump_ffswalk: failed: mkdir " FW_MNT ": error %d\n",
		    error);
		goto out_etfs;
	}
	error = fw_mounted(&fc, RUMP_MNT_RDONLY, &roerr, fw_ro, "ro");
	if (error == 0)
		error = fw_mounted(&fc, RUMP_MNT_FORCE, &rwerr, fw_write,
		    "rw");
	if (rump_sys_rmdir(FW_MNT) == -1 && error == 0) {
		error = fw_errno();
		pr_info("rump_ffswalk: failed: rmdir " FW_MNT ": error %d\n",
		    error);
	}
out_etfs:
	if (rump_pub_etfs_remove(FW_DEV) != 0 && error == 0) {
		pr_info("rump_ffswalk: failed: etfs remove\n");
		error = RUMP_EBUSY;
	}
out_release:
	rump_pub_lwproc_releaselwp();
out_free:
	kvfree(fc.fw_buf);
	if (error)
		return -EIO;
	pr_info("rump_ffswalk: done: ro mount %d, rw mount %d, %d errors "
	    "seen\n", roerr, rwerr, fc.fw_errors);
	return 0;
}

static void __exit rump_ffswalk_exit(void)
{
}

module_init(rump_ffswalk_init);
module_exit(rump_ffswalk_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
MODULE_DESCRIPTION("FFS on damaged disks through rump.ko: mount, walk, read, write; errors expected, no crash");
