/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_prf.c: kernel-side tests of formatted output (kern/kern_prf.c):
 * every conversion, flag, width/precision form and length modifier of
 * vsnprintf, the edge cases (NULL %s, LONG_MIN, truncation and its return
 * value), and whole-line console output from concurrent printf callers.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>

#include "ktest.h"
#include "../../rumpsrc/kern/kern_private.h"

/*
 * Format through a function without a format attribute: several cases are
 * deliberately odd (flags the compiler calls redundant, NULL for %s).
 */
static void
kt_fmt(struct ktest_ctx *ctx, int line, const char *want, const char *fmt,
    ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0 || n != (int)strlen(want))
		ktest_fail(ctx, __FILE__, line, "format \"%s\": got \"%s\" "
		    "(%d), want \"%s\" (%zu)", fmt, buf, n, want,
		    strlen(want));
}

#define KT_FMT(want, ...)	kt_fmt(ctx, __LINE__, want, __VA_ARGS__)

KTEST(prf, vsnprintf_integers)
{
	KT_FMT("0", "%d", 0);
	KT_FMT("-1", "%d", -1);
	KT_FMT("42 -42", "%i %i", 42, -42);
	KT_FMT("-2147483648", "%d", -2147483647 - 1);
	KT_FMT("4294967295", "%u", 4294967295U);
	KT_FMT("-9223372036854775808", "%ld", -9223372036854775807L - 1);
	KT_FMT("9223372036854775807", "%ld", 9223372036854775807L);
	KT_FMT("18446744073709551615", "%lu", ~0UL);
	KT_FMT("-9223372036854775808", "%lld", -9223372036854775807LL - 1);
	KT_FMT("-9223372036854775808", "%jd", (intmax_t)(-9223372036854775807LL - 1));
	KT_FMT("123 -5", "%zu %zd", (size_t)123, (ssize_t)-5);
	KT_FMT("-7", "%td", (ptrdiff_t)-7);
	KT_FMT("44 4464 7", "%hhd %hd %hhu", 300, 70000, 263);
	KT_FMT("2345", "%hx", 0x12345);
}

KTEST(prf, vsnprintf_bases_and_alternate_forms)
{
	KT_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefU, 0xdeadbeefU);
	KT_FMT("0xff 0XFF", "%#x %#X", 255, 255);
	KT_FMT("0", "%#x", 0);
	KT_FMT("17 017", "%o %#o", 15, 15);
	KT_FMT("0", "%#o", 0);
	KT_FMT("1777777777777777777777", "%lo", ~0UL);
	KT_FMT("ffffffffffffffff", "%llx", ~0ULL);
	KT_FMT("0x1234", "%p", (void *)0x1234);
	KT_FMT("0x0", "%p", NULL);
	KT_FMT("%", "%%");
	KT_FMT("a%b", "a%%b");
}

KTEST(prf, vsnprintf_width_precision_flags)
{
	KT_FMT("   42|", "%5d|", 42);
	KT_FMT("42   |", "%-5d|", 42);
	KT_FMT("00042", "%05d", 42);
	KT_FMT("-0042", "%05d", -42);
	KT_FMT("+5 -5", "%+d %+d", 5, -5);
	KT_FMT(" 5", "% d", 5);
	KT_FMT("+5", "%+ d", 5);
	KT_FMT("005", "%.3d", 5);
	KT_FMT("-005", "%.3d", -5);
	KT_FMT("     005", "%8.3d", 5);
	KT_FMT("005     |", "%-8.3d|", 5);
	KT_FMT("", "%.0d", 0);
	KT_FMT("     |", "%5.0d|", 0);
	KT_FMT("       005", "%010.3d", 5);
	KT_FMT("0x00ff", "%#06x", 255);
	KT_FMT("    42", "%*d", 6, 42);
	KT_FMT("42    |", "%*d|", -6, 42);
	KT_FMT("007", "%.*d", 3, 7);
	KT_FMT("7", "%.*d", -1, 7);
	KT_FMT("  -9223372036854775808", "%22ld", -9223372036854775807L - 1);
	KT_FMT("-000000000000000000001", "%022d", -1);
}

KTEST(prf, vsnprintf_strings_and_chars)
{
	static const char unterminated[3] = { 'a', 'b', 'c' };

	KT_FMT("(null)", "%s", (char *)NULL);
	KT_FMT("he", "%.2s", "hello");
	KT_FMT("    abc", "%7s", "abc");
	KT_FMT("abc    |", "%-7s|", "abc");
	KT_FMT("  ab", "%4.2s", "abcdef");
	KT_FMT("abc", "%.*s", 3, unterminated);
	KT_FMT("", "%s", "");
	KT_FMT("x", "%c", 'x');
	KT_FMT("  x", "%3c", 'x');
	KT_FMT("x  |", "%-3c|", 'x');
	KT_FMT("a1b", "%c%d%c", 'a', 1, 'b');
}

KTEST(prf, vsnprintf_truncates_and_returns_full_length)
{
	char buf[16];
	int n;

	memset(buf, 'Z', sizeof(buf));
	n = snprintf(buf, 5, "%s", "hello world");
	KT_CHECK_EQ(n, 11);
	KT_CHECK_STR(buf, "hell");
	KT_CHECK_EQ(buf[5], 'Z');

	n = snprintf(NULL, 0, "%d-%s", 12345, "abc");
	KT_CHECK_EQ(n, 9);

	memset(buf, 'Z', sizeof(buf));
	n = snprintf(buf, 1, "%d", 987);
	KT_CHECK_EQ(n, 3);
	KT_CHECK_EQ(buf[0], '\0');
	KT_CHECK_EQ(buf[1], 'Z');

	n = snprintf(buf, sizeof(buf), "%-300d|", 1);
	KT_CHECK_EQ(n, 301);
	KT_CHECK_EQ(strlen(buf), sizeof(buf) - 1);
}

KTEST(prf, vsnprintf_unknown_conversion_printed_as_is)
{
	/* Not a literal: the compiler's format check would refuse it. */
	const char *fmt = "a%yb%";
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), fmt, 0);
	KT_CHECK_STR(buf, "a%yb%");
	KT_CHECK_EQ(n, 5);
}

/* ---------------------------------------------------------------- lines */

#define KT_PRF_THREADS	4
#define KT_PRF_LINES	200
#define KT_PRF_CAP	(KT_PRF_THREADS * KT_PRF_LINES * 200)

static char *kt_sink_buf;
static size_t kt_sink_len;

/* Called under the console lock: no locking needed. */
static void
kt_sink(int ch)
{
	if (kt_sink_len < KT_PRF_CAP)
		kt_sink_buf[kt_sink_len++] = (char)ch;
}

struct kt_prf_thread {
	int	kp_id;
};

static void
kt_prf_thread(void *arg)
{
	struct kt_prf_thread *kp = arg;

	/* A line longer than the console's line buffer, in one call. */
	for (int i = 0; i < KT_PRF_LINES; i++)
		printf("T%d line %03d %0150d end\n", kp->kp_id, i, kp->kp_id);
	kthread_exit(0);
}

/* Every captured line must be exactly one whole line of one thread. */
KTEST(prf, printf_lines_from_threads_never_interleave)
{
	struct kt_prf_thread kp[KT_PRF_THREADS];
	struct lwp *l[KT_PRF_THREADS];
	int seen[KT_PRF_THREADS], nlines = 0;
	char want[200];
	size_t pos;

	kt_sink_buf = kmem_alloc(KT_PRF_CAP, KM_SLEEP);
	kt_sink_len = 0;
	memset(seen, 0, sizeof(seen));
	prf_set_sink(kt_sink);
	for (int i = 0; i < KT_PRF_THREADS; i++) {
		kp[i].kp_id = i;
		KT_REQUIRE(kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, NULL, kt_prf_thread, &kp[i], &l[i],
		    "ktprf%d", i) == 0);
	}
	for (int i = 0; i < KT_PRF_THREADS; i++)
		(void)kthread_join(l[i]);
	prf_set_sink(NULL);

	for (pos = 0; pos < kt_sink_len; nlines++) {
		char *nl = memchr(kt_sink_buf + pos, '\n', kt_sink_len - pos);
		int id;

		KT_REQUIRE(nl != NULL);
		*nl = '\0';
		id = kt_sink_buf[pos + 1] - '0';
		KT_REQUIRE(kt_sink_buf[pos] == 'T' && id >= 0 &&
		    id < KT_PRF_THREADS);
		snprintf(want, sizeof(want), "T%d line %03d %0150d end", id,
		    seen[id], id);
		KT_CHECK_STR(kt_sink_buf + pos, want);
		if (ktest_failed(ctx))
			break;
		seen[id]++;
		pos = (size_t)(nl - kt_sink_buf) + 1;
	}
	KT_CHECK_EQ(nlines, KT_PRF_THREADS * KT_PRF_LINES);
	kmem_free(kt_sink_buf, KT_PRF_CAP);
}

KTEST(prf, printf_returns_length)
{
	KT_CHECK_EQ(printf("info: printf %s %d\n", "returns", 7), 23);
}
