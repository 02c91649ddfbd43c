/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * inet_private.h: what the files of rumpsrc/netinet share and nothing
 * outside netinet/ (and net/net_init.c, which boots the layers) includes:
 * the protocol input entry points that ip_input dispatches to, the
 * reassembly queue, and each protocol's init/fini.  All under net_lock.
 */
#ifndef _NETINET_INET_PRIVATE_H_
#define _NETINET_INET_PRIVATE_H_

#include <sys/types.h>
#include <netinet/in.h>

struct mbuf;
struct ifnet;
struct pr_usrreqs;

/* Protocol input: m has the IP header (hlen bytes) at the front,
 * contiguous, ip_len host-consistent with m's length. */
void	icmp_input(struct mbuf *m, int hlen);
void	udp_input(struct mbuf *m, int hlen);
void	rip_input(struct mbuf *m, int hlen);	/* raw sockets: a copy */
void	tcp_input(struct mbuf *m, int hlen);

/*
 * Reassembly (ip_reass.c): m is a fragment (header checked); returns the
 * whole datagram when m completed one, else NULL (m kept or dropped).
 */
struct mbuf *ip_reass(struct mbuf *m, int hlen);

/* Socket user requests of each protocol (in_proto.c's table). */
extern const struct pr_usrreqs udp_usrreqs;
extern const struct pr_usrreqs rip_usrreqs;
extern const struct pr_usrreqs tcp_usrreqs;

/* Boot/shutdown of each part, called in order by net/net_init.c. */
int	in_init(void);
void	in_fini(void);
int	ip_init(void);
void	ip_fini(void);
int	ip_reass_init(void);
void	ip_reass_fini(void);
int	icmp_init(void);
void	icmp_fini(void);
int	udp_init(void);
void	udp_fini(void);
int	rip_init(void);
void	rip_fini(void);
int	tcp_init(void);
void	tcp_fini(void);

#endif /* _NETINET_INET_PRIVATE_H_ */
