/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_lib.c: kernel-side tests of the kernel library (rumpsrc/lib: byte and
 * string routines, strtoul/strtol) and of cprng (kern/kern_cprng.c).  The
 * byte routines are called through function pointers so that the compiler
 * cannot replace them with its own builtins.
 */
#include <sys/systm.h>

#include "ktest.h"

#undef memcpy
#undef memmove
#undef memset
#undef memcmp

static void *(*volatile kt_memcpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile kt_memmove)(void *, const void *, size_t) = memmove;
static void *(*volatile kt_memset)(void *, int, size_t) = memset;
static int (*volatile kt_memcmp)(const void *, const void *, size_t) = memcmp;

KTEST(lib, memcpy_memmove_memset_all_alignments)
{
	unsigned char src[96], dst[96], ref[96];

	for (int i = 0; i < 96; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (int so = 0; so < 8; so++) {
		for (int d = 0; d < 8; d++) {
			for (int len = 0; len < 80; len += 3) {
				__builtin_memset(dst, 0xee, sizeof(dst));
				kt_memcpy(dst + d, src + so, (size_t)len);
				for (int i = 0; i < len; i++)
					KT_REQUIRE(dst[d + i] == src[so + i]);
				KT_REQUIRE(d == 0 || dst[d - 1] == 0xee);
				KT_REQUIRE(dst[d + len] == 0xee);

				__builtin_memset(dst, 0, sizeof(dst));
				kt_memset(dst + d, so, (size_t)len);
				for (int i = 0; i < len; i++)
					KT_REQUIRE(dst[d + i] == so);
				KT_REQUIRE(dst[d + len] == 0);
			}
		}
	}
	/* Overlapping moves both ways against a byte-by-byte reference. */
	for (int off = -9; off <= 9; off++) {
		for (int len = 0; len < 64; len += 5) {
			int from = 16, to = 16 + off;

			for (int i = 0; i < 96; i++)
				dst[i] = ref[i] = (unsigned char)i;
			if (to < from) {
				for (int i = 0; i < len; i++)
					ref[to + i] = ref[from + i];
			} else {
				for (int i = len - 1; i >= 0; i--)
					ref[to + i] = ref[from + i];
			}
			kt_memmove(dst + to, dst + from, (size_t)len);
			KT_REQUIRE(__builtin_memcmp(dst, ref, sizeof(dst)) == 0);
		}
	}
}

KTEST(lib, memcmp_orders_bytes_unsigned)
{
	unsigned char a[40], b[40];

	__builtin_memset(a, 1, sizeof(a));
	__builtin_memset(b, 1, sizeof(b));
	KT_CHECK_EQ(kt_memcmp(a, b, sizeof(a)), 0);
	b[37] = 0x80;
	KT_CHECK(kt_memcmp(a, b, sizeof(a)) < 0);
	KT_CHECK(kt_memcmp(b, a, sizeof(a)) > 0);
	KT_CHECK_EQ(kt_memcmp(a, b, 37), 0);
	KT_CHECK(kt_memcmp(a + 1, b + 1, 39) < 0);
}

KTEST(lib, string_routines)
{
	char buf[8];

	KT_CHECK_EQ(strlen(""), 0);
	KT_CHECK_EQ(strnlen("abcdef", 3), 3);
	KT_CHECK_EQ(strnlen("ab", 3), 2);
	KT_CHECK(strcmp("abc", "abd") < 0);
	KT_CHECK(strcmp("abc", "ab") > 0);
	KT_CHECK(strcmp("\xff", "a") > 0);
	KT_CHECK_EQ(strcmp("same", "same"), 0);
	KT_CHECK_EQ(strncmp("abcx", "abcy", 3), 0);
	KT_CHECK(strncmp("abcx", "abcy", 4) < 0);
	KT_CHECK_STR(strchr("hello", 'l'), "llo");
	KT_CHECK(strchr("hello", 'z') == NULL);
	KT_CHECK_STR(strrchr("hello", 'l'), "lo");
	KT_CHECK(strchr("hello", '\0') != NULL);
	KT_CHECK_EQ(strlcpy(buf, "truncated", sizeof(buf)), 9);
	KT_CHECK_STR(buf, "truncat");
	KT_CHECK_EQ(strlcpy(buf, "ab", sizeof(buf)), 2);
	KT_CHECK_EQ(strlcat(buf, "cdefgh", sizeof(buf)), 8);
	KT_CHECK_STR(buf, "abcdefg");
	KT_CHECK(memchr("abc", 'c', 3) != NULL);
	KT_CHECK(memchr("abc", 'c', 2) == NULL);
}

KTEST(lib, strtoul_strtol_bases_and_overflow)
{
	char *end;

	KT_CHECK_EQ(strtoul("  42xyz", &end, 10), 42);
	KT_CHECK_STR(end, "xyz");
	KT_CHECK_EQ(strtoul("0x1F", NULL, 0), 31);
	KT_CHECK_EQ(strtoul("017", NULL, 0), 15);
	KT_CHECK_EQ(strtoul("z", NULL, 36), 35);
	KT_CHECK_EQ(strtoul("ff", NULL, 16), 255);
	KT_CHECK_EQ(strtoul("0x", &end, 16), 0);
	KT_CHECK_STR(end, "x");
	KT_CHECK_EQ(strtoul("abc", &end, 10), 0);
	KT_CHECK_STR(end, "abc");
	KT_CHECK(strtoul("99999999999999999999999", NULL, 10) == ~0UL);
	KT_CHECK_EQ(strtol("-123", NULL, 10), -123);
	KT_CHECK_EQ(strtol("+7", NULL, 10), 7);
	KT_CHECK(strtol("9223372036854775807", NULL, 10) ==
	    9223372036854775807L);
	KT_CHECK(strtol("9223372036854775808", NULL, 10) ==
	    9223372036854775807L);
	KT_CHECK(strtol("-9223372036854775808", NULL, 10) ==
	    -9223372036854775807L - 1);
	KT_CHECK(strtol("-9223372036854775809", NULL, 10) ==
	    -9223372036854775807L - 1);
}

KTEST(cprng, cprng_fills_with_varying_bytes)
{
	unsigned char a[64], b[64];
	uint32_t v[16];
	int same = 0;

	__builtin_memset(a, 0, sizeof(a));
	__builtin_memset(b, 0, sizeof(b));
	cprng_fill(a, sizeof(a));
	cprng_fill(b, sizeof(b));
	KT_CHECK(__builtin_memcmp(a, b, sizeof(a)) != 0);
	for (int i = 0; i < 16; i++) {
		v[i] = cprng_u32();
		if (i > 0 && v[i] == v[i - 1])
			same++;
	}
	KT_CHECK(same < 3);
}
