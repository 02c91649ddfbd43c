/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_kmem.c: kernel-side tests of the memory allocator (kern/kern_kmem.c):
 * alignment by size class, zeroing, statistics, churn from many kernel
 * threads without leaks, and the DIAGNOSTIC checks (wrong-size free, use
 * after free), plus kmem_fini's reclaiming of deliberately leaked memory.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>

#include "ktest.h"
#include "../../rumpsrc/kern/kern_private.h"

static size_t
kt_expected_align(size_t size)
{
	size_t a = 8;

	if (size > PAGE_SIZE)
		return PAGE_SIZE;
	while (a < size)
		a <<= 1;
	return a;
}

KTEST(kmem, kmem_alignment_by_size)
{
	static const size_t big[] = { 4097, 5000, 8192, 12345, 65536, 300000 };
	void *p[3];

	for (size_t size = 1; size <= PAGE_SIZE; size++) {
		for (int i = 0; i < 3; i++) {
			p[i] = kmem_alloc(size, KM_SLEEP);
			KT_CHECK_MSG(((uintptr_t)p[i] &
			    (kt_expected_align(size) - 1)) == 0,
			    "size %zu at %p", size, p[i]);
			memset(p[i], 0xa5, size);
		}
		for (int i = 0; i < 3; i++)
			kmem_free(p[i], size);
		if (ktest_failed(ctx))
			return;
	}
	for (size_t i = 0; i < __arraycount(big); i++) {
		p[0] = kmem_alloc(big[i], KM_SLEEP);
		KT_CHECK_MSG(((uintptr_t)p[0] & PAGE_MASK) == 0,
		    "size %zu at %p", big[i], p[0]);
		memset(p[0], 0x5a, big[i]);
		kmem_free(p[0], big[i]);
	}
}

KTEST(kmem, kmem_page_alloc_aligned_to_size)
{
	for (size_t npages = 1; npages <= 9; npages++) {
		size_t bytes = npages * PAGE_SIZE, align = PAGE_SIZE;
		char *p;

		while (align < bytes)
			align <<= 1;
		p = kmem_page_alloc(npages, KM_SLEEP);
		KT_REQUIRE(p != NULL);
		KT_CHECK_MSG(((uintptr_t)p & (align - 1)) == 0,
		    "%zu pages at %p", npages, p);
		memset(p, 1, bytes);
		kmem_page_free(p, npages);
	}
}

KTEST(kmem, kmem_zalloc_returns_zeroed_memory)
{
	static const size_t sizes[] = { 8, 24, 100, 1000, 4096, 10000 };

	for (size_t i = 0; i < __arraycount(sizes); i++) {
		unsigned char *p = kmem_alloc(sizes[i], KM_SLEEP);

		memset(p, 0xff, sizes[i]);
		kmem_free(p, sizes[i]);
		p = kmem_zalloc(sizes[i], KM_SLEEP);
		for (size_t j = 0; j < sizes[i]; j++) {
			if (p[j] != 0) {
				KT_CHECK_MSG(p[j] == 0, "size %zu byte %zu",
				    sizes[i], j);
				break;
			}
		}
		kmem_free(p, sizes[i]);
	}
}

KTEST(kmem, kmem_stats_count_live_allocations)
{
	struct kmem_stats before, during, after;
	void *p[100], *big;

	kmem_getstats(&before);
	for (int i = 0; i < 100; i++)
		p[i] = kmem_alloc(24, KM_SLEEP);
	big = kmem_alloc(20000, KM_SLEEP);
	kmem_getstats(&during);
	KT_CHECK_EQ(during.ks_allocs - before.ks_allocs, 101);
	KT_CHECK_EQ(during.ks_inuse_bytes - before.ks_inuse_bytes,
	    100 * 32 + 20000);
	KT_CHECK(during.ks_host_bytes >= during.ks_inuse_bytes);
	for (int i = 0; i < 100; i++)
		kmem_free(p[i], 24);
	kmem_free(big, 20000);
	kmem_getstats(&after);
	KT_CHECK_EQ(after.ks_allocs, before.ks_allocs);
	KT_CHECK_EQ(after.ks_inuse_bytes, before.ks_inuse_bytes);
}

KTEST(kmem, kmem_strdup_copies_and_frees)
{
	char *s = kmem_strdup("rump kernel", KM_SLEEP);

	KT_REQUIRE(s != NULL);
	KT_CHECK_STR(s, "rump kernel");
	kmem_strfree(s);
}

/* ---------------------------------------------------------------- churn */

#define KT_CHURN_THREADS	8
#define KT_CHURN_SLOTS		64
#define KT_CHURN_OPS		20000

struct kt_churn {
	struct ktest_ctx	*kc_ctx;
	uint64_t		kc_seed;
	void			*kc_p[KT_CHURN_SLOTS];
	size_t			kc_size[KT_CHURN_SLOTS];
};

static uint64_t
kt_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Each object carries its own pattern: overlap or reuse shows as a bad
 * byte when it is freed. */
static void
kt_churn_thread(void *arg)
{
	struct kt_churn *kc = arg;
	struct ktest_ctx *ctx = kc->kc_ctx;

	for (int op = 0; op < KT_CHURN_OPS && !ktest_failed(ctx); op++) {
		uint64_t r = kt_rand(&kc->kc_seed);
		u_int slot = (u_int)(r % KT_CHURN_SLOTS);
		unsigned char *p = kc->kc_p[slot];
		size_t size;

		if (p != NULL) {
			unsigned char pat = (unsigned char)(uintptr_t)p ^ 0x3c;

			for (size_t i = 0; i < kc->kc_size[slot]; i += 61) {
				if (p[i] != pat) {
					KT_CHECK_MSG(p[i] == pat, "object %p "
					    "byte %zu corrupted", p, i);
					break;
				}
			}
			kmem_free(p, kc->kc_size[slot]);
			kc->kc_p[slot] = NULL;
			continue;
		}
		/* Mostly small, sometimes up to two pages. */
		size = (r >> 8) % 16 == 0 ? 1 + (r >> 16) % 8192 :
		    1 + (r >> 16) % 512;
		p = kmem_alloc(size, KM_SLEEP);
		memset(p, (unsigned char)(uintptr_t)p ^ 0x3c, size);
		kc->kc_p[slot] = p;
		kc->kc_size[slot] = size;
	}
	for (u_int i = 0; i < KT_CHURN_SLOTS; i++) {
		if (kc->kc_p[i] != NULL)
			kmem_free(kc->kc_p[i], kc->kc_size[i]);
	}
	kthread_exit(0);
}

KTEST(kmem, kmem_no_leak_after_churn)
{
	struct kt_churn *kc;
	struct lwp *l[KT_CHURN_THREADS];
	struct kmem_stats before, after;
	int error;

	kc = kmem_zalloc(sizeof(*kc) * KT_CHURN_THREADS, KM_SLEEP);
	kmem_reclaim();
	kmem_getstats(&before);
	for (int i = 0; i < KT_CHURN_THREADS; i++) {
		kc[i].kc_ctx = ctx;
		kc[i].kc_seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, NULL, kt_churn_thread, &kc[i], &l[i],
		    "churn%d", i);
		KT_REQUIRE(error == 0);
	}
	for (int i = 0; i < KT_CHURN_THREADS; i++)
		KT_CHECK_EQ(kthread_join(l[i]), 0);
	kmem_reclaim();
	kmem_getstats(&after);
	KT_CHECK_EQ(after.ks_allocs, before.ks_allocs);
	KT_CHECK_EQ(after.ks_inuse_bytes, before.ks_inuse_bytes);
	KT_CHECK_EQ(after.ks_host_bytes, before.ks_host_bytes);
	kmem_free(kc, sizeof(*kc) * KT_CHURN_THREADS);
}

/* ---------------------------------------------------------------- checks */

KTEST(kmem, kmem_free_with_wrong_size_panics)
{
	void *p = kmem_alloc(32, KM_SLEEP);

	kmem_free(p, 100);	/* class 128, not 32: panics */
	KT_CHECK(!"kmem_free with the wrong size did not panic");
}

KTEST(kmem, kmem_use_after_free_panics)
{
	unsigned long *p = kmem_alloc(64, KM_SLEEP), *q;

	kmem_free(p, 64);
	p[3] = 42;		/* write into the freed object */
	q = kmem_alloc(64, KM_SLEEP);	/* same CPU's magazine: same object */
	KT_CHECK(q == p);
	KT_CHECK(!"a modified free object was handed out without a panic");
}

/* kmem_fini reports these and still returns every byte to the host. */
KTEST(kmem, kmem_fini_reclaims_leaks)
{
	KT_CHECK(kmem_alloc(100, KM_SLEEP) != NULL);
	KT_CHECK(kmem_alloc(100, KM_SLEEP) != NULL);
	KT_CHECK(kmem_alloc(3000, KM_SLEEP) != NULL);
	KT_CHECK(kmem_alloc(50000, KM_SLEEP) != NULL);
}
