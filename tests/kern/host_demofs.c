/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_demofs.c: the userspace twin of the guest's file system modules,
 * run by `make check` (test-user and test-asan).
 *
 * It runs, on the userspace rump kernel (the POSIX hypervisor), the very
 * code the Linux modules run: demos/fs/demofs.c (rump_demofs.ko) and
 * demos/vfstest/vfstest.c (rump_vfstest.ko).  Both are #included below
 * rather than linked: the Makefile builds every tests/kern/host_*.c with
 * main() into one program, and including the shared files keeps that rule
 * unchanged while guaranteeing that the module and the twin run the same
 * source (the dependency files track the included sources).
 *
 * Cases (each on a fresh rump kernel, with the hypervisor's and kmem's
 * leak counters checked after rump_shutdown):
 *   demo.fs.run            demofs_run() returns 0 and prints "ok"
 *   demo.fs.no_leaks       nothing left after shutdown
 *   vfstest.<case>         each case of vfstest.c
 *   vfstest.no_leaks       nothing left after shutdown
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rumphyp_posix.h>

#include "host_clean.h"
#include "ktest_host.h"

#include "../../demos/fs/demofs.c"
#include "../../demos/vfstest/vfstest.c"

static int hd_demo_said_ok;

static void hd_demo_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("rump_demofs: %s\n", line);
	if (strncmp(line, "ok", 2) == 0)
		hd_demo_said_ok = 1;
}

static void hd_vfstest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void *hd_alloc(rump_size_t size)
{
	return malloc(size);
}

static void hd_free(void *p)
{
	free(p);
}

static const struct demofs_env hd_demo_env = {
	.de_printf = hd_demo_printf,
	.de_alloc = hd_alloc,
	.de_free = hd_free,
};

static const struct vfstest_env hd_vfstest_env = {
	.ve_printf = hd_vfstest_printf,
	.ve_alloc = hd_alloc,
	.ve_free = hd_free,
	.ve_prefix = "vfstest",
};

static int hd_leak_case(const char *name)
{
	char msg[256];

	if (host_shutdown_clean(msg, sizeof(msg)) != 0) {
		printf("FAIL: %s: %s\n", name, msg);
		return 1;
	}
	printf("PASS: %s\n", name);
	return 0;
}

int main(void)
{
	int nfail = 0, rv;

	setvbuf(stdout, NULL, _IOLBF, 0);

	rv = rump_init();
	if (rv != 0) {
		printf("FAIL: demo.fs.run: rump_init: error %d\n", rv);
		nfail++;
	} else {
		rv = demofs_run(&hd_demo_env);
		if (rv != 0) {
			printf("FAIL: demo.fs.run: error %d\n", rv);
			nfail++;
		} else if (!hd_demo_said_ok) {
			printf("FAIL: demo.fs.run: no \"ok\" line\n");
			nfail++;
		} else {
			printf("PASS: demo.fs.run\n");
		}
		nfail += hd_leak_case("demo.fs.no_leaks");
	}

	rv = rump_init();
	if (rv != 0) {
		printf("FAIL: vfstest.setup: rump_init: error %d\n", rv);
		nfail++;
	} else {
		nfail += vfstest_run(&hd_vfstest_env);
		nfail += hd_leak_case("vfstest.no_leaks");
	}
	return nfail == 0 ? 0 : 1;
}
