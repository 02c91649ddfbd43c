/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * route.c: the IPv4 routing table (net/route.h): add, delete, longest
 * prefix match, purge by interface.
 *
 * The table is a list ordered by prefix length, longest first (equal
 * lengths in insertion order), so the first entry whose prefix covers a
 * destination is the longest match.  Called by ip_output (lookup), by
 * address configuration (connected routes) and by netconfig (gateways).
 * Everything under net_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/queue.h>
#include <net/if.h>
#include <net/route.h>

static TAILQ_HEAD(, rtentry) rt_table;
static u_int rt_n;
static struct rt_stats rt_st;

int
route_init(void)
{
	TAILQ_INIT(&rt_table);
	rt_n = 0;
	memset(&rt_st, 0, sizeof(rt_st));
	return 0;
}

void
route_fini(void)
{
	struct rtentry *rt;

	while ((rt = TAILQ_FIRST(&rt_table)) != NULL) {
		TAILQ_REMOVE(&rt_table, rt, rt_entry);
		kmem_free(rt, sizeof(*rt));
	}
	rt_n = 0;
}

int
rt_mask_plen(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int plen = 0;

	while (plen < 32 && (m & 0x80000000u)) {
		m <<= 1;
		plen++;
	}
	return m == 0 ? plen : -1;	/* contiguous ones, then zeros */
}

static struct rtentry *
rt_find_exact(struct in_addr dst, struct in_addr mask)
{
	struct rtentry *rt;

	TAILQ_FOREACH(rt, &rt_table, rt_entry) {
		if (rt->rt_dst.s_addr == (dst.s_addr & mask.s_addr) &&
		    rt->rt_mask.s_addr == mask.s_addr)
			return rt;
	}
	return NULL;
}

struct rtentry *
rt_lookup(struct in_addr dst)
{
	struct rtentry *rt;

	NET_ASSERT_LOCKED();
	rt_st.rts_lookups++;
	TAILQ_FOREACH(rt, &rt_table, rt_entry) {
		if ((dst.s_addr & rt->rt_mask.s_addr) == rt->rt_dst.s_addr) {
			rt->rt_use++;
			return rt;
		}
	}
	rt_st.rts_unreach++;
	return NULL;
}

int
rt_add(struct in_addr dst, struct in_addr mask, struct in_addr gw,
    struct ifnet *ifp, int flags)
{
	struct rtentry *rt, *pos;
	int plen;

	NET_ASSERT_LOCKED();
	plen = rt_mask_plen(mask);
	if (plen < 0)
		return EINVAL;
	if (rt_find_exact(dst, mask) != NULL)
		return EEXIST;
	if (flags & RTF_GATEWAY) {
		/* The gateway must be on a connected subnet. */
		struct rtentry *via = rt_lookup(gw);
		if (via == NULL || (via->rt_flags & RTF_GATEWAY))
			return ENETUNREACH;
		if (ifp == NULL)
			ifp = via->rt_ifp;
	}
	if (ifp == NULL)
		return EINVAL;
	rt = kmem_zalloc(sizeof(*rt), KM_SLEEP);
	rt->rt_dst.s_addr = dst.s_addr & mask.s_addr;
	rt->rt_mask = mask;
	rt->rt_plen = (u_int)plen;
	rt->rt_gateway = gw;
	rt->rt_ifp = ifp;
	rt->rt_flags = flags | RTF_UP | (plen == 32 ? RTF_HOST : 0);
	TAILQ_FOREACH(pos, &rt_table, rt_entry) {
		if (pos->rt_plen < rt->rt_plen)
			break;
	}
	if (pos != NULL)
		TAILQ_INSERT_BEFORE(pos, rt, rt_entry);
	else
		TAILQ_INSERT_TAIL(&rt_table, rt, rt_entry);
	rt_n++;
	return 0;
}

int
rt_delete(struct in_addr dst, struct in_addr mask)
{
	struct rtentry *rt;

	NET_ASSERT_LOCKED();
	rt = rt_find_exact(dst, mask);
	if (rt == NULL)
		return ESRCH;
	TAILQ_REMOVE(&rt_table, rt, rt_entry);
	kmem_free(rt, sizeof(*rt));
	rt_n--;
	return 0;
}

void
rt_purge_ifp(struct ifnet *ifp)
{
	struct rtentry *rt, *next;

	NET_ASSERT_LOCKED();
	for (rt = TAILQ_FIRST(&rt_table); rt != NULL; rt = next) {
		next = TAILQ_NEXT(rt, rt_entry);
		if (rt->rt_ifp == ifp) {
			TAILQ_REMOVE(&rt_table, rt, rt_entry);
			kmem_free(rt, sizeof(*rt));
			rt_n--;
		}
	}
}

u_int
rt_count(void)
{
	NET_ASSERT_LOCKED();
	return rt_n;
}

void
rt_getstats(struct rt_stats *st)
{
	*st = rt_st;
}
