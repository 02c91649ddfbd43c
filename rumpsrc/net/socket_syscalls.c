/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket_syscalls.c: the socket system calls (NetBSD numbers) and their
 * public rump_sys_* wrappers, plus poll(2) over any descriptor.
 *
 * Each call copies the caller's addresses and option values in (EFAULT
 * for bad pointers), finds the socket behind the descriptor (EBADF, or
 * ENOTSOCK for another kind of file) and calls the socket layer
 * (socket.c).  Registered by number in net_init.c.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <net/if.h>
#include <rump/rump.h>

#include "net_private.h"

#define SYS_recvfrom	29
#define SYS_accept	30
#define SYS_listen	106
#define SYS_paccept	456
#define SYS_getpeername	31
#define SYS_getsockname	32
#define SYS_connect	98
#define SYS_bind	104
#define SYS_setsockopt	105
#define SYS_getsockopt	118
#define SYS_sendto	133
#define SYS_shutdown	134
#define SYS_poll	209
#define SYS___socket30	394

#define SYSARG(type, name)	union { register_t pad_; type val; } name
#define SCARG(uap, name)	((uap)->name.val)

#define SOCK_MAXOPTLEN	256
#define POLL_MAXFDS	FD_MAXFILES

struct pollfd_k {
	int	fd;
	short	events;
	short	revents;
};
#define POLLNVAL_	0x0020

struct sys_socket_args {
	SYSARG(int, domain);
	SYSARG(int, type);
	SYSARG(int, protocol);
};
struct sys_bind_args {		/* bind, connect */
	SYSARG(int, s);
	SYSARG(const struct sockaddr *, name);
	SYSARG(socklen_t, namelen);
};
struct sys_getsockname_args {	/* getsockname, getpeername */
	SYSARG(int, fdes);
	SYSARG(struct sockaddr *, asa);
	SYSARG(socklen_t *, alen);
};
struct sys_sendto_args {
	SYSARG(int, s);
	SYSARG(const void *, buf);
	SYSARG(size_t, len);
	SYSARG(int, flags);
	SYSARG(const struct sockaddr *, to);
	SYSARG(socklen_t, tolen);
};
struct sys_recvfrom_args {
	SYSARG(int, s);
	SYSARG(void *, buf);
	SYSARG(size_t, len);
	SYSARG(int, flags);
	SYSARG(struct sockaddr *, from);
	SYSARG(socklen_t *, fromlenaddr);
};
struct sys_setsockopt_args {
	SYSARG(int, s);
	SYSARG(int, level);
	SYSARG(int, name);
	SYSARG(const void *, val);
	SYSARG(socklen_t, valsize);
};
struct sys_getsockopt_args {
	SYSARG(int, s);
	SYSARG(int, level);
	SYSARG(int, name);
	SYSARG(void *, val);
	SYSARG(socklen_t *, avalsize);
};
struct sys_shutdown_args {
	SYSARG(int, s);
	SYSARG(int, how);
};
struct sys_listen_args {
	SYSARG(int, s);
	SYSARG(int, backlog);
};
struct sys_accept_args {	/* accept; paccept adds mask and flags */
	SYSARG(int, s);
	SYSARG(struct sockaddr *, name);
	SYSARG(socklen_t *, anamelen);
	SYSARG(const void *, mask);
	SYSARG(int, flags);
};
struct sys_poll_args {
	SYSARG(struct pollfd_k *, fds);
	SYSARG(u_int, nfds);
	SYSARG(int, timeout);
};

/* The socket of descriptor fd, with the file held (fd_putfile). */
int
sock_getsock(int fd, struct file **fpp, struct socket **sop)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_SOCKET) {
		fd_putfile(fp);
		return ENOTSOCK;
	}
	*fpp = fp;
	*sop = fp->f_data;
	return 0;
}

/* Copy a caller's sockaddr in (a kmem buffer of SOCK_MAXADDRLEN). */
int
sock_addr_in(const struct sockaddr *uaddr, socklen_t len,
    struct sockaddr **sap)
{
	struct sockaddr *sa;
	int error;

	if (len < 2 || len > SOCK_MAXADDRLEN)
		return EINVAL;
	sa = kmem_zalloc(SOCK_MAXADDRLEN, KM_SLEEP);
	error = copyin(uaddr, sa, len);
	if (error != 0) {
		kmem_free(sa, SOCK_MAXADDRLEN);
		return error;
	}
	sa->sa_len = (uint8_t)len;	/* the length given wins, as in BSD */
	*sap = sa;
	return 0;
}

void
sock_addr_free(struct sockaddr *sa)
{
	if (sa != NULL)
		kmem_free(sa, SOCK_MAXADDRLEN);
}

/* Copy a name out to (uaddr, *ulenp) truncating, and store its length. */
int
sock_addr_out(const struct sockaddr *sa, socklen_t salen,
    struct sockaddr *uaddr, socklen_t *ulenp)
{
	socklen_t ulen;
	int error;

	error = copyin(ulenp, &ulen, sizeof(ulen));
	if (error != 0)
		return error;
	if (ulen > 0 && salen > 0) {
		error = copyout(sa, uaddr, MIN(ulen, salen));
		if (error != 0)
			return error;
	}
	return copyout(&salen, ulenp, sizeof(salen));
}

static int
sys_socket(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_socket_args *uap = v;
	int type = SCARG(uap, type), fd, error;
	struct socket *so;
	struct file *fp;

	if (type & ~(SOCK_FLAGS_MASK | 0xff) ||
	    (type & SOCK_FLAGS_MASK & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)))
		return EINVAL;
	error = socreate(SCARG(uap, domain), type & ~SOCK_FLAGS_MASK,
	    SCARG(uap, protocol), &so);
	if (error != 0)
		return error;
	error = file_alloc(&fp);
	if (error != 0) {
		soclose(so);
		return error;
	}
	fp->f_flag = FREAD | FWRITE |
	    ((type & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	fp->f_type = DTYPE_SOCKET;
	fp->f_data = so;
	fp->f_ops = &socketops;
	error = fd_alloc(fp, 0, (type & SOCK_CLOEXEC) ? FD_CLOEXEC : 0, &fd);
	file_release(fp);	/* the descriptor holds its own reference */
	if (error != 0)
		return error;
	retval[0] = fd;
	return 0;
}

static int
sys_bind_connect(const struct sys_bind_args *uap, bool connect)
{
	struct sockaddr *sa;
	struct socket *so;
	struct file *fp;
	int error;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	error = sock_addr_in(SCARG(uap, name), SCARG(uap, namelen), &sa);
	if (error == 0) {
		error = connect ? soconnect_nb(so, sa,
		    (fp->f_flag & O_NONBLOCK) != 0) : sobind(so, sa);
		sock_addr_free(sa);
	}
	fd_putfile(fp);
	return error;
}

static int
sys_bind(struct lwp *l, const void *v, register_t *retval)
{
	return sys_bind_connect(v, false);
}

static int
sys_connect(struct lwp *l, const void *v, register_t *retval)
{
	return sys_bind_connect(v, true);
}

static int
sys_getname(const struct sys_getsockname_args *uap, bool peer)
{
	struct sockaddr *sa;
	struct socket *so;
	struct file *fp;
	int error;

	error = sock_getsock(SCARG(uap, fdes), &fp, &so);
	if (error != 0)
		return error;
	sa = kmem_zalloc(SOCK_MAXADDRLEN, KM_SLEEP);
	error = sogetname(so, sa, peer);
	if (error == 0)
		error = sock_addr_out(sa, sa->sa_len, SCARG(uap, asa),
		    SCARG(uap, alen));
	kmem_free(sa, SOCK_MAXADDRLEN);
	fd_putfile(fp);
	return error;
}

static int
sys_getsockname(struct lwp *l, const void *v, register_t *retval)
{
	return sys_getname(v, false);
}

static int
sys_getpeername(struct lwp *l, const void *v, register_t *retval)
{
	return sys_getname(v, true);
}

static int
sys_sendto(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_sendto_args *uap = v;
	struct sockaddr *sa = NULL;
	struct socket *so;
	struct file *fp;
	struct iovec iov;
	struct uio uio;
	size_t len = SCARG(uap, len);
	int error;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	if (SCARG(uap, to) != NULL) {
		error = sock_addr_in(SCARG(uap, to), SCARG(uap, tolen), &sa);
		if (error != 0)
			goto out_put;
	}
	iov.iov_base = (void *)(uintptr_t)SCARG(uap, buf);
	iov.iov_len = len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = len;
	uio.uio_rw = UIO_WRITE;
	uio.uio_segflg = UIO_USERSPACE;
	error = sosend(so, sa, &uio, SCARG(uap, flags),
	    (fp->f_flag & O_NONBLOCK) != 0);
	if (error == 0)
		retval[0] = (register_t)(len - uio.uio_resid);	/* streams:
							 * short writes */
	sock_addr_free(sa);
out_put:
	fd_putfile(fp);
	return error;
}

static int
sys_recvfrom(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_recvfrom_args *uap = v;
	struct sockaddr *sa = NULL;
	socklen_t salen = SOCK_MAXADDRLEN;
	struct socket *so;
	struct file *fp;
	struct iovec iov;
	struct uio uio;
	size_t len = SCARG(uap, len);
	int error, flags = SCARG(uap, flags);
	bool want_addr = SCARG(uap, from) != NULL &&
	    SCARG(uap, fromlenaddr) != NULL;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	if (want_addr)
		sa = kmem_zalloc(SOCK_MAXADDRLEN, KM_SLEEP);
	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = len;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	error = soreceive(so, sa, want_addr ? &salen : NULL, &uio, &flags,
	    (fp->f_flag & O_NONBLOCK) != 0);
	if (error == 0 && want_addr)
		error = sock_addr_out(sa, salen, SCARG(uap, from),
		    SCARG(uap, fromlenaddr));
	if (error == 0)
		retval[0] = (register_t)(len - uio.uio_resid);
	if (sa != NULL)
		kmem_free(sa, SOCK_MAXADDRLEN);
	fd_putfile(fp);
	return error;
}

static int
sys_setsockopt(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_setsockopt_args *uap = v;
	socklen_t len = SCARG(uap, valsize);
	struct socket *so;
	struct file *fp;
	void *buf = NULL;
	int error;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	if (len > SOCK_MAXOPTLEN) {
		error = EINVAL;
		goto out_put;
	}
	if (len > 0) {
		buf = kmem_zalloc(len, KM_SLEEP);
		error = copyin(SCARG(uap, val), buf, len);
	}
	if (error == 0)
		error = sosetopt(so, SCARG(uap, level), SCARG(uap, name), buf,
		    len);
	if (buf != NULL)
		kmem_free(buf, len);
out_put:
	fd_putfile(fp);
	return error;
}

static int
sys_getsockopt(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_getsockopt_args *uap = v;
	socklen_t len, *ulenp = SCARG(uap, avalsize);
	uint8_t buf[SOCK_MAXOPTLEN];
	struct socket *so;
	struct file *fp;
	int error;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	error = copyin(ulenp, &len, sizeof(len));
	if (error != 0)
		goto out_put;
	len = MIN(len, (socklen_t)sizeof(buf));
	error = sogetopt(so, SCARG(uap, level), SCARG(uap, name), buf, &len);
	if (error == 0)
		error = copyout(buf, SCARG(uap, val), len);
	if (error == 0)
		error = copyout(&len, ulenp, sizeof(len));
out_put:
	fd_putfile(fp);
	return error;
}

static int
sys_shutdown(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_shutdown_args *uap = v;
	struct socket *so;
	struct file *fp;
	int error;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	error = soshutdown(so, SCARG(uap, how));
	fd_putfile(fp);
	return error;
}

static int
sys_listen(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_listen_args *uap = v;
	struct socket *so;
	struct file *fp;
	int error;

	error = sock_getsock(SCARG(uap, s), &fp, &so);
	if (error != 0)
		return error;
	error = solisten(so, SCARG(uap, backlog));
	fd_putfile(fp);
	return error;
}

/*
 * accept/paccept: wait for a connection on the listener, give it a
 * descriptor and copy out the peer's address.  accept's new descriptor
 * inherits the listener's O_NONBLOCK (BSD); paccept's takes SOCK_NONBLOCK
 * and SOCK_CLOEXEC from flags (the signal mask is ignored: no signals).
 */
static int
sock_accept(const struct sys_accept_args *uap, bool pflags,
    register_t *retval)
{
	struct socket *head, *so;
	struct file *fp, *nfp;
	struct sockaddr *sa;
	int error, fd, flags = pflags ? SCARG(uap, flags) : 0, fflag;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return EINVAL;
	error = sock_getsock(SCARG(uap, s), &fp, &head);
	if (error != 0)
		return error;
	fflag = pflags ? ((flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0) :
	    (fp->f_flag & O_NONBLOCK);
	error = soaccept(head, (fp->f_flag & O_NONBLOCK) != 0, &so);
	fd_putfile(fp);
	if (error != 0)
		return error;
	error = file_alloc(&nfp);
	if (error != 0) {
		soclose(so);
		return error;
	}
	nfp->f_flag = FREAD | FWRITE | fflag;
	nfp->f_type = DTYPE_SOCKET;
	nfp->f_data = so;
	nfp->f_ops = &socketops;
	error = fd_alloc(nfp, 0, (flags & SOCK_CLOEXEC) ? FD_CLOEXEC : 0, &fd);
	file_release(nfp);	/* the descriptor holds its own reference */
	if (error != 0)
		return error;
	if (SCARG(uap, name) != NULL && SCARG(uap, anamelen) != NULL) {
		sa = kmem_zalloc(SOCK_MAXADDRLEN, KM_SLEEP);
		error = sogetname(so, sa, true);
		if (error == 0)
			error = sock_addr_out(sa, sa->sa_len, SCARG(uap, name),
			    SCARG(uap, anamelen));
		kmem_free(sa, SOCK_MAXADDRLEN);
		if (error != 0) {
			(void)fd_close(fd);
			return error;
		}
	}
	retval[0] = fd;
	return 0;
}

static int
sys_accept(struct lwp *l, const void *v, register_t *retval)
{
	return sock_accept(v, false, retval);
}

static int
sys_paccept(struct lwp *l, const void *v, register_t *retval)
{
	return sock_accept(v, true, retval);
}

/* Scan the descriptors once; the number ready. */
static int
poll_scan(struct pollfd_k *fds, u_int nfds)
{
	struct file *fp;
	u_int i;
	int n = 0;

	for (i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		fp = fd_getfile(fds[i].fd);
		if (fp == NULL) {
			fds[i].revents = POLLNVAL_;
		} else {
			fds[i].revents = (short)(fp->f_ops->fo_poll != NULL ?
			    fp->f_ops->fo_poll(fp, fds[i].events) :
			    fds[i].events);
			fd_putfile(fp);
		}
		if (fds[i].revents != 0)
			n++;
	}
	return n;
}

/*
 * poll: scan; if nothing is ready, sleep until a socket changes state
 * (the socket layer's poll generation moves) or the timeout passes, and
 * scan again.  Files that are not sockets are always ready.
 */
static int
sys_poll(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_poll_args *uap = v;
	u_int nfds = SCARG(uap, nfds);
	int timeout = SCARG(uap, timeout), n, error;
	uint64_t deadline = 0, now, gen;
	struct pollfd_k *fds = NULL;
	size_t sz = (size_t)nfds * sizeof(*fds);

	if (nfds > POLL_MAXFDS)
		return EINVAL;
	if (nfds > 0) {
		fds = kmem_alloc(sz, KM_SLEEP);
		error = copyin(SCARG(uap, fds), fds, sz);
		if (error != 0)
			goto out_free;
	}
	if (timeout > 0)
		deadline = getuptime_ns() + (uint64_t)timeout * NSEC_PER_MSEC;
	for (;;) {
		NET_LOCK();
		gen = sopoll_generation();
		NET_UNLOCK();
		n = poll_scan(fds, nfds);
		if (n > 0 || timeout == 0)
			break;
		NET_LOCK();
		if (timeout < 0) {
			(void)sopoll_wait(gen, 0);
		} else {
			now = getuptime_ns();
			if (now >= deadline) {
				NET_UNLOCK();
				break;
			}
			(void)sopoll_wait(gen, deadline - now);
		}
		NET_UNLOCK();
	}
	error = nfds > 0 ? copyout(fds, SCARG(uap, fds), sz) : 0;
	if (error == 0)
		retval[0] = n;
out_free:
	if (fds != NULL)
		kmem_free(fds, sz);
	return error;
}

static const struct rump_sysent socket_sysents[] = {
	{ .se_num = SYS___socket30, .se_call = sys_socket, .se_name = "socket" },
	{ .se_num = SYS_bind, .se_call = sys_bind, .se_name = "bind" },
	{ .se_num = SYS_connect, .se_call = sys_connect, .se_name = "connect" },
	{ .se_num = SYS_getsockname, .se_call = sys_getsockname,
	  .se_name = "getsockname" },
	{ .se_num = SYS_getpeername, .se_call = sys_getpeername,
	  .se_name = "getpeername" },
	{ .se_num = SYS_sendto, .se_call = sys_sendto, .se_name = "sendto" },
	{ .se_num = SYS_recvfrom, .se_call = sys_recvfrom,
	  .se_name = "recvfrom" },
	{ .se_num = SYS_setsockopt, .se_call = sys_setsockopt,
	  .se_name = "setsockopt" },
	{ .se_num = SYS_getsockopt, .se_call = sys_getsockopt,
	  .se_name = "getsockopt" },
	{ .se_num = SYS_shutdown, .se_call = sys_shutdown,
	  .se_name = "shutdown" },
	{ .se_num = SYS_poll, .se_call = sys_poll, .se_name = "poll" },
	{ .se_num = SYS_listen, .se_call = sys_listen, .se_name = "listen" },
	{ .se_num = SYS_accept, .se_call = sys_accept, .se_name = "accept" },
	{ .se_num = SYS_paccept, .se_call = sys_paccept,
	  .se_name = "paccept" },
};

int
socket_sys_init(void)
{
	return syscall_establish(socket_sysents, __arraycount(socket_sysents));
}

void
socket_sys_fini(void)
{
	syscall_disestablish(socket_sysents, __arraycount(socket_sysents));
}

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_socket(int domain, int type, int protocol)
{
	struct sys_socket_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, domain) = domain;
	SCARG(&a, type) = type;
	SCARG(&a, protocol) = protocol;
	return (int)rsys_call(sys_socket, &a);
}

int
rump_sys_bind(int s, const struct rump_sockaddr *name, rump_socklen_t len)
{
	struct sys_bind_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, name) = (const struct sockaddr *)name;
	SCARG(&a, namelen) = len;
	return (int)rsys_call(sys_bind, &a);
}

int
rump_sys_connect(int s, const struct rump_sockaddr *name, rump_socklen_t len)
{
	struct sys_bind_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, name) = (const struct sockaddr *)name;
	SCARG(&a, namelen) = len;
	return (int)rsys_call(sys_connect, &a);
}

int
rump_sys_getsockname(int s, struct rump_sockaddr *name,
    rump_socklen_t *lenp)
{
	struct sys_getsockname_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, fdes) = s;
	SCARG(&a, asa) = (struct sockaddr *)name;
	SCARG(&a, alen) = lenp;
	return (int)rsys_call(sys_getsockname, &a);
}

int
rump_sys_getpeername(int s, struct rump_sockaddr *name,
    rump_socklen_t *lenp)
{
	struct sys_getsockname_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, fdes) = s;
	SCARG(&a, asa) = (struct sockaddr *)name;
	SCARG(&a, alen) = lenp;
	return (int)rsys_call(sys_getpeername, &a);
}

rump_ssize_t
rump_sys_sendto(int s, const void *buf, rump_size_t len, int flags,
    const struct rump_sockaddr *to, rump_socklen_t tolen)
{
	struct sys_sendto_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, buf) = buf;
	SCARG(&a, len) = len;
	SCARG(&a, flags) = flags;
	SCARG(&a, to) = (const struct sockaddr *)to;
	SCARG(&a, tolen) = tolen;
	return (rump_ssize_t)rsys_call(sys_sendto, &a);
}

rump_ssize_t
rump_sys_recvfrom(int s, void *buf, rump_size_t len, int flags,
    struct rump_sockaddr *from, rump_socklen_t *fromlenp)
{
	struct sys_recvfrom_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, buf) = buf;
	SCARG(&a, len) = len;
	SCARG(&a, flags) = flags;
	SCARG(&a, from) = (struct sockaddr *)from;
	SCARG(&a, fromlenaddr) = fromlenp;
	return (rump_ssize_t)rsys_call(sys_recvfrom, &a);
}

int
rump_sys_setsockopt(int s, int level, int name, const void *val,
    rump_socklen_t len)
{
	struct sys_setsockopt_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, level) = level;
	SCARG(&a, name) = name;
	SCARG(&a, val) = val;
	SCARG(&a, valsize) = len;
	return (int)rsys_call(sys_setsockopt, &a);
}

int
rump_sys_getsockopt(int s, int level, int name, void *val,
    rump_socklen_t *lenp)
{
	struct sys_getsockopt_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, level) = level;
	SCARG(&a, name) = name;
	SCARG(&a, val) = val;
	SCARG(&a, avalsize) = lenp;
	return (int)rsys_call(sys_getsockopt, &a);
}

int
rump_sys_shutdown(int s, int how)
{
	struct sys_shutdown_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, how) = how;
	return (int)rsys_call(sys_shutdown, &a);
}

int
rump_sys_poll(struct rump_pollfd *fds, rump_nfds_t nfds, int timeout)
{
	struct sys_poll_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, fds) = (struct pollfd_k *)fds;
	SCARG(&a, nfds) = nfds;
	SCARG(&a, timeout) = timeout;
	return (int)rsys_call(sys_poll, &a);
}

int
rump_sys_listen(int s, int backlog)
{
	struct sys_listen_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, backlog) = backlog;
	return (int)rsys_call(sys_listen, &a);
}

int
rump_sys_accept(int s, struct rump_sockaddr *name, rump_socklen_t *lenp)
{
	struct sys_accept_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, name) = (struct sockaddr *)name;
	SCARG(&a, anamelen) = lenp;
	return (int)rsys_call(sys_accept, &a);
}

int
rump_sys_paccept(int s, struct rump_sockaddr *name, rump_socklen_t *lenp,
    const void *sigmask, int flags)
{
	struct sys_accept_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, s) = s;
	SCARG(&a, name) = (struct sockaddr *)name;
	SCARG(&a, anamelen) = lenp;
	SCARG(&a, mask) = sigmask;
	SCARG(&a, flags) = flags;
	return (int)rsys_call(sys_paccept, &a);
}
