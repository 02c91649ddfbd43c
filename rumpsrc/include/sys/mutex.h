/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/mutex.h: kernel mutexes (kern/kern_sync.c), on hypervisor mutexes.
 *
 * Adaptive mutexes (MUTEX_DEFAULT at IPL_NONE or a soft IPL) release the
 * rump CPU while they wait; spin mutexes (MUTEX_SPIN, or an IPL of IPL_VM
 * and up) keep it, so they must only guard short sections that never
 * block.  Both track their owner lwp, so mutex_owned() is exact.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

struct rumpuser_mtx;

typedef struct kmutex {
	struct rumpuser_mtx	*mtx_hyp;
	bool			mtx_spin;
} kmutex_t;

typedef enum {
	MUTEX_DEFAULT,
	MUTEX_DRIVER,
	MUTEX_SPIN
} kmutex_type_t;

/* Interrupt priority levels: only their ordering matters here. */
#define IPL_NONE	0
#define IPL_SOFTCLOCK	1
#define IPL_SOFTBIO	2
#define IPL_SOFTNET	3
#define IPL_SOFTSERIAL	4
#define IPL_VM		5
#define IPL_SCHED	6
#define IPL_HIGH	7

void	mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl);
void	mutex_destroy(kmutex_t *mtx);
void	mutex_enter(kmutex_t *mtx);
void	mutex_exit(kmutex_t *mtx);
int	mutex_tryenter(kmutex_t *mtx);		/* 1 when taken */
bool	mutex_owned(const kmutex_t *mtx);
struct lwp *mutex_owner(const kmutex_t *mtx);
#define mutex_spin_enter(m)	mutex_enter(m)
#define mutex_spin_exit(m)	mutex_exit(m)

/* Dynamically allocated, reference-counted mutexes. */
kmutex_t *mutex_obj_alloc(kmutex_type_t type, int ipl);
void	mutex_obj_hold(kmutex_t *mtx);
bool	mutex_obj_free(kmutex_t *mtx);		/* true when really freed */

#endif /* _SYS_MUTEX_H_ */
