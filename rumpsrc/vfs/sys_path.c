/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_path.c: name space calls: mkdir(2), rmdir(2), unlink(2), link(2),
 * symlink(2), rename(2), readlink(2).
 *
 * The protocol of sys/vnode.h and sys/namei.h: namei finds the parent
 * directory (NI_WANTPARENT, the last component possibly missing); the
 * call then takes the parent mount's mnt_nslock as writer, looks the last
 * component up again with VOP_LOOKUP (the tree may have changed since
 * namei), checks, and calls the name space VOP with only mnt_nslock held.
 * VOP_ACCESS on the parent and the directory reads of rename take one
 * v_lock at a time under it.  References are dropped after mnt_nslock.
 * Called through rsys_call by the public wrappers below and by number
 * (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
/* vnode.h first: it declares struct mount, which mount.h uses unannounced */
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/rwlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_link	9
#define SYS_unlink	10
#define SYS_symlink	57
#define SYS_readlink	58
#define SYS_rename	128
#define SYS_mkdir	136
#define SYS_rmdir	137

#define SSIZE_MAX_	((size_t)__PTRDIFF_MAX__)

struct sys_path_args {		/* unlink, rmdir */
	SYSARG(const char *, path);
};

struct sys_mkdir_args {
	SYSARG(const char *, path);
	SYSARG(mode_t, mode);
};

struct sys_link_args {		/* link, symlink, rename */
	SYSARG(const char *, path);
	SYSARG(const char *, link);
};

struct sys_readlink_args {
	SYSARG(const char *, path);
	SYSARG(char *, buf);
	SYSARG(size_t, count);
};

/* One name space change in progress: the parent, its mount, the child. */
struct sysns {
	struct nameidata	ns_nd;
	struct vnode		*ns_dvp;	/* nd's parent */
	struct componentname	*ns_cnp;	/* nd's last component */
	struct mount		*ns_mp;
	struct vnode		*ns_vp;		/* re-looked-up child or NULL */
	bool			ns_locked;	/* ns_mp's nslock as writer */
};

static bool
sysns_isdot(const struct componentname *cnp)
{
	return cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.';
}

static bool
sysns_isdotdot(const struct componentname *cnp)
{
	return (cnp->cn_flags & CN_ISDOTDOT) != 0 ||
	    (cnp->cn_namelen == 2 && cnp->cn_nameptr[0] == '.' &&
	    cnp->cn_nameptr[1] == '.');
}

/*
 * Look upath's parent up (niflags: NI_LASTMAYBEMISSING for calls that
 * create the name); noparent is the error for a path without a last
 * component (namei itself answers "/" with EEXIST or EBUSY).  On success the caller ends with sysns_end.
 */
static int
sysns_begin(const char *upath, int niflags, int noparent, struct sysns *ns)
{
	int error;

	memset(ns, 0, sizeof(*ns));
	error = sys_lookup(upath, NI_WANTPARENT | NI_TRAILINGSLASHDIR | niflags,
	    NULL, &ns->ns_nd);
	if (error != 0)
		return error;
	if (ns->ns_nd.ni_dvp == NULL || ns->ns_nd.ni_cnd.cn_namelen == 0) {
		sys_lookup_done(&ns->ns_nd);
		return noparent;
	}
	ns->ns_dvp = ns->ns_nd.ni_dvp;
	ns->ns_cnp = &ns->ns_nd.ni_cnd;
	if (ns->ns_cnp->cn_cred == NULL)
		ns->ns_cnp->cn_cred = kauth_cred_get();
	ns->ns_mp = ns->ns_dvp->v_mount;
	return 0;
}

/*
 * Take the mount's name space lock as writer and look the last component
 * up again (ns_vp, NULL if absent).  Precondition: sysns_begin succeeded.
 */
static int
sysns_lock_relookup(struct sysns *ns)
{
	int error;

	rw_enter(&ns->ns_mp->mnt_nslock, RW_WRITER);
	ns->ns_locked = true;
	error = VOP_LOOKUP(ns->ns_dvp, &ns->ns_vp,
	    ns->ns_cnp);
	if (error == ENOENT) {
		ns->ns_vp = NULL;
		error = 0;
	} else if (error != 0) {
		ns->ns_vp = NULL;
	}
	return error;
}

/* Write and search permission in the parent, and a writable mount. */
static int
sysns_parent_writable(struct sysns *ns)
{
	int error;

	error = sys_vn_writable_mount(ns->ns_dvp);
	if (error != 0)
		return error;
	return sys_vn_access(ns->ns_dvp, VWRITE | VEXEC,
	    ns->ns_cnp->cn_cred);
}

static void
sysns_end(struct sysns *ns)
{
	if (ns->ns_locked)
		rw_exit(&ns->ns_mp->mnt_nslock);
	if (ns->ns_vp != NULL)
		vrele(ns->ns_vp);
	sys_lookup_done(&ns->ns_nd);
}

/* ---- mkdir, symlink ----------------------------------------------------- */

/* Create the last component of upath as a directory or symlink. */
static int
syspath_create(const char *upath, enum vtype type, mode_t mode,
    const char *target)
{
	struct sysns ns;
	struct vnode *nvp = NULL;
	struct vattr va;
	int error;

	error = sysns_begin(upath, NI_LASTMAYBEMISSING, EEXIST, &ns);
	if (error != 0)
		return error;
	if (sysns_isdot(ns.ns_cnp) || sysns_isdotdot(ns.ns_cnp)) {
		error = EEXIST;
		goto out;
	}
	error = sysns_lock_relookup(&ns);
	if (error != 0)
		goto out;
	if (ns.ns_vp != NULL) {
		error = EEXIST;
		goto out;
	}
	error = sysns_parent_writable(&ns);
	if (error != 0)
		goto out;
	vattr_null(&va);
	va.va_type = type;
	va.va_mode = mode & ~cwd_umask();
	if (type == VDIR)
		error = VOP_MKDIR(ns.ns_dvp, &nvp, ns.ns_cnp,
		    &va);
	else
		error = VOP_SYMLINK(ns.ns_dvp, &nvp,
		    ns.ns_cnp, &va, target);

out:
	sysns_end(&ns);
	if (error == 0 && nvp != NULL)
		vrele(nvp);
	return error;
}

static int
sys_mkdir(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_mkdir_args *uap = v;

	return syspath_create(SCARG(uap, path), VDIR,
	    SCARG(uap, mode) & (ACCESSPERMS | S_ISVTX), NULL);
}

static int
sys_symlink(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_link_args *uap = v;
	char *target;
	int error;

	error = sys_path_get(SCARG(uap, path), &target);
	if (error != 0)
		return error;
	error = syspath_create(SCARG(uap, link), VLNK, ACCESSPERMS, target);
	sys_path_free(target);
	return error;
}

/* ---- rmdir, unlink ------------------------------------------------------ */

static int
sys_rmdir(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_path_args *uap = v;
	struct sysns ns;
	struct vnode *vp;
	int error;

	error = sysns_begin(SCARG(uap, path), 0, EBUSY, &ns);
	if (error != 0)
		return error;
	if (sysns_isdot(ns.ns_cnp)) {
		error = EINVAL;
		goto out;
	}
	if (sysns_isdotdot(ns.ns_cnp)) {
		error = ENOTEMPTY;
		goto out;
	}
	error = sysns_lock_relookup(&ns);
	if (error != 0)
		goto out;
	vp = ns.ns_vp;
	if (vp == NULL) {
		error = ENOENT;
		goto out;
	}
	if (vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	if (vp == ns.ns_dvp) {
		error = EINVAL;
		goto out;
	}
	if ((vp->v_vflag & VV_ROOT) || vp->v_mountedhere != NULL) {
		error = EBUSY;
		goto out;
	}
	error = sysns_parent_writable(&ns);
	if (error != 0)
		goto out;
	error = VOP_RMDIR(ns.ns_dvp, vp, ns.ns_cnp);

out:
	sysns_end(&ns);
	return error;
}

static int
sys_unlink(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_path_args *uap = v;
	struct sysns ns;
	struct vnode *vp;
	int error;

	error = sysns_begin(SCARG(uap, path), 0, EPERM, &ns);
	if (error != 0)
		return error;
	if (sysns_isdot(ns.ns_cnp) || sysns_isdotdot(ns.ns_cnp)) {
		error = EPERM;
		goto out;
	}
	error = sysns_lock_relookup(&ns);
	if (error != 0)
		goto out;
	vp = ns.ns_vp;
	if (vp == NULL) {
		error = ENOENT;
		goto out;
	}
	/* As NetBSD: directories are not unlinked (rmdir them). */
	if (vp->v_type == VDIR) {
		error = EPERM;
		goto out;
	}
	if (vp->v_mountedhere != NULL) {
		error = EBUSY;
		goto out;
	}
	error = sysns_parent_writable(&ns);
	if (error != 0)
		goto out;
	error = VOP_REMOVE(ns.ns_dvp, vp, ns.ns_cnp);

out:
	sysns_end(&ns);
	return error;
}

/* ---- link --------------------------------------------------------------- */

static int
sys_link(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_link_args *uap = v;
	struct nameidata nd;
	struct sysns ns;
	struct vnode *vp;
	int error;

	error = sys_lookup(SCARG(uap, path), NI_FOLLOW, NULL, &nd);
	if (error != 0)
		return error;
	vp = nd.ni_vp;
	if (vp->v_type == VDIR) {
		error = EPERM;
		goto out_nd;
	}
	error = sysns_begin(SCARG(uap, link), NI_LASTMAYBEMISSING, EEXIST,
	    &ns);
	if (error != 0)
		goto out_nd;
	if (sysns_isdot(ns.ns_cnp) || sysns_isdotdot(ns.ns_cnp)) {
		error = EEXIST;
		goto out_ns;
	}
	if (ns.ns_mp != vp->v_mount) {
		error = EXDEV;
		goto out_ns;
	}
	error = sysns_lock_relookup(&ns);
	if (error != 0)
		goto out_ns;
	if (ns.ns_vp != NULL) {
		error = EEXIST;
		goto out_ns;
	}
	error = sysns_parent_writable(&ns);
	if (error != 0)
		goto out_ns;
	error = VOP_LINK(ns.ns_dvp, vp, ns.ns_cnp);

out_ns:
	sysns_end(&ns);
out_nd:
	sys_lookup_done(&nd);
	return error;
}

/* ---- rename ------------------------------------------------------------- */

/*
 * Is directory dvp empty (nothing but "." and "..")?  Reads it with
 * VOP_READDIR under its v_lock as reader.  Precondition: the mount's
 * nslock held as writer (so the answer stays true), no v_lock held.
 */
#define SYSPATH_DIRBUF	1024
static int
syspath_dir_empty(struct vnode *dvp, kauth_cred_t cred, bool *emptyp)
{
	struct dirent *dp;
	struct iovec iov;
	struct uio uio;
	char *buf;
	size_t len, off;
	off_t cookie = 0;
	int eof, error;

	buf = kmem_alloc(SYSPATH_DIRBUF, KM_SLEEP);
	*emptyp = true;
	for (;;) {
		iov.iov_base = buf;
		iov.iov_len = SYSPATH_DIRBUF;
		uio.uio_iov = &iov;
		uio.uio_iovcnt = 1;
		uio.uio_offset = cookie;
		uio.uio_resid = SYSPATH_DIRBUF;
		uio.uio_rw = UIO_READ;
		uio.uio_segflg = UIO_SYSSPACE;
		eof = 0;
		vn_lock(dvp, RW_READER);
		error = VOP_READDIR(dvp, &uio, cred, &eof);
		vn_unlock(dvp);
		if (error != 0)
			break;
		len = SYSPATH_DIRBUF - uio.uio_resid;
		for (off = 0; off < len; off += dp->d_reclen) {
			dp = (struct dirent *)(void *)(buf + off);
			if (dp->d_reclen == 0) {
				error = EIO;	/* a broken record */
				goto out_free;
			}
			if (dp->d_fileno == 0)
				continue;
			if ((dp->d_namlen == 1 && dp->d_name[0] == '.') ||
			    (dp->d_namlen == 2 && dp->d_name[0] == '.' &&
			    dp->d_name[1] == '.'))
				continue;
			*emptyp = false;
			goto out_free;
		}
		if (eof || len == 0)
			break;
		cookie = uio.uio_offset;
	}

out_free:
	kmem_free(buf, SYSPATH_DIRBUF);
	return error;
}

/*
 * Would moving directory fvp into directory tdvp put it inside itself?
 * Walks up from tdvp with ".." lookups to the root of the mount.
 * Precondition: the mount's nslock held as writer.  EINVAL if so.
 */
static int
syspath_check_ancestry(struct vnode *fvp, struct vnode *tdvp,
    kauth_cred_t cred)
{
	struct componentname dotdot = {
		.cn_nameptr = "..",
		.cn_namelen = 2,
		.cn_flags = CN_ISDOTDOT,
		.cn_cred = cred,
	};
	struct vnode *vp, *up;
	int error = 0;

	vp = tdvp;
	vref(vp);
	for (;;) {
		if (vp == fvp) {
			error = EINVAL;
			break;
		}
		if (vp->v_vflag & VV_ROOT)
			break;
		error = VOP_LOOKUP(vp, &up, &dotdot);
		if (error != 0)
			break;
		if (up == vp) {		/* a root that is not flagged */
			vrele(up);
			break;
		}
		vrele(vp);
		vp = up;
	}
	vrele(vp);
	return error;
}

static int
sys_rename(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_link_args *uap = v;
	struct sysns from, to;
	struct vnode *fvp, *tvp;
	kauth_cred_t cred = kauth_cred_get();
	bool empty;
	int error;

	error = sysns_begin(SCARG(uap, path), 0, EBUSY, &from);
	if (error != 0)
		return error;
	error = sysns_begin(SCARG(uap, link), NI_LASTMAYBEMISSING, EBUSY,
	    &to);
	if (error != 0)
		goto out_from;
	if (sysns_isdot(from.ns_cnp) || sysns_isdotdot(from.ns_cnp) ||
	    sysns_isdot(to.ns_cnp) || sysns_isdotdot(to.ns_cnp)) {
		error = EINVAL;
		goto out_to;
	}
	if (from.ns_mp != to.ns_mp) {
		error = EXDEV;
		goto out_to;
	}

	/* One mount, one lock: "to" looks up under "from"'s hold. */
	error = sysns_lock_relookup(&from);
	if (error != 0)
		goto out_to;
	error = VOP_LOOKUP(to.ns_dvp, &to.ns_vp, to.ns_cnp);
	if (error == ENOENT) {
		to.ns_vp = NULL;
		error = 0;
	} else if (error != 0) {
		to.ns_vp = NULL;
		goto out_to;
	}
	fvp = from.ns_vp;
	tvp = to.ns_vp;
	if (fvp == NULL) {
		error = ENOENT;
		goto out_to;
	}
	if ((fvp->v_vflag & VV_ROOT) || fvp->v_mountedhere != NULL ||
	    (tvp != NULL && ((tvp->v_vflag & VV_ROOT) ||
	    tvp->v_mountedhere != NULL))) {
		error = EBUSY;
		goto out_to;
	}
	/* Both names for one file: nothing to do. */
	if (fvp == tvp)
		goto out_to;
	if (tvp != NULL) {
		if (fvp->v_type == VDIR && tvp->v_type != VDIR) {
			error = ENOTDIR;
			goto out_to;
		}
		if (fvp->v_type != VDIR && tvp->v_type == VDIR) {
			error = EISDIR;
			goto out_to;
		}
	}
	error = sysns_parent_writable(&from);
	if (error == 0 && to.ns_dvp != from.ns_dvp)
		error = sysns_parent_writable(&to);
	if (error != 0)
		goto out_to;
	if (fvp->v_type == VDIR && to.ns_dvp != from.ns_dvp) {
		error = syspath_check_ancestry(fvp, to.ns_dvp, cred);
		if (error != 0)
			goto out_to;
	}
	if (tvp != NULL && tvp->v_type == VDIR) {
		error = syspath_dir_empty(tvp, cred, &empty);
		if (error == 0 && !empty)
			error = ENOTEMPTY;
		if (error != 0)
			goto out_to;
	}
	error = VOP_RENAME(from.ns_dvp, fvp, from.ns_cnp,
	    to.ns_dvp, tvp, to.ns_cnp);

out_to:
	/* The lock is from's: release to's references after it. */
	if (from.ns_locked) {
		rw_exit(&from.ns_mp->mnt_nslock);
		from.ns_locked = false;
	}
	sysns_end(&to);
out_from:
	sysns_end(&from);
	return error;
}

/* ---- readlink ----------------------------------------------------------- */

static int
sys_readlink(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_readlink_args *uap = v;
	struct nameidata nd;
	struct vnode *vp;
	struct iovec iov;
	struct uio uio;
	size_t count = SCARG(uap, count);
	int error;

	if (count == 0 || count > SSIZE_MAX_)
		return EINVAL;
	error = sys_check_ubuf(SCARG(uap, buf), count);
	if (error != 0)
		return error;
	error = sys_lookup(SCARG(uap, path), 0, NULL, &nd);
	if (error != 0)
		return error;
	vp = nd.ni_vp;
	if (vp->v_type != VLNK) {
		error = EINVAL;
		goto out;
	}
	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = count;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = count;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	vn_lock(vp, RW_READER);
	error = VOP_READLINK(vp, &uio, kauth_cred_get());
	vn_unlock(vp);
	if (error == 0)
		retval[0] = (register_t)(count - uio.uio_resid);

out:
	sys_lookup_done(&nd);
	return error;
}

static const struct rump_sysent sys_path_table[] = {
	{ .se_num = SYS_link, .se_call = sys_link, .se_name = "link" },
	{ .se_num = SYS_unlink, .se_call = sys_unlink, .se_name = "unlink" },
	{ .se_num = SYS_symlink, .se_call = sys_symlink,
	  .se_name = "symlink" },
	{ .se_num = SYS_readlink, .se_call = sys_readlink,
	  .se_name = "readlink" },
	{ .se_num = SYS_rename, .se_call = sys_rename, .se_name = "rename" },
	{ .se_num = SYS_mkdir, .se_call = sys_mkdir, .se_name = "mkdir" },
	{ .se_num = SYS_rmdir, .se_call = sys_rmdir, .se_name = "rmdir" },
};

const struct sys_vfs_tableref sys_path_tables = {
	.st_table = sys_path_table,
	.st_n = __arraycount(sys_path_table),
};

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_mkdir(const char *path, rump_mode_t mode)
{
	struct sys_mkdir_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, mode) = mode;
	return (int)rsys_call(sys_mkdir, &args);
}

int
rump_sys_rmdir(const char *path)
{
	struct sys_path_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	return (int)rsys_call(sys_rmdir, &args);
}

int
rump_sys_unlink(const char *path)
{
	struct sys_path_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	return (int)rsys_call(sys_unlink, &args);
}

int
rump_sys_rename(const char *from, const char *to)
{
	struct sys_link_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = from;
	SCARG(&args, link) = to;
	return (int)rsys_call(sys_rename, &args);
}

int
rump_sys_link(const char *path, const char *newpath)
{
	struct sys_link_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, link) = newpath;
	return (int)rsys_call(sys_link, &args);
}

int
rump_sys_symlink(const char *target, const char *linkpath)
{
	struct sys_link_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = target;
	SCARG(&args, link) = linkpath;
	return (int)rsys_call(sys_symlink, &args);
}

rump_ssize_t
rump_sys_readlink(const char *path, char *buf, rump_size_t bufsize)
{
	struct sys_readlink_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, buf) = buf;
	SCARG(&args, count) = bufsize;
	return rsys_call(sys_readlink, &args);
}
