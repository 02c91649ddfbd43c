/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_ip.c: kernel-side tests of IPv4 input validation and
 * reassembly (netinet/ip_input.c, ip_reass.c), by injecting hand-made
 * packets into ip_input as if received on lo0 (without M_LOOP, so the
 * header checksum is verified).  Malformed packets must be dropped and
 * counted, never crash; reassembled datagrams must reach UDP with a
 * valid checksum (counted as "no port": nobody listens).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>

#include "ktest.h"

#define KT_PAYLOAD	3000	/* UDP header + data of the test datagram */

/* The test datagram's UDP part: header with a valid checksum, then a
 * pattern.  src/dst 127.0.0.1, port 9 -> 7777. */
static void
kt_udp_payload(uint8_t *p, int len)
{
	struct udphdr uh;
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	uint32_t sum;
	uint16_t s;
	int i;

	for (i = (int)sizeof(uh); i < len; i++)
		p[i] = (uint8_t)(i * 13 + 1);
	uh.uh_sport = htons(9);
	uh.uh_dport = htons(7777);
	uh.uh_ulen = htons((uint16_t)len);
	uh.uh_sum = 0;
	memcpy(p, &uh, sizeof(uh));
	sum = in_pseudo(lo, lo, IPPROTO_UDP, (uint16_t)len);
	sum = in_cksum_add(sum, p, len);
	s = (uint16_t)~sum;
	if (s == 0)
		s = 0xffff;
	memcpy(p + 6, &s, 2);
}

/* An IPv4 packet: header (hlen bytes, options NOP-filled) + data. */
static struct mbuf *
kt_ip_packet(const uint8_t *data, int len, int hlen, uint16_t id,
    uint16_t off_flags)
{
	uint8_t hdr[IP_MAXHLEN];
	struct ip *ip = (struct ip *)hdr;
	struct mbuf *m;

	memset(hdr, IPOPT_NOP, sizeof(hdr));
	memset(hdr, 0, IP_MINHLEN);
	ip->ip_vhl = IP_VHL(IPVERSION, hlen);
	ip->ip_len = htons((uint16_t)(hlen + len));
	ip->ip_id = htons(id);
	ip->ip_off = htons(off_flags);
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_UDP;
	ip->ip_src.s_addr = htonl(INADDR_LOOPBACK);
	ip->ip_dst.s_addr = htonl(INADDR_LOOPBACK);
	ip->ip_sum = (uint16_t)~in_cksum_add(0, hdr, hlen);
	m = m_devget(hdr, hlen, 16, NULL, M_WAITOK);
	if (m != NULL && len > 0 &&
	    m_copyback(m, hlen, len, data, M_WAITOK) != 0) {
		m_freem(m);
		return NULL;
	}
	return m;
}

static void
kt_inject(struct mbuf *m)
{
	m->m_pkthdr.rcvif = lo0ifp;
	ip_input(lo0ifp, m);
}

/* Fix a header after editing it (so only the intended flaw remains). */
static void
kt_resum(struct mbuf *m)
{
	struct ip *ip = mtod(m, struct ip *);

	ip->ip_sum = 0;
	ip->ip_sum = (uint16_t)~in_cksum_add(0, ip, IP_HL(ip));
}

KTEST(net_ip, valid_udp_packet_reaches_udp)
{
	static uint8_t p[200];
	uint64_t noport;

	kt_udp_payload(p, sizeof(p));
	NET_LOCK();
	noport = udpstat[UDPS_NOPORT];
	kt_inject(kt_ip_packet(p, sizeof(p), IP_MINHLEN, 1, 0));
	KT_CHECK_EQ(udpstat[UDPS_NOPORT], noport + 1);
	KT_CHECK_EQ(udpstat[UDPS_BADSUM], 0);
	NET_UNLOCK();
}

KTEST(net_ip, malformed_headers_are_dropped_and_counted)
{
	static uint8_t p[64];
	struct mbuf *m;
	struct ip *ip;
	uint64_t s0[IPS_NSTATS];

	kt_udp_payload(p, sizeof(p));
	NET_LOCK();
	memcpy(s0, ipstat, sizeof(s0));

	/* Truncated: fewer bytes than a header. */
	m = kt_ip_packet(p, 0, IP_MINHLEN, 2, 0);
	m_adj(m, -5);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_TOOSHORT], s0[IPS_TOOSHORT] + 1);

	/* Wrong version. */
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 3, 0);
	mtod(m, struct ip *)->ip_vhl = IP_VHL(6, IP_MINHLEN);
	kt_resum(m);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADVERS], s0[IPS_BADVERS] + 1);

	/* Header length below 20 and beyond the packet. */
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 4, 0);
	mtod(m, struct ip *)->ip_vhl = IP_VHL(IPVERSION, 16);
	kt_inject(m);
	m = kt_ip_packet(p, 8, IP_MINHLEN, 5, 0);
	mtod(m, struct ip *)->ip_vhl = IP_VHL(IPVERSION, 60);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADHLEN], s0[IPS_BADHLEN] + 2);

	/* Bad header checksum. */
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 6, 0);
	mtod(m, struct ip *)->ip_sum ^= htons(0x0100);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADSUM], s0[IPS_BADSUM] + 1);

	/* Total length smaller than the header; larger than the packet. */
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 7, 0);
	mtod(m, struct ip *)->ip_len = htons(12);
	kt_resum(m);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADLEN], s0[IPS_BADLEN] + 1);
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 8, 0);
	mtod(m, struct ip *)->ip_len = htons(IP_MINHLEN + sizeof(p) + 1);
	kt_resum(m);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_TOOSHORT], s0[IPS_TOOSHORT] + 2);

	/* Reserved flag set. */
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 9, IP_RF);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADOPTIONS], s0[IPS_BADOPTIONS] + 1);

	/* Options: one whose length runs past the header; length 0;
	 * length 1 at the end. */
	m = kt_ip_packet(p, sizeof(p), 24, 10, 0);
	ip = mtod(m, struct ip *);
	((uint8_t *)(ip + 1))[0] = 0x44;	/* timestamp */
	((uint8_t *)(ip + 1))[1] = 40;
	kt_resum(m);
	kt_inject(m);
	m = kt_ip_packet(p, sizeof(p), 24, 11, 0);
	ip = mtod(m, struct ip *);
	((uint8_t *)(ip + 1))[0] = 0x07;
	((uint8_t *)(ip + 1))[1] = 0;
	kt_resum(m);
	kt_inject(m);
	m = kt_ip_packet(p, sizeof(p), 24, 12, 0);
	ip = mtod(m, struct ip *);
	((uint8_t *)(ip + 1))[3] = 0x07;	/* type, no length byte */
	kt_resum(m);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADOPTIONS], s0[IPS_BADOPTIONS] + 4);

	/* Good options (NOPs, then a well-formed one) are skipped. */
	m = kt_ip_packet(p, sizeof(p), 28, 13, 0);
	ip = mtod(m, struct ip *);
	((uint8_t *)(ip + 1))[2] = 0x07;
	((uint8_t *)(ip + 1))[3] = 6;
	kt_resum(m);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_BADOPTIONS], s0[IPS_BADOPTIONS] + 4);
	KT_CHECK_EQ(ipstat[IPS_DELIVERED], s0[IPS_DELIVERED] + 1);

	/* Not for us: dropped, we do not forward. */
	m = kt_ip_packet(p, sizeof(p), IP_MINHLEN, 14, 0);
	mtod(m, struct ip *)->ip_dst.s_addr = htonl(0x08080808);
	kt_resum(m);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_NOTFORUS], s0[IPS_NOTFORUS] + 1);
	NET_UNLOCK();
}

KTEST(net_ip, garbage_input_never_crashes)
{
	static uint8_t buf[128];
	struct mbuf *m;
	uint32_t r;
	int i, j, len;

	NET_LOCK();
	for (i = 0; i < 2000; i++) {
		len = (int)(cprng_u32() % sizeof(buf));
		for (j = 0; j < len; j += 4) {
			r = cprng_u32();
			memcpy(buf + j, &r, MIN(4, len - j));
		}
		if (len > 0 && (i & 1))
			buf[0] = IP_VHL(IPVERSION, 20 + 4 * (i % 11));
		m = m_devget(buf, len, 0, NULL, M_WAITOK);
		KT_REQUIRE(m != NULL);
		kt_inject(m);
	}
	NET_UNLOCK();
}

/* Send the test datagram as fragments of fsize bytes, in order[]. */
static void
kt_send_frags(const uint8_t *p, int len, int fsize, uint16_t id,
    const int *order, int n)
{
	int i, off, flen;

	for (i = 0; i < n; i++) {
		off = order[i] * fsize;
		flen = MIN(fsize, len - off);
		kt_inject(kt_ip_packet(p + off, flen, IP_MINHLEN, id,
		    (uint16_t)((off >> 3) | (off + flen < len ? IP_MF : 0))));
	}
}

KTEST(net_ip, reassembly_in_any_order_delivers_datagram)
{
	static uint8_t p[KT_PAYLOAD];
	static const int fwd[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const int rev[] = { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
	static const int mix[] = { 5, 0, 11, 3, 7, 1, 9, 2, 10, 4, 8, 6 };
	uint64_t noport, reass;

	kt_udp_payload(p, sizeof(p));
	NET_LOCK();
	noport = udpstat[UDPS_NOPORT];
	reass = ipstat[IPS_REASSEMBLED];
	/* 3000 bytes in 256-byte fragments: 12 fragments. */
	kt_send_frags(p, sizeof(p), 256, 100, fwd, 12);
	kt_send_frags(p, sizeof(p), 256, 101, rev, 12);
	kt_send_frags(p, sizeof(p), 256, 102, mix, 12);
	KT_CHECK_EQ(ipstat[IPS_REASSEMBLED], reass + 3);
	KT_CHECK_EQ(udpstat[UDPS_NOPORT], noport + 3);	/* checksum ok */
	KT_CHECK_EQ(udpstat[UDPS_BADSUM], 0);
	KT_CHECK_EQ(ip_reass_count(), 0);
	NET_UNLOCK();
}

KTEST(net_ip, reassembly_duplicate_kept_overlap_drops_datagram)
{
	static uint8_t p[KT_PAYLOAD];
	static const int dup[] = { 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	uint64_t reass, overlap;
	struct mbuf *m;

	kt_udp_payload(p, sizeof(p));
	NET_LOCK();
	reass = ipstat[IPS_REASSEMBLED];
	overlap = ipstat[IPS_FRAGOVERLAP];
	kt_send_frags(p, sizeof(p), 256, 200, dup, 13);
	KT_CHECK_EQ(ipstat[IPS_REASSEMBLED], reass + 1);

	/* An overlapping fragment (offset 128, 256 bytes) over 0..255. */
	kt_send_frags(p, sizeof(p), 256, 201, dup, 1);
	m = kt_ip_packet(p + 128, 256, IP_MINHLEN, 201, (128 >> 3) | IP_MF);
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_FRAGOVERLAP], overlap + 1);
	KT_CHECK_EQ(ip_reass_count(), 0);
	/* A last fragment that ends before data already held. */
	kt_send_frags(p, sizeof(p), 256, 202, dup + 5, 1);	/* frag 4 */
	m = kt_ip_packet(p, 8, IP_MINHLEN, 202, 1);	/* 8..16, last */
	kt_inject(m);
	KT_CHECK_EQ(ipstat[IPS_FRAGOVERLAP], overlap + 2);
	KT_CHECK_EQ(ip_reass_count(), 0);
	/* A middle fragment whose length is not a multiple of 8. */
	m = kt_ip_packet(p, 100, IP_MINHLEN, 203, IP_MF);
	kt_inject(m);
	KT_CHECK_EQ(ip_reass_count(), 0);
	NET_UNLOCK();
}

KTEST(net_ip, reassembly_limits_and_timeout_free_fragments)
{
	static uint8_t p[KT_PAYLOAD];
	static const int first[] = { 0 };
	struct mbuf_stats st;
	uint64_t tmo;
	u_int i;
	int waited;

	kt_udp_payload(p, sizeof(p));
	NET_LOCK();
	tmo = ipstat[IPS_FRAGTIMEOUT];
	/* More datagrams than allowed: the oldest are evicted. */
	for (i = 0; i < ip_reass_params.rp_maxqueues + 5; i++)
		kt_send_frags(p, sizeof(p), 256, (uint16_t)(300 + i), first,
		    1);
	KT_CHECK_EQ(ip_reass_count(), ip_reass_params.rp_maxqueues);
	KT_CHECK_EQ(ipstat[IPS_FRAGTIMEOUT], tmo + 5);
	ip_reass_params.rp_timeout_ms = 200;
	kt_send_frags(p, sizeof(p), 256, 999, first, 1);
	NET_UNLOCK();
	/* The short-lived datagram times out; the others (30 s) stay. */
	for (waited = 0; waited < 3000; waited += 50) {
		kpause("kt", false, mstohz(50), NULL);
		NET_LOCK();
		i = ip_reass_count();
		NET_UNLOCK();
		if (i == ip_reass_params.rp_maxqueues - 1)
			break;
	}
	NET_LOCK();
	KT_CHECK_EQ(ip_reass_count(), ip_reass_params.rp_maxqueues - 1);
	KT_CHECK(ipstat[IPS_FRAGTIMEOUT] >= tmo + 6);
	NET_UNLOCK();
	mbuf_getstats(&st);
	KT_CHECK(st.ms_mbufs > 0);	/* the held ones; freed at shutdown */
}
