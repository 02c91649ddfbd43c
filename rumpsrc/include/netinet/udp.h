/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/udp.h: the UDP header, as on the wire (RFC 768).  Wire format
 * only.  Multi-byte fields in network byte order.
 */
#ifndef _NETINET_UDP_H_
#define _NETINET_UDP_H_

#include <sys/types.h>

struct udphdr {
	uint16_t	uh_sport;
	uint16_t	uh_dport;
	uint16_t	uh_ulen;	/* header + data */
	uint16_t	uh_sum;		/* 0: none (IPv4 only) */
} __packed;
__CTASSERT(sizeof(struct udphdr) == 8);

#endif /* _NETINET_UDP_H_ */
