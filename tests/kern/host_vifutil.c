/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vifutil.c: helpers of the virtual interface tests (see
 * host_vifutil.h): addresses, UDP sockets, a raw-socket ping with round
 * trip times, booting a kernel with one configured interface, and the
 * leak check after shutdown.
 */
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_clean.h"
#include "host_vifutil.h"
#include "ktest_host.h"

char vu_msg[512];
int vu_failed;

void
vu_fail(const char *file, int line, const char *what)
{
	if (vu_failed)
		return;
	vu_failed = 1;
	snprintf(vu_msg, sizeof(vu_msg), "%s:%d: %s (errno %d)", file, line,
	    what, rump_errno());
}

uint32_t
vu_addr(const char *dotted)
{
	unsigned a, b, c, d;

	if (sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		return 0;
	return a << 24 | b << 16 | c << 8 | d;
}

struct rump_sockaddr_in
vu_sin(uint32_t host_addr, uint16_t port)
{
	struct rump_sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = RUMP_AF_INET;
	sin.sin_port = __builtin_bswap16(port);
	sin.sin_addr.s_addr = __builtin_bswap32(host_addr);
	return sin;
}

int
vu_udp_bound(uint32_t addr, uint16_t port)
{
	struct rump_sockaddr_in sin = vu_sin(addr, port);
	int s;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	if (s < 0)
		return -1;
	if (rump_sys_bind(s, VU_SA(&sin), sizeof(sin)) != 0) {
		rump_sys_close(s);
		return -1;
	}
	return s;
}

void
vu_fill(uint8_t *p, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

int
vu_wait_readable(int s, int ms)
{
	struct rump_pollfd p = { s, RUMP_POLLIN, 0 };

	return rump_sys_poll(&p, 1, ms);
}

static uint16_t
vu_cksum(const uint8_t *b, size_t len)
{
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

static double
vu_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Is rep (an IP packet of n bytes) the echo reply to req (len bytes)? */
static int
vu_is_reply(const uint8_t *rep, rump_ssize_t n, const uint8_t *req,
    size_t len)
{
	size_t hl;

	if (n < 20)
		return 0;
	hl = (size_t)(rep[0] & 0x0f) * 4;
	if ((size_t)n != hl + len || rep[9] != 1 || rep[hl] != 0)
		return 0;
	return memcmp(rep + hl + 4, req + 4, len - 4) == 0 &&
	    vu_cksum(rep + hl, len) == 0;
}

int
vu_ping(uint32_t dst, int count, int timeout_ms, double *rtt_us)
{
	struct rump_sockaddr_in to = vu_sin(dst, 0);
	uint8_t req[64], rep[256];
	double t0, left;
	int s, seq, got = 0;
	rump_ssize_t n;
	uint16_t ck;

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_RAW, RUMP_IPPROTO_ICMP);
	if (s < 0)
		return -1;
	for (seq = 1; seq <= count; seq++) {
		if (rtt_us != NULL)
			rtt_us[seq - 1] = 0;
		memset(req, 0, sizeof(req));
		req[0] = 8;	/* echo request */
		req[4] = 0x5a;
		req[5] = 0xa5;
		req[6] = (uint8_t)(seq >> 8);
		req[7] = (uint8_t)seq;
		vu_fill(req + 8, sizeof(req) - 8, (unsigned)seq);
		ck = vu_cksum(req, sizeof(req));
		req[2] = (uint8_t)(ck >> 8);
		req[3] = (uint8_t)ck;
		t0 = vu_now_us();
		if (rump_sys_sendto(s, req, sizeof(req), 0, VU_SA(&to),
		    sizeof(to)) != sizeof(req))
			continue;	/* e.g. ARP failed: counts as lost */
		/* The raw socket sees other ICMP too: skip it. */
		for (;;) {
			left = timeout_ms - (vu_now_us() - t0) / 1000;
			if (left <= 0 || vu_wait_readable(s, (int)left) != 1)
				break;
			n = rump_sys_recvfrom(s, rep, sizeof(rep), 0, NULL,
			    NULL);
			if (n < 0)
				break;
			if (vu_is_reply(rep, n, req, sizeof(req))) {
				if (rtt_us != NULL)
					rtt_us[seq - 1] = vu_now_us() - t0;
				got++;
				break;
			}
		}
	}
	rump_sys_close(s);
	return got;
}

static int
vu_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
vu_median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), vu_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
vu_boot_if(const char *ifname, const char *addr)
{
	int error;

	error = rump_init();
	if (error != 0)
		return error;
	error = rump_pub_netconfig_ifcreate(ifname);
	if (error == 0)
		error = rump_pub_netconfig_ipv4_ifaddr(ifname, addr,
		    "255.255.255.0");
	if (error == 0)
		error = rump_pub_netconfig_ifup(ifname);
	return error;
}

int
vu_check_clean(void)
{
	return host_check_clean(vu_msg, sizeof(vu_msg));
}
