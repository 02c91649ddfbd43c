/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump/rump.h: the public API of the rump kernel.
 *
 * This header is included by code outside the rump kernel: Linux kernel
 * modules (demos, bridges) and userspace programs.  It includes nothing,
 * uses only C's own types and rump_-prefixed names, so it can sit beside
 * either host's headers without clashing.  Numbers (errno values, flags)
 * follow the NetBSD conventions of rump kernels; see rump/rumpdefs.h.
 *
 * Calls return 0 or an errno (rump_pub_*, rump_init), or, for the
 * rump_sys_* system calls, the result or -1 with the errno handed to the
 * host through rumpuser_seterrno().  A rump kernel that has panicked
 * answers every call with ENXIO (6).
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <rump/rumpdefs.h>

struct lwp;

/* Bootstrap and shutdown.  rump_shutdown stops every thread and frees
 * every byte; rump_init may then be called again. */
int	rump_init(void);
int	rump_shutdown(void);

/*
 * Process contexts.  rfork creates a new process (a child of the caller's)
 * with one lwp and binds it to the calling host thread; newlwp adds an lwp
 * to process pid and binds it; switch binds an existing lwp (NULL unbinds);
 * releaselwp ends the bound lwp (and its process with its last lwp);
 * curlwp returns the bound lwp or NULL.
 */
int	rump_pub_lwproc_rfork(int flags);
int	rump_pub_lwproc_newlwp(int pid);
void	rump_pub_lwproc_switch(struct lwp *l);
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * A kernel thread inside the rump kernel running fn(arg); joinable with
 * rump_pub_kthread_join, which returns once fn has returned.
 */
int	rump_pub_kthread_create(void (*fn)(void *), void *arg,
	    const char *name, struct lwp **lp);
int	rump_pub_kthread_join(struct lwp *l);

/*
 * Test-only: make the rump kernel panic, in the calling thread (0) or on a
 * rump kernel thread (1).  The host survives; the rump kernel stops and
 * every later call answers ENXIO.  Returns ENXIO.
 */
int	rump_pub_test_panic(int on_kthread);

/*
 * The errno of the calling thread's last failed rump_sys_* call.  It is
 * provided by the host layer, not by the rump kernel: rump.ko's glue
 * keeps it per Linux task; in userspace it is simply errno.
 */
int	rump_errno(void);

/* System calls. */
int	rump_sys_getpid(void);
int	rump_sys_getppid(void);
int	rump_sys_clock_gettime(int clock_id, struct rump_timespec *ts);
int	rump_sys_nanosleep(const struct rump_timespec *req,
	    struct rump_timespec *rem);

#endif /* _RUMP_RUMP_H_ */
