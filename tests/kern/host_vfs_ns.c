/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vfs_ns.c: cases of the VFS suite for the name space: mkdir/rmdir,
 * unlink, link counts, symlink/readlink, rename edge cases, getdents,
 * chdir/fchdir, unlink of an open file.  Run by host_vfs.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_vfs.h"

static void
ns_mkdir_rmdir(void)
{
	struct rump_stat sb;

	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(rump_sys_stat("/tmp/d", &sb));
	HV_REQUIRE(RUMP_S_ISDIR(sb.st_mode));
	HV_EQ(sb.st_nlink, 2);
	HV_ERR(rump_sys_mkdir("/tmp/d", 0755), RUMP_EEXIST);
	HV_ERR(rump_sys_mkdir("/", 0755), RUMP_EEXIST);
	HV_ERR(rump_sys_mkdir("/tmp/none/d", 0755), RUMP_ENOENT);
	HV_OK(rump_sys_mkdir("/tmp/d/e/", 0755));	/* trailing slash */
	HV_OK(rump_sys_stat("/tmp/d", &sb));
	HV_EQ(sb.st_nlink, 3);
	HV_ERR(rump_sys_rmdir("/tmp/d"), RUMP_ENOTEMPTY);
	HV_ERR(rump_sys_rmdir("/tmp/d/e/."), RUMP_EINVAL);
	HV_OK(hv_write_file("/tmp/f", "", 0));
	HV_ERR(rump_sys_rmdir("/tmp/f"), RUMP_ENOTDIR);
	HV_ERR(rump_sys_mkdir("/tmp/f/x", 0755), RUMP_ENOTDIR);
	HV_ERR(rump_sys_rmdir("/tmp/none"), RUMP_ENOENT);
	HV_ERR(rump_sys_rmdir("/"), RUMP_EBUSY);
	HV_ERR(rump_sys_rmdir("/tmp"), RUMP_ENOTEMPTY);
	HV_OK(rump_sys_rmdir("/tmp/d/e/"));
	HV_OK(rump_sys_stat("/tmp/d", &sb));
	HV_EQ(sb.st_nlink, 2);
	HV_OK(rump_sys_rmdir("/tmp/d"));
	HV_ERR(rump_sys_stat("/tmp/d", &sb), RUMP_ENOENT);
	HV_ERR(rump_sys_mkdir(NULL, 0755), RUMP_EFAULT);
}

static void
ns_unlink(void)
{
	struct rump_stat sb;

	HV_OK(hv_write_file("/tmp/f", "abc", 3));
	HV_OK(rump_sys_unlink("/tmp/f"));
	HV_ERR(rump_sys_stat("/tmp/f", &sb), RUMP_ENOENT);
	HV_ERR(rump_sys_unlink("/tmp/f"), RUMP_ENOENT);
	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_ERR(rump_sys_unlink("/tmp/d"), RUMP_EPERM);
	HV_OK(hv_write_file("/tmp/g", "abc", 3));
	HV_ERR(rump_sys_unlink("/tmp/g/"), RUMP_ENOTDIR);
	/* unlinking a symlink removes the link, not its target */
	HV_OK(rump_sys_symlink("/tmp/g", "/tmp/l"));
	HV_OK(rump_sys_unlink("/tmp/l"));
	HV_OK(rump_sys_stat("/tmp/g", &sb));
}

static void
ns_link_counts(void)
{
	struct rump_stat a, b;

	HV_OK(hv_write_file("/tmp/f", "abc", 3));
	HV_OK(rump_sys_link("/tmp/f", "/tmp/g"));
	HV_OK(rump_sys_stat("/tmp/f", &a));
	HV_OK(rump_sys_stat("/tmp/g", &b));
	HV_EQ(a.st_ino, b.st_ino);
	HV_EQ(a.st_nlink, 2);
	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(rump_sys_link("/tmp/g", "/tmp/d/h"));
	HV_OK(rump_sys_stat("/tmp/d/h", &b));
	HV_EQ(b.st_nlink, 3);
	HV_ERR(rump_sys_link("/tmp/f", "/tmp/g"), RUMP_EEXIST);
	HV_ERR(rump_sys_link("/tmp/d", "/tmp/e"), RUMP_EPERM);
	HV_ERR(rump_sys_link("/tmp/none", "/tmp/e"), RUMP_ENOENT);
	HV_OK(rump_sys_unlink("/tmp/f"));
	HV_OK(rump_sys_stat("/tmp/g", &b));
	HV_EQ(b.st_nlink, 2);
	HV_OK(rump_sys_unlink("/tmp/d/h"));
	HV_OK(rump_sys_stat("/tmp/g", &b));
	HV_EQ(b.st_nlink, 1);
	/* directories: 2 + one per subdirectory */
	HV_OK(rump_sys_mkdir("/tmp/d/s1", 0755));
	HV_OK(rump_sys_mkdir("/tmp/d/s2", 0755));
	HV_OK(rump_sys_stat("/tmp/d", &a));
	HV_EQ(a.st_nlink, 4);
	HV_OK(rump_sys_rename("/tmp/d/s2", "/tmp/s2"));
	HV_OK(rump_sys_stat("/tmp/d", &a));
	HV_EQ(a.st_nlink, 3);
}

static void
ns_symlink_readlink(void)
{
	struct rump_stat sb;
	char buf[64];
	int fd;

	HV_OK(hv_write_file("/tmp/f", "target", 6));
	HV_OK(rump_sys_symlink("/tmp/f", "/tmp/abs"));
	HV_OK(rump_sys_symlink("f", "/tmp/rel"));
	HV_OK(rump_sys_symlink("rel", "/tmp/chain"));
	HV_EQ(rump_sys_readlink("/tmp/abs", buf, sizeof(buf)), 6);
	HV_REQUIRE(memcmp(buf, "/tmp/f", 6) == 0);
	HV_EQ(rump_sys_readlink("/tmp/abs", buf, 3), 3);	/* truncated */
	HV_REQUIRE(memcmp(buf, "/tm", 3) == 0);
	HV_EQ(hv_read_file("/tmp/chain", buf, sizeof(buf)), 6);
	HV_REQUIRE(memcmp(buf, "target", 6) == 0);
	HV_ERR(rump_sys_readlink("/tmp/f", buf, sizeof(buf)), RUMP_EINVAL);
	HV_ERR(rump_sys_readlink("/tmp/none", buf, sizeof(buf)),
	    RUMP_ENOENT);
	HV_ERR(rump_sys_readlink("/tmp/abs", NULL, 10), RUMP_EFAULT);
	HV_ERR(rump_sys_symlink("x", "/tmp/abs"), RUMP_EEXIST);
	/* dangling */
	HV_OK(rump_sys_symlink("/tmp/nowhere", "/tmp/dang"));
	HV_ERR(rump_sys_stat("/tmp/dang", &sb), RUMP_ENOENT);
	HV_OK(rump_sys_lstat("/tmp/dang", &sb));
	/* O_CREAT through a dangling link creates the target */
	fd = rump_sys_open("/tmp/dang", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_close(fd));
	HV_OK(rump_sys_stat("/tmp/nowhere", &sb));
	/* loops */
	HV_OK(rump_sys_symlink("/tmp/loop2", "/tmp/loop1"));
	HV_OK(rump_sys_symlink("/tmp/loop1", "/tmp/loop2"));
	HV_ERR(rump_sys_stat("/tmp/loop1", &sb), RUMP_ELOOP);
	HV_ERR(rump_sys_open("/tmp/loop1/x", RUMP_O_RDONLY), RUMP_ELOOP);
	/* a link to a directory in the middle of a path */
	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(hv_write_file("/tmp/d/in", "in", 2));
	HV_OK(rump_sys_symlink("d", "/tmp/dl"));
	HV_EQ(hv_read_file("/tmp/dl/in", buf, sizeof(buf)), 2);
}

static void
ns_rename_over_file(void)
{
	struct rump_stat a, b;
	char buf[16];

	HV_OK(hv_write_file("/tmp/a", "AAA", 3));
	HV_OK(hv_write_file("/tmp/b", "BBBBB", 5));
	HV_OK(rump_sys_stat("/tmp/a", &a));
	HV_OK(rump_sys_rename("/tmp/a", "/tmp/b"));
	HV_ERR(rump_sys_stat("/tmp/a", &b), RUMP_ENOENT);
	HV_OK(rump_sys_stat("/tmp/b", &b));
	HV_EQ(a.st_ino, b.st_ino);
	HV_EQ(b.st_nlink, 1);
	HV_EQ(hv_read_file("/tmp/b", buf, sizeof(buf)), 3);
	HV_REQUIRE(memcmp(buf, "AAA", 3) == 0);
	/* across directories */
	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(rump_sys_rename("/tmp/b", "/tmp/d/c"));
	HV_EQ(hv_read_file("/tmp/d/c", buf, sizeof(buf)), 3);
	HV_EQ(hv_count_entries("/tmp"), 1);
	HV_EQ(hv_dir_has("/tmp/d", "c", RUMP_DT_REG), 1);
}

static void
ns_rename_dirs(void)
{
	struct rump_stat sb;

	HV_OK(rump_sys_mkdir("/tmp/a", 0755));
	HV_OK(rump_sys_mkdir("/tmp/a/sub", 0755));
	HV_OK(rump_sys_mkdir("/tmp/empty", 0755));
	HV_OK(rump_sys_mkdir("/tmp/full", 0755));
	HV_OK(hv_write_file("/tmp/full/x", "x", 1));
	HV_OK(hv_write_file("/tmp/file", "f", 1));
	/* dir over non-empty dir */
	HV_ERR(rump_sys_rename("/tmp/a", "/tmp/full"), RUMP_ENOTEMPTY);
	/* dir over file, file over dir */
	HV_ERR(rump_sys_rename("/tmp/a", "/tmp/file"), RUMP_ENOTDIR);
	HV_ERR(rump_sys_rename("/tmp/file", "/tmp/empty"), RUMP_EISDIR);
	/* dir into its own subtree */
	HV_ERR(rump_sys_rename("/tmp/a", "/tmp/a/sub/a"), RUMP_EINVAL);
	HV_ERR(rump_sys_rename("/tmp/a", "/tmp/a/b"), RUMP_EINVAL);
	/* dot names */
	HV_ERR(rump_sys_rename("/tmp/a/.", "/tmp/z"), RUMP_EINVAL);
	HV_ERR(rump_sys_rename("/tmp/a", "/tmp/empty/.."), RUMP_EINVAL);
	HV_ERR(rump_sys_rename("/tmp/none", "/tmp/z"), RUMP_ENOENT);
	HV_ERR(rump_sys_rename("/tmp/a", "/tmp/none/z"), RUMP_ENOENT);
	/* dir over empty dir */
	HV_OK(rump_sys_rename("/tmp/a", "/tmp/empty"));
	HV_ERR(rump_sys_stat("/tmp/a", &sb), RUMP_ENOENT);
	HV_OK(rump_sys_stat("/tmp/empty/sub", &sb));
	/* ".." of a moved directory follows it */
	HV_OK(rump_sys_rename("/tmp/empty", "/tmp/full/moved"));
	HV_OK(rump_sys_stat("/tmp/full/moved/sub/../../x", &sb));
	HV_REQUIRE(RUMP_S_ISREG(sb.st_mode));
	HV_OK(rump_sys_stat("/tmp/full", &sb));
	HV_EQ(sb.st_nlink, 3);
}

static void
ns_rename_same_file(void)
{
	struct rump_stat sb;

	HV_OK(hv_write_file("/tmp/f", "same", 4));
	HV_OK(rump_sys_rename("/tmp/f", "/tmp/f"));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_EQ(sb.st_size, 4);
	/* two links of one file: rename does nothing, both stay */
	HV_OK(rump_sys_link("/tmp/f", "/tmp/g"));
	HV_OK(rump_sys_rename("/tmp/f", "/tmp/g"));
	HV_OK(rump_sys_stat("/tmp/f", &sb));
	HV_OK(rump_sys_stat("/tmp/g", &sb));
	HV_EQ(sb.st_nlink, 2);
	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(rump_sys_rename("/tmp/d", "/tmp/d"));
	HV_OK(rump_sys_stat("/tmp/d", &sb));
}

static void
ns_rename_across_mounts_exdev(void)
{
	HV_OK(rump_sys_mkdir("/mnt/t", 0755));
	HV_OK(rump_sys_mount("tmpfs", "/mnt/t", 0, NULL, 0));
	HV_OK(hv_write_file("/tmp/f", "x", 1));
	HV_ERR(rump_sys_rename("/tmp/f", "/mnt/t/f"), RUMP_EXDEV);
	HV_ERR(rump_sys_link("/tmp/f", "/mnt/t/f"), RUMP_EXDEV);
	/* the mount point itself cannot be renamed or removed */
	HV_ERR(rump_sys_rename("/mnt/t", "/mnt/u"), RUMP_EBUSY);
	HV_ERR(rump_sys_rmdir("/mnt/t"), RUMP_EBUSY);
	HV_OK(rump_sys_unmount("/mnt/t", 0));
	HV_OK(rump_sys_rename("/mnt/t", "/mnt/u"));
}

static void
ns_unlink_open_file(void)
{
	struct rump_stat sb;
	char buf[16];
	int fd;

	HV_OK(hv_write_file("/tmp/f", "still here", 10));
	fd = rump_sys_open("/tmp/f", RUMP_O_RDWR);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_unlink("/tmp/f"));
	HV_ERR(rump_sys_stat("/tmp/f", &sb), RUMP_ENOENT);
	HV_EQ(rump_sys_read(fd, buf, sizeof(buf)), 10);
	HV_REQUIRE(memcmp(buf, "still here", 10) == 0);
	HV_EQ(rump_sys_pwrite(fd, "S", 1, 0), 1);
	HV_EQ(rump_sys_pread(fd, buf, 1, 0), 1);
	HV_EQ(buf[0], 'S');
	HV_OK(rump_sys_fstat(fd, &sb));
	HV_EQ(sb.st_nlink, 0);
	HV_EQ(hv_count_entries("/tmp"), 0);
	HV_OK(rump_sys_close(fd));
	/* a new file of the same name is a new file */
	HV_OK(hv_write_file("/tmp/f", "new", 3));
	HV_EQ(hv_read_file("/tmp/f", buf, sizeof(buf)), 3);
}

static void
ns_getdents_lists_entries(void)
{
	char buf[256];
	int fd, n;

	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(hv_write_file("/tmp/d/file", "x", 1));
	HV_OK(rump_sys_mkdir("/tmp/d/dir", 0755));
	HV_OK(rump_sys_symlink("file", "/tmp/d/link"));
	HV_EQ(hv_count_entries("/tmp/d"), 3);
	HV_EQ(hv_dir_has("/tmp/d", "file", RUMP_DT_REG), 1);
	HV_EQ(hv_dir_has("/tmp/d", "dir", RUMP_DT_DIR), 1);
	HV_EQ(hv_dir_has("/tmp/d", "link", RUMP_DT_LNK), 1);
	HV_EQ(hv_dir_has("/tmp/d", ".", RUMP_DT_DIR), 1);
	HV_EQ(hv_dir_has("/tmp/d", "..", RUMP_DT_DIR), 1);
	HV_EQ(hv_dir_has("/", "tmp", RUMP_DT_DIR), 1);
	fd = rump_sys_open("/tmp/d", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	/* too small for one record */
	HV_ERR(rump_sys_getdents(fd, buf, 4), RUMP_EINVAL);
	HV_ERR(rump_sys_getdents(fd, NULL, sizeof(buf)), RUMP_EFAULT);
	/* read one small chunk at a time to the end */
	n = 0;
	for (;;) {
		int got = rump_sys_getdents(fd, buf, 40);
		HV_REQUIRE(got >= 0);
		if (got == 0)
			break;
		n++;
		HV_REQUIRE(n < 100);
	}
	HV_REQUIRE(n >= 3);
	HV_OK(rump_sys_close(fd));
	fd = rump_sys_open("/tmp/d/file", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_ERR(rump_sys_getdents(fd, buf, sizeof(buf)), RUMP_ENOTDIR);
	HV_OK(rump_sys_close(fd));
	HV_ERR(rump_sys_getdents(77, buf, sizeof(buf)), RUMP_EBADF);
}

static void
ns_chdir_fchdir(void)
{
	struct rump_stat sb;
	int fd;

	HV_OK(rump_sys_mkdir("/tmp/d", 0755));
	HV_OK(rump_sys_chdir("/tmp/d"));
	HV_OK(hv_write_file("rel", "r", 1));
	HV_OK(rump_sys_stat("/tmp/d/rel", &sb));
	HV_OK(rump_sys_mkdir("sub", 0755));
	HV_OK(rump_sys_chdir("sub"));
	HV_OK(rump_sys_stat("../rel", &sb));
	HV_OK(rump_sys_chdir(".."));
	HV_ERR(rump_sys_chdir("rel"), RUMP_ENOTDIR);
	HV_ERR(rump_sys_chdir("none"), RUMP_ENOENT);
	HV_ERR(rump_sys_chdir(NULL), RUMP_EFAULT);
	fd = rump_sys_open("/", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_fchdir(fd));
	HV_OK(rump_sys_close(fd));
	HV_OK(rump_sys_stat("tmp/d/rel", &sb));
	/* ".." at the root stays at the root */
	HV_OK(rump_sys_stat("/../../tmp", &sb));
	fd = rump_sys_open("/tmp/d/rel", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_ERR(rump_sys_fchdir(fd), RUMP_ENOTDIR);
	HV_OK(rump_sys_close(fd));
	HV_ERR(rump_sys_fchdir(fd), RUMP_EBADF);
}

static void
ns_long_paths(void)
{
	char *p;
	struct rump_stat sb;

	p = malloc(1100);
	HV_REQUIRE(p != NULL);
	memset(p, 'x', 1099);
	p[0] = '/';
	p[1099] = '\0';
	HV_ERR(rump_sys_mkdir(p, 0755), RUMP_ENAMETOOLONG);
	HV_ERR(rump_sys_unlink(p), RUMP_ENAMETOOLONG);
	HV_ERR(rump_sys_rename(p, "/tmp/x"), RUMP_ENAMETOOLONG);
	HV_ERR(rump_sys_rename("/tmp", p), RUMP_ENAMETOOLONG);
	HV_ERR(rump_sys_symlink(p, "/tmp/x"), RUMP_ENAMETOOLONG);
	HV_ERR(rump_sys_stat(p, &sb), RUMP_ENAMETOOLONG);
	HV_ERR(rump_sys_chdir(p), RUMP_ENAMETOOLONG);
	/* a path of exactly MAXPATHLEN - 1 bytes is copied in */
	p[RUMP_MAXPATHLEN - 1] = '\0';
	HV_ERR(rump_sys_stat(p, &sb), RUMP_ENAMETOOLONG);	/* component */
	free(p);
}

const struct hv_case hv_cases_ns[] = {
	{ "mkdir_rmdir", ns_mkdir_rmdir },
	{ "unlink", ns_unlink },
	{ "link_counts", ns_link_counts },
	{ "symlink_readlink", ns_symlink_readlink },
	{ "rename_over_file", ns_rename_over_file },
	{ "rename_dirs", ns_rename_dirs },
	{ "rename_same_file", ns_rename_same_file },
	{ "rename_across_mounts_exdev", ns_rename_across_mounts_exdev },
	{ "unlink_open_file", ns_unlink_open_file },
	{ "getdents_lists_entries", ns_getdents_lists_entries },
	{ "chdir_fchdir", ns_chdir_fchdir },
	{ "long_paths", ns_long_paths },
	{ NULL, NULL },
};
