/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_rw.c: read(2), write(2), pread(2), pwrite(2), readv(2), writev(2),
 * lseek(2).
 *
 * Each call builds a uio over the caller's buffers (UIO_USERSPACE, so the
 * file's fo_read/fo_write reach them through copyin/copyout, which reject
 * bad addresses) and hands it to the file's fileops: read/write use and
 * advance the file offset (FOF_UPDATE_OFFSET), pread/pwrite use their own
 * offset and need a seekable file.  Called through rsys_call by the public
 * wrappers below and by number (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_read	3
#define SYS_write	4
#define SYS_readv	120
#define SYS_writev	121
#define SYS_pread	173
#define SYS_pwrite	174
#define SYS_lseek	199

#define SSIZE_MAX_	((size_t)__PTRDIFF_MAX__)

struct sys_read_args {
	SYSARG(int, fd);
	SYSARG(void *, buf);
	SYSARG(size_t, nbyte);
};

struct sys_pread_args {
	SYSARG(int, fd);
	SYSARG(void *, buf);
	SYSARG(size_t, nbyte);
	SYSARG(int, PAD);
	SYSARG(off_t, offset);
};

struct sys_readv_args {
	SYSARG(int, fd);
	SYSARG(const struct iovec *, iovp);
	SYSARG(int, iovcnt);
};

struct sys_lseek_args {
	SYSARG(int, fd);
	SYSARG(int, PAD);
	SYSARG(off_t, offset);
	SYSARG(int, whence);
};

/*
 * Move data between file fd and the iovecs iov[0..iovcnt) (kernel copies
 * of the caller's array, whose buffers are the caller's).  offset < 0
 * means "at the file offset".  The byte count goes to retval[0].
 */
static int
sysrw_io(int fd, struct iovec *iov, int iovcnt, off_t offset, enum uio_rw rw,
    register_t *retval)
{
	struct file *fp;
	struct uio uio;
	size_t total = 0, done;
	off_t off;
	int i, flags, error;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX_ - total)
			return EINVAL;
		total += iov[i].iov_len;
	}
	for (i = 0; i < iovcnt; i++) {
		error = sys_check_ubuf(iov[i].iov_base, iov[i].iov_len);
		if (error != 0)
			return error;
	}
	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if ((fp->f_flag & (rw == UIO_READ ? FREAD : FWRITE)) == 0) {
		error = EBADF;
		goto out_put;
	}
	if (offset >= 0 && fp->f_ops->fo_seek == NULL) {
		error = ESPIPE;
		goto out_put;
	}

	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_resid = total;
	uio.uio_rw = rw;
	uio.uio_segflg = UIO_USERSPACE;
	if (offset >= 0) {
		off = offset;
		flags = 0;
	} else {
		off = fp->f_offset;	/* fo_read/fo_write use f_offset */
		flags = FOF_UPDATE_OFFSET;
	}
	uio.uio_offset = off;
	if (rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, flags ? &fp->f_offset : &off,
		    &uio, fp->f_cred, flags);
	else
		error = fp->f_ops->fo_write(fp, flags ? &fp->f_offset : &off,
		    &uio, fp->f_cred, flags);
	done = total - uio.uio_resid;
	/* A transfer cut short by an interruption still counts. */
	if (error != 0 && done != 0 &&
	    (error == EINTR || error == EWOULDBLOCK))
		error = 0;
	if (error == 0)
		retval[0] = (register_t)done;

out_put:
	fd_putfile(fp);
	return error;
}

static int
sysrw_one(int fd, void *buf, size_t nbyte, off_t offset, enum uio_rw rw,
    register_t *retval)
{
	struct iovec iov;

	if (nbyte > SSIZE_MAX_)
		return EINVAL;
	iov.iov_base = buf;
	iov.iov_len = nbyte;
	return sysrw_io(fd, &iov, 1, offset, rw, retval);
}

static int
sysrw_vec(int fd, const struct iovec *uiov, int iovcnt, enum uio_rw rw,
    register_t *retval)
{
	struct iovec *iov;
	size_t len;
	int error;

	if (iovcnt <= 0 || iovcnt > IOV_MAX)
		return EINVAL;
	len = (size_t)iovcnt * sizeof(*iov);
	iov = kmem_alloc(len, KM_SLEEP);
	error = copyin(uiov, iov, len);
	if (error == 0)
		error = sysrw_io(fd, iov, iovcnt, -1, rw, retval);
	kmem_free(iov, len);
	return error;
}

static int
sys_read(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_read_args *uap = v;

	return sysrw_one(SCARG(uap, fd), SCARG(uap, buf), SCARG(uap, nbyte),
	    -1, UIO_READ, retval);
}

static int
sys_write(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_read_args *uap = v;

	return sysrw_one(SCARG(uap, fd), SCARG(uap, buf), SCARG(uap, nbyte),
	    -1, UIO_WRITE, retval);
}

static int
sys_pread(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_pread_args *uap = v;

	if (SCARG(uap, offset) < 0)
		return EINVAL;
	return sysrw_one(SCARG(uap, fd), SCARG(uap, buf), SCARG(uap, nbyte),
	    SCARG(uap, offset), UIO_READ, retval);
}

static int
sys_pwrite(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_pread_args *uap = v;

	if (SCARG(uap, offset) < 0)
		return EINVAL;
	return sysrw_one(SCARG(uap, fd), SCARG(uap, buf), SCARG(uap, nbyte),
	    SCARG(uap, offset), UIO_WRITE, retval);
}

static int
sys_readv(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_readv_args *uap = v;

	return sysrw_vec(SCARG(uap, fd), SCARG(uap, iovp),
	    SCARG(uap, iovcnt), UIO_READ, retval);
}

static int
sys_writev(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_readv_args *uap = v;

	return sysrw_vec(SCARG(uap, fd), SCARG(uap, iovp),
	    SCARG(uap, iovcnt), UIO_WRITE, retval);
}

static int
sys_lseek(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_lseek_args *uap = v;
	struct file *fp;
	off_t newoff;
	int error;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	if (fp->f_ops->fo_seek == NULL) {
		error = ESPIPE;
		goto out_put;
	}
	switch (SCARG(uap, whence)) {
	case SEEK_SET:
	case SEEK_CUR:
	case SEEK_END:
		break;
	default:
		error = EINVAL;
		goto out_put;
	}
	error = fp->f_ops->fo_seek(fp, SCARG(uap, offset), SCARG(uap, whence),
	    &newoff);
	if (error == 0)
		retval[0] = newoff;

out_put:
	fd_putfile(fp);
	return error;
}

static const struct rump_sysent sys_rw_table[] = {
	{ .se_num = SYS_read, .se_call = sys_read, .se_name = "read" },
	{ .se_num = SYS_write, .se_call = sys_write, .se_name = "write" },
	{ .se_num = SYS_readv, .se_call = sys_readv, .se_name = "readv" },
	{ .se_num = SYS_writev, .se_call = sys_writev, .se_name = "writev" },
	{ .se_num = SYS_pread, .se_call = sys_pread, .se_name = "pread" },
	{ .se_num = SYS_pwrite, .se_call = sys_pwrite, .se_name = "pwrite" },
	{ .se_num = SYS_lseek, .se_call = sys_lseek, .se_name = "lseek" },
};

const struct sys_vfs_tableref sys_rw_tables = {
	.st_table = sys_rw_table,
	.st_n = __arraycount(sys_rw_table),
};

/* ---- public wrappers ---------------------------------------------------- */

rump_ssize_t
rump_sys_read(int fd, void *buf, rump_size_t nbytes)
{
	struct sys_read_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, buf) = buf;
	SCARG(&args, nbyte) = nbytes;
	return rsys_call(sys_read, &args);
}

rump_ssize_t
rump_sys_write(int fd, const void *buf, rump_size_t nbytes)
{
	struct sys_read_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, buf) = (void *)(uintptr_t)buf;
	SCARG(&args, nbyte) = nbytes;
	return rsys_call(sys_write, &args);
}

rump_ssize_t
rump_sys_pread(int fd, void *buf, rump_size_t nbytes, rump_off_t offset)
{
	struct sys_pread_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, buf) = buf;
	SCARG(&args, nbyte) = nbytes;
	SCARG(&args, offset) = offset;
	return rsys_call(sys_pread, &args);
}

rump_ssize_t
rump_sys_pwrite(int fd, const void *buf, rump_size_t nbytes,
    rump_off_t offset)
{
	struct sys_pread_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, buf) = (void *)(uintptr_t)buf;
	SCARG(&args, nbyte) = nbytes;
	SCARG(&args, offset) = offset;
	return rsys_call(sys_pwrite, &args);
}

rump_ssize_t
rump_sys_readv(int fd, const struct rump_iovec *iov, int iovcnt)
{
	struct sys_readv_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, iovp) = (const struct iovec *)(const void *)iov;
	SCARG(&args, iovcnt) = iovcnt;
	return rsys_call(sys_readv, &args);
}

rump_ssize_t
rump_sys_writev(int fd, const struct rump_iovec *iov, int iovcnt)
{
	struct sys_readv_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, iovp) = (const struct iovec *)(const void *)iov;
	SCARG(&args, iovcnt) = iovcnt;
	return rsys_call(sys_writev, &args);
}

rump_off_t
rump_sys_lseek(int fd, rump_off_t offset, int whence)
{
	struct sys_lseek_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, offset) = offset;
	SCARG(&args, whence) = whence;
	return rsys_call(sys_lseek, &args);
}
