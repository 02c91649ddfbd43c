/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_mbuf.c: kernel-side tests of packet buffers (net/mbuf*.c) and
 * the routing table (net/route.c).  Each case ends by checking that no
 * mbuf is left allocated.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

#include "ktest.h"

#define KT_NO_MBUF_LEAK() do {						\
	struct mbuf_stats st_;						\
	mbuf_getstats(&st_);						\
	KT_CHECK_EQ(st_.ms_mbufs, 0);					\
	KT_CHECK_EQ(st_.ms_clusters, 0);				\
} while (0)

/* A chain of n mbufs of len bytes each, bytes numbered from 0. */
static struct mbuf *
kt_chain(int n, int len)
{
	struct mbuf *top = NULL, *m, **np = &top;
	int i, j, k = 0;

	for (i = 0; i < n; i++) {
		m = i == 0 ? m_gethdr(M_WAITOK, MT_DATA) :
		    m_get(M_WAITOK, MT_DATA);
		for (j = 0; j < len; j++)
			m->m_data[j] = (uint8_t)k++;
		m->m_len = len;
		*np = m;
		np = &m->m_next;
	}
	top->m_pkthdr.len = n * len;
	return top;
}

static bool
kt_bytes_ok(const struct mbuf *m, int off, int len, int first)
{
	uint8_t buf[256];
	int i;

	m_copydata(m, off, len, buf);
	for (i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(first + i))
			return false;
	return true;
}

KTEST(net_mbuf, pullup_makes_headers_contiguous)
{
	struct mbuf *m = kt_chain(8, 10);

	m = m_pullup(m, 45);
	KT_REQUIRE(m != NULL);
	KT_CHECK(m->m_len >= 45);
	KT_CHECK(m_check(m));
	KT_CHECK_EQ(m->m_pkthdr.len, 80);
	KT_CHECK(kt_bytes_ok(m, 0, 80, 0));
	m = m_pullup(m, 81);	/* more than the packet: fails, frees */
	KT_CHECK(m == NULL);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, pullup_beyond_mhlen_uses_cluster)
{
	struct mbuf *m = kt_chain(10, 100);

	m = m_pullup(m, 700);
	KT_REQUIRE(m != NULL);
	KT_CHECK(m->m_flags & M_EXT);
	KT_CHECK(m->m_len >= 700);
	KT_CHECK(m_check(m));
	KT_CHECK(kt_bytes_ok(m, 0, 200, 0));
	KT_CHECK(kt_bytes_ok(m, 690, 200, 690 % 256));
	m_freem(m);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, prepend_uses_headroom_then_new_mbuf)
{
	struct mbuf *m = m_gethdr(M_WAITOK, MT_DATA);
	struct mbuf *first;

	m_reserve(m, 16);
	m->m_len = m->m_pkthdr.len = 4;
	memset(m->m_data, 0xaa, 4);
	first = m;
	m = m_prepend(m, 16, M_WAITOK);
	KT_REQUIRE(m != NULL);
	KT_CHECK(m == first);		/* fitted in the headroom */
	KT_CHECK_EQ(m->m_pkthdr.len, 20);
	m = m_prepend(m, 40, M_WAITOK);
	KT_REQUIRE(m != NULL);
	KT_CHECK(m != first);		/* a new first mbuf */
	KT_CHECK(m->m_flags & M_PKTHDR);
	KT_CHECK(!(first->m_flags & M_PKTHDR));
	KT_CHECK_EQ(m->m_pkthdr.len, 60);
	KT_CHECK(M_LEADINGSPACE(m) > 0);
	KT_CHECK(m_check(m));
	m_freem(m);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, adj_trims_head_and_tail_across_mbufs)
{
	struct mbuf *m = kt_chain(4, 50);

	m_adj(m, 60);
	KT_CHECK_EQ(m->m_pkthdr.len, 140);
	KT_CHECK(kt_bytes_ok(m, 0, 140, 60));
	m_adj(m, -70);
	KT_CHECK_EQ(m->m_pkthdr.len, 70);
	KT_CHECK_EQ(m_length(m), 70);
	KT_CHECK(kt_bytes_ok(m, 0, 70, 60));
	m_adj(m, -1000);		/* more than there is: empty */
	KT_CHECK_EQ(m->m_pkthdr.len, 0);
	KT_CHECK(m_check(m));
	m_freem(m);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, copyback_overwrites_and_extends)
{
	struct mbuf *m = kt_chain(2, 30);
	uint8_t buf[3000];
	int i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7);
	KT_CHECK_EQ(m_copyback(m, 25, 10, buf, M_WAITOK), 0);
	KT_CHECK_EQ(m->m_pkthdr.len, 60);
	KT_CHECK(kt_bytes_ok(m, 0, 25, 0));
	KT_CHECK(kt_bytes_ok(m, 35, 25, 35));
	KT_CHECK_EQ(m_copyback(m, 50, sizeof(buf), buf, M_WAITOK), 0);
	KT_CHECK_EQ(m->m_pkthdr.len, 50 + (int)sizeof(buf));
	KT_CHECK(m_check(m));
	{
		uint8_t out[3000];
		m_copydata(m, 50, sizeof(out), out);
		KT_CHECK(memcmp(out, buf, sizeof(out)) == 0);
	}
	m_freem(m);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, copym_is_a_deep_copy)
{
	struct mbuf *m = kt_chain(5, 100), *c;

	c = m_copym(m, 30, 300, M_WAITOK);
	KT_REQUIRE(c != NULL);
	KT_CHECK_EQ(c->m_pkthdr.len, 300);
	KT_CHECK(m_check(c));
	KT_CHECK(kt_bytes_ok(c, 0, 200, 30));
	memset(c->m_data, 0, c->m_len);	/* the original is untouched */
	KT_CHECK(kt_bytes_ok(m, 30, 100, 30));
	m_freem(c);
	c = m_copym(m, 0, M_COPYALL, M_WAITOK);
	KT_REQUIRE(c != NULL);
	KT_CHECK_EQ(c->m_pkthdr.len, 500);
	m_freem(c);
	m_freem(m);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, devget_builds_packet_with_headroom)
{
	uint8_t buf[1600];
	struct mbuf *m;
	int i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	m = m_devget(buf, sizeof(buf), 32, NULL, M_WAITOK);
	KT_REQUIRE(m != NULL);
	KT_CHECK_EQ(m->m_pkthdr.len, 1600);
	KT_CHECK(M_LEADINGSPACE(m) >= 32);
	KT_CHECK(kt_bytes_ok(m, 0, 256, 0));
	m_freem(m);
	KT_NO_MBUF_LEAK();
}

KTEST(net_mbuf, nowait_allocation_fails_past_limit_and_counts)
{
	struct mbuf_stats st0, st1;
	struct mbuf *q = NULL, *m;
	u_int old = mbuf_limit, n = 0;

	mbuf_getstats(&st0);
	mbuf_limit = 100;
	while ((m = m_get(M_NOWAIT, MT_DATA)) != NULL) {
		m->m_nextpkt = q;
		q = m;
		n++;
	}
	mbuf_limit = old;
	mbuf_getstats(&st1);
	KT_CHECK_EQ(n, 100);
	KT_CHECK_EQ(st1.ms_drops, st0.ms_drops + 1);
	m_freem_queue(q);
	KT_NO_MBUF_LEAK();
}

/* ---- routing ------------------------------------------------------------ */

static struct in_addr
kt_a(uint32_t host)
{
	struct in_addr a = { htonl(host) };
	return a;
}

KTEST(net_route, longest_prefix_wins_and_default_catches_rest)
{
	struct in_addr any = { 0 }, none = { 0 };
	struct rtentry *rt;

	NET_LOCK();
	KT_CHECK_EQ(rt_add(kt_a(0x0a000000), kt_a(0xff000000), none,
	    lo0ifp, 0), 0);
	KT_CHECK_EQ(rt_add(kt_a(0x0a010000), kt_a(0xffff0000), none,
	    lo0ifp, 0), 0);
	KT_CHECK_EQ(rt_add(kt_a(0x0a010200), kt_a(0xffffff00), none,
	    lo0ifp, 0), 0);
	KT_CHECK_EQ(rt_add(kt_a(0x0a010200), kt_a(0xffffff00), none,
	    lo0ifp, 0), EEXIST);
	KT_CHECK_EQ(rt_add(kt_a(0x0a000000), kt_a(0xff00ff00), none,
	    lo0ifp, 0), EINVAL);	/* non-contiguous mask */
	rt = rt_lookup(kt_a(0x0a010203));
	KT_CHECK(rt != NULL && rt->rt_plen == 24);
	rt = rt_lookup(kt_a(0x0a01ff01));
	KT_CHECK(rt != NULL && rt->rt_plen == 16);
	rt = rt_lookup(kt_a(0x0a020304));
	KT_CHECK(rt != NULL && rt->rt_plen == 8);
	KT_CHECK(rt_lookup(kt_a(0x0b000001)) == NULL);
	/* A default through a gateway on a connected subnet. */
	KT_CHECK_EQ(rt_add(any, any, kt_a(0x0a010201), NULL, RTF_GATEWAY),
	    0);
	rt = rt_lookup(kt_a(0x0b000001));
	KT_CHECK(rt != NULL && rt->rt_plen == 0 &&
	    (rt->rt_flags & RTF_GATEWAY) && rt->rt_ifp == lo0ifp);
	/* A gateway nobody can reach is refused. */
	KT_CHECK_EQ(rt_add(kt_a(0x0c000000), kt_a(0xff000000),
	    kt_a(0x0d000001), NULL, RTF_GATEWAY), ENETUNREACH);
	KT_CHECK_EQ(rt_delete(kt_a(0x0a010200), kt_a(0xffffff00)), 0);
	rt = rt_lookup(kt_a(0x0a010203));
	KT_CHECK(rt != NULL && rt->rt_plen == 16);
	KT_CHECK_EQ(rt_delete(kt_a(0x0a010200), kt_a(0xffffff00)), ESRCH);
	NET_UNLOCK();
}

KTEST(net_route, host_route_beats_subnet_and_purge_removes)
{
	struct in_addr none = { 0 };
	struct rtentry *rt;
	u_int n0;

	NET_LOCK();
	n0 = rt_count();
	KT_CHECK_EQ(rt_add(kt_a(0xc0a80000), kt_a(0xffff0000), none,
	    lo0ifp, 0), 0);
	KT_CHECK_EQ(rt_add(kt_a(0xc0a80005), kt_a(0xffffffff), none,
	    lo0ifp, 0), 0);
	rt = rt_lookup(kt_a(0xc0a80005));
	KT_CHECK(rt != NULL && (rt->rt_flags & RTF_HOST));
	rt_purge_ifp(lo0ifp);
	KT_CHECK(rt_lookup(kt_a(0xc0a80005)) == NULL);
	KT_CHECK(rt_count() < n0 + 2);
	NET_UNLOCK();
}
