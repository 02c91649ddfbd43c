/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * raw_ip.c: raw IP sockets, for ICMP (socket(AF_INET, SOCK_RAW,
 * IPPROTO_ICMP)), as ping uses them.  Input: every valid ICMP message
 * (a copy, from icmp_input) goes to each raw socket of the protocol
 * whose bound/connected addresses match, IP header included.  Output:
 * the caller supplies the ICMP message; the kernel adds the IP header
 * (IP_HDRINCL is not supported: ENOPROTOOPT).  net_lock held throughout.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "inet_private.h"
#include "in_pcb.h"

static struct inpcbtable rawtable;

int
rip_init(void)
{
	in_pcbtable_init(&rawtable);
	return 0;
}

void
rip_fini(void)
{
	in_pcbtable_fini(&rawtable);
}

void
rip_input(struct mbuf *m, int hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	struct inpcb *inp, *last = NULL;
	struct sockaddr_in from;
	struct mbuf *copy;

	NET_ASSERT_LOCKED();
	memset(&from, 0, sizeof(from));
	from.sin_len = sizeof(from);
	from.sin_family = AF_INET;
	from.sin_addr = ip->ip_src;
	m->m_pkthdr.rcvif = NULL;
	LIST_FOREACH(inp, &rawtable.it_list, inp_entry) {
		if (inp->inp_proto != ip->ip_p ||
		    (inp->inp_laddr.s_addr != INADDR_ANY &&
		     inp->inp_laddr.s_addr != ip->ip_dst.s_addr) ||
		    (inp->inp_faddr.s_addr != INADDR_ANY &&
		     inp->inp_faddr.s_addr != ip->ip_src.s_addr))
			continue;
		if (last != NULL) {
			copy = m_copym(m, 0, M_COPYALL, M_NOWAIT);
			if (copy != NULL &&
			    sb_append_addr(&last->inp_socket->so_rcv,
			    (struct sockaddr *)&from, copy))
				sorwakeup(last->inp_socket);
		}
		last = inp;
	}
	if (last == NULL) {
		m_freem(m);
		return;
	}
	if (sb_append_addr(&last->inp_socket->so_rcv,
	    (struct sockaddr *)&from, m))
		sorwakeup(last->inp_socket);
}

static int
rip_attach(struct socket *so, int proto)
{
	int error;

	error = in_pcballoc(so, &rawtable);
	if (error != 0)
		return error;
	sotoinpcb(so)->inp_proto = proto;
	sb_init(&so->so_rcv, 64 * 1024, "riprcv");
	sb_init(&so->so_snd, 9216, "ripsnd");
	return 0;
}

static void
rip_detach(struct socket *so)
{
	in_pcbfree(sotoinpcb(so));
}

static int
rip_bind(struct socket *so, const struct sockaddr *nam)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;
	struct inpcb *inp = sotoinpcb(so);

	if (sin->sin_addr.s_addr != INADDR_ANY &&
	    in_ifaddr_lookup(sin->sin_addr) == NULL &&
	    (ntohl(sin->sin_addr.s_addr) >> 24) != IN_LOOPBACKNET)
		return EADDRNOTAVAIL;
	inp->inp_laddr = sin->sin_addr;
	so->so_state |= SS_ISBOUND;
	return 0;
}

static int
rip_connect(struct socket *so, const struct sockaddr *nam)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;

	sotoinpcb(so)->inp_faddr = sin->sin_addr;
	so->so_state |= SS_ISCONNECTED;
	return 0;
}

static int
rip_disconnect(struct socket *so)
{
	if (!(so->so_state & SS_ISCONNECTED))
		return ENOTCONN;
	sotoinpcb(so)->inp_faddr.s_addr = INADDR_ANY;
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
rip_shutdown(struct socket *so)
{
	return 0;
}

static int
rip_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam)
{
	struct inpcb *inp = sotoinpcb(so);
	struct in_addr dst;
	struct ip *ip;
	int len = m->m_pkthdr.len;

	if (nam != NULL)
		dst = ((const struct sockaddr_in *)nam)->sin_addr;
	else if (so->so_state & SS_ISCONNECTED)
		dst = inp->inp_faddr;
	else {
		m_freem(m);
		return EDESTADDRREQ;
	}
	if (len > IP_MAXPACKET - IP_MINHLEN) {
		m_freem(m);
		return EMSGSIZE;
	}
	m = m_prepend(m, IP_MINHLEN, M_NOWAIT);
	if (m == NULL)
		return ENOBUFS;
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHLEN);
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_tos = inp->inp_tos;
	ip->ip_len = htons((uint16_t)(IP_MINHLEN + len));
	ip->ip_ttl = inp->inp_ttl;
	ip->ip_p = (uint8_t)inp->inp_proto;
	ip->ip_src = inp->inp_laddr;
	ip->ip_dst = dst;
	return ip_output(m, (so->so_options & SO_BROADCAST) ?
	    IP_ALLOWBROADCAST : 0);
}

static int
rip_sockaddr(struct socket *so, struct sockaddr *nam)
{
	in_pcbsetname(sotoinpcb(so), nam, false);
	return 0;
}

static int
rip_peeraddr(struct socket *so, struct sockaddr *nam)
{
	if (!(so->so_state & SS_ISCONNECTED))
		return ENOTCONN;
	in_pcbsetname(sotoinpcb(so), nam, true);
	return 0;
}

const struct pr_usrreqs rip_usrreqs = {
	.pru_attach = rip_attach,
	.pru_detach = rip_detach,
	.pru_bind = rip_bind,
	.pru_connect = rip_connect,
	.pru_disconnect = rip_disconnect,
	.pru_shutdown = rip_shutdown,
	.pru_send = rip_send,
	.pru_sockaddr = rip_sockaddr,
	.pru_peeraddr = rip_peeraddr,
	.pru_ctloutput = inet_ctloutput,
};
