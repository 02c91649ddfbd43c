/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_arp.c: kernel-side tests of Ethernet and ARP (net/if_ethersubr.c,
 * netinet/if_arp.c) on a test-only "pipe" pair: two Ethernet interfaces
 * in one kernel, whatever one transmits the other receives.  The pair
 * is this file's own tiny driver; it stands in for the virtual interface
 * until that exists.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/if_ether.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>

#include "ktest.h"

struct ktpipe {
	struct ifnet	kp_if;
	struct ktpipe	*kp_peer;
	bool		kp_drop;	/* lose everything sent */
};

/* Driver start (net_lock held): hand each frame to the peer. */
static void
ktpipe_start(struct ifnet *ifp)
{
	struct ktpipe *kp = ifp->if_softc;
	struct mbuf *m;

	while ((m = if_dequeue_snd(ifp)) != NULL) {
		if_stat_add(ifp, IF_OPACKETS, 1);
		if (kp->kp_drop) {
			m_freem(m);
			continue;
		}
		m->m_pkthdr.rcvif = NULL;
		if_input_enqueue(&kp->kp_peer->kp_if, m);
	}
}

static int
ktpipe_pair(struct ktpipe **ap, struct ktpipe **bp)
{
	static const uint8_t lla[2][6] = {
		{ 0x02, 0, 0, 0, 0, 0x0a }, { 0x02, 0, 0, 0, 0, 0x0b }
	};
	struct ktpipe *p[2];
	int i, error;

	for (i = 0; i < 2; i++) {
		p[i] = kmem_zalloc(sizeof(*p[i]), KM_SLEEP);
		snprintf(p[i]->kp_if.if_xname, IFNAMSIZ, "ktpipe%d", i);
		p[i]->kp_if.if_softc = p[i];
		p[i]->kp_if.if_start = ktpipe_start;
	}
	p[0]->kp_peer = p[1];
	p[1]->kp_peer = p[0];
	for (i = 0; i < 2; i++) {
		error = ether_ifattach(&p[i]->kp_if, lla[i]);
		if (error != 0)
			return error;
	}
	*ap = p[0];
	*bp = p[1];
	return 0;
}

/* Cut the wire first: no frame may reach an interface being detached. */
static void
ktpipe_destroy(struct ktpipe *a, struct ktpipe *b)
{
	NET_LOCK();
	a->kp_drop = b->kp_drop = true;
	NET_UNLOCK();
	ether_ifdetach(&a->kp_if);
	ether_ifdetach(&b->kp_if);
	kmem_free(a, sizeof(*a));
	kmem_free(b, sizeof(*b));
}

static struct in_addr
kt_a(uint32_t host)
{
	struct in_addr a = { htonl(host) };
	return a;
}

/* An ICMP echo request from src to dst (net_lock held), sent. */
static int
kt_ping(struct in_addr dst)
{
	struct mbuf *m;
	struct ip *ip;
	struct icmp_hdr *icp;
	int len = IP_MINHLEN + ICMP_MINLEN + 32;

	m = m_gethdr(M_WAITOK, MT_DATA);
	m_reserve(m, 32);
	m->m_len = m->m_pkthdr.len = len;
	memset(m->m_data, 0x5a, len);
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHLEN + ICMP_MINLEN);
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_len = htons((uint16_t)len);
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_ICMP;
	ip->ip_dst = dst;
	icp = (struct icmp_hdr *)(ip + 1);
	icp->icmp_type = ICMP_ECHO;
	icp->icmp_cksum = in_cksum(m, IP_MINHLEN, len - IP_MINHLEN, 0);
	return ip_output(m, 0);
}

/* Wait (net_lock NOT held) until cond holds, up to ms. */
#define KT_WAIT(cond, ms) do {						\
	int kt_w_;							\
	for (kt_w_ = 0; kt_w_ < (ms); kt_w_ += 10) {			\
		bool kt_ok_;						\
		NET_LOCK();						\
		kt_ok_ = (cond);					\
		NET_UNLOCK();						\
		if (kt_ok_)						\
			break;						\
		kpause("ktwait", false, mstohz(10), NULL);		\
	}								\
} while (0)

/* An ARP frame from sha/spa to tha/tpa, injected into ifp's input. */
static void
kt_arp_inject(struct ifnet *ifp, int op, const uint8_t *sha, uint32_t spa,
    const uint8_t *tha, uint32_t tpa)
{
	uint8_t f[ETHER_HDR_LEN + 28];
	struct in_addr a;
	struct mbuf *m;

	memset(f, 0, sizeof(f));
	memcpy(f, op == ARPOP_REQUEST ? etherbroadcastaddr : tha, 6);
	memcpy(f + 6, sha, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[15] = ARPHRD_ETHER;
	f[16] = 0x08;
	f[18] = 6;
	f[19] = 4;
	f[21] = (uint8_t)op;
	memcpy(f + 22, sha, 6);
	a.s_addr = htonl(spa);
	memcpy(f + 28, &a, 4);
	memcpy(f + 32, tha, 6);
	a.s_addr = htonl(tpa);
	memcpy(f + 38, &a, 4);
	m = m_devget(f, sizeof(f), 0, NULL, M_WAITOK);
	if_input_enqueue(ifp, m);
}

KTEST(net_arp, reply_resolves_entry_and_sends_held_packets)
{
	static const uint8_t peer[6] = { 0x02, 0, 0, 0, 0x77, 0x01 };
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0x77, 0x03 };
	struct ktpipe *a, *b;
	uint8_t lla[6];
	u_int held;
	uint64_t req0, rep0, out0;

	KT_REQUIRE(ktpipe_pair(&a, &b) == 0);
	NET_LOCK();
	if_up(&a->kp_if);
	if_up(&b->kp_if);
	KT_CHECK_EQ(in_ifaddr_add(&a->kp_if, kt_a(0x0a010001),
	    kt_a(0xffffff00)), 0);
	req0 = arpstat[ARPS_TXREQUESTS];
	rep0 = arpstat[ARPS_TXREPLIES];
	KT_CHECK_EQ(kt_ping(kt_a(0x0a010002)), 0);	/* held for ARP */
	KT_CHECK_EQ(kt_ping(kt_a(0x0a010002)), 0);
	KT_CHECK_EQ(arp_lookup_state(&a->kp_if, kt_a(0x0a010002), lla,
	    &held), 0);
	KT_CHECK_EQ(held, 2);
	KT_CHECK_EQ(arpstat[ARPS_TXREQUESTS], req0 + 1);
	out0 = if_stat_get(&a->kp_if, IF_OPACKETS);
	NET_UNLOCK();

	/* The answer arrives: both held packets leave, to that address. */
	kt_arp_inject(&a->kp_if, ARPOP_REPLY, peer, 0x0a010002,
	    a->kp_if.if_lladdr, 0x0a010001);
	KT_WAIT(arp_lookup_state(&a->kp_if, kt_a(0x0a010002), lla, &held)
	    == 1, 3000);
	NET_LOCK();
	KT_CHECK_EQ(arp_lookup_state(&a->kp_if, kt_a(0x0a010002), lla,
	    &held), 1);
	KT_CHECK(memcmp(lla, peer, 6) == 0);
	KT_CHECK_EQ(held, 0);
	KT_CHECK_EQ(if_stat_get(&a->kp_if, IF_OPACKETS), out0 + 2);
	/* Resolved: the next packet goes straight out. */
	KT_CHECK_EQ(kt_ping(kt_a(0x0a010002)), 0);
	KT_CHECK_EQ(if_stat_get(&a->kp_if, IF_OPACKETS), out0 + 3);
	KT_CHECK_EQ(arpstat[ARPS_TXREQUESTS], req0 + 1);
	NET_UNLOCK();

	/* A request for our address is answered and teaches us the
	 * asker; a request for someone else teaches nothing. */
	kt_arp_inject(&a->kp_if, ARPOP_REQUEST, other, 0x0a010003,
	    etherbroadcastaddr, 0x0a010001);
	kt_arp_inject(&a->kp_if, ARPOP_REQUEST, other, 0x0a010004,
	    etherbroadcastaddr, 0x0a010099);
	KT_WAIT(arpstat[ARPS_TXREPLIES] == rep0 + 1 &&
	    arpstat[ARPS_RXREQUESTS] >= 2, 3000);
	NET_LOCK();
	KT_CHECK_EQ(arpstat[ARPS_TXREPLIES], rep0 + 1);
	KT_CHECK_EQ(arp_lookup_state(&a->kp_if, kt_a(0x0a010003), lla,
	    &held), 1);
	KT_CHECK(memcmp(lla, other, 6) == 0);
	KT_CHECK_EQ(arp_lookup_state(&a->kp_if, kt_a(0x0a010004), lla,
	    &held), -1);
	NET_UNLOCK();
	ktpipe_destroy(a, b);
}

KTEST(net_arp, unanswered_requests_fail_and_free_held_packets)
{
	struct ktpipe *a, *b;
	uint8_t lla[6];
	u_int held, i;
	uint64_t timeouts0, dropped0;
	struct mbuf_stats st;

	KT_REQUIRE(ktpipe_pair(&a, &b) == 0);
	NET_LOCK();
	arp_params.ap_retry_ms = 30;
	arp_params.ap_maxtries = 3;
	arp_params.ap_maxhold = 4;
	a->kp_drop = true;
	if_up(&a->kp_if);
	KT_CHECK_EQ(in_ifaddr_add(&a->kp_if, kt_a(0x0a020001),
	    kt_a(0xffffff00)), 0);
	timeouts0 = arpstat[ARPS_TIMEOUTS];
	dropped0 = arpstat[ARPS_HELDDROPS];
	for (i = 0; i < 10; i++)
		KT_CHECK_EQ(kt_ping(kt_a(0x0a020009)), 0);
	KT_CHECK_EQ(arp_lookup_state(&a->kp_if, kt_a(0x0a020009), lla,
	    &held), 0);
	KT_CHECK_EQ(held, 4);			/* bounded hold queue */
	KT_CHECK_EQ(arpstat[ARPS_HELDDROPS], dropped0 + 6);
	NET_UNLOCK();
	KT_WAIT(arp_lookup_state(&a->kp_if, kt_a(0x0a020009), lla, &held)
	    == -2, 3000);
	NET_LOCK();
	KT_CHECK_EQ(arp_lookup_state(&a->kp_if, kt_a(0x0a020009), lla,
	    &held), -2);
	KT_CHECK_EQ(held, 0);
	KT_CHECK_EQ(arpstat[ARPS_TIMEOUTS], timeouts0 + 1);
	KT_CHECK(arpstat[ARPS_TXREQUESTS] >= 3);
	/* A failed entry refuses at once, for a while. */
	KT_CHECK_EQ(kt_ping(kt_a(0x0a020009)), EHOSTDOWN);
	NET_UNLOCK();
	ktpipe_destroy(a, b);
	mbuf_getstats(&st);
	KT_CHECK_EQ(st.ms_mbufs, 0);
}

KTEST(net_arp, malformed_arp_and_ethernet_frames_are_counted)
{
	struct ktpipe *a, *b;
	uint8_t frame[60];
	struct mbuf *m;
	uint64_t bad0;

	KT_REQUIRE(ktpipe_pair(&a, &b) == 0);
	NET_LOCK();
	if_up(&b->kp_if);
	bad0 = arpstat[ARPS_BADPKT];
	NET_UNLOCK();
	/* Short Ethernet frame; ARP with a bad hardware type; unknown
	 * ethertype. */
	memset(frame, 0xff, sizeof(frame));
	m = m_devget(frame, 10, 0, NULL, M_WAITOK);
	if_input_enqueue(&b->kp_if, m);
	memset(frame + 12, 0, sizeof(frame) - 12);
	frame[12] = 0x08;
	frame[13] = 0x06;
	frame[15] = 9;		/* ar_hrd = 9 */
	m = m_devget(frame, sizeof(frame), 0, NULL, M_WAITOK);
	if_input_enqueue(&b->kp_if, m);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	m = m_devget(frame, sizeof(frame), 0, NULL, M_WAITOK);
	if_input_enqueue(&b->kp_if, m);
	KT_WAIT(arpstat[ARPS_BADPKT] == bad0 + 1 &&
	    if_stat_get(&b->kp_if, IF_NOPROTO) == 1 &&
	    if_stat_get(&b->kp_if, IF_IERRORS) == 1, 3000);
	KT_CHECK_EQ(arpstat[ARPS_BADPKT], bad0 + 1);
	KT_CHECK_EQ(if_stat_get(&b->kp_if, IF_NOPROTO), 1);
	KT_CHECK_EQ(if_stat_get(&b->kp_if, IF_IERRORS), 1);
	ktpipe_destroy(a, b);
}
