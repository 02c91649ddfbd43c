/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ktest.c: the host driver of the kernel-side unit tests.
 *
 * Usage: host_ktest [suite | suite.name]
 *
 * For every case of ktest_table[] (optionally filtered) it boots a fresh
 * rump kernel on the POSIX hypervisor, runs the case (ktest_run), shuts
 * the kernel down and resets the hypervisor (rumphyp_fini), then checks
 * the hypervisor's live-object counters: any allocation, thread, lock,
 * file or mapping left over fails the case, and so does any allocation
 * kmem_fini had to reclaim (a kernel-level leak).  One line per case:
 * `PASS: kern.<suite>.<name>` or `FAIL: kern.<suite>.<name>: <why>`.
 * Exit status 1 if any case failed.
 *
 * Two naming conventions change what "pass" means (see ktest.h):
 *  - *_panics cases run in a forked child whose console output is
 *    captured: they pass when the kernel panicked (the gate returned
 *    ENXIO, or the hypervisor's panic exit aborted the child) and the
 *    output holds a "panic: " line, which is echoed as an info line;
 *  - *_leaks cases pass only when kmem_fini reported leaks and the
 *    hypervisor still got everything back.
 */
#include <errno.h>
#include <signal.h>
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

#include "ktest_host.h"

#define HK_MSGLEN	512
#define HK_OUTMAX	65536

static int
hk_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
hk_selected(const char *filter, const char *suite, const char *name)
{
	char full[256];

	if (filter == NULL)
		return 1;
	snprintf(full, sizeof(full), "%s.%s", suite, name);
	return strcmp(filter, suite) == 0 || strcmp(filter, full) == 0;
}

/*
 * After shutdown every hypervisor object must be gone.  A thread that
 * has been joined may still be finishing its last hypervisor bookkeeping
 * for a moment, so the counters get up to a second to settle.
 */
static int
hk_check_hyp_clean(char *msg, size_t msglen)
{
	struct rumphyp_stats st;
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < 1000; i++) {
		rumphyp_stats(&st);
		if (st.live_allocs == 0 && st.live_bytes == 0 &&
		    st.live_threads == 0 && st.live_locks == 0 &&
		    st.live_mappings == 0 && st.open_files == 0 &&
		    st.bio_inflight == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	snprintf(msg, msglen, "hypervisor leak after shutdown: allocs %ld "
	    "bytes %ld threads %ld locks %ld mappings %ld files %ld bio %ld",
	    st.live_allocs, st.live_bytes, st.live_threads, st.live_locks,
	    st.live_mappings, st.open_files, st.bio_inflight);
	return -1;
}

/* Boot, run, shut down, check.  Returns 0 on pass, msg says why not. */
static int
hk_run_inline(int idx, int expect_leaks, char *msg, size_t msglen)
{
	unsigned long leaks;
	int rv, res;

	rv = rump_init();
	if (rv != 0) {
		snprintf(msg, msglen, "rump_init: error %d", rv);
		return -1;
	}
	res = ktest_run(idx, msg, msglen);
	if (res == KTEST_PANICKED)
		return -1;	/* unreachable in practice: the process aborts */
	rv = rump_shutdown();
	rumphyp_fini();
	if (res != KTEST_PASSED)
		return -1;
	if (rv != 0) {
		snprintf(msg, msglen, "rump_shutdown: error %d", rv);
		return -1;
	}
	if (hk_check_hyp_clean(msg, msglen) != 0)
		return -1;
	leaks = ktest_kmem_last_leaks();
	if (expect_leaks && leaks == 0) {
		snprintf(msg, msglen, "expected kmem_fini to report leaks");
		return -1;
	}
	if (!expect_leaks && leaks != 0) {
		snprintf(msg, msglen, "kernel leaked %lu allocations (see "
		    "the kmem: lines above)", leaks);
		return -1;
	}
	return 0;
}

/* Child of hk_run_panics: report ktest_run's result, then leave. */
static void
hk_panic_child(int idx, int outfd, int resfd)
{
	char msg[HK_MSGLEN];
	int res;

	if (dup2(outfd, STDOUT_FILENO) < 0 || dup2(outfd, STDERR_FILENO) < 0)
		_exit(90);
	close(outfd);
	if (rump_init() != 0)
		_exit(91);
	res = ktest_run(idx, msg, sizeof(msg));
	if (write(resfd, &res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(92);
	fflush(stdout);
	_exit(0);
}

/* Find the "panic: " line in out, copy it (without newline) to line. */
static int
hk_find_panic(const char *out, char *line, size_t linelen)
{
	const char *p = strstr(out, "panic: ");
	size_t n;

	if (p == NULL)
		return -1;
	n = strcspn(p, "\n");
	if (n >= linelen)
		n = linelen - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	return 0;
}

static int
hk_run_panics(int idx, char *msg, size_t msglen)
{
	char *out, line[256];
	int outp[2], resp[2], status, res = -1;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	out = malloc(HK_OUTMAX);
	if (out == NULL || pipe(outp) != 0 || pipe(resp) != 0) {
		snprintf(msg, msglen, "setup: %s", strerror(errno));
		free(out);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(msg, msglen, "fork: %s", strerror(errno));
		free(out);
		return -1;
	}
	if (pid == 0) {
		close(outp[0]);
		close(resp[0]);
		hk_panic_child(idx, outp[1], resp[1]);
	}
	close(outp[1]);
	close(resp[1]);
	while (got < HK_OUTMAX - 1 &&
	    (n = read(outp[0], out + got, HK_OUTMAX - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(outp[0]);
	if (read(resp[0], &res, sizeof(res)) != (ssize_t)sizeof(res))
		res = -1;
	close(resp[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		continue;

	if (hk_find_panic(out, line, sizeof(line)) != 0) {
		snprintf(msg, msglen, "no panic (ktest_run %d, child status "
		    "%#x)", res, status);
		free(out);
		return -1;
	}
	free(out);
	if (res == KTEST_PANICKED || (WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGABRT)) {
		printf("info: %s\n", line);
		return 0;
	}
	snprintf(msg, msglen, "panicked but case returned %d, status %#x",
	    res, status);
	return -1;
}

int
main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	char msg[HK_MSGLEN];
	int n = ktest_count(), npass = 0, nfail = 0, rv;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* kt_net_virtif.c: two interfaces on one bus of this process. */
	snprintf(msg, sizeof(msg), "bus:/tmp/rumpvif-ktest.%ld",
	    (long)getpid());
	if (setenv("RUMP_VIF_virt98", msg, 0) != 0 ||
	    setenv("RUMP_VIF_virt99", msg, 0) != 0)
		fprintf(stderr, "host_ktest: setenv: %s\n", strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *suite = ktest_suite(i), *name = ktest_name(i);

		if (!hk_selected(filter, suite, name))
			continue;
		msg[0] = '\0';
		if (hk_ends_with(name, "_panics"))
			rv = hk_run_panics(i, msg, sizeof(msg));
		else
			rv = hk_run_inline(i, hk_ends_with(name, "_leaks"),
			    msg, sizeof(msg));
		if (rv == 0) {
			printf("PASS: kern.%s.%s\n", suite, name);
			npass++;
		} else {
			printf("FAIL: kern.%s.%s: %s\n", suite, name, msg);
			nfail++;
		}
	}
	if (npass + nfail == 0) {
		fprintf(stderr, "host_ktest: no case matches \"%s\"\n",
		    filter != NULL ? filter : "");
		return 1;
	}
	return nfail != 0;
}
