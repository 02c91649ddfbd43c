/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernfs_vnops.c: the vnode operations of kernfs.
 *
 * Called by the VFS (vfs/vfs_lookup.c, vfs/vfs_vnops.c, the system calls)
 * with the locks that sys/vnode.h lists per operation.  The root is a flat
 * directory: lookup finds a name in kernfs_files[], readdir lists ".",
 * ".." and the files (the readdir cookie is the entry's position).  Files
 * are read-only (r--r--r--, root's); their size is the length of the text
 * they would read now.  Every operation that would change something
 * answers EROFS.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/uio.h>
#include <sys/dirent.h>
#include <sys/file.h>

#include "kernfs.h"


#define KERNFS_DIR_MODE		0555
#define KERNFS_FILE_MODE	0444
#define KERNFS_DIR_SIZE		512	/* nominal: one directory block */

static kernfs_key_t
kernfs_index(struct vnode *vp)
{
	const struct kernfs_node *kn = vp->v_data;

	KASSERT(kn != NULL);
	return kn->kn_index;
}

/* ---------------------------------------------------------------- names */

/* dvp: nslock reader.  *vpp returned referenced. */
static int
kernfs_lookup(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp)
{
	const char *name = cnp->cn_nameptr;
	size_t len = cnp->cn_namelen;
	kernfs_key_t index;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	/* A flat directory: "." and ".." are the root itself (namei leaves
	 * the mount through ".." on its own). */
	if ((len == 1 && name[0] == '.') || (cnp->cn_flags & CN_ISDOTDOT)) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	for (index = 1; index <= kernfs_nfiles; index++) {
		const char *fname = kernfs_files[index - 1].kf_name;

		if (strncmp(fname, name, len) == 0 && fname[len] == '\0')
			return vcache_get(dvp->v_mount, &index, sizeof(index),
			    vpp);
	}
	return ENOENT;
}

/* Name space changes: nslock writer.  kernfs has a fixed name space. */
static int
kernfs_create(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp, struct vattr *vap)
{
	return EROFS;
}

static int
kernfs_symlink(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp, struct vattr *vap, const char *target)
{
	return EROFS;
}

static int
kernfs_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	return EROFS;
}

static int
kernfs_rename(struct vnode *fdvp, struct vnode *fvp,
    struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
    struct componentname *tcnp)
{
	return EROFS;
}

/* ---------------------------------------------------------------- open */

static int
kernfs_open(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	if (fflags & FWRITE)
		return EROFS;
	return 0;
}

static int
kernfs_close(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	return 0;
}

/* ---------------------------------------------------------------- attributes */

/* v_lock reader. */
static int
kernfs_access(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	mode_t mode;

	if (accmode & VWRITE)
		return EROFS;
	mode = vp->v_type == VDIR ? KERNFS_DIR_MODE : KERNFS_FILE_MODE;
	return vaccess(vp->v_type, mode, 0, 0, accmode, cred);
}

/* v_lock reader.  A file's size is the length of its text right now. */
static int
kernfs_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	kernfs_key_t index = kernfs_index(vp);
	struct kernfs_text kt;
	int error;

	memset(vap, 0, sizeof(*vap));
	vap->va_type = vp->v_type;
	vap->va_uid = 0;
	vap->va_gid = 0;
	vap->va_fsid = vp->v_mount->mnt_fsid;
	vap->va_fileid = KERNFS_FILEID(index);
	vap->va_blocksize = PAGE_SIZE;
	vap->va_birthtime = boottime;
	vap->va_bytes = 0;	/* nothing is stored */
	vap->va_rdev = 0;
	if (index == KERNFS_ROOT_INDEX) {
		vap->va_mode = KERNFS_DIR_MODE;
		vap->va_nlink = 2;
		vap->va_size = KERNFS_DIR_SIZE;
		vap->va_atime = boottime;
		vap->va_mtime = boottime;
		vap->va_ctime = boottime;
		return 0;
	}

	error = kernfs_text_make(index, &kt);
	if (error)
		return error;
	vap->va_size = (int64_t)kt.kt_len;
	kernfs_text_free(&kt);
	vap->va_mode = KERNFS_FILE_MODE;
	vap->va_nlink = 1;
	/* The text is made now: it was "modified" now. */
	nanotime(&vap->va_mtime);
	vap->va_atime = vap->va_mtime;
	vap->va_ctime = vap->va_mtime;
	return 0;
}

static int
kernfs_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	return EROFS;
}

/* ---------------------------------------------------------------- data */

/* v_lock reader.  Generates the text, copies the asked range, frees it. */
static int
kernfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	kernfs_key_t index = kernfs_index(vp);
	struct kernfs_text kt;
	size_t off, n;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;

	error = kernfs_text_make(index, &kt);
	if (error)
		return error;
	if ((uint64_t)uio->uio_offset < kt.kt_len) {
		off = (size_t)uio->uio_offset;
		n = MIN(kt.kt_len - off, uio->uio_resid);
		error = uiomove(kt.kt_buf + off, n, uio);
	}
	kernfs_text_free(&kt);
	return error;
}

static int
kernfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	return EROFS;
}

static int
kernfs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	return EINVAL;	/* no symbolic links here */
}

static int
kernfs_fsync(struct vnode *vp, kauth_cred_t cred, int flags, off_t lo,
    off_t hi)
{
	return 0;	/* nothing is ever dirty */
}

/*
 * v_lock reader.  Entry number `cookie` of the root: 0 ".", 1 "..",
 * 2.. the files.  uio_offset holds the cookie of the next entry.
 */
static int
kernfs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{
	const off_t nentries = (off_t)kernfs_nfiles + 2;
	struct dirent *dp;
	const char *name;
	off_t cookie;
	size_t namlen, reclen;
	bool moved = false;
	int error = 0;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	cookie = uio->uio_offset;
	if (cookie < 0 || cookie > nentries)
		return EINVAL;

	/* struct dirent is ~520 bytes: not on the stack. */
	dp = kmem_alloc(sizeof(*dp), KM_SLEEP);
	for (; cookie < nentries; cookie++) {
		if (cookie == 0)
			name = ".";
		else if (cookie == 1)
			name = "..";
		else
			name = kernfs_files[cookie - 2].kf_name;
		namlen = strlen(name);
		reclen = _DIRENT_RECLEN(namlen);
		if (reclen > uio->uio_resid) {
			if (!moved)
				error = EINVAL;	/* buffer too small */
			break;
		}
		memset(dp, 0, reclen);
		dp->d_fileno = cookie < 2 ? KERNFS_FILEID(KERNFS_ROOT_INDEX) :
		    KERNFS_FILEID(cookie - 1);
		dp->d_reclen = (uint16_t)reclen;
		dp->d_namlen = (uint16_t)namlen;
		dp->d_type = cookie < 2 ? DT_DIR : DT_REG;
		memcpy(dp->d_name, name, namlen + 1);
		error = uiomove(dp, reclen, uio);
		if (error)
			break;
		moved = true;
		uio->uio_offset = cookie + 1;
	}
	kmem_free(dp, sizeof(*dp));
	if (eofflag != NULL)
		*eofflag = cookie >= nentries;
	return error;
}

/* ---------------------------------------------------------------- life */

/* No locks.  Keep the vnode cached: it is cheap and the index is stable. */
static int
kernfs_inactive(struct vnode *vp, bool *recycle)
{
	*recycle = false;
	return 0;
}

/* No locks, no references. */
static int
kernfs_reclaim(struct vnode *vp)
{
	struct kernfs_node *kn = vp->v_data;

	KASSERT(kn != NULL);
	vp->v_data = NULL;
	kmem_free(kn, sizeof(*kn));
	return 0;
}

static int
kernfs_bmap(struct vnode *vp, int64_t lbn, struct vnode **vpp, int64_t *bnp,
    int *runp)
{
	return EOPNOTSUPP;	/* not block-backed */
}

static int
kernfs_strategy(struct vnode *vp, struct buf *bp)
{
	return EOPNOTSUPP;
}

const struct vnodeops kernfs_vnodeops = {
	.vop_lookup = kernfs_lookup,
	.vop_create = kernfs_create,
	.vop_mknod = kernfs_create,
	.vop_mkdir = kernfs_create,
	.vop_symlink = kernfs_symlink,
	.vop_remove = kernfs_remove,
	.vop_rmdir = kernfs_remove,
	.vop_link = kernfs_remove,
	.vop_rename = kernfs_rename,
	.vop_open = kernfs_open,
	.vop_close = kernfs_close,
	.vop_access = kernfs_access,
	.vop_getattr = kernfs_getattr,
	.vop_read = kernfs_read,
	.vop_readdir = kernfs_readdir,
	.vop_readlink = kernfs_readlink,
	.vop_setattr = kernfs_setattr,
	.vop_write = kernfs_write,
	.vop_fsync = kernfs_fsync,
	.vop_inactive = kernfs_inactive,
	.vop_reclaim = kernfs_reclaim,
	.vop_bmap = kernfs_bmap,
	.vop_strategy = kernfs_strategy,
};
