/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_twokern.c: the two-kernel harness of host_net_vif.c and
 * host_net_tcp2k.c (see host_twokern.h): each case forks two children,
 * A and B, each one rump kernel with virt0 on the same host-local bus;
 * a socketpair between them is the barrier, a pipe carries the first
 * failure's reason back.  Every child shuts its kernel down and checks
 * for leaks even after a failure.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_twokern.h"

static const char *nv_suite;
static unsigned nv_child_secs;

/* Both children reach the same point (a byte each way). */
void
nv_barrier(struct nv_peer *p)
{
	struct pollfd pfd = { p->np_ctl, POLLIN, 0 };
	char c = 'b';

	VU_REQUIRE(write(p->np_ctl, &c, 1) == 1);
	VU_REQUIRE(poll(&pfd, 1, 60000) == 1);
	VU_REQUIRE(read(p->np_ctl, &c, 1) == 1);
}

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

	alarm(nv_child_secs);
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

	snprintf(dir, sizeof(dir), "/tmp/rump%s-test.%ld.%s", nv_suite,
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
nv_main(const char *suite, const struct nv_case *cases, size_t ncases,
    unsigned child_secs, int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	char why[1024];
	size_t i;
	int nfail = 0, nrun = 0;

	nv_suite = suite;
	nv_child_secs = child_secs;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ncases; i++) {
		if (filter != NULL && strcmp(filter, cases[i].nc_name) != 0)
			continue;
		nrun++;
		memset(why, 0, sizeof(why));
		if (nv_run(&cases[i], why, sizeof(why)) == 0) {
			printf("PASS: %s.%s\n", suite, cases[i].nc_name);
		} else {
			printf("FAIL: %s.%s: %s\n", suite,
			    cases[i].nc_name, why);
			nfail++;
		}
	}
	if (nrun == 0) {
		printf("FAIL: %s.filter: no case named %s\n", suite,
		    filter);
		return 1;
	}
	return nfail != 0;
}
