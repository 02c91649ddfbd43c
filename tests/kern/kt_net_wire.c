/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_wire.c: the test wire of kt_net_wire.h: an Ethernet interface
 * whose if_start hands each frame, flattened, to the test's function,
 * and frame builders/parsers for Ethernet/IPv4/UDP.  Test code only.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>

#include "kt_net_wire.h"

/* Driver start (net_lock held). */
static void
ktwire_start(struct ifnet *ifp)
{
	struct ktwire *kw = ifp->if_softc;
	struct mbuf *m;
	int len;

	while ((m = if_dequeue_snd(ifp)) != NULL) {
		if_stat_add(ifp, IF_OPACKETS, 1);
		kw->kw_ntx++;
		len = m->m_pkthdr.len;
		if (kw->kw_tx != NULL && len <= KTWIRE_FRAMEMAX) {
			m_copydata(m, 0, len, kw->kw_frame);
			kw->kw_tx(kw, kw->kw_frame, (size_t)len);
		}
		m_freem(m);
	}
}

int
ktwire_create(const char *name, const uint8_t *lla, ktwire_tx_fn tx,
    void *arg, struct ktwire **kwp)
{
	struct ktwire *kw;
	int error;

	kw = kmem_zalloc(sizeof(*kw), KM_SLEEP);
	strlcpy(kw->kw_if.if_xname, name, IFNAMSIZ);
	kw->kw_if.if_softc = kw;
	kw->kw_if.if_start = ktwire_start;
	kw->kw_tx = tx;
	kw->kw_arg = arg;
	error = ether_ifattach(&kw->kw_if, lla);
	if (error != 0) {
		kmem_free(kw, sizeof(*kw));
		return error;
	}
	*kwp = kw;
	return 0;
}

void
ktwire_destroy(struct ktwire *kw)
{
	NET_LOCK();
	kw->kw_tx = NULL;
	NET_UNLOCK();
	ether_ifdetach(&kw->kw_if);
	kmem_free(kw, sizeof(*kw));
}

bool
ktwire_inject(struct ktwire *kw, const void *frame, size_t len)
{
	struct mbuf *m;

	m = m_devget(frame, (int)len, 0, NULL, M_NOWAIT);
	if (m == NULL)
		return false;
	if_input_enqueue(&kw->kw_if, m);
	return true;
}

/* The checksum field for a folded 16-bit sum. */
static uint16_t
ktwire_cksum_field(uint32_t sum)
{
	return (uint16_t)~sum;
}

size_t
ktwire_udp_frame(uint8_t *buf, const uint8_t *dmac, const uint8_t *smac,
    uint32_t sip, uint32_t dip, uint16_t sport, uint16_t dport,
    const void *payload, size_t plen)
{
	struct ether_header eh;
	struct ip ip;
	struct udphdr uh;
	uint32_t sum;
	uint16_t cks;

	memcpy(eh.ether_dhost, dmac, ETHER_ADDR_LEN);
	memcpy(eh.ether_shost, smac, ETHER_ADDR_LEN);
	eh.ether_type = htons(ETHERTYPE_IP);
	memset(&ip, 0, sizeof(ip));
	ip.ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip.ip_len = htons((uint16_t)(IP_MINHLEN + sizeof(uh) + plen));
	ip.ip_ttl = 64;
	ip.ip_p = IPPROTO_UDP;
	ip.ip_src.s_addr = htonl(sip);
	ip.ip_dst.s_addr = htonl(dip);
	ip.ip_sum = ktwire_cksum_field(in_cksum_add(0, &ip, IP_MINHLEN));
	uh.uh_sport = htons(sport);
	uh.uh_dport = htons(dport);
	uh.uh_ulen = htons((uint16_t)(sizeof(uh) + plen));
	uh.uh_sum = 0;
	memcpy(buf, &eh, ETHER_HDR_LEN);
	memcpy(buf + ETHER_HDR_LEN, &ip, IP_MINHLEN);
	memcpy(buf + ETHER_HDR_LEN + IP_MINHLEN, &uh, sizeof(uh));
	memcpy(buf + ETHER_HDR_LEN + IP_MINHLEN + sizeof(uh), payload, plen);
	sum = in_pseudo(ip.ip_src, ip.ip_dst, IPPROTO_UDP,
	    (uint16_t)(sizeof(uh) + plen));
	sum = in_cksum_add(sum, buf + ETHER_HDR_LEN + IP_MINHLEN,
	    (int)(sizeof(uh) + plen));
	cks = ktwire_cksum_field(sum);
	uh.uh_sum = cks == 0 ? 0xffff : cks;
	memcpy(buf + ETHER_HDR_LEN + IP_MINHLEN, &uh, sizeof(uh));
	return ETHER_HDR_LEN + IP_MINHLEN + sizeof(uh) + plen;
}

bool
ktwire_udp_parse(const uint8_t *f, size_t len, struct ktwire_udp *ku)
{
	struct ether_header eh;
	struct ip ip;
	struct udphdr uh;
	size_t iplen, ulen;

	if (len < ETHER_HDR_LEN + IP_MINHLEN + sizeof(uh))
		return false;
	memcpy(&eh, f, ETHER_HDR_LEN);
	memcpy(&ip, f + ETHER_HDR_LEN, IP_MINHLEN);
	if (ntohs(eh.ether_type) != ETHERTYPE_IP ||
	    ip.ip_vhl != IP_VHL(IPVERSION, IP_MINHLEN) ||
	    ip.ip_p != IPPROTO_UDP)
		return false;
	iplen = ntohs(ip.ip_len);
	if (iplen > len - ETHER_HDR_LEN || iplen < IP_MINHLEN + sizeof(uh))
		return false;
	memcpy(&uh, f + ETHER_HDR_LEN + IP_MINHLEN, sizeof(uh));
	ulen = ntohs(uh.uh_ulen);
	if (ulen < sizeof(uh) || ulen > iplen - IP_MINHLEN)
		return false;
	ku->ku_dmac = f;
	ku->ku_smac = f + ETHER_ADDR_LEN;
	ku->ku_sip = ntohl(ip.ip_src.s_addr);
	ku->ku_dip = ntohl(ip.ip_dst.s_addr);
	ku->ku_sport = ntohs(uh.uh_sport);
	ku->ku_dport = ntohs(uh.uh_dport);
	ku->ku_payload = f + ETHER_HDR_LEN + IP_MINHLEN + sizeof(uh);
	ku->ku_plen = ulen - sizeof(uh);
	return true;
}
