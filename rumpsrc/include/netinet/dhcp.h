/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/dhcp.h: the DHCP message as on the wire (RFC 2131 section 2,
 * the BOOTP layout of RFC 951) and the option codes of RFC 2132 that our
 * client (net/netconfig_dhcp.c) sends or reads.  Wire format only;
 * multi-byte fields in network byte order.  The kernel interface of the
 * client is netinet/dhcp_var.h.
 *
 * A message is the fixed header below (236 bytes), the magic cookie
 * 99.130.83.99, then options up to the end of the UDP payload: each is
 * code, length, data, except PAD (0) and END (255), which are one byte.
 */
#ifndef _NETINET_DHCP_H_
#define _NETINET_DHCP_H_

#include <sys/types.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68

struct dhcp_hdr {
	uint8_t		dh_op;		/* DHCP_BOOTREQUEST / _BOOTREPLY */
	uint8_t		dh_htype;	/* DHCP_HTYPE_ETHER */
	uint8_t		dh_hlen;	/* 6 for Ethernet */
	uint8_t		dh_hops;
	uint32_t	dh_xid;		/* transaction id, chosen by client */
	uint16_t	dh_secs;	/* seconds since the client began */
	uint16_t	dh_flags;	/* DHCP_FLAG_BROADCAST */
	uint32_t	dh_ciaddr;	/* client's address (when bound) */
	uint32_t	dh_yiaddr;	/* "your" address: the offer */
	uint32_t	dh_siaddr;	/* next server (boot) */
	uint32_t	dh_giaddr;	/* relay agent */
	uint8_t		dh_chaddr[16];	/* client hardware address */
	uint8_t		dh_sname[64];	/* server name, or options (52) */
	uint8_t		dh_file[128];	/* boot file, or options (52) */
} __packed;
__CTASSERT(sizeof(struct dhcp_hdr) == 236);

#define DHCP_COOKIE_OFF		236
#define DHCP_OPTIONS_OFF	240	/* after the cookie */
#define DHCP_MAGIC_COOKIE	0x63825363U	/* host order */
#define DHCP_BOOTP_MINLEN	300	/* RFC 1542: pad requests to this */

#define DHCP_BOOTREQUEST	1
#define DHCP_BOOTREPLY		2
#define DHCP_HTYPE_ETHER	1
#define DHCP_FLAG_BROADCAST	0x8000	/* host order */

/* Option codes (RFC 2132). */
#define DHO_PAD			0
#define DHO_SUBNET_MASK		1
#define DHO_ROUTERS		3
#define DHO_REQUESTED_ADDR	50
#define DHO_LEASE_TIME		51
#define DHO_OVERLOAD		52	/* 1: file, 2: sname, 3: both */
#define DHO_MESSAGE_TYPE	53
#define DHO_SERVER_ID		54
#define DHO_PARAM_REQUEST	55
#define DHO_MAX_MSG_SIZE	57
#define DHO_CLIENT_ID		61
#define DHO_END			255

/* DHO_MESSAGE_TYPE values. */
#define DHCPDISCOVER		1
#define DHCPOFFER		2
#define DHCPREQUEST		3
#define DHCPDECLINE		4
#define DHCPACK			5
#define DHCPNAK			6
#define DHCPRELEASE		7
#define DHCPINFORM		8

#endif /* _NETINET_DHCP_H_ */
