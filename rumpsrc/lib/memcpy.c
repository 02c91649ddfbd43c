/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memcpy.c: the byte-block routines of the kernel library: memcpy,
 * memmove, memset, memcmp, memchr.
 *
 * Every rump kernel file calls these (sys/systm.h maps the common ones to
 * compiler builtins, which fall back to these definitions), and the
 * compiler emits calls to them for structure copies and clears.  They work
 * a machine word at a time once both pointers are word aligned, byte by
 * byte otherwise: simple and fast enough for a kernel whose bulk copies are
 * packet and block buffers.
 *
 * The loops here must never be turned back into calls to themselves by the
 * optimiser's idiom recognition, hence the optimize attribute.
 */
#include <sys/systm.h>

#undef memcpy
#undef memmove
#undef memset
#undef memcmp

#define LIB_NOIDIOM	__attribute__((__optimize__("no-tree-loop-distribute-patterns")))

typedef unsigned long lib_word_t __attribute__((__may_alias__));
#define LIB_WSIZE	sizeof(lib_word_t)
#define LIB_WMASK	(LIB_WSIZE - 1)

LIB_NOIDIOM void *
memcpy(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & LIB_WMASK) == 0) {
		while (len >= 4 * LIB_WSIZE) {
			lib_word_t *wd = (lib_word_t *)d;
			const lib_word_t *ws = (const lib_word_t *)s;

			wd[0] = ws[0];
			wd[1] = ws[1];
			wd[2] = ws[2];
			wd[3] = ws[3];
			d += 4 * LIB_WSIZE;
			s += 4 * LIB_WSIZE;
			len -= 4 * LIB_WSIZE;
		}
		while (len >= LIB_WSIZE) {
			*(lib_word_t *)d = *(const lib_word_t *)s;
			d += LIB_WSIZE;
			s += LIB_WSIZE;
			len -= LIB_WSIZE;
		}
	}
	while (len-- > 0)
		*d++ = *s++;
	return dst;
}

/* Overlap-safe: copies backwards when dst lies above src. */
LIB_NOIDIOM void *
memmove(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || len == 0)
		return dst;
	if (d < s || d >= s + len)
		return memcpy(dst, src, len);

	d += len;
	s += len;
	if ((((uintptr_t)d | (uintptr_t)s) & LIB_WMASK) == 0) {
		while (len >= LIB_WSIZE) {
			d -= LIB_WSIZE;
			s -= LIB_WSIZE;
			*(lib_word_t *)d = *(const lib_word_t *)s;
			len -= LIB_WSIZE;
		}
	}
	while (len-- > 0)
		*--d = *--s;
	return dst;
}

LIB_NOIDIOM void *
memset(void *dst, int c, size_t len)
{
	unsigned char *d = dst;
	lib_word_t w;

	while (len > 0 && ((uintptr_t)d & LIB_WMASK) != 0) {
		*d++ = (unsigned char)c;
		len--;
	}
	w = (unsigned char)c;
	w |= w << 8;
	w |= w << 16;
	w |= w << 32;
	while (len >= LIB_WSIZE) {
		*(lib_word_t *)d = w;
		d += LIB_WSIZE;
		len -= LIB_WSIZE;
	}
	while (len-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

LIB_NOIDIOM int
memcmp(const void *a, const void *b, size_t len)
{
	const unsigned char *p = a, *q = b;

	if ((((uintptr_t)p | (uintptr_t)q) & LIB_WMASK) == 0) {
		while (len >= LIB_WSIZE &&
		    *(const lib_word_t *)p == *(const lib_word_t *)q) {
			p += LIB_WSIZE;
			q += LIB_WSIZE;
			len -= LIB_WSIZE;
		}
	}
	for (; len > 0; len--, p++, q++) {
		if (*p != *q)
			return (int)*p - (int)*q;
	}
	return 0;
}

void *
memchr(const void *s, int c, size_t len)
{
	const unsigned char *p = s;

	for (; len > 0; len--, p++) {
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	}
	return NULL;
}
