/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_task.c: per-task state of foreign host threads.
 *
 * Host threads we did not create also enter the rump kernel: the insmod
 * thread of a client module, a sysfs writer, a workqueue worker.  Their
 * lwp binding (rumpuser_curlwpop SET/CLEAR) and last rump errno
 * (rumpuser_seterrno) live in a hash table keyed by task_struct pointer.
 * Lookups (rumpuser_curlwp, rump_errno) are RCU readers and take no lock;
 * changes of the table take hyp_tasks_lock and free with kfree_rcu.
 * A record holds a task reference so that its key cannot be reused by a
 * new task while the record exists; records of dead tasks are pruned at
 * insertion time and at hyp_task_fini().
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "hyp.h"

#define HYP_TASK_HASH_BITS	8
#define HYP_TASK_PRUNE_EVERY	64

struct hyp_task {
	struct hlist_node	tk_node;
	struct task_struct	*tk_task;	/* key, referenced */
	struct lwp		*tk_lwp;
	int			tk_errno;
	struct rcu_head		tk_rcu;
};

static DEFINE_HASHTABLE(hyp_tasks, HYP_TASK_HASH_BITS);
static DEFINE_SPINLOCK(hyp_tasks_lock);
static unsigned int hyp_tasks_inserts;

/* Caller holds rcu_read_lock() or hyp_tasks_lock. */
static struct hyp_task *
hyp_task_find(struct task_struct *task)
{
	struct hyp_task *tk;

	hash_for_each_possible_rcu(hyp_tasks, tk, tk_node,
	    (unsigned long)task) {
		if (tk->tk_task == task)
			return tk;
	}
	return NULL;
}

/* Caller holds hyp_tasks_lock. */
static void
hyp_task_remove(struct hyp_task *tk)
{
	hash_del_rcu(&tk->tk_node);
	put_task_struct(tk->tk_task);
	kfree_rcu(tk, tk_rcu);
}

/*
 * hyp_task_is_dead: task can no longer call into us.  Not PF_EXITING: an
 * exiting task still runs its task work (the final fput of a file whose
 * release may enter the rump kernel) and keeps using its record without
 * a lock.  exit_state is set in exit_notify(), after all of that.
 */
static bool
hyp_task_is_dead(struct task_struct *task)
{
	return READ_ONCE(task->exit_state) != 0;
}

/* Caller holds hyp_tasks_lock. */
static void
hyp_task_prune(void)
{
	struct hlist_node *tmp;
	struct hyp_task *tk;
	int bkt;

	hash_for_each_safe(hyp_tasks, bkt, tmp, tk, tk_node) {
		if (tk->tk_task != current && hyp_task_is_dead(tk->tk_task))
			hyp_task_remove(tk);
	}
}

/*
 * hyp_task_get: the calling task's record, made if missing.  May sleep
 * (the allocation is small and must not fail: a lost binding would make
 * the rump kernel lose track of the thread).
 */
static struct hyp_task *
hyp_task_get(void)
{
	struct hyp_task *tk, *new;

	rcu_read_lock();
	tk = hyp_task_find(current);
	rcu_read_unlock();
	if (tk != NULL)		/* only current removes its own record */
		return tk;

	new = kzalloc(sizeof(*new), GFP_KERNEL | __GFP_NOFAIL);
	get_task_struct(current);
	new->tk_task = current;

	spin_lock(&hyp_tasks_lock);
	if (++hyp_tasks_inserts % HYP_TASK_PRUNE_EVERY == 0)
		hyp_task_prune();
	hash_add_rcu(hyp_tasks, &new->tk_node, (unsigned long)current);
	spin_unlock(&hyp_tasks_lock);
	return new;
}

/* Drop the calling task's record once it holds nothing. */
static void
hyp_task_put(struct hyp_task *tk)
{
	if (tk->tk_lwp != NULL || tk->tk_errno != 0)
		return;
	spin_lock(&hyp_tasks_lock);
	hyp_task_remove(tk);
	spin_unlock(&hyp_tasks_lock);
}

struct lwp *
hyp_task_lwp(void)
{
	struct hyp_task *tk;
	struct lwp *l = NULL;

	rcu_read_lock();
	tk = hyp_task_find(current);
	if (tk != NULL)
		l = READ_ONCE(tk->tk_lwp);
	rcu_read_unlock();
	return l;
}

void
hyp_task_set_lwp(struct lwp *l)
{
	struct hyp_task *tk;

	if (l == NULL) {
		rcu_read_lock();
		tk = hyp_task_find(current);
		rcu_read_unlock();
		if (tk == NULL)
			return;
		WRITE_ONCE(tk->tk_lwp, NULL);
		hyp_task_put(tk);
		return;
	}
	tk = hyp_task_get();
	WRITE_ONCE(tk->tk_lwp, l);
}

void
hyp_task_set_errno(int err)
{
	struct hyp_task *tk;

	if (err == 0) {
		rcu_read_lock();
		tk = hyp_task_find(current);
		rcu_read_unlock();
		if (tk == NULL)
			return;
		WRITE_ONCE(tk->tk_errno, 0);
		hyp_task_put(tk);
		return;
	}
	tk = hyp_task_get();
	WRITE_ONCE(tk->tk_errno, err);
}

int
hyp_task_errno(void)
{
	struct hyp_task *tk;
	int err = 0;

	rcu_read_lock();
	tk = hyp_task_find(current);
	if (tk != NULL)
		err = READ_ONCE(tk->tk_errno);
	rcu_read_unlock();
	return err;
}

/* hyp_task_fini: drop every record (unload).  Process context. */
void
hyp_task_fini(void)
{
	struct hlist_node *tmp;
	struct hyp_task *tk;
	int bkt, n = 0;

	spin_lock(&hyp_tasks_lock);
	hash_for_each_safe(hyp_tasks, bkt, tmp, tk, tk_node) {
		if (tk->tk_lwp != NULL)
			n++;
		hyp_task_remove(tk);
	}
	spin_unlock(&hyp_tasks_lock);
	if (n)
		hyp_dbg("dropped %d lwp bindings of host threads", n);
	/* kfree_rcu callbacks run core code only: no rcu_barrier needed. */
}
