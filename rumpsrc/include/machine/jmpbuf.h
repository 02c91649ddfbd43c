/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * machine/jmpbuf.h: non-local return for the panic escape (asm/<arch>/).
 *
 * rump_setjmp saves the callee-saved registers, stack and return address
 * and returns 0; rump_longjmp restores them so that rump_setjmp returns
 * again with val (never 0).  Used only by the API gate (kern/kern_gate.c)
 * to unwind a client thread out of a rump kernel that has panicked.
 */
#ifndef _MACHINE_JMPBUF_H_
#define _MACHINE_JMPBUF_H_

struct rump_jmpbuf {
	unsigned long	jb_regs[8];	/* x86_64: rbx rbp r12-r15 rsp rip */
};

int	rump_setjmp(struct rump_jmpbuf *jb) __attribute__((__returns_twice__));
void	rump_longjmp(struct rump_jmpbuf *jb, int val) __attribute__((__noreturn__));

#endif /* _MACHINE_JMPBUF_H_ */
