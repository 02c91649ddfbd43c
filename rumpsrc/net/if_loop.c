/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if_loop.c: the loopback interface lo0 (127.0.0.1/8).
 *
 * A packet sent on lo0 goes through its send queue and comes back in
 * through its receive queue and softint, exactly like a frame from a
 * device, so the sender's call returns before the packet is processed
 * and input never nests inside output.  ip_output also sends packets for
 * the host's own non-loopback addresses here.  Created and destroyed by
 * net_init.c.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/ip_var.h>

#include "net_private.h"

#define LOMTU	16384

struct ifnet *lo0ifp;

/* Driver start: every queued packet turns around into the input queue. */
static void
loop_start(struct ifnet *ifp)
{
	struct mbuf *m;

	while ((m = if_dequeue_snd(ifp)) != NULL) {
		if_stat_add(ifp, IF_OPACKETS, 1);
		if_stat_add(ifp, IF_OBYTES, (uint64_t)m->m_pkthdr.len);
		m->m_flags |= M_LOOP;
		if_input_enqueue(ifp, m);
	}
}

static int
loop_output(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst)
{
	NET_ASSERT_LOCKED();
	if (dst->sa_family != AF_INET) {
		m_freem(m);
		return EAFNOSUPPORT;
	}
	return if_transmit(ifp, m);
}

static void
loop_l2input(struct ifnet *ifp, struct mbuf *m)
{
	ip_input(ifp, m);
}

int
loop_attach(void)
{
	struct ifnet *ifp;
	struct in_addr addr, mask;
	int error;

	ifp = kmem_zalloc(sizeof(*ifp), KM_SLEEP);
	strlcpy(ifp->if_xname, "lo0", sizeof(ifp->if_xname));
	ifp->if_type = IFT_LOOP;
	ifp->if_flags = IFF_LOOPBACK | IFF_MULTICAST;
	ifp->if_mtu = LOMTU;
	ifp->if_hdrlen = 0;
	ifp->if_start = loop_start;
	ifp->if_output = loop_output;
	ifp->if_l2input = loop_l2input;
	error = if_attach(ifp);
	if (error != 0)
		goto err_free;

	addr.s_addr = htonl(INADDR_LOOPBACK);
	mask.s_addr = htonl(0xff000000u);
	NET_LOCK();
	if_up(ifp);
	error = in_ifaddr_add(ifp, addr, mask);
	NET_UNLOCK();
	if (error != 0)
		goto err_detach;
	NET_LOCK();
	lo0ifp = ifp;
	NET_UNLOCK();
	return 0;

err_detach:
	if_detach(ifp);
err_free:
	kmem_free(ifp, sizeof(*ifp));
	return error;
}

void
loop_detach(void)
{
	struct ifnet *ifp = lo0ifp;

	if (ifp == NULL)
		return;
	NET_LOCK();		/* ip_output reads lo0ifp under the lock */
	lo0ifp = NULL;
	NET_UNLOCK();
	if_detach(ifp);
	kmem_free(ifp, sizeof(*ifp));
}
