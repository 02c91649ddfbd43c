/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/atomic.h: atomic operations and memory barriers.
 *
 * On the architectures we build for the compiler's __atomic builtins
 * expand inline to the right instructions (lock-prefixed on x86), so no
 * library call and no host symbol is involved.  Names follow the usual
 * kernel convention; the _nv forms return the new value.
 */
#ifndef _SYS_ATOMIC_H_
#define _SYS_ATOMIC_H_

#include <sys/types.h>

#define atomic_load_relaxed(p)	__atomic_load_n(p, __ATOMIC_RELAXED)
#define atomic_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define atomic_store_relaxed(p, v) __atomic_store_n(p, v, __ATOMIC_RELAXED)
#define atomic_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

#define _ATOMIC_OPS(name, type)						\
static inline void atomic_inc_##name(volatile type *p)			\
{ __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }				\
static inline type atomic_inc_##name##_nv(volatile type *p)		\
{ return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }			\
static inline void atomic_dec_##name(volatile type *p)			\
{ __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }				\
static inline type atomic_dec_##name##_nv(volatile type *p)		\
{ return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }			\
static inline void atomic_add_##name(volatile type *p, type v)		\
{ __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }				\
static inline type atomic_add_##name##_nv(volatile type *p, type v)	\
{ return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }			\
static inline type atomic_swap_##name(volatile type *p, type v)		\
{ return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }			\
static inline type atomic_cas_##name(volatile type *p, type o, type n)	\
{ __atomic_compare_exchange_n(p, &o, n, false, __ATOMIC_SEQ_CST,	\
    __ATOMIC_SEQ_CST); return o; }					\
static inline void atomic_or_##name(volatile type *p, type v)		\
{ __atomic_or_fetch(p, v, __ATOMIC_SEQ_CST); }				\
static inline void atomic_and_##name(volatile type *p, type v)		\
{ __atomic_and_fetch(p, v, __ATOMIC_SEQ_CST); }

_ATOMIC_OPS(uint, unsigned int)
_ATOMIC_OPS(ulong, unsigned long)
_ATOMIC_OPS(32, uint32_t)
_ATOMIC_OPS(64, uint64_t)
#undef _ATOMIC_OPS

static inline void *
atomic_cas_ptr(volatile void *p, void *o, void *n)
{
	__atomic_compare_exchange_n((void *volatile *)p, &o, n, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return o;
}

static inline void *
atomic_swap_ptr(volatile void *p, void *n)
{
	return __atomic_exchange_n((void *volatile *)p, n, __ATOMIC_SEQ_CST);
}

#ifndef __SANITIZE_THREAD__
#define membar_acquire()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define membar_release()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define membar_sync()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define membar_producer()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define membar_consumer()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#else
/*
 * ThreadSanitizer does not model stand-alone fences (GCC refuses them
 * under -fsanitize=thread).  Under it each barrier is an atomic
 * read-modify-write of the same order on one shared word
 * (kern/kern_sync.c), which TSan does model.  As a happens-before
 * relation that is stronger than a fence (every barrier synchronises
 * with every earlier barrier of the other threads), so TSan may miss a
 * race that a barrier alone would not prevent, but it never reports one
 * the barrier does prevent.  On x86 the seq_cst form is the same locked
 * instruction a full fence would be.
 */
extern volatile unsigned int rump_tsan_membar;
#define membar_acquire()						\
	((void)__atomic_fetch_add(&rump_tsan_membar, 0, __ATOMIC_ACQUIRE))
#define membar_release()						\
	((void)__atomic_fetch_add(&rump_tsan_membar, 0, __ATOMIC_RELEASE))
#define membar_sync()							\
	((void)__atomic_fetch_add(&rump_tsan_membar, 0, __ATOMIC_SEQ_CST))
#define membar_producer()	membar_release()
#define membar_consumer()	membar_acquire()
#endif

#endif /* _SYS_ATOMIC_H_ */
