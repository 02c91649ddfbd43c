/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_input.c: TCP input (RFC 9293 3.10.7) with the RFC 5961 mitigations,
 * RFC 7323 PAWS, RFC 5681 congestion control and RFC 6582 NewReno.
 *
 * Validation before anything is trusted: the segment must hold a header,
 * the data offset must be >= 5 words and inside the segment, the checksum
 * (pseudo-header included) must verify, options are walked with every
 * length checked against what is left (a malformed option ends the walk
 * and is counted), broadcast and multicast destinations are dropped.
 * Every dropped segment is counted in tcpstat[].
 *
 * Then, by state: LISTEN (a SYN makes a new embryonic connection through
 * sonewconn, bounded by the listener's backlog and a global SYN queue
 * bound), SYN_SENT (handshake, simultaneous open, refusal), and the
 * synchronised states: PAWS, RST (reset only when it is exactly at
 * rcv_nxt; in window: challenge ACK; else ignored), SYN (challenge ACK;
 * TIME_WAIT may be recycled by a new SYN), trimming to the window, the
 * ACK (acceptance range of RFC 5961 5.2, duplicate ACKs, fast retransmit
 * and recovery, RTT samples, slow start / congestion avoidance), window
 * updates, data (in order to the socket, else to the reassembly queue),
 * FIN and the state changes it causes.  ACKs are delayed (one per two
 * full segments, or after tcp_params.tp_delack_ms) unless something
 * asks for an immediate one.
 *
 * Called by ip_input in the receive softint with net_lock held; owns m.
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

#include "inet_private.h"
#include "in_pcb.h"
#include "tcp_var.h"

#define TCP_PAWS_IDLE_NS	(24ULL * 24 * 3600 * NSEC_PER_SEC)
#define TSTMP_LT(a, b)		((int32_t)((a) - (b)) < 0)

/* The parsed options of a segment. */
struct tcp_opts {
	bool		to_have_mss;
	bool		to_have_ws;
	bool		to_have_ts;
	uint16_t	to_mss;
	uint8_t		to_ws;
	uint32_t	to_tsval;
	uint32_t	to_tsecr;
};

/* What tcp_input keeps of a segment after trimming off the headers. */
struct tcp_seg {
	struct in_addr	sg_src, sg_dst;
	uint16_t	sg_sport, sg_dport;
	tcp_seq		sg_seq, sg_ack;
	uint32_t	sg_win;		/* raw field, host order */
	int		sg_flags;
	int		sg_len;		/* data bytes */
	struct tcp_opts	sg_opts;
};

static void
tcp_dooptions(const uint8_t *cp, int cnt, int flags, struct tcp_opts *to)
{
	int opt, optlen;

	memset(to, 0, sizeof(*to));
	while (cnt > 0) {
		opt = cp[0];
		if (opt == TCPOPT_EOL)
			break;
		if (opt == TCPOPT_NOP) {
			cp++;
			cnt--;
			continue;
		}
		if (cnt < 2 || cp[1] < 2 || cp[1] > cnt) {
			TCP_STATINC(TCP_STAT_RCVBADOPT);
			break;
		}
		optlen = cp[1];
		switch (opt) {
		case TCPOPT_MAXSEG:
			if (optlen != TCPOLEN_MAXSEG || !(flags & TH_SYN))
				break;
			to->to_have_mss = true;
			to->to_mss = (uint16_t)(cp[2] << 8 | cp[3]);
			break;
		case TCPOPT_WINDOW:
			if (optlen != TCPOLEN_WINDOW || !(flags & TH_SYN))
				break;
			to->to_have_ws = true;
			to->to_ws = MIN(cp[2], TCP_MAX_WINSHIFT);
			break;
		case TCPOPT_TIMESTAMP:
			if (optlen != TCPOLEN_TIMESTAMP)
				break;
			to->to_have_ts = true;
			to->to_tsval = (uint32_t)cp[2] << 24 |
			    (uint32_t)cp[3] << 16 | (uint32_t)cp[4] << 8 | cp[5];
			to->to_tsecr = (uint32_t)cp[6] << 24 |
			    (uint32_t)cp[7] << 16 | (uint32_t)cp[8] << 8 | cp[9];
			break;
		default:
			break;
		}
		cp += optlen;
		cnt -= optlen;
	}
}

/* The shift that lets our window reach the receive buffer (RFC 7323). */
static uint8_t
tcp_wanted_rscale(const struct socket *so)
{
	uint8_t s = 0;

	while (s < TCP_MAX_WINSHIFT &&
	    ((uint32_t)TCP_MAXWIN << s) < so->so_rcv.sb_hiwat)
		s++;
	return s;
}

/* Options of the peer's SYN: the scales, timestamps, the MSS. */
static void
tcp_syn_options(struct tcpcb *tp, const struct tcp_seg *sg)
{
	const struct tcp_opts *to = &sg->sg_opts;
	uint16_t ours;

	if ((tp->t_flags & TF_REQ_SCALE) && to->to_have_ws) {
		tp->t_flags |= TF_RCVD_SCALE;
		tp->snd_scale = to->to_ws;
		tp->rcv_scale = tp->request_r_scale;
	} else {
		tp->t_flags &= ~(TF_REQ_SCALE | TF_RCVD_SCALE);
		tp->snd_scale = tp->rcv_scale = 0;
	}
	if ((tp->t_flags & TF_REQ_TSTMP) && to->to_have_ts) {
		tp->t_flags |= TF_RCVD_TSTMP;
		tp->ts_recent = to->to_tsval;
		tp->ts_recent_age = getuptime_ns();
	} else {
		tp->t_flags &= ~(TF_REQ_TSTMP | TF_RCVD_TSTMP);
	}
	tp->t_peermss = to->to_have_mss ? to->to_mss : 536;
	ours = tcp_mss_for(tp, tp->t_inpcb->inp_faddr);
	tp->t_maxseg = MIN(tp->t_peermss, ours);
	if (tp->t_flags & TF_RCVD_TSTMP)
		tp->t_maxseg -= 12;
	if (tp->t_maxseg < 64)
		tp->t_maxseg = 64;
	/* RFC 5681 3.1 initial window. */
	tp->snd_cwnd = tcp_params.tp_init_cwnd * tp->t_maxseg;
}

void
tcp_established(struct tcpcb *tp)
{
	if (tp->t_state == TCPS_SYN_RECEIVED)
		tcp_embryonic_done();
	tp->t_state = TCPS_ESTABLISHED;
	TCP_STATINC(TCP_STAT_CONNECTS);
	tcp_timer_disarm(tp, TCPT_KEEP);
	tcp_keep_restart(tp);
	soisconnected(tp->t_socket);
	if (tp->t_flags & TF_NEEDFIN) {	/* closed during the handshake */
		tp->t_flags &= ~TF_NEEDFIN;
		tp->t_state = TCPS_FIN_WAIT_1;
	}
}

static void
tcp_enter_timewait(struct tcpcb *tp)
{
	tp->t_state = TCPS_TIME_WAIT;
	tcp_timers_cancel(tp);
	tcp_timer_arm(tp, TCPT_2MSL, 2 * (uint64_t)tcp_params.tp_msl_ms);
	soisdisconnected(tp->t_socket);
}

/* Answer a segment no connection wants with a RST (RFC 9293 3.10.7.1). */
static void
tcp_reset_for(const struct tcp_seg *sg)
{
	tcp_seq ack;

	if (sg->sg_flags & TH_RST)
		return;
	if (sg->sg_flags & TH_ACK) {
		tcp_respond(NULL, sg->sg_dst, sg->sg_dport, sg->sg_src,
		    sg->sg_sport, sg->sg_ack, 0, TH_RST);
		return;
	}
	ack = sg->sg_seq + (uint32_t)sg->sg_len;
	if (sg->sg_flags & TH_SYN)
		ack++;
	if (sg->sg_flags & TH_FIN)
		ack++;
	tcp_respond(NULL, sg->sg_dst, sg->sg_dport, sg->sg_src, sg->sg_sport,
	    0, ack, TH_RST | TH_ACK);
}

/* ---- LISTEN ------------------------------------------------------------- */

static void
tcp_input_listen(struct tcpcb *ltp, struct tcp_seg *sg, struct mbuf *m)
{
	struct socket *head = ltp->t_socket, *so;
	struct tcpcb *tp;
	struct inpcb *inp;

	m_freem(m);		/* data on a SYN is not kept */
	if (sg->sg_flags & TH_RST)
		return;
	if (sg->sg_flags & TH_ACK) {
		TCP_STATINC(TCP_STAT_DROPPED);
		tcp_reset_for(sg);
		return;
	}
	if (!(sg->sg_flags & TH_SYN) || (sg->sg_flags & TH_FIN)) {
		TCP_STATINC(TCP_STAT_BADSYN);
		return;
	}
	if (head->so_qlen + head->so_q0len >= head->so_qlimit) {
		TCP_STATINC(TCP_STAT_LISTENDROP);
		return;
	}
	if (!tcp_embryonic_add()) {
		TCP_STATINC(TCP_STAT_SYNQDROP);
		return;
	}
	so = sonewconn(head);
	if (so == NULL) {
		tcp_embryonic_done();
		TCP_STATINC(TCP_STAT_RCVMEMDROP);
		return;
	}
	tp = sototcpcb(so);
	inp = tp->t_inpcb;
	inp->inp_laddr = sg->sg_dst;
	inp->inp_lport = sg->sg_dport;
	inp->inp_faddr = sg->sg_src;
	inp->inp_fport = sg->sg_sport;
	inp->inp_ttl = ltp->t_inpcb->inp_ttl;
	inp->inp_tos = ltp->t_inpcb->inp_tos;
	so->so_state |= SS_ISBOUND;
	tp->t_flags |= ltp->t_flags & TF_NODELAY;
	tp->t_usermss = ltp->t_usermss;
	tp->t_keepidle = ltp->t_keepidle;
	tp->t_keepintvl = ltp->t_keepintvl;
	tp->t_keepcnt = ltp->t_keepcnt;
	tp->t_keepinit = ltp->t_keepinit;
	tp->t_state = TCPS_SYN_RECEIVED;
	tp->iss = tcp_new_iss(inp->inp_laddr, inp->inp_lport, inp->inp_faddr,
	    inp->inp_fport);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->snd_recover = tp->iss;
	tp->irs = sg->sg_seq;
	tp->rcv_nxt = tp->rcv_adv = sg->sg_seq + 1;
	tp->ts_offset = tcp_ts_offset(inp->inp_laddr, inp->inp_lport,
	    inp->inp_faddr, inp->inp_fport);
	if (tcp_params.tp_winscale) {
		tp->t_flags |= TF_REQ_SCALE;
		tp->request_r_scale = tcp_wanted_rscale(so);
	}
	if (tcp_params.tp_timestamps)
		tp->t_flags |= TF_REQ_TSTMP;
	tcp_syn_options(tp, sg);
	tp->snd_wnd = sg->sg_win;	/* a SYN's window is never scaled */
	tp->max_sndwnd = tp->snd_wnd;
	tp->snd_wl1 = sg->sg_seq;
	tp->snd_wl2 = tp->iss;
	tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepinit);
	TCP_STATINC(TCP_STAT_ACCEPTS);
	(void)tcp_output(tp);
}

/* ---- SYN_SENT ----------------------------------------------------------- */

static void
tcp_input_synsent(struct tcpcb *tp, struct tcp_seg *sg, struct mbuf *m)
{
	int flags = sg->sg_flags;

	m_freem(m);		/* data on a SYN is not kept: resent */
	if ((flags & TH_ACK) && (SEQ_LEQ(sg->sg_ack, tp->iss) ||
	    SEQ_GT(sg->sg_ack, tp->snd_max))) {
		TCP_STATINC(TCP_STAT_DROPPED);
		tcp_reset_for(sg);
		return;
	}
	if (flags & TH_RST) {
		if (flags & TH_ACK) {
			TCP_STATINC(TCP_STAT_RCVRST);
			(void)tcp_drop(tp, ECONNREFUSED);
		} else {
			TCP_STATINC(TCP_STAT_RSTIGNORED);
		}
		return;
	}
	if (!(flags & TH_SYN)) {
		TCP_STATINC(TCP_STAT_DROPPED);
		return;
	}
	tp->irs = sg->sg_seq;
	tp->rcv_nxt = tp->rcv_adv = sg->sg_seq + 1;
	tcp_syn_options(tp, sg);
	tp->snd_wnd = sg->sg_win;
	tp->max_sndwnd = tp->snd_wnd;
	tp->snd_wl1 = sg->sg_seq;
	if (flags & TH_ACK) {
		tp->snd_una = sg->sg_ack;
		tp->snd_wl2 = sg->sg_ack;
		if (SEQ_LT(tp->snd_nxt, tp->snd_una))
			tp->snd_nxt = tp->snd_una;
		tcp_timer_disarm(tp, TCPT_REXMT);
		if (tp->t_rttstart != 0 && SEQ_GT(sg->sg_ack, tp->t_rtseq)) {
			tcp_rtt_sample(tp, (getuptime_ns() - tp->t_rttstart) /
			    NSEC_PER_USEC);
			tp->t_rttstart = 0;
		}
		tp->t_rxtshift = 0;
		tcp_established(tp);
		tp->t_flags |= TF_ACKNOW;
		(void)tcp_output(tp);
		return;
	}
	/* Simultaneous open: answer with SYN,ACK and wait for the ACK. */
	if (!tcp_embryonic_add()) {
		TCP_STATINC(TCP_STAT_SYNQDROP);
		return;
	}
	tp->t_state = TCPS_SYN_RECEIVED;
	tp->snd_wl2 = tp->iss;
	tp->snd_nxt = tp->snd_una;
	tcp_timer_disarm(tp, TCPT_REXMT);
	(void)tcp_output(tp);
}

/* ---- synchronised states: the ACK --------------------------------------- */

/* Retransmit the segment at snd_una now (fast retransmit). */
static void
tcp_rexmit_first(struct tcpcb *tp)
{
	tcp_seq onxt = tp->snd_nxt;
	uint32_t ocwnd = tp->snd_cwnd;

	tp->snd_nxt = tp->snd_una;
	tp->snd_cwnd = tp->t_maxseg;
	tp->t_rttstart = 0;
	tcp_timer_disarm(tp, TCPT_REXMT);
	(void)tcp_output(tp);
	tp->snd_cwnd = ocwnd;
	if (SEQ_GT(onxt, tp->snd_nxt))
		tp->snd_nxt = onxt;
}

/*
 * A duplicate ACK (no data, same window, data outstanding, ack == snd_una).
 * Returns true when the segment is consumed.
 */
static bool
tcp_dupack(struct tcpcb *tp, const struct tcp_seg *sg)
{
	uint32_t flight;

	TCP_STATINC(TCP_STAT_RCVDUPACK);
	tp->t_dupacks++;
	if (tp->t_flags & TF_FASTRECOVERY) {
		/* RFC 6582 3.2 step 4: inflate. */
		tp->snd_cwnd += tp->t_maxseg;
		(void)tcp_output(tp);
		return true;
	}
	if (tp->t_dupacks != 3)
		return false;
	/* RFC 6582 3.2 steps 1-2: enter only past the last recovery. */
	if (!SEQ_GT(sg->sg_ack, tp->snd_recover))
		return false;
	TCP_STATINC(TCP_STAT_FASTREXMT);
	TCP_STATINC(TCP_STAT_RECOVERIES);
	flight = tp->snd_max - tp->snd_una;
	tp->snd_ssthresh = MAX(flight / 2, 2u * tp->t_maxseg);
	tp->snd_recover = tp->snd_max;
	tp->t_flags |= TF_FASTRECOVERY;
	tcp_rexmit_first(tp);
	tp->snd_cwnd = tp->snd_ssthresh + 3u * tp->t_maxseg;
	(void)tcp_output(tp);
	return true;
}

/* New data acknowledged (snd_una < ack <= snd_max).  May free tp: NULL. */
static struct tcpcb *
tcp_newack(struct tcpcb *tp, const struct tcp_seg *sg)
{
	struct socket *so = tp->t_socket;
	uint32_t acked = sg->sg_ack - tp->snd_una, flight, incr;
	bool ourfinisacked = false, partial = false;

	TCP_STATINC(TCP_STAT_RCVACKPACK);
	TCP_STATADD(TCP_STAT_RCVACKBYTE, acked);
	if (tp->t_flags & TF_FASTRECOVERY) {
		if (SEQ_LT(sg->sg_ack, tp->snd_recover)) {
			/* RFC 6582 3.2 step 5: partial ACK. */
			TCP_STATINC(TCP_STAT_PARTIALACK);
			partial = true;		/* retransmit below */
			tp->snd_cwnd = tp->snd_cwnd > acked ?
			    tp->snd_cwnd - acked + tp->t_maxseg : tp->t_maxseg;
		} else {
			/* Step 3: full ACK, leave recovery. */
			flight = tp->snd_max - sg->sg_ack;
			tp->snd_cwnd = MIN(tp->snd_ssthresh,
			    MAX(flight, (uint32_t)tp->t_maxseg) +
			    tp->t_maxseg);
			tp->t_flags &= ~TF_FASTRECOVERY;
		}
	} else if (tp->snd_cwnd <= tp->snd_ssthresh) {
		/* Slow start (RFC 5681 3.1, at most one SMSS per ACK). */
		tp->snd_cwnd += MIN(acked, (uint32_t)tp->t_maxseg);
	} else {
		/* Congestion avoidance: one SMSS per cwnd acknowledged. */
		tp->t_bytes_acked += acked;
		if (tp->t_bytes_acked >= tp->snd_cwnd) {
			tp->t_bytes_acked -= tp->snd_cwnd;
			tp->snd_cwnd += tp->t_maxseg;
		}
	}
	incr = (uint32_t)TCP_MAXWIN << tp->snd_scale;
	if (tp->snd_cwnd > incr)
		tp->snd_cwnd = incr;
	if (!(tp->t_flags & TF_FASTRECOVERY))
		tp->t_dupacks = 0;
	/* RTT sample (Karn: t_rttstart is cleared on retransmission). */
	if (tp->t_rttstart != 0 && SEQ_GT(sg->sg_ack, tp->t_rtseq)) {
		tcp_rtt_sample(tp, (getuptime_ns() - tp->t_rttstart) /
		    NSEC_PER_USEC);
		tp->t_rttstart = 0;
	}
	if (sg->sg_ack == tp->snd_max) {
		tcp_timer_disarm(tp, TCPT_REXMT);
		tp->t_rxtshift = 0;
	} else if (!tcp_timer_armed(tp, TCPT_PERSIST)) {
		tcp_timer_arm_us(tp, TCPT_REXMT, tcp_rexmt_us(tp));
	}
	/* Drop the acknowledged bytes (the FIN is not in the buffer). */
	if (acked > so->so_snd.sb_cc) {
		ourfinisacked = (tp->t_flags & TF_SENTFIN) != 0;
		sb_drop(&so->so_snd, so->so_snd.sb_cc);
	} else {
		sb_drop(&so->so_snd, acked);
	}
	sowwakeup(so);
	tp->snd_una = sg->sg_ack;
	if (SEQ_LT(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	/* Keep "recover" just behind snd_una once it is passed, so that it
	 * never wraps ahead; duplicate ACKs at snd_una then start a new
	 * recovery (RFC 6582 3.2 step 2). */
	if (SEQ_LT(tp->snd_recover, tp->snd_una - 1))
		tp->snd_recover = tp->snd_una - 1;
	/* The next hole, now that the buffer starts at snd_una. */
	if (partial) {
		tcp_rexmit_first(tp);
		tcp_timer_arm_us(tp, TCPT_REXMT, tcp_rexmt_us(tp));
	}

	if (!ourfinisacked)
		return tp;
	switch (tp->t_state) {
	case TCPS_FIN_WAIT_1:
		tp->t_state = TCPS_FIN_WAIT_2;
		if (so->so_state & SS_CANTRCVMORE) {
			/* Closed: do not wait for the peer forever. */
			soisdisconnected(so);
			tcp_timer_arm(tp, TCPT_2MSL, tcp_params.tp_finwait2_ms);
		}
		break;
	case TCPS_CLOSING:
		tcp_enter_timewait(tp);
		break;
	case TCPS_LAST_ACK:
		return tcp_close(tp);
	default:
		break;
	}
	return tp;
}

/* ---- data and FIN ------------------------------------------------------- */

/* Returns the FIN flag if a FIN became in order. */
static int
tcp_data(struct tcpcb *tp, struct tcp_seg *sg, struct mbuf *m)
{
	struct socket *so = tp->t_socket;
	int fin = sg->sg_flags & TH_FIN;

	if (sg->sg_seq != tp->rcv_nxt) {
		tcp_reass_insert(tp, m, sg->sg_seq, sg->sg_len, fin != 0);
		tp->t_flags |= TF_ACKNOW;	/* RFC 5681 4.2: at once */
		return 0;
	}
	if (sg->sg_len > 0) {
		if (so->so_state & SS_CANTRCVMORE) {
			m_freem(m);
		} else if (!sb_append_stream(&so->so_rcv, m)) {
			TCP_STATINC(TCP_STAT_RCVSBFULL);
			return 0;	/* not acknowledged: sent again */
		}
		tp->rcv_nxt += (uint32_t)sg->sg_len;
		TCP_STATINC(TCP_STAT_RCVPACK);
		TCP_STATADD(TCP_STAT_RCVBYTE, (uint64_t)sg->sg_len);
		if (tp->t_segq != NULL) {
			fin = tcp_reass_pull(tp);
			tp->t_flags |= TF_ACKNOW;
		} else if (++tp->t_segs_unacked >= 2) {
			tp->t_flags |= TF_ACKNOW;
		} else {
			tp->t_flags |= TF_DELACK;
		}
		sorwakeup(so);
	} else {
		m_freem(m);
	}
	return fin;
}

static struct tcpcb *
tcp_fin(struct tcpcb *tp)
{
	if (!TCPS_HAVERCVDFIN(tp->t_state)) {
		socantrcvmore(tp->t_socket);
		tp->rcv_nxt++;
	}
	tp->t_flags |= TF_ACKNOW;
	switch (tp->t_state) {
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tp->t_state = TCPS_CLOSE_WAIT;
		break;
	case TCPS_FIN_WAIT_1:
		tp->t_state = TCPS_CLOSING;
		break;
	case TCPS_FIN_WAIT_2:
		tcp_enter_timewait(tp);
		break;
	case TCPS_TIME_WAIT:
		tcp_timer_arm(tp, TCPT_2MSL, 2 * (uint64_t)tcp_params.tp_msl_ms);
		break;
	default:
		break;
	}
	return tp;
}

/* ---- synchronised states ------------------------------------------------ */

/* The RST of RFC 5961 3.2, seq untrimmed; always consumes the segment. */
static void
tcp_input_rst(struct tcpcb *tp, const struct tcp_seg *sg, uint32_t rwnd)
{
	struct socket *so = tp->t_socket;

	if (sg->sg_seq != tp->rcv_nxt) {
		if (SEQ_GEQ(sg->sg_seq, tp->rcv_nxt) &&
		    SEQ_LT(sg->sg_seq, tp->rcv_nxt + MAX(rwnd, 1u)))
			tcp_send_challenge_ack(tp);
		else
			TCP_STATINC(TCP_STAT_RSTIGNORED);
		return;
	}
	TCP_STATINC(TCP_STAT_RCVRST);
	switch (tp->t_state) {
	case TCPS_SYN_RECEIVED:
		/* Passive open: back to nothing; active: refused. */
		if (so->so_head != NULL)
			(void)tcp_close(tp);
		else
			(void)tcp_drop(tp, ECONNREFUSED);
		break;
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSE_WAIT:
		so->so_error = ECONNRESET;
		(void)tcp_close(tp);
		break;
	default:
		(void)tcp_close(tp);
		break;
	}
}

static void
tcp_input_sync(struct tcpcb *tp, struct tcp_seg *sg, struct mbuf *m)
{
	struct socket *so = tp->t_socket;
	const struct tcp_opts *to = &sg->sg_opts;
	int flags = sg->sg_flags, todrop;
	uint32_t rwnd, tiwin;
	bool needoutput = false;

	rwnd = MAX(tcp_rcv_space(tp), (uint32_t)(SEQ_GT(tp->rcv_adv,
	    tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0));
	tiwin = sg->sg_win << tp->snd_scale;

	/* PAWS (RFC 7323 5.3). */
	if (to->to_have_ts && (tp->t_flags & TF_RCVD_TSTMP) &&
	    !(flags & TH_RST) && TSTMP_LT(to->to_tsval, tp->ts_recent)) {
		if (getuptime_ns() - tp->ts_recent_age > TCP_PAWS_IDLE_NS) {
			tp->ts_recent = 0;	/* too old to compare */
		} else {
			TCP_STATINC(TCP_STAT_PAWSDROP);
			goto dropafterack;
		}
	}
	if (flags & TH_RST) {
		m_freem(m);
		tcp_input_rst(tp, sg, rwnd);
		return;
	}
	if ((flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) &&
	    tp->t_state == TCPS_SYN_RECEIVED && sg->sg_seq == tp->irs) {
		/* Simultaneous open: the peer's SYN,ACK.  Its SYN we have;
		 * the ACK completes the handshake. */
		flags &= ~TH_SYN;
		sg->sg_seq++;
	}
	if (flags & TH_SYN) {
		if (tp->t_state == TCPS_SYN_RECEIVED && sg->sg_seq == tp->irs) {
			/* The peer did not see our SYN,ACK: again. */
			m_freem(m);
			tp->snd_nxt = tp->snd_una;
			(void)tcp_output(tp);
			return;
		}
		/* RFC 5961 4.2: whatever its sequence number. */
		m_freem(m);
		tcp_send_challenge_ack(tp);
		return;
	}

	/* Trim to the window (RFC 9293 3.10.7.4, first check). */
	todrop = (int)(tp->rcv_nxt - sg->sg_seq);
	if (todrop > 0) {
		if (todrop > sg->sg_len ||
		    (todrop == sg->sg_len && !(flags & TH_FIN))) {
			/* All old: a duplicate; ACK it (its ACK still counts). */
			TCP_STATINC(TCP_STAT_RCVDUPPACK);
			TCP_STATADD(TCP_STAT_RCVDUPBYTE, (uint64_t)sg->sg_len);
			tp->t_flags |= TF_ACKNOW;
			todrop = sg->sg_len;
			flags &= ~TH_FIN;
		} else {
			TCP_STATINC(TCP_STAT_RCVPARTDUP);
		}
		m_adj(m, todrop);
		sg->sg_seq += (uint32_t)todrop;
		sg->sg_len -= todrop;
	}
	/* New data for a socket nobody reads any more: RST (RFC 9293
	 * 3.10.7.4 / RFC 1122 4.2.2.13). */
	if ((so->so_state & SS_NOFDREF) && tp->t_state > TCPS_CLOSE_WAIT &&
	    sg->sg_len > 0) {
		TCP_STATINC(TCP_STAT_RCVAFTERCLOSE);
		m_freem(m);
		tp = tcp_drop(tp, 0);
		return;
	}
	todrop = (int)((sg->sg_seq + (uint32_t)sg->sg_len) -
	    (tp->rcv_nxt + rwnd));
	if (todrop > 0) {
		if (todrop >= sg->sg_len) {
			if (rwnd == 0 && sg->sg_seq == tp->rcv_nxt) {
				TCP_STATINC(TCP_STAT_RCVWINPROBE);
			} else {
				TCP_STATINC(TCP_STAT_RCVAFTERWIN);
				goto dropafterack;
			}
		} else {
			TCP_STATINC(TCP_STAT_RCVAFTERWIN);
		}
		todrop = MIN(todrop, sg->sg_len);
		m_adj(m, -todrop);
		sg->sg_len -= todrop;
		flags &= ~(TH_PUSH | TH_FIN);
	}
	/* Record the timestamp to echo (RFC 7323 4.3). */
	if (to->to_have_ts && (tp->t_flags & TF_RCVD_TSTMP) &&
	    SEQ_LEQ(sg->sg_seq, tp->last_ack_sent) &&
	    SEQ_LEQ(tp->last_ack_sent, sg->sg_seq + (uint32_t)sg->sg_len +
	    ((flags & TH_FIN) ? 1 : 0))) {
		tp->ts_recent = to->to_tsval;
		tp->ts_recent_age = getuptime_ns();
	}

	if (!(flags & TH_ACK)) {
		TCP_STATINC(TCP_STAT_DROPPED);
		goto drop;
	}
	/* RFC 5961 5.2: the acceptable ACK range. */
	if (SEQ_GT(sg->sg_ack, tp->snd_max)) {
		TCP_STATINC(TCP_STAT_RCVACKTOOMUCH);
		if (tp->t_state == TCPS_SYN_RECEIVED) {
			m_freem(m);
			tcp_reset_for(sg);
			return;
		}
		goto dropafterack;
	}
	if (SEQ_LT(sg->sg_ack, tp->snd_una - tp->max_sndwnd)) {
		TCP_STATINC(TCP_STAT_RCVACKTOOOLD);
		goto dropafterack;
	}
	if (tp->t_state == TCPS_SYN_RECEIVED) {
		struct socket *head = so->so_head;

		if (SEQ_LEQ(sg->sg_ack, tp->snd_una)) {
			m_freem(m);
			tcp_reset_for(sg);
			return;
		}
		if (head != NULL && head->so_qlen >= head->so_qlimit) {
			/* Accept queue full: ignore; our SYN,ACK is sent
			 * again and the peer ACKs again. */
			TCP_STATINC(TCP_STAT_LISTENDROP);
			goto drop;
		}
		tcp_established(tp);
		tp->snd_wl1 = sg->sg_seq - 1;	/* take the window below */
	}

	if (SEQ_LEQ(sg->sg_ack, tp->snd_una)) {
		if (sg->sg_len == 0 && tiwin == tp->snd_wnd &&
		    !(flags & TH_FIN) && tp->snd_max != tp->snd_una &&
		    sg->sg_ack == tp->snd_una) {
			if (tcp_dupack(tp, sg))
				goto drop;
		} else {
			tp->t_dupacks = 0;
		}
	} else {
		tp = tcp_newack(tp, sg);
		if (tp == NULL) {
			m_freem(m);
			return;
		}
		needoutput = true;
		if (tp->t_state == TCPS_TIME_WAIT) {
			/* Our FIN was acked while the peer's was already in:
			 * nothing more to take in. */
			goto drop;
		}
	}

	/* Window update (RFC 9293 3.10.7.4, SND.WL1/WL2). */
	if (SEQ_LT(tp->snd_wl1, sg->sg_seq) || (tp->snd_wl1 == sg->sg_seq &&
	    (SEQ_LT(tp->snd_wl2, sg->sg_ack) ||
	     (tp->snd_wl2 == sg->sg_ack && tiwin > tp->snd_wnd)))) {
		if (sg->sg_len == 0 && tp->snd_wl2 == sg->sg_ack &&
		    tiwin > tp->snd_wnd)
			TCP_STATINC(TCP_STAT_RCVWINUPD);
		tp->snd_wnd = tiwin;
		tp->snd_wl1 = sg->sg_seq;
		tp->snd_wl2 = sg->sg_ack;
		if (tp->snd_wnd > tp->max_sndwnd)
			tp->max_sndwnd = tp->snd_wnd;
		needoutput = true;
	}

	if ((sg->sg_len > 0 || (flags & TH_FIN)) &&
	    !TCPS_HAVERCVDFIN(tp->t_state)) {
		sg->sg_flags = flags;
		flags = (flags & ~TH_FIN) | tcp_data(tp, sg, m);
	} else {
		m_freem(m);
		flags &= ~TH_FIN;
	}
	if (flags & TH_FIN)
		tp = tcp_fin(tp);
	if (needoutput || (tp->t_flags & TF_ACKNOW))
		(void)tcp_output(tp);
	else if ((tp->t_flags & TF_DELACK) &&
	    !tcp_timer_armed(tp, TCPT_DELACK))
		tcp_timer_arm(tp, TCPT_DELACK, tcp_params.tp_delack_ms);
	return;

dropafterack:
	m_freem(m);
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
	return;
drop:
	m_freem(m);
}

/* ---- entry -------------------------------------------------------------- */

void
tcp_input(struct mbuf *m, int hlen)
{
	struct ip *ip;
	struct tcphdr *th;
	struct tcpcb *tp;
	struct tcp_seg sg;
	int tlen, off;

	NET_ASSERT_LOCKED();
	TCP_STATINC(TCP_STAT_RCVTOTAL);
	tlen = m->m_pkthdr.len - hlen;
	if (tlen < (int)sizeof(*th)) {
		TCP_STATINC(TCP_STAT_RCVSHORT);
		goto drop;
	}
	if (m->m_len < hlen + (int)sizeof(*th) &&
	    (m = m_pullup(m, hlen + sizeof(*th))) == NULL) {
		TCP_STATINC(TCP_STAT_RCVMEMDROP);
		return;
	}
	th = (struct tcphdr *)(mtod(m, uint8_t *) + hlen);
	off = TH_OFF(th) << 2;
	if (off < (int)sizeof(*th) || off > tlen) {
		TCP_STATINC(TCP_STAT_RCVBADOFF);
		goto drop;
	}
	if (m->m_len < hlen + off) {
		if ((m = m_pullup(m, hlen + off)) == NULL) {
			TCP_STATINC(TCP_STAT_RCVMEMDROP);
			return;
		}
		th = (struct tcphdr *)(mtod(m, uint8_t *) + hlen);
	}
	ip = mtod(m, struct ip *);
	/* Loopback segments were checksummed by us and never left memory. */
	if (!(m->m_flags & M_LOOP) &&
	    in_cksum(m, hlen, tlen, in_pseudo(ip->ip_src, ip->ip_dst,
	    IPPROTO_TCP, (uint16_t)tlen)) != 0) {
		TCP_STATINC(TCP_STAT_RCVBADSUM);
		goto drop;
	}
	if ((m->m_flags & (M_BCAST | M_MCAST)) ||
	    IN_MULTICAST(ntohl(ip->ip_dst.s_addr)) ||
	    ip->ip_dst.s_addr == INADDR_BROADCAST ||
	    (m->m_pkthdr.rcvif != NULL &&
	     in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif))) {
		TCP_STATINC(TCP_STAT_RCVBADADDR);
		goto drop;
	}
	sg.sg_src = ip->ip_src;
	sg.sg_dst = ip->ip_dst;
	sg.sg_sport = th->th_sport;
	sg.sg_dport = th->th_dport;
	sg.sg_seq = ntohl(th->th_seq);
	sg.sg_ack = ntohl(th->th_ack);
	sg.sg_win = ntohs(th->th_win);
	sg.sg_flags = th->th_flags;
	sg.sg_len = tlen - off;
	tcp_dooptions((const uint8_t *)(th + 1), off - (int)sizeof(*th),
	    sg.sg_flags, &sg.sg_opts);
	if (sg.sg_dport == 0 || sg.sg_sport == 0) {
		TCP_STATINC(TCP_STAT_RCVBADADDR);
		goto drop;
	}
	m_adj(m, hlen + off);		/* m: the data only */
	m->m_pkthdr.rcvif = NULL;

	tp = tcp_lookup(sg.sg_src, sg.sg_sport, sg.sg_dst, sg.sg_dport);
	if (tp != NULL && tp->t_state == TCPS_TIME_WAIT &&
	    (sg.sg_flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN &&
	    SEQ_GT(sg.sg_seq, tp->rcv_nxt) &&
	    (!sg.sg_opts.to_have_ts || !(tp->t_flags & TF_RCVD_TSTMP) ||
	     TSTMP_LT(tp->ts_recent, sg.sg_opts.to_tsval))) {
		/* A new incarnation of the connection (RFC 9293 3.6.1). */
		TCP_STATINC(TCP_STAT_TWRECYCLED);
		(void)tcp_close(tp);
		tp = tcp_lookup(sg.sg_src, sg.sg_sport, sg.sg_dst,
		    sg.sg_dport);
	}
	if (tp == NULL) {
		TCP_STATINC(TCP_STAT_NOPORT);
		m_freem(m);
		tcp_reset_for(&sg);
		return;
	}
	if ((tp->t_socket->so_options & SO_KEEPALIVE) &&
	    TCPS_HAVEESTABLISHED(tp->t_state))
		tcp_keep_restart(tp);
	switch (tp->t_state) {
	case TCPS_LISTEN:
		tcp_input_listen(tp, &sg, m);
		break;
	case TCPS_SYN_SENT:
		tcp_input_synsent(tp, &sg, m);
		break;
	default:
		tcp_input_sync(tp, &sg, m);
		break;
	}
	return;

drop:
	m_freem(m);
}
