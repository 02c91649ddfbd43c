/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vfs_io.c: cases of the VFS suite for descriptors and file data:
 * open/openat/close, read/write/pread/pwrite/readv/writev/lseek,
 * stat/fstat/lstat/access, dup/dup2/fcntl, truncate/ftruncate,
 * chmod/fchmod/chown/utimes, fsync.  Run by host_vfs.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_vfs.h"

#define BADPTR	((void *)(uintptr_t)16)	/* in the first page: EFAULT */

static void
io_open_create_write_read(void)
{
	static const char msg[] = "hello, tmpfs";
	char buf[64];
	struct rump_stat sb;
	int fd;

	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT, 0600);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_write(fd, msg, sizeof(msg)), sizeof(msg));
	HV_EQ(rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	HV_EQ(rump_sys_read(fd, buf, sizeof(buf)), sizeof(msg));
	HV_REQUIRE(memcmp(buf, msg, sizeof(msg)) == 0);
	HV_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);	/* EOF */
	HV_OK(rump_sys_fstat(fd, &sb));
	HV_REQUIRE(RUMP_S_ISREG(sb.st_mode));
	HV_EQ(sb.st_mode & 07777, 0600);
	HV_EQ(sb.st_size, sizeof(msg));
	HV_EQ(sb.st_nlink, 1);
	HV_OK(rump_sys_close(fd));
	HV_EQ(hv_read_file("/tmp/f", buf, sizeof(buf)), sizeof(msg));
}

static void
io_open_errors(void)
{
	char *longpath, longname[600];
	int fd;

	HV_ERR(rump_sys_open("/tmp/none", RUMP_O_RDONLY), RUMP_ENOENT);
	HV_ERR(rump_sys_open("/none/x", RUMP_O_RDWR | RUMP_O_CREAT, 0600),
	    RUMP_ENOENT);
	HV_OK(hv_write_file("/tmp/f", "x", 1));
	HV_ERR(rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0600), RUMP_EEXIST);
	HV_ERR(rump_sys_open("/tmp/f", RUMP_O_ACCMODE), RUMP_EINVAL);
	HV_ERR(rump_sys_open("/tmp/f", 0x40000000), RUMP_EINVAL);
	HV_ERR(rump_sys_open(NULL, RUMP_O_RDONLY), RUMP_EFAULT);
	HV_ERR(rump_sys_open(BADPTR, RUMP_O_RDONLY), RUMP_EFAULT);
	HV_ERR(rump_sys_open("", RUMP_O_RDONLY), RUMP_ENOENT);
	HV_ERR(rump_sys_open("/tmp/f/x", RUMP_O_RDONLY), RUMP_ENOTDIR);
	HV_ERR(rump_sys_open("/tmp/f", RUMP_O_RDONLY | RUMP_O_DIRECTORY),
	    RUMP_ENOTDIR);
	HV_ERR(rump_sys_open("/tmp", RUMP_O_RDWR), RUMP_EISDIR);
	longpath = malloc(2000);
	HV_REQUIRE(longpath != NULL);
	memset(longpath, 'a', 1999);
	longpath[0] = '/';
	longpath[1999] = '\0';
	fd = rump_sys_open(longpath, RUMP_O_RDONLY);
	free(longpath);
	HV_EQ(fd, -1);
	HV_EQ(rump_errno(), RUMP_ENAMETOOLONG);
	memset(longname, 'b', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	HV_ERR(rump_sys_open(longname, RUMP_O_RDWR | RUMP_O_CREAT, 0600),
	    RUMP_ENAMETOOLONG);
	/* O_NOFOLLOW on a symlink: EFTYPE, as in NetBSD (POSIX says ELOOP). */
	HV_OK(rump_sys_symlink("/tmp/f", "/tmp/l"));
	fd = rump_sys_open("/tmp/l", RUMP_O_RDONLY | RUMP_O_NOFOLLOW);
	HV_EQ(fd, -1);
	HV_REQUIRE(rump_errno() == RUMP_EFTYPE);
}

static void
io_close_errors(void)
{
	int fd;

	HV_ERR(rump_sys_close(-1), RUMP_EBADF);
	HV_ERR(rump_sys_close(12345), RUMP_EBADF);
	fd = rump_sys_open("/tmp", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_close(fd));
	HV_ERR(rump_sys_close(fd), RUMP_EBADF);
	HV_ERR(rump_sys_read(fd, &fd, 1), RUMP_EBADF);
}

static void
io_access_mode_enforced(void)
{
	char c = 'x';
	int fd;

	fd = rump_sys_open("/tmp/f", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	HV_ERR(rump_sys_read(fd, &c, 1), RUMP_EBADF);
	HV_EQ(rump_sys_write(fd, &c, 1), 1);
	HV_OK(rump_sys_close(fd));
	fd = rump_sys_open("/tmp/f", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_ERR(rump_sys_write(fd, &c, 1), RUMP_EBADF);
	HV_ERR(rump_sys_ftruncate(fd, 0), RUMP_EINVAL);
	HV_OK(rump_sys_close(fd));
}

static void
io_offsets_seek_pread_append(void)
{
	char buf[16];
	int fd;

	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_write(fd, "0123456789", 10), 10);
	HV_EQ(rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 10);
	HV_EQ(rump_sys_lseek(fd, -3, RUMP_SEEK_END), 7);
	HV_EQ(rump_sys_read(fd, buf, 16), 3);
	HV_REQUIRE(memcmp(buf, "789", 3) == 0);
	HV_ERR(rump_sys_lseek(fd, -100, RUMP_SEEK_SET), RUMP_EINVAL);
	HV_ERR(rump_sys_lseek(fd, 0, 7), RUMP_EINVAL);
	HV_ERR(rump_sys_lseek(99, 0, RUMP_SEEK_SET), RUMP_EBADF);
	/* pread/pwrite leave the offset alone */
	HV_EQ(rump_sys_lseek(fd, 2, RUMP_SEEK_SET), 2);
	HV_EQ(rump_sys_pread(fd, buf, 4, 5), 4);
	HV_REQUIRE(memcmp(buf, "5678", 4) == 0);
	HV_EQ(rump_sys_pwrite(fd, "AB", 2, 0), 2);
	HV_EQ(rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 2);
	HV_ERR(rump_sys_pread(fd, buf, 4, -1), RUMP_EINVAL);
	HV_EQ(rump_sys_pread(fd, buf, 4, 100), 0);
	/* a hole reads as zeros */
	HV_EQ(rump_sys_pwrite(fd, "Z", 1, 20000), 1);
	HV_EQ(rump_sys_pread(fd, buf, 4, 15000), 4);
	HV_REQUIRE(buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 0);
	HV_OK(rump_sys_close(fd));
	/* O_APPEND writes at the end whatever the offset */
	fd = rump_sys_open("/tmp/g", RUMP_O_RDWR | RUMP_O_CREAT |
	    RUMP_O_APPEND, 0644);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_write(fd, "abc", 3), 3);
	HV_EQ(rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
	HV_EQ(rump_sys_write(fd, "def", 3), 3);
	HV_EQ(rump_sys_pread(fd, buf, 16, 0), 6);
	HV_REQUIRE(memcmp(buf, "abcdef", 6) == 0);
	HV_OK(rump_sys_close(fd));
}

static void
io_bad_buffers_efault(void)
{
	struct rump_stat sb;
	int fd;

	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_write(fd, "data", 4), 4);
	HV_ERR(rump_sys_write(fd, NULL, 4), RUMP_EFAULT);
	HV_ERR(rump_sys_pread(fd, BADPTR, 4, 0), RUMP_EFAULT);
	HV_ERR(rump_sys_fstat(fd, NULL), RUMP_EFAULT);
	HV_ERR(rump_sys_stat("/tmp/f", BADPTR), RUMP_EFAULT);
	HV_ERR(rump_sys_stat(NULL, &sb), RUMP_EFAULT);
	HV_ERR(rump_sys_pread(fd, (void *)(uintptr_t)-8, 16, 0), RUMP_EFAULT);
	HV_ERR(rump_sys_readv(fd, NULL, 1), RUMP_EFAULT);
	HV_ERR(rump_sys_utimes("/tmp/f", BADPTR), RUMP_EFAULT);
	HV_ERR(rump_sys_getdents(fd, NULL, 100), RUMP_EFAULT);
	HV_OK(rump_sys_close(fd));
	/* a size that cannot be a buffer */
	HV_ERR(rump_sys_read(0, &sb, (rump_size_t)-1), RUMP_EINVAL);
}

static void
io_readv_writev(void)
{
	struct rump_iovec iov[3];
	char a[4] = "abcd", b[3] = "efg", c[5] = "hijkl", out[12];
	int fd;

	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	iov[0].iov_base = a; iov[0].iov_len = 4;
	iov[1].iov_base = b; iov[1].iov_len = 3;
	iov[2].iov_base = c; iov[2].iov_len = 5;
	HV_EQ(rump_sys_writev(fd, iov, 3), 12);
	HV_EQ(rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
	memset(a, 0, 4); memset(b, 0, 3); memset(c, 0, 5);
	HV_EQ(rump_sys_readv(fd, iov, 3), 12);
	HV_REQUIRE(memcmp(a, "abcd", 4) == 0 && memcmp(b, "efg", 3) == 0 &&
	    memcmp(c, "hijkl", 5) == 0);
	HV_EQ(rump_sys_pread(fd, out, 12, 0), 12);
	HV_REQUIRE(memcmp(out, "abcdefghijkl", 12) == 0);
	HV_ERR(rump_sys_readv(fd, iov, 0), RUMP_EINVAL);
	HV_ERR(rump_sys_writev(fd, iov, 1025), RUMP_EINVAL);
	HV_ERR(rump_sys_writev(fd, iov, -1), RUMP_EINVAL);
	iov[1].iov_base = NULL;
	HV_ERR(rump_sys_writev(fd, iov, 3), RUMP_EFAULT);
	HV_OK(rump_sys_close(fd));
}

static void
io_stat_lstat_access(void)
{
	struct rump_stat sb, lsb;

	HV_OK(hv_write_file("/tmp/f", "12345", 5));
	HV_OK(rump_sys_symlink("f", "/tmp/l"));
	HV_OK(rump_sys_stat("/tmp/l", &sb));
	HV_REQUIRE(RUMP_S_ISREG(sb.st_mode));
	HV_EQ(sb.st_size, 5);
	HV_OK(rump_sys_lstat("/tmp/l", &lsb));
	HV_REQUIRE(RUMP_S_ISLNK(lsb.st_mode));
	HV_EQ(lsb.st_size, 1);
	HV_REQUIRE(lsb.st_ino != sb.st_ino);
	HV_OK(rump_sys_stat("/tmp", &sb));
	HV_REQUIRE(RUMP_S_ISDIR(sb.st_mode));
	HV_EQ(sb.st_mode & 07777, 01777);
	HV_ERR(rump_sys_stat("/tmp/none", &sb), RUMP_ENOENT);
	HV_ERR(rump_sys_stat("/tmp/f/", &sb), RUMP_ENOTDIR);
	HV_OK(rump_sys_access("/tmp/f", RUMP_F_OK));
	HV_OK(rump_sys_access("/tmp/f", RUMP_R_OK | RUMP_W_OK));
	HV_ERR(rump_sys_access("/tmp/none", RUMP_F_OK), RUMP_ENOENT);
	HV_ERR(rump_sys_access("/tmp/f", 0x100), RUMP_EINVAL);
	/* root may not execute a file without any x bit */
	HV_ERR(rump_sys_access("/tmp/f", RUMP_X_OK), RUMP_EACCES);
}

static void
io_dup_dup2_fcntl(void)
{
	char c;
	int fd, fd2, fd3;

	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_write(fd, "xyz", 3), 3);
	fd2 = rump_sys_dup(fd);
	HV_REQUIRE(fd2 >= 0 && fd2 != fd);
	/* a duplicate shares the offset */
	HV_EQ(rump_sys_lseek(fd2, 1, RUMP_SEEK_SET), 1);
	HV_EQ(rump_sys_read(fd, &c, 1), 1);
	HV_EQ(c, 'y');
	HV_EQ(rump_sys_dup2(fd, 20), 20);
	HV_EQ(rump_sys_lseek(20, 0, RUMP_SEEK_CUR), 2);
	HV_EQ(rump_sys_dup2(fd, fd), fd);
	HV_ERR(rump_sys_dup2(fd, -1), RUMP_EBADF);
	HV_ERR(rump_sys_dup2(77, 3), RUMP_EBADF);
	HV_ERR(rump_sys_dup(-5), RUMP_EBADF);
	HV_OK(rump_sys_close(20));
	HV_OK(rump_sys_close(fd2));

	HV_EQ(rump_sys_fcntl(fd, RUMP_F_GETFL), RUMP_O_RDWR);
	HV_OK(rump_sys_fcntl(fd, RUMP_F_SETFL, RUMP_O_APPEND | RUMP_O_RDONLY));
	HV_EQ(rump_sys_fcntl(fd, RUMP_F_GETFL), RUMP_O_RDWR | RUMP_O_APPEND);
	HV_EQ(rump_sys_fcntl(fd, RUMP_F_GETFD), 0);
	HV_OK(rump_sys_fcntl(fd, RUMP_F_SETFD, RUMP_FD_CLOEXEC));
	HV_EQ(rump_sys_fcntl(fd, RUMP_F_GETFD), RUMP_FD_CLOEXEC);
	fd3 = rump_sys_fcntl(fd, RUMP_F_DUPFD, 10);
	HV_REQUIRE(fd3 >= 10);
	HV_EQ(rump_sys_fcntl(fd3, RUMP_F_GETFD), 0);
	HV_OK(rump_sys_close(fd3));
	fd3 = rump_sys_fcntl(fd, RUMP_F_DUPFD_CLOEXEC, 0);
	HV_REQUIRE(fd3 >= 0);
	HV_EQ(rump_sys_fcntl(fd3, RUMP_F_GETFD), RUMP_FD_CLOEXEC);
	HV_OK(rump_sys_close(fd3));
	HV_ERR(rump_sys_fcntl(fd, 999), RUMP_EINVAL);
	HV_ERR(rump_sys_fcntl(99, RUMP_F_GETFL), RUMP_EBADF);
	HV_ERR(rump_sys_fcntl(99, RUMP_F_GETFD), RUMP_EBADF);
	HV_ERR(rump_sys_fcntl(fd, RUMP_F_DUPFD, -1), RUMP_EINVAL);
	HV_OK(rump_sys_close(fd));
	fd = rump_sys_open("/tmp/f", RUMP_O_RDONLY | RUMP_O_CLOEXEC);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_fcntl(fd, RUMP_F_GETFD), RUMP_FD_CLOEXEC);
	HV_EQ(rump_sys_fcntl(fd, RUMP_F_GETFL), RUMP_O_RDONLY);
	HV_OK(rump_sys_close(fd));
}

static void
io_truncate_ftruncate(void)
{
	struct rump_stat sb;
	char buf[8];
	int fd;

	HV_OK(hv_write_file("/tmp/f", "abcdefgh", 8));
	HV_OK(rump_sys_truncate("/tmp/f", 3));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_EQ(sb.st_size, 3);
	HV_OK(rump_sys_truncate("/tmp/f", 6));
	HV_EQ(hv_read_file("/tmp/f", buf, sizeof(buf)), 6);
	HV_REQUIRE(memcmp(buf, "abc\0\0\0", 6) == 0);
	HV_ERR(rump_sys_truncate("/tmp/f", -1), RUMP_EINVAL);
	HV_ERR(rump_sys_truncate("/tmp", 0), RUMP_EISDIR);
	HV_ERR(rump_sys_truncate("/tmp/none", 0), RUMP_ENOENT);
	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_ftruncate(fd, 1));
	HV_OK(rump_sys_fstat(fd, &sb));
	HV_EQ(sb.st_size, 1);
	HV_ERR(rump_sys_ftruncate(fd, -5), RUMP_EINVAL);
	HV_OK(rump_sys_fsync(fd));
	HV_OK(rump_sys_close(fd));
	HV_ERR(rump_sys_ftruncate(fd, 0), RUMP_EBADF);
	HV_ERR(rump_sys_fsync(fd), RUMP_EBADF);
}

static void
io_chmod_chown_utimes(void)
{
	struct rump_timeval tv[2];
	struct rump_stat sb;
	int fd;

	HV_OK(hv_write_file("/tmp/f", "x", 1));
	HV_OK(rump_sys_chmod("/tmp/f", 0751));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_EQ(sb.st_mode & 07777, 0751);
	HV_REQUIRE(RUMP_S_ISREG(sb.st_mode));
	fd = rump_sys_open("/tmp/f", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_fchmod(fd, 0604));
	HV_OK(rump_sys_fstat(fd, &sb));
	HV_EQ(sb.st_mode & 07777, 0604);
	HV_OK(rump_sys_close(fd));
	HV_ERR(rump_sys_fchmod(fd, 0600), RUMP_EBADF);
	HV_ERR(rump_sys_chmod("/tmp/none", 0600), RUMP_ENOENT);

	HV_OK(rump_sys_chown("/tmp/f", 1000, 2000));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_EQ(sb.st_uid, 1000);
	HV_EQ(sb.st_gid, 2000);
	HV_OK(rump_sys_chown("/tmp/f", (rump_uid_t)-1, 3000));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_EQ(sb.st_uid, 1000);
	HV_EQ(sb.st_gid, 3000);

	tv[0].tv_sec = 1000000; tv[0].tv_usec = 5;
	tv[1].tv_sec = 2000000; tv[1].tv_usec = 7;
	HV_OK(rump_sys_utimes("/tmp/f", tv));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_EQ(sb.st_atimespec.tv_sec, 1000000);
	HV_EQ(sb.st_atimespec.tv_nsec, 5000);
	HV_EQ(sb.st_mtimespec.tv_sec, 2000000);
	HV_EQ(sb.st_mtimespec.tv_nsec, 7000);
	HV_OK(rump_sys_utimes("/tmp/f", NULL));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_REQUIRE(sb.st_mtimespec.tv_sec > 2000000);
	tv[1].tv_usec = 1000000;
	HV_ERR(rump_sys_utimes("/tmp/f", tv), RUMP_EINVAL);
}

static void
io_openat_relative(void)
{
	char buf[8];
	int dfd, fd;

	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	dfd = rump_sys_open("/tmp/d", RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	HV_REQUIRE(dfd >= 0);
	fd = rump_sys_openat(dfd, "f", RUMP_O_RDWR | RUMP_O_CREAT, 0600);
	HV_REQUIRE(fd >= 0);
	HV_EQ(rump_sys_write(fd, "at", 2), 2);
	HV_OK(rump_sys_close(fd));
	HV_EQ(hv_read_file("/tmp/d/f", buf, sizeof(buf)), 2);
	fd = rump_sys_openat(RUMP_AT_FDCWD, "tmp/d/f", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);		/* cwd is / */
	HV_ERR(rump_sys_openat(fd, "x", RUMP_O_RDONLY), RUMP_ENOTDIR);
	HV_OK(rump_sys_close(fd));
	HV_ERR(rump_sys_openat(55, "x", RUMP_O_RDONLY), RUMP_EBADF);
	/* an absolute path ignores the descriptor */
	fd = rump_sys_openat(55, "/tmp/d/f", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_close(fd));
	HV_OK(rump_sys_close(dfd));
}

static void
io_umask_applies_to_create(void)
{
	struct rump_stat sb;
	int fd;

	/* the default umask of proc0 is 022 */
	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR | RUMP_O_CREAT, 0777);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_fstat(fd, &sb));
	HV_OK(rump_sys_close(fd));
	HV_EQ(sb.st_mode & 0777, 0755);
	HV_OK(rump_sys_mkdir("/tmp/d", 0777));
	HV_OK(rump_sys_stat("/tmp/d", &sb));
	HV_EQ(sb.st_mode & 0777, 0755);
}

const struct hv_case hv_cases_io[] = {
	{ "open_create_write_read", io_open_create_write_read },
	{ "open_errors", io_open_errors },
	{ "close_errors", io_close_errors },
	{ "access_mode_enforced", io_access_mode_enforced },
	{ "offsets_seek_pread_append", io_offsets_seek_pread_append },
	{ "bad_buffers_efault", io_bad_buffers_efault },
	{ "readv_writev", io_readv_writev },
	{ "stat_lstat_access", io_stat_lstat_access },
	{ "dup_dup2_fcntl", io_dup_dup2_fcntl },
	{ "truncate_ftruncate", io_truncate_ftruncate },
	{ "chmod_chown_utimes", io_chmod_chown_utimes },
	{ "openat_relative", io_openat_relative },
	{ "umask_applies_to_create", io_umask_applies_to_create },
	{ NULL, NULL },
};
