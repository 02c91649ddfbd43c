/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket_msg.c: sendmsg(2) and recvmsg(2) (NetBSD numbers 28 and 27) and
 * their public wrappers rump_sys_sendmsg/rump_sys_recvmsg.
 *
 * A message is a struct msghdr (sys/socket.h) in the caller's memory:
 * an optional address, a scatter/gather array and ancillary data.  The
 * header and the iovec array are copied in (EFAULT for bad pointers),
 * checked (EMSGSIZE for a negative or over-IOV_MAX iovec count, EINVAL
 * for lengths that overflow) and the data moves through sosend/soreceive
 * (socket.c) exactly as for sendto/recvfrom.
 *
 * Ancillary data: no control message type is implemented yet.  On send
 * the chain is still read and checked: malformed records (a cmsg_len
 * shorter than its header or running past msg_controllen) give EINVAL,
 * a buffer over SOCK_MAXCONTROL bytes EINVAL, and any well-formed record
 * EOPNOTSUPP -- never silently dropped.  On receive nothing is ever
 * produced: msg_controllen comes back 0 and MSG_CTRUNC is never set.
 * msg_flags comes back with MSG_TRUNC when a datagram did not fit.
 *
 * Registered by net_init.c (stage "msgcalls"); thread context, net_lock
 * not held (the socket layer takes it).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <rump/rump.h>

#include "net_private.h"

#define SYS_recvmsg	27
#define SYS_sendmsg	28

#define SYSARG(type, name)	union { register_t pad_; type val; } name
#define SCARG(uap, name)	((uap)->name.val)

#define SOCK_SMALLIOV		8	/* iovecs kept on the stack */
#define SOCK_MAXCONTROL		2048	/* largest ancillary buffer */
#define SOCK_SSIZE_MAX		((size_t)__PTRDIFF_MAX__)

struct sys_sendmsg_args {		/* sendmsg, recvmsg */
	SYSARG(int, s);
	SYSARG(struct msghdr *, msg);
	SYSARG(int, flags);
};

/* The message's iovec array, copied in. */
struct sockmsg_iov {
	struct iovec	mi_small[SOCK_SMALLIOV];
	struct iovec	*mi_iov;
	int		mi_cnt;
	size_t		mi_total;	/* sum of the lengths */
};

static int
sockmsg_iov_in(const struct msghdr *msg, struct sockmsg_iov *mi)
{
	size_t len;
	int i, error;

	if ((u_int)msg->msg_iovlen > IOV_MAX)
		return EMSGSIZE;
	mi->mi_cnt = msg->msg_iovlen;
	mi->mi_iov = mi->mi_small;
	mi->mi_total = 0;
	len = (size_t)mi->mi_cnt * sizeof(struct iovec);
	if (mi->mi_cnt > SOCK_SMALLIOV)
		mi->mi_iov = kmem_alloc(len, KM_SLEEP);
	error = copyin(msg->msg_iov, mi->mi_iov, len);
	if (error != 0)
		goto err_free;
	for (i = 0; i < mi->mi_cnt; i++) {
		if (mi->mi_iov[i].iov_len > SOCK_SSIZE_MAX - mi->mi_total) {
			error = EINVAL;
			goto err_free;
		}
		mi->mi_total += mi->mi_iov[i].iov_len;
	}
	return 0;

err_free:
	if (mi->mi_iov != mi->mi_small)
		kmem_free(mi->mi_iov, len);
	mi->mi_iov = NULL;
	return error;
}

static void
sockmsg_iov_free(struct sockmsg_iov *mi)
{
	if (mi->mi_iov != NULL && mi->mi_iov != mi->mi_small)
		kmem_free(mi->mi_iov,
		    (size_t)mi->mi_cnt * sizeof(struct iovec));
	mi->mi_iov = NULL;
}

static void
sockmsg_uio(struct sockmsg_iov *mi, enum uio_rw rw, struct uio *uio)
{
	uio->uio_iov = mi->mi_iov;
	uio->uio_iovcnt = mi->mi_cnt;
	uio->uio_offset = 0;
	uio->uio_resid = mi->mi_total;
	uio->uio_rw = rw;
	uio->uio_segflg = UIO_USERSPACE;
}

/*
 * Check the ancillary data of a send: 0 when there is none, EINVAL when
 * it is malformed or too big, EFAULT when unreadable, EOPNOTSUPP when it
 * holds any record (no type is implemented).
 */
static int
sockmsg_control_check(const void *uctl, socklen_t len)
{
	struct cmsghdr cm;
	uint8_t *buf;
	size_t off;
	int error, nrec = 0;

	if (len == 0)
		return 0;
	if (len > SOCK_MAXCONTROL || len < sizeof(cm))
		return EINVAL;
	buf = kmem_alloc(len, KM_SLEEP);
	error = copyin(uctl, buf, len);
	if (error != 0)
		goto out_free;
	for (off = 0; off + sizeof(cm) <= len;
	    off += CMSG_ALIGN((size_t)cm.cmsg_len)) {
		memcpy(&cm, buf + off, sizeof(cm));
		if (cm.cmsg_len < sizeof(cm) || cm.cmsg_len > len - off) {
			error = EINVAL;
			goto out_free;
		}
		nrec++;
	}
	error = nrec > 0 ? EOPNOTSUPP : 0;
out_free:
	kmem_free(buf, len);
	return error;
}

static int
sys_sendmsg(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_sendmsg_args *uap = v;
	struct sockaddr *sa = NULL;
	struct sockmsg_iov mi;
	struct msghdr msg;
	struct socket *so;
	struct file *fp;
	struct uio uio;
	int error;

	error = copyin(SCARG(uap, msg), &msg, sizeof(msg));
	if (error != 0)
		return error;
	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	error = sockmsg_iov_in(&msg, &mi);
	if (error != 0)
		goto out_put;
	error = sockmsg_control_check(msg.msg_control, msg.msg_controllen);
	if (error != 0)
		goto out_free_iov;
	if (msg.msg_name != NULL) {
		error = sock_addr_in(msg.msg_name, msg.msg_namelen, &sa);
		if (error != 0)
			goto out_free_iov;
	}
	sockmsg_uio(&mi, UIO_WRITE, &uio);
	error = sosend(so, sa, &uio, SCARG(uap, flags),
	    (fp->f_flag & O_NONBLOCK) != 0);
	if (error == 0)
		retval[0] = (register_t)mi.mi_total;
	sock_addr_free(sa);
out_free_iov:
	sockmsg_iov_free(&mi);
out_put:
	fd_putfile(fp);
	return error;
}

/*
 * The name goes out truncated to the caller's msg_namelen; msg_namelen
 * comes back as the name's full length (as recvfrom's *fromlen does).
 */
static int
sys_recvmsg(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_sendmsg_args *uap = v;
	struct sockaddr *sa = NULL;
	socklen_t salen = SOCK_MAXADDRLEN;
	struct sockmsg_iov mi;
	struct msghdr msg;
	struct socket *so;
	struct file *fp;
	struct uio uio;
	int error, flags = SCARG(uap, flags);

	error = copyin(SCARG(uap, msg), &msg, sizeof(msg));
	if (error != 0)
		return error;
	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	error = sockmsg_iov_in(&msg, &mi);
	if (error != 0)
		goto out_put;
	if (msg.msg_name != NULL)
		sa = kmem_zalloc(SOCK_MAXADDRLEN, KM_SLEEP);
	sockmsg_uio(&mi, UIO_READ, &uio);
	error = soreceive(so, sa, sa != NULL ? &salen : NULL, &uio, &flags,
	    (fp->f_flag & O_NONBLOCK) != 0);
	if (error != 0)
		goto out_free;
	if (sa != NULL) {
		if (msg.msg_namelen > 0 && salen > 0)
			error = copyout(sa, msg.msg_name,
			    MIN(msg.msg_namelen, salen));
		msg.msg_namelen = salen;
	} else {
		msg.msg_namelen = 0;
	}
	msg.msg_controllen = 0;		/* no ancillary data is produced */
	msg.msg_flags = flags & MSG_TRUNC;
	if (error == 0)
		error = copyout(&msg, SCARG(uap, msg), sizeof(msg));
	if (error == 0)
		retval[0] = (register_t)(mi.mi_total - uio.uio_resid);
out_free:
	if (sa != NULL)
		kmem_free(sa, SOCK_MAXADDRLEN);
	sockmsg_iov_free(&mi);
out_put:
	fd_putfile(fp);
	return error;
}

static const struct rump_sysent socket_msg_sysents[] = {
	{ .se_num = SYS_recvmsg, .se_call = sys_recvmsg, .se_name = "recvmsg" },
	{ .se_num = SYS_sendmsg, .se_call = sys_sendmsg, .se_name = "sendmsg" },
};

int
socket_msg_init(void)
{
	return syscall_establish(socket_msg_sysents,
	    __arraycount(socket_msg_sysents));
}

void
socket_msg_fini(void)
{
	syscall_disestablish(socket_msg_sysents,
	    __arraycount(socket_msg_sysents));
}

/* ---- public wrappers ---------------------------------------------------- */

rump_ssize_t
rump_sys_sendmsg(int s, const struct rump_msghdr *msg, int flags)
{
	struct sys_sendmsg_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, msg) = (struct msghdr *)(uintptr_t)msg;
	SCARG(&a, flags) = flags;
	return (rump_ssize_t)rsys_call(sys_sendmsg, &a);
}

rump_ssize_t
rump_sys_recvmsg(int s, struct rump_msghdr *msg, int flags)
{
	struct sys_sendmsg_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, msg) = (struct msghdr *)msg;
	SCARG(&a, flags) = flags;
	return (rump_ssize_t)rsys_call(sys_recvmsg, &a);
}
