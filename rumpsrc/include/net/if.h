/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/if.h: network interfaces (net/if.c) and the network lock.
 *
 * An interface is a struct ifnet embedded in its driver's softc.  The
 * driver fills in the name, type, MTU and its if_start method, and the
 * link layer (ether_ifattach, or the loopback) fills in if_output (the
 * link-level output of a network-layer packet) and if_l2input (the
 * link-level input).  if_attach makes it visible; if_detach takes it down,
 * removes its addresses and routes, waits for its receive softint and
 * frees queued packets.
 *
 * Receive path: the driver hands a frame to if_input_enqueue() from any
 * thread that holds a rump CPU (a host receive thread, a softint, the
 * loopback output); the frame waits on if_inq and the interface's
 * SOFTINT_NET softint runs if_l2input on every queued frame with the
 * network lock held.  Protocol input therefore never recurses into
 * itself through a loopback.
 *
 * A driver whose receive thread is its own and never runs inside an
 * output path (the virtual interface's receiver) may instead call
 * if_input_direct(): input runs on that thread under the network lock,
 * saving the hand-off to the softint thread (a host thread wake-up and a
 * CPU switch per packet).  The thread must stop calling it before
 * if_detach.  The loopback and anything called from output keep the
 * softint.
 *
 * Transmit path: the network layer calls if_output with the network lock
 * held; the link layer frames the packet and calls if_transmit(), which
 * queues it on if_snd and calls the driver's if_start to drain the queue.
 *
 * Locking: net_lock (an adaptive mutex) serialises all protocol state:
 * the interface list, addresses, routes, ARP, PCBs and sockets.  System
 * calls, the receive softints and the protocol callouts take it.  The
 * queues if_snd/if_inq are guarded by if_qlock (a spin mutex) so drivers
 * can enqueue without the network lock.  Statistics are updated with
 * atomics and read without a lock.
 */
#ifndef _NET_IF_H_
#define _NET_IF_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct mbuf;
struct sockaddr;
struct rtentry;
struct in_ifaddr;

#define IFNAMSIZ	16
#define IF_MAXADDRLEN	6

/* if_flags (NetBSD values) */
#define IFF_UP		0x0001
#define IFF_BROADCAST	0x0002
#define IFF_LOOPBACK	0x0008
#define IFF_RUNNING	0x0040
#define IFF_MULTICAST	0x8000

/* if_type */
#define IFT_ETHER	0x06
#define IFT_LOOP	0x18

#define IFQ_MAXLEN_DEFAULT	256

/* A queue of packets (m_nextpkt list) with a bound. */
struct ifqueue {
	struct mbuf	*ifq_head;
	struct mbuf	*ifq_tail;
	u_int		ifq_len;
	u_int		ifq_maxlen;
};

/* Interface statistics (if_stat_add). */
enum if_stat {
	IF_IPACKETS,	/* frames received */
	IF_IERRORS,	/* malformed frames */
	IF_IQDROPS,	/* dropped: input queue full */
	IF_OPACKETS,
	IF_OERRORS,
	IF_OQDROPS,	/* dropped: send queue full */
	IF_IBYTES,
	IF_OBYTES,
	IF_NOPROTO,	/* frames of an unknown protocol */
	IF_NSTATS
};

struct ifnet {
	char		if_xname[IFNAMSIZ];
	TAILQ_ENTRY(ifnet) if_list;	/* ifnet_list, under net_lock */
	u_int		if_index;	/* 1.. */
	u_int		if_type;	/* IFT_* */
	int		if_flags;	/* IFF_*, under net_lock */
	u_int		if_mtu;		/* largest network-layer packet */
	u_int		if_hdrlen;	/* link header: headroom to leave */
	uint8_t		if_lladdr[IF_MAXADDRLEN];
	void		*if_softc;
	bool		if_attached;

	/* Driver: drain if_snd.  Called with net_lock held. */
	void		(*if_start)(struct ifnet *ifp);
	/* Link layer: output a network packet (owns m); net_lock held. */
	int		(*if_output)(struct ifnet *ifp, struct mbuf *m,
			    const struct sockaddr *dst);
	/* Link layer: one received frame (owns m); net_lock held. */
	void		(*if_l2input)(struct ifnet *ifp, struct mbuf *m);

	kmutex_t	if_qlock;	/* spin: if_snd, if_inq */
	struct ifqueue	if_snd;
	struct ifqueue	if_inq;
	void		*if_si;		/* receive softint */

	TAILQ_HEAD(, in_ifaddr) if_addrlist;	/* under net_lock */
	volatile uint64_t if_stats[IF_NSTATS];
};

TAILQ_HEAD(ifnet_head, ifnet);
extern struct ifnet_head ifnet_list;	/* under net_lock */

/* The network lock (net/net_init.c). */
extern kmutex_t net_lock;
#define NET_LOCK()		mutex_enter(&net_lock)
#define NET_UNLOCK()		mutex_exit(&net_lock)
#define NET_ASSERT_LOCKED()	KASSERT(mutex_owned(&net_lock))
#define NET_ASSERT_UNLOCKED()	KASSERT(!mutex_owned(&net_lock))

/*
 * Attach/detach.  Preconditions: thread context, net_lock NOT held (the
 * softint is established/disestablished here, which may wait).  if_attach
 * returns 0, EEXIST (name in use) or ENOMEM.
 */
int	if_attach(struct ifnet *ifp);
void	if_detach(struct ifnet *ifp);

/* Flags (net_lock held). */
void	if_up(struct ifnet *ifp);
void	if_down(struct ifnet *ifp);
/* Lookup (net_lock held): NULL if none. */
struct ifnet *if_find(const char *name);
struct ifnet *if_byindex(u_int index);

/* Receive: queue a frame for the softint (any thread with a CPU). */
void	if_input_enqueue(struct ifnet *ifp, struct mbuf *m);
/* Receive: run input now on the caller's thread, for a list of frames
 * linked by m_nextpkt (a driver's own receive thread with a CPU, never
 * inside output, net_lock not held; see above). */
void	if_input_direct(struct ifnet *ifp, struct mbuf *list);
/* Transmit: queue on if_snd and start the driver (net_lock held);
 * ENOBUFS when the queue is full (m freed, counted). */
int	if_transmit(struct ifnet *ifp, struct mbuf *m);
/* Take the next packet off if_snd (driver, from if_start). */
struct mbuf *if_dequeue_snd(struct ifnet *ifp);

static inline void
if_stat_add(struct ifnet *ifp, enum if_stat s, uint64_t n)
{
	__atomic_add_fetch(&ifp->if_stats[s], n, __ATOMIC_RELAXED);
}

static inline uint64_t
if_stat_get(const struct ifnet *ifp, enum if_stat s)
{
	return __atomic_load_n(&ifp->if_stats[s], __ATOMIC_RELAXED);
}

/* Queue helpers (caller holds the lock guarding the queue). */
bool	ifq_enqueue(struct ifqueue *q, struct mbuf *m);	/* false: full */
struct mbuf *ifq_dequeue(struct ifqueue *q);
void	ifq_purge(struct ifqueue *q);

/*
 * Interface cloners (net/if_clone.c): a driver whose interfaces are made
 * on demand (the virtual interface, "virt0", "virt1", ...) registers a
 * name prefix; rump_pub_netconfig_ifcreate/ifdestroy reach it by name.
 * create/destroy run in thread context, without net_lock, serialised by
 * the cloner lock (they may sleep).  create returns 0 or an errno;
 * destroy returns ENXIO when the name is not one of the driver's.
 */
struct if_clone {
	const char	*ifc_prefix;	/* "virt": names are <prefix><unit> */
	int		(*ifc_create)(const char *name);
	int		(*ifc_destroy)(const char *name);
	TAILQ_ENTRY(if_clone) ifc_list;
};

/* Register/unregister (thread context, net_lock not held). */
void	if_clone_attach(struct if_clone *ifc);
void	if_clone_detach(struct if_clone *ifc);
/* 0, EINVAL (no cloner for the name, or not <prefix><unit>), EEXIST,
 * or the driver's error. */
int	if_clone_create(const char *name);
/* 0, ENXIO (no such interface), EPERM (lo0), EOPNOTSUPP (an interface
 * that is not cloned), or the driver's error. */
int	if_clone_destroy(const char *name);
int	if_clone_init(void);
void	if_clone_fini(void);

/* The loopback interface lo0 (net/if_loop.c). */
extern struct ifnet *lo0ifp;

#endif /* _NET_IF_H_ */
