/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_posix_hyp_io.c: cases of tests/hyp for host files, block I/O and
 * the small host services (randomness, console, signals, exit,
 * daemonising, sysproxy).  Run by the runner in test_posix_hyp.c, on the main thread,
 * which holds a fake CPU as lwp 0.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hyptest.h"

/* ---- files ---------------------------------------------------------------- */

static char tmpdir[64];

static int
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/hyptest.XXXXXX");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

int
t_file_io_roundtrip(void)
{
	char path[128], a[100], b[3000], ra[100], rb[3000];
	struct rumpuser_iovec wv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct rumpuser_iovec rv[2] = { { ra, sizeof(ra) }, { rb, sizeof(rb) } };
	uint64_t size;
	size_t n;
	int fd, fd2, type;

	CHECK_EQ(make_tmpdir(), 0);
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));

	CHECK_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE,
	    &fd), 0);
	CHECK_EQ(rumpuser_iovwrite(fd, wv, 2, 0, &n), 0);
	CHECK_EQ(n, sizeof(a) + sizeof(b));
	CHECK_EQ(rumpuser_iovread(fd, rv, 2, 0, &n), 0);
	CHECK_EQ(n, sizeof(a) + sizeof(b));
	CHECK(memcmp(a, ra, sizeof(a)) == 0 && memcmp(b, rb, sizeof(b)) == 0);
	/* At an offset, and short at the end of the file. */
	CHECK_EQ(rumpuser_iovread(fd, rv, 2, 3000, &n), 0);
	CHECK_EQ(n, 100);
	CHECK(ra[0] == 'b');
	/* NOSEEK: the file position, which preadv/pwritev left at 0. */
	CHECK_EQ(rumpuser_iovread(fd, rv, 1, RUMPUSER_IOV_NOSEEK, &n), 0);
	CHECK_EQ(n, sizeof(ra));
	CHECK(ra[0] == 'a');
	CHECK_EQ(rumpuser_iovread(fd, rv, 1, -2, &n), R_EINVAL);

	CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 0), 0);
	CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE |
	    RUMPUSER_SYNCFD_BARRIER, 0, 0), 0);
	CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_BOTH |
	    RUMPUSER_SYNCFD_SYNC, 0, 4096), 0);
	CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_READ, 0, 0), 0);
	CHECK_EQ(rumpuser_syncfd(fd, 0, 0, 0), R_EINVAL);

	CHECK_EQ(rumpuser_getfileinfo(path, &size, &type), 0);
	CHECK_EQ(size, sizeof(a) + sizeof(b));
	CHECK_EQ(type, RUMPUSER_FT_REG);
	CHECK_EQ(rumpuser_getfileinfo(tmpdir, NULL, &type), 0);
	CHECK_EQ(type, RUMPUSER_FT_DIR);
	CHECK_EQ(rumpuser_getfileinfo("/dev/null", &size, &type), 0);
	CHECK_EQ(type, RUMPUSER_FT_CHR);
	CHECK_EQ(rumpuser_getfileinfo("/nonexistent/x", &size, NULL),
	    R_ENOENT);

	CHECK_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_EXCL, &fd2), R_EEXIST);
	CHECK_EQ(rumpuser_open("/nonexistent/x", RUMPUSER_OPEN_RDONLY, &fd2),
	    R_ENOENT);
	CHECK_EQ(rumpuser_open(path, RUMPUSER_OPEN_ACCMODE, &fd2), R_EINVAL);
	CHECK_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDONLY | RUMPUSER_OPEN_BIO,
	    &fd2), 0);
	CHECK_EQ(rumpuser_close(fd2), 0);
	CHECK_EQ(rumpuser_close(fd), 0);
	CHECK_EQ(unlink(path), 0);
	CHECK_EQ(rmdir(tmpdir), 0);
	return 0;
}

/* ---- block I/O -------------------------------------------------------------- */

#define BIO_BLOCKS	16
#define BIO_BLKSIZE	4096

struct biowait {
	pthread_mutex_t bw_lock;
	int bw_done;		/* under bw_lock */
	int bw_errors;
	int bw_nocpu;
	size_t bw_bytes;
};

static struct biowait biowait = { .bw_lock = PTHREAD_MUTEX_INITIALIZER };

static void
bio_done(void *arg, size_t bytes, int error)
{
	struct biowait *bw = arg;

	pthread_mutex_lock(&bw->bw_lock);
	bw->bw_done++;
	bw->bw_bytes += bytes;
	if (error != 0)
		bw->bw_errors++;
	if (!fakecpu_held())
		bw->bw_nocpu++;
	pthread_mutex_unlock(&bw->bw_lock);
}

static int
bio_count(void)
{
	int n;

	pthread_mutex_lock(&biowait.bw_lock);
	n = biowait.bw_done;
	pthread_mutex_unlock(&biowait.bw_lock);
	return n;
}

static void
bio_reset(void)
{
	pthread_mutex_lock(&biowait.bw_lock);
	biowait.bw_done = biowait.bw_errors = biowait.bw_nocpu = 0;
	biowait.bw_bytes = 0;
	pthread_mutex_unlock(&biowait.bw_lock);
}

int
t_bio_async_completion(void)
{
	static char wbuf[BIO_BLOCKS * BIO_BLKSIZE], rbuf[sizeof(wbuf)];
	struct rumphyp_stats st;
	char path[128];
	size_t i;
	int fd;

	CHECK_EQ(make_tmpdir(), 0);
	snprintf(path, sizeof(path), "%s/disk", tmpdir);
	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = (char)(i * 7 + i / BIO_BLKSIZE);
	CHECK_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_BIO, &fd), 0);

	bio_reset();
	for (i = 0; i < BIO_BLOCKS; i++)
		rumpuser_bio(fd, RUMPUSER_BIO_WRITE | (i == 0 ?
		    RUMPUSER_BIO_SYNC : 0), wbuf + i * BIO_BLKSIZE,
		    BIO_BLKSIZE, (int64_t)(i * BIO_BLKSIZE), bio_done,
		    &biowait);
	WAIT_FOR(bio_count() == BIO_BLOCKS);
	CHECK_EQ(biowait.bw_errors, 0);
	CHECK_EQ(biowait.bw_nocpu, 0);
	CHECK_EQ(biowait.bw_bytes, sizeof(wbuf));

	bio_reset();
	for (i = 0; i < BIO_BLOCKS; i++)
		rumpuser_bio(fd, RUMPUSER_BIO_READ, rbuf + i * BIO_BLKSIZE,
		    BIO_BLKSIZE, (int64_t)(i * BIO_BLKSIZE), bio_done,
		    &biowait);
	WAIT_FOR(bio_count() == BIO_BLOCKS);
	CHECK_EQ(biowait.bw_errors, 0);
	CHECK_EQ(biowait.bw_nocpu, 0);
	CHECK(memcmp(wbuf, rbuf, sizeof(wbuf)) == 0);

	/* Past the end: nothing transferred, no error. */
	bio_reset();
	rumpuser_bio(fd, RUMPUSER_BIO_READ, rbuf, 512, sizeof(wbuf), bio_done,
	    &biowait);
	WAIT_FOR(bio_count() == 1);
	CHECK_EQ(biowait.bw_bytes, 0);
	CHECK_EQ(biowait.bw_errors, 0);

	/* Neither read nor write: completed at once with an error. */
	bio_reset();
	rumpuser_bio(fd, 0, rbuf, 512, 0, bio_done, &biowait);
	CHECK_EQ(bio_count(), 1);
	CHECK_EQ(biowait.bw_errors, 1);

	rumphyp_stats(&st);
	CHECK(st.live_threads >= 1);	/* the worker pool is up */
	CHECK_EQ(st.bio_inflight, 0);
	/* Closing the last file stops and joins the workers. */
	CHECK_EQ(rumpuser_close(fd), 0);
	rumphyp_stats(&st);
	CHECK_EQ(st.live_threads, 0);
	CHECK_EQ(unlink(path), 0);
	CHECK_EQ(rmdir(tmpdir), 0);
	return 0;
}

/* ---- randomness, console, signals ------------------------------------------ */

int
t_getrandom_fills(void)
{
	static unsigned char buf[4096];
	size_t i, n, zeros = 0;

	memset(buf, 0, sizeof(buf));
	CHECK_EQ(rumpuser_getrandom(buf, sizeof(buf), 0, &n), 0);
	CHECK_EQ(n, sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		zeros += buf[i] == 0;
	CHECK(zeros < 100);		/* ~16 expected */
	CHECK_EQ(rumpuser_getrandom(buf, sizeof(buf), RUMPUSER_RANDOM_HARD,
	    &n), 0);
	CHECK_EQ(n, sizeof(buf));
	CHECK_EQ(rumpuser_getrandom(buf, 64, RUMPUSER_RANDOM_NOWAIT, &n), 0);
	CHECK(n > 0 && n <= 64);
	return 0;
}

#define CONSOLE_LINES	200

static void
w_console(struct worker *w)
{
	const char *s = w->w_arg;
	int i, j;

	for (i = 0; i < CONSOLE_LINES; i++) {
		for (j = 0; j < 40; j++)
			rumpuser_putchar(s[w->w_idx]);
		rumpuser_putchar('\n');
	}
}

/* Two threads print lines of their own letter; every line is one letter. */
int
t_console_lines_not_interleaved(void)
{
	static char out[2 * CONSOLE_LINES * 41 + 256];
	struct worker w[2];
	char *line, *save;
	int pfd[2], saved, lines = 0;
	ssize_t n, got = 0;

	CHECK_EQ(pipe(pfd), 0);
	saved = dup(STDERR_FILENO);
	CHECK(saved >= 0);
	CHECK(dup2(pfd[1], STDERR_FILENO) >= 0);
	CHECK_EQ(spawn(w, 2, w_console, "xy"), 0);
	CHECK_EQ(join(w, 2), 0);
	rumpuser_dprintf("dprintf %d\n", 17);
	CHECK(dup2(saved, STDERR_FILENO) >= 0);
	CHECK_EQ(close(saved), 0);
	CHECK_EQ(close(pfd[1]), 0);
	while ((n = read(pfd[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
		got += n;
	CHECK_EQ(close(pfd[0]), 0);
	out[got] = '\0';

	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), lines++) {
		if (strcmp(line, "dprintf 17") == 0)
			continue;
		CHECK_EQ(strlen(line), 40);
		CHECK(strspn(line, line[0] == 'x' ? "x" : "y") == 40);
	}
	CHECK_EQ(lines, 2 * CONSOLE_LINES + 1);
	return 0;
}

static volatile sig_atomic_t got_usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

int
t_kill_maps_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CHECK_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	got_usr1 = 0;
	/* NetBSD's SIGUSR1 is 30 (Linux's is 10, NetBSD's SIGBUS). */
	CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, 30), 0);
	CHECK(got_usr1);
	CHECK_EQ(sigaction(SIGUSR1, &old, NULL), 0);
	CHECK_EQ(rumpuser_kill(RUMPUSER_PID_SELF, 7), R_EINVAL); /* SIGEMT */
	CHECK_EQ(rumpuser_kill(12345, 15), R_EOPNOTSUPP);
	return 0;
}

/* ---- optional groups -------------------------------------------------------- */

/* Fork a child that daemonises and reports `status`; return its exit. */
static int
daemonize_child(int status)
{
	pid_t pid;
	int ws;

	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		/* Only the daemon returns from begin. */
		if (rumpuser_daemonize_begin() != 0)
			_exit(100);
		if (rumpuser_daemonize_done(status) != 0 && status == 0)
			_exit(101);
		_exit(0);
	}
	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws))
		return -1;
	return WEXITSTATUS(ws);
}

int
t_daemonize_reports_status(void)
{
	CHECK_EQ(daemonize_child(0), 0);
	CHECK_EQ(daemonize_child(5), 5);
	CHECK_EQ(rumpuser_daemonize_done(0), R_EINVAL);	/* no begin */
	return 0;
}

/* Run rumpuser_exit(value) in a child; return its wait status. */
static int
exit_child(int value)
{
	pid_t pid;
	int ws;

	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		/* Keep the expected panic report out of the test output. */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(102);
		rumpuser_exit(value);
	}
	if (waitpid(pid, &ws, 0) != pid)
		return -1;
	return ws;
}

int
t_exit_panic_aborts(void)
{
	int ws;

	ws = exit_child(3);
	CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 3);
	ws = exit_child(RUMPUSER_PANIC);
	CHECK(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGABRT);
	return 0;
}

int
t_sp_unsupported(void)
{
	size_t len = 0;
	void *p;

	CHECK_EQ(rumpuser_sp_init("unix:///tmp/x", "NetBSD", "10", "amd64"),
	    R_EOPNOTSUPP);
	CHECK_EQ(rumpuser_sp_copyin(NULL, NULL, NULL, 0), R_EOPNOTSUPP);
	CHECK_EQ(rumpuser_sp_copyinstr(NULL, NULL, NULL, &len), R_EOPNOTSUPP);
	CHECK_EQ(rumpuser_sp_copyout(NULL, NULL, NULL, 0), R_EOPNOTSUPP);
	CHECK_EQ(rumpuser_sp_copyoutstr(NULL, NULL, NULL, &len),
	    R_EOPNOTSUPP);
	CHECK_EQ(rumpuser_sp_anonmmap(NULL, 4096, &p), R_EOPNOTSUPP);
	CHECK_EQ(rumpuser_sp_raise(NULL, 2), R_EOPNOTSUPP);
	rumpuser_sp_fini(NULL);
	rumpuser_dl_bootstrap(NULL, NULL, NULL);
	return 0;
}
