/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/if_ether.h: the Ethernet link layer (net/if_ethersubr.c) and ARP
 * (netinet/if_arp.c) as seen by drivers and the network layer.
 *
 * A driver of an Ethernet device fills in if_xname, if_softc, if_start,
 * then calls ether_ifattach (which sets MTU, header length, address,
 * if_output and if_l2input and attaches the interface) and, to go away,
 * ether_ifdetach.  Frames it receives go to if_input_enqueue() with the
 * Ethernet header at the front; frames to send come off if_snd complete
 * (header included, padded to the 60-byte minimum).
 */
#ifndef _NET_IF_ETHER_H_
#define _NET_IF_ETHER_H_

#include <sys/types.h>
#include <net/ethernet.h>
#include <netinet/in.h>

struct ifnet;
struct mbuf;

extern const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN];

/* Thread context, net_lock not held (see if_attach). */
int	ether_ifattach(struct ifnet *ifp, const uint8_t *lla);
void	ether_ifdetach(struct ifnet *ifp);

/* Send a frame of the given type to dst (net_lock held; owns m). */
int	ether_output_frame(struct ifnet *ifp, struct mbuf *m,
	    const uint8_t *dst, uint16_t type);

/*
 * ARP (netinet/if_arp.c), all with net_lock held.
 * arp_resolve: find the link address of IPv4 next hop dst on ifp.
 *   0: found, copied to lla, the caller sends m;
 *   EWOULDBLOCK: m is held on the entry's bounded queue (ARP request
 *     sent); it is sent when the answer comes, or freed on timeout;
 *   other errno: m freed (EHOSTDOWN: the entry failed recently).
 */
int	arp_resolve(struct ifnet *ifp, struct mbuf *m, struct in_addr dst,
	    uint8_t *lla);
void	arp_input(struct ifnet *ifp, struct mbuf *m);
void	arp_ifdetach(struct ifnet *ifp);	/* drop ifp's entries */
/* Send a gratuitous ARP for addr on ifp (after configuration). */
void	arp_announce(struct ifnet *ifp, struct in_addr addr);

/* Inspect the cache (tests): 1 resolved (lla filled), 0 pending, -1 none,
 * -2 failed; *nheld: queued packets. */
int	arp_lookup_state(struct ifnet *ifp, struct in_addr a, uint8_t *lla,
	    u_int *nheld);

/* Timing and bounds (tunable by tests before traffic). */
struct arp_params {
	u_int	ap_keep_ms;		/* resolved entry lifetime */
	u_int	ap_retry_ms;		/* between requests */
	u_int	ap_maxtries;		/* requests before failing */
	u_int	ap_down_ms;		/* failed entry lifetime */
	u_int	ap_maxhold;		/* packets queued per entry */
	u_int	ap_maxentries;
};
extern struct arp_params arp_params;

enum arp_stat {
	ARPS_RXREQUESTS, ARPS_RXREPLIES, ARPS_TXREQUESTS, ARPS_TXREPLIES,
	ARPS_BADPKT,		/* malformed or not for IPv4/Ethernet */
	ARPS_DUPADDR,		/* someone else claims our address */
	ARPS_HELDDROPS,		/* hold queue full: oldest dropped */
	ARPS_TIMEOUTS,		/* resolution failed (queue freed) */
	ARPS_NSTATS
};
extern uint64_t arpstat[ARPS_NSTATS];	/* under net_lock */

int	arp_init(void);
void	arp_fini(void);

#endif /* _NET_IF_ETHER_H_ */
