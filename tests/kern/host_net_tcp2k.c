/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_tcp2k.c: TCP between two rump kernels in two processes on the
 * virtual interface's host-local bus (hypervisor/posix/vif_bus.c),
 * through the public API only: a bulk transfer with a running content
 * check through a seeded lossy, duplicating and reordering bus (100 MB,
 * 10 MB under a sanitizer), 200 concurrent connections echoing, a refused
 * connection, half-close, a reset by SO_LINGER 0, and a connect that
 * times out once the peer's interface is gone.
 *
 * Usage: host_net_tcp2k [case]
 *
 * The harness is host_twokern.c (shared with host_net_vif.c): each case
 * forks two children, A (10.0.0.1) and B (10.0.0.2), each booting its
 * own rump kernel with virt0 on a fresh bus directory; they meet at
 * barriers over a socketpair, shut down, check that nothing leaked, and
 * report a failure reason to the parent through a pipe.  One line per case: `PASS: net_tcp2k.<case>`
 * or `FAIL: net_tcp2k.<case>: <why>`; `netvif:`-style timings on stderr.
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

#define NT2_PORT	6000
#define NT2_CHILD_SECS	300	/* a child that hangs is killed */
#define NT2_NCONN	200
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NT2_BULK	(10ull * 1024 * 1024)
#else
#define NT2_BULK	(100ull * 1024 * 1024)
#endif

/* ---- roles -------------------------------------------------------------- */

static uint64_t
nt2_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint8_t
nt2_byte(uint64_t off)
{
	return (uint8_t)((off * 2654435761u) >> 9);
}

static int
nt2_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	rump_ssize_t n;

	while (len > 0) {
		n = rump_sys_write(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
nt2_read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	rump_ssize_t n;

	while (len > 0) {
		n = rump_sys_read(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
nt2_listen(uint32_t addr, int backlog)
{
	struct rump_sockaddr_in sin = vu_sin(addr, NT2_PORT);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (rump_sys_bind(s, VU_SA(&sin), sizeof(sin)) != 0 ||
	    rump_sys_listen(s, backlog) != 0) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

static int
nt2_connect(uint32_t addr)
{
	struct rump_sockaddr_in sin = vu_sin(addr, NT2_PORT);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (rump_sys_connect(s, VU_SA(&sin), sizeof(sin)) != 0) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

/* A receives the bulk stream, checks every byte, answers with the count. */
static void
bulk_a(struct nv_peer *p)
{
	static uint8_t buf[65536];
	uint64_t off = 0, t0 = 0;
	rump_ssize_t n, i;
	int l, s;

	l = nt2_listen(p->np_self, 5);
	VU_REQUIRE(l >= 0);
	nv_barrier(p);
	s = rump_sys_accept(l, NULL, NULL);
	VU_REQUIRE(s >= 0);
	t0 = nt2_now_ns();
	for (;;) {
		n = rump_sys_read(s, buf, sizeof(buf) - (size_t)(off % 1009));
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != nt2_byte(off + (uint64_t)i)) {
				VU_CHECK(!"a received byte differs");
				break;
			}
		}
		off += (uint64_t)n;
		if (vu_failed)
			break;
	}
	VU_CHECK(n == 0);
	VU_CHECK(off == NT2_BULK);
	fprintf(stderr, "net_tcp2k: %llu MB over the lossy bus in %.1f s: "
	    "%.1f MB/s\n", (unsigned long long)(off >> 20),
	    (double)(nt2_now_ns() - t0) / 1e9,
	    (double)off / 1048576.0 / ((double)(nt2_now_ns() - t0) / 1e9));
	VU_CHECK(nt2_write_all(s, &off, sizeof(off)) == 0);
	rump_sys_close(s);
	rump_sys_close(l);
	nv_barrier(p);
}

static void
bulk_b(struct nv_peer *p)
{
	static uint8_t buf[65536];
	uint64_t off = 0, echo = 0;
	size_t n, i;
	int s;

	nv_barrier(p);
	s = nt2_connect(p->np_peer);
	VU_REQUIRE(s >= 0);
	while (off < NT2_BULK && !vu_failed) {
		n = (size_t)(NT2_BULK - off < sizeof(buf) - off % 4093 ?
		    NT2_BULK - off : sizeof(buf) - off % 4093);
		for (i = 0; i < n; i++)
			buf[i] = nt2_byte(off + i);
		VU_REQUIRE(nt2_write_all(s, buf, n) == 0);
		off += n;
	}
	VU_CHECK(rump_sys_shutdown(s, RUMP_SHUT_WR) == 0);
	VU_CHECK(nt2_read_all(s, &echo, sizeof(echo)) == 0 &&
	    echo == NT2_BULK);
	rump_sys_close(s);
	nv_barrier(p);
}

struct nt2_many {
	int	listener;
	int	fds[NT2_NCONN];
};

static void *
nt2_many_server(void *arg)
{
	struct nt2_many *m = arg;
	char buf[1000];
	int i;

	for (i = 0; i < NT2_NCONN && !vu_failed; i++) {
		m->fds[i] = rump_sys_accept(m->listener, NULL, NULL);
		VU_CHECK(m->fds[i] >= 0);
	}
	for (i = 0; i < NT2_NCONN && !vu_failed; i++) {
		VU_CHECK(nt2_read_all(m->fds[i], buf, sizeof(buf)) == 0);
		VU_CHECK(nt2_write_all(m->fds[i], buf, sizeof(buf)) == 0);
	}
	return NULL;
}

/* A accepts 200 connections and echoes each; B opens them all first. */
static void
many_a(struct nv_peer *p)
{
	static struct nt2_many m;
	pthread_t th;
	int i;

	memset(&m, 0xff, sizeof(m));
	m.listener = nt2_listen(p->np_self, RUMP_SOMAXCONN);
	VU_REQUIRE(m.listener >= 0);
	VU_REQUIRE(pthread_create(&th, NULL, nt2_many_server, &m) == 0);
	nv_barrier(p);
	pthread_join(th, NULL);
	nv_barrier(p);
	for (i = 0; i < NT2_NCONN; i++)
		if (m.fds[i] >= 0)
			rump_sys_close(m.fds[i]);
	rump_sys_close(m.listener);
}

static void
many_b(struct nv_peer *p)
{
	static int c[NT2_NCONN];
	char buf[1000], got[1000];
	uint64_t t0;
	int i, n;

	nv_barrier(p);
	t0 = nt2_now_ns();
	for (n = 0; n < NT2_NCONN; n++) {
		c[n] = nt2_connect(p->np_peer);
		VU_CHECK(c[n] >= 0);
		if (c[n] < 0)
			break;
	}
	for (i = 0; i < n && !vu_failed; i++) {
		memset(buf, 'a' + i % 26, sizeof(buf));
		buf[0] = (char)i;
		VU_CHECK(nt2_write_all(c[i], buf, sizeof(buf)) == 0);
	}
	for (i = 0; i < n && !vu_failed; i++) {
		memset(buf, 'a' + i % 26, sizeof(buf));
		buf[0] = (char)i;
		VU_CHECK(nt2_read_all(c[i], got, sizeof(got)) == 0 &&
		    memcmp(got, buf, sizeof(buf)) == 0);
	}
	fprintf(stderr, "net_tcp2k: %d connections set up and echoed in "
	    "%.0f ms\n", n, (double)(nt2_now_ns() - t0) / 1e6);
	nv_barrier(p);
	for (i = 0; i < n; i++)
		rump_sys_close(c[i]);
}

/* Refusal: B connects to a port A does not listen on. */
static void
refused_a(struct nv_peer *p)
{
	nv_barrier(p);		/* B may go */
	nv_barrier(p);		/* B is done */
}

static void
refused_b(struct nv_peer *p)
{
	nv_barrier(p);
	VU_CHECK(nt2_connect(p->np_peer) == -1 &&
	    rump_errno() == RUMP_ECONNREFUSED);
	nv_barrier(p);
}

/* Half-close: B sends and shuts down its side; A reads to EOF, then
 * still answers; B reads the answer and A's EOF. */
static void
half_close_a(struct nv_peer *p)
{
	static uint8_t buf[4096];
	size_t got = 0;
	rump_ssize_t n;
	int l, s;

	l = nt2_listen(p->np_self, 1);
	VU_REQUIRE(l >= 0);
	nv_barrier(p);
	s = rump_sys_accept(l, NULL, NULL);
	rump_sys_close(l);
	VU_REQUIRE(s >= 0);
	while ((n = rump_sys_read(s, buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	VU_CHECK(n == 0 && got == 3000);	/* EOF after all of it */
	VU_CHECK(nt2_write_all(s, "reply", 5) == 0);
	VU_CHECK(rump_sys_close(s) == 0);
}

static void
half_close_b(struct nv_peer *p)
{
	static uint8_t buf[3000];
	char in[8];
	int s;

	nv_barrier(p);
	s = nt2_connect(p->np_peer);
	VU_REQUIRE(s >= 0);
	VU_CHECK(nt2_write_all(s, buf, sizeof(buf)) == 0);
	VU_CHECK(rump_sys_shutdown(s, RUMP_SHUT_WR) == 0);
	VU_CHECK(nt2_read_all(s, in, 5) == 0 && memcmp(in, "reply", 5) == 0);
	VU_CHECK(rump_sys_read(s, in, sizeof(in)) == 0);
	VU_CHECK(rump_sys_close(s) == 0);
}

/* RST: A closes with SO_LINGER 0; B's read gets ECONNRESET. */
static void
rst_a(struct nv_peer *p)
{
	struct rump_linger lg = { 1, 0 };
	int l, s;

	l = nt2_listen(p->np_self, 1);
	VU_REQUIRE(l >= 0);
	nv_barrier(p);
	s = rump_sys_accept(l, NULL, NULL);
	rump_sys_close(l);
	VU_REQUIRE(s >= 0);
	VU_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_LINGER, &lg,
	    sizeof(lg)) == 0);
	VU_CHECK(rump_sys_close(s) == 0);
	nv_barrier(p);		/* the RST is on its way */
}

static void
rst_b(struct nv_peer *p)
{
	char buf[16];
	int s;

	nv_barrier(p);
	s = nt2_connect(p->np_peer);
	VU_REQUIRE(s >= 0);
	nv_barrier(p);
	VU_CHECK(vu_wait_readable(s, 5000) == 1);
	VU_CHECK(rump_sys_read(s, buf, sizeof(buf)) == -1 &&
	    rump_errno() == RUMP_ECONNRESET);
	rump_sys_close(s);
}

/*
 * Connect timeout: A reaches B once (ARP resolved), then B's interface
 * goes away and A's SYNs fall into the void: ETIMEDOUT after the
 * connection-establishment timer (TCP_KEEPINIT, 1 s here).
 */
static void
timeout_a(struct nv_peer *p)
{
	struct rump_sockaddr_in sin = vu_sin(p->np_peer, NT2_PORT);
	uint64_t t0, ms;
	int s, one = 1;

	nv_barrier(p);		/* B listens */
	s = nt2_connect(p->np_peer);
	VU_CHECK(s >= 0);
	if (s >= 0)
		rump_sys_close(s);
	nv_barrier(p);		/* B may destroy virt0 */
	nv_barrier(p);		/* it has */
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	VU_REQUIRE(s >= 0);
	VU_CHECK(rump_sys_setsockopt(s, RUMP_IPPROTO_TCP, RUMP_TCP_KEEPINIT,
	    &one, sizeof(one)) == 0);
	t0 = nt2_now_ns();
	VU_CHECK(rump_sys_connect(s, VU_SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_ETIMEDOUT);
	ms = (nt2_now_ns() - t0) / 1000000;
	VU_CHECK(ms >= 900);
	rump_sys_close(s);
	nv_barrier(p);		/* B may shut down */
}

static void
timeout_b(struct nv_peer *p)
{
	int l, s;

	l = nt2_listen(p->np_self, 1);
	VU_REQUIRE(l >= 0);
	nv_barrier(p);
	s = rump_sys_accept(l, NULL, NULL);
	if (s >= 0)
		rump_sys_close(s);
	rump_sys_close(l);
	nv_barrier(p);
	VU_CHECK(rump_pub_netconfig_ifdestroy("virt0") == 0);
	nv_barrier(p);
	nv_barrier(p);
}

/* ---- the cases (harness: host_twokern.c) -------------------------------- */

static const struct nv_case nv_cases[] = {
	{ "bulk_through_lossy_dup_reorder_bus",
	  "loss=1,dup=1,reorder=2,seed=11", { bulk_a, bulk_b }, 0 },
	{ "200_concurrent_connections", NULL, { many_a, many_b }, 0 },
	{ "connection_refused", NULL, { refused_a, refused_b }, 0 },
	{ "half_close", NULL, { half_close_a, half_close_b }, 0 },
	{ "linger_zero_resets_the_peer", NULL, { rst_a, rst_b }, 0 },
	{ "connect_times_out_when_the_peer_vanishes", NULL,
	  { timeout_a, timeout_b }, 0 },
};

int
main(int argc, char **argv)
{
	return nv_main("net_tcp2k", nv_cases,
	    sizeof(nv_cases) / sizeof(nv_cases[0]), NT2_CHILD_SECS, argc, argv);
}
