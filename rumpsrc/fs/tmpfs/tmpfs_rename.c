/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_rename.c: VOP_RENAME of tmpfs.
 *
 * The VFS calls it holding the mount's mnt_nslock as writer, after looking
 * both names up again under it and checking that both are on this mount,
 * that a directory is not moved into its own subtree and that the types
 * fit.  We check again what is cheap (the subtree walk is iterative) and
 * everything that depends on tmpfs's own state: the entries still name
 * the given vnodes, a replaced directory is empty, sticky directories,
 * link limits, space for the new entry.  All checks and allocations come
 * first; the changes that follow cannot fail, so a failed rename leaves
 * both directories as they were.
 */
#include <sys/systm.h>
#include <sys/namei.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "tmpfs.h"

static bool
tmpfs_rename_isdot(const struct componentname *cnp)
{
	return (cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') ||
	    (cnp->cn_namelen == 2 && cnp->cn_nameptr[0] == '.' &&
	    cnp->cn_nameptr[1] == '.') || (cnp->cn_flags & CN_ISDOTDOT);
}

/* true when dir is node or lies below it.  Precondition: nslock writer. */
static bool
tmpfs_rename_in_subtree(struct tmpfs_node *dir, struct tmpfs_node *node)
{
	struct tmpfs_node *root = node->tn_mount->tm_root;

	for (;;) {
		if (dir == node)
			return true;
		if (dir == root || dir == NULL)
			return false;
		dir = dir->tn_dir.td_parent;
	}
}

/*
 * The checks that need no allocation.  EINVAL/ENOENT/ENOTEMPTY/ENOTDIR/
 * EISDIR/EPERM/EACCES/EMLINK/EXDEV.
 */
static int
tmpfs_rename_check(struct vnode *fdvp, struct vnode *fvp,
    struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
    struct componentname *tcnp, struct tmpfs_dirent **fdep,
    struct tmpfs_dirent **tdep)
{
	struct tmpfs_node *fdnode = VP_TO_TMPFS_NODE(fdvp);
	struct tmpfs_node *fnode = VP_TO_TMPFS_NODE(fvp);
	struct tmpfs_node *tdnode = VP_TO_TMPFS_NODE(tdvp);
	struct tmpfs_node *tnode = tvp != NULL ? VP_TO_TMPFS_NODE(tvp) : NULL;
	struct tmpfs_mount *tm = fdnode->tn_mount;
	kauth_cred_t cred = fcnp->cn_cred;
	int error;

	if (fvp->v_mount != tdvp->v_mount || fdvp->v_mount != tdvp->v_mount ||
	    (tvp != NULL && tvp->v_mount != tdvp->v_mount))
		return EXDEV;
	if (fdnode->tn_type != VDIR || tdnode->tn_type != VDIR)
		return ENOTDIR;
	if (tmpfs_rename_isdot(fcnp) || tmpfs_rename_isdot(tcnp) ||
	    fvp == fdvp || tvp == tdvp)
		return EINVAL;
	if (tm->tm_mp->mnt_flag & MNT_RDONLY)
		return EROFS;
	*fdep = tmpfs_dir_lookup(fdnode, fcnp->cn_nameptr, fcnp->cn_namelen);
	if (*fdep == NULL || (*fdep)->td_node != fnode)
		return ENOENT;
	*tdep = tmpfs_dir_lookup(tdnode, tcnp->cn_nameptr, tcnp->cn_namelen);
	if (tnode != NULL) {
		if (*tdep == NULL || (*tdep)->td_node != tnode)
			return ENOENT;
	} else if (*tdep != NULL) {
		return EEXIST;		/* appeared since the VFS looked */
	}
	mutex_enter(&tm->tm_lock);
	error = tdnode->tn_nlink == 0 ? ENOENT : 0;
	mutex_exit(&tm->tm_lock);
	if (error != 0)
		return error;

	if (fnode->tn_type == VDIR) {
		if (tnode != NULL && tnode->tn_type != VDIR)
			return ENOTDIR;
		if (tmpfs_rename_in_subtree(tdnode, fnode))
			return EINVAL;
		if (fdnode != tdnode) {
			/* Moving a directory rewrites its "..". */
			error = tmpfs_node_access(fnode, VWRITE, cred);
			if (error != 0)
				return error;
			mutex_enter(&tm->tm_lock);
			error = tnode == NULL &&
			    tdnode->tn_nlink >= TMPFS_LINK_MAX ? EMLINK : 0;
			mutex_exit(&tm->tm_lock);
			if (error != 0)
				return error;
		}
	} else if (tnode != NULL && tnode->tn_type == VDIR) {
		return EISDIR;
	}
	if (tnode != NULL && tnode->tn_type == VDIR &&
	    tnode->tn_dir.td_count != 0)
		return ENOTEMPTY;
	error = tmpfs_sticky_check(fdnode, fnode, cred);
	if (error == 0 && tnode != NULL)
		error = tmpfs_sticky_check(tdnode, tnode, tcnp->cn_cred);
	return error;
}

/*
 * VOP_RENAME: fvp, named fcnp in fdvp, gets the name tcnp in tdvp,
 * replacing tvp if given.  Renaming a file onto another name of itself
 * does nothing.  Precondition: mnt_nslock writer; the caller holds
 * references on all vnodes.
 */
int
tmpfs_rename(struct vnode *fdvp, struct vnode *fvp,
    struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
    struct componentname *tcnp)
{
	struct tmpfs_node *fdnode = VP_TO_TMPFS_NODE(fdvp);
	struct tmpfs_node *fnode = VP_TO_TMPFS_NODE(fvp);
	struct tmpfs_node *tdnode = VP_TO_TMPFS_NODE(tdvp);
	struct tmpfs_node *tnode = tvp != NULL ? VP_TO_TMPFS_NODE(tvp) : NULL;
	struct tmpfs_mount *tm = fdnode->tn_mount;
	struct tmpfs_dirent *fde, *tde, *nde = NULL;
	bool isdir = fnode->tn_type == VDIR;
	int error;

	if (fvp == tvp)
		return 0;
	error = tmpfs_rename_check(fdvp, fvp, fcnp, tdvp, tvp, tcnp, &fde,
	    &tde);
	if (error != 0)
		return error;
	if (tnode == NULL) {
		error = tmpfs_dirent_alloc(tm, tcnp->cn_nameptr,
		    tcnp->cn_namelen, &nde);
		if (error != 0)
			return error;
		error = tmpfs_dir_reserve(tm, tdnode);
		if (error != 0) {
			tmpfs_dirent_free(tm, nde);
			return error;
		}
	}

	/* From here on nothing fails.  The new name first... */
	vn_lock(tdvp, RW_WRITER);
	if (tnode != NULL)
		tde->td_node = fnode;	/* same name, same cookie */
	else
		tmpfs_dir_attach(tdnode, nde, fnode);
	vn_unlock(tdvp);
	/* ...then the old one goes. */
	vn_lock(fdvp, RW_WRITER);
	tmpfs_dir_detach(fdnode, fde);
	vn_unlock(fdvp);
	tmpfs_dirent_free(tm, fde);
	if (isdir && fdnode != tdnode) {
		vn_lock(fvp, RW_WRITER);
		fnode->tn_dir.td_parent = tdnode;
		vn_unlock(fvp);
	}
	if (tnode != NULL && tnode->tn_type == VDIR) {
		vn_lock(tvp, RW_WRITER);
		tnode->tn_dir.td_parent = NULL;
		vn_unlock(tvp);
	}

	mutex_enter(&tm->tm_lock);
	if (tnode != NULL) {
		if (tnode->tn_type == VDIR) {
			KASSERT(tnode->tn_nlink == 2);
			tnode->tn_nlink = 0;
			tdnode->tn_nlink--;	/* its ".." */
		} else {
			KASSERT(tnode->tn_nlink > 0);
			tnode->tn_nlink--;
		}
		tmpfs_node_touch_locked(tnode, TMPFS_CTIME);
	}
	if (isdir && fdnode != tdnode) {
		fdnode->tn_nlink--;
		tdnode->tn_nlink++;
	}
	tmpfs_node_touch_locked(fnode, TMPFS_CTIME);
	tmpfs_node_touch_locked(fdnode, TMPFS_MTIME | TMPFS_CTIME);
	if (tdnode != fdnode)
		tmpfs_node_touch_locked(tdnode, TMPFS_MTIME | TMPFS_CTIME);
	mutex_exit(&tm->tm_lock);
	return 0;
}
