/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/systm.h: what every rump kernel source file needs: console output,
 * panic, assertions, and the byte/string routines of the kernel library
 * (rumpsrc/lib).  Implemented in kern/kern_prf.c and lib/.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/errno.h>

/* Console output (kern/kern_prf.c); lines are emitted whole. */
int	printf(const char *fmt, ...) __printflike(1, 2);
int	vprintf(const char *fmt, va_list ap);
int	snprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);
int	vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* printf only when the kernel runs verbose (param RUMP_VERBOSE). */
void	aprint_verbose(const char *fmt, ...) __printflike(1, 2);
extern bool rump_verbose;

/*
 * panic: report, stop the rump kernel, never return.  On a client (host)
 * thread that entered through an API gate the thread unwinds to that gate,
 * which returns ENXIO; on a rump kernel thread the hypervisor ends it.
 */
void	panic(const char *fmt, ...) __noreturn __printflike(1, 2);

#ifdef DIAGNOSTIC
#define KASSERT(e)							\
	(__predict_true(e) ? (void)0 :					\
	    panic("kernel assertion \"%s\" failed: file \"%s\", line %d",	\
		#e, __FILE__, __LINE__))
#define KASSERTMSG(e, fmt, ...)						\
	(__predict_true(e) ? (void)0 :					\
	    panic("kernel assertion \"%s\" failed: file \"%s\", line %d: " \
		fmt, #e, __FILE__, __LINE__, ##__VA_ARGS__))
#else
#define KASSERT(e)		((void)0)
#define KASSERTMSG(e, ...)	((void)0)
#endif

/* Byte and string routines (lib/): the compiler may also emit calls. */
void	*memcpy(void *dst, const void *src, size_t len);
void	*memmove(void *dst, const void *src, size_t len);
void	*memset(void *dst, int c, size_t len);
int	memcmp(const void *a, const void *b, size_t len);
void	*memchr(const void *s, int c, size_t len);
size_t	strlen(const char *s);
size_t	strnlen(const char *s, size_t max);
int	strcmp(const char *a, const char *b);
int	strncmp(const char *a, const char *b, size_t len);
char	*strchr(const char *s, int c);
char	*strrchr(const char *s, int c);
size_t	strlcpy(char *dst, const char *src, size_t size);
size_t	strlcat(char *dst, const char *src, size_t size);
unsigned long strtoul(const char *s, char **endp, int base);
long	strtol(const char *s, char **endp, int base);

#define memcpy(d, s, l)		__builtin_memcpy(d, s, l)
#define memset(d, c, l)		__builtin_memset(d, c, l)
#define memmove(d, s, l)	__builtin_memmove(d, s, l)
#define memcmp(a, b, l)		__builtin_memcmp(a, b, l)
#define strlen(s)		__builtin_strlen(s)

/* Fill a buffer from the host's random source (never blocks). */
void	cprng_fill(void *buf, size_t len);
uint32_t cprng_u32(void);

#endif /* _SYS_SYSTM_H_ */
