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

/* socket_file.c: fileops of socket descriptors. */
extern const struct fileops socketops;

#endif /* _NET_NET_PRIVATE_H_ */
