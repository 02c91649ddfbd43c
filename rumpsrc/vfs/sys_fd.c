/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_fd.c: descriptor calls: dup(2), dup2(2), fcntl(2), fstat(2),
 * fsync(2).
 *
 * The descriptor table itself (vfs_descrip.c) does the work; these calls
 * check arguments and translate flags (file flags FREAD/FWRITE back to
 * the O_ access mode for F_GETFL).  Called through rsys_call by the public
 * wrappers below and by number (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/mutex.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_dup		41
#define SYS_dup2	90
#define SYS_fcntl	92
#define SYS_fsync	95
#define SYS___fstat50	440

struct sys_dup_args {
	SYSARG(int, fd);
};

struct sys_dup2_args {
	SYSARG(int, from);
	SYSARG(int, to);
};

struct sys_fcntl_args {
	SYSARG(int, fd);
	SYSARG(int, cmd);
	SYSARG(void *, arg);
};

struct sys_fstat_args {
	SYSARG(int, fd);
	SYSARG(struct stat *, sb);
};

static int
sys_dup(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_dup_args *uap = v;
	struct file *fp;
	int newfd, error;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	error = fd_alloc(fp, 0, 0, &newfd);
	fd_putfile(fp);
	if (error == 0)
		retval[0] = newfd;
	return error;
}

static int
sys_dup2(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_dup2_args *uap = v;
	struct file *fp;
	int error;

	if (SCARG(uap, to) < 0)
		return EBADF;
	/* dup2(fd, fd) checks fd and changes nothing. */
	if (SCARG(uap, from) == SCARG(uap, to)) {
		fp = fd_getfile(SCARG(uap, from));
		if (fp == NULL)
			return EBADF;
		fd_putfile(fp);
		retval[0] = SCARG(uap, to);
		return 0;
	}
	error = fd_dup2(SCARG(uap, from), SCARG(uap, to), 0);
	if (error == 0)
		retval[0] = SCARG(uap, to);
	return error;
}

/* The F_GETFL view of a file's flags: FREAD/FWRITE as O_ access mode. */
static int
sysfd_getfl(const struct file *fp)
{
	int acc;

	switch (fp->f_flag & (FREAD | FWRITE)) {
	case FREAD | FWRITE:
		acc = O_RDWR;
		break;
	case FWRITE:
		acc = O_WRONLY;
		break;
	default:
		acc = O_RDONLY;
		break;
	}
	return (fp->f_flag & FCNTLFLAGS) | acc;
}

static int
sys_fcntl(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_fcntl_args *uap = v;
	int fd = SCARG(uap, fd);
	int arg = (int)(intptr_t)SCARG(uap, arg);
	struct file *fp;
	int flags, newfd, error;

	switch (SCARG(uap, cmd)) {
	case F_GETFD:
		error = fd_getflags(fd, &flags);
		if (error == 0)
			retval[0] = flags;
		return error;
	case F_SETFD:
		return fd_setflags(fd, arg & FD_CLOEXEC);
	case F_GETFL:
	case F_SETFL:
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		break;
	default:
		/* Check fd first: a bad descriptor is EBADF whatever cmd. */
		fp = fd_getfile(fd);
		if (fp == NULL)
			return EBADF;
		fd_putfile(fp);
		return EINVAL;
	}

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	error = 0;
	switch (SCARG(uap, cmd)) {
	case F_GETFL:
		mutex_enter(&fp->f_lock);
		retval[0] = sysfd_getfl(fp);
		mutex_exit(&fp->f_lock);
		break;
	case F_SETFL:
		/* Only the status flags change; the access mode stays. */
		mutex_enter(&fp->f_lock);
		fp->f_flag = (fp->f_flag & ~FCNTLFLAGS) | (arg & FCNTLFLAGS);
		mutex_exit(&fp->f_lock);
		break;
	default:	/* F_DUPFD, F_DUPFD_CLOEXEC */
		if (arg < 0) {
			error = EINVAL;
			break;
		}
		error = fd_alloc(fp, arg,
		    SCARG(uap, cmd) == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0,
		    &newfd);
		if (error == 0)
			retval[0] = newfd;
		break;
	}
	fd_putfile(fp);
	return error;
}

static int
sys_fstat(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_fstat_args *uap = v;
	struct file *fp;
	struct stat sb;
	int error;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	memset(&sb, 0, sizeof(sb));
	if (fp->f_ops->fo_stat == NULL)
		error = EOPNOTSUPP;
	else
		error = fp->f_ops->fo_stat(fp, &sb);
	fd_putfile(fp);
	if (error == 0)
		error = copyout(&sb, SCARG(uap, sb), sizeof(sb));
	return error;
}

static int
sys_fsync(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_dup_args *uap = v;
	struct vnode *vp;
	struct file *fp;
	int error;

	error = sys_fd_vnode(SCARG(uap, fd), &vp, &fp);
	if (error != 0)
		return error;
	/* A file system without fsync keeps nothing to write back. */
	vn_lock(vp, RW_WRITER);
	error = VOP_FSYNC(vp, fp->f_cred, FSYNC_WAIT, 0, 0);
	vn_unlock(vp);
	if (error == EOPNOTSUPP)
		error = 0;
	vrele(vp);
	fd_putfile(fp);
	return error;
}

static const struct rump_sysent sys_fd_table[] = {
	{ .se_num = SYS_dup, .se_call = sys_dup, .se_name = "dup" },
	{ .se_num = SYS_dup2, .se_call = sys_dup2, .se_name = "dup2" },
	{ .se_num = SYS_fcntl, .se_call = sys_fcntl, .se_name = "fcntl" },
	{ .se_num = SYS_fsync, .se_call = sys_fsync, .se_name = "fsync" },
	{ .se_num = SYS___fstat50, .se_call = sys_fstat,
	  .se_name = "__fstat50" },
};

const struct sys_vfs_tableref sys_fd_tables = {
	.st_table = sys_fd_table,
	.st_n = __arraycount(sys_fd_table),
};

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_dup(int fd)
{
	struct sys_dup_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	return (int)rsys_call(sys_dup, &args);
}

int
rump_sys_dup2(int fd, int newfd)
{
	struct sys_dup2_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, from) = fd;
	SCARG(&args, to) = newfd;
	return (int)rsys_call(sys_dup2, &args);
}

/* The third argument is an int for the commands that take one. */
int
rump_sys_fcntl(int fd, int cmd, ...)
{
	struct sys_fcntl_args args;
	va_list ap;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, cmd) = cmd;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETFD:
	case F_SETFL:
		va_start(ap, cmd);
		SCARG(&args, arg) = (void *)(intptr_t)va_arg(ap, int);
		va_end(ap);
		break;
	default:
		break;
	}
	return (int)rsys_call(sys_fcntl, &args);
}

int
rump_sys_fstat(int fd, struct rump_stat *sb)
{
	struct sys_fstat_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, sb) = (struct stat *)(void *)sb;
	return (int)rsys_call(sys_fstat, &args);
}

int
rump_sys_fsync(int fd)
{
	struct sys_dup_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	return (int)rsys_call(sys_fsync, &args);
}
