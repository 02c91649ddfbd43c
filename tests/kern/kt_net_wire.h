/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_wire.h: a one-interface test wire for kernel-side network tests
 * (kt_net_wire.c).  A ktwire is an Ethernet interface whose transmitted
 * frames go to a test's own function instead of a medium, and into
 * whose input a test injects frames: the test plays every other station
 * on the link (a DHCP server, a broadcaster) byte by byte.  Helpers build
 * and parse Ethernet/IPv4/UDP frames.  Used by kt_net_bcast.c and
 * kt_net_dhcp.c.
 */
#ifndef _TESTS_KERN_KT_NET_WIRE_H_
#define _TESTS_KERN_KT_NET_WIRE_H_

#include <sys/types.h>
#include <net/if.h>

#define KTWIRE_FRAMEMAX	2048

struct ktwire;
/* A transmitted frame (whole, with its Ethernet header).  Called from the
 * driver's if_start with net_lock held: it must not sleep. */
typedef void (*ktwire_tx_fn)(struct ktwire *kw, const uint8_t *frame,
    size_t len);

struct ktwire {
	struct ifnet	kw_if;
	ktwire_tx_fn	kw_tx;		/* NULL: frames vanish */
	void		*kw_arg;	/* the test's */
	u_int		kw_ntx;		/* frames transmitted */
	uint8_t		kw_frame[KTWIRE_FRAMEMAX];	/* net_lock */
};

/* Attach (not up).  Thread context, net_lock NOT held. */
int	ktwire_create(const char *name, const uint8_t *lla, ktwire_tx_fn tx,
	    void *arg, struct ktwire **kwp);
/* Detach and free.  Thread context, net_lock NOT held. */
void	ktwire_destroy(struct ktwire *kw);
/* Queue frame for kw's input (any context; false: no mbuf). */
bool	ktwire_inject(struct ktwire *kw, const void *frame, size_t len);

/* An Ethernet/IPv4/UDP frame; addresses and ports in host order.
 * buf holds at least 42 + plen bytes; returns the frame length. */
size_t	ktwire_udp_frame(uint8_t *buf, const uint8_t *dmac,
	    const uint8_t *smac, uint32_t sip, uint32_t dip, uint16_t sport,
	    uint16_t dport, const void *payload, size_t plen);

struct ktwire_udp {
	const uint8_t	*ku_dmac;
	const uint8_t	*ku_smac;
	uint32_t	ku_sip;		/* host order */
	uint32_t	ku_dip;
	uint16_t	ku_sport;
	uint16_t	ku_dport;
	const uint8_t	*ku_payload;
	size_t		ku_plen;
};
/* false unless frame is a whole, option-less IPv4/UDP packet. */
bool	ktwire_udp_parse(const uint8_t *frame, size_t len,
	    struct ktwire_udp *ku);

#endif /* _TESTS_KERN_KT_NET_WIRE_H_ */
