/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_msg.c: userspace tests of sendmsg/recvmsg, ioctl, select, the
 * broadcast rules of UDP and the DHCP entry's argument checks, through
 * the public API only, over lo0 (net/socket_msg.c, vfs/sys_ioctl.c,
 * net/socket_select.c, net/netconfig_dhcp.c).
 *
 * Usage: host_net_msg [case]
 *
 * Every case runs on a fresh rump kernel and is leak-checked as in
 * host_net.c: after rump_shutdown the hypervisor's live-object counters
 * and the kernel's kmem leak count must be zero.  One line per case:
 * `PASS: netmsg.<case>` or `FAIL: netmsg.<case>: <why>`; exit 1 if any
 * failed.
 */
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

static char nm_msg[512];
static int nm_failed;

#define NM_CHECK(cond) do {						\
	if (!(cond) && !nm_failed) {					\
		nm_failed = 1;						\
		snprintf(nm_msg, sizeof(nm_msg), "%s:%d: %s (errno %d)", \
		    __FILE__, __LINE__, #cond, rump_errno());		\
	}								\
} while (0)
#define NM_REQUIRE(cond) do {						\
	NM_CHECK(cond);							\
	if (nm_failed)							\
		return;							\
} while (0)
/* A call that must fail with errno e. */
#define NM_FAILS(call, e)	NM_CHECK((call) == -1 && rump_errno() == (e))

#define SA(p)	((struct rump_sockaddr *)(p))
#define LO	RUMP_INADDR_LOOPBACK

static struct rump_sockaddr_in
nm_sin(uint32_t host_addr, uint16_t port)
{
	struct rump_sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = RUMP_AF_INET;
	sin.sin_port = __builtin_bswap16(port);
	sin.sin_addr.s_addr = __builtin_bswap32(host_addr);
	return sin;
}

static int
nm_udp_bound(uint16_t port)
{
	struct rump_sockaddr_in sin = nm_sin(LO, port);
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

static long
nm_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* FIONREAD of s once it reaches want (lo0 delivers asynchronously), or
 * its last value after about two seconds. */
static int
nm_fionread_settled(int s, int want)
{
	struct timespec ts = { 0, 1000000 };
	int i, n = -1;

	for (i = 0; i < 2000; i++) {
		if (rump_sys_ioctl(s, RUMP_FIONREAD, &n) != 0 || n == want)
			break;
		nanosleep(&ts, NULL);
	}
	return n;
}

/* ---- sendmsg / recvmsg -------------------------------------------------- */

/* Three pieces out, four differently sized pieces in, the name back. */
static void
msg_scatter_gather_and_name(void)
{
	struct rump_sockaddr_in dst = nm_sin(LO, 7500), from, cname;
	char a[] = "hello, ", b[] = "scatter", c[] = "/gather!";
	char in1[3], in2[5], in3[100], in4[10], want[64];
	struct rump_iovec out[3] = {
		{ a, 7 }, { b, 7 }, { c, 8 }
	}, in[4] = {
		{ in1, sizeof(in1) }, { in2, sizeof(in2) }, { in3, 0 },
		{ in3, sizeof(in3) }
	};
	struct rump_msghdr m;
	rump_socklen_t clen = sizeof(cname);
	int s, cl;

	(void)in4;
	s = nm_udp_bound(7500);
	cl = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0 && cl >= 0);
	memset(&m, 0, sizeof(m));
	m.msg_name = &dst;
	m.msg_namelen = sizeof(dst);
	m.msg_iov = out;
	m.msg_iovlen = 3;
	NM_REQUIRE(rump_sys_sendmsg(cl, &m, 0) == 22);
	NM_REQUIRE(rump_sys_getsockname(cl, SA(&cname), &clen) == 0);

	memset(&m, 0, sizeof(m));
	memset(&from, 0xee, sizeof(from));
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	m.msg_iov = in;
	m.msg_iovlen = 4;
	m.msg_flags = 0x7777;	/* overwritten */
	NM_REQUIRE(rump_sys_recvmsg(s, &m, 0) == 22);
	snprintf(want, sizeof(want), "%s%s%s", a, b, c);
	NM_CHECK(memcmp(in1, want, 3) == 0);
	NM_CHECK(memcmp(in2, want + 3, 5) == 0);
	NM_CHECK(memcmp(in3, want + 8, 14) == 0);
	NM_CHECK(m.msg_flags == 0);
	NM_CHECK(m.msg_namelen == sizeof(from));
	NM_CHECK(from.sin_family == RUMP_AF_INET &&
	    from.sin_addr.s_addr == __builtin_bswap32(LO) &&
	    from.sin_port == cname.sin_port);

	/* A connected socket: no name, read back with recvmsg, NULL name. */
	NM_REQUIRE(rump_sys_connect(cl, SA(&dst), sizeof(dst)) == 0);
	memset(&m, 0, sizeof(m));
	m.msg_iov = out;
	m.msg_iovlen = 1;
	NM_CHECK(rump_sys_sendmsg(cl, &m, 0) == 7);
	m.msg_iov = in + 3;
	NM_CHECK(rump_sys_recvmsg(s, &m, 0) == 7 && m.msg_namelen == 0 &&
	    memcmp(in3, a, 7) == 0);
	/* Zero iovecs: an empty datagram. */
	m.msg_iov = NULL;
	m.msg_iovlen = 0;
	NM_CHECK(rump_sys_sendmsg(cl, &m, 0) == 0);
	m.msg_iov = in + 3;
	m.msg_iovlen = 1;
	NM_CHECK(rump_sys_recvmsg(s, &m, 0) == 0 && m.msg_flags == 0);
	rump_sys_close(cl);
	rump_sys_close(s);
}

/* Short buffers: MSG_TRUNC, the rest of that datagram only is lost;
 * a short name buffer gets a prefix and the full length. */
static void
msg_truncation_and_short_name(void)
{
	struct rump_sockaddr_in dst = nm_sin(LO, 7510);
	uint8_t big[100], got[100], name[4];
	struct rump_iovec in[2] = { { got, 15 }, { got + 15, 25 } };
	struct rump_msghdr m;
	int s, cl, i;

	for (i = 0; i < 100; i++)
		big[i] = (uint8_t)(i * 3 + 1);
	s = nm_udp_bound(7510);
	cl = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0 && cl >= 0);
	NM_REQUIRE(rump_sys_sendto(cl, big, 100, 0, SA(&dst), sizeof(dst))
	    == 100);
	NM_REQUIRE(rump_sys_sendto(cl, "next", 4, 0, SA(&dst), sizeof(dst))
	    == 4);
	memset(&m, 0, sizeof(m));
	memset(name, 0, sizeof(name));
	m.msg_name = name;
	m.msg_namelen = sizeof(name);
	m.msg_iov = in;
	m.msg_iovlen = 2;
	NM_CHECK(rump_sys_recvmsg(s, &m, 0) == 40);
	NM_CHECK(m.msg_flags == RUMP_MSG_TRUNC);
	NM_CHECK(memcmp(got, big, 40) == 0);
	NM_CHECK(m.msg_namelen == 16);
	NM_CHECK(name[0] == 16 && name[1] == RUMP_AF_INET);
	/* MSG_PEEK leaves it; the next read sees it whole. */
	m.msg_namelen = sizeof(name);
	NM_CHECK(rump_sys_recvmsg(s, &m, RUMP_MSG_PEEK) == 4 &&
	    m.msg_flags == 0 && memcmp(got, "next", 4) == 0);
	m.msg_namelen = sizeof(name);	/* it came back as 16 */
	NM_CHECK(rump_sys_recvmsg(s, &m, 0) == 4 && m.msg_flags == 0);
	NM_FAILS(rump_sys_recvmsg(s, &m, RUMP_MSG_DONTWAIT), RUMP_EAGAIN);
	rump_sys_close(cl);
	rump_sys_close(s);
}

/* Ancillary data: checked, refused honestly, never produced. */
static void
msg_control_data_is_validated(void)
{
	struct rump_sockaddr_in dst = nm_sin(LO, 7520);
	union {
		struct rump_cmsghdr hdr;
		uint8_t bytes[64];
	} ctl;
	uint8_t buf[16];
	struct rump_iovec iov = { buf, sizeof(buf) };
	struct rump_msghdr m;
	int s, cl;

	s = nm_udp_bound(7520);
	cl = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0 && cl >= 0);
	memset(buf, 'x', sizeof(buf));
	memset(&m, 0, sizeof(m));
	m.msg_name = &dst;
	m.msg_namelen = sizeof(dst);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	memset(&ctl, 0, sizeof(ctl));
	ctl.hdr.cmsg_len = RUMP_CMSG_LEN(4);
	ctl.hdr.cmsg_level = RUMP_SOL_SOCKET;
	ctl.hdr.cmsg_type = RUMP_SCM_RIGHTS;
	m.msg_control = &ctl;
	m.msg_controllen = RUMP_CMSG_SPACE(4);
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EOPNOTSUPP);
	ctl.hdr.cmsg_len = 4;			/* shorter than its header */
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EINVAL);
	ctl.hdr.cmsg_len = 200;			/* past the buffer */
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EINVAL);
	m.msg_controllen = 3;			/* not even a header */
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EINVAL);
	m.msg_controllen = 1 << 20;		/* too big */
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EINVAL);
	m.msg_control = NULL;
	m.msg_controllen = 16;
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EFAULT);
	/* Nothing of the refused sends arrived. */
	NM_FAILS(rump_sys_recvfrom(s, buf, sizeof(buf), RUMP_MSG_DONTWAIT,
	    NULL, NULL), RUMP_EAGAIN);
	m.msg_control = NULL;
	m.msg_controllen = 0;
	NM_CHECK(rump_sys_sendmsg(cl, &m, 0) == 16);

	/* Receive with a control buffer: it stays empty, no MSG_CTRUNC. */
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = &ctl;
	m.msg_controllen = sizeof(ctl);
	NM_CHECK(rump_sys_recvmsg(s, &m, 0) == 16);
	NM_CHECK(m.msg_controllen == 0 && m.msg_flags == 0);
	rump_sys_close(cl);
	rump_sys_close(s);
}

static void
msg_bad_arguments(void)
{
	struct rump_sockaddr_in dst = nm_sin(LO, 7530);
	static uint8_t huge[20000];
	struct rump_iovec iov[2] = { { huge, 10 }, { huge, 10 } };
	struct rump_msghdr m;
	int s, cl, f;

	s = nm_udp_bound(7530);
	cl = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0 && cl >= 0);
	memset(&m, 0, sizeof(m));
	m.msg_name = &dst;
	m.msg_namelen = sizeof(dst);
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	NM_FAILS(rump_sys_sendmsg(cl, NULL, 0), RUMP_EFAULT);
	NM_FAILS(rump_sys_recvmsg(s, NULL, 0), RUMP_EFAULT);
	NM_FAILS(rump_sys_sendmsg(999, &m, 0), RUMP_EBADF);
	f = rump_sys_open("/msgfile", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	NM_REQUIRE(f >= 0);
	NM_FAILS(rump_sys_sendmsg(f, &m, 0), RUMP_ENOTSOCK);
	NM_FAILS(rump_sys_recvmsg(f, &m, 0), RUMP_ENOTSOCK);
	rump_sys_close(f);
	NM_CHECK(rump_sys_unlink("/msgfile") == 0);
	m.msg_iovlen = -1;
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EMSGSIZE);
	NM_FAILS(rump_sys_recvmsg(s, &m, 0), RUMP_EMSGSIZE);
	m.msg_iovlen = 1025;
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EMSGSIZE);
	m.msg_iovlen = 2;
	m.msg_iov = NULL;
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EFAULT);
	m.msg_iov = iov;
	iov[1].iov_base = NULL;
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EFAULT);
	iov[1].iov_base = huge;
	iov[1].iov_len = (rump_size_t)-1 / 2;	/* the sum overflows */
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EINVAL);
	iov[1].iov_len = sizeof(huge) - 10;	/* > SO_SNDBUF (9216) */
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EMSGSIZE);
	iov[1].iov_len = 10;
	m.msg_namelen = 1;
	NM_FAILS(rump_sys_sendmsg(cl, &m, 0), RUMP_EINVAL);
	m.msg_namelen = sizeof(dst);
	NM_CHECK(rump_sys_sendmsg(cl, &m, 0) == 20);
	/* Receive into a bad buffer: EFAULT. */
	iov[0].iov_base = (void *)8;
	m.msg_name = NULL;
	NM_FAILS(rump_sys_recvmsg(s, &m, 0), RUMP_EFAULT);
	rump_sys_close(cl);
	rump_sys_close(s);
}

/* ---- ioctl -------------------------------------------------------------- */

static void
ioctl_fionread_counts(void)
{
	struct rump_sockaddr_in dst = nm_sin(LO, 7540);
	uint8_t buf[64];
	int s, cl, f, n;

	s = nm_udp_bound(7540);
	cl = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0 && cl >= 0);
	NM_CHECK(rump_sys_ioctl(s, RUMP_FIONREAD, &n) == 0 && n == 0);
	memset(buf, 1, sizeof(buf));
	NM_CHECK(rump_sys_sendto(cl, buf, 10, 0, SA(&dst), sizeof(dst)) == 10);
	NM_CHECK(rump_sys_sendto(cl, buf, 20, 0, SA(&dst), sizeof(dst)) == 20);
	NM_CHECK(rump_sys_sendto(cl, buf, 30, 0, SA(&dst), sizeof(dst)) == 30);
	/* BSD semantics: every queued data byte. */
	NM_CHECK(nm_fionread_settled(s, 60) == 60);
	NM_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL) == 10);
	NM_CHECK(rump_sys_ioctl(s, RUMP_FIONREAD, &n) == 0 && n == 50);
	NM_FAILS(rump_sys_ioctl(s, RUMP_FIONREAD, NULL), RUMP_EFAULT);
	NM_FAILS(rump_sys_ioctl(s, 0x4004ff01UL, &n), RUMP_ENOTTY);
	NM_FAILS(rump_sys_ioctl(s, 0x5fff6601UL, &n), RUMP_ENOTTY);
	NM_FAILS(rump_sys_ioctl(77, RUMP_FIONREAD, &n), RUMP_EBADF);

	/* A regular file: size minus offset. */
	f = rump_sys_open("/fion", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	NM_REQUIRE(f >= 0);
	memset(buf, 'f', sizeof(buf));
	NM_CHECK(rump_sys_write(f, buf, 64) == 64);
	NM_CHECK(rump_sys_write(f, buf, 36) == 36);
	NM_CHECK(rump_sys_ioctl(f, RUMP_FIONREAD, &n) == 0 && n == 0);
	NM_CHECK(rump_sys_lseek(f, 30, RUMP_SEEK_SET) == 30);
	NM_CHECK(rump_sys_ioctl(f, RUMP_FIONREAD, &n) == 0 && n == 70);
	NM_CHECK(rump_sys_lseek(f, 500, RUMP_SEEK_SET) == 500);
	NM_CHECK(rump_sys_ioctl(f, RUMP_FIONREAD, &n) == 0 && n == 0);
	NM_FAILS(rump_sys_ioctl(f, 0x4004ff01UL, &n), RUMP_ENOTTY);
	rump_sys_close(f);
	NM_CHECK(rump_sys_unlink("/fion") == 0);
	rump_sys_close(cl);
	rump_sys_close(s);
}

static void
ioctl_fionbio_and_cloexec(void)
{
	struct { long long sec; int usec; } tv = { 0, 100000 };
	struct timespec t0;
	char buf[8];
	int s, on = 1, off = 0, fl;
	long ms;

	s = nm_udp_bound(7550);
	NM_REQUIRE(s >= 0);
	NM_CHECK(rump_sys_ioctl(s, RUMP_FIONBIO, &on) == 0);
	fl = rump_sys_fcntl(s, RUMP_F_GETFL);
	NM_CHECK(fl >= 0 && (fl & RUMP_O_NONBLOCK));
	NM_FAILS(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL),
	    RUMP_EWOULDBLOCK);
	NM_FAILS(rump_sys_read(s, buf, sizeof(buf)), RUMP_EWOULDBLOCK);
	NM_CHECK(rump_sys_ioctl(s, RUMP_FIONBIO, &off) == 0);
	fl = rump_sys_fcntl(s, RUMP_F_GETFL);
	NM_CHECK(fl >= 0 && !(fl & RUMP_O_NONBLOCK));
	/* Blocking again: waits out the receive timeout. */
	NM_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO,
	    &tv, sizeof(tv)) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	NM_FAILS(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL),
	    RUMP_EWOULDBLOCK);
	ms = nm_ms_since(&t0);
	NM_CHECK(ms >= 90 && ms < 5000);
	NM_FAILS(rump_sys_ioctl(s, RUMP_FIONBIO, NULL), RUMP_EFAULT);

	NM_CHECK(rump_sys_fcntl(s, RUMP_F_GETFD) == 0);
	NM_CHECK(rump_sys_ioctl(s, RUMP_FIOCLEX) == 0);
	NM_CHECK(rump_sys_fcntl(s, RUMP_F_GETFD) == RUMP_FD_CLOEXEC);
	NM_CHECK(rump_sys_ioctl(s, RUMP_FIONCLEX) == 0);
	NM_CHECK(rump_sys_fcntl(s, RUMP_F_GETFD) == 0);
	rump_sys_close(s);
}

/* ---- select ------------------------------------------------------------- */

static void
select_readiness_and_timeouts(void)
{
	struct rump_sockaddr_in dst = nm_sin(LO, 7560);
	struct rump_timeval tv;
	rump_fd_set r, w;
	struct timespec t0;
	char buf[8];
	int s, cl, f, nd;
	long ms;

	s = nm_udp_bound(7560);
	cl = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0 && cl >= 0);
	nd = (s > cl ? s : cl) + 1;

	/* Nothing to read: the timeout passes, the set comes back empty. */
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(s, &r);
	tv.tv_sec = 0;
	tv.tv_usec = 80000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	NM_CHECK(rump_sys_select(nd, &r, NULL, NULL, &tv) == 0);
	ms = nm_ms_since(&t0);
	NM_CHECK(ms >= 70 && ms < 5000);
	NM_CHECK(!RUMP_FD_ISSET(s, &r));
	/* A zero timeout polls. */
	RUMP_FD_SET(s, &r);
	tv.tv_usec = 0;
	NM_CHECK(rump_sys_select(nd, &r, NULL, NULL, &tv) == 0);

	/* Writable at once; readable once a datagram is queued. */
	RUMP_FD_ZERO(&r);
	RUMP_FD_ZERO(&w);
	RUMP_FD_SET(s, &r);
	RUMP_FD_SET(cl, &w);
	NM_CHECK(rump_sys_select(nd, &r, &w, NULL, NULL) == 1);
	NM_CHECK(!RUMP_FD_ISSET(s, &r) && RUMP_FD_ISSET(cl, &w));
	NM_CHECK(rump_sys_sendto(cl, "sel", 3, 0, SA(&dst), sizeof(dst)) == 3);
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(s, &r);
	RUMP_FD_SET(cl, &r);
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	NM_CHECK(rump_sys_select(nd, &r, NULL, NULL, &tv) == 1);
	NM_CHECK(RUMP_FD_ISSET(s, &r) && !RUMP_FD_ISSET(cl, &r));
	/* Both sets: two bits. */
	RUMP_FD_ZERO(&w);
	RUMP_FD_SET(s, &w);
	NM_CHECK(rump_sys_select(nd, &r, &w, NULL, NULL) == 2);
	NM_CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL) == 3);

	/* A regular file is always ready. */
	f = rump_sys_open("/sel", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	NM_REQUIRE(f >= 0);
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(f, &r);
	NM_CHECK(rump_sys_select(f + 1, &r, NULL, NULL, NULL) == 1 &&
	    RUMP_FD_ISSET(f, &r));
	rump_sys_close(f);
	NM_CHECK(rump_sys_unlink("/sel") == 0);

	/* Errors: a closed descriptor in a set, bad timeouts, bad nd,
	 * bad set pointers. */
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(f, &r);
	NM_FAILS(rump_sys_select(f + 1, &r, NULL, NULL, NULL), RUMP_EBADF);
	RUMP_FD_ZERO(&r);
	RUMP_FD_SET(s, &r);
	tv.tv_sec = 0;
	tv.tv_usec = 1000000;
	NM_FAILS(rump_sys_select(nd, &r, NULL, NULL, &tv), RUMP_EINVAL);
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	NM_FAILS(rump_sys_select(nd, &r, NULL, NULL, &tv), RUMP_EINVAL);
	NM_FAILS(rump_sys_select(-1, &r, NULL, NULL, NULL), RUMP_EINVAL);
	NM_FAILS(rump_sys_select(nd, (rump_fd_set *)16, NULL, NULL, NULL),
	    RUMP_EFAULT);
	NM_FAILS(rump_sys_select(nd, &r, NULL, NULL,
	    (struct rump_timeval *)16), RUMP_EFAULT);
	/* nd 0 with a timeout: a sleep. */
	tv.tv_sec = 0;
	tv.tv_usec = 30000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	NM_CHECK(rump_sys_select(0, NULL, NULL, NULL, &tv) == 0);
	NM_CHECK(nm_ms_since(&t0) >= 25);
	rump_sys_close(cl);
	rump_sys_close(s);
}

/* ---- broadcast ---------------------------------------------------------- */

/* Without SO_BROADCAST a broadcast send is EACCES; with it, and only
 * lo0 (no broadcast interface), there is nowhere to send it. */
static void
broadcast_needs_so_broadcast(void)
{
	struct rump_sockaddr_in bc = nm_sin(0xffffffffU, 7570);
	int s, one = 1, v;
	rump_socklen_t len = sizeof(v);

	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	NM_REQUIRE(s >= 0);
	NM_FAILS(rump_sys_sendto(s, "b", 1, 0, SA(&bc), sizeof(bc)),
	    RUMP_EACCES);
	NM_CHECK(rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_BROADCAST,
	    &one, sizeof(one)) == 0);
	NM_CHECK(rump_sys_getsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_BROADCAST,
	    &v, &len) == 0 && v == 1);
	NM_FAILS(rump_sys_sendto(s, "b", 1, 0, SA(&bc), sizeof(bc)),
	    RUMP_ENETUNREACH);
	rump_sys_close(s);
}

/* The public DHCP entry's argument errors (the exchange itself is
 * tested in kt_net_dhcp.c and, against udhcpd, host_net_dhcp.c). */
static void
dhcp_public_entry_errors(void)
{
	NM_CHECK(rump_pub_netconfig_dhcp_ipv4_oneshot(NULL) == RUMP_EFAULT);
	NM_CHECK(rump_pub_netconfig_dhcp_ipv4_oneshot(
	    "a-name-much-too-long-for-an-interface") == RUMP_EINVAL);
	NM_CHECK(rump_pub_netconfig_dhcp_ipv4_oneshot("nosuch0") ==
	    RUMP_ENXIO);
	NM_CHECK(rump_pub_netconfig_dhcp_ipv4_oneshot("lo0") ==
	    RUMP_EOPNOTSUPP);
}

/* ---- harness ------------------------------------------------------------ */

static const struct host_case nm_cases[] = {
	{ "msg_scatter_gather_and_name", msg_scatter_gather_and_name },
	{ "msg_truncation_and_short_name", msg_truncation_and_short_name },
	{ "msg_control_data_is_validated", msg_control_data_is_validated },
	{ "msg_bad_arguments", msg_bad_arguments },
	{ "ioctl_fionread_counts", ioctl_fionread_counts },
	{ "ioctl_fionbio_and_cloexec", ioctl_fionbio_and_cloexec },
	{ "select_readiness_and_timeouts", select_readiness_and_timeouts },
	{ "broadcast_needs_so_broadcast", broadcast_needs_so_broadcast },
	{ "dhcp_public_entry_errors", dhcp_public_entry_errors },
};

int
main(int argc, char **argv)
{
	return host_run_cases("netmsg", nm_cases,
	    sizeof(nm_cases) / sizeof(nm_cases[0]), &nm_failed, nm_msg,
	    sizeof(nm_msg), argc, argv);
}
