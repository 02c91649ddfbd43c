/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_clean.h: the one "shut down and prove nothing is left" check of
 * the hosted test programs (tests/kern/host_*.c), in host_clean.c.
 */
#ifndef _TESTS_KERN_HOST_CLEAN_H_
#define _TESTS_KERN_HOST_CLEAN_H_

#include <stddef.h>

/*
 * rump_shutdown() and rumphyp_fini(), then require: shutdown returned 0,
 * the kernel's kmem reported no leak, and every live-object counter of
 * the POSIX hypervisor (allocations, bytes, threads, locks, mappings,
 * open files, bios in flight) drops to zero within a second (threads
 * finish exiting after the join).  0, or -1 with the reason in msg.
 */
int	host_shutdown_clean(char *msg, size_t msglen);

#endif /* _TESTS_KERN_HOST_CLEAN_H_ */
