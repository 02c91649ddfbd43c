/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if.c: network interfaces (net/if.h): the interface list, attach and
 * detach, the per-interface receive softint, the send queue.
 *
 * Called by drivers (if_loop.c, the virtual interface, test drivers),
 * by the link layer (if_ethersubr.c) and by configuration (netconfig.c).
 * See net/if.h for the receive/transmit paths and the locking.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

#include "net_private.h"

struct ifnet_head ifnet_list;
static u_int if_next_index;

int
if_init_list(void)
{
	TAILQ_INIT(&ifnet_list);
	if_next_index = 1;
	return 0;
}

void
if_fini_list(void)
{
	struct ifnet *ifp;

	TAILQ_FOREACH(ifp, &ifnet_list, if_list)
		printf("net: interface %s still attached at shutdown\n",
		    ifp->if_xname);
}

/* ---- queues ------------------------------------------------------------- */

bool
ifq_enqueue(struct ifqueue *q, struct mbuf *m)
{
	if (q->ifq_len >= q->ifq_maxlen)
		return false;
	m->m_nextpkt = NULL;
	if (q->ifq_tail != NULL)
		q->ifq_tail->m_nextpkt = m;
	else
		q->ifq_head = m;
	q->ifq_tail = m;
	q->ifq_len++;
	return true;
}

struct mbuf *
ifq_dequeue(struct ifqueue *q)
{
	struct mbuf *m = q->ifq_head;

	if (m == NULL)
		return NULL;
	q->ifq_head = m->m_nextpkt;
	if (q->ifq_head == NULL)
		q->ifq_tail = NULL;
	m->m_nextpkt = NULL;
	q->ifq_len--;
	return m;
}

void
ifq_purge(struct ifqueue *q)
{
	m_freem_queue(q->ifq_head);
	q->ifq_head = q->ifq_tail = NULL;
	q->ifq_len = 0;
}

/* ---- receive ------------------------------------------------------------ */

/*
 * Run the link layer's input on a list of frames (linked by m_nextpkt).
 * Precondition: net_lock held.
 */
static void
if_input_list_locked(struct ifnet *ifp, struct mbuf *batch)
{
	struct mbuf *m;

	NET_ASSERT_LOCKED();
	while ((m = batch) != NULL) {
		batch = m->m_nextpkt;
		m->m_nextpkt = NULL;
		if (!(ifp->if_flags & IFF_UP)) {
			if_stat_add(ifp, IF_IQDROPS, 1);
			m_freem(m);
			continue;
		}
		ifp->if_l2input(ifp, m);
	}
}

/*
 * The receive softint: take the queued frames in one batch and run the
 * link layer's input on each, under net_lock.
 */
static void
if_softint(void *arg)
{
	struct ifnet *ifp = arg;
	struct mbuf *batch;

	mutex_enter(&ifp->if_qlock);
	batch = ifp->if_inq.ifq_head;
	ifp->if_inq.ifq_head = ifp->if_inq.ifq_tail = NULL;
	ifp->if_inq.ifq_len = 0;
	mutex_exit(&ifp->if_qlock);

	NET_LOCK();
	if_input_list_locked(ifp, batch);
	NET_UNLOCK();
}

/* Count a received frame and mark where it came from. */
static void
if_input_account(struct ifnet *ifp, struct mbuf *m)
{
	KASSERT(m->m_flags & M_PKTHDR);
	m->m_pkthdr.rcvif = ifp;
	if_stat_add(ifp, IF_IPACKETS, 1);
	if_stat_add(ifp, IF_IBYTES, (uint64_t)m->m_pkthdr.len);
}

/*
 * Input on the caller's thread: see net/if.h for who may call this.
 * Preconditions: thread context with a CPU, net_lock not held, not
 * inside any output path, ifp attached until the call returns.
 */
void
if_input_direct(struct ifnet *ifp, struct mbuf *list)
{
	struct mbuf *m;

	NET_ASSERT_UNLOCKED();
	for (m = list; m != NULL; m = m->m_nextpkt)
		if_input_account(ifp, m);
	NET_LOCK();
	if_input_list_locked(ifp, list);
	NET_UNLOCK();
}

void
if_input_enqueue(struct ifnet *ifp, struct mbuf *m)
{
	bool ok;

	if_input_account(ifp, m);
	mutex_enter(&ifp->if_qlock);
	ok = ifq_enqueue(&ifp->if_inq, m);
	mutex_exit(&ifp->if_qlock);
	if (!ok) {
		if_stat_add(ifp, IF_IQDROPS, 1);
		m_freem(m);
		return;
	}
	softint_schedule(ifp->if_si);
}

/* ---- transmit ----------------------------------------------------------- */

int
if_transmit(struct ifnet *ifp, struct mbuf *m)
{
	bool ok;

	NET_ASSERT_LOCKED();
	if (!(ifp->if_flags & IFF_UP)) {
		if_stat_add(ifp, IF_OERRORS, 1);
		m_freem(m);
		return ENETDOWN;
	}
	mutex_enter(&ifp->if_qlock);
	ok = ifq_enqueue(&ifp->if_snd, m);
	mutex_exit(&ifp->if_qlock);
	if (!ok) {
		if_stat_add(ifp, IF_OQDROPS, 1);
		m_freem(m);
		return ENOBUFS;
	}
	ifp->if_start(ifp);
	return 0;
}

struct mbuf *
if_dequeue_snd(struct ifnet *ifp)
{
	struct mbuf *m;

	mutex_enter(&ifp->if_qlock);
	m = ifq_dequeue(&ifp->if_snd);
	mutex_exit(&ifp->if_qlock);
	return m;
}

/* ---- attach / detach ---------------------------------------------------- */

struct ifnet *
if_find(const char *name)
{
	struct ifnet *ifp;

	NET_ASSERT_LOCKED();
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (strcmp(ifp->if_xname, name) == 0)
			return ifp;
	}
	return NULL;
}

struct ifnet *
if_byindex(u_int index)
{
	struct ifnet *ifp;

	NET_ASSERT_LOCKED();
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (ifp->if_index == index)
			return ifp;
	}
	return NULL;
}

int
if_attach(struct ifnet *ifp)
{
	NET_ASSERT_UNLOCKED();
	KASSERT(ifp->if_start != NULL && ifp->if_output != NULL &&
	    ifp->if_l2input != NULL);
	KASSERT(!ifp->if_attached);
	mutex_init(&ifp->if_qlock, MUTEX_SPIN, IPL_VM);
	memset(&ifp->if_snd, 0, sizeof(ifp->if_snd));
	memset(&ifp->if_inq, 0, sizeof(ifp->if_inq));
	ifp->if_snd.ifq_maxlen = IFQ_MAXLEN_DEFAULT;
	ifp->if_inq.ifq_maxlen = IFQ_MAXLEN_DEFAULT;
	TAILQ_INIT(&ifp->if_addrlist);
	memset((void *)ifp->if_stats, 0, sizeof(ifp->if_stats));
	ifp->if_si = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE,
	    if_softint, ifp);
	if (ifp->if_si == NULL)
		goto err_destroy_lock;

	NET_LOCK();
	if (if_find(ifp->if_xname) != NULL) {
		NET_UNLOCK();
		softint_disestablish(ifp->if_si);
		mutex_destroy(&ifp->if_qlock);
		return EEXIST;
	}
	ifp->if_index = if_next_index++;
	ifp->if_attached = true;
	TAILQ_INSERT_TAIL(&ifnet_list, ifp, if_list);
	NET_UNLOCK();
	return 0;

err_destroy_lock:
	mutex_destroy(&ifp->if_qlock);
	return ENOMEM;
}

void
if_detach(struct ifnet *ifp)
{
	NET_ASSERT_UNLOCKED();
	KASSERT(ifp->if_attached);
	NET_LOCK();
	if_down(ifp);
	in_ifaddr_purge(ifp);
	rt_purge_ifp(ifp);
	TAILQ_REMOVE(&ifnet_list, ifp, if_list);
	ifp->if_attached = false;
	NET_UNLOCK();

	/* The softint may still be queued or running: wait for it, then
	 * nothing can touch the queues but us. */
	softint_disestablish(ifp->if_si);
	ifp->if_si = NULL;
	mutex_enter(&ifp->if_qlock);
	ifq_purge(&ifp->if_inq);
	ifq_purge(&ifp->if_snd);
	mutex_exit(&ifp->if_qlock);
	mutex_destroy(&ifp->if_qlock);
}

void
if_up(struct ifnet *ifp)
{
	NET_ASSERT_LOCKED();
	ifp->if_flags |= IFF_UP | IFF_RUNNING;
}

void
if_down(struct ifnet *ifp)
{
	NET_ASSERT_LOCKED();
	ifp->if_flags &= ~(IFF_UP | IFF_RUNNING);
}
