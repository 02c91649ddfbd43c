/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_lookup.c: path name lookup, namei() (sys/namei.h).
 *
 * An iterative walk, one component at a time (no recursion, whatever the
 * depth): the path is copied into a MAXPATHLEN buffer; a symbolic link is
 * expanded in place (its target followed by the rest of the path) and the
 * walk continues from the root or from the link's directory.  Each
 * directory lookup holds the directory's mount's mnt_nslock as reader;
 * mount points are crossed downwards (v_mountedhere, read under the
 * covered directory's nslock) and upwards for ".." at a mount's root
 * (to the covered directory, then its ".."), and ".." never leaves the
 * process's root directory.  Search permission (VEXEC) is checked on
 * every directory walked through.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

/* State of one walk, kept off the stack frame of namei. */
struct lookup_state {
	struct vnode	*ls_root;	/* process root, referenced */
	struct vnode	*ls_dp;		/* current directory, referenced */
	char		*ls_link;	/* symlink expansion buffer */
	int		ls_nlinks;
};

/* Search permission on a directory (v_lock reader). */
static int
lookup_access(struct vnode *dp, kauth_cred_t cred)
{
	int error;

	vn_lock(dp, RW_READER);
	error = VOP_ACCESS(dp, VEXEC, cred);
	vn_unlock(dp);
	return error;
}

/*
 * While vp is covered by a mount, replace it with that mount's root.
 * Consumes the reference on *vpp and returns one on the result.
 */
static void
lookup_cross_down(struct vnode **vpp)
{
	struct vnode *vp = *vpp, *rvp;
	struct mount *mp;

	for (;;) {
		if (vp->v_type != VDIR)
			break;
		rw_enter(&vp->v_mount->mnt_nslock, RW_READER);
		mp = vp->v_mountedhere;
		rvp = mp != NULL ? mp->mnt_rootvnode : NULL;
		if (rvp != NULL)
			vref(rvp);
		rw_exit(&vp->v_mount->mnt_nslock);
		if (rvp == NULL)
			break;
		vrele(vp);
		vp = rvp;
	}
	*vpp = vp;
}

/*
 * Look up one component in ls_dp.  ".." at the process root stays there;
 * at a mount's root it first moves to the covered directory.
 */
static int
lookup_once(struct lookup_state *ls, struct componentname *cnp,
    struct vnode **vpp)
{
	struct vnode *dp, *cvp;
	int error;

	if (cnp->cn_flags & CN_ISDOTDOT) {
		for (;;) {
			dp = ls->ls_dp;
			if (dp == ls->ls_root) {
				vref(dp);
				*vpp = dp;
				return 0;
			}
			if ((dp->v_vflag & VV_ROOT) == 0 ||
			    dp->v_mount->mnt_vnodecovered == NULL)
				break;
			/* dp referenced: its mount (and cover) stay. */
			cvp = dp->v_mount->mnt_vnodecovered;
			vref(cvp);
			vrele(dp);
			ls->ls_dp = cvp;
		}
	}
	dp = ls->ls_dp;
	rw_enter(&dp->v_mount->mnt_nslock, RW_READER);
	error = VOP_LOOKUP(dp, vpp, cnp);
	rw_exit(&dp->v_mount->mnt_nslock);
	return error;
}

/*
 * Expand the symlink vp in the path: buf becomes target + rest (rest
 * starts at the separator after the link's name, or is empty).  The walk
 * restarts at buf; from the root for an absolute target.
 */
static int
lookup_symlink(struct lookup_state *ls, struct vnode *vp, char *buf,
    const char *rest, kauth_cred_t cred)
{
	struct iovec iov;
	struct uio uio;
	size_t tlen, rlen;
	int error;

	if (++ls->ls_nlinks > MAXSYMLINKS)
		return ELOOP;
	if (ls->ls_link == NULL)
		ls->ls_link = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	iov.iov_base = ls->ls_link;
	iov.iov_len = MAXPATHLEN;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = MAXPATHLEN;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_SYSSPACE;
	vn_lock(vp, RW_READER);
	error = VOP_READLINK(vp, &uio, cred);
	vn_unlock(vp);
	if (error != 0)
		return error;
	tlen = MAXPATHLEN - uio.uio_resid;
	if (tlen == 0)
		return ENOENT;
	rlen = strlen(rest);
	if (tlen + rlen + 1 > MAXPATHLEN)
		return ENAMETOOLONG;
	if (memchr(ls->ls_link, '\0', tlen) != NULL)
		return ENOENT;
	memcpy(ls->ls_link + tlen, rest, rlen + 1);
	memcpy(buf, ls->ls_link, tlen + rlen + 1);
	if (buf[0] == '/') {
		vrele(ls->ls_dp);
		vref(ls->ls_root);
		ls->ls_dp = ls->ls_root;
	}
	return 0;
}

static void
lookup_state_done(struct lookup_state *ls)
{
	if (ls->ls_dp != NULL)
		vrele(ls->ls_dp);
	if (ls->ls_root != NULL)
		vrele(ls->ls_root);
	if (ls->ls_link != NULL)
		kmem_free(ls->ls_link, MAXPATHLEN);
}

/*
 * The walk.  Precondition: no VFS locks held; a CPU (curproc's cwd/root).
 */
int
namei(struct nameidata *ndp)
{
	struct lookup_state ls = { NULL, NULL, NULL, 0 };
	struct componentname *cnp = &ndp->ni_cnd;
	kauth_cred_t cred = kauth_cred_get();
	struct vnode *vp;
	char *cp, *name;
	size_t len;
	bool islast, slash;
	int error;

	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;
	ndp->ni_buf = NULL;
	ndp->ni_buflen = 0;
	memset(cnp, 0, sizeof(*cnp));

	len = strnlen(ndp->ni_path, MAXPATHLEN);
	if (len == MAXPATHLEN)
		return ENAMETOOLONG;
	if (len == 0)
		return ENOENT;
	ndp->ni_buf = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	ndp->ni_buflen = MAXPATHLEN;
	memcpy(ndp->ni_buf, ndp->ni_path, len + 1);

	ls.ls_root = root_get();
	if (ls.ls_root == NULL) {
		error = ENOENT;
		goto err_done;
	}
	if (ndp->ni_buf[0] == '/') {
		vref(ls.ls_root);
		ls.ls_dp = ls.ls_root;
	} else if (ndp->ni_atdir != NULL) {
		vref(ndp->ni_atdir);
		ls.ls_dp = ndp->ni_atdir;
	} else {
		ls.ls_dp = cwd_get();
		if (ls.ls_dp == NULL) {
			error = ENOENT;
			goto err_done;
		}
	}

	cp = ndp->ni_buf;
	for (;;) {
		while (*cp == '/')
			cp++;
		if (*cp == '\0') {
			/* No last component: "/", or a link to "/". */
			if (ndp->ni_flags & NI_WANTPARENT) {
				error = (ndp->ni_flags & NI_LASTMAYBEMISSING) ?
				    EEXIST : EBUSY;
				goto err_done;
			}
			if (ls.ls_dp->v_type != VDIR) {
				error = ENOTDIR;
				goto err_done;
			}
			ndp->ni_vp = ls.ls_dp;
			ls.ls_dp = NULL;
			break;
		}
		name = cp;
		while (*cp != '\0' && *cp != '/')
			cp++;
		len = (size_t)(cp - name);
		if (len > NAME_MAX) {
			error = ENAMETOOLONG;
			goto err_done;
		}
		slash = *cp == '/';
		while (*cp == '/')
			cp++;
		islast = *cp == '\0';

		if (ls.ls_dp->v_type != VDIR) {
			error = ENOTDIR;
			goto err_done;
		}
		error = lookup_access(ls.ls_dp, cred);
		if (error != 0)
			goto err_done;

		cnp->cn_nameptr = name;
		cnp->cn_namelen = len;
		cnp->cn_cred = cred;
		cnp->cn_flags = islast ? CN_ISLAST : 0;
		if (len == 2 && name[0] == '.' && name[1] == '.')
			cnp->cn_flags |= CN_ISDOTDOT;

		error = lookup_once(&ls, cnp, &vp);
		if (error == ENOENT && islast &&
		    (ndp->ni_flags & NI_LASTMAYBEMISSING)) {
			vp = NULL;
		} else if (error != 0) {
			goto err_done;
		}
		if (vp != NULL && (cnp->cn_flags & CN_ISDOTDOT) == 0)
			lookup_cross_down(&vp);

		if (vp != NULL && vp->v_type == VLNK &&
		    (!islast || slash || (ndp->ni_flags & NI_FOLLOW))) {
			/* The rest starts at the separator before cp. */
			error = lookup_symlink(&ls, vp, ndp->ni_buf,
			    slash ? cp - 1 : cp, cred);
			vrele(vp);
			if (error != 0)
				goto err_done;
			cp = ndp->ni_buf;
			continue;
		}
		if (!islast) {
			vrele(ls.ls_dp);
			ls.ls_dp = vp;
			continue;
		}

		/* The last component. */
		if (slash && vp != NULL && vp->v_type != VDIR) {
			vrele(vp);
			error = ENOTDIR;
			goto err_done;
		}
		ndp->ni_vp = vp;
		if (ndp->ni_flags & NI_WANTPARENT) {
			ndp->ni_dvp = ls.ls_dp;
			ls.ls_dp = NULL;
		}
		break;
	}
	lookup_state_done(&ls);
	return 0;

err_done:
	lookup_state_done(&ls);
	kmem_free(ndp->ni_buf, ndp->ni_buflen);
	ndp->ni_buf = NULL;
	ndp->ni_buflen = 0;
	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;
	memset(cnp, 0, sizeof(*cnp));
	return error;
}

void
namei_done(struct nameidata *ndp)
{
	if (ndp->ni_vp != NULL)
		vrele(ndp->ni_vp);
	if (ndp->ni_dvp != NULL)
		vrele(ndp->ni_dvp);
	if (ndp->ni_buf != NULL)
		kmem_free(ndp->ni_buf, ndp->ni_buflen);
	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;
	ndp->ni_buf = NULL;
	ndp->ni_buflen = 0;
}
