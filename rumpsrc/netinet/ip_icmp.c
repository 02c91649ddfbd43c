/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ip_icmp.c: ICMP for a host (RFC 792, RFC 1122 3.2.2): echo replies,
 * and the error messages a host sends (destination unreachable: port,
 * protocol, fragmentation needed).
 *
 * Errors follow RFC 1122 3.2.2's restrictions: never about an ICMP
 * error, a non-first fragment, a broadcast/multicast destination or a
 * packet from a broadcast/multicast/zero source; and they are rate
 * limited (icmp_maxrate per second) so a scan cannot make us flood.
 * Every ICMP message is also offered to raw ICMP sockets (raw_ip.c).
 *
 * Called by ip_input and the transport protocols, net_lock held.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>

#include "inet_private.h"

uint64_t icmpstat[ICMPS_NSTATS];

static u_int icmp_maxrate = 200;	/* errors per second */
static uint64_t icmp_rate_sec;
static u_int icmp_rate_count;

int
icmp_init(void)
{
	memset(icmpstat, 0, sizeof(icmpstat));
	icmp_rate_sec = 0;
	icmp_rate_count = 0;
	return 0;
}

void
icmp_fini(void)
{
}

static bool
icmp_ratelimited(void)
{
	uint64_t sec = getuptime_ns() / NSEC_PER_SEC;

	if (sec != icmp_rate_sec) {
		icmp_rate_sec = sec;
		icmp_rate_count = 0;
	}
	return ++icmp_rate_count > icmp_maxrate;
}

/* Turn m (an echo request, IP header hlen) into the reply and send it. */
static void
icmp_reflect(struct mbuf *m, int hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	struct icmp_hdr *icp;
	struct in_addr src = ip->ip_dst;
	int len = ntohs(ip->ip_len);

	/* Replies go out without the request's options. */
	if (hlen > IP_MINHLEN) {
		memmove((uint8_t *)ip + (hlen - IP_MINHLEN), ip, IP_MINHLEN);
		m_adj(m, hlen - IP_MINHLEN);
		ip = mtod(m, struct ip *);
		len -= hlen - IP_MINHLEN;
		hlen = IP_MINHLEN;
	}
	/* A request to a broadcast address is answered from our own. */
	if (in_ifaddr_lookup(src) == NULL &&
	    (ntohl(src.s_addr) >> 24) != IN_LOOPBACKNET)
		src.s_addr = INADDR_ANY;
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_len = htons((uint16_t)len);
	ip->ip_off = 0;
	ip->ip_ttl = IP_DEFTTL;
	ip->ip_dst = ip->ip_src;
	ip->ip_src = src;
	icp = (struct icmp_hdr *)(ip + 1);
	icp->icmp_type = ICMP_ECHOREPLY;
	icp->icmp_cksum = 0;
	icp->icmp_cksum = in_cksum(m, hlen, len - hlen, 0);
	m->m_pkthdr.rcvif = NULL;
	m->m_flags &= ~(M_BCAST | M_MCAST | M_LOOP);
	m->m_pkthdr.csum_flags = 0;
	icmpstat[ICMPS_ECHOREPLIES]++;
	(void)ip_output(m, 0);
}

void
icmp_input(struct mbuf *m, int hlen)
{
	struct icmp_hdr *icp;
	struct mbuf *copy;
	int len;

	NET_ASSERT_LOCKED();
	icmpstat[ICMPS_INPUT]++;
	len = m->m_pkthdr.len - hlen;
	if (len < ICMP_MINLEN) {
		icmpstat[ICMPS_TOOSHORT]++;
		goto out_free;
	}
	if (in_cksum(m, hlen, len, 0) != 0) {
		icmpstat[ICMPS_BADSUM]++;
		goto out_free;
	}
	if ((m = m_pullup(m, hlen + ICMP_MINLEN)) == NULL)
		return;
	icp = (struct icmp_hdr *)(mtod(m, uint8_t *) + hlen);
	/* Raw sockets see every valid ICMP message. */
	copy = m_copym(m, 0, M_COPYALL, M_NOWAIT);
	if (copy != NULL)
		rip_input(copy, hlen);
	switch (icp->icmp_type) {
	case ICMP_ECHO:
		if (m->m_flags & (M_BCAST | M_MCAST))
			goto out_free;	/* no broadcast pings answered */
		icmp_reflect(m, hlen);
		return;
	default:
		break;
	}
out_free:
	m_freem(m);
}

void
icmp_error(struct mbuf *m, int type, int code, u_int mtu)
{
	struct ip *oip = mtod(m, struct ip *), *nip;
	struct icmp_hdr *icp;
	struct mbuf *n;
	int ohlen = IP_HL(oip), quote, len;

	NET_ASSERT_LOCKED();
	if (ntohs(oip->ip_off) & IP_OFFMASK)
		goto out_free;
	if (oip->ip_p == IPPROTO_ICMP) {
		uint8_t t;
		if (m->m_pkthdr.len < ohlen + 1)
			goto out_free;
		m_copydata(m, ohlen, 1, &t);
		if (ICMP_IS_ERROR(t)) {
			icmpstat[ICMPS_OLDICMP]++;
			goto out_free;
		}
	}
	if ((m->m_flags & (M_BCAST | M_MCAST)) ||
	    IN_MULTICAST(ntohl(oip->ip_dst.s_addr)) ||
	    oip->ip_dst.s_addr == INADDR_BROADCAST ||
	    oip->ip_src.s_addr == INADDR_ANY ||
	    IN_MULTICAST(ntohl(oip->ip_src.s_addr)) ||
	    in_broadcast(oip->ip_dst, m->m_pkthdr.rcvif))
		goto out_free;
	if (icmp_ratelimited()) {
		icmpstat[ICMPS_RATELIMITED]++;
		goto out_free;
	}
	/* Quote the header and 8 bytes of data (RFC 792). */
	quote = MIN(m->m_pkthdr.len, ohlen + 8);
	len = IP_MINHLEN + ICMP_MINLEN + quote;
	n = m_gethdr(M_NOWAIT, MT_DATA);
	if (n == NULL)
		goto out_free;
	KASSERT(len <= MHLEN);
	n->m_len = n->m_pkthdr.len = len;
	nip = mtod(n, struct ip *);
	memset(nip, 0, IP_MINHLEN + ICMP_MINLEN);
	icp = (struct icmp_hdr *)(nip + 1);
	icp->icmp_type = (uint8_t)type;
	icp->icmp_code = (uint8_t)code;
	if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG)
		icp->icmp_nextmtu = htons((uint16_t)mtu);
	m_copydata(m, 0, quote, (uint8_t *)(icp + 1));
	icp->icmp_cksum = in_cksum(n, IP_MINHLEN, ICMP_MINLEN + quote, 0);
	nip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	nip->ip_len = htons((uint16_t)len);
	nip->ip_ttl = IP_DEFTTL;
	nip->ip_p = IPPROTO_ICMP;
	nip->ip_dst = oip->ip_src;
	/* From the address the offending packet was sent to, if ours. */
	if (in_ifaddr_lookup(oip->ip_dst) != NULL ||
	    (ntohl(oip->ip_dst.s_addr) >> 24) == IN_LOOPBACKNET)
		nip->ip_src = oip->ip_dst;
	icmpstat[ICMPS_ERRORS]++;
	m_freem(m);
	(void)ip_output(n, 0);
	return;

out_free:
	m_freem(m);
}
