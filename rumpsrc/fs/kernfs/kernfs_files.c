/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernfs_files.c: the files of kernfs and the generators of their text.
 *
 * Called by kernfs_vnops.c: VOP_READ and VOP_GETATTR ask kernfs_text_make
 * for the current text of a file, use it and free it at once, so every
 * read shows the kernel's state at that moment (and a file's size is the
 * length of the text it would read now).  The text lives in a kmem buffer
 * that grows until the text fits; the mount table can change between two
 * passes, so the size is retried a bounded number of times.
 *
 * Every generator runs with a rump CPU held, from a VOP that holds the
 * vnode's v_lock as reader; the mounts generator additionally takes the
 * mount table's lock through vfs_mount_foreach (it never touches a vnode).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/file.h>

#include "kernfs.h"


#define KERNFS_TEXT_MIN		256	/* first buffer size */
#define KERNFS_TEXT_TRIES	6	/* passes before giving up (EAGAIN) */

/* ---------------------------------------------------------------- buffers */

/*
 * Append formatted text.  Past the end of the buffer nothing is stored but
 * kt_len still counts, so the caller learns how big the buffer must be.
 */
void
kernfs_text_printf(struct kernfs_text *kt, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	room = kt->kt_len < kt->kt_size ? kt->kt_size - kt->kt_len : 0;
	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? kt->kt_buf + kt->kt_len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		kt->kt_len += (size_t)n;
}

void
kernfs_text_free(struct kernfs_text *kt)
{
	if (kt->kt_buf != NULL)
		kmem_free(kt->kt_buf, kt->kt_size);
	kt->kt_buf = NULL;
	kt->kt_size = 0;
	kt->kt_len = 0;
}

/*
 * Generate the text of file `index` (1..kernfs_nfiles) into a fresh kmem
 * buffer; on success the caller owns kt and frees it with
 * kernfs_text_free.  kt_len is the text's length (no NUL counted).
 */
int
kernfs_text_make(kernfs_key_t index, struct kernfs_text *kt)
{
	const struct kernfs_file *kf;
	size_t size = KERNFS_TEXT_MIN;
	int tries;

	KASSERT(index >= 1 && index <= kernfs_nfiles);
	kf = &kernfs_files[index - 1];
	for (tries = 0; tries < KERNFS_TEXT_TRIES; tries++) {
		kt->kt_buf = kmem_alloc(size, KM_SLEEP);
		kt->kt_size = size;
		kt->kt_len = 0;
		kf->kf_gen(kt);
		/* The NUL vsnprintf stores needs one byte more. */
		if (kt->kt_len < kt->kt_size)
			return 0;
		size = roundup(kt->kt_len + 1 + kt->kt_len / 4, KERNFS_TEXT_MIN);
		kernfs_text_free(kt);
	}
	return EAGAIN;
}

/* ---------------------------------------------------------------- files */

static void
kernfs_gen_version(struct kernfs_text *kt)
{
	kernfs_text_printf(kt, "%s %s (%s)\n", ostype, osrelease, version);
}

static void
kernfs_gen_hostname(struct kernfs_text *kt)
{
	kernfs_text_printf(kt, "%s\n", hostname);
}

/* Wall-clock time of the bootstrap, seconds.nanoseconds since the epoch. */
static void
kernfs_gen_boottime(struct kernfs_text *kt)
{
	kernfs_text_printf(kt, "%lld.%09ld\n", (long long)boottime.tv_sec,
	    (long)boottime.tv_nsec);
}

/* Monotonic time since the bootstrap. */
static void
kernfs_gen_uptime(struct kernfs_text *kt)
{
	uint64_t ns = getuptime_ns();

	kernfs_text_printf(kt, "%llu.%09llu\n",
	    (unsigned long long)(ns / NSEC_PER_SEC),
	    (unsigned long long)(ns % NSEC_PER_SEC));
}

static void
kernfs_gen_memory(struct kernfs_text *kt)
{
	struct kmem_stats ks;

	kmem_getstats(&ks);
	kernfs_text_printf(kt, "kmem in use: %llu bytes in %llu allocations\n"
	    "from the host: %llu bytes\n",
	    (unsigned long long)ks.ks_inuse_bytes,
	    (unsigned long long)ks.ks_allocs,
	    (unsigned long long)ks.ks_host_bytes);
}

static void
kernfs_gen_threads(struct kernfs_text *kt)
{
	kernfs_text_printf(kt, "%u\n", kthread_count());
}

/* vfs_mount_foreach callback: one line "from on type" per mount. */
static int
kernfs_gen_mounts_one(struct mount *mp, void *arg)
{
	struct kernfs_text *kt = arg;
	const struct statvfs *st = &mp->mnt_stat;

	kernfs_text_printf(kt, "%s on %s type %s%s\n", st->f_mntfromname,
	    st->f_mntonname, st->f_fstypename,
	    (mp->mnt_flag & MNT_RDONLY) ? " (read-only)" : "");
	return 0;
}

static void
kernfs_gen_mounts(struct kernfs_text *kt)
{
	/* The callback never stops the walk: the result is always 0. */
	(void)vfs_mount_foreach(kernfs_gen_mounts_one, kt);
}

static void
kernfs_gen_vnodes(struct kernfs_text *kt)
{
	kernfs_text_printf(kt, "%u\n", vnode_count());
}

static void
kernfs_gen_files(struct kernfs_text *kt)
{
	kernfs_text_printf(kt, "%u\n", file_count());
}

/* The directory, in readdir order.  Index i + 1 names kernfs_files[i]. */
const struct kernfs_file kernfs_files[] = {
	{ .kf_name = "version",		.kf_gen = kernfs_gen_version },
	{ .kf_name = "hostname",	.kf_gen = kernfs_gen_hostname },
	{ .kf_name = "boottime",	.kf_gen = kernfs_gen_boottime },
	{ .kf_name = "uptime",		.kf_gen = kernfs_gen_uptime },
	{ .kf_name = "memory",		.kf_gen = kernfs_gen_memory },
	{ .kf_name = "threads",		.kf_gen = kernfs_gen_threads },
	{ .kf_name = "mounts",		.kf_gen = kernfs_gen_mounts },
	{ .kf_name = "vnodes",		.kf_gen = kernfs_gen_vnodes },
	{ .kf_name = "files",		.kf_gen = kernfs_gen_files },
};
const u_int kernfs_nfiles = __arraycount(kernfs_files);
