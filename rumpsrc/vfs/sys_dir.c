/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_dir.c: directory calls: getdents(2) (__getdents30), chdir(2),
 * fchdir(2).
 *
 * getdents reads records (struct dirent, sys/dirent.h) straight into the
 * caller's buffer with VOP_READDIR under the directory's v_lock as reader;
 * the file offset is the file system's opaque cookie.  chdir/fchdir check
 * search permission and hand the vnode to cwd_set.  Called through
 * rsys_call by the public wrappers below and by number (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_chdir		12
#define SYS_fchdir		13
#define SYS___getdents30	390

#define SSIZE_MAX_	((size_t)__PTRDIFF_MAX__)

struct sys_getdents_args {
	SYSARG(int, fd);
	SYSARG(char *, buf);
	SYSARG(size_t, count);
};

struct sys_chdir_args {
	SYSARG(const char *, path);
};

struct sys_fchdir_args {
	SYSARG(int, fd);
};

static int
sys_getdents(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_getdents_args *uap = v;
	size_t count = SCARG(uap, count);
	struct vnode *vp;
	struct file *fp;
	struct iovec iov;
	struct uio uio;
	int eof, error;

	if (count > SSIZE_MAX_)
		return EINVAL;
	error = sys_check_ubuf(SCARG(uap, buf), count);
	if (error != 0)
		return error;
	error = sys_fd_vnode(SCARG(uap, fd), &vp, &fp);
	if (error != 0)
		return error == EINVAL ? ENOTDIR : error;
	if ((fp->f_flag & FREAD) == 0) {
		error = EBADF;
		goto out_rele;
	}
	if (vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out_rele;
	}
	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = count;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = count;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	/*
	 * The cookie is read and written back under f_lock; two getdents
	 * racing on one open directory may read the same records, as with
	 * any shared offset.
	 */
	mutex_enter(&fp->f_lock);
	uio.uio_offset = fp->f_offset;
	mutex_exit(&fp->f_lock);
	eof = 0;
	vn_lock(vp, RW_READER);
	error = VOP_READDIR(vp, &uio, fp->f_cred, &eof);
	vn_unlock(vp);
	if (error == 0) {
		mutex_enter(&fp->f_lock);
		fp->f_offset = uio.uio_offset;
		mutex_exit(&fp->f_lock);
		retval[0] = (register_t)(count - uio.uio_resid);
	}

out_rele:
	vrele(vp);
	fd_putfile(fp);
	return error;
}

/* Make directory vp (referenced; the reference is consumed) the cwd. */
static int
sysdir_setcwd(struct vnode *vp)
{
	int error;

	if (vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	error = sys_vn_access(vp, VEXEC, kauth_cred_get());
	if (error != 0) {
		vrele(vp);
		return error;
	}
	cwd_set(vp);
	return 0;
}

static int
sys_chdir(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_chdir_args *uap = v;
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = sys_lookup(SCARG(uap, path), NI_FOLLOW, NULL, &nd);
	if (error != 0)
		return error;
	vp = nd.ni_vp;
	vref(vp);
	sys_lookup_done(&nd);
	return sysdir_setcwd(vp);
}

static int
sys_fchdir(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_fchdir_args *uap = v;
	struct vnode *vp;
	int error;

	error = sys_fd_vnode(SCARG(uap, fd), &vp, NULL);
	if (error != 0)
		return error == EINVAL ? ENOTDIR : error;
	return sysdir_setcwd(vp);
}

static const struct rump_sysent sys_dir_table[] = {
	{ .se_num = SYS_chdir, .se_call = sys_chdir, .se_name = "chdir" },
	{ .se_num = SYS_fchdir, .se_call = sys_fchdir, .se_name = "fchdir" },
	{ .se_num = SYS___getdents30, .se_call = sys_getdents,
	  .se_name = "__getdents30" },
};

const struct sys_vfs_tableref sys_dir_tables = {
	.st_table = sys_dir_table,
	.st_n = __arraycount(sys_dir_table),
};

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_getdents(int fd, char *buf, rump_size_t nbytes)
{
	struct sys_getdents_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, buf) = buf;
	SCARG(&args, count) = nbytes;
	return (int)rsys_call(sys_getdents, &args);
}

int
rump_sys_chdir(const char *path)
{
	struct sys_chdir_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	return (int)rsys_call(sys_chdir, &args);
}

int
rump_sys_fchdir(int fd)
{
	struct sys_fchdir_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	return (int)rsys_call(sys_fchdir, &args);
}
