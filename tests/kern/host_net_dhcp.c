/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_net_dhcp.c: the DHCP client (rump_pub_netconfig_dhcp_ipv4_oneshot)
 * against a real server: busybox udhcpd on the Linux side of a tap
 * (hypervisor/posix/vif.c, RUMP_VIF_virt0=tap:<name>), inside a network
 * namespace this program makes for itself (unshare(CLONE_NEWNET)), so
 * every address used exists only there.
 *
 * Usage: host_net_dhcp [case]    (root; CI runs as root)
 *
 * Linux side: the tap at 10.0.2.2/24 with `busybox udhcpd -f` serving a
 * pool of exactly 10.0.2.17, mask /24, router 10.0.2.2.  Each case boots
 * a fresh rump kernel and checks for leaks after shutdown.  Without root,
 * /dev/net/tun or busybox every case FAILS with the reason (never
 * skipped).  One line per case, `PASS: netdhcp.<case>` or
 * `FAIL: netdhcp.<case>: <why>`; exit 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_vifutil.h"

extern char **environ;

#define TD_TAP		"rumpdhcp0"
#define TD_LINUX	"10.0.2.2"
#define TD_LEASED	"10.0.2.17"

static char td_dir[64];		/* udhcpd's config, leases, pid file */

/* Run a shell command line; its exit status, or -1. */
static int
td_sh(const char *fmt, ...)
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

/* Is some socket bound to UDP port 67 in this namespace? */
static int
td_server_listening(void)
{
	char line[256];
	FILE *f;
	int found = 0;

	f = fopen("/proc/net/udp", "r");
	if (f == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, ":0043 ") != NULL;
	fclose(f);
	return found;
}

/* Start `busybox udhcpd -f` on the tap; its pid, or -1. */
static pid_t
td_udhcpd_start(void)
{
	char conf[128], leases[128];
	char *argv[] = { "busybox", "udhcpd", "-f", conf, NULL };
	struct timespec ts = { 0, 10000000 };
	pid_t pid;
	FILE *f;
	int i;

	snprintf(conf, sizeof(conf), "%s/udhcpd.conf", td_dir);
	snprintf(leases, sizeof(leases), "%s/leases", td_dir);
	f = fopen(leases, "w");		/* udhcpd wants it to exist */
	if (f == NULL)
		return -1;
	fclose(f);
	f = fopen(conf, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "interface %s\nstart %s\nend %s\n"
	    "option subnet 255.255.255.0\noption router %s\n"
	    "option lease 600\nlease_file %s\npidfile %s/udhcpd.pid\n",
	    TD_TAP, TD_LEASED, TD_LEASED, TD_LINUX, leases, td_dir);
	fclose(f);
	if (posix_spawnp(&pid, "busybox", NULL, NULL, argv, environ) != 0)
		return -1;
	/* Wait until it listens, so the first DISCOVER is not lost (the
	 * client would only retry 4 s later). */
	for (i = 0; i < 300 && !td_server_listening(); i++)
		nanosleep(&ts, NULL);
	return pid;
}

static void
td_udhcpd_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	(void)kill(pid, SIGTERM);
	(void)waitpid(pid, NULL, 0);
}

/* Boot with virt0 on the tap; the Linux side at TD_LINUX/24, up. */
static void
td_boot(void)
{
	VU_REQUIRE(setenv("RUMP_VIF_virt0", "tap:" TD_TAP, 1) == 0);
	VU_REQUIRE(rump_init() == 0);
	VU_REQUIRE(rump_pub_netconfig_ifcreate("virt0") == 0);
	VU_REQUIRE(td_sh("ip addr add %s/24 dev %s && ip link set %s up",
	    TD_LINUX, TD_TAP, TD_TAP) == 0);
}

/* ---- cases -------------------------------------------------------------- */

/* The lease is applied: the address answers Linux's ping, is the
 * source towards Linux, and a default route exists. */
static void
lease_from_udhcpd_is_applied(void)
{
	struct rump_sockaddr_in far = vu_sin(vu_addr("192.0.2.1"), 9);
	struct rump_sockaddr_in lx = vu_sin(vu_addr(TD_LINUX), 9), name;
	rump_socklen_t len = sizeof(name);
	pid_t srv;
	int s;

	td_boot();
	if (vu_failed)
		return;
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	VU_REQUIRE(s >= 0);
	/* Before: no address, no default route. */
	VU_CHECK(rump_sys_sendto(s, "x", 1, 0, VU_SA(&far), sizeof(far)) ==
	    -1 && rump_errno() == RUMP_ENETUNREACH);
	srv = td_udhcpd_start();
	VU_CHECK(srv > 0 && td_server_listening());
	if (!vu_failed)
		VU_CHECK(rump_pub_netconfig_dhcp_ipv4_oneshot("virt0") == 0);
	td_udhcpd_stop(srv);
	if (vu_failed) {
		rump_sys_close(s);
		return;
	}
	VU_CHECK(td_sh("busybox ping -c 2 -W 3 %s > /dev/null",
	    TD_LEASED) == 0);
	VU_CHECK(rump_sys_connect(s, VU_SA(&lx), sizeof(lx)) == 0);
	VU_CHECK(rump_sys_getsockname(s, VU_SA(&name), &len) == 0 &&
	    name.sin_addr.s_addr == vu_sin(vu_addr(TD_LEASED), 0)
	    .sin_addr.s_addr);
	rump_sys_close(s);
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0);
	VU_REQUIRE(s >= 0);
	VU_CHECK(rump_sys_sendto(s, "x", 1, 0, VU_SA(&far), sizeof(far)) ==
	    1);
	rump_sys_close(s);
	/* The same lease again: it is already configured. */
	srv = td_udhcpd_start();
	VU_CHECK(srv > 0);
	if (srv > 0)
		VU_CHECK(rump_pub_netconfig_dhcp_ipv4_oneshot("virt0") ==
		    RUMP_EEXIST);
	td_udhcpd_stop(srv);
}

/* ---- harness ------------------------------------------------------------ */

struct td_case {
	const char	*name;
	void		(*fn)(void);
};

static const struct td_case td_cases[] = {
	{ "lease_from_udhcpd_is_applied", lease_from_udhcpd_is_applied },
};

static int
td_run(const struct td_case *tc)
{
	int rv;

	vu_failed = 0;
	vu_msg[0] = '\0';
	tc->fn();
	rv = rump_shutdown();
	rumphyp_fini();
	if (vu_failed)
		return -1;
	if (rv != 0 && rv != RUMP_ENXIO) {
		snprintf(vu_msg, sizeof(vu_msg), "rump_shutdown: %d", rv);
		return -1;
	}
	if (td_sh("ip link show %s > /dev/null 2>&1", TD_TAP) == 0) {
		snprintf(vu_msg, sizeof(vu_msg), "%s outlived the kernel",
		    TD_TAP);
		return -1;
	}
	return vu_check_clean();
}

/* Why this program cannot run here, or NULL. */
static const char *
td_cannot_run(void)
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
	if (td_sh("ip link set lo up") != 0)
		return "`ip link set lo up` failed in the new namespace";
	if (td_sh("busybox udhcpd --help > /dev/null 2>&1; "
	    "busybox --list | grep -qx udhcpd") != 0)
		return "busybox (with udhcpd) not found";
	snprintf(td_dir, sizeof(td_dir), "/tmp/host_net_dhcp.XXXXXX");
	if (mkdtemp(td_dir) == NULL)
		return "mkdtemp failed";
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL, *why;
	size_t i;
	int nfail = 0, nrun = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	why = td_cannot_run();
	for (i = 0; i < sizeof(td_cases) / sizeof(td_cases[0]); i++) {
		if (filter != NULL && strcmp(filter, td_cases[i].name) != 0)
			continue;
		nrun++;
		if (why != NULL) {
			printf("FAIL: netdhcp.%s: %s\n", td_cases[i].name, why);
			nfail++;
		} else if (td_run(&td_cases[i]) == 0) {
			printf("PASS: netdhcp.%s\n", td_cases[i].name);
		} else {
			printf("FAIL: netdhcp.%s: %s\n", td_cases[i].name,
			    vu_msg);
			nfail++;
		}
	}
	if (td_dir[0] != '\0')
		(void)td_sh("rm -rf %s", td_dir);
	if (nrun == 0) {
		printf("FAIL: netdhcp.filter: no case named %s\n", filter);
		return 1;
	}
	return nfail != 0;
}
