/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyptest.h: what the files of tests/hyp share: failure reporting, the
 * rump kernel's errno values the cases expect, time helpers, and workers
 * (rump-kernel-like threads on a fake CPU with their own fake lwp).
 * Helpers are defined in test_posix_hyp.c.
 */
#ifndef _TESTS_HYP_HYPTEST_H_
#define _TESTS_HYP_HYPTEST_H_

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <rump/rumpuser.h>
#include "rumphyp_posix.h"
#include "fakecpu.h"

#define R_ENOENT	2
#define R_E2BIG		7
#define R_EBUSY		16
#define R_EEXIST	17
#define R_EINVAL	22
#define R_EOPNOTSUPP	45
#define R_ETIMEDOUT	60

#define MS		1000000L	/* nanoseconds */
#define NWORKERS_MAX	8

extern char test_failure[256];

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			snprintf(test_failure, sizeof(test_failure),	\
			    "%s:%d: %s", __FILE__, __LINE__, #cond);	\
			return -1;					\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long a_ = (long long)(a), b_ = (long long)(b);	\
		if (a_ != b_) {						\
			snprintf(test_failure, sizeof(test_failure),	\
			    "%s:%d: %s == %lld, expected %lld",		\
			    __FILE__, __LINE__, #a, a_, b_);		\
			return -1;					\
		}							\
	} while (0)

/* Load/store of ints shared with workers outside any hypervisor lock. */
#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* Fake lwps: only their addresses matter.  Lwp 0 is the main thread's. */
extern char fake_lwps[NWORKERS_MAX + 2];
#define LWP(i)		((struct lwp *)&fake_lwps[(i)])

/* Monotonic time in ns; a wrapped sleep (the fake CPU is free meanwhile). */
int64_t now_ns(void);
void nap(long ns);

/* Poll `cond` every millisecond for up to 10 s. */
#define WAIT_FOR(cond)							\
	do {								\
		int w_;							\
		for (w_ = 0; w_ < 10000 && !(cond); w_++)		\
			nap(1 * MS);					\
		CHECK(cond);						\
	} while (0)

/* A rump-kernel-like thread: holds a fake CPU and lwp w_idx + 1 around fn. */
struct worker {
	void (*w_fn)(struct worker *);
	void *w_arg;
	int w_idx;
	void *w_cookie;
	long w_result;		/* for fn to report */
	long w_result2;
};

int spawn(struct worker *w, int n, void (*fn)(struct worker *), void *arg);
int join(struct worker *w, int n);

/* Cases in test_posix_hyp_io.c. */
int t_file_io_roundtrip(void);
int t_bio_async_completion(void);
int t_getrandom_fills(void);
int t_console_lines_not_interleaved(void);
int t_kill_maps_signals(void);
int t_exit_panic_aborts(void);
int t_daemonize_reports_status(void);
int t_sp_unsupported(void);

#endif /* _TESTS_HYP_HYPTEST_H_ */
