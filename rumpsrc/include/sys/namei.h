/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/namei.h: path name lookup (vfs/vfs_lookup.c).
 *
 * namei() walks a path from the caller's root or current directory (or
 * ni_atdir for the *at calls), one component at a time, taking each
 * mount's mnt_nslock as reader around each directory lookup, crossing
 * mount points both ways and following symbolic links (at most MAXSYMLINKS
 * in one lookup: ELOOP beyond).  Paths longer than MAXPATHLEN give
 * ENAMETOOLONG, components longer than NAME_MAX too.
 *
 * Result: ni_vp, the object (referenced), or NULL when the last component
 * does not exist and NI_LASTMAYBEMISSING was given; with NI_WANTPARENT,
 * ni_dvp, its parent directory (referenced) and ni_cnd, the last
 * component's name (valid until namei_done).  Name space operations then
 * take the parent's mnt_nslock as writer and look the last component up
 * again with VOP_LOOKUP, since the tree may have changed in between.
 * namei_done() drops what namei took.
 *
 * Details (vfs/README.md has more):
 *  - on error namei has already dropped everything (ni_vp, ni_dvp NULL);
 *    namei_done is then a no-op, so callers may call it on every path;
 *  - a caller keeping ni_vp (or ni_dvp) sets the field to NULL before
 *    namei_done;
 *  - ni_vp is the mounted root when the last component is a mount point
 *    (so ni_vp->v_mount != ni_dvp->v_mount there: removing or renaming
 *    it is EBUSY); name space ops re-looking-up under the nslock see the
 *    covered vnode instead and must refuse when its v_mountedhere is set;
 *  - "." as last component gives ni_vp == ni_dvp (two references);
 *  - with NI_WANTPARENT a path without a last component ("/") fails:
 *    EEXIST with NI_LASTMAYBEMISSING (mkdir "/"), else EBUSY;
 *  - a trailing slash follows a final symlink and requires a directory
 *    (ENOTDIR), whatever NI_FOLLOW says; an absent last component with a
 *    trailing slash is still "missing" (mkdir "a/").
 */
#ifndef _SYS_NAMEI_H_
#define _SYS_NAMEI_H_

#include <sys/types.h>
#include <sys/kauth.h>

struct vnode;

#define MAXPATHLEN	1024
#define NAME_MAX	511
#define MAXSYMLINKS	32

struct componentname {
	const char	*cn_nameptr;	/* not NUL-terminated in general */
	size_t		cn_namelen;
	int		cn_flags;	/* CN_* */
	kauth_cred_t	cn_cred;
};
#define CN_ISDOTDOT	0x01
#define CN_ISLAST	0x02

struct nameidata {
	/* in */
	const char	*ni_path;	/* kernel copy */
	int		ni_flags;	/* NI_* */
	struct vnode	*ni_atdir;	/* start for relative paths, or NULL */
	/* out */
	struct vnode	*ni_vp;
	struct vnode	*ni_dvp;
	struct componentname ni_cnd;
	/* private */
	char		*ni_buf;
	size_t		ni_buflen;
};

#define NI_FOLLOW		0x01	/* follow a symlink as last component */
#define NI_WANTPARENT		0x02	/* return ni_dvp and ni_cnd */
#define NI_LASTMAYBEMISSING	0x04	/* absent last component is not an error */
#define NI_TRAILINGSLASHDIR	0x08	/* "a/" must be a directory */

int	namei(struct nameidata *ndp);
void	namei_done(struct nameidata *ndp);

#endif /* _SYS_NAMEI_H_ */
