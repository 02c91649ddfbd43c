/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_tap.c: the rump stack against the Linux stack over a tap
 * (hypervisor/posix/vif.c, RUMP_VIF_virt0=tap:<name>), inside a network
 * namespace this program makes for itself (unshare(CLONE_NEWNET)), so
 * every address used exists only there.
 *
 * Usage: host_net_tap [case]    (root; CI runs as root)
 *
 * Linux side: `ip addr add 10.0.2.2/24 dev <tap>; ip link set <tap> up`;
 * rump side: virt0 at 10.0.2.17/24.  Each case boots a fresh rump
 * kernel and checks for leaks after shutdown.  Cases: Linux's ping
 * (busybox) of the rump stack; the rump stack's raw ICMP ping of Linux;
 * UDP both ways against a Linux socket in this process; TCP both ways
 * with busybox nc (Linux's nc sends a file to a rump listener; a rump
 * socket sends one to Linux's `nc -l`), compared byte for byte; attaching a
 * persistent tap made with `ip tuntap`; and a measurement: ping round
 * trip medians of rump<->Linux over the tap beside Linux<->Linux over a
 * veth pair (the peer end in a second namespace of a child process).
 * Without root or /dev/net/tun every case FAILS with the reason: this
 * test is never skipped.  One line per case, `PASS: nettap.<case>` or
 * `FAIL: nettap.<case>: <why>`; exit 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_vifutil.h"

extern char **environ;

#define TT_TAP		"rumptap0"
#define TT_PTAP		"rumptapp"	/* the persistent one */
#define TT_LINUX	"10.0.2.2"
#define TT_RUMP		"10.0.2.17"
#define TT_PORT		6000
#define TT_NPING	50

/* Run a shell command line; its exit status, or -1. */
static int
tt_sh(const char *fmt, ...)
{
	char cmd[512];
	char *argv[] = { "sh", "-c", cmd, NULL };
	va_list ap;
	pid_t pid;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static double
tt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Linux's own raw ICMP ping: replies received, rtt_us[i] per echo. */
static int
tt_linux_ping(const char *dst, int count, int timeout_ms, double *rtt_us)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t req[64], rep[256];
	struct icmphdr *ic = (struct icmphdr *)req;
	struct pollfd pfd;
	double t0, left;
	uint32_t sum;
	int s, seq, got = 0, i;
	ssize_t n;

	to.sin_addr.s_addr = htonl(vu_addr(dst));
	s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (s < 0)
		return -1;
	for (seq = 1; seq <= count; seq++) {
		rtt_us[seq - 1] = 0;
		memset(req, 0, sizeof(req));
		ic->type = ICMP_ECHO;
		ic->un.echo.id = htons(0x7a7a);
		ic->un.echo.sequence = htons((uint16_t)seq);
		for (sum = 0, i = 0; i < (int)sizeof(req); i += 2)
			sum += (uint32_t)(req[i] << 8 | req[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		ic->checksum = htons((uint16_t)~sum);
		t0 = tt_now_us();
		if (sendto(s, req, sizeof(req), 0, (struct sockaddr *)&to,
		    sizeof(to)) != sizeof(req))
			continue;
		for (;;) {
			left = timeout_ms - (tt_now_us() - t0) / 1000;
			pfd.fd = s;
			pfd.events = POLLIN;
			if (left <= 0 || poll(&pfd, 1, (int)left) != 1)
				break;
			n = recv(s, rep, sizeof(rep), 0);
			if (n < 20 + 8)
				break;
			ic = (struct icmphdr *)(rep + (rep[0] & 0x0f) * 4);
			if (ic->type == ICMP_ECHOREPLY &&
			    ic->un.echo.id == htons(0x7a7a) &&
			    ic->un.echo.sequence == htons((uint16_t)seq)) {
				rtt_us[seq - 1] = tt_now_us() - t0;
				got++;
				break;
			}
		}
		ic = (struct icmphdr *)req;
	}
	close(s);
	return got;
}

/* Boot with virt0 on tap `tap`, configure both sides. */
static void
tt_boot(const char *tap)
{
	char env[64];

	snprintf(env, sizeof(env), "tap:%s", tap);
	VU_REQUIRE(setenv("RUMP_VIF_virt0", env, 1) == 0);
	VU_REQUIRE(rump_init() == 0);
	VU_REQUIRE(rump_pub_netconfig_ifcreate("virt0") == 0);
	VU_REQUIRE(tt_sh("ip addr add %s/24 dev %s && ip link set %s up",
	    TT_LINUX, tap, tap) == 0);
	VU_REQUIRE(rump_pub_netconfig_ipv4_ifaddr("virt0", TT_RUMP,
	    "255.255.255.0") == 0);
	VU_REQUIRE(rump_pub_netconfig_ifup("virt0") == 0);
}

/* ---- cases -------------------------------------------------------------- */

static void
linux_pings_rump(void)
{
	tt_boot(TT_TAP);
	if (vu_failed)
		return;
	VU_CHECK(tt_sh("busybox ping -c 3 -W 3 %s > /dev/null", TT_RUMP) == 0);
}

static void
rump_pings_linux(void)
{
	double rtt[10];

	tt_boot(TT_TAP);
	if (vu_failed)
		return;
	VU_CHECK(vu_ping(vu_addr(TT_LINUX), 10, 2000, rtt) == 10);
}

/* Rump -> Linux socket -> echoed back; Linux -> rump socket. */
static void
udp_both_ways(void)
{
	struct sockaddr_in la = { .sin_family = AF_INET }, from;
	struct rump_sockaddr_in to = vu_sin(vu_addr(TT_LINUX), TT_PORT);
	uint8_t out[1400], in[2000];
	socklen_t flen;
	struct pollfd pfd;
	int ls = -1, rs, i;
	ssize_t n;

	tt_boot(TT_TAP);
	if (vu_failed)
		return;
	ls = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	VU_REQUIRE(ls >= 0);
	la.sin_port = htons(TT_PORT);
	la.sin_addr.s_addr = htonl(vu_addr(TT_LINUX));
	VU_REQUIRE(bind(ls, (struct sockaddr *)&la, sizeof(la)) == 0);
	rs = vu_udp_bound(vu_addr(TT_RUMP), TT_PORT);
	VU_REQUIRE(rs >= 0);
	pfd.fd = ls;
	pfd.events = POLLIN;
	for (i = 0; i < 40 && !vu_failed; i++) {
		size_t len = 1 + (size_t)(i * 211) % sizeof(out);

		/* rump -> Linux */
		vu_fill(out, len, (unsigned)i);
		VU_REQUIRE(rump_sys_sendto(rs, out, len, 0, VU_SA(&to),
		    sizeof(to)) == (rump_ssize_t)len);
		VU_REQUIRE(poll(&pfd, 1, 5000) == 1);
		flen = sizeof(from);
		n = recvfrom(ls, in, sizeof(in), 0, (struct sockaddr *)&from,
		    &flen);
		VU_REQUIRE(n == (ssize_t)len && memcmp(in, out, len) == 0);
		VU_REQUIRE(from.sin_addr.s_addr == htonl(vu_addr(TT_RUMP)));
		/* Linux -> rump (echo) */
		VU_REQUIRE(sendto(ls, in, (size_t)n, 0,
		    (struct sockaddr *)&from, flen) == n);
		VU_REQUIRE(vu_wait_readable(rs, 5000) == 1);
		VU_REQUIRE(rump_sys_recvfrom(rs, in, sizeof(in), 0, NULL,
		    NULL) == (rump_ssize_t)len);
		VU_REQUIRE(memcmp(in, out, len) == 0);
	}
	rump_sys_close(rs);
	close(ls);
}

/* Start `sh -c cmd` without waiting; its pid, or -1. */
static pid_t
tt_spawn(const char *cmd)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	pid_t pid;

	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
		return -1;
	return pid;
}

/* Wait up to ms for pid to exit; its exit status, or -1 (then killed). */
static int
tt_reap(pid_t pid, int ms)
{
	int st, i;

	for (i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		usleep(10 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

#define TT_NC_BYTES	(256 * 1024)

/*
 * TCP, Linux -> rump: busybox nc connects to a rump listener and sends a
 * file; the rump side reads every byte, compares, and closes, which ends
 * nc.
 */
static void
tcp_nc_linux_to_rump(void)
{
	struct rump_sockaddr_in sin = vu_sin(vu_addr(TT_RUMP), TT_PORT + 1);
	char path[] = "/tmp/nettap-nc.XXXXXX", cmd[256];
	static uint8_t out[TT_NC_BYTES], in[TT_NC_BYTES];
	rump_ssize_t n;
	size_t got = 0;
	pid_t pid = -1;
	int fd, ls, s = -1;

	tt_boot(TT_TAP);
	if (vu_failed)
		return;
	vu_fill(out, sizeof(out), 7);
	fd = mkstemp(path);
	VU_REQUIRE(fd >= 0);
	VU_CHECK(write(fd, out, sizeof(out)) == (ssize_t)sizeof(out));
	close(fd);
	ls = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	VU_CHECK(ls >= 0);
	VU_CHECK(ls < 0 || rump_sys_bind(ls, VU_SA(&sin), sizeof(sin)) == 0);
	VU_CHECK(ls < 0 || rump_sys_listen(ls, 1) == 0);
	if (!vu_failed) {
		snprintf(cmd, sizeof(cmd), "busybox nc %s %d < %s > /dev/null",
		    TT_RUMP, TT_PORT + 1, path);
		pid = tt_spawn(cmd);
		VU_CHECK(pid > 0);
	}
	if (!vu_failed && vu_wait_readable(ls, 10000) == 1)
		s = rump_sys_accept(ls, NULL, NULL);
	VU_CHECK(s >= 0);
	while (!vu_failed && got < sizeof(in) &&
	    vu_wait_readable(s, 10000) == 1) {
		n = rump_sys_read(s, in + got, sizeof(in) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	VU_CHECK(got == sizeof(in) && memcmp(in, out, sizeof(in)) == 0);
	if (s >= 0)
		rump_sys_close(s);
	if (ls >= 0)
		rump_sys_close(ls);
	if (pid > 0)
		VU_CHECK(tt_reap(pid, 10000) == 0);
	unlink(path);
}

/*
 * TCP, rump -> Linux: busybox nc -l receives what a rump socket sends;
 * the rump side closes, nc writes its file and exits; compared.
 */
static void
tcp_rump_to_nc_linux(void)
{
	struct rump_sockaddr_in to = vu_sin(vu_addr(TT_LINUX), TT_PORT + 2);
	char path[] = "/tmp/nettap-nc.XXXXXX", cmd[256];
	static uint8_t out[TT_NC_BYTES], in[TT_NC_BYTES + 1];
	size_t off = 0;
	rump_ssize_t n;
	pid_t pid;
	int fd, s = -1, i;

	tt_boot(TT_TAP);
	if (vu_failed)
		return;
	vu_fill(out, sizeof(out), 11);
	fd = mkstemp(path);
	VU_REQUIRE(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "busybox nc -l -p %d %s > %s", TT_PORT + 2,
	    TT_LINUX, path);
	pid = tt_spawn(cmd);
	VU_CHECK(pid > 0);
	/* the listener is up soon; a refused connect is retried */
	for (i = 0; i < 50 && s < 0 && !vu_failed; i++) {
		s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
		VU_CHECK(s >= 0);
		if (s >= 0 && rump_sys_connect(s, VU_SA(&to),
		    sizeof(to)) != 0) {
			rump_sys_close(s);
			s = -1;
			usleep(100 * 1000);
		}
	}
	VU_CHECK(s >= 0);
	while (!vu_failed && off < sizeof(out)) {
		n = rump_sys_write(s, out + off, sizeof(out) - off);
		VU_CHECK(n > 0);
		if (n > 0)
			off += (size_t)n;
	}
	if (s >= 0)
		VU_CHECK(rump_sys_close(s) == 0);
	if (pid > 0)
		VU_CHECK(tt_reap(pid, 10000) == 0);
	fd = open(path, O_RDONLY);
	VU_CHECK(fd >= 0);
	if (fd >= 0) {
		VU_CHECK(read(fd, in, sizeof(in)) == (ssize_t)sizeof(out));
		VU_CHECK(memcmp(in, out, sizeof(out)) == 0);
		close(fd);
	}
	unlink(path);
}

/* A tap made persistent beforehand is attached, and stays afterwards. */
static void
persistent_tap_attached(void)
{
	VU_REQUIRE(tt_sh("ip tuntap add dev %s mode tap", TT_PTAP) == 0);
	tt_boot(TT_PTAP);
	if (!vu_failed)
		VU_CHECK(tt_sh("busybox ping -c 2 -W 3 %s > /dev/null",
		    TT_RUMP) == 0);
}

static void
persistent_tap_after(void)
{
	/* Still there after the rump kernel closed it; then removed. */
	VU_CHECK(tt_sh("ip link show %s > /dev/null 2>&1", TT_PTAP) == 0);
	VU_CHECK(tt_sh("ip tuntap del dev %s mode tap", TT_PTAP) == 0);
}

/* The veth peer: a child in its own namespace, answering pings. */
static pid_t
tt_veth_peer(int *holdfd)
{
	int p[2], q[2];
	pid_t pid;
	char c;

	if (pipe(p) != 0 || pipe(q) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		close(q[1]);
		if (unshare(CLONE_NEWNET) != 0)
			_exit(1);
		c = 'r';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		/* Wait until the parent closes its end. */
		(void)read(q[0], &c, 1);
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		close(q[1]);
		return -1;
	}
	close(p[0]);
	*holdfd = q[1];
	return pid;
}

static void
ping_medians_rump_vs_veth(void)
{
	double rr[TT_NPING], lr[TT_NPING], vv[TT_NPING];
	double mrr, mlr, mvv;
	int hold = -1, got;
	pid_t peer;

	peer = tt_veth_peer(&hold);
	VU_REQUIRE(peer > 0);
	VU_CHECK(tt_sh("ip link add vtA type veth peer name vtB && "
	    "ip link set vtB netns %ld && "
	    "nsenter -t %ld -n sh -c 'ip link set lo up && "
	    "ip addr add 10.0.3.2/24 dev vtB && ip link set vtB up' && "
	    "ip addr add 10.0.3.1/24 dev vtA && ip link set vtA up",
	    (long)peer, (long)peer) == 0);
	if (!vu_failed) {
		/* First ping resolves ARP; measure after it. */
		(void)tt_linux_ping("10.0.3.2", 1, 2000, vv);
		got = tt_linux_ping("10.0.3.2", TT_NPING, 2000, vv);
		VU_CHECK(got == TT_NPING);
	}
	close(hold);
	(void)waitpid(peer, NULL, 0);
	if (vu_failed)
		return;
	tt_boot(TT_TAP);
	if (vu_failed)
		return;
	(void)vu_ping(vu_addr(TT_LINUX), 1, 2000, rr);
	VU_CHECK(vu_ping(vu_addr(TT_LINUX), TT_NPING, 2000, rr) == TT_NPING);
	VU_CHECK(tt_linux_ping(TT_RUMP, TT_NPING, 2000, lr) == TT_NPING);
	mrr = vu_median(rr, TT_NPING);
	mlr = vu_median(lr, TT_NPING);
	mvv = vu_median(vv, TT_NPING);
	printf("nettap: ping median: rump->Linux over tap %.1f us, "
	    "Linux->rump over tap %.1f us, Linux->Linux over veth %.1f us "
	    "(ratios %.2f, %.2f)\n", mrr, mlr, mvv, mrr / mvv, mlr / mvv);
}

/* ---- harness ------------------------------------------------------------ */

struct tt_case {
	const char	*name;
	void		(*fn)(void);
	void		(*after)(void);	/* after shutdown, or NULL */
};

static const struct tt_case tt_cases[] = {
	{ "linux_pings_rump_over_tap", linux_pings_rump, NULL },
	{ "rump_raw_icmp_pings_linux", rump_pings_linux, NULL },
	{ "udp_both_ways_with_linux_socket", udp_both_ways, NULL },
	{ "tcp_busybox_nc_linux_to_rump", tcp_nc_linux_to_rump, NULL },
	{ "tcp_rump_to_busybox_nc_linux", tcp_rump_to_nc_linux, NULL },
	{ "persistent_tap_attached", persistent_tap_attached,
	  persistent_tap_after },
	{ "ping_medians_rump_vs_veth", ping_medians_rump_vs_veth, NULL },
};

static int
tt_run(const struct tt_case *tc)
{
	int rv;

	vu_failed = 0;
	vu_msg[0] = '\0';
	tc->fn();
	rv = rump_shutdown();
	rumphyp_fini();
	if (tc->after != NULL)
		tc->after();
	if (vu_failed)
		return -1;
	if (rv != 0 && rv != RUMP_ENXIO) {
		snprintf(vu_msg, sizeof(vu_msg), "rump_shutdown: %d", rv);
		return -1;
	}
	/* The tap went away with the rump kernel's descriptor. */
	if (tt_sh("ip link show %s > /dev/null 2>&1", TT_TAP) == 0) {
		snprintf(vu_msg, sizeof(vu_msg), "%s outlived the kernel",
		    TT_TAP);
		return -1;
	}
	return vu_check_clean();
}

/* Why this program cannot run here, or NULL. */
static const char *
tt_cannot_run(void)
{
	static char why[256];
	int fd;

	if (geteuid() != 0)
		return "not root (needs CAP_NET_ADMIN for a namespace and a tap)";
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, sizeof(why), "/dev/net/tun: %s",
		    strerror(errno));
		return why;
	}
	close(fd);
	if (unshare(CLONE_NEWNET) != 0) {
		snprintf(why, sizeof(why), "unshare(CLONE_NEWNET): %s",
		    strerror(errno));
		return why;
	}
	if (tt_sh("ip link set lo up") != 0)
		return "`ip link set lo up` failed in the new namespace";
	if (tt_sh("busybox ping -h 2>&1 | grep -q ping") != 0)
		return "busybox (with ping) not found";
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	const char *why;
	size_t i;
	int nfail = 0, nrun = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	why = tt_cannot_run();
	for (i = 0; i < sizeof(tt_cases) / sizeof(tt_cases[0]); i++) {
		if (filter != NULL && strcmp(filter, tt_cases[i].name) != 0)
			continue;
		nrun++;
		if (why != NULL) {
			printf("FAIL: nettap.%s: %s\n", tt_cases[i].name, why);
			nfail++;
		} else if (tt_run(&tt_cases[i]) == 0) {
			printf("PASS: nettap.%s\n", tt_cases[i].name);
		} else {
			printf("FAIL: nettap.%s: %s\n", tt_cases[i].name,
			    vu_msg);
			nfail++;
		}
	}
	if (nrun == 0) {
		printf("FAIL: nettap.filter: no case named %s\n", filter);
		return 1;
	}
	return nfail != 0;
}
