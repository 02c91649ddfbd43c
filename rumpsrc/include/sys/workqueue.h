/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/workqueue.h: work queues (kern/kern_workqueue.c).
 *
 * A work queue runs enqueued work items, in order, on its own kernel
 * thread (or one per CPU with WQ_PERCPU).  A work item must not be
 * enqueued again before it has started running.  workqueue_wait() waits
 * until the given item is neither queued nor running.
 */
#ifndef _SYS_WORKQUEUE_H_
#define _SYS_WORKQUEUE_H_

#include <sys/types.h>
#include <sys/queue.h>

struct cpu_info;
struct workqueue;

struct work {
	TAILQ_ENTRY(work)	wk_entry;
};

#define WQ_MPSAFE	0x01
#define WQ_PERCPU	0x02

int	workqueue_create(struct workqueue **wqp, const char *name,
	    void (*func)(struct work *, void *), void *arg,
	    int prio, int ipl, int flags);
void	workqueue_destroy(struct workqueue *wq);	/* waits for work */
void	workqueue_enqueue(struct workqueue *wq, struct work *wk,
	    struct cpu_info *ci);
void	workqueue_wait(struct workqueue *wq, struct work *wk);

#endif /* _SYS_WORKQUEUE_H_ */
