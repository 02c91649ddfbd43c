/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_softint.c: soft interrupts (sys/intr.h).
 *
 * Every virtual CPU has a softint thread: a kthread bound to that CPU
 * (kthread_create with ci = cpu_lookup(i), so LW_BOUND and l_boundcpu are
 * set by kern_kthread.c and it only ever runs on CPU i).  softint_schedule
 * queues the handler on the calling CPU's per-level queue and wakes that
 * CPU's thread; the thread runs queued handlers highest level first
 * (SERIAL, NET, BIO, CLOCK), re-checking the higher levels after every
 * handler.  The scheduling thread keeps its CPU until it blocks or leaves
 * the kernel, and only then can the bound thread run: handlers scheduled
 * in one stretch on one CPU therefore run in level order, and a handler
 * scheduled again before it ran is run once (coalescing).
 *
 * A softint has one `struct softint_pcpu` per CPU: its queue link and a
 * pending flag, guarded by that CPU's spin mutex.  sc_running tells which
 * handler the thread is running, so softint_disestablish can wait for it.
 * Handlers without SOFTINT_MPSAFE run with the giant lock held.
 *
 * Everything starts lazily: softint_startup (rump_init) only makes the
 * start lock; the first softint_establish allocates the per-CPU state and
 * creates the ncpu threads (it is called from thread context and may
 * sleep).  A kernel that never establishes a softint (the bare core) boots
 * without either, which keeps boot short.  If a thread cannot be created,
 * softint_establish fails (returns NULL) and the next call tries again.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#include "kern_private.h"

#define SOFTINT_MAGIC	0x73667421

struct softint;

struct softint_pcpu {
	TAILQ_ENTRY(softint_pcpu) sp_entry;	/* on sc_queue[level] */
	struct softint		*sp_si;
	bool			sp_pending;
};

struct softint {
	u_int			si_magic;
	u_int			si_level;
	u_int			si_flags;
	void			(*si_func)(void *);
	void			*si_arg;
	struct softint_pcpu	si_pcpu[];	/* ncpu */
};

struct softint_cpu {
	kmutex_t		sc_lock;	/* spin: queues, flags */
	kcondvar_t		sc_cv;		/* thread waits for work */
	kcondvar_t		sc_done;	/* disestablish waits */
	TAILQ_HEAD(, softint_pcpu) sc_queue[SOFTINT_COUNT];
	struct softint_pcpu	*sc_running;
	struct lwp		*sc_lwp;	/* bound thread, or NULL */
	u_int			sc_waiters;
	bool			sc_exiting;
	uint64_t		sc_nrun;	/* handlers run (statistics) */
};

static struct {
	kmutex_t		ss_startlock;	/* adaptive: thread start */
	bool			ss_started;	/* all threads exist */
	bool			ss_ready;
	int			ss_ncpu;
} softint_st;

static inline struct softint_cpu *
softint_cpu(struct cpu_info *ci)
{
	return ci->ci_softint;
}

/* ---------------------------------------------------------------- thread */

/* Highest level with work, or NULL.  Precondition: sc_lock held. */
static struct softint_pcpu *
softint_next_locked(struct softint_cpu *sc)
{
	struct softint_pcpu *sp;

	for (int lvl = SOFTINT_COUNT - 1; lvl >= 0; lvl--) {
		sp = TAILQ_FIRST(&sc->sc_queue[lvl]);
		if (sp != NULL) {
			TAILQ_REMOVE(&sc->sc_queue[lvl], sp, sp_entry);
			return sp;
		}
	}
	return NULL;
}

/* The softint thread of one CPU (bound to it). */
static void
softint_thread(void *arg)
{
	struct softint_cpu *sc = arg;
	struct softint_pcpu *sp;
	struct softint *si;

	mutex_enter(&sc->sc_lock);
	for (;;) {
		sp = softint_next_locked(sc);
		if (sp == NULL) {
			if (sc->sc_exiting)
				break;
			cv_wait(&sc->sc_cv, &sc->sc_lock);
			continue;
		}
		si = sp->sp_si;
		sp->sp_pending = false;
		sc->sc_running = sp;
		sc->sc_nrun++;
		mutex_exit(&sc->sc_lock);

		if (si->si_flags & SOFTINT_MPSAFE) {
			si->si_func(si->si_arg);
		} else {
			kernel_lock();
			si->si_func(si->si_arg);
			kernel_unlock();
		}

		mutex_enter(&sc->sc_lock);
		sc->sc_running = NULL;
		if (sc->sc_waiters > 0)
			cv_broadcast(&sc->sc_done);
	}
	mutex_exit(&sc->sc_lock);
	kthread_exit(0);
}

/* Stop and join the threads that exist.  Precondition: ss_startlock. */
static void
softint_threads_stop(void)
{
	struct softint_cpu *sc;
	int error;

	for (int i = 0; i < softint_st.ss_ncpu; i++) {
		sc = softint_cpu(cpu_lookup(i));
		if (sc == NULL || sc->sc_lwp == NULL)
			continue;
		mutex_enter(&sc->sc_lock);
		sc->sc_exiting = true;
		cv_signal(&sc->sc_cv);
		mutex_exit(&sc->sc_lock);
		error = kthread_join(sc->sc_lwp);
		if (error != 0)
			printf("softint: joining thread of cpu %d: error %d\n",
			    i, error);
		sc->sc_lwp = NULL;
		sc->sc_exiting = false;
	}
}

/* One CPU's state (first establish).  Precondition: ss_startlock. */
static struct softint_cpu *
softint_cpu_alloc(struct cpu_info *ci)
{
	struct softint_cpu *sc;

	sc = kmem_zalloc(sizeof(*sc), KM_SLEEP);
	mutex_init(&sc->sc_lock, MUTEX_SPIN, IPL_SCHED);
	cv_init(&sc->sc_cv, "softint");
	cv_init(&sc->sc_done, "softdone");
	for (int lvl = 0; lvl < SOFTINT_COUNT; lvl++)
		TAILQ_INIT(&sc->sc_queue[lvl]);
	ci->ci_softint = sc;
	return sc;
}

/* Precondition: the CPU's thread is stopped (or was never started). */
static void
softint_cpu_free(struct cpu_info *ci)
{
	struct softint_cpu *sc = softint_cpu(ci);

	KASSERT(sc->sc_lwp == NULL);
	cv_destroy(&sc->sc_done);
	cv_destroy(&sc->sc_cv);
	mutex_destroy(&sc->sc_lock);
	ci->ci_softint = NULL;
	kmem_free(sc, sizeof(*sc));
}

/* Create every CPU's state and thread (first establish).  May sleep. */
static int
softint_threads_start(void)
{
	struct softint_cpu *sc;
	struct lwp *l;
	int error = 0;

	if (atomic_load_acquire(&softint_st.ss_started))
		return 0;
	mutex_enter(&softint_st.ss_startlock);
	if (softint_st.ss_started)
		goto out_unlock;
	for (int i = 0; i < softint_st.ss_ncpu; i++) {
		sc = softint_cpu(cpu_lookup(i));
		if (sc == NULL)
			sc = softint_cpu_alloc(cpu_lookup(i));
		if (sc->sc_lwp != NULL)
			continue;
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, cpu_lookup(i), softint_thread, sc, &l,
		    "softint%d", i);
		if (error != 0) {
			printf("softint: cannot start thread of cpu %d: "
			    "error %d\n", i, error);
			goto err_stop;
		}
		sc->sc_lwp = l;
	}
	atomic_store_release(&softint_st.ss_started, true);
	goto out_unlock;

err_stop:
	softint_threads_stop();
out_unlock:
	mutex_exit(&softint_st.ss_startlock);
	return error;
}

/* ---------------------------------------------------------------- API */

/* Thread context, may sleep.  Returns NULL if no thread could start. */
void *
softint_establish(u_int flags, void (*func)(void *), void *arg)
{
	struct softint *si;
	u_int level = flags & SOFTINT_LVLMASK;
	int n = softint_st.ss_ncpu;

	KASSERT(softint_st.ss_ready);
	KASSERTMSG(level < SOFTINT_COUNT, "softint level %u", level);
	if (level >= SOFTINT_COUNT)
		return NULL;
	if (softint_threads_start() != 0)
		return NULL;
	si = kmem_zalloc(sizeof(*si) + (size_t)n * sizeof(si->si_pcpu[0]),
	    KM_SLEEP);
	si->si_magic = SOFTINT_MAGIC;
	si->si_level = level;
	si->si_flags = flags;
	si->si_func = func;
	si->si_arg = arg;
	for (int i = 0; i < n; i++)
		si->si_pcpu[i].sp_si = si;
	return si;
}

/*
 * Run the handler soon on this CPU.  Any context (spin mutexes may be
 * held); precondition: the caller holds a CPU.
 */
void
softint_schedule(void *cookie)
{
	struct softint *si = cookie;
	struct cpu_info *ci = curcpu();
	struct softint_cpu *sc = softint_cpu(ci);
	struct softint_pcpu *sp = &si->si_pcpu[cpu_index(ci)];

	KASSERT(si->si_magic == SOFTINT_MAGIC);
	/* Unlocked peek: an already pending softint needs nothing. */
	if (atomic_load_relaxed(&sp->sp_pending))
		return;
	mutex_enter(&sc->sc_lock);
	if (!sp->sp_pending) {
		sp->sp_pending = true;
		TAILQ_INSERT_TAIL(&sc->sc_queue[si->si_level], sp, sp_entry);
		if (sc->sc_running == NULL)
			cv_signal(&sc->sc_cv);
	}
	mutex_exit(&sc->sc_lock);
}

/*
 * Unqueue on every CPU and wait for running instances to finish, then
 * free.  Thread context; not from the handler itself.
 */
void
softint_disestablish(void *cookie)
{
	struct softint *si = cookie;
	struct softint_cpu *sc;
	struct softint_pcpu *sp;
	int n = softint_st.ss_ncpu;

	KASSERT(si->si_magic == SOFTINT_MAGIC);
	for (int i = 0; i < n; i++) {
		sc = softint_cpu(cpu_lookup(i));
		sp = &si->si_pcpu[i];
		mutex_enter(&sc->sc_lock);
		KASSERTMSG(sc->sc_running != sp || curlwp != sc->sc_lwp,
		    "softint_disestablish from its own handler");
		if (sp->sp_pending) {
			TAILQ_REMOVE(&sc->sc_queue[si->si_level], sp,
			    sp_entry);
			sp->sp_pending = false;
		}
		while (sc->sc_running == sp) {
			sc->sc_waiters++;
			cv_wait(&sc->sc_done, &sc->sc_lock);
			sc->sc_waiters--;
		}
		mutex_exit(&sc->sc_lock);
	}
	si->si_magic = 0;
	kmem_free(si, sizeof(*si) + (size_t)n * sizeof(si->si_pcpu[0]));
}

/* ---------------------------------------------------------------- boot */

/* rump_init: the start lock; the rest comes with the first establish. */
int
softint_startup(void)
{
	KASSERT(!softint_st.ss_ready);
	softint_st.ss_ncpu = ncpu;
	softint_st.ss_started = false;
	mutex_init(&softint_st.ss_startlock, MUTEX_DEFAULT, IPL_NONE);
	softint_st.ss_ready = true;
	return 0;
}

/*
 * rump_shutdown: stop the threads (they finish what is queued first) and
 * free the per-CPU state.  Softints still established are their owners'
 * leak (kmem reports them).
 */
void
softint_shutdown(void)
{
	if (!softint_st.ss_ready)
		return;
	mutex_enter(&softint_st.ss_startlock);
	softint_threads_stop();
	softint_st.ss_started = false;
	mutex_exit(&softint_st.ss_startlock);
	for (int i = 0; i < softint_st.ss_ncpu; i++) {
		if (softint_cpu(cpu_lookup(i)) != NULL)
			softint_cpu_free(cpu_lookup(i));
	}
	mutex_destroy(&softint_st.ss_startlock);
	softint_st.ss_ready = false;
}
