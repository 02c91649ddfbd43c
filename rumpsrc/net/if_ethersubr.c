/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if_ethersubr.c: the Ethernet link layer (net/if_ether.h): attach,
 * framing on output (with ARP resolution of the next hop), and input
 * dispatch by ethertype to IPv4 and ARP.  Called by Ethernet drivers
 * (attach/detach), by ip_output through if_output, and by the receive
 * softint through if_l2input.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <netinet/in.h>
#include <netinet/ip_var.h>

const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

int
ether_output_frame(struct ifnet *ifp, struct mbuf *m, const uint8_t *dst,
    uint16_t type)
{
	struct ether_header *eh;
	int pad;

	NET_ASSERT_LOCKED();
	m = m_prepend(m, ETHER_HDR_LEN, M_NOWAIT);
	if (m == NULL) {
		if_stat_add(ifp, IF_OERRORS, 1);
		return ENOBUFS;
	}
	eh = mtod(m, struct ether_header *);
	memcpy(eh->ether_dhost, dst, ETHER_ADDR_LEN);
	memcpy(eh->ether_shost, ifp->if_lladdr, ETHER_ADDR_LEN);
	eh->ether_type = htons(type);
	/* Pad runt frames to the minimum (the device adds the CRC). */
	pad = ETHER_MIN_FRAME - m->m_pkthdr.len;
	if (pad > 0) {
		static const uint8_t zeros[ETHER_MIN_FRAME];
		if (m_copyback(m, m->m_pkthdr.len, pad, zeros, M_NOWAIT)
		    != 0) {
			if_stat_add(ifp, IF_OERRORS, 1);
			m_freem(m);
			return ENOBUFS;
		}
	}
	return if_transmit(ifp, m);
}

/* if_output: IPv4 packets to next hop dst. */
static int
ether_output(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)dst;
	uint8_t lla[ETHER_ADDR_LEN];
	int error;

	NET_ASSERT_LOCKED();
	if (dst->sa_family != AF_INET) {
		m_freem(m);
		return EAFNOSUPPORT;
	}
	if (in_broadcast(sin->sin_addr, ifp)) {
		memcpy(lla, etherbroadcastaddr, ETHER_ADDR_LEN);
	} else {
		error = arp_resolve(ifp, m, sin->sin_addr, lla);
		if (error == EWOULDBLOCK)
			return 0;	/* held; sent once resolved */
		if (error != 0)
			return error;
	}
	return ether_output_frame(ifp, m, lla, ETHERTYPE_IP);
}

/* if_l2input: one frame with its Ethernet header. */
static void
ether_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_header *eh;
	uint16_t type;

	NET_ASSERT_LOCKED();
	if (m->m_pkthdr.len < ETHER_HDR_LEN) {
		if_stat_add(ifp, IF_IERRORS, 1);
		m_freem(m);
		return;
	}
	m = m_pullup(m, ETHER_HDR_LEN);
	if (m == NULL) {
		if_stat_add(ifp, IF_IERRORS, 1);
		return;
	}
	eh = mtod(m, struct ether_header *);
	if (ETHER_IS_MULTICAST(eh->ether_dhost)) {
		if (memcmp(eh->ether_dhost, etherbroadcastaddr,
		    ETHER_ADDR_LEN) == 0)
			m->m_flags |= M_BCAST;
		else
			m->m_flags |= M_MCAST;
	} else if (memcmp(eh->ether_dhost, ifp->if_lladdr,
	    ETHER_ADDR_LEN) != 0) {
		/* Unicast for another station (promiscuous device). */
		m_freem(m);
		return;
	}
	type = ntohs(eh->ether_type);
	m_adj(m, ETHER_HDR_LEN);
	switch (type) {
	case ETHERTYPE_IP:
		ip_input(ifp, m);
		break;
	case ETHERTYPE_ARP:
		arp_input(ifp, m);
		break;
	default:
		if_stat_add(ifp, IF_NOPROTO, 1);
		m_freem(m);
		break;
	}
}

int
ether_ifattach(struct ifnet *ifp, const uint8_t *lla)
{
	ifp->if_type = IFT_ETHER;
	ifp->if_mtu = ETHERMTU;
	ifp->if_hdrlen = ETHER_HDR_LEN;
	ifp->if_flags |= IFF_BROADCAST | IFF_MULTICAST;
	memcpy(ifp->if_lladdr, lla, ETHER_ADDR_LEN);
	ifp->if_output = ether_output;
	ifp->if_l2input = ether_input;
	return if_attach(ifp);
}

/*
 * Detach: the interface goes down and away first (no more input, no
 * routes to it), then its ARP entries and held packets are dropped.
 * Precondition: the driver no longer calls if_input_enqueue.
 */
void
ether_ifdetach(struct ifnet *ifp)
{
	if_detach(ifp);
	NET_LOCK();
	arp_ifdetach(ifp);
	NET_UNLOCK();
}
