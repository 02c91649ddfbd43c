/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netinet/dhcp_var.h: the kernel interface of the one-shot DHCP client
 * (net/netconfig_dhcp.c): its tunables, its per-call counters, the
 * lease it obtained, and the reply parser (exported for the fuzz tests
 * in tests/kern/kt_net_dhcp.c).  The public entry point is
 * rump_pub_netconfig_dhcp_ipv4_oneshot (rump/rump.h); the wire format is
 * netinet/dhcp.h.
 */
#ifndef _NETINET_DHCP_VAR_H_
#define _NETINET_DHCP_VAR_H_

#include <sys/types.h>
#include <netinet/in.h>

/*
 * Timing.  Retransmissions follow RFC 2131 4.1: the first after
 * dp_rto_initial_ms, each next one twice as late up to dp_rto_max_ms,
 * each randomised by up to +-dp_jitter_ms.  A REQUEST unanswered
 * dp_request_tries times sends the client back to DISCOVER.  The whole
 * exchange ends with ETIMEDOUT after dp_timeout_ms.
 */
struct dhcp_params {
	u_int	dp_timeout_ms;
	u_int	dp_rto_initial_ms;
	u_int	dp_rto_max_ms;
	u_int	dp_jitter_ms;
	u_int	dp_request_tries;
};
/* 20 s overall; 4 s, 8 s, ... 64 s, +-1 s; 4 REQUESTs. */
extern const struct dhcp_params dhcp_default_params;

/* What one exchange saw (every dropped reply is counted here). */
struct dhcp_stats {
	u_int	ds_tx_discover;
	u_int	ds_tx_request;
	u_int	ds_rx_offer;		/* valid OFFERs */
	u_int	ds_rx_ack;
	u_int	ds_rx_nak;		/* from our server: restart */
	u_int	ds_rx_malformed;	/* failed validation: dropped */
	u_int	ds_rx_notours;		/* xid or chaddr of another client */
	u_int	ds_rx_unexpected;	/* valid, but not what we waited for */
	u_int	ds_restarts;		/* back to DISCOVER (NAK, no ACK) */
	u_int	ds_router_ignored;	/* router not inside the subnet */
};

/* The configuration applied. */
struct dhcp_lease {
	struct in_addr	dl_addr;
	struct in_addr	dl_mask;
	struct in_addr	dl_router;	/* INADDR_ANY: none */
	struct in_addr	dl_server;
	uint32_t	dl_lease_s;	/* as offered; never renewed */
};

/*
 * Run DISCOVER -> OFFER -> REQUEST -> ACK on Ethernet interface ifname
 * (brought up first) and apply address, mask and router.  Thread
 * context, net_lock NOT held; sleeps up to dp_timeout_ms.  st and lease
 * may be NULL.  0, ETIMEDOUT, ENXIO (no such interface or it vanished),
 * EOPNOTSUPP (not Ethernet), EADDRINUSE (port 68 held by a socket that
 * does not share it), or the error of applying the lease (EEXIST).
 */
int	dhcp_oneshot(const char *ifname, const struct dhcp_params *dp,
	    struct dhcp_lease *lease, struct dhcp_stats *st);

/* A parsed, validated reply. */
struct dhcp_reply {
	int		dr_type;	/* DHCPOFFER, DHCPACK, DHCPNAK ... */
	struct in_addr	dr_yiaddr;
	struct in_addr	dr_server;	/* option 54, INADDR_ANY: absent */
	struct in_addr	dr_mask;	/* option 1, INADDR_ANY: absent */
	struct in_addr	dr_router;	/* first of option 3, or ANY */
	uint32_t	dr_lease_s;	/* option 51, 0: absent */
};
#define DHCP_PARSE_OK		0
#define DHCP_PARSE_MALFORMED	1	/* not a sound DHCP reply */
#define DHCP_PARSE_NOTOURS	2	/* sound, for another xid/chaddr */
/*
 * Validate and parse reply msg (len bytes, the UDP payload) for
 * transaction xid of hardware address chaddr (6 bytes): op, htype, hlen,
 * xid, chaddr, magic cookie, every option's length inside its field
 * (options, and file/sname when overloaded), END present, the known
 * options' lengths and values (message type 1..8, contiguous mask,
 * 4-byte addresses).  Reads nothing outside [msg, msg + len).
 */
int	dhcp_parse_reply(const uint8_t *msg, size_t len, uint32_t xid,
	    const uint8_t *chaddr, struct dhcp_reply *r);

#endif /* _NETINET_DHCP_VAR_H_ */
