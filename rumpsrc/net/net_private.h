/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net_private.h: what the files of rumpsrc/net share and nothing else
 * includes: the boot/shutdown hooks net_init.c calls in order, and
 * internal counters.
 */
#ifndef _NET_NET_PRIVATE_H_
#define _NET_NET_PRIVATE_H_

#include <sys/types.h>

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
