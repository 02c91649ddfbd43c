/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/intr.h: soft interrupts (kern/kern_softint.c).
 *
 * A soft interrupt is a handler run soon, at a soft priority level, on the
 * CPU that scheduled it, by that CPU's softint thread.  Scheduling an
 * already pending softint does nothing; a handler never runs twice at once
 * on one CPU.  Levels run in priority order: SERIAL > NET > BIO > CLOCK.
 */
#ifndef _SYS_INTR_H_
#define _SYS_INTR_H_

#include <sys/types.h>

#define SOFTINT_CLOCK	0
#define SOFTINT_BIO	1
#define SOFTINT_NET	2
#define SOFTINT_SERIAL	3
#define SOFTINT_COUNT	4
#define SOFTINT_LVLMASK	0x00ff
#define SOFTINT_MPSAFE	0x0100

void	*softint_establish(u_int flags, void (*func)(void *), void *arg);
void	softint_disestablish(void *cookie);	/* waits if running */
void	softint_schedule(void *cookie);

int	softint_startup(void);	/* one thread per CPU */
void	softint_shutdown(void);

#endif /* _SYS_INTR_H_ */
