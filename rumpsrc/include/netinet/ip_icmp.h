/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/ip_icmp.h: the ICMP header, as on the wire (RFC 792, RFC 1191
 * for the next-hop MTU).  Wire format only.  Multi-byte fields in network
 * byte order.
 */
#ifndef _NETINET_IP_ICMP_H_
#define _NETINET_IP_ICMP_H_

#include <sys/types.h>

struct icmp_hdr {
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint16_t	icmp_cksum;
	union {
		struct {
			uint16_t	id;
			uint16_t	seq;
		} echo;
		struct {
			uint16_t	unused;
			uint16_t	nextmtu;
		} pmtu;
		uint32_t	word;
	} icmp_un;
} __packed;
__CTASSERT(sizeof(struct icmp_hdr) == 8);

#define icmp_id		icmp_un.echo.id
#define icmp_seq	icmp_un.echo.seq
#define icmp_nextmtu	icmp_un.pmtu.nextmtu

#define ICMP_MINLEN		8
#define ICMP_ECHOREPLY		0
#define ICMP_UNREACH		3
#define  ICMP_UNREACH_NET	0
#define  ICMP_UNREACH_HOST	1
#define  ICMP_UNREACH_PROTOCOL	2
#define  ICMP_UNREACH_PORT	3
#define  ICMP_UNREACH_NEEDFRAG	4
#define ICMP_ECHO		8
#define ICMP_TIMXCEED		11
#define  ICMP_TIMXCEED_REASS	1

/* Error types: never answered with another error (RFC 1122 3.2.2). */
#define ICMP_IS_ERROR(t) \
	((t) == ICMP_UNREACH || (t) == ICMP_TIMXCEED || (t) == 4 || \
	 (t) == 5 || (t) == 12)

#endif /* _NETINET_IP_ICMP_H_ */
