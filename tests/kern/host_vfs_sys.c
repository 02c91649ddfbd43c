/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vfs_sys.c: cases of the VFS suite for mounts and load: mount/
 * unmount (busy refusals, size limits), statvfs, sync, 10,000 files in a
 * directory, a 100 MB file, concurrent readers and writers on several
 * lwps.  Run by host_vfs.c.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_vfs.h"

static void
sys_mount_unmount_busy(void)
{
	struct rump_statvfs *sv;
	char buf[8];
	int fd;

	HV_OK(rump_sys_mkdir("/mnt/m", 0755));
	HV_OK(rump_sys_mount("tmpfs", "/mnt/m", 0, NULL, 0));
	HV_OK(hv_write_file("/mnt/m/f", "mnt", 3));
	sv = malloc(sizeof(*sv));
	HV_REQUIRE(sv != NULL);
	if (rump_sys_statvfs1("/mnt/m/f", sv, RUMP_ST_WAIT) != 0 ||
	    strcmp(sv->f_fstypename, "tmpfs") != 0 ||
	    strcmp(sv->f_mntonname, "/mnt/m") != 0) {
		free(sv);
		HV_REQUIRE(!"statvfs1 names the mount");
	}
	free(sv);
	HV_ERR(rump_sys_mount("tmpfs", "/mnt/m", 0, NULL, 0), RUMP_EBUSY);
	/* an open file keeps the mount busy */
	fd = rump_sys_open("/mnt/m/f", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_ERR(rump_sys_unmount("/mnt/m", 0), RUMP_EBUSY);
	HV_OK(rump_sys_close(fd));
	/* so does a current directory inside it */
	HV_OK(rump_sys_chdir("/mnt/m"));
	HV_ERR(rump_sys_unmount("/mnt/m", 0), RUMP_EBUSY);
	HV_OK(rump_sys_chdir("/"));
	HV_ERR(rump_sys_unmount("/mnt/m/f", 0), RUMP_EINVAL);
	HV_ERR(rump_sys_unmount("/mnt", 0), RUMP_EINVAL);
	HV_ERR(rump_sys_unmount("/mnt/m", 0x7), RUMP_EINVAL);
	HV_OK(rump_sys_unmount("/mnt/m", 0));
	HV_ERR(rump_sys_stat("/mnt/m/f", NULL), RUMP_ENOENT);
	HV_EQ(hv_read_file("/mnt/m/f", buf, sizeof(buf)), -1);
	HV_ERR(rump_sys_unmount("/mnt/m", 0), RUMP_EINVAL);
	/* mount again: a fresh, empty file system */
	HV_OK(rump_sys_mount("tmpfs", "/mnt/m", 0, NULL, 0));
	HV_EQ(hv_count_entries("/mnt/m"), 0);
	HV_OK(rump_sys_unmount("/mnt/m", 0));
	HV_ERR(rump_sys_unmount("/", 0), RUMP_EBUSY);
}

static void
sys_mount_errors(void)
{
	HV_OK(hv_write_file("/tmp/f", "x", 1));
	HV_ERR(rump_sys_mount("nosuchfs", "/mnt", 0, NULL, 0), RUMP_ENODEV);
	HV_ERR(rump_sys_mount("tmpfs", "/tmp/f", 0, NULL, 0), RUMP_ENOTDIR);
	HV_ERR(rump_sys_mount("tmpfs", "/none", 0, NULL, 0), RUMP_ENOENT);
	HV_ERR(rump_sys_mount(NULL, "/mnt", 0, NULL, 0), RUMP_EFAULT);
	HV_ERR(rump_sys_mount("tmpfs", NULL, 0, NULL, 0), RUMP_EFAULT);
	HV_ERR(rump_sys_mount("tmpfs", "/mnt", 0, NULL, 16), RUMP_EFAULT);
	HV_ERR(rump_sys_mount("tmpfs", "/mnt", 0x100000, NULL, 0),
	    RUMP_EINVAL);
	HV_ERR(rump_sys_mount("tmpfs", "/mnt", RUMP_MNT_UPDATE, NULL, 0),
	    RUMP_EOPNOTSUPP);
	HV_ERR(rump_sys_unmount(NULL, 0), RUMP_EFAULT);
}

static void
sys_mount_size_limit_enospc(void)
{
	struct rump_tmpfs_args ta;
	struct rump_statvfs *sv;
	char *buf;
	rump_ssize_t n;
	long long total = 0;
	int fd;

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_size_max = 1024 * 1024;
	ta.ta_root_mode = 0755;
	HV_OK(rump_sys_mkdir("/mnt/s", 0755));
	HV_OK(rump_sys_mount("tmpfs", "/mnt/s", 0, &ta, sizeof(ta)));
	buf = calloc(1, 65536);
	HV_REQUIRE(buf != NULL);
	fd = rump_sys_open("/mnt/s/big", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	if (fd < 0) {
		free(buf);
		HV_REQUIRE(fd >= 0);
	}
	for (;;) {
		n = rump_sys_write(fd, buf, 65536);
		if (n <= 0)
			break;
		total += n;
		if (total > 4 * 1024 * 1024)
			break;
	}
	free(buf);
	HV_EQ(n, -1);
	HV_EQ(rump_errno(), RUMP_ENOSPC);
	HV_REQUIRE(total > 0 && total <= 1024 * 1024);
	HV_OK(rump_sys_close(fd));
	sv = malloc(sizeof(*sv));
	HV_REQUIRE(sv != NULL);
	fd = rump_sys_open("/mnt/s", RUMP_O_RDONLY);
	if (fd < 0 || rump_sys_fstatvfs1(fd, sv, 0) != 0 ||
	    strcmp(sv->f_fstypename, "tmpfs") != 0) {
		free(sv);
		HV_REQUIRE(!"fstatvfs1 on the size-limited mount");
	}
	free(sv);
	HV_OK(rump_sys_close(fd));
	/* freeing space makes room again */
	HV_OK(rump_sys_unlink("/mnt/s/big"));
	HV_OK(hv_write_file("/mnt/s/small", "ok", 2));
	HV_OK(rump_sys_unmount("/mnt/s", 0));
}

static void
sys_statvfs_and_sync(void)
{
	struct rump_statvfs *sv;
	int ok;

	sv = malloc(sizeof(*sv));
	HV_REQUIRE(sv != NULL);
	ok = rump_sys_statvfs1("/", sv, RUMP_ST_WAIT) == 0 &&
	    strcmp(sv->f_fstypename, "tmpfs") == 0 &&
	    strcmp(sv->f_mntonname, "/") == 0 && sv->f_bsize > 0 &&
	    sv->f_namemax > 0;
	free(sv);
	HV_REQUIRE(ok);
	HV_ERR(rump_sys_statvfs1("/", NULL, 0), RUMP_EFAULT);
	HV_ERR(rump_sys_statvfs1("/none", (void *)&ok, 0), RUMP_ENOENT);
	HV_ERR(rump_sys_statvfs1("/", (void *)&ok, 0x10), RUMP_EINVAL);
	HV_ERR(rump_sys_fstatvfs1(42, (void *)&ok, 0), RUMP_EBADF);
	HV_OK(hv_write_file("/tmp/f", "sync", 4));
	rump_sys_sync();
	HV_EQ(hv_count_entries("/tmp"), 1);
}

#define MANY	10000

static void
sys_many_files_one_dir(void)
{
	struct rump_stat sb;
	char name[64];
	int i, fd;

	HV_OK(rump_sys_mkdir("/tmp/many", 0755));
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "/tmp/many/file%05d", i);
		fd = rump_sys_open(name, RUMP_O_WRONLY | RUMP_O_CREAT |
		    RUMP_O_EXCL, 0644);
		HV_REQUIRE(fd >= 0);
		HV_EQ(rump_sys_write(fd, name, 4), 4);
		HV_OK(rump_sys_close(fd));
	}
	HV_EQ(hv_count_entries("/tmp/many"), MANY);
	for (i = 0; i < MANY; i += 997) {
		snprintf(name, sizeof(name), "/tmp/many/file%05d", i);
		HV_OK(rump_sys_stat(name, &sb));
		HV_EQ(sb.st_size, 4);
	}
	/* remove every other file, then the rest */
	for (i = 0; i < MANY; i += 2) {
		snprintf(name, sizeof(name), "/tmp/many/file%05d", i);
		HV_OK(rump_sys_unlink(name));
	}
	HV_EQ(hv_count_entries("/tmp/many"), MANY / 2);
	for (i = 1; i < MANY; i += 2) {
		snprintf(name, sizeof(name), "/tmp/many/file%05d", i);
		HV_OK(rump_sys_unlink(name));
	}
	HV_EQ(hv_count_entries("/tmp/many"), 0);
	HV_OK(rump_sys_rmdir("/tmp/many"));
}

#define BIG_TOTAL	(100 * 1024 * 1024)
#define BIG_CHUNK	(1024 * 1024)

static void
big_fill(unsigned char *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i += 4) {
		seed = seed * 1103515245u + 12345u;
		memcpy(p + i, &seed, 4);
	}
}

static void
sys_big_file_100mb(void)
{
	unsigned char *w, *r;
	struct rump_stat sb;
	int fd, i, ok = 1;

	w = malloc(BIG_CHUNK);
	r = malloc(BIG_CHUNK);
	if (w == NULL || r == NULL) {
		free(w);
		free(r);
		HV_REQUIRE(!"malloc");
	}
	fd = rump_sys_open("/tmp/big", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	for (i = 0; fd >= 0 && ok && i < BIG_TOTAL / BIG_CHUNK; i++) {
		big_fill(w, BIG_CHUNK, (uint32_t)i);
		ok = rump_sys_write(fd, w, BIG_CHUNK) == BIG_CHUNK;
	}
	if (fd >= 0 && ok)
		ok = rump_sys_fstat(fd, &sb) == 0 && sb.st_size == BIG_TOTAL &&
		    rump_sys_lseek(fd, 0, RUMP_SEEK_SET) == 0;
	for (i = 0; fd >= 0 && ok && i < BIG_TOTAL / BIG_CHUNK; i++) {
		big_fill(w, BIG_CHUNK, (uint32_t)i);
		ok = rump_sys_read(fd, r, BIG_CHUNK) == BIG_CHUNK &&
		    memcmp(w, r, BIG_CHUNK) == 0;
	}
	if (fd >= 0 && ok)
		ok = rump_sys_read(fd, r, BIG_CHUNK) == 0;
	free(w);
	free(r);
	HV_REQUIRE(fd >= 0);
	HV_REQUIRE(ok);
	HV_OK(rump_sys_close(fd));
	HV_OK(rump_sys_unlink("/tmp/big"));
}

/*
 * Concurrency: NTHREADS host threads, each with its own process
 * (rump_pub_lwproc_rfork), hammer one shared file: each writes its own
 * region with pwrite and reads it back, and reads the others' regions
 * (whose bytes are always one of the known patterns); half of them also
 * create, write and remove files of their own in a shared directory.
 */
#define NTHREADS	6
#define REGION		8192
#define ROUNDS		200

struct conc_arg {
	int	ca_id;
	int	ca_failed;
	char	ca_why[128];
};

static void *
conc_thread(void *v)
{
	struct conc_arg *ca = v;
	unsigned char buf[REGION], chk[REGION];
	char name[64];
	int fd, fd2, round, other, j;

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		snprintf(ca->ca_why, sizeof(ca->ca_why), "rfork");
		ca->ca_failed = 1;
		return NULL;
	}
	fd = rump_sys_open("/tmp/shared", RUMP_O_RDWR);
	if (fd < 0) {
		snprintf(ca->ca_why, sizeof(ca->ca_why), "open errno %d",
		    rump_errno());
		ca->ca_failed = 1;
		goto out_release;
	}
	for (round = 0; round < ROUNDS && !ca->ca_failed; round++) {
		memset(buf, 'A' + (round % 26), REGION);
		if (rump_sys_pwrite(fd, buf, REGION,
		    (long long)ca->ca_id * REGION) != REGION ||
		    rump_sys_pread(fd, chk, REGION,
		    (long long)ca->ca_id * REGION) != REGION ||
		    memcmp(buf, chk, REGION) != 0) {
			snprintf(ca->ca_why, sizeof(ca->ca_why),
			    "own region, round %d", round);
			ca->ca_failed = 1;
			break;
		}
		other = (ca->ca_id + 1 + round) % NTHREADS;
		if (rump_sys_pread(fd, chk, REGION,
		    (long long)other * REGION) != REGION) {
			snprintf(ca->ca_why, sizeof(ca->ca_why), "pread");
			ca->ca_failed = 1;
			break;
		}
		for (j = 0; j < REGION; j++) {
			if (chk[j] != 0 && (chk[j] < 'A' || chk[j] > 'Z')) {
				snprintf(ca->ca_why, sizeof(ca->ca_why),
				    "garbage byte in region %d", other);
				ca->ca_failed = 1;
				break;
			}
		}
		if (ca->ca_id % 2 == 0) {
			snprintf(name, sizeof(name), "/tmp/cdir/t%d-%d",
			    ca->ca_id, round);
			fd2 = rump_sys_open(name, RUMP_O_RDWR | RUMP_O_CREAT |
			    RUMP_O_EXCL, 0600);
			if (fd2 < 0 || rump_sys_write(fd2, name, 8) != 8 ||
			    rump_sys_close(fd2) != 0 ||
			    rump_sys_unlink(name) != 0) {
				snprintf(ca->ca_why, sizeof(ca->ca_why),
				    "create/unlink %s errno %d", name,
				    rump_errno());
				ca->ca_failed = 1;
			}
		} else {
			/* readers of the directory under change */
			if (hv_count_entries("/tmp/cdir") < 0) {
				snprintf(ca->ca_why, sizeof(ca->ca_why),
				    "getdents under change");
				ca->ca_failed = 1;
			}
		}
	}
	if (rump_sys_close(fd) != 0 && !ca->ca_failed) {
		snprintf(ca->ca_why, sizeof(ca->ca_why), "close");
		ca->ca_failed = 1;
	}
out_release:
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
sys_concurrent_lwps(void)
{
	static struct conc_arg args[NTHREADS];
	pthread_t t[NTHREADS];
	struct rump_stat sb;
	int i, fd;

	fd = rump_sys_open("/tmp/shared", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_ftruncate(fd, (long long)NTHREADS * REGION));
	HV_OK(rump_sys_close(fd));
	HV_OK(rump_sys_mkdir("/tmp/cdir", 0777));
	for (i = 0; i < NTHREADS; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		args[i].ca_id = i;
		HV_REQUIRE(pthread_create(&t[i], NULL, conc_thread,
		    &args[i]) == 0);
	}
	for (i = 0; i < NTHREADS; i++)
		HV_REQUIRE(pthread_join(t[i], NULL) == 0);
	for (i = 0; i < NTHREADS; i++)
		if (args[i].ca_failed)
			hv_fail(__FILE__, __LINE__, "thread %d: %s", i,
			    args[i].ca_why);
	HV_OK(rump_sys_stat("/tmp/shared", &sb));
	HV_EQ(sb.st_size, (long long)NTHREADS * REGION);
	HV_EQ(hv_count_entries("/tmp/cdir"), 0);
}

/* A mount's vnodes and nodes all go with it (the leak check sees it). */
static void
sys_no_leak_after_unmount(void)
{
	char name[64];
	int i, fd;

	HV_OK(rump_sys_mkdir("/mnt/l", 0755));
	HV_OK(rump_sys_mount("tmpfs", "/mnt/l", 0, NULL, 0));
	HV_OK(rump_sys_mkdir("/mnt/l/d", 0755));
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "/mnt/l/d/f%d", i);
		HV_OK(hv_write_file(name, name, strlen(name)));
	}
	HV_OK(rump_sys_symlink("d/f1", "/mnt/l/s"));
	fd = rump_sys_open("/mnt/l/d/f2", RUMP_O_RDONLY);
	HV_REQUIRE(fd >= 0);
	HV_OK(rump_sys_unlink("/mnt/l/d/f2"));	/* open and unlinked */
	HV_ERR(rump_sys_unmount("/mnt/l", 0), RUMP_EBUSY);
	HV_OK(rump_sys_close(fd));
	HV_OK(rump_sys_unmount("/mnt/l", 0));
	HV_OK(rump_sys_rmdir("/mnt/l"));
}

const struct hv_case hv_cases_sys[] = {
	{ "mount_unmount_busy", sys_mount_unmount_busy },
	{ "mount_errors", sys_mount_errors },
	{ "mount_size_limit_enospc", sys_mount_size_limit_enospc },
	{ "statvfs_and_sync", sys_statvfs_and_sync },
	{ "many_files_one_dir", sys_many_files_one_dir },
	{ "big_file_100mb", sys_big_file_100mb },
	{ "concurrent_lwps", sys_concurrent_lwps },
	{ "no_leak_after_unmount", sys_no_leak_after_unmount },
	{ NULL, NULL },
};
