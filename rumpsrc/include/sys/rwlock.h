/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/rwlock.h: reader/writer locks (kern/kern_sync.c), on hypervisor
 * rwlocks.  A waiting rw_enter releases the rump CPU.
 */
#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

struct rumpuser_rw;

typedef struct krwlock {
	struct rumpuser_rw	*rw_hyp;
} krwlock_t;

typedef enum {
	RW_READER = 0,
	RW_WRITER = 1
} krw_t;

void	rw_init(krwlock_t *rw);
void	rw_destroy(krwlock_t *rw);
void	rw_enter(krwlock_t *rw, krw_t op);
int	rw_tryenter(krwlock_t *rw, krw_t op);	/* 1 when taken */
void	rw_exit(krwlock_t *rw);
int	rw_tryupgrade(krwlock_t *rw);		/* 1 when upgraded */
void	rw_downgrade(krwlock_t *rw);
int	rw_read_held(krwlock_t *rw);
int	rw_write_held(krwlock_t *rw);		/* by the caller */
int	rw_lock_held(krwlock_t *rw);

#endif /* _SYS_RWLOCK_H_ */
