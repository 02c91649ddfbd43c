/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vfs_util.c: the shared helpers of the userspace VFS suite
 * (host_vfs.h): failure recording and small file and directory helpers
 * over the public API.  A helper file (no main): the build links it into
 * every hosted test program, so it depends on nothing but the API.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_vfs.h"

int hv_failed;
char hv_msg[512];

void
hv_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (hv_failed++)
		return;
	n = snprintf(hv_msg, sizeof(hv_msg), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(hv_msg))
		return;
	va_start(ap, fmt);
	vsnprintf(hv_msg + n, sizeof(hv_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

int
hv_write_file(const char *path, const void *buf, size_t len)
{
	int fd, rv = 0;

	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	if (fd < 0)
		return -1;
	if (rump_sys_write(fd, buf, len) != (rump_ssize_t)len)
		rv = -1;
	if (rump_sys_close(fd) != 0)
		rv = -1;
	return rv;
}

long
hv_read_file(const char *path, void *buf, size_t len)
{
	rump_ssize_t n;
	int fd;

	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd < 0)
		return -1;
	n = rump_sys_read(fd, buf, len);
	if (rump_sys_close(fd) != 0)
		return -1;
	return (long)n;
}

/* Walk directory path: count entries; find name (type, or -1 if absent). */
static long
hv_scan_dir(const char *path, const char *name, int *typep)
{
	enum { HV_DIRBUF = 8192 };
	struct rump_dirent *dp;
	char *buf;
	long count = 0;
	int fd, n, off;

	if (typep != NULL)
		*typep = -1;
	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		return -1;
	buf = malloc(HV_DIRBUF);	/* per call: threads scan at once */
	if (buf == NULL) {
		(void)rump_sys_close(fd);
		return -1;
	}
	while ((n = rump_sys_getdents(fd, buf, HV_DIRBUF)) > 0) {
		for (off = 0; off < n; off += dp->d_reclen) {
			dp = (struct rump_dirent *)(void *)(buf + off);
			if (dp->d_reclen == 0 || dp->d_reclen % 8 != 0 ||
			    off + dp->d_reclen > n ||
			    dp->d_name[dp->d_namlen] != '\0') {
				(void)rump_sys_close(fd);
				free(buf);
				return -1;
			}
			if (name != NULL && typep != NULL &&
			    strcmp(dp->d_name, name) == 0)
				*typep = dp->d_type;
			if (strcmp(dp->d_name, ".") == 0 ||
			    strcmp(dp->d_name, "..") == 0)
				continue;
			count++;
		}
	}
	free(buf);
	if (rump_sys_close(fd) != 0 || n < 0)
		return -1;
	return count;
}

long
hv_count_entries(const char *path)
{
	return hv_scan_dir(path, NULL, NULL);
}

int
hv_dir_has(const char *path, const char *name, int type)
{
	int t;

	if (hv_scan_dir(path, name, &t) < 0)
		return -1;
	return t == type;
}

