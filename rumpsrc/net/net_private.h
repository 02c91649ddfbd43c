/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net_private.h: what the files of rumpsrc/net share and nothing else
 * includes: the boot/shutdown hooks net_init.c calls in order, and
 * internal counters.
 */
#ifndef _NET_NET_PRIVATE_H_
#define _NET_NET_PRIVATE_H_

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

struct socket;
struct fileops;

/* mbuf.c: count an m_pullup that moved data (failed: it failed). */
void	mbuf_note_pullup(bool failed);

/* if.c */
int	if_init_list(void);
void	if_fini_list(void);

/* if_loop.c: create/destroy lo0 with 127.0.0.1/8. */
int	loop_attach(void);
void	loop_detach(void);

/* socket_syscalls.c: register the socket system calls. */
int	socket_sys_init(void);
void	socket_sys_fini(void);
/*
 * Helpers of the socket system calls, shared with socket_msg.c.
 * sock_getsock: the socket of descriptor fd with its file held
 * (fd_putfile), EBADF/ENOTSOCK.  sock_addr_in: copy a caller's sockaddr
 * of len bytes into a kmem buffer of SOCK_MAXADDRLEN (EINVAL, EFAULT);
 * free it with sock_addr_free (NULL is fine).  sock_addr_out: copy salen
 * bytes of sa out to uaddr truncated to *ulenp, then store salen there.
 */
#define SOCK_MAXADDRLEN	128	/* largest sockaddr accepted */
struct file;
struct sockaddr;
int	sock_getsock(int fd, struct file **fpp, struct socket **sop);
int	sock_addr_in(const struct sockaddr *uaddr, socklen_t len,
	    struct sockaddr **sap);
void	sock_addr_free(struct sockaddr *sa);
int	sock_addr_out(const struct sockaddr *sa, socklen_t salen,
	    struct sockaddr *uaddr, socklen_t *ulenp);

/* socket_msg.c: sendmsg/recvmsg; socket_select.c: select. */
int	socket_msg_init(void);
void	socket_msg_fini(void);
int	socket_select_init(void);
void	socket_select_fini(void);

/* netconfig.c: the configuration internals shared with netconfig_dhcp.c
 * (net_lock held): add addr/mask to ifp, and (gw not INADDR_ANY) make gw
 * the default route; an added address is removed again when the route
 * fails. */
struct ifnet;
int	netconfig_ipv4_apply(struct ifnet *ifp, struct in_addr addr,
	    struct in_addr mask, struct in_addr gw);

/* socket.c */
int	socket_layer_init(void);
void	socket_layer_fini(void);
/* Data bytes waiting in so's receive buffer (takes net_lock). */
u_int	socket_rcv_bytes(struct socket *so);

/* socket.c: the list of all sockets (net_lock held). */
void	so_list_insert(struct socket *so);
void	so_list_remove(struct socket *so);

/* socket_stream.c: the stream (PR_CONNREQUIRED) paths of socket.c. */
struct uio;
int	so_stream_send(struct socket *so, struct uio *uio, int flags,
	    bool nbio);
int	so_stream_receive(struct socket *so, struct uio *uio, int *flagsp,
	    bool nbio);
/* net_lock held; the socket may be freed on return. */
void	so_stream_close(struct socket *so);
int	so_stream_poll(struct socket *so, int events);	/* net_lock held */
/* Off its listener's queue, if on one (net_lock held). */
void	so_stream_unqueue(struct socket *so);

/* socket_file.c: fileops of socket descriptors. */
extern const struct fileops socketops;

#endif /* _NET_NET_PRIVATE_H_ */
