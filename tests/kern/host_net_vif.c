/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_vif.c: two rump kernels in two processes on the virtual
 * interface's host-local bus (hypervisor/posix/vif_bus.c), through the
 * public API only.
 *
 * Usage: host_net_vif [case]
 *
 * Each case forks two children, A (10.0.0.1) and B (10.0.0.2); each boots
 * its own rump kernel with virt0 on the same fresh bus directory
 * (RUMP_VIF_virt0=bus:<dir>[,impairments]), runs its role, shuts down and
 * checks that nothing leaked (hypervisor counters, kmem).  The children
 * meet at barriers over a socketpair and report a failure reason to the
 * parent through a pipe.  One line per case: `PASS: netvif.<case>` or
 * `FAIL: netvif.<case>: <why>`; exit 1 if any failed.
 */
#include <errno.h>
#include <stdint.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_twokern.h"

#define NV_PORT		5000
#define NV_CHILD_SECS	90	/* a child that hangs is killed */

/* ---- roles -------------------------------------------------------------- */

/* A pings B: ARP resolves, every echo is answered. */
static void
ping_a(struct nv_peer *p)
{
	double rtt[10];
	int got;

	nv_barrier(p);
	got = vu_ping(p->np_peer, 10, 2000, rtt);
	VU_CHECK(got == 10);
	fprintf(stderr, "netvif: ping over the bus: median %.0f us\n",
	    vu_median(rtt, 10));
	nv_barrier(p);
}

static void
wait_b(struct nv_peer *p)
{
	nv_barrier(p);
	nv_barrier(p);
}

/* A sends datagrams of many sizes (some fragmented), B echoes them. */
static void
udp_a(struct nv_peer *p)
{
	static uint8_t out[9000], in[9000];
	struct rump_sockaddr_in to = vu_sin(p->np_peer, NV_PORT);
	size_t len;
	rump_ssize_t n;
	int s, i;

	s = vu_udp_bound(p->np_self, NV_PORT);
	VU_REQUIRE(s >= 0);
	nv_barrier(p);
	for (i = 0; i < 200 && !vu_failed; i++) {
		len = i % 20 == 19 ? 3000 + (size_t)i * 20 : (size_t)(i * 97) % 1473;
		vu_fill(out, len, (unsigned)i);
		n = rump_sys_sendto(s, out, len, 0, VU_SA(&to), sizeof(to));
		VU_REQUIRE(n == (rump_ssize_t)len);
		VU_REQUIRE(vu_wait_readable(s, 5000) == 1);
		n = rump_sys_recvfrom(s, in, sizeof(in), 0, NULL, NULL);
		VU_REQUIRE(n == (rump_ssize_t)len);
		VU_REQUIRE(memcmp(in, out, len) == 0);
	}
	rump_sys_close(s);
	nv_barrier(p);
}

static void
udp_b(struct nv_peer *p)
{
	static uint8_t buf[9000];
	struct rump_sockaddr_in from;
	rump_socklen_t flen;
	rump_ssize_t n;
	int s, i;

	s = vu_udp_bound(p->np_self, NV_PORT);
	VU_REQUIRE(s >= 0);
	nv_barrier(p);
	for (i = 0; i < 200 && !vu_failed; i++) {
		VU_REQUIRE(vu_wait_readable(s, 5000) == 1);
		flen = sizeof(from);
		n = rump_sys_recvfrom(s, buf, sizeof(buf), 0, VU_SA(&from),
		    &flen);
		VU_REQUIRE(n >= 0);
		VU_REQUIRE(from.sin_addr.s_addr ==
		    __builtin_bswap32(p->np_peer));
		VU_REQUIRE(rump_sys_sendto(s, buf, (size_t)n, 0, VU_SA(&from),
		    flen) == n);
	}
	rump_sys_close(s);
	nv_barrier(p);
}

/*
 * Over a lossy, duplicating, reordering bus: A sends a burst of 400
 * numbered datagrams; B sees some lost, some twice, some out of order,
 * and every one it gets intact.  The sender's impairment counters moved.
 * Then ping still works (with retries: the bus stays lossy).
 */
#define NV_BURST	400
static void
lossy_a(struct nv_peer *p)
{
	struct rump_sockaddr_in to = vu_sin(p->np_peer, NV_PORT);
	struct rumphyp_vif_stats s0, s1;
	struct timespec pace = { 0, 200000 };
	uint8_t out[600];
	int s, i, got;

	s = vu_udp_bound(p->np_self, NV_PORT);
	VU_REQUIRE(s >= 0);
	/* ARP first (retried: the bus loses frames). */
	got = vu_ping(p->np_peer, 5, 1000, NULL);
	VU_REQUIRE(got >= 1);
	nv_barrier(p);
	rumphyp_vif_stats(&s0);
	for (i = 0; i < NV_BURST && !vu_failed; i++) {
		vu_fill(out, sizeof(out), (unsigned)i);
		out[0] = (uint8_t)(i >> 8);
		out[1] = (uint8_t)i;
		VU_REQUIRE(rump_sys_sendto(s, out, sizeof(out), 0, VU_SA(&to),
		    sizeof(to)) == sizeof(out));
		nanosleep(&pace, NULL);
	}
	rumphyp_vif_stats(&s1);
	VU_CHECK(s1.bus_lost > s0.bus_lost);
	VU_CHECK(s1.bus_duplicated > s0.bus_duplicated);
	VU_CHECK(s1.bus_reordered > s0.bus_reordered);
	fprintf(stderr, "netvif: lossy burst: sender lost %ld, duplicated "
	    "%ld, reordered %ld\n", s1.bus_lost - s0.bus_lost,
	    s1.bus_duplicated - s0.bus_duplicated,
	    s1.bus_reordered - s0.bus_reordered);
	nv_barrier(p);
	got = vu_ping(p->np_peer, 10, 1000, NULL);
	VU_CHECK(got >= 5);
	rump_sys_close(s);
	nv_barrier(p);
}

static void
lossy_b(struct nv_peer *p)
{
	static uint8_t seen[NV_BURST];
	uint8_t in[2000], want[600];
	int s, seq, last = -1, distinct = 0, dups = 0, late = 0;
	rump_ssize_t n;

	s = vu_udp_bound(p->np_self, NV_PORT);
	VU_REQUIRE(s >= 0);
	nv_barrier(p);
	while (vu_wait_readable(s, 1500) == 1) {
		n = rump_sys_recvfrom(s, in, sizeof(in), 0, NULL, NULL);
		VU_REQUIRE(n == (rump_ssize_t)sizeof(want));
		seq = in[0] << 8 | in[1];
		VU_REQUIRE(seq < NV_BURST);
		vu_fill(want, sizeof(want), (unsigned)seq);
		VU_REQUIRE(memcmp(in + 2, want + 2, sizeof(want) - 2) == 0);
		if (seen[seq]++)
			dups++;
		else
			distinct++;
		if (seq < last)
			late++;
		last = seq;
	}
	fprintf(stderr, "netvif: lossy burst: receiver got %d of %d, %d "
	    "twice, %d out of order\n", distinct, NV_BURST, dups, late);
	VU_CHECK(distinct < NV_BURST && distinct > NV_BURST / 2);
	VU_CHECK(dups > 0);
	VU_CHECK(late > 0);
	nv_barrier(p);
	rump_sys_close(s);
	nv_barrier(p);
}

/* A thread that sends datagrams until told to stop. */
struct nv_flood {
	uint32_t	nf_dst;
	volatile int	nf_stop;
	long		nf_sent, nf_errors;
};

static void *
nv_flood_main(void *arg)
{
	struct nv_flood *f = arg;
	struct rump_sockaddr_in to = vu_sin(f->nf_dst, NV_PORT + 1);
	uint8_t buf[1000];
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	if (s < 0)
		return NULL;
	memset(buf, 0x33, sizeof(buf));
	while (!__atomic_load_n(&f->nf_stop, __ATOMIC_ACQUIRE)) {
		if (rump_sys_sendto(s, buf, sizeof(buf), 0, VU_SA(&to),
		    sizeof(to)) == sizeof(buf))
			f->nf_sent++;
		else
			f->nf_errors++;
	}
	rump_sys_close(s);
	return NULL;
}

/*
 * Both flood each other; A destroys virt0 in the middle of it, then
 * makes it again and pings B: no crash, no leak, and the new interface
 * works.
 */
static void
destroy_a(struct nv_peer *p)
{
	struct timespec t = { 0, 300000000 };
	struct nv_flood f = { .nf_dst = p->np_peer };
	pthread_t th;
	char addr[32];
	int rx, got;

	rx = vu_udp_bound(p->np_self, NV_PORT + 1);
	VU_REQUIRE(rx >= 0);
	nv_barrier(p);
	VU_REQUIRE(pthread_create(&th, NULL, nv_flood_main, &f) == 0);
	nanosleep(&t, NULL);
	VU_CHECK(rump_pub_netconfig_ifdestroy("virt0") == 0);
	nanosleep(&t, NULL);
	__atomic_store_n(&f.nf_stop, 1, __ATOMIC_RELEASE);
	VU_CHECK(pthread_join(th, NULL) == 0);
	VU_CHECK(f.nf_sent > 0 && f.nf_errors > 0);
	fprintf(stderr, "netvif: destroy under traffic: %ld sent before, "
	    "%ld refused after\n", f.nf_sent, f.nf_errors);
	snprintf(addr, sizeof(addr), "10.0.0.%u", p->np_self & 0xff);
	VU_REQUIRE(rump_pub_netconfig_ifcreate("virt0") == 0);
	VU_REQUIRE(rump_pub_netconfig_ipv4_ifaddr("virt0", addr,
	    "255.255.255.0") == 0);
	VU_REQUIRE(rump_pub_netconfig_ifup("virt0") == 0);
	got = vu_ping(p->np_peer, 5, 2000, NULL);
	VU_CHECK(got == 5);
	rump_sys_close(rx);
	nv_barrier(p);
}

static void
destroy_b(struct nv_peer *p)
{
	struct timespec t = { 0, 600000000 };
	struct nv_flood f = { .nf_dst = p->np_peer };
	pthread_t th;
	int rx;

	rx = vu_udp_bound(p->np_self, NV_PORT + 1);
	VU_REQUIRE(rx >= 0);
	nv_barrier(p);
	VU_REQUIRE(pthread_create(&th, NULL, nv_flood_main, &f) == 0);
	nanosleep(&t, NULL);
	__atomic_store_n(&f.nf_stop, 1, __ATOMIC_RELEASE);
	VU_CHECK(pthread_join(th, NULL) == 0);
	VU_CHECK(f.nf_sent > 0);
	rump_sys_close(rx);	/* with whatever it queued */
	nv_barrier(p);
}

/* Errors of ifcreate/ifdestroy; one kernel, no peer. */
static void
config_errors(struct nv_peer *p)
{
	(void)p;
	VU_REQUIRE(rump_init() == 0);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt7") == RUMP_ENOENT);
	VU_CHECK(rump_pub_netconfig_ifcreate("foo0") == RUMP_EINVAL);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt") == RUMP_EINVAL);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt01") == RUMP_EINVAL);
	VU_CHECK(setenv("RUMP_VIF_virt3", "bogus:x", 1) == 0);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt3") == RUMP_EINVAL);
	VU_CHECK(setenv("RUMP_VIF_virt4", "bus:/tmp/x,loss=101", 1) == 0);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt4") == RUMP_EINVAL);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt0") == 0);
	VU_CHECK(rump_pub_netconfig_ifcreate("virt0") == RUMP_EEXIST);
	VU_CHECK(rump_pub_netconfig_ifdestroy("lo0") == RUMP_EPERM);
	VU_CHECK(rump_pub_netconfig_ifdestroy("virt5") == RUMP_ENXIO);
	VU_CHECK(rump_pub_netconfig_ifdestroy("virt0") == 0);
	VU_CHECK(rump_pub_netconfig_ifdestroy("virt0") == RUMP_ENXIO);
	VU_CHECK(rump_pub_netconfig_ifup("virt0") == RUMP_ENXIO);
	/* lo0 still works after the refused destroy. */
	VU_CHECK(vu_ping(0x7f000001, 2, 2000, NULL) == 2);
	/* One left for rump_shutdown to destroy. */
	VU_CHECK(rump_pub_netconfig_ifcreate("virt0") == 0);
	VU_CHECK(rump_pub_netconfig_ifup("virt0") == 0);
}

/* ---- the cases (harness: host_twokern.c) -------------------------------- */

static const struct nv_case nv_cases[] = {
	{ "arp_resolves_and_icmp_echo_replies", NULL, { ping_a, wait_b }, 0 },
	{ "udp_both_ways_content_checked", NULL, { udp_a, udp_b }, 0 },
	{ "lossy_dup_reorder_bus_burst", "loss=10,dup=10,reorder=10,seed=42",
	  { lossy_a, lossy_b }, 0 },
	{ "ifdestroy_during_traffic_then_recreate", NULL,
	  { destroy_a, destroy_b }, 0 },
	{ "ifcreate_ifdestroy_errors", NULL, { config_errors, NULL }, 1 },
};

int
main(int argc, char **argv)
{
	return nv_main("netvif", nv_cases,
	    sizeof(nv_cases) / sizeof(nv_cases[0]), NV_CHILD_SECS, argc, argv);
}
