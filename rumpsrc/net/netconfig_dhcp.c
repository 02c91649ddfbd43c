/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netconfig_dhcp.c: a one-shot DHCP client (RFC 2131, options RFC 2132)
 * and rump_pub_netconfig_dhcp_ipv4_oneshot.
 *
 * It lives beside netconfig.c because it is configuration: it ends by
 * applying an address, a mask and a default route through the same
 * internals (netconfig_ipv4_apply).  It talks DHCP through an ordinary
 * kernel UDP socket (socreate/sosend/soreceive): bound to 0.0.0.0:68
 * with SO_REUSEADDR and SO_BROADCAST, and bound to the interface with
 * in_socket_bindif(IN_BINDIF_SRCANY), which makes its broadcasts leave
 * that interface from 0.0.0.0 (RFC 2131 4.1), whether or not it has an
 * address yet, and keeps other interfaces' DHCP traffic away from it.  No raw frames, no special path in IP.
 *
 * The exchange (per call; every piece of state is in struct dhcp_client
 * on the caller's stack):
 *   SELECTING:  DISCOVER (broadcast flag set, so servers answer with
 *               broadcasts), retransmitted with exponential backoff and
 *               jitter, until a valid OFFER arrives; the first one wins.
 *   REQUESTING: REQUEST for that address from that server (options 50,
 *               54), retransmitted the same way; an ACK ends it, a NAK
 *               from that server (or dp_request_tries unanswered
 *               REQUESTs) restarts from SELECTING with a new xid.
 *   BOUND:      the ACK's address, mask (option 1; the classful mask if
 *               absent) and first router (option 3, used only if inside
 *               the subnet) are applied.  Then the socket is closed:
 *               the lease is NOT renewed or released (one-shot).
 * Every reply is validated (dhcp_parse_reply) before anything in it is
 * used; malformed ones and those for another xid/chaddr are counted in
 * struct dhcp_stats and dropped.  Randomness (xid, jitter) comes from
 * cprng (the host's rumpuser_getrandom).  Not done: ARP probing of the
 * offered address (DECLINE), RFC 3396 long options, renewal.
 *
 * Thread context, net_lock NOT held (the socket layer takes it).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip_var.h>
#include <netinet/dhcp.h>
#include <netinet/dhcp_var.h>
#include <rump/rump.h>

#include "net_private.h"

#define DHCP_RXMAX	1500	/* largest reply read: an Ethernet MTU */
#define DHCP_TXLEN	548	/* 576 - IP - UDP: what every server takes */
#define DHCP_MAXMSG	(DHCP_RXMAX - 28)	/* option 57: IP+UDP off */

const struct dhcp_params dhcp_default_params = {
	.dp_timeout_ms = 20000,
	.dp_rto_initial_ms = 4000,
	.dp_rto_max_ms = 64000,
	.dp_jitter_ms = 1000,
	.dp_request_tries = 4,
};

struct dhcp_client {
	const struct dhcp_params *dc_params;
	struct dhcp_stats	*dc_st;
	struct socket		*dc_so;
	u_int			dc_ifindex;
	uint8_t			dc_chaddr[ETHER_ADDR_LEN];
	uint64_t		dc_start_ns;
	uint64_t		dc_deadline_ns;
	uint32_t		dc_rng;		/* jitter generator state */
	uint32_t		dc_xid;		/* as on the wire */
	struct in_addr		dc_offer;	/* REQUESTING: the address */
	struct in_addr		dc_server;	/* REQUESTING: its server */
	uint8_t			*dc_rxbuf;	/* DHCP_RXMAX */
	uint8_t			*dc_txbuf;	/* DHCP_TXLEN */
};

/* ---- parsing (no state but the caller's) -------------------------------- */

static int
dhcp_option(int code, const uint8_t *p, u_int olen, struct dhcp_reply *r,
    int *overloadp)
{
	struct in_addr a;

	switch (code) {
	case DHO_MESSAGE_TYPE:
		if (olen != 1 || p[0] < DHCPDISCOVER || p[0] > DHCPINFORM)
			return -1;
		r->dr_type = p[0];
		return 0;
	case DHO_SERVER_ID:
	case DHO_SUBNET_MASK:
		if (olen != 4)
			return -1;
		memcpy(&a, p, 4);
		if (code == DHO_SERVER_ID) {
			r->dr_server = a;
			return 0;
		}
		if (rt_mask_plen(a) <= 0)	/* holes, or /0 */
			return -1;
		r->dr_mask = a;
		return 0;
	case DHO_ROUTERS:
		if (olen < 4 || olen % 4 != 0)
			return -1;
		memcpy(&r->dr_router, p, 4);
		return 0;
	case DHO_LEASE_TIME:
		if (olen != 4)
			return -1;
		memcpy(&r->dr_lease_s, p, 4);
		r->dr_lease_s = ntohl(r->dr_lease_s);
		return 0;
	case DHO_OVERLOAD:
		/* Only in the options field proper, never nested. */
		if (overloadp == NULL || olen != 1 || p[0] < 1 || p[0] > 3)
			return -1;
		*overloadp = p[0];
		return 0;
	default:
		return 0;	/* not ours to read */
	}
}

/* Walk one options area; it must end with END inside len. */
static int
dhcp_options(const uint8_t *o, size_t len, struct dhcp_reply *r,
    int *overloadp)
{
	size_t i = 0;
	u_int olen;

	while (i < len) {
		if (o[i] == DHO_PAD) {
			i++;
			continue;
		}
		if (o[i] == DHO_END)
			return 0;
		if (len - i < 2)
			return -1;
		olen = o[i + 1];
		if (olen > len - i - 2)
			return -1;
		if (dhcp_option(o[i], o + i + 2, olen, r, overloadp) != 0)
			return -1;
		i += 2 + olen;
	}
	return -1;
}

int
dhcp_parse_reply(const uint8_t *msg, size_t len, uint32_t xid,
    const uint8_t *chaddr, struct dhcp_reply *r)
{
	struct dhcp_hdr h;
	uint32_t cookie;
	int overload = 0;

	memset(r, 0, sizeof(*r));
	if (len < DHCP_OPTIONS_OFF)
		return DHCP_PARSE_MALFORMED;
	memcpy(&h, msg, sizeof(h));
	memcpy(&cookie, msg + DHCP_COOKIE_OFF, sizeof(cookie));
	if (h.dh_op != DHCP_BOOTREPLY || h.dh_htype != DHCP_HTYPE_ETHER ||
	    h.dh_hlen != ETHER_ADDR_LEN || ntohl(cookie) != DHCP_MAGIC_COOKIE)
		return DHCP_PARSE_MALFORMED;
	if (h.dh_xid != xid || memcmp(h.dh_chaddr, chaddr, ETHER_ADDR_LEN))
		return DHCP_PARSE_NOTOURS;
	if (dhcp_options(msg + DHCP_OPTIONS_OFF, len - DHCP_OPTIONS_OFF, r,
	    &overload) != 0)
		return DHCP_PARSE_MALFORMED;
	if ((overload & 1) &&
	    dhcp_options(h.dh_file, sizeof(h.dh_file), r, NULL) != 0)
		return DHCP_PARSE_MALFORMED;
	if ((overload & 2) &&
	    dhcp_options(h.dh_sname, sizeof(h.dh_sname), r, NULL) != 0)
		return DHCP_PARSE_MALFORMED;
	if (r->dr_type == 0)
		return DHCP_PARSE_MALFORMED;
	r->dr_yiaddr.s_addr = h.dh_yiaddr;
	return DHCP_PARSE_OK;
}

/* May a server hand this address to a host? */
static bool
dhcp_addr_usable(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h >> 24) != 0 && (h >> 24) != IN_LOOPBACKNET &&
	    !IN_MULTICAST(h) && !IN_EXPERIMENTAL(h);
}

/* ---- timing ------------------------------------------------------------- */

static uint32_t
dhcp_rand(struct dhcp_client *dc)
{
	uint32_t x = dc->dc_rng;	/* xorshift32: jitter only */

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	dc->dc_rng = x;
	return x;
}

/* When to give up waiting for an answer to a send now, after rto. */
static uint64_t
dhcp_until(struct dhcp_client *dc, u_int rto_ms)
{
	const u_int j = dc->dc_params->dp_jitter_ms;
	int64_t ms = rto_ms;
	uint64_t until;

	if (j > 0)
		ms += (int64_t)(dhcp_rand(dc) % (2 * j + 1)) - j;
	if (ms < 1)
		ms = 1;
	until = getuptime_ns() + (uint64_t)ms * NSEC_PER_MSEC;
	return MIN(until, dc->dc_deadline_ns);
}

static u_int
dhcp_backoff(const struct dhcp_client *dc, u_int rto_ms)
{
	return MIN(rto_ms * 2, dc->dc_params->dp_rto_max_ms);
}

/* ---- socket ------------------------------------------------------------- */

static int
dhcp_open(struct dhcp_client *dc)
{
	struct sockaddr_in sin;
	int one = 1, error;

	error = socreate(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &dc->dc_so);
	if (error != 0)
		return error;
	error = sosetopt(dc->dc_so, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one));
	if (error == 0)
		error = sosetopt(dc->dc_so, SOL_SOCKET, SO_BROADCAST, &one,
		    sizeof(one));
	if (error != 0)
		goto err_close;
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DHCP_CLIENT_PORT);
	error = sobind(dc->dc_so, (struct sockaddr *)&sin);
	if (error != 0)
		goto err_close;
	error = in_socket_bindif(dc->dc_so, dc->dc_ifindex,
	    IN_BINDIF_SRCANY);
	if (error != 0)
		goto err_close;
	return 0;

err_close:
	soclose(dc->dc_so);
	dc->dc_so = NULL;
	return error;
}

/* The message of type into dc_txbuf; its length. */
static size_t
dhcp_build(struct dhcp_client *dc, int type)
{
	uint8_t *b = dc->dc_txbuf, *o;
	struct dhcp_hdr h;
	uint64_t secs;
	uint32_t cookie = htonl(DHCP_MAGIC_COOKIE);
	uint16_t maxmsg = htons(DHCP_MAXMSG);

	/* Fixed options (3 + 9 + 4 + 5) and REQUEST's (6 + 6) and END. */
	__CTASSERT(DHCP_OPTIONS_OFF + 21 + 12 + 1 <= DHCP_TXLEN);
	memset(b, 0, DHCP_TXLEN);
	memset(&h, 0, sizeof(h));
	h.dh_op = DHCP_BOOTREQUEST;
	h.dh_htype = DHCP_HTYPE_ETHER;
	h.dh_hlen = ETHER_ADDR_LEN;
	h.dh_xid = dc->dc_xid;
	secs = (getuptime_ns() - dc->dc_start_ns) / NSEC_PER_SEC;
	h.dh_secs = htons((uint16_t)MIN(secs, 0xffff));
	h.dh_flags = htons(DHCP_FLAG_BROADCAST);
	memcpy(h.dh_chaddr, dc->dc_chaddr, ETHER_ADDR_LEN);
	memcpy(b, &h, sizeof(h));
	memcpy(b + DHCP_COOKIE_OFF, &cookie, sizeof(cookie));
	o = b + DHCP_OPTIONS_OFF;
	*o++ = DHO_MESSAGE_TYPE;
	*o++ = 1;
	*o++ = (uint8_t)type;
	*o++ = DHO_CLIENT_ID;
	*o++ = 1 + ETHER_ADDR_LEN;
	*o++ = DHCP_HTYPE_ETHER;
	memcpy(o, dc->dc_chaddr, ETHER_ADDR_LEN);
	o += ETHER_ADDR_LEN;
	*o++ = DHO_MAX_MSG_SIZE;
	*o++ = 2;
	memcpy(o, &maxmsg, 2);
	o += 2;
	*o++ = DHO_PARAM_REQUEST;
	*o++ = 3;
	*o++ = DHO_SUBNET_MASK;
	*o++ = DHO_ROUTERS;
	*o++ = DHO_LEASE_TIME;
	if (type == DHCPREQUEST) {
		*o++ = DHO_REQUESTED_ADDR;
		*o++ = 4;
		memcpy(o, &dc->dc_offer, 4);
		o += 4;
		*o++ = DHO_SERVER_ID;
		*o++ = 4;
		memcpy(o, &dc->dc_server, 4);
		o += 4;
	}
	*o++ = DHO_END;
	return MAX((size_t)(o - b), (size_t)DHCP_BOOTP_MINLEN);
}

static int
dhcp_send(struct dhcp_client *dc, int type)
{
	struct sockaddr_in dst;
	struct iovec iov;
	struct uio uio;
	size_t len;

	len = dhcp_build(dc, type);
	memset(&dst, 0, sizeof(dst));
	dst.sin_len = sizeof(dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons(DHCP_SERVER_PORT);
	dst.sin_addr.s_addr = INADDR_BROADCAST;
	iov.iov_base = dc->dc_txbuf;
	iov.iov_len = len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = len;
	uio.uio_rw = UIO_WRITE;
	uio.uio_segflg = UIO_SYSSPACE;
	if (type == DHCPDISCOVER)
		dc->dc_st->ds_tx_discover++;
	else
		dc->dc_st->ds_tx_request++;
	return sosend(dc->dc_so, (struct sockaddr *)&dst, &uio, 0, false);
}

/*
 * The next sound reply for our transaction, or EWOULDBLOCK once until
 * passes.  Everything else that arrives is counted and dropped.  The
 * poll generation is read before each receive attempt, so a reply that
 * lands between the attempt and the sleep still ends the sleep.
 */
static int
dhcp_wait_reply(struct dhcp_client *dc, uint64_t until, struct dhcp_reply *r)
{
	struct sockaddr_in from;
	socklen_t fromlen;
	struct iovec iov;
	struct uio uio;
	uint64_t gen, now;
	size_t len;
	int error, flags, rc;

	for (;;) {
		NET_LOCK();
		gen = sopoll_generation();
		NET_UNLOCK();
		iov.iov_base = dc->dc_rxbuf;
		iov.iov_len = DHCP_RXMAX;
		uio.uio_iov = &iov;
		uio.uio_iovcnt = 1;
		uio.uio_offset = 0;
		uio.uio_resid = DHCP_RXMAX;
		uio.uio_rw = UIO_READ;
		uio.uio_segflg = UIO_SYSSPACE;
		fromlen = sizeof(from);
		flags = 0;
		error = soreceive(dc->dc_so, (struct sockaddr *)&from,
		    &fromlen, &uio, &flags, true);
		if (error == 0) {
			len = DHCP_RXMAX - uio.uio_resid;
			if ((flags & MSG_TRUNC) || fromlen != sizeof(from) ||
			    from.sin_port != htons(DHCP_SERVER_PORT)) {
				dc->dc_st->ds_rx_malformed++;
				continue;
			}
			rc = dhcp_parse_reply(dc->dc_rxbuf, len, dc->dc_xid,
			    dc->dc_chaddr, r);
			if (rc == DHCP_PARSE_OK)
				return 0;
			if (rc == DHCP_PARSE_NOTOURS)
				dc->dc_st->ds_rx_notours++;
			else
				dc->dc_st->ds_rx_malformed++;
			continue;
		}
		if (error != EWOULDBLOCK)
			return error;
		now = getuptime_ns();
		if (now >= until)
			return EWOULDBLOCK;
		NET_LOCK();
		(void)sopoll_wait(gen, until - now);
		NET_UNLOCK();
	}
}

/* ---- the states --------------------------------------------------------- */

/* SELECTING: 0 with dc_offer/dc_server set, or ETIMEDOUT, or an error. */
static int
dhcp_selecting(struct dhcp_client *dc)
{
	struct dhcp_reply r;
	u_int rto = dc->dc_params->dp_rto_initial_ms;
	uint64_t until;
	int error;

	for (;;) {
		if (getuptime_ns() >= dc->dc_deadline_ns)
			return ETIMEDOUT;
		error = dhcp_send(dc, DHCPDISCOVER);
		if (error != 0)
			return error;
		until = dhcp_until(dc, rto);
		while ((error = dhcp_wait_reply(dc, until, &r)) == 0) {
			if (r.dr_type != DHCPOFFER) {
				dc->dc_st->ds_rx_unexpected++;
				continue;
			}
			if (!dhcp_addr_usable(r.dr_yiaddr) ||
			    r.dr_server.s_addr == INADDR_ANY) {
				dc->dc_st->ds_rx_malformed++;
				continue;
			}
			dc->dc_st->ds_rx_offer++;
			dc->dc_offer = r.dr_yiaddr;
			dc->dc_server = r.dr_server;
			return 0;
		}
		if (error != EWOULDBLOCK)
			return error;
		rto = dhcp_backoff(dc, rto);
	}
}

/*
 * REQUESTING: 0 with *ack filled and *restart false when acknowledged;
 * 0 with *restart true after a NAK or too many unanswered REQUESTs;
 * ETIMEDOUT or an error otherwise.
 */
static int
dhcp_requesting(struct dhcp_client *dc, struct dhcp_reply *ack,
    bool *restart)
{
	struct dhcp_reply r;
	u_int rto = dc->dc_params->dp_rto_initial_ms, tries;
	uint64_t until;
	bool from_server;
	int error;

	*restart = false;
	for (tries = 0; tries < dc->dc_params->dp_request_tries; tries++) {
		if (getuptime_ns() >= dc->dc_deadline_ns)
			return ETIMEDOUT;
		error = dhcp_send(dc, DHCPREQUEST);
		if (error != 0)
			return error;
		until = dhcp_until(dc, rto);
		while ((error = dhcp_wait_reply(dc, until, &r)) == 0) {
			from_server = r.dr_server.s_addr == INADDR_ANY ||
			    r.dr_server.s_addr == dc->dc_server.s_addr;
			if (r.dr_type == DHCPNAK && from_server) {
				dc->dc_st->ds_rx_nak++;
				*restart = true;
				return 0;
			}
			if (r.dr_type != DHCPACK || !from_server) {
				dc->dc_st->ds_rx_unexpected++;
				continue;
			}
			if (!dhcp_addr_usable(r.dr_yiaddr)) {
				dc->dc_st->ds_rx_malformed++;
				continue;
			}
			dc->dc_st->ds_rx_ack++;
			*ack = r;
			return 0;
		}
		if (error != EWOULDBLOCK)
			return error;
		rto = dhcp_backoff(dc, rto);
	}
	if (getuptime_ns() >= dc->dc_deadline_ns)
		return ETIMEDOUT;
	*restart = true;
	return 0;
}

/* BOUND: configure the interface from the ACK. */
static int
dhcp_apply(struct dhcp_client *dc, const struct dhcp_reply *ack,
    struct dhcp_lease *lease)
{
	struct in_addr addr = ack->dr_yiaddr, mask = ack->dr_mask, gw;
	struct ifnet *ifp;
	uint32_t h = ntohl(addr.s_addr);
	int error;

	if (mask.s_addr == INADDR_ANY)	/* RFC 2132 3.3: the class mask */
		mask.s_addr = htonl(h < 0x80000000U ? 0xff000000U :
		    h < 0xc0000000U ? 0xffff0000U : 0xffffff00U);
	gw = ack->dr_router;
	if (gw.s_addr != INADDR_ANY &&
	    ((gw.s_addr & mask.s_addr) != (addr.s_addr & mask.s_addr) ||
	     gw.s_addr == addr.s_addr ||
	     (gw.s_addr | mask.s_addr) == INADDR_BROADCAST)) {
		dc->dc_st->ds_router_ignored++;
		gw.s_addr = INADDR_ANY;
	}
	NET_LOCK();
	ifp = if_byindex(dc->dc_ifindex);
	error = ifp != NULL ? netconfig_ipv4_apply(ifp, addr, mask, gw) :
	    ENXIO;
	NET_UNLOCK();
	if (error == 0 && lease != NULL) {
		lease->dl_addr = addr;
		lease->dl_mask = mask;
		lease->dl_router = gw;
		lease->dl_server = dc->dc_server;
		lease->dl_lease_s = ack->dr_lease_s;
	}
	return error;
}

int
dhcp_oneshot(const char *ifname, const struct dhcp_params *dp,
    struct dhcp_lease *lease, struct dhcp_stats *st)
{
	struct dhcp_stats st_local;
	struct dhcp_client dc;
	struct dhcp_reply ack;
	struct ifnet *ifp;
	bool restart;
	int error = 0;

	NET_ASSERT_UNLOCKED();
	memset(&dc, 0, sizeof(dc));
	dc.dc_params = dp;
	dc.dc_st = st != NULL ? st : &st_local;
	memset(dc.dc_st, 0, sizeof(*dc.dc_st));
	NET_LOCK();
	ifp = if_find(ifname);
	if (ifp == NULL) {
		error = ENXIO;
	} else if (ifp->if_type != IFT_ETHER) {
		error = EOPNOTSUPP;
	} else {
		if (!(ifp->if_flags & IFF_UP))
			if_up(ifp);
		dc.dc_ifindex = ifp->if_index;
		memcpy(dc.dc_chaddr, ifp->if_lladdr, ETHER_ADDR_LEN);
	}
	NET_UNLOCK();
	if (error != 0)
		return error;
	dc.dc_rng = cprng_u32() | 1;
	dc.dc_start_ns = getuptime_ns();
	dc.dc_deadline_ns = dc.dc_start_ns +
	    (uint64_t)dp->dp_timeout_ms * NSEC_PER_MSEC;
	error = dhcp_open(&dc);
	if (error != 0)
		return error;
	dc.dc_rxbuf = kmem_alloc(DHCP_RXMAX, KM_SLEEP);
	dc.dc_txbuf = kmem_alloc(DHCP_TXLEN, KM_SLEEP);
	for (;;) {
		dc.dc_xid = cprng_u32();
		error = dhcp_selecting(&dc);
		if (error != 0)
			break;
		error = dhcp_requesting(&dc, &ack, &restart);
		if (error != 0 || !restart)
			break;
		dc.dc_st->ds_restarts++;
	}
	if (error == 0)
		error = dhcp_apply(&dc, &ack, lease);
	kmem_free(dc.dc_txbuf, DHCP_TXLEN);
	kmem_free(dc.dc_rxbuf, DHCP_RXMAX);
	soclose(dc.dc_so);
	return error;
}

/* ---- public entry ------------------------------------------------------- */

struct dhcp_gate_args {
	char	ifname[IFNAMSIZ];
};

static void
dhcp_print_addr(const char *what, struct in_addr a)
{
	const uint8_t *b = (const uint8_t *)&a.s_addr;

	printf(" %s %u.%u.%u.%u", what, b[0], b[1], b[2], b[3]);
}

static int
dhcp_gate(void *arg)
{
	struct dhcp_gate_args *a = arg;
	struct dhcp_lease lease;
	int error;

	error = dhcp_oneshot(a->ifname, &dhcp_default_params, &lease, NULL);
	if (error != 0) {
		printf("dhcp: %s: no lease: error %d\n", a->ifname, error);
		return error;
	}
	printf("dhcp: %s:", a->ifname);
	dhcp_print_addr("address", lease.dl_addr);
	dhcp_print_addr("mask", lease.dl_mask);
	if (lease.dl_router.s_addr != INADDR_ANY)
		dhcp_print_addr("router", lease.dl_router);
	dhcp_print_addr("server", lease.dl_server);
	printf(" lease %u s (not renewed)\n", lease.dl_lease_s);
	return 0;
}

int
rump_pub_netconfig_dhcp_ipv4_oneshot(const char *ifname)
{
	struct dhcp_gate_args a;

	if (ifname == NULL)
		return EFAULT;
	memset(&a, 0, sizeof(a));
	if (strlcpy(a.ifname, ifname, sizeof(a.ifname)) >= sizeof(a.ifname))
		return EINVAL;
	return rump_gate(dhcp_gate, &a);
}
