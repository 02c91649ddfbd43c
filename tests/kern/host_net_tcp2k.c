/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_tcp2k.c: TCP between two rump kernels in two processes on the
 * virtual interface's host-local bus (hypervisor/posix/vif_bus.c),
 * through the public API only: a bulk transfer with a running content
 * check through a seeded lossy, duplicating and reordering bus (100 MB,
 * 10 MB under a sanitizer), and 200 concurrent connections echoing.
 *
 * Usage: host_net_tcp2k [case]
 *
 * The harness is host_net_vif.c's: each case forks two children, A
 * (10.0.0.1) and B (10.0.0.2), each booting its own rump kernel with virt0
 * on a fresh bus directory; they meet at barriers over a socketpair,
 * shut down, check that nothing leaked, and report a failure reason to
 * the parent through a pipe.  One line per case: `PASS: net_tcp2k.<case>`
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

#include "host_vifutil.h"

#define NT2_PORT	6000
#define NT2_CHILD_SECS	300	/* a child that hangs is killed */
#define NT2_NCONN	200
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NT2_BULK	(10ull * 1024 * 1024)
#else
#define NT2_BULK	(100ull * 1024 * 1024)
#endif

struct nv_peer {
	int		np_ctl;		/* socketpair end to the other child */
	int		np_idx;		/* 0 = A, 1 = B */
	uint32_t	np_self;
	uint32_t	np_peer;
};

typedef void (*nv_role_fn)(struct nv_peer *p);

struct nv_case {
	const char	*nc_name;
	const char	*nc_busopts;	/* appended to bus:<dir> */
	nv_role_fn	nc_role[2];	/* A, B; NULL: B is not started */
	int		nc_noboot;	/* role does its own rump_init */
};

/* Both children reach the same point (a byte each way). */
static void
nv_barrier(struct nv_peer *p)
{
	struct pollfd pfd = { p->np_ctl, POLLIN, 0 };
	char c = 'b';

	VU_REQUIRE(write(p->np_ctl, &c, 1) == 1);
	VU_REQUIRE(poll(&pfd, 1, 60000) == 1);
	VU_REQUIRE(read(p->np_ctl, &c, 1) == 1);
}

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

/* ---- the harness (as host_net_vif.c's) ---------------------------------- */

static const struct nv_case nv_cases[] = {
	{ "bulk_through_lossy_dup_reorder_bus",
	  "loss=1,dup=1,reorder=2,seed=11", { bulk_a, bulk_b }, 0 },
	{ "200_concurrent_connections", NULL, { many_a, many_b }, 0 },
};

/* A child: one rump kernel, one role; exit 0 or write why and exit 1. */
static void __attribute__((noreturn))
nv_child(const struct nv_case *nc, int idx, int ctl, int report,
    const char *busenv)
{
	struct nv_peer p = {
		.np_ctl = ctl, .np_idx = idx,
		.np_self = vu_addr(idx == 0 ? "10.0.0.1" : "10.0.0.2"),
		.np_peer = vu_addr(idx == 0 ? "10.0.0.2" : "10.0.0.1"),
	};
	char addr[32];
	int error, rv;

	alarm(NT2_CHILD_SECS);
	if (setenv("RUMP_VIF_virt0", busenv, 1) != 0)
		vu_fail(__FILE__, __LINE__, "setenv");
	snprintf(addr, sizeof(addr), "10.0.0.%d", idx + 1);
	if (!vu_failed && !nc->nc_noboot) {
		error = vu_boot_if("virt0", addr);
		if (error != 0)
			vu_fail(__FILE__, __LINE__, "boot with virt0");
	}
	if (!vu_failed)
		nc->nc_role[idx](&p);
	/* Shut down even after a failure: it must not hang or leak. */
	rv = rump_shutdown();
	rumphyp_fini();
	if (!vu_failed && rv != 0)
		snprintf(vu_msg, sizeof(vu_msg), "rump_shutdown: %d", rv),
		    vu_failed = 1;
	if (!vu_failed && vu_check_clean() != 0)
		vu_failed = 1;
	if (vu_failed) {
		dprintf(report, "%s: %s", idx == 0 ? "A" : "B", vu_msg);
		_exit(1);
	}
	_exit(0);
}

static int
nv_run(const struct nv_case *nc, char *why, size_t whylen)
{
	char dir[128], busenv[256];
	int ctl[2], rep[2], nkids, i, status, fail = 0;
	pid_t kid[2];
	ssize_t n;

	snprintf(dir, sizeof(dir), "/tmp/rumptcp2k-test.%ld.%s",
	    (long)getpid(), nc->nc_name);
	snprintf(busenv, sizeof(busenv), "bus:%s%s%s", dir,
	    nc->nc_busopts ? "," : "", nc->nc_busopts ? nc->nc_busopts : "");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ctl) != 0 ||
	    pipe(rep) != 0) {
		snprintf(why, whylen, "socketpair/pipe: %s", strerror(errno));
		return -1;
	}
	nkids = nc->nc_role[1] != NULL ? 2 : 1;
	for (i = 0; i < nkids; i++) {
		kid[i] = fork();
		if (kid[i] == 0) {
			close(rep[0]);
			close(ctl[1 - i]);
			nv_child(nc, i, ctl[i], rep[1], busenv);
		}
		if (kid[i] < 0) {
			snprintf(why, whylen, "fork: %s", strerror(errno));
			nkids = i;
			fail = 1;
			break;
		}
	}
	close(ctl[0]);
	close(ctl[1]);
	close(rep[1]);
	why[0] = '\0';
	for (i = 0; i < nkids; i++) {
		if (waitpid(kid[i], &status, 0) != kid[i]) {
			fail = 1;
			continue;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		fail = 1;
		if (WIFSIGNALED(status) && why[0] == '\0')
			snprintf(why, whylen, "child %c killed by signal %d",
			    'A' + i, WTERMSIG(status));
	}
	n = read(rep[0], why + strlen(why), whylen - strlen(why) - 1);
	if (n > 0)
		why[strlen(why) + (size_t)n] = '\0';
	close(rep[0]);
	/* The last member removes the bus directory; check it did. */
	if (!fail && rmdir(dir) == 0) {
		snprintf(why, whylen, "bus directory %s left behind", dir);
		fail = 1;
	}
	if (fail && why[0] == '\0')
		snprintf(why, whylen, "a child failed without a reason");
	return fail ? -1 : 0;
}

int
main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	char why[1024];
	size_t i;
	int nfail = 0, nrun = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(nv_cases) / sizeof(nv_cases[0]); i++) {
		if (filter != NULL && strcmp(filter, nv_cases[i].nc_name) != 0)
			continue;
		nrun++;
		memset(why, 0, sizeof(why));
		if (nv_run(&nv_cases[i], why, sizeof(why)) == 0) {
			printf("PASS: net_tcp2k.%s\n", nv_cases[i].nc_name);
		} else {
			printf("FAIL: net_tcp2k.%s: %s\n", nv_cases[i].nc_name,
			    why);
			nfail++;
		}
	}
	if (nrun == 0) {
		printf("FAIL: net_tcp2k.filter: no case named %s\n", filter);
		return 1;
	}
	return nfail != 0;
}
