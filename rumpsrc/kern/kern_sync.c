/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_sync.c: kernel mutexes, reader/writer locks, condition variables
 * and sleeps, as thin layers over the hypervisor's locks.
 *
 * The hypervisor does the hard part: a wait that blocks gives the rump
 * CPU back (through hyp_backend_unschedule, which also drops the giant
 * lock) and takes it again afterwards.  Spin mutexes (MUTEX_SPIN, or an
 * IPL of IPL_VM and up) are RUMPUSER_MTX_SPIN: entering one never gives
 * the CPU back, so they must only guard short sections that never block.
 * Every mutex is RUMPUSER_MTX_KMUTEX so the hypervisor tracks the owner
 * lwp and mutex_owned() is exact.
 *
 * Timeouts: cv_timedwait(ticks) with ticks == 0 waits without a timeout
 * (the NetBSD convention), ticks < 0 returns EWOULDBLOCK at once;
 * cv_timedwait_ns(0) returns EWOULDBLOCK at once.  Hypervisor ETIMEDOUT
 * becomes EWOULDBLOCK.  Sleeps (kpause) are on the monotonic clock.
 *
 * Every *_init makes a hypervisor object that the matching *_destroy
 * frees; the hypervisor counts them, so a missing destroy is a leak.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#ifdef __SANITIZE_THREAD__
/* The word the membar_*() of sys/atomic.h update under ThreadSanitizer. */
volatile unsigned int rump_tsan_membar;
#endif

/* ---- mutexes ---------------------------------------------------------- */

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl)
{
	int flags = RUMPUSER_MTX_KMUTEX;

	mtx->mtx_spin = type == MUTEX_SPIN || ipl >= IPL_VM;
	if (mtx->mtx_spin)
		flags |= RUMPUSER_MTX_SPIN;
	rumpuser_mutex_init(&mtx->mtx_hyp, flags);
}

/* Precondition: nobody holds or waits for mtx. */
void
mutex_destroy(kmutex_t *mtx)
{
	KASSERT(mutex_owner(mtx) == NULL);
	rumpuser_mutex_destroy(mtx->mtx_hyp);
	mtx->mtx_hyp = NULL;
}

/* Precondition: the caller holds a CPU and not mtx. */
void
mutex_enter(kmutex_t *mtx)
{
	KASSERT(rump_cpu_held());
	KASSERTMSG(!mutex_owned(mtx), "mutex_enter: locking against myself");
	if (mtx->mtx_spin)
		rumpuser_mutex_enter_nowrap(mtx->mtx_hyp);
	else
		rumpuser_mutex_enter(mtx->mtx_hyp);
}

void
mutex_exit(kmutex_t *mtx)
{
	KASSERTMSG(mutex_owned(mtx), "mutex_exit: not the owner");
	rumpuser_mutex_exit(mtx->mtx_hyp);
}

int
mutex_tryenter(kmutex_t *mtx)
{
	return rumpuser_mutex_tryenter(mtx->mtx_hyp) == 0;
}

struct lwp *
mutex_owner(const kmutex_t *mtx)
{
	struct lwp *l;

	rumpuser_mutex_owner(mtx->mtx_hyp, &l);
	return l;
}

bool
mutex_owned(const kmutex_t *mtx)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL && mutex_owner(mtx) == l;
}

/* Reference-counted mutexes: the count sits beside the mutex. */
struct mutex_obj {
	kmutex_t	mo_lock;	/* first: the handle is its address */
	volatile u_int	mo_refcnt;
};

kmutex_t *
mutex_obj_alloc(kmutex_type_t type, int ipl)
{
	struct mutex_obj *mo;

	mo = kmem_alloc(sizeof(*mo), KM_SLEEP);
	mutex_init(&mo->mo_lock, type, ipl);
	mo->mo_refcnt = 1;
	return &mo->mo_lock;
}

void
mutex_obj_hold(kmutex_t *mtx)
{
	struct mutex_obj *mo = container_of(mtx, struct mutex_obj, mo_lock);

	KASSERT(mo->mo_refcnt > 0);
	atomic_inc_uint(&mo->mo_refcnt);
}

bool
mutex_obj_free(kmutex_t *mtx)
{
	struct mutex_obj *mo = container_of(mtx, struct mutex_obj, mo_lock);

	KASSERT(mo->mo_refcnt > 0);
	if (atomic_dec_uint_nv(&mo->mo_refcnt) > 0)
		return false;
	mutex_destroy(&mo->mo_lock);
	kmem_free(mo, sizeof(*mo));
	return true;
}

/* ---- reader/writer locks ---------------------------------------------- */

void
rw_init(krwlock_t *rw)
{
	rumpuser_rw_init(&rw->rw_hyp);
}

void
rw_destroy(krwlock_t *rw)
{
	rumpuser_rw_destroy(rw->rw_hyp);
	rw->rw_hyp = NULL;
}

/* Precondition: the caller holds a CPU.  May block (releases it). */
void
rw_enter(krwlock_t *rw, krw_t op)
{
	KASSERT(rump_cpu_held());
	rumpuser_rw_enter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw_hyp);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{
	return rumpuser_rw_tryenter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw_hyp) == 0;
}

void
rw_exit(krwlock_t *rw)
{
	rumpuser_rw_exit(rw->rw_hyp);
}

/* Precondition: the caller holds rw as a reader. */
int
rw_tryupgrade(krwlock_t *rw)
{
	return rumpuser_rw_tryupgrade(rw->rw_hyp) == 0;
}

/* Precondition: the caller holds rw as the writer. */
void
rw_downgrade(krwlock_t *rw)
{
	rumpuser_rw_downgrade(rw->rw_hyp);
}

/* Read-held by anybody (the hypervisor does not track readers). */
int
rw_read_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_READER, rw->rw_hyp, &held);
	return held;
}

int
rw_write_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw->rw_hyp, &held);
	return held;
}

int
rw_lock_held(krwlock_t *rw)
{
	return rw_write_held(rw) || rw_read_held(rw);
}

/* ---- condition variables ---------------------------------------------- */

void
cv_init(kcondvar_t *cv, const char *wmesg)
{
	rumpuser_cv_init(&cv->cv_hyp);
	cv->cv_wmesg = wmesg;
}

/* Precondition: nobody waits on cv. */
void
cv_destroy(kcondvar_t *cv)
{
	rumpuser_cv_destroy(cv->cv_hyp);
	cv->cv_hyp = NULL;
}

/* Precondition: the caller holds mtx and a CPU.  Wake-ups may be spurious. */
void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{
	KASSERT(mutex_owned(mtx));
	rumpuser_cv_wait(cv->cv_hyp, mtx->mtx_hyp);
}

static int
cv_wait_ns(kcondvar_t *cv, kmutex_t *mtx, uint64_t ns)
{
	int error;

	KASSERT(mutex_owned(mtx));
	error = rumpuser_cv_timedwait(cv->cv_hyp, mtx->mtx_hyp,
	    (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC));
	if (error == ETIMEDOUT)
		return EWOULDBLOCK;
	KASSERTMSG(error == 0, "rumpuser_cv_timedwait: error %d", error);
	return error;
}

int
cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{
	if (ticks == 0) {
		cv_wait(cv, mtx);
		return 0;
	}
	if (ticks < 0)
		return EWOULDBLOCK;
	return cv_wait_ns(cv, mtx, ticks_to_ns(ticks));
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *mtx, uint64_t ns)
{
	if (ns == 0)
		return EWOULDBLOCK;
	return cv_wait_ns(cv, mtx, ns);
}

void
cv_signal(kcondvar_t *cv)
{
	rumpuser_cv_signal(cv->cv_hyp);
}

void
cv_broadcast(kcondvar_t *cv)
{
	rumpuser_cv_broadcast(cv->cv_hyp);
}

bool
cv_has_waiters(kcondvar_t *cv)
{
	int n;

	rumpuser_cv_has_waiters(cv->cv_hyp, &n);
	return n != 0;
}

/* ---- sleeping --------------------------------------------------------- */

/* Deadlines are capped here (146 years): far enough to mean "never". */
#define SYNC_MAX_DEADLINE_NS	((uint64_t)1 << 62)

static uint64_t
sync_monotonic_ns(void)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec) != 0)
		panic("kpause: monotonic clock unreadable");
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

/*
 * Sleep at least ns on the monotonic clock.  Precondition: the caller
 * holds a CPU (given back during the sleep by the hypervisor's wrap).
 */
void
kpause_ns(uint64_t ns)
{
	uint64_t deadline, now;
	int error;

	now = sync_monotonic_ns();
	deadline = ns > SYNC_MAX_DEADLINE_NS - now ? SYNC_MAX_DEADLINE_NS :
	    now + ns;
	while (now < deadline) {
		error = rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
		    (int64_t)(deadline / NSEC_PER_SEC),
		    (long)(deadline % NSEC_PER_SEC));
		if (error != 0)
			panic("kpause: rumpuser_clock_sleep: error %d", error);
		now = sync_monotonic_ns();
	}
}

/*
 * Sleep `ticks` ticks (a zero or negative count only gives the CPU away
 * for a moment), with mtx, if given, released meanwhile.
 */
int
kpause(const char *wmesg, bool intr, int ticks, kmutex_t *mtx)
{
	int error;

	if (mtx != NULL)
		mutex_exit(mtx);
	if (ticks > 0) {
		kpause_ns(ticks_to_ns(ticks));
	} else {
		error = rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 0);
		if (error != 0)
			panic("kpause: rumpuser_clock_sleep: error %d", error);
	}
	if (mtx != NULL)
		mutex_enter(mtx);
	return EWOULDBLOCK;
}
