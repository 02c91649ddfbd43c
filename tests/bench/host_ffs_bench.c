/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffs_bench.c: FFS benchmarks, the rump kernel's FFS on an image file
 * beside the host's own file system, measured in the same run through
 * system calls.
 *
 * Run by `make bench` (scripts/bench.sh).  The rump side: makefs makes an
 * empty UFS2 little-endian image (200 MiB, 32 KiB blocks, 4 KiB fragments,
 * room for HB_NFILES files) in a fresh directory under $TMPDIR (or /tmp);
 * it is registered as the block device /dev/ffs0 (etfs) and mounted
 * read-write on /ffs from a process made with rump_pub_lwproc_rfork.  The
 * host side works in a second fresh directory next to the image (its file
 * system type is named in the peer note).  Figures, each the median of
 * HB_RUNS runs:
 *   ffs_write_64m   sequential write of a new 64 MiB file, 1 MiB per
 *                   write(2), then fsync (MiB/s, the fsync included)
 *   ffs_read_64m    sequential read of it with 1 MiB reads, from a cold
 *                   cache: the rump side unmounts and mounts again (its
 *                   buffer cache is empty) and both sides drop the host's
 *                   cached pages of the image and of the host file with
 *                   posix_fadvise(DONTNEED) (MiB/s; contents checked once,
 *                   outside the timing)
 *   ffs_create      open(O_CREAT|O_EXCL)+close of 10,000 files in one
 *                   directory (ns per file)
 *   ffs_stat        stat(2) of each of them (ns per file)
 *   ffs_unlink      unlink(2) of each of them (ns per file)
 * Output: `bench: <name> <value> <unit> (peer host <fs> <value> <unit>,
 * ratio <x>)`, ratio = rump / host (above 1 is better for MiB/s, worse for
 * ns).  Everything made is removed.  Exit status non-zero on any error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "bench_fs.h"

#define HB_RUNS		3
#define HB_FILE_MIB	64
#define HB_IO		(1024 * 1024)
#define HB_DEV		"/dev/ffs0"
#define HB_MNT		"/ffs"

static char hb_image[256];	/* host path of the rump side's image */
static struct rump_ufs_args hb_args = { .fspec = (char *)HB_DEV };

/* ---------------------------------------------------------------- helpers */

static void
hb_report(const char *name, double value, double peer, const char *unit,
    const char *peername)
{
	printf("bench: %s %.1f %s (peer %s %.1f %s, ratio %.2f)\n", name,
	    value, unit, peername, peer, unit, peer > 0 ? value / peer : 0.0);
}

/* Write back and drop the host's cached pages of a host file. */
static int
hb_drop_host(const char *path)
{
	int fd, rv;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	rv = fdatasync(fd);
	if (rv == 0)
		rv = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 ? 0 : -1;
	if (close(fd) != 0)
		rv = -1;
	return rv;
}

/* Run argv (a program in PATH, output to /dev/null); 0 if it exited 0. */
static int
hb_spawn(char *const argv[])
{
	pid_t pid;
	int status, fd;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0 && dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Name of the file system holding path, from statfs's magic. */
static const char *
hb_fsname(const char *path)
{
	struct statfs sfs;

	if (statfs(path, &sfs) != 0)
		return "unknown fs";
	switch ((unsigned long)sfs.f_type) {
	case 0xEF53UL:		return "ext4";
	case 0x01021994UL:	return "tmpfs (no page cache to drop)";
	case 0x58465342UL:	return "xfs";
	case 0x9123683EUL:	return "btrfs";
	case 0x794C7630UL:	return "overlayfs";
	case 0x2FC12FC1UL:	return "zfs";
	default:		return "other fs";
	}
}

/* ---------------------------------------------------------------- adapters */

static int
rfs_mount(void)
{
	return rump_sys_mount("ffs", HB_MNT, 0, &hb_args, sizeof(hb_args));
}

/* Unmount and mount again, with the image's host pages dropped between. */
static int
rfs_cold(const struct hb_fs *fs, const char *path)
{
	(void)fs;
	(void)path;
	if (rump_sys_unmount(HB_MNT, 0) != 0)
		return -1;
	if (hb_drop_host(hb_image) != 0) {
		fprintf(stderr, "bench: drop host cache of %s: %s\n", hb_image,
		    strerror(errno));
		(void)rfs_mount();
		return -1;
	}
	return rfs_mount();
}

static int
hfs_cold(const struct hb_fs *fs, const char *path)
{
	(void)fs;
	return hb_drop_host(path);
}

/* ---------------------------------------------------------------- cases */

struct hb_result {
	uint64_t	r_write[HB_RUNS], r_read[HB_RUNS];
	uint64_t	r_create[HB_RUNS], r_stat[HB_RUNS], r_unlink[HB_RUNS];
};

/* Write (with fsync) then read back cold the big file once; times in ns. */
static int
hb_seq(const struct hb_fs *fs, char *buf, char *rbuf, bool verify,
    uint64_t *wt, uint64_t *rt)
{
	char path[256];
	uint64_t t0;
	int fd;

	snprintf(path, sizeof(path), "%s/big", fs->fs_dir);
	fd = fs->fs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return hb_fail(fs, "open", path);
	t0 = hb_now();
	for (int i = 0; i < HB_FILE_MIB; i++) {
		buf[0] = (char)i;
		if (fs->fs_write(fd, buf, HB_IO) != HB_IO) {
			hb_fail(fs, "write", path);
			goto err_close;
		}
	}
	if (fs->fs_fsync(fd) != 0) {
		hb_fail(fs, "fsync", path);
		goto err_close;
	}
	*wt = hb_now() - t0;
	if (fs->fs_close(fd) != 0)
		return hb_fail(fs, "close", path);

	if (fs->fs_cold(fs, path) != 0)
		return hb_fail(fs, "cold cache", path);
	fd = fs->fs_open(path, O_RDONLY, 0);
	if (fd < 0)
		return hb_fail(fs, "open", path);
	t0 = hb_now();
	for (int i = 0; i < HB_FILE_MIB; i++) {
		if (fs->fs_read(fd, rbuf, HB_IO) != HB_IO) {
			hb_fail(fs, "read", path);
			goto err_close;
		}
		if (verify) {
			/* Outside the figure: subtract the compare's time. */
			uint64_t c0 = hb_now();

			buf[0] = (char)i;
			if (memcmp(buf, rbuf, HB_IO) != 0) {
				fprintf(stderr, "bench: %s: data mismatch at "
				    "MiB %d\n", fs->fs_name, i);
				goto err_close;
			}
			t0 += hb_now() - c0;
		}
	}
	*rt = hb_now() - t0;
	if (fs->fs_close(fd) != 0 || fs->fs_unlink(path) != 0)
		return hb_fail(fs, "close/unlink", path);
	return 0;

err_close:
	(void)fs->fs_close(fd);
	(void)fs->fs_unlink(path);
	return -1;
}

static int
hb_run(const struct hb_fs *fs, struct hb_result *r, char *buf, char *rbuf)
{
	for (int run = 0; run < HB_RUNS; run++) {
		if (hb_seq(fs, buf, rbuf, run == 0, &r->r_write[run],
		    &r->r_read[run]) != 0)
			return -1;
		if (hb_meta(fs, &r->r_create[run], &r->r_stat[run],
		    &r->r_unlink[run]) != 0)
			return -1;
	}
	return 0;
}

static double
hb_mibps(uint64_t *ns)
{
	return (double)HB_FILE_MIB * 1e9 / (double)hb_median(ns, HB_RUNS);
}

static double
hb_perfile(uint64_t *ns)
{
	return (double)hb_median(ns, HB_RUNS) / HB_NFILES;
}

/* The empty image: makefs from an empty tree in top. */
static int
hb_makefs(const char *top)
{
	char tree[256];
	char *argv[] = {
		"makefs", "-t", "ffs", "-B", "le", "-s", "200m", "-f", "12000",
		"-o", "version=2,bsize=32768,fsize=4096", hb_image, tree, NULL,
	};
	int rv;

	if ((size_t)snprintf(tree, sizeof(tree), "%s/tree", top) >=
	    sizeof(tree) || (size_t)snprintf(hb_image, sizeof(hb_image),
	    "%s/ffs.img", top) >= sizeof(hb_image)) {
		fprintf(stderr, "bench: path too long: %s\n", top);
		return -1;
	}
	if (mkdir(tree, 0755) != 0) {
		perror("bench: mkdir tree");
		return -1;
	}
	rv = hb_spawn(argv);
	if (rv != 0)
		fprintf(stderr, "bench: makefs failed\n");
	if (rmdir(tree) != 0) {
		perror("bench: rmdir tree");
		rv = -1;
	}
	return rv;
}

int
main(void)
{
	static struct hb_result rr, hr;
	const char *tmp = getenv("TMPDIR");
	char top[200], hostdir[256], peername[64];
	struct hb_fs rfs = {
		.fs_name = "rump", .fs_dir = HB_MNT "/bench",
		.fs_open = rfs_open, .fs_close = rump_sys_close,
		.fs_read = rfs_read, .fs_write = rfs_write,
		.fs_fsync = rump_sys_fsync, .fs_unlink = rump_sys_unlink,
		.fs_exists = rfs_exists, .fs_errno = rump_errno,
		.fs_cold = rfs_cold,
	};
	struct hb_fs hfs = {
		.fs_name = "host", .fs_open = hfs_open, .fs_close = close,
		.fs_read = read, .fs_write = write, .fs_fsync = fsync,
		.fs_unlink = unlink, .fs_exists = hfs_exists,
		.fs_errno = hfs_errno, .fs_cold = hfs_cold,
	};
	char *buf, *rbuf;
	int rv, st = 1;

	buf = malloc(HB_IO);
	rbuf = malloc(HB_IO);
	if (buf == NULL || rbuf == NULL)
		goto out_free;
	for (int i = 0; i < HB_IO; i++)
		buf[i] = (char)(i * 31 + 7);

	if ((size_t)snprintf(top, sizeof(top), "%s/rump_ffs_bench.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp") >= sizeof(top)) {
		fprintf(stderr, "bench: TMPDIR too long\n");
		goto out_free;
	}
	if (mkdtemp(top) == NULL) {
		perror("bench: mkdtemp");
		goto out_free;
	}
	if ((size_t)snprintf(hostdir, sizeof(hostdir), "%s/host", top) >=
	    sizeof(hostdir)) {
		fprintf(stderr, "bench: path too long: %s\n", top);
		goto out_rmtop;
	}
	if (mkdir(hostdir, 0755) != 0) {
		perror("bench: mkdir host dir");
		goto out_rmtop;
	}
	hfs.fs_dir = hostdir;
	snprintf(peername, sizeof(peername), "host %s", hb_fsname(hostdir));
	if (hb_makefs(top) != 0)
		goto out_rmhost;

	rv = rump_init();
	if (rv != 0) {
		fprintf(stderr, "bench: rump_init: error %d\n", rv);
		goto out_rmimage;
	}
	rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv != 0) {
		fprintf(stderr, "bench: rump_pub_lwproc_rfork: error %d\n", rv);
		goto out_shutdown;
	}
	rv = rump_pub_etfs_register(HB_DEV, hb_image, RUMP_ETFS_BLK);
	if (rv != 0) {
		fprintf(stderr, "bench: etfs register %s: error %d\n", hb_image,
		    rv);
		goto out_release;
	}
	if (rump_sys_mkdir(HB_MNT, 0755) != 0) {
		hb_fail(&rfs, "mkdir", HB_MNT);
		goto out_etfs;
	}
	if (rfs_mount() != 0) {
		hb_fail(&rfs, "mount", HB_MNT);
		goto out_rmmnt;
	}
	if (rump_sys_mkdir(rfs.fs_dir, 0755) != 0) {
		hb_fail(&rfs, "mkdir", rfs.fs_dir);
		goto out_unmount;
	}

	if (hb_run(&rfs, &rr, buf, rbuf) != 0 ||
	    hb_run(&hfs, &hr, buf, rbuf) != 0)
		goto out_rmbench;

	hb_report("ffs_write_64m", hb_mibps(rr.r_write), hb_mibps(hr.r_write),
	    "MiB/s", peername);
	hb_report("ffs_read_64m", hb_mibps(rr.r_read), hb_mibps(hr.r_read),
	    "MiB/s", peername);
	hb_report("ffs_create", hb_perfile(rr.r_create),
	    hb_perfile(hr.r_create), "ns", peername);
	hb_report("ffs_stat", hb_perfile(rr.r_stat), hb_perfile(hr.r_stat),
	    "ns", peername);
	hb_report("ffs_unlink", hb_perfile(rr.r_unlink),
	    hb_perfile(hr.r_unlink), "ns", peername);
	st = 0;

out_rmbench:
	if (rump_sys_rmdir(rfs.fs_dir) != 0) {
		hb_fail(&rfs, "rmdir", rfs.fs_dir);
		st = 1;
	}
out_unmount:
	if (rump_sys_unmount(HB_MNT, 0) != 0) {
		hb_fail(&rfs, "unmount", HB_MNT);
		st = 1;
	}
out_rmmnt:
	if (rump_sys_rmdir(HB_MNT) != 0) {
		hb_fail(&rfs, "rmdir", HB_MNT);
		st = 1;
	}
out_etfs:
	if (rump_pub_etfs_remove(HB_DEV) != 0) {
		fprintf(stderr, "bench: etfs remove failed\n");
		st = 1;
	}
out_release:
	rump_pub_lwproc_releaselwp();
out_shutdown:
	rv = rump_shutdown();
	if (rv != 0) {
		fprintf(stderr, "bench: rump_shutdown: error %d\n", rv);
		st = 1;
	}
out_rmimage:
	if (unlink(hb_image) != 0) {
		perror("bench: unlink image");
		st = 1;
	}
out_rmhost:
	if (rmdir(hostdir) != 0) {
		perror("bench: rmdir host dir");
		st = 1;
	}
out_rmtop:
	if (rmdir(top) != 0) {
		perror("bench: rmdir");
		st = 1;
	}
out_free:
	free(buf);
	free(rbuf);
	return st;
}
