/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_usrreq.c: the socket user requests of TCP (struct pr_usrreqs):
 * attach, bind, listen, connect, send, the reader's window updates,
 * shutdown, close with linger semantics, abort, names, and the
 * IPPROTO_TCP options (TCP_NODELAY, TCP_MAXSEG, TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT, TCP_KEEPINIT).
 *
 * Called by the socket layer (net/socket.c, net/socket_stream.c) with
 * net_lock held.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "inet_private.h"
#include "in_pcb.h"
#include "tcp_var.h"

#define TCP_KEEP_MAX_S	(24 * 3600)	/* longest keepalive option, s */

struct tcpcb *
tcp_usrclosed(struct tcpcb *tp)
{
	struct socket *so = tp->t_socket;

	switch (tp->t_state) {
	case TCPS_CLOSED:
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		return tcp_close(tp);
	case TCPS_SYN_RECEIVED:
		tp->t_flags |= TF_NEEDFIN;	/* once established */
		break;
	case TCPS_ESTABLISHED:
		tp->t_state = TCPS_FIN_WAIT_1;
		break;
	case TCPS_CLOSE_WAIT:
		tp->t_state = TCPS_LAST_ACK;
		break;
	case TCPS_FIN_WAIT_2:
		if (so->so_state & SS_CANTRCVMORE) {
			soisdisconnected(so);
			tcp_timer_arm(tp, TCPT_2MSL, tcp_params.tp_finwait2_ms);
		}
		break;
	default:
		break;
	}
	return tp;
}

static int
tcp_usr_attach(struct socket *so, int proto)
{
	int error;

	sb_init(&so->so_rcv, tcp_params.tp_recvspace, "tcprcv");
	sb_init(&so->so_snd, tcp_params.tp_sendspace, "tcpsnd");
	error = tcp_attach_pcb(so, KM_NOSLEEP);
	if (error != 0) {
		sb_destroy(&so->so_rcv);
		sb_destroy(&so->so_snd);
	}
	return error;
}

/* Shutdown of the stack: forget the connection, send nothing. */
static void
tcp_usr_detach(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp != NULL)
		tcp_discard(tp);
}

static int
tcp_usr_bind(struct socket *so, const struct sockaddr *nam)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;

	if (IN_MULTICAST(ntohl(sin->sin_addr.s_addr)) ||
	    sin->sin_addr.s_addr == INADDR_BROADCAST)
		return EADDRNOTAVAIL;
	return in_pcbbind(sotoinpcb(so), sin);
}

static int
tcp_usr_listen(struct socket *so, int backlog)
{
	struct inpcb *inp = sotoinpcb(so);
	struct tcpcb *tp = intotcpcb(inp);
	int error;

	if (tp->t_state != TCPS_CLOSED && tp->t_state != TCPS_LISTEN)
		return EINVAL;
	if (inp->inp_lport == 0) {
		error = in_pcbbind(inp, NULL);
		if (error != 0)
			return error;
	}
	tp->t_state = TCPS_LISTEN;
	return 0;
}

/* Is (laddr, lport, faddr, fport) used by another live connection? */
static bool
tcp_tuple_taken(const struct inpcb *me)
{
	struct inpcb *inp;
	struct tcpcb *tp;

	LIST_FOREACH(inp, &tcbtable.it_list, inp_entry) {
		if (inp == me || inp->inp_lport != me->inp_lport ||
		    inp->inp_fport != me->inp_fport ||
		    inp->inp_faddr.s_addr != me->inp_faddr.s_addr ||
		    inp->inp_laddr.s_addr != me->inp_laddr.s_addr)
			continue;
		tp = intotcpcb(inp);
		if (tp != NULL && tp->t_state != TCPS_CLOSED)
			return true;
	}
	return false;
}

static int
tcp_usr_connect(struct socket *so, const struct sockaddr *nam)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;
	struct inpcb *inp = sotoinpcb(so);
	struct tcpcb *tp = intotcpcb(inp);
	int error;

	if (nam->sa_family != AF_INET)
		return EAFNOSUPPORT;
	if (tp->t_state != TCPS_CLOSED)
		return EISCONN;
	if (sin->sin_addr.s_addr == INADDR_ANY ||
	    sin->sin_addr.s_addr == INADDR_BROADCAST ||
	    IN_MULTICAST(ntohl(sin->sin_addr.s_addr)))
		return EADDRNOTAVAIL;
	in_pcbdisconnect(inp);		/* a second try after a failure */
	error = in_pcbconnect(inp, sin);
	if (error != 0)
		return error;
	if (tcp_tuple_taken(inp)) {
		in_pcbdisconnect(inp);
		return EADDRINUSE;
	}
	so->so_state &= ~(SS_CANTRCVMORE | SS_CANTSENDMORE);
	tp->t_flags &= ~(TF_RCVD_SCALE | TF_RCVD_TSTMP | TF_SENTFIN);
	if (tcp_params.tp_winscale) {
		tp->t_flags |= TF_REQ_SCALE;
		tp->request_r_scale = 0;
		while (tp->request_r_scale < TCP_MAX_WINSHIFT &&
		    ((uint32_t)TCP_MAXWIN << tp->request_r_scale) <
		    so->so_rcv.sb_hiwat)
			tp->request_r_scale++;
	}
	if (tcp_params.tp_timestamps)
		tp->t_flags |= TF_REQ_TSTMP;
	tp->iss = tcp_new_iss(inp->inp_laddr, inp->inp_lport, inp->inp_faddr,
	    inp->inp_fport);
	tp->ts_offset = tcp_ts_offset(inp->inp_laddr, inp->inp_lport,
	    inp->inp_faddr, inp->inp_fport);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->snd_recover = tp->iss;
	tp->t_maxseg = tcp_mss_for(tp, inp->inp_faddr);
	tp->t_rxtshift = 0;
	tp->t_state = TCPS_SYN_SENT;
	soisconnecting(so);
	tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepinit);
	TCP_STATINC(TCP_STAT_CONNATTEMPT);
	(void)tcp_output(tp);	/* a lost SYN is sent again by the timer */
	return 0;
}

/* Orderly close, the socket still open (SO_LINGER > 0 waits on it). */
static int
tcp_usr_disconnect(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	soisdisconnecting(so);
	sb_flush(&so->so_rcv);
	tp = tcp_usrclosed(tp);
	if (tp != NULL)
		(void)tcp_output(tp);
	return 0;
}

static int
tcp_usr_shutdown(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp->t_state < TCPS_SYN_RECEIVED && tp->t_state != TCPS_SYN_SENT)
		return 0;
	tp = tcp_usrclosed(tp);
	if (tp != NULL)
		(void)tcp_output(tp);
	return 0;
}

static int
tcp_usr_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp->t_state < TCPS_SYN_SENT || TCPS_OURFINSTATE(tp->t_state) ||
	    tp->t_state >= TCPS_FIN_WAIT_2) {
		m_freem(m);
		return tp->t_state < TCPS_SYN_SENT ? ENOTCONN : EPIPE;
	}
	if (!sb_append_stream(&so->so_snd, m))
		return ENOBUFS;
	(void)tcp_output(tp);	/* errors: the retransmission timer */
	return 0;
}

static void
tcp_usr_rcvd(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp != NULL && TCPS_HAVEESTABLISHED(tp->t_state))
		(void)tcp_output(tp);
}

/* The descriptor is gone (SS_NOFDREF). */
static void
tcp_usr_close(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	KASSERT(so->so_state & SS_NOFDREF);
	switch (tp->t_state) {
	case TCPS_CLOSED:
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		(void)tcp_close(tp);
		return;
	default:
		break;
	}
	/* SO_LINGER 0, or data the application never read: RST
	 * (RFC 9293 3.10.4, RFC 2525 2.17). */
	if (((so->so_options & SO_LINGER) && so->so_linger == 0) ||
	    so->so_rcv.sb_cc > 0) {
		(void)tcp_drop(tp, 0);
		return;
	}
	if (!(so->so_state & SS_ISDISCONNECTING)) {
		soisdisconnecting(so);
		tp = tcp_usrclosed(tp);
	} else if (tp->t_state == TCPS_FIN_WAIT_2) {
		tp = tcp_usrclosed(tp);
	}
	if (tp != NULL)
		(void)tcp_output(tp);
}

static void
tcp_usr_abort(struct socket *so)
{
	(void)tcp_drop(sototcpcb(so), ECONNABORTED);
}

static int
tcp_usr_sockaddr(struct socket *so, struct sockaddr *nam)
{
	in_pcbsetname(sotoinpcb(so), nam, false);
	return 0;
}

static int
tcp_usr_peeraddr(struct socket *so, struct sockaddr *nam)
{
	struct inpcb *inp = sotoinpcb(so);

	if (inp->inp_faddr.s_addr == INADDR_ANY)
		return ENOTCONN;
	in_pcbsetname(inp, nam, true);
	return 0;
}

static int
tcp_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    socklen_t *len)
{
	struct tcpcb *tp = sototcpcb(so);
	int v;

	if (level != IPPROTO_TCP)
		return inet_ctloutput(so, set, level, name, val, len);
	if (set) {
		if (*len < sizeof(int))
			return EINVAL;
		memcpy(&v, val, sizeof(v));
	} else if (*len < sizeof(int)) {
		return EINVAL;
	}
	switch (name) {
	case TCP_NODELAY:
		if (set) {
			if (v)
				tp->t_flags |= TF_NODELAY;
			else
				tp->t_flags &= ~TF_NODELAY;
			if (v)
				(void)tcp_output(tp);
		} else {
			v = (tp->t_flags & TF_NODELAY) ? 1 : 0;
		}
		break;
	case TCP_MAXSEG:
		if (set) {
			if (v < 64 || v > TCP_MAXWIN)
				return EINVAL;
			tp->t_usermss = (uint16_t)v;
			if (tp->t_maxseg > v)
				tp->t_maxseg = (uint16_t)v;
		} else {
			v = tp->t_maxseg;
		}
		break;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPINIT: {
		uint32_t *p = name == TCP_KEEPIDLE ? &tp->t_keepidle :
		    name == TCP_KEEPINTVL ? &tp->t_keepintvl : &tp->t_keepinit;

		if (set) {
			if (v < 1 || v > TCP_KEEP_MAX_S)
				return EINVAL;
			*p = (uint32_t)v * 1000;
			if (name == TCP_KEEPIDLE)
				tcp_keep_restart(tp);
		} else {
			v = (int)(*p / 1000);
		}
		break;
	}
	case TCP_KEEPCNT:
		if (set) {
			if (v < 1 || v > 1000)
				return EINVAL;
			tp->t_keepcnt = (uint32_t)v;
		} else {
			v = (int)tp->t_keepcnt;
		}
		break;
	default:
		return ENOPROTOOPT;
	}
	if (!set) {
		memcpy(val, &v, sizeof(v));
		*len = sizeof(v);
	}
	return 0;
}

const struct pr_usrreqs tcp_usrreqs = {
	.pru_attach = tcp_usr_attach,
	.pru_detach = tcp_usr_detach,
	.pru_bind = tcp_usr_bind,
	.pru_connect = tcp_usr_connect,
	.pru_disconnect = tcp_usr_disconnect,
	.pru_shutdown = tcp_usr_shutdown,
	.pru_send = tcp_usr_send,
	.pru_sockaddr = tcp_usr_sockaddr,
	.pru_peeraddr = tcp_usr_peeraddr,
	.pru_ctloutput = tcp_ctloutput,
	.pru_listen = tcp_usr_listen,
	.pru_rcvd = tcp_usr_rcvd,
	.pru_close = tcp_usr_close,
	.pru_abort = tcp_usr_abort,
};
