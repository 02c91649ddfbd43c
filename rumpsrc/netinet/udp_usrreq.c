/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * udp_usrreq.c: UDP (RFC 768, RFC 1122 4.1): input with length and
 * checksum validation and demultiplexing to sockets, output with the
 * pseudo-header checksum, and the socket user requests.
 *
 * Input (ip_input, net_lock held): the datagram goes to the best
 * matching socket (in_pcblookup); broadcasts (limited, subnet-directed,
 * or any frame that came as a link broadcast) go to every socket bound
 * to the port with INADDR_ANY or the destination address; a unicast
 * datagram for a port nobody has bound earns an ICMP port unreachable.
 * A socket bound to an interface (in_socket_bindif) hears only what
 * arrived on that interface.
 *
 * Output: a broadcast destination needs SO_BROADCAST (EACCES).  A datagram that does not fit the socket's receive
 * buffer is dropped and counted (udps_fullsock, sb_overflows).
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
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>

#include "inet_private.h"
#include "in_pcb.h"

uint64_t udpstat[UDPS_NSTATS];
static struct inpcbtable udbtable;

#define UDP_MAXDGRAM	(IP_MAXPACKET - IP_MINHLEN - sizeof(struct udphdr))

int
udp_init(void)
{
	memset(udpstat, 0, sizeof(udpstat));
	in_pcbtable_init(&udbtable);
	return 0;
}

void
udp_fini(void)
{
	in_pcbtable_fini(&udbtable);
}

/* May inp receive m?  A socket bound to an interface hears only it. */
static bool
udp_ifmatch(const struct inpcb *inp, const struct mbuf *m)
{
	const struct ifnet *rcvif = m->m_pkthdr.rcvif;

	return inp->inp_boundif == 0 ||
	    (rcvif != NULL && rcvif->if_index == inp->inp_boundif);
}

/* Deliver a copy (or m itself when last) to inp's socket. */
static void
udp_deliver(struct inpcb *inp, struct mbuf *m, int off,
    const struct sockaddr_in *from)
{
	struct socket *so = inp->inp_socket;

	m_adj(m, off);
	m->m_pkthdr.rcvif = NULL;
	if (!sb_append_addr(&so->so_rcv, (const struct sockaddr *)from, m)) {
		udpstat[UDPS_FULLSOCK]++;
		return;
	}
	sorwakeup(so);
}

void
udp_input(struct mbuf *m, int hlen)
{
	struct ip *ip;
	struct udphdr *uh;
	struct inpcb *inp;
	struct sockaddr_in from;
	struct mbuf *copy;
	int ulen, iplen;
	bool bcast;

	NET_ASSERT_LOCKED();
	udpstat[UDPS_IPACKETS]++;
	iplen = m->m_pkthdr.len;
	if (iplen < hlen + (int)sizeof(*uh)) {
		udpstat[UDPS_HDROPS]++;
		goto out_free;
	}
	if ((m = m_pullup(m, hlen + sizeof(*uh))) == NULL) {
		udpstat[UDPS_HDROPS]++;
		return;
	}
	ip = mtod(m, struct ip *);
	uh = (struct udphdr *)(mtod(m, uint8_t *) + hlen);
	ulen = ntohs(uh->uh_ulen);
	if (ulen < (int)sizeof(*uh) || ulen > iplen - hlen) {
		udpstat[UDPS_BADLEN]++;
		goto out_free;
	}
	if (ulen < iplen - hlen) {	/* trailing bytes beyond UDP: trim */
		m_adj(m, ulen - (iplen - hlen));
		ip->ip_len = htons((uint16_t)(hlen + ulen));
	}
	if (uh->uh_sum != 0 &&
	    in_cksum(m, hlen, ulen, in_pseudo(ip->ip_src, ip->ip_dst,
	    IPPROTO_UDP, (uint16_t)ulen)) != 0) {
		udpstat[UDPS_BADSUM]++;
		goto out_free;
	}

	memset(&from, 0, sizeof(from));
	from.sin_len = sizeof(from);
	from.sin_family = AF_INET;
	from.sin_addr = ip->ip_src;
	from.sin_port = uh->uh_sport;

	bcast = (m->m_flags & (M_BCAST | M_MCAST)) ||
	    in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif);
	if (bcast) {
		/* Every socket bound to the port (and any or this address)
		 * gets a copy. */
		struct inpcb *last = NULL;
		LIST_FOREACH(inp, &udbtable.it_list, inp_entry) {
			if (inp->inp_lport != uh->uh_dport ||
			    (inp->inp_laddr.s_addr != INADDR_ANY &&
			     inp->inp_laddr.s_addr != ip->ip_dst.s_addr) ||
			    !udp_ifmatch(inp, m))
				continue;
			if (last != NULL) {
				copy = m_copym(m, 0, M_COPYALL, M_NOWAIT);
				if (copy != NULL)
					udp_deliver(last, copy,
					    hlen + sizeof(*uh), &from);
			}
			last = inp;
		}
		if (last == NULL) {
			udpstat[UDPS_NOPORTBCAST]++;
			goto out_free;
		}
		udp_deliver(last, m, hlen + sizeof(*uh), &from);
		return;
	}
	inp = in_pcblookup(&udbtable, ip->ip_src, uh->uh_sport, ip->ip_dst,
	    uh->uh_dport);
	if (inp != NULL && !udp_ifmatch(inp, m))
		inp = NULL;
	if (inp == NULL) {
		udpstat[UDPS_NOPORT]++;
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PORT, 0);
		return;
	}
	udp_deliver(inp, m, hlen + sizeof(*uh), &from);
	return;

out_free:
	m_freem(m);
}

/* Send m (payload only) from inp to dst. */
static int
udp_output(struct inpcb *inp, struct mbuf *m, struct in_addr dst,
    uint16_t dport)
{
	struct socket *so = inp->inp_socket;
	struct ifnet *boundifp = NULL;
	struct in_addr src;
	struct udphdr *uh;
	struct ip *ip;
	int len = m->m_pkthdr.len, error, flags = 0;
	uint16_t sum;

	if ((u_int)len > UDP_MAXDGRAM) {
		error = EMSGSIZE;
		goto err_free;
	}
	/* Subnet broadcasts are caught by ip_output, once routed. */
	if (dst.s_addr == INADDR_BROADCAST &&
	    !(so->so_options & SO_BROADCAST)) {
		error = EACCES;
		goto err_free;
	}
	if (inp->inp_boundif != 0) {
		boundifp = if_byindex(inp->inp_boundif);
		if (boundifp == NULL) {
			error = ENXIO;
			goto err_free;
		}
	}
	if (inp->inp_lport == 0) {
		error = in_pcbbind(inp, NULL);
		if (error != 0)
			goto err_free;
	}
	error = in_pcbsrcaddr(inp, dst, &src);
	if (error != 0)
		goto err_free;
	m = m_prepend(m, IP_MINHLEN + sizeof(*uh), M_NOWAIT);
	if (m == NULL)
		return ENOBUFS;
	if (m->m_len < IP_MINHLEN + (int)sizeof(*uh)) {
		m = m_pullup(m, IP_MINHLEN + sizeof(*uh));
		if (m == NULL)
			return ENOBUFS;
	}
	ip = mtod(m, struct ip *);
	uh = (struct udphdr *)(ip + 1);
	uh->uh_sport = inp->inp_lport;
	uh->uh_dport = dport;
	uh->uh_ulen = htons((uint16_t)(len + sizeof(*uh)));
	uh->uh_sum = 0;
	sum = in_cksum(m, IP_MINHLEN, len + sizeof(*uh),
	    in_pseudo(src, dst, IPPROTO_UDP, (uint16_t)(len + sizeof(*uh))));
	uh->uh_sum = sum == 0 ? 0xffff : sum;
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_tos = inp->inp_tos;
	ip->ip_len = htons((uint16_t)(IP_MINHLEN + sizeof(*uh) + len));
	ip->ip_off = 0;
	ip->ip_ttl = inp->inp_ttl;
	ip->ip_p = IPPROTO_UDP;
	ip->ip_sum = 0;
	ip->ip_src = src;
	ip->ip_dst = dst;
	if (so->so_options & SO_BROADCAST)
		flags |= IP_ALLOWBROADCAST;
	udpstat[UDPS_OPACKETS]++;
	return ip_output_if(m, flags, boundifp);

err_free:
	m_freem(m);
	return error;
}

/* ---- user requests ------------------------------------------------------ */

static int
udp_attach(struct socket *so, int proto)
{
	int error;

	error = in_pcballoc(so, &udbtable);
	if (error != 0)
		return error;
	sb_init(&so->so_rcv, 64 * 1024, "udprcv");
	sb_init(&so->so_snd, 9216, "udpsnd");	/* largest datagram */
	return 0;
}

static void
udp_detach(struct socket *so)
{
	in_pcbfree(sotoinpcb(so));
}

static int
udp_bind(struct socket *so, const struct sockaddr *nam)
{
	return in_pcbbind(sotoinpcb(so), (const struct sockaddr_in *)nam);
}

static int
udp_connect(struct socket *so, const struct sockaddr *nam)
{
	struct inpcb *inp = sotoinpcb(so);
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;
	int error;

	/* Connecting again replaces the peer (RFC-less BSD behaviour);
	 * AF_UNSPEC dissolves the association. */
	if (nam->sa_family == AF_UNSPEC) {
		in_pcbdisconnect(inp);
		so->so_state &= ~SS_ISCONNECTED;
		return 0;
	}
	if (sin->sin_addr.s_addr == INADDR_ANY) {
		return EADDRNOTAVAIL;
	}
	in_pcbdisconnect(inp);
	error = in_pcbconnect(inp, sin);
	if (error != 0)
		return error;
	so->so_state |= SS_ISCONNECTED;
	return 0;
}

static int
udp_disconnect(struct socket *so)
{
	if (!(so->so_state & SS_ISCONNECTED))
		return ENOTCONN;
	in_pcbdisconnect(sotoinpcb(so));
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
udp_shutdown(struct socket *so)
{
	return 0;
}

static int
udp_send(struct socket *so, struct mbuf *m, const struct sockaddr *nam)
{
	struct inpcb *inp = sotoinpcb(so);
	const struct sockaddr_in *sin = (const struct sockaddr_in *)nam;

	if (sin == NULL) {
		if (!(so->so_state & SS_ISCONNECTED)) {
			m_freem(m);
			return EDESTADDRREQ;
		}
		return udp_output(inp, m, inp->inp_faddr, inp->inp_fport);
	}
	if (so->so_state & SS_ISCONNECTED) {
		m_freem(m);
		return EISCONN;
	}
	if (sin->sin_port == 0) {
		m_freem(m);
		return EADDRNOTAVAIL;
	}
	return udp_output(inp, m, sin->sin_addr, sin->sin_port);
}

static int
udp_sockaddr(struct socket *so, struct sockaddr *nam)
{
	in_pcbsetname(sotoinpcb(so), nam, false);
	return 0;
}

static int
udp_peeraddr(struct socket *so, struct sockaddr *nam)
{
	if (!(so->so_state & SS_ISCONNECTED))
		return ENOTCONN;
	in_pcbsetname(sotoinpcb(so), nam, true);
	return 0;
}

const struct pr_usrreqs udp_usrreqs = {
	.pru_attach = udp_attach,
	.pru_detach = udp_detach,
	.pru_bind = udp_bind,
	.pru_connect = udp_connect,
	.pru_disconnect = udp_disconnect,
	.pru_shutdown = udp_shutdown,
	.pru_send = udp_send,
	.pru_sockaddr = udp_sockaddr,
	.pru_peeraddr = udp_peeraddr,
	.pru_ctloutput = inet_ctloutput,
};
