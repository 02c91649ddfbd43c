/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/ethernet.h: the Ethernet II frame header, as on the wire (IEEE
 * 802.3 / RFC 894).  Wire format only: no kernel structures here.
 * Multi-byte fields are in network byte order.
 */
#ifndef _NET_ETHERNET_H_
#define _NET_ETHERNET_H_

#include <sys/types.h>

#define ETHER_ADDR_LEN		6
#define ETHER_TYPE_LEN		2
#define ETHER_HDR_LEN		14
#define ETHER_CRC_LEN		4
#define ETHER_MIN_LEN		64	/* with CRC */
#define ETHER_MIN_FRAME		(ETHER_MIN_LEN - ETHER_CRC_LEN)	/* 60 */
#define ETHERMTU		1500

#define ETHERTYPE_IP		0x0800
#define ETHERTYPE_ARP		0x0806

struct ether_header {
	uint8_t		ether_dhost[ETHER_ADDR_LEN];
	uint8_t		ether_shost[ETHER_ADDR_LEN];
	uint16_t	ether_type;
} __packed;
__CTASSERT(sizeof(struct ether_header) == ETHER_HDR_LEN);

#define ETHER_IS_MULTICAST(a)	((a)[0] & 0x01)

#endif /* _NET_ETHERNET_H_ */
