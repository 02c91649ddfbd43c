/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_vnops.c: the vnode operations of tmpfs (sys/vnode.h contracts),
 * except rename (tmpfs_rename.c).  The VFS calls them with the locks each
 * operation lists already held; name space operations additionally take
 * one vnode's v_lock at a time (a directory's, around a change of its
 * entry list) and tm_lock for link counts and times (tmpfs.h).
 */
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "tmpfs.h"

static bool
tmpfs_name_is(const struct componentname *cnp, const char *s)
{
	size_t len = strlen(s);

	return cnp->cn_namelen == len &&
	    memcmp(cnp->cn_nameptr, s, len) == 0;
}

static uint32_t
tmpfs_nlink(struct tmpfs_node *node)
{
	struct tmpfs_mount *tm = node->tn_mount;
	uint32_t n;

	mutex_enter(&tm->tm_lock);
	n = node->tn_nlink;
	mutex_exit(&tm->tm_lock);
	return n;
}

/* ---------------------------------------------------------------- lookup */

/*
 * VOP_LOOKUP.  Precondition: dvp's mnt_nslock held.  Needs search (x)
 * permission on dvp.  ".." of a mount's root is the root itself (namei
 * crosses mount points); ".." of a removed directory is ENOENT.
 */
static int
tmpfs_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_mount *tm = dnode->tn_mount;
	struct tmpfs_node *parent;
	struct tmpfs_dirent *de;
	int error;

	*vpp = NULL;
	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	error = tmpfs_node_access(dnode, VEXEC, cnp->cn_cred);
	if (error != 0)
		return error;
	if (tmpfs_name_is(cnp, ".")) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if ((cnp->cn_flags & CN_ISDOTDOT) || tmpfs_name_is(cnp, "..")) {
		if (dnode == tm->tm_root) {
			vref(dvp);
			*vpp = dvp;
			return 0;
		}
		parent = dnode->tn_dir.td_parent;
		if (parent == NULL)
			return ENOENT;
		return tmpfs_node_vget(tm, parent, vpp);
	}
	if (cnp->cn_namelen > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	de = tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL)
		return ENOENT;
	return tmpfs_node_vget(tm, de->td_node, vpp);
}

/* ---------------------------------------------------------------- create */

/*
 * Create an object named cnp in dvp: VOP_CREATE, MKNOD, MKDIR, SYMLINK.
 * Everything that can fail (the entry, its hash slot, the symlink
 * target, the node) is obtained before the name appears.
 * Precondition: mnt_nslock writer; the name is absent.
 */
static int
tmpfs_alloc_file(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp, struct vattr *vap, const char *target)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_mount *tm = dnode->tn_mount;
	struct tmpfs_dirent *de;
	struct tmpfs_node *node;
	struct vnode *vp;
	char *tcopy = NULL;
	size_t tlen = 0;
	int error;

	*vpp = NULL;
	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	if (tmpfs_nlink(dnode) == 0)
		return ENOENT;			/* dvp was removed */
	if (tm->tm_mp->mnt_flag & MNT_RDONLY)
		return EROFS;
	if (tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		return EEXIST;
	if (vap->va_type == VDIR && tmpfs_nlink(dnode) >= TMPFS_LINK_MAX)
		return EMLINK;

	error = tmpfs_dirent_alloc(tm, cnp->cn_nameptr, cnp->cn_namelen, &de);
	if (error != 0)
		return error;
	error = tmpfs_dir_reserve(tm, dnode);
	if (error != 0)
		goto err_free_dirent;
	if (target != NULL) {
		tlen = strlen(target);
		if (tlen >= MAXPATHLEN) {
			error = ENAMETOOLONG;
			goto err_free_dirent;
		}
		error = tmpfs_mem_reserve(tm, tlen + 1);
		if (error != 0)
			goto err_free_dirent;
		tcopy = kmem_alloc(tlen + 1, KM_NOSLEEP);
		if (tcopy == NULL) {
			error = ENOSPC;
			goto err_release_target;
		}
		memcpy(tcopy, target, tlen + 1);
	}
	error = vcache_new(tm->tm_mp, dvp, vap, cnp->cn_cred, &vp);
	if (error != 0)
		goto err_free_target;
	node = VP_TO_TMPFS_NODE(vp);
	KASSERT(node->tn_type == vap->va_type);
	if (target != NULL) {
		node->tn_lnk.tl_target = tcopy;
		node->tn_lnk.tl_len = tlen;
	}

	vn_lock(dvp, RW_WRITER);
	tmpfs_dir_attach(dnode, de, node);
	if (node->tn_type == VDIR)
		node->tn_dir.td_parent = dnode;
	vn_unlock(dvp);
	mutex_enter(&tm->tm_lock);
	if (node->tn_type == VDIR) {
		node->tn_nlink = 2;
		dnode->tn_nlink++;
	} else {
		node->tn_nlink = 1;
	}
	tmpfs_node_touch_locked(dnode, TMPFS_MTIME | TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	*vpp = vp;
	return 0;

err_free_target:
	if (tcopy != NULL)
		kmem_free(tcopy, tlen + 1);
err_release_target:
	if (target != NULL)
		tmpfs_mem_release(tm, tlen + 1);
err_free_dirent:
	tmpfs_dirent_free(tm, de);
	return error;
}

static int
tmpfs_create(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{
	if (vap->va_type != VREG && vap->va_type != VSOCK &&
	    vap->va_type != VFIFO)
		return EINVAL;
	return tmpfs_alloc_file(dvp, vpp, cnp, vap, NULL);
}

static int
tmpfs_mknod(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{
	switch (vap->va_type) {
	case VBLK:
	case VCHR:
	case VFIFO:
	case VSOCK:
		return tmpfs_alloc_file(dvp, vpp, cnp, vap, NULL);
	default:
		return EINVAL;
	}
}

static int
tmpfs_mkdir(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{
	if (vap->va_type != VDIR)
		return EINVAL;
	return tmpfs_alloc_file(dvp, vpp, cnp, vap, NULL);
}

static int
tmpfs_symlink(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, const char *target)
{
	if (vap->va_type != VLNK || target == NULL)
		return EINVAL;
	return tmpfs_alloc_file(dvp, vpp, cnp, vap, target);
}

/* ---------------------------------------------------------------- remove */

/*
 * The entry of dnode named cnp, which must name node (the VFS looked it
 * up under the same nslock hold).  ENOENT otherwise.
 */
static int
tmpfs_entry_of(struct tmpfs_node *dnode, struct componentname *cnp,
    struct tmpfs_node *node, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;

	de = tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL || de->td_node != node)
		return ENOENT;
	*dep = de;
	return 0;
}

/* Precondition: mnt_nslock writer; vp referenced by the caller. */
static int
tmpfs_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_mount *tm = dnode->tn_mount;
	struct tmpfs_dirent *de;
	int error;

	if (node->tn_type == VDIR)
		return EPERM;
	if (tm->tm_mp->mnt_flag & MNT_RDONLY)
		return EROFS;
	error = tmpfs_entry_of(dnode, cnp, node, &de);
	if (error != 0)
		return error;
	error = tmpfs_sticky_check(dnode, node, cnp->cn_cred);
	if (error != 0)
		return error;

	vn_lock(dvp, RW_WRITER);
	tmpfs_dir_detach(dnode, de);
	vn_unlock(dvp);
	tmpfs_dirent_free(tm, de);
	mutex_enter(&tm->tm_lock);
	KASSERT(node->tn_nlink > 0);
	node->tn_nlink--;
	tmpfs_node_touch_locked(node, TMPFS_CTIME);
	tmpfs_node_touch_locked(dnode, TMPFS_MTIME | TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}

/* Precondition: mnt_nslock writer; vp referenced by the caller. */
static int
tmpfs_rmdir(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_mount *tm = dnode->tn_mount;
	struct tmpfs_dirent *de;
	int error;

	if (node->tn_type != VDIR)
		return ENOTDIR;
	if (vp == dvp)
		return EINVAL;
	if (node == tm->tm_root)
		return EBUSY;
	if (tm->tm_mp->mnt_flag & MNT_RDONLY)
		return EROFS;
	error = tmpfs_entry_of(dnode, cnp, node, &de);
	if (error != 0)
		return error;
	if (node->tn_dir.td_count != 0)
		return ENOTEMPTY;
	error = tmpfs_sticky_check(dnode, node, cnp->cn_cred);
	if (error != 0)
		return error;

	vn_lock(dvp, RW_WRITER);
	tmpfs_dir_detach(dnode, de);
	vn_unlock(dvp);
	tmpfs_dirent_free(tm, de);
	vn_lock(vp, RW_WRITER);
	node->tn_dir.td_parent = NULL;
	vn_unlock(vp);
	mutex_enter(&tm->tm_lock);
	KASSERT(node->tn_nlink == 2 && dnode->tn_nlink > 2);
	node->tn_nlink = 0;
	dnode->tn_nlink--;
	tmpfs_node_touch_locked(node, TMPFS_CTIME);
	tmpfs_node_touch_locked(dnode, TMPFS_MTIME | TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}

/* VOP_LINK: a new name cnp in dvp for vp.  Precondition: nslock writer. */
static int
tmpfs_link(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *node;
	struct tmpfs_mount *tm = dnode->tn_mount;
	struct tmpfs_dirent *de;
	uint32_t nlink;
	int error;

	if (vp->v_mount != dvp->v_mount)
		return EXDEV;
	node = VP_TO_TMPFS_NODE(vp);
	if (node->tn_type == VDIR)
		return EPERM;
	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	if (tm->tm_mp->mnt_flag & MNT_RDONLY)
		return EROFS;
	if (tmpfs_nlink(dnode) == 0)
		return ENOENT;
	nlink = tmpfs_nlink(node);
	if (nlink == 0)
		return ENOENT;		/* removed meanwhile */
	if (nlink >= TMPFS_LINK_MAX)
		return EMLINK;
	if (tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		return EEXIST;
	error = tmpfs_dirent_alloc(tm, cnp->cn_nameptr, cnp->cn_namelen, &de);
	if (error != 0)
		return error;
	error = tmpfs_dir_reserve(tm, dnode);
	if (error != 0) {
		tmpfs_dirent_free(tm, de);
		return error;
	}
	vn_lock(dvp, RW_WRITER);
	tmpfs_dir_attach(dnode, de, node);
	vn_unlock(dvp);
	mutex_enter(&tm->tm_lock);
	node->tn_nlink++;
	tmpfs_node_touch_locked(node, TMPFS_CTIME);
	tmpfs_node_touch_locked(dnode, TMPFS_MTIME | TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}

/* ---------------------------------------------------------------- files */

static int
tmpfs_open(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	if (node->tn_type == VDIR && (fflags & FWRITE))
		return EISDIR;
	return 0;
}

static int
tmpfs_close(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	return 0;
}

static int
tmpfs_access(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	return tmpfs_node_access(VP_TO_TMPFS_NODE(vp), accmode, cred);
}

static int
tmpfs_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	tmpfs_node_getattr(VP_TO_TMPFS_NODE(vp), vap);
	return 0;
}

static int
tmpfs_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	return tmpfs_node_setattr(vp, vap, cred);
}

/* Precondition: v_lock reader. */
static int
tmpfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	switch (node->tn_type) {
	case VREG:
		return tmpfs_reg_read(node, uio);
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;		/* no data behind it here */
	}
}

/* Precondition: v_lock writer. */
static int
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	switch (node->tn_type) {
	case VREG:
		if (node->tn_mount->tm_mp->mnt_flag & MNT_RDONLY)
			return EROFS;
		return tmpfs_reg_write(node, uio, ioflag);
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
}

/* Precondition: v_lock reader. */
static int
tmpfs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	if (node->tn_type != VDIR)
		return ENOTDIR;
	return tmpfs_dir_getdents(node, uio, eofflag);
}

/* Precondition: v_lock reader. */
static int
tmpfs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	size_t len;
	int error;

	if (node->tn_type != VLNK)
		return EINVAL;
	len = node->tn_lnk.tl_len;
	if (len > uio->uio_resid)
		len = uio->uio_resid;
	error = uiomove(node->tn_lnk.tl_target, len, uio);
	if (error == 0)
		tmpfs_node_touch(node, TMPFS_ATIME);
	return error;
}

/* Memory is the backing store: nothing to write back. */
static int
tmpfs_fsync(struct vnode *vp, kauth_cred_t cred, int flags, off_t lo,
    off_t hi)
{
	return 0;
}

/* ---------------------------------------------------------------- life */

/* A node without names goes as soon as its last reference does. */
static int
tmpfs_inactive(struct vnode *vp, bool *recycle)
{
	*recycle = tmpfs_nlink(VP_TO_TMPFS_NODE(vp)) == 0;
	return 0;
}

/*
 * Detach the node from its vnode; free it if it has no names left (it
 * can never be found again).  Precondition: no references, no locks.
 */
static int
tmpfs_reclaim(struct vnode *vp)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	vp->v_data = NULL;
	if (node == NULL)
		return 0;
	if (tmpfs_nlink(node) == 0)
		tmpfs_node_free(node->tn_mount, node);
	return 0;
}

/* Memory-backed: no blocks to map. */
static int
tmpfs_bmap(struct vnode *vp, int64_t lbn, struct vnode **vpp, int64_t *bnp,
    int *runp)
{
	return EOPNOTSUPP;
}

static int
tmpfs_strategy(struct vnode *vp, struct buf *bp)
{
	return EOPNOTSUPP;
}

const struct vnodeops tmpfs_vnodeops = {
	.vop_lookup = tmpfs_lookup,
	.vop_create = tmpfs_create,
	.vop_mknod = tmpfs_mknod,
	.vop_mkdir = tmpfs_mkdir,
	.vop_symlink = tmpfs_symlink,
	.vop_remove = tmpfs_remove,
	.vop_rmdir = tmpfs_rmdir,
	.vop_link = tmpfs_link,
	.vop_rename = tmpfs_rename,
	.vop_open = tmpfs_open,
	.vop_close = tmpfs_close,
	.vop_access = tmpfs_access,
	.vop_getattr = tmpfs_getattr,
	.vop_read = tmpfs_read,
	.vop_readdir = tmpfs_readdir,
	.vop_readlink = tmpfs_readlink,
	.vop_setattr = tmpfs_setattr,
	.vop_write = tmpfs_write,
	.vop_fsync = tmpfs_fsync,
	.vop_inactive = tmpfs_inactive,
	.vop_reclaim = tmpfs_reclaim,
	.vop_bmap = tmpfs_bmap,
	.vop_strategy = tmpfs_strategy,
};
