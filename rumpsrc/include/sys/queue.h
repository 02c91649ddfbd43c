/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/queue.h: intrusive lists.
 *
 * Two shapes: LIST (doubly linked, O(1) removal, insert at head) and
 * TAILQ (doubly linked with a tail, FIFO order).  Entries embed their
 * links; the macros never allocate.  Written for the rump kernel.
 */
#ifndef _SYS_QUEUE_H_
#define _SYS_QUEUE_H_

#define LIST_HEAD(name, type)	struct name { struct type *lh_first; }
#define LIST_HEAD_INITIALIZER	{ NULL }
#define LIST_ENTRY(type)	struct { struct type *le_next, **le_prev; }
#define LIST_FIRST(h)		((h)->lh_first)
#define LIST_NEXT(e, f)		((e)->f.le_next)
#define LIST_EMPTY(h)		((h)->lh_first == NULL)
#define LIST_INIT(h)		((h)->lh_first = NULL)
#define LIST_FOREACH(v, h, f)						\
	for ((v) = LIST_FIRST(h); (v) != NULL; (v) = LIST_NEXT(v, f))
#define LIST_FOREACH_SAFE(v, h, f, t)					\
	for ((v) = LIST_FIRST(h);					\
	    (v) != NULL && ((t) = LIST_NEXT(v, f), 1); (v) = (t))
#define LIST_INSERT_HEAD(h, e, f) do {					\
	if (((e)->f.le_next = (h)->lh_first) != NULL)			\
		(h)->lh_first->f.le_prev = &(e)->f.le_next;		\
	(h)->lh_first = (e);						\
	(e)->f.le_prev = &(h)->lh_first;				\
} while (0)
#define LIST_REMOVE(e, f) do {						\
	if ((e)->f.le_next != NULL)					\
		(e)->f.le_next->f.le_prev = (e)->f.le_prev;		\
	*(e)->f.le_prev = (e)->f.le_next;				\
	(e)->f.le_next = NULL;						\
	(e)->f.le_prev = NULL;						\
} while (0)

#define TAILQ_HEAD(name, type)						\
	struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_HEAD_INITIALIZER(h)	{ NULL, &(h).tqh_first }
#define TAILQ_ENTRY(type)						\
	struct { struct type *tqe_next; struct type **tqe_prev; }
#define TAILQ_FIRST(h)		((h)->tqh_first)
#define TAILQ_NEXT(e, f)	((e)->f.tqe_next)
#define TAILQ_EMPTY(h)		((h)->tqh_first == NULL)
#define TAILQ_INIT(h) do {						\
	(h)->tqh_first = NULL;						\
	(h)->tqh_last = &(h)->tqh_first;				\
} while (0)
#define TAILQ_FOREACH(v, h, f)						\
	for ((v) = TAILQ_FIRST(h); (v) != NULL; (v) = TAILQ_NEXT(v, f))
#define TAILQ_FOREACH_SAFE(v, h, f, t)					\
	for ((v) = TAILQ_FIRST(h);					\
	    (v) != NULL && ((t) = TAILQ_NEXT(v, f), 1); (v) = (t))
#define TAILQ_INSERT_HEAD(h, e, f) do {					\
	if (((e)->f.tqe_next = (h)->tqh_first) != NULL)			\
		(h)->tqh_first->f.tqe_prev = &(e)->f.tqe_next;		\
	else								\
		(h)->tqh_last = &(e)->f.tqe_next;			\
	(h)->tqh_first = (e);						\
	(e)->f.tqe_prev = &(h)->tqh_first;				\
} while (0)
#define TAILQ_INSERT_TAIL(h, e, f) do {					\
	(e)->f.tqe_next = NULL;						\
	(e)->f.tqe_prev = (h)->tqh_last;				\
	*(h)->tqh_last = (e);						\
	(h)->tqh_last = &(e)->f.tqe_next;				\
} while (0)
#define TAILQ_INSERT_BEFORE(l, e, f) do {				\
	(e)->f.tqe_prev = (l)->f.tqe_prev;				\
	(e)->f.tqe_next = (l);						\
	*(l)->f.tqe_prev = (e);						\
	(l)->f.tqe_prev = &(e)->f.tqe_next;				\
} while (0)
/*
 * Backwards walks use the head's and entries' identical layout: the
 * predecessor's next field is where tqe_prev points, and that field
 * followed by the predecessor's own prev looks like a head.
 */
#define TAILQ_LAST(h, hname)						\
	(*(((struct hname *)((h)->tqh_last))->tqh_last))
#define TAILQ_PREV(e, hname, f)						\
	(*(((struct hname *)((e)->f.tqe_prev))->tqh_last))
#define TAILQ_INSERT_AFTER(h, l, e, f) do {				\
	if (((e)->f.tqe_next = (l)->f.tqe_next) != NULL)		\
		(e)->f.tqe_next->f.tqe_prev = &(e)->f.tqe_next;		\
	else								\
		(h)->tqh_last = &(e)->f.tqe_next;			\
	(l)->f.tqe_next = (e);						\
	(e)->f.tqe_prev = &(l)->f.tqe_next;				\
} while (0)
#define TAILQ_REMOVE(h, e, f) do {					\
	if ((e)->f.tqe_next != NULL)					\
		(e)->f.tqe_next->f.tqe_prev = (e)->f.tqe_prev;		\
	else								\
		(h)->tqh_last = (e)->f.tqe_prev;			\
	*(e)->f.tqe_prev = (e)->f.tqe_next;				\
	(e)->f.tqe_next = NULL;						\
	(e)->f.tqe_prev = NULL;						\
} while (0)

#endif /* _SYS_QUEUE_H_ */
