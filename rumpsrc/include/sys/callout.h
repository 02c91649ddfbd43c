/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/callout.h: timers (kern/kern_callout.c).
 *
 * A callout runs its function once, on the clock thread, after a delay in
 * ticks.  Pending callouts are kept in a heap ordered by deadline; the clock thread
 * sleeps until the earliest one (no periodic tick).  Callouts due at the
 * same time run in the order they were scheduled.
 *
 * callout_stop() cancels a pending callout without waiting for a running
 * one; callout_halt() also waits until the function is not running (it
 * must not be called from the callout's own function).  A callout must be
 * halted before callout_destroy().
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

struct kmutex;

typedef struct callout {
	/* pending: a node of the clock's pairing heap (kern_callout.c) */
	struct callout		*c_child;	/* first child */
	struct callout		*c_sibling;	/* next sibling */
	struct callout		**c_link;	/* the pointer that points here */
	uint64_t		c_deadline;	/* monotonic ns */
	uint64_t		c_seq;		/* FIFO among equal deadlines */
	void			(*c_func)(void *);
	void			*c_arg;
	int			c_flags;	/* CALLOUT_* */
	int			c_magic;
} callout_t;

#define CALLOUT_MPSAFE		0x0001	/* flags for callout_init */
#define CALLOUT_PENDING		0x0100
#define CALLOUT_FIRED		0x0200
#define CALLOUT_INVOKING	0x0400
#define CALLOUT_RUNNING		0x0800

void	callout_init(callout_t *c, u_int flags);
void	callout_destroy(callout_t *c);
void	callout_setfunc(callout_t *c, void (*func)(void *), void *arg);
void	callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg);
void	callout_schedule(callout_t *c, int ticks);
void	callout_schedule_ns(callout_t *c, uint64_t ns);
bool	callout_stop(callout_t *c);	/* true if it had fired or ran */
bool	callout_halt(callout_t *c, struct kmutex *interlock);
bool	callout_pending(callout_t *c);
bool	callout_expired(callout_t *c);
bool	callout_active(callout_t *c);
bool	callout_invoking(callout_t *c);
void	callout_ack(callout_t *c);

int	callout_startup(void);	/* starts the clock thread */
void	callout_shutdown(void);	/* stops and joins it */

#endif /* _SYS_CALLOUT_H_ */
