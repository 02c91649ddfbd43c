/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net.c: userspace tests of the network stack through the public
 * API only (rump_sys_socket & co, rump_pub_netconfig_*), over lo0.
 *
 * Usage: host_net [case]
 *
 * Every case runs on a fresh rump kernel: rump_init, the case,
 * rump_shutdown, then the hypervisor's live-object counters and the
 * kernel's kmem leak count must be zero (so every case is also a leak
 * check of sockets, PCBs, mbufs).  One line per case:
 * `PASS: net.<case>` or `FAIL: net.<case>: <why>`; exit 1 if any failed.
 */
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

static char hn_msg[512];
static int hn_failed;

#define HN_CHECK(cond) do {						\
	if (!(cond) && !hn_failed) {					\
		hn_failed = 1;						\
		snprintf(hn_msg, sizeof(hn_msg), "%s:%d: %s (errno %d)", \
		    __FILE__, __LINE__, #cond, rump_errno());		\
	}								\
} while (0)
#define HN_REQUIRE(cond) do {						\
	HN_CHECK(cond);							\
	if (hn_failed)							\
		return;							\
} while (0)

static struct rump_sockaddr_in
hn_sin(uint32_t host_addr, uint16_t port)
{
	struct rump_sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = RUMP_AF_INET;
	sin.sin_port = __builtin_bswap16(port);
	sin.sin_addr.s_addr = __builtin_bswap32(host_addr);
	return sin;
}

#define SA(p)	((struct rump_sockaddr *)(p))
#define LO	RUMP_INADDR_LOOPBACK

static int
hn_udp_bound(uint32_t addr, uint16_t port)
{
	struct rump_sockaddr_in sin = hn_sin(addr, port);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	if (s < 0)
		return -1;
	if (rump_sys_bind(s, SA(&sin), sizeof(sin)) != 0) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

static void
hn_fill(uint8_t *p, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

/* ---- cases -------------------------------------------------------------- */

/* Many datagrams of many sizes, server echoes, all bytes compared. */
static void
udp_echo_many_datagrams_over_lo0(void)
{
	static uint8_t out[40000], in[40000], echo[40000];
	struct rump_sockaddr_in srv = hn_sin(LO, 7007), from;
	rump_socklen_t flen;
	int s, c, i, big = 65000;
	rump_ssize_t n;
	size_t len;

	s = hn_udp_bound(LO, 7007);
	HN_REQUIRE(s >= 0);
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	HN_REQUIRE(c >= 0);
	HN_REQUIRE(rump_sys_setsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_SNDBUF,
	    &big, sizeof(big)) == 0);
	HN_REQUIRE(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_SNDBUF,
	    &big, sizeof(big)) == 0);
	HN_REQUIRE(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVBUF,
	    &big, sizeof(big)) == 0);
	HN_REQUIRE(rump_sys_setsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_RCVBUF,
	    &big, sizeof(big)) == 0);
	for (i = 0; i < 1000 && !hn_failed; i++) {
		/* Sizes 0..1500 mostly; every 50th beyond lo0's MTU, so it
		 * is fragmented and reassembled. */
		len = (i % 50 == 49) ? 20000 + (size_t)i * 13 :
		    (size_t)(i * 37) % 1501;
		hn_fill(out, len, (unsigned)i);
		n = rump_sys_sendto(c, out, len, 0, SA(&srv), sizeof(srv));
		HN_REQUIRE(n == (rump_ssize_t)len);
		flen = sizeof(from);
		n = rump_sys_recvfrom(s, in, sizeof(in), 0, SA(&from), &flen);
		HN_REQUIRE(n == (rump_ssize_t)len);
		HN_REQUIRE(memcmp(in, out, len) == 0);
		HN_REQUIRE(flen == sizeof(from));
		HN_REQUIRE(from.sin_addr.s_addr == __builtin_bswap32(LO));
		n = rump_sys_sendto(s, in, (size_t)n, 0, SA(&from), flen);
		HN_REQUIRE(n == (rump_ssize_t)len);
		n = rump_sys_recvfrom(c, echo, sizeof(echo), 0, NULL, NULL);
		HN_REQUIRE(n == (rump_ssize_t)len);
		HN_REQUIRE(memcmp(echo, out, len) == 0);
	}
	HN_CHECK(rump_sys_close(c) == 0);
	HN_CHECK(rump_sys_close(s) == 0);
}

static void
udp_bind_conflicts_and_reuseaddr(void)
{
	struct rump_sockaddr_in sin = hn_sin(LO, 7100), any = hn_sin(0, 7100);
	int a, b, one = 1;

	a = hn_udp_bound(LO, 7100);
	HN_REQUIRE(a >= 0);
	b = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	HN_REQUIRE(b >= 0);
	HN_CHECK(rump_sys_bind(b, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EADDRINUSE);
	HN_CHECK(rump_sys_bind(b, SA(&any), sizeof(any)) == -1 &&
	    rump_errno() == RUMP_EADDRINUSE);
	rump_sys_close(a);
	HN_CHECK(rump_sys_bind(b, SA(&sin), sizeof(sin)) == 0);
	rump_sys_close(b);

	a = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	b = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	HN_REQUIRE(a >= 0 && b >= 0);
	HN_CHECK(rump_sys_setsockopt(a, RUMP_SOL_SOCKET, RUMP_SO_REUSEADDR,
	    &one, sizeof(one)) == 0);
	HN_CHECK(rump_sys_setsockopt(b, RUMP_SOL_SOCKET, RUMP_SO_REUSEADDR,
	    &one, sizeof(one)) == 0);
	HN_CHECK(rump_sys_bind(a, SA(&sin), sizeof(sin)) == 0);
	HN_CHECK(rump_sys_bind(b, SA(&sin), sizeof(sin)) == 0);
	rump_sys_close(a);
	rump_sys_close(b);

	/* Not our address. */
	a = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	sin = hn_sin(0x0a000001, 7100);
	HN_CHECK(rump_sys_bind(a, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EADDRNOTAVAIL);
	/* Bad lengths and families. */
	sin = hn_sin(LO, 7100);
	HN_CHECK(rump_sys_bind(a, SA(&sin), 3) == -1 &&
	    rump_errno() == RUMP_EINVAL);
	sin.sin_family = 99;
	HN_CHECK(rump_sys_bind(a, SA(&sin), sizeof(sin)) == -1 &&
	    rump_errno() == RUMP_EAFNOSUPPORT);
	HN_CHECK(rump_sys_bind(a, NULL, 16) == -1 &&
	    rump_errno() == RUMP_EFAULT);
	rump_sys_close(a);
}

static void
socket_argument_errors(void)
{
	int s;

	HN_CHECK(rump_sys_socket(77, RUMP_SOCK_DGRAM, 0) == -1 &&
	    rump_errno() == RUMP_EAFNOSUPPORT);
	HN_CHECK(rump_sys_socket(RUMP_AF_INET, 9, 0) == -1 &&
	    rump_errno() == RUMP_EPROTOTYPE);
	HN_CHECK(rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 99) == -1 &&
	    rump_errno() == RUMP_EPROTONOSUPPORT);
	HN_CHECK(rump_sys_bind(1234, NULL, 0) == -1 &&
	    rump_errno() == RUMP_EBADF);
	/* A file is not a socket. */
	s = rump_sys_open("/tmp/f", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	HN_REQUIRE(s >= 0);
	HN_CHECK(rump_sys_shutdown(s, RUMP_SHUT_RDWR) == -1 &&
	    rump_errno() == RUMP_ENOTSOCK);
	rump_sys_close(s);
	HN_CHECK(rump_sys_unlink("/tmp/f") == 0);
}

static void
udp_connect_names_and_read_write(void)
{
	struct rump_sockaddr_in a = hn_sin(LO, 7200), name;
	rump_socklen_t len;
	char buf[64];
	int s, c, type;
	rump_ssize_t n;

	s = hn_udp_bound(LO, 7200);
	HN_REQUIRE(s >= 0);
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	HN_REQUIRE(c >= 0);
	len = sizeof(name);
	HN_CHECK(rump_sys_getpeername(c, SA(&name), &len) == -1 &&
	    rump_errno() == RUMP_ENOTCONN);
	HN_CHECK(rump_sys_write(c, "x", 1) == -1 &&
	    rump_errno() == RUMP_EDESTADDRREQ);
	HN_REQUIRE(rump_sys_connect(c, SA(&a), sizeof(a)) == 0);
	len = sizeof(name);
	HN_CHECK(rump_sys_getsockname(c, SA(&name), &len) == 0 &&
	    len == sizeof(name) && name.sin_port != 0 &&
	    name.sin_addr.s_addr == __builtin_bswap32(LO));
	len = sizeof(name);
	HN_CHECK(rump_sys_getpeername(c, SA(&name), &len) == 0 &&
	    name.sin_port == a.sin_port);
	HN_CHECK(rump_sys_write(c, "hello", 5) == 5);
	n = rump_sys_read(s, buf, sizeof(buf));
	HN_CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
	/* sendto on a connected socket: EISCONN. */
	HN_CHECK(rump_sys_sendto(c, "x", 1, 0, SA(&a), sizeof(a)) == -1 &&
	    rump_errno() == RUMP_EISCONN);
	/* Truncation: the rest of the datagram is dropped. */
	HN_CHECK(rump_sys_write(c, "0123456789", 10) == 10);
	HN_CHECK(rump_sys_write(c, "ab", 2) == 2);
	HN_CHECK(rump_sys_read(s, buf, 4) == 4 && memcmp(buf, "0123", 4) == 0);
	HN_CHECK(rump_sys_read(s, buf, 10) == 2 && memcmp(buf, "ab", 2) == 0);
	len = sizeof(type);
	HN_CHECK(rump_sys_getsockopt(c, RUMP_SOL_SOCKET, RUMP_SO_TYPE, &type,
	    &len) == 0 && type == RUMP_SOCK_DGRAM);
	HN_CHECK(rump_sys_close(c) == 0);
	HN_CHECK(rump_sys_close(s) == 0);
	HN_CHECK(rump_sys_close(s) == -1 && rump_errno() == RUMP_EBADF);
}

static void
nonblocking_timeout_and_poll(void)
{
	struct rump_sockaddr_in a = hn_sin(LO, 7300);
	struct rump_pollfd pfd;
	struct { long long sec; int usec; } tv = { 0, 100000 };
	struct timespec t0, t1;
	char buf[16];
	int s, c, buf_size;
	rump_socklen_t len;
	long ms;

	s = hn_udp_bound(LO, 7300);
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM |
	    RUMP_SOCK_NONBLOCK, 0);
	HN_REQUIRE(s >= 0 && c >= 0);
	HN_CHECK(rump_sys_recvfrom(c, buf, sizeof(buf), 0, NULL, NULL) ==
	    -1 && rump_errno() == RUMP_EAGAIN);
	HN_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), RUMP_MSG_DONTWAIT,
	    NULL, NULL) == -1 && rump_errno() == RUMP_EAGAIN);
	HN_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO,
	    &tv, sizeof(tv)) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	HN_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL) ==
	    -1 && rump_errno() == RUMP_EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	HN_CHECK(ms >= 90 && ms < 5000);

	pfd.fd = s;
	pfd.events = RUMP_POLLIN;
	pfd.revents = 0;
	HN_CHECK(rump_sys_poll(&pfd, 1, 50) == 0 && pfd.revents == 0);
	HN_CHECK(rump_sys_sendto(c, "p", 1, 0, SA(&a), sizeof(a)) == 1);
	HN_CHECK(rump_sys_poll(&pfd, 1, 2000) == 1 &&
	    (pfd.revents & RUMP_POLLIN));
	pfd.events = RUMP_POLLOUT;
	HN_CHECK(rump_sys_poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & RUMP_POLLOUT));
	HN_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), RUMP_MSG_PEEK, NULL,
	    NULL) == 1);
	HN_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL) == 1);
	pfd.fd = 999;
	HN_CHECK(rump_sys_poll(&pfd, 1, 0) == 1 &&
	    pfd.revents == RUMP_POLLNVAL);

	buf_size = 1000;
	HN_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVBUF,
	    &buf_size, sizeof(buf_size)) == 0);
	len = sizeof(buf_size);
	buf_size = 0;
	HN_CHECK(rump_sys_getsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVBUF,
	    &buf_size, &len) == 0 && buf_size == 1000);
	buf_size = -1;
	HN_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_SNDBUF,
	    &buf_size, sizeof(buf_size)) == -1 && rump_errno() == RUMP_EINVAL);
	HN_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, 0x7777, &buf_size,
	    sizeof(buf_size)) == -1 && rump_errno() == RUMP_ENOPROTOOPT);
	rump_sys_close(c);
	rump_sys_close(s);
}

static uint16_t
hn_cksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ping 127.0.0.1 with a raw ICMP socket; the reply must echo the data. */
static void
icmp_echo_to_loopback(void)
{
	struct rump_sockaddr_in dst = hn_sin(LO, 0);
	uint8_t req[64], rep[256];
	int s, seq, tries;
	uint16_t ck;
	rump_ssize_t n;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_RAW, RUMP_IPPROTO_ICMP);
	HN_REQUIRE(s >= 0);
	for (seq = 1; seq <= 20 && !hn_failed; seq++) {
		memset(req, 0, sizeof(req));
		req[0] = 8;	/* echo request */
		req[4] = 0x12;
		req[5] = 0x34;
		req[6] = (uint8_t)(seq >> 8);
		req[7] = (uint8_t)seq;
		hn_fill(req + 8, sizeof(req) - 8, (unsigned)seq);
		ck = hn_cksum(req, sizeof(req));
		req[2] = (uint8_t)(ck >> 8);
		req[3] = (uint8_t)ck;
		HN_REQUIRE(rump_sys_sendto(s, req, sizeof(req), 0, SA(&dst),
		    sizeof(dst)) == sizeof(req));
		/* The raw socket sees our request too; wait for the reply. */
		for (tries = 0; tries < 4; tries++) {
			n = rump_sys_recvfrom(s, rep, sizeof(rep), 0, NULL,
			    NULL);
			HN_REQUIRE(n == 20 + (rump_ssize_t)sizeof(req));
			if (rep[20] == 0)
				break;
		}
		HN_REQUIRE(rep[20] == 0 && rep[21] == 0);
		HN_CHECK(rep[9] == 1);	/* IPPROTO_ICMP */
		HN_CHECK(memcmp(rep + 24, req + 4, sizeof(req) - 4) == 0);
		HN_CHECK(hn_cksum(rep + 20, sizeof(req)) == 0);
	}
	rump_sys_close(s);
}

static void
netconfig_errors_and_unreachable(void)
{
	struct rump_sockaddr_in far = hn_sin(0x0a0a0a0a, 9);
	int s;

	HN_CHECK(rump_pub_netconfig_ifup("nosuch0") == RUMP_ENXIO);
	HN_CHECK(rump_pub_netconfig_ifup("lo0") == 0);
	HN_CHECK(rump_pub_netconfig_ipv4_ifaddr("lo0", "1.2.3", "255.0.0.0")
	    == RUMP_EINVAL);
	HN_CHECK(rump_pub_netconfig_ipv4_ifaddr("lo0", "10.9.9.9",
	    "255.0.255.0") == RUMP_EINVAL);
	HN_CHECK(rump_pub_netconfig_ipv4_gw("10.0.0.1") == RUMP_ENETUNREACH);
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	HN_REQUIRE(s >= 0);
	HN_CHECK(rump_sys_sendto(s, "x", 1, 0, SA(&far), sizeof(far)) == -1 &&
	    rump_errno() == RUMP_ENETUNREACH);
	/* A second address on lo0 is reachable (through lo0). */
	HN_CHECK(rump_pub_netconfig_ipv4_ifaddr("lo0", "10.9.9.9",
	    "255.255.255.0") == 0);
	far = hn_sin(0x0a090909, 9);
	HN_CHECK(rump_sys_sendto(s, "x", 1, 0, SA(&far), sizeof(far)) == 1);
	rump_sys_close(s);
}

/* A client that never closes: shutdown still reclaims everything. */
static void
socket_left_open_at_shutdown_is_reclaimed(void)
{
	struct rump_sockaddr_in a = hn_sin(LO, 7400);
	int s, c;

	s = hn_udp_bound(LO, 7400);
	c = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	HN_REQUIRE(s >= 0 && c >= 0);
	HN_CHECK(rump_sys_sendto(c, "left", 4, 0, SA(&a), sizeof(a)) == 4);
	/* Let the datagram arrive and sit in s's receive buffer. */
	{
		struct rump_pollfd p = { s, RUMP_POLLIN, 0 };
		HN_CHECK(rump_sys_poll(&p, 1, 2000) == 1);
	}
}

static const struct host_case hn_cases[] = {
	{ "udp_echo_many_datagrams_over_lo0", udp_echo_many_datagrams_over_lo0 },
	{ "udp_bind_conflicts_and_reuseaddr", udp_bind_conflicts_and_reuseaddr },
	{ "socket_argument_errors", socket_argument_errors },
	{ "udp_connect_names_and_read_write", udp_connect_names_and_read_write },
	{ "nonblocking_timeout_and_poll", nonblocking_timeout_and_poll },
	{ "icmp_echo_to_loopback", icmp_echo_to_loopback },
	{ "netconfig_errors_and_unreachable", netconfig_errors_and_unreachable },
	{ "socket_left_open_at_shutdown_is_reclaimed",
	  socket_left_open_at_shutdown_is_reclaimed },
};

int
main(int argc, char **argv)
{
	return host_run_cases("net", hn_cases,
	    sizeof(hn_cases) / sizeof(hn_cases[0]), &hn_failed, hn_msg,
	    sizeof(hn_msg), argc, argv);
}
