/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_timer.c: TCP's timers: retransmission with RFC 6298 RTO estimation
 * and exponential backoff, persist (zero-window probes), keepalive and
 * connection-establishment timeout, TIME_WAIT / FIN_WAIT_2, delayed ACK.
 *
 * Every timer is a deadline in its tcpcb (t_timer[]).  One callout runs
 * at the earliest deadline of all connections, handles every expired
 * timer, and re-arms itself for the next deadline -- or not at all when
 * no connection has a timer set, so an idle stack has no timer running
 * (net/README.md's rule).  Disarming only clears the deadline; a callout
 * that then finds nothing expired simply re-arms for what is left.
 *
 * Called by the other tcp_*.c files with net_lock held; the callout takes
 * net_lock itself.  tcp_timer_fini (shutdown, no connections left) waits
 * for a running callout.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "in_pcb.h"
#include "tcp_var.h"

static callout_t tcp_callout;
static uint64_t tcp_callout_at;	/* deadline it is set for; 0: not set */

static void tcp_timer_fire(void *arg);

int
tcp_timer_init(void)
{
	callout_init(&tcp_callout, CALLOUT_MPSAFE);
	callout_setfunc(&tcp_callout, tcp_timer_fire, NULL);
	tcp_callout_at = 0;
	return 0;
}

/* Precondition: no connection left (none can re-arm), net_lock not held. */
void
tcp_timer_fini(void)
{
	(void)callout_halt(&tcp_callout, NULL);
	callout_destroy(&tcp_callout);
}

static void
tcp_callout_set(uint64_t deadline, uint64_t now)
{
	tcp_callout_at = deadline;
	callout_schedule_ns(&tcp_callout, deadline > now ? deadline - now : 1);
}

void
tcp_timer_arm_us(struct tcpcb *tp, enum tcp_timer t, uint64_t us)
{
	uint64_t now = getuptime_ns(), d = now + us * NSEC_PER_USEC;

	NET_ASSERT_LOCKED();
	if (d == 0)
		d = 1;
	tp->t_timer[t] = d;
	if (tcp_callout_at == 0 || d < tcp_callout_at)
		tcp_callout_set(d, now);
}

void
tcp_timer_arm(struct tcpcb *tp, enum tcp_timer t, uint64_t ms)
{
	tcp_timer_arm_us(tp, t, ms * 1000);
}

void
tcp_timer_disarm(struct tcpcb *tp, enum tcp_timer t)
{
	tp->t_timer[t] = 0;
}

void
tcp_timers_cancel(struct tcpcb *tp)
{
	memset(tp->t_timer, 0, sizeof(tp->t_timer));
}

/* ---- RTO (RFC 6298) ----------------------------------------------------- */

#define TCP_CLOCK_G_US	1000	/* granularity G: 1 ms */

static uint64_t
tcp_clamp_us(uint64_t us)
{
	uint64_t lo = (uint64_t)tcp_params.tp_rto_min_ms * 1000;
	uint64_t hi = (uint64_t)tcp_params.tp_rto_max_ms * 1000;

	return us < lo ? lo : us > hi ? hi : us;
}

uint64_t
tcp_rexmt_us(const struct tcpcb *tp)
{
	u_int shift = MIN(tp->t_rxtshift, 20u);

	return tcp_clamp_us((uint64_t)tp->t_rto << shift);
}

void
tcp_rtt_sample(struct tcpcb *tp, uint64_t rtt_us)
{
	uint32_t r = (uint32_t)MIN(rtt_us, (uint64_t)0x7fffffff), delta;

	TCP_STATINC(TCP_STAT_RTTUPDATED);
	if (!(tp->t_flags & TF_HAVERTT)) {
		tp->t_srtt = r;				/* (2.2) */
		tp->t_rttvar = r / 2;
		tp->t_flags |= TF_HAVERTT;
	} else {					/* (2.3) */
		delta = tp->t_srtt > r ? tp->t_srtt - r : r - tp->t_srtt;
		tp->t_rttvar = tp->t_rttvar - tp->t_rttvar / 4 + delta / 4;
		tp->t_srtt = tp->t_srtt - tp->t_srtt / 8 + r / 8;
	}
	tp->t_rto = (uint32_t)tcp_clamp_us((uint64_t)tp->t_srtt +
	    MAX((uint64_t)TCP_CLOCK_G_US, 4 * (uint64_t)tp->t_rttvar));
	tp->t_rxtshift = 0;
}

void
tcp_setpersist(struct tcpcb *tp)
{
	uint64_t us = tcp_clamp_us((uint64_t)tp->t_rto << tp->t_persistshift);
	uint64_t lo = (uint64_t)tcp_params.tp_persist_min_ms * 1000;
	uint64_t hi = (uint64_t)tcp_params.tp_persist_max_ms * 1000;

	us = us < lo ? lo : us > hi ? hi : us;
	tcp_timer_arm_us(tp, TCPT_PERSIST, us);
	if (tp->t_persistshift < 16)
		tp->t_persistshift++;
}

void
tcp_keep_restart(struct tcpcb *tp)
{
	tp->t_keepprobes = 0;
	if ((tp->t_socket->so_options & SO_KEEPALIVE) &&
	    TCPS_HAVEESTABLISHED(tp->t_state))
		tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle);
}

/* ---- the handlers (net_lock held; each may free tp: NULL) --------------- */

static struct tcpcb *
tcp_timer_rexmt(struct tcpcb *tp)
{
	uint32_t flight;
	u_int max;

	max = TCPS_HAVEESTABLISHED(tp->t_state) ? tcp_params.tp_rexmit_max :
	    tcp_params.tp_syn_retries;
	if (++tp->t_rxtshift > max) {
		TCP_STATINC(TCP_STAT_TIMEOUTDROP);
		return tcp_drop(tp, ETIMEDOUT);
	}
	TCP_STATINC(TCP_STAT_REXMTTIMEO);
	/* Karn: no RTT sample from a retransmitted segment. */
	tp->t_rttstart = 0;
	/* RFC 5681 (4): the loss window. */
	flight = tp->snd_max - tp->snd_una;
	tp->snd_ssthresh = MAX(flight / 2, 2u * tp->t_maxseg);
	tp->snd_cwnd = tp->t_maxseg;
	tp->t_bytes_acked = 0;
	/* RFC 6582 4.2: leave recovery; a later loss may start another. */
	tp->t_flags &= ~TF_FASTRECOVERY;
	tp->snd_recover = tp->snd_max;
	tp->t_dupacks = 0;
	tp->snd_nxt = tp->snd_una;
	if (tp->t_flags & TF_SENTFIN)
		tp->t_flags &= ~TF_SENTFIN;	/* sent again with the data */
	(void)tcp_output(tp);
	return tp;
}

static struct tcpcb *
tcp_timer_persist(struct tcpcb *tp)
{
	TCP_STATINC(TCP_STAT_PERSISTTIMEO);
	tcp_setpersist(tp);
	tp->t_flags |= TF_FORCEDATA;
	(void)tcp_output(tp);
	tp->t_flags &= ~TF_FORCEDATA;
	return tp;
}

static struct tcpcb *
tcp_timer_keep(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;

	if (!TCPS_HAVEESTABLISHED(tp->t_state)) {
		/* Connection establishment took too long. */
		TCP_STATINC(TCP_STAT_TIMEOUTDROP);
		return tcp_drop(tp, ETIMEDOUT);
	}
	if (!(tp->t_socket->so_options & SO_KEEPALIVE) ||
	    tp->t_state > TCPS_CLOSE_WAIT)
		return tp;
	if (tp->t_keepprobes >= tp->t_keepcnt) {
		TCP_STATINC(TCP_STAT_KEEPDROP);
		return tcp_drop(tp, ETIMEDOUT);
	}
	/* RFC 9293 3.8.4: an ACK-requesting segment, seq one below. */
	TCP_STATINC(TCP_STAT_KEEPPROBE);
	tcp_respond(tp, inp->inp_laddr, inp->inp_lport, inp->inp_faddr,
	    inp->inp_fport, tp->snd_una - 1, tp->rcv_nxt, TH_ACK);
	tp->t_keepprobes++;
	tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepintvl);
	return tp;
}

static struct tcpcb *
tcp_timer_2msl(struct tcpcb *tp)
{
	/* TIME_WAIT over, or a closed socket idle in FIN_WAIT_2. */
	if (tp->t_state == TCPS_TIME_WAIT || tp->t_state == TCPS_FIN_WAIT_2)
		return tcp_close(tp);
	return tp;
}

static struct tcpcb *
tcp_timer_delack(struct tcpcb *tp)
{
	TCP_STATINC(TCP_STAT_DELACK);
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
	return tp;
}

static struct tcpcb *(*const tcp_timer_handlers[TCPT_NTIMERS])(
    struct tcpcb *) = {
	[TCPT_REXMT] = tcp_timer_rexmt,
	[TCPT_PERSIST] = tcp_timer_persist,
	[TCPT_KEEP] = tcp_timer_keep,
	[TCPT_2MSL] = tcp_timer_2msl,
	[TCPT_DELACK] = tcp_timer_delack,
};

static void
tcp_timer_fire(void *arg)
{
	struct tcpcb *tp, *next;
	uint64_t now, soonest = 0;
	int t;

	NET_LOCK();
	now = getuptime_ns();
	tcp_callout_at = 0;
	for (tp = LIST_FIRST(&tcp_cblist); tp != NULL; tp = next) {
		/* Handlers only ever free their own tcpcb. */
		next = LIST_NEXT(tp, t_list);
		for (t = 0; t < TCPT_NTIMERS && tp != NULL; t++) {
			if (tp->t_timer[t] == 0 || tp->t_timer[t] > now)
				continue;
			tp->t_timer[t] = 0;
			tp = tcp_timer_handlers[t](tp);
		}
		if (tp == NULL)
			continue;
		for (t = 0; t < TCPT_NTIMERS; t++) {
			if (tp->t_timer[t] != 0 &&
			    (soonest == 0 || tp->t_timer[t] < soonest))
				soonest = tp->t_timer[t];
		}
	}
	if (soonest != 0)
		tcp_callout_set(soonest, getuptime_ns());
	else if (tcp_callout_at != 0)
		tcp_callout_set(tcp_callout_at, getuptime_ns());
	NET_UNLOCK();
}
