/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffsw.c: userspace tests of writing FFS (public API only), with our
 * consistency checker (host_ffsck.c) run on the image after every
 * unmount.
 *
 *  - checker_*: pristine makefs images are clean; damaged ones (a link
 *    count, a bitmap bit, a summary count, a directory record) are not.
 *  - workload_*: for UFS1/UFS2 x LE/BE x two block sizes, a seeded random
 *    mix of create, write, append, truncate, unlink, mkdir, rmdir,
 *    rename (same directory, across, over existing), link and symlink
 *    (short and long) run against an in-memory model; then unmount, the
 *    checker (which must find the image clean), a read-only remount and
 *    a comparison of every name with the model.
 *  - double_indirect_*: a file grown past the single indirect level,
 *    read back, shrunk back below it.
 *  - fill_to_enospc_*: writing until ENOSPC, then everything removed;
 *    the image stays consistent and the free counts come back.
 *  - clean_flag: a read-write mount marks the image not clean, unmount
 *    marks it clean; an unclean image refuses a read-write mount unless
 *    forced, and mounts read-only.
 *  - *_dirhash_*: the workloads and the concurrent writers again with the
 *    directory index (ffs_dirhash.c) forced on for every directory and
 *    in its checking mode (RUMP_FFS_DIRHASH_MIN=0,
 *    RUMP_FFS_DIRHASH_CHECK=1): every indexed lookup is compared with
 *    the linear scan and the index with a fresh build after every change
 *    (a difference is EIO, so a failure).  tests/kern/host_ffsdh.c has
 *    the big-directory cases.
 * Each case runs in a fresh rump kernel and ends with the hypervisor's
 * live-object counters at zero.
 *
 * Output: `PASS: ffsw.<case>` / `FAIL: ffsw.<case>: <why>`.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include "rumphyp_posix.h"
#include "host_ffsck.h"
#include "host_ffsw.h"

char w_dir[64];
static char w_img[128];
static char w_msg[1024];
int w_failed;
static int w_total_failed;

void
w_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w_failed++)
		return;
	n = snprintf(w_msg, sizeof(w_msg), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(w_msg + n, sizeof(w_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

uint32_t w_rng;

uint32_t
w_rand(void)
{
	w_rng ^= w_rng << 13;
	w_rng ^= w_rng >> 17;
	w_rng ^= w_rng << 5;
	return w_rng;
}

void
w_fill(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)w_rand();
}

/* ---------------------------------------------------------------- images */

struct w_variant {
	int		ufs;
	const char	*endian;
	int		bsize, fsize;
	const char	*size;		/* makefs -s */
};

/* A fresh image of a small tree (a file, a dir, a symlink). */
static int
w_makefs(const struct w_variant *v)
{
	char cmd[1024];

	snprintf(w_img, sizeof(w_img), "%s/w.img", w_dir);
	snprintf(cmd, sizeof(cmd), "rm -f %s && makefs -t ffs -s %s "
	    "-f 1500 -o version=%d,bsize=%d,fsize=%d -B %s %s %s/tree >/dev/null 2>&1",
	    w_img, v->size, v->ufs, v->bsize, v->fsize, v->endian, w_img,
	    w_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
w_mount(int flags)
{
	struct rump_ufs_args args = { .fspec = (char *)W_DEV };

	return rump_sys_mount("ffs", W_MNT, flags, &args, sizeof(args));
}

/* The checker must find the image clean (and marked clean). */
static void
w_fsck(const char *when)
{
	char msg[2048];
	int n = ffsck_image(w_img, FFSCK_NEED_CLEAN, msg, sizeof(msg));

	if (n != 0)
		w_fail(__FILE__, __LINE__, "checker after %s: %d problems: %s",
		    when, n, msg);
}

static void
w_leak_check(void)
{
	struct rumphyp_stats st;

	rumphyp_stats(&st);
	if (st.live_allocs || st.live_threads || st.open_files ||
	    st.live_locks || st.bio_inflight)
		w_fail(__FILE__, __LINE__, "leak after shutdown: %ld allocs, "
		    "%ld threads, %ld files, %ld locks, %ld bios",
		    st.live_allocs, st.live_threads, st.open_files,
		    st.live_locks, st.bio_inflight);
}

static void
w_case(const char *name, void (*fn)(const void *), const void *arg)
{
	int error;

	w_failed = 0;
	w_msg[0] = '\0';
	error = rump_init();
	if (error != 0) {
		w_fail(__FILE__, __LINE__, "rump_init: %d", error);
	} else {
		if (rump_pub_etfs_register(W_DEV, w_img, RUMP_ETFS_BLK) != 0)
			w_fail(__FILE__, __LINE__, "etfs_register: %d",
			    rump_errno());
		else
			fn(arg);
		(void)rump_sys_unmount(W_MNT, 0);
		(void)rump_pub_etfs_remove(W_DEV);
		error = rump_shutdown();
		if (error != 0)
			w_fail(__FILE__, __LINE__, "rump_shutdown: %d", error);
		else
			w_leak_check();
	}
	if (w_failed) {
		w_total_failed++;
		printf("FAIL: ffsw.%s: %s\n", name, w_msg);
	} else {
		printf("PASS: ffsw.%s\n", name);
	}
	fflush(stdout);
}

/* ---------------------------------------------------------------- cases */

/* Unmount, check the image, remount read-only. */
static void
w_cycle(const char *when)
{
	W_CHECK(rump_sys_unmount(W_MNT, 0) == 0, "unmount after %s: %d", when,
	    rump_errno());
	w_fsck(when);
	if (w_failed)
		return;
	W_CHECK(w_mount(RUMP_MNT_RDONLY) == 0, "read-only remount after %s: "
	    "%d", when, rump_errno());
}

static void
w_workload(const void *arg)
{
	const struct w_variant *v = arg;
	struct rump_statvfs sv;
	int i, k, r;

	w_bsize = v->bsize;
	w_rng = (uint32_t)(v->bsize * 31 + v->ufs * 7 + v->endian[0]);
	if (getenv("FFSW_SEED") != NULL)	/* other seeds, by hand */
		w_rng ^= (uint32_t)strtoul(getenv("FFSW_SEED"), NULL, 0) * 2654435761U;
	if (w_rng == 0)
		w_rng = 1;
	w_seq = 0;
	m_load_tree();
	W_CHECK(w_mount(0) == 0, "read-write mount: %d", rump_errno());
	for (i = 0; i < 1500 && !w_failed; i++) {
		if (m_count >= W_MAXOBJ - 4) {
			op_unlink();
			continue;
		}
		if (i % 16 == 0) {
			/* keep a third free: ENOSPC has its own case */
			W_CHECK(rump_sys_statvfs1(W_MNT, &sv, 1) == 0,
			    "statvfs: %d", rump_errno());
			for (k = 0; k < 40 && sv.f_bfree * 3 < sv.f_blocks;
			    k++) {
				op_unlink();
				op_truncate();
				W_CHECK(rump_sys_statvfs1(W_MNT, &sv, 1) == 0,
				    "statvfs: %d", rump_errno());
			}
		}
		r = (int)(w_rand() % 100);
		if (r < 18)
			op_create();
		else if (r < 30)
			op_append();
		else if (r < 42)
			op_pwrite();
		else if (r < 52)
			op_truncate();
		else if (r < 62)
			op_unlink();
		else if (r < 70)
			op_mkdir();
		else if (r < 76)
			op_rmdir();
		else if (r < 88)
			op_rename();
		else if (r < 94)
			op_link();
		else
			op_symlink();
		if (i == 700 && !w_failed) {
			/* half way: a sync and a full comparison */
			rump_sys_sync();
			w_verify_all();
		}
	}
	if (w_failed)
		return;
	w_cycle("the workload");
	if (w_failed)
		return;
	w_verify_all();
	m_reset();
}

/* A file crossing into double indirect blocks, then shrunk back. */
static void
w_double_indirect(const void *arg)
{
	const struct w_variant *v = arg;
	size_t big = (size_t)(12 + v->bsize / 4 + 40) * (size_t)v->bsize;
	struct m_obj *o;
	int fd, error;

	w_bsize = v->bsize;
	w_rng = 4242;
	m_load_tree();
	o = calloc(1, sizeof(*o));
	o->type = M_FILE;
	o->nlink = 1;
	m_resize(o, big);
	w_fill(o->data, big);
	m_add("big", o);
	W_CHECK(w_mount(0) == 0, "read-write mount: %d", rump_errno());
	fd = rump_sys_open(W_MNT "/big", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	W_CHECK(fd >= 0, "create: %d", rump_errno());
	error = w_write_all(fd, o->data, big);
	W_CHECK(rump_sys_fsync(fd) == 0 && rump_sys_close(fd) == 0 &&
	    error == 0, "write %zu bytes: %d", big, error);
	w_cycle("writing the big file");
	w_verify_all();
	if (w_failed)
		return;
	W_CHECK(rump_sys_unmount(W_MNT, 0) == 0 && w_mount(0) == 0,
	    "read-write remount: %d", rump_errno());
	m_resize(o, (size_t)v->bsize * 13 + 100);	/* back to single */
	W_CHECK(rump_sys_truncate(W_MNT "/big", (rump_off_t)o->size) == 0,
	    "truncate: %d", rump_errno());
	w_cycle("shrinking the big file");
	w_verify_all();
	if (w_failed)
		return;
	W_CHECK(rump_sys_unmount(W_MNT, 0) == 0 && w_mount(0) == 0,
	    "read-write remount: %d", rump_errno());
	W_CHECK(rump_sys_unlink(W_MNT "/big") == 0, "unlink: %d", rump_errno());
	m_del(m_find("big"));
	free(o->data);
	free(o);
	w_cycle("removing the big file");
	w_verify_all();
	m_reset();
}

/* Fill the file system to ENOSPC, check it, empty it, check again. */
static void
w_fill_enospc(const void *arg __attribute__((unused)))
{
	struct rump_statvfs s0, s1;
	unsigned char *buf = malloc(65536);
	char p[64];
	long r = 0;
	int fd, i, nfiles = 0;

	w_rng = 99;
	w_fill(buf, 65536);
	if (w_mount(0) != 0 ||
	    rump_sys_statvfs1(W_MNT, &s0, 1) != 0) {
		free(buf);
		W_CHECK(0, "mount/statvfs: %d", rump_errno());
	}
	fd = rump_sys_open(W_MNT "/fill", RUMP_O_CREAT | RUMP_O_WRONLY, 0644);
	while (fd >= 0 && (r = rump_sys_write(fd, buf, 65536)) > 0)
		;
	if (fd < 0 || r >= 0 || rump_errno() != RUMP_ENOSPC) {
		free(buf);
		W_CHECK(0, "filling: fd %d, last write %ld, errno %d", fd, r,
		    rump_errno());
	}
	rump_sys_close(fd);
	/* small files until nothing more fits */
	for (i = 0; i < 5000; i++) {
		snprintf(p, sizeof(p), W_MNT "/s%d", i);
		fd = rump_sys_open(p, RUMP_O_CREAT | RUMP_O_WRONLY, 0644);
		if (fd < 0)
			break;
		nfiles++;
		r = rump_sys_write(fd, buf, 700);
		rump_sys_close(fd);
		if (r != 700)
			break;
	}
	free(buf);
	w_cycle("filling the disk");
	W_CHECK(!w_failed && rump_sys_unmount(W_MNT, 0) == 0 && w_mount(0) == 0,
	    "read-write remount: %d", rump_errno());
	W_CHECK(rump_sys_unlink(W_MNT "/fill") == 0, "unlink: %d",
	    rump_errno());
	for (i = 0; i < nfiles; i++) {
		snprintf(p, sizeof(p), W_MNT "/s%d", i);
		W_CHECK(rump_sys_unlink(p) == 0, "unlink %s: %d", p,
		    rump_errno());
	}
	W_CHECK(rump_sys_statvfs1(W_MNT, &s1, 1) == 0, "statvfs");
	W_CHECK(s1.f_bfree == s0.f_bfree && s1.f_ffree == s0.f_ffree,
	    "free counts %llu/%llu, before %llu/%llu",
	    (unsigned long long)s1.f_bfree, (unsigned long long)s1.f_ffree,
	    (unsigned long long)s0.f_bfree, (unsigned long long)s0.f_ffree);
	w_cycle("emptying the disk");
}

static int
w_set_clean(int clean)
{
	int64_t loc = ffsck_clean_flag(w_img) < 0 ? -1 : 0;
	unsigned char magic[4], b = (unsigned char)clean;
	FILE *f = fopen(w_img, "r+b");
	int ok = 0;

	if (f == NULL || loc < 0) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	/* the superblock: 64 KiB for UFS2 from makefs, else 8 KiB */
	for (loc = 65536; loc >= 8192; loc -= 57344) {
		if (fseek(f, loc + 1372, SEEK_SET) == 0 &&
		    fread(magic, 1, 4, f) == 4 && (magic[0] == 0x19 ||
		    magic[3] == 0x19 || magic[0] == 0x54 || magic[3] == 0x54)) {
			ok = fseek(f, loc + 209, SEEK_SET) == 0 &&
			    fwrite(&b, 1, 1, f) == 1;
			break;
		}
	}
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void
w_clean_flag(const void *arg __attribute__((unused)))
{
	int rv;

	W_CHECK(ffsck_clean_flag(w_img) == 1, "makefs image not clean");
	W_CHECK(w_mount(0) == 0, "read-write mount: %d", rump_errno());
	W_CHECK(ffsck_clean_flag(w_img) == 0, "not marked unclean on mount");
	W_CHECK(rump_sys_mkdir(W_MNT "/x", 0755) == 0, "mkdir");
	W_CHECK(rump_sys_unmount(W_MNT, 0) == 0, "unmount: %d", rump_errno());
	W_CHECK(ffsck_clean_flag(w_img) == 1, "not marked clean on unmount");
	w_fsck("a clean unmount");
	W_CHECK(w_set_clean(0) == 0, "cannot mark the image unclean");
	rv = w_mount(0);
	W_CHECK(rv == -1 && (rump_errno() == RUMP_EROFS ||
	    rump_errno() == RUMP_EINVAL), "unclean read-write mount: %d %d", rv,
	    rump_errno());
	W_CHECK(w_mount(RUMP_MNT_RDONLY) == 0, "unclean read-only mount: %d",
	    rump_errno());
	W_CHECK(rump_sys_unmount(W_MNT, 0) == 0, "unmount: %d", rump_errno());
	W_CHECK(ffsck_clean_flag(w_img) == 0, "read-only unmount changed it");
	W_CHECK(w_mount(RUMP_MNT_FORCE) == 0, "forced mount: %d", rump_errno());
	W_CHECK(rump_sys_unmount(W_MNT, 0) == 0, "unmount: %d", rump_errno());
	w_fsck("a forced mount");
}

/*
 * Damaged images mounted read-write (forced) and changed: every call may
 * fail, nothing may crash (the ASan and TSan builds run this too).
 */
static void
w_damaged_rw(const void *arg)
{
	const int *seedp = arg;
	unsigned char *buf = malloc(70000);
	char p[64], q[64];
	long sb, fsize, lo, hi, off;
	FILE *f = fopen(w_img, "r+b");
	int i, fd, le;

	W_CHECK(f != NULL && buf != NULL, "open image");
	w_rng = (uint32_t)*seedp * 2654435761U + 1;
	for (sb = 65536; sb >= 8192; sb -= 57344) {
		uint32_t m;

		if (fseek(f, sb + 1372, SEEK_SET) != 0 ||
		    fread(buf, 1, 4, f) != 4)
			continue;
		m = (uint32_t)(buf[0] | buf[1] << 8 | buf[2] << 16) |
		    (uint32_t)buf[3] << 24;
		if (m == 0x19540119 || m == 0x011954 ||
		    m == 0x19015419 || m == 0x54190100)
			break;
	}
	W_CHECK(sb >= 8192 && fseek(f, sb, SEEK_SET) == 0 &&
	    fread(buf, 1, 1376, f) == 1376, "read superblock");
	le = buf[1372] == 0x19 ? buf[1373] == 0x01 : buf[1372] == 0x54;
	fsize = (long)(le ? buf[52] | buf[53] << 8 | buf[54] << 16 :
	    buf[55] | buf[54] << 8 | buf[53] << 16);
	/* the first group's header, inodes and some data */
	lo = (long)(le ? buf[12] | buf[13] << 8 : buf[15] | buf[14] << 8) *
	    fsize;
	hi = lo + 24 * fsize + 65536;
	for (i = 0; i < 40; i++) {
		off = lo + (long)(w_rand() % (uint32_t)(hi - lo));
		if (fseek(f, off, SEEK_SET) != 0 || fread(buf, 1, 1, f) != 1)
			break;
		buf[0] ^= (unsigned char)(1 << (w_rand() % 8));
		if (fseek(f, off, SEEK_SET) != 0 || fwrite(buf, 1, 1, f) != 1)
			break;
	}
	fclose(f);
	w_fill(buf, 70000);
	if (w_mount(RUMP_MNT_FORCE) != 0) {
		free(buf);
		return;		/* refused: fine */
	}
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), W_MNT "/dmg%d", i % 13);
		snprintf(q, sizeof(q), W_MNT "/dir/x%d", i % 7);
		fd = rump_sys_open(p, RUMP_O_CREAT | RUMP_O_RDWR, 0644);
		if (fd >= 0) {
			(void)rump_sys_write(fd, buf, 1 + w_rand() % 70000);
			(void)rump_sys_ftruncate(fd, w_rand() % 9000);
			(void)rump_sys_close(fd);
		}
		(void)rump_sys_mkdir(q, 0755);
		(void)rump_sys_rename(p, q);
		(void)rump_sys_unlink(W_MNT "/a");
		(void)rump_sys_rmdir(q);
		(void)rump_sys_symlink("target", p);
		(void)rump_sys_unlink(p);
	}
	free(buf);
	(void)rump_sys_unmount(W_MNT, 0);
}

/*
 * Several lwps change the same file system at once, each in its own
 * directory (allocation is shared: um_lock); then the checker and a
 * comparison.  File k of thread t holds size(t, k) bytes of t*37 + k.
 */
#define W_THREADS	4
#define W_TFILES	24

static size_t
w_tsize(int t, int k)
{
	return (size_t)((t * 7919 + k * 104729) % 90000);
}

struct w_targ {
	int		t;
	char		why[128];
};

static void *
w_thread(void *v)
{
	struct w_targ *ta = v;
	unsigned char *buf = malloc(90000);
	char p[64], q[64];
	int k, fd, round;
	size_t n;

	if (buf == NULL || rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		snprintf(ta->why, sizeof(ta->why), "setup");
		free(buf);
		return NULL;
	}
	for (round = 0; round < 3 && ta->why[0] == '\0'; round++) {
		for (k = 0; k < W_TFILES; k++) {
			n = w_tsize(ta->t, k);
			memset(buf, ta->t * 37 + k, n);
			snprintf(p, sizeof(p), W_MNT "/t%d/tmp%d", ta->t, k);
			snprintf(q, sizeof(q), W_MNT "/t%d/f%d", ta->t, k);
			fd = rump_sys_open(p, RUMP_O_CREAT | RUMP_O_TRUNC |
			    RUMP_O_RDWR, 0644);
			if (fd < 0 || rump_sys_write(fd, buf, n / 2) !=
			    (long)(n / 2) || rump_sys_write(fd, buf + n / 2,
			    n - n / 2) != (long)(n - n / 2) ||
			    rump_sys_close(fd) != 0 ||
			    rump_sys_rename(p, q) != 0) {
				snprintf(ta->why, sizeof(ta->why), "file %d "
				    "round %d: errno %d", k, round,
				    rump_errno());
				break;
			}
			if (k % 3 == 2 && rump_sys_unlink(q) != 0) {
				snprintf(ta->why, sizeof(ta->why), "unlink %d",
				    k);
				break;
			}
		}
	}
	free(buf);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
w_concurrent(const void *arg __attribute__((unused)))
{
	struct w_targ ta[W_THREADS];
	pthread_t th[W_THREADS];
	unsigned char *buf;
	struct rump_stat st;
	char p[64];
	int t, k, fd, bad = 0;
	long r;

	W_CHECK(w_mount(0) == 0, "read-write mount: %d", rump_errno());
	for (t = 0; t < W_THREADS; t++) {
		snprintf(p, sizeof(p), W_MNT "/t%d", t);
		W_CHECK(rump_sys_mkdir(p, 0755) == 0, "mkdir %s", p);
	}
	for (t = 0; t < W_THREADS; t++) {
		ta[t].t = t;
		ta[t].why[0] = '\0';
		W_CHECK(pthread_create(&th[t], NULL, w_thread, &ta[t]) == 0,
		    "pthread_create");
	}
	for (t = 0; t < W_THREADS; t++)
		pthread_join(th[t], NULL);
	for (t = 0; t < W_THREADS; t++)
		W_CHECK(ta[t].why[0] == '\0', "thread %d: %s", t, ta[t].why);
	w_cycle("concurrent writers");
	if (w_failed)
		return;
	buf = malloc(90001);
	for (t = 0; t < W_THREADS && !bad; t++) {
		for (k = 0; k < W_TFILES && !bad; k++) {
			snprintf(p, sizeof(p), W_MNT "/t%d/f%d", t, k);
			if (k % 3 == 2) {
				bad = rump_sys_lstat(p, &st) == 0;
				continue;
			}
			fd = rump_sys_open(p, RUMP_O_RDONLY);
			r = fd >= 0 ? rump_sys_read(fd, buf, 90001) : -1;
			if (fd >= 0)
				rump_sys_close(fd);
			bad = r != (long)w_tsize(t, k);
			while (!bad && r-- > 0)
				bad = buf[r] != (unsigned char)(t * 37 + k);
		}
	}
	free(buf);
	W_CHECK(!bad, "thread %d file %d differs", t - 1, k - 1);
}

/* ---------------------------------------------------------------- checker */

struct w_damage {
	const struct w_variant *v;
	int kind;
};

static uint64_t
w_get(const unsigned char *p, int n, int le)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

static void
w_put(unsigned char *p, int n, int le, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = (unsigned char)(v >> (8 * i));
}

/* Damage one thing of the image; the checker must notice. */
static void
w_checker_damage(const void *arg)
{
	const struct w_damage *d = arg;
	int le = d->v->endian[0] == 'l', ufs2 = d->v->ufs == 2, n;
	unsigned char *img;
	size_t len;
	FILE *f = fopen(w_img, "r+b");
	long sb = ufs2 ? 65536 : 8192, fsize, ino2, root, cg;
	char msg[512];

	W_CHECK(f != NULL && fseek(f, 0, SEEK_END) == 0, "open image");
	len = (size_t)ftell(f);
	img = malloc(len);
	W_CHECK(fseek(f, 0, SEEK_SET) == 0 && fread(img, 1, len, f) == len,
	    "read image");
	if (w_get(img + sb + 1372, 4, le) != (ufs2 ? 0x19540119 : 0x011954))
		sb = 8192;
	fsize = (long)w_get(img + sb + 52, 4, le);
	ino2 = (long)w_get(img + sb + 16, 4, le) * fsize + 2 * (ufs2 ? 256 : 128);
	root = (long)w_get(img + ino2 + (ufs2 ? 112 : 40), ufs2 ? 8 : 4, le);
	cg = (long)w_get(img + sb + 12, 4, le) * fsize;
	switch (d->kind) {
	case 0:		/* root link count */
		img[ino2 + (le ? 2 : 3)]++;
		break;
	case 1:		/* the root directory's block marked free */
		img[cg + (long)w_get(img + cg + 96, 4, le) + root / 8] |=
		    (unsigned char)(1 << (root % 8));
		break;
	case 2:		/* superblock free block total */
		w_put(img + sb + 1016, 8, le,
		    w_get(img + sb + 1016, 8, le) + 1);
		w_put(img + sb + 196, 4, le, w_get(img + sb + 196, 4, le) + 1);
		break;
	case 3:		/* a directory record length */
		w_put(img + root * fsize + 4, 2, le, 13);
		break;
	}
	n = fseek(f, 0, SEEK_SET) == 0 && fwrite(img, 1, len, f) == len;
	free(img);
	W_CHECK(fclose(f) == 0 && n, "write image");
	n = ffsck_image(w_img, 0, msg, sizeof(msg));
	W_CHECK(n > 0, "damage %d not found (%d)", d->kind, n);
}

static void
w_checker_pristine(const void *arg __attribute__((unused)))
{
	char msg[512];
	int n = ffsck_image(w_img, FFSCK_NEED_CLEAN, msg, sizeof(msg));

	W_CHECK(n == 0, "%d problems in a makefs image: %s", n, msg);
}

/* The directory index on every directory, checking itself (or not). */
static void
w_dirhash_forced(int on)
{
	if (on) {
		setenv("RUMP_FFS_DIRHASH_MIN", "0", 1);
		setenv("RUMP_FFS_DIRHASH_CHECK", "1", 1);
	} else {
		unsetenv("RUMP_FFS_DIRHASH_MIN");
		unsetenv("RUMP_FFS_DIRHASH_CHECK");
	}
}

/* Checker cases need no kernel. */
static void
w_plain_case(const char *name, void (*fn)(const void *), const void *arg)
{
	w_failed = 0;
	w_msg[0] = '\0';
	fn(arg);
	if (w_failed) {
		w_total_failed++;
		printf("FAIL: ffsw.%s: %s\n", name, w_msg);
	} else {
		printf("PASS: ffsw.%s\n", name);
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const int bs[][2] = { { 4096, 512 }, { 16384, 2048 } };
	static const char *endians[] = { "le", "be" };
	static const char *dmg[] = { "link_count", "bitmap", "sb_total",
	    "dir_record" };
	struct w_variant v;
	struct w_damage dm;
	char name[96], tag[48], cmd[128];
	int ufs, e, b, k;

	(void)argc;
	(void)argv;
	strcpy(w_dir, "/tmp/host_ffsw.XXXXXX");
	if (mkdtemp(w_dir) == NULL || w_make_tree() != 0) {
		printf("FAIL: ffsw.setup: cannot build the tree in %s\n", w_dir);
		return 1;
	}
	for (ufs = 1; ufs <= 2; ufs++) {
		for (e = 0; e < 2; e++) {
			for (b = 0; b < 2; b++) {
				v.ufs = ufs;
				v.endian = endians[e];
				v.bsize = bs[b][0];
				v.fsize = bs[b][1];
				v.size = "12m";
				snprintf(tag, sizeof(tag), "ufs%d_%s_b%d", ufs,
				    v.endian, v.bsize);
				if (w_makefs(&v) != 0) {
					printf("FAIL: ffsw.%s: makefs\n", tag);
					w_total_failed++;
					continue;
				}
				snprintf(name, sizeof(name),
				    "checker_pristine_%s", tag);
				w_plain_case(name, w_checker_pristine, &v);
				snprintf(name, sizeof(name), "workload_%s", tag);
				w_case(name, w_workload, &v);
				w_dirhash_forced(1);
				snprintf(name, sizeof(name),
				    "workload_dirhash_%s", tag);
				if (w_makefs(&v) == 0)
					w_case(name, w_workload, &v);
				w_dirhash_forced(0);
				if (b != 0)
					continue;
				if (w_makefs(&v) == 0) {
					snprintf(name, sizeof(name),
					    "double_indirect_%s", tag);
					w_case(name, w_double_indirect, &v);
				}
				for (k = 0; k < 4 && e == ufs - 1; k++) {
					if (w_makefs(&v) != 0)
						continue;
					dm.v = &v;
					dm.kind = k;
					snprintf(name, sizeof(name),
					    "checker_finds_%s_%s", dmg[k], tag);
					w_plain_case(name, w_checker_damage, &dm);
				}
			}
		}
	}
	for (k = 0; k < 24; k++) {
		static int seeds[24];

		v.ufs = 1 + k % 2;
		v.endian = endians[(k / 2) % 2];
		v.bsize = 4096;
		v.fsize = 512;
		v.size = "2m";
		seeds[k] = k;
		snprintf(name, sizeof(name), "damaged_rw_no_crash_%d", k);
		if (w_makefs(&v) == 0)
			w_case(name, w_damaged_rw, &seeds[k]);
	}
	v.ufs = 2;
	v.endian = "be";
	v.bsize = 8192;
	v.fsize = 1024;
	v.size = "16m";
	if (w_makefs(&v) == 0)
		w_case("concurrent_writers_ufs2_be", w_concurrent, &v);
	w_dirhash_forced(1);
	if (w_makefs(&v) == 0)
		w_case("concurrent_writers_dirhash_ufs2_be", w_concurrent, &v);
	w_dirhash_forced(0);
	v.ufs = 2;
	v.endian = "le";
	v.bsize = 4096;
	v.fsize = 512;
	v.size = "2m";
	if (w_makefs(&v) == 0)
		w_case("fill_to_enospc_ufs2_le", w_fill_enospc, &v);
	v.ufs = 1;
	v.endian = "be";
	if (w_makefs(&v) == 0)
		w_case("fill_to_enospc_ufs1_be", w_fill_enospc, &v);
	v.size = "4m";
	if (w_makefs(&v) == 0)
		w_case("clean_flag_ufs1_be", w_clean_flag, &v);
	v.ufs = 2;
	v.endian = "le";
	if (w_makefs(&v) == 0)
		w_case("clean_flag_ufs2_le", w_clean_flag, &v);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", w_dir);
	if (system(cmd) != 0)
		printf("host_ffsw: could not remove %s\n", w_dir);
	return w_total_failed ? 1 : 0;
}
