/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kern_prf.c: formatted output of the rump kernel: vsnprintf and friends,
 * printf to the console, aprint_verbose, and the panic-safe line printer
 * that kern_panic.c uses.
 *
 * One formatting engine (prf_format) writes into a `struct prf_out`: for
 * snprintf that is the caller's buffer, for printf a small line buffer on
 * the stack that is emitted through rumpuser_putchar whenever it fills and
 * at the end of the call.  Supported: %d %i %u %x %X %o %c %s %p %%, flags
 * - 0 + space #, width and precision (also *), length modifiers hh h l ll
 * (q) z j t.  No floating point.  %s of NULL prints "(null)", %p prints
 * 0x and the hexadecimal address.
 *
 * Console output is serialised by a spin lock that needs no hypervisor
 * object, so printf works before locks exist (early boot), after they are
 * gone (shutdown) and in any context.  A whole printf call is emitted under
 * the lock: output of concurrent printf calls never interleaves.  The lock
 * is held only while formatting and emitting one call.  During a panic the
 * lock is taken with a bounded wait (and not at all when the panicking
 * thread is the one holding it), so a panic never deadlocks on it.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lwp.h>

#include "kern_private.h"

bool rump_verbose;

/* ---------------------------------------------------------------- engine */

struct prf_out {
	char	*po_buf;
	size_t	po_cap;		/* bytes po_buf can take */
	size_t	po_len;		/* bytes now in po_buf */
	size_t	po_total;	/* bytes the output wanted (return value) */
	char	po_last;	/* last character produced */
	void	(*po_flush)(struct prf_out *);	/* NULL: drop overflow */
};

#define PRF_MINUS	0x01
#define PRF_PLUS	0x02
#define PRF_SPACE	0x04
#define PRF_ALT		0x08
#define PRF_ZERO	0x10
#define PRF_UPPER	0x20
#define PRF_PTR		0x40	/* %p: always "0x" */

static void
prf_putc(struct prf_out *po, char c)
{
	po->po_total++;
	po->po_last = c;
	if (po->po_len == po->po_cap) {
		if (po->po_flush == NULL)
			return;
		po->po_flush(po);
	}
	po->po_buf[po->po_len++] = c;
}

static void
prf_pad(struct prf_out *po, char c, int n)
{
	for (; n > 0; n--)
		prf_putc(po, c);
}

/* An integer: sign or 0x prefix, precision zeros, width padding. */
static void
prf_number(struct prf_out *po, uintmax_t v, bool neg, unsigned int base,
    int flags, int width, int prec)
{
	const char *digs = (flags & PRF_UPPER) ? "0123456789ABCDEF" :
	    "0123456789abcdef";
	char tmp[24];			/* 22 octal digits of 64 bits */
	char prefix[2];
	int nd = 0, np = 0, zeros, i;

	if (prec < 0) {
		prec = 1;
	} else {
		flags &= ~PRF_ZERO;	/* an explicit precision wins */
	}
	while (v != 0) {
		tmp[nd++] = digs[v % base];
		v /= base;
	}
	/* Value 0 with precision 0 prints no digits (%#o still prints 0). */
	if (base == 8 && (flags & PRF_ALT) && (nd == 0 || prec <= nd) &&
	    (nd == 0 || tmp[nd - 1] != '0'))
		prec = nd + 1;

	if (neg)
		prefix[np++] = '-';
	else if (flags & PRF_PLUS)
		prefix[np++] = '+';
	else if (flags & PRF_SPACE)
		prefix[np++] = ' ';
	if (base == 16 && ((flags & PRF_PTR) || ((flags & PRF_ALT) && nd))) {
		prefix[np++] = '0';
		prefix[np++] = (flags & PRF_UPPER) ? 'X' : 'x';
	}

	zeros = prec > nd ? prec - nd : 0;
	width -= np + zeros + nd;
	if ((flags & (PRF_ZERO | PRF_MINUS)) == PRF_ZERO && width > 0) {
		zeros += width;
		width = 0;
	}
	if (!(flags & PRF_MINUS))
		prf_pad(po, ' ', width);
	for (i = 0; i < np; i++)
		prf_putc(po, prefix[i]);
	prf_pad(po, '0', zeros);
	while (nd > 0)
		prf_putc(po, tmp[--nd]);
	if (flags & PRF_MINUS)
		prf_pad(po, ' ', width);
}

static void
prf_string(struct prf_out *po, const char *s, int flags, int width,
    int prec)
{
	int len = 0;

	if (s == NULL)
		s = "(null)";
	/* With a precision, never read past it (s need not be terminated). */
	while ((prec < 0 || len < prec) && s[len] != '\0')
		len++;
	if (!(flags & PRF_MINUS))
		prf_pad(po, ' ', width - len);
	for (int i = 0; i < len; i++)
		prf_putc(po, s[i]);
	if (flags & PRF_MINUS)
		prf_pad(po, ' ', width - len);
}

enum prf_len { PRF_L_INT, PRF_L_CHAR, PRF_L_SHORT, PRF_L_LONG,
    PRF_L_LLONG, PRF_L_SIZE, PRF_L_MAX, PRF_L_PTRDIFF };

/* Fetch a signed argument of the given length as intmax_t. */
static intmax_t
prf_arg_signed(va_list *app, enum prf_len len)
{
	switch (len) {
	case PRF_L_CHAR:	return (signed char)va_arg(*app, int);
	case PRF_L_SHORT:	return (short)va_arg(*app, int);
	case PRF_L_LONG:	return va_arg(*app, long);
	case PRF_L_LLONG:	return va_arg(*app, long long);
	case PRF_L_SIZE:	return va_arg(*app, ssize_t);
	case PRF_L_MAX:		return va_arg(*app, intmax_t);
	case PRF_L_PTRDIFF:	return va_arg(*app, ptrdiff_t);
	default:		return va_arg(*app, int);
	}
}

static uintmax_t
prf_arg_unsigned(va_list *app, enum prf_len len)
{
	switch (len) {
	case PRF_L_CHAR:	return (unsigned char)va_arg(*app, unsigned int);
	case PRF_L_SHORT:	return (unsigned short)va_arg(*app, unsigned int);
	case PRF_L_LONG:	return va_arg(*app, unsigned long);
	case PRF_L_LLONG:	return va_arg(*app, unsigned long long);
	case PRF_L_SIZE:	return va_arg(*app, size_t);
	case PRF_L_MAX:		return va_arg(*app, uintmax_t);
	case PRF_L_PTRDIFF:	return (uintmax_t)va_arg(*app, ptrdiff_t);
	default:		return va_arg(*app, unsigned int);
	}
}

static enum prf_len
prf_parse_len(const char **fmtp)
{
	const char *f = *fmtp;
	enum prf_len len = PRF_L_INT;

	switch (*f) {
	case 'h':
		len = f[1] == 'h' ? PRF_L_CHAR : PRF_L_SHORT;
		f += f[1] == 'h' ? 2 : 1;
		break;
	case 'l':
		len = f[1] == 'l' ? PRF_L_LLONG : PRF_L_LONG;
		f += f[1] == 'l' ? 2 : 1;
		break;
	case 'q':
		len = PRF_L_LLONG;
		f++;
		break;
	case 'z':
		len = PRF_L_SIZE;
		f++;
		break;
	case 'j':
		len = PRF_L_MAX;
		f++;
		break;
	case 't':
		len = PRF_L_PTRDIFF;
		f++;
		break;
	default:
		break;
	}
	*fmtp = f;
	return len;
}

/* The formatting engine: everything the printf family prints goes here. */
static void
prf_format(struct prf_out *po, const char *fmt, va_list ap)
{
	va_list aq;

	va_copy(aq, ap);
	while (*fmt != '\0') {
		int flags = 0, width = 0, prec = -1;
		enum prf_len len;
		const char *spec;
		intmax_t sv;
		char c;

		if (*fmt != '%') {
			prf_putc(po, *fmt++);
			continue;
		}
		spec = fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				flags |= PRF_MINUS;
			else if (*fmt == '+')
				flags |= PRF_PLUS;
			else if (*fmt == ' ')
				flags |= PRF_SPACE;
			else if (*fmt == '#')
				flags |= PRF_ALT;
			else if (*fmt == '0')
				flags |= PRF_ZERO;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(aq, int);
			if (width < 0) {
				flags |= PRF_MINUS;
				width = width == -__INT_MAX__ - 1 ? 0 : -width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				width = width * 10 + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(aq, int);	/* < 0: as if none */
				fmt++;
			} else {
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					prec = prec * 10 + (*fmt - '0');
			}
		}
		len = prf_parse_len(&fmt);

		switch (c = *fmt++) {
		case 'd':
		case 'i':
			sv = prf_arg_signed(&aq, len);
			/* 0 - (uintmax_t)sv is exact even for INTMAX_MIN. */
			prf_number(po, sv < 0 ? 0 - (uintmax_t)sv :
			    (uintmax_t)sv, sv < 0, 10, flags, width, prec);
			break;
		case 'u':
			prf_number(po, prf_arg_unsigned(&aq, len), false, 10,
			    flags & ~(PRF_PLUS | PRF_SPACE), width, prec);
			break;
		case 'X':
			flags |= PRF_UPPER;
			/* FALLTHROUGH */
		case 'x':
			prf_number(po, prf_arg_unsigned(&aq, len), false, 16,
			    flags & ~(PRF_PLUS | PRF_SPACE), width, prec);
			break;
		case 'o':
			prf_number(po, prf_arg_unsigned(&aq, len), false, 8,
			    flags & ~(PRF_PLUS | PRF_SPACE), width, prec);
			break;
		case 'p':
			prf_number(po, (uintptr_t)va_arg(aq, void *), false,
			    16, (flags & PRF_MINUS) | PRF_PTR, width, prec);
			break;
		case 'c':
			if (!(flags & PRF_MINUS))
				prf_pad(po, ' ', width - 1);
			prf_putc(po, (char)va_arg(aq, int));
			if (flags & PRF_MINUS)
				prf_pad(po, ' ', width - 1);
			break;
		case 's':
			prf_string(po, va_arg(aq, const char *), flags, width,
			    prec);
			break;
		case '%':
			prf_putc(po, '%');
			break;
		default:
			/* Unknown (or truncated) conversion: print it as is. */
			if (c == '\0')
				fmt--;
			while (spec < fmt)
				prf_putc(po, *spec++);
			break;
		}
	}
	va_end(aq);
}

/* ---------------------------------------------------------------- buffers */

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct prf_out po = {
		.po_buf = buf,
		.po_cap = size > 0 ? size - 1 : 0,
	};

	prf_format(&po, fmt, ap);
	if (size > 0)
		buf[po.po_len] = '\0';
	return po.po_total > __INT_MAX__ ? __INT_MAX__ : (int)po.po_total;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return rv;
}

/* ---------------------------------------------------------------- console */

#define PRF_LINEBUF	128	/* stack buffer; longer output is chunked */
#define PRF_PANIC_SPINS	(1UL << 24)	/* bounded wait in a panic */

static volatile unsigned int prf_locked;
static struct lwp *volatile prf_owner;
static void (*volatile prf_sink)(int ch);	/* tests: divert output */


static inline void
prf_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

static bool
prf_trylock(void)
{
	if (__atomic_exchange_n(&prf_locked, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
	prf_owner = rumpuser_curlwp();
	return true;
}

static void
prf_lock(void)
{
	while (!prf_trylock()) {
		while (atomic_load_relaxed(&prf_locked) != 0)
			prf_cpu_relax();
	}
}

static void
prf_unlock(void)
{
	prf_owner = NULL;
	__atomic_store_n(&prf_locked, 0, __ATOMIC_RELEASE);
}

/* Tests only (kern_private.h).  Takes effect from the next printf. */
void
prf_set_sink(void (*sink)(int ch))
{
	prf_lock();
	prf_sink = sink;
	prf_unlock();
}

/* Panic output always reaches the console, whatever the sink. */
static void
prf_panic_flush(struct prf_out *po)
{
	for (size_t i = 0; i < po->po_len; i++)
		rumpuser_putchar((unsigned char)po->po_buf[i]);
	po->po_len = 0;
}

/* Emit the buffered bytes.  Precondition: the console lock is held (or,
 * in a panic, given up on). */
static void
prf_console_flush(struct prf_out *po)
{
	void (*sink)(int) = prf_sink;

	for (size_t i = 0; i < po->po_len; i++) {
		if (sink != NULL)
			sink((unsigned char)po->po_buf[i]);
		else
			rumpuser_putchar((unsigned char)po->po_buf[i]);
	}
	po->po_len = 0;
}

int
vprintf(const char *fmt, va_list ap)
{
	char line[PRF_LINEBUF];
	struct prf_out po = {
		.po_buf = line,
		.po_cap = sizeof(line),
		.po_flush = prf_console_flush,
	};

	prf_lock();
	prf_format(&po, fmt, ap);
	prf_console_flush(&po);
	prf_unlock();
	return po.po_total > __INT_MAX__ ? __INT_MAX__ : (int)po.po_total;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = vprintf(fmt, ap);
	va_end(ap);
	return rv;
}

void
aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!rump_verbose)
		return;
	va_start(ap, fmt);
	(void)vprintf(fmt, ap);
	va_end(ap);
}

/*
 * Print "panic: <message>\n" as one line, for panic() in kern_panic.c.
 * Never waits unboundedly: if the console lock is held by the panicking
 * thread itself, or cannot be had within a bounded spin, the line is
 * printed without it (it may then interleave with the holder's output,
 * which is better than no report).  Callable in any context.
 */
void
prf_panic_line(const char *fmt, va_list ap)
{
	char line[PRF_LINEBUF];
	struct prf_out po = {
		.po_buf = line,
		.po_cap = sizeof(line),
		.po_flush = prf_panic_flush,
	};
	struct lwp *self = rumpuser_curlwp();
	bool locked = false;
	unsigned long spins;

	if (self == NULL || prf_owner != self) {
		for (spins = 0; spins < PRF_PANIC_SPINS; spins++) {
			if (prf_trylock()) {
				locked = true;
				break;
			}
			prf_cpu_relax();
		}
	}
	prf_string(&po, "panic: ", 0, 0, -1);
	prf_format(&po, fmt, ap);
	if (po.po_last != '\n')
		prf_putc(&po, '\n');
	prf_panic_flush(&po);
	if (locked)
		prf_unlock();
}
