/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/uio.h: scatter/gather descriptors for data moved between a caller's
 * buffers and the kernel (vfs/vfs_uio.c).
 *
 * A uio describes what is left to move: uio_resid bytes at uio_offset, in
 * uio_iov[0..uio_iovcnt).  uiomove() copies between a kernel buffer and
 * the uio in the direction uio_rw and advances it.  UIO_USERSPACE buffers
 * belong to the API caller and are reached with copyin/copyout (which
 * reject NULL, low-page and wrapping addresses with EFAULT); UIO_SYSSPACE
 * buffers are the kernel's own.
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };

struct iovec {
	void	*iov_base;
	size_t	iov_len;
};

struct uio {
	struct iovec	*uio_iov;
	int		uio_iovcnt;
	off_t		uio_offset;
	size_t		uio_resid;
	enum uio_rw	uio_rw;
	enum uio_seg	uio_segflg;
};

#define IOV_MAX		1024

int	uiomove(void *kbuf, size_t n, struct uio *uio);
int	uiomove_zero(size_t n, struct uio *uio);	/* reads: zeros */

/* The caller's memory (vfs/vfs_uio.c). */
int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);
/* Copy a NUL-terminated string of at most len bytes (incl. NUL);
 * ENAMETOOLONG if it does not fit; *done = bytes copied incl. NUL. */
int	copyinstr(const void *uaddr, char *kaddr, size_t len, size_t *done);
int	copyoutstr(const char *kaddr, void *uaddr, size_t len, size_t *done);

#endif /* _SYS_UIO_H_ */
