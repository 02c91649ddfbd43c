/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * setjmp.S: rump_setjmp / rump_longjmp for x86_64 (machine/jmpbuf.h).
 *
 * Used only by the API gate (rumpsrc/kern/kern_gate.c) to unwind a client
 * thread out of a rump kernel that has panicked.  The buffer holds the
 * callee-saved registers of the System V / kernel ABI (rbx rbp r12-r15),
 * the stack pointer as it is after rump_setjmp returns, and the return
 * address.  No floating-point or vector state: the kernel flavour has
 * none, and the gate's callers expect none to survive a panic.
 *
 * rump_longjmp switches to the saved stack, pushes the saved return
 * address and returns to it, so no indirect jump is involved.
 *
 * Kernel flavour (-mcmodel=kernel, which GCC announces as
 * __code_model_kernel__; or -DRUMP_ASM_RETHUNK): returns go through the
 * kernel's return thunk like compiled code (-mfunction-return=
 * thunk-extern), each followed by int3 (straight-line speculation), and
 * rump_longjmp is listed for objtool as a function with a non-standard
 * stack frame (it replaces the stack pointer on purpose).
 */
#if defined(__code_model_kernel__) || defined(RUMP_ASM_RETHUNK)
#define RET	jmp __x86_return_thunk; int3
#define NONSTD_FRAME(fn)						\
	.pushsection .discard.func_stack_frame_non_standard, "aw";	\
	.quad fn;							\
	.popsection
#else
#define RET	ret; int3
#define NONSTD_FRAME(fn)
#endif

	.text

/* int rump_setjmp(struct rump_jmpbuf *jb): returns 0 now, val later. */
	.globl	rump_setjmp
	.type	rump_setjmp, @function
	.p2align 4
rump_setjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* caller's rsp after our ret */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* our return address */
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax
	RET
	.size	rump_setjmp, .-rump_setjmp

/* void rump_longjmp(struct rump_jmpbuf *jb, int val): val 0 becomes 1. */
	.globl	rump_longjmp
	.type	rump_longjmp, @function
	.p2align 4
rump_longjmp:
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	movl	$1, %eax
1:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	pushq	56(%rdi)
	RET
	.size	rump_longjmp, .-rump_longjmp
	NONSTD_FRAME(rump_longjmp)

	.section .note.GNU-stack,"",@progbits
