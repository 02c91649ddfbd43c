/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_nsops.c: the name space operations of FFS on read-write mounts:
 * vfs_newvnode (a new inode), create, mknod, mkdir, symlink (short in the
 * inode, long in blocks), remove, rmdir, link and rename (same directory,
 * across directories, over an existing entry; the ".." of a moved
 * directory follows it).  ffs_vnops.c lists them in the vnode operations
 * table; ffs_vfsops.c points vfs_newvnode here.
 *
 * Locks: the VFS holds the mount's nslock as writer around each of these
 * (vnode.h); they take one v_lock at a time, as writer, around the
 * changes to one directory's entries or one inode's link count.  An
 * inode whose link count reaches zero is freed by VOP_INACTIVE when its
 * last reference goes (ffs_vnops.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "ffs.h"

#define FFS_LINK_MAX	32767	/* di_nlink is a 16-bit signed field */

static uint8_t
ffs_vtodt(enum vtype t)
{
	switch (t) {
	case VREG:	return DT_REG;
	case VDIR:	return DT_DIR;
	case VLNK:	return DT_LNK;
	case VBLK:	return DT_BLK;
	case VCHR:	return DT_CHR;
	case VFIFO:	return DT_FIFO;
	case VSOCK:	return DT_SOCK;
	default:	return DT_UNKNOWN;
	}
}

/*
 * A new inode for vcache_new: allocated (files near their directory,
 * directories spread), owned by cred with the directory's group, link
 * count 0 until the caller names it.  Precondition: nslock writer.
 */
int
ffs_newvnode(struct mount *mp, struct vnode *dvp, struct vnode *vp,
    struct vattr *vap, kauth_cred_t cred, void *key, size_t *keylenp)
{
	struct ffs_mount *ump = VFS_TO_FFS(mp);
	struct ffs_inode *dp = VTOI(dvp), *ip;
	uint64_t ino;
	int error;

	if (!ump->um_rw)
		return EROFS;
	error = ffs_ialloc(ump, (uint32_t)(dp->i_number / ump->um_ipg),
	    vap->va_type == VDIR, &ino);
	if (error != 0)
		return error;
	ip = kmem_zalloc(sizeof(*ip), KM_SLEEP);
	ip->i_ump = ump;
	ip->i_number = ino;
	ip->i_type = vap->va_type;
	ip->i_mode = vttoif(vap->va_type) | (vap->va_mode & ALLPERMS);
	ip->i_uid = cred != NULL ? cred->cr_uid : 0;
	ip->i_gid = dp->i_gid;
	ip->i_gen = cprng_u32();
	ffs_itimes(ip, true, true, true);
	ip->i_birthtime = ip->i_ctime;
	if (vap->va_type == VBLK || vap->va_type == VCHR) {
		ip->i_rdev = vap->va_rdev;
		ip->i_db[0] = (int64_t)vap->va_rdev;
	}
	error = ffs_iinit(ip);
	if (error != 0) {
		/* an inode found in use stays allocated: it is */
		if (error != EIO)
			(void)ffs_ifree(ump, ino, vap->va_type == VDIR);
		kmem_free(ip, sizeof(*ip));
		return error;
	}
	vp->v_type = ip->i_type;
	vp->v_op = &ffs_vnodeops;
	vp->v_data = ip;
	vp->v_rdev = ip->i_rdev;
	memcpy(key, &ino, sizeof(ino));
	*keylenp = sizeof(ino);
	return 0;
}

/* Link count and contents of a new inode, then its name in dvp. */
static int
ffs_makeinode(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp, struct vattr *vap, const char *target)
{
	struct ffs_inode *dp = VTOI(dvp), *ip;
	struct ffs_mount *ump = dp->i_ump;
	struct vnode *vp;
	size_t tlen = 0;
	int error;

	*vpp = NULL;
	if (!ump->um_rw)
		return EROFS;
	if (cnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	if (dp->i_nlink == 0)
		return ENOENT;	/* a removed directory */
	if (vap->va_type == VDIR && dp->i_nlink >= FFS_LINK_MAX)
		return EMLINK;
	if (target != NULL) {
		tlen = strlen(target);
		if (tlen >= MAXPATHLEN)
			return ENAMETOOLONG;
	}
	error = vcache_new(dvp->v_mount, dvp, vap, cnp->cn_cred, &vp);
	if (error != 0)
		return error;
	ip = VTOI(vp);

	vn_lock(vp, RW_WRITER);
	ip->i_nlink = vap->va_type == VDIR ? 2 : 1;
	if (vap->va_type == VDIR) {
		error = ffs_dir_init(ip, dp->i_number);
	} else if (target != NULL && (int64_t)tlen < ump->um_maxsymlinklen) {
		memcpy(ip->i_shortlink, target, tlen);
		ip->i_size = (int64_t)tlen;
	} else if (target != NULL) {
		error = ffs_write_buf(ip, target, tlen);
	}
	if (error == 0)
		error = ffs_iupdate(ip);
	vn_unlock(vp);
	if (error != 0)
		goto err_unlink;

	vn_lock(dvp, RW_WRITER);
	error = ffs_dir_enter(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    ip->i_number, ffs_vtodt(ip->i_type));
	if (error == 0 && vap->va_type == VDIR) {
		dp->i_nlink++;
		error = ffs_iupdate(dp);
	}
	vn_unlock(dvp);
	if (error != 0)
		goto err_unlink;
	*vpp = vp;
	return 0;

err_unlink:
	/* unnamed: freed with the vnode (VOP_INACTIVE) */
	vn_lock(vp, RW_WRITER);
	ip->i_nlink = 0;
	(void)ffs_iupdate(ip);
	vn_unlock(vp);
	vrele(vp);
	return error;
}

int
ffs_create(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{
	if (vap->va_type != VREG && vap->va_type != VSOCK &&
	    vap->va_type != VFIFO)
		return EINVAL;
	return ffs_makeinode(dvp, vpp, cnp, vap, NULL);
}

int
ffs_mknod(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{
	switch (vap->va_type) {
	case VBLK:
	case VCHR:
	case VFIFO:
	case VSOCK:
		return ffs_makeinode(dvp, vpp, cnp, vap, NULL);
	default:
		return EINVAL;
	}
}

int
ffs_mkdir(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{
	if (vap->va_type != VDIR)
		return EINVAL;
	return ffs_makeinode(dvp, vpp, cnp, vap, NULL);
}

int
ffs_symlink(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, const char *target)
{
	if (vap->va_type != VLNK || target == NULL)
		return EINVAL;
	return ffs_makeinode(dvp, vpp, cnp, vap, target);
}

/* One link fewer (dir: none left); ctime.  Takes vp's v_lock. */
static int
ffs_droplink(struct vnode *vp, bool all)
{
	struct ffs_inode *ip = VTOI(vp);
	int error;

	vn_lock(vp, RW_WRITER);
	if (all)
		ip->i_nlink = 0;
	else if (ip->i_nlink > 0)
		ip->i_nlink--;
	ffs_itimes(ip, false, false, true);
	error = ffs_iupdate(ip);
	vn_unlock(vp);
	return error;
}

/* Sticky directories: only the owner of the file or the directory. */
static int
ffs_sticky(struct ffs_inode *dp, struct ffs_inode *ip, kauth_cred_t cred)
{
	if (!(dp->i_mode & S_ISVTX) || cred == NULL || cred->cr_uid == 0 ||
	    cred->cr_uid == dp->i_uid || cred->cr_uid == ip->i_uid)
		return 0;
	return EPERM;
}

int
ffs_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	if (!dp->i_ump->um_rw)
		return EROFS;
	if (ip->i_type == VDIR)
		return EPERM;
	error = ffs_sticky(dp, ip, cnp->cn_cred);
	if (error != 0)
		return error;
	vn_lock(dvp, RW_WRITER);
	error = ffs_dir_remove(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    ip->i_number);
	vn_unlock(dvp);
	if (error != 0)
		return error;
	return ffs_droplink(vp, false);
}

int
ffs_rmdir(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	bool empty;
	int error;

	if (!dp->i_ump->um_rw)
		return EROFS;
	if (ip->i_type != VDIR)
		return ENOTDIR;
	if (vp == dvp)
		return EINVAL;
	if ((vp->v_vflag & VV_ROOT) || vp->v_mountedhere != NULL)
		return EBUSY;
	error = ffs_sticky(dp, ip, cnp->cn_cred);
	if (error != 0)
		return error;
	vn_lock(vp, RW_READER);
	error = ffs_dir_isempty(ip, &empty);
	vn_unlock(vp);
	if (error != 0)
		return error;
	if (!empty)
		return ENOTEMPTY;
	vn_lock(dvp, RW_WRITER);
	error = ffs_dir_remove(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    ip->i_number);
	if (error == 0) {
		dp->i_nlink--;		/* the child's ".." */
		error = ffs_iupdate(dp);
	}
	vn_unlock(dvp);
	if (error != 0)
		return error;
	return ffs_droplink(vp, true);
}

int
ffs_link(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	if (!dp->i_ump->um_rw)
		return EROFS;
	if (ip->i_type == VDIR)
		return EPERM;
	if (dvp->v_mount != vp->v_mount)
		return EXDEV;
	if (ip->i_nlink >= FFS_LINK_MAX)
		return EMLINK;
	if (cnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	vn_lock(vp, RW_WRITER);
	ip->i_nlink++;
	ffs_itimes(ip, false, false, true);
	error = ffs_iupdate(ip);
	vn_unlock(vp);
	if (error != 0)
		goto err_nlink;
	vn_lock(dvp, RW_WRITER);
	error = ffs_dir_enter(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    ip->i_number, ffs_vtodt(ip->i_type));
	vn_unlock(dvp);
	if (error == 0)
		return 0;
err_nlink:
	(void)ffs_droplink(vp, false);
	return error;
}

/*
 * Rename: the target entry first (a new one, or the existing one pointed
 * at the moved inode), then the old entry goes, then a moved directory's
 * "..".  A failure in the first step changes nothing.
 */
int
ffs_rename(struct vnode *fdvp, struct vnode *fvp, struct componentname *fcnp,
    struct vnode *tdvp, struct vnode *tvp, struct componentname *tcnp)
{
	struct ffs_inode *fdp = VTOI(fdvp), *fip = VTOI(fvp);
	struct ffs_inode *tdp = VTOI(tdvp), *tip = tvp ? VTOI(tvp) : NULL;
	bool isdir = fip->i_type == VDIR, moved = fdvp != tdvp, empty;
	int error;

	if (!fdp->i_ump->um_rw)
		return EROFS;
	if (fvp == tvp)
		return 0;	/* two names of one file: nothing to do */
	if (tcnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	if (fvp == fdvp || (fcnp->cn_namelen <= 2 &&
	    memcmp(fcnp->cn_nameptr, "..", fcnp->cn_namelen) == 0))
		return EINVAL;
	error = ffs_sticky(fdp, fip, fcnp->cn_cred);
	if (error == 0 && tip != NULL)
		error = ffs_sticky(tdp, tip, tcnp->cn_cred);
	if (error != 0)
		return error;
	if (tip != NULL && tip->i_type == VDIR) {
		if (!isdir)
			return EISDIR;
		if (tvp->v_mountedhere != NULL)
			return EBUSY;
		vn_lock(tvp, RW_READER);
		error = ffs_dir_isempty(tip, &empty);
		vn_unlock(tvp);
		if (error != 0)
			return error;
		if (!empty)
			return ENOTEMPTY;
	} else if (tip != NULL && isdir) {
		return ENOTDIR;
	}
	if (isdir && moved && tip == NULL && tdp->i_nlink >= FFS_LINK_MAX)
		return EMLINK;

	/* 1: the target name */
	vn_lock(tdvp, RW_WRITER);
	if (tip != NULL)
		error = ffs_dir_rewrite(tdp, tcnp->cn_nameptr, tcnp->cn_namelen,
		    fip->i_number, ffs_vtodt(fip->i_type));
	else
		error = ffs_dir_enter(tdp, tcnp->cn_nameptr, tcnp->cn_namelen,
		    fip->i_number, ffs_vtodt(fip->i_type));
	if (error == 0 && isdir) {
		/* fvp's ".." comes in when moved; tvp's goes */
		if (moved)
			tdp->i_nlink++;
		if (tip != NULL)
			tdp->i_nlink--;
		error = ffs_iupdate(tdp);
	}
	vn_unlock(tdvp);
	if (error != 0)
		return error;
	if (tip != NULL) {
		error = ffs_droplink(tvp, tip->i_type == VDIR);
		if (error != 0)
			return error;
	}

	/* 2: the old name */
	vn_lock(fdvp, RW_WRITER);
	error = ffs_dir_remove(fdp, fcnp->cn_nameptr, fcnp->cn_namelen,
	    fip->i_number);
	if (error == 0 && isdir && moved) {
		fdp->i_nlink--;
		error = ffs_iupdate(fdp);
	}
	vn_unlock(fdvp);
	if (error != 0)
		return error;

	/* 3: the moved directory's ".." */
	vn_lock(fvp, RW_WRITER);
	if (isdir && moved)
		error = ffs_dir_rewrite(fip, "..", 2, tdp->i_number, DT_DIR);
	ffs_itimes(fip, false, false, true);
	if (error == 0)
		error = ffs_iupdate(fip);
	vn_unlock(fvp);
	return error;
}
