/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_tmpfs_bench.c: tmpfs benchmarks, the rump kernel's tmpfs beside the
 * host's own tmpfs, measured in the same run through system calls.
 *
 * Run by `make bench` (scripts/bench.sh).  The rump side works in /tmp of
 * the rump kernel (its root tmpfs, no size limit) from a process made with
 * rump_pub_lwproc_rfork; the host side in a fresh directory on /dev/shm
 * (the host's tmpfs; if /dev/shm is missing or is not a tmpfs, /tmp is
 * used and the peer is marked as such).  Figures, each the median of
 * HB_RUNS runs:
 *   tmpfs_write_256m  sequential write of a 256 MiB file, 1 MiB per
 *                     write(2) (MiB/s; the file is new each run)
 *   tmpfs_read_256m   sequential read of it back, 1 MiB per read(2)
 *                     (MiB/s; data compared once, outside the timing)
 *   tmpfs_create      open(O_CREAT|O_EXCL)+close of 10,000 files in one
 *                     directory (ns per file)
 *   tmpfs_stat        stat(2) of each of them (ns per file)
 *   tmpfs_unlink      unlink(2) of each of them (ns per file)
 * Output: `bench: <name> <value> <unit> (peer <value> <unit>, ratio <x>)`,
 * ratio = rump / host (above 1 is better for MiB/s, worse for ns).
 * Exit status non-zero if a call failed.
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
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "bench_fs.h"

#define HB_RUNS		3
#define HB_FILE_MIB	256
#define HB_IO		(1024 * 1024)
#define HB_TMPFS_MAGIC	0x01021994

/* ---------------------------------------------------------------- adapters */

/* ---------------------------------------------------------------- timing */

static void
hb_report(const char *name, double value, double peer, const char *unit,
    const char *peernote)
{
	printf("bench: %s %.1f %s (peer %.1f %s%s, ratio %.2f)\n", name, value,
	    unit, peer, unit, peernote, peer > 0 ? value / peer : 0.0);
}

/* ---------------------------------------------------------------- cases */

struct hb_result {
	uint64_t	r_write[HB_RUNS], r_read[HB_RUNS];
	uint64_t	r_create[HB_RUNS], r_stat[HB_RUNS], r_unlink[HB_RUNS];
};

/* Write then read the big file once; times in ns. */
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
		if (fs->fs_write(fd, buf, HB_IO) != HB_IO)
			return hb_fail(fs, "write", path);
	}
	*wt = hb_now() - t0;
	if (fs->fs_close(fd) != 0)
		return hb_fail(fs, "close", path);

	fd = fs->fs_open(path, O_RDONLY, 0);
	if (fd < 0)
		return hb_fail(fs, "open", path);
	t0 = hb_now();
	for (int i = 0; i < HB_FILE_MIB; i++) {
		if (fs->fs_read(fd, rbuf, HB_IO) != HB_IO)
			return hb_fail(fs, "read", path);
		if (verify) {
			/* Outside the figure: subtract the compare's time. */
			uint64_t c0 = hb_now();

			buf[0] = (char)i;
			if (memcmp(buf, rbuf, HB_IO) != 0) {
				fprintf(stderr, "bench: %s: data mismatch at "
				    "MiB %d\n", fs->fs_name, i);
				return -1;
			}
			t0 += hb_now() - c0;
		}
	}
	*rt = hb_now() - t0;
	if (fs->fs_close(fd) != 0 || fs->fs_unlink(path) != 0)
		return hb_fail(fs, "close/unlink", path);
	return 0;
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

int
main(void)
{
	static struct hb_result rr, hr;
	char hostdir[] = "/dev/shm/rump_tmpfs_bench.XXXXXX";
	char tmpdir[] = "/tmp/rump_tmpfs_bench.XXXXXX";
	const char *note = "";
	struct hb_fs rfs = {
		.fs_name = "rump", .fs_dir = "/tmp/bench",
		.fs_open = rfs_open, .fs_close = rump_sys_close,
		.fs_read = rfs_read, .fs_write = rfs_write,
		.fs_unlink = rump_sys_unlink, .fs_exists = rfs_exists,
		.fs_errno = rump_errno,
	};
	struct hb_fs hfs = {
		.fs_name = "host", .fs_open = hfs_open, .fs_close = close,
		.fs_read = read, .fs_write = write, .fs_unlink = unlink,
		.fs_exists = hfs_exists, .fs_errno = hfs_errno,
	};
	struct statfs sfs;
	char *buf, *rbuf, *dir;
	int rv, st = 1;

	buf = malloc(HB_IO);
	rbuf = malloc(HB_IO);
	if (buf == NULL || rbuf == NULL)
		return 1;
	for (int i = 0; i < HB_IO; i++)
		buf[i] = (char)(i * 31 + 7);

	if (statfs("/dev/shm", &sfs) == 0 && sfs.f_type == HB_TMPFS_MAGIC) {
		dir = mkdtemp(hostdir);
	} else {
		dir = mkdtemp(tmpdir);
		note = " (not tmpfs)";
	}
	if (dir == NULL) {
		perror("bench: mkdtemp");
		return 1;
	}
	hfs.fs_dir = dir;

	rv = rump_init();
	if (rv != 0) {
		fprintf(stderr, "bench: rump_init: error %d\n", rv);
		goto out_rmdir;
	}
	rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv != 0) {
		fprintf(stderr, "bench: rump_pub_lwproc_rfork: error %d\n", rv);
		goto out_shutdown;
	}
	if (rump_sys_mkdir(rfs.fs_dir, 0755) != 0) {
		hb_fail(&rfs, "mkdir", rfs.fs_dir);
		goto out_release;
	}

	if (hb_run(&rfs, &rr, buf, rbuf) != 0 ||
	    hb_run(&hfs, &hr, buf, rbuf) != 0)
		goto out_release;

	hb_report("tmpfs_write_256m", hb_mibps(rr.r_write),
	    hb_mibps(hr.r_write), "MiB/s", note);
	hb_report("tmpfs_read_256m", hb_mibps(rr.r_read), hb_mibps(hr.r_read),
	    "MiB/s", note);
	hb_report("tmpfs_create", hb_perfile(rr.r_create),
	    hb_perfile(hr.r_create), "ns", note);
	hb_report("tmpfs_stat", hb_perfile(rr.r_stat), hb_perfile(hr.r_stat),
	    "ns", note);
	hb_report("tmpfs_unlink", hb_perfile(rr.r_unlink),
	    hb_perfile(hr.r_unlink), "ns", note);
	st = 0;
	if (rump_sys_rmdir(rfs.fs_dir) != 0) {
		hb_fail(&rfs, "rmdir", rfs.fs_dir);
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
out_rmdir:
	if (rmdir(dir) != 0) {
		perror("bench: rmdir");
		st = 1;
	}
	free(buf);
	free(rbuf);
	return st;
}
