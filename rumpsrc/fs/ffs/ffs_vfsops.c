/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_vfsops.c: the FFS file system type: its component (vfs_attach at
 * RUMP_COMPONENT_VFS), mount and unmount, the root vnode, statvfs, and
 * loading vnodes by inode number.
 *
 * Mount takes struct ffs_args (NetBSD's ufs_args: the path of a block
 * device node, e.g. one made by rump_pub_etfs_register), opens that
 * device through a device vnode (sys/bdev.h), checks the superblock and
 * every cylinder group header, and keeps the decoded geometry in struct
 * ffs_mount.  A read-write mount of a file system not marked clean is
 * EROFS unless MNT_FORCE; a read-write mount marks it not clean on the
 * disk, and unmount writes everything back and marks it clean.  Callers:
 * the VFS (vfs_mount.c, the vnode cache).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/bdev.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "ffs.h"

static void
ffs_rw_fini(struct ffs_mount *ump)
{
	if (!ump->um_rw)
		return;
	mutex_destroy(&ump->um_lock);
	kmem_free(ump->um_cs, ump->um_ncg * sizeof(struct ffs_csum));
	ump->um_cs = NULL;
	ump->um_rw = false;
}

/* Mount data: NetBSD's struct ufs_args (public: struct rump_ufs_args). */
struct ffs_args {
	char	*fspec;		/* block device node */
};

/* The device number of the block device node at path. */
static int
ffs_devnode(const char *path, uint64_t *devp)
{
	struct nameidata nd;
	int error;

	memset(&nd, 0, sizeof(nd));
	nd.ni_path = path;
	nd.ni_flags = NI_FOLLOW;
	error = namei(&nd);
	if (error != 0)
		return error;
	if (nd.ni_vp->v_type != VBLK)
		error = ENOTBLK;
	else
		*devp = nd.ni_vp->v_rdev;
	namei_done(&nd);
	return error;
}

/*
 * Read-write: refuse an unclean file system unless forced, load the
 * summary area, mark the file system not clean on the disk.
 */
static int
ffs_mount_rw(struct ffs_mount *ump, struct mount *mp, const char *fspec)
{
	int error;

	if (ump->um_clean == 0 && !(mp->mnt_flag & MNT_FORCE)) {
		printf("ffs: %s: file system not clean (run fsck); refusing "
		    "a read-write mount (MNT_FORCE overrides)\n", fspec);
		return EROFS;
	}
	ump->um_cs = kmem_zalloc(ump->um_ncg * sizeof(struct ffs_csum),
	    KM_SLEEP);
	mutex_init(&ump->um_lock, MUTEX_DEFAULT, IPL_NONE);
	ump->um_rw = true;
	error = ffs_cs_load(ump);
	if (error == 0)
		error = ffs_sb_write(ump, false);
	if (error != 0) {
		printf("ffs: %s: preparing a read-write mount: error %d\n",
		    fspec, error);
		ffs_rw_fini(ump);
	}
	return error;
}

/*
 * Which FFS this is, for statvfs (f_mntfromlabel), as makefs's -o version
 * and -B name it: "UFS2, little-endian, 8192/1024" (block/fragment).
 */
static void
ffs_set_label(const struct ffs_mount *ump, struct mount *mp)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const bool host_le = true;
#else
	const bool host_le = false;
#endif
	const bool le = ump->um_swap ? !host_le : host_le;

	snprintf(mp->mnt_stat.f_mntfromlabel,
	    sizeof(mp->mnt_stat.f_mntfromlabel), "UFS%d, %s-endian, %u/%u",
	    ump->um_ufs2 ? 2 : 1, le ? "little" : "big", ump->um_bsize,
	    ump->um_fsize);
}

static int
ffs_mount(struct mount *mp, const char *path, void *data, size_t data_len)
{
	struct ffs_args args;
	struct ffs_mount *ump;
	struct vattr va;
	char *fspec;
	size_t done;
	uint64_t dev;
	bool rw;
	int error;

	if (mp->mnt_flag & (MNT_UPDATE | MNT_GETARGS))
		return EOPNOTSUPP;
	if (data == NULL || data_len != sizeof(args))
		return EINVAL;
	memcpy(&args, data, sizeof(args));
	fspec = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	error = copyinstr(args.fspec, fspec, MAXPATHLEN, &done);
	if (error != 0)
		goto out_fspec;
	error = ffs_devnode(fspec, &dev);
	if (error != 0)
		goto out_fspec;

	ump = kmem_zalloc(sizeof(*ump), KM_SLEEP);
	ump->um_mp = mp;
	rw = !(mp->mnt_flag & MNT_RDONLY);
	error = bdevvp_open(dev, rw ? FREAD | FWRITE : FREAD, &ump->um_devvp);
	if (error != 0)
		goto err_free_ump;
	error = VOP_GETATTR(ump->um_devvp, &va, NULL);
	if (error != 0)
		goto err_close_dev;
	error = ffs_sb_load(ump, (uint64_t)va.va_size, fspec);
	if (error != 0)
		goto err_close_dev;
	error = ffs_cg_check(ump, fspec);
	if (error != 0)
		goto err_close_dev;
	if (ump->um_clean == 0 && !rw)
		printf("ffs: %s: file system not clean; mounted read-only "
		    "anyway\n", fspec);
	if (rw) {
		error = ffs_mount_rw(ump, mp, fspec);
		if (error != 0)
			goto err_close_dev;
	}

	mp->mnt_data = ump;
	mp->mnt_flag |= MNT_LOCAL;
	strlcpy(mp->mnt_stat.f_fstypename, "ffs",
	    sizeof(mp->mnt_stat.f_fstypename));
	strlcpy(mp->mnt_stat.f_mntfromname, fspec,
	    sizeof(mp->mnt_stat.f_mntfromname));
	strlcpy(mp->mnt_stat.f_mntonname, path != NULL ? path : "/",
	    sizeof(mp->mnt_stat.f_mntonname));
	ffs_set_label(ump, mp);
	kmem_free(fspec, MAXPATHLEN);
	return 0;

err_close_dev:
	(void)bio_invalidate(ump->um_devvp);
	(void)bdevvp_close(ump->um_devvp);
err_free_ump:
	kmem_free(ump, sizeof(*ump));
out_fspec:
	kmem_free(fspec, MAXPATHLEN);
	return error;
}

/* The VFS has checked that nothing is busy; reclaim and close. */
static int
ffs_unmount(struct mount *mp, int mntflags)
{
	struct ffs_mount *ump = VFS_TO_FFS(mp);
	int error;

	if (ump == NULL)	/* a mount that failed half-way */
		return 0;
	error = vflush(mp, NULL, (mntflags & MNT_FORCE) ? FORCECLOSE : 0);
	if (error != 0)
		return error;
	if (ump->um_rw) {
		/* inodes are written as they change: flush, then mark clean */
		error = bio_flush(ump->um_devvp);
		if (error == 0)
			error = ffs_sb_write(ump, true);
		if (error == 0)
			error = bio_flush(ump->um_devvp);
		if (error != 0)
			printf("ffs: writing back at unmount: error %d (the "
			    "file system stays marked not clean)\n", error);
		ffs_rw_fini(ump);
	}
	(void)bio_invalidate(ump->um_devvp);
	error = bdevvp_close(ump->um_devvp);
	if (error != 0)
		printf("ffs: closing the device at unmount: error %d\n",
		    error);
	mp->mnt_data = NULL;
	kmem_free(ump, sizeof(*ump));
	return 0;
}

static int
ffs_root(struct mount *mp, struct vnode **vpp)
{
	uint64_t ino = FFS_ROOTINO;
	int error;

	error = vcache_get(mp, &ino, sizeof(ino), vpp);
	if (error == 0 && (*vpp)->v_type != VDIR) {
		printf("ffs: the root inode is not a directory\n");
		vrele(*vpp);
		*vpp = NULL;
		error = EIO;
	}
	return error;
}

/* Counts from the superblock's summary (fragments). */
static int
ffs_statvfs(struct mount *mp, struct statvfs *sbp)
{
	struct ffs_mount *ump = VFS_TO_FFS(mp);
	int64_t bfree, reserve;

	bfree = ump->um_nbfree * ump->um_frag + ump->um_nffree;
	reserve = ump->um_dsize * ump->um_minfree / 100;
	sbp->f_bsize = ump->um_bsize;
	sbp->f_frsize = ump->um_fsize;
	sbp->f_iosize = ump->um_bsize;
	sbp->f_blocks = (uint64_t)ump->um_dsize;
	sbp->f_bfree = (uint64_t)bfree;
	sbp->f_bavail = bfree > reserve ? (uint64_t)(bfree - reserve) : 0;
	sbp->f_bresvd = (uint64_t)reserve;
	sbp->f_files = ump->um_maxino - FFS_ROOTINO;
	sbp->f_ffree = (uint64_t)ump->um_nifree;
	sbp->f_favail = sbp->f_ffree;
	sbp->f_fresvd = 0;
	sbp->f_namemax = FFS_MAXNAMLEN;
	return 0;
}

/* Write every dirty buffer and the summary (the fs stays not clean). */
static int
ffs_sync(struct mount *mp, int waitfor, kauth_cred_t cred)
{
	struct ffs_mount *ump = VFS_TO_FFS(mp);
	int error;

	if (ump == NULL || !ump->um_rw)
		return 0;
	error = bio_flush(ump->um_devvp);
	if (error == 0)
		error = ffs_sb_write(ump, false);
	return error;
}

/* The vnode of inode *key (a uint64_t); EIO for a damaged inode. */
static int
ffs_loadvnode(struct mount *mp, struct vnode *vp, const void *key,
    size_t keylen)
{
	struct ffs_mount *ump = VFS_TO_FFS(mp);
	struct ffs_inode *ip;
	uint64_t ino;
	int error;

	if (keylen != sizeof(ino))
		return EINVAL;
	memcpy(&ino, key, sizeof(ino));
	error = ffs_inode_load(ump, ino, &ip);
	if (error != 0)
		return error;
	vp->v_type = ip->i_type;
	vp->v_op = &ffs_vnodeops;
	vp->v_data = ip;
	vp->v_rdev = (ip->i_type == VBLK || ip->i_type == VCHR) ?
	    ip->i_rdev : 0;
	if (ino == FFS_ROOTINO)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

static struct vfsops ffs_vfsops = {
	.vfs_name = "ffs",
	.vfs_mount = ffs_mount,
	.vfs_unmount = ffs_unmount,
	.vfs_root = ffs_root,
	.vfs_statvfs = ffs_statvfs,
	.vfs_sync = ffs_sync,
	.vfs_loadvnode = ffs_loadvnode,
	.vfs_newvnode = ffs_newvnode,
};

static int
ffs_modinit(void)
{
	int error;

	ffs_dirhash_init();
	error = vfs_attach(&ffs_vfsops);
	if (error != 0)
		ffs_dirhash_fini();
	return error;
}

static void
ffs_modfini(void)
{
	int error;

	error = vfs_detach(&ffs_vfsops);
	if (error != 0)
		printf("ffs: cannot detach the file system type: error %d "
		    "(still mounted)\n", error);
	else
		ffs_dirhash_fini();
}

RUMP_COMPONENT(ffs, RUMP_COMPONENT_VFS, ffs_modinit, ffs_modfini);
