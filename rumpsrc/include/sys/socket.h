/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/socket.h: socket addresses and the socket API's constants, with
 * NetBSD's values (the public rump/rumpdefs.h repeats them as RUMP_*;
 * net/socket_abi.c checks both agree at compile time).
 */
#ifndef _SYS_SOCKET_H_
#define _SYS_SOCKET_H_

#include <sys/types.h>

typedef uint32_t	socklen_t;
typedef uint8_t		sa_family_t;

struct sockaddr {
	uint8_t		sa_len;		/* total length */
	sa_family_t	sa_family;
	char		sa_data[14];
};

#define AF_UNSPEC	0
#define AF_LOCAL	1
#define AF_INET		2
#define AF_INET6	24
#define PF_INET		AF_INET

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_CLOEXEC	0x10000000
#define SOCK_NONBLOCK	0x20000000
#define SOCK_FLAGS_MASK	0xf0000000

#define SOL_SOCKET	0xffff
#define SO_DEBUG	0x0001
#define SO_ACCEPTCONN	0x0002
#define SO_REUSEADDR	0x0004
#define SO_KEEPALIVE	0x0008
#define SO_DONTROUTE	0x0010
#define SO_BROADCAST	0x0020
#define SO_LINGER	0x0080
#define SO_REUSEPORT	0x0200
#define SO_SNDBUF	0x1001
#define SO_RCVBUF	0x1002
#define SO_SNDLOWAT	0x1003
#define SO_RCVLOWAT	0x1004
#define SO_ERROR	0x1007
#define SO_TYPE		0x1008
#define SO_SNDTIMEO	0x100b
#define SO_RCVTIMEO	0x100c

#define MSG_OOB		0x0001
#define MSG_PEEK	0x0002
#define MSG_DONTROUTE	0x0004
#define MSG_EOR		0x0008
#define MSG_TRUNC	0x0010
#define MSG_CTRUNC	0x0020
#define MSG_WAITALL	0x0040
#define MSG_DONTWAIT	0x0080
#define MSG_NOSIGNAL	0x0400

/*
 * sendmsg(2)/recvmsg(2) message header (NetBSD layout).  msg_iov points
 * to an array of struct iovec (sys/uio.h).  Ancillary data is a chain of
 * cmsghdr records, each starting CMSG_ALIGN'ed after the previous one.
 */
struct iovec;
struct msghdr {
	void		*msg_name;
	socklen_t	msg_namelen;
	struct iovec	*msg_iov;
	int		msg_iovlen;
	void		*msg_control;
	socklen_t	msg_controllen;
	int		msg_flags;
};

struct cmsghdr {
	socklen_t	cmsg_len;	/* header + data */
	int		cmsg_level;
	int		cmsg_type;
};
#define CMSG_ALIGN(n)	(((n) + sizeof(long) - 1) & ~(sizeof(long) - 1))

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#endif /* _SYS_SOCKET_H_ */
