/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_errno.h: host errno -> rump kernel (NetBSD) errno, for hypervisors.
 *
 * Both hypervisors include this after their host's errno definitions
 * (<linux/errno.h> in the kernel, <errno.h> in userspace).  The host names
 * are symbolic on both sides, so the same switch serves both; the numbers
 * on the right are the rump kernel's and are fixed by the v17 contract.
 * Errors are translated here, once; nothing inside the rump kernel sees a
 * host errno.  An unknown host error becomes EIO, never a raw host number.
 */
#ifndef _RUMP_HYP_ERRNO_H_
#define _RUMP_HYP_ERRNO_H_

/* The rump kernel's numbers for the errors hypervisors report themselves. */
#define RUMP_EPERM		1
#define RUMP_ENOENT		2
#define RUMP_EINTR		4
#define RUMP_EIO		5
#define RUMP_ENXIO		6
#define RUMP_E2BIG		7
#define RUMP_EBADF		9
#define RUMP_ENOMEM		12
#define RUMP_EACCES		13
#define RUMP_EFAULT		14
#define RUMP_EBUSY		16
#define RUMP_EEXIST		17
#define RUMP_ENODEV		19
#define RUMP_ENOTDIR		20
#define RUMP_EISDIR		21
#define RUMP_EINVAL		22
#define RUMP_ENFILE		23
#define RUMP_EMFILE		24
#define RUMP_ENOSPC		28
#define RUMP_ESPIPE		29
#define RUMP_EROFS		30
#define RUMP_EAGAIN		35
#define RUMP_EMSGSIZE		40
#define RUMP_EOPNOTSUPP		45
#define RUMP_ENOBUFS		55
#define RUMP_ESHUTDOWN		58
#define RUMP_ETIMEDOUT		60
#define RUMP_ENAMETOOLONG	63
#define RUMP_ENOSYS		78

static inline int
hyp_errno_to_rump(int e)
{
	if (e < 0)
		e = -e;
	switch (e) {
	case 0:			return 0;
	case EPERM:		return 1;
	case ENOENT:		return 2;
	case ESRCH:		return 3;
	case EINTR:		return 4;
	case EIO:		return 5;
	case ENXIO:		return 6;
	case E2BIG:		return 7;
	case ENOEXEC:		return 8;
	case EBADF:		return 9;
	case ECHILD:		return 10;
	case EDEADLK:		return 11;
	case ENOMEM:		return 12;
	case EACCES:		return 13;
	case EFAULT:		return 14;
	case ENOTBLK:		return 15;
	case EBUSY:		return 16;
	case EEXIST:		return 17;
	case EXDEV:		return 18;
	case ENODEV:		return 19;
	case ENOTDIR:		return 20;
	case EISDIR:		return 21;
	case EINVAL:		return 22;
	case ENFILE:		return 23;
	case EMFILE:		return 24;
	case ENOTTY:		return 25;
	case ETXTBSY:		return 26;
	case EFBIG:		return 27;
	case ENOSPC:		return 28;
	case ESPIPE:		return 29;
	case EROFS:		return 30;
	case EMLINK:		return 31;
	case EPIPE:		return 32;
	case EDOM:		return 33;
	case ERANGE:		return 34;
	case EAGAIN:		return 35;
	case EINPROGRESS:	return 36;
	case EALREADY:		return 37;
	case ENOTSOCK:		return 38;
	case EDESTADDRREQ:	return 39;
	case EMSGSIZE:		return 40;
	case EPROTOTYPE:	return 41;
	case ENOPROTOOPT:	return 42;
	case EPROTONOSUPPORT:	return 43;
	case ESOCKTNOSUPPORT:	return 44;
	case EOPNOTSUPP:	return 45;
	case EPFNOSUPPORT:	return 46;
	case EAFNOSUPPORT:	return 47;
	case EADDRINUSE:	return 48;
	case EADDRNOTAVAIL:	return 49;
	case ENETDOWN:		return 50;
	case ENETUNREACH:	return 51;
	case ENETRESET:		return 52;
	case ECONNABORTED:	return 53;
	case ECONNRESET:	return 54;
	case ENOBUFS:		return 55;
	case EISCONN:		return 56;
	case ENOTCONN:		return 57;
	case ESHUTDOWN:		return 58;
	case ETOOMANYREFS:	return 59;
	case ETIMEDOUT:		return 60;
	case ECONNREFUSED:	return 61;
	case ELOOP:		return 62;
	case ENAMETOOLONG:	return 63;
	case EHOSTDOWN:		return 64;
	case EHOSTUNREACH:	return 65;
	case ENOTEMPTY:		return 66;
	case EUSERS:		return 68;
	case EDQUOT:		return 69;
	case ESTALE:		return 70;
	case EREMOTE:		return 71;
	case ENOLCK:		return 77;
	case ENOSYS:		return 78;
	case EOVERFLOW:		return 84;
	case EILSEQ:		return 85;
	case ECANCELED:		return 87;
	case EBADMSG:		return 88;
	case ENODATA:		return 89;
	case ENOSR:		return 90;
	case ENOSTR:		return 91;
	case ETIME:		return 92;
	case EMULTIHOP:		return 94;
	case ENOLINK:		return 95;
	case EPROTO:		return 96;
	default:		return RUMP_EIO;
	}
}

#endif /* _RUMP_HYP_ERRNO_H_ */
