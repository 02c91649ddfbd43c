/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_misc.c: parameters, console, signals and randomness.
 *
 * - rumpuser_getparam: _RUMPUSER_NCPU, _RUMPUSER_HOSTNAME and RUMP_VERBOSE
 *   from the configuration the glue set (hyp_set_params).  A buffer too
 *   small for value and NUL gives E2BIG, never a truncated value.
 * - rumpuser_putchar/dprintf: the rump console, line-buffered into printk
 *   lines "rump: <line>" (a line longer than the buffer is split).  Lines
 *   are rate-limited (a burst of HYP_CONS_BURST per HYP_CONS_INTERVAL) so
 *   that a rump kernel printing in a loop cannot flood the host log; the
 *   kernel reports how many were suppressed.
 * - rumpuser_kill: there is no host process behind a rump kernel in the
 *   Linux kernel, so a signal to RUMPUSER_PID_SELF is logged and dropped.
 * - rumpuser_getrandom: get_random_bytes, which never blocks; HARD without
 *   NOWAIT first waits (wrapped) until the host pool is initialised.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/cpumask.h>
#include <linux/stdarg.h>
#include <linux/ratelimit.h>

#include "hyp.h"

#define HYP_CONS_LINE	200
#define HYP_DPRINTF_MAX	512
#define HYP_CONS_INTERVAL	(5 * HZ)
#define HYP_CONS_BURST		500

static DEFINE_SPINLOCK(hyp_cons_lock);
static DEFINE_RATELIMIT_STATE(hyp_cons_rs, HYP_CONS_INTERVAL, HYP_CONS_BURST);
static char hyp_cons_buf[HYP_CONS_LINE];
static size_t hyp_cons_len;
static char hyp_dprintf_buf[HYP_DPRINTF_MAX];	/* under hyp_cons_lock */

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	char num[16];
	const char *val;
	size_t len;
	int ncpu;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0) {
		ncpu = hyp_cfg.hp_ncpu;
		if (ncpu == 0)
			ncpu = min_t(int, num_online_cpus(), HYP_NCPU_MAX);
		snprintf(num, sizeof(num), "%d", ncpu);
		val = num;
	} else if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0) {
		val = hyp_cfg.hp_hostname;
	} else if (strcmp(name, "RUMP_VERBOSE") == 0) {
		val = hyp_cfg.hp_verbose ? "1" : "0";
	} else {
		return RUMP_ENOENT;
	}

	len = strlen(val) + 1;
	if (len > buflen)
		return RUMP_E2BIG;
	memcpy(buf, val, len);
	return 0;
}

/* Caller holds hyp_cons_lock. */
static void
hyp_cons_emit(void)
{
	if (hyp_cons_len == 0)
		return;
	if (__ratelimit(&hyp_cons_rs))
		pr_info("rump: %.*s\n", (int)hyp_cons_len, hyp_cons_buf);
	hyp_cons_len = 0;
}

/* Caller holds hyp_cons_lock. */
static void
hyp_cons_put(char ch)
{
	if (ch == '\n') {
		hyp_cons_emit();
		return;
	}
	hyp_cons_buf[hyp_cons_len++] = ch;
	if (hyp_cons_len == sizeof(hyp_cons_buf))
		hyp_cons_emit();
}

void
rumpuser_putchar(int ch)
{
	spin_lock(&hyp_cons_lock);
	hyp_cons_put((char)ch);
	spin_unlock(&hyp_cons_lock);
}

void
rumpuser_dprintf(const char *fmt, ...)
{
	va_list ap;
	int i, n;

	spin_lock(&hyp_cons_lock);
	va_start(ap, fmt);
	n = vscnprintf(hyp_dprintf_buf, sizeof(hyp_dprintf_buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < n; i++)
		hyp_cons_put(hyp_dprintf_buf[i]);
	spin_unlock(&hyp_cons_lock);
}

/* hyp_console_flush: print a pending partial line (panic, unload). */
void
hyp_console_flush(void)
{
	spin_lock(&hyp_cons_lock);
	hyp_cons_emit();
	spin_unlock(&hyp_cons_lock);
}

int
rumpuser_kill(int64_t pid, int sig)
{
	if (pid != RUMPUSER_PID_SELF)
		return hyp_errno_to_rump(ESRCH);
	pr_info_ratelimited("rump: signal %d to the rump kernel's own "
	    "process ignored: no host process in the kernel host\n", sig);
	return 0;
}

int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	int nlocks, err;

	if ((flags & RUMPUSER_RANDOM_HARD) &&
	    !(flags & RUMPUSER_RANDOM_NOWAIT) && !rng_is_initialized()) {
		hyp_unsched(&nlocks, NULL);
		err = wait_for_random_bytes();
		hyp_sched(nlocks, NULL);
		if (err)
			return hyp_errno(err);
	}
	get_random_bytes(buf, buflen);
	*retp = buflen;
	return 0;
}
