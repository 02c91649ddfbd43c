/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_posix_hyp.c: tests of the POSIX hypervisor, without a rump kernel.
 *
 * Each case calls rumpuser_* directly, with the fake scheduler of
 * fakecpu.c standing in for the rump kernel: the main thread and every
 * worker hold a fake CPU while they make hypercalls, exactly as rump kernel
 * threads would, and fakecpu records any broken scheduling rule.  After
 * every case the runner checks that no rule was broken and that nothing
 * leaked (rumphyp_stats).  Output: `PASS: hyp.<case>` / `FAIL: hyp.<case>:
 * <reason>`; the exit status is non-zero if any case failed.  Cases for
 * files, bio and the small services are in test_posix_hyp_io.c.
 */
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

#include "hyptest.h"

char test_failure[256];
char fake_lwps[NWORKERS_MAX + 2];
static const char *volatile test_case = "startup";

/* ---- helpers ---------------------------------------------------------- */

int64_t
now_ns(void)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec) != 0)
		abort();
	return sec * 1000000000 + nsec;
}

void
nap(long ns)
{
	if (rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, ns) != 0)
		abort();
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct lwp *l = LWP(w->w_idx + 1);

	fakecpu_take();
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	w->w_fn(w);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
	fakecpu_give();
	rumpuser_thread_exit();
}

int
spawn(struct worker *w, int n, void (*fn)(struct worker *), void *arg)
{
	int i, rv;

	for (i = 0; i < n; i++) {
		w[i].w_fn = fn;
		w[i].w_arg = arg;
		w[i].w_idx = i;
		w[i].w_result = w[i].w_result2 = 0;
		rv = rumpuser_thread_create(worker_main, &w[i], "hyptest", 1,
		    0, -1, &w[i].w_cookie);
		if (rv != 0)
			return rv;
	}
	return 0;
}

int
join(struct worker *w, int n)
{
	int i, rv, err = 0;

	for (i = 0; i < n; i++) {
		rv = rumpuser_thread_join(w[i].w_cookie);
		if (rv != 0)
			err = rv;
	}
	return err;
}

/* ---- init, memory ------------------------------------------------------- */

static int
t_version_checked_reinit_only_when_idle(void)
{
	struct rumpuser_mtx *live;

	CHECK(rumpuser_init(16, &fakecpu_upcalls) != 0);
	CHECK(rumpuser_init(18, &fakecpu_upcalls) != 0);
	CHECK_EQ(rumpuser_init(RUMPUSER_VERSION, &fakecpu_upcalls), 0);
	/* Nothing live yet: a kernel may boot again (init after shutdown). */
	CHECK_EQ(rumpuser_init(RUMPUSER_VERSION, &fakecpu_upcalls), 0);
	/* With an object of the running kernel live, a second boot is refused. */
	rumpuser_mutex_init(&live, 0);
	CHECK_EQ(rumpuser_init(RUMPUSER_VERSION, &fakecpu_upcalls), R_EBUSY);
	rumpuser_mutex_destroy(live);
	/* From here on the main thread runs as lwp 0 on a fake CPU. */
	fakecpu_take();
	rumpuser_curlwpop(RUMPUSER_LWP_SET, LWP(0));
	return 0;
}

static int
t_malloc_alignment(void)
{
	static const size_t sizes[] = { 1, 7, 64, 100, 4095, 4096, 4097,
	    65536, 1 << 20 };
	struct rumphyp_stats st;
	size_t i, align;
	void *p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (align = 0; align <= 65536; align = align ? align * 2 : 1) {
			CHECK_EQ(rumpuser_malloc(sizes[i], (int)align, &p), 0);
			if (align != 0)
				CHECK(((uintptr_t)p & (align - 1)) == 0);
			memset(p, 0xa5, sizes[i]);
			rumphyp_stats(&st);
			CHECK_EQ(st.live_allocs, 1);
			CHECK_EQ(st.live_bytes, sizes[i]);
			rumpuser_free(p, sizes[i]);
		}
	}
	CHECK_EQ(rumpuser_malloc(16, 24, &p), R_EINVAL);
	return 0;
}

static int
t_anonmmap_alignbit(void)
{
	static const int bits[] = { 0, 12, 16, 21 };
	size_t len = 3 * 4096 + 5;
	size_t i;
	void *p;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		CHECK_EQ(rumpuser_anonmmap(NULL, len, bits[i], bits[i] == 16,
		    &p), 0);
		CHECK(((uintptr_t)p & (((uintptr_t)1 << bits[i]) - 1)) == 0);
		memset(p, 0x5a, 4 * 4096);
		rumpuser_unmap(p, len);
	}
	return 0;
}

/* ---- mutexes -------------------------------------------------------------- */

struct counter {
	struct rumpuser_mtx *c_mtx;
	long c_value;
	int c_rounds;
};

static void
w_increment(struct worker *w)
{
	struct counter *c = w->w_arg;
	long before;
	int i;

	fakecpu_set_giant(3);
	before = fakecpu_thread_unschedules();
	for (i = 0; i < c->c_rounds; i++) {
		rumpuser_mutex_enter(c->c_mtx);
		c->c_value++;
		rumpuser_mutex_exit(c->c_mtx);
	}
	w->w_result = fakecpu_thread_unschedules() - before;
	w->w_result2 = fakecpu_giant();
	fakecpu_set_giant(0);
}

static int
t_mutex_contention(void)
{
	struct worker w[8];
	struct counter c = { .c_rounds = 100000 };
	int i;

	fakecpu_mutex_init(&c.c_mtx, RUMPUSER_MTX_KMUTEX);
	CHECK_EQ(spawn(w, 8, w_increment, &c), 0);
	CHECK_EQ(join(w, 8), 0);
	CHECK_EQ(c.c_value, 8L * 100000);
	for (i = 0; i < 8; i++)
		CHECK_EQ(w[i].w_result2, 3);	/* giant count came back */
	fakecpu_mutex_destroy(c.c_mtx);
	return 0;
}

static int
t_mutex_spin_never_unschedules(void)
{
	static const int kinds[] = { RUMPUSER_MTX_SPIN,
	    RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX };
	struct worker w[3];
	struct counter c = { .c_rounds = 20000 };
	size_t k;
	int i;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		c.c_value = 0;
		fakecpu_mutex_init(&c.c_mtx, kinds[k]);
		CHECK_EQ(spawn(w, 3, w_increment, &c), 0);
		CHECK_EQ(join(w, 3), 0);
		CHECK_EQ(c.c_value, 3L * 20000);
		for (i = 0; i < 3; i++)
			CHECK_EQ(w[i].w_result, 0);
		fakecpu_mutex_destroy(c.c_mtx);
	}
	return 0;
}

static void
w_owner_probe(struct worker *w)
{
	struct rumpuser_mtx *mtx = w->w_arg;
	struct lwp *owner;

	rumpuser_mutex_owner(mtx, &owner);
	w->w_result = owner == LWP(0);
	w->w_result2 = rumpuser_mutex_tryenter(mtx);
}

static int
t_mutex_owner_tracked(void)
{
	struct rumpuser_mtx *km, *plain;
	struct lwp *owner;
	struct worker w;

	fakecpu_mutex_init(&km, RUMPUSER_MTX_KMUTEX);
	fakecpu_mutex_init(&plain, 0);
	rumpuser_mutex_enter(km);
	rumpuser_mutex_owner(km, &owner);
	CHECK(owner == LWP(0));
	CHECK(rumphyp_mutex_held(km));
	CHECK_EQ(spawn(&w, 1, w_owner_probe, km), 0);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(w.w_result, 1);
	CHECK_EQ(w.w_result2, R_EBUSY);
	rumpuser_mutex_exit(km);
	rumpuser_mutex_owner(km, &owner);
	CHECK(owner == NULL);
	CHECK(!rumphyp_mutex_held(km));

	rumpuser_mutex_enter(plain);
	rumpuser_mutex_owner(plain, &owner);
	CHECK(owner == NULL);		/* only KMUTEX tracks owners */
	rumpuser_mutex_exit(plain);
	fakecpu_mutex_destroy(plain);
	fakecpu_mutex_destroy(km);
	return 0;
}

static void
w_tryenter(struct worker *w)
{
	w->w_result = rumpuser_mutex_tryenter(w->w_arg);
}

static int
t_tryenter_busy(void)
{
	static const int kinds[] = { 0, RUMPUSER_MTX_SPIN,
	    RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX };
	struct rumpuser_mtx *mtx;
	struct worker w;
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		fakecpu_mutex_init(&mtx, kinds[k]);
		rumpuser_mutex_enter(mtx);
		CHECK_EQ(spawn(&w, 1, w_tryenter, mtx), 0);
		CHECK_EQ(join(&w, 1), 0);
		CHECK_EQ(w.w_result, R_EBUSY);
		rumpuser_mutex_exit(mtx);
		CHECK_EQ(rumpuser_mutex_tryenter(mtx), 0);
		rumpuser_mutex_exit(mtx);
		fakecpu_mutex_destroy(mtx);
	}
	return 0;
}

/* ---- rwlocks ------------------------------------------------------------ */

static void
w_rw_second_reader(struct worker *w)
{
	struct rumpuser_rw *rw = w->w_arg;
	int held;

	w->w_result = rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw);
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	w->w_result2 = held;
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	rumpuser_rw_exit(rw);
	if (w->w_result == 0)
		rumpuser_rw_exit(rw);
	if (rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw) != R_EBUSY)
		w->w_result2 = -1;
}

static int
t_rw_readers_share(void)
{
	struct rumpuser_rw *rw;
	struct worker w;
	int held;

	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	CHECK_EQ(spawn(&w, 1, w_rw_second_reader, rw), 0);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(w.w_result, 0);
	CHECK_EQ(w.w_result2, 1);
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	CHECK_EQ(held, 1);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	CHECK_EQ(held, 0);
	rumpuser_rw_exit(rw);
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	CHECK_EQ(held, 0);
	rumpuser_rw_destroy(rw);
	return 0;
}

struct rwprobe {
	struct rumpuser_rw *rp_rw;
	int rp_acquired;
	int rp_release;
};

static void
w_rw_blocked_reader(struct worker *w)
{
	struct rwprobe *rp = w->w_arg;
	int held;

	w->w_result = rumpuser_rw_tryenter(RUMPUSER_RW_READER, rp->rp_rw) +
	    rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rp->rp_rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rp->rp_rw, &held);
	w->w_result2 = held;
	rumpuser_rw_enter(RUMPUSER_RW_READER, rp->rp_rw);
	STORE(rp->rp_acquired, 1);
	rumpuser_rw_exit(rp->rp_rw);
}

static int
t_rw_writer_excludes(void)
{
	struct rwprobe rp = { 0 };
	struct worker w;
	int held;

	rumpuser_rw_init(&rp.rp_rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rp.rp_rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rp.rp_rw, &held);
	CHECK_EQ(held, 1);
	CHECK_EQ(spawn(&w, 1, w_rw_blocked_reader, &rp), 0);
	nap(50 * MS);
	CHECK_EQ(LOAD(rp.rp_acquired), 0);
	rumpuser_rw_exit(rp.rp_rw);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(LOAD(rp.rp_acquired), 1);
	CHECK_EQ(w.w_result, 2 * R_EBUSY);
	CHECK_EQ(w.w_result2, 0);	/* not the writer's lwp */
	rumpuser_rw_destroy(rp.rp_rw);
	return 0;
}

static void
w_rw_writer(struct worker *w)
{
	struct rwprobe *rp = w->w_arg;

	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rp->rp_rw);
	STORE(rp->rp_acquired, 1);
	rumpuser_rw_exit(rp->rp_rw);
}

/* 1 if a new reader would be turned away; a granted read is released. */
static int
rw_reader_refused(struct rumpuser_rw *rw)
{
	if (rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw) != 0)
		return 1;
	rumpuser_rw_exit(rw);
	return 0;
}

static int
t_rw_writer_preferred(void)
{
	struct rwprobe rp = { 0 };
	struct worker w;

	rumpuser_rw_init(&rp.rp_rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rp.rp_rw);
	CHECK_EQ(spawn(&w, 1, w_rw_writer, &rp), 0);
	/* Once the writer waits, new readers are turned away. */
	WAIT_FOR(rw_reader_refused(rp.rp_rw));
	CHECK_EQ(LOAD(rp.rp_acquired), 0);
	rumpuser_rw_exit(rp.rp_rw);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(LOAD(rp.rp_acquired), 1);
	rumpuser_rw_destroy(rp.rp_rw);
	return 0;
}

static void
w_rw_hold_read(struct worker *w)
{
	struct rwprobe *rp = w->w_arg;

	rumpuser_rw_enter(RUMPUSER_RW_READER, rp->rp_rw);
	STORE(rp->rp_acquired, 1);
	while (!LOAD(rp->rp_release))
		nap(1 * MS);
	rumpuser_rw_exit(rp->rp_rw);
}

static int
t_rw_tryupgrade_sole_reader(void)
{
	struct rwprobe rp = { 0 };
	struct worker w;
	int held;

	rumpuser_rw_init(&rp.rp_rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rp.rp_rw);
	CHECK_EQ(spawn(&w, 1, w_rw_hold_read, &rp), 0);
	WAIT_FOR(LOAD(rp.rp_acquired));
	CHECK_EQ(rumpuser_rw_tryupgrade(rp.rp_rw), R_EBUSY);
	STORE(rp.rp_release, 1);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(rumpuser_rw_tryupgrade(rp.rp_rw), 0);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rp.rp_rw, &held);
	CHECK_EQ(held, 1);
	rumpuser_rw_held(RUMPUSER_RW_READER, rp.rp_rw, &held);
	CHECK_EQ(held, 0);
	rumpuser_rw_exit(rp.rp_rw);
	rumpuser_rw_destroy(rp.rp_rw);
	return 0;
}

static void
w_rw_after_downgrade(struct worker *w)
{
	struct rumpuser_rw *rw = w->w_arg;

	w->w_result = rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw);
	if (w->w_result == 0)
		rumpuser_rw_exit(rw);
	w->w_result2 = rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw);
}

static int
t_rw_downgrade(void)
{
	struct rumpuser_rw *rw;
	struct worker w;
	int held;

	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	rumpuser_rw_downgrade(rw);
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	CHECK_EQ(held, 0);
	rumpuser_rw_held(RUMPUSER_RW_READER, rw, &held);
	CHECK_EQ(held, 1);
	CHECK_EQ(spawn(&w, 1, w_rw_after_downgrade, rw), 0);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(w.w_result, 0);
	CHECK_EQ(w.w_result2, R_EBUSY);
	rumpuser_rw_exit(rw);
	CHECK_EQ(rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw), 0);
	rumpuser_rw_exit(rw);
	rumpuser_rw_destroy(rw);
	return 0;
}

/* ---- condvars ------------------------------------------------------------- */

struct cvtest {
	struct rumpuser_mtx *ct_mtx;
	struct rumpuser_cv *ct_cv;
	int ct_tokens;		/* under ct_mtx */
	int ct_wakeups;		/* under ct_mtx */
	int ct_bad;		/* under ct_mtx: wrong state after a wake */
	int64_t ct_timeout;	/* timedwait seconds, 0: plain wait */
};

static void
w_cv_consume(struct worker *w)
{
	struct cvtest *ct = w->w_arg;
	struct lwp *owner;
	int64_t t0 = now_ns();
	int rv = 0;

	rumpuser_mutex_enter(ct->ct_mtx);
	while (ct->ct_tokens == 0) {
		if (ct->ct_timeout)
			rv = rumpuser_cv_timedwait(ct->ct_cv, ct->ct_mtx,
			    ct->ct_timeout, 0);
		else
			rumpuser_cv_wait(ct->ct_cv, ct->ct_mtx);
		ct->ct_wakeups++;
		rumpuser_mutex_owner(ct->ct_mtx, &owner);
		if (!rumphyp_mutex_held(ct->ct_mtx) || !fakecpu_held() ||
		    (owner != NULL && owner != LWP(w->w_idx + 1)))
			ct->ct_bad++;
	}
	ct->ct_tokens--;
	rumpuser_mutex_exit(ct->ct_mtx);
	w->w_result = rv;
	w->w_result2 = now_ns() - t0;
}

static void
cv_give(struct cvtest *ct, int tokens, int broadcast)
{
	rumpuser_mutex_enter(ct->ct_mtx);
	ct->ct_tokens += tokens;
	if (broadcast)
		rumpuser_cv_broadcast(ct->ct_cv);
	else
		rumpuser_cv_signal(ct->ct_cv);
	rumpuser_mutex_exit(ct->ct_mtx);
}

static int
cv_waiters(struct cvtest *ct)
{
	int n;

	rumpuser_cv_has_waiters(ct->ct_cv, &n);
	return n;
}

static int
cv_wakeups(struct cvtest *ct)
{
	int n;

	rumpuser_mutex_enter(ct->ct_mtx);
	n = ct->ct_wakeups;
	rumpuser_mutex_exit(ct->ct_mtx);
	return n;
}

static int
t_cv_signal_wakes_one(void)
{
	struct cvtest ct = { 0 };
	struct worker w[3];

	fakecpu_mutex_init(&ct.ct_mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&ct.ct_cv);
	CHECK_EQ(spawn(w, 3, w_cv_consume, &ct), 0);
	WAIT_FOR(cv_waiters(&ct) == 3);
	cv_give(&ct, 1, 0);
	WAIT_FOR(cv_wakeups(&ct) >= 1);
	nap(50 * MS);
	CHECK_EQ(cv_wakeups(&ct), 1);
	CHECK_EQ(cv_waiters(&ct), 2);
	cv_give(&ct, 2, 1);
	CHECK_EQ(join(w, 3), 0);
	CHECK_EQ(ct.ct_tokens, 0);
	CHECK_EQ(ct.ct_bad, 0);
	rumpuser_cv_destroy(ct.ct_cv);
	fakecpu_mutex_destroy(ct.ct_mtx);
	return 0;
}

/* Every mutex kind: the wake-up ordering differs (checked by fakecpu). */
static int
t_cv_broadcast_wakes_all(void)
{
	static const int kinds[] = { 0, RUMPUSER_MTX_KMUTEX,
	    RUMPUSER_MTX_SPIN, RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX };
	struct cvtest ct = { 0 };
	struct worker w[4];
	size_t k;

	rumpuser_cv_init(&ct.ct_cv);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		fakecpu_mutex_init(&ct.ct_mtx, kinds[k]);
		ct.ct_wakeups = 0;
		CHECK_EQ(spawn(w, 4, w_cv_consume, &ct), 0);
		WAIT_FOR(cv_waiters(&ct) == 4);
		cv_give(&ct, 4, 1);
		CHECK_EQ(join(w, 4), 0);
		CHECK_EQ(ct.ct_wakeups, 4);
		CHECK_EQ(ct.ct_tokens, 0);
		CHECK_EQ(ct.ct_bad, 0);
		CHECK_EQ(cv_waiters(&ct), 0);
		fakecpu_mutex_destroy(ct.ct_mtx);
	}
	rumpuser_cv_destroy(ct.ct_cv);
	return 0;
}

static void
w_cv_nowrap(struct worker *w)
{
	struct cvtest *ct = w->w_arg;
	long before = fakecpu_thread_unschedules();

	rumpuser_mutex_enter_nowrap(ct->ct_mtx);
	while (ct->ct_tokens == 0)
		rumpuser_cv_wait_nowrap(ct->ct_cv, ct->ct_mtx);
	ct->ct_tokens--;
	rumpuser_mutex_exit(ct->ct_mtx);
	w->w_result = fakecpu_thread_unschedules() - before;
}

static int
t_cv_wait_nowrap_keeps_cpu(void)
{
	struct cvtest ct = { 0 };
	struct worker w;

	fakecpu_mutex_init(&ct.ct_mtx, RUMPUSER_MTX_SPIN);
	rumpuser_cv_init(&ct.ct_cv);
	CHECK_EQ(spawn(&w, 1, w_cv_nowrap, &ct), 0);
	WAIT_FOR(cv_waiters(&ct) == 1);
	cv_give(&ct, 1, 0);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(w.w_result, 0);
	rumpuser_cv_destroy(ct.ct_cv);
	fakecpu_mutex_destroy(ct.ct_mtx);
	return 0;
}

static int
t_cv_timedwait_expires(void)
{
	struct rumpuser_mtx *mtx;
	struct rumpuser_cv *cv;
	struct lwp *owner;
	int64_t t0, t1;
	int rv;

	fakecpu_mutex_init(&mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&cv);
	rumpuser_mutex_enter(mtx);
	t0 = now_ns();
	rv = rumpuser_cv_timedwait(cv, mtx, 0, 50 * MS);
	t1 = now_ns();
	CHECK(rumphyp_mutex_held(mtx));
	rumpuser_mutex_owner(mtx, &owner);
	CHECK(owner == LWP(0));
	rumpuser_mutex_exit(mtx);
	CHECK_EQ(rv, R_ETIMEDOUT);
	CHECK(t1 - t0 >= 50 * MS);
	rumpuser_cv_destroy(cv);
	fakecpu_mutex_destroy(mtx);
	return 0;
}

static int
t_cv_timedwait_signalled(void)
{
	struct cvtest ct = { .ct_timeout = 10 };
	struct worker w;

	fakecpu_mutex_init(&ct.ct_mtx, RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init(&ct.ct_cv);
	CHECK_EQ(spawn(&w, 1, w_cv_consume, &ct), 0);
	WAIT_FOR(cv_waiters(&ct) == 1);
	cv_give(&ct, 1, 0);
	CHECK_EQ(join(&w, 1), 0);
	CHECK_EQ(w.w_result, 0);
	CHECK(w.w_result2 < 5000 * MS);
	CHECK_EQ(ct.ct_bad, 0);
	rumpuser_cv_destroy(ct.ct_cv);
	fakecpu_mutex_destroy(ct.ct_mtx);
	return 0;
}

/* ---- clocks, threads, curlwp -------------------------------------------- */

static int
t_clock_sleep_absmono_deadline(void)
{
	int64_t sec, t0, deadline;
	long nsec;

	CHECK_EQ(rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec),
	    0);
	CHECK(sec > 1500000000);	/* a wall clock, not an uptime */
	t0 = now_ns();
	deadline = t0 + 30 * MS;
	CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    deadline / 1000000000, (long)(deadline % 1000000000)), 0);
	CHECK(now_ns() >= deadline);

	t0 = now_ns();
	CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 20 * MS), 0);
	CHECK(now_ns() - t0 >= 20 * MS);

	t0 = now_ns();		/* a deadline in the past: no sleep */
	CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO, 0, 0), 0);
	CHECK(now_ns() - t0 < 1000 * MS);

	CHECK_EQ(rumpuser_clock_sleep(7, 0, 0), R_EINVAL);
	CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000000),
	    R_EINVAL);
	CHECK_EQ(rumpuser_clock_gettime(7, &sec, &nsec), R_EINVAL);
	return 0;
}

struct joinprobe {
	int jp_value;
	char jp_name[32];
};

static void *
thr_set_value(void *arg)
{
	struct joinprobe *jp = arg;

	if (pthread_getname_np(pthread_self(), jp->jp_name,
	    sizeof(jp->jp_name)) != 0)
		jp->jp_name[0] = '\0';
	if (rumpuser_curlwp() != NULL)
		jp->jp_name[0] = '!';
	STORE(jp->jp_value, 42);
	rumpuser_thread_exit();
}

static int
t_thread_join(void)
{
	struct joinprobe jp = { 0 }, detached = { 0 };
	struct rumphyp_stats st;
	void *cookie;

	CHECK_EQ(rumpuser_thread_create(thr_set_value, &jp,
	    "a-very-long-thread-name", 1, 0, -1, &cookie), 0);
	CHECK_EQ(rumpuser_thread_join(cookie), 0);
	CHECK_EQ(jp.jp_value, 42);
	CHECK(strcmp(jp.jp_name, "a-very-long-thr") == 0);

	CHECK_EQ(rumpuser_thread_create(thr_set_value, &detached, "detached",
	    0, 0, -1, NULL), 0);
	WAIT_FOR(LOAD(detached.jp_value) == 42);
	rumphyp_stats(&st);
	WAIT_FOR((rumphyp_stats(&st), st.live_threads == 0));
	return 0;
}

static void
w_curlwp(struct worker *w)
{
	struct lwp *mine = LWP(w->w_idx + 1);
	int ok = rumpuser_curlwp() == mine;

	nap(5 * MS);		/* let the others bind theirs meanwhile */
	ok = ok && rumpuser_curlwp() == mine;
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, mine);
	ok = ok && rumpuser_curlwp() == NULL;
	rumpuser_curlwpop(RUMPUSER_LWP_SET, mine);
	w->w_result = ok;
}

static int
t_curlwp_per_thread(void)
{
	struct worker w[6];
	int i;

	CHECK(rumpuser_curlwp() == LWP(0));
	CHECK_EQ(spawn(w, 6, w_curlwp, NULL), 0);
	CHECK_EQ(join(w, 6), 0);
	for (i = 0; i < 6; i++)
		CHECK_EQ(w[i].w_result, 1);
	CHECK(rumpuser_curlwp() == LWP(0));
	return 0;
}

/* ---- parameters ----------------------------------------------------------- */

static int
t_getparam_small_buffer(void)
{
	char buf[32];

	CHECK_EQ(unsetenv("RUMP_HOSTNAME"), 0);
	memset(buf, 'X', sizeof(buf));
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf, 10), R_E2BIG);
	CHECK(buf[0] == 'X');		/* never a truncated value */
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf, 11), 0);
	CHECK(strcmp(buf, "rump-posix") == 0);
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, 1), R_E2BIG);
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf)), 0);
	CHECK(atoi(buf) >= 1);

	CHECK_EQ(setenv("RUMP_NCPU", "3", 1), 0);
	CHECK_EQ(setenv("RUMP_HOSTNAME", "testhost", 1), 0);
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "3") == 0);
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf, sizeof(buf)),
	    0);
	CHECK(strcmp(buf, "testhost") == 0);
	CHECK_EQ(setenv("RUMP_NCPU", "lots", 1), 0);
	CHECK_EQ(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf)),
	    R_EINVAL);
	CHECK_EQ(unsetenv("RUMP_NCPU"), 0);
	CHECK_EQ(unsetenv("RUMP_HOSTNAME"), 0);
	return 0;
}

static int
t_getparam_unknown(void)
{
	char buf[16];

	CHECK_EQ(rumpuser_getparam("RUMP_SURELY_NOT_SET_ANYWHERE", buf,
	    sizeof(buf)), R_ENOENT);
	CHECK_EQ(setenv("RUMP_VERBOSE", "1", 1), 0);
	CHECK_EQ(rumpuser_getparam("RUMP_VERBOSE", buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "1") == 0);
	CHECK_EQ(unsetenv("RUMP_VERBOSE"), 0);
	return 0;
}


/* ---- the end, and the runner ---------------------------------------------- */

static int
t_no_leaks_at_end(void)
{
	struct rumphyp_stats st;

	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, LWP(0));
	fakecpu_give();
	rumphyp_fini();
	rumphyp_stats(&st);
	CHECK_EQ(st.live_allocs, 0);
	CHECK_EQ(st.live_bytes, 0);
	CHECK_EQ(st.live_mappings, 0);
	CHECK_EQ(st.live_threads, 0);
	CHECK_EQ(st.open_files, 0);
	CHECK_EQ(st.live_locks, 0);
	CHECK_EQ(st.bio_inflight, 0);
	CHECK_EQ(st.console_errors, 0);
	CHECK_EQ(fakecpu_unschedules(), fakecpu_schedules());
	/* After fini the hypervisor can be initialised again. */
	CHECK_EQ(rumpuser_init(RUMPUSER_VERSION, &fakecpu_upcalls), 0);
	rumphyp_fini();
	return 0;
}

static const struct {
	const char *tc_name;
	int (*tc_fn)(void);
} test_cases[] = {
	{ "version_checked_reinit_only_when_idle", t_version_checked_reinit_only_when_idle },
	{ "malloc_alignment", t_malloc_alignment },
	{ "anonmmap_alignbit", t_anonmmap_alignbit },
	{ "mutex_contention", t_mutex_contention },
	{ "mutex_spin_never_unschedules", t_mutex_spin_never_unschedules },
	{ "mutex_owner_tracked", t_mutex_owner_tracked },
	{ "tryenter_busy", t_tryenter_busy },
	{ "rw_readers_share", t_rw_readers_share },
	{ "rw_writer_excludes", t_rw_writer_excludes },
	{ "rw_writer_preferred", t_rw_writer_preferred },
	{ "rw_tryupgrade_sole_reader", t_rw_tryupgrade_sole_reader },
	{ "rw_downgrade", t_rw_downgrade },
	{ "cv_signal_wakes_one", t_cv_signal_wakes_one },
	{ "cv_broadcast_wakes_all", t_cv_broadcast_wakes_all },
	{ "cv_wait_nowrap_keeps_cpu", t_cv_wait_nowrap_keeps_cpu },
	{ "cv_timedwait_expires", t_cv_timedwait_expires },
	{ "cv_timedwait_signalled", t_cv_timedwait_signalled },
	{ "clock_sleep_absmono_deadline", t_clock_sleep_absmono_deadline },
	{ "thread_join", t_thread_join },
	{ "curlwp_per_thread", t_curlwp_per_thread },
	{ "getparam_small_buffer", t_getparam_small_buffer },
	{ "getparam_unknown", t_getparam_unknown },
	{ "file_io_roundtrip", t_file_io_roundtrip },
	{ "bio_async_completion", t_bio_async_completion },
	{ "getrandom_fills", t_getrandom_fills },
	{ "console_lines_not_interleaved", t_console_lines_not_interleaved },
	{ "kill_maps_signals", t_kill_maps_signals },
	{ "exit_panic_aborts", t_exit_panic_aborts },
	{ "daemonize_reports_status", t_daemonize_reports_status },
	{ "sp_unsupported", t_sp_unsupported },
	{ "no_leaks_at_end", t_no_leaks_at_end },
};

/* After every case: nothing leaked, no scheduling rule broken. */
static int
check_after_case(long violations_before)
{
	struct rumphyp_stats st;
	int i;

	if (fakecpu_violations() != violations_before) {
		snprintf(test_failure, sizeof(test_failure),
		    "scheduling rule broken: %s", fakecpu_last_violation());
		return -1;
	}
	/* Detached threads finish on their own time; give them a moment. */
	for (i = 0; i < 1000; i++) {
		rumphyp_stats(&st);
		if (st.live_threads == 0)
			break;
		usleep(1000);
	}
	if (st.live_allocs || st.live_bytes || st.live_mappings ||
	    st.live_threads || st.open_files || st.live_locks ||
	    st.bio_inflight) {
		snprintf(test_failure, sizeof(test_failure), "leak: allocs "
		    "%ld bytes %ld maps %ld threads %ld files %ld locks %ld "
		    "bio %ld", st.live_allocs, st.live_bytes,
		    st.live_mappings, st.live_threads, st.open_files,
		    st.live_locks, st.bio_inflight);
		return -1;
	}
	return 0;
}

static void
watchdog(int sig)
{
	static const char msg[] = ": timeout (deadlock?)\n";
	const char *name = test_case;
	ssize_t n;

	(void)sig;
	n = write(STDOUT_FILENO, "FAIL: hyp.", 10);
	n = write(STDOUT_FILENO, name, strlen(name));
	n = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	_exit(2);
}

int
main(void)
{
	size_t i;
	long before;
	int failed = 0, rv;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, watchdog);
	for (i = 0; i < sizeof(test_cases) / sizeof(test_cases[0]); i++) {
		test_case = test_cases[i].tc_name;
		alarm(300);
		before = fakecpu_violations();
		test_failure[0] = '\0';
		rv = test_cases[i].tc_fn();
		if (rv == 0)
			rv = check_after_case(before);
		if (rv == 0) {
			printf("PASS: hyp.%s\n", test_case);
		} else {
			printf("FAIL: hyp.%s: %s\n", test_case, test_failure);
			failed++;
			/* Without init nothing else can run. */
			if (i == 0)
				return 1;
		}
	}
	alarm(0);
	return failed ? 1 : 0;
}
