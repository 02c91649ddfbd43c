/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net_init.c: boot and shutdown of the network stack, one component
 * ("net", RUMP_COMPONENT_NET) that brings the layers up bottom to top --
 * network lock, mbufs, interfaces, interface cloners, routes, IPv4 addresses, IP,
 * reassembly, ARP, ICMP, UDP, raw IP, sockets, lo0, the socket system
 * calls (socket_syscalls.c, socket_msg.c, socket_select.c) -- and takes them down in exactly the reverse order.  Shutdown
 * reports leaked mbufs (mbuf_fini).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>

#include "net_private.h"
#include "../netinet/inet_private.h"

kmutex_t net_lock;

struct net_stage {
	const char	*ns_name;
	int		(*ns_init)(void);
	void		(*ns_fini)(void);
};

static int
net_lock_init(void)
{
	mutex_init(&net_lock, MUTEX_DEFAULT, IPL_SOFTNET);
	return 0;
}

static void
net_lock_fini(void)
{
	mutex_destroy(&net_lock);
}

static void
net_mbuf_fini(void)
{
	(void)mbuf_fini();	/* reports leaks itself */
}

static const struct net_stage net_stages[] = {
	{ "lock", net_lock_init, net_lock_fini },
	{ "mbuf", mbuf_init, net_mbuf_fini },
	{ "if", if_init_list, if_fini_list },
	{ "ifclone", if_clone_init, if_clone_fini },
	{ "route", route_init, route_fini },
	{ "in", in_init, in_fini },
	{ "ip", ip_init, ip_fini },
	{ "reass", ip_reass_init, ip_reass_fini },
	{ "arp", arp_init, arp_fini },
	{ "icmp", icmp_init, icmp_fini },
	{ "udp", udp_init, udp_fini },
	{ "rawip", rip_init, rip_fini },
	{ "tcp", tcp_init, tcp_fini },
	{ "socket", socket_layer_init, socket_layer_fini },
	{ "lo0", loop_attach, loop_detach },
	{ "syscalls", socket_sys_init, socket_sys_fini },
	{ "msgcalls", socket_msg_init, socket_msg_fini },
	{ "select", socket_select_init, socket_select_fini },
};

static void
net_unwind(size_t n)
{
	while (n-- > 0)
		net_stages[n].ns_fini();
}

static int
net_init(void)
{
	size_t i;
	int error;

	for (i = 0; i < __arraycount(net_stages); i++) {
		error = net_stages[i].ns_init();
		if (error != 0) {
			printf("net: %s failed to start: error %d\n",
			    net_stages[i].ns_name, error);
			net_unwind(i);
			return error;
		}
	}
	return 0;
}

static void
net_fini(void)
{
	net_unwind(__arraycount(net_stages));
}

RUMP_COMPONENT(net, RUMP_COMPONENT_NET, net_init, net_fini);
