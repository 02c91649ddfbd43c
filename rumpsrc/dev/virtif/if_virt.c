/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if_virt.c: the virtual Ethernet interface, kernel side ("virt0", ...).
 *
 * The driver is one of three parts (STYLE.md): this file knows the
 * network stack and nothing of the host; the host side lives in each
 * hypervisor (hypervisor/posix/vif.c: a tap or a host-local bus;
 * hypervisor/linux/hyp_vif.c: a tap file held inside Linux); between
 * them is the small contract hypervisor/include/rump/rumpvif.h, whose
 * version is checked at create.  The host decides what a name means.
 *
 * Life of an interface:
 *  - create (rump_pub_netconfig_ifcreate -> if_clone_create -> here):
 *    attach the host side, draw a random locally administered MAC
 *    address, attach an Ethernet interface (ether_ifattach), start the
 *    receive thread;
 *  - receive: one kernel thread per interface loops on rumpvif_recv,
 *    which blocks on the host with the rump CPU given back, into a fresh
 *    cluster, checks the length (runts and giants counted and dropped)
 *    and runs protocol input itself (if_input_direct, under net_lock).
 *    This thread is never inside an output path, so input cannot nest
 *    in output; and a frame costs no hand-off to the softint thread (a
 *    host wake-up, then a wait for the CPU this thread holds), which was
 *    most of a ping's round trip.  Replies leave from this thread too
 *    (if_start below);
 *  - transmit: if_start (net_lock held) takes each frame off if_snd and
 *    hands the host an iovec over the mbuf chain itself: no copy here;
 *  - destroy (rump_pub_netconfig_ifdestroy, or the component's fini for
 *    interfaces left at rump_shutdown, newest first): off the list and
 *    down under net_lock (no new if_start), rumpvif_shutdown (wakes the
 *    receiver), join the receiver (no more if_input_enqueue), detach the
 *    interface (waits for its softint, purges queues and ARP entries),
 *    free the host side, free the softc.  Each step makes the next safe,
 *    so traffic may flow while an interface goes away.
 *
 * Locking: the interface list virtif_list and every softc's list link
 * are guarded by net_lock; create and destroy are serialised by the
 * cloner lock (net/if_clone.c).  Counters are relaxed atomics.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <rump/rumpvif.h>

#include "if_virt.h"

#define VIRTIF_MAXFRAME		(ETHER_HDR_LEN + ETHERMTU)	/* 1514 */
/* Frames start 2 bytes into the cluster, so the IP header is aligned. */
#define VIRTIF_ALIGN		2
#define VIRTIF_RXBUF		(MCLBYTES - VIRTIF_ALIGN)
#define VIRTIF_MAXIOV		32
#define VIRTIF_PAUSE_MS		20	/* after a host error or no buffer */

enum virtif_stat {
	VS_RX_FRAMES, VS_RX_RUNTS, VS_RX_GIANTS, VS_RX_NOBUFS, VS_RX_ERRORS,
	VS_TX_FRAMES, VS_TX_ERRORS, VS_TX_TOOLONG, VS_NSTATS
};

struct virtif_softc {
	struct ifnet		sc_if;		/* first: if_softc is us */
	struct rumpvif		*sc_vif;	/* host side */
	struct lwp		*sc_rcvl;	/* receive thread (joinable) */
	volatile u_int		sc_dying;	/* destroy started */
	TAILQ_ENTRY(virtif_softc) sc_entry;	/* on virtif_list, net_lock */
	volatile uint64_t	sc_stats[VS_NSTATS];
};

static TAILQ_HEAD(virtif_softc_head, virtif_softc) virtif_list;	/* under net_lock */

static int virtif_clone_create(const char *name);
static int virtif_clone_destroy(const char *name);

static struct if_clone virtif_cloner = {
	.ifc_prefix = "virt",
	.ifc_create = virtif_clone_create,
	.ifc_destroy = virtif_clone_destroy,
};

static inline void
virtif_count(struct virtif_softc *sc, enum virtif_stat s)
{
	__atomic_add_fetch(&sc->sc_stats[s], 1, __ATOMIC_RELAXED);
}

/* ---- receive -------------------------------------------------------------- */

/*
 * virtif_rx_check: is a frame of len bytes (or the host's error) one to
 * hand to the stack?  Counts what it refuses.
 */
static bool
virtif_rx_check(struct virtif_softc *sc, int error, size_t len)
{
	struct ifnet *ifp = &sc->sc_if;

	if (error == EMSGSIZE || (error == 0 && len > VIRTIF_MAXFRAME)) {
		virtif_count(sc, VS_RX_GIANTS);
		if_stat_add(ifp, IF_IERRORS, 1);
		return false;
	}
	if (error != 0) {
		virtif_count(sc, VS_RX_ERRORS);
		if_stat_add(ifp, IF_IERRORS, 1);
		return false;
	}
	if (len < ETHER_HDR_LEN) {
		virtif_count(sc, VS_RX_RUNTS);
		if_stat_add(ifp, IF_IERRORS, 1);
		return false;
	}
	return true;
}

/*
 * The receive thread: frames from the host into the stack until
 * rumpvif_recv says ESHUTDOWN.  Holds a CPU except inside rumpvif_recv;
 * never holds net_lock there.  Input runs here (if_input_direct): the
 * interface stays attached until virtif_teardown has joined us.
 */
static void
virtif_receiver(void *arg)
{
	struct virtif_softc *sc = arg;
	struct mbuf *m;
	size_t len;
	int error;

	for (;;) {
		m = m_getcl(M_NOWAIT, MT_DATA);
		if (m == NULL) {
			virtif_count(sc, VS_RX_NOBUFS);
			if (atomic_load_relaxed(&sc->sc_dying))
				break;
			kpause("virtnob", false, mstohz(VIRTIF_PAUSE_MS),
			    NULL);
			continue;
		}
		m->m_data += VIRTIF_ALIGN;
		len = 0;
		error = rumpvif_recv(sc->sc_vif, mtod(m, void *),
		    VIRTIF_RXBUF, &len);
		if (error == ESHUTDOWN) {
			m_freem(m);
			break;
		}
		if (!virtif_rx_check(sc, error, len)) {
			m_freem(m);
			if (error != 0 && error != EMSGSIZE)
				kpause("virterr", false,
				    mstohz(VIRTIF_PAUSE_MS), NULL);
			continue;
		}
		m->m_len = m->m_pkthdr.len = (int)len;
		virtif_count(sc, VS_RX_FRAMES);
		m->m_nextpkt = NULL;
		if_input_direct(&sc->sc_if, m);
	}
	kthread_exit(0);
}

/* ---- transmit ------------------------------------------------------------- */

/*
 * virtif_send_chain: one frame to the host, as an iovec over the chain.
 * net_lock held (it serialises rumpvif_send calls, as the contract asks).
 */
static int
virtif_send_chain(struct virtif_softc *sc, struct mbuf *m)
{
	struct rumpuser_iovec iov[VIRTIF_MAXIOV];
	size_t n = 0;

	NET_ASSERT_LOCKED();
	for (; m != NULL; m = m->m_next) {
		if (m->m_len == 0)
			continue;
		if (n == VIRTIF_MAXIOV) {
			virtif_count(sc, VS_TX_TOOLONG);
			return EMSGSIZE;
		}
		iov[n].iov_base = mtod(m, void *);
		iov[n].iov_len = (size_t)m->m_len;
		n++;
	}
	return rumpvif_send(sc->sc_vif, iov, n);
}

/* if_start: drain if_snd.  net_lock held. */
static void
virtif_start(struct ifnet *ifp)
{
	struct virtif_softc *sc = ifp->if_softc;
	struct mbuf *m;
	int len;

	NET_ASSERT_LOCKED();
	while ((m = if_dequeue_snd(ifp)) != NULL) {
		len = m->m_pkthdr.len;
		if (len > VIRTIF_MAXFRAME ||
		    virtif_send_chain(sc, m) != 0) {
			virtif_count(sc, VS_TX_ERRORS);
			if_stat_add(ifp, IF_OERRORS, 1);
		} else {
			virtif_count(sc, VS_TX_FRAMES);
			if_stat_add(ifp, IF_OPACKETS, 1);
			if_stat_add(ifp, IF_OBYTES, (uint64_t)len);
		}
		m_freem(m);
	}
}

/* ---- create and destroy ------------------------------------------------- */

/* net_lock held. */
static struct virtif_softc *
virtif_lookup(const char *name)
{
	struct virtif_softc *sc;

	NET_ASSERT_LOCKED();
	TAILQ_FOREACH(sc, &virtif_list, sc_entry) {
		if (strcmp(sc->sc_if.if_xname, name) == 0)
			return sc;
	}
	return NULL;
}

/*
 * Make interface name.  Thread context, cloner lock held (no other
 * create or destroy runs), net_lock not held.
 */
static int
virtif_clone_create(const char *name)
{
	struct virtif_softc *sc;
	uint8_t lla[ETHER_ADDR_LEN];
	int error;

	sc = kmem_zalloc(sizeof(*sc), KM_SLEEP);
	strlcpy(sc->sc_if.if_xname, name, sizeof(sc->sc_if.if_xname));
	sc->sc_if.if_softc = sc;
	sc->sc_if.if_start = virtif_start;

	error = rumpvif_create(RUMPVIF_VERSION, name, &sc->sc_vif);
	if (error != 0)
		goto err_free_sc;

	/* Random, unicast, locally administered. */
	cprng_fill(lla, sizeof(lla));
	lla[0] = (uint8_t)((lla[0] & ~0x01) | 0x02);
	error = ether_ifattach(&sc->sc_if, lla);
	if (error != 0)
		goto err_destroy_vif;

	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN,
	    NULL, virtif_receiver, sc, &sc->sc_rcvl, "%s rx", name);
	if (error != 0)
		goto err_detach;

	NET_LOCK();
	TAILQ_INSERT_TAIL(&virtif_list, sc, sc_entry);
	NET_UNLOCK();
	return 0;

err_detach:
	ether_ifdetach(&sc->sc_if);
err_destroy_vif:
	rumpvif_shutdown(sc->sc_vif);
	rumpvif_destroy(sc->sc_vif);
err_free_sc:
	kmem_free(sc, sizeof(*sc));
	return error;
}

/*
 * Tear sc down (see the top comment for why in this order).
 * Precondition: sc is off virtif_list and down; thread context, net_lock
 * not held; no other create or destroy runs (cloner lock held, or the
 * cloner detached at shutdown).
 */
static void
virtif_teardown(struct virtif_softc *sc)
{
	int error;

	NET_ASSERT_UNLOCKED();
	atomic_store_relaxed(&sc->sc_dying, 1);
	rumpvif_shutdown(sc->sc_vif);
	error = kthread_join(sc->sc_rcvl);
	if (error != 0)		/* a joinable thread of ours: cannot be */
		panic("virtif: join of %s rx: error %d", sc->sc_if.if_xname,
		    error);
	ether_ifdetach(&sc->sc_if);
	rumpvif_destroy(sc->sc_vif);
	kmem_free(sc, sizeof(*sc));
}

/* Unmake interface name.  Same context as virtif_clone_create. */
static int
virtif_clone_destroy(const char *name)
{
	struct virtif_softc *sc;

	NET_LOCK();
	sc = virtif_lookup(name);
	if (sc != NULL) {
		TAILQ_REMOVE(&virtif_list, sc, sc_entry);
		if_down(&sc->sc_if);
	}
	NET_UNLOCK();
	if (sc == NULL)
		return ENXIO;
	virtif_teardown(sc);
	return 0;
}

/* ---- kernel interfaces (if_virt.h) -------------------------------------- */

int
virtif_getstats(const char *name, struct virtif_stats *st)
{
	struct virtif_softc *sc;
	uint64_t v[VS_NSTATS];
	int i;

	NET_LOCK();
	sc = virtif_lookup(name);
	if (sc != NULL) {
		for (i = 0; i < VS_NSTATS; i++)
			v[i] = __atomic_load_n(&sc->sc_stats[i],
			    __ATOMIC_RELAXED);
	}
	NET_UNLOCK();
	if (sc == NULL)
		return ENXIO;
	st->vs_rx_frames = v[VS_RX_FRAMES];
	st->vs_rx_runts = v[VS_RX_RUNTS];
	st->vs_rx_giants = v[VS_RX_GIANTS];
	st->vs_rx_nobufs = v[VS_RX_NOBUFS];
	st->vs_rx_errors = v[VS_RX_ERRORS];
	st->vs_tx_frames = v[VS_TX_FRAMES];
	st->vs_tx_errors = v[VS_TX_ERRORS];
	st->vs_tx_toolong = v[VS_TX_TOOLONG];
	return 0;
}

int
virtif_sendraw(const char *name, const void *frame, size_t len)
{
	struct rumpuser_iovec iov = { (void *)(uintptr_t)frame, len };
	struct virtif_softc *sc;
	int error;

	NET_LOCK();		/* serialises with if_start, as sends must be */
	sc = virtif_lookup(name);
	if (sc == NULL)
		error = ENXIO;
	else
		error = rumpvif_send(sc->sc_vif, &iov, 1);
	NET_UNLOCK();
	return error;
}

/* ---- component ---------------------------------------------------------- */

static int
virtif_init(void)
{
	TAILQ_INIT(&virtif_list);
	if_clone_attach(&virtif_cloner);
	return 0;
}

/* Shutdown: no new interfaces, then the remaining ones, newest first. */
static void
virtif_fini(void)
{
	struct virtif_softc *sc;

	if_clone_detach(&virtif_cloner);
	for (;;) {
		NET_LOCK();
		sc = TAILQ_LAST(&virtif_list, virtif_softc_head);
		if (sc != NULL) {
			TAILQ_REMOVE(&virtif_list, sc, sc_entry);
			if_down(&sc->sc_if);
		}
		NET_UNLOCK();
		if (sc == NULL)
			break;
		virtif_teardown(sc);
	}
}

RUMP_COMPONENT(virtif, RUMP_COMPONENT_NET_IF, virtif_init, virtif_fini);
