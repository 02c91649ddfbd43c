/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_sched.c: virtual CPUs, scheduling host threads onto them, and the
 * giant lock.
 *
 * The rump kernel has ncpu virtual CPUs (struct cpu_info).  A host thread
 * runs kernel code only while it holds one: rump_schedule() takes a CPU
 * for the calling thread's lwp (making an implicit LW_TEMP lwp first if
 * the thread has none), rump_unschedule() gives it back.  Holding a CPU is
 * what makes per-CPU data (kmem magazines, softint queues) safe without
 * locks, and it bounds kernel parallelism to ncpu.
 *
 * Taking a CPU: a CAS of ci_curlwp from NULL to the lwp.  The lwp's last
 * CPU is tried first (its caches are warm), then the others in order; a
 * bound lwp (softint and per-CPU threads) only ever tries its own.  When
 * nothing is free the thread sleeps on a hypervisor condvar (the _nowrap
 * calls: it holds no CPU to give back).  Unbound waiters share one
 * condvar; the bound waiters of each CPU have their own, so that a CPU's
 * release wakes a thread that can really use it.  Lost wake-ups cannot
 * happen: a waiter counts itself (sequentially consistent increment) under
 * the scheduler mutex and only then tries the CPUs; a releaser clears
 * ci_curlwp (sequentially consistent store) and only then reads the
 * counts, signalling under the same mutex.  One of the two always sees
 * the other.  Waiting is not fair: a thread on the fast path may overtake
 * a sleeper.
 *
 * The hypervisor calls hyp_backend_unschedule/hyp_backend_schedule around
 * everything that may block (lock waits, condvar waits, sleeps, I/O):
 * they release and retake the CPU, and drop and retake the caller's
 * giant lock holds, so that a thread blocked in the host never keeps
 * others out of the kernel.
 *
 * The giant lock (kernel_lock) is a recursive lock owned by an lwp, on a
 * hypervisor mutex; it is for code that is not MP-safe.
 *
 * Called by: the API gate and the hypervisor (schedule/unschedule), every
 * wrapped hypercall (backend upcalls), kern/init_main.c (boot/shutdown).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <machine/jmpbuf.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

/* Scheduler state of one CPU beside the public struct cpu_info. */
struct sched_cpu {
	struct rumpuser_cv	*sc_cv;		/* bound lwps wait here */
	volatile u_int		sc_nwaiters;	/* bound lwps waiting */
	const struct lwp	*sc_lastlwp;	/* compared only: ci_nswitch */
} __aligned(64);

struct cpu_info *rump_cpus;
int ncpu;

static struct sched_cpu *sched_cpus;
static struct rumpuser_mtx *sched_mtx;	/* guards sleeping, not CPUs */
static struct rumpuser_cv *sched_cv;	/* unbound lwps wait here */
static volatile u_int sched_nwaiters;	/* unbound lwps waiting */

static struct rumpuser_mtx *giant_mtx;
static struct lwp *volatile giant_owner;
static int giant_count;			/* owner's holds; owner only */

/* ---- boot and shutdown ------------------------------------------------ */

/*
 * Allocate ncpu CPUs and the scheduler's hypervisor objects.  Runs on the
 * boot thread before any other thread exists.
 */
int
rump_cpus_init(void)
{
	struct cpu_info *ci;
	void *mem;
	int i, error;

	KASSERT(ncpu >= 1 && ncpu <= MAXCPUS);
	error = rumpuser_malloc(sizeof(*rump_cpus) * (size_t)ncpu,
	    __alignof__(struct cpu_info), &mem);
	if (error != 0)
		return error;
	rump_cpus = mem;
	error = rumpuser_malloc(sizeof(*sched_cpus) * (size_t)ncpu,
	    __alignof__(struct sched_cpu), &mem);
	if (error != 0)
		goto err_free_cpus;
	sched_cpus = mem;

	for (i = 0; i < ncpu; i++) {
		ci = &rump_cpus[i];
		memset(ci, 0, sizeof(*ci));
		ci->ci_index = (u_int)i;
		memset(&sched_cpus[i], 0, sizeof(sched_cpus[i]));
		rumpuser_cv_init(&sched_cpus[i].sc_cv);
	}
	/* A plain host mutex: it is only ever held without a CPU. */
	rumpuser_mutex_init(&sched_mtx, 0);
	rumpuser_cv_init(&sched_cv);
	sched_nwaiters = 0;
	rumpuser_mutex_init(&giant_mtx, RUMPUSER_MTX_KMUTEX);
	giant_owner = NULL;
	giant_count = 0;
	return 0;

err_free_cpus:
	rumpuser_free(rump_cpus, sizeof(*rump_cpus) * (size_t)ncpu);
	rump_cpus = NULL;
	return error;
}

/* Precondition: no lwp holds or waits for a CPU or the giant lock. */
int
rump_cpus_fini(void)
{
	int i;

	KASSERT(giant_owner == NULL);
	rumpuser_mutex_destroy(giant_mtx);
	giant_mtx = NULL;
	rumpuser_cv_destroy(sched_cv);
	rumpuser_mutex_destroy(sched_mtx);
	sched_cv = NULL;
	sched_mtx = NULL;
	for (i = 0; i < ncpu; i++) {
		KASSERT(rump_cpus[i].ci_curlwp == NULL);
		rumpuser_cv_destroy(sched_cpus[i].sc_cv);
	}
	rumpuser_free(sched_cpus, sizeof(*sched_cpus) * (size_t)ncpu);
	rumpuser_free(rump_cpus, sizeof(*rump_cpus) * (size_t)ncpu);
	sched_cpus = NULL;
	rump_cpus = NULL;
	return 0;
}

/* ---- taking and releasing CPUs ---------------------------------------- */

/*
 * The look before the CAS is sequentially consistent, not relaxed: in
 * sched_wait it is what must see a releaser's store of NULL once the
 * waiter's count is up (see the top of the file).  On x86 it is the same
 * plain load either way.
 */
static bool
sched_trytake(struct lwp *l, struct cpu_info *ci)
{
	if (__atomic_load_n(&ci->ci_curlwp, __ATOMIC_SEQ_CST) != NULL)
		return false;
	return atomic_cas_ptr(&ci->ci_curlwp, NULL, l) == NULL;
}

/*
 * One pass over the CPUs l may use: its bound CPU only, else its last CPU
 * first.  A fresh lwp starts at a CPU picked from its address, which
 * spreads host threads without a shared counter.
 */
static struct cpu_info *
sched_tryany(struct lwp *l)
{
	struct cpu_info *ci;
	u_int start, i;

	if (l->l_boundcpu != NULL)
		return sched_trytake(l, l->l_boundcpu) ? l->l_boundcpu : NULL;
	if (l->l_cpu != NULL)
		start = l->l_cpu->ci_index;
	else
		start = (u_int)(((uintptr_t)l >> 7) % (u_int)ncpu);
	for (i = 0; i < (u_int)ncpu; i++) {
		ci = &rump_cpus[(start + i) % (u_int)ncpu];
		if (sched_trytake(l, ci))
			return ci;
	}
	return NULL;
}

/*
 * Sleep until a CPU l may use is free, and take it.  Returns NULL only
 * when the kernel died meanwhile.  Called without a CPU.
 */
static struct cpu_info *
sched_wait(struct lwp *l)
{
	volatile u_int *countp;
	struct rumpuser_cv *cv;
	struct cpu_info *ci;

	if (l->l_boundcpu != NULL) {
		countp = &sched_cpus[l->l_boundcpu->ci_index].sc_nwaiters;
		cv = sched_cpus[l->l_boundcpu->ci_index].sc_cv;
	} else {
		countp = &sched_nwaiters;
		cv = sched_cv;
	}
	rumpuser_mutex_enter_nowrap(sched_mtx);
	atomic_inc_uint(countp);
	while ((ci = sched_tryany(l)) == NULL &&
	    rump_state_load() != RUMP_STATE_DEAD)
		rumpuser_cv_wait_nowrap(cv, sched_mtx);
	atomic_dec_uint(countp);
	rumpuser_mutex_exit(sched_mtx);
	return ci;
}

/*
 * Give ci back and wake one thread that can use it: a waiter bound to ci
 * if there is one, else an unbound waiter.
 */
static void
sched_release(struct cpu_info *ci)
{
	struct sched_cpu *sc = &sched_cpus[ci->ci_index];

	__atomic_store_n(&ci->ci_curlwp, NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sc->sc_nwaiters, __ATOMIC_SEQ_CST) == 0 &&
	    __atomic_load_n(&sched_nwaiters, __ATOMIC_SEQ_CST) == 0)
		return;
	rumpuser_mutex_enter_nowrap(sched_mtx);
	if (sc->sc_nwaiters > 0)
		rumpuser_cv_signal(sc->sc_cv);
	else if (sched_nwaiters > 0)
		rumpuser_cv_signal(sched_cv);
	rumpuser_mutex_exit(sched_mtx);
}

/*
 * Take a CPU for l, waiting if need be.  Precondition: l is the calling
 * thread's lwp and holds no CPU.  If the kernel dies while we wait, a
 * client thread inside a gate unwinds to it (does not return); any other
 * thread returns without a CPU and must check rump_state.
 */
void
rump_schedule_cpu(struct lwp *l)
{
	struct cpu_info *ci;
	struct sched_cpu *sc;

	KASSERT((l->l_flags & LW_ONCPU) == 0);
	ci = sched_tryany(l);
	if (__predict_false(ci == NULL)) {
		ci = sched_wait(l);
		if (ci == NULL) {
			rump_dead_escape(l);
			return;
		}
	}
	l->l_cpu = ci;
	l->l_flags |= LW_ONCPU;
	sc = &sched_cpus[ci->ci_index];
	if (sc->sc_lastlwp != l) {
		sc->sc_lastlwp = l;
		ci->ci_nswitch++;
	}
}

/* Precondition: l is the calling thread's lwp and holds a CPU. */
void
rump_unschedule_cpu(struct lwp *l)
{
	KASSERT(l->l_flags & LW_ONCPU);
	/* Others may CAS ci_curlwp meanwhile (and fail): read it atomically. */
	KASSERT(atomic_load_relaxed(&l->l_cpu->ci_curlwp) == l);
	l->l_flags &= ~LW_ONCPU;
	sched_release(l->l_cpu);
}

bool
rump_cpu_held(void)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL && (l->l_flags & LW_ONCPU) != 0;
}

/*
 * Wake every thread sleeping for a CPU so that it sees the kernel DEAD.
 * Called by panic(); the scheduler mutex is never held across anything
 * that can panic, so taking it here cannot deadlock.
 */
void
rump_sched_wakeall(void)
{
	int i;

	if (sched_mtx == NULL)
		return;
	rumpuser_mutex_enter_nowrap(sched_mtx);
	rumpuser_cv_broadcast(sched_cv);
	for (i = 0; i < ncpu; i++)
		rumpuser_cv_broadcast(sched_cpus[i].sc_cv);
	rumpuser_mutex_exit(sched_mtx);
}

/* ---- schedule / unschedule of host threads ---------------------------- */

int
rump_schedule_gate(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL) {
		l = lwp_temp_alloc();
		if (l == NULL)
			return ENOMEM;
		rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	} else if (l->l_flags & LW_ONCPU) {
		l->l_nesting++;
		return 0;
	}
	rump_schedule_cpu(l);
	if (__predict_false((l->l_flags & LW_ONCPU) == 0)) {
		/* Died while we waited; nothing is freed in a dead kernel. */
		if (l->l_flags & LW_TEMP)
			rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		return ENXIO;
	}
	l->l_nesting = 1;
	return 0;
}

/*
 * Enter the kernel on the calling host thread: bind an implicit lwp if
 * the thread has none, take a CPU.  Nested calls only count.
 */
void
rump_schedule(void)
{
	int error;

	error = rump_schedule_gate();
	if (error == ENOMEM)
		panic("rump_schedule: no memory for an implicit lwp");
}

/*
 * Leave the kernel: the outermost call gives the CPU back and frees an
 * implicit lwp.  A client lwp (rump_pub_lwproc_rfork) stays bound.
 * Precondition: the caller holds a CPU and no giant lock it took itself
 * at this nesting level.
 */
void
rump_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();

	KASSERT(l != NULL && (l->l_flags & LW_ONCPU));
	KASSERT(l->l_nesting > 0);
	if (--l->l_nesting > 0)
		return;
	KASSERTMSG(atomic_load_relaxed(&giant_owner) != l,
	    "leaving the kernel with the giant lock held");
	rump_unschedule_cpu(l);
	if (l->l_flags & LW_TEMP) {
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
		lwp_temp_free(l);
	}
}

void
rump_hyp_schedule(void)
{
	rump_schedule();
}

void
rump_hyp_unschedule(void)
{
	rump_unschedule();
}

/* ---- the giant lock --------------------------------------------------- */

/* Precondition: the caller holds a CPU.  May block (releases the CPU). */
void
kernel_lock(void)
{
	struct lwp *l = rumpuser_curlwp();

	KASSERT(l != NULL && (l->l_flags & LW_ONCPU));
	if (atomic_load_relaxed(&giant_owner) == l) {
		giant_count++;
		return;
	}
	/* While this waits, backend_unschedule finds no holds of ours. */
	rumpuser_mutex_enter(giant_mtx);
	atomic_store_relaxed(&giant_owner, l);
	giant_count = 1;
}

/* Precondition: the caller holds the giant lock. */
void
kernel_unlock(void)
{
	KASSERT(atomic_load_relaxed(&giant_owner) == rumpuser_curlwp());
	KASSERT(giant_count > 0);
	if (--giant_count > 0)
		return;
	atomic_store_relaxed(&giant_owner, NULL);
	rumpuser_mutex_exit(giant_mtx);
}

bool
kernel_locked_p(void)
{
	struct lwp *l = rumpuser_curlwp();

	return l != NULL && atomic_load_relaxed(&giant_owner) == l;
}

/*
 * Drop nlocks of l's giant holds (0: all of them); returns how many were
 * dropped.  Precondition: l is the calling thread's lwp.
 */
static int
giant_drop(struct lwp *l, int nlocks)
{
	int n;

	if (atomic_load_relaxed(&giant_owner) != l)
		return 0;
	KASSERT(nlocks >= 0 && nlocks <= giant_count);
	if (nlocks == 0 || nlocks == giant_count) {
		n = giant_count;
		giant_count = 0;
		atomic_store_relaxed(&giant_owner, NULL);
		rumpuser_mutex_exit(giant_mtx);
		return n;
	}
	giant_count -= nlocks;
	return nlocks;
}

/*
 * Take n giant holds again.  Precondition: l holds a CPU.  If the lock is
 * busy we must not wait for it on a CPU (its holder may need one), so the
 * CPU is given back for the wait and taken again after it.
 */
static void
giant_retake(struct lwp *l, int n)
{
	if (atomic_load_relaxed(&giant_owner) == l) {
		giant_count += n;
		return;
	}
	if (rumpuser_mutex_tryenter(giant_mtx) != 0) {
		rump_unschedule_cpu(l);
		rumpuser_mutex_enter_nowrap(giant_mtx);
		rump_schedule_cpu(l);
	}
	atomic_store_relaxed(&giant_owner, l);
	giant_count = n;
}

/* ---- the hypervisor's blocking wrap ----------------------------------- */

/*
 * Before the hypervisor blocks: drop the giant lock (nlocks 0 = every
 * hold; the count goes to *countp) and release the CPU.  A thread that
 * holds no CPU (a plain host thread making a hypercall, e.g. rump_init's
 * caller) reports -1, which tells backend_schedule to take none.
 * `interlock` (the hypervisor lock being waited on) is a hint we do not
 * need: nothing here touches hypervisor locks other than our own.
 */
void
rump_hyp_backend_unschedule(int nlocks, int *countp, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL || (l->l_flags & LW_ONCPU) == 0) {
		*countp = -1;
		return;
	}
	*countp = giant_drop(l, nlocks);
	rump_unschedule_cpu(l);
}

/*
 * After the hypervisor blocked: take a CPU, then the giant holds.  In a
 * dead kernel a client thread inside a gate unwinds to it from here (no
 * return); a kernel thread returns without a CPU and the hypervisor ends
 * it at its next wait.
 */
void
rump_hyp_backend_schedule(int nlocks, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	if (nlocks < 0 || l == NULL)
		return;
	if (__predict_false(rump_state_load() == RUMP_STATE_DEAD)) {
		rump_dead_escape(l);
		return;
	}
	rump_schedule_cpu(l);
	if (__predict_false((l->l_flags & LW_ONCPU) == 0))
		return;
	if (nlocks > 0)
		giant_retake(l, nlocks);
}
