/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump/rumpdefs.h: constants and structures of the public API, with
 * NetBSD's values and layouts, under RUMP_ names so that they never clash
 * with a host's own.  Includes nothing.
 */
#ifndef _RUMP_RUMPDEFS_H_
#define _RUMP_RUMPDEFS_H_

/* rump_pub_lwproc_rfork flags */
#define RUMP_RFFDG		0x0004	/* copy the caller's descriptors */
#define RUMP_RFCFDG		0x1000	/* start with no descriptors */

/* clock ids */
#define RUMP_CLOCK_REALTIME	0
#define RUMP_CLOCK_MONOTONIC	3

struct rump_timespec {
	long long	tv_sec;
	long		tv_nsec;
};

/* errno values (NetBSD numbering) used by the foundation API */
#define RUMP_EPERM		1
#define RUMP_ENOENT		2
#define RUMP_ESRCH		3
#define RUMP_EINTR		4
#define RUMP_EIO		5
#define RUMP_ENXIO		6
#define RUMP_E2BIG		7
#define RUMP_EBADF		9
#define RUMP_ENOMEM		12
#define RUMP_EFAULT		14
#define RUMP_EBUSY		16
#define RUMP_EEXIST		17
#define RUMP_EINVAL		22
#define RUMP_EAGAIN		35
#define RUMP_EOPNOTSUPP		45
#define RUMP_ETIMEDOUT		60
#define RUMP_ENOSYS		78

#endif /* _RUMP_RUMPDEFS_H_ */
