/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/ip.h: the IPv4 header, as on the wire (RFC 791).  Wire format
 * only.  Multi-byte fields in network byte order.
 */
#ifndef _NETINET_IP_H_
#define _NETINET_IP_H_

#include <sys/types.h>
#include <netinet/in.h>

#define IPVERSION	4
#define IP_MINHLEN	20
#define IP_MAXHLEN	60
#define IP_MAXPACKET	65535
#define IP_DEFTTL	64

struct ip {
	uint8_t		ip_vhl;		/* version << 4 | header length / 4 */
	uint8_t		ip_tos;
	uint16_t	ip_len;		/* total length */
	uint16_t	ip_id;
	uint16_t	ip_off;		/* flags and fragment offset / 8 */
	uint8_t		ip_ttl;
	uint8_t		ip_p;
	uint16_t	ip_sum;
	struct in_addr	ip_src;
	struct in_addr	ip_dst;
} __packed;
__CTASSERT(sizeof(struct ip) == IP_MINHLEN);

#define IP_V(ip)	((ip)->ip_vhl >> 4)
#define IP_HL(ip)	(((ip)->ip_vhl & 0x0f) << 2)	/* in bytes */
#define IP_VHL(v, hlbytes) ((uint8_t)(((v) << 4) | ((hlbytes) >> 2)))

/* ip_off (host order after ntohs) */
#define IP_RF		0x8000		/* reserved, must be zero */
#define IP_DF		0x4000		/* don't fragment */
#define IP_MF		0x2000		/* more fragments */
#define IP_OFFMASK	0x1fff		/* offset in 8-byte units */

/* options */
#define IPOPT_EOL	0
#define IPOPT_NOP	1
#define IPOPT_COPIED(o)	((o) & 0x80)

#endif /* _NETINET_IP_H_ */
