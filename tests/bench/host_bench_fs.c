/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_bench_fs.c: timing, medians and the file-system adapters and cases that
 * the benchmark programs share (see bench_fs.h).  Used by host_bench.c,
 * host_tmpfs_bench.c and host_ffs_bench.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "bench_fs.h"

uint64_t
hb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
hb_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
hb_median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), hb_cmp);
	return v[n / 2];
}

int
hb_fail(const struct hb_fs *fs, const char *what, const char *path)
{
	fprintf(stderr, "bench: %s: %s %s: errno %d\n", fs->fs_name, what,
	    path, fs->fs_errno());
	return -1;
}

int
hb_meta(const struct hb_fs *fs, uint64_t *ct, uint64_t *st, uint64_t *ut)
{
	char path[256];
	uint64_t t0;
	int fd;

	t0 = hb_now();
	for (int i = 0; i < HB_NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", fs->fs_dir, i);
		fd = fs->fs_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || fs->fs_close(fd) != 0)
			return hb_fail(fs, "create", path);
	}
	*ct = hb_now() - t0;
	t0 = hb_now();
	for (int i = 0; i < HB_NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", fs->fs_dir, i);
		if (fs->fs_exists(path) != 0)
			return hb_fail(fs, "stat", path);
	}
	*st = hb_now() - t0;
	t0 = hb_now();
	for (int i = 0; i < HB_NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", fs->fs_dir, i);
		if (fs->fs_unlink(path) != 0)
			return hb_fail(fs, "unlink", path);
	}
	*ut = hb_now() - t0;
	return 0;
}

/* ---------------------------------------------------------------- adapters */

int
rfs_open(const char *p, int hostflags, int mode)
{
	int fl = 0;

	if ((hostflags & O_ACCMODE) == O_WRONLY)
		fl |= RUMP_O_WRONLY;
	else if ((hostflags & O_ACCMODE) == O_RDWR)
		fl |= RUMP_O_RDWR;
	if (hostflags & O_CREAT)
		fl |= RUMP_O_CREAT;
	if (hostflags & O_EXCL)
		fl |= RUMP_O_EXCL;
	if (hostflags & O_TRUNC)
		fl |= RUMP_O_TRUNC;
	return rump_sys_open(p, fl, mode);
}

ssize_t
rfs_read(int fd, void *b, size_t n)
{
	return rump_sys_read(fd, b, n);
}

ssize_t
rfs_write(int fd, const void *b, size_t n)
{
	return rump_sys_write(fd, b, n);
}

int
rfs_exists(const char *p)
{
	struct rump_stat st;

	return rump_sys_stat(p, &st);
}

int
hfs_open(const char *p, int flags, int mode)
{
	return open(p, flags, mode);
}

int
hfs_exists(const char *p)
{
	struct stat st;

	return stat(p, &st);
}

int
hfs_errno(void)
{
	return errno;
}
