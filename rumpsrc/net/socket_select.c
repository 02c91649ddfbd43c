/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket_select.c: select(2) (NetBSD __select50, number 417) and its
 * public wrapper rump_sys_select, built on the same machinery as poll
 * (socket_syscalls.c): each descriptor's fo_poll, and the socket layer's
 * poll generation to sleep until some socket changes state.
 *
 * Sets are arrays of 32-bit words, nd bits long (nd is clamped to the
 * descriptor table size, FD_MAXFILES, as NetBSD clamps it to its table).
 * A set descriptor that is not open fails the call with EBADF; a timeout
 * with tv_sec < 0 or tv_usec outside [0, 1000000) with EINVAL.  Readable
 * means POLLIN/POLLRDNORM, POLLHUP or POLLERR; writable POLLOUT, POLLHUP
 * or POLLERR; exceptional POLLPRI/POLLRDBAND (which no socket reports
 * yet).  Files that are not sockets are always ready (their fo_poll says
 * so).  Registered by net_init.c (stage "select"); thread context.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <net/if.h>
#include <rump/rump.h>

#include "net_private.h"

#define SYS___select50	417

#define SYSARG(type, name)	union { register_t pad_; type val; } name
#define SCARG(uap, name)	((uap)->name.val)

#define POLLIN_		0x0001
#define POLLPRI_	0x0002
#define POLLOUT_	0x0004
#define POLLERR_	0x0008
#define POLLHUP_	0x0010
#define POLLRDNORM_	0x0040
#define POLLRDBAND_	0x0080

#define SEL_NFDBITS	32
#define SEL_MAXSEC	(100000000LL)	/* ~3 years: longer means forever */

/* NetBSD's struct timeval from __select50 on. */
struct timeval_k {
	int64_t	tv_sec;
	int32_t	tv_usec;
};

struct sys_select_args {
	SYSARG(int, nd);
	SYSARG(uint32_t *, in);
	SYSARG(uint32_t *, ou);
	SYSARG(uint32_t *, ex);
	SYSARG(struct timeval_k *, tv);
};

enum { SEL_R, SEL_W, SEL_X, SEL_NSETS };

struct sel_state {
	int		ss_nd;
	size_t		ss_bytes;		/* of one set */
	uint32_t	*ss_in[SEL_NSETS];	/* NULL: set not given */
	uint32_t	*ss_out[SEL_NSETS];
};

static const short sel_events[SEL_NSETS] = {
	[SEL_R] = POLLIN_ | POLLRDNORM_,
	[SEL_W] = POLLOUT_,
	[SEL_X] = POLLPRI_ | POLLRDBAND_,
};
static const short sel_ready[SEL_NSETS] = {
	[SEL_R] = POLLIN_ | POLLRDNORM_ | POLLHUP_ | POLLERR_,
	[SEL_W] = POLLOUT_ | POLLHUP_ | POLLERR_,
	[SEL_X] = POLLPRI_ | POLLRDBAND_,
};

static bool
sel_isset(const uint32_t *set, int fd)
{
	return set != NULL &&
	    (set[fd / SEL_NFDBITS] & (1u << (fd % SEL_NFDBITS))) != 0;
}

/* One pass over the descriptors: the number of bits set, or -errno. */
static int
sel_scan(struct sel_state *ss)
{
	struct file *fp;
	int fd, k, n = 0, events, revents;

	for (k = 0; k < SEL_NSETS; k++) {
		if (ss->ss_out[k] != NULL)
			memset(ss->ss_out[k], 0, ss->ss_bytes);
	}
	for (fd = 0; fd < ss->ss_nd; fd++) {
		events = 0;
		for (k = 0; k < SEL_NSETS; k++) {
			if (sel_isset(ss->ss_in[k], fd))
				events |= sel_events[k];
		}
		if (events == 0)
			continue;
		fp = fd_getfile(fd);
		if (fp == NULL)
			return -EBADF;
		revents = fp->f_ops->fo_poll != NULL ?
		    fp->f_ops->fo_poll(fp, events) : events;
		fd_putfile(fp);
		for (k = 0; k < SEL_NSETS; k++) {
			if (sel_isset(ss->ss_in[k], fd) &&
			    (revents & sel_ready[k])) {
				ss->ss_out[k][fd / SEL_NFDBITS] |=
				    1u << (fd % SEL_NFDBITS);
				n++;
			}
		}
	}
	return n;
}

/* Scan, sleeping between scans until something is ready or the
 * deadline (0: none; wait forever unless poll_once) passes. */
static int
sel_wait(struct sel_state *ss, bool poll_once, uint64_t deadline)
{
	uint64_t gen, now;
	int n;

	for (;;) {
		NET_LOCK();
		gen = sopoll_generation();
		NET_UNLOCK();
		n = sel_scan(ss);
		if (n != 0 || poll_once)
			return n;
		NET_LOCK();
		if (deadline == 0) {
			(void)sopoll_wait(gen, 0);
		} else {
			now = getuptime_ns();
			if (now >= deadline) {
				NET_UNLOCK();
				return 0;
			}
			(void)sopoll_wait(gen, deadline - now);
		}
		NET_UNLOCK();
	}
}

static int
sys_select(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_select_args *uap = v;
	uint32_t *const uset[SEL_NSETS] = {
		SCARG(uap, in), SCARG(uap, ou), SCARG(uap, ex)
	};
	struct sel_state ss;
	struct timeval_k tv;
	uint64_t deadline = 0;
	bool poll_once = false;
	int k, n, error = 0;

	if (SCARG(uap, nd) < 0)
		return EINVAL;
	if (SCARG(uap, tv) != NULL) {
		error = copyin(SCARG(uap, tv), &tv, sizeof(tv));
		if (error != 0)
			return error;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return EINVAL;
		if (tv.tv_sec == 0 && tv.tv_usec == 0)
			poll_once = true;
		else if (tv.tv_sec < SEL_MAXSEC)
			deadline = getuptime_ns() +
			    (uint64_t)tv.tv_sec * NSEC_PER_SEC +
			    (uint64_t)tv.tv_usec * NSEC_PER_USEC;
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_nd = MIN(SCARG(uap, nd), FD_MAXFILES);
	ss.ss_bytes = (size_t)((ss.ss_nd + SEL_NFDBITS - 1) / SEL_NFDBITS) *
	    sizeof(uint32_t);
	for (k = 0; k < SEL_NSETS && ss.ss_bytes > 0; k++) {
		if (uset[k] == NULL)
			continue;
		ss.ss_in[k] = kmem_alloc(ss.ss_bytes, KM_SLEEP);
		ss.ss_out[k] = kmem_alloc(ss.ss_bytes, KM_SLEEP);
		error = copyin(uset[k], ss.ss_in[k], ss.ss_bytes);
		if (error != 0)
			goto out_free;
	}
	n = sel_wait(&ss, poll_once, deadline);
	if (n < 0) {
		error = -n;
		goto out_free;
	}
	for (k = 0; k < SEL_NSETS && error == 0; k++) {
		if (ss.ss_out[k] != NULL)
			error = copyout(ss.ss_out[k], uset[k], ss.ss_bytes);
	}
	if (error == 0)
		retval[0] = n;
out_free:
	for (k = 0; k < SEL_NSETS; k++) {
		if (ss.ss_in[k] != NULL)
			kmem_free(ss.ss_in[k], ss.ss_bytes);
		if (ss.ss_out[k] != NULL)
			kmem_free(ss.ss_out[k], ss.ss_bytes);
	}
	return error;
}

static const struct rump_sysent socket_select_sysents[] = {
	{ .se_num = SYS___select50, .se_call = sys_select,
	  .se_name = "__select50" },
};

int
socket_select_init(void)
{
	return syscall_establish(socket_select_sysents,
	    __arraycount(socket_select_sysents));
}

void
socket_select_fini(void)
{
	syscall_disestablish(socket_select_sysents,
	    __arraycount(socket_select_sysents));
}

/* ---- public wrapper ----------------------------------------------------- */

int
rump_sys_select(int nd, rump_fd_set *in, rump_fd_set *ou, rump_fd_set *ex,
    struct rump_timeval *tv)
{
	struct sys_select_args a;

	memset(&a, 0, sizeof(a));
	SCARG(&a, nd) = nd;
	SCARG(&a, in) = (uint32_t *)in;
	SCARG(&a, ou) = (uint32_t *)ou;
	SCARG(&a, ex) = (uint32_t *)ex;
	SCARG(&a, tv) = (struct timeval_k *)tv;
	return (int)rsys_call(sys_select, &a);
}
