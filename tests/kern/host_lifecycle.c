/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_lifecycle.c: tests of the rump kernel's life cycle and process
 * contexts through the public API only, on the POSIX hypervisor.
 *
 * Usage: host_lifecycle [case]
 *
 * Each case boots its own kernel (or checks what happens without one),
 * shuts it down, resets the hypervisor (rumphyp_fini) and checks that the
 * hypervisor's live-object counters are back to zero.  Panic cases run in
 * a forked child: a panic stops the rump kernel and the POSIX hypervisor
 * then aborts the process on purpose (rumpuser_exit(RUMPUSER_PANIC)), so
 * the child reports over a pipe what the API returned before that.
 * One line per case: `PASS: lifecycle.<case>` or
 * `FAIL: lifecycle.<case>: <why>`; exit status 1 if any case failed.
 */
#include <errno.h>
#include <pthread.h>
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

#ifdef __SANITIZE_THREAD__
/*
 * ThreadSanitizer: the panic cases end a forked child whose rump kernel is
 * dead; a dead kernel never joins its threads, by design (the host reclaims
 * them), which TSan would report as a thread leak at exit.  Thread leaks of
 * every clean shutdown are checked by our own hypervisor counters instead.
 */
const char *__tsan_default_options(void);

const char *
__tsan_default_options(void)
{
	return "report_thread_leaks=0";
}
#endif

#define LC_MSGLEN	512

struct lc_ctx {
	char	msg[LC_MSGLEN];
	int	failed;
};

#define LC_FAIL(c, ...) do {						\
	if (!(c)->failed)						\
		snprintf((c)->msg, sizeof((c)->msg), __VA_ARGS__);	\
	(c)->failed = 1;						\
} while (0)

#define LC_CHECK(c, cond) do {						\
	if (!(cond))							\
		LC_FAIL(c, "%s:%d: check failed: %s", __FILE__,		\
		    __LINE__, #cond);					\
} while (0)

#define LC_CHECK_EQ(c, a, b) do {					\
	long long lc_a_ = (long long)(a), lc_b_ = (long long)(b);	\
	if (lc_a_ != lc_b_)						\
		LC_FAIL(c, "%s:%d: %s == %s: %lld != %lld", __FILE__,	\
		    __LINE__, #a, #b, lc_a_, lc_b_);			\
} while (0)

/* ---- helpers ----------------------------------------------------------- */

static uint64_t
lc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Every hypervisor object gone (joined threads get a second to finish). */
static int
lc_hyp_clean(struct lc_ctx *c)
{
	struct rumphyp_stats st;
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 1000; i++) {
		rumphyp_stats(&st);
		if (st.live_allocs == 0 && st.live_bytes == 0 &&
		    st.live_threads == 0 && st.live_locks == 0 &&
		    st.live_mappings == 0 && st.open_files == 0)
			return 1;
		nanosleep(&ts, NULL);
	}
	LC_FAIL(c, "hypervisor leak: allocs %ld bytes %ld threads %ld "
	    "locks %ld", st.live_allocs, st.live_bytes, st.live_threads,
	    st.live_locks);
	return 0;
}

static int
lc_boot(struct lc_ctx *c)
{
	int rv = rump_init();

	if (rv != 0)
		LC_FAIL(c, "rump_init: %d", rv);
	return rv == 0;
}

static void
lc_halt(struct lc_ctx *c)
{
	int rv = rump_shutdown();

	if (rv != 0)
		LC_FAIL(c, "rump_shutdown: %d", rv);
	rumphyp_fini();
	lc_hyp_clean(c);
}

/* Run fn on a new host thread and wait for it. */
static void
lc_on_thread(struct lc_ctx *c, void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, arg) != 0) {
		LC_FAIL(c, "pthread_create failed");
		return;
	}
	pthread_join(t, NULL);
}

/* ---- life cycle --------------------------------------------------------- */

static void
lc_calls_before_init_return_enxio(struct lc_ctx *c)
{
	struct rump_timespec ts;

	errno = 0;
	LC_CHECK_EQ(c, rump_sys_getpid(), -1);
	LC_CHECK_EQ(c, errno, RUMP_ENXIO);
	LC_CHECK_EQ(c, rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, &ts), -1);
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFCFDG), RUMP_ENXIO);
	LC_CHECK(c, rump_pub_lwproc_curlwp() == NULL);
	LC_CHECK_EQ(c, rump_pub_test_panic(0), RUMP_ENXIO);
	lc_hyp_clean(c);
}

static void
lc_init_shutdown_200_cycles_no_leaks(struct lc_ctx *c)
{
	int i;

	for (i = 0; i < 200 && !c->failed; i++) {
		if (!lc_boot(c))
			return;
		LC_CHECK_EQ(c, rump_sys_getpid(), 0);
		lc_halt(c);
	}
}

/*
 * RUMP_FAILSTAGE=n (DIAGNOSTIC kernels, kern/init_main.c) fails boot in
 * place of stage n.  For every n in turn: rump_init returns EIO, the
 * stages before n are undone with nothing left behind, the kernel is
 * down (ENXIO), and it boots normally afterwards.  Past the last stage
 * (n == number of stages + 1) the parameter is ignored and boot works.
 */
static void
lc_boot_failure_at_each_stage_undoes_everything(struct lc_ctx *c)
{
	char num[16];
	int n, rv;

	for (n = 0; n < 100 && !c->failed; n++) {
		snprintf(num, sizeof(num), "%d", n);
		setenv("RUMP_FAILSTAGE", num, 1);
		rv = rump_init();
		unsetenv("RUMP_FAILSTAGE");
		if (rv == 0)
			break;
		if (rv != RUMP_EIO) {
			LC_FAIL(c, "stage %d: rump_init: %d, not EIO", n, rv);
			break;
		}
		errno = 0;
		LC_CHECK_EQ(c, rump_sys_getpid(), -1);
		LC_CHECK_EQ(c, errno, RUMP_ENXIO);
		LC_CHECK_EQ(c, rump_shutdown(), RUMP_ENXIO);
		rumphyp_fini();
		if (!lc_hyp_clean(c)) {
			fprintf(stderr, "host_lifecycle: leak after failing "
			    "boot at RUMP_FAILSTAGE=%d\n", n);
			break;
		}
		/* Every failure leaves a kernel that boots cleanly. */
		if (!lc_boot(c))
			break;
		LC_CHECK_EQ(c, rump_sys_getpid(), 0);
		lc_halt(c);
	}
	if (c->failed)
		return;
	/* The last n failed after every stage had run: at least 8 stages. */
	LC_CHECK(c, n >= 9);
	if (rv == 0)
		lc_halt(c);
	else
		LC_FAIL(c, "rump_init still failing at RUMP_FAILSTAGE=%d", n);
}

static void
lc_double_init_returns_ebusy(struct lc_ctx *c)
{
	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_init(), RUMP_EBUSY);
	lc_halt(c);
}

static void
lc_shutdown_when_down_fails(struct lc_ctx *c)
{
	LC_CHECK_EQ(c, rump_shutdown(), RUMP_ENXIO);
	if (!lc_boot(c))
		return;
	lc_halt(c);
	LC_CHECK_EQ(c, rump_shutdown(), RUMP_ENXIO);
}

static void
lc_gate_enxio_after_shutdown(struct lc_ctx *c)
{
	if (!lc_boot(c))
		return;
	lc_halt(c);
	errno = 0;
	LC_CHECK_EQ(c, rump_sys_getppid(), -1);
	LC_CHECK_EQ(c, errno, RUMP_ENXIO);
}

/* ---- foundation system calls --------------------------------------------- */

static void
lc_clock_gettime_realtime_and_monotonic(struct lc_ctx *c)
{
	struct rump_timespec a, b;
	struct timespec host;

	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, &a), 0);
	clock_gettime(CLOCK_REALTIME, &host);
	LC_CHECK(c, a.tv_sec >= host.tv_sec - 2 && a.tv_sec <= host.tv_sec);
	LC_CHECK_EQ(c, rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &a), 0);
	LC_CHECK_EQ(c, rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &b), 0);
	LC_CHECK(c, b.tv_sec > a.tv_sec ||
	    (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	LC_CHECK(c, a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
	errno = 0;
	LC_CHECK_EQ(c, rump_sys_clock_gettime(7, &a), -1);
	LC_CHECK_EQ(c, errno, RUMP_EINVAL);
	errno = 0;
	LC_CHECK_EQ(c, rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, NULL), -1);
	LC_CHECK_EQ(c, errno, RUMP_EFAULT);
	lc_halt(c);
}

static void
lc_nanosleep_sleeps_and_validates(struct lc_ctx *c)
{
	struct rump_timespec req = { 0, 20000000 }, rem = { 5, 5 };
	uint64_t t0, t1;

	if (!lc_boot(c))
		return;
	t0 = lc_now_ns();
	LC_CHECK_EQ(c, rump_sys_nanosleep(&req, &rem), 0);
	t1 = lc_now_ns();
	LC_CHECK(c, t1 - t0 >= 20000000);
	LC_CHECK(c, rem.tv_sec == 0 && rem.tv_nsec == 0);
	req.tv_nsec = 1000000000;
	errno = 0;
	LC_CHECK_EQ(c, rump_sys_nanosleep(&req, NULL), -1);
	LC_CHECK_EQ(c, errno, RUMP_EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	errno = 0;
	LC_CHECK_EQ(c, rump_sys_nanosleep(&req, NULL), -1);
	LC_CHECK_EQ(c, errno, RUMP_EINVAL);
	errno = 0;
	LC_CHECK_EQ(c, rump_sys_nanosleep(NULL, NULL), -1);
	LC_CHECK_EQ(c, errno, RUMP_EFAULT);
	lc_halt(c);
}

/* ---- process contexts ------------------------------------------------------ */

static void
lc_lwproc_rfork_new_pid(struct lc_ctx *c)
{
	struct lwp *l1;
	int pid1, pid2;

	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_sys_getpid(), 0);
	LC_CHECK(c, rump_pub_lwproc_curlwp() == NULL);
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	l1 = rump_pub_lwproc_curlwp();
	LC_CHECK(c, l1 != NULL);
	pid1 = rump_sys_getpid();
	LC_CHECK(c, pid1 > 0);
	LC_CHECK_EQ(c, rump_sys_getppid(), 0);
	/* The binding survives across calls. */
	LC_CHECK_EQ(c, rump_sys_getpid(), pid1);

	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	pid2 = rump_sys_getpid();
	LC_CHECK(c, pid2 > 0 && pid2 != pid1);
	LC_CHECK_EQ(c, rump_sys_getppid(), pid1);
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG),
	    RUMP_EINVAL);

	rump_pub_lwproc_releaselwp();		/* ends pid2 */
	LC_CHECK(c, rump_pub_lwproc_curlwp() == NULL);
	LC_CHECK_EQ(c, rump_sys_getpid(), 0);
	rump_pub_lwproc_switch(l1);
	LC_CHECK_EQ(c, rump_sys_getpid(), pid1);
	rump_pub_lwproc_releaselwp();		/* ends pid1 */
	LC_CHECK(c, rump_pub_lwproc_curlwp() == NULL);
	lc_halt(c);
}

struct lc_newlwp {
	int	pid;
	int	rv_bad, rv, gotpid;
	struct lwp *l;
};

static void *
lc_newlwp_thread(void *arg)
{
	struct lc_newlwp *nl = arg;

	nl->rv_bad = rump_pub_lwproc_newlwp(29999);
	nl->rv = rump_pub_lwproc_newlwp(nl->pid);
	nl->gotpid = rump_sys_getpid();
	nl->l = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
lc_lwproc_newlwp_joins_process(struct lc_ctx *c)
{
	struct lc_newlwp nl;
	struct lwp *l1;

	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(0), 0);
	l1 = rump_pub_lwproc_curlwp();
	memset(&nl, 0, sizeof(nl));
	nl.pid = rump_sys_getpid();
	lc_on_thread(c, lc_newlwp_thread, &nl);
	LC_CHECK_EQ(c, nl.rv_bad, RUMP_ESRCH);
	LC_CHECK_EQ(c, nl.rv, 0);
	LC_CHECK_EQ(c, nl.gotpid, nl.pid);
	LC_CHECK(c, nl.l != NULL && nl.l != l1);
	/* The process lives on with our lwp. */
	LC_CHECK_EQ(c, rump_sys_getpid(), nl.pid);
	LC_CHECK_EQ(c, rump_pub_lwproc_newlwp(0), RUMP_EPERM);
	rump_pub_lwproc_releaselwp();
	lc_halt(c);
}

static void
lc_lwproc_switch_between_lwps(struct lc_ctx *c)
{
	struct lwp *l1, *l2;
	int pid1, pid2;

	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	l1 = rump_pub_lwproc_curlwp();
	pid1 = rump_sys_getpid();
	rump_pub_lwproc_switch(NULL);
	LC_CHECK(c, rump_pub_lwproc_curlwp() == NULL);
	LC_CHECK_EQ(c, rump_sys_getpid(), 0);
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	l2 = rump_pub_lwproc_curlwp();
	pid2 = rump_sys_getpid();
	LC_CHECK(c, pid2 != pid1);
	rump_pub_lwproc_switch(l1);
	LC_CHECK(c, rump_pub_lwproc_curlwp() == l1);
	LC_CHECK_EQ(c, rump_sys_getpid(), pid1);
	rump_pub_lwproc_switch(l2);
	LC_CHECK_EQ(c, rump_sys_getpid(), pid2);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(l1);
	LC_CHECK_EQ(c, rump_sys_getpid(), pid1);
	rump_pub_lwproc_releaselwp();
	lc_halt(c);
}

#define LC_NTHREADS	16
#define LC_NCALLS	10000

struct lc_hammer {
	int	bad;
	int	rfork;
};

static void *
lc_hammer_thread(void *arg)
{
	struct lc_hammer *h = arg;
	int i, pid = 0;

	if (h->rfork) {
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
			__atomic_add_fetch(&h->bad, 1, __ATOMIC_RELAXED);
			return NULL;
		}
		pid = rump_sys_getpid();
	}
	for (i = 0; i < LC_NCALLS; i++) {
		if (rump_sys_getpid() != pid)
			__atomic_add_fetch(&h->bad, 1, __ATOMIC_RELAXED);
	}
	if (h->rfork)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
lc_hammer(struct lc_ctx *c, int rfork)
{
	pthread_t t[LC_NTHREADS];
	struct lc_hammer h = { .bad = 0, .rfork = rfork };
	struct rumphyp_stats before, after;
	int i;

	if (!lc_boot(c))
		return;
	rumphyp_stats(&before);
	for (i = 0; i < LC_NTHREADS; i++)
		LC_CHECK(c, pthread_create(&t[i], NULL, lc_hammer_thread,
		    &h) == 0);
	for (i = 0; i < LC_NTHREADS; i++)
		pthread_join(t[i], NULL);
	LC_CHECK_EQ(c, h.bad, 0);
	/*
	 * Implicit lwps are freed when each call leaves the kernel (client
	 * processes come from kmem, which keeps its pages: not counted).
	 */
	rumphyp_stats(&after);
	if (!rfork)
		LC_CHECK_EQ(c, after.live_allocs, before.live_allocs);
	lc_halt(c);
}

static void
lc_implicit_lwps_freed_under_contention(struct lc_ctx *c)
{
	lc_hammer(c, 0);
}

static void
lc_bound_lwps_under_contention(struct lc_ctx *c)
{
	lc_hammer(c, 1);
}

static void *
lc_rfork_and_leave(void *arg)
{
	int *rv = arg;

	*rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	return NULL;
}

/* Client lwps left bound (here and on a finished thread) are released. */
static void
lc_shutdown_releases_bound_lwps(struct lc_ctx *c)
{
	int rv = -1;

	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	lc_on_thread(c, lc_rfork_and_leave, &rv);
	LC_CHECK_EQ(c, rv, 0);
	lc_halt(c);
	/* Our own binding was cleared: the next kernel boots here. */
	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_sys_getpid(), 0);
	lc_halt(c);
}

/* ---- public kernel threads ---------------------------------------------------- */

struct lc_kt {
	int	pid;
	int	ran;
	struct rump_timespec ts;
	int	rv;
};

static void
lc_kt_fn(void *arg)
{
	struct lc_kt *k = arg;

	/* Public API from a thread that already holds a CPU: gates nest. */
	k->pid = rump_sys_getpid();
	k->rv = rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &k->ts);
	k->ran = 1;
}

static void
lc_public_kthread_runs_and_joins(struct lc_ctx *c)
{
	struct lc_kt k = { .pid = -1 };
	struct lwp *l = NULL;

	if (!lc_boot(c))
		return;
	LC_CHECK_EQ(c, rump_pub_kthread_create(lc_kt_fn, &k, "lctest", &l),
	    0);
	LC_CHECK(c, l != NULL);
	/* Not joined yet: shutdown refuses and the kernel keeps running. */
	LC_CHECK_EQ(c, rump_shutdown(), RUMP_EBUSY);
	LC_CHECK_EQ(c, rump_pub_kthread_join(l), 0);
	LC_CHECK_EQ(c, k.ran, 1);
	LC_CHECK_EQ(c, k.pid, 0);
	LC_CHECK_EQ(c, k.rv, 0);
	lc_halt(c);
}

/* ---- panics ------------------------------------------------------------------ */

/* The hypervisor's abort comes from another thread: let us report first. */
static void
lc_sigabrt_delay(int sig)
{
	struct timespec ts = { 2, 0 };

	(void)sig;
	nanosleep(&ts, NULL);
}

/*
 * Child: boot, panic in mode, report (rv, getpid rv, errno) over fd,
 * exit 0.  The hypervisor's rumpuser_exit(PANIC) may abort us later.
 */
static void
lc_panic_child(int mode, int fd)
{
	int res[3];

	signal(SIGABRT, lc_sigabrt_delay);
	if (rump_init() != 0)
		_exit(91);
	res[0] = rump_pub_test_panic(mode);
	errno = 0;
	res[1] = rump_sys_getpid();
	res[2] = errno;
	if (write(fd, res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(92);
	_exit(0);
}

static void
lc_panic(struct lc_ctx *c, int mode)
{
	int fds[2], res[3], status;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) != 0) {
		LC_FAIL(c, "pipe failed");
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		lc_panic_child(mode, fds[1]);
	}
	close(fds[1]);
	n = read(fds[0], res, sizeof(res));
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (n == (ssize_t)sizeof(res)) {
		LC_CHECK_EQ(c, res[0], RUMP_ENXIO);
		LC_CHECK_EQ(c, res[1], -1);
		LC_CHECK_EQ(c, res[2], RUMP_ENXIO);
		LC_CHECK(c, (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
		    (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT));
	} else if (mode == 1) {
		/* The kernel thread's panic aborted the process first. */
		LC_CHECK(c, WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGABRT);
	} else {
		LC_FAIL(c, "child reported nothing; status 0x%x", status);
	}
}

static void
lc_panic_in_calling_thread_returns_enxio(struct lc_ctx *c)
{
	lc_panic(c, 0);
}

static void
lc_panic_on_kthread_stops_kernel(struct lc_ctx *c)
{
	lc_panic(c, 1);
}

/* ---- driver ------------------------------------------------------------------ */

struct lc_case {
	const char	*name;
	void		(*fn)(struct lc_ctx *);
};

#define LC_CASE(n)	{ #n, lc_##n }

static const struct lc_case lc_cases[] = {
	LC_CASE(calls_before_init_return_enxio),
	LC_CASE(init_shutdown_200_cycles_no_leaks),
	LC_CASE(boot_failure_at_each_stage_undoes_everything),
	LC_CASE(double_init_returns_ebusy),
	LC_CASE(shutdown_when_down_fails),
	LC_CASE(gate_enxio_after_shutdown),
	LC_CASE(clock_gettime_realtime_and_monotonic),
	LC_CASE(nanosleep_sleeps_and_validates),
	LC_CASE(lwproc_rfork_new_pid),
	LC_CASE(lwproc_newlwp_joins_process),
	LC_CASE(lwproc_switch_between_lwps),
	LC_CASE(implicit_lwps_freed_under_contention),
	LC_CASE(bound_lwps_under_contention),
	LC_CASE(shutdown_releases_bound_lwps),
	LC_CASE(public_kthread_runs_and_joins),
	LC_CASE(panic_in_calling_thread_returns_enxio),
	LC_CASE(panic_on_kthread_stops_kernel),
};

int
main(int argc, char **argv)
{
	struct lc_ctx c;
	size_t i;
	int nfail = 0, nrun = 0;

	for (i = 0; i < sizeof(lc_cases) / sizeof(lc_cases[0]); i++) {
		if (argc > 1 && strcmp(argv[1], lc_cases[i].name) != 0)
			continue;
		memset(&c, 0, sizeof(c));
		lc_cases[i].fn(&c);
		nrun++;
		if (c.failed) {
			printf("FAIL: lifecycle.%s: %s\n", lc_cases[i].name,
			    c.msg);
			nfail++;
		} else {
			printf("PASS: lifecycle.%s\n", lc_cases[i].name);
		}
		fflush(stdout);
	}
	if (nrun == 0) {
		fprintf(stderr, "host_lifecycle: no case \"%s\"\n", argv[1]);
		return 1;
	}
	return nfail != 0;
}
