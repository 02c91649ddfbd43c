/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vifutil.h: helpers shared by the virtual interface tests
 * (host_net_vif.c: two rump kernels over the bus; host_net_tap.c: the
 * rump stack against Linux's over a tap).  Public rump API only.
 */
#ifndef _TESTS_KERN_HOST_VIFUTIL_H_
#define _TESTS_KERN_HOST_VIFUTIL_H_

#include <stddef.h>
#include <stdint.h>

#include <rump/rump.h>

/* The first failure of the running case (file:line: condition). */
extern char vu_msg[512];
extern int vu_failed;

void	vu_fail(const char *file, int line, const char *what);

#define VU_CHECK(cond) do {						\
	if (!(cond))							\
		vu_fail(__FILE__, __LINE__, #cond);			\
} while (0)
#define VU_REQUIRE(cond) do {						\
	VU_CHECK(cond);							\
	if (vu_failed)							\
		return;							\
} while (0)

#define VU_SA(p)	((struct rump_sockaddr *)(p))

/* 10.0.0.1 -> 0x0a000001 */
uint32_t vu_addr(const char *dotted);
struct rump_sockaddr_in vu_sin(uint32_t host_addr, uint16_t port);
/* A UDP socket bound to addr:port, or -1. */
int	vu_udp_bound(uint32_t addr, uint16_t port);
void	vu_fill(uint8_t *p, size_t len, unsigned seed);
/* Wait up to ms for s to be readable: 1 readable, 0 timeout, -1 error. */
int	vu_wait_readable(int s, int ms);

/*
 * Ping dst count times with a raw ICMP socket (id, seq 1..count), each
 * waited for up to timeout_ms.  Returns the number of correct replies;
 * rtt_us (may be NULL) gets each reply's round trip (0 when lost).
 */
int	vu_ping(uint32_t dst, int count, int timeout_ms, double *rtt_us);
double	vu_median(double *v, int n);	/* sorts v; 0 when n == 0 */

/* rump_init + create/configure ifname (addr/24) + up; 0 or an errno. */
int	vu_boot_if(const char *ifname, const char *addr);
/* After rump_shutdown: the hypervisor and kmem hold nothing (else the
 * reason goes to vu_msg and -1 is returned). */
int	vu_check_clean(void);

#endif /* _TESTS_KERN_HOST_VIFUTIL_H_ */
