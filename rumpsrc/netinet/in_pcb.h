/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * in_pcb.h: Internet protocol control blocks (in_pcb.c), private to
 * netinet/: the local/foreign address and port of a socket of UDP, raw
 * IP (and later TCP), kept in one table per protocol.  net_lock held for
 * everything.
 */
#ifndef _NETINET_IN_PCB_H_
#define _NETINET_IN_PCB_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

struct socket;

struct inpcb {
	LIST_ENTRY(inpcb)	inp_entry;
	struct inpcbtable	*inp_table;
	struct socket		*inp_socket;
	struct in_addr		inp_laddr;
	struct in_addr		inp_faddr;
	uint16_t		inp_lport;	/* network order */
	uint16_t		inp_fport;
	uint8_t			inp_ttl;
	uint8_t			inp_tos;
	int			inp_proto;	/* raw: protocol filter */
	void			*inp_ppcb;	/* TCP: its tcpcb */
	u_int			inp_boundif;	/* if_index, 0: any (UDP) */
	int			inp_bindif_flags; /* IN_BINDIF_* */
};

struct inpcbtable {
	LIST_HEAD(, inpcb)	it_list;
	uint16_t		it_lastport;	/* host order */
	u_int			it_count;
	int			it_flags;	/* INPT_* */
};
/* it_flags: with SO_REUSEADDR a bind may share its port with connected
 * pcbs (TCP: TIME_WAIT and accepted connections of a former server). */
#define INPT_REUSECONN	0x0001

#define IPPORT_ANONMIN	49152
#define IPPORT_ANONMAX	65535

void	in_pcbtable_init(struct inpcbtable *t);
void	in_pcbtable_fini(struct inpcbtable *t);	/* must be empty */
int	in_pcballoc(struct socket *so, struct inpcbtable *t);
/* The same with KM_SLEEP or KM_NOSLEEP (ENOBUFS). */
int	in_pcballoc_flags(struct socket *so, struct inpcbtable *t,
	    int kmflags);
void	in_pcbfree(struct inpcb *inp);
/* Bind to sin (NULL: any address, an ephemeral port). */
int	in_pcbbind(struct inpcb *inp, const struct sockaddr_in *sin);
/* Connect: sets the foreign address, chooses a local address by route
 * and an ephemeral port when unbound. */
int	in_pcbconnect(struct inpcb *inp, const struct sockaddr_in *sin);
void	in_pcbdisconnect(struct inpcb *inp);
/* Best match for a received packet: exact connected match, else a
 * socket bound to (laddr or any, lport) and unconnected. */
struct inpcb *in_pcblookup(struct inpcbtable *t, struct in_addr faddr,
	    uint16_t fport, struct in_addr laddr, uint16_t lport);
/* Source address for a send to dst from inp (its bound one, else the
 * outgoing interface's); ENETUNREACH/EADDRNOTAVAIL.  A pcb bound to an
 * interface (inp_boundif) sends only through it; its limited broadcasts
 * may have source 0.0.0.0 while the interface has no address (ENXIO
 * once the interface is gone). */
int	in_pcbsrcaddr(struct inpcb *inp, struct in_addr dst,
	    struct in_addr *src);
void	in_pcbsetname(const struct inpcb *inp, struct sockaddr *nam,
	    bool peer);

/* IPPROTO_IP socket options (IP_TTL, IP_TOS), for pru_ctloutput. */
int	inet_ctloutput(struct socket *so, bool set, int level, int name,
	    void *val, socklen_t *len);

#define sotoinpcb(so)	((struct inpcb *)(so)->so_pcb)

#endif /* _NETINET_IN_PCB_H_ */
