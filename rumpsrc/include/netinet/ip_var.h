/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/ip_var.h: the IPv4 layer's kernel interface (netinet/ip_*.c,
 * ip_icmp.c, udp_*.c) as used by the link layer, sockets and tests:
 * entry points, statistics, tunables.
 *
 * Every function here requires net_lock and owns the mbuf chain it is
 * given (it frees it, passes it on or queues it).  Counters are plain
 * integers updated under net_lock.
 */
#ifndef _NETINET_IP_VAR_H_
#define _NETINET_IP_VAR_H_

#include <sys/types.h>
#include <netinet/in.h>

struct ifnet;
struct mbuf;

/* Input of one IPv4 packet received on ifp (from the link layer). */
void	ip_input(struct ifnet *ifp, struct mbuf *m);

/*
 * Output a packet whose IPv4 header is filled in (version/length,
 * ip_len, ip_p, ip_ttl, ip_tos, ip_dst; ip_src may be INADDR_ANY: it is
 * then the outgoing interface's address).  ip_output chooses the route,
 * sets ip_id and the checksum, and fragments when the packet exceeds the
 * interface MTU (EMSGSIZE with IP_DF).
 */
#define IP_ALLOWBROADCAST	0x0001
#define IP_KEEPID		0x0002	/* ip_id is already set */
int	ip_output(struct mbuf *m, int flags);
/*
 * The same, for a socket bound to interface ifp (NULL: ip_output): a
 * limited broadcast (255.255.255.255) leaves through ifp with the source
 * as given, 0.0.0.0 included (DHCP); any other destination must route
 * through ifp (else ENETUNREACH).  Unbound limited broadcasts
 * leave through in_bcast_ifp()'s choice (netinet/in.h).
 */
int	ip_output_if(struct mbuf *m, int flags, struct ifnet *ifp);

/*
 * Bind a UDP socket to the interface with index ifindex (0: unbind):
 * it then sends only through that interface (ip_output_if) and receives
 * only what arrived on it.  Its limited broadcasts have the interface's
 * first address as source, or 0.0.0.0 while it has none, or always with
 * IN_BINDIF_SRCANY (a DHCP client before it is bound, RFC 2131 4.1).
 * Kernel-internal (no socket option reaches it): the DHCP client uses
 * it.  Thread context, net_lock NOT held.  EOPNOTSUPP for other
 * protocols, ENXIO for an unknown index, EINVAL for unknown flags.
 */
#define IN_BINDIF_SRCANY	0x01
struct socket;
int	in_socket_bindif(struct socket *so, u_int ifindex, int flags);

/* Next IP id (for callers building headers). */
uint16_t ip_newid(void);

/* Send an ICMP error about packet m (the offending packet, IP header at
 * the front); consumes m.  mtu for ICMP_UNREACH_NEEDFRAG. */
void	icmp_error(struct mbuf *m, int type, int code, u_int mtu);

/* Internet checksum of len bytes of the chain from off, added to sum. */
uint16_t in_cksum(const struct mbuf *m, int off, int len, uint32_t sum);
uint32_t in_cksum_add(uint32_t sum, const void *buf, int len);
/* Pseudo-header sum for UDP/TCP (addresses network order, len host). */
uint32_t in_pseudo(struct in_addr src, struct in_addr dst, uint8_t proto,
	    uint16_t len);

enum ip_stat {
	IPS_TOTAL,	/* packets received */
	IPS_TOOSHORT,	/* shorter than a header or than ip_len */
	IPS_BADVERS,
	IPS_BADHLEN,
	IPS_BADSUM,
	IPS_BADLEN,	/* ip_len smaller than the header */
	IPS_BADOPTIONS,
	IPS_BADADDR,	/* martian source */
	IPS_NOTFORUS,	/* not ours (we do not forward) */
	IPS_NOPROTO,
	IPS_DELIVERED,
	IPS_FRAGMENTS,	/* fragments received */
	IPS_FRAGDROPPED,
	IPS_FRAGOVERLAP,
	IPS_FRAGTIMEOUT,
	IPS_REASSEMBLED,
	IPS_LOCALOUT,
	IPS_NOROUTE,
	IPS_OFRAGMENTS,	/* fragments sent */
	IPS_FRAGMENTED,	/* packets fragmented */
	IPS_CANTFRAG,	/* DF set, too big */
	IPS_ODROPPED,	/* no buffers */
	IPS_NSTATS
};
extern uint64_t ipstat[IPS_NSTATS];

enum icmp_stat {
	ICMPS_INPUT, ICMPS_BADSUM, ICMPS_TOOSHORT, ICMPS_ECHOREPLIES,
	ICMPS_ERRORS,		/* errors sent */
	ICMPS_OLDICMP,		/* error not sent: about an ICMP error */
	ICMPS_RATELIMITED,
	ICMPS_NSTATS
};
extern uint64_t icmpstat[ICMPS_NSTATS];

enum udp_stat {
	UDPS_IPACKETS, UDPS_HDROPS, UDPS_BADSUM, UDPS_BADLEN, UDPS_NOPORT,
	UDPS_NOPORTBCAST, UDPS_FULLSOCK, UDPS_OPACKETS,
	UDPS_NSTATS
};
extern uint64_t udpstat[UDPS_NSTATS];

/* Reassembly bounds and timeout (tunable by tests). */
struct ip_reass_params {
	u_int	rp_maxqueues;	/* datagrams being reassembled */
	u_int	rp_maxfrags;	/* fragments per datagram */
	u_int	rp_timeout_ms;
};
extern struct ip_reass_params ip_reass_params;
u_int	ip_reass_count(void);	/* datagrams pending */

#endif /* _NETINET_IP_VAR_H_ */
