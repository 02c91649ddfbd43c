/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/filio.h: ioctl(2) command encoding and the generic descriptor
 * commands (NetBSD values).  Used by the ioctl system call
 * (vfs/sys_ioctl.c) and the fileops that implement commands
 * (vfs/vfs_vnops.c, net/socket_file.c).
 *
 * A command carries its argument's size and direction: IOC_IN means the
 * kernel copies the argument in before the call, IOC_OUT that it copies
 * it out after a successful call.  The public names are RUMP_FIO* in
 * rump/rumpdefs.h.
 */
#ifndef _SYS_FILIO_H_
#define _SYS_FILIO_H_

#include <sys/types.h>

#define IOCPARM_MASK	0x1fff
#define IOCPARM_SHIFT	16
#define IOCPARM_LEN(x)	(((x) >> IOCPARM_SHIFT) & IOCPARM_MASK)
#define IOCPARM_MAX	4096	/* largest argument the kernel copies */
#define IOC_VOID	0x20000000UL
#define IOC_OUT		0x40000000UL
#define IOC_IN		0x80000000UL
#define IOC_INOUT	(IOC_IN | IOC_OUT)
#define IOC_DIRMASK	0xe0000000UL

#define _IOC(inout, group, num, len) \
	((u_long)((inout) | (((u_long)(len) & IOCPARM_MASK) << IOCPARM_SHIFT) | \
	    ((u_long)(group) << 8) | (u_long)(num)))
#define _IO(g, n)	_IOC(IOC_VOID, (g), (n), 0)
#define _IOR(g, n, t)	_IOC(IOC_OUT, (g), (n), sizeof(t))
#define _IOW(g, n, t)	_IOC(IOC_IN, (g), (n), sizeof(t))

#define FIOCLEX		_IO('f', 1)		/* set close-on-exec */
#define FIONCLEX	_IO('f', 2)		/* clear close-on-exec */
#define FIONREAD	_IOR('f', 127, int)	/* bytes ready to read */
#define FIONBIO		_IOW('f', 126, int)	/* non-blocking on/off */

#endif /* _SYS_FILIO_H_ */
