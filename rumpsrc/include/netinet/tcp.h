/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/tcp.h: the TCP header and its options as on the wire (RFC 9293,
 * RFC 7323), and the names of the IPPROTO_TCP socket options (NetBSD's
 * values; rump/rumpdefs.h repeats them as RUMP_TCP_*).  Multi-byte header
 * fields in network byte order.
 */
#ifndef _NETINET_TCP_H_
#define _NETINET_TCP_H_

#include <sys/types.h>

typedef uint32_t	tcp_seq;

struct tcphdr {
	uint16_t	th_sport;
	uint16_t	th_dport;
	tcp_seq		th_seq;
	tcp_seq		th_ack;
	uint8_t		th_offx2;	/* data offset (words) << 4 */
	uint8_t		th_flags;
	uint16_t	th_win;
	uint16_t	th_sum;
	uint16_t	th_urp;
} __packed;
__CTASSERT(sizeof(struct tcphdr) == 20);

#define TH_OFF(th)	((th)->th_offx2 >> 4)		/* in words */
#define TH_OFFX2(words)	((uint8_t)((words) << 4))

/* th_flags */
#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PUSH		0x08
#define TH_ACK		0x10
#define TH_URG		0x20
#define TH_ECE		0x40
#define TH_CWR		0x80

#define TCP_MAXHLEN	60		/* header with options */
#define TCP_MAXOLEN	(TCP_MAXHLEN - (int)sizeof(struct tcphdr))
#define TCP_MAXWIN	65535		/* unscaled window field */
#define TCP_MAX_WINSHIFT 14		/* RFC 7323 2.3 */

/* Options (kind, then length for all but EOL/NOP). */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MAXSEG		2
#define TCPOLEN_MAXSEG		4
#define TCPOPT_WINDOW		3
#define TCPOLEN_WINDOW		3
#define TCPOPT_SACK_PERMITTED	4
#define TCPOLEN_SACK_PERMITTED	2
#define TCPOPT_SACK		5
#define TCPOPT_TIMESTAMP	8
#define TCPOLEN_TIMESTAMP	10

/* IPPROTO_TCP socket options (NetBSD values). */
#define TCP_NODELAY	1	/* int: no Nagle */
#define TCP_MAXSEG	2	/* int: MSS cap */
#define TCP_KEEPIDLE	3	/* int seconds: idle before probes */
#define TCP_KEEPINTVL	5	/* int seconds: between probes */
#define TCP_KEEPCNT	6	/* int: unanswered probes before drop */
#define TCP_KEEPINIT	7	/* int seconds: connection-establishment timeout */

#endif /* _NETINET_TCP_H_ */
