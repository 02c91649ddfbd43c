/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_subr.c: TCP's common services: boot/shutdown, counters and
 * tunables, control block life cycle (attach, close, drop, discard),
 * initial sequence numbers per RFC 6528, connection lookup for input,
 * bare control segments (RST, ACK) and the MSS for a destination.
 *
 * ISNs (RFC 6528 3): ISN = M + F(localip, localport, remoteip,
 * remoteport, secretkey), M a 4-microsecond clock and F SipHash-2-4 keyed
 * with 128 bits from the host's random source (cprng_fill, i.e.
 * rumpuser_getrandom) drawn at boot.  The same keyed hash gives each
 * connection a random timestamp offset (RFC 7323 5.4).
 *
 * Called by the other tcp_*.c files and by ip_input (tcp_input), with
 * net_lock held; tcp_init/tcp_fini by net/net_init.c.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>

#include "inet_private.h"
#include "in_pcb.h"
#include "tcp_var.h"

uint64_t tcpstat[TCP_STAT_NSTATS];
struct tcp_cblist_head tcp_cblist;
struct inpcbtable tcbtable;

static const struct tcp_params tcp_params_default = {
	.tp_rto_min_ms = 200,
	.tp_rto_max_ms = 60000,
	.tp_rto_init_ms = 1000,
	.tp_rexmit_max = 12,
	.tp_syn_retries = 6,
	.tp_keepinit_ms = 75000,
	.tp_keepidle_ms = 2 * 3600 * 1000,
	.tp_keepintvl_ms = 75000,
	.tp_keepcnt = 8,
	.tp_msl_ms = 30000,
	.tp_finwait2_ms = 60000,
	.tp_delack_ms = 40,
	.tp_persist_min_ms = 200,
	.tp_persist_max_ms = 60000,
	.tp_sendspace = 128 * 1024,
	.tp_recvspace = 128 * 1024,
	.tp_synq_max = 1024,
	.tp_reass_max = 512,
	.tp_challenge_max = 100,
	.tp_init_cwnd = 4,
	.tp_winscale = true,
	.tp_timestamps = true,
};
struct tcp_params tcp_params;

static uint64_t tcp_key[2];		/* SipHash key, drawn at boot */
static struct tcpcb *tcp_last;		/* lookup cache: last match */
static u_int tcp_embryonic;		/* SYN_RECEIVED, all listeners */

int
tcp_init(void)
{
	int error;

	memset(tcpstat, 0, sizeof(tcpstat));
	tcp_params = tcp_params_default;
	cprng_fill(tcp_key, sizeof(tcp_key));
	LIST_INIT(&tcp_cblist);
	in_pcbtable_init(&tcbtable);
	tcbtable.it_flags = INPT_REUSECONN;
	tcp_last = NULL;
	tcp_embryonic = 0;
	error = tcp_timer_init();
	if (error != 0)
		in_pcbtable_fini(&tcbtable);
	return error;
}

void
tcp_fini(void)
{
	KASSERT(LIST_EMPTY(&tcp_cblist));
	tcp_timer_fini();
	in_pcbtable_fini(&tcbtable);
}

/* ---- keyed hash (SipHash-2-4) ------------------------------------------- */

#define ROTL64(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

struct sip_state {
	uint64_t	v0, v1, v2, v3;
};

static void
sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL64(s->v2, 32);
}

static void
sip_word(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

/* SipHash-2-4 of nwords 64-bit words (a message of 8 * nwords bytes). */
static uint64_t
tcp_siphash(const uint64_t *w, u_int nwords)
{
	struct sip_state s;
	u_int i;

	s.v0 = tcp_key[0] ^ 0x736f6d6570736575ULL;
	s.v1 = tcp_key[1] ^ 0x646f72616e646f6dULL;
	s.v2 = tcp_key[0] ^ 0x6c7967656e657261ULL;
	s.v3 = tcp_key[1] ^ 0x7465646279746573ULL;
	for (i = 0; i < nwords; i++)
		sip_word(&s, w[i]);
	sip_word(&s, (uint64_t)(nwords * 8) << 56);
	s.v2 ^= 0xff;
	for (i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

static uint32_t
tcp_hash4(struct in_addr laddr, uint16_t lport, struct in_addr faddr,
    uint16_t fport, uint32_t purpose)
{
	uint64_t w[2];

	w[0] = (uint64_t)laddr.s_addr << 32 | faddr.s_addr;
	w[1] = (uint64_t)lport << 48 | (uint64_t)fport << 32 | purpose;
	return (uint32_t)tcp_siphash(w, 2);
}

tcp_seq
tcp_new_iss(struct in_addr laddr, uint16_t lport, struct in_addr faddr,
    uint16_t fport)
{
	/* M: a timer ticking every 4 microseconds. */
	return (tcp_seq)(getuptime_ns() / 4000) +
	    tcp_hash4(laddr, lport, faddr, fport, 0x155);
}

uint32_t
tcp_ts_offset(struct in_addr laddr, uint16_t lport, struct in_addr faddr,
    uint16_t fport)
{
	return tcp_hash4(laddr, lport, faddr, fport, 0x7570);
}

uint32_t
tcp_now(const struct tcpcb *tp)
{
	return (uint32_t)(getuptime_ns() / NSEC_PER_MSEC) + tp->ts_offset;
}

/* ---- control blocks ----------------------------------------------------- */

int
tcp_attach_pcb(struct socket *so, int kmflags)
{
	struct tcpcb *tp;
	struct inpcb *inp;
	int error;

	NET_ASSERT_LOCKED();
	tp = kmem_zalloc(sizeof(*tp), kmflags);
	if (tp == NULL)
		return ENOBUFS;
	error = in_pcballoc_flags(so, &tcbtable, kmflags);
	if (error != 0) {
		kmem_free(tp, sizeof(*tp));
		return error;
	}
	inp = sotoinpcb(so);
	inp->inp_ppcb = tp;
	tp->t_inpcb = inp;
	tp->t_socket = so;
	tp->t_state = TCPS_CLOSED;
	tp->t_maxseg = 536;		/* RFC 9293 3.7.1 default */
	tp->t_peermss = 536;
	tp->t_rto = tcp_params.tp_rto_init_ms * 1000;
	tp->snd_cwnd = TCP_MAXWIN << TCP_MAX_WINSHIFT;
	tp->snd_ssthresh = TCP_MAXWIN << TCP_MAX_WINSHIFT;
	tp->t_keepidle = tcp_params.tp_keepidle_ms;
	tp->t_keepintvl = tcp_params.tp_keepintvl_ms;
	tp->t_keepcnt = tcp_params.tp_keepcnt;
	tp->t_keepinit = tcp_params.tp_keepinit_ms;
	LIST_INSERT_HEAD(&tcp_cblist, tp, t_list);
	return 0;
}

void
tcp_discard(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;

	NET_ASSERT_LOCKED();
	tcp_timers_cancel(tp);
	tcp_reass_flush(tp);
	if (tp->t_state == TCPS_SYN_RECEIVED)
		tcp_embryonic--;
	if (tcp_last == tp)
		tcp_last = NULL;
	LIST_REMOVE(tp, t_list);
	inp->inp_ppcb = NULL;
	in_pcbfree(inp);
	kmem_free(tp, sizeof(*tp));
}

/* Embryonic connection accounting (SYN_RECEIVED entered or left). */
bool
tcp_embryonic_add(void)
{
	if (tcp_embryonic >= tcp_params.tp_synq_max)
		return false;
	tcp_embryonic++;
	return true;
}

void
tcp_embryonic_done(void)
{
	KASSERT(tcp_embryonic > 0);
	tcp_embryonic--;
}

struct tcpcb *
tcp_close(struct tcpcb *tp)
{
	struct socket *so = tp->t_socket;

	NET_ASSERT_LOCKED();
	tcp_timers_cancel(tp);
	tcp_reass_flush(tp);
	if (tp->t_state == TCPS_SYN_RECEIVED) {
		tcp_embryonic_done();
		TCP_STATINC(TCP_STAT_CONNDROPS);
	}
	if (tp->t_state != TCPS_CLOSED)
		TCP_STATINC(TCP_STAT_CLOSED);
	tp->t_state = TCPS_CLOSED;
	if (tcp_last == tp)
		tcp_last = NULL;
	soisdisconnected(so);
	if (so->so_state & SS_NOFDREF) {
		tcp_discard(tp);
		sofree(so);
		return NULL;
	}
	return tp;
}

struct tcpcb *
tcp_drop(struct tcpcb *tp, int error)
{
	struct socket *so = tp->t_socket;

	NET_ASSERT_LOCKED();
	if (TCPS_HAVERCVDSYN(tp->t_state)) {
		tcp_respond(tp, tp->t_inpcb->inp_laddr, tp->t_inpcb->inp_lport,
		    tp->t_inpcb->inp_faddr, tp->t_inpcb->inp_fport,
		    tp->snd_nxt, tp->rcv_nxt, TH_RST | TH_ACK);
		TCP_STATINC(TCP_STAT_DROPS);
	} else if (tp->t_state == TCPS_SYN_SENT) {
		TCP_STATINC(TCP_STAT_CONNDROPS);
	}
	if (error != 0)
		so->so_error = error;
	return tcp_close(tp);
}

/* ---- lookup ------------------------------------------------------------- */

struct tcpcb *
tcp_lookup(struct in_addr src, uint16_t sport, struct in_addr dst,
    uint16_t dport)
{
	struct tcpcb *tp, *listener = NULL;
	struct inpcb *inp;

	NET_ASSERT_LOCKED();
	tp = tcp_last;
	if (tp != NULL) {
		inp = tp->t_inpcb;
		if (inp->inp_lport == dport && inp->inp_fport == sport &&
		    inp->inp_faddr.s_addr == src.s_addr &&
		    inp->inp_laddr.s_addr == dst.s_addr &&
		    tp->t_state != TCPS_CLOSED)
			return tp;
	}
	LIST_FOREACH(inp, &tcbtable.it_list, inp_entry) {
		if (inp->inp_lport != dport)
			continue;
		tp = intotcpcb(inp);
		if (tp == NULL || tp->t_state == TCPS_CLOSED)
			continue;
		if (tp->t_state == TCPS_LISTEN) {
			/* A listener bound to this address beats one bound to
			 * any address. */
			if (inp->inp_laddr.s_addr == dst.s_addr ||
			    (inp->inp_laddr.s_addr == INADDR_ANY &&
			     listener == NULL))
				listener = tp;
			continue;
		}
		if (inp->inp_fport == sport &&
		    inp->inp_faddr.s_addr == src.s_addr &&
		    inp->inp_laddr.s_addr == dst.s_addr) {
			tcp_last = tp;
			return tp;
		}
	}
	return listener;
}

/* ---- control segments --------------------------------------------------- */

void
tcp_respond(struct tcpcb *tp, struct in_addr laddr, uint16_t lport,
    struct in_addr faddr, uint16_t fport, tcp_seq seq, tcp_seq ack,
    int flags)
{
	struct mbuf *m;
	struct ip *ip;
	struct tcphdr *th;
	uint8_t *opt;
	int optlen = 0, len;
	uint32_t win = 0;

	NET_ASSERT_LOCKED();
	if (tp != NULL && (tp->t_flags & TF_RCVD_TSTMP) && !(flags & TH_RST))
		optlen = 12;
	len = IP_MINHLEN + (int)sizeof(*th) + optlen;
	m = m_gethdr(M_NOWAIT, MT_HEADER);
	if (m == NULL) {
		TCP_STATINC(TCP_STAT_ODROPPED);
		return;
	}
	m_reserve(m, 32);
	m->m_len = m->m_pkthdr.len = len;
	ip = mtod(m, struct ip *);
	th = (struct tcphdr *)(ip + 1);
	memset(ip, 0, (size_t)len);
	th->th_sport = lport;
	th->th_dport = fport;
	th->th_seq = htonl(seq);
	th->th_ack = (flags & TH_ACK) ? htonl(ack) : 0;
	th->th_offx2 = TH_OFFX2((sizeof(*th) + optlen) >> 2);
	th->th_flags = (uint8_t)flags;
	if (tp != NULL && !(flags & TH_RST)) {
		win = tcp_rcv_space(tp) >> tp->rcv_scale;
		th->th_win = htons((uint16_t)MIN(win, TCP_MAXWIN));
	}
	if (optlen != 0) {
		opt = (uint8_t *)(th + 1);
		opt[0] = TCPOPT_NOP;
		opt[1] = TCPOPT_NOP;
		opt[2] = TCPOPT_TIMESTAMP;
		opt[3] = TCPOLEN_TIMESTAMP;
		*(uint32_t *)(void *)(opt + 4) = htonl(tcp_now(tp));
		*(uint32_t *)(void *)(opt + 8) = htonl(tp->ts_recent);
	}
	th->th_sum = in_cksum(m, IP_MINHLEN, len - IP_MINHLEN,
	    in_pseudo(laddr, faddr, IPPROTO_TCP, (uint16_t)(len - IP_MINHLEN)));
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_len = htons((uint16_t)len);
	ip->ip_ttl = tp != NULL ? tp->t_inpcb->inp_ttl : IP_DEFTTL;
	ip->ip_tos = tp != NULL ? tp->t_inpcb->inp_tos : 0;
	ip->ip_p = IPPROTO_TCP;
	ip->ip_src = laddr;
	ip->ip_dst = faddr;
	TCP_STATINC(TCP_STAT_SNDTOTAL);
	if (flags & TH_RST)
		TCP_STATINC(TCP_STAT_SNDRST);
	else
		TCP_STATINC(TCP_STAT_SNDACKS);
	if (tp != NULL && (flags & TH_ACK))
		tp->last_ack_sent = ack;
	(void)ip_output(m, 0);	/* a lost control segment is recovered by
				 * the peer's retransmission */
}

uint16_t
tcp_mss_for(struct tcpcb *tp, struct in_addr dst)
{
	struct rtentry *rt;
	u_int mtu = 0;
	uint32_t mss;

	NET_ASSERT_LOCKED();
	if (in_ifaddr_lookup(dst) != NULL ||
	    (ntohl(dst.s_addr) >> 24) == IN_LOOPBACKNET) {
		if (lo0ifp != NULL)
			mtu = lo0ifp->if_mtu;
	} else if ((rt = rt_lookup(dst)) != NULL) {
		mtu = rt->rt_ifp->if_mtu;
	}
	if (mtu < 576)
		mtu = 576;
	mss = mtu - IP_MINHLEN - sizeof(struct tcphdr);
	if (mss > TCP_MAXWIN)
		mss = TCP_MAXWIN;
	if (tp->t_usermss != 0 && tp->t_usermss < mss)
		mss = tp->t_usermss;
	return (uint16_t)mss;
}

uint32_t
tcp_rcv_space(const struct tcpcb *tp)
{
	uint32_t space = sb_space(&tp->t_socket->so_rcv);

	return MIN(space, (uint32_t)TCP_MAXWIN << tp->rcv_scale);
}
