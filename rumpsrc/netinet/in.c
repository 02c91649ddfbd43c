/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * in.c: IPv4 addresses configured on interfaces (netinet/in.h).
 *
 * An interface may carry several addresses; each adds the route to its
 * subnet (RTF_CONNECTED) and, on Ethernet, is announced with a
 * gratuitous ARP.  Called by configuration (net/netconfig.c), by the
 * loopback's attach, by if_detach (purge) and by the protocols (is this
 * address ours? is it a broadcast?).  Everything under net_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>
#include <netinet/in.h>

#include "inet_private.h"

struct in_ifaddr_head in_ifaddr_list;

int
in_init(void)
{
	TAILQ_INIT(&in_ifaddr_list);
	return 0;
}

void
in_fini(void)
{
	KASSERT(TAILQ_EMPTY(&in_ifaddr_list));
}

struct in_ifaddr *
in_ifaddr_lookup(struct in_addr a)
{
	struct in_ifaddr *ia;

	NET_ASSERT_LOCKED();
	TAILQ_FOREACH(ia, &in_ifaddr_list, ia_list) {
		if (ia->ia_addr.s_addr == a.s_addr)
			return ia;
	}
	return NULL;
}

struct in_ifaddr *
in_ifaddr_first(struct ifnet *ifp)
{
	NET_ASSERT_LOCKED();
	return TAILQ_FIRST(&ifp->if_addrlist);
}

bool
in_broadcast(struct in_addr a, struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	NET_ASSERT_LOCKED();
	if (a.s_addr == INADDR_BROADCAST || a.s_addr == INADDR_ANY)
		return true;
	if (ifp == NULL || !(ifp->if_flags & IFF_BROADCAST))
		return false;
	TAILQ_FOREACH(ia, &ifp->if_addrlist, ia_ifentry) {
		if (a.s_addr == ia->ia_broadcast.s_addr ||
		    a.s_addr == ia->ia_net.s_addr)
			return true;
	}
	return false;
}

struct ifnet *
in_bcast_ifp(void)
{
	struct ifnet *ifp;

	NET_ASSERT_LOCKED();
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if ((ifp->if_flags & (IFF_UP | IFF_BROADCAST)) ==
		    (IFF_UP | IFF_BROADCAST) &&
		    !TAILQ_EMPTY(&ifp->if_addrlist))
			return ifp;
	}
	return NULL;
}

int
in_ifaddr_add(struct ifnet *ifp, struct in_addr addr, struct in_addr mask)
{
	struct in_ifaddr *ia;
	struct in_addr net, none = { INADDR_ANY };
	int plen, error;

	NET_ASSERT_LOCKED();
	plen = rt_mask_plen(mask);
	if (plen < 0 || addr.s_addr == INADDR_ANY ||
	    addr.s_addr == INADDR_BROADCAST || IN_MULTICAST(ntohl(addr.s_addr)))
		return EINVAL;
	if (in_ifaddr_lookup(addr) != NULL)
		return EEXIST;
	net.s_addr = addr.s_addr & mask.s_addr;
	/* The subnet route; a second address in an existing subnet of the
	 * same interface shares it. */
	error = rt_add(net, mask, none, ifp, RTF_CONNECTED);
	if (error == EEXIST) {
		struct rtentry *rt = rt_lookup(addr);
		if (rt == NULL || rt->rt_ifp != ifp ||
		    rt->rt_plen != (u_int)plen)
			return EEXIST;
	} else if (error != 0) {
		return error;
	}
	ia = kmem_zalloc(sizeof(*ia), KM_SLEEP);
	ia->ia_ifp = ifp;
	ia->ia_addr = addr;
	ia->ia_mask = mask;
	ia->ia_net = net;
	ia->ia_broadcast.s_addr = net.s_addr | ~mask.s_addr;
	TAILQ_INSERT_TAIL(&ifp->if_addrlist, ia, ia_ifentry);
	TAILQ_INSERT_TAIL(&in_ifaddr_list, ia, ia_list);
	if (ifp->if_type == IFT_ETHER && (ifp->if_flags & IFF_UP))
		arp_announce(ifp, addr);
	return 0;
}

/* Remove one address; drop its subnet route unless another address of
 * the interface is in the same subnet. */
static void
in_ifaddr_free(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifp;
	struct in_ifaddr *other;
	bool shared = false;

	TAILQ_REMOVE(&ifp->if_addrlist, ia, ia_ifentry);
	TAILQ_REMOVE(&in_ifaddr_list, ia, ia_list);
	TAILQ_FOREACH(other, &ifp->if_addrlist, ia_ifentry) {
		if (other->ia_net.s_addr == ia->ia_net.s_addr &&
		    other->ia_mask.s_addr == ia->ia_mask.s_addr)
			shared = true;
	}
	if (!shared)
		(void)rt_delete(ia->ia_net, ia->ia_mask);	/* may be gone */
	kmem_free(ia, sizeof(*ia));
}

int
in_ifaddr_del(struct ifnet *ifp, struct in_addr addr)
{
	struct in_ifaddr *ia;

	NET_ASSERT_LOCKED();
	TAILQ_FOREACH(ia, &ifp->if_addrlist, ia_ifentry) {
		if (ia->ia_addr.s_addr == addr.s_addr) {
			in_ifaddr_free(ia);
			return 0;
		}
	}
	return ENOENT;
}

void
in_ifaddr_purge(struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	NET_ASSERT_LOCKED();
	while ((ia = TAILQ_FIRST(&ifp->if_addrlist)) != NULL)
		in_ifaddr_free(ia);
}

bool
in_aton(const char *s, struct in_addr *a)
{
	uint32_t v = 0;
	u_int part, n;

	for (n = 0; n < 4; n++) {
		if (*s < '0' || *s > '9')
			return false;
		part = 0;
		while (*s >= '0' && *s <= '9') {
			part = part * 10 + (u_int)(*s - '0');
			if (part > 255)
				return false;
			s++;
		}
		v = (v << 8) | part;
		if (n < 3) {
			if (*s != '.')
				return false;
			s++;
		}
	}
	if (*s != '\0')
		return false;
	a->s_addr = htonl(v);
	return true;
}
