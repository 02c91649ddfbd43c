/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_tcp.h: helpers shared by the kernel-side TCP tests
 * (kt_net_tcp.c, kt_net_tcp_xfer.c), implemented in kt_net_tcp_util.c.
 *
 * The lo0 hook takes over lo0's driver start routine for the duration of
 * a test: segments for a captured address (a fake peer, e.g. 127.0.0.2)
 * are kept for the test to inspect instead of looping back; everything
 * else loops back as usual, after seeded loss, duplication and
 * reordering when asked.  Kernel sockets are driven with the socket
 * layer's own calls on kernel buffers.
 */
#ifndef _TESTS_KERN_KT_NET_TCP_H_
#define _TESTS_KERN_KT_NET_TCP_H_

#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

struct mbuf;
struct socket;

struct kt_lohook {
	struct in_addr	lh_capture;	/* dst kept for the test (0: none) */
	u_int		lh_loss;	/* percent */
	u_int		lh_dup;		/* percent */
	u_int		lh_reorder;	/* percent */
	bool		lh_drop_all;
	uint32_t	lh_seed;
	/* counters (net_lock) */
	u_int		lh_lost, lh_duped, lh_reordered, lh_captured;
	/* private */
	struct mbuf	*lh_held;	/* reordered: sent after the next */
	struct mbuf	*lh_caphead, **lh_captail;
	void		(*lh_saved_start)(struct ifnet *);
};

/* Install/remove (net_lock NOT held); remove frees what is captured. */
void	kt_lohook_install(struct kt_lohook *h);
void	kt_lohook_remove(struct kt_lohook *h);
/* Take the oldest captured packet (net_lock held), NULL if none. */
struct mbuf *kt_lohook_take(struct kt_lohook *h);

/* A parsed TCP segment (from a captured IP packet). */
struct kt_seg {
	tcp_seq		ks_seq, ks_ack;
	int		ks_flags;
	uint32_t	ks_win;
	int		ks_len;
	bool		ks_have_ts;
	uint32_t	ks_tsval, ks_tsecr;
	uint16_t	ks_mss;
	int		ks_ws;		/* -1: none */
};
/* Parse and free m; false if it is not a sane TCP segment. */
bool	kt_seg_parse(struct mbuf *m, struct kt_seg *ks);

/* Build a segment from 127.0.0.2:sport to 127.0.0.1:dport (IP header
 * included, checksum right); opts: KT_OPT_* bits. */
#define KT_OPT_MSS	0x1
#define KT_OPT_WS	0x2
#define KT_OPT_TS	0x4
struct mbuf *kt_seg_build(uint16_t sport, uint16_t dport, tcp_seq seq,
	    tcp_seq ack, int flags, uint16_t win, int opts, uint32_t tsval,
	    uint32_t tsecr, const void *data, int len);
/* Feed a segment to tcp_input (net_lock NOT held). */
void	kt_seg_input(struct mbuf *m);

#define KT_PEER		0x7f000002u	/* 127.0.0.2, host order */

/* Kernel sockets (net_lock NOT held). */
int	kt_tcp_listen(uint16_t port, int backlog, struct socket **sop);
int	kt_tcp_connect(uint16_t port, bool nbio, struct socket **sop);
int	kt_so_send(struct socket *so, const void *buf, size_t len,
	    size_t *sent);
int	kt_so_recv(struct socket *so, void *buf, size_t len, int flags,
	    size_t *got);

#endif /* _TESTS_KERN_KT_NET_TCP_H_ */
