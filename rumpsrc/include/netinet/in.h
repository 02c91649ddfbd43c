/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/in.h: IPv4 addresses, the IPv4 socket address and protocol
 * numbers (NetBSD values), byte order helpers, and the address
 * configuration calls of netinet/in.c.  Addresses are always kept in
 * network byte order.
 */
#ifndef _NETINET_IN_H_
#define _NETINET_IN_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

struct ifnet;

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_RAW	255
#define IPPROTO_MAX	256

/* IPPROTO_IP options */
#define IP_HDRINCL	2
#define IP_TOS		3
#define IP_TTL		4

struct in_addr {
	uint32_t	s_addr;		/* network order */
};

struct sockaddr_in {
	uint8_t		sin_len;	/* sizeof(struct sockaddr_in) */
	sa_family_t	sin_family;	/* AF_INET */
	uint16_t	sin_port;	/* network order */
	struct in_addr	sin_addr;
	uint8_t		sin_zero[8];
};
__CTASSERT(sizeof(struct sockaddr_in) == 16);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define htons(x)	__builtin_bswap16((uint16_t)(x))
#define htonl(x)	__builtin_bswap32((uint32_t)(x))
#else
#define htons(x)	((uint16_t)(x))
#define htonl(x)	((uint32_t)(x))
#endif
#define ntohs(x)	htons(x)
#define ntohl(x)	htonl(x)

#define INADDR_ANY		((uint32_t)0x00000000)
#define INADDR_BROADCAST	((uint32_t)0xffffffff)
#define INADDR_LOOPBACK		((uint32_t)0x7f000001)	/* host order */
#define IN_LOOPBACKNET		127
#define IN_MULTICAST(a)		(((uint32_t)(a) & 0xf0000000) == 0xe0000000)
#define IN_EXPERIMENTAL(a)	(((uint32_t)(a) & 0xf0000000) == 0xf0000000)

/*
 * An address configured on an interface (netinet/in.c).  On the
 * interface's if_addrlist and the global in_ifaddr_list; under net_lock.
 */
struct in_ifaddr {
	TAILQ_ENTRY(in_ifaddr) ia_ifentry;	/* on ia_ifp->if_addrlist */
	TAILQ_ENTRY(in_ifaddr) ia_list;		/* on in_ifaddr_list */
	struct ifnet	*ia_ifp;
	struct in_addr	ia_addr;
	struct in_addr	ia_mask;
	struct in_addr	ia_net;			/* ia_addr & ia_mask */
	struct in_addr	ia_broadcast;
};
TAILQ_HEAD(in_ifaddr_head, in_ifaddr);
extern struct in_ifaddr_head in_ifaddr_list;

/* All require net_lock. */
/* Add addr/mask to ifp (EEXIST if present) with its connected route. */
int	in_ifaddr_add(struct ifnet *ifp, struct in_addr addr,
	    struct in_addr mask);
int	in_ifaddr_del(struct ifnet *ifp, struct in_addr addr);	/* ENOENT */
void	in_ifaddr_purge(struct ifnet *ifp);
/* The configured address equal to a, or NULL. */
struct in_ifaddr *in_ifaddr_lookup(struct in_addr a);
/* The first address of ifp, or NULL. */
struct in_ifaddr *in_ifaddr_first(struct ifnet *ifp);
/* Is a a broadcast address for ifp (limited or subnet-directed)? */
bool	in_broadcast(struct in_addr a, struct ifnet *ifp);
/*
 * Where an unbound socket's limited broadcast (255.255.255.255) goes:
 * the first interface, in attach order, that is up, broadcast-capable
 * and has an IPv4 address (whose first address is the source); NULL if
 * none (the send fails with ENETUNREACH).
 */
struct ifnet *in_bcast_ifp(void);

/* Text form (a.b.c.d) to address: false if malformed. */
bool	in_aton(const char *s, struct in_addr *a);

#endif /* _NETINET_IN_H_ */
