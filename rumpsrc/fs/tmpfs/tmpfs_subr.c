/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_subr.c: tmpfs nodes: memory accounting against the mount's
 * limits, allocation and freeing, times, attributes and permission
 * checks.  Called by the vfsops (tmpfs_vfsops.c) and the vnode operations
 * (tmpfs_vnops.c, tmpfs_rename.c); see tmpfs.h for the locking rules.
 */
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "tmpfs.h"

/* ---------------------------------------------------------------- memory */

/*
 * Charge bytes to the mount; ENOSPC (and nothing charged) when that would
 * exceed ta_size_max.  Callers charge before allocating so that a full
 * file system refuses an operation before changing anything.
 */
int
tmpfs_mem_reserve(struct tmpfs_mount *tm, size_t bytes)
{
	int error = 0;

	mutex_enter(&tm->tm_lock);
	if (tm->tm_bytes_max != 0 &&
	    (tm->tm_bytes_used > tm->tm_bytes_max ||
	    bytes > tm->tm_bytes_max - tm->tm_bytes_used))
		error = ENOSPC;
	else
		tm->tm_bytes_used += bytes;
	mutex_exit(&tm->tm_lock);
	return error;
}

void
tmpfs_mem_release(struct tmpfs_mount *tm, size_t bytes)
{
	mutex_enter(&tm->tm_lock);
	KASSERT(tm->tm_bytes_used >= bytes);
	tm->tm_bytes_used -= bytes;
	mutex_exit(&tm->tm_lock);
}

/* ---------------------------------------------------------------- nodes */

/*
 * Make a node of the given type with link count 0, on the mount's list.
 * ENOSPC when the node or byte limit is reached.  Directories start
 * empty with no parent; the caller links the node (tmpfs_dir_attach) or
 * frees it.
 */
int
tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, uid_t uid,
    gid_t gid, mode_t mode, uint64_t rdev, struct tmpfs_node **np)
{
	struct tmpfs_node *node;
	struct timespec now;
	int error;

	KASSERT(type != VNON && type != VBAD);
	error = tmpfs_mem_reserve(tm, sizeof(*node));
	if (error != 0)
		return error;
	node = kmem_zalloc(sizeof(*node), KM_NOSLEEP);
	if (node == NULL) {
		error = ENOSPC;
		goto err_release;
	}
	node->tn_mount = tm;
	node->tn_type = type;
	node->tn_gen = cprng_u32();
	node->tn_mode = mode & ALLPERMS;
	node->tn_uid = uid;
	node->tn_gid = gid;
	node->tn_rdev = (type == VBLK || type == VCHR) ? rdev : 0;
	nanotime(&now);
	node->tn_atime = node->tn_mtime = node->tn_ctime = now;
	node->tn_birthtime = now;
	switch (type) {
	case VREG:
		tmpfs_pages_init(&node->tn_reg);
		break;
	case VDIR:
		tmpfs_dir_init(node, NULL);
		break;
	default:
		break;
	}

	mutex_enter(&tm->tm_lock);
	if (tm->tm_nodes_max != 0 && tm->tm_nodes_cnt >= tm->tm_nodes_max) {
		mutex_exit(&tm->tm_lock);
		error = ENOSPC;
		goto err_free_node;
	}
	tm->tm_nodes_cnt++;
	node->tn_id = tm->tm_nextid++;
	TAILQ_INSERT_TAIL(&tm->tm_nodes, node, tn_list);
	mutex_exit(&tm->tm_lock);
	*np = node;
	return 0;

err_free_node:
	kmem_free(node, sizeof(*node));
err_release:
	tmpfs_mem_release(tm, sizeof(*node));
	return error;
}

/*
 * Free a node and everything it owns.  Precondition: no vnode, no name
 * (or the whole mount is going away), a directory is empty.
 */
void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	int error;

	switch (node->tn_type) {
	case VREG:
		error = tmpfs_reg_truncate(node, 0);
		KASSERTMSG(error == 0, "tmpfs: truncate to 0 failed: %d", error);
		(void)error;
		break;
	case VDIR:
		tmpfs_dir_fini(tm, node);
		break;
	case VLNK:
		if (node->tn_lnk.tl_target != NULL) {
			kmem_free(node->tn_lnk.tl_target,
			    node->tn_lnk.tl_len + 1);
			tmpfs_mem_release(tm, node->tn_lnk.tl_len + 1);
		}
		break;
	default:
		break;
	}
	mutex_enter(&tm->tm_lock);
	TAILQ_REMOVE(&tm->tm_nodes, node, tn_list);
	KASSERT(tm->tm_nodes_cnt > 0);
	tm->tm_nodes_cnt--;
	KASSERT(tm->tm_bytes_used >= sizeof(*node));
	tm->tm_bytes_used -= sizeof(*node);
	mutex_exit(&tm->tm_lock);
	kmem_free(node, sizeof(*node));
}

/* Set the given times to now.  Precondition: tm_lock held. */
void
tmpfs_node_touch_locked(struct tmpfs_node *node, int which)
{
	struct timespec now;

	KASSERT(mutex_owned(&node->tn_mount->tm_lock));
	if ((which & TMPFS_ATIME) && node->tn_mount->tm_noatime)
		which &= ~TMPFS_ATIME;
	if (which == 0)
		return;
	nanotime(&now);
	if (which & TMPFS_ATIME)
		node->tn_atime = now;
	if (which & TMPFS_MTIME)
		node->tn_mtime = now;
	if (which & TMPFS_CTIME)
		node->tn_ctime = now;
}

void
tmpfs_node_touch(struct tmpfs_node *node, int which)
{
	mutex_enter(&node->tn_mount->tm_lock);
	tmpfs_node_touch_locked(node, which);
	mutex_exit(&node->tn_mount->tm_lock);
}

/* The referenced vnode of a node, from the vnode cache. */
int
tmpfs_node_vget(struct tmpfs_mount *tm, struct tmpfs_node *node,
    struct vnode **vpp)
{
	struct tmpfs_key key;

	memset(&key, 0, sizeof(key));
	key.tk_node = node;
	key.tk_id = node->tn_id;
	return vcache_get(tm->tm_mp, &key, sizeof(key), vpp);
}

/*
 * Snapshot a node's attributes.  Precondition: the node's v_lock held
 * (reader is enough) so that the size is stable; takes tm_lock.
 */
void
tmpfs_node_getattr(struct tmpfs_node *node, struct vattr *vap)
{
	struct tmpfs_mount *tm = node->tn_mount;

	memset(vap, 0, sizeof(*vap));
	vap->va_type = node->tn_type;
	vap->va_fsid = tm->tm_mp->mnt_fsid;
	vap->va_fileid = node->tn_id;
	vap->va_blocksize = PAGE_SIZE;
	vap->va_gen = node->tn_gen;
	vap->va_rdev = node->tn_rdev;
	vap->va_vaflags = 0;
	switch (node->tn_type) {
	case VREG:
		vap->va_size = node->tn_size;
		vap->va_bytes = (int64_t)tmpfs_reg_bytes(node);
		break;
	case VDIR:
		vap->va_size = (int64_t)(node->tn_dir.td_count + 2) *
		    TMPFS_DIRENT_SIZE;
		vap->va_bytes = vap->va_size;
		break;
	case VLNK:
		vap->va_size = (int64_t)node->tn_lnk.tl_len;
		vap->va_bytes = vap->va_size + 1;
		break;
	default:
		vap->va_size = 0;
		vap->va_bytes = 0;
		break;
	}
	mutex_enter(&tm->tm_lock);
	vap->va_mode = node->tn_mode;
	vap->va_nlink = node->tn_nlink;
	vap->va_uid = node->tn_uid;
	vap->va_gid = node->tn_gid;
	vap->va_flags = node->tn_flags;
	vap->va_atime = node->tn_atime;
	vap->va_mtime = node->tn_mtime;
	vap->va_ctime = node->tn_ctime;
	vap->va_birthtime = node->tn_birthtime;
	mutex_exit(&tm->tm_lock);
}

/* ---------------------------------------------------------------- access */

bool
tmpfs_cred_is_root(kauth_cred_t cred)
{
	return cred == NULL || cred->cr_uid == 0;
}

/*
 * VOP_ACCESS semantics: EROFS for writes to a read-only mount (except
 * devices and fifos), then the standard vaccess rules.  A NULL cred is
 * the kernel itself and passes.
 */
int
tmpfs_node_access(struct tmpfs_node *node, int accmode, kauth_cred_t cred)
{
	struct tmpfs_mount *tm = node->tn_mount;
	mode_t mode;
	uid_t uid;
	gid_t gid;

	if ((accmode & VWRITE) && (tm->tm_mp->mnt_flag & MNT_RDONLY)) {
		switch (node->tn_type) {
		case VREG:
		case VDIR:
		case VLNK:
			return EROFS;
		default:
			break;
		}
	}
	if (cred == NULL)
		return 0;
	mutex_enter(&tm->tm_lock);
	mode = node->tn_mode;
	uid = node->tn_uid;
	gid = node->tn_gid;
	mutex_exit(&tm->tm_lock);
	return vaccess(node->tn_type, mode, uid, gid, accmode, cred);
}

/*
 * Removing or renaming node out of a sticky directory dnode: only root,
 * the directory's owner or the node's owner may.  EPERM otherwise.
 */
int
tmpfs_sticky_check(struct tmpfs_node *dnode, struct tmpfs_node *node,
    kauth_cred_t cred)
{
	struct tmpfs_mount *tm = dnode->tn_mount;
	int error = 0;

	if (tmpfs_cred_is_root(cred))
		return 0;
	mutex_enter(&tm->tm_lock);
	if ((dnode->tn_mode & S_ISVTX) != 0 &&
	    cred->cr_uid != dnode->tn_uid && cred->cr_uid != node->tn_uid)
		error = EPERM;
	mutex_exit(&tm->tm_lock);
	return error;
}

/* ---------------------------------------------------------------- setattr */

/* Owner or root; EPERM otherwise. */
static int
tmpfs_setattr_owner(struct tmpfs_node *node, kauth_cred_t cred)
{
	if (tmpfs_cred_is_root(cred) || cred->cr_uid == node->tn_uid)
		return 0;
	return EPERM;
}

static int
tmpfs_setattr_size(struct vnode *vp, struct tmpfs_node *node, off_t size)
{
	int error;

	switch (node->tn_type) {
	case VDIR:
		return EISDIR;
	case VREG:
		break;
	case VLNK:
		return EINVAL;
	default:
		/* Devices, fifos, sockets: no data, nothing to do. */
		return 0;
	}
	if (size < 0)
		return EINVAL;
	if (size > TMPFS_MAXFILESIZE)
		return EFBIG;
	if (size == node->tn_size)
		return 0;
	error = tmpfs_reg_truncate(node, size);
	if (error != 0)
		return error;
	tmpfs_node_touch(node, TMPFS_MTIME | TMPFS_CTIME);
	return 0;
}

static int
tmpfs_setattr_owners(struct tmpfs_node *node, uid_t uid, gid_t gid,
    kauth_cred_t cred)
{
	struct tmpfs_mount *tm = node->tn_mount;
	bool root = tmpfs_cred_is_root(cred);

	mutex_enter(&tm->tm_lock);
	if (uid == (uid_t)VNOVAL)
		uid = node->tn_uid;
	if (gid == (gid_t)VNOVAL)
		gid = node->tn_gid;
	/* Non-root: may keep the uid and move the gid to one of its groups. */
	if (!root && (cred->cr_uid != node->tn_uid || uid != node->tn_uid ||
	    (gid != node->tn_gid && !kauth_cred_groupmember(cred, gid)))) {
		mutex_exit(&tm->tm_lock);
		return EPERM;
	}
	if (!root && (uid != node->tn_uid || gid != node->tn_gid))
		node->tn_mode &= ~(mode_t)(S_ISUID | S_ISGID);
	node->tn_uid = uid;
	node->tn_gid = gid;
	tmpfs_node_touch_locked(node, TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}

static int
tmpfs_setattr_mode(struct tmpfs_node *node, mode_t mode, kauth_cred_t cred)
{
	struct tmpfs_mount *tm = node->tn_mount;
	bool root = tmpfs_cred_is_root(cred);

	mutex_enter(&tm->tm_lock);
	if (tmpfs_setattr_owner(node, cred) != 0) {
		mutex_exit(&tm->tm_lock);
		return EPERM;
	}
	mode &= ALLPERMS;
	if (!root) {
		/* Sticky on a file and setgid of a foreign group: EFTYPE /
		 * EPERM in BSD; we clear the bits silently as POSIX allows. */
		if (node->tn_type != VDIR)
			mode &= ~(mode_t)S_ISVTX;
		if (!kauth_cred_groupmember(cred, node->tn_gid))
			mode &= ~(mode_t)S_ISGID;
	}
	node->tn_mode = mode;
	tmpfs_node_touch_locked(node, TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}

static int
tmpfs_setattr_times(struct tmpfs_node *node, struct vattr *vap,
    kauth_cred_t cred)
{
	struct tmpfs_mount *tm = node->tn_mount;
	int error;

	/* Owner or root; utimes(NULL) also for anybody who may write. */
	mutex_enter(&tm->tm_lock);
	error = tmpfs_setattr_owner(node, cred);
	mutex_exit(&tm->tm_lock);
	if (error != 0 && vap->va_vaflags != (uint32_t)VNOVAL &&
	    (vap->va_vaflags & VA_UTIMES_NULL))
		error = tmpfs_node_access(node, VWRITE, cred);
	if (error != 0)
		return error;
	mutex_enter(&tm->tm_lock);
	if (vap->va_atime.tv_sec != VNOVAL)
		node->tn_atime = vap->va_atime;
	if (vap->va_mtime.tv_sec != VNOVAL)
		node->tn_mtime = vap->va_mtime;
	if (vap->va_birthtime.tv_sec != VNOVAL)
		node->tn_birthtime = vap->va_birthtime;
	tmpfs_node_touch_locked(node, TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}

/*
 * VOP_SETATTR: apply the fields that are not VNOVAL.  Fields that can
 * never be set (type, nlink, fsid, fileid, blocksize, ctime, gen, rdev,
 * bytes) give EINVAL.  Precondition: vp's v_lock held as writer.
 */
int
tmpfs_node_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_mount *tm = node->tn_mount;
	bool rdonly = (tm->tm_mp->mnt_flag & MNT_RDONLY) != 0;
	int error;

	if (vap->va_type != VNON && vap->va_type != (enum vtype)VNOVAL)
		return EINVAL;
	if (vap->va_nlink != (uint32_t)VNOVAL ||
	    vap->va_fsid != (uint64_t)VNOVAL ||
	    vap->va_fileid != (uint64_t)VNOVAL ||
	    vap->va_blocksize != (uint32_t)VNOVAL ||
	    vap->va_ctime.tv_sec != VNOVAL ||
	    vap->va_gen != (uint32_t)VNOVAL ||
	    vap->va_rdev != (uint64_t)VNOVAL ||
	    vap->va_bytes != VNOVAL)
		return EINVAL;

	if (vap->va_flags != (uint32_t)VNOVAL) {
		if (rdonly)
			return EROFS;
		/* File flags (immutable, append-only...) are not enforced by
		 * tmpfs, so only "no flags" is accepted. */
		if (vap->va_flags != 0)
			return EOPNOTSUPP;
		mutex_enter(&tm->tm_lock);
		error = tmpfs_setattr_owner(node, cred);
		if (error == 0) {
			node->tn_flags = 0;
			tmpfs_node_touch_locked(node, TMPFS_CTIME);
		}
		mutex_exit(&tm->tm_lock);
		if (error != 0)
			return error;
	}
	if (vap->va_size != VNOVAL) {
		if (rdonly && node->tn_type == VREG)
			return EROFS;
		error = tmpfs_setattr_size(vp, node, vap->va_size);
		if (error != 0)
			return error;
	}
	if (vap->va_uid != (uid_t)VNOVAL || vap->va_gid != (gid_t)VNOVAL) {
		if (rdonly)
			return EROFS;
		error = tmpfs_setattr_owners(node, vap->va_uid, vap->va_gid,
		    cred);
		if (error != 0)
			return error;
	}
	if (vap->va_mode != (mode_t)VNOVAL) {
		if (rdonly)
			return EROFS;
		error = tmpfs_setattr_mode(node, vap->va_mode, cred);
		if (error != 0)
			return error;
	}
	if (vap->va_atime.tv_sec != VNOVAL || vap->va_mtime.tv_sec != VNOVAL ||
	    vap->va_birthtime.tv_sec != VNOVAL) {
		if (rdonly)
			return EROFS;
		error = tmpfs_setattr_times(node, vap, cred);
		if (error != 0)
			return error;
	}
	return 0;
}
