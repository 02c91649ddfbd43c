/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * misc.c: parameters, console, errno, signals and randomness.
 *
 * The small host services of rumpuser v17: configuration strings for the
 * rump kernel (rumpuser_getparam, read from the environment), its console
 * (rumpuser_putchar, rumpuser_dprintf, both to stderr), errno for client
 * threads, signal delivery to this process, and entropy from getrandom(2).
 * None of these block on the host in normal operation, so none is wrapped.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "hyp.h"

#define HYP_DEFAULT_HOSTNAME	"rump-posix"
#define HYP_CONSOLE_LINE	256

/* ---- parameters --------------------------------------------------------- */

static int
hyp_param_copy(const char *val, void *buf, size_t buflen)
{
	size_t len = strlen(val) + 1;

	if (len > buflen)
		return RUMP_E2BIG;
	memcpy(buf, val, len);
	return 0;
}

/* RUMP_NCPU: a positive count, or "host" for the online CPUs. */
static int
hyp_param_ncpu(void *buf, size_t buflen)
{
	const char *env = getenv("RUMP_NCPU");
	char num[24];
	char *end;
	long n;

	if (env != NULL && strcmp(env, "host") != 0) {
		errno = 0;
		n = strtol(env, &end, 10);
		if (errno != 0 || end == env || *end != '\0' || n < 1 ||
		    n > 4096) {
			rumpuser_dprintf("rumpuser (posix): RUMP_NCPU=\"%s\" "
			    "is not a CPU count\n", env);
			return RUMP_EINVAL;
		}
	} else {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			n = 1;
	}
	snprintf(num, sizeof(num), "%ld", n);
	return hyp_param_copy(num, buf, buflen);
}

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	const char *val;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0)
		return hyp_param_ncpu(buf, buflen);
	if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0) {
		val = getenv("RUMP_HOSTNAME");
		return hyp_param_copy(val != NULL ? val : HYP_DEFAULT_HOSTNAME,
		    buf, buflen);
	}
	val = getenv(name);
	if (val == NULL)
		return RUMP_ENOENT;
	return hyp_param_copy(val, buf, buflen);
}

/* ---- console ------------------------------------------------------------ */
/*
 * Each thread collects its console output into a line of its own and
 * writes it with one write(2), so lines of different threads never mix.
 */

static __thread char hyp_console_buf[HYP_CONSOLE_LINE];
static __thread size_t hyp_console_len;

static void
hyp_console_write(const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			HYP_COUNT_ADD(hc_console_errors, 1);
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

void
hyp_console_flush(void)
{
	if (hyp_console_len == 0)
		return;
	hyp_console_write(hyp_console_buf, hyp_console_len);
	hyp_console_len = 0;
}

void
rumpuser_putchar(int ch)
{
	hyp_console_buf[hyp_console_len++] = (char)ch;
	if (ch == '\n' || hyp_console_len == sizeof(hyp_console_buf))
		hyp_console_flush();
}

/* Formatted into one buffer and written at once; errno is preserved. */
void
rumpuser_dprintf(const char *fmt, ...)
{
	char small[512];
	char *big = NULL;
	va_list ap;
	int saved = errno, n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		HYP_COUNT_ADD(hc_console_errors, 1);
		goto out;
	}
	if ((size_t)n < sizeof(small)) {
		hyp_console_write(small, (size_t)n);
		goto out;
	}
	big = malloc((size_t)n + 1);
	if (big == NULL) {
		/* Better a truncated message than none. */
		hyp_console_write(small, sizeof(small) - 1);
		goto out;
	}
	va_start(ap, fmt);
	n = vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (n > 0)
		hyp_console_write(big, (size_t)n);
	free(big);
out:
	errno = saved;
}

/* ---- errno, signals ------------------------------------------------------- */

/*
 * The value is in the rump kernel's numbering, as rump_sys_* callers
 * expect (the public API reports NetBSD errno values); it is not mapped.
 */
void
rumpuser_seterrno(int err)
{
	errno = err;
}

/*
 * rump_errno: the public API's accessor for the errno of the last failed
 * rump_sys_* call (declared in rump/rump.h).  In userspace it is errno.
 */
int rump_errno(void);

int
rump_errno(void)
{
	return errno;
}

/* NetBSD signal numbers to the host's; 0 where the host has no match. */
static const int hyp_signal_map[] = {
	[1] = SIGHUP,	[2] = SIGINT,	[3] = SIGQUIT,	[4] = SIGILL,
	[5] = SIGTRAP,	[6] = SIGABRT,	/* 7: SIGEMT */	[8] = SIGFPE,
	[9] = SIGKILL,	[10] = SIGBUS,	[11] = SIGSEGV,	[12] = SIGSYS,
	[13] = SIGPIPE,	[14] = SIGALRM,	[15] = SIGTERM,	[16] = SIGURG,
	[17] = SIGSTOP,	[18] = SIGTSTP,	[19] = SIGCONT,	[20] = SIGCHLD,
	[21] = SIGTTIN,	[22] = SIGTTOU,	[23] = SIGIO,	[24] = SIGXCPU,
	[25] = SIGXFSZ,	[26] = SIGVTALRM, [27] = SIGPROF, [28] = SIGWINCH,
	/* 29: SIGINFO */ [30] = SIGUSR1, [31] = SIGUSR2, [32] = SIGPWR,
};

/*
 * Only this process can be signalled: the rump kernel's pids are not host
 * pids, and remote clients (sysproxy) are not supported.
 */
int
rumpuser_kill(int64_t pid, int sig)
{
	int hostsig = 0;

	if (pid != RUMPUSER_PID_SELF) {
		rumpuser_dprintf("rumpuser (posix): kill(%lld, %d): no remote "
		    "clients\n", (long long)pid, sig);
		return RUMP_EOPNOTSUPP;
	}
	if (sig > 0 && (size_t)sig < sizeof(hyp_signal_map) /
	    sizeof(hyp_signal_map[0]))
		hostsig = hyp_signal_map[sig];
	if (hostsig == 0) {
		rumpuser_dprintf("rumpuser (posix): kill: signal %d has no "
		    "host equivalent, not sent\n", sig);
		return RUMP_EINVAL;
	}
	if (raise(hostsig) != 0)
		return hyp_errno_to_rump(errno);
	return 0;
}

/* ---- randomness --------------------------------------------------------- */

/*
 * RUMPUSER_RANDOM_HARD needs nothing special: since Linux 5.6 both of
 * getrandom's pools are the same once seeded.  getrandom(2) only ever
 * blocks before the host's pool is first seeded, so this is not wrapped.
 * NOWAIT: one non-blocking call, possibly short (EAGAIN when nothing).
 */
int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	unsigned int gflags = 0;
	size_t got = 0;
	ssize_t n;

	if (flags & RUMPUSER_RANDOM_NOWAIT)
		gflags |= GRND_NONBLOCK;
	while (got < buflen) {
		n = getrandom((char *)buf + got, buflen - got, gflags);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (got > 0)
				break;
			return hyp_errno_to_rump(errno);
		}
		got += (size_t)n;
		if (flags & RUMPUSER_RANDOM_NOWAIT)
			break;
	}
	*retp = got;
	return 0;
}
