/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/mbuf.h: packet buffers (net/mbuf.c, net/mbuf_ops.c).
 *
 * A packet is a chain of mbufs linked by m_next; packets are queued by
 * m_nextpkt.  Each mbuf is one MSIZE-byte object: a header and an inline
 * data area of MLEN bytes; for bigger data an mbuf owns an external
 * cluster of MCLBYTES (M_EXT).  Clusters are never shared: a copy is a
 * deep copy, so whoever holds an mbuf may write into it.  The first mbuf
 * of a packet carries a packet header (M_PKTHDR): the total length and
 * the receive interface.
 *
 * Ownership: a function that takes an mbuf chain owns it from then on,
 * on success and on failure alike (it frees what it does not pass on);
 * a function returning a chain gives it to the caller.  m_pullup and
 * m_prepend free the chain when they fail and return NULL.
 *
 * Allocation (net/mbuf.c) draws mbufs and clusters from kmem, counts
 * them, and refuses past a global limit (M_NOWAIT returns NULL and the
 * caller counts a drop; M_WAITOK waits for a free buffer).  Callable from
 * any thread holding a rump CPU; M_WAITOK only where sleeping is allowed
 * (system calls, not softints or callouts).  net's shutdown reports mbufs
 * still allocated (a leak) and mbuf_getstats lets tests check for them.
 */
#ifndef _SYS_MBUF_H_
#define _SYS_MBUF_H_

#include <sys/types.h>

struct ifnet;

#define MSIZE		256		/* one mbuf, header included */
#define MCLBYTES	2048		/* one external cluster */

struct pkthdr {
	int		len;		/* total bytes of the packet */
	struct ifnet	*rcvif;		/* receiving interface or NULL */
	uint32_t	csum_flags;	/* M_CSUM_* */
};

/* Header of every mbuf; the data area follows. */
struct m_hdr {
	struct mbuf	*mh_next;	/* next buffer of this packet */
	struct mbuf	*mh_nextpkt;	/* next packet in a queue */
	uint8_t		*mh_data;	/* first valid byte */
	int		mh_len;		/* valid bytes here */
	short		mh_flags;	/* M_* */
	short		mh_type;	/* MT_* */
	uint8_t		*mh_extbuf;	/* cluster, with M_EXT */
	struct pkthdr	mh_pkthdr;	/* valid with M_PKTHDR */
};

#define MLEN		((int)(MSIZE - sizeof(struct m_hdr)))
#define MHLEN		MLEN		/* the header is always present */

struct mbuf {
	struct m_hdr	m_hdr;
	uint8_t		m_dat[MSIZE - sizeof(struct m_hdr)];
};

#define m_next		m_hdr.mh_next
#define m_nextpkt	m_hdr.mh_nextpkt
#define m_data		m_hdr.mh_data
#define m_len		m_hdr.mh_len
#define m_flags		m_hdr.mh_flags
#define m_type		m_hdr.mh_type
#define m_extbuf	m_hdr.mh_extbuf
#define m_pkthdr	m_hdr.mh_pkthdr

/* m_flags */
#define M_EXT		0x0001		/* data in a cluster */
#define M_PKTHDR	0x0002		/* first mbuf of a packet */
#define M_BCAST		0x0010		/* received as link broadcast */
#define M_MCAST		0x0020		/* received as link multicast */
#define M_LOOP		0x0040		/* came through a loopback */
#define M_COPYFLAGS	(M_PKTHDR | M_BCAST | M_MCAST | M_LOOP)

/* m_type */
#define MT_FREE		0
#define MT_DATA		1
#define MT_HEADER	2
#define MT_SONAME	3		/* a socket address (socket queues) */
#define MT_CONTROL	4

/* m_pkthdr.csum_flags */
#define M_CSUM_IPV4_OK	0x0001		/* IP header checksum verified */

/* allocation flags */
#define M_WAITOK	0x01
#define M_NOWAIT	0x02

#define mtod(m, t)	((t)((m)->m_data))
#define M_BUFSTART(m)	((m)->m_flags & M_EXT ? (m)->m_extbuf : (m)->m_dat)
#define M_BUFSIZE(m)	((m)->m_flags & M_EXT ? MCLBYTES : MLEN)
#define M_LEADINGSPACE(m) ((int)((m)->m_data - M_BUFSTART(m)))
#define M_TRAILINGSPACE(m) \
	((int)(M_BUFSTART(m) + M_BUFSIZE(m) - ((m)->m_data + (m)->m_len)))

/* Allocation (net/mbuf.c). */
struct mbuf *m_get(int how, int type);
struct mbuf *m_gethdr(int how, int type);
/* A packet-header mbuf with a cluster attached. */
struct mbuf *m_getcl(int how, int type);
/* Attach a cluster to m (which has none); false when none is free. */
bool	m_clget(struct mbuf *m, int how);
struct mbuf *m_free(struct mbuf *m);	/* returns m->m_next */
void	m_freem(struct mbuf *m);	/* the whole chain; NULL is fine */
void	m_freem_queue(struct mbuf *m);	/* a m_nextpkt list of chains */

/* Operations (net/mbuf_ops.c).  Preconditions: see each. */
/* Leave len bytes of headroom in an empty mbuf (len <= buffer size). */
void	m_reserve(struct mbuf *m, int len);
/* Make the first len bytes contiguous in the first mbuf; NULL (chain
 * freed) when impossible (len > packet or > MHLEN-cluster) or no memory. */
struct mbuf *m_pullup(struct mbuf *m, int len);
/* Prepend len bytes (uninitialised) to the packet; NULL on failure
 * (chain freed).  Uses headroom when there is some. */
struct mbuf *m_prepend(struct mbuf *m, int len, int how);
/* Trim len bytes from the head (len > 0) or -len from the tail. */
void	m_adj(struct mbuf *m, int len);
/* Copy len bytes at off out of the chain; the range must exist. */
void	m_copydata(const struct mbuf *m, int off, int len, void *buf);
/* Write len bytes at off, extending the chain (and pkthdr.len) as needed;
 * ENOBUFS when it cannot grow (the chain is then unchanged in length). */
int	m_copyback(struct mbuf *m, int off, int len, const void *buf, int how);
/* A new packet holding a copy of len bytes at off (M_COPYALL: to the
 * end), with a copy of the packet header if m has one; NULL on failure. */
#define M_COPYALL	(-1)
struct mbuf *m_copym(const struct mbuf *m, int off, int len, int how);
/* A packet from a flat buffer, with headroom bytes reserved in front. */
struct mbuf *m_devget(const void *buf, int len, int headroom,
	    struct ifnet *rcvif, int how);
/* Append chain n to chain m (lengths: the caller fixes pkthdr.len). */
void	m_cat(struct mbuf *m, struct mbuf *n);
/* Sum of m_len over the chain. */
int	m_length(const struct mbuf *m);
/* Check the chain's invariants (for assertions): pkthdr.len == sum. */
bool	m_check(const struct mbuf *m);

struct mbuf_stats {
	uint64_t	ms_mbufs;	/* mbufs allocated now */
	uint64_t	ms_clusters;	/* clusters allocated now */
	uint64_t	ms_allocs;	/* total successful allocations */
	uint64_t	ms_drops;	/* allocations refused */
	uint64_t	ms_pullups;	/* m_pullup calls that moved data */
	uint64_t	ms_pullup_fail;
};
void	mbuf_getstats(struct mbuf_stats *st);

/* Boot/shutdown (net/net_init.c); fini returns the leaked count. */
int	mbuf_init(void);
uint64_t mbuf_fini(void);
extern u_int mbuf_limit;	/* mbufs + clusters allowed at once */

#endif /* _SYS_MBUF_H_ */
