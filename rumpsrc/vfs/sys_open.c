/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_open.c: open(2), openat(2), close(2).
 *
 * open copies the path in, checks the flags, turns the open mode into the
 * file's FREAD/FWRITE flags, lets vn_open (vfs_vnops.c) look up, create,
 * check and open the vnode, then wraps it in a struct file on the lowest
 * free descriptor.  Called through rsys_call by the public wrappers below
 * and by number through the system call table (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_open	5
#define SYS_close	6
#define SYS_openat	468

/* Every open flag we know; anything else is EINVAL. */
#define SYSOPEN_KNOWN	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_SHLOCK | \
	O_EXLOCK | O_ASYNC | O_SYNC | O_NOFOLLOW | O_CREAT | O_TRUNC | \
	O_EXCL | O_NOCTTY | O_DSYNC | O_RSYNC | O_DIRECT | O_DIRECTORY | \
	O_CLOEXEC | O_SEARCH | O_NOSIGPIPE | O_REGULAR)

struct sys_open_args {
	SYSARG(const char *, path);
	SYSARG(int, flags);
	SYSARG(mode_t, mode);
};

struct sys_openat_args {
	SYSARG(int, fd);
	SYSARG(const char *, path);
	SYSARG(int, oflags);
	SYSARG(mode_t, mode);
};

struct sys_close_args {
	SYSARG(int, fd);
};

/* Open flags -> file flags: the access mode becomes FREAD/FWRITE. */
static int
sysopen_fflags(int oflags, int *fflagsp)
{
	int acc;

	if (oflags & ~SYSOPEN_KNOWN)
		return EINVAL;
	switch (oflags & O_ACCMODE) {
	case O_RDONLY:
		acc = FREAD;
		break;
	case O_WRONLY:
		acc = FWRITE;
		break;
	case O_RDWR:
		acc = FREAD | FWRITE;
		break;
	default:
		return EINVAL;
	}
	/* Advisory locks on open are not implemented: say so. */
	if (oflags & (O_SHLOCK | O_EXLOCK))
		return EOPNOTSUPP;
	*fflagsp = (oflags & ~O_ACCMODE) | acc;
	return 0;
}

static int
sysopen_common(int dirfd, const char *upath, int oflags, mode_t mode,
    register_t *retval)
{
	struct vnode *atdir, *vp;
	struct file *fp;
	char *kpath;
	mode_t cmode;
	int fflags, fd, error;

	error = sysopen_fflags(oflags, &fflags);
	if (error != 0)
		return error;
	error = sys_path_get(upath, &kpath);
	if (error != 0)
		return error;
	error = sys_at_dir(dirfd, kpath, &atdir);
	if (error != 0)
		goto out_path;

	/* As NetBSD: the umask applies, the sticky bit never does. */
	cmode = (mode & ALLPERMS & ~cwd_umask()) & ~S_ISVTX;
	error = vn_open(atdir, kpath, fflags, cmode, &vp);
	if (error != 0)
		goto out_atdir;

	error = file_alloc(&fp);
	if (error != 0) {
		/* No file yet: close the vnode the way the file would. */
		(void)VOP_CLOSE(vp, fflags & FMASK,
		    kauth_cred_get());
		vrele(vp);
		goto out_atdir;
	}
	fp->f_flag = fflags & FMASK;
	fp->f_type = DTYPE_VNODE;
	fp->f_ops = &vnops;
	fp->f_data = vp;
	fp->f_offset = 0;
	error = fd_alloc(fp, 0, (oflags & O_CLOEXEC) ? FD_CLOEXEC : 0, &fd);
	/* The descriptor holds its own reference (or there is none). */
	file_release(fp);
	if (error != 0)
		goto out_atdir;
	retval[0] = fd;

out_atdir:
	if (atdir != NULL)
		vrele(atdir);
out_path:
	sys_path_free(kpath);
	return error;
}

static int
sys_open(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_open_args *uap = v;

	return sysopen_common(AT_FDCWD, SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, mode), retval);
}

static int
sys_openat(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_openat_args *uap = v;

	return sysopen_common(SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, oflags), SCARG(uap, mode), retval);
}

static int
sys_close(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_close_args *uap = v;

	return fd_close(SCARG(uap, fd));
}

static const struct rump_sysent sys_open_table[] = {
	{ .se_num = SYS_open, .se_call = sys_open, .se_name = "open" },
	{ .se_num = SYS_close, .se_call = sys_close, .se_name = "close" },
	{ .se_num = SYS_openat, .se_call = sys_openat, .se_name = "openat" },
};

const struct sys_vfs_tableref sys_open_tables = {
	.st_table = sys_open_table,
	.st_n = __arraycount(sys_open_table),
};

/* ---- public wrappers ---------------------------------------------------- */

/* The mode argument is read only when O_CREAT asks for it, as libc does. */
int
rump_sys_open(const char *path, int flags, ...)
{
	struct sys_open_args args;
	va_list ap;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, flags) = flags;
	if (flags & O_CREAT) {
		va_start(ap, flags);
		SCARG(&args, mode) = va_arg(ap, rump_mode_t);
		va_end(ap);
	}
	return (int)rsys_call(sys_open, &args);
}

int
rump_sys_openat(int dirfd, const char *path, int flags, ...)
{
	struct sys_openat_args args;
	va_list ap;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = dirfd;
	SCARG(&args, path) = path;
	SCARG(&args, oflags) = flags;
	if (flags & O_CREAT) {
		va_start(ap, flags);
		SCARG(&args, mode) = va_arg(ap, rump_mode_t);
		va_end(ap);
	}
	return (int)rsys_call(sys_openat, &args);
}

int
rump_sys_close(int fd)
{
	struct sys_close_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	return (int)rsys_call(sys_close, &args);
}
