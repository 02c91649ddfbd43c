/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ip_reass.c: IPv4 reassembly (RFC 791 3.2, RFC 815's hole idea in list
 * form), with bounds and a timeout.
 *
 * Datagrams under reassembly are keyed by (src, dst, id, protocol).  Each
 * keeps its fragments sorted by offset.  Policy for hostile input:
 *   - an exact duplicate fragment is dropped alone;
 *   - any other overlap drops the whole datagram (no guessing which
 *     bytes are right; RFC 5722's rule for IPv6, applied to IPv4);
 *   - a datagram that would exceed 65535 bytes, or a fragment whose
 *     payload is not a multiple of 8 bytes while more follow, is dropped;
 *   - at most rp_maxfrags fragments per datagram and rp_maxqueues
 *     datagrams at once (a new datagram evicts the oldest);
 *   - a datagram not complete after rp_timeout_ms is dropped.
 * When the last hole is filled the fragments are joined behind the first
 * one's header (its options kept), ip_len/ip_off are rewritten and the
 * whole datagram goes back to ip_input.
 *
 * Called by ip_input (net_lock held); the timer callout takes net_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#include "inet_private.h"

struct ipfrag {
	TAILQ_ENTRY(ipfrag)	if_entry;
	struct mbuf		*if_m;		/* fragment, IP header first */
	int			if_hlen;
	int			if_off;		/* payload offset, bytes */
	int			if_len;		/* payload length */
};

struct ipq {
	TAILQ_ENTRY(ipq)	iq_entry;
	struct in_addr		iq_src, iq_dst;
	uint16_t		iq_id;
	uint8_t			iq_p;
	u_int			iq_nfrags;
	int			iq_total;	/* payload length, -1 unknown */
	uint64_t		iq_expire;	/* ns */
	TAILQ_HEAD(ipfrag_q, ipfrag) iq_frags;
};

#define IPREASS_TICK_MS	100

struct ip_reass_params ip_reass_params;
static TAILQ_HEAD(, ipq) ipq_list;	/* oldest first */
static u_int ipq_n;
static callout_t ipq_callout;
static bool ipq_armed;

static void ip_reass_timer(void *);

int
ip_reass_init(void)
{
	TAILQ_INIT(&ipq_list);
	ipq_n = 0;
	ip_reass_params.rp_maxqueues = 64;
	ip_reass_params.rp_maxfrags = 64;
	ip_reass_params.rp_timeout_ms = 30 * 1000;	/* RFC 1122: 60..120 s
							   recommended; shorter
							   limits memory held */
	callout_init(&ipq_callout, CALLOUT_MPSAFE);
	callout_setfunc(&ipq_callout, ip_reass_timer, NULL);
	ipq_armed = false;
	return 0;
}

static void
ipq_free(struct ipq *q)
{
	struct ipfrag *f;

	while ((f = TAILQ_FIRST(&q->iq_frags)) != NULL) {
		TAILQ_REMOVE(&q->iq_frags, f, if_entry);
		m_freem(f->if_m);
		kmem_free(f, sizeof(*f));
	}
	TAILQ_REMOVE(&ipq_list, q, iq_entry);
	ipq_n--;
	kmem_free(q, sizeof(*q));
}

void
ip_reass_fini(void)
{
	struct ipq *q;

	/* Empty the list first: the timer then does not re-arm. */
	NET_LOCK();
	while ((q = TAILQ_FIRST(&ipq_list)) != NULL)
		ipq_free(q);
	NET_UNLOCK();
	callout_halt(&ipq_callout, NULL);
	callout_destroy(&ipq_callout);
}

u_int
ip_reass_count(void)
{
	NET_ASSERT_LOCKED();
	return ipq_n;
}

static void
ipq_drop(struct ipq *q, enum ip_stat why)
{
	ipstat[why]++;
	ipstat[IPS_FRAGDROPPED] += q->iq_nfrags;
	ipq_free(q);
}

/* All fragments present: join them into one datagram. */
static struct mbuf *
ipq_join(struct ipq *q)
{
	struct ipfrag *f = TAILQ_FIRST(&q->iq_frags), *n;
	struct mbuf *m = f->if_m;
	struct ip *ip;
	int hlen = f->if_hlen;

	/* The first fragment keeps its header, trimmed to its payload. */
	m_adj(m, hlen + f->if_len - m->m_pkthdr.len);
	f->if_m = NULL;
	while ((n = TAILQ_NEXT(f, if_entry)) != NULL) {
		struct mbuf *fm = n->if_m;
		m_adj(fm, n->if_hlen);
		m_adj(fm, n->if_len - fm->m_pkthdr.len);
		m->m_pkthdr.len += fm->m_pkthdr.len;
		fm->m_flags &= ~M_PKTHDR;
		m_cat(m, fm);
		n->if_m = NULL;
		TAILQ_REMOVE(&q->iq_frags, n, if_entry);
		kmem_free(n, sizeof(*n));
	}
	ip = mtod(m, struct ip *);
	ip->ip_len = htons((uint16_t)(hlen + q->iq_total));
	ip->ip_off = 0;
	m->m_pkthdr.csum_flags |= M_CSUM_IPV4_OK;	/* checked per frag */
	ipq_free(q);	/* frees the first ipfrag (its m is NULL now) */
	KASSERT(m_check(m));
	return m;
}

struct mbuf *
ip_reass(struct mbuf *m, int hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	struct ipq *q;
	struct ipfrag *f, *pos, *prev;
	uint16_t ip_off = ntohs(ip->ip_off);
	int off, len, end, expect;
	bool more;

	NET_ASSERT_LOCKED();
	off = (ip_off & IP_OFFMASK) << 3;
	len = ntohs(ip->ip_len) - hlen;
	more = (ip_off & IP_MF) != 0;
	end = off + len;
	if ((more && (len == 0 || (len & 7) != 0)) ||
	    hlen + end > IP_MAXPACKET) {
		ipstat[IPS_FRAGDROPPED]++;
		m_freem(m);
		return NULL;
	}
	TAILQ_FOREACH(q, &ipq_list, iq_entry) {
		if (q->iq_id == ip->ip_id && q->iq_p == ip->ip_p &&
		    q->iq_src.s_addr == ip->ip_src.s_addr &&
		    q->iq_dst.s_addr == ip->ip_dst.s_addr)
			break;
	}
	if (q == NULL) {
		if (ipq_n >= ip_reass_params.rp_maxqueues)
			ipq_drop(TAILQ_FIRST(&ipq_list), IPS_FRAGTIMEOUT);
		q = kmem_zalloc(sizeof(*q), KM_NOSLEEP);
		if (q == NULL)
			goto out_drop;
		q->iq_src = ip->ip_src;
		q->iq_dst = ip->ip_dst;
		q->iq_id = ip->ip_id;
		q->iq_p = ip->ip_p;
		q->iq_total = -1;
		q->iq_expire = getuptime_ns() +
		    (uint64_t)ip_reass_params.rp_timeout_ms * NSEC_PER_MSEC;
		TAILQ_INIT(&q->iq_frags);
		TAILQ_INSERT_TAIL(&ipq_list, q, iq_entry);
		ipq_n++;
		if (!ipq_armed) {
			ipq_armed = true;
			callout_schedule(&ipq_callout, mstohz(IPREASS_TICK_MS));
		}
	}
	/* The last fragment fixes the total; it must agree with the rest. */
	if (!more) {
		if ((q->iq_total >= 0 && q->iq_total != end) ||
		    (!TAILQ_EMPTY(&q->iq_frags) && end <
		     TAILQ_LAST(&q->iq_frags, ipfrag_q)->if_off +
		     TAILQ_LAST(&q->iq_frags, ipfrag_q)->if_len))
			goto out_overlap;
		q->iq_total = end;
	} else if (q->iq_total >= 0 && end > q->iq_total) {
		goto out_overlap;
	}
	/* Find the place: the first fragment starting after us. */
	prev = NULL;
	TAILQ_FOREACH(pos, &q->iq_frags, if_entry) {
		if (pos->if_off == off && pos->if_len == len) {
			/* Exact duplicate: keep the first copy. */
			ipstat[IPS_FRAGDROPPED]++;
			m_freem(m);
			return NULL;
		}
		if (pos->if_off >= off)
			break;
		prev = pos;
	}
	if ((prev != NULL && prev->if_off + prev->if_len > off) ||
	    (pos != NULL && end > pos->if_off))
		goto out_overlap;
	if (q->iq_nfrags >= ip_reass_params.rp_maxfrags) {
		ipq_drop(q, IPS_FRAGDROPPED);
		goto out_drop;
	}
	f = kmem_alloc(sizeof(*f), KM_NOSLEEP);
	if (f == NULL)
		goto out_drop;
	f->if_m = m;
	f->if_hlen = hlen;
	f->if_off = off;
	f->if_len = len;
	if (pos != NULL)
		TAILQ_INSERT_BEFORE(pos, f, if_entry);
	else
		TAILQ_INSERT_TAIL(&q->iq_frags, f, if_entry);
	q->iq_nfrags++;

	/* Complete?  Contiguous from 0 to the known total. */
	if (q->iq_total < 0)
		return NULL;
	expect = 0;
	TAILQ_FOREACH(f, &q->iq_frags, if_entry) {
		if (f->if_off != expect)
			return NULL;
		expect += f->if_len;
	}
	if (expect != q->iq_total)
		return NULL;
	ipstat[IPS_REASSEMBLED]++;
	return ipq_join(q);

out_overlap:
	m_freem(m);
	ipstat[IPS_FRAGDROPPED]++;
	ipq_drop(q, IPS_FRAGOVERLAP);
	return NULL;
out_drop:
	ipstat[IPS_FRAGDROPPED]++;
	m_freem(m);
	return NULL;
}

static void
ip_reass_timer(void *arg)
{
	struct ipq *q, *next;
	uint64_t now;

	NET_LOCK();
	now = getuptime_ns();
	for (q = TAILQ_FIRST(&ipq_list); q != NULL; q = next) {
		next = TAILQ_NEXT(q, iq_entry);
		if (now >= q->iq_expire)
			ipq_drop(q, IPS_FRAGTIMEOUT);
	}
	ipq_armed = false;
	if (!TAILQ_EMPTY(&ipq_list)) {
		ipq_armed = true;
		callout_schedule(&ipq_callout, mstohz(IPREASS_TICK_MS));
	}
	NET_UNLOCK();
}
