/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket_abi.c: compile-time checks that the public socket ABI
 * (rump/rumpdefs.h) and the kernel's own headers agree on every value,
 * size and offset.  No code.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/filio.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <rump/rumpdefs.h>

#define SAME(a, b)	__CTASSERT((a) == (b))

SAME(RUMP_AF_INET, AF_INET);
SAME(RUMP_AF_UNSPEC, AF_UNSPEC);
SAME(RUMP_SOCK_STREAM, SOCK_STREAM);
SAME(RUMP_SOCK_DGRAM, SOCK_DGRAM);
SAME(RUMP_SOCK_RAW, SOCK_RAW);
SAME(RUMP_SOCK_CLOEXEC, SOCK_CLOEXEC);
SAME(RUMP_SOCK_NONBLOCK, SOCK_NONBLOCK);
SAME(RUMP_IPPROTO_ICMP, IPPROTO_ICMP);
SAME(RUMP_IPPROTO_UDP, IPPROTO_UDP);
SAME(RUMP_IPPROTO_TCP, IPPROTO_TCP);
SAME(RUMP_IP_TTL, IP_TTL);
SAME(RUMP_IP_TOS, IP_TOS);
SAME(RUMP_SOL_SOCKET, SOL_SOCKET);
SAME(RUMP_SO_REUSEADDR, SO_REUSEADDR);
SAME(RUMP_SO_REUSEPORT, SO_REUSEPORT);
SAME(RUMP_SO_KEEPALIVE, SO_KEEPALIVE);
SAME(RUMP_SO_BROADCAST, SO_BROADCAST);
SAME(RUMP_SO_LINGER, SO_LINGER);
SAME(RUMP_SO_SNDBUF, SO_SNDBUF);
SAME(RUMP_SO_RCVBUF, SO_RCVBUF);
SAME(RUMP_SO_ERROR, SO_ERROR);
SAME(RUMP_SO_TYPE, SO_TYPE);
SAME(RUMP_SO_SNDTIMEO, SO_SNDTIMEO);
SAME(RUMP_SO_RCVTIMEO, SO_RCVTIMEO);
SAME(RUMP_MSG_PEEK, MSG_PEEK);
SAME(RUMP_MSG_TRUNC, MSG_TRUNC);
SAME(RUMP_MSG_DONTWAIT, MSG_DONTWAIT);
SAME(RUMP_SHUT_RD, SHUT_RD);
SAME(RUMP_SHUT_WR, SHUT_WR);
SAME(RUMP_SHUT_RDWR, SHUT_RDWR);
SAME(RUMP_EPIPE, EPIPE);
SAME(RUMP_ENOTSOCK, ENOTSOCK);
SAME(RUMP_EDESTADDRREQ, EDESTADDRREQ);
SAME(RUMP_EMSGSIZE, EMSGSIZE);
SAME(RUMP_EPROTOTYPE, EPROTOTYPE);
SAME(RUMP_ENOPROTOOPT, ENOPROTOOPT);
SAME(RUMP_EPROTONOSUPPORT, EPROTONOSUPPORT);
SAME(RUMP_EAFNOSUPPORT, EAFNOSUPPORT);
SAME(RUMP_EADDRINUSE, EADDRINUSE);
SAME(RUMP_EADDRNOTAVAIL, EADDRNOTAVAIL);
SAME(RUMP_ENETUNREACH, ENETUNREACH);
SAME(RUMP_ENOBUFS, ENOBUFS);
SAME(RUMP_EISCONN, EISCONN);
SAME(RUMP_ENOTCONN, ENOTCONN);
SAME(RUMP_ECONNREFUSED, ECONNREFUSED);
SAME(RUMP_EHOSTUNREACH, EHOSTUNREACH);

SAME(sizeof(struct rump_sockaddr), sizeof(struct sockaddr));
SAME(sizeof(struct rump_sockaddr_in), sizeof(struct sockaddr_in));
SAME(offsetof(struct rump_sockaddr_in, sin_len),
    offsetof(struct sockaddr_in, sin_len));
SAME(offsetof(struct rump_sockaddr_in, sin_family),
    offsetof(struct sockaddr_in, sin_family));
SAME(offsetof(struct rump_sockaddr_in, sin_port),
    offsetof(struct sockaddr_in, sin_port));
SAME(offsetof(struct rump_sockaddr_in, sin_addr),
    offsetof(struct sockaddr_in, sin_addr));
SAME(sizeof(rump_socklen_t), sizeof(socklen_t));

/* Stream sockets. */
SAME(RUMP_SO_ACCEPTCONN, SO_ACCEPTCONN);
SAME(RUMP_SOMAXCONN, SOMAXCONN);
SAME(RUMP_TCP_NODELAY, TCP_NODELAY);
SAME(RUMP_TCP_MAXSEG, TCP_MAXSEG);
SAME(RUMP_TCP_KEEPIDLE, TCP_KEEPIDLE);
SAME(RUMP_TCP_KEEPINTVL, TCP_KEEPINTVL);
SAME(RUMP_TCP_KEEPCNT, TCP_KEEPCNT);
SAME(RUMP_TCP_KEEPINIT, TCP_KEEPINIT);
SAME(RUMP_EINPROGRESS, EINPROGRESS);
SAME(RUMP_EALREADY, EALREADY);
SAME(RUMP_ECONNABORTED, ECONNABORTED);
SAME(RUMP_ECONNRESET, ECONNRESET);
SAME(RUMP_ETIMEDOUT, ETIMEDOUT);
SAME(sizeof(struct rump_linger), sizeof(struct linger));
SAME(offsetof(struct rump_linger, l_onoff), offsetof(struct linger, l_onoff));
SAME(offsetof(struct rump_linger, l_linger),
    offsetof(struct linger, l_linger));
SAME(sizeof(struct rump_pollfd), 8);

/* Messages, ioctl, select (socket_msg.c, vfs/sys_ioctl.c, socket_select.c) */
SAME(RUMP_MSG_OOB, MSG_OOB);
SAME(RUMP_MSG_DONTROUTE, MSG_DONTROUTE);
SAME(RUMP_MSG_EOR, MSG_EOR);
SAME(RUMP_MSG_CTRUNC, MSG_CTRUNC);
SAME(RUMP_MSG_WAITALL, MSG_WAITALL);
SAME(RUMP_MSG_NOSIGNAL, MSG_NOSIGNAL);
SAME(sizeof(struct rump_msghdr), sizeof(struct msghdr));
SAME(offsetof(struct rump_msghdr, msg_name), offsetof(struct msghdr, msg_name));
SAME(offsetof(struct rump_msghdr, msg_namelen),
    offsetof(struct msghdr, msg_namelen));
SAME(offsetof(struct rump_msghdr, msg_iov), offsetof(struct msghdr, msg_iov));
SAME(offsetof(struct rump_msghdr, msg_iovlen),
    offsetof(struct msghdr, msg_iovlen));
SAME(offsetof(struct rump_msghdr, msg_control),
    offsetof(struct msghdr, msg_control));
SAME(offsetof(struct rump_msghdr, msg_controllen),
    offsetof(struct msghdr, msg_controllen));
SAME(offsetof(struct rump_msghdr, msg_flags),
    offsetof(struct msghdr, msg_flags));
SAME(sizeof(struct rump_iovec), sizeof(struct iovec));
SAME(offsetof(struct rump_iovec, iov_len), offsetof(struct iovec, iov_len));
SAME(sizeof(struct rump_cmsghdr), sizeof(struct cmsghdr));
SAME(offsetof(struct rump_cmsghdr, cmsg_level),
    offsetof(struct cmsghdr, cmsg_level));
SAME(offsetof(struct rump_cmsghdr, cmsg_type),
    offsetof(struct cmsghdr, cmsg_type));
SAME(RUMP_CMSG_ALIGN(13), CMSG_ALIGN(13));
SAME(RUMP_FIOCLEX, FIOCLEX);
SAME(RUMP_FIONCLEX, FIONCLEX);
SAME(RUMP_FIONREAD, FIONREAD);
SAME(RUMP_FIONBIO, FIONBIO);
SAME(sizeof(rump_fd_set), RUMP_FD_SETSIZE / 8);
SAME(RUMP_NFDBITS, 32);		/* socket_select.c's SEL_NFDBITS */
SAME(sizeof(struct rump_timeval), 16);	/* socket_select.c's timeval_k */
SAME(RUMP_ENOTTY, ENOTTY);
SAME(RUMP_EACCES, EACCES);
SAME(RUMP_ETIMEDOUT, ETIMEDOUT);
SAME(RUMP_EOPNOTSUPP, EOPNOTSUPP);
