/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_runner.c: runs the kernel-side test cases of ktest_table[] for the
 * host driver (host_ktest.c, through ktest_host.h).
 *
 * ktest_run() enters the kernel through rump_gate(), like any public API
 * call, so the case body runs on a host thread with an implicit lwp of
 * proc0 and a CPU; a panic inside the case unwinds to the gate, which
 * returns ENXIO (reported as KTEST_PANICKED).  Failures are recorded in
 * one context per run: the first message is kept for the host, every
 * failure is also printed on the console.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/syscall.h>

#include "ktest.h"
#include "ktest_host.h"
#include "../../rumpsrc/kern/kern_private.h"

struct ktest_ctx {
	volatile u_int	kx_nfail;
	volatile u_int	kx_msgset;
	char		kx_msg[256];
};

struct ktest_arg {
	const struct ktest_case	*ka_case;
	struct ktest_ctx	*ka_ctx;
};

/* One run at a time (the host driver is sequential). */
static struct ktest_ctx ktest_cur;

int
ktest_count(void)
{
	int n = 0;

	while (ktest_table[n] != NULL)
		n++;
	return n;
}

const char *
ktest_suite(int idx)
{
	return ktest_table[idx]->kc_suite;
}

const char *
ktest_name(int idx)
{
	return ktest_table[idx]->kc_name;
}

void
ktest_fail(struct ktest_ctx *ctx, const char *file, int line,
    const char *fmt, ...)
{
	char msg[200];
	const char *base = strrchr(file, '/');
	va_list ap;

	base = base != NULL ? base + 1 : file;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	atomic_inc_uint(&ctx->kx_nfail);
	printf("ktest: %s:%d: %s\n", base, line, msg);
	if (atomic_cas_uint(&ctx->kx_msgset, 0, 1) == 0) {
		(void)snprintf(ctx->kx_msg, sizeof(ctx->kx_msg),
		    "%s:%d: %s", base, line, msg);
	}
}

bool
ktest_failed(struct ktest_ctx *ctx)
{
	return atomic_load_relaxed(&ctx->kx_nfail) != 0;
}

static int
ktest_body(void *arg)
{
	struct ktest_arg *ka = arg;

	ka->ka_case->kc_fn(ka->ka_ctx);
	return 0;
}

int
ktest_run(int idx, char *msg, unsigned long msglen)
{
	struct ktest_arg ka;
	int error;

	memset(&ktest_cur, 0, sizeof(ktest_cur));
	ka.ka_case = ktest_table[idx];
	ka.ka_ctx = &ktest_cur;
	if (msglen > 0)
		msg[0] = '\0';

	error = rump_gate(ktest_body, &ka);
	if (error == ENXIO) {
		if (msglen > 0)
			strlcpy(msg, "the kernel panicked", msglen);
		return KTEST_PANICKED;
	}
	if (error != 0) {
		if (msglen > 0)
			snprintf(msg, msglen, "cannot enter the kernel: "
			    "error %d", error);
		return KTEST_FAILED;
	}
	if (ktest_cur.kx_nfail == 0)
		return KTEST_PASSED;
	if (msglen > 0) {
		if (ktest_cur.kx_nfail > 1)
			snprintf(msg, msglen, "%s (and %u more)",
			    ktest_cur.kx_msg, ktest_cur.kx_nfail - 1);
		else
			strlcpy(msg, ktest_cur.kx_msg, msglen);
	}
	return KTEST_FAILED;
}

unsigned long
ktest_kmem_last_leaks(void)
{
	return kmem_last_leaks();
}
