/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mbuf.c: the packet buffer allocator (sys/mbuf.h).
 *
 * mbufs (MSIZE) and clusters (MCLBYTES) are kmem objects: kmem's per-CPU
 * magazines are the pool, so the common path takes no lock here either.
 * What this file adds is accounting and a bound: live mbufs and clusters
 * are counted (atomically) against mbuf_limit, so a flood cannot eat all
 * of the host's memory; past the limit an M_NOWAIT allocation fails
 * (ms_drops) and an M_WAITOK one sleeps until a buffer is freed.  At
 * shutdown (mbuf_fini, from net_init.c) anything still allocated is
 * reported as a leak.  Called by every layer of the stack.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>

#include "net_private.h"

__CTASSERT(sizeof(struct mbuf) == MSIZE);
__CTASSERT(MLEN >= 160);	/* room for IP + TCP headers with options */

u_int mbuf_limit;

static struct {
	volatile uint64_t	mbufs;
	volatile uint64_t	clusters;
	volatile uint64_t	allocs;
	volatile uint64_t	drops;
	volatile uint64_t	pullups;
	volatile uint64_t	pullup_fail;
	volatile u_int		waiters;
	kmutex_t		lock;		/* waiters' sleep */
	kcondvar_t		cv;
} mb;

#define MBUF_DEFAULT_LIMIT	65536

int
mbuf_init(void)
{
	memset((void *)&mb, 0, sizeof(mb));
	mutex_init(&mb.lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&mb.cv, "mbuf");
	mbuf_limit = MBUF_DEFAULT_LIMIT;
	return 0;
}

uint64_t
mbuf_fini(void)
{
	uint64_t leaked = mb.mbufs + mb.clusters;

	if (leaked != 0)
		printf("net: leak: %llu mbuf(s) and %llu cluster(s) still "
		    "allocated at shutdown\n", (unsigned long long)mb.mbufs,
		    (unsigned long long)mb.clusters);
	cv_destroy(&mb.cv);
	mutex_destroy(&mb.lock);
	return leaked;
}

void
mbuf_getstats(struct mbuf_stats *st)
{
	st->ms_mbufs = atomic_load_relaxed(&mb.mbufs);
	st->ms_clusters = atomic_load_relaxed(&mb.clusters);
	st->ms_allocs = atomic_load_relaxed(&mb.allocs);
	st->ms_drops = atomic_load_relaxed(&mb.drops);
	st->ms_pullups = atomic_load_relaxed(&mb.pullups);
	st->ms_pullup_fail = atomic_load_relaxed(&mb.pullup_fail);
}

void
mbuf_note_pullup(bool failed)
{
	atomic_inc_64(failed ? &mb.pullup_fail : &mb.pullups);
}

/* Account one object against the limit; false when over it. */
static bool
mbuf_charge(volatile uint64_t *ctr, int how)
{
	for (;;) {
		if (atomic_load_relaxed(&mb.mbufs) +
		    atomic_load_relaxed(&mb.clusters) < mbuf_limit) {
			atomic_inc_64(ctr);
			return true;
		}
		if (how & M_NOWAIT) {
			atomic_inc_64(&mb.drops);
			return false;
		}
		mutex_enter(&mb.lock);
		atomic_inc_uint(&mb.waiters);
		/* Re-check under the lock, then sleep a bounded time: a free
		 * racing with the check wakes us at the latest then. */
		if (atomic_load_relaxed(&mb.mbufs) +
		    atomic_load_relaxed(&mb.clusters) >= mbuf_limit)
			(void)cv_timedwait(&mb.cv, &mb.lock, mstohz(100));
		atomic_dec_uint(&mb.waiters);
		mutex_exit(&mb.lock);
	}
}

static void
mbuf_uncharge(volatile uint64_t *ctr)
{
	KASSERT(atomic_load_relaxed(ctr) > 0);
	atomic_dec_64(ctr);
	if (atomic_load_relaxed(&mb.waiters) != 0) {
		mutex_enter(&mb.lock);
		cv_broadcast(&mb.cv);
		mutex_exit(&mb.lock);
	}
}

static int
mbuf_kmflags(int how)
{
	return (how & M_NOWAIT) ? KM_NOSLEEP : KM_SLEEP;
}

struct mbuf *
m_get(int how, int type)
{
	struct mbuf *m;

	KASSERT((how & (M_WAITOK | M_NOWAIT)) != 0);
	if (!mbuf_charge(&mb.mbufs, how))
		return NULL;
	m = kmem_alloc(MSIZE, mbuf_kmflags(how));
	if (m == NULL) {
		atomic_inc_64(&mb.drops);
		mbuf_uncharge(&mb.mbufs);
		return NULL;
	}
	atomic_inc_64(&mb.allocs);
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	m->m_data = m->m_dat;
	m->m_len = 0;
	m->m_flags = 0;
	m->m_type = (short)type;
	m->m_extbuf = NULL;
	return m;
}

struct mbuf *
m_gethdr(int how, int type)
{
	struct mbuf *m;

	m = m_get(how, type);
	if (m == NULL)
		return NULL;
	m->m_flags = M_PKTHDR;
	m->m_pkthdr.len = 0;
	m->m_pkthdr.rcvif = NULL;
	m->m_pkthdr.csum_flags = 0;
	return m;
}

bool
m_clget(struct mbuf *m, int how)
{
	uint8_t *buf;

	KASSERT((m->m_flags & M_EXT) == 0);
	if (!mbuf_charge(&mb.clusters, how))
		return false;
	buf = kmem_alloc(MCLBYTES, mbuf_kmflags(how));
	if (buf == NULL) {
		atomic_inc_64(&mb.drops);
		mbuf_uncharge(&mb.clusters);
		return false;
	}
	m->m_extbuf = buf;
	m->m_flags |= M_EXT;
	m->m_data = buf;
	return true;
}

struct mbuf *
m_getcl(int how, int type)
{
	struct mbuf *m;

	m = m_gethdr(how, type);
	if (m == NULL)
		return NULL;
	if (!m_clget(m, how)) {
		m_free(m);
		return NULL;
	}
	return m;
}

struct mbuf *
m_free(struct mbuf *m)
{
	struct mbuf *n = m->m_next;

	KASSERT(m->m_type != MT_FREE);
	if (m->m_flags & M_EXT) {
		kmem_free(m->m_extbuf, MCLBYTES);
		mbuf_uncharge(&mb.clusters);
	}
	m->m_type = MT_FREE;
	kmem_free(m, MSIZE);
	mbuf_uncharge(&mb.mbufs);
	return n;
}

void
m_freem(struct mbuf *m)
{
	while (m != NULL)
		m = m_free(m);
}

void
m_freem_queue(struct mbuf *m)
{
	struct mbuf *next;

	for (; m != NULL; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
	}
}
