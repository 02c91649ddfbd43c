/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_attr.c: attribute calls: stat(2), lstat(2), access(2), chmod(2),
 * fchmod(2), chown(2), utimes(2), truncate(2), ftruncate(2).
 *
 * Reads take the vnode's v_lock as reader around VOP_GETATTR/VOP_ACCESS;
 * changes take it as writer around VOP_SETATTR, which checks ownership
 * itself (sys/vnode.h).  Size changes additionally need write access,
 * checked here under the same lock.  Called through rsys_call by the
 * public wrappers below and by number (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kernel.h>
/* vnode.h first: it declares struct mount, which mount.h uses unannounced */
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_chmod	15
#define SYS_chown	16
#define SYS_access	33
#define SYS_fchmod	124
#define SYS_truncate	200
#define SYS_ftruncate	201
#define SYS___utimes50	420
#define SYS___stat50	439
#define SYS___lstat50	441

struct sys_stat_args {
	SYSARG(const char *, path);
	SYSARG(struct stat *, ub);
};

struct sys_access_args {
	SYSARG(const char *, path);
	SYSARG(int, flags);
};

struct sys_chmod_args {
	SYSARG(const char *, path);
	SYSARG(mode_t, mode);
};

struct sys_fchmod_args {
	SYSARG(int, fd);
	SYSARG(mode_t, mode);
};

struct sys_chown_args {
	SYSARG(const char *, path);
	SYSARG(uid_t, uid);
	SYSARG(gid_t, gid);
};

struct sys_utimes_args {
	SYSARG(const char *, path);
	SYSARG(const struct rump_timeval *, tptr);
};

struct sys_truncate_args {
	SYSARG(const char *, path);
	SYSARG(int, PAD);
	SYSARG(off_t, length);
};

struct sys_ftruncate_args {
	SYSARG(int, fd);
	SYSARG(int, PAD);
	SYSARG(off_t, length);
};

static int
sysattr_stat(const char *upath, struct stat *ub, int niflags)
{
	struct nameidata nd;
	struct stat sb;
	int error;

	error = sys_lookup(upath, niflags, NULL, &nd);
	if (error != 0)
		return error;
	error = vn_stat(nd.ni_vp, &sb);
	sys_lookup_done(&nd);
	if (error != 0)
		return error;
	return copyout(&sb, ub, sizeof(sb));
}

static int
sys_stat(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_stat_args *uap = v;

	return sysattr_stat(SCARG(uap, path), SCARG(uap, ub), NI_FOLLOW);
}

static int
sys_lstat(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_stat_args *uap = v;

	return sysattr_stat(SCARG(uap, path), SCARG(uap, ub), 0);
}

static int
sys_access(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_access_args *uap = v;
	int mode = SCARG(uap, flags);
	struct nameidata nd;
	int accmode = 0, error;

	if (mode & ~(R_OK | W_OK | X_OK))
		return EINVAL;
	if (mode & R_OK)
		accmode |= VREAD;
	if (mode & W_OK)
		accmode |= VWRITE;
	if (mode & X_OK)
		accmode |= VEXEC;
	error = sys_lookup(SCARG(uap, path), NI_FOLLOW, NULL, &nd);
	if (error != 0)
		return error;
	if (accmode & VWRITE)
		error = sys_vn_writable_mount(nd.ni_vp);
	if (error == 0 && accmode != 0)
		error = sys_vn_access(nd.ni_vp, accmode, kauth_cred_get());
	sys_lookup_done(&nd);
	return error;
}

/*
 * Apply va to vp under its v_lock as writer.  A size change needs write
 * access and a non-directory.  Precondition: vp referenced, no locks.
 */
static int
sysattr_setattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	int error;

	error = sys_vn_writable_mount(vp);
	if (error != 0)
		return error;
	vn_lock(vp, RW_WRITER);
	if (va->va_size != VNOVAL) {
		if (vp->v_type == VDIR) {
			error = EISDIR;
			goto out_unlock;
		}
		if (vp->v_type != VREG) {
			error = EINVAL;
			goto out_unlock;
		}
		error = VOP_ACCESS(vp, VWRITE, cred);
		if (error != 0)
			goto out_unlock;
	}
	error = VOP_SETATTR(vp, va, cred);

out_unlock:
	vn_unlock(vp);
	return error;
}

static int
sysattr_path_setattr(const char *upath, struct vattr *va)
{
	struct nameidata nd;
	int error;

	error = sys_lookup(upath, NI_FOLLOW, NULL, &nd);
	if (error != 0)
		return error;
	error = sysattr_setattr(nd.ni_vp, va, kauth_cred_get());
	sys_lookup_done(&nd);
	return error;
}

static int
sys_chmod(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_chmod_args *uap = v;
	struct vattr va;

	vattr_null(&va);
	va.va_mode = SCARG(uap, mode) & ALLPERMS;
	return sysattr_path_setattr(SCARG(uap, path), &va);
}

static int
sys_fchmod(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_fchmod_args *uap = v;
	struct vnode *vp;
	struct file *fp;
	struct vattr va;
	int error;

	error = sys_fd_vnode(SCARG(uap, fd), &vp, &fp);
	if (error != 0)
		return error;
	vattr_null(&va);
	va.va_mode = SCARG(uap, mode) & ALLPERMS;
	error = sysattr_setattr(vp, &va, kauth_cred_get());
	vrele(vp);
	fd_putfile(fp);
	return error;
}

/* (uid_t)-1 / (gid_t)-1 mean "leave unchanged", which is VNOVAL too. */
static int
sys_chown(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_chown_args *uap = v;
	struct vattr va;

	vattr_null(&va);
	va.va_uid = SCARG(uap, uid);
	va.va_gid = SCARG(uap, gid);
	return sysattr_path_setattr(SCARG(uap, path), &va);
}

static int
sys_utimes(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_utimes_args *uap = v;
	struct rump_timeval tv[2];
	struct vattr va;
	int i, error;

	vattr_null(&va);
	if (SCARG(uap, tptr) == NULL) {
		nanotime(&va.va_atime);
		va.va_mtime = va.va_atime;
		va.va_vaflags |= VA_UTIMES_NULL;
	} else {
		error = copyin(SCARG(uap, tptr), tv, sizeof(tv));
		if (error != 0)
			return error;
		for (i = 0; i < 2; i++)
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return EINVAL;
		va.va_atime.tv_sec = tv[0].tv_sec;
		va.va_atime.tv_nsec = (long)tv[0].tv_usec * 1000;
		va.va_mtime.tv_sec = tv[1].tv_sec;
		va.va_mtime.tv_nsec = (long)tv[1].tv_usec * 1000;
	}
	return sysattr_path_setattr(SCARG(uap, path), &va);
}

static int
sys_truncate(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_truncate_args *uap = v;
	struct vattr va;

	if (SCARG(uap, length) < 0)
		return EINVAL;
	vattr_null(&va);
	va.va_size = SCARG(uap, length);
	return sysattr_path_setattr(SCARG(uap, path), &va);
}

static int
sys_ftruncate(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_ftruncate_args *uap = v;
	struct vnode *vp;
	struct file *fp;
	struct vattr va;
	int error;

	if (SCARG(uap, length) < 0)
		return EINVAL;
	error = sys_fd_vnode(SCARG(uap, fd), &vp, &fp);
	if (error != 0)
		return error;
	if ((fp->f_flag & FWRITE) == 0) {
		error = EINVAL;
		goto out_rele;
	}
	vattr_null(&va);
	va.va_size = SCARG(uap, length);
	/* Opened for writing: that was the access check. */
	error = sys_vn_writable_mount(vp);
	if (error != 0)
		goto out_rele;
	if (vp->v_type == VDIR) {
		error = EISDIR;
		goto out_rele;
	}
	if (vp->v_type != VREG) {
		error = EINVAL;
		goto out_rele;
	}
	vn_lock(vp, RW_WRITER);
	error = VOP_SETATTR(vp, &va, fp->f_cred);
	vn_unlock(vp);

out_rele:
	vrele(vp);
	fd_putfile(fp);
	return error;
}

static const struct rump_sysent sys_attr_table[] = {
	{ .se_num = SYS_chmod, .se_call = sys_chmod, .se_name = "chmod" },
	{ .se_num = SYS_chown, .se_call = sys_chown, .se_name = "chown" },
	{ .se_num = SYS_access, .se_call = sys_access, .se_name = "access" },
	{ .se_num = SYS_fchmod, .se_call = sys_fchmod, .se_name = "fchmod" },
	{ .se_num = SYS_truncate, .se_call = sys_truncate,
	  .se_name = "truncate" },
	{ .se_num = SYS_ftruncate, .se_call = sys_ftruncate,
	  .se_name = "ftruncate" },
	{ .se_num = SYS___utimes50, .se_call = sys_utimes,
	  .se_name = "__utimes50" },
	{ .se_num = SYS___stat50, .se_call = sys_stat, .se_name = "__stat50" },
	{ .se_num = SYS___lstat50, .se_call = sys_lstat,
	  .se_name = "__lstat50" },
};

const struct sys_vfs_tableref sys_attr_tables = {
	.st_table = sys_attr_table,
	.st_n = __arraycount(sys_attr_table),
};

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_stat(const char *path, struct rump_stat *sb)
{
	struct sys_stat_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, ub) = (struct stat *)(void *)sb;
	return (int)rsys_call(sys_stat, &args);
}

int
rump_sys_lstat(const char *path, struct rump_stat *sb)
{
	struct sys_stat_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, ub) = (struct stat *)(void *)sb;
	return (int)rsys_call(sys_lstat, &args);
}

int
rump_sys_access(const char *path, int mode)
{
	struct sys_access_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, flags) = mode;
	return (int)rsys_call(sys_access, &args);
}

int
rump_sys_chmod(const char *path, rump_mode_t mode)
{
	struct sys_chmod_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, mode) = mode;
	return (int)rsys_call(sys_chmod, &args);
}

int
rump_sys_fchmod(int fd, rump_mode_t mode)
{
	struct sys_fchmod_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, mode) = mode;
	return (int)rsys_call(sys_fchmod, &args);
}

int
rump_sys_chown(const char *path, rump_uid_t uid, rump_gid_t gid)
{
	struct sys_chown_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, uid) = uid;
	SCARG(&args, gid) = gid;
	return (int)rsys_call(sys_chown, &args);
}

int
rump_sys_utimes(const char *path, const struct rump_timeval *times)
{
	struct sys_utimes_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, tptr) = times;
	return (int)rsys_call(sys_utimes, &args);
}

int
rump_sys_truncate(const char *path, rump_off_t length)
{
	struct sys_truncate_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, length) = length;
	return (int)rsys_call(sys_truncate, &args);
}

int
rump_sys_ftruncate(int fd, rump_off_t length)
{
	struct sys_ftruncate_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, length) = length;
	return (int)rsys_call(sys_ftruncate, &args);
}
