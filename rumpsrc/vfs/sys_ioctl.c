/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_ioctl.c: ioctl(2) (NetBSD number 54) on any descriptor, and its
 * public wrapper rump_sys_ioctl.
 *
 * The command encodes its argument's size and direction (sys/filio.h):
 * the argument is copied into a kernel buffer before the call (IOC_IN,
 * EFAULT for a bad pointer) or zeroed (IOC_OUT only), and copied back
 * after a successful call (IOC_OUT).  A size over IOCPARM_MAX is ENOTTY.
 *
 * The descriptor layer answers the generic commands itself: FIOCLEX and
 * FIONCLEX (close-on-exec) and FIONBIO (O_NONBLOCK in f_flag, the one
 * place every fileops reads it from).  Everything else goes to the
 * file's fo_ioctl: FIONREAD on sockets (net/socket_file.c: bytes queued
 * for reading) and on vnodes (vfs_vnops.c: regular files and
 * directories, size minus offset); unknown commands are ENOTTY.
 * Called through rsys_call by the wrapper and by number (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filio.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_ioctl	54

#define IOCTL_STACKBUF	64	/* arguments this small stay on the stack */

struct sys_ioctl_args {
	SYSARG(int, fd);
	SYSARG(u_long, com);
	SYSARG(void *, data);
};

/* FIONBIO: the descriptor's O_NONBLOCK, for every kind of file. */
static void
sysioctl_nbio(struct file *fp, const void *data)
{
	int on;

	memcpy(&on, data, sizeof(on));
	mutex_enter(&fp->f_lock);
	if (on)
		fp->f_flag |= O_NONBLOCK;
	else
		fp->f_flag &= ~O_NONBLOCK;
	mutex_exit(&fp->f_lock);
}

static int
sys_ioctl(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_ioctl_args *uap = v;
	u_long com = SCARG(uap, com);
	size_t size = IOCPARM_LEN(com);
	uint8_t stackbuf[IOCTL_STACKBUF];
	void *kbuf = stackbuf;
	struct file *fp;
	int fd = SCARG(uap, fd), error = 0;

	if (size > IOCPARM_MAX)
		return ENOTTY;
	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if ((fp->f_flag & (FREAD | FWRITE)) == 0) {
		error = EBADF;
		goto out_put;
	}
	switch (com) {
	case FIOCLEX:
	case FIONCLEX:
		error = fd_setflags(fd, com == FIOCLEX ? FD_CLOEXEC : 0);
		goto out_put;
	default:
		break;
	}
	if (size > sizeof(stackbuf))
		kbuf = kmem_alloc(size, KM_SLEEP);
	if ((com & IOC_IN) && size > 0) {
		error = copyin(SCARG(uap, data), kbuf, size);
		if (error != 0)
			goto out_free;
	} else if (size > 0) {
		memset(kbuf, 0, size);
	}
	if (com == FIONBIO)
		sysioctl_nbio(fp, kbuf);
	else
		error = fp->f_ops->fo_ioctl != NULL ?
		    fp->f_ops->fo_ioctl(fp, com, kbuf) : ENOTTY;
	if (error == 0 && (com & IOC_OUT) && size > 0)
		error = copyout(kbuf, SCARG(uap, data), size);
	if (error == 0)
		retval[0] = 0;
out_free:
	if (kbuf != stackbuf)
		kmem_free(kbuf, size);
out_put:
	fd_putfile(fp);
	return error;
}

static const struct rump_sysent sys_ioctl_table[] = {
	{ .se_num = SYS_ioctl, .se_call = sys_ioctl, .se_name = "ioctl" },
};

const struct sys_vfs_tableref sys_ioctl_tables = {
	.st_table = sys_ioctl_table,
	.st_n = __arraycount(sys_ioctl_table),
};

/* ---- public wrapper ----------------------------------------------------- */

/* rump_sys_ioctl(fd, cmd, void *arg): NetBSD's prototype. */
int
rump_sys_ioctl(int fd, unsigned long cmd, ...)
{
	struct sys_ioctl_args args;
	va_list ap;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, com) = cmd;
	va_start(ap, cmd);
	SCARG(&args, data) = va_arg(ap, void *);
	va_end(ap);
	return (int)rsys_call(sys_ioctl, &args);
}
