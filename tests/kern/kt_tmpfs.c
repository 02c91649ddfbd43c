/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_tmpfs.c: kernel-side tests of tmpfs (fs/tmpfs) through the VFS: each
 * case mounts its own tmpfs on /mnt (vfs_mount_at) and works on it with
 * namei and the VOPs under the locks sys/vnode.h prescribes, then
 * unmounts it and checks that the mount's memory came back.  Run by
 * host_ktest (one fresh kernel per case, leak checked).
 */
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "../../rumpsrc/fs/tmpfs/tmpfs_args.h"
#include "ktest.h"

/* ---------------------------------------------------------------- helpers */

struct tt {
	struct mount	*t_mp;
	struct vnode	*t_root;	/* referenced */
	kauth_cred_t	t_cred;		/* root's */
};

static int
tt_mount(struct tt *t, const struct tmpfs_args *ta)
{
	struct nameidata nd;
	int error;

	memset(t, 0, sizeof(*t));
	t->t_cred = kauth_cred_get();
	memset(&nd, 0, sizeof(nd));
	nd.ni_path = "/mnt";
	nd.ni_flags = NI_FOLLOW;
	error = namei(&nd);
	if (error != 0)
		return error;
	error = vfs_mount_at("tmpfs", nd.ni_vp, "/mnt", 0, (void *)ta,
	    ta != NULL ? sizeof(*ta) : 0, &t->t_mp);
	namei_done(&nd);
	if (error != 0)
		return error;
	t->t_root = t->t_mp->mnt_rootvnode;
	vref(t->t_root);
	return 0;
}

/* vfs_unmount consumes a busy hold. */
static int
tt_vfs_unmount(struct mount *mp)
{
	int error;

	error = vfs_busy(mp);
	if (error != 0)
		return error;
	return vfs_unmount(mp, 0);
}

static int
tt_unmount(struct tt *t)
{
	if (t->t_root != NULL)
		vrele(t->t_root);
	t->t_root = NULL;
	return tt_vfs_unmount(t->t_mp);
}

static void
tt_cn(struct componentname *cn, const char *name, kauth_cred_t cred)
{
	cn->cn_nameptr = name;
	cn->cn_namelen = strlen(name);
	cn->cn_flags = CN_ISLAST;
	cn->cn_cred = cred;
}

static int
tt_lookup(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	struct componentname cn;
	int error;

	tt_cn(&cn, name, kauth_cred_get());
	rw_enter(&dvp->v_mount->mnt_nslock, RW_READER);
	error = VOP_LOOKUP(dvp, vpp, &cn);
	rw_exit(&dvp->v_mount->mnt_nslock);
	return error;
}

/* Create a node of type (VREG, VDIR, VLNK with target) as cred. */
static int
tt_make(struct vnode *dvp, const char *name, enum vtype type, mode_t mode,
    const char *target, kauth_cred_t cred, struct vnode **vpp)
{
	struct componentname cn;
	struct vattr va;
	struct vnode *vp;
	int error;

	tt_cn(&cn, name, cred);
	vattr_null(&va);
	va.va_type = type;
	va.va_mode = mode;
	rw_enter(&dvp->v_mount->mnt_nslock, RW_WRITER);
	switch (type) {
	case VDIR:
		error = VOP_MKDIR(dvp, &vp, &cn, &va);
		break;
	case VLNK:
		error = VOP_SYMLINK(dvp, &vp, &cn, &va, target);
		break;
	default:
		error = VOP_CREATE(dvp, &vp, &cn, &va);
		break;
	}
	rw_exit(&dvp->v_mount->mnt_nslock);
	if (error == 0) {
		if (vpp != NULL)
			*vpp = vp;
		else
			vrele(vp);
	}
	return error;
}

static int
tt_create(struct vnode *dvp, const char *name, struct vnode **vpp)
{
	return tt_make(dvp, name, VREG, 0644, NULL, kauth_cred_get(), vpp);
}

/* Remove (or rmdir) name from dvp as cred. */
static int
tt_remove_as(struct vnode *dvp, const char *name, bool dir,
    kauth_cred_t cred)
{
	struct componentname cn;
	struct vnode *vp;
	int error;

	tt_cn(&cn, name, cred);
	rw_enter(&dvp->v_mount->mnt_nslock, RW_WRITER);
	error = VOP_LOOKUP(dvp, &vp, &cn);
	if (error == 0) {
		error = dir ? VOP_RMDIR(dvp, vp, &cn) : VOP_REMOVE(dvp, vp, &cn);
		rw_exit(&dvp->v_mount->mnt_nslock);
		vrele(vp);
	} else {
		rw_exit(&dvp->v_mount->mnt_nslock);
	}
	return error;
}

static int
tt_remove(struct vnode *dvp, const char *name, bool dir)
{
	return tt_remove_as(dvp, name, dir, kauth_cred_get());
}

static int
tt_rename(struct vnode *fdvp, const char *from, struct vnode *tdvp,
    const char *to)
{
	struct componentname fcn, tcn;
	struct vnode *fvp = NULL, *tvp = NULL;
	int error;

	tt_cn(&fcn, from, kauth_cred_get());
	tt_cn(&tcn, to, kauth_cred_get());
	rw_enter(&fdvp->v_mount->mnt_nslock, RW_WRITER);
	error = VOP_LOOKUP(fdvp, &fvp, &fcn);
	if (error == 0) {
		error = VOP_LOOKUP(tdvp, &tvp, &tcn);
		if (error == ENOENT) {
			tvp = NULL;
			error = 0;
		}
		if (error == 0)
			error = VOP_RENAME(fdvp, fvp, &fcn, tdvp, tvp, &tcn);
	} else {
		fvp = NULL;
	}
	rw_exit(&fdvp->v_mount->mnt_nslock);
	if (fvp != NULL)
		vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
	return error;
}

static int
tt_link(struct vnode *dvp, const char *name, struct vnode *vp)
{
	struct componentname cn;
	int error;

	tt_cn(&cn, name, kauth_cred_get());
	rw_enter(&dvp->v_mount->mnt_nslock, RW_WRITER);
	error = VOP_LINK(dvp, vp, &cn);
	rw_exit(&dvp->v_mount->mnt_nslock);
	return error;
}

static int
tt_rw(struct vnode *vp, enum uio_rw rw, off_t off, void *buf, size_t len,
    size_t *donep)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct uio uio = {
		.uio_iov = &iov, .uio_iovcnt = 1, .uio_offset = off,
		.uio_resid = len, .uio_rw = rw, .uio_segflg = UIO_SYSSPACE,
	};
	int error;

	vn_lock(vp, rw == UIO_READ ? RW_READER : RW_WRITER);
	if (rw == UIO_READ)
		error = VOP_READ(vp, &uio, 0, kauth_cred_get());
	else
		error = VOP_WRITE(vp, &uio, 0, kauth_cred_get());
	vn_unlock(vp);
	if (donep != NULL)
		*donep = len - uio.uio_resid;
	return error;
}

static int
tt_getattr(struct vnode *vp, struct vattr *va)
{
	int error;

	vn_lock(vp, RW_READER);
	error = VOP_GETATTR(vp, va, kauth_cred_get());
	vn_unlock(vp);
	return error;
}

static int
tt_truncate(struct vnode *vp, off_t size)
{
	struct vattr va;
	int error;

	vattr_null(&va);
	va.va_size = size;
	vn_lock(vp, RW_WRITER);
	error = VOP_SETATTR(vp, &va, kauth_cred_get());
	vn_unlock(vp);
	return error;
}

static uint64_t
tt_used_bytes(struct tt *t)
{
	struct statvfs *sb = kmem_zalloc(sizeof(*sb), KM_SLEEP);
	uint64_t used;

	if (t->t_mp->mnt_op->vfs_statvfs(t->t_mp, sb) != 0)
		used = ~(uint64_t)0;
	else
		used = (sb->f_blocks - sb->f_bfree) * sb->f_frsize;
	kmem_free(sb, sizeof(*sb));
	return used;
}

static int
tt_readdir(struct vnode *dvp, off_t *cookie, void *buf, size_t len,
    size_t *gotp, int *eofp)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct uio uio = {
		.uio_iov = &iov, .uio_iovcnt = 1, .uio_offset = *cookie,
		.uio_resid = len, .uio_rw = UIO_READ,
		.uio_segflg = UIO_SYSSPACE,
	};
	int error;

	vn_lock(dvp, RW_READER);
	error = VOP_READDIR(dvp, &uio, kauth_cred_get(), eofp);
	vn_unlock(dvp);
	*cookie = uio.uio_offset;
	*gotp = len - uio.uio_resid;
	return error;
}

static bool
tt_ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static bool
tt_ts_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Let the wall clock move so that "later" times differ. */
static void
tt_tick(void)
{
	struct timespec a, b;

	nanotime(&a);
	do {
		nanotime(&b);
	} while (tt_ts_eq(&a, &b));
}

#define TT_MOUNT(t, ta) do {						\
	int tt_err_ = tt_mount((t), (ta));				\
	KT_CHECK_EQ(tt_err_, 0);					\
	if (tt_err_ != 0)						\
		return;							\
} while (0)

/* ---------------------------------------------------------------- cases */

KTEST(tmpfs, mount_args_set_root_attributes)
{
	struct tmpfs_args ta = {
		.ta_version = TMPFS_ARGS_VERSION, .ta_root_uid = 5,
		.ta_root_gid = 6, .ta_root_mode = 0750,
	};
	struct vattr va;
	struct tt t;

	TT_MOUNT(&t, &ta);
	KT_CHECK_EQ(tt_getattr(t.t_root, &va), 0);
	KT_CHECK_EQ(va.va_type, VDIR);
	KT_CHECK_EQ(va.va_mode, 0750);
	KT_CHECK_EQ(va.va_uid, 5);
	KT_CHECK_EQ(va.va_gid, 6);
	KT_CHECK_EQ(va.va_nlink, 2);
	KT_CHECK_EQ(va.va_fileid, 2);
	KT_CHECK_EQ(tt_unmount(&t), 0);

	ta.ta_version = 2;
	KT_CHECK_EQ(tt_mount(&t, &ta), EINVAL);
}

KTEST(tmpfs, create_lookup_and_namei_find_the_same_vnode)
{
	struct nameidata nd;
	struct vnode *vp, *vp2, *dvp;
	struct vattr va, dva0, dva1;
	struct tt t;

	TT_MOUNT(&t, NULL);
	KT_CHECK_EQ(tt_getattr(t.t_root, &dva0), 0);
	tt_tick();
	KT_REQUIRE(tt_make(t.t_root, "d", VDIR, 0755, NULL, t.t_cred, &dvp)
	    == 0);
	KT_REQUIRE(tt_create(dvp, "f", &vp) == 0);
	KT_CHECK_EQ(tt_create(dvp, "f", NULL), EEXIST);
	KT_CHECK_EQ(tt_lookup(dvp, "f", &vp2), 0);
	KT_CHECK(vp2 == vp);
	vrele(vp2);
	KT_CHECK_EQ(tt_lookup(dvp, "nope", &vp2), ENOENT);

	memset(&nd, 0, sizeof(nd));
	nd.ni_path = "/mnt/d/../d/./f";
	nd.ni_flags = NI_FOLLOW;
	KT_CHECK_EQ(namei(&nd), 0);
	KT_CHECK(nd.ni_vp == vp);
	namei_done(&nd);

	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_type, VREG);
	KT_CHECK_EQ(va.va_nlink, 1);
	KT_CHECK_EQ(va.va_size, 0);
	KT_CHECK_EQ(va.va_mode, 0644);
	KT_CHECK(tt_ts_eq(&va.va_mtime, &va.va_birthtime));
	KT_CHECK_EQ(tt_getattr(t.t_root, &dva1), 0);
	KT_CHECK_EQ(dva1.va_nlink, 3);		/* ".", "..", d's ".." */
	KT_CHECK(tt_ts_before(&dva0.va_mtime, &dva1.va_mtime));
	vrele(vp);
	vrele(dvp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, write_read_roundtrip_across_pages)
{
	const size_t len = 3 * PAGE_SIZE + 123;
	unsigned char *buf = kmem_alloc(len, KM_SLEEP);
	unsigned char *got = kmem_alloc(len, KM_SLEEP);
	struct vnode *vp;
	struct vattr va;
	size_t done;
	struct tt t;

	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_create(t.t_root, "f", &vp) == 0);
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, 100, buf, len, &done), 0);
	KT_CHECK_EQ(done, len);
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_size, 100 + len);
	memset(got, 0xee, len);
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 100, got, len, &done), 0);
	KT_CHECK_EQ(done, len);
	KT_CHECK(memcmp(got, buf, len) == 0);
	/* The first 100 bytes were never written: zeros. */
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 0, got, 100, &done), 0);
	for (size_t i = 0; i < 100; i++)
		KT_CHECK_EQ(got[i], 0);
	/* Reads stop at the end of the file. */
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 100 + len - 10, got, 100, &done), 0);
	KT_CHECK_EQ(done, 10);
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 100 + len + 5, got, 100, &done), 0);
	KT_CHECK_EQ(done, 0);
	vrele(vp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_free(buf, len);
	kmem_free(got, len);
}

KTEST(tmpfs, holes_read_zero_and_take_no_memory)
{
	const off_t far = (off_t)1 << 34;	/* 16 GiB */
	unsigned char b = 0x5a, got[64];
	struct vnode *vp;
	struct vattr va;
	uint64_t used0, used1;
	size_t done;
	struct tt t;

	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_create(t.t_root, "sparse", &vp) == 0);
	used0 = tt_used_bytes(&t);
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, far, &b, 1, &done), 0);
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_size, far + 1);
	/* One page and the tree blocks above it. */
	KT_CHECK(va.va_bytes <= 5 * (int64_t)PAGE_SIZE);
	used1 = tt_used_bytes(&t);
	KT_CHECK(used1 - used0 <= 5 * PAGE_SIZE);
	memset(got, 1, sizeof(got));
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, far / 2, got, sizeof(got), &done), 0);
	KT_CHECK_EQ(done, sizeof(got));
	for (size_t i = 0; i < sizeof(got); i++)
		KT_CHECK_EQ(got[i], 0);
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, far, got, 1, &done), 0);
	KT_CHECK_EQ(got[0], 0x5a);
	/* Too big: EFBIG, nothing changes. */
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, (off_t)1 << 50, &b, 1, &done),
	    EFBIG);
	KT_CHECK_EQ(tt_truncate(vp, 0), 0);
	KT_CHECK_EQ(tt_used_bytes(&t), used0);
	vrele(vp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, truncate_frees_pages_and_zeroes_the_tail)
{
	const size_t len = 4 * PAGE_SIZE;
	unsigned char *buf = kmem_alloc(len, KM_SLEEP);
	struct vnode *vp;
	struct vattr va;
	uint64_t used0;
	size_t done;
	struct tt t;

	memset(buf, 0xab, len);
	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_create(t.t_root, "f", &vp) == 0);
	used0 = tt_used_bytes(&t);
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, 0, buf, len, &done), 0);
	KT_CHECK_EQ(tt_truncate(vp, 100), 0);
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_size, 100);
	KT_CHECK_EQ(va.va_bytes, (int64_t)PAGE_SIZE);
	KT_CHECK_EQ(tt_used_bytes(&t) - used0, PAGE_SIZE);
	/* Grow again: the old bytes past 100 must not come back. */
	KT_CHECK_EQ(tt_truncate(vp, (off_t)len), 0);
	memset(buf, 0xff, len);
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 0, buf, len, &done), 0);
	KT_CHECK_EQ(done, len);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != (i < 100 ? 0xab : 0)) {
			KT_CHECK_MSG(0, "byte %zu is %#x", i, buf[i]);
			break;
		}
	}
	KT_CHECK_EQ(tt_truncate(vp, 0), 0);
	KT_CHECK_EQ(tt_used_bytes(&t), used0);
	vrele(vp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_free(buf, len);
}

KTEST(tmpfs, size_limit_gives_enospc_without_damage)
{
	struct tmpfs_args ta = {
		.ta_version = TMPFS_ARGS_VERSION, .ta_size_max = 64 * 1024,
		.ta_root_mode = 0755,
	};
	unsigned char *buf = kmem_alloc(PAGE_SIZE, KM_SLEEP);
	struct vnode *vp;
	struct vattr va;
	uint64_t used0;
	off_t off = 0;
	size_t done;
	int error = 0, i;
	struct tt t;

	memset(buf, 0x11, PAGE_SIZE);
	TT_MOUNT(&t, &ta);
	used0 = tt_used_bytes(&t);
	KT_REQUIRE(tt_create(t.t_root, "fill", &vp) == 0);
	for (i = 0; i < 64 && error == 0; i++) {
		error = tt_rw(vp, UIO_WRITE, off, buf, PAGE_SIZE, &done);
		if (error == 0)
			off += PAGE_SIZE;
	}
	KT_CHECK_EQ(error, ENOSPC);
	KT_CHECK(off > 0 && off < 64 * 1024);
	/* The failed write changed nothing. */
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_size, off);
	KT_CHECK_EQ(done, 0);
	KT_CHECK(tt_used_bytes(&t) <= 64 * 1024);
	/* Overwriting allocated pages needs no space. */
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, 0, buf, PAGE_SIZE, &done), 0);
	/* Names need space too: eventually ENOSPC, never a half entry. */
	error = 0;
	for (i = 0; i < 1000 && error == 0; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		error = tt_create(t.t_root, name, NULL);
	}
	KT_CHECK_EQ(error, ENOSPC);
	vrele(vp);
	KT_CHECK_EQ(tt_remove(t.t_root, "fill", false), 0);
	for (int j = 0; j < i - 1; j++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", j);
		KT_CHECK_EQ(tt_remove(t.t_root, name, false), 0);
	}
	/* Everything back except the grown hash table of the root. */
	KT_CHECK(tt_used_bytes(&t) - used0 < 8 * 1024);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_free(buf, PAGE_SIZE);
}

KTEST(tmpfs, write_past_the_limit_is_cut_short)
{
	struct tmpfs_args ta = {
		.ta_version = TMPFS_ARGS_VERSION, .ta_size_max = 64 * 1024,
		.ta_root_mode = 0755,
	};
	const size_t len = 128 * 1024;
	unsigned char *buf = kmem_alloc(len, KM_SLEEP);
	struct vnode *vp;
	struct vattr va;
	size_t done;
	struct tt t;

	memset(buf, 0x33, len);
	TT_MOUNT(&t, &ta);
	KT_REQUIRE(tt_create(t.t_root, "f", &vp) == 0);
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, 10, buf, len, &done), 0);
	KT_CHECK(done > 0 && done < 64 * 1024);
	KT_CHECK_EQ((done + 10) % PAGE_SIZE, 0);	/* at a page boundary */
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_size, (int64_t)done + 10);
	KT_CHECK(tt_used_bytes(&t) <= 64 * 1024);
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, va.va_size, buf, len, &done),
	    ENOSPC);
	KT_CHECK_EQ(done, 0);
	vrele(vp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_free(buf, len);
}

KTEST(tmpfs, node_limit_gives_enospc)
{
	struct tmpfs_args ta = {
		.ta_version = TMPFS_ARGS_VERSION, .ta_nodes_max = 4,
		.ta_root_mode = 0755,
	};
	struct vnode *vp;
	struct tt t;

	TT_MOUNT(&t, &ta);
	KT_CHECK_EQ(tt_create(t.t_root, "a", NULL), 0);
	KT_CHECK_EQ(tt_create(t.t_root, "b", NULL), 0);
	KT_CHECK_EQ(tt_make(t.t_root, "c", VDIR, 0755, NULL, t.t_cred, NULL),
	    0);
	KT_CHECK_EQ(tt_create(t.t_root, "d", NULL), ENOSPC);
	KT_CHECK_EQ(tt_lookup(t.t_root, "d", &vp), ENOENT);
	KT_CHECK_EQ(tt_remove(t.t_root, "a", false), 0);
	KT_CHECK_EQ(tt_create(t.t_root, "d", NULL), 0);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

/* Collect the names of one readdir buffer into a bitmap of "f<n>". */
static int
tt_collect(struct ktest_ctx *ctx, const char *buf, size_t got,
    uint8_t *seen, int nfiles, int *dots)
{
	size_t off = 0;
	int n = 0;

	while (off < got) {
		const struct dirent *dp = (const void *)(buf + off);
		long idx;

		KT_CHECK(dp->d_reclen >= _DIRENT_RECLEN(dp->d_namlen));
		if (dp->d_reclen == 0)
			break;
		if (dp->d_name[0] == '.') {
			(*dots)++;
		} else {
			idx = strtol(dp->d_name + 1, NULL, 10);
			KT_CHECK(dp->d_type == DT_REG);
			if (idx >= 0 && idx < nfiles) {
				KT_CHECK_MSG(seen[idx] == 0, "f%ld twice", idx);
				seen[idx]++;
			}
		}
		off += dp->d_reclen;
		n++;
	}
	return n;
}

KTEST(tmpfs, readdir_cookies_survive_concurrent_removal)
{
	const int nfiles = 200;
	uint8_t *seen = kmem_zalloc(nfiles, KM_SLEEP);
	char *buf = kmem_alloc(1024, KM_SLEEP);
	off_t cookie = 0;
	size_t got;
	int eof = 0, dots = 0, error, rounds = 0;
	char name[16];
	struct tt t;

	TT_MOUNT(&t, NULL);
	for (int i = 0; i < nfiles; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		KT_REQUIRE(tt_create(t.t_root, name, NULL) == 0);
	}
	/* A buffer too small for any record: EINVAL. */
	KT_CHECK_EQ(tt_readdir(t.t_root, &cookie, buf, 8, &got, &eof),
	    EINVAL);
	cookie = 0;
	while (!eof) {
		error = tt_readdir(t.t_root, &cookie, buf, 200, &got, &eof);
		KT_REQUIRE(error == 0);
		KT_REQUIRE(got > 0 || eof);
		tt_collect(ctx, buf, got, seen, nfiles, &dots);
		if (rounds++ == 3) {
			/* Remove every third name: read or not yet. */
			for (int i = 0; i < nfiles; i += 3) {
				snprintf(name, sizeof(name), "f%d", i);
				KT_CHECK_EQ(tt_remove(t.t_root, name, false),
				    0);
			}
		}
	}
	KT_CHECK_EQ(dots, 2);
	/* Every name never removed was listed exactly once; removed ones
	 * at most once. */
	for (int i = 0; i < nfiles; i++) {
		if (i % 3 != 0)
			KT_CHECK_MSG(seen[i] == 1, "f%d seen %d times", i,
			    seen[i]);
	}
	/* A name added after the end shows up when reading on. */
	KT_CHECK_EQ(tt_create(t.t_root, "late", NULL), 0);
	KT_CHECK_EQ(tt_readdir(t.t_root, &cookie, buf, 1024, &got, &eof), 0);
	KT_CHECK(got > 0 && strcmp(((struct dirent *)buf)->d_name, "late")
	    == 0);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_free(seen, nfiles);
	kmem_free(buf, 1024);
}

KTEST(tmpfs, dotdot_and_directory_link_counts)
{
	struct vnode *a, *b, *up;
	struct vattr va;
	struct tt t;

	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_make(t.t_root, "a", VDIR, 0755, NULL, t.t_cred, &a)
	    == 0);
	KT_REQUIRE(tt_make(a, "b", VDIR, 0755, NULL, t.t_cred, &b) == 0);
	KT_CHECK_EQ(tt_lookup(b, "..", &up), 0);
	KT_CHECK(up == a);
	vrele(up);
	KT_CHECK_EQ(tt_lookup(t.t_root, "..", &up), 0);
	KT_CHECK(up == t.t_root);	/* namei crosses the mount */
	vrele(up);
	KT_CHECK_EQ(tt_getattr(a, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 3);
	KT_CHECK_EQ(tt_remove(t.t_root, "a", true), ENOTEMPTY);
	KT_CHECK_EQ(tt_remove(a, "b", false), EPERM);	/* unlink of a dir */
	KT_CHECK_EQ(tt_remove(a, "b", true), 0);
	KT_CHECK_EQ(tt_getattr(a, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 2);
	KT_CHECK_EQ(tt_getattr(b, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 0);
	/* A removed directory takes no new names and has no "..". */
	KT_CHECK_EQ(tt_create(b, "x", NULL), ENOENT);
	KT_CHECK_EQ(tt_lookup(b, "..", &up), ENOENT);
	vrele(b);
	vrele(a);
	KT_CHECK_EQ(tt_remove(t.t_root, "a", true), 0);
	KT_CHECK_EQ(tt_getattr(t.t_root, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 2);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, rename_rules_and_link_counts)
{
	struct vnode *d1, *d2, *f, *vp, *up;
	struct vattr va;
	uint64_t used0;
	size_t done;
	struct tt t;

	TT_MOUNT(&t, NULL);
	used0 = tt_used_bytes(&t);
	KT_REQUIRE(tt_make(t.t_root, "d1", VDIR, 0755, NULL, t.t_cred, &d1)
	    == 0);
	KT_REQUIRE(tt_make(t.t_root, "d2", VDIR, 0755, NULL, t.t_cred, &d2)
	    == 0);
	KT_REQUIRE(tt_create(d1, "f", &f) == 0);
	KT_CHECK_EQ(tt_rw(f, UIO_WRITE, 0, "abc", 3, &done), 0);
	KT_CHECK_EQ(tt_create(d2, "g", NULL), 0);
	/* Same directory, new name. */
	KT_CHECK_EQ(tt_rename(d1, "f", d1, "f2"), 0);
	KT_CHECK_EQ(tt_lookup(d1, "f", &vp), ENOENT);
	KT_CHECK_EQ(tt_lookup(d1, "f2", &vp), 0);
	KT_CHECK(vp == f);
	vrele(vp);
	/* Over an existing file in another directory: g goes away. */
	KT_CHECK_EQ(tt_rename(d1, "f2", d2, "g"), 0);
	KT_CHECK_EQ(tt_lookup(d2, "g", &vp), 0);
	KT_CHECK(vp == f);
	vrele(vp);
	KT_CHECK_EQ(tt_getattr(f, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 1);
	/* Onto another name of itself: nothing happens. */
	KT_CHECK_EQ(tt_link(d2, "h", f), 0);
	KT_CHECK_EQ(tt_rename(d2, "g", d2, "h"), 0);
	KT_CHECK_EQ(tt_lookup(d2, "g", &vp), 0);
	vrele(vp);
	KT_CHECK_EQ(tt_remove(d2, "h", false), 0);
	/* Directory into a sibling, then over an empty directory. */
	KT_CHECK_EQ(tt_make(d1, "sub", VDIR, 0755, NULL, t.t_cred, NULL), 0);
	KT_CHECK_EQ(tt_rename(d1, "sub", d2, "sub"), 0);
	KT_CHECK_EQ(tt_getattr(d1, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 2);
	KT_CHECK_EQ(tt_getattr(d2, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 3);
	KT_CHECK_EQ(tt_make(d1, "empty", VDIR, 0755, NULL, t.t_cred, NULL),
	    0);
	KT_CHECK_EQ(tt_rename(d2, "sub", d1, "empty"), 0);
	KT_CHECK_EQ(tt_getattr(d1, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 3);
	KT_CHECK_EQ(tt_getattr(d2, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 2);
	KT_CHECK_EQ(tt_lookup(d1, "empty", &vp), 0);
	KT_CHECK_EQ(tt_lookup(vp, "..", &up), 0);
	KT_CHECK(up == d1);
	vrele(up);
	/* Into its own subtree: EINVAL; over a non-empty dir: ENOTEMPTY;
	 * file over dir: EISDIR; dir over file: ENOTDIR. */
	KT_CHECK_EQ(tt_rename(t.t_root, "d1", vp, "x"), EINVAL);
	KT_CHECK_EQ(tt_create(vp, "x", NULL), 0);
	KT_CHECK_EQ(tt_rename(t.t_root, "d2", d1, "empty"), ENOTEMPTY);
	KT_CHECK_EQ(tt_rename(d2, "g", d1, "empty"), EISDIR);
	KT_CHECK_EQ(tt_rename(d1, "empty", d2, "g"), ENOTDIR);
	KT_CHECK_EQ(tt_remove(d1, "empty", true), ENOTEMPTY);
	vrele(vp);
	vrele(f);
	vrele(d1);
	vrele(d2);
	KT_CHECK(tt_used_bytes(&t) > used0);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, hard_links_share_data_and_count)
{
	struct vnode *f, *vp;
	struct vattr va;
	char got[8];
	size_t done;
	struct tt t;

	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_create(t.t_root, "a", &f) == 0);
	KT_CHECK_EQ(tt_rw(f, UIO_WRITE, 0, "data", 4, &done), 0);
	KT_CHECK_EQ(tt_link(t.t_root, "b", f), 0);
	KT_CHECK_EQ(tt_link(t.t_root, "b", f), EEXIST);
	KT_CHECK_EQ(tt_link(t.t_root, "dir", t.t_root), EPERM);
	KT_CHECK_EQ(tt_getattr(f, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 2);
	vrele(f);
	KT_CHECK_EQ(tt_remove(t.t_root, "a", false), 0);
	KT_CHECK_EQ(tt_lookup(t.t_root, "b", &vp), 0);
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_nlink, 1);
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 0, got, 4, &done), 0);
	KT_CHECK(done == 4 && memcmp(got, "data", 4) == 0);
	vrele(vp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, symlink_stores_target_and_namei_follows)
{
	struct iovec iov;
	struct uio uio;
	struct nameidata nd;
	struct vnode *l, *f;
	struct vattr va;
	char got[32];
	struct tt t;

	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_create(t.t_root, "target", &f) == 0);
	KT_REQUIRE(tt_make(t.t_root, "link", VLNK, 0777, "target", t.t_cred,
	    &l) == 0);
	KT_CHECK_EQ(tt_getattr(l, &va), 0);
	KT_CHECK_EQ(va.va_type, VLNK);
	KT_CHECK_EQ(va.va_size, 6);
	iov.iov_base = got;
	iov.iov_len = sizeof(got);
	memset(&uio, 0, sizeof(uio));
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = sizeof(got);
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_SYSSPACE;
	vn_lock(l, RW_READER);
	KT_CHECK_EQ(VOP_READLINK(l, &uio, t.t_cred), 0);
	vn_unlock(l);
	KT_CHECK_EQ(sizeof(got) - uio.uio_resid, 6);
	KT_CHECK(memcmp(got, "target", 6) == 0);
	memset(&nd, 0, sizeof(nd));
	nd.ni_path = "/mnt/link";
	nd.ni_flags = NI_FOLLOW;
	KT_CHECK_EQ(namei(&nd), 0);
	KT_CHECK(nd.ni_vp == f);
	namei_done(&nd);
	vrele(l);
	vrele(f);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, removed_file_lives_until_last_reference)
{
	unsigned char *buf = kmem_alloc(PAGE_SIZE * 2, KM_SLEEP);
	struct vnode *vp;
	uint64_t used0;
	size_t done;
	struct tt t;

	memset(buf, 0x42, PAGE_SIZE * 2);
	TT_MOUNT(&t, NULL);
	used0 = tt_used_bytes(&t);
	KT_REQUIRE(tt_create(t.t_root, "f", &vp) == 0);
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, 0, buf, PAGE_SIZE * 2, &done), 0);
	KT_CHECK_EQ(tt_remove(t.t_root, "f", false), 0);
	memset(buf, 0, PAGE_SIZE * 2);
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 0, buf, PAGE_SIZE * 2, &done), 0);
	KT_CHECK(done == PAGE_SIZE * 2 && buf[0] == 0x42 &&
	    buf[PAGE_SIZE * 2 - 1] == 0x42);
	KT_CHECK(tt_used_bytes(&t) > used0);
	vrele(vp);		/* last reference: the node is freed */
	KT_CHECK(tt_used_bytes(&t) < used0 + 1024);	/* hash table stays */
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_free(buf, PAGE_SIZE * 2);
}

KTEST(tmpfs, permissions_and_sticky_directories)
{
	kauth_cred_t alice = kauth_cred_alloc(1000, 1000);
	kauth_cred_t bob = kauth_cred_alloc(1001, 1001);
	struct vnode *sticky, *vp;
	struct vattr va;
	struct tt t;

	TT_MOUNT(&t, NULL);		/* root 0755, owned by uid 0 */
	vn_lock(t.t_root, RW_READER);
	KT_CHECK_EQ(VOP_ACCESS(t.t_root, VWRITE, alice), EACCES);
	KT_CHECK_EQ(VOP_ACCESS(t.t_root, VREAD | VEXEC, alice), 0);
	vn_unlock(t.t_root);
	KT_REQUIRE(tt_make(t.t_root, "s", VDIR, 01777, NULL, t.t_cred,
	    &sticky) == 0);
	KT_REQUIRE(tt_make(sticky, "af", VREG, 0644, NULL, alice, &vp) == 0);
	KT_CHECK_EQ(tt_getattr(vp, &va), 0);
	KT_CHECK_EQ(va.va_uid, 1000);
	KT_CHECK_EQ(va.va_gid, 0);		/* the directory's group */
	/* bob may not chmod alice's file nor remove it from /s. */
	vattr_null(&va);
	va.va_mode = 0666;
	vn_lock(vp, RW_WRITER);
	KT_CHECK_EQ(VOP_SETATTR(vp, &va, bob), EPERM);
	KT_CHECK_EQ(VOP_SETATTR(vp, &va, alice), 0);
	vattr_null(&va);
	va.va_uid = 1001;
	KT_CHECK_EQ(VOP_SETATTR(vp, &va, alice), EPERM);
	vn_unlock(vp);
	vrele(vp);
	KT_CHECK_EQ(tt_remove_as(sticky, "af", false, bob), EPERM);
	KT_CHECK_EQ(tt_remove_as(sticky, "af", false, alice), 0);
	vrele(sticky);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kauth_cred_free(alice);
	kauth_cred_free(bob);
}

KTEST(tmpfs, times_follow_posix_rules)
{
	struct vattr a, b;
	struct vnode *vp;
	char c = 'x';
	size_t done;
	struct tt t;

	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_create(t.t_root, "f", &vp) == 0);
	KT_CHECK_EQ(tt_getattr(vp, &a), 0);
	tt_tick();
	KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, 0, &c, 1, &done), 0);
	KT_CHECK_EQ(tt_getattr(vp, &b), 0);
	KT_CHECK(tt_ts_before(&a.va_mtime, &b.va_mtime));
	KT_CHECK(tt_ts_before(&a.va_ctime, &b.va_ctime));
	KT_CHECK(tt_ts_eq(&a.va_atime, &b.va_atime));
	KT_CHECK(tt_ts_eq(&a.va_birthtime, &b.va_birthtime));
	tt_tick();
	KT_CHECK_EQ(tt_rw(vp, UIO_READ, 0, &c, 1, &done), 0);
	KT_CHECK_EQ(tt_getattr(vp, &a), 0);
	KT_CHECK(tt_ts_before(&b.va_atime, &a.va_atime));
	KT_CHECK(tt_ts_eq(&a.va_mtime, &b.va_mtime));
	tt_tick();
	vattr_null(&b);
	b.va_mode = 0600;
	vn_lock(vp, RW_WRITER);
	KT_CHECK_EQ(VOP_SETATTR(vp, &b, t.t_cred), 0);
	vn_unlock(vp);
	KT_CHECK_EQ(tt_getattr(vp, &b), 0);
	KT_CHECK(tt_ts_before(&a.va_ctime, &b.va_ctime));
	KT_CHECK(tt_ts_eq(&a.va_mtime, &b.va_mtime));
	KT_CHECK_EQ(b.va_mode, 0600);
	/* Explicit times are stored as given. */
	vattr_null(&a);
	a.va_mtime.tv_sec = 1000;
	a.va_mtime.tv_nsec = 5;
	vn_lock(vp, RW_WRITER);
	KT_CHECK_EQ(VOP_SETATTR(vp, &a, t.t_cred), 0);
	vn_unlock(vp);
	KT_CHECK_EQ(tt_getattr(vp, &b), 0);
	KT_CHECK_EQ(b.va_mtime.tv_sec, 1000);
	KT_CHECK_EQ(b.va_mtime.tv_nsec, 5);
	vrele(vp);
	KT_CHECK_EQ(tt_unmount(&t), 0);
}

KTEST(tmpfs, unmount_frees_every_byte)
{
	struct kmem_stats ks0, ks1;
	unsigned char *buf = kmem_alloc(PAGE_SIZE, KM_SLEEP);
	struct vnode *d;
	size_t done;
	char name[16];
	struct tt t;

	memset(buf, 7, PAGE_SIZE);
	kmem_getstats(&ks0);
	TT_MOUNT(&t, NULL);
	KT_REQUIRE(tt_make(t.t_root, "d", VDIR, 0755, NULL, t.t_cred, &d)
	    == 0);
	for (int i = 0; i < 300; i++) {
		struct vnode *vp;

		snprintf(name, sizeof(name), "file%d", i);
		KT_REQUIRE(tt_create(d, name, &vp) == 0);
		KT_CHECK_EQ(tt_rw(vp, UIO_WRITE, (off_t)i * 1000, buf,
		    PAGE_SIZE, &done), 0);
		vrele(vp);
	}
	KT_CHECK_EQ(tt_make(d, "l", VLNK, 0777, "file1", t.t_cred, NULL), 0);
	/* Busy while a vnode other than the root is referenced. */
	KT_CHECK_EQ(tt_vfs_unmount(t.t_mp), EBUSY);
	vrele(d);
	KT_CHECK_EQ(tt_unmount(&t), 0);
	kmem_getstats(&ks1);
	KT_CHECK_EQ(ks1.ks_allocs, ks0.ks_allocs);
	kmem_free(buf, PAGE_SIZE);
}
