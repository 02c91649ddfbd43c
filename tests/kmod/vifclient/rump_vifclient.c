// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_vifclient.c: a client module that puts the rump stack on a tap,
 * for the guest tests of the virtual interface (tests/guest/net.sh).
 *
 * Loaded after `insmod rump.ko vif=virt0:tap:rumptap0`.  module_init
 * creates the interface (rump_pub_netconfig_ifcreate), gives it
 * addr/24 and brings it up, then the guest's Linux pings the rump stack
 * through the tap; module_exit destroys it (rump_pub_netconfig_ifdestroy)
 * unless keep=1, which leaves it to rmmod rump (the virtif component's
 * shutdown).  Logs "rump_vifclient: up ..." and "rump_vifclient: down".
 * The public API is the only way in: this is how a client configures the
 * stack.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <rump/rump.h>

static char ifname[16] = "virt0";
static char addr[32] = "10.0.2.17";
static bool keep;

module_param_string(ifname, ifname, sizeof(ifname), 0444);
MODULE_PARM_DESC(ifname, "interface to create (configured in rump.ko vif=)");
module_param_string(addr, addr, sizeof(addr), 0444);
MODULE_PARM_DESC(addr, "IPv4 address of the interface (a /24)");
module_param(keep, bool, 0444);
MODULE_PARM_DESC(keep, "leave the interface for rump.ko's unload");

static int __init rump_vifclient_init(void)
{
	int err;

	err = rump_pub_netconfig_ifcreate(ifname);
	if (err) {
		pr_err("rump_vifclient: ifcreate %s: error %d\n", ifname, err);
		return -EIO;
	}
	err = rump_pub_netconfig_ipv4_ifaddr(ifname, addr, "255.255.255.0");
	if (err) {
		pr_err("rump_vifclient: %s %s/24: error %d\n", ifname, addr,
		    err);
		goto err_destroy;
	}
	err = rump_pub_netconfig_ifup(ifname);
	if (err) {
		pr_err("rump_vifclient: ifup %s: error %d\n", ifname, err);
		goto err_destroy;
	}
	pr_info("rump_vifclient: up %s %s/24\n", ifname, addr);
	return 0;

err_destroy:
	err = rump_pub_netconfig_ifdestroy(ifname);
	if (err)
		pr_err("rump_vifclient: ifdestroy %s: error %d\n", ifname,
		    err);
	return -EIO;
}

static void __exit rump_vifclient_exit(void)
{
	int err;

	if (!keep) {
		err = rump_pub_netconfig_ifdestroy(ifname);
		if (err)
			pr_err("rump_vifclient: ifdestroy %s: error %d\n",
			    ifname, err);
	}
	pr_info("rump_vifclient: down%s\n", keep ? " (interface kept)" : "");
}

module_init(rump_vifclient_init);
module_exit(rump_vifclient_exit);

MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
MODULE_DESCRIPTION("virtual interface test client of rump.ko");
