/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_var.h: TCP's private interface inside netinet/ (tcp_*.c) and for
 * the kernel-side tests: the control block (struct tcpcb), the states,
 * the timers, the counters (tcpstat[]) and the tunables (tcp_params).
 *
 * One tcpcb per connection, hanging off its inpcb (inp_ppcb) and its
 * socket.  Everything here is guarded by net_lock.  A tcpcb lives as long
 * as either its descriptor (the socket has no SS_NOFDREF) or its
 * connection (state != CLOSED) needs it; tcp_close() frees it when both
 * are gone, together with the inpcb and the socket (sofree).
 *
 * Timers are deadlines in the tcpcb (t_timer[], uptime ns, 0 = off);
 * one callout (tcp_timer.c) runs at the earliest deadline of all
 * connections and only while some deadline is set.
 */
#ifndef _NETINET_TCP_VAR_H_
#define _NETINET_TCP_VAR_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

struct mbuf;
struct socket;
struct inpcb;
struct tcp_qent;

/* Connection states (RFC 9293 3.3.2), ordered as the macros assume. */
enum tcp_state {
	TCPS_CLOSED,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_FIN_WAIT_2,
	TCPS_TIME_WAIT,
	TCPS_NSTATES
};
#define TCPS_HAVERCVDSYN(s)	((s) >= TCPS_SYN_RECEIVED)
#define TCPS_HAVEESTABLISHED(s)	((s) >= TCPS_ESTABLISHED)
#define TCPS_HAVERCVDFIN(s)	((s) == TCPS_CLOSE_WAIT ||		\
				 (s) == TCPS_CLOSING ||			\
				 (s) == TCPS_LAST_ACK ||		\
				 (s) == TCPS_TIME_WAIT)
/* Our FIN may be sent (the user closed or shut down writing). */
#define TCPS_OURFINSTATE(s)	((s) == TCPS_FIN_WAIT_1 ||		\
				 (s) == TCPS_CLOSING ||			\
				 (s) == TCPS_LAST_ACK)

/* Sequence number arithmetic, modulo 2^32. */
#define SEQ_LT(a, b)	((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((a) - (b)) >= 0)
#define SEQ_MIN(a, b)	(SEQ_LT(a, b) ? (a) : (b))
#define SEQ_MAX(a, b)	(SEQ_GT(a, b) ? (a) : (b))

enum tcp_timer {
	TCPT_REXMT,	/* retransmission (also SYN, FIN) */
	TCPT_PERSIST,	/* zero-window probes */
	TCPT_KEEP,	/* keepalive; connection establishment */
	TCPT_2MSL,	/* TIME_WAIT; FIN_WAIT_2 after close */
	TCPT_DELACK,	/* delayed ACK */
	TCPT_NTIMERS
};

/* t_flags */
#define TF_ACKNOW	0x00000001	/* send an ACK at once */
#define TF_DELACK	0x00000002	/* an ACK is owed (delayed) */
#define TF_NODELAY	0x00000004	/* no Nagle (TCP_NODELAY) */
#define TF_SENTFIN	0x00000008	/* our FIN went out */
#define TF_REQ_SCALE	0x00000010	/* we offer window scaling */
#define TF_RCVD_SCALE	0x00000020	/* peer offered it too */
#define TF_REQ_TSTMP	0x00000040	/* we offer timestamps */
#define TF_RCVD_TSTMP	0x00000080	/* peer offered them too */
#define TF_FASTRECOVERY	0x00000100	/* in NewReno fast recovery */
#define TF_WASFRECOVERY	0x00000200
#define TF_NEEDFIN	0x00000400	/* send FIN once the data is out */
#define TF_CHALLENGE	0x00000800	/* send a challenge ACK (RFC 5961) */
#define TF_FORCEDATA	0x00002000	/* persist: one byte past the window */
#define TF_HAVERTT	0x00004000	/* t_srtt/t_rttvar are valid */

struct tcpcb {
	LIST_ENTRY(tcpcb) t_list;	/* tcp_cblist: all, for the timers */
	struct inpcb	*t_inpcb;
	struct socket	*t_socket;
	enum tcp_state	t_state;
	uint32_t	t_flags;		/* TF_* */
	uint64_t	t_timer[TCPT_NTIMERS];	/* deadlines, uptime ns */

	/* Send sequence space (RFC 9293 3.3.1). */
	tcp_seq		snd_una;	/* oldest unacknowledged */
	tcp_seq		snd_nxt;	/* next to send */
	tcp_seq		snd_max;	/* highest sent + 1 */
	tcp_seq		snd_wl1;	/* seq of the last window update */
	tcp_seq		snd_wl2;	/* ack of the last window update */
	tcp_seq		iss;
	uint32_t	snd_wnd;	/* peer's window, scaled */
	uint32_t	max_sndwnd;	/* largest window the peer offered */
	/* Congestion control (RFC 5681, RFC 6582). */
	uint32_t	snd_cwnd;
	uint32_t	snd_ssthresh;
	tcp_seq		snd_recover;	/* NewReno "recover" */
	uint32_t	t_bytes_acked;	/* congestion avoidance counter */
	u_int		t_dupacks;

	/* Receive sequence space. */
	tcp_seq		irs;
	tcp_seq		rcv_nxt;
	tcp_seq		rcv_adv;	/* rcv_nxt + the window advertised */
	uint32_t	rcv_wnd;	/* window computed at the last send */
	u_int		t_segs_unacked;	/* full segments since our ACK */

	/* Options. */
	uint16_t	t_maxseg;	/* MSS we send with */
	uint16_t	t_peermss;	/* MSS the peer offered */
	uint16_t	t_usermss;	/* TCP_MAXSEG, 0: none */
	uint8_t		snd_scale;	/* peer's window shift */
	uint8_t		rcv_scale;	/* ours */
	uint8_t		request_r_scale;	/* the shift we offer */
	uint32_t	ts_recent;	/* peer's last TSval (RFC 7323) */
	uint64_t	ts_recent_age;	/* when it was recorded, ns */
	uint32_t	ts_offset;	/* random TSval offset */
	tcp_seq		last_ack_sent;

	/* Round-trip time (RFC 6298), microseconds. */
	uint32_t	t_srtt;		/* 0: no sample yet */
	uint32_t	t_rttvar;
	uint32_t	t_rto;		/* current RTO, before backoff */
	u_int		t_rxtshift;	/* retransmissions (backoff) */
	tcp_seq		t_rtseq;	/* timed sequence (no timestamps) */
	uint64_t	t_rttstart;	/* 0: nothing timed */
	u_int		t_persistshift;

	/* Keepalive and establishment, ms (per connection options). */
	uint32_t	t_keepidle;
	uint32_t	t_keepintvl;
	uint32_t	t_keepcnt;
	uint32_t	t_keepinit;
	u_int		t_keepprobes;	/* sent, unanswered */
	uint64_t	t_lastrcv;	/* uptime ns of the last segment */

	/* Out-of-order segments, sorted by sequence (tcp_reass.c). */
	struct tcp_qent	*t_segq;
	u_int		t_segqlen;

	/* RFC 5961 challenge ACK rate limit. */
	uint64_t	t_challenge_sec;
	u_int		t_challenge_cnt;
};

#define intotcpcb(inp)	((struct tcpcb *)(inp)->inp_ppcb)
#define sototcpcb(so)	(sotoinpcb(so) != NULL ? intotcpcb(sotoinpcb(so)) : NULL)

/* Counters: every drop is counted here. */
enum tcp_stat {
	TCP_STAT_RCVTOTAL,	/* segments received */
	TCP_STAT_RCVSHORT,	/* shorter than the header */
	TCP_STAT_RCVBADOFF,	/* bad data offset */
	TCP_STAT_RCVBADSUM,
	TCP_STAT_RCVBADOPT,	/* malformed options (ignored) */
	TCP_STAT_RCVBADADDR,	/* broadcast/multicast/own-port loops */
	TCP_STAT_NOPORT,	/* no connection: RST sent */
	TCP_STAT_RCVMEMDROP,	/* no memory */
	TCP_STAT_LISTENDROP,	/* listen queue full */
	TCP_STAT_SYNQDROP,	/* global SYN queue limit */
	TCP_STAT_BADSYN,	/* SYN with other bad flags */
	TCP_STAT_RCVPACK,	/* in-order data segments */
	TCP_STAT_RCVBYTE,
	TCP_STAT_RCVDUPPACK,	/* only old data */
	TCP_STAT_RCVDUPBYTE,
	TCP_STAT_RCVPARTDUP,	/* partly old data */
	TCP_STAT_RCVOOPACK,	/* out of order, queued */
	TCP_STAT_RCVOODROP,	/* out of order, queue full */
	TCP_STAT_RCVAFTERWIN,	/* data beyond the window */
	TCP_STAT_RCVAFTERCLOSE,	/* data after the reader is gone */
	TCP_STAT_RCVWINPROBE,
	TCP_STAT_RCVWINUPD,
	TCP_STAT_RCVDUPACK,
	TCP_STAT_RCVACKTOOMUCH,	/* acks unsent data */
	TCP_STAT_RCVACKTOOOLD,	/* RFC 5961 5.2: too old */
	TCP_STAT_RCVACKPACK,
	TCP_STAT_RCVACKBYTE,
	TCP_STAT_PAWSDROP,	/* RFC 7323 PAWS */
	TCP_STAT_RCVRST,	/* RSTs that reset a connection */
	TCP_STAT_RSTIGNORED,	/* RSTs outside the window */
	TCP_STAT_CHALLENGEACK,	/* challenge ACKs sent */
	TCP_STAT_CHALLENGELIMIT,/* ... not sent: rate limit */
	TCP_STAT_RCVSBFULL,	/* receive buffer memory bound */
	TCP_STAT_DROPPED,	/* other segments dropped (state/flags) */
	TCP_STAT_CONNATTEMPT,	/* connect() */
	TCP_STAT_ACCEPTS,	/* connections accepted */
	TCP_STAT_CONNECTS,	/* connections established */
	TCP_STAT_DROPS,		/* connections dropped */
	TCP_STAT_CONNDROPS,	/* embryonic connections dropped */
	TCP_STAT_CLOSED,	/* connections closed */
	TCP_STAT_TIMEOUTDROP,	/* retransmissions exhausted */
	TCP_STAT_KEEPPROBE,
	TCP_STAT_KEEPDROP,
	TCP_STAT_PERSISTTIMEO,
	TCP_STAT_REXMTTIMEO,
	TCP_STAT_FASTREXMT,
	TCP_STAT_PARTIALACK,	/* NewReno partial ACKs */
	TCP_STAT_RECOVERIES,	/* fast recoveries entered */
	TCP_STAT_SNDTOTAL,
	TCP_STAT_SNDPACK,	/* data segments */
	TCP_STAT_SNDBYTE,
	TCP_STAT_SNDREXMITPACK,
	TCP_STAT_SNDREXMITBYTE,
	TCP_STAT_SNDACKS,	/* pure ACKs */
	TCP_STAT_SNDPROBE,	/* window probes */
	TCP_STAT_SNDWINUP,
	TCP_STAT_SNDCTRL,	/* SYN, FIN, RST */
	TCP_STAT_SNDRST,
	TCP_STAT_DELACK,	/* delayed ACKs sent by the timer */
	TCP_STAT_ODROPPED,	/* output failed: no buffers */
	TCP_STAT_RTTUPDATED,
	TCP_STAT_TWRECYCLED,	/* TIME_WAIT reused by a new SYN */
	TCP_STAT_NSTATS
};
extern uint64_t tcpstat[TCP_STAT_NSTATS];
#define TCP_STATINC(s)		(tcpstat[(s)]++)
#define TCP_STATADD(s, n)	(tcpstat[(s)] += (n))

/* Tunables (tests shorten the times). */
struct tcp_params {
	u_int	tp_rto_min_ms;		/* 200 */
	u_int	tp_rto_max_ms;		/* 60000 */
	u_int	tp_rto_init_ms;		/* 1000 (RFC 6298 2.1) */
	u_int	tp_rexmit_max;		/* data retransmissions: ETIMEDOUT */
	u_int	tp_syn_retries;		/* SYN retransmissions */
	u_int	tp_keepinit_ms;		/* connection establishment */
	u_int	tp_keepidle_ms;
	u_int	tp_keepintvl_ms;
	u_int	tp_keepcnt;
	u_int	tp_msl_ms;		/* TIME_WAIT is 2 * MSL */
	u_int	tp_finwait2_ms;		/* FIN_WAIT_2 after close */
	u_int	tp_delack_ms;
	u_int	tp_persist_min_ms;
	u_int	tp_persist_max_ms;
	u_int	tp_sendspace;		/* default SO_SNDBUF */
	u_int	tp_recvspace;		/* default SO_RCVBUF */
	u_int	tp_synq_max;		/* embryonic connections, all */
	u_int	tp_reass_max;		/* out-of-order segments/conn */
	u_int	tp_challenge_max;	/* challenge ACKs/s/conn */
	u_int	tp_init_cwnd;		/* segments (RFC 5681 3.1: <= 4) */
	bool	tp_winscale;		/* offer RFC 7323 window scaling */
	bool	tp_timestamps;		/* offer RFC 7323 timestamps */
};
extern struct tcp_params tcp_params;

/* ---- tcp_subr.c ---------------------------------------------------------- */
extern LIST_HEAD(tcp_cblist_head, tcpcb) tcp_cblist;
extern struct inpcbtable tcbtable;
/* A new control block for so (inpcb + tcpcb), CLOSED; kmflags KM_*. */
int	tcp_attach_pcb(struct socket *so, int kmflags);
/* The connection is over: CLOSED, timers off, socket disconnected; frees
 * everything when no descriptor holds the socket.  NULL when freed. */
struct tcpcb *tcp_close(struct tcpcb *tp);
/* Abort: RST to the peer when synchronised, error to the socket. */
struct tcpcb *tcp_drop(struct tcpcb *tp, int error);
/* Free the tcpcb and inpcb only (the socket layer frees the socket). */
void	tcp_discard(struct tcpcb *tp);
/* Count a connection entering SYN_RECEIVED (false: global limit hit) and
 * leaving it. */
bool	tcp_embryonic_add(void);
void	tcp_embryonic_done(void);
/* Initial sequence number (RFC 6528). */
tcp_seq	tcp_new_iss(struct in_addr laddr, uint16_t lport,
	    struct in_addr faddr, uint16_t fport);
uint32_t tcp_ts_offset(struct in_addr laddr, uint16_t lport,
	    struct in_addr faddr, uint16_t fport);
/* Timestamp clock (ms) of tp. */
uint32_t tcp_now(const struct tcpcb *tp);
/* Connection for a segment: exact match, else a listener; skips CLOSED. */
struct tcpcb *tcp_lookup(struct in_addr src, uint16_t sport,
	    struct in_addr dst, uint16_t dport);
/* Send a bare control segment (RST/ACK) answering a segment or for tp:
 * addresses/ports from tp when tp != NULL, else from (src, dst) swapped. */
void	tcp_respond(struct tcpcb *tp, struct in_addr src, uint16_t sport,
	    struct in_addr dst, uint16_t dport, tcp_seq seq, tcp_seq ack,
	    int flags);
/* MSS for a connection to dst: interface MTU - 40, capped by the user. */
uint16_t tcp_mss_for(struct tcpcb *tp, struct in_addr dst);
/* Receive window we can offer now (bytes, before scaling). */
uint32_t tcp_rcv_space(const struct tcpcb *tp);

/* ---- tcp_timer.c -------------------------------------------------------- */
int	tcp_timer_init(void);
void	tcp_timer_fini(void);
void	tcp_timer_arm(struct tcpcb *tp, enum tcp_timer t, uint64_t ms);
void	tcp_timer_arm_us(struct tcpcb *tp, enum tcp_timer t, uint64_t us);
void	tcp_timer_disarm(struct tcpcb *tp, enum tcp_timer t);
void	tcp_timers_cancel(struct tcpcb *tp);
#define tcp_timer_armed(tp, t)	((tp)->t_timer[(t)] != 0)
/* RTO now (with backoff), microseconds. */
uint64_t tcp_rexmt_us(const struct tcpcb *tp);
/* A round-trip sample (us) per RFC 6298 2.2/2.3. */
void	tcp_rtt_sample(struct tcpcb *tp, uint64_t rtt_us);
/* Start the persist timer (zero window, data waiting). */
void	tcp_setpersist(struct tcpcb *tp);
/* The keepalive timer for an established connection. */
void	tcp_keep_restart(struct tcpcb *tp);

/* ---- tcp_output.c ------------------------------------------------------- */
int	tcp_output(struct tcpcb *tp);
/* The ACK of RFC 5961 (rate limited). */
void	tcp_send_challenge_ack(struct tcpcb *tp);

/* ---- tcp_reass.c -------------------------------------------------------- */
/* Queue an out-of-order segment (data m, seq, FIN flag); owns m. */
void	tcp_reass_insert(struct tcpcb *tp, struct mbuf *m, tcp_seq seq,
	    int len, bool fin);
/* Move what is now in order to the socket; returns TH_FIN if a queued
 * FIN became in order. */
int	tcp_reass_pull(struct tcpcb *tp);
void	tcp_reass_flush(struct tcpcb *tp);

/* ---- tcp_usrreq.c ------------------------------------------------------- */
/* The user is done sending (close or shutdown): advance the state. */
struct tcpcb *tcp_usrclosed(struct tcpcb *tp);

/* ---- tcp_input.c -------------------------------------------------------- */
/* Move the connection to ESTABLISHED (both directions synchronised). */
void	tcp_established(struct tcpcb *tp);

#endif /* _NETINET_TCP_VAR_H_ */
