/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/types.h: the rump kernel's basic types.
 *
 * The rump kernel is compiled with -nostdinc -ffreestanding: this header,
 * not the host's, defines every basic type, from the compiler's predefined
 * macros only.  Sizes follow the target ABI (LP64 on x86_64); fixed-width
 * offsets (off_t) are 64-bit everywhere, as in NetBSD.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTMAX_TYPE__		intmax_t;
typedef __UINTMAX_TYPE__	uintmax_t;
typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef __PTRDIFF_TYPE__	ssize_t;

typedef uint8_t			u_char;
typedef uint16_t		u_short;
typedef unsigned int		u_int;
typedef unsigned long		u_long;
typedef uint8_t			u_int8_t;
typedef uint16_t		u_int16_t;
typedef uint32_t		u_int32_t;
typedef uint64_t		u_int64_t;

typedef int32_t			pid_t;
typedef int32_t			lwpid_t;
typedef uint32_t		uid_t;
typedef uint32_t		gid_t;
typedef uint32_t		mode_t;
typedef int64_t			off_t;
typedef int64_t			time_t;
typedef long			register_t;
typedef char *			caddr_t;
typedef void *			vaddr_t;

typedef _Bool			bool;
#define true	1
#define false	0

#ifndef NULL
#define NULL	((void *)0)
#endif

#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __unused		__attribute__((__unused__))
#define __noreturn		__attribute__((__noreturn__))
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#define __predict_true(e)	__builtin_expect(!!(e), 1)
#define __predict_false(e)	__builtin_expect(!!(e), 0)
#define __CTASSERT(x)		_Static_assert(x, #x)
#define __arraycount(a)		(sizeof(a) / sizeof((a)[0]))

#define offsetof(t, m)		__builtin_offsetof(t, m)
#define container_of(p, t, m)	((t *)((char *)(p) - offsetof(t, m)))

#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		(((x) / (y)) * (y))
#define howmany(x, y)		(((x) + ((y) - 1)) / (y))
#define powerof2(x)		((((x) - 1) & (x)) == 0)

typedef __builtin_va_list	va_list;
#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)
#define va_copy(d, s)		__builtin_va_copy(d, s)

struct timespec {
	time_t	tv_sec;
	long	tv_nsec;
};

#endif /* _SYS_TYPES_H_ */
