/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netconfig.c: the public network configuration calls
 * (rump_pub_netconfig_*): bring an interface up, give it an IPv4
 * address, set the default gateway.  Addresses are text ("10.0.2.17").
 * Each runs through the API gate and returns 0 or an errno (ENXIO: no
 * such interface, EINVAL: malformed address or mask).
 * netconfig_ipv4_apply is the same work for kernel callers (the DHCP
 * client, netconfig_dhcp.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/syscall.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/route.h>
#include <netinet/in.h>
#include <rump/rump.h>

#include "net_private.h"

/* Interface names and addresses are the caller's strings: copied in. */
#define NC_STRMAX	32

struct netconfig_args {
	char	ifname[IFNAMSIZ];
	char	addr[NC_STRMAX];
	char	mask[NC_STRMAX];
};

static int
nc_copystr(char *dst, const char *src, size_t size)
{
	if (src == NULL)
		return EFAULT;
	if (strlcpy(dst, src, size) >= size)
		return EINVAL;
	return 0;
}

static int
nc_ifcreate(void *arg)
{
	struct netconfig_args *a = arg;

	return if_clone_create(a->ifname);
}

static int
nc_ifdestroy(void *arg)
{
	struct netconfig_args *a = arg;

	return if_clone_destroy(a->ifname);
}

static int
nc_ifup(void *arg)
{
	struct netconfig_args *a = arg;
	struct in_ifaddr *ia;
	struct ifnet *ifp;
	int error = 0;

	NET_LOCK();
	ifp = if_find(a->ifname);
	if (ifp == NULL) {
		error = ENXIO;
	} else if (!(ifp->if_flags & IFF_UP)) {
		if_up(ifp);
		/* Addresses given while down were not announced: do it now
		 * (a re-created interface has a new MAC address). */
		if (ifp->if_type == IFT_ETHER) {
			TAILQ_FOREACH(ia, &ifp->if_addrlist, ia_ifentry)
				arp_announce(ifp, ia->ia_addr);
		}
	}
	NET_UNLOCK();
	return error;
}

static int
nc_ifaddr(void *arg)
{
	struct netconfig_args *a = arg;
	struct in_addr addr, mask;
	struct ifnet *ifp;
	int error;

	if (!in_aton(a->addr, &addr) || !in_aton(a->mask, &mask) ||
	    rt_mask_plen(mask) < 0)
		return EINVAL;
	NET_LOCK();
	ifp = if_find(a->ifname);
	if (ifp == NULL)
		error = ENXIO;
	else
		error = in_ifaddr_add(ifp, addr, mask);
	NET_UNLOCK();
	return error;
}

/* Make gw the default route, replacing any (net_lock held). */
static int
nc_set_default_gw(struct in_addr gw)
{
	struct in_addr any = { INADDR_ANY };

	NET_ASSERT_LOCKED();
	(void)rt_delete(any, any);	/* there may be none */
	return rt_add(any, any, gw, NULL, RTF_GATEWAY | RTF_STATIC);
}

static int
nc_gw(void *arg)
{
	struct netconfig_args *a = arg;
	struct in_addr gw;
	int error;

	if (!in_aton(a->addr, &gw))
		return EINVAL;
	NET_LOCK();
	error = nc_set_default_gw(gw);
	NET_UNLOCK();
	return error;
}

/*
 * ifcreate: "virt<N>" makes a virtual interface whose host side the
 * hypervisor's configuration names (rumpvif.h); EEXIST if it exists,
 * EINVAL for a name no cloner knows, the host's error (ENOENT: not
 * configured) otherwise.
 */
int
rump_pub_netconfig_ifcreate(const char *ifname)
{
	struct netconfig_args a;
	int error;

	memset(&a, 0, sizeof(a));
	error = nc_copystr(a.ifname, ifname, sizeof(a.ifname));
	if (error != 0)
		return error;
	return rump_gate(nc_ifcreate, &a);
}

/* ifdestroy: ENXIO (no such interface), EPERM (lo0), EOPNOTSUPP (an
 * interface not made by ifcreate). */
int
rump_pub_netconfig_ifdestroy(const char *ifname)
{
	struct netconfig_args a;
	int error;

	memset(&a, 0, sizeof(a));
	error = nc_copystr(a.ifname, ifname, sizeof(a.ifname));
	if (error != 0)
		return error;
	return rump_gate(nc_ifdestroy, &a);
}

int
netconfig_ipv4_apply(struct ifnet *ifp, struct in_addr addr,
    struct in_addr mask, struct in_addr gw)
{
	int error;

	NET_ASSERT_LOCKED();
	error = in_ifaddr_add(ifp, addr, mask);
	if (error != 0)
		return error;
	if (gw.s_addr == INADDR_ANY)
		return 0;
	error = nc_set_default_gw(gw);
	if (error != 0)
		goto err_del_addr;
	return 0;

err_del_addr:
	(void)in_ifaddr_del(ifp, addr);	/* just added: cannot be gone */
	return error;
}

int
rump_pub_netconfig_ifup(const char *ifname)
{
	struct netconfig_args a;
	int error;

	memset(&a, 0, sizeof(a));
	error = nc_copystr(a.ifname, ifname, sizeof(a.ifname));
	if (error != 0)
		return error;
	return rump_gate(nc_ifup, &a);
}

int
rump_pub_netconfig_ipv4_ifaddr(const char *ifname, const char *addr,
    const char *mask)
{
	struct netconfig_args a;
	int error;

	memset(&a, 0, sizeof(a));
	error = nc_copystr(a.ifname, ifname, sizeof(a.ifname));
	if (error == 0)
		error = nc_copystr(a.addr, addr, sizeof(a.addr));
	if (error == 0)
		error = nc_copystr(a.mask, mask, sizeof(a.mask));
	if (error != 0)
		return error;
	return rump_gate(nc_ifaddr, &a);
}

int
rump_pub_netconfig_ipv4_gw(const char *gwaddr)
{
	struct netconfig_args a;
	int error;

	memset(&a, 0, sizeof(a));
	error = nc_copystr(a.addr, gwaddr, sizeof(a.addr));
	if (error != 0)
		return error;
	return rump_gate(nc_gw, &a);
}
