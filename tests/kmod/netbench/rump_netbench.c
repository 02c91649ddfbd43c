// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_netbench.c: the rump-side TCP benchmark peer of `make bench`
 * (tests/guest/netbench.sh), a client module of rump.ko using only the
 * public rump API.  Its Linux-side counterpart is tests/bench/guest_nbench.c,
 * with the same roles and the same result lines, so both stacks are
 * measured by the same code shape.
 *
 * On insmod it creates `ifname` (rump.ko's vif= ties it to a tap) with
 * addr/24, brings it up and starts a kernel thread for `role`:
 *   sink    accept one connection on port, read to EOF
 *   source  connect to peer:port, send bytes (64 KiB writes), shut down
 *           the sending side, wait for the peer's close
 *   echo    accept one connection on port, echo until EOF
 *   rr      connect to peer:port, 1-byte request/response for seconds
 *   idle    nothing: the interface only (for ping)
 * and prints "rump_netbench: NBENCH <role> <count> <us>" when done, or
 * "rump_netbench: failed: ..." (the guest script waits for either).
 * rmmod joins the thread (a role still blocked gives up after its socket
 * timeouts, at most 30 s) and destroys the interface.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rump/rump.h>
#include <rump/rumpdefs.h>

static char *role = "idle";
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "sink, source, echo, rr or idle");
static char *ifname = "virt0";
module_param(ifname, charp, 0444);
MODULE_PARM_DESC(ifname, "rump interface to create");
static char *addr = "10.0.2.17";
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "its IPv4 address (/24)");
static char *peer = "10.0.2.2";
module_param(peer, charp, 0444);
MODULE_PARM_DESC(peer, "source, rr: the address to connect to");
static int port = 5001;
module_param(port, int, 0444);
MODULE_PARM_DESC(port, "TCP port");
static long bytes = 64 * 1024 * 1024;
module_param(bytes, long, 0444);
MODULE_PARM_DESC(bytes, "source: bytes to send");
static int seconds = 5;
module_param(seconds, int, 0444);
MODULE_PARM_DESC(seconds, "rr: how long");

#define NB_BUF		(64 * 1024)
#define NB_TIMEOUT_S	30

static struct task_struct *nb_thread;
static char *nb_buf;

static int nb_errno(void)
{
	int e = rump_errno();

	return e ? e : RUMP_EIO;
}

static int nb_sockaddr(const char *a, int p, struct rump_sockaddr_in *sin)
{
	unsigned int b[4];
	char tail;

	if (sscanf(a, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4 ||
	    b[0] > 255 || b[1] > 255 || b[2] > 255 || b[3] > 255)
		return RUMP_EINVAL;
	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = RUMP_AF_INET;
	sin->sin_port = cpu_to_be16((u16)p);
	sin->sin_addr.s_addr = cpu_to_be32(b[0] << 24 | b[1] << 16 |
	    b[2] << 8 | b[3]);
	return 0;
}

/* A TCP socket with timeouts (and TCP_NODELAY when nodelay). */
static int nb_socket(bool nodelay)
{
	struct rump_timeval tv = { .tv_sec = NB_TIMEOUT_S };
	int s, one = 1;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (s == -1)
		return -1;
	if (rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1 ||
	    rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_SNDTIMEO, &tv,
	    sizeof(tv)) == -1 ||
	    (nodelay && rump_sys_setsockopt(s, RUMP_IPPROTO_TCP,
	    RUMP_TCP_NODELAY, &one, sizeof(one)) == -1)) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

static int nb_accept(bool nodelay)
{
	struct rump_sockaddr_in sin;
	int ls, s, one = 1;

	nb_sockaddr("0.0.0.0", port, &sin);
	ls = nb_socket(false);
	if (ls == -1)
		return -1;
	if (rump_sys_setsockopt(ls, RUMP_SOL_SOCKET, RUMP_SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    rump_sys_bind(ls, (struct rump_sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 1) == -1) {
		rump_sys_close(ls);
		return -1;
	}
	s = rump_sys_accept(ls, NULL, NULL);
	rump_sys_close(ls);
	if (s != -1 && nodelay)
		rump_sys_setsockopt(s, RUMP_IPPROTO_TCP, RUMP_TCP_NODELAY,
		    &one, sizeof(one));
	return s;
}

static int nb_connect(bool nodelay)
{
	struct rump_sockaddr_in sin;
	int s;

	if (nb_sockaddr(peer, port, &sin) != 0)
		return -1;
	s = nb_socket(nodelay);
	if (s == -1)
		return -1;
	if (rump_sys_connect(s, (struct rump_sockaddr *)&sin,
	    sizeof(sin)) == -1) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

/* The role; *count and *us get its result.  0 or a rump errno. */
static int nb_run(long long *count, u64 *us)
{
	long long left = bytes, n = 0;
	rump_ssize_t rv = 0;
	u64 t0 = 0, end;
	char c = 'r';
	int s;

	if (strcmp(role, "sink") == 0 || strcmp(role, "echo") == 0)
		s = nb_accept(strcmp(role, "echo") == 0);
	else
		s = nb_connect(strcmp(role, "rr") == 0);
	if (s == -1)
		return nb_errno();
	if (strcmp(role, "sink") == 0) {
		while ((rv = rump_sys_read(s, nb_buf, NB_BUF)) > 0) {
			if (n == 0)
				t0 = ktime_get_ns();
			n += rv;
		}
	} else if (strcmp(role, "echo") == 0) {
		while ((rv = rump_sys_read(s, nb_buf, NB_BUF)) > 0 &&
		    rump_sys_write(s, nb_buf, rv) == rv)
			n++;
	} else if (strcmp(role, "source") == 0) {
		memset(nb_buf, 'x', NB_BUF);
		t0 = ktime_get_ns();
		while (left > 0 && (rv = rump_sys_write(s, nb_buf,
		    left < NB_BUF ? left : NB_BUF)) > 0)
			left -= rv;
		n = bytes - left;
		if (left == 0 && rump_sys_shutdown(s, RUMP_SHUT_WR) == 0)
			while ((rv = rump_sys_read(s, nb_buf, NB_BUF)) > 0)
				;
	} else {
		t0 = ktime_get_ns();
		end = t0 + (u64)seconds * NSEC_PER_SEC;
		do {
			if (rump_sys_write(s, &c, 1) != 1 ||
			    rump_sys_read(s, &c, 1) != 1) {
				rv = -1;
				break;
			}
			n++;
		} while (ktime_get_ns() < end);
	}
	if (rv == -1) {
		rv = nb_errno();
		rump_sys_close(s);
		return rv;
	}
	*us = (ktime_get_ns() - t0) / 1000;
	*count = n;
	rump_sys_close(s);
	return 0;
}

static int nb_main(void *arg)
{
	long long count = 0;
	u64 us = 0;
	int error;

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error == 0) {
		error = nb_run(&count, &us);
		rump_pub_lwproc_releaselwp();
	}
	if (error)
		pr_info("rump_netbench: failed: %s: error %d\n", role, error);
	else
		pr_info("rump_netbench: NBENCH %s %lld %llu\n", role, count,
		    (unsigned long long)us);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init nb_init(void)
{
	int error;

	if (strcmp(role, "sink") && strcmp(role, "source") &&
	    strcmp(role, "echo") && strcmp(role, "rr") &&
	    strcmp(role, "idle")) {
		pr_err("rump_netbench: role=%s: use sink, source, echo, rr "
		    "or idle\n", role);
		return -EINVAL;
	}
	if (port <= 0 || port > 65535 || bytes < 0 || seconds <= 0) {
		pr_err("rump_netbench: port, bytes or seconds out of range\n");
		return -EINVAL;
	}
	nb_buf = kvmalloc(NB_BUF, GFP_KERNEL);
	if (nb_buf == NULL)
		return -ENOMEM;
	error = rump_pub_netconfig_ifcreate(ifname);
	if (error)
		goto err_free;
	error = rump_pub_netconfig_ipv4_ifaddr(ifname, addr, "255.255.255.0");
	if (error == 0)
		error = rump_pub_netconfig_ifup(ifname);
	if (error)
		goto err_destroy;
	if (strcmp(role, "idle") != 0) {
		nb_thread = kthread_run(nb_main, NULL, "rump_netbench");
		if (IS_ERR(nb_thread)) {
			error = RUMP_ENOMEM;
			nb_thread = NULL;
			goto err_destroy;
		}
	}
	pr_info("rump_netbench: %s up at %s, role %s\n", ifname, addr, role);
	return 0;

err_destroy:
	rump_pub_netconfig_ifdestroy(ifname);
err_free:
	kvfree(nb_buf);
	pr_info("rump_netbench: setup failed: error %d\n", error);
	return -EIO;
}

static void __exit nb_exit(void)
{
	if (nb_thread != NULL)
		kthread_stop(nb_thread);
	if (rump_pub_netconfig_ifdestroy(ifname) != 0)
		pr_info("rump_netbench: ifdestroy %s failed\n", ifname);
	kvfree(nb_buf);
}

module_init(nb_init);
module_exit(nb_exit);

MODULE_DESCRIPTION("linux-rump benchmark peer: TCP bulk and request/response over the rump stack");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
