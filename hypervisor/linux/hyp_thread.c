/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_thread.c: rump kernel threads as Linux kthreads.
 *
 * rumpuser_thread_create() makes a kthread named after the call whose
 * kthread function is hyp_thread_main(); that function pointer is how we
 * recognise our own threads (kthread_func(current)), and kthread_data()
 * gives their struct hyp_thread, which also holds their lwp binding and
 * errno, so rumpuser_curlwp() on our threads costs two calls and no lock.
 *
 * A thread ends only in hyp_thread_die(), through rumpuser_thread_exit()
 * or a wait loop that saw STOPPED: it marks itself dead, wakes joiners and
 * leaves with kthread_complete_and_exit() (do_exit is not exported).  We
 * hold a task reference from creation on, so kthread_stop() after death
 * is safe; it returns once the task is fully gone, and only then is the
 * struct freed.  Joinable threads are reaped by rumpuser_thread_join(),
 * the others lazily at the next create and at hyp_thread_fini().
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/completion.h>
#include <linux/string.h>

#include "hyp.h"

struct hyp_thread {
	struct list_head	ht_list;	/* on hyp_threads */
	struct task_struct	*ht_task;	/* referenced */
	hyp_thread_fn		ht_fn;
	void			*ht_arg;
	void			*(*ht_rumpfn)(void *);
	struct lwp		*ht_lwp;	/* rumpuser_curlwpop binding */
	int			ht_errno;	/* rumpuser_seterrno */
	bool			ht_mustjoin;
	bool			ht_dead;	/* in hyp_thread_die */
	struct completion	ht_exited;
	char			ht_name[32];
};

static LIST_HEAD(hyp_threads);
static DEFINE_SPINLOCK(hyp_threads_lock);
static DECLARE_WAIT_QUEUE_HEAD(hyp_join_wq);
static atomic_t hyp_nthreads = ATOMIC_INIT(0);
static atomic_t hyp_parked = ATOMIC_INIT(0);

static int hyp_thread_main(void *data);
static void __noreturn hyp_park(const char *where);
static void __noreturn hyp_thread_die(void);

/*
 * kthread_complete_and_exit() does not return, but objtool in 6.1 does
 * not know it and would report a fall-through after the call.  Calling it
 * through a pointer the compiler cannot see through keeps the code after
 * the call, where hyp_thread_die() ends in a visible dead end.
 */
static void
hyp_thread_exit_fn(struct completion *done, long code)
{
	void (*fn)(struct completion *, long) = kthread_complete_and_exit;

	OPTIMIZER_HIDE_VAR(fn);
	fn(done, code);
}

/* hyp_thread_self: our struct for the calling thread, NULL if foreign. */
struct hyp_thread *
hyp_thread_self(void)
{
	if (!(current->flags & PF_KTHREAD))
		return NULL;
	if (kthread_func(current) != hyp_thread_main)
		return NULL;
	return kthread_data(current);
}

int *
hyp_thread_errno_slot(struct hyp_thread *t)
{
	return &t->ht_errno;
}

int
hyp_thread_live(void)
{
	return atomic_read(&hyp_nthreads);
}

static int
hyp_thread_main(void *data)
{
	struct hyp_thread *t = data;

	if (!hyp_is_stopped())
		t->ht_fn(t->ht_arg);
	hyp_thread_die();
}

/*
 * hyp_thread_die: end the calling thread, which must be ours.  Never
 * called with a lock of ours held or while on a wait queue.
 */
static void __noreturn
hyp_thread_die(void)
{
	struct hyp_thread *t = hyp_thread_self();

	if (t == NULL)
		hyp_park("hyp_thread_die on a host thread");
	atomic_dec(&hyp_nthreads);
	spin_lock(&hyp_threads_lock);
	t->ht_dead = true;
	spin_unlock(&hyp_threads_lock);
	wake_up_all(&hyp_join_wq);
	hyp_thread_exit_fn(&t->ht_exited, 0);
	hyp_dead_end();		/* not reached */
}

int
hyp_nparked(void)
{
	return atomic_read(&hyp_parked);
}

/*
 * hyp_park: a foreign host thread that the stopped rump kernel cannot
 * unwind sleeps here forever.  It holds a module reference: its stack
 * returns into this module, so the module must not go away under it.
 */
static void __noreturn
hyp_park(const char *where)
{
	atomic_inc(&hyp_parked);
	__module_get(THIS_MODULE);
	hyp_warn("parking host thread %s (pid %d) in %s of the stopped rump "
	    "kernel; the module stays pinned", current->comm,
	    task_pid_nr(current), where);
	for (;;) {
		set_current_state(TASK_IDLE);
		schedule();
	}
}

/*
 * hyp_thread_end: end the calling thread for good: a thread of ours exits,
 * a foreign host thread is parked.  Never returns (see hyp_dead_end).
 */
void
hyp_thread_end(const char *where)
{
	if (hyp_thread_self() != NULL)
		hyp_thread_die();
	hyp_park(where);
}

/* hyp_thread_free: t is dead and off the list; wait it out and free it. */
static void
hyp_thread_free(struct hyp_thread *t)
{
	int ret = kthread_stop(t->ht_task);

	if (ret != 0)
		hyp_warn("thread %s ended with %d", t->ht_name, ret);
	put_task_struct(t->ht_task);
	kfree(t);
}

/* hyp_thread_reap_dead: free dead non-joinable threads.  May sleep. */
static void
hyp_thread_reap_dead(void)
{
	struct hyp_thread *t, *tmp;
	LIST_HEAD(dead);

	spin_lock(&hyp_threads_lock);
	list_for_each_entry_safe(t, tmp, &hyp_threads, ht_list) {
		if (t->ht_dead && !t->ht_mustjoin)
			list_move(&t->ht_list, &dead);
	}
	spin_unlock(&hyp_threads_lock);

	list_for_each_entry_safe(t, tmp, &dead, ht_list) {
		list_del(&t->ht_list);
		hyp_thread_free(t);
	}
}

/*
 * hyp_thread_start: start fn(arg) on a new kthread of ours (rumpfn is
 * kept for fn's use).  Process context, may sleep.  Returns a Linux errno.
 * For a joinable thread *tp is valid until it is reaped.
 */
static int
hyp_thread_start(hyp_thread_fn fn, void *(*rumpfn)(void *), void *arg,
    const char *name, bool mustjoin, struct hyp_thread **tp)
{
	struct task_struct *task;
	struct hyp_thread *t;

	hyp_thread_reap_dead();

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (t == NULL)
		return -ENOMEM;
	t->ht_fn = fn;
	t->ht_rumpfn = rumpfn;
	t->ht_arg = arg;
	t->ht_mustjoin = mustjoin;
	init_completion(&t->ht_exited);
	strscpy(t->ht_name, name ? name : "rump", sizeof(t->ht_name));

	task = kthread_create(hyp_thread_main, t, "%s", t->ht_name);
	if (IS_ERR(task)) {
		kfree(t);
		return PTR_ERR(task);
	}
	get_task_struct(task);
	t->ht_task = task;

	atomic_inc(&hyp_nthreads);
	spin_lock(&hyp_threads_lock);
	list_add_tail(&t->ht_list, &hyp_threads);
	spin_unlock(&hyp_threads_lock);
	wake_up_process(task);

	if (tp != NULL)
		*tp = t;
	return 0;
}

int
hyp_thread_spawn(hyp_thread_fn fn, void *arg, const char *name,
    bool mustjoin, struct hyp_thread **tp)
{
	return hyp_thread_start(fn, NULL, arg, name, mustjoin, tp);
}

/*
 * hyp_thread_reap: wait for a joinable thread of ours to die and free it.
 * No stop checks: used by the hypervisor itself (bio worker, fini).
 */
void
hyp_thread_reap(struct hyp_thread *t)
{
	wait_event_idle(hyp_join_wq, READ_ONCE(t->ht_dead));
	spin_lock(&hyp_threads_lock);
	list_del(&t->ht_list);
	spin_unlock(&hyp_threads_lock);
	hyp_thread_free(t);
}

/* hyp_thread_wake_all: kick every live thread of ours (STOPPED entry). */
void
hyp_thread_wake_all(void)
{
	struct hyp_thread *t;

	spin_lock(&hyp_threads_lock);
	list_for_each_entry(t, &hyp_threads, ht_list) {
		if (!t->ht_dead)
			wake_up_process(t->ht_task);
	}
	spin_unlock(&hyp_threads_lock);
	wake_up_all(&hyp_join_wq);
}

/*
 * hyp_thread_kick: make a live thread of ours leave an interruptible host
 * wait (a blocking read), as kthread_stop() does: TIF_NOTIFY_SIGNAL makes
 * signal_pending() true for it.  It then ends in hyp_sched().
 */
static void
hyp_thread_kick(struct hyp_thread *t)
{
	set_tsk_thread_flag(t->ht_task, TIF_NOTIFY_SIGNAL);
	wake_up_process(t->ht_task);
}

/*
 * hyp_thread_fini: wait for every thread of ours to end and free them
 * all.  The rump kernel is shut down or STOPPED, so they are ending; one
 * that is stuck outside our wait loops is kicked and waited for, with a
 * log line every 10 seconds, because the module text must outlive it.
 */
void
hyp_thread_fini(void)
{
	struct hyp_thread *t;

	for (;;) {
		t = NULL;
		spin_lock(&hyp_threads_lock);
		if (!list_empty(&hyp_threads)) {
			t = list_first_entry(&hyp_threads, struct hyp_thread,
			    ht_list);
			list_del_init(&t->ht_list);
		}
		spin_unlock(&hyp_threads_lock);
		if (t == NULL)
			break;
		if (!READ_ONCE(t->ht_dead))
			hyp_thread_kick(t);
		while (wait_event_idle_timeout(hyp_join_wq,
		    READ_ONCE(t->ht_dead), 10 * HZ) == 0) {
			hyp_warn("waiting for thread %s to end", t->ht_name);
			hyp_thread_kick(t);
		}
		hyp_thread_free(t);
	}
}

const char *
hyp_thread_name(void)
{
	struct hyp_thread *t = hyp_thread_self();

	return t ? t->ht_name : current->comm;
}

/* The rump kernel's threads: fun never returns, it calls thread_exit. */
static void
hyp_thread_rumpmain(void *arg)
{
	struct hyp_thread *t = hyp_thread_self();

	t->ht_rumpfn(arg);
	pr_warn_ratelimited("rump: rump thread %s returned from its "
	    "function\n", t->ht_name);
}

int
rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *name,
    int mustjoin, int priority, int cpuidx, void **cookie)
{
	struct hyp_thread *t;
	int err;

	if (hyp_is_stopped())
		return RUMP_ENXIO;
	err = hyp_thread_start(hyp_thread_rumpmain, fun, arg, name,
	    mustjoin != 0, &t);
	if (err)
		return hyp_errno(err);
	if (mustjoin && cookie != NULL)
		*cookie = t;
	return 0;
}

void
rumpuser_thread_exit(void)
{
	if (hyp_thread_self() == NULL)
		hyp_park("rumpuser_thread_exit on a host thread");
	hyp_thread_die();
}

/*
 * rumpuser_thread_join: wrapped wait for a joinable thread of ours, then
 * free it.  After STOPPED a joiner of ours ends, a foreign joiner gets
 * ENXIO and the thread is left for hyp_thread_fini().
 */
int
rumpuser_thread_join(void *cookie)
{
	struct hyp_thread *t = cookie;
	DEFINE_WAIT(w);
	bool dead, claimed = false;
	int nlocks;

	if (t == NULL || !t->ht_mustjoin)
		return RUMP_EINVAL;

	hyp_unsched(&nlocks, NULL);
	for (;;) {
		prepare_to_wait(&hyp_join_wq, &w, TASK_IDLE);
		dead = READ_ONCE(t->ht_dead);
		if (dead || hyp_is_stopped())
			break;
		schedule();
	}
	finish_wait(&hyp_join_wq, &w);
	if (dead) {
		/*
		 * Once STOPPED, hyp_thread_fini() claims every thread (it
		 * runs only after hyp_stop when threads are live): claim t
		 * here only if not STOPPED, decided under the list lock.
		 */
		spin_lock(&hyp_threads_lock);
		claimed = !hyp_is_stopped();
		if (claimed)
			list_del(&t->ht_list);
		spin_unlock(&hyp_threads_lock);
	}
	if (!claimed) {
		hyp_stop_point(true);
		hyp_sched(nlocks, NULL);
		return RUMP_ENXIO;
	}

	hyp_thread_free(t);
	hyp_sched(nlocks, NULL);
	return 0;
}

/* Current-thread binding: ours in struct hyp_thread, foreign in hyp_task. */
void
rumpuser_curlwpop(int op, struct lwp *l)
{
	struct hyp_thread *t;

	switch (op) {
	case RUMPUSER_LWP_CREATE:
	case RUMPUSER_LWP_DESTROY:
		return;
	case RUMPUSER_LWP_SET:
	case RUMPUSER_LWP_CLEAR:
		if (op == RUMPUSER_LWP_CLEAR)
			l = NULL;
		t = hyp_thread_self();
		if (t != NULL)
			t->ht_lwp = l;
		else
			hyp_task_set_lwp(l);
		return;
	default:
		pr_warn_ratelimited("rump: curlwpop: unknown op %d\n", op);
		return;
	}
}

struct lwp *
rumpuser_curlwp(void)
{
	struct hyp_thread *t = hyp_thread_self();

	if (t != NULL)
		return t->ht_lwp;
	return hyp_task_lwp();
}
