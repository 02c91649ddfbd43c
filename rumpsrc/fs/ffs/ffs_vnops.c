/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_vnops.c: the vnode operations of FFS (sys/vnode.h contracts) other
 * than the name space ones (ffs_nsops.c): lookup, open/close, access,
 * getattr, read, readdir, readlink, write, setattr, fsync, inactive,
 * reclaim, bmap.  On read-only mounts the changing ones refuse with
 * EROFS.  The VFS holds the locks each operation lists; these take none
 * of their own (the allocator's um_lock is taken inside ffs_alloc.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/file.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "ffs.h"

int
ffs_access_ip(struct ffs_inode *ip, int accmode, kauth_cred_t cred)
{
	if ((accmode & VWRITE) && !ip->i_ump->um_rw &&
	    (ip->i_type == VREG || ip->i_type == VDIR || ip->i_type == VLNK))
		return EROFS;
	return vaccess(ip->i_type, ip->i_mode & ALLPERMS, ip->i_uid, ip->i_gid,
	    accmode, cred);
}

/* Precondition: dvp's mnt_nslock held (reader). */
static int
ffs_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp);
	uint64_t ino;
	int error;

	*vpp = NULL;
	if (dp->i_type != VDIR)
		return ENOTDIR;
	error = ffs_access_ip(dp, VEXEC, cnp->cn_cred);
	if (error != 0)
		return error;
	if (cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	error = ffs_dir_lookup(dp, cnp->cn_nameptr, cnp->cn_namelen, &ino);
	if (error != 0)
		return error;
	if (ino == dp->i_number) {	/* ".." of the root */
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return vcache_get(dvp->v_mount, &ino, sizeof(ino), vpp);
}

/* Devices, fifos and sockets have no driver behind them here. */
static int
ffs_open(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	switch (VTOI(vp)->i_type) {
	case VBLK:
	case VCHR:
		return ENXIO;
	case VFIFO:
	case VSOCK:
		return EOPNOTSUPP;
	default:
		break;
	}
	if ((fflags & FWRITE) && (vp->v_mount->mnt_flag & MNT_RDONLY))
		return EROFS;
	return 0;
}

static int
ffs_close(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	return 0;
}

/* Precondition: v_lock reader. */
static int
ffs_access(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	return ffs_access_ip(VTOI(vp), accmode, cred);
}

/* Precondition: v_lock reader. */
static int
ffs_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);

	memset(vap, 0, sizeof(*vap));
	vap->va_type = ip->i_type;
	vap->va_mode = ip->i_mode & ALLPERMS;
	vap->va_nlink = ip->i_nlink;
	vap->va_uid = ip->i_uid;
	vap->va_gid = ip->i_gid;
	vap->va_fsid = vp->v_mount->mnt_fsid;
	vap->va_fileid = ip->i_number;
	vap->va_size = ip->i_size;
	vap->va_blocksize = ip->i_ump->um_bsize;
	vap->va_atime = ip->i_atime;
	vap->va_mtime = ip->i_mtime;
	vap->va_ctime = ip->i_ctime;
	vap->va_birthtime = ip->i_birthtime;
	vap->va_gen = ip->i_gen;
	vap->va_flags = ip->i_flags;
	if (ip->i_type == VBLK || ip->i_type == VCHR)
		vap->va_rdev = ip->i_rdev;
	else
		vap->va_rdev = (uint64_t)VNOVAL;
	vap->va_bytes = (int64_t)(ip->i_blocks << DEV_BSHIFT);
	return 0;
}

/* Precondition: v_lock reader. */
static int
ffs_vop_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);

	switch (ip->i_type) {
	case VREG:
		return ffs_read(ip, uio);
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
}

/* Precondition: v_lock reader. */
static int
ffs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{
	struct ffs_inode *ip = VTOI(vp);

	if (ip->i_type != VDIR)
		return ENOTDIR;
	return ffs_dir_readdir(ip, uio, eofflag);
}

/*
 * A target shorter than fs_maxsymlinklen lives in the inode; a longer one
 * in data blocks.  Precondition: v_lock reader.
 */
static int
ffs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);
	struct ffs_mount *ump = ip->i_ump;

	if (ip->i_type != VLNK)
		return EINVAL;
	if (ip->i_size >= MAXPATHLEN) {
		printf("ffs: symlink inode %llu: target of %lld bytes\n",
		    (unsigned long long)ip->i_number, (long long)ip->i_size);
		return EIO;
	}
	if (ip->i_size < ump->um_maxsymlinklen ||
	    (ump->um_maxsymlinklen == 0 && ip->i_blocks == 0))
		return uiomove(ip->i_shortlink, MIN((size_t)ip->i_size,
		    uio->uio_resid), uio);
	return ffs_read(ip, uio);
}

/* Precondition: v_lock writer. */
static int
ffs_vop_write(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);

	if (!ip->i_ump->um_rw)
		return EROFS;
	if (ip->i_type != VREG)
		return ip->i_type == VDIR ? EISDIR : EINVAL;
	return ffs_write(ip, uio, ioflag);
}

static bool
ffs_is_owner(const struct ffs_inode *ip, kauth_cred_t cred)
{
	return cred == NULL || cred->cr_uid == 0 || cred->cr_uid == ip->i_uid;
}

/* Precondition: v_lock writer. */
static int
ffs_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);
	bool root = cred == NULL || cred->cr_uid == 0;
	int error;

	if (!ip->i_ump->um_rw)
		return EROFS;
	if (vap->va_size != (int64_t)VNOVAL) {
		if (ip->i_type == VDIR)
			return EISDIR;
		if (ip->i_type != VREG)
			return EINVAL;
		error = ffs_access_ip(ip, VWRITE, cred);
		if (error != 0)
			return error;
		error = ffs_truncate(ip, vap->va_size);
		if (error != 0)
			return error;
		ffs_itimes(ip, false, true, true);
	}
	if (vap->va_uid != (uid_t)VNOVAL || vap->va_gid != (gid_t)VNOVAL) {
		if (!root && (!ffs_is_owner(ip, cred) ||
		    (vap->va_uid != (uid_t)VNOVAL && vap->va_uid != ip->i_uid) ||
		    (vap->va_gid != (gid_t)VNOVAL &&
		    !kauth_cred_groupmember(cred, vap->va_gid))))
			return EPERM;
		if (vap->va_uid != (uid_t)VNOVAL)
			ip->i_uid = vap->va_uid;
		if (vap->va_gid != (gid_t)VNOVAL)
			ip->i_gid = vap->va_gid;
		ffs_itimes(ip, false, false, true);
	}
	if (vap->va_mode != (mode_t)VNOVAL) {
		if (!ffs_is_owner(ip, cred))
			return EPERM;
		ip->i_mode = (ip->i_mode & FFS_IFMT) | (vap->va_mode & ALLPERMS);
		ffs_itimes(ip, false, false, true);
	}
	if (vap->va_atime.tv_sec != VNOVAL || vap->va_mtime.tv_sec != VNOVAL) {
		if (!ffs_is_owner(ip, cred)) {
			if (!(vap->va_vaflags & VA_UTIMES_NULL))
				return EPERM;
			error = ffs_access_ip(ip, VWRITE, cred);
			if (error != 0)
				return error;
		}
		if (vap->va_atime.tv_sec != VNOVAL)
			ip->i_atime = vap->va_atime;
		if (vap->va_mtime.tv_sec != VNOVAL)
			ip->i_mtime = vap->va_mtime;
		ffs_itimes(ip, false, false, true);
	}
	return ffs_iupdate(ip);
}

/* Writes every dirty buffer of the device (coarse, but complete). */
static int
ffs_fsync(struct vnode *vp, kauth_cred_t cred, int flags, off_t lo, off_t hi)
{
	struct ffs_inode *ip = VTOI(vp);

	if (!ip->i_ump->um_rw)
		return 0;
	return bio_flush(ip->i_ump->um_devvp);
}

/*
 * An unlinked inode's blocks go back with its last use; its number at
 * reclaim, when the vnode cache makes a new vnode for the same number
 * wait (a number freed now could be handed out while this vnode is still
 * active under it).
 */
static int
ffs_inactive(struct vnode *vp, bool *recycle)
{
	struct ffs_inode *ip = VTOI(vp);
	int error;

	*recycle = false;
	if (!ip->i_ump->um_rw || ip->i_nlink > 0 || ip->i_mode == 0)
		return 0;
	*recycle = true;
	ffs_dirhash_free(ip);	/* the records go */
	error = ffs_truncate(ip, 0);
	if (error == 0) {
		ip->i_mode = 0;
		error = ffs_iupdate(ip);
	}
	if (error == 0)
		ip->i_freeino = true;
	if (error != 0)
		printf("ffs: freeing inode %llu: error %d\n",
		    (unsigned long long)ip->i_number, error);
	return error;
}

static int
ffs_reclaim(struct vnode *vp)
{
	struct ffs_inode *ip = VTOI(vp);
	int error = 0;

	if (ip->i_freeino) {
		error = ffs_ifree(ip->i_ump, ip->i_number, ip->i_type == VDIR);
		if (error != 0)
			printf("ffs: freeing inode %llu: error %d\n",
			    (unsigned long long)ip->i_number, error);
	}
	ffs_dirhash_free(ip);
	ffs_inode_free(ip);
	vp->v_data = NULL;
	return error;
}

/* Logical block -> device block, for callers doing their own I/O. */
static int
ffs_vop_bmap(struct vnode *vp, int64_t lbn, struct vnode **vpp, int64_t *bnp,
    int *runp)
{
	struct ffs_inode *ip = VTOI(vp);
	int64_t daddr;
	int error;

	error = ffs_bmap(ip, lbn, &daddr);
	if (error != 0)
		return error;
	if (vpp != NULL)
		*vpp = ip->i_ump->um_devvp;
	*bnp = daddr == 0 ? -1 : ffs_fsbtodb(ip->i_ump, daddr);
	if (runp != NULL)
		*runp = 0;
	return 0;
}

const struct vnodeops ffs_vnodeops = {
	.vop_lookup = ffs_lookup,
	.vop_create = ffs_create,
	.vop_mknod = ffs_mknod,
	.vop_mkdir = ffs_mkdir,
	.vop_symlink = ffs_symlink,
	.vop_remove = ffs_remove,
	.vop_rmdir = ffs_rmdir,
	.vop_link = ffs_link,
	.vop_rename = ffs_rename,
	.vop_open = ffs_open,
	.vop_close = ffs_close,
	.vop_access = ffs_access,
	.vop_getattr = ffs_getattr,
	.vop_read = ffs_vop_read,
	.vop_readdir = ffs_readdir,
	.vop_readlink = ffs_readlink,
	.vop_write = ffs_vop_write,
	.vop_setattr = ffs_setattr,
	.vop_fsync = ffs_fsync,
	.vop_inactive = ffs_inactive,
	.vop_reclaim = ffs_reclaim,
	.vop_bmap = ffs_vop_bmap,
};
