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
 *
 * With ping=<address> (a Linux address on the tap), module_init then
 * pings it count times (default 50) from the rump stack, 50 ms apart,
 * with a raw ICMP socket, and logs "rump_vifclient: ping <address>
 * median <us> us min <us> us n <replies>" (tests/guest/netlat.sh: the
 * rump -> Linux direction).  A failed ping run is logged, not fatal.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <rump/rump.h>

static char ifname[16] = "virt0";
static char addr[32] = "10.0.2.17";
static bool keep;
static char ping[32];
static int count = 50;

module_param_string(ifname, ifname, sizeof(ifname), 0444);
MODULE_PARM_DESC(ifname, "interface to create (configured in rump.ko vif=)");
module_param_string(addr, addr, sizeof(addr), 0444);
MODULE_PARM_DESC(addr, "IPv4 address of the interface (a /24)");
module_param(keep, bool, 0444);
MODULE_PARM_DESC(keep, "leave the interface for rump.ko's unload");
module_param_string(ping, ping, sizeof(ping), 0444);
MODULE_PARM_DESC(ping, "after up, ping this address and log the median");
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "pings for ping= (1..1000)");

#define VIFCLIENT_PINGLEN	64
#define VIFCLIENT_PING_ID	0x5aa5
#define VIFCLIENT_WAIT_MS	1000

/* The Internet checksum of p (even length), in host order. */
static u16 vifclient_cksum(const u8 *p, size_t len)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

static void vifclient_echo(u8 *req, int seq)
{
	u16 ck;

	memset(req, 0, VIFCLIENT_PINGLEN);
	req[0] = 8;			/* echo request */
	req[4] = VIFCLIENT_PING_ID >> 8;
	req[5] = VIFCLIENT_PING_ID & 0xff;
	req[6] = (u8)(seq >> 8);
	req[7] = (u8)seq;
	ck = vifclient_cksum(req, VIFCLIENT_PINGLEN);
	req[2] = (u8)(ck >> 8);
	req[3] = (u8)ck;
}

/* Is rep (IP header + ICMP, as a raw socket returns it) req's reply? */
static bool vifclient_is_reply(const u8 *rep, long n, const u8 *req)
{
	size_t hl;

	if (n < 20)
		return false;
	hl = (size_t)(rep[0] & 0x0f) * 4;
	return (size_t)n == hl + VIFCLIENT_PINGLEN && rep[9] == 1 &&
	    rep[hl] == 0 && memcmp(rep + hl + 4, req + 4,
	    VIFCLIENT_PINGLEN - 4) == 0;
}

/*
 * One echo on raw socket s: the round trip in ns, or 0 if no reply came
 * within VIFCLIENT_WAIT_MS.  Other ICMP on the socket is skipped.
 */
static u64 vifclient_echo_once(int s, const struct rump_sockaddr_in *to,
    int seq)
{
	u8 req[VIFCLIENT_PINGLEN], rep[256];
	struct rump_pollfd pfd;
	u64 t0, now;
	long n;

	vifclient_echo(req, seq);
	t0 = ktime_get_ns();
	if (rump_sys_sendto(s, req, sizeof(req), 0,
	    (const struct rump_sockaddr *)to, sizeof(*to)) != sizeof(req))
		return 0;
	for (;;) {
		now = ktime_get_ns();
		if (now - t0 >= VIFCLIENT_WAIT_MS * NSEC_PER_MSEC)
			return 0;
		pfd.fd = s;
		pfd.events = RUMP_POLLIN;
		pfd.revents = 0;
		if (rump_sys_poll(&pfd, 1, (int)(VIFCLIENT_WAIT_MS -
		    (now - t0) / NSEC_PER_MSEC)) != 1)
			return 0;
		n = rump_sys_recvfrom(s, rep, sizeof(rep), 0, NULL, NULL);
		if (n < 0)
			return 0;
		if (vifclient_is_reply(rep, n, req))
			return ktime_get_ns() - t0;
	}
}

static int vifclient_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

/*
 * ping= mode: count echoes to ping, the median logged; failures are
 * logged too (the interface stays up either way).  May sleep.
 */
static void vifclient_ping(void)
{
	struct rump_sockaddr_in to = {
		.sin_len = sizeof(to),
		.sin_family = RUMP_AF_INET,
	};
	u64 *rtt, med;
	int s, seq, got = 0;

	if (count < 1 || count > 1000 ||
	    !in4_pton(ping, -1, (u8 *)&to.sin_addr.s_addr, -1, NULL)) {
		pr_err("rump_vifclient: ping=%s count=%d: not an IPv4 "
		    "address and 1..1000 pings\n", ping, count);
		return;
	}
	rtt = kcalloc(count, sizeof(*rtt), GFP_KERNEL);
	if (rtt == NULL) {
		pr_err("rump_vifclient: ping: no memory\n");
		return;
	}
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_RAW, RUMP_IPPROTO_ICMP);
	if (s < 0) {
		pr_err("rump_vifclient: raw socket: error %d\n",
		    rump_errno());
		goto out_free;
	}
	for (seq = 1; seq <= count; seq++) {
		rtt[got] = vifclient_echo_once(s, &to, seq);
		if (rtt[got] != 0)
			got++;
		msleep(50);
	}
	if (rump_sys_close(s) != 0)
		pr_err("rump_vifclient: close of the raw socket: error %d\n",
		    rump_errno());
	if (got == 0) {
		pr_err("rump_vifclient: ping %s: no replies\n", ping);
		goto out_free;
	}
	sort(rtt, got, sizeof(*rtt), vifclient_cmp_u64, NULL);
	med = got % 2 ? rtt[got / 2] : (rtt[got / 2 - 1] + rtt[got / 2]) / 2;
	pr_info("rump_vifclient: ping %s median %llu us min %llu us n %d\n",
	    ping, med / NSEC_PER_USEC, rtt[0] / NSEC_PER_USEC, got);
out_free:
	kfree(rtt);
}

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
	if (ping[0] != '\0')
		vifclient_ping();
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
