/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffsdh.c: userspace tests of FFS's directory index (ffs_dirhash.c)
 * in big directories, public API only.
 *
 * Each case runs in a fresh rump kernel with the index's checking mode
 * on (RUMP_FFS_DIRHASH_CHECK=1: every indexed lookup is compared with
 * the linear scan, and after every change the index with one built
 * afresh; a difference is EIO, which the case sees as a failure).  On a
 * makefs image, two directories /mnt/a and /mnt/b (700 names each; 250
 * under ThreadSanitizer, which is slow) are filled with seeded names of
 * 1 to 60 characters, then a seeded mix of 1,500 operations (300) runs
 * against a model of every name and its inode number: create, unlink,
 * rename inside a directory (to a new name and over an existing one),
 * rename across, hard link.  Every 500 operations and at the end every
 * name of the model is looked up (stat: its inode number), absent names
 * must be ENOENT, and getdents must list exactly the model's names.
 * Then unmount, our checker (host_ffsck.c) on the image, a read-only
 * mount (indexes built afresh) and the same comparison.
 *  - bigdir_mix_<variant>: the default index threshold and budget;
 *  - bigdir_tiny_budget_<variant>: a budget (RUMP_FFS_DIRHASH_MAXMEM)
 *    smaller than the two indexes together, so each build drops the
 *    other directory's index (least recently used) and lookups fall back
 *    to the scan in between;
 *  - bigdir_no_index: the index off (threshold above every directory),
 *    the same mix: the scans alone give the same answers.
 * Each case ends with the hypervisor's live-object counters at zero.
 * Output: `PASS: ffsdh.<case>` / `FAIL: ffsdh.<case>: <why>`.
 */
#include <errno.h>
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

#define D_DEV		"/dev/ffs0"
#define D_MNT		"/mnt"
#define D_MAXN		4096	/* names in the model */
#define D_NAMEMAX	60
#ifdef __SANITIZE_THREAD__
/* ThreadSanitizer is slow and these cases run one thread: a smaller mix */
#define D_OPS		300
#define D_NA		250	/* initial names in a */
#define D_NB		250	/* and in b */
#define D_TINY		"6000"	/* one small index fits, not two */
#else
#define D_OPS		1500
#define D_NA		700
#define D_NB		700
#define D_TINY		"24000"	/* one index (about 17 KB) fits, not two */
#endif

struct d_name {
	int		dir;		/* 0: a, 1: b */
	char		name[D_NAMEMAX + 1];
	unsigned long long ino;
};

static char d_dir[64], d_img[128], d_msg[1024];
static int d_failed, d_total_failed;
static uint32_t d_rng;
static struct d_name d_names[D_MAXN];
static int d_n;
static unsigned d_seq;

static void
d_fail(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d_failed++)
		return;
	n = snprintf(d_msg, sizeof(d_msg), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(d_msg + n, sizeof(d_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

#define D_CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		d_fail(__LINE__, __VA_ARGS__);				\
		return;							\
	}								\
} while (0)

static uint32_t
d_rand(void)
{
	d_rng ^= d_rng << 13;
	d_rng ^= d_rng >> 17;
	d_rng ^= d_rng << 5;
	return d_rng;
}

static void
d_path(char *buf, size_t len, int dir, const char *name)
{
	snprintf(buf, len, "%s/%c/%s", D_MNT, dir ? 'b' : 'a', name);
}

/* A fresh name: a unique prefix, then seeded filler of 0..50 bytes. */
static void
d_newname(char *buf)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789._-";
	int n, i;

	n = snprintf(buf, D_NAMEMAX + 1, "%x", d_seq++);
	for (i = (int)(d_rand() % 51); i > 0 && n < D_NAMEMAX; i--)
		buf[n++] = al[d_rand() % (sizeof(al) - 1)];
	buf[n] = '\0';
}

static int
d_find(int dir, const char *name)
{
	int i;

	for (i = 0; i < d_n; i++) {
		if (d_names[i].dir == dir && strcmp(d_names[i].name, name) == 0)
			return i;
	}
	return -1;
}

static void
d_remove_at(int i)
{
	d_names[i] = d_names[--d_n];
}

/* ---------------------------------------------------------------- ops */

static void
d_create(int dir)
{
	struct rump_stat st;
	char p[256];
	int fd;

	if (d_n >= D_MAXN)
		return;
	d_newname(d_names[d_n].name);
	d_names[d_n].dir = dir;
	d_path(p, sizeof(p), dir, d_names[d_n].name);
	fd = rump_sys_open(p, RUMP_O_CREAT | RUMP_O_EXCL | RUMP_O_RDWR, 0644);
	D_CHECK(fd >= 0, "create %s: %d", p, rump_errno());
	D_CHECK(rump_sys_fstat(fd, &st) == 0, "fstat %s", p);
	D_CHECK(rump_sys_close(fd) == 0, "close %s", p);
	d_names[d_n].ino = st.st_ino;
	d_n++;
}

static void
d_unlink(void)
{
	char p[256];
	int i;

	if (d_n == 0)
		return;
	i = (int)(d_rand() % (uint32_t)d_n);
	d_path(p, sizeof(p), d_names[i].dir, d_names[i].name);
	D_CHECK(rump_sys_unlink(p) == 0, "unlink %s: %d", p, rump_errno());
	d_remove_at(i);
}

/* Rename entry i to a new name in dir, or over entry j (j >= 0). */
static void
d_rename(int i, int dir, int j)
{
	char from[256], to[256], nn[D_NAMEMAX + 1];

	d_path(from, sizeof(from), d_names[i].dir, d_names[i].name);
	if (j >= 0) {
		dir = d_names[j].dir;
		strcpy(nn, d_names[j].name);
	} else {
		d_newname(nn);
	}
	d_path(to, sizeof(to), dir, nn);
	D_CHECK(rump_sys_rename(from, to) == 0, "rename %s %s: %d", from, to,
	    rump_errno());
	if (j >= 0 && d_names[j].ino == d_names[i].ino) {
		/* two names of one file: rename does nothing */
		return;
	}
	d_names[i].dir = dir;
	strcpy(d_names[i].name, nn);
	if (j >= 0)
		d_remove_at(j);
}

static void
d_link(void)
{
	char from[256], to[256];
	int i;

	if (d_n == 0 || d_n >= D_MAXN)
		return;
	i = (int)(d_rand() % (uint32_t)d_n);
	d_path(from, sizeof(from), d_names[i].dir, d_names[i].name);
	d_names[d_n].dir = (int)(d_rand() % 2);
	d_names[d_n].ino = d_names[i].ino;
	d_newname(d_names[d_n].name);
	d_path(to, sizeof(to), d_names[d_n].dir, d_names[d_n].name);
	D_CHECK(rump_sys_link(from, to) == 0, "link %s %s: %d", from, to,
	    rump_errno());
	d_n++;
}

static void
d_step(void)
{
	uint32_t r = d_rand() % 100;
	int i, j;

	if (r < 30) {
		d_create((int)(d_rand() % 2));
	} else if (r < 55) {
		d_unlink();
	} else if (r < 90 && d_n >= 2) {
		i = (int)(d_rand() % (uint32_t)d_n);
		j = (int)(d_rand() % (uint32_t)d_n);
		if (r < 65)		/* new name, same directory */
			d_rename(i, d_names[i].dir, -1);
		else if (r < 75)	/* new name, the other one */
			d_rename(i, !d_names[i].dir, -1);
		else if (i != j)	/* over an existing name */
			d_rename(i, 0, j);
	} else {
		d_link();
	}
}

/* ---------------------------------------------------------------- checks */

/* getdents of one directory must list exactly the model's names. */
static void
d_list(int dir)
{
	static char buf[8192];
	struct rump_dirent *de;
	char p[64];
	int fd, got, pos, seen = 0, want = 0, i, k;

	for (i = 0; i < d_n; i++)
		want += d_names[i].dir == dir;
	snprintf(p, sizeof(p), "%s/%c", D_MNT, dir ? 'b' : 'a');
	fd = rump_sys_open(p, RUMP_O_RDONLY);
	D_CHECK(fd >= 0, "open %s: %d", p, rump_errno());
	while ((got = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < got; pos += de->d_reclen) {
			de = (struct rump_dirent *)(buf + pos);
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			k = d_find(dir, de->d_name);
			if (k < 0 || d_names[k].ino != de->d_fileno) {
				(void)rump_sys_close(fd);
				D_CHECK(0, "getdents %s: unexpected %s", p,
				    de->d_name);
			}
			seen++;
		}
	}
	(void)rump_sys_close(fd);
	D_CHECK(got == 0, "getdents %s: %d", p, rump_errno());
	D_CHECK(seen == want, "getdents %s: %d names, the model %d", p, seen,
	    want);
}

/* Every name of the model, some absent ones, and the listings. */
static void
d_verify(const char *when)
{
	struct rump_stat st;
	char p[256], nn[D_NAMEMAX + 1];
	int i;

	for (i = 0; i < d_n && !d_failed; i++) {
		d_path(p, sizeof(p), d_names[i].dir, d_names[i].name);
		D_CHECK(rump_sys_stat(p, &st) == 0, "%s: stat %s: %d", when, p,
		    rump_errno());
		D_CHECK(st.st_ino == d_names[i].ino, "%s: %s is inode %llu, "
		    "not %llu", when, p, st.st_ino, d_names[i].ino);
	}
	for (i = 0; i < 50 && !d_failed; i++) {
		d_newname(nn);
		d_path(p, sizeof(p), i % 2, nn);
		D_CHECK(rump_sys_stat(p, &st) == -1 && rump_errno() == RUMP_ENOENT,
		    "%s: stat of absent %s: %d", when, p, rump_errno());
	}
	d_list(0);
	d_list(1);
}

/* ---------------------------------------------------------------- cases */

struct d_variant {
	const char	*tag;
	int		ufs;
	const char	*endian;
	int		bsize, fsize;
};

static int
d_makefs(const struct d_variant *v)
{
	char cmd[1024];

	snprintf(d_img, sizeof(d_img), "%s/dh.img", d_dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s/tree && mkdir %s/tree && "
	    "makefs -t ffs -s 24m -f 6000 -o version=%d,bsize=%d,fsize=%d "
	    "-B %s %s %s/tree >/dev/null 2>&1", d_img, d_dir, d_dir, v->ufs,
	    v->bsize, v->fsize, v->endian, d_img, d_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
d_mount(int flags)
{
	struct rump_ufs_args args = { .fspec = (char *)D_DEV };

	return rump_sys_mount("ffs", D_MNT, flags, &args, sizeof(args));
}

static void
d_mix(const struct d_variant *v)
{
	char msg[2048];
	int i, n;

	d_rng = (uint32_t)(v->bsize * 7919 + v->ufs * 31 + 1);
	if (getenv("FFSDH_SEED") != NULL)	/* other seeds, by hand */
		d_rng ^= (uint32_t)strtoul(getenv("FFSDH_SEED"), NULL, 0) *
		    2654435761U;
	if (d_rng == 0)
		d_rng = 1;
	d_n = 0;
	d_seq = 0;
	D_CHECK(d_mount(0) == 0, "read-write mount: %d", rump_errno());
	D_CHECK(rump_sys_mkdir(D_MNT "/a", 0755) == 0, "mkdir a");
	D_CHECK(rump_sys_mkdir(D_MNT "/b", 0755) == 0, "mkdir b");
	for (i = 0; i < D_NA + D_NB && !d_failed; i++)
		d_create(i >= D_NA);
	d_verify("filling");
	for (i = 0; i < D_OPS && !d_failed; i++) {
		d_step();
		if (i % 500 == 499 && !d_failed)
			d_verify("the mix");
	}
	if (d_failed)
		return;
	D_CHECK(rump_sys_unmount(D_MNT, 0) == 0, "unmount: %d", rump_errno());
	n = ffsck_image(d_img, FFSCK_NEED_CLEAN, msg, sizeof(msg));
	D_CHECK(n == 0, "checker: %d problems: %s", n, msg);
	D_CHECK(d_mount(RUMP_MNT_RDONLY) == 0, "read-only mount: %d",
	    rump_errno());
	d_verify("remount");
}

static void
d_case(const char *name, const struct d_variant *v, const char *maxmem,
    const char *minsize)
{
	struct rumphyp_stats st;
	int error;

	d_failed = 0;
	d_msg[0] = '\0';
	setenv("RUMP_FFS_DIRHASH_CHECK", "1", 1);
	if (maxmem != NULL)
		setenv("RUMP_FFS_DIRHASH_MAXMEM", maxmem, 1);
	if (minsize != NULL)
		setenv("RUMP_FFS_DIRHASH_MIN", minsize, 1);
	if (d_makefs(v) != 0) {
		d_fail(__LINE__, "makefs");
	} else if ((error = rump_init()) != 0) {
		d_fail(__LINE__, "rump_init: %d", error);
	} else {
		if (rump_pub_etfs_register(D_DEV, d_img, RUMP_ETFS_BLK) != 0)
			d_fail(__LINE__, "etfs_register: %d", rump_errno());
		else
			d_mix(v);
		(void)rump_sys_unmount(D_MNT, 0);
		(void)rump_pub_etfs_remove(D_DEV);
		error = rump_shutdown();
		if (error != 0)
			d_fail(__LINE__, "rump_shutdown: %d", error);
		rumphyp_stats(&st);
		if (error == 0 && (st.live_allocs || st.live_threads ||
		    st.open_files || st.live_locks || st.bio_inflight))
			d_fail(__LINE__, "leak after shutdown: %ld allocs, "
			    "%ld threads, %ld files, %ld locks, %ld bios",
			    st.live_allocs, st.live_threads, st.open_files,
			    st.live_locks, st.bio_inflight);
	}
	unsetenv("RUMP_FFS_DIRHASH_CHECK");
	unsetenv("RUMP_FFS_DIRHASH_MAXMEM");
	unsetenv("RUMP_FFS_DIRHASH_MIN");
	if (d_failed) {
		d_total_failed++;
		printf("FAIL: ffsdh.%s: %s\n", name, d_msg);
	} else {
		printf("PASS: ffsdh.%s\n", name);
	}
	fflush(stdout);
}

int
main(void)
{
	static const struct d_variant vs[] = {
		{ "ufs2_le_b16384", 2, "le", 16384, 2048 },
		{ "ufs1_be_b4096", 1, "be", 4096, 512 },
	};
	char name[96], cmd[128];
	size_t k;

	strcpy(d_dir, "/tmp/host_ffsdh.XXXXXX");
	if (mkdtemp(d_dir) == NULL) {
		printf("FAIL: ffsdh.setup: mkdtemp\n");
		return 1;
	}
	for (k = 0; k < sizeof(vs) / sizeof(vs[0]); k++) {
		snprintf(name, sizeof(name), "bigdir_mix_%s", vs[k].tag);
		d_case(name, &vs[k], NULL, NULL);
		snprintf(name, sizeof(name), "bigdir_tiny_budget_%s",
		    vs[k].tag);
		d_case(name, &vs[k], D_TINY, NULL);
	}
	d_case("bigdir_no_index", &vs[0], NULL, "1000000000");

	snprintf(cmd, sizeof(cmd), "rm -rf %s", d_dir);
	if (system(cmd) != 0)
		printf("host_ffsdh: could not remove %s\n", d_dir);
	return d_total_failed ? 1 : 0;
}
