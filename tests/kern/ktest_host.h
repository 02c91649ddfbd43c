/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ktest_host.h: what a hosted program (host_ktest.c, host_bench.c) sees of
 * the kernel-side test framework linked into ktest-kernel.o.
 *
 * These names start with ktest_ and are kept out of the rumpns_ namespace
 * by the build.  ktest_run needs a running kernel (rump_init done).
 */
#ifndef _TESTS_KERN_KTEST_HOST_H_
#define _TESTS_KERN_KTEST_HOST_H_

#define KTEST_PASSED	0
#define KTEST_FAILED	1
#define KTEST_PANICKED	2	/* the kernel died in the case (gate: ENXIO) */

int	ktest_count(void);
const char *ktest_suite(int idx);
const char *ktest_name(int idx);
/* Run case idx; on failure or panic, msg gets the first message. */
int	ktest_run(int idx, char *msg, unsigned long msglen);
/* Leaked allocations the last rump_shutdown's kmem_fini reported. */
unsigned long ktest_kmem_last_leaks(void);

/* Micro benchmarks inside the kernel (kt_bench.c): ns per operation. */
unsigned long ktest_bench_kmem(unsigned long iters, unsigned long size);

#endif /* _TESTS_KERN_KTEST_HOST_H_ */
