/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/if_arp.h: the ARP packet for IPv4 over Ethernet, as on the wire
 * (RFC 826).  Wire format only.  Multi-byte fields in network order.
 */
#ifndef _NET_IF_ARP_H_
#define _NET_IF_ARP_H_

#include <sys/types.h>
#include <net/ethernet.h>

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

struct ether_arp {
	uint16_t	ar_hrd;		/* ARPHRD_ETHER */
	uint16_t	ar_pro;		/* ETHERTYPE_IP */
	uint8_t		ar_hln;		/* 6 */
	uint8_t		ar_pln;		/* 4 */
	uint16_t	ar_op;		/* ARPOP_* */
	uint8_t		arp_sha[ETHER_ADDR_LEN];
	uint8_t		arp_spa[4];
	uint8_t		arp_tha[ETHER_ADDR_LEN];
	uint8_t		arp_tpa[4];
} __packed;
__CTASSERT(sizeof(struct ether_arp) == 28);

#endif /* _NET_IF_ARP_H_ */
