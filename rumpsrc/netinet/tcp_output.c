/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_output.c: TCP output: decide whether a segment is due and build it.
 *
 * tcp_output looks at the connection and sends what is due, as many
 * segments as the windows allow: new data (full MSS segments; a short one
 * only when Nagle allows it: nothing unacknowledged, TCP_NODELAY, or the
 * end of the data), retransmissions (snd_nxt moved back by the timer or
 * fast retransmit), SYN, FIN, ACKs owed (TF_ACKNOW), window updates when
 * the reader made room (RFC 1122 4.2.3.3 receiver-side SWS avoidance),
 * and zero-window probes (TF_FORCEDATA from the persist timer).  The
 * usable window is min(peer window, congestion window).  Options: MSS,
 * window scale and timestamps on SYNs; timestamps on every segment once
 * both ends agreed (RFC 7323).
 *
 * Data is copied out of the send buffer (which keeps it until it is
 * acknowledged) into fresh clusters: the IP layer owns what it is given.
 *
 * Called with net_lock held by input, the user requests and the timers.
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

#include "in_pcb.h"
#include "tcp_var.h"

#define TCP_LINKROOM	32	/* headroom for link headers */

static const uint8_t tcp_outflags[TCPS_NSTATES] = {
	[TCPS_CLOSED] = TH_RST | TH_ACK,
	[TCPS_LISTEN] = 0,
	[TCPS_SYN_SENT] = TH_SYN,
	[TCPS_SYN_RECEIVED] = TH_SYN | TH_ACK,
	[TCPS_ESTABLISHED] = TH_ACK,
	[TCPS_CLOSE_WAIT] = TH_ACK,
	[TCPS_FIN_WAIT_1] = TH_FIN | TH_ACK,
	[TCPS_CLOSING] = TH_FIN | TH_ACK,
	[TCPS_LAST_ACK] = TH_FIN | TH_ACK,
	[TCPS_FIN_WAIT_2] = TH_ACK,
	[TCPS_TIME_WAIT] = TH_ACK,
};

/* Copy len bytes at off of a stream buffer into a new chain (M_NOWAIT). */
static struct mbuf *
tcp_copy_data(const struct mbuf *m, u_int off, u_int len)
{
	struct mbuf *top = NULL, **np = &top, *n;
	u_int chunk, done;

	while (m != NULL && off >= (u_int)m->m_len) {
		off -= (u_int)m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		n = m_get(M_NOWAIT, MT_DATA);
		if (n == NULL)
			goto err_free;
		*np = n;
		np = &n->m_next;
		if (len > (u_int)MLEN && !m_clget(n, M_NOWAIT))
			goto err_free;
		chunk = MIN(len, (u_int)M_TRAILINGSPACE(n));
		for (done = 0; done < chunk; ) {
			u_int c;

			KASSERT(m != NULL);
			c = MIN(chunk - done, (u_int)m->m_len - off);
			memcpy(n->m_data + done, m->m_data + off, c);
			done += c;
			off += c;
			if (off == (u_int)m->m_len) {
				off = 0;
				m = m->m_next;
			}
		}
		n->m_len = (int)chunk;
		len -= chunk;
	}
	return top;

err_free:
	m_freem(top);
	return NULL;
}

/* Options of a segment into opt (room for TCP_MAXOLEN); the length. */
static int
tcp_build_options(struct tcpcb *tp, int flags, uint8_t *opt)
{
	int n = 0;
	uint16_t mss;

	if (flags & TH_SYN) {
		mss = tcp_mss_for(tp, tp->t_inpcb->inp_faddr);
		opt[n++] = TCPOPT_MAXSEG;
		opt[n++] = TCPOLEN_MAXSEG;
		opt[n++] = (uint8_t)(mss >> 8);
		opt[n++] = (uint8_t)mss;
		if ((tp->t_flags & TF_REQ_SCALE) &&
		    (!(flags & TH_ACK) || (tp->t_flags & TF_RCVD_SCALE))) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_WINDOW;
			opt[n++] = TCPOLEN_WINDOW;
			opt[n++] = tp->request_r_scale;
		}
	}
	if ((tp->t_flags & TF_REQ_TSTMP) && !(flags & TH_RST) &&
	    ((flags & (TH_SYN | TH_ACK)) == TH_SYN ||
	     (tp->t_flags & TF_RCVD_TSTMP))) {
		uint32_t v;

		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_TIMESTAMP;
		opt[n++] = TCPOLEN_TIMESTAMP;
		v = htonl(tcp_now(tp));
		memcpy(opt + n, &v, 4);
		v = htonl(tp->ts_recent);
		memcpy(opt + n + 4, &v, 4);
		n += 8;
	}
	KASSERT(n <= TCP_MAXOLEN && (n & 3) == 0);
	return n;
}

void
tcp_send_challenge_ack(struct tcpcb *tp)
{
	uint64_t sec = getuptime_ns() / NSEC_PER_SEC;
	struct inpcb *inp = tp->t_inpcb;

	if (sec != tp->t_challenge_sec) {
		tp->t_challenge_sec = sec;
		tp->t_challenge_cnt = 0;
	}
	if (tp->t_challenge_cnt >= tcp_params.tp_challenge_max) {
		TCP_STATINC(TCP_STAT_CHALLENGELIMIT);
		return;
	}
	tp->t_challenge_cnt++;
	TCP_STATINC(TCP_STAT_CHALLENGEACK);
	tcp_respond(tp, inp->inp_laddr, inp->inp_lport, inp->inp_faddr,
	    inp->inp_fport, tp->snd_nxt, tp->rcv_nxt, TH_ACK);
}

/* Is a segment (data len, flags) due now? */
static bool
tcp_send_due(struct tcpcb *tp, long len, long off, int flags, uint32_t rwin,
    bool idle)
{
	struct socket *so = tp->t_socket;
	long adv;

	if (len > 0) {
		if (len >= tp->t_maxseg)
			return true;
		/* Nagle (RFC 9293 3.7.4): a short segment only with nothing
		 * in flight, or TCP_NODELAY, when it empties the buffer. */
		if ((idle || (tp->t_flags & TF_NODELAY)) &&
		    len + off >= (long)so->so_snd.sb_cc)
			return true;
		if (tp->t_flags & TF_FORCEDATA)
			return true;
		if (tp->max_sndwnd > 0 && len >= (long)tp->max_sndwnd / 2)
			return true;
		if (SEQ_LT(tp->snd_nxt, tp->snd_max))
			return true;	/* retransmission */
	}
	/* Window update: the reader made room worth telling. */
	if (rwin > 0 && TCPS_HAVERCVDSYN(tp->t_state) &&
	    !TCPS_HAVERCVDFIN(tp->t_state)) {
		adv = (long)rwin - (long)(tp->rcv_adv - tp->rcv_nxt);
		if (adv >= 2 * (long)tp->t_maxseg ||
		    2 * adv >= (long)so->so_rcv.sb_hiwat)
			return true;
	}
	if (tp->t_flags & TF_ACKNOW)
		return true;
	if (flags & (TH_SYN | TH_RST))
		return true;
	if ((flags & TH_FIN) &&
	    (!(tp->t_flags & TF_SENTFIN) || tp->snd_nxt == tp->snd_una))
		return true;
	return false;
}

int
tcp_output(struct tcpcb *tp)
{
	struct socket *so = tp->t_socket;
	struct inpcb *inp = tp->t_inpcb;
	uint8_t opt[TCP_MAXOLEN];
	struct mbuf *m, *data;
	struct tcphdr *th;
	struct ip *ip;
	long len, off;
	uint32_t win, rwin, sbcc, cur;
	int flags, optlen, hdrlen, error;
	bool idle, sendalot, probe;
	tcp_seq startseq;

	NET_ASSERT_LOCKED();
	if (tp->t_state == TCPS_CLOSED || tp->t_state == TCPS_LISTEN)
		return 0;
	idle = tp->snd_max == tp->snd_una;
again:
	sendalot = false;
	probe = false;
	sbcc = so->so_snd.sb_cc;
	off = (long)(tp->snd_nxt - tp->snd_una);
	win = MIN(tp->snd_wnd, tp->snd_cwnd);
	flags = tcp_outflags[tp->t_state];
	if (tp->t_flags & TF_FORCEDATA) {
		if (win == 0) {
			/* A one-byte probe past a zero window. */
			if (off < (long)sbcc)
				flags &= ~TH_FIN;
			win = 1;
			probe = tcp_timer_armed(tp, TCPT_PERSIST);
		} else {
			tcp_timer_disarm(tp, TCPT_PERSIST);
			tp->t_persistshift = 0;
		}
	}
	if (flags & TH_SYN) {
		/* No data on SYNs; a SYN in flight is not sent again here. */
		len = 0;
		if (SEQ_GT(tp->snd_nxt, tp->snd_una))
			flags &= ~TH_SYN;
	} else {
		len = (long)MIN(sbcc, win) - off;
	}
	if (len < 0)
		len = 0;
	if (len > tp->t_maxseg) {
		len = tp->t_maxseg;
		sendalot = true;
	}
	if (SEQ_LT(tp->snd_nxt + (uint32_t)len, tp->snd_una + sbcc))
		flags &= ~TH_FIN;
	/* Receive window, never shrunk below what was offered. */
	rwin = tcp_rcv_space(tp);
	if (rwin < so->so_rcv.sb_hiwat / 4 && rwin < tp->t_maxseg)
		rwin = 0;
	cur = SEQ_GT(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
	if (rwin < cur)
		rwin = cur;
	/* RFC 9293 3.8.6.2.2: move the right edge only in big steps (this
	 * also keeps duplicate ACKs recognisable by their window). */
	else if (rwin - cur < MIN(so->so_rcv.sb_hiwat / 2,
	    (uint32_t)tp->t_maxseg))
		rwin = cur;

	if (!tcp_send_due(tp, len, off, flags, rwin, idle)) {
		/* Data waits for a window: probe it. */
		if (sbcc > 0 && !tcp_timer_armed(tp, TCPT_REXMT) &&
		    !tcp_timer_armed(tp, TCPT_PERSIST)) {
			tp->t_rxtshift = 0;
			tp->t_persistshift = 0;
			tcp_setpersist(tp);
		}
		return 0;
	}

	/* ---- build the segment ---- */
	optlen = tcp_build_options(tp, flags, opt);
	hdrlen = IP_MINHLEN + (int)sizeof(*th) + optlen;
	m = m_gethdr(M_NOWAIT, MT_HEADER);
	if (m == NULL)
		goto err_nobufs;
	m_reserve(m, TCP_LINKROOM);
	m->m_len = hdrlen;
	if (len > 0) {
		if (len <= (long)(MHLEN - TCP_LINKROOM - hdrlen)) {
			m_copydata(so->so_snd.sb_mb, (int)off, (int)len,
			    m->m_data + hdrlen);
			m->m_len += (int)len;
		} else {
			data = tcp_copy_data(so->so_snd.sb_mb, (u_int)off,
			    (u_int)len);
			if (data == NULL) {
				m_freem(m);
				goto err_nobufs;
			}
			m->m_next = data;
		}
		if (SEQ_LT(tp->snd_nxt, tp->snd_max)) {
			TCP_STATINC(TCP_STAT_SNDREXMITPACK);
			TCP_STATADD(TCP_STAT_SNDREXMITBYTE, (uint64_t)len);
		} else {
			TCP_STATINC(TCP_STAT_SNDPACK);
			TCP_STATADD(TCP_STAT_SNDBYTE, (uint64_t)len);
		}
		if (probe)
			TCP_STATINC(TCP_STAT_SNDPROBE);
		/* Push when this empties the buffer. */
		if (off + len == (long)sbcc)
			flags |= TH_PUSH;
	} else if (tp->t_flags & TF_ACKNOW) {
		TCP_STATINC(TCP_STAT_SNDACKS);
	} else if (flags & (TH_SYN | TH_FIN | TH_RST)) {
		TCP_STATINC(TCP_STAT_SNDCTRL);
	} else {
		TCP_STATINC(TCP_STAT_SNDWINUP);
	}
	TCP_STATINC(TCP_STAT_SNDTOTAL);
	m->m_pkthdr.len = hdrlen + (int)len;

	ip = mtod(m, struct ip *);
	th = (struct tcphdr *)(ip + 1);
	memset(th, 0, sizeof(*th));
	th->th_sport = inp->inp_lport;
	th->th_dport = inp->inp_fport;
	/* Pure ACKs carry snd_max (after a timeout moved snd_nxt back). */
	if (len > 0 || (flags & (TH_SYN | TH_FIN)) ||
	    tcp_timer_armed(tp, TCPT_PERSIST))
		th->th_seq = htonl(tp->snd_nxt);
	else
		th->th_seq = htonl(tp->snd_max);
	if (flags & TH_ACK) {
		th->th_ack = htonl(tp->rcv_nxt);
		tp->last_ack_sent = tp->rcv_nxt;
	}
	th->th_offx2 = TH_OFFX2((sizeof(*th) + (size_t)optlen) >> 2);
	th->th_flags = (uint8_t)flags;
	if (flags & TH_SYN)
		win = MIN(rwin, (uint32_t)TCP_MAXWIN);	/* never scaled */
	else
		win = MIN(rwin >> tp->rcv_scale, (uint32_t)TCP_MAXWIN);
	th->th_win = htons((uint16_t)win);
	if (flags & TH_SYN)
		win = MIN(rwin, (uint32_t)TCP_MAXWIN);
	else
		win <<= tp->rcv_scale;
	if (win > 0 && SEQ_GT(tp->rcv_nxt + win, tp->rcv_adv))
		tp->rcv_adv = tp->rcv_nxt + win;
	tp->rcv_wnd = win;
	memcpy(th + 1, opt, (size_t)optlen);
	if (flags & TH_ACK) {
		tp->t_flags &= ~(TF_ACKNOW | TF_DELACK);
		tcp_timer_disarm(tp, TCPT_DELACK);
		tp->t_segs_unacked = 0;
	}

	/* ---- advance the send sequence and the timers ---- */
	startseq = tp->snd_nxt;
	if (!probe) {
		if (flags & TH_SYN)
			tp->snd_nxt++;
		if (flags & TH_FIN) {
			tp->snd_nxt++;
			tp->t_flags |= TF_SENTFIN;
		}
		tp->snd_nxt += (uint32_t)len;
		if (SEQ_GT(tp->snd_nxt, tp->snd_max)) {
			tp->snd_max = tp->snd_nxt;
			if (tp->t_rttstart == 0) {	/* time this one */
				tp->t_rttstart = getuptime_ns();
				tp->t_rtseq = startseq;
			}
		}
		if (!tcp_timer_armed(tp, TCPT_REXMT) &&
		    tp->snd_nxt != tp->snd_una) {
			if (tcp_timer_armed(tp, TCPT_PERSIST)) {
				tcp_timer_disarm(tp, TCPT_PERSIST);
				tp->t_rxtshift = 0;
			}
			tcp_timer_arm_us(tp, TCPT_REXMT, tcp_rexmt_us(tp));
		}
	} else if (SEQ_GT(tp->snd_nxt + (uint32_t)len, tp->snd_max)) {
		tp->snd_max = tp->snd_nxt + (uint32_t)len;
	}

	th->th_sum = in_cksum(m, IP_MINHLEN, m->m_pkthdr.len - IP_MINHLEN,
	    in_pseudo(inp->inp_laddr, inp->inp_faddr, IPPROTO_TCP,
	    (uint16_t)(m->m_pkthdr.len - IP_MINHLEN)));
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_tos = inp->inp_tos;
	ip->ip_len = htons((uint16_t)m->m_pkthdr.len);
	ip->ip_off = 0;
	ip->ip_ttl = inp->inp_ttl;
	ip->ip_p = IPPROTO_TCP;
	ip->ip_sum = 0;
	ip->ip_src = inp->inp_laddr;
	ip->ip_dst = inp->inp_faddr;
	error = ip_output(m, 0);
	if (error != 0) {
		/* The segment is lost; the retransmission timer (armed above
		 * when anything is outstanding) recovers. */
		if (error == ENOBUFS)
			TCP_STATINC(TCP_STAT_ODROPPED);
		return error;
	}
	if (sendalot)
		goto again;
	return 0;

err_nobufs:
	/* Try again soon: data through the retransmission timer, an ACK
	 * through the delayed-ACK timer. */
	TCP_STATINC(TCP_STAT_ODROPPED);
	if ((tp->snd_max != tp->snd_una || sbcc > 0) &&
	    !tcp_timer_armed(tp, TCPT_REXMT) &&
	    !tcp_timer_armed(tp, TCPT_PERSIST))
		tcp_timer_arm_us(tp, TCPT_REXMT, tcp_rexmt_us(tp));
	if (tp->t_flags & TF_ACKNOW)
		tcp_timer_arm(tp, TCPT_DELACK, tcp_params.tp_delack_ms);
	return ENOBUFS;
}
