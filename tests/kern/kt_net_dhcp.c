/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_dhcp.c: kernel-side tests of the DHCP client
 * (net/netconfig_dhcp.c) against a scripted DHCP server.
 *
 * The client runs on a test wire (kt_net_wire.h); the wire's transmit
 * function is the server: it checks each request frame byte by byte
 * (broadcast MAC, source 0.0.0.0, ports, options) and answers according
 * to its script (answer, stay silent, NAK, ignore the first N messages,
 * precede the OFFER with malformed ones), injecting its replies into the
 * wire.  Malformed replies come from a seeded generator whose every
 * mutation has a known fate (malformed, another client's, unexpected),
 * so the client's counters can be checked exactly.  The reply parser is
 * also fuzzed on its own with seeded random mutations.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/dhcp.h>
#include <netinet/dhcp_var.h>

#include "ktest.h"
#include "kt_net_wire.h"

#define KD_SERVER	0x0a040001U	/* 10.4.0.1, also the router */
#define KD_OFFER	0x0a040032U	/* 10.4.0.50 */
#define KD_MASK		0xffffff00U
#define KD_LEASE	3600
#define KD_REPLYLEN	300
#define KD_MAXTX	32

static const uint8_t kd_client_mac[6] = { 0x02, 0, 0, 0, 0x40, 0x01 };
static const uint8_t kd_server_mac[6] = { 0x02, 0, 0, 0, 0x40, 0xfe };

/* Fixed layout of kd_reply's options (offsets in the message). */
enum {
	KD_OPT_TYPE = 240,	/* 53, 1, type */
	KD_OPT_SERVER = 243,	/* 54, 4, addr */
	KD_OPT_MASK = 249,	/* 1, 4, mask */
	KD_OPT_ROUTER = 255,	/* 3, 4, addr */
	KD_OPT_LEASE = 261,	/* 51, 4, secs */
	KD_OPT_END = 267,
};

/* Fates of a generated reply, as the client should count it. */
enum kd_fate { KD_MALFORMED, KD_NOTOURS, KD_UNEXPECTED, KD_NFATES };

/* The scripted server.  Script set before the run; the rest is written
 * by kd_tx under net_lock and read by the test after the run. */
struct kd_server {
	/* script */
	bool		ks_silent;
	u_int		ks_ignore_discovers;	/* first N unanswered */
	u_int		ks_ignore_requests;
	u_int		ks_naks;		/* NAK the first N answered */
	u_int		ks_mutants;		/* before each OFFER */
	uint32_t	ks_rng;
	/* observations */
	u_int		ks_discovers;
	u_int		ks_requests;
	u_int		ks_bad_frames;		/* requests breaking a rule */
	char		ks_why[64];		/* the first rule broken */
	u_int		ks_fates[KD_NFATES];	/* mutants sent, by fate */
	u_int		ks_ntx;
	uint32_t	ks_xid[KD_MAXTX];	/* of each request */
	uint64_t	ks_when[KD_MAXTX];	/* ns */
	uint8_t		ks_msg[KD_REPLYLEN];
	uint8_t		ks_frame[KTWIRE_FRAMEMAX];
};

static uint32_t
kd_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void
kd_put32(uint8_t *p, uint32_t host)
{
	uint32_t n = htonl(host);

	memcpy(p, &n, 4);
}

/* A well-formed reply of type to request req (its xid and chaddr). */
static void
kd_reply(uint8_t *b, const uint8_t *req, int type)
{
	memset(b, 0, KD_REPLYLEN);
	b[0] = DHCP_BOOTREPLY;
	b[1] = DHCP_HTYPE_ETHER;
	b[2] = ETHER_ADDR_LEN;
	memcpy(b + 4, req + 4, 4);		/* xid */
	memcpy(b + 10, req + 10, 2);		/* flags */
	if (type != DHCPNAK) {
		kd_put32(b + 16, KD_OFFER);	/* yiaddr */
		kd_put32(b + 20, KD_SERVER);	/* siaddr */
	}
	memcpy(b + 28, req + 28, 16);		/* chaddr */
	kd_put32(b + DHCP_COOKIE_OFF, DHCP_MAGIC_COOKIE);
	b[KD_OPT_TYPE] = DHO_MESSAGE_TYPE;
	b[KD_OPT_TYPE + 1] = 1;
	b[KD_OPT_TYPE + 2] = (uint8_t)type;
	b[KD_OPT_SERVER] = DHO_SERVER_ID;
	b[KD_OPT_SERVER + 1] = 4;
	kd_put32(b + KD_OPT_SERVER + 2, KD_SERVER);
	b[KD_OPT_MASK] = DHO_SUBNET_MASK;
	b[KD_OPT_MASK + 1] = 4;
	kd_put32(b + KD_OPT_MASK + 2, KD_MASK);
	b[KD_OPT_ROUTER] = DHO_ROUTERS;
	b[KD_OPT_ROUTER + 1] = 4;
	kd_put32(b + KD_OPT_ROUTER + 2, KD_SERVER);
	b[KD_OPT_LEASE] = DHO_LEASE_TIME;
	b[KD_OPT_LEASE + 1] = 4;
	kd_put32(b + KD_OPT_LEASE + 2, KD_LEASE);
	b[KD_OPT_END] = DHO_END;
}

/*
 * Turn the valid OFFER in b into one of the broken replies, chosen by
 * the generator; its length in *lenp (may shrink), its source port in
 * *sportp; returns how the client must count it.
 */
static enum kd_fate
kd_mutate(uint32_t *rng, uint8_t *b, size_t *lenp, uint16_t *sportp)
{
	static const u_int lenbytes[] = {
		KD_OPT_TYPE + 1, KD_OPT_SERVER + 1, KD_OPT_MASK + 1,
		KD_OPT_ROUTER + 1, KD_OPT_LEASE + 1
	};
	uint32_t r = kd_rand(rng);
	u_int pos;

	switch (kd_rand(rng) % 15) {
	case 0:		/* truncated inside the fixed header */
		*lenp = r % DHCP_OPTIONS_OFF;
		return KD_MALFORMED;
	case 1:		/* truncated before END */
		*lenp = DHCP_OPTIONS_OFF + r % (KD_OPT_END - DHCP_OPTIONS_OFF);
		return KD_MALFORMED;
	case 2:		/* bad magic cookie */
		b[DHCP_COOKIE_OFF + r % 4] ^= (uint8_t)(1 + (r >> 8) % 255);
		return KD_MALFORMED;
	case 3:		/* an option running past the message */
		pos = lenbytes[r % 5];
		b[pos] = (uint8_t)(KD_REPLYLEN - pos - 1 + 1 + (r >> 8) % 40);
		return KD_MALFORMED;
	case 4:		/* another transaction */
		b[4 + r % 4] ^= (uint8_t)(1 + (r >> 8) % 255);
		return KD_NOTOURS;
	case 5:		/* another client */
		b[28 + r % 6] ^= (uint8_t)(1 + (r >> 8) % 255);
		return KD_NOTOURS;
	case 6:		/* not a BOOTREPLY over Ethernet */
		b[r % 3] = (uint8_t)(r % 3 == 0 ? DHCP_BOOTREQUEST :
		    r % 3 == 1 ? 6 : 16);
		return KD_MALFORMED;
	case 7:		/* message type out of range */
		b[KD_OPT_TYPE + 2] = (uint8_t)((r >> 8) % 2 ? 0 :
		    9 + (r >> 9) % 200);
		return KD_MALFORMED;
	case 8:		/* no message type at all */
		memset(b + KD_OPT_TYPE, DHO_PAD, 3);
		return KD_MALFORMED;
	case 9:		/* an address nobody may use */
		kd_put32(b + 16, (r >> 8) % 4 == 0 ? 0 : (r >> 8) % 4 == 1 ?
		    0x7f000001 : (r >> 8) % 4 == 2 ? 0xffffffff : 0xe0000001);
		return KD_MALFORMED;
	case 10:	/* no server identifier */
		memset(b + KD_OPT_SERVER, DHO_PAD, 6);
		return KD_MALFORMED;
	case 11:	/* not from the server port */
		*sportp = 6767;
		return KD_MALFORMED;
	case 12:	/* sound, but an ACK while selecting */
		b[KD_OPT_TYPE + 2] = DHCPACK;
		return KD_UNEXPECTED;
	case 13:	/* a mask with holes */
		kd_put32(b + KD_OPT_MASK + 2, 0xff00ff00);
		return KD_MALFORMED;
	default:	/* a router list of 3 bytes */
		b[KD_OPT_ROUTER + 1] = 3;
		return KD_MALFORMED;
	}
}

static void
kd_send(struct ktwire *kw, struct kd_server *ks, size_t len, uint16_t sport)
{
	size_t flen;

	flen = ktwire_udp_frame(ks->ks_frame, etherbroadcastaddr,
	    kd_server_mac, KD_SERVER, 0xffffffff, sport, DHCP_CLIENT_PORT,
	    ks->ks_msg, len);
	(void)ktwire_inject(kw, ks->ks_frame, flen);
}

/* Option code's data in a request (NULL if absent or malformed). */
static const uint8_t *
kd_opt(const uint8_t *m, size_t len, int code, u_int *olenp)
{
	size_t i = DHCP_OPTIONS_OFF;

	while (i + 1 < len && m[i] != DHO_END) {
		if (m[i] == DHO_PAD) {
			i++;
			continue;
		}
		if (i + 2 + m[i + 1] > len)
			return NULL;
		if (m[i] == code) {
			*olenp = m[i + 1];
			return m + i + 2;
		}
		i += 2 + m[i + 1];
	}
	return NULL;
}

/* Note a broken rule (the first one's name is kept); false. */
static bool
kd_bad(struct kd_server *ks, const char *why)
{
	if (ks->ks_bad_frames++ == 0)
		strlcpy(ks->ks_why, why, sizeof(ks->ks_why));
	return false;
}

/* Every rule a client request must follow; false if one is broken. */
static bool
kd_check_request(struct kd_server *ks, const struct ktwire_udp *ku,
    int *typep)
{
	const uint8_t *m = ku->ku_payload, *o;
	uint32_t cookie;
	u_int olen;

	if (memcmp(ku->ku_dmac, etherbroadcastaddr, 6) != 0 ||
	    ku->ku_sip != 0 || ku->ku_dip != 0xffffffff ||
	    ku->ku_sport != DHCP_CLIENT_PORT)
		return kd_bad(ks, "addressing");
	if (ku->ku_plen < DHCP_BOOTP_MINLEN)
		return kd_bad(ks, "shorter than 300");
	memcpy(&cookie, m + DHCP_COOKIE_OFF, 4);
	if (m[0] != DHCP_BOOTREQUEST || m[1] != DHCP_HTYPE_ETHER ||
	    m[2] != 6 || memcmp(m + 28, kd_client_mac, 6) != 0 ||
	    ntohl(cookie) != DHCP_MAGIC_COOKIE || (m[10] & 0x80) == 0)
		return kd_bad(ks, "header");
	o = kd_opt(m, ku->ku_plen, DHO_MESSAGE_TYPE, &olen);
	if (o == NULL || olen != 1)
		return kd_bad(ks, "message type");
	*typep = o[0];
	if (*typep == DHCPREQUEST) {
		uint32_t want;

		o = kd_opt(m, ku->ku_plen, DHO_REQUESTED_ADDR, &olen);
		want = htonl(KD_OFFER);
		if (o == NULL || olen != 4 || memcmp(o, &want, 4) != 0)
			return kd_bad(ks, "requested address");
		o = kd_opt(m, ku->ku_plen, DHO_SERVER_ID, &olen);
		want = htonl(KD_SERVER);
		if (o == NULL || olen != 4 || memcmp(o, &want, 4) != 0)
			return kd_bad(ks, "server id");
	}
	return true;
}

/* The server: the wire's transmit function (net_lock held). */
static void
kd_tx(struct ktwire *kw, const uint8_t *frame, size_t len)
{
	struct kd_server *ks = kw->kw_arg;
	struct ktwire_udp ku;
	uint16_t sport;
	size_t mlen;
	u_int i;
	int type;

	if (!ktwire_udp_parse(frame, len, &ku) ||
	    ku.ku_dport != DHCP_SERVER_PORT)
		return;		/* ARP announcements and the like */
	if (!kd_check_request(ks, &ku, &type))
		return;
	if (ks->ks_ntx < KD_MAXTX) {
		memcpy(&ks->ks_xid[ks->ks_ntx], ku.ku_payload + 4, 4);
		ks->ks_when[ks->ks_ntx] = getuptime_ns();
		ks->ks_ntx++;
	}
	if (type == DHCPDISCOVER) {
		ks->ks_discovers++;
		if (ks->ks_silent || ks->ks_ignore_discovers > 0) {
			if (ks->ks_ignore_discovers > 0)
				ks->ks_ignore_discovers--;
			return;
		}
		for (i = 0; i < ks->ks_mutants; i++) {
			kd_reply(ks->ks_msg, ku.ku_payload, DHCPOFFER);
			mlen = KD_REPLYLEN;
			sport = DHCP_SERVER_PORT;
			ks->ks_fates[kd_mutate(&ks->ks_rng, ks->ks_msg, &mlen,
			    &sport)]++;
			kd_send(kw, ks, mlen, sport);
		}
		kd_reply(ks->ks_msg, ku.ku_payload, DHCPOFFER);
		kd_send(kw, ks, KD_REPLYLEN, DHCP_SERVER_PORT);
	} else if (type == DHCPREQUEST) {
		ks->ks_requests++;
		if (ks->ks_ignore_requests > 0) {
			ks->ks_ignore_requests--;
			return;
		}
		if (ks->ks_naks > 0) {
			ks->ks_naks--;
			kd_reply(ks->ks_msg, ku.ku_payload, DHCPNAK);
		} else {
			kd_reply(ks->ks_msg, ku.ku_payload, DHCPACK);
		}
		kd_send(kw, ks, KD_REPLYLEN, DHCP_SERVER_PORT);
	} else {
		(void)kd_bad(ks, "unexpected message type");
	}
}

/* Long timeouts: nothing is retransmitted unless the script says so. */
static const struct dhcp_params kd_slow = {
	.dp_timeout_ms = 20000,
	.dp_rto_initial_ms = 5000,
	.dp_rto_max_ms = 10000,
	.dp_jitter_ms = 0,
	.dp_request_tries = 3,
};
/* Short ones, for the retransmission and timeout cases. */
static const struct dhcp_params kd_fast = {
	.dp_timeout_ms = 700,
	.dp_rto_initial_ms = 40,
	.dp_rto_max_ms = 160,
	.dp_jitter_ms = 10,
	.dp_request_tries = 2,
};

static struct ktwire *
kd_wire(struct kd_server *ks)
{
	struct ktwire *kw;

	if (ktwire_create("kdw0", kd_client_mac, kd_tx, ks, &kw) != 0)
		return NULL;
	return kw;
}

static struct in_addr
kd_a(uint32_t host)
{
	struct in_addr a = { htonl(host) };
	return a;
}

/* Is the lease of the scripted server configured on kw? */
static bool
kd_configured(struct ktwire *kw)
{
	struct in_ifaddr *ia;
	struct rtentry *rt;
	bool ok;

	NET_LOCK();
	ia = in_ifaddr_lookup(kd_a(KD_OFFER));
	rt = rt_lookup(kd_a(0x08080808));
	ok = ia != NULL && ia->ia_ifp == &kw->kw_if &&
	    ia->ia_mask.s_addr == htonl(KD_MASK) && rt != NULL &&
	    (rt->rt_flags & RTF_GATEWAY) &&
	    rt->rt_gateway.s_addr == htonl(KD_SERVER) &&
	    (kw->kw_if.if_flags & IFF_UP);
	NET_UNLOCK();
	return ok;
}

KTEST(net_dhcp, happy_path_applies_address_mask_and_router)
{
	struct kd_server ks;
	struct dhcp_lease lease;
	struct dhcp_stats st;
	struct ktwire *kw;

	memset(&ks, 0, sizeof(ks));
	kw = kd_wire(&ks);
	KT_REQUIRE(kw != NULL);
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_slow, &lease, &st), 0);
	KT_CHECK(kd_configured(kw));
	KT_CHECK_EQ(lease.dl_addr.s_addr, htonl(KD_OFFER));
	KT_CHECK_EQ(lease.dl_mask.s_addr, htonl(KD_MASK));
	KT_CHECK_EQ(lease.dl_router.s_addr, htonl(KD_SERVER));
	KT_CHECK_EQ(lease.dl_server.s_addr, htonl(KD_SERVER));
	KT_CHECK_EQ(lease.dl_lease_s, KD_LEASE);
	KT_CHECK_EQ(st.ds_tx_discover, 1);
	KT_CHECK_EQ(st.ds_tx_request, 1);
	KT_CHECK_EQ(st.ds_rx_offer, 1);
	KT_CHECK_EQ(st.ds_rx_ack, 1);
	KT_CHECK_EQ(st.ds_rx_malformed + st.ds_rx_notours +
	    st.ds_rx_unexpected + st.ds_restarts, 0);
	NET_LOCK();
	KT_CHECK_MSG(ks.ks_bad_frames == 0, "%s", ks.ks_why);
	KT_CHECK_EQ(ks.ks_discovers, 1);
	KT_CHECK_EQ(ks.ks_requests, 1);
	KT_CHECK_EQ(ks.ks_xid[0], ks.ks_xid[1]);
	NET_UNLOCK();
	/* A second run (still from 0.0.0.0) gets the same lease, which is
	 * there: EEXIST. */
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_slow, NULL, NULL), EEXIST);
	NET_LOCK();
	KT_CHECK_MSG(ks.ks_bad_frames == 0, "%s", ks.ks_why);
	NET_UNLOCK();
	ktwire_destroy(kw);
}

KTEST(net_dhcp, nak_restarts_with_a_new_transaction)
{
	struct kd_server ks;
	struct dhcp_stats st;
	struct ktwire *kw;

	memset(&ks, 0, sizeof(ks));
	ks.ks_naks = 2;
	kw = kd_wire(&ks);
	KT_REQUIRE(kw != NULL);
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_slow, NULL, &st), 0);
	KT_CHECK(kd_configured(kw));
	KT_CHECK_EQ(st.ds_rx_nak, 2);
	KT_CHECK_EQ(st.ds_restarts, 2);
	KT_CHECK_EQ(st.ds_tx_discover, 3);
	KT_CHECK_EQ(st.ds_tx_request, 3);
	KT_CHECK_EQ(st.ds_rx_ack, 1);
	NET_LOCK();
	KT_CHECK_MSG(ks.ks_bad_frames == 0, "%s", ks.ks_why);
	KT_REQUIRE(ks.ks_ntx == 6);
	/* DISCOVER and REQUEST share an xid; each restart takes a new
	 * one. */
	KT_CHECK_EQ(ks.ks_xid[0], ks.ks_xid[1]);
	KT_CHECK_EQ(ks.ks_xid[2], ks.ks_xid[3]);
	KT_CHECK_EQ(ks.ks_xid[4], ks.ks_xid[5]);
	KT_CHECK(ks.ks_xid[0] != ks.ks_xid[2] && ks.ks_xid[2] !=
	    ks.ks_xid[4] && ks.ks_xid[0] != ks.ks_xid[4]);
	NET_UNLOCK();
	ktwire_destroy(kw);
}

KTEST(net_dhcp, lost_messages_are_retransmitted)
{
	struct kd_server ks;
	struct dhcp_stats st;
	struct ktwire *kw;

	memset(&ks, 0, sizeof(ks));
	ks.ks_ignore_discovers = 2;
	ks.ks_ignore_requests = 1;
	kw = kd_wire(&ks);
	KT_REQUIRE(kw != NULL);
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_fast, NULL, &st), 0);
	KT_CHECK(kd_configured(kw));
	KT_CHECK_EQ(st.ds_tx_discover, 3);
	KT_CHECK_EQ(st.ds_tx_request, 2);
	KT_CHECK_EQ(st.ds_restarts, 0);
	NET_LOCK();
	KT_CHECK_MSG(ks.ks_bad_frames == 0, "%s", ks.ks_why);
	KT_CHECK_EQ(ks.ks_xid[0], ks.ks_xid[4]);	/* one transaction */
	NET_UNLOCK();
	ktwire_destroy(kw);
}

KTEST(net_dhcp, unanswered_requests_go_back_to_discover)
{
	struct kd_server ks;
	struct dhcp_stats st;
	struct ktwire *kw;

	memset(&ks, 0, sizeof(ks));
	ks.ks_ignore_requests = 2;	/* == kd_fast.dp_request_tries */
	kw = kd_wire(&ks);
	KT_REQUIRE(kw != NULL);
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_fast, NULL, &st), 0);
	KT_CHECK(kd_configured(kw));
	KT_CHECK_EQ(st.ds_restarts, 1);
	KT_CHECK_EQ(st.ds_tx_discover, 2);
	KT_CHECK_EQ(st.ds_tx_request, 3);
	ktwire_destroy(kw);
}

/* No server: ETIMEDOUT on time, DISCOVERs backing off, nothing set. */
KTEST(net_dhcp, no_server_times_out_with_backoff)
{
	static const u_int rto[] = { 40, 80, 160, 160, 160, 160 };
	struct kd_server ks;
	struct dhcp_stats st;
	struct ktwire *kw;
	uint64_t t0, ms, gap;
	u_int i;

	memset(&ks, 0, sizeof(ks));
	ks.ks_silent = true;
	kw = kd_wire(&ks);
	KT_REQUIRE(kw != NULL);
	t0 = getuptime_ns();
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_fast, NULL, &st), ETIMEDOUT);
	ms = (getuptime_ns() - t0) / NSEC_PER_MSEC;
	KT_CHECK_MSG(ms >= 700 && ms < 5000, "took %llu ms",
	    (unsigned long long)ms);
	NET_LOCK();
	KT_CHECK(TAILQ_EMPTY(&kw->kw_if.if_addrlist));
	KT_CHECK_MSG(ks.ks_bad_frames == 0, "%s", ks.ks_why);
	/* 0, 40, 120, 280, 440, 600 ms (+-10 each): 5 or 6 sends. */
	KT_CHECK_MSG(ks.ks_discovers >= 5 && ks.ks_discovers <= 6,
	    "%u discovers", ks.ks_discovers);
	KT_CHECK_EQ(st.ds_tx_discover, ks.ks_discovers);
	for (i = 1; i < ks.ks_ntx && i <= __arraycount(rto); i++) {
		gap = (ks.ks_when[i] - ks.ks_when[i - 1]) / NSEC_PER_MSEC;
		KT_CHECK_MSG(gap + 1 >= rto[i - 1] - 10, "gap %u: %llu ms", i,
		    (unsigned long long)gap);
		KT_CHECK_EQ(ks.ks_xid[i], ks.ks_xid[0]);
	}
	NET_UNLOCK();
	ktwire_destroy(kw);
}

/* Seeded broken OFFERs before the good one: each dropped and counted
 * as what it is; the good one still wins. */
KTEST(net_dhcp, malformed_offers_are_dropped_and_counted)
{
	struct kd_server ks;
	struct dhcp_stats st;
	struct ktwire *kw;
	uint32_t seed;

	for (seed = 1; seed <= 4 && !ktest_failed(ctx); seed++) {
		memset(&ks, 0, sizeof(ks));
		ks.ks_mutants = 60;
		ks.ks_rng = seed * 0x9e3779b9U;
		kw = kd_wire(&ks);
		KT_REQUIRE(kw != NULL);
		KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_slow, NULL, &st), 0);
		KT_CHECK(kd_configured(kw));
		NET_LOCK();
		KT_CHECK_MSG(ks.ks_bad_frames == 0, "%s", ks.ks_why);
		KT_CHECK_EQ(st.ds_rx_malformed, ks.ks_fates[KD_MALFORMED]);
		KT_CHECK_EQ(st.ds_rx_notours, ks.ks_fates[KD_NOTOURS]);
		KT_CHECK_EQ(st.ds_rx_unexpected, ks.ks_fates[KD_UNEXPECTED]);
		KT_CHECK(ks.ks_fates[KD_MALFORMED] > 30);
		NET_UNLOCK();
		KT_CHECK_EQ(st.ds_rx_offer, 1);
		KT_CHECK_EQ(st.ds_tx_discover, 1);
		ktwire_destroy(kw);
	}
}

/* The parser alone: random flips, truncations and length bytes over a
 * valid reply, each in a buffer of exactly its length. */
KTEST(net_dhcp, parser_survives_seeded_random_mutations)
{
	static const uint8_t req[KD_REPLYLEN] = { [4] = 0x11, [5] = 0x22,
	    [6] = 0x33, [7] = 0x44, [28] = 0x02, [32] = 0x40, [33] = 0x01 };
	struct dhcp_reply r;
	uint8_t base[KD_REPLYLEN], *msg;
	uint32_t rng = 0x2131, xid;
	size_t len;
	u_int i, k, nflips, res[3] = { 0, 0, 0 };
	int rc;

	kd_reply(base, req, DHCPOFFER);
	memcpy(&xid, req + 4, 4);
	KT_CHECK_EQ(dhcp_parse_reply(base, sizeof(base), xid, kd_client_mac,
	    &r), DHCP_PARSE_OK);
	KT_CHECK_EQ(r.dr_type, DHCPOFFER);
	KT_CHECK_EQ(r.dr_yiaddr.s_addr, htonl(KD_OFFER));
	/* Overloaded options in sname: found there. */
	base[KD_OPT_END] = DHO_OVERLOAD;
	base[KD_OPT_END + 1] = 1;
	base[KD_OPT_END + 2] = 2;
	base[KD_OPT_END + 3] = DHO_END;
	base[44] = DHO_LEASE_TIME;
	base[45] = 4;
	kd_put32(base + 46, 77);
	base[50] = DHO_END;
	KT_CHECK_EQ(dhcp_parse_reply(base, sizeof(base), xid, kd_client_mac,
	    &r), DHCP_PARSE_OK);
	KT_CHECK_EQ(r.dr_lease_s, 77);
	base[50] = 9;		/* sname runs out without END */
	KT_CHECK_EQ(dhcp_parse_reply(base, sizeof(base), xid, kd_client_mac,
	    &r), DHCP_PARSE_MALFORMED);
	base[50] = DHO_END;

	for (i = 0; i < 20000 && !ktest_failed(ctx); i++) {
		len = kd_rand(&rng) % 4 == 0 ? kd_rand(&rng) % KD_REPLYLEN :
		    KD_REPLYLEN;
		msg = kmem_alloc(len + 1, KM_SLEEP);	/* never 0 bytes */
		memcpy(msg, base, len);
		nflips = 1 + kd_rand(&rng) % 8;
		for (k = 0; k < nflips && len > 0; k++) {
			uint32_t x = kd_rand(&rng);
			/* Mostly where it matters: header, options. */
			size_t at = x % 2 ? DHCP_COOKIE_OFF + (x >> 1) % 64 :
			    (x >> 1) % len;
			if (at < len)
				msg[at] = (uint8_t)(x >> 16);
		}
		rc = dhcp_parse_reply(msg, len, xid, kd_client_mac, &r);
		KT_CHECK(rc == DHCP_PARSE_OK || rc == DHCP_PARSE_MALFORMED ||
		    rc == DHCP_PARSE_NOTOURS);
		if (rc == DHCP_PARSE_OK) {
			KT_CHECK(r.dr_type >= DHCPDISCOVER &&
			    r.dr_type <= DHCPINFORM);
			KT_CHECK(r.dr_mask.s_addr == 0 ||
			    rt_mask_plen(r.dr_mask) > 0);
		}
		res[rc <= 2 ? rc : 0]++;
		kmem_free(msg, len + 1);
	}
	/* The mutations reach every verdict. */
	KT_CHECK(res[DHCP_PARSE_OK] > 0 && res[DHCP_PARSE_MALFORMED] > 0 &&
	    res[DHCP_PARSE_NOTOURS] > 0);
}

KTEST(net_dhcp, bad_interfaces_and_a_taken_port_fail_cleanly)
{
	struct kd_server ks;
	struct sockaddr_in sin;
	struct socket *so;
	struct ktwire *kw;

	KT_CHECK_EQ(dhcp_oneshot("nosuch0", &kd_fast, NULL, NULL), ENXIO);
	KT_CHECK_EQ(dhcp_oneshot("lo0", &kd_fast, NULL, NULL), EOPNOTSUPP);
	memset(&ks, 0, sizeof(ks));
	kw = kd_wire(&ks);
	KT_REQUIRE(kw != NULL);
	/* Port 68 held by a socket that does not share it. */
	KT_REQUIRE(socreate(AF_INET, SOCK_DGRAM, 0, &so) == 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DHCP_CLIENT_PORT);
	KT_CHECK_EQ(sobind(so, (struct sockaddr *)&sin), 0);
	KT_CHECK_EQ(dhcp_oneshot("kdw0", &kd_fast, NULL, NULL), EADDRINUSE);
	soclose(so);
	NET_LOCK();
	KT_CHECK_EQ(ks.ks_discovers, 0);
	NET_UNLOCK();
	ktwire_destroy(kw);
}
