/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * in_pcb.c: Internet protocol control blocks (in_pcb.h): allocation,
 * bind with conflict rules and ephemeral ports, connect, lookup for
 * input.  Called by the UDP and raw IP user requests and input paths,
 * with net_lock held.
 *
 * Bind conflicts: two sockets may share a local port only when both set
 * SO_REUSEADDR or SO_REUSEPORT (and then input goes to the most specific
 * match, first bound first); otherwise the same port with equal local
 * addresses, or either one the wildcard, is EADDRINUSE.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "in_pcb.h"

void
in_pcbtable_init(struct inpcbtable *t)
{
	LIST_INIT(&t->it_list);
	t->it_lastport = IPPORT_ANONMIN +
	    (uint16_t)(cprng_u32() % (IPPORT_ANONMAX - IPPORT_ANONMIN));
	t->it_count = 0;
	t->it_flags = 0;
}

void
in_pcbtable_fini(struct inpcbtable *t)
{
	KASSERTMSG(LIST_EMPTY(&t->it_list), "%u pcbs left", t->it_count);
}

int
in_pcballoc(struct socket *so, struct inpcbtable *t)
{
	return in_pcballoc_flags(so, t, KM_SLEEP);
}

int
in_pcballoc_flags(struct socket *so, struct inpcbtable *t, int kmflags)
{
	struct inpcb *inp;

	NET_ASSERT_LOCKED();
	inp = kmem_zalloc(sizeof(*inp), kmflags);
	if (inp == NULL)
		return ENOBUFS;
	inp->inp_table = t;
	inp->inp_socket = so;
	inp->inp_ttl = IP_DEFTTL;
	LIST_INSERT_HEAD(&t->it_list, inp, inp_entry);
	t->it_count++;
	so->so_pcb = inp;
	return 0;
}

void
in_pcbfree(struct inpcb *inp)
{
	NET_ASSERT_LOCKED();
	LIST_REMOVE(inp, inp_entry);
	inp->inp_table->it_count--;
	inp->inp_socket->so_pcb = NULL;
	kmem_free(inp, sizeof(*inp));
}

static bool
in_pcb_reuse(const struct socket *so)
{
	return (so->so_options & (SO_REUSEADDR | SO_REUSEPORT)) != 0;
}

/* Would binding inp to (laddr, lport) conflict with another pcb? */
static bool
in_pcb_conflict(struct inpcb *inp, struct in_addr laddr, uint16_t lport)
{
	struct inpcb *o;

	LIST_FOREACH(o, &inp->inp_table->it_list, inp_entry) {
		if (o == inp || o->inp_lport != lport)
			continue;
		if (o->inp_laddr.s_addr != laddr.s_addr &&
		    o->inp_laddr.s_addr != INADDR_ANY &&
		    laddr.s_addr != INADDR_ANY)
			continue;
		if (in_pcb_reuse(o->inp_socket) &&
		    in_pcb_reuse(inp->inp_socket))
			continue;
		if ((inp->inp_table->it_flags & INPT_REUSECONN) &&
		    o->inp_faddr.s_addr != INADDR_ANY &&
		    (inp->inp_socket->so_options & SO_REUSEADDR))
			continue;
		return true;
	}
	return false;
}

int
in_pcbbind(struct inpcb *inp, const struct sockaddr_in *sin)
{
	struct inpcbtable *t = inp->inp_table;
	struct in_addr laddr = { INADDR_ANY };
	uint16_t lport = 0, p;
	u_int tries;

	NET_ASSERT_LOCKED();
	if (inp->inp_lport != 0 || inp->inp_laddr.s_addr != INADDR_ANY)
		return EINVAL;
	if (sin != NULL) {
		laddr = sin->sin_addr;
		lport = sin->sin_port;
		if (laddr.s_addr != INADDR_ANY &&
		    !IN_MULTICAST(ntohl(laddr.s_addr)) &&
		    in_ifaddr_lookup(laddr) == NULL &&
		    (ntohl(laddr.s_addr) >> 24) != IN_LOOPBACKNET)
			return EADDRNOTAVAIL;
	}
	if (lport != 0) {
		if (in_pcb_conflict(inp, laddr, lport))
			return EADDRINUSE;
	} else {
		for (tries = 0; ; tries++) {
			if (tries > IPPORT_ANONMAX - IPPORT_ANONMIN)
				return EAGAIN;
			p = t->it_lastport + 1;
			if (p < IPPORT_ANONMIN || p == 0)
				p = IPPORT_ANONMIN;
			t->it_lastport = p;
			if (!in_pcb_conflict(inp, laddr, htons(p)))
				break;
		}
		lport = htons(p);
	}
	inp->inp_laddr = laddr;
	inp->inp_lport = lport;
	inp->inp_socket->so_state |= SS_ISBOUND;
	return 0;
}

/* in_pcbsrcaddr for a pcb bound to an interface. */
static int
in_pcbsrcaddr_boundif(struct inpcb *inp, struct in_addr dst,
    struct in_addr *src)
{
	struct ifnet *ifp;
	struct in_ifaddr *ia;
	struct rtentry *rt;

	ifp = if_byindex(inp->inp_boundif);
	if (ifp == NULL)
		return ENXIO;
	ia = in_ifaddr_first(ifp);
	if (dst.s_addr == INADDR_BROADCAST) {
		src->s_addr = ia != NULL &&
		    !(inp->inp_bindif_flags & IN_BINDIF_SRCANY) ?
		    ia->ia_addr.s_addr : INADDR_ANY;
		return 0;
	}
	rt = rt_lookup(dst);
	if (rt == NULL || rt->rt_ifp != ifp)
		return ENETUNREACH;
	if (ia == NULL)
		return EADDRNOTAVAIL;
	*src = ia->ia_addr;
	return 0;
}

int
in_pcbsrcaddr(struct inpcb *inp, struct in_addr dst, struct in_addr *src)
{
	struct in_ifaddr *ia;
	struct rtentry *rt;
	struct ifnet *ifp;

	NET_ASSERT_LOCKED();
	if (inp->inp_laddr.s_addr != INADDR_ANY) {
		*src = inp->inp_laddr;
		return 0;
	}
	if ((ntohl(dst.s_addr) >> 24) == IN_LOOPBACKNET) {
		src->s_addr = htonl(INADDR_LOOPBACK);
		return 0;
	}
	if ((ia = in_ifaddr_lookup(dst)) != NULL) {
		*src = ia->ia_addr;
		return 0;
	}
	if (inp->inp_boundif != 0)
		return in_pcbsrcaddr_boundif(inp, dst, src);
	if (dst.s_addr == INADDR_BROADCAST) {
		ifp = in_bcast_ifp();
		if (ifp == NULL)
			return ENETUNREACH;
		*src = in_ifaddr_first(ifp)->ia_addr;
		return 0;
	}
	rt = rt_lookup(dst);
	if (rt == NULL)
		return ENETUNREACH;
	ia = in_ifaddr_first(rt->rt_ifp);
	if (ia == NULL)
		return EADDRNOTAVAIL;
	*src = ia->ia_addr;
	return 0;
}

int
in_pcbconnect(struct inpcb *inp, const struct sockaddr_in *sin)
{
	struct in_addr src;
	int error;

	NET_ASSERT_LOCKED();
	if (sin->sin_port == 0)
		return EADDRNOTAVAIL;
	error = in_pcbsrcaddr(inp, sin->sin_addr, &src);
	if (error != 0)
		return error;
	if (inp->inp_lport == 0) {
		error = in_pcbbind(inp, NULL);
		if (error != 0)
			return error;
	}
	if (inp->inp_laddr.s_addr == INADDR_ANY)
		inp->inp_laddr = src;
	inp->inp_faddr = sin->sin_addr;
	inp->inp_fport = sin->sin_port;
	return 0;
}

void
in_pcbdisconnect(struct inpcb *inp)
{
	NET_ASSERT_LOCKED();
	inp->inp_faddr.s_addr = INADDR_ANY;
	inp->inp_fport = 0;
}

struct inpcb *
in_pcblookup(struct inpcbtable *t, struct in_addr faddr, uint16_t fport,
    struct in_addr laddr, uint16_t lport)
{
	struct inpcb *inp, *best = NULL;
	int score, best_score = -1;

	NET_ASSERT_LOCKED();
	LIST_FOREACH(inp, &t->it_list, inp_entry) {
		if (inp->inp_lport != lport)
			continue;
		score = 0;
		if (inp->inp_faddr.s_addr != INADDR_ANY) {
			if (inp->inp_faddr.s_addr != faddr.s_addr ||
			    inp->inp_fport != fport)
				continue;
			score += 2;
		}
		if (inp->inp_laddr.s_addr != INADDR_ANY) {
			if (inp->inp_laddr.s_addr != laddr.s_addr)
				continue;
			score += 1;
		}
		/* Equal scores: the earliest bound (inserted at the head,
		 * so the last seen) wins. */
		if (score >= best_score) {
			best = inp;
			best_score = score;
		}
	}
	return best;
}

void
in_pcbsetname(const struct inpcb *inp, struct sockaddr *nam, bool peer)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)nam;

	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_addr = peer ? inp->inp_faddr : inp->inp_laddr;
	sin->sin_port = peer ? inp->inp_fport : inp->inp_lport;
}

int
in_socket_bindif(struct socket *so, u_int ifindex, int flags)
{
	struct inpcb *inp;
	int error = 0;

	NET_ASSERT_UNLOCKED();
	if (so->so_proto->pr_protocol != IPPROTO_UDP)
		return EOPNOTSUPP;
	if (flags & ~IN_BINDIF_SRCANY)
		return EINVAL;
	NET_LOCK();
	if (ifindex != 0 && if_byindex(ifindex) == NULL) {
		error = ENXIO;
	} else {
		inp = sotoinpcb(so);
		inp->inp_boundif = ifindex;
		inp->inp_bindif_flags = ifindex != 0 ? flags : 0;
	}
	NET_UNLOCK();
	return error;
}
