/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_bench.c: micro benchmarks measured inside the rump kernel, for
 * tests/bench/host_bench.c (declared in ktest_host.h).  Each enters the
 * kernel through the API gate and times a loop with the uptime clock.
 */
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/syscall.h>

#include "ktest_host.h"

struct kt_bench_kmem {
	unsigned long	kb_iters;
	size_t		kb_size;
	uint64_t	kb_ns;
};

static int
kt_bench_kmem_body(void *arg)
{
	struct kt_bench_kmem *kb = arg;
	void *p;
	uint64_t t0;

	/* Warm the magazines first. */
	for (int i = 0; i < 1000; i++) {
		p = kmem_alloc(kb->kb_size, KM_SLEEP);
		kmem_free(p, kb->kb_size);
	}
	t0 = getuptime_ns();
	for (unsigned long i = 0; i < kb->kb_iters; i++) {
		p = kmem_alloc(kb->kb_size, KM_SLEEP);
		__asm__ __volatile__("" : : "r"(p) : "memory");
		kmem_free(p, kb->kb_size);
	}
	kb->kb_ns = getuptime_ns() - t0;
	return 0;
}

/* ns per kmem_alloc + kmem_free pair of `size` bytes; 0 on error. */
unsigned long
ktest_bench_kmem(unsigned long iters, unsigned long size)
{
	struct kt_bench_kmem kb = { .kb_iters = iters, .kb_size = size };

	if (iters == 0 || rump_gate(kt_bench_kmem_body, &kb) != 0)
		return 0;
	return (unsigned long)(kb.kb_ns / iters);
}
