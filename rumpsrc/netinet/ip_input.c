/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ip_input.c: IPv4 input (RFC 791, RFC 1122 3.2.1).
 *
 * Every packet is validated before anything trusts a field of it:
 * version, header length (>= 20, within the packet), header checksum,
 * total length (>= header, <= what arrived; link padding trimmed),
 * reserved flag, options (walked only to check that each option's length
 * stays inside the header; their contents are ignored), source address
 * (no broadcast/multicast sources).  A packet failing a check is dropped
 * and counted in ipstat, never half-processed.  Packets not addressed to
 * this host are dropped (we are a host, not a router).  Fragments go to
 * reassembly; whole datagrams to the protocol by ip_p; an unknown
 * protocol earns an ICMP protocol-unreachable.
 *
 * Called by the link layer in the receive softint, with net_lock held.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>

#include "inet_private.h"

uint64_t ipstat[IPS_NSTATS];

int
ip_init(void)
{
	memset(ipstat, 0, sizeof(ipstat));
	return 0;
}

void
ip_fini(void)
{
}

/* Options: each must fit in the header.  false when malformed. */
static bool
ip_options_ok(const uint8_t *opt, int len)
{
	int olen;

	while (len > 0) {
		if (opt[0] == IPOPT_EOL)
			return true;
		if (opt[0] == IPOPT_NOP) {
			opt++;
			len--;
			continue;
		}
		if (len < 2)
			return false;
		olen = opt[1];
		if (olen < 2 || olen > len)
			return false;
		opt += olen;
		len -= olen;
	}
	return true;
}

/* Is the packet for this host?  (ifp: where it arrived.) */
static bool
ip_for_us(struct ifnet *ifp, struct in_addr dst, const struct mbuf *m)
{
	if (in_ifaddr_lookup(dst) != NULL)
		return true;
	/* Loopback: anything in 127/8 that came through lo0. */
	if ((ifp->if_flags & IFF_LOOPBACK) &&
	    (ntohl(dst.s_addr) >> 24) == IN_LOOPBACKNET)
		return true;
	if (in_broadcast(dst, ifp))
		return true;
	return false;
}

void
ip_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ip *ip;
	int hlen, len;
	uint16_t off;

	NET_ASSERT_LOCKED();
	KASSERT(m->m_flags & M_PKTHDR);
	ipstat[IPS_TOTAL]++;
	if (m->m_pkthdr.len < IP_MINHLEN) {
		ipstat[IPS_TOOSHORT]++;
		goto out_free;
	}
	if ((m = m_pullup(m, IP_MINHLEN)) == NULL) {
		ipstat[IPS_TOOSHORT]++;
		return;
	}
	ip = mtod(m, struct ip *);
	if (IP_V(ip) != IPVERSION) {
		ipstat[IPS_BADVERS]++;
		goto out_free;
	}
	hlen = IP_HL(ip);
	if (hlen < IP_MINHLEN || hlen > m->m_pkthdr.len) {
		ipstat[IPS_BADHLEN]++;
		goto out_free;
	}
	if (hlen > m->m_len) {
		if ((m = m_pullup(m, hlen)) == NULL) {
			ipstat[IPS_BADHLEN]++;
			return;
		}
		ip = mtod(m, struct ip *);
	}
	if (!(m->m_pkthdr.csum_flags & M_CSUM_IPV4_OK) &&
	    !(m->m_flags & M_LOOP) && in_cksum(m, 0, hlen, 0) != 0) {
		ipstat[IPS_BADSUM]++;
		goto out_free;
	}
	len = ntohs(ip->ip_len);
	if (len < hlen) {
		ipstat[IPS_BADLEN]++;
		goto out_free;
	}
	if (len > m->m_pkthdr.len) {
		ipstat[IPS_TOOSHORT]++;
		goto out_free;
	}
	if (len < m->m_pkthdr.len)	/* link-layer padding */
		m_adj(m, len - m->m_pkthdr.len);
	off = ntohs(ip->ip_off);
	if (off & IP_RF) {
		ipstat[IPS_BADOPTIONS]++;	/* RFC 791: must be zero */
		goto out_free;
	}
	if (hlen > IP_MINHLEN &&
	    !ip_options_ok((const uint8_t *)(ip + 1), hlen - IP_MINHLEN)) {
		ipstat[IPS_BADOPTIONS]++;
		goto out_free;
	}
	if (IN_MULTICAST(ntohl(ip->ip_src.s_addr)) ||
	    ip->ip_src.s_addr == INADDR_BROADCAST ||
	    (in_broadcast(ip->ip_src, ifp) &&
	     ip->ip_src.s_addr != INADDR_ANY)) {
		ipstat[IPS_BADADDR]++;
		goto out_free;
	}
	if (!ip_for_us(ifp, ip->ip_dst, m)) {
		ipstat[IPS_NOTFORUS]++;
		goto out_free;
	}
	if (off & (IP_MF | IP_OFFMASK)) {
		ipstat[IPS_FRAGMENTS]++;
		m = ip_reass(m, hlen);
		if (m == NULL)
			return;
		ip = mtod(m, struct ip *);
		hlen = IP_HL(ip);
	}
	ipstat[IPS_DELIVERED]++;
	switch (ip->ip_p) {
	case IPPROTO_ICMP:
		icmp_input(m, hlen);
		break;
	case IPPROTO_UDP:
		udp_input(m, hlen);
		break;
	case IPPROTO_TCP:
		tcp_input(m, hlen);
		break;
	default:
		ipstat[IPS_NOPROTO]++;
		ipstat[IPS_DELIVERED]--;
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL, 0);
		break;
	}
	return;

out_free:
	m_freem(m);
}
