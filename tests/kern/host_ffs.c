/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffs.c: userspace tests of the disk driver, etfs and read-only FFS
 * (public API only).
 *
 * The test builds a source tree in a scratch directory (a file that
 * reaches double indirect blocks for small block sizes, files around
 * block and fragment boundaries, many small files, a deep directory
 * chain, short and long symlinks (around both short-link limits), a hard
 * link, a fifo, a device node when run as root, a 255-byte name), makes
 * FFS images of it with makefs (UFS1 and UFS2, little- and big-endian,
 * block sizes 4 KiB to 64 KiB), mounts each read-only in a fresh rump
 * kernel through etfs, and compares every object with the source tree:
 * type, permissions, size, owner, link count, mtime, contents, link
 * targets and directory listings.  Then the error paths: etfs and mount
 * errors, and damaged images (bit flips in the superblock, cylinder
 * group, inode and directory blocks, chosen by a fixed seed; a truncated
 * image), which must fail with an error or read cleanly, never crash
 * (ASan and TSan builds run this too).  Every case ends with
 * rump_shutdown and the hypervisor's live-object counters at zero.
 *
 * Output: `PASS: ffs.<case>` / `FAIL: ffs.<case>: <why>`.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include "rumphyp_posix.h"

#define HF_DEV		"/dev/ffs0"
#define HF_MNT		"/mnt"
#define HF_BIGSIZE	(4500 * 1024)	/* past 12 + 1024 blocks of 4 KiB */
#define HF_IOSZ		65536

static char hf_dir[64];			/* scratch directory */
static char hf_msg[512];
static int hf_failed;
static int hf_total_failed;

static void
hf_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (hf_failed++)
		return;
	n = snprintf(hf_msg, sizeof(hf_msg), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(hf_msg + n, sizeof(hf_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

#define HF_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		hf_fail(__FILE__, __LINE__, __VA_ARGS__);		\
		return;							\
	}								\
} while (0)

/* ---------------------------------------------------------------- host tree */

static uint32_t hf_rng = 12345;

static uint32_t
hf_rand(void)
{
	hf_rng ^= hf_rng << 13;
	hf_rng ^= hf_rng >> 17;
	hf_rng ^= hf_rng << 5;
	return hf_rng;
}

static int
hf_write_file(const char *path, size_t size, mode_t mode)
{
	unsigned char *buf = malloc(size ? size : 1);
	size_t i;
	int fd, ok;

	if (buf == NULL)
		return -1;
	for (i = 0; i < size; i++)
		buf[i] = (unsigned char)hf_rand();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok = fd >= 0 && write(fd, buf, size) == (ssize_t)size;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	free(buf);
	return ok && chmod(path, mode) == 0 ? 0 : -1;
}

static int
hf_mkpath(char *out, size_t len, const char *tree, const char *rel)
{
	int n = snprintf(out, len, "%s/%s/%s", hf_dir, tree, rel);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* The full tree (tree "src") or a small one for damage tests ("small"). */
static int
hf_make_tree(const char *tree, int full)
{
	static const size_t sizes[] = { 0, 1, 511, 512, 513, 4095, 4096, 4097,
	    12 * 4096, 12 * 4096 + 1, 12 * 65536 + 7 };
	char p[512], q[512], name[300];
	int i, n;

	if (hf_mkpath(p, sizeof(p), tree, "") || mkdir(p, 0755))
		return -1;
	n = full ? (int)(sizeof(sizes) / sizeof(sizes[0])) : 4;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%zu", sizes[i]);
		if (hf_mkpath(p, sizeof(p), tree, name) ||
		    hf_write_file(p, sizes[i], i % 2 ? 0640 : 04755))
			return -1;
	}
	if (full) {
		if (hf_mkpath(p, sizeof(p), tree, "big") ||
		    hf_write_file(p, HF_BIGSIZE, 0644))
			return -1;
		if (hf_mkpath(q, sizeof(q), tree, "big.link") || link(p, q))
			return -1;
	}
	/* many small files */
	if (hf_mkpath(p, sizeof(p), tree, "many") || mkdir(p, 0750))
		return -1;
	for (i = 0; i < (full ? 300 : 30); i++) {
		snprintf(name, sizeof(name), "many/file-%04d", i);
		if (hf_mkpath(p, sizeof(p), tree, name) ||
		    hf_write_file(p, (size_t)(hf_rand() % 3000), 0600))
			return -1;
	}
	/* deep directories */
	strcpy(name, "deep");
	for (i = 0; i < (full ? 24 : 6); i++) {
		if (hf_mkpath(p, sizeof(p), tree, name) || mkdir(p, 0700))
			return -1;
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
		    "/d%d", i);
	}
	strcat(name, "-leaf");
	if (hf_mkpath(p, sizeof(p), tree, name) || hf_write_file(p, 777, 0444))
		return -1;
	/* symlinks around the UFS1 (60) and UFS2 (120) short-link limits */
	{
		static const int lens[] = { 1, 59, 60, 61, 119, 120, 121, 300,
		    1000 };
		char target[1100];

		for (i = 0; i < (int)(sizeof(lens) / sizeof(lens[0])); i++) {
			memset(target, 'a' + i, (size_t)lens[i]);
			target[lens[i]] = '\0';
			if (lens[i] > 3)
				target[lens[i] / 2] = '/';
			snprintf(name, sizeof(name), "sym%d", lens[i]);
			if (hf_mkpath(p, sizeof(p), tree, name) ||
			    symlink(target, p))
				return -1;
			if (!full && i == 3)
				break;
		}
	}
	memset(name, 'n', 255);
	name[255] = '\0';
	if (hf_mkpath(p, sizeof(p), tree, name) || hf_write_file(p, 10, 0644))
		return -1;
	if (hf_mkpath(p, sizeof(p), tree, "fifo") || mkfifo(p, 0644))
		return -1;
	if (geteuid() == 0) {
		if (hf_mkpath(p, sizeof(p), tree, "null") ||
		    mknod(p, S_IFCHR | 0666, makedev(1, 3)))
			return -1;
	}
	return 0;
}

static int
hf_makefs(const char *img, const char *tree, int version, const char *endian,
    int bsize, int fsize)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "makefs -t ffs -b 20%% -f 20%% "
	    "-o version=%d,bsize=%d,fsize=%d -B %s %s/%s %s/%s "
	    ">/dev/null 2>&1", version, bsize, fsize, endian, hf_dir, img,
	    hf_dir, tree);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- rump side */

struct hf_counts {
	long	files, dirs, links, bytes;
};

static int
hf_mount(const char *dev, int flags)
{
	struct rump_ufs_args args = { .fspec = (char *)dev };

	return rump_sys_mount("ffs", HF_MNT, flags, &args, sizeof(args));
}

/* Compare one regular file's contents. */
static void
hf_cmp_data(const char *hpath, const char *rpath, long long size,
    struct hf_counts *c)
{
	char *hb = malloc(HF_IOSZ), *rb = malloc(HF_IOSZ);
	long long off = 0;
	ssize_t hn, rn;
	int hfd = -1, rfd = -1;

	if (hb == NULL || rb == NULL) {
		hf_fail(__FILE__, __LINE__, "out of memory");
		goto out;
	}
	hfd = open(hpath, O_RDONLY);
	rfd = rump_sys_open(rpath, RUMP_O_RDONLY);
	if (hfd < 0 || rfd < 0) {
		hf_fail(__FILE__, __LINE__, "open %s: errno %d", rpath,
		    rump_errno());
		goto out;
	}
	for (;;) {
		hn = read(hfd, hb, HF_IOSZ);
		rn = rump_sys_read(rfd, rb, HF_IOSZ);
		if (hn != rn) {
			hf_fail(__FILE__, __LINE__, "%s: read at %lld: host "
			    "%zd, rump %zd (errno %d)", rpath, off, hn, rn,
			    rump_errno());
			goto out;
		}
		if (hn <= 0)
			break;
		if (memcmp(hb, rb, (size_t)hn) != 0) {
			hf_fail(__FILE__, __LINE__, "%s: data differ in "
			    "[%lld, %lld)", rpath, off, off + hn);
			goto out;
		}
		off += hn;
	}
	if (off != size)
		hf_fail(__FILE__, __LINE__, "%s: read %lld of %lld bytes",
		    rpath, off, size);
	c->bytes += off;
out:
	if (hfd >= 0)
		close(hfd);
	if (rfd >= 0)
		rump_sys_close(rfd);
	free(hb);
	free(rb);
}

/* Names of the rump directory rpath, as one '\n'-joined sorted-free list. */
static int
hf_rump_names(const char *rpath, char ***namesp, int *np)
{
	char *buf = malloc(8192);
	char **names = NULL;
	int fd, n = 0, got, off;

	if (buf == NULL)
		return -1;
	fd = rump_sys_open(rpath, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	while ((got = rump_sys_getdents(fd, buf, 8192)) > 0) {
		for (off = 0; off < got;) {
			struct rump_dirent *d = (void *)(buf + off);

			names = realloc(names, sizeof(*names) * (size_t)(n + 1));
			names[n++] = strndup(d->d_name, d->d_namlen);
			off += d->d_reclen;
		}
	}
	rump_sys_close(fd);
	free(buf);
	*namesp = names;
	*np = n;
	return got < 0 ? -1 : 0;
}

/* Compare the tree under host path h with rump path r (recursive). */
static void
hf_cmp_tree(const char *h, const char *r, int depth, struct hf_counts *c)
{
	struct dirent *de;
	struct stat hs;
	struct rump_stat rs;
	char hp[1400], rp[1400], ht[1100], rt[1100];
	char **names = NULL;
	int nnames = 0, nhost = 0, i, found;
	ssize_t hl, rl;
	DIR *d;

	HF_CHECK(depth < 64, "too deep");
	HF_CHECK(hf_rump_names(r, &names, &nnames) == 0,
	    "getdents %s: errno %d", r, rump_errno());
	d = opendir(h);
	HF_CHECK(d != NULL, "opendir %s", h);
	while (!hf_failed && (de = readdir(d)) != NULL) {
		nhost++;
		for (found = 0, i = 0; i < nnames; i++)
			found |= strcmp(names[i], de->d_name) == 0;
		if (!found) {
			hf_fail(__FILE__, __LINE__, "%s/%s missing in "
			    "getdents", r, de->d_name);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(hp, sizeof(hp), "%s/%s", h, de->d_name);
		snprintf(rp, sizeof(rp), "%s/%s", r, de->d_name);
		if (lstat(hp, &hs) != 0 || rump_sys_lstat(rp, &rs) != 0) {
			hf_fail(__FILE__, __LINE__, "lstat %s: errno %d", rp,
			    rump_errno());
			break;
		}
		if (hs.st_mode != rs.st_mode || hs.st_uid != rs.st_uid ||
		    hs.st_gid != rs.st_gid ||
		    (!S_ISDIR(hs.st_mode) && hs.st_nlink != rs.st_nlink) ||
		    (S_ISREG(hs.st_mode) && hs.st_size != rs.st_size) ||
		    (!S_ISLNK(hs.st_mode) &&
		    hs.st_mtim.tv_sec != rs.st_mtimespec.tv_sec)) {
			hf_fail(__FILE__, __LINE__, "%s: mode %o/%o uid %u/%u "
			    "nlink %u/%u size %lld/%lld mtime %lld/%lld", rp,
			    hs.st_mode, rs.st_mode, hs.st_uid, rs.st_uid,
			    (unsigned)hs.st_nlink, rs.st_nlink,
			    (long long)hs.st_size, rs.st_size,
			    (long long)hs.st_mtim.tv_sec,
			    rs.st_mtimespec.tv_sec);
			break;
		}
		if (S_ISREG(hs.st_mode)) {
			c->files++;
			hf_cmp_data(hp, rp, (long long)hs.st_size, c);
		} else if (S_ISLNK(hs.st_mode)) {
			c->links++;
			hl = readlink(hp, ht, sizeof(ht));
			rl = rump_sys_readlink(rp, rt, sizeof(rt));
			if (hl != rl || hl < 0 || memcmp(ht, rt, (size_t)hl)) {
				hf_fail(__FILE__, __LINE__, "readlink %s: %zd "
				    "vs %zd (errno %d)", rp, hl, rl,
				    rump_errno());
				break;
			}
			if (rs.st_size != hl) {
				hf_fail(__FILE__, __LINE__, "%s: link size "
				    "%lld", rp, rs.st_size);
				break;
			}
		} else if (S_ISCHR(hs.st_mode)) {
			if (rs.st_rdev != ((major(hs.st_rdev) & 0xfff) << 8 |
			    (minor(hs.st_rdev) & 0xff))) {
				hf_fail(__FILE__, __LINE__, "%s: rdev %#llx",
				    rp, rs.st_rdev);
				break;
			}
		} else if (S_ISDIR(hs.st_mode)) {
			c->dirs++;
			hf_cmp_tree(hp, rp, depth + 1, c);
		}
	}
	closedir(d);
	if (!hf_failed && nhost != nnames)
		hf_fail(__FILE__, __LINE__, "%s: %d entries, host has %d", r,
		    nnames, nhost);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
}

/* ---------------------------------------------------------------- cases */

static void
hf_leak_check(void)
{
	struct rumphyp_stats st;

	rumphyp_stats(&st);
	if (st.live_allocs || st.live_threads || st.open_files ||
	    st.live_locks || st.bio_inflight)
		hf_fail(__FILE__, __LINE__, "leak after shutdown: %ld allocs "
		    "(%ld bytes), %ld threads, %ld files, %ld locks, %ld bios",
		    st.live_allocs, st.live_bytes, st.live_threads,
		    st.open_files, st.live_locks, st.bio_inflight);
}

/* Run fn in a fresh rump kernel and report it. */
static void
hf_case(const char *name, void (*fn)(const void *), const void *arg)
{
	int error;

	hf_failed = 0;
	hf_msg[0] = '\0';
	error = rump_init();
	if (error != 0) {
		hf_fail(__FILE__, __LINE__, "rump_init: %d", error);
	} else {
		fn(arg);
		error = rump_shutdown();
		if (error != 0)
			hf_fail(__FILE__, __LINE__, "rump_shutdown: %d", error);
		else
			hf_leak_check();
	}
	if (hf_failed) {
		hf_total_failed++;
		printf("FAIL: ffs.%s: %s\n", name, hf_msg);
	} else {
		printf("PASS: ffs.%s\n", name);
	}
	fflush(stdout);
}

struct hf_variant {
	int		version;
	const char	*endian;
	int		bsize, fsize;
	char		img[64];
};

static void
hf_roundtrip(const void *arg)
{
	const struct hf_variant *v = arg;
	struct hf_counts c = { 0 };
	struct rump_statvfs sv;
	char hpath[128], host[128], label[64];

	snprintf(hpath, sizeof(hpath), "%s/%s", hf_dir, v->img);
	snprintf(host, sizeof(host), "%s/src", hf_dir);
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hpath, RUMP_ETFS_BLK) == 0,
	    "etfs_register");
	HF_CHECK(hf_mount(HF_DEV, RUMP_MNT_RDONLY) == 0, "mount: errno %d",
	    rump_errno());
	HF_CHECK(rump_sys_statvfs1(HF_MNT, &sv, RUMP_ST_WAIT) == 0,
	    "statvfs");
	HF_CHECK(strcmp(sv.f_fstypename, "ffs") == 0 &&
	    sv.f_bsize == (unsigned long)v->bsize &&
	    sv.f_frsize == (unsigned long)v->fsize && sv.f_blocks > 0 &&
	    sv.f_bfree <= sv.f_blocks && sv.f_ffree < sv.f_files &&
	    (sv.f_flag & RUMP_MNT_RDONLY),
	    "statvfs: %s bsize %lu frsize %lu blocks %llu free %llu",
	    sv.f_fstypename, sv.f_bsize, sv.f_frsize, sv.f_blocks,
	    sv.f_bfree);
	/* statvfs names the variant, as makefs's -o version and -B do */
	snprintf(label, sizeof(label), "UFS%d, %s-endian, %d/%d", v->version,
	    strcmp(v->endian, "be") == 0 ? "big" : "little", v->bsize,
	    v->fsize);
	HF_CHECK(strcmp(sv.f_mntfromlabel, label) == 0,
	    "statvfs label \"%s\", want \"%s\"", sv.f_mntfromlabel, label);
	hf_cmp_tree(host, HF_MNT, 0, &c);
	if (hf_failed)
		return;
	HF_CHECK(c.files > 300 && c.dirs >= 25 && c.links >= 9 &&
	    c.bytes > HF_BIGSIZE, "walked %ld files %ld dirs %ld links",
	    c.files, c.dirs, c.links);
	/* nothing writes */
	HF_CHECK(rump_sys_open(HF_MNT "/new", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644) == -1, "create on a read-only mount");
	HF_CHECK(rump_sys_open(HF_MNT "/f1", RUMP_O_RDWR) == -1 &&
	    rump_errno() == RUMP_EROFS, "open for writing: errno %d",
	    rump_errno());
	HF_CHECK(rump_sys_unmount(HF_MNT, 0) == 0, "unmount: errno %d",
	    rump_errno());
	HF_CHECK(rump_pub_etfs_remove(HF_DEV) == 0, "etfs_remove");
}

/* etfs and mount errors. */
static void
hf_errors(const void *arg)
{
	const char *img = arg;
	struct rump_stat st;
	char hpath[128];
	int fd;

	snprintf(hpath, sizeof(hpath), "%s/%s", hf_dir, img);
	HF_CHECK(rump_pub_etfs_register(HF_DEV, "/nonexistent/img",
	    RUMP_ETFS_BLK) == RUMP_ENOENT, "register of a missing host file");
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hpath, RUMP_ETFS_REG) ==
	    RUMP_EOPNOTSUPP, "RUMP_ETFS_REG");
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hpath, 7) == RUMP_EINVAL,
	    "bad type");
	HF_CHECK(rump_pub_etfs_register("relative", hpath, RUMP_ETFS_BLK) ==
	    RUMP_EINVAL, "relative key");
	HF_CHECK(rump_pub_etfs_register("/nodir/x", hpath, RUMP_ETFS_BLK) ==
	    RUMP_ENOENT, "key in a missing directory");
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hf_dir, RUMP_ETFS_BLK) ==
	    RUMP_EINVAL, "a host directory");
	HF_CHECK(rump_pub_etfs_remove(HF_DEV) == RUMP_ENOENT, "remove absent");
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hpath, RUMP_ETFS_BLK) == 0,
	    "register");
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hpath, RUMP_ETFS_BLK) ==
	    RUMP_EEXIST, "register twice");
	HF_CHECK(rump_sys_lstat(HF_DEV, &st) == 0 &&
	    (st.st_mode & 0170000) == 0060000, "the node is a block device");
	HF_CHECK(hf_mount(HF_DEV, 0) == 0, "read-write mount: errno %d",
	    rump_errno());
	HF_CHECK(rump_sys_unmount(HF_MNT, 0) == 0, "read-write unmount: "
	    "errno %d", rump_errno());
	HF_CHECK(hf_mount("/tmp", RUMP_MNT_RDONLY) == -1 &&
	    rump_errno() == 15 /* ENOTBLK */, "mount of a directory: errno %d",
	    rump_errno());
	HF_CHECK(hf_mount("/dev/none", RUMP_MNT_RDONLY) == -1 &&
	    rump_errno() == RUMP_ENOENT, "mount of a missing node");
	HF_CHECK(rump_sys_mount("ffs", HF_MNT, RUMP_MNT_RDONLY, NULL, 0) ==
	    -1 && rump_errno() == RUMP_EINVAL, "mount without arguments");
	HF_CHECK(hf_mount(HF_DEV, RUMP_MNT_RDONLY) == 0, "mount: errno %d",
	    rump_errno());
	HF_CHECK(rump_pub_etfs_remove(HF_DEV) == RUMP_EBUSY,
	    "remove while mounted");
	HF_CHECK(rump_sys_mkdir("/tmp/m2", 0755) == 0, "mkdir");
	{
		struct rump_ufs_args a = { .fspec = HF_DEV };

		HF_CHECK(rump_sys_mount("ffs", "/tmp/m2", RUMP_MNT_RDONLY, &a,
		    sizeof(a)) == -1 && rump_errno() == RUMP_EBUSY,
		    "second mount of the device: errno %d", rump_errno());
	}
	fd = rump_sys_open(HF_MNT "/f0", RUMP_O_RDONLY);
	HF_CHECK(fd >= 0, "open");
	HF_CHECK(rump_sys_unmount(HF_MNT, 0) == -1 &&
	    rump_errno() == RUMP_EBUSY, "unmount with an open file");
	HF_CHECK(rump_sys_close(fd) == 0, "close");
	HF_CHECK(rump_sys_unmount(HF_MNT, 0) == 0, "unmount");
	HF_CHECK(rump_pub_etfs_remove(HF_DEV) == 0, "remove");
	HF_CHECK(rump_sys_lstat(HF_DEV, &st) == -1 &&
	    rump_errno() == RUMP_ENOENT, "node gone after remove");
	/* a registered device left behind is cleaned up by shutdown */
	HF_CHECK(rump_pub_etfs_register(HF_DEV, hpath, RUMP_ETFS_BLK) == 0,
	    "register again");
}

/* Mount a damaged image; whatever mounts is walked to the end. */
static int
hf_try_damaged(const char *hpath)
{
	struct rump_stat st;
	int rv = -1;

	if (rump_pub_etfs_register(HF_DEV, hpath, RUMP_ETFS_BLK) != 0)
		return -2;
	if (hf_mount(HF_DEV, RUMP_MNT_RDONLY) == 0) {
		char names[4][32] = { HF_MNT, HF_MNT "/many", HF_MNT "/deep",
		    HF_MNT "/sym61" };
		char **nl;
		int n, i, j;

		rv = 0;
		for (i = 0; i < 4; i++) {
			(void)rump_sys_lstat(names[i], &st);
			if (hf_rump_names(names[i], &nl, &n) != 0)
				continue;
			for (j = 0; j < n; j++) {
				char p[600], buf[4096];
				int fd;

				snprintf(p, sizeof(p), "%s/%s", names[i], nl[j]);
				(void)rump_sys_lstat(p, &st);
				(void)rump_sys_readlink(p, buf, sizeof(buf));
				fd = rump_sys_open(p, RUMP_O_RDONLY);
				if (fd >= 0) {
					/* bounded: a damaged size may
					 * claim terabytes of holes */
					int left = 64;

					while (left-- > 0 && rump_sys_read(fd,
					    buf, sizeof(buf)) > 0)
						;
					rump_sys_close(fd);
				}
				free(nl[j]);
			}
			free(nl);
		}
		if (rump_sys_unmount(HF_MNT, 0) != 0)
			rv = -3;
	}
	if (rump_pub_etfs_remove(HF_DEV) != 0)
		rv = -4;
	return rv;
}

struct hf_damage {
	const char	*img;		/* intact image */
	int		le;		/* its byte order */
	int		ufs2;
};

static uint32_t
hf_get32(const unsigned char *p, int le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 :
	    (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[0] << 24;
}

static int
hf_copy_image(const char *from, const char *to, unsigned char **datap,
    size_t *lenp)
{
	FILE *f = fopen(from, "rb");
	unsigned char *data;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) || (data = malloc((size_t)len)) == NULL) {
		if (f)
			fclose(f);
		return -1;
	}
	if (fread(data, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	(void)to;
	*datap = data;
	*lenp = (size_t)len;
	return 0;
}

static int
hf_write_image(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/*
 * Targeted damage that must be refused at mount, then seeded bit flips in
 * the superblock, cylinder group header, inode blocks and root directory
 * (any outcome but a crash, a hang or a leak), then a truncated image.
 */
static void
hf_damaged(const void *arg)
{
	const struct hf_damage *dm = arg;
	unsigned char *orig, *data;
	size_t len, i;
	char src[128], dst[128];
	uint32_t fsize, cblk, iblk, ipg, dsz, rootblk, magic;
	size_t regions[4][2];
	int r, k, rv, mounted = 0, refused = 0;
	const size_t sb = 8192;

	snprintf(src, sizeof(src), "%s/%s", hf_dir, dm->img);
	snprintf(dst, sizeof(dst), "%s/damaged.img", hf_dir);
	HF_CHECK(hf_copy_image(src, dst, &orig, &len) == 0, "read image");
	data = malloc(len);
	HF_CHECK(data != NULL, "malloc");
	magic = hf_get32(orig + sb + 1372, dm->le);
	fsize = hf_get32(orig + sb + 52, dm->le);
	cblk = hf_get32(orig + sb + 12, dm->le);
	iblk = hf_get32(orig + sb + 16, dm->le);
	ipg = hf_get32(orig + sb + 184, dm->le);
	dsz = dm->ufs2 ? 256 : 128;
	/* the root directory's first block: inode 2's first address */
	rootblk = hf_get32(orig + (size_t)iblk * fsize + 2 * dsz +
	    (dm->ufs2 ? 112 : 40), dm->le);
	if (magic != (dm->ufs2 ? 0x19540119U : 0x011954U) ||
	    (size_t)rootblk * fsize + 512 > len) {
		hf_fail(__FILE__, __LINE__, "cannot parse the test image");
		goto out;
	}
	regions[0][0] = sb;
	regions[0][1] = 1376;
	regions[1][0] = (size_t)cblk * fsize;
	regions[1][1] = 168;
	regions[2][0] = (size_t)iblk * fsize;
	regions[2][1] = (size_t)ipg * dsz < 4096 ? (size_t)ipg * dsz : 4096;
	regions[3][0] = (size_t)rootblk * fsize;
	regions[3][1] = 512;

	/* targeted: must be refused */
	{
		static const struct { size_t off; uint32_t val; } t[] = {
			{ 1372, 0x12345678 },	/* magic */
			{ 48, 3000 },		/* block size */
			{ 52, 100 },		/* fragment size */
			{ 44, 1000000 },	/* groups */
			{ 184, 7 },		/* inodes per group */
			{ 20, 0x7fffffff },	/* first data fragment */
		};
		for (k = 0; k < (int)(sizeof(t) / sizeof(t[0])); k++) {
			memcpy(data, orig, len);
			for (i = 0; i < 4; i++)
				data[sb + t[k].off + i] = (unsigned char)
				    (t[k].val >> (dm->le ? 8 * i : 24 - 8 * i));
			HF_CHECK(hf_write_image(dst, data, len) == 0, "write");
			rv = hf_try_damaged(dst);
			if (rv != -1) {
				hf_fail(__FILE__, __LINE__, "superblock field "
				    "at %zu = %u: result %d, want refusal",
				    t[k].off, t[k].val, rv);
				goto out;
			}
		}
		memcpy(data, orig, len);
		data[regions[1][0] + 5] ^= 0x40;	/* cg magic */
		HF_CHECK(hf_write_image(dst, data, len) == 0, "write");
		rv = hf_try_damaged(dst);
		if (rv != -1) {
			hf_fail(__FILE__, __LINE__, "bad cg magic: %d", rv);
			goto out;
		}
	}
	/* seeded flips in each region */
	hf_rng = 4242;
	for (r = 0; r < 4; r++) {
		for (k = 0; k < 12; k++) {
			int nflip = 1 + (int)(hf_rand() % 8);

			memcpy(data, orig, len);
			while (nflip-- > 0) {
				size_t at = regions[r][0] +
				    hf_rand() % regions[r][1];

				data[at] ^= (unsigned char)(1u << (hf_rand() % 8));
			}
			HF_CHECK(hf_write_image(dst, data, len) == 0, "write");
			rv = hf_try_damaged(dst);
			if (rv == 0)
				mounted++;
			else if (rv == -1)
				refused++;
			else {
				hf_fail(__FILE__, __LINE__, "region %d seed %d: "
				    "cleanup failed (%d)", r, k, rv);
				goto out;
			}
		}
	}
	/* truncated: half the image */
	HF_CHECK(hf_write_image(dst, orig, len / 2) == 0, "write");
	rv = hf_try_damaged(dst);
	if (rv != -1)
		hf_fail(__FILE__, __LINE__, "truncated image: %d", rv);
	HF_CHECK(mounted + refused == 48, "counts");
out:
	free(orig);
	free(data);
	unlink(dst);
}

/* A short device: reads past its end are I/O errors, not crashes. */
static void
hf_short_device(const void *arg)
{
	char p[128];

	(void)arg;
	snprintf(p, sizeof(p), "%s/tiny.img", hf_dir);
	HF_CHECK(hf_write_image(p, (const unsigned char *)"x", 1) == 0,
	    "write");
	HF_CHECK(rump_pub_etfs_register(HF_DEV, p, RUMP_ETFS_BLK) == 0,
	    "register");
	HF_CHECK(hf_mount(HF_DEV, RUMP_MNT_RDONLY) == -1 &&
	    rump_errno() == RUMP_EINVAL, "mount of a 1-byte device: errno %d",
	    rump_errno());
	HF_CHECK(rump_pub_etfs_remove(HF_DEV) == 0, "remove");
	unlink(p);
}

int
main(int argc, char **argv)
{
	static const int bs[][2] = { { 4096, 512 }, { 8192, 1024 },
	    { 16384, 4096 }, { 32768, 4096 }, { 65536, 8192 } };
	static const char *endians[] = { "le", "be" };
	struct hf_variant v;
	struct hf_damage dm;
	char name[64], cmd[128];
	int ver, e, b;

	(void)argc;
	(void)argv;
	strcpy(hf_dir, "/tmp/host_ffs.XXXXXX");
	if (mkdtemp(hf_dir) == NULL || hf_make_tree("src", 1) != 0 ||
	    hf_make_tree("small", 0) != 0) {
		printf("FAIL: ffs.setup: cannot build the source trees in %s\n",
		    hf_dir);
		return 1;
	}
	for (ver = 1; ver <= 2; ver++) {
		for (e = 0; e < 2; e++) {
			for (b = 0; b < (int)(sizeof(bs) / sizeof(bs[0]));
			    b++) {
				v.version = ver;
				v.endian = endians[e];
				v.bsize = bs[b][0];
				v.fsize = bs[b][1];
				snprintf(v.img, sizeof(v.img), "ufs%d-%s-%d.img",
				    ver, v.endian, v.bsize);
				snprintf(name, sizeof(name),
				    "roundtrip_ufs%d_%s_b%d_f%d", ver, v.endian,
				    v.bsize, v.fsize);
				if (hf_makefs(v.img, "src", ver, v.endian,
				    v.bsize, v.fsize) != 0) {
					printf("FAIL: ffs.%s: makefs failed\n",
					    name);
					hf_total_failed++;
					continue;
				}
				hf_case(name, hf_roundtrip, &v);
				snprintf(cmd, sizeof(cmd), "%s/%s", hf_dir,
				    v.img);
				unlink(cmd);
			}
		}
	}
	if (hf_makefs("small2le.img", "small", 2, "le", 8192, 1024) != 0 ||
	    hf_makefs("small1be.img", "small", 1, "be", 4096, 512) != 0) {
		printf("FAIL: ffs.setup: makefs of the small tree\n");
		return 1;
	}
	hf_case("etfs_and_mount_errors", hf_errors, "small2le.img");
	hf_case("short_device_refused", hf_short_device, NULL);
	dm.img = "small2le.img";
	dm.le = 1;
	dm.ufs2 = 1;
	hf_case("damaged_ufs2_le_refused_or_read_cleanly", hf_damaged, &dm);
	dm.img = "small1be.img";
	dm.le = 0;
	dm.ufs2 = 0;
	hf_case("damaged_ufs1_be_refused_or_read_cleanly", hf_damaged, &dm);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", hf_dir);
	if (system(cmd) != 0)
		printf("host_ffs: could not remove %s\n", hf_dir);
	return hf_total_failed ? 1 : 0;
}
