/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * strtoul.c: string to integer conversion of the kernel library (strtoul,
 * strtol), declared in sys/systm.h.
 *
 * Used for parameters (_RUMPUSER_NCPU, RUMP_VERBOSE) and by drivers parsing
 * text.  C semantics: leading blanks, an optional sign, base 0 (prefix
 * decides: 0x hex, 0 octal, else decimal) or 2..36; *endp points after the
 * last digit used (at s when there was none).  On overflow the result is
 * clamped (ULONG_MAX, LONG_MAX, LONG_MIN); the kernel has no errno to set.
 */
#include <sys/systm.h>

#define LIB_ULONG_MAX	(~0UL)
#define LIB_LONG_MAX	((long)(LIB_ULONG_MAX >> 1))

static int
lib_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parse the magnitude.  *negp gets the sign, *overp is set on overflow of
 * unsigned long.  Returns the magnitude (clamped on overflow).
 */
static unsigned long
lib_strtomag(const char *s, char **endp, int base, bool *negp, bool *overp)
{
	const char *p = s;
	unsigned long v = 0, cutoff;
	int cutlim, d;
	bool any = false;

	*negp = false;
	*overp = false;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '-' || *p == '+')
		*negp = (*p++ == '-');
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && lib_digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		p = s;
		goto out;
	}
	cutoff = LIB_ULONG_MAX / (unsigned long)base;
	cutlim = (int)(LIB_ULONG_MAX % (unsigned long)base);
	for (; (d = lib_digit(*p)) < base; p++) {
		any = true;
		if (*overp)
			continue;
		if (v > cutoff || (v == cutoff && d > cutlim)) {
			*overp = true;
			v = LIB_ULONG_MAX;
			continue;
		}
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (!any)
		p = s;
out:
	if (endp != NULL)
		*endp = (char *)(uintptr_t)p;
	return v;
}

unsigned long
strtoul(const char *s, char **endp, int base)
{
	bool neg, over;
	unsigned long v;

	v = lib_strtomag(s, endp, base, &neg, &over);
	if (over)
		return LIB_ULONG_MAX;
	return neg ? -v : v;
}

long
strtol(const char *s, char **endp, int base)
{
	bool neg, over;
	unsigned long v;

	v = lib_strtomag(s, endp, base, &neg, &over);
	if (neg) {
		if (over || v > (unsigned long)LIB_LONG_MAX + 1)
			return -LIB_LONG_MAX - 1;
		return (long)(0 - v);
	}
	if (over || v > (unsigned long)LIB_LONG_MAX)
		return LIB_LONG_MAX;
	return (long)v;
}
