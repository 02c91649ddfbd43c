// SPDX-License-Identifier: BSD-2-Clause
/*
 * vfstest.c: core VFS test cases through the public rump API, shared by
 * the guest test module and its userspace twin.
 *
 * Not compiled on its own: demos/vfstest/rump_vfstest.c (rump_vfstest.ko,
 * run in the qemu guest by tests/guest/vfs.sh) and tests/kern/host_demofs.c
 * (run by `make check` in userspace) #include it.  It uses only rump/rump.h,
 * rump/rumpdefs.h and compiler builtins; output goes through the
 * includer's ve_printf, one result line per case:
 *   PASS: <prefix>.<case>            or   FAIL: <prefix>.<case>: <reason>
 * (the module prefixes its kernel log lines with "rump_vfstest: "; the
 * guest script strips that and relays the result lines).
 *
 * vfstest_run() makes a rump process for the calling thread, mounts a
 * fresh tmpfs on /mnt, runs each case in its own directory there, checks
 * kernfs on /kern, unmounts both and returns the number of failed cases.
 */
#include <rump/rump.h>

struct vfstest_env {
	void	(*ve_printf)(const char *fmt, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
	void	*(*ve_alloc)(rump_size_t size);
	void	(*ve_free)(void *p);
	const char *ve_prefix;	/* "guest.vfs", "vfstest" */
};

#define VT_BUFSIZE	8192
#define VT_NDIRFILES	64	/* files for the getdents case */

struct vt_ctx {
	const struct vfstest_env *vc_env;
	char	*vc_buf;	/* VT_BUFSIZE */
	char	*vc_buf2;	/* VT_BUFSIZE */
	char	vc_path[128];
	char	vc_why[160];	/* reason of the current case's failure */
	int	vc_failed;
};

/* ---------------------------------------------------------------- helpers */

static rump_size_t vt_strlen(const char *s)
{
	return __builtin_strlen(s);
}

/* Copy s into buf (size n), always terminated; returns the length. */
static rump_size_t vt_strlcpy(char *buf, const char *s, rump_size_t n)
{
	rump_size_t l = vt_strlen(s);

	if (l >= n)
		l = n - 1;
	__builtin_memcpy(buf, s, l);
	buf[l] = '\0';
	return l;
}

/* Append the decimal v to buf at *lenp (buf has room for 12 more). */
static void vt_putnum(char *buf, rump_size_t *lenp, long long v)
{
	char d[24];
	int k = 0;
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

	do {
		d[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		buf[(*lenp)++] = '-';
	while (k > 0)
		buf[(*lenp)++] = d[--k];
	buf[*lenp] = '\0';
}

/* Record why the case fails: "<what> (got <got>, want <want>)". */
static int vt_fail(struct vt_ctx *vc, const char *what, long long got,
    long long want)
{
	rump_size_t len;

	if (vc->vc_why[0] != '\0')
		return -1;	/* keep the first reason */
	len = vt_strlcpy(vc->vc_why, what, sizeof(vc->vc_why) - 40);
	__builtin_memcpy(vc->vc_why + len, " (got ", 6);
	len += 6;
	vt_putnum(vc->vc_why, &len, got);
	__builtin_memcpy(vc->vc_why + len, ", want ", 7);
	len += 7;
	vt_putnum(vc->vc_why, &len, want);
	vc->vc_why[len++] = ')';
	vc->vc_why[len] = '\0';
	return -1;
}

/* A call that must succeed: rv != -1. */
#define VT_OK(vc, call)							\
	do {								\
		if ((call) == -1)					\
			return vt_fail((vc), #call " failed: errno",	\
			    rump_errno(), 0);				\
	} while (0)
/* A call that must fail with errno e. */
#define VT_ERR(vc, call, e)						\
	do {								\
		if ((call) != -1)					\
			return vt_fail((vc), #call " succeeded",	\
			    0, (e));					\
		if (rump_errno() != (e))				\
			return vt_fail((vc), #call ": errno",		\
			    rump_errno(), (e));				\
	} while (0)
#define VT_EQ(vc, a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b)						\
			return vt_fail((vc), #a " == " #b, _a, _b);	\
	} while (0)

/* vc_path = dir + "/" + name (both short, fixed by the cases) */
static const char *vt_path(struct vt_ctx *vc, const char *dir,
    const char *name)
{
	rump_size_t l = vt_strlcpy(vc->vc_path, dir, sizeof(vc->vc_path) / 2);

	vc->vc_path[l++] = '/';
	vt_strlcpy(vc->vc_path + l, name, sizeof(vc->vc_path) - l);
	return vc->vc_path;
}

static int vt_write_file(struct vt_ctx *vc, const char *path, const char *s)
{
	rump_size_t len = vt_strlen(s);
	int fd;

	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	VT_OK(vc, fd);
	if (rump_sys_write(fd, s, len) != (rump_ssize_t)len) {
		(void)rump_sys_close(fd);
		return vt_fail(vc, "write whole file", rump_errno(), 0);
	}
	VT_OK(vc, rump_sys_close(fd));
	return 0;
}

/* Read path into vc_buf2 (NUL-terminated) and compare with s. */
static int vt_check_file(struct vt_ctx *vc, const char *path, const char *s)
{
	rump_ssize_t n;
	int fd;

	fd = rump_sys_open(path, RUMP_O_RDONLY);
	VT_OK(vc, fd);
	n = rump_sys_read(fd, vc->vc_buf2, VT_BUFSIZE - 1);
	(void)rump_sys_close(fd);
	VT_OK(vc, n);
	vc->vc_buf2[n] = '\0';
	VT_EQ(vc, n, vt_strlen(s));
	VT_EQ(vc, __builtin_memcmp(vc->vc_buf2, s, (rump_size_t)n), 0);
	return 0;
}

/* ---------------------------------------------------------------- cases */

/* Each case gets its own directory d (already made) and returns 0 or -1. */

static int vt_open_write_read(struct vt_ctx *vc, const char *d)
{
	static const char part1[] = "hello, ", part2[] = "rump ", part3[] = "tmpfs\n";
	const char *p = vt_path(vc, d, "f");
	rump_ssize_t n;
	int fd;

	fd = rump_sys_open(p, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_EXCL, 0644);
	VT_OK(vc, fd);
	VT_EQ(vc, rump_sys_write(fd, part1, 7), 7);
	VT_EQ(vc, rump_sys_write(fd, part2, 5), 5);
	VT_EQ(vc, rump_sys_write(fd, part3, 6), 6);
	VT_EQ(vc, rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 18);
	VT_EQ(vc, rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
	n = rump_sys_read(fd, vc->vc_buf, VT_BUFSIZE);
	VT_EQ(vc, n, 18);
	VT_EQ(vc, __builtin_memcmp(vc->vc_buf, "hello, rump tmpfs\n", 18), 0);
	VT_EQ(vc, rump_sys_read(fd, vc->vc_buf, VT_BUFSIZE), 0);	/* EOF */
	/* pwrite in the middle, pread it back; the offset does not move */
	VT_EQ(vc, rump_sys_pwrite(fd, "RUMP", 4, 7), 4);
	VT_EQ(vc, rump_sys_pread(fd, vc->vc_buf, 4, 7), 4);
	VT_EQ(vc, __builtin_memcmp(vc->vc_buf, "RUMP", 4), 0);
	VT_EQ(vc, rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 18);
	VT_OK(vc, rump_sys_close(fd));
	/* a hole past the end reads as zeros */
	fd = rump_sys_open(p, RUMP_O_WRONLY);
	VT_OK(vc, fd);
	VT_EQ(vc, rump_sys_pwrite(fd, "x", 1, 5000), 1);
	VT_OK(vc, rump_sys_close(fd));
	fd = rump_sys_open(p, RUMP_O_RDONLY);
	VT_OK(vc, fd);
	VT_EQ(vc, rump_sys_pread(fd, vc->vc_buf, 100, 100), 100);
	(void)rump_sys_close(fd);
	for (int i = 0; i < 100; i++)
		VT_EQ(vc, vc->vc_buf[i], 0);
	return 0;
}

static int vt_stat_regular(struct vt_ctx *vc, const char *d)
{
	const char *p = vt_path(vc, d, "s");
	struct rump_stat st, fst;
	int fd;

	if (vt_write_file(vc, p, "12345") != 0)
		return -1;
	VT_OK(vc, rump_sys_stat(p, &st));
	VT_EQ(vc, st.st_mode & RUMP_S_IFMT, RUMP_S_IFREG);
	VT_EQ(vc, st.st_size, 5);
	VT_EQ(vc, st.st_nlink, 1);
	fd = rump_sys_open(p, RUMP_O_RDONLY);
	VT_OK(vc, fd);
	VT_OK(vc, rump_sys_fstat(fd, &fst));
	(void)rump_sys_close(fd);
	VT_EQ(vc, fst.st_ino, st.st_ino);
	VT_EQ(vc, fst.st_size, 5);
	VT_OK(vc, rump_sys_truncate(p, 2));
	VT_OK(vc, rump_sys_stat(p, &st));
	VT_EQ(vc, st.st_size, 2);
	VT_OK(vc, rump_sys_chmod(p, 0600));
	VT_OK(vc, rump_sys_stat(p, &st));
	VT_EQ(vc, st.st_mode & 07777, 0600);
	return 0;
}

static int vt_mkdir_rmdir(struct vt_ctx *vc, const char *d)
{
	struct rump_stat st, pst0, pst1;
	char sub[64];

	vt_strlcpy(sub, vt_path(vc, d, "sub"), sizeof(sub));
	VT_OK(vc, rump_sys_stat(d, &pst0));
	VT_OK(vc, rump_sys_mkdir(sub, 0755));
	VT_OK(vc, rump_sys_stat(sub, &st));
	VT_EQ(vc, st.st_mode & RUMP_S_IFMT, RUMP_S_IFDIR);
	VT_EQ(vc, st.st_nlink, 2);
	VT_OK(vc, rump_sys_stat(d, &pst1));
	VT_EQ(vc, pst1.st_nlink, pst0.st_nlink + 1);	/* the new ".." */
	VT_ERR(vc, rump_sys_mkdir(sub, 0755), RUMP_EEXIST);
	if (vt_write_file(vc, vt_path(vc, sub, "x"), "x") != 0)
		return -1;
	VT_ERR(vc, rump_sys_rmdir(sub), RUMP_ENOTEMPTY);
	VT_ERR(vc, rump_sys_mkdir(vt_path(vc, sub, "x/y"), 0755),
	    RUMP_ENOTDIR);
	VT_OK(vc, rump_sys_unlink(vt_path(vc, sub, "x")));
	VT_OK(vc, rump_sys_rmdir(sub));
	VT_ERR(vc, rump_sys_stat(sub, &st), RUMP_ENOENT);
	VT_OK(vc, rump_sys_stat(d, &pst1));
	VT_EQ(vc, pst1.st_nlink, pst0.st_nlink);
	return 0;
}

static int vt_rename(struct vt_ctx *vc, const char *d)
{
	char a[64], b[64], da[64], db[64];
	struct rump_stat st;

	vt_strlcpy(a, vt_path(vc, d, "a"), sizeof(a));
	vt_strlcpy(b, vt_path(vc, d, "b"), sizeof(b));
	vt_strlcpy(da, vt_path(vc, d, "da"), sizeof(da));
	vt_strlcpy(db, vt_path(vc, d, "db"), sizeof(db));
	if (vt_write_file(vc, a, "content a") != 0 ||
	    vt_write_file(vc, b, "content b") != 0)
		return -1;
	/* over an existing file: b now has a's content, a is gone */
	VT_OK(vc, rump_sys_rename(a, b));
	VT_ERR(vc, rump_sys_stat(a, &st), RUMP_ENOENT);
	if (vt_check_file(vc, b, "content a") != 0)
		return -1;
	/* same name: no change */
	VT_OK(vc, rump_sys_rename(b, b));
	if (vt_check_file(vc, b, "content a") != 0)
		return -1;
	/* directories: into its own subtree, over a non-empty directory */
	VT_OK(vc, rump_sys_mkdir(da, 0755));
	VT_OK(vc, rump_sys_mkdir(db, 0755));
	VT_ERR(vc, rump_sys_rename(da, vt_path(vc, da, "inner")),
	    RUMP_EINVAL);
	if (vt_write_file(vc, vt_path(vc, db, "f"), "f") != 0)
		return -1;
	VT_ERR(vc, rump_sys_rename(da, db), RUMP_ENOTEMPTY);
	/* a file moved into a directory */
	VT_OK(vc, rump_sys_rename(b, vt_path(vc, da, "moved")));
	if (vt_check_file(vc, vt_path(vc, da, "moved"), "content a") != 0)
		return -1;
	return 0;
}

static int vt_unlink_open_file(struct vt_ctx *vc, const char *d)
{
	const char *p = vt_path(vc, d, "u");
	struct rump_stat st;
	int fd;

	if (vt_write_file(vc, p, "still here") != 0)
		return -1;
	fd = rump_sys_open(p, RUMP_O_RDONLY);
	VT_OK(vc, fd);
	if (rump_sys_unlink(p) == -1) {
		(void)rump_sys_close(fd);
		return vt_fail(vc, "unlink", rump_errno(), 0);
	}
	if (rump_sys_stat(p, &st) != -1 || rump_errno() != RUMP_ENOENT) {
		(void)rump_sys_close(fd);
		return vt_fail(vc, "stat after unlink: errno", rump_errno(),
		    RUMP_ENOENT);
	}
	if (rump_sys_read(fd, vc->vc_buf, VT_BUFSIZE) != 10 ||
	    rump_sys_fstat(fd, &st) == -1) {
		(void)rump_sys_close(fd);
		return vt_fail(vc, "read/fstat of the unlinked open file",
		    rump_errno(), 0);
	}
	VT_OK(vc, rump_sys_close(fd));
	VT_EQ(vc, st.st_nlink, 0);
	VT_EQ(vc, __builtin_memcmp(vc->vc_buf, "still here", 10), 0);
	return 0;
}

/* Every name comes back exactly once, with a small getdents buffer. */
static int vt_getdents(struct vt_ctx *vc, const char *d)
{
	unsigned char seen[VT_NDIRFILES];
	int fd, n, off, dots = 0, files = 0;
	struct rump_dirent *de;
	char name[8];

	for (int i = 0; i < VT_NDIRFILES; i++) {
		rump_size_t l = 0;

		name[l++] = 'n';
		vt_putnum(name, &l, i);
		if (vt_write_file(vc, vt_path(vc, d, name), name) != 0)
			return -1;
		seen[i] = 0;
	}
	fd = rump_sys_open(d, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	VT_OK(vc, fd);
	/* 512 bytes: several calls are needed */
	while ((n = rump_sys_getdents(fd, vc->vc_buf, 512)) > 0) {
		for (off = 0; off < n; off += de->d_reclen) {
			de = (struct rump_dirent *)(vc->vc_buf + off);
			if (de->d_reclen == 0)
				break;
			if (__builtin_strcmp(de->d_name, ".") == 0 ||
			    __builtin_strcmp(de->d_name, "..") == 0) {
				dots++;
				continue;
			}
			if (de->d_name[0] == 'n' && de->d_type == RUMP_DT_REG) {
				long v = 0;

				for (char *c = de->d_name + 1; *c; c++)
					v = v * 10 + (*c - '0');
				if (v >= 0 && v < VT_NDIRFILES)
					seen[v]++;
			}
			files++;
		}
	}
	(void)rump_sys_close(fd);
	VT_OK(vc, n);
	VT_EQ(vc, dots, 2);
	VT_EQ(vc, files, VT_NDIRFILES);
	for (int i = 0; i < VT_NDIRFILES; i++)
		VT_EQ(vc, seen[i], 1);
	return 0;
}

static int vt_symlink(struct vt_ctx *vc, const char *d)
{
	char t[64], l[64], dl[64];
	struct rump_stat st;
	rump_ssize_t n;

	vt_strlcpy(t, vt_path(vc, d, "target"), sizeof(t));
	vt_strlcpy(l, vt_path(vc, d, "link"), sizeof(l));
	vt_strlcpy(dl, vt_path(vc, d, "dangling"), sizeof(dl));
	if (vt_write_file(vc, t, "through the link") != 0)
		return -1;
	VT_OK(vc, rump_sys_symlink("target", l));
	n = rump_sys_readlink(l, vc->vc_buf, VT_BUFSIZE);
	VT_EQ(vc, n, 6);
	VT_EQ(vc, __builtin_memcmp(vc->vc_buf, "target", 6), 0);
	VT_OK(vc, rump_sys_lstat(l, &st));
	VT_EQ(vc, st.st_mode & RUMP_S_IFMT, RUMP_S_IFLNK);
	VT_EQ(vc, st.st_size, 6);
	VT_OK(vc, rump_sys_stat(l, &st));
	VT_EQ(vc, st.st_mode & RUMP_S_IFMT, RUMP_S_IFREG);
	if (vt_check_file(vc, l, "through the link") != 0)
		return -1;
	VT_OK(vc, rump_sys_symlink("nowhere", dl));
	VT_ERR(vc, rump_sys_stat(dl, &st), RUMP_ENOENT);
	VT_ERR(vc, rump_sys_symlink("x", l), RUMP_EEXIST);
	return 0;
}

static int vt_errors(struct vt_ctx *vc, const char *d)
{
	struct rump_stat st;
	char f[64];

	vt_strlcpy(f, vt_path(vc, d, "file"), sizeof(f));
	if (vt_write_file(vc, f, "x") != 0)
		return -1;
	VT_ERR(vc, rump_sys_open(vt_path(vc, d, "missing"), RUMP_O_RDONLY),
	    RUMP_ENOENT);
	VT_ERR(vc, rump_sys_open(f, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_EXCL,
	    0644), RUMP_EEXIST);
	VT_ERR(vc, rump_sys_stat(vt_path(vc, f, "below"), &st), RUMP_ENOTDIR);
	VT_ERR(vc, rump_sys_open(f, RUMP_O_RDONLY | RUMP_O_DIRECTORY),
	    RUMP_ENOTDIR);
	VT_ERR(vc, rump_sys_open(d, RUMP_O_WRONLY), RUMP_EISDIR);
	VT_ERR(vc, rump_sys_unlink(d), RUMP_EPERM);
	VT_ERR(vc, rump_sys_read(12345, vc->vc_buf, 1), RUMP_EBADF);
	VT_ERR(vc, rump_sys_close(-1), RUMP_EBADF);
	VT_ERR(vc, rump_sys_open(NULL, RUMP_O_RDONLY), RUMP_EFAULT);
	VT_ERR(vc, rump_sys_stat(f, NULL), RUMP_EFAULT);
	return 0;
}

static int vt_statvfs(struct vt_ctx *vc, const char *d)
{
	struct rump_statvfs *sv = (struct rump_statvfs *)vc->vc_buf;
	int rv;

	/* struct rump_statvfs is ~3.3 KiB: in the case buffer, not on the stack */
	rv = rump_sys_statvfs1(d, sv, RUMP_ST_WAIT);
	VT_OK(vc, rv);
	VT_EQ(vc, __builtin_strcmp(sv->f_fstypename, "tmpfs"), 0);
	VT_EQ(vc, __builtin_strcmp(sv->f_mntonname, "/mnt"), 0);
	if (sv->f_frsize == 0 || sv->f_blocks == 0)
		return vt_fail(vc, "statvfs: no size", (long long)sv->f_blocks,
		    1);
	return 0;
}

/* kernfs on /kern: the files are listed, readable, sized, and read-only. */
static int vt_kernfs(struct vt_ctx *vc, const char *d)
{
	static const char *const names[] = {
		"version", "hostname", "boottime", "uptime", "memory",
		"threads", "mounts", "vnodes", "files",
	};
	struct rump_stat st;
	rump_ssize_t n;
	int fd, rv;

	(void)d;	/* kernfs gets its own mount point */
	VT_OK(vc, rump_sys_mount("kernfs", "/kern", 0, NULL, 0));
	rv = 0;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]) && rv == 0;
	    i++) {
		const char *p = vt_path(vc, "/kern", names[i]);

		if (rump_sys_stat(p, &st) == -1) {
			rv = vt_fail(vc, "stat of a kernfs file: errno",
			    rump_errno(), 0);
			break;
		}
		if ((st.st_mode & 07777) != 0444 ||
		    (st.st_mode & RUMP_S_IFMT) != RUMP_S_IFREG) {
			rv = vt_fail(vc, "kernfs file mode", st.st_mode,
			    RUMP_S_IFREG | 0444);
			break;
		}
		fd = rump_sys_open(p, RUMP_O_RDONLY);
		if (fd == -1) {
			rv = vt_fail(vc, "open of a kernfs file: errno",
			    rump_errno(), 0);
			break;
		}
		n = rump_sys_read(fd, vc->vc_buf, VT_BUFSIZE);
		(void)rump_sys_close(fd);
		if (n <= 0 || vc->vc_buf[n - 1] != '\n')
			rv = vt_fail(vc, "kernfs text not a line", n, 1);
		/* stable files: the size stat reported is what was read */
		else if (i < 3 && n != st.st_size)
			rv = vt_fail(vc, "kernfs size vs read", st.st_size, n);
	}
	if (rv == 0 && rump_sys_open("/kern/version", RUMP_O_WRONLY) != -1)
		rv = vt_fail(vc, "kernfs opened for writing", 0, RUMP_EROFS);
	if (rv == 0 && rump_errno() != RUMP_EROFS && rump_errno() != RUMP_EACCES)
		rv = vt_fail(vc, "kernfs write open: errno", rump_errno(),
		    RUMP_EROFS);
	if (rv == 0 && rump_sys_mkdir("/kern/dir", 0755) != -1)
		rv = vt_fail(vc, "mkdir in kernfs", 0, RUMP_EROFS);
	if (rv == 0 && rump_sys_stat("/kern/nonexistent", &st) != -1)
		rv = vt_fail(vc, "stat of a missing kernfs name", 0, RUMP_ENOENT);
	VT_OK(vc, rump_sys_unmount("/kern", 0));
	return rv;
}

/* Last: a mount with an open file is busy; after the close it unmounts. */
static int vt_unmount_busy(struct vt_ctx *vc, const char *d)
{
	int fd;

	fd = rump_sys_open(vt_path(vc, d, "busy"), RUMP_O_RDWR | RUMP_O_CREAT,
	    0644);
	VT_OK(vc, fd);
	if (rump_sys_unmount("/mnt", 0) != -1) {
		(void)rump_sys_close(fd);
		return vt_fail(vc, "unmount with an open file succeeded", 0,
		    RUMP_EBUSY);
	}
	if (rump_errno() != RUMP_EBUSY) {
		(void)rump_sys_close(fd);
		return vt_fail(vc, "unmount busy: errno", rump_errno(),
		    RUMP_EBUSY);
	}
	VT_OK(vc, rump_sys_close(fd));
	VT_OK(vc, rump_sys_unmount("/mnt", 0));
	return 0;
}

static const struct vt_case {
	const char	*vt_name;
	int		(*vt_fn)(struct vt_ctx *, const char *dir);
} vt_cases[] = {
	{ "open_write_read_pread_pwrite",	vt_open_write_read },
	{ "stat_fstat_truncate_chmod",		vt_stat_regular },
	{ "mkdir_rmdir_nlink_enotempty",	vt_mkdir_rmdir },
	{ "rename_over_file_and_dir_rules",	vt_rename },
	{ "unlink_open_file_stays_readable",	vt_unlink_open_file },
	{ "getdents_lists_each_name_once",	vt_getdents },
	{ "symlink_readlink_follow",		vt_symlink },
	{ "error_codes",			vt_errors },
	{ "statvfs_tmpfs",			vt_statvfs },
	{ "kernfs_files_read_only",		vt_kernfs },
	{ "unmount_busy_then_clean",		vt_unmount_busy },
};

/* ---------------------------------------------------------------- runner */

static void vt_report(struct vt_ctx *vc, const char *name, int rv)
{
	const struct vfstest_env *env = vc->vc_env;

	if (rv == 0) {
		env->ve_printf("PASS: %s.%s", env->ve_prefix, name);
	} else {
		env->ve_printf("FAIL: %s.%s: %s", env->ve_prefix, name,
		    vc->vc_why[0] != '\0' ? vc->vc_why : "failed");
		vc->vc_failed++;
	}
}

/* Returns the number of failed cases (every case is reported). */
static int vfstest_run(const struct vfstest_env *env)
{
	struct vt_ctx *vc;
	struct rump_tmpfs_args ta;
	unsigned i;
	int failed, error;

	vc = env->ve_alloc(sizeof(*vc));
	if (vc == NULL) {
		env->ve_printf("FAIL: %s.setup: out of memory", env->ve_prefix);
		return 1;
	}
	__builtin_memset(vc, 0, sizeof(*vc));
	vc->vc_env = env;
	vc->vc_buf = env->ve_alloc(VT_BUFSIZE);
	vc->vc_buf2 = env->ve_alloc(VT_BUFSIZE);
	if (vc->vc_buf == NULL || vc->vc_buf2 == NULL) {
		env->ve_printf("FAIL: %s.setup: out of memory", env->ve_prefix);
		failed = 1;
		goto out_free;
	}
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error) {
		env->ve_printf("FAIL: %s.setup: rfork: error %d",
		    env->ve_prefix, error);
		failed = 1;
		goto out_free;
	}

	__builtin_memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_size_max = 8LL * 1024 * 1024;
	ta.ta_root_mode = 0755;
	if (rump_sys_mount("tmpfs", "/mnt", 0, &ta, sizeof(ta)) == -1) {
		vt_fail(vc, "mount tmpfs on /mnt: errno", rump_errno(), 0);
		vt_report(vc, "mount_tmpfs", -1);
		for (i = 0; i < sizeof(vt_cases) / sizeof(vt_cases[0]); i++)
			env->ve_printf("FAIL: %s.%s: no tmpfs mounted",
			    env->ve_prefix, vt_cases[i].vt_name);
		failed = vc->vc_failed + (int)i;
		goto out_release;
	}
	vt_report(vc, "mount_tmpfs", 0);

	for (i = 0; i < sizeof(vt_cases) / sizeof(vt_cases[0]); i++) {
		char dir[32];
		rump_size_t l = vt_strlcpy(dir, "/mnt/case", sizeof(dir));
		int rv;

		vt_putnum(dir, &l, i);
		vc->vc_why[0] = '\0';
		rv = rump_sys_mkdir(dir, 0755) == -1 ?
		    vt_fail(vc, "mkdir of the case directory: errno",
			rump_errno(), 0) :
		    vt_cases[i].vt_fn(vc, dir);
		vt_report(vc, vt_cases[i].vt_name, rv);
	}
	failed = vc->vc_failed;
	/* the last case unmounted /mnt; if it failed, try again */
	if (failed != 0)
		(void)rump_sys_unmount("/mnt", 0);
out_release:
	rump_pub_lwproc_releaselwp();
out_free:
	if (vc->vc_buf2 != NULL)
		env->ve_free(vc->vc_buf2);
	if (vc->vc_buf != NULL)
		env->ve_free(vc->vc_buf);
	env->ve_free(vc);
	return failed;
}
