/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/route.h: the IPv4 routing table (net/route.c).
 *
 * Routes map a destination prefix to an outgoing interface and, for
 * routes through a router, a gateway.  rt_lookup returns the route with
 * the longest prefix covering the destination (a default route is the
 * prefix 0.0.0.0/0).  Entries are kept ordered by prefix length, longest
 * first, so the first match is the answer: a linear scan, fine for the
 * tens of routes a rump kernel has; a trie can replace it behind this
 * interface.
 *
 * Locking: every function requires net_lock; a returned rtentry is valid
 * until net_lock is released.
 */
#ifndef _NET_ROUTE_H_
#define _NET_ROUTE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <netinet/in.h>

struct ifnet;

/* rt_flags (NetBSD values) */
#define RTF_UP		0x0001
#define RTF_GATEWAY	0x0002		/* destination is through rt_gateway */
#define RTF_HOST	0x0004		/* a /32 */
#define RTF_STATIC	0x0800		/* added by configuration */
#define RTF_CONNECTED	0x100000	/* an interface's own subnet */

struct rtentry {
	TAILQ_ENTRY(rtentry) rt_entry;
	struct in_addr	rt_dst;		/* network order, masked */
	struct in_addr	rt_mask;
	u_int		rt_plen;	/* prefix length 0..32 */
	struct in_addr	rt_gateway;	/* with RTF_GATEWAY */
	struct ifnet	*rt_ifp;
	int		rt_flags;
	uint64_t	rt_use;		/* lookups that chose this route */
};

/* Add a route; the interface is found from the gateway when ifp is NULL
 * (ENETUNREACH if no connected route covers it).  EEXIST if the same
 * prefix is present, EINVAL for a non-contiguous mask. */
int	rt_add(struct in_addr dst, struct in_addr mask, struct in_addr gw,
	    struct ifnet *ifp, int flags);
int	rt_delete(struct in_addr dst, struct in_addr mask);	/* ESRCH */
struct rtentry *rt_lookup(struct in_addr dst);			/* or NULL */
void	rt_purge_ifp(struct ifnet *ifp);	/* every route through ifp */
u_int	rt_count(void);
/* Prefix length of a contiguous mask, or -1. */
int	rt_mask_plen(struct in_addr mask);

struct rt_stats {
	uint64_t	rts_lookups;
	uint64_t	rts_unreach;	/* lookups with no route */
};
void	rt_getstats(struct rt_stats *st);

int	route_init(void);
void	route_fini(void);

#endif /* _NET_ROUTE_H_ */
