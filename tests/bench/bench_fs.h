/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench_fs.h: what the benchmark programs share (tests/bench/host_bench_fs.c):
 * timing and medians, and the file-system benchmarks' description of a
 * file system under test (the rump kernel's through rump_sys_*, or the
 * host's through system calls) with its create/stat/unlink case.
 * host_bench_fs.c has no main(): the Makefile links it into every program of
 * tests/bench.
 */
#ifndef _BENCH_FS_H_
#define _BENCH_FS_H_

#include <stdint.h>
#include <sys/types.h>

/* Files created, stat'ed and unlinked by hb_meta. */
#define HB_NFILES	10000

/* One file system under test: the rump kernel's or the host's. */
struct hb_fs {
	const char	*fs_name;
	const char	*fs_dir;
	int	(*fs_open)(const char *, int, int);	/* host O_* flags */
	int	(*fs_close)(int);
	ssize_t	(*fs_read)(int, void *, size_t);
	ssize_t	(*fs_write)(int, const void *, size_t);
	int	(*fs_fsync)(int);			/* if a case needs it */
	int	(*fs_unlink)(const char *);
	int	(*fs_exists)(const char *);	/* stat: 0 or -1 */
	int	(*fs_errno)(void);
	/* Empty every cache of path's data before a read (if a case needs
	 * it); 0 or -1. */
	int	(*fs_cold)(const struct hb_fs *, const char *path);
};

uint64_t hb_now(void);				/* monotonic ns */
uint64_t hb_median(uint64_t *v, int n);		/* sorts v */

/* Print why fs failed at what on path; returns -1. */
int	hb_fail(const struct hb_fs *fs, const char *what, const char *path);
/* Create, stat, unlink HB_NFILES files in fs_dir; times in ns. */
int	hb_meta(const struct hb_fs *fs, uint64_t *ct, uint64_t *st,
	    uint64_t *ut);

/* The rump kernel's side (host O_* flags translated) and the host's. */
int	rfs_open(const char *p, int hostflags, int mode);
ssize_t	rfs_read(int fd, void *b, size_t n);
ssize_t	rfs_write(int fd, const void *b, size_t n);
int	rfs_exists(const char *p);
int	hfs_open(const char *p, int flags, int mode);
int	hfs_exists(const char *p);
int	hfs_errno(void);

#endif /* _BENCH_FS_H_ */
