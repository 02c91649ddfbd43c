/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ip_output.c: IPv4 output: route lookup, source address choice, header
 * checksum, fragmentation (RFC 791 3.2), hand-off to the interface.
 *
 * Packets for one of this host's own addresses (and 127/8) are sent
 * through lo0, whatever interface the address is on.  Fragments carry
 * the first fragment's header without options (we send none), each
 * payload a multiple of 8 bytes; a packet with DF set that does not fit
 * fails with EMSGSIZE.
 *
 * Limited broadcasts (255.255.255.255) leave through the socket's bound
 * interface (ip_output_if; the source is the caller's choice, 0.0.0.0
 * included), else through in_bcast_ifp()'s choice: the first up
 * broadcast interface with an address, whose address is the source.  Broadcasts are not looped back to local
 * sockets.
 *
 * Called by ICMP, UDP (and later TCP) with net_lock held; owns m.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "inet_private.h"

static uint16_t ip_id_next;

uint16_t
ip_newid(void)
{
	NET_ASSERT_LOCKED();
	if (ip_id_next == 0)	/* first use: start at a random point */
		ip_id_next = (uint16_t)(cprng_u32() | 1);
	return htons(ip_id_next++);
}

static void
ip_set_cksum(struct mbuf *m, int hlen)
{
	struct ip *ip = mtod(m, struct ip *);

	ip->ip_sum = 0;
	ip->ip_sum = in_cksum(m, 0, hlen, 0);
}

/*
 * Send m (len bytes, header hlen) as fragments of at most mtu bytes.
 * Every fragment is built before any is sent, so a failure sends
 * nothing.  Owns m.
 */
static int
ip_fragment(struct ifnet *ifp, struct mbuf *m, int hlen, u_int mtu,
    const struct sockaddr *dst)
{
	struct ip *ip = mtod(m, struct ip *), *fip;
	struct mbuf *frags = NULL, **tail = &frags, *f, *next;
	int len = ntohs(ip->ip_len), chunk, off, flen;
	uint16_t ip_off = ntohs(ip->ip_off);
	int error = 0;

	chunk = (int)((mtu - IP_MINHLEN) & ~7u);
	if (chunk < 8) {
		m_freem(m);
		return EMSGSIZE;
	}
	for (off = hlen; off < len; off += chunk) {
		flen = MIN(chunk, len - off);
		f = m_copym(m, off, flen, M_NOWAIT);
		if (f == NULL)
			goto err_nobufs;
		f = m_prepend(f, IP_MINHLEN, M_NOWAIT);
		if (f == NULL)
			goto err_nobufs;
		f->m_pkthdr.rcvif = NULL;
		fip = mtod(f, struct ip *);
		memcpy(fip, ip, IP_MINHLEN);
		fip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
		fip->ip_len = htons((uint16_t)(IP_MINHLEN + flen));
		fip->ip_off = htons((uint16_t)(
		    (ip_off & IP_DF) |
		    (((off - hlen) >> 3) + (ip_off & IP_OFFMASK)) |
		    ((off + flen < len || (ip_off & IP_MF)) ? IP_MF : 0)));
		ip_set_cksum(f, IP_MINHLEN);
		*tail = f;
		tail = &f->m_nextpkt;
	}
	m_freem(m);
	ipstat[IPS_FRAGMENTED]++;
	for (f = frags; f != NULL; f = next) {
		next = f->m_nextpkt;
		f->m_nextpkt = NULL;
		ipstat[IPS_OFRAGMENTS]++;
		if (error == 0)
			error = ifp->if_output(ifp, f, dst);
		else
			m_freem(f);
	}
	return error;

err_nobufs:
	ipstat[IPS_ODROPPED]++;
	m_freem_queue(frags);
	m_freem(m);
	return ENOBUFS;
}

int
ip_output(struct mbuf *m, int flags)
{
	return ip_output_if(m, flags, NULL);
}

int
ip_output_if(struct mbuf *m, int flags, struct ifnet *boundifp)
{
	struct ip *ip;
	struct rtentry *rt;
	struct ifnet *ifp;
	struct in_ifaddr *ia;
	struct sockaddr_in dst;
	int hlen, len;

	NET_ASSERT_LOCKED();
	KASSERT(m->m_flags & M_PKTHDR);
	KASSERT(m->m_len >= IP_MINHLEN);
	ip = mtod(m, struct ip *);
	hlen = IP_HL(ip);
	len = ntohs(ip->ip_len);
	KASSERT(len == m->m_pkthdr.len && m->m_len >= hlen);
	ipstat[IPS_LOCALOUT]++;

	memset(&dst, 0, sizeof(dst));
	dst.sin_len = sizeof(dst);
	dst.sin_family = AF_INET;
	dst.sin_addr = ip->ip_dst;

	ia = in_ifaddr_lookup(ip->ip_dst);
	if (ia != NULL || (ntohl(ip->ip_dst.s_addr) >> 24) == IN_LOOPBACKNET) {
		/* To ourselves. */
		ifp = lo0ifp;
		if (ifp == NULL)
			goto err_noroute;
		if (ip->ip_src.s_addr == INADDR_ANY)
			ip->ip_src = ia != NULL ? ia->ia_addr : dst.sin_addr;
	} else if (ip->ip_dst.s_addr == INADDR_BROADCAST) {
		if (!(flags & IP_ALLOWBROADCAST)) {
			m_freem(m);
			return EACCES;
		}
		/* Limited broadcast: out of the bound interface (source
		 * 0.0.0.0 allowed while it has no address), else see
		 * in_bcast_ifp. */
		ifp = boundifp != NULL ? boundifp : in_bcast_ifp();
		if (ifp == NULL)
			goto err_noroute;
		ia = in_ifaddr_first(ifp);
		if (ip->ip_src.s_addr == INADDR_ANY && ia != NULL &&
		    boundifp == NULL)
			ip->ip_src = ia->ia_addr;
	} else {
		rt = rt_lookup(ip->ip_dst);
		if (rt == NULL)
			goto err_noroute;
		ifp = rt->rt_ifp;
		if (boundifp != NULL && ifp != boundifp) {
			ipstat[IPS_NOROUTE]++;
			m_freem(m);
			return ENETUNREACH;
		}
		if (rt->rt_flags & RTF_GATEWAY)
			dst.sin_addr = rt->rt_gateway;
		else if (in_broadcast(ip->ip_dst, ifp) &&
		    !(flags & IP_ALLOWBROADCAST)) {
			m_freem(m);
			return EACCES;
		}
		if (ip->ip_src.s_addr == INADDR_ANY) {
			ia = in_ifaddr_first(ifp);
			if (ia == NULL) {
				m_freem(m);
				return EADDRNOTAVAIL;
			}
			ip->ip_src = ia->ia_addr;
		}
	}
	if (!(ifp->if_flags & IFF_UP)) {
		m_freem(m);
		return ENETDOWN;
	}
	if (!(flags & IP_KEEPID))
		ip->ip_id = ip_newid();
	if ((u_int)len <= ifp->if_mtu) {
		ip_set_cksum(m, hlen);
		return ifp->if_output(ifp, m, (struct sockaddr *)&dst);
	}
	if (ntohs(ip->ip_off) & IP_DF) {
		ipstat[IPS_CANTFRAG]++;
		m_freem(m);
		return EMSGSIZE;
	}
	return ip_fragment(ifp, m, hlen, ifp->if_mtu, (struct sockaddr *)&dst);

err_noroute:
	ipstat[IPS_NOROUTE]++;
	m_freem(m);
	return EHOSTUNREACH;
}
