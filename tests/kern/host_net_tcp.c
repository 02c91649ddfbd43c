/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_tcp.c: userspace tests of TCP and stream sockets through the
 * public API only (rump_sys_socket, listen, accept, connect, read/write,
 * send/recv, shutdown, close, poll, options), over lo0.
 *
 * Usage: host_net_tcp [case]
 *
 * Every case runs on a fresh rump kernel and is leak-checked after
 * rump_shutdown (hypervisor live objects and kernel kmem leaks zero), so
 * connections left in TIME_WAIT or half open are reclaimed by shutdown.
 * One line per case: `PASS: net_tcp.<case>` or
 * `FAIL: net_tcp.<case>: <why>`; `# ...` lines report timings.  Exit 1 if
 * any case failed.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_clean.h"
#include "ktest_host.h"

static char nt_msg[512];
static volatile int nt_failed;
static pthread_mutex_t nt_lock = PTHREAD_MUTEX_INITIALIZER;

static void
nt_fail(const char *file, int line, const char *what)
{
	pthread_mutex_lock(&nt_lock);
	if (!nt_failed) {
		nt_failed = 1;
		snprintf(nt_msg, sizeof(nt_msg), "%s:%d: %s (errno %d)", file,
		    line, what, rump_errno());
	}
	pthread_mutex_unlock(&nt_lock);
}

#define NT_CHECK(cond) do {						\
	if (!(cond))							\
		nt_fail(__FILE__, __LINE__, #cond);			\
} while (0)
#define NT_REQUIRE(cond) do {						\
	NT_CHECK(cond);							\
	if (nt_failed)							\
		return;							\
} while (0)
#define NT_REQUIRE_NULL(cond) do {					\
	NT_CHECK(cond);							\
	if (nt_failed)							\
		return NULL;						\
} while (0)

#define SA(p)	((struct rump_sockaddr *)(p))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define LO	RUMP_INADDR_LOOPBACK

static struct rump_sockaddr_in
nt_sin(uint32_t host_addr, uint16_t port)
{
	struct rump_sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = RUMP_AF_INET;
	sin.sin_port = __builtin_bswap16(port);
	sin.sin_addr.s_addr = __builtin_bswap32(host_addr);
	return sin;
}

static uint64_t
nt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
nt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A listening socket on 127.0.0.1:port. */
static int
nt_listener(uint16_t port, int backlog)
{
	struct rump_sockaddr_in sin = nt_sin(LO, port);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (rump_sys_bind(s, SA(&sin), sizeof(sin)) != 0 ||
	    rump_sys_listen(s, backlog) != 0) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

static int
nt_connect(uint32_t addr, uint16_t port)
{
	struct rump_sockaddr_in sin = nt_sin(addr, port);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	if (rump_sys_connect(s, SA(&sin), sizeof(sin)) != 0) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

/* Connected pair over lo0: *cp the client, *sp the accepted side. */
static int
nt_pair(uint16_t port, int *cp, int *sp)
{
	int l, c, s;

	l = nt_listener(port, 5);
	if (l < 0)
		return -1;
	c = nt_connect(LO, port);
	s = c >= 0 ? rump_sys_accept(l, NULL, NULL) : -1;
	rump_sys_close(l);
	if (c < 0 || s < 0) {
		if (c >= 0)
			rump_sys_close(c);
		return -1;
	}
	*cp = c;
	*sp = s;
	return 0;
}

static uint8_t
nt_pattern(uint64_t off, unsigned seed)
{
	return (uint8_t)((off * 2654435761u) >> 13 ^ seed);
}

static int
nt_write_all(int fd, const void *buf, size_t len)
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
nt_read_all(int fd, void *buf, size_t len)
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

/* ---- cases -------------------------------------------------------------- */

static void
tcp_connect_accept_echo(void)
{
	struct rump_sockaddr_in name, peer;
	rump_socklen_t len;
	char buf[64];
	int l, c, s, i;
	uint64_t t0;

	l = nt_listener(8000, 5);
	NT_REQUIRE(l >= 0);
	c = nt_connect(LO, 8000);
	NT_REQUIRE(c >= 0);
	len = sizeof(peer);
	s = rump_sys_accept(l, SA(&peer), &len);
	NT_REQUIRE(s >= 0);
	len = sizeof(name);
	NT_CHECK(rump_sys_getsockname(c, SA(&name), &len) == 0);
	NT_CHECK(name.sin_port == peer.sin_port &&
	    peer.sin_addr.s_addr == __builtin_bswap32(LO));
	len = sizeof(name);
	NT_CHECK(rump_sys_getpeername(c, SA(&name), &len) == 0 &&
	    name.sin_port == __builtin_bswap16(8000));
	NT_CHECK(rump_sys_write(c, "hello", 5) == 5);
	NT_CHECK(rump_sys_read(s, buf, sizeof(buf)) == 5 &&
	    memcmp(buf, "hello", 5) == 0);
	NT_CHECK(rump_sys_sendto(s, "world!", 6, 0, NULL, 0) == 6);
	NT_CHECK(rump_sys_recvfrom(c, buf, sizeof(buf), 0, NULL, NULL) == 6 &&
	    memcmp(buf, "world!", 6) == 0);
	/* 1-byte request/response rate. */
	t0 = nt_now_ns();
	for (i = 0; i < 2000 && !nt_failed; i++) {
		NT_REQUIRE(rump_sys_write(c, "q", 1) == 1);
		NT_REQUIRE(rump_sys_read(s, buf, 1) == 1);
		NT_REQUIRE(rump_sys_write(s, "r", 1) == 1);
		NT_REQUIRE(rump_sys_read(c, buf, 1) == 1 && buf[0] == 'r');
	}
	printf("# net_tcp: 1-byte request/response over lo0: %.0f/s\n",
	    2000 / ((double)(nt_now_ns() - t0) / 1e9));
	NT_CHECK(rump_sys_close(c) == 0);
	NT_CHECK(rump_sys_read(s, buf, sizeof(buf)) == 0);	/* EOF */
	NT_CHECK(rump_sys_close(s) == 0);
	NT_CHECK(rump_sys_close(l) == 0);
}

struct nt_bulk {
	int		fd;
	uint64_t	bytes;
	unsigned	seed;
};

static void *
nt_bulk_sender(void *arg)
{
	struct nt_bulk *b = arg;
	static uint8_t buf[65536];
	uint64_t off = 0;
	size_t n, i;

	while (off < b->bytes && !nt_failed) {
		n = (size_t)MIN(b->bytes - off, sizeof(buf) - (off % 7919));
		for (i = 0; i < n; i++)
			buf[i] = nt_pattern(off + i, b->seed);
		NT_REQUIRE_NULL(nt_write_all(b->fd, buf, n) == 0);
		off += n;
	}
	NT_CHECK(rump_sys_shutdown(b->fd, RUMP_SHUT_WR) == 0);
	return NULL;
}

static void
tcp_bulk_10mb_checksum(void)
{
	struct nt_bulk b;
	static uint8_t buf[100000];
	uint64_t off = 0, t0;
	pthread_t th;
	rump_ssize_t n;
	int c, s, i;

	NT_REQUIRE(nt_pair(8001, &c, &s) == 0);
	b.fd = c;
	b.bytes = 10u * 1024 * 1024;
	b.seed = 7;
	t0 = nt_now_ns();
	NT_REQUIRE(pthread_create(&th, NULL, nt_bulk_sender, &b) == 0);
	for (;;) {
		n = rump_sys_read(s, buf, sizeof(buf) - (off % 4099));
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != nt_pattern(off + (uint64_t)i, b.seed)) {
				NT_CHECK(!"received byte differs");
				break;
			}
		}
		off += (uint64_t)n;
		if (nt_failed)
			break;
	}
	NT_CHECK(n == 0);
	pthread_join(th, NULL);
	NT_CHECK(off == b.bytes);
	printf("# net_tcp: 10 MB over lo0 in %.1f ms: %.0f MB/s\n",
	    (double)(nt_now_ns() - t0) / 1e6,
	    (double)off / 1048576.0 / ((double)(nt_now_ns() - t0) / 1e9));
	NT_CHECK(rump_sys_close(c) == 0);
	NT_CHECK(rump_sys_close(s) == 0);
}

#define NT_NCONN	200

struct nt_many {
	int	listener;
	int	fds[NT_NCONN];
};

/* Accept every connection, then echo what each one sends. */
static void *
nt_many_server(void *arg)
{
	struct nt_many *m = arg;
	char buf[1000];
	int i;

	for (i = 0; i < NT_NCONN; i++) {
		m->fds[i] = rump_sys_accept(m->listener, NULL, NULL);
		NT_REQUIRE_NULL(m->fds[i] >= 0);
	}
	for (i = 0; i < NT_NCONN; i++) {
		NT_REQUIRE_NULL(nt_read_all(m->fds[i], buf, sizeof(buf)) == 0);
		NT_REQUIRE_NULL(nt_write_all(m->fds[i], buf, sizeof(buf)) ==
		    0);
	}
	return NULL;
}

static void
tcp_200_concurrent_connections(void)
{
	static struct nt_many m;
	int c[NT_NCONN], i, j;
	char buf[1000], got[1000];
	pthread_t th;

	m.listener = nt_listener(8002, RUMP_SOMAXCONN);
	NT_REQUIRE(m.listener >= 0);
	NT_REQUIRE(pthread_create(&th, NULL, nt_many_server, &m) == 0);
	for (i = 0; i < NT_NCONN; i++) {
		c[i] = nt_connect(LO, 8002);
		NT_CHECK(c[i] >= 0);
		if (c[i] < 0)
			break;
	}
	for (j = 0; j < i && !nt_failed; j++) {
		memset(buf, 'a' + j % 26, sizeof(buf));
		buf[0] = (char)j;
		NT_CHECK(nt_write_all(c[j], buf, sizeof(buf)) == 0);
	}
	/* The server answers in accept order, which is connect order. */
	for (j = 0; j < i && !nt_failed; j++) {
		memset(buf, 'a' + j % 26, sizeof(buf));
		buf[0] = (char)j;
		NT_CHECK(nt_read_all(c[j], got, sizeof(got)) == 0 &&
		    memcmp(got, buf, sizeof(buf)) == 0);
	}
	pthread_join(th, NULL);
	for (j = 0; j < i; j++)
		rump_sys_close(c[j]);
	for (j = 0; j < NT_NCONN && !nt_failed; j++)
		rump_sys_close(m.fds[j]);
	rump_sys_close(m.listener);
}

static void
tcp_connection_refused(void)
{
	struct rump_sockaddr_in sin = nt_sin(LO, 8003);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	NT_REQUIRE(s >= 0);
	NT_CHECK(rump_sys_connect(s, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_ECONNREFUSED);
	/* The socket can try again, still refused. */
	NT_CHECK(rump_sys_connect(s, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_ECONNREFUSED);
	NT_CHECK(rump_sys_write(s, "x", 1) == -1);
	rump_sys_close(s);
}

static void
tcp_half_close(void)
{
	char buf[64];
	int c, s;

	NT_REQUIRE(nt_pair(8004, &c, &s) == 0);
	NT_CHECK(rump_sys_write(c, "request", 7) == 7);
	NT_CHECK(rump_sys_shutdown(c, RUMP_SHUT_WR) == 0);
	NT_CHECK(rump_sys_write(c, "x", 1) == -1 &&
	    rump_errno() == RUMP_EPIPE);
	NT_CHECK(nt_read_all(s, buf, 7) == 0 && memcmp(buf, "request", 7) ==
	    0);
	NT_CHECK(rump_sys_read(s, buf, sizeof(buf)) == 0);	/* EOF */
	/* The other direction still works. */
	NT_CHECK(rump_sys_write(s, "reply", 5) == 5);
	NT_CHECK(nt_read_all(c, buf, 5) == 0 && memcmp(buf, "reply", 5) == 0);
	NT_CHECK(rump_sys_close(s) == 0);
	NT_CHECK(rump_sys_read(c, buf, sizeof(buf)) == 0);
	NT_CHECK(rump_sys_close(c) == 0);
}

static void
tcp_linger_zero_sends_rst(void)
{
	struct rump_linger lg = { 1, 0 };
	rump_socklen_t len = sizeof(lg);
	char buf[16];
	int c, s;

	NT_REQUIRE(nt_pair(8005, &c, &s) == 0);
	NT_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_LINGER, &lg,
	    sizeof(lg)) == 0);
	memset(&lg, 0x55, sizeof(lg));
	NT_CHECK(rump_sys_getsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_LINGER, &lg,
	    &len) == 0 && len == sizeof(lg) && lg.l_onoff == 1 &&
	    lg.l_linger == 0);
	NT_CHECK(rump_sys_close(s) == 0);
	NT_CHECK(rump_sys_read(c, buf, sizeof(buf)) == -1 &&
	    rump_errno() == RUMP_ECONNRESET);
	NT_CHECK(rump_sys_close(c) == 0);
}

/* SO_LINGER > 0: close waits until the peer acknowledged the data. */
static void
tcp_linger_waits_for_ack(void)
{
	struct rump_linger lg = { 1, 5 };
	static uint8_t big[200000], got[200000];
	int c, s;
	size_t i;

	NT_REQUIRE(nt_pair(8006, &c, &s) == 0);
	for (i = 0; i < sizeof(big); i++)
		big[i] = nt_pattern(i, 3);
	NT_CHECK(rump_sys_setsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_LINGER, &lg,
	    sizeof(lg)) == 0);
	/* More than fits in the buffers: the writer blocks, so read in
	 * between through a second thread is not needed: write half. */
	NT_CHECK(nt_write_all(c, big, 100000) == 0);
	NT_CHECK(nt_read_all(s, got, 100000) == 0);
	NT_CHECK(nt_write_all(c, big + 100000, 100000) == 0);
	NT_CHECK(rump_sys_close(c) == 0);	/* lingers until acked */
	NT_CHECK(nt_read_all(s, got + 100000, 100000) == 0);
	NT_CHECK(memcmp(got, big, sizeof(big)) == 0);
	NT_CHECK(rump_sys_read(s, got, 16) == 0);
	NT_CHECK(rump_sys_close(s) == 0);
}

static void
tcp_connect_timeout_blackhole(void)
{
	struct rump_sockaddr_in far = nt_sin(0x0a090908, 80);
	int s, one = 1;
	uint64_t t0, ms;

	/* 10.9.9.8 is routed through lo0 but nobody has it: a black hole. */
	NT_REQUIRE(rump_pub_netconfig_ipv4_ifaddr("lo0", "10.9.9.9",
	    "255.255.255.0") == 0);
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	NT_REQUIRE(s >= 0);
	NT_CHECK(rump_sys_setsockopt(s, RUMP_IPPROTO_TCP, RUMP_TCP_KEEPINIT,
	    &one, sizeof(one)) == 0);
	t0 = nt_now_ns();
	NT_CHECK(rump_sys_connect(s, SA(&far), sizeof(far)) == -1 &&
	    rump_errno() == RUMP_ETIMEDOUT);
	ms = (nt_now_ns() - t0) / 1000000;
	NT_CHECK(ms >= 900 && ms < 5000);
	rump_sys_close(s);
}

static void
tcp_nonblocking_connect_and_poll(void)
{
	struct rump_sockaddr_in sin = nt_sin(LO, 8007);
	struct rump_pollfd p;
	rump_socklen_t len;
	int l, c, s, err;
	char buf[8];

	l = nt_listener(8007, 5);
	NT_REQUIRE(l >= 0);
	p.fd = l;
	p.events = RUMP_POLLIN;
	p.revents = 0;
	NT_CHECK(rump_sys_poll(&p, 1, 0) == 0);
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM |
	    RUMP_SOCK_NONBLOCK, 0);
	NT_REQUIRE(c >= 0);
	NT_CHECK(rump_sys_connect(c, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EINPROGRESS);
	p.fd = c;
	p.events = RUMP_POLLOUT;
	NT_CHECK(rump_sys_poll(&p, 1, 2000) == 1 &&
	    (p.revents & RUMP_POLLOUT));
	len = sizeof(err);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_ERROR, &err,
	    &len) == 0 && err == 0);
	NT_CHECK(rump_sys_connect(c, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EISCONN);
	/* The listener polls readable with a connection queued. */
	p.fd = l;
	p.events = RUMP_POLLIN;
	NT_CHECK(rump_sys_poll(&p, 1, 2000) == 1 && (p.revents & RUMP_POLLIN));
	s = rump_sys_accept(l, NULL, NULL);
	NT_REQUIRE(s >= 0);
	NT_CHECK(rump_sys_read(c, buf, 1) == -1 &&
	    rump_errno() == RUMP_EAGAIN);
	/* EOF: POLLIN (and the read gives 0). */
	NT_CHECK(rump_sys_close(s) == 0);
	p.fd = c;
	p.events = RUMP_POLLIN;
	NT_CHECK(rump_sys_poll(&p, 1, 2000) == 1 && (p.revents & RUMP_POLLIN));
	NT_CHECK(rump_sys_read(c, buf, 1) == 0);
	rump_sys_close(c);

	/* Refused, non-blocking: poll wakes, SO_ERROR tells why. */
	sin = nt_sin(LO, 8008);
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM |
	    RUMP_SOCK_NONBLOCK, 0);
	NT_REQUIRE(c >= 0);
	NT_CHECK(rump_sys_connect(c, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EINPROGRESS);
	p.fd = c;
	p.events = RUMP_POLLOUT;
	NT_CHECK(rump_sys_poll(&p, 1, 2000) == 1);
	len = sizeof(err);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_ERROR, &err,
	    &len) == 0 && err == RUMP_ECONNREFUSED);
	rump_sys_close(c);
	rump_sys_close(l);
}

static void
tcp_rcvtimeo_and_nonblocking_accept(void)
{
	struct { long long sec; int usec; } tv = { 0, 100000 };
	int c, s, l, fl;
	char buf[8];
	uint64_t t0, ms;

	NT_REQUIRE(nt_pair(8009, &c, &s) == 0);
	NT_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO, &tv,
	    sizeof(tv)) == 0);
	t0 = nt_now_ns();
	NT_CHECK(rump_sys_read(s, buf, sizeof(buf)) == -1 &&
	    rump_errno() == RUMP_EWOULDBLOCK);
	ms = (nt_now_ns() - t0) / 1000000;
	NT_CHECK(ms >= 90 && ms < 3000);
	NT_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), RUMP_MSG_DONTWAIT,
	    NULL, NULL) == -1 && rump_errno() == RUMP_EWOULDBLOCK);
	rump_sys_close(c);
	rump_sys_close(s);

	l = nt_listener(8010, 5);
	NT_REQUIRE(l >= 0);
	fl = rump_sys_fcntl(l, RUMP_F_GETFL);
	NT_CHECK(rump_sys_fcntl(l, RUMP_F_SETFL, fl | RUMP_O_NONBLOCK) == 0);
	NT_CHECK(rump_sys_accept(l, NULL, NULL) == -1 &&
	    rump_errno() == RUMP_EWOULDBLOCK);
	rump_sys_close(l);
}

/*
 * Small writes into a connection whose reader does not read: each piece
 * costs more buffer memory than its bytes, yet a blocking write with a
 * send timeout must end in EWOULDBLOCK (the buffer is full), never in
 * ENOBUFS with some of its bytes already queued (found in review).
 */
static void
tcp_small_writes_block_not_enobufs(void)
{
	struct { long long sec; int usec; } tv = { 0, 200000 };
	static char piece[600];
	rump_ssize_t n;
	int c, s, i;

	NT_REQUIRE(nt_pair(8013, &c, &s) == 0);
	NT_CHECK(rump_sys_setsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_SNDTIMEO, &tv,
	    sizeof(tv)) == 0);
	for (i = 0; i < 5000; i++) {
		n = rump_sys_write(c, piece, sizeof(piece));
		if (n != (rump_ssize_t)sizeof(piece))
			break;
	}
	NT_CHECK(i < 5000);	/* the buffers did fill up */
	NT_CHECK(n == -1 && rump_errno() == RUMP_EWOULDBLOCK);
	rump_sys_close(c);
	rump_sys_close(s);
}

static void
tcp_listen_backlog_overflow(void)
{
	struct rump_sockaddr_in sin = nt_sin(LO, 8011);
	struct rump_pollfd p[5];
	int l, c[5], i, n, a, got = 0;

	l = nt_listener(8011, 2);
	NT_REQUIRE(l >= 0);
	for (i = 0; i < 5; i++) {
		c[i] = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM |
		    RUMP_SOCK_NONBLOCK, 0);
		NT_REQUIRE(c[i] >= 0);
		NT_CHECK(rump_sys_connect(c[i], SA(&sin), sizeof(sin)) == -1 &&
		    rump_errno() == RUMP_EINPROGRESS);
		p[i].fd = c[i];
		p[i].events = RUMP_POLLOUT;
	}
	nt_sleep_ms(300);
	n = rump_sys_poll(p, 5, 0);
	NT_CHECK(n == 2);	/* the backlog; the other SYNs were dropped */
	/* Accepting makes room; the dropped SYNs are sent again (1 s). */
	for (i = 0; i < 100 && got < 5; i++) {
		a = rump_sys_paccept(l, NULL, NULL, NULL, 0);
		NT_REQUIRE(a >= 0);
		got++;
		rump_sys_close(a);
	}
	NT_CHECK(got == 5);
	for (i = 0; i < 5; i++)
		rump_sys_close(c[i]);
	rump_sys_close(l);
}

static void
tcp_time_wait_and_reuseaddr(void)
{
	struct rump_sockaddr_in sin = nt_sin(LO, 8012);
	int c, s, l, one = 1;
	char buf[4];

	NT_REQUIRE(nt_pair(8012, &c, &s) == 0);
	/* The server closes first: its side of port 8012 is in TIME_WAIT. */
	NT_CHECK(rump_sys_close(s) == 0);
	NT_CHECK(rump_sys_read(c, buf, sizeof(buf)) == 0);
	NT_CHECK(rump_sys_close(c) == 0);
	nt_sleep_ms(50);
	l = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	NT_REQUIRE(l >= 0);
	NT_CHECK(rump_sys_bind(l, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EADDRINUSE);
	NT_CHECK(rump_sys_setsockopt(l, RUMP_SOL_SOCKET, RUMP_SO_REUSEADDR,
	    &one, sizeof(one)) == 0);
	NT_CHECK(rump_sys_bind(l, SA(&sin), sizeof(sin)) == 0);
	NT_CHECK(rump_sys_listen(l, 5) == 0);
	c = nt_connect(LO, 8012);
	NT_CHECK(c >= 0);
	s = rump_sys_accept(l, NULL, NULL);
	NT_CHECK(s >= 0);
	NT_CHECK(rump_sys_write(c, "ok", 2) == 2 &&
	    rump_sys_read(s, buf, sizeof(buf)) == 2);
	rump_sys_close(c);
	rump_sys_close(s);
	rump_sys_close(l);
}

static void *
nt_slow_writer(void *arg)
{
	int fd = *(int *)arg;

	nt_sleep_ms(100);
	NT_CHECK(rump_sys_write(fd, "01234", 5) == 5);
	nt_sleep_ms(100);
	NT_CHECK(rump_sys_write(fd, "56789", 5) == 5);
	return NULL;
}

static void
tcp_msg_peek_and_waitall(void)
{
	char buf[16];
	pthread_t th;
	int c, s;

	NT_REQUIRE(nt_pair(8013, &c, &s) == 0);
	NT_REQUIRE(pthread_create(&th, NULL, nt_slow_writer, &c) == 0);
	memset(buf, 0, sizeof(buf));
	NT_CHECK(rump_sys_recvfrom(s, buf, 10, RUMP_MSG_WAITALL, NULL, NULL)
	    == 10 && memcmp(buf, "0123456789", 10) == 0);
	pthread_join(th, NULL);
	NT_CHECK(rump_sys_write(c, "peekaboo", 8) == 8);
	NT_CHECK(rump_sys_recvfrom(s, buf, 4, RUMP_MSG_PEEK | RUMP_MSG_WAITALL,
	    NULL, NULL) == 4 && memcmp(buf, "peek", 4) == 0);
	nt_sleep_ms(20);
	NT_CHECK(rump_sys_recvfrom(s, buf, 16, RUMP_MSG_PEEK, NULL, NULL) ==
	    8 && memcmp(buf, "peekaboo", 8) == 0);
	NT_CHECK(rump_sys_read(s, buf, 16) == 8 &&
	    memcmp(buf, "peekaboo", 8) == 0);
	rump_sys_close(c);
	rump_sys_close(s);
}

static void
tcp_close_with_unread_data_resets(void)
{
	char buf[16];
	int c, s, i;
	rump_ssize_t n = 0;

	NT_REQUIRE(nt_pair(8014, &c, &s) == 0);
	NT_CHECK(rump_sys_write(s, "unread", 6) == 6);
	nt_sleep_ms(20);
	NT_CHECK(rump_sys_close(c) == 0);	/* unread data: RST */
	nt_sleep_ms(20);
	for (i = 0; i < 10; i++) {
		n = rump_sys_write(s, "more", 4);
		if (n < 0)
			break;
		nt_sleep_ms(10);
	}
	NT_CHECK(n == -1 && (rump_errno() == RUMP_ECONNRESET ||
	    rump_errno() == RUMP_EPIPE));
	NT_CHECK(rump_sys_read(s, buf, sizeof(buf)) <= 0);
	rump_sys_close(s);
}

static void
tcp_socket_options(void)
{
	int c, s, l, v;
	rump_socklen_t len;

	NT_REQUIRE(nt_pair(8015, &c, &s) == 0);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_NODELAY, &v,
	    &len) == 0 && v == 0);
	v = 1;
	NT_CHECK(rump_sys_setsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_NODELAY,
	    &v, sizeof(v)) == 0);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_NODELAY, &v,
	    &len) == 0 && v == 1);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_MAXSEG, &v,
	    &len) == 0 && v > 1000 && v <= 16384 - 40);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_ERROR, &v,
	    &len) == 0 && v == 0);
	v = 1;
	NT_CHECK(rump_sys_setsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_KEEPALIVE, &v,
	    sizeof(v)) == 0);
	v = 30;
	NT_CHECK(rump_sys_setsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_KEEPIDLE,
	    &v, sizeof(v)) == 0);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_KEEPIDLE,
	    &v, &len) == 0 && v == 30);
	v = 0;
	NT_CHECK(rump_sys_setsockopt(c, RUMP_IPPROTO_TCP, RUMP_TCP_KEEPCNT,
	    &v, sizeof(v)) == -1 && rump_errno() == RUMP_EINVAL);
	NT_CHECK(rump_sys_setsockopt(c, RUMP_IPPROTO_TCP, 99, &v, sizeof(v))
	    == -1 && rump_errno() == RUMP_ENOPROTOOPT);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_TYPE, &v,
	    &len) == 0 && v == RUMP_SOCK_STREAM);
	l = nt_listener(8016, 1);
	NT_REQUIRE(l >= 0);
	len = sizeof(v);
	NT_CHECK(rump_sys_getsockopt(l, RUMP_SOL_SOCKET, RUMP_SO_ACCEPTCONN,
	    &v, &len) == 0 && v == 1);
	NT_CHECK(rump_sys_listen(c, 1) == -1 && rump_errno() == RUMP_EINVAL);
	NT_CHECK(rump_sys_accept(c, NULL, NULL) == -1 &&
	    rump_errno() == RUMP_EINVAL);
	rump_sys_close(l);
	rump_sys_close(c);
	rump_sys_close(s);
	/* Not connected. */
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	NT_CHECK(rump_sys_write(c, "x", 1) == -1 &&
	    rump_errno() == RUMP_ENOTCONN);
	NT_CHECK(rump_sys_shutdown(c, RUMP_SHUT_WR) == -1 &&
	    rump_errno() == RUMP_ENOTCONN);
	rump_sys_close(c);
}

/* Connections left open: rump_shutdown reclaims them (leak check). */
static void
tcp_connections_left_open_at_shutdown(void)
{
	int c, s, l;

	NT_REQUIRE(nt_pair(8019, &c, &s) == 0);
	NT_CHECK(rump_sys_write(c, "pending", 7) == 7);
	l = nt_listener(8020, 5);
	NT_CHECK(l >= 0);
	NT_CHECK(nt_connect(LO, 8020) >= 0);	/* queued, never accepted */
	nt_sleep_ms(20);
}

static const struct host_case nt_cases[] = {
	{ "connect_accept_echo", tcp_connect_accept_echo },
	{ "bulk_10mb_checksum", tcp_bulk_10mb_checksum },
	{ "200_concurrent_connections", tcp_200_concurrent_connections },
	{ "connection_refused", tcp_connection_refused },
	{ "half_close", tcp_half_close },
	{ "linger_zero_sends_rst", tcp_linger_zero_sends_rst },
	{ "linger_waits_for_ack", tcp_linger_waits_for_ack },
	{ "connect_timeout_blackhole", tcp_connect_timeout_blackhole },
	{ "nonblocking_connect_and_poll", tcp_nonblocking_connect_and_poll },
	{ "rcvtimeo_and_nonblocking_accept",
	  tcp_rcvtimeo_and_nonblocking_accept },
	{ "listen_backlog_overflow", tcp_listen_backlog_overflow },
	{ "small_writes_block_not_enobufs",
	  tcp_small_writes_block_not_enobufs },
	{ "time_wait_and_reuseaddr", tcp_time_wait_and_reuseaddr },
	{ "msg_peek_and_waitall", tcp_msg_peek_and_waitall },
	{ "close_with_unread_data_resets", tcp_close_with_unread_data_resets },
	{ "socket_options", tcp_socket_options },
	{ "connections_left_open_at_shutdown",
	  tcp_connections_left_open_at_shutdown },
};

int
main(int argc, char **argv)
{
	return host_run_cases("net_tcp", nt_cases,
	    sizeof(nt_cases) / sizeof(nt_cases[0]), &nt_failed, nt_msg,
	    sizeof(nt_msg), argc, argv);
}
