/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_tcp.c: kernel-side tests of TCP input driven by crafted segments
 * (netinet/tcp_input.c and friends): the passive handshake and its
 * options, the RFC 5961 mitigations (challenge ACKs for an in-window RST
 * and for a SYN on an established connection, out-of-window RSTs
 * ignored, ACKs for unsent data), PAWS, reset by an exact RST, validation
 * counters, a fuzz of random and mutated segments, and a deterministic
 * simultaneous open.
 *
 * A fake peer, 127.0.0.2, exists only in the test: what the stack sends
 * it is captured by the lo0 hook (kt_net_tcp_util.c), what it "sends" is
 * built here and fed straight to tcp_input.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>

#include "../../rumpsrc/netinet/inet_private.h"
#include "../../rumpsrc/netinet/in_pcb.h"
#include "../../rumpsrc/netinet/tcp_var.h"
#include "kt_net_tcp.h"
#include "ktest.h"

#define KT_WAIT(cond, ms) do {						\
	int kt_w_;							\
	for (kt_w_ = 0; kt_w_ < (ms); kt_w_ += 5) {			\
		bool kt_ok_;						\
		NET_LOCK();						\
		kt_ok_ = (cond);					\
		NET_UNLOCK();						\
		if (kt_ok_)						\
			break;						\
		kpause("ktwait", false, mstohz(5), NULL);		\
	}								\
} while (0)

/* The next captured segment, parsed; false if none. */
static bool
kt_next(struct kt_lohook *h, struct kt_seg *ks)
{
	struct mbuf *m;

	NET_LOCK();
	m = kt_lohook_take(h);
	NET_UNLOCK();
	return m != NULL && kt_seg_parse(m, ks);
}

static void
kt_drain(struct kt_lohook *h)
{
	struct mbuf *m;

	NET_LOCK();
	while ((m = kt_lohook_take(h)) != NULL)
		m_freem(m);
	NET_UNLOCK();
}

/* Handshake from the fake peer (port pport, ISN 1000, TSval 100) to a
 * listener on lport; the accepted socket and our ISN. */
static int
kt_passive_open(struct kt_lohook *h, struct socket *l, uint16_t pport,
    uint16_t lport, struct socket **sop, tcp_seq *issp, uint32_t *tsp)
{
	struct kt_seg ks;

	kt_seg_input(kt_seg_build(pport, lport, 1000, 0, TH_SYN, 65535,
	    KT_OPT_MSS | KT_OPT_WS | KT_OPT_TS, 100, 0, NULL, 0));
	if (!kt_next(h, &ks) || ks.ks_flags != (TH_SYN | TH_ACK) ||
	    ks.ks_ack != 1001)
		return EINVAL;
	*issp = ks.ks_seq;
	*tsp = ks.ks_tsval;
	kt_seg_input(kt_seg_build(pport, lport, 1001, ks.ks_seq + 1, TH_ACK,
	    1000, KT_OPT_TS, 101, ks.ks_tsval, NULL, 0));
	return soaccept(l, true, sop);
}

KTEST(net_tcp, passive_open_sends_synack_with_options)
{
	struct kt_lohook h = { .lh_capture = { htonl(KT_PEER) } };
	struct socket *l, *so;
	struct kt_seg ks;
	uint64_t acc0 = tcpstat[TCP_STAT_ACCEPTS];

	kt_lohook_install(&h);
	KT_REQUIRE(kt_tcp_listen(9000, 5, &l) == 0);
	kt_seg_input(kt_seg_build(5555, 9000, 1000, 0, TH_SYN, 65535,
	    KT_OPT_MSS | KT_OPT_WS | KT_OPT_TS, 100, 0, NULL, 0));
	KT_CHECK(kt_next(&h, &ks));
	KT_CHECK_EQ(ks.ks_flags, TH_SYN | TH_ACK);
	KT_CHECK_EQ(ks.ks_ack, 1001);
	KT_CHECK_EQ(ks.ks_mss, 16384 - 40);	/* lo0's MTU */
	KT_CHECK(ks.ks_ws >= 1);		/* a 128 KiB buffer */
	KT_CHECK(ks.ks_have_ts && ks.ks_tsecr == 100);
	KT_CHECK_EQ(tcpstat[TCP_STAT_ACCEPTS], acc0 + 1);
	NET_LOCK();
	KT_CHECK_EQ(l->so_q0len, 1);
	KT_CHECK_EQ(l->so_qlen, 0);
	NET_UNLOCK();
	/* The handshake completes; the connection is ready for accept. */
	kt_seg_input(kt_seg_build(5555, 9000, 1001, ks.ks_seq + 1, TH_ACK,
	    1000, KT_OPT_TS, 101, ks.ks_tsval, NULL, 0));
	NET_LOCK();
	KT_CHECK_EQ(l->so_q0len, 0);
	KT_CHECK_EQ(l->so_qlen, 1);
	NET_UNLOCK();
	KT_REQUIRE(soaccept(l, true, &so) == 0);
	KT_CHECK(so->so_state & SS_ISCONNECTED);
	/* A SYN retransmitted into the accept-less listener port with an
	 * ACK set: RST. */
	kt_drain(&h);
	kt_seg_input(kt_seg_build(6000, 9000, 5, 777, TH_ACK, 1000, 0, 0, 0,
	    NULL, 0));
	KT_CHECK(kt_next(&h, &ks) && ks.ks_flags == TH_RST &&
	    ks.ks_seq == 777);
	soclose(so);
	soclose(l);
	kt_lohook_remove(&h);
}

KTEST(net_tcp, rfc5961_challenge_acks_paws_and_reset)
{
	struct kt_lohook h = { .lh_capture = { htonl(KT_PEER) } };
	struct socket *l, *so;
	struct kt_seg ks;
	tcp_seq iss;
	uint32_t tsv;
	uint64_t c0;

	kt_lohook_install(&h);
	KT_REQUIRE(kt_tcp_listen(9001, 5, &l) == 0);
	KT_REQUIRE(kt_passive_open(&h, l, 5556, 9001, &so, &iss, &tsv) == 0);
	kt_drain(&h);

	/* RST in the window but not at rcv_nxt: challenge ACK only. */
	c0 = tcpstat[TCP_STAT_CHALLENGEACK];
	kt_seg_input(kt_seg_build(5556, 9001, 1011, 0, TH_RST, 0, 0, 0, 0,
	    NULL, 0));
	KT_CHECK_EQ(tcpstat[TCP_STAT_CHALLENGEACK], c0 + 1);
	KT_CHECK(kt_next(&h, &ks) && ks.ks_flags == TH_ACK &&
	    ks.ks_ack == 1001 && ks.ks_seq == iss + 1);
	KT_CHECK(so->so_state & SS_ISCONNECTED);

	/* RST far outside the window: ignored, nothing sent. */
	c0 = tcpstat[TCP_STAT_RSTIGNORED];
	kt_seg_input(kt_seg_build(5556, 9001, 1001 + 100000000, 0, TH_RST, 0,
	    0, 0, 0, NULL, 0));
	KT_CHECK_EQ(tcpstat[TCP_STAT_RSTIGNORED], c0 + 1);
	KT_CHECK(!kt_next(&h, &ks));

	/* SYN on an established connection: challenge ACK. */
	c0 = tcpstat[TCP_STAT_CHALLENGEACK];
	kt_seg_input(kt_seg_build(5556, 9001, 77777, 0, TH_SYN, 1000,
	    KT_OPT_MSS, 0, 0, NULL, 0));
	KT_CHECK_EQ(tcpstat[TCP_STAT_CHALLENGEACK], c0 + 1);
	KT_CHECK(kt_next(&h, &ks) && ks.ks_flags == TH_ACK &&
	    ks.ks_ack == 1001);
	KT_CHECK(so->so_state & SS_ISCONNECTED);

	/* PAWS: an old timestamp is dropped (and ACKed). */
	c0 = tcpstat[TCP_STAT_PAWSDROP];
	kt_seg_input(kt_seg_build(5556, 9001, 1001, iss + 1, TH_ACK | TH_PUSH,
	    1000, KT_OPT_TS, 50, tsv, "old", 3));
	KT_CHECK_EQ(tcpstat[TCP_STAT_PAWSDROP], c0 + 1);
	KT_CHECK_EQ(so->so_rcv.sb_cc, 0);
	KT_CHECK(kt_next(&h, &ks) && ks.ks_flags == TH_ACK);

	/* A fresh one is taken. */
	kt_seg_input(kt_seg_build(5556, 9001, 1001, iss + 1, TH_ACK | TH_PUSH,
	    1000, KT_OPT_TS, 102, tsv, "abc", 3));
	KT_CHECK_EQ(so->so_rcv.sb_cc, 3);

	/* An ACK for data never sent: dropped with an ACK. */
	kt_drain(&h);
	c0 = tcpstat[TCP_STAT_RCVACKTOOMUCH];
	kt_seg_input(kt_seg_build(5556, 9001, 1004, iss + 5000, TH_ACK, 1000,
	    KT_OPT_TS, 103, tsv, NULL, 0));
	KT_CHECK_EQ(tcpstat[TCP_STAT_RCVACKTOOMUCH], c0 + 1);
	KT_CHECK(kt_next(&h, &ks) && ks.ks_flags == TH_ACK &&
	    ks.ks_ack == 1004);

	/* Exactly at rcv_nxt: the connection is reset. */
	c0 = tcpstat[TCP_STAT_RCVRST];
	kt_seg_input(kt_seg_build(5556, 9001, 1004, 0, TH_RST, 0, 0, 0, 0,
	    NULL, 0));
	KT_CHECK_EQ(tcpstat[TCP_STAT_RCVRST], c0 + 1);
	KT_CHECK(!(so->so_state & SS_ISCONNECTED));
	KT_CHECK_EQ(so->so_error, ECONNRESET);
	soclose(so);
	soclose(l);
	kt_lohook_remove(&h);
}

KTEST(net_tcp, malformed_segments_are_counted)
{
	struct mbuf *m;
	uint64_t sum0 = tcpstat[TCP_STAT_RCVBADSUM];
	uint64_t off0 = tcpstat[TCP_STAT_RCVBADOFF];
	uint64_t short0 = tcpstat[TCP_STAT_RCVSHORT];
	uint64_t noport0 = tcpstat[TCP_STAT_NOPORT];
	struct kt_lohook h = { .lh_capture = { htonl(KT_PEER) } };
	struct kt_seg ks;

	kt_lohook_install(&h);
	/* Bad checksum. */
	m = kt_seg_build(1, 2, 3, 4, TH_SYN, 5, 0, 0, 0, "x", 1);
	mtod(m, uint8_t *)[IP_MINHLEN + 20] ^= 0xff;
	kt_seg_input(m);
	KT_CHECK_EQ(tcpstat[TCP_STAT_RCVBADSUM], sum0 + 1);
	/* Data offset below 5 words, and past the segment. */
	m = kt_seg_build(1, 2, 3, 4, TH_SYN, 5, 0, 0, 0, NULL, 0);
	((struct tcphdr *)(mtod(m, uint8_t *) + IP_MINHLEN))->th_offx2 =
	    TH_OFFX2(4);
	kt_seg_input(m);
	m = kt_seg_build(1, 2, 3, 4, TH_SYN, 5, 0, 0, 0, NULL, 0);
	((struct tcphdr *)(mtod(m, uint8_t *) + IP_MINHLEN))->th_offx2 =
	    TH_OFFX2(15);
	kt_seg_input(m);
	KT_CHECK_EQ(tcpstat[TCP_STAT_RCVBADOFF], off0 + 2);
	/* Shorter than a header. */
	m = kt_seg_build(1, 2, 3, 4, TH_SYN, 5, 0, 0, 0, NULL, 0);
	m_adj(m, -5);
	kt_seg_input(m);
	KT_CHECK_EQ(tcpstat[TCP_STAT_RCVSHORT], short0 + 1);
	/* Nobody listens: RST,ACK for the SYN. */
	kt_seg_input(kt_seg_build(7, 9999, 500, 0, TH_SYN, 5, 0, 0, 0, NULL,
	    0));
	KT_CHECK_EQ(tcpstat[TCP_STAT_NOPORT], noport0 + 1);
	KT_CHECK(kt_next(&h, &ks) && ks.ks_flags == (TH_RST | TH_ACK) &&
	    ks.ks_ack == 501);
	kt_lohook_remove(&h);
}

static uint32_t
kt_lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * Fuzz: 20000 segments, random garbage or valid segments (to a listener,
 * to an established connection) with random bytes flipped and random
 * lengths, mostly with a checksum made right again so that the parser
 * and the state machine see them.  Nothing may crash or leak; every
 * segment is counted.
 */
KTEST(net_tcp, fuzzed_segments_do_not_crash)
{
	struct kt_lohook h = { .lh_capture = { htonl(KT_PEER) } };
	static uint8_t buf[600];
	struct socket *l, *so;
	struct mbuf *m;
	struct mbuf_stats ms0, ms1;
	uint32_t seed = 0x5eed, tsv;
	uint64_t total0;
	tcp_seq iss;
	int i, len, k, flips;
	struct ip *ip;
	struct tcphdr *th;

	kt_lohook_install(&h);
	KT_REQUIRE(kt_tcp_listen(9002, 5, &l) == 0);
	KT_REQUIRE(kt_passive_open(&h, l, 5557, 9002, &so, &iss, &tsv) == 0);
	mbuf_getstats(&ms0);
	total0 = tcpstat[TCP_STAT_RCVTOTAL];
	for (i = 0; i < 20000; i++) {
		k = (int)(kt_lcg(&seed) % 4);
		if (k == 0) {
			/* Garbage behind a plausible IP header. */
			len = IP_MINHLEN + (int)(kt_lcg(&seed) % 120);
			for (k = 0; k < len; k++)
				buf[k] = (uint8_t)kt_lcg(&seed);
		} else {
			m = kt_seg_build(k == 1 ? (uint16_t)kt_lcg(&seed) :
			    5557, 9002, k == 3 ? 1001 + kt_lcg(&seed) % 3000 :
			    kt_lcg(&seed), iss + 1 + kt_lcg(&seed) % 8,
			    (int)(kt_lcg(&seed) & 0x3f),
			    (uint16_t)kt_lcg(&seed),
			    (int)(kt_lcg(&seed) % 8), kt_lcg(&seed), tsv,
			    buf + 300, (int)(kt_lcg(&seed) % 200));
			len = m->m_pkthdr.len;
			m_copydata(m, 0, len, buf);
			m_freem(m);
			/* Flip bytes of the TCP header and options. */
			flips = (int)(kt_lcg(&seed) % 6);
			while (flips-- > 0)
				buf[IP_MINHLEN + kt_lcg(&seed) %
				    (uint32_t)(len - IP_MINHLEN)] ^=
				    (uint8_t)(1 + kt_lcg(&seed) % 255);
			if (kt_lcg(&seed) % 8 == 0)
				len -= (int)(kt_lcg(&seed) %
				    (uint32_t)(len - IP_MINHLEN + 1));
		}
		ip = (struct ip *)buf;
		ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
		ip->ip_len = htons((uint16_t)len);
		ip->ip_p = IPPROTO_TCP;
		ip->ip_src.s_addr = htonl(KT_PEER);
		ip->ip_dst.s_addr = htonl(INADDR_LOOPBACK);
		m = m_devget(buf, len, 32, NULL, M_WAITOK);
		if (kt_lcg(&seed) % 4 != 0 && len >= IP_MINHLEN + 20) {
			th = (struct tcphdr *)(mtod(m, uint8_t *) + IP_MINHLEN);
			th->th_sum = 0;
			th->th_sum = in_cksum(m, IP_MINHLEN, len - IP_MINHLEN,
			    in_pseudo(ip->ip_src, ip->ip_dst, IPPROTO_TCP,
			    (uint16_t)(len - IP_MINHLEN)));
		}
		kt_seg_input(m);
		if (i % 64 == 0)
			kt_drain(&h);
	}
	kt_drain(&h);
	KT_CHECK_EQ(tcpstat[TCP_STAT_RCVTOTAL], total0 + 20000);
	KT_CHECK(tcpstat[TCP_STAT_RCVBADSUM] > 0);
	KT_CHECK(tcpstat[TCP_STAT_RCVBADOFF] > 0);
	KT_CHECK(tcpstat[TCP_STAT_NOPORT] > 0);
	soclose(so);
	soclose(l);
	kt_lohook_remove(&h);
	/* Everything the fuzz made is gone once the connections are. */
	KT_WAIT(tcbtable.it_count == 0, 3000);
	NET_LOCK();
	KT_CHECK_EQ(tcbtable.it_count, 0);
	NET_UNLOCK();
	mbuf_getstats(&ms1);
	KT_CHECK(ms1.ms_mbufs <= ms0.ms_mbufs);
}

/*
 * Simultaneous open (RFC 9293 3.5, figure 8): both ends send their SYN
 * before either arrives (net_lock held across both connects), each
 * answers the other's SYN with SYN,ACK, both end up established.
 */
KTEST(net_tcp, simultaneous_open)
{
	struct socket *x, *y;
	struct sockaddr_in a, b;
	char buf[8];
	size_t n;

	memset(&a, 0, sizeof(a));
	a.sin_len = sizeof(a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	b = a;
	a.sin_port = htons(9100);
	b.sin_port = htons(9101);
	KT_REQUIRE(socreate(AF_INET, SOCK_STREAM, 0, &x) == 0);
	KT_REQUIRE(socreate(AF_INET, SOCK_STREAM, 0, &y) == 0);
	KT_REQUIRE(sobind(x, (struct sockaddr *)&a) == 0);
	KT_REQUIRE(sobind(y, (struct sockaddr *)&b) == 0);
	NET_LOCK();
	KT_CHECK_EQ(x->so_proto->pr_usrreqs->pru_connect(x,
	    (struct sockaddr *)&b), 0);
	KT_CHECK_EQ(y->so_proto->pr_usrreqs->pru_connect(y,
	    (struct sockaddr *)&a), 0);
	NET_UNLOCK();
	KT_WAIT((x->so_state & SS_ISCONNECTED) &&
	    (y->so_state & SS_ISCONNECTED), 3000);
	KT_CHECK(x->so_state & SS_ISCONNECTED);
	KT_CHECK(y->so_state & SS_ISCONNECTED);
	NET_LOCK();
	KT_CHECK_EQ(sototcpcb(x)->t_state, TCPS_ESTABLISHED);
	KT_CHECK_EQ(sototcpcb(y)->t_state, TCPS_ESTABLISHED);
	NET_UNLOCK();
	KT_CHECK(kt_so_send(x, "simul", 5, &n) == 0 && n == 5);
	KT_CHECK(kt_so_recv(y, buf, 5, MSG_WAITALL, &n) == 0 && n == 5 &&
	    memcmp(buf, "simul", 5) == 0);
	soclose(x);
	soclose(y);
}
