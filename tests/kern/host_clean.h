/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_clean.h: the one "shut down and prove nothing is left" check of
 * the hosted test programs (tests/kern/host_*.c), and the one runner of
 * a table of cases each on a fresh kernel, in host_clean.c.
 */
#ifndef _TESTS_KERN_HOST_CLEAN_H_
#define _TESTS_KERN_HOST_CLEAN_H_

#include <stddef.h>

/*
 * After rump_shutdown() and rumphyp_fini(): the kernel's kmem reported
 * no leak, and every live-object counter of the POSIX hypervisor
 * (allocations, bytes, threads, locks, mappings, open files, bios in
 * flight, virtual interfaces) drops to zero within a second (threads
 * finish exiting after the join).  0, or -1 with the reason in msg.
 */
int	host_check_clean(char *msg, size_t msglen);

/*
 * rump_shutdown() and rumphyp_fini(), then require that shutdown
 * returned 0 and host_check_clean().  0, or -1 with the reason in msg.
 */
int	host_shutdown_clean(char *msg, size_t msglen);

/* One case of a hosted suite: fn runs on a freshly booted kernel. */
struct host_case {
	const char	*name;
	void		(*fn)(void);
};

/*
 * main() of a suite: runs each case of cases[0..ncases) (only the one
 * named argv[1], if given) on a fresh kernel: rump_init, fn, then
 * host_shutdown_clean.  The suite's own checks record a failure by
 * setting *failed and writing msg (msglen bytes); the runner clears both
 * before each case.  One line per case, `PASS: <suite>.<case>` or
 * `FAIL: <suite>.<case>: <why>`.  Returns main's exit status.
 */
int	host_run_cases(const char *suite, const struct host_case *cases,
	    size_t ncases, volatile int *failed, char *msg, size_t msglen,
	    int argc, char **argv);

#endif /* _TESTS_KERN_HOST_CLEAN_H_ */
