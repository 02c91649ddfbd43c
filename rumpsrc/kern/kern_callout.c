/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_callout.c: timers (sys/callout.h).
 *
 * Pending callouts sit in one pairing heap ordered by deadline (monotonic
 * ns since boot), equal deadlines in scheduling order (c_seq), so the
 * order is total and callouts due together fire FIFO.  The heap is
 * intrusive (no allocation under the spin lock): insertion is O(1),
 * removal of the earliest or of any pending callout (stop, reschedule)
 * O(log n) amortised, and the earliest is the root.
 *
 * One clock thread runs every callout.  It sleeps on cs_cv until the
 * earliest deadline (cv_timedwait_ns; no periodic tick), and is woken
 * early when a callout is scheduled ahead of the deadline it sleeps to.
 * Handlers run without the giant lock whether or not CALLOUT_MPSAFE was
 * given (nothing in this kernel needs the giant lock for callouts yet).
 *
 * The clock thread is started lazily, by the first callout_init(), so that
 * a kernel that never arms a timer boots without creating it (rump_init
 * stays cheap); callout_startup() only sets up the queue and its lock.
 * callout_init() must therefore be called from thread context, not with a
 * spin mutex held.  If the thread cannot be created, callout_init() says
 * so on the console and the next callout_init() tries again; callouts
 * scheduled meanwhile stay pending.
 *
 * State (flags under cs_lock): PENDING while queued; FIRED and INVOKING
 * are set when the clock thread takes it to run (INVOKING cleared by
 * callout_ack or a new schedule; FIRED by a new schedule or stop/halt).
 * "Running" is cs_running == c, never a flag in the callout, because a
 * handler may free its own callout: the clock thread does not touch a
 * callout after calling its function.  callout_halt() waits until the
 * handler is not running; on return the callout is neither pending nor
 * running (a handler that rescheduled itself meanwhile is stopped again).
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>

#include "kern_private.h"

#define CALLOUT_MAGIC		0x636c6f74	/* initialised */
#define CALLOUT_MAGIC_DEAD	0x64656164	/* destroyed */
#define CALLOUT_FOREVER		(~(uint64_t)0)

static struct callout_state {
	kmutex_t		cs_lock;	/* spin: the queue, flags */
	kcondvar_t		cs_cv;		/* clock thread sleeps */
	kcondvar_t		cs_done;	/* callout_halt waits */
	kmutex_t		cs_startlock;	/* serialises thread start */
	callout_t		*cs_heap;	/* root: the earliest */
	uint64_t		cs_seq;
	uint64_t		cs_sleep_until;	/* clock thread's deadline */
	callout_t		*cs_running;	/* handler being run */
	struct lwp		*cs_lwp;	/* clock thread */
	u_int			cs_waiters;	/* in callout_halt */
	bool			cs_exiting;
	bool			cs_started;	/* thread exists */
	bool			cs_ready;	/* callout_startup done */
} callout_st;

static void callout_heap_remove(struct callout_state *cs, callout_t *c);

#define CALLOUT_CHECK(c)						\
	KASSERTMSG((c)->c_magic == CALLOUT_MAGIC,			\
	    "callout %p not initialised (magic %#x)", (c), (c)->c_magic)

/* ---------------------------------------------------------------- thread */

/*
 * The clock thread: run due callouts in order, sleep until the next one.
 * The handler runs with no kernel lock held.
 */
static void
callout_thread(void *arg)
{
	struct callout_state *cs = &callout_st;
	void (*func)(void *);
	uint64_t now = 0;
	callout_t *c;

	mutex_enter(&cs->cs_lock);
	while (!cs->cs_exiting) {
		c = cs->cs_heap;
		if (c == NULL) {
			cs->cs_sleep_until = CALLOUT_FOREVER;
			cv_wait(&cs->cs_cv, &cs->cs_lock);
			continue;
		}
		if (c->c_deadline > now) {
			now = getuptime_ns();
			if (c->c_deadline > now) {
				cs->cs_sleep_until = c->c_deadline;
				(void)cv_timedwait_ns(&cs->cs_cv, &cs->cs_lock,
				    c->c_deadline - now);
				continue;
			}
		}
		cs->cs_sleep_until = 0;		/* awake: no wake-ups needed */
		callout_heap_remove(cs, c);
		c->c_flags = (c->c_flags & ~CALLOUT_PENDING) | CALLOUT_FIRED |
		    CALLOUT_INVOKING;
		func = c->c_func;
		arg = c->c_arg;
		cs->cs_running = c;
		mutex_exit(&cs->cs_lock);

		func(arg);

		mutex_enter(&cs->cs_lock);
		cs->cs_running = NULL;
		if (cs->cs_waiters > 0)
			cv_broadcast(&cs->cs_done);
	}
	mutex_exit(&cs->cs_lock);
	kthread_exit(0);
}

/* Start the clock thread if it is not running.  May sleep. */
static void
callout_thread_ensure(void)
{
	struct callout_state *cs = &callout_st;
	struct lwp *l;
	int error;

	if (atomic_load_acquire(&cs->cs_started))
		return;
	mutex_enter(&cs->cs_startlock);
	if (!cs->cs_started) {
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, NULL, callout_thread, NULL, &l, "clock");
		if (error == 0) {
			cs->cs_lwp = l;
			atomic_store_release(&cs->cs_started, true);
		} else {
			printf("callout: cannot start the clock thread: "
			    "error %d; callouts stay pending\n", error);
		}
	}
	mutex_exit(&cs->cs_startlock);
}

/* ---------------------------------------------------------------- queue */

/* Strict order: deadline, then scheduling order. */
static bool
callout_before(const callout_t *a, const callout_t *b)
{
	return a->c_deadline < b->c_deadline ||
	    (a->c_deadline == b->c_deadline && a->c_seq < b->c_seq);
}

/*
 * Meld two detached heaps (roots without siblings): the later root becomes
 * the first child of the earlier.  Returns the new root (its c_link is the
 * caller's to set).
 */
static callout_t *
callout_meld(callout_t *a, callout_t *b)
{
	callout_t *t;

	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	if (callout_before(b, a)) {
		t = a;
		a = b;
		b = t;
	}
	b->c_sibling = a->c_child;
	if (b->c_sibling != NULL)
		b->c_sibling->c_link = &b->c_sibling;
	a->c_child = b;
	b->c_link = &a->c_child;
	return a;
}

/* Two-pass pairing: meld a sibling list into one heap. */
static callout_t *
callout_merge_pairs(callout_t *first)
{
	callout_t *a, *b, *next, *pairs = NULL, *root = NULL;

	/* Pass 1, left to right: meld neighbours, stack the results. */
	while (first != NULL) {
		a = first;
		b = a->c_sibling;
		next = b != NULL ? b->c_sibling : NULL;
		a->c_sibling = NULL;
		if (b != NULL)
			b->c_sibling = NULL;
		a = callout_meld(a, b);
		a->c_sibling = pairs;
		pairs = a;
		first = next;
	}
	/* Pass 2, right to left: meld the stack into one heap. */
	while (pairs != NULL) {
		a = pairs;
		pairs = a->c_sibling;
		a->c_sibling = NULL;
		root = callout_meld(root, a);
	}
	return root;
}

/* Install root as the heap's root.  Precondition: cs_lock held. */
static void
callout_set_root(struct callout_state *cs, callout_t *root)
{
	cs->cs_heap = root;
	if (root != NULL)
		root->c_link = &cs->cs_heap;
}

/* Take pending c out of the heap.  Precondition: cs_lock held. */
static void
callout_heap_remove(struct callout_state *cs, callout_t *c)
{
	callout_t *sub;

	KASSERT(mutex_owned(&cs->cs_lock));
	/* Unlink c (and its subtree) from its parent or left sibling. */
	*c->c_link = c->c_sibling;
	if (c->c_sibling != NULL)
		c->c_sibling->c_link = c->c_link;
	c->c_sibling = NULL;
	c->c_link = NULL;
	/* Its children are all later than it: meld them back in. */
	sub = callout_merge_pairs(c->c_child);
	c->c_child = NULL;
	callout_set_root(cs, callout_meld(cs->cs_heap, sub));
}

/* Queue c for deadline.  Precondition: cs_lock held. */
static void
callout_enqueue_locked(callout_t *c, uint64_t deadline)
{
	struct callout_state *cs = &callout_st;

	KASSERT(mutex_owned(&cs->cs_lock));
	if (c->c_flags & CALLOUT_PENDING)
		callout_heap_remove(cs, c);
	c->c_flags = (c->c_flags & ~(CALLOUT_FIRED | CALLOUT_INVOKING)) |
	    CALLOUT_PENDING;
	c->c_deadline = deadline;
	c->c_seq = ++cs->cs_seq;
	c->c_child = NULL;
	c->c_sibling = NULL;
	callout_set_root(cs, callout_meld(cs->cs_heap, c));

	if (cs->cs_heap == c && deadline < cs->cs_sleep_until) {
		cs->cs_sleep_until = deadline;
		cv_signal(&cs->cs_cv);
	}
}

/* ---------------------------------------------------------------- API */

/* Thread context: the first call starts the clock thread. */
void
callout_init(callout_t *c, u_int flags)
{
	KASSERT(callout_st.cs_ready);
	memset(c, 0, sizeof(*c));
	c->c_flags = (int)(flags & CALLOUT_MPSAFE);
	c->c_magic = CALLOUT_MAGIC;
	callout_thread_ensure();
}

/* Precondition: c neither pending nor running (halted). */
void
callout_destroy(callout_t *c)
{
	struct callout_state *cs = &callout_st;

	CALLOUT_CHECK(c);
	mutex_enter(&cs->cs_lock);
	KASSERTMSG((c->c_flags & CALLOUT_PENDING) == 0,
	    "callout_destroy: callout %p is pending", c);
	KASSERTMSG(cs->cs_running != c || curlwp == cs->cs_lwp,
	    "callout_destroy: callout %p is running", c);
	c->c_magic = CALLOUT_MAGIC_DEAD;
	mutex_exit(&cs->cs_lock);
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{
	struct callout_state *cs = &callout_st;

	CALLOUT_CHECK(c);
	mutex_enter(&cs->cs_lock);
	c->c_func = func;
	c->c_arg = arg;
	mutex_exit(&cs->cs_lock);
}

void
callout_schedule_ns(callout_t *c, uint64_t ns)
{
	uint64_t deadline = getuptime_ns() + ns;

	if (deadline < ns)		/* overflow: as good as never */
		deadline = CALLOUT_FOREVER - 1;
	callout_schedule_at(c, deadline);
}

/* Absolute deadline in uptime ns (kern_private.h); any context. */
void
callout_schedule_at(callout_t *c, uint64_t deadline_ns)
{
	struct callout_state *cs = &callout_st;

	CALLOUT_CHECK(c);
	KASSERTMSG(c->c_func != NULL, "callout %p scheduled without a "
	    "function", c);
	mutex_enter(&cs->cs_lock);
	callout_enqueue_locked(c, deadline_ns);
	mutex_exit(&cs->cs_lock);
}

/* A delay of ticks <= 0 means one tick. */
void
callout_schedule(callout_t *c, int ticks)
{
	callout_schedule_ns(c, ticks_to_ns(ticks > 0 ? ticks : 1));
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{
	struct callout_state *cs = &callout_st;
	uint64_t deadline;

	CALLOUT_CHECK(c);
	deadline = getuptime_ns() + ticks_to_ns(ticks > 0 ? ticks : 1);
	mutex_enter(&cs->cs_lock);
	c->c_func = func;
	c->c_arg = arg;
	callout_enqueue_locked(c, deadline);
	mutex_exit(&cs->cs_lock);
}

/* Cancel; do not wait.  Returns true if the callout had fired. */
bool
callout_stop(callout_t *c)
{
	struct callout_state *cs = &callout_st;
	bool expired;

	CALLOUT_CHECK(c);
	mutex_enter(&cs->cs_lock);
	expired = (c->c_flags & CALLOUT_FIRED) != 0;
	if (c->c_flags & CALLOUT_PENDING)
		callout_heap_remove(cs, c);
	c->c_flags &= ~(CALLOUT_PENDING | CALLOUT_FIRED);
	mutex_exit(&cs->cs_lock);
	return expired;
}

/*
 * Cancel and wait until the handler is not running.  interlock, if not
 * NULL, is held by the caller; it is released while waiting and held
 * again on return.  Must not be called from c's own handler.
 */
bool
callout_halt(callout_t *c, struct kmutex *interlock)
{
	struct callout_state *cs = &callout_st;
	bool expired, released = false;

	CALLOUT_CHECK(c);
	KASSERT(interlock == NULL || mutex_owned(interlock));
	mutex_enter(&cs->cs_lock);
	KASSERTMSG(cs->cs_running != c || curlwp != cs->cs_lwp,
	    "callout_halt: callout %p halted from its own handler", c);
	expired = (c->c_flags & CALLOUT_FIRED) != 0;
	for (;;) {
		if (c->c_flags & CALLOUT_PENDING)
			callout_heap_remove(cs, c);
		c->c_flags &= ~(CALLOUT_PENDING | CALLOUT_FIRED);
		if (cs->cs_running != c)
			break;
		if (interlock != NULL && !released) {
			mutex_exit(interlock);
			released = true;
		}
		cs->cs_waiters++;
		cv_wait(&cs->cs_done, &cs->cs_lock);
		cs->cs_waiters--;
	}
	mutex_exit(&cs->cs_lock);
	if (released)
		mutex_enter(interlock);
	return expired;
}

bool
callout_pending(callout_t *c)
{
	CALLOUT_CHECK(c);
	return (atomic_load_relaxed(&c->c_flags) & CALLOUT_PENDING) != 0;
}

bool
callout_expired(callout_t *c)
{
	CALLOUT_CHECK(c);
	return (atomic_load_relaxed(&c->c_flags) & CALLOUT_FIRED) != 0;
}

bool
callout_active(callout_t *c)
{
	CALLOUT_CHECK(c);
	return (atomic_load_relaxed(&c->c_flags) &
	    (CALLOUT_PENDING | CALLOUT_FIRED)) != 0;
}

bool
callout_invoking(callout_t *c)
{
	CALLOUT_CHECK(c);
	return (atomic_load_relaxed(&c->c_flags) & CALLOUT_INVOKING) != 0;
}

void
callout_ack(callout_t *c)
{
	struct callout_state *cs = &callout_st;

	CALLOUT_CHECK(c);
	mutex_enter(&cs->cs_lock);
	c->c_flags &= ~CALLOUT_INVOKING;
	mutex_exit(&cs->cs_lock);
}

/* ---------------------------------------------------------------- boot */

/* rump_init: the queue and its locks; the thread starts on first use. */
int
callout_startup(void)
{
	struct callout_state *cs = &callout_st;

	KASSERT(!cs->cs_ready);
	mutex_init(&cs->cs_lock, MUTEX_SPIN, IPL_SCHED);
	mutex_init(&cs->cs_startlock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cs->cs_cv, "callout");
	cv_init(&cs->cs_done, "calldone");
	cs->cs_heap = NULL;
	cs->cs_seq = 0;
	cs->cs_sleep_until = CALLOUT_FOREVER;
	cs->cs_running = NULL;
	cs->cs_lwp = NULL;
	cs->cs_waiters = 0;
	cs->cs_exiting = false;
	cs->cs_started = false;
	cs->cs_ready = true;
	return 0;
}

/*
 * rump_shutdown: stop and join the clock thread, report callouts left
 * pending (their owners did not halt them), tear down.  Precondition: the
 * components are finished; no one schedules callouts any more.
 */
void
callout_shutdown(void)
{
	struct callout_state *cs = &callout_st;
	callout_t *c;
	int error, n = 0;

	if (!cs->cs_ready)
		return;
	if (cs->cs_started) {
		mutex_enter(&cs->cs_lock);
		cs->cs_exiting = true;
		cv_signal(&cs->cs_cv);
		mutex_exit(&cs->cs_lock);
		error = kthread_join(cs->cs_lwp);
		if (error != 0)
			printf("callout: joining the clock thread: error %d\n",
			    error);
	}
	mutex_enter(&cs->cs_lock);
	while ((c = cs->cs_heap) != NULL) {
		callout_heap_remove(cs, c);
		c->c_flags &= ~CALLOUT_PENDING;
		n++;
	}
	mutex_exit(&cs->cs_lock);
	if (n > 0)
		printf("callout: %d callouts still pending at shutdown\n", n);
	cv_destroy(&cs->cs_done);
	cv_destroy(&cs->cs_cv);
	mutex_destroy(&cs->cs_startlock);
	mutex_destroy(&cs->cs_lock);
	cs->cs_started = false;
	cs->cs_lwp = NULL;
	cs->cs_ready = false;
}
