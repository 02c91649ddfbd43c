/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket_file.c: the fileops of socket descriptors, so that read(2),
 * write(2), readv/writev, fstat(2), poll and close(2) of the shared
 * descriptor table (vfs/vfs_descrip.c) work on sockets.  The file holds
 * the socket (f_data); its last release closes it.  O_NONBLOCK set with
 * fcntl(F_SETFL) lives in f_flag and is honoured here.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filio.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "net_private.h"

static bool
soo_nbio(struct file *fp)
{
	return (fp->f_flag & O_NONBLOCK) != 0;
}

static int
soo_read(struct file *fp, off_t *offset, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	int mflags = 0;

	return soreceive(fp->f_data, NULL, NULL, uio, &mflags, soo_nbio(fp));
}

static int
soo_write(struct file *fp, off_t *offset, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	return sosend(fp->f_data, NULL, uio, 0, soo_nbio(fp));
}

static int
soo_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct socket *so = fp->f_data;
	int v;

	switch (cmd) {
	case FIONBIO:	/* sys_ioctl.c answers it; kept for in-kernel callers */
		memcpy(&v, data, sizeof(v));
		mutex_enter(&fp->f_lock);
		if (v)
			fp->f_flag |= O_NONBLOCK;
		else
			fp->f_flag &= ~O_NONBLOCK;
		mutex_exit(&fp->f_lock);
		return 0;
	case FIONREAD:
		v = (int)socket_rcv_bytes(so);
		memcpy(data, &v, sizeof(v));
		return 0;
	default:
		return ENOTTY;
	}
}

static int
soo_fcntl(struct file *fp, u_int cmd, void *data)
{
	return cmd == F_SETFL ? 0 : EINVAL;
}

static int
soo_poll(struct file *fp, int events)
{
	return sopoll(fp->f_data, events);
}

static int
soo_stat(struct file *fp, struct stat *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->st_mode = S_IFSOCK | 0600;
	sb->st_blksize = 4096;
	sb->st_size = socket_rcv_bytes(fp->f_data);
	return 0;
}

static int
soo_close(struct file *fp)
{
	soclose(fp->f_data);
	fp->f_data = NULL;
	return 0;
}

const struct fileops socketops = {
	.fo_name = "socket",
	.fo_read = soo_read,
	.fo_write = soo_write,
	.fo_ioctl = soo_ioctl,
	.fo_fcntl = soo_fcntl,
	.fo_poll = soo_poll,
	.fo_stat = soo_stat,
	.fo_close = soo_close,
	.fo_seek = NULL,
};
