/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if_arp.c: ARP for IPv4 over Ethernet (RFC 826), net/if_ether.h.
 *
 * A cache of entries (interface, IPv4 address) in three states:
 *   INCOMPLETE: a request was sent; packets for the address wait on the
 *     entry's hold queue (at most ap_maxhold: the oldest is dropped);
 *     the request is repeated every ap_retry_ms, ap_maxtries times, then
 *   FAILED: the held packets are freed; sends fail with EHOSTDOWN until
 *     the entry expires (ap_down_ms), so a dead host is not flooded;
 *   RESOLVED: the link address is known for ap_keep_ms.
 * The table is bounded (ap_maxentries; the oldest entry is evicted).
 * Input answers requests for our addresses and learns/refreshes the
 * sender (RFC 826's merge: update an existing entry; create one only when
 * the request was for us).  A timer callout runs while entries exist.
 *
 * Called by ether_output (resolve), ether_input (input), in.c
 * (announce), ether_ifdetach; the callout takes net_lock itself.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/if_ether.h>
#include <netinet/in.h>

#include "inet_private.h"

enum arp_state { ARP_INCOMPLETE, ARP_RESOLVED, ARP_FAILED };

struct arp_entry {
	LIST_ENTRY(arp_entry)	ae_list;
	struct ifnet		*ae_ifp;
	struct in_addr		ae_addr;
	uint8_t			ae_lla[ETHER_ADDR_LEN];
	enum arp_state		ae_state;
	uint64_t		ae_expire;	/* ns: RESOLVED, FAILED */
	uint64_t		ae_next_try;	/* ns: INCOMPLETE */
	u_int			ae_tries;
	uint64_t		ae_created;
	struct ifqueue		ae_hold;
};

#define ARP_TICK_MS	50

struct arp_params arp_params;
uint64_t arpstat[ARPS_NSTATS];

static LIST_HEAD(, arp_entry) arp_table;
static u_int arp_nentries;
static callout_t arp_callout;
static bool arp_callout_armed;

static void arp_timer(void *);

int
arp_init(void)
{
	LIST_INIT(&arp_table);
	arp_nentries = 0;
	memset(arpstat, 0, sizeof(arpstat));
	arp_params.ap_keep_ms = 20 * 60 * 1000;
	arp_params.ap_retry_ms = 1000;
	arp_params.ap_maxtries = 5;
	arp_params.ap_down_ms = 20 * 1000;
	arp_params.ap_maxhold = 16;
	arp_params.ap_maxentries = 512;
	callout_init(&arp_callout, CALLOUT_MPSAFE);
	callout_setfunc(&arp_callout, arp_timer, NULL);
	arp_callout_armed = false;
	return 0;
}

void
arp_fini(void)
{
	callout_halt(&arp_callout, NULL);
	callout_destroy(&arp_callout);
	KASSERT(LIST_EMPTY(&arp_table));
}

static uint64_t
ms_ns(u_int ms)
{
	return (uint64_t)ms * NSEC_PER_MSEC;
}

static void
arp_arm(void)
{
	if (!arp_callout_armed) {
		arp_callout_armed = true;
		callout_schedule(&arp_callout, mstohz(ARP_TICK_MS));
	}
}

static void
arp_free(struct arp_entry *ae)
{
	LIST_REMOVE(ae, ae_list);
	arp_nentries--;
	ifq_purge(&ae->ae_hold);
	kmem_free(ae, sizeof(*ae));
}

static struct arp_entry *
arp_find(struct ifnet *ifp, struct in_addr a)
{
	struct arp_entry *ae;

	LIST_FOREACH(ae, &arp_table, ae_list) {
		if (ae->ae_ifp == ifp && ae->ae_addr.s_addr == a.s_addr)
			return ae;
	}
	return NULL;
}

static struct arp_entry *
arp_create(struct ifnet *ifp, struct in_addr a)
{
	struct arp_entry *ae, *oldest = NULL;

	if (arp_nentries >= arp_params.ap_maxentries) {
		LIST_FOREACH(ae, &arp_table, ae_list) {
			if (oldest == NULL || ae->ae_created < oldest->ae_created)
				oldest = ae;
		}
		if (oldest != NULL)
			arp_free(oldest);
	}
	ae = kmem_zalloc(sizeof(*ae), KM_NOSLEEP);
	if (ae == NULL)
		return NULL;
	ae->ae_ifp = ifp;
	ae->ae_addr = a;
	ae->ae_state = ARP_INCOMPLETE;
	ae->ae_created = getuptime_ns();
	ae->ae_hold.ifq_maxlen = arp_params.ap_maxhold;
	LIST_INSERT_HEAD(&arp_table, ae, ae_list);
	arp_nentries++;
	arp_arm();
	return ae;
}

/* Build and send an ARP packet (op) on ifp. */
static void
arp_send(struct ifnet *ifp, int op, struct in_addr spa, const uint8_t *tha,
    struct in_addr tpa, const uint8_t *dst)
{
	struct ether_arp *ea;
	struct mbuf *m;

	m = m_gethdr(M_NOWAIT, MT_DATA);
	if (m == NULL)
		return;
	m_reserve(m, ETHER_HDR_LEN);
	m->m_len = m->m_pkthdr.len = sizeof(*ea);
	ea = mtod(m, struct ether_arp *);
	ea->ar_hrd = htons(ARPHRD_ETHER);
	ea->ar_pro = htons(ETHERTYPE_IP);
	ea->ar_hln = ETHER_ADDR_LEN;
	ea->ar_pln = 4;
	ea->ar_op = htons((uint16_t)op);
	memcpy(ea->arp_sha, ifp->if_lladdr, ETHER_ADDR_LEN);
	memcpy(ea->arp_spa, &spa, 4);
	if (tha != NULL)
		memcpy(ea->arp_tha, tha, ETHER_ADDR_LEN);
	else
		memset(ea->arp_tha, 0, ETHER_ADDR_LEN);
	memcpy(ea->arp_tpa, &tpa, 4);
	arpstat[op == ARPOP_REQUEST ? ARPS_TXREQUESTS : ARPS_TXREPLIES]++;
	(void)ether_output_frame(ifp, m, dst, ETHERTYPE_ARP);	/* counted */
}

static void
arp_request(struct arp_entry *ae)
{
	struct in_ifaddr *ia = in_ifaddr_first(ae->ae_ifp);
	struct in_addr src = { INADDR_ANY };

	if (ia != NULL)
		src = ia->ia_addr;
	ae->ae_tries++;
	ae->ae_next_try = getuptime_ns() + ms_ns(arp_params.ap_retry_ms);
	arp_send(ae->ae_ifp, ARPOP_REQUEST, src, NULL, ae->ae_addr,
	    etherbroadcastaddr);
}

void
arp_announce(struct ifnet *ifp, struct in_addr addr)
{
	NET_ASSERT_LOCKED();
	arp_send(ifp, ARPOP_REQUEST, addr, NULL, addr, etherbroadcastaddr);
}

int
arp_resolve(struct ifnet *ifp, struct mbuf *m, struct in_addr dst,
    uint8_t *lla)
{
	struct arp_entry *ae;
	struct mbuf *old;

	NET_ASSERT_LOCKED();
	ae = arp_find(ifp, dst);
	if (ae != NULL && ae->ae_state == ARP_RESOLVED) {
		memcpy(lla, ae->ae_lla, ETHER_ADDR_LEN);
		return 0;
	}
	if (ae != NULL && ae->ae_state == ARP_FAILED) {
		m_freem(m);
		return EHOSTDOWN;
	}
	if (ae == NULL) {
		ae = arp_create(ifp, dst);
		if (ae == NULL) {
			m_freem(m);
			return ENOBUFS;
		}
		arp_request(ae);
	}
	if (!ifq_enqueue(&ae->ae_hold, m)) {
		old = ifq_dequeue(&ae->ae_hold);
		m_freem(old);
		arpstat[ARPS_HELDDROPS]++;
		(void)ifq_enqueue(&ae->ae_hold, m);
	}
	return EWOULDBLOCK;
}

/* An entry became RESOLVED: send what it held. */
static void
arp_flush_hold(struct arp_entry *ae)
{
	struct mbuf *m;

	while ((m = ifq_dequeue(&ae->ae_hold)) != NULL)
		(void)ether_output_frame(ae->ae_ifp, m, ae->ae_lla,
		    ETHERTYPE_IP);
}

void
arp_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_arp *ea;
	struct in_ifaddr *ia;
	struct arp_entry *ae;
	struct in_addr spa, tpa;
	bool for_us = false;
	uint16_t op;

	NET_ASSERT_LOCKED();
	if (m->m_pkthdr.len < (int)sizeof(*ea) ||
	    (m = m_pullup(m, sizeof(*ea))) == NULL) {
		arpstat[ARPS_BADPKT]++;
		m_freem(m);
		return;
	}
	ea = mtod(m, struct ether_arp *);
	op = ntohs(ea->ar_op);
	if (ntohs(ea->ar_hrd) != ARPHRD_ETHER ||
	    ntohs(ea->ar_pro) != ETHERTYPE_IP ||
	    ea->ar_hln != ETHER_ADDR_LEN || ea->ar_pln != 4 ||
	    (op != ARPOP_REQUEST && op != ARPOP_REPLY) ||
	    ETHER_IS_MULTICAST(ea->arp_sha)) {
		arpstat[ARPS_BADPKT]++;
		goto out_free;
	}
	arpstat[op == ARPOP_REQUEST ? ARPS_RXREQUESTS : ARPS_RXREPLIES]++;
	memcpy(&spa, ea->arp_spa, 4);
	memcpy(&tpa, ea->arp_tpa, 4);
	TAILQ_FOREACH(ia, &ifp->if_addrlist, ia_ifentry) {
		if (ia->ia_addr.s_addr == spa.s_addr &&
		    memcmp(ea->arp_sha, ifp->if_lladdr, ETHER_ADDR_LEN) != 0) {
			arpstat[ARPS_DUPADDR]++;
			printf("arp: %s: another host (%02x:%02x:%02x:%02x:"
			    "%02x:%02x) claims our address\n", ifp->if_xname,
			    ea->arp_sha[0], ea->arp_sha[1], ea->arp_sha[2],
			    ea->arp_sha[3], ea->arp_sha[4], ea->arp_sha[5]);
			goto out_free;
		}
		if (ia->ia_addr.s_addr == tpa.s_addr)
			for_us = true;
	}
	if (spa.s_addr == INADDR_ANY)	/* a probe: answer, learn nothing */
		goto reply;
	ae = arp_find(ifp, spa);
	if (ae == NULL && for_us)
		ae = arp_create(ifp, spa);
	if (ae != NULL) {
		memcpy(ae->ae_lla, ea->arp_sha, ETHER_ADDR_LEN);
		ae->ae_state = ARP_RESOLVED;
		ae->ae_tries = 0;
		ae->ae_expire = getuptime_ns() + ms_ns(arp_params.ap_keep_ms);
		arp_flush_hold(ae);
	}
reply:
	if (op == ARPOP_REQUEST && for_us && tpa.s_addr != spa.s_addr) {
		uint8_t sha[ETHER_ADDR_LEN];
		memcpy(sha, ea->arp_sha, ETHER_ADDR_LEN);
		arp_send(ifp, ARPOP_REPLY, tpa, sha, spa, sha);
	}
out_free:
	m_freem(m);
}

static void
arp_timer(void *arg)
{
	struct arp_entry *ae, *next;
	uint64_t now;

	NET_LOCK();
	now = getuptime_ns();
	for (ae = LIST_FIRST(&arp_table); ae != NULL; ae = next) {
		next = LIST_NEXT(ae, ae_list);
		switch (ae->ae_state) {
		case ARP_INCOMPLETE:
			if (now < ae->ae_next_try)
				break;
			if (ae->ae_tries < arp_params.ap_maxtries) {
				arp_request(ae);
				break;
			}
			arpstat[ARPS_TIMEOUTS]++;
			ifq_purge(&ae->ae_hold);
			ae->ae_state = ARP_FAILED;
			ae->ae_expire = now + ms_ns(arp_params.ap_down_ms);
			break;
		case ARP_RESOLVED:
		case ARP_FAILED:
			if (now >= ae->ae_expire)
				arp_free(ae);
			break;
		}
	}
	arp_callout_armed = false;
	if (!LIST_EMPTY(&arp_table))
		arp_arm();
	NET_UNLOCK();
}

void
arp_ifdetach(struct ifnet *ifp)
{
	struct arp_entry *ae, *next;

	NET_ASSERT_LOCKED();
	for (ae = LIST_FIRST(&arp_table); ae != NULL; ae = next) {
		next = LIST_NEXT(ae, ae_list);
		if (ae->ae_ifp == ifp)
			arp_free(ae);
	}
}

int
arp_lookup_state(struct ifnet *ifp, struct in_addr a, uint8_t *lla,
    u_int *nheld)
{
	struct arp_entry *ae;

	NET_ASSERT_LOCKED();
	ae = arp_find(ifp, a);
	*nheld = ae != NULL ? ae->ae_hold.ifq_len : 0;
	if (ae == NULL)
		return -1;
	switch (ae->ae_state) {
	case ARP_RESOLVED:
		memcpy(lla, ae->ae_lla, ETHER_ADDR_LEN);
		return 1;
	case ARP_INCOMPLETE:
		return 0;
	default:
		return -2;
	}
}
