/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_uio.c: moving data between the kernel and an API caller's buffers
 * (sys/uio.h): uiomove and copyin/copyout/copyinstr/copyoutstr.
 *
 * API callers are local: their buffers are host addresses in the same
 * address space, so a copy is a plain memcpy after a sanity check of the
 * address range.  The check catches what a caller can get wrong without
 * crashing the host first: NULL and the low page (addresses below 4096)
 * and ranges that wrap around the end of the address space give EFAULT.
 * An unmapped address elsewhere is not detected (that would need the
 * hypervisor's help); the host faults as the caller's own code would.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/uio.h>

#define UIO_LOWADDR	4096UL

/* EFAULT unless [uaddr, uaddr + len) is a plausible caller range. */
static int
uio_checkrange(const void *uaddr, size_t len)
{
	uintptr_t a = (uintptr_t)uaddr;

	if (a < UIO_LOWADDR)
		return EFAULT;
	if (len > 0 && a + len - 1 < a)
		return EFAULT;
	return 0;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	int error;

	if (len == 0)
		return 0;
	error = uio_checkrange(uaddr, len);
	if (error != 0)
		return error;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	int error;

	if (len == 0)
		return 0;
	error = uio_checkrange(uaddr, len);
	if (error != 0)
		return error;
	memcpy(uaddr, kaddr, len);
	return 0;
}

/*
 * Copy a NUL-terminated string, at most len bytes including the NUL.
 * The range is checked byte by byte as it is read, so a short string
 * near the end of the address space is fine.
 */
int
copyinstr(const void *uaddr, char *kaddr, size_t len, size_t *done)
{
	const char *src = uaddr;
	size_t i;

	if ((uintptr_t)uaddr < UIO_LOWADDR)
		return EFAULT;
	for (i = 0; i < len; i++) {
		if ((uintptr_t)(src + i) < (uintptr_t)src)
			return EFAULT;
		kaddr[i] = src[i];
		if (kaddr[i] == '\0') {
			if (done != NULL)
				*done = i + 1;
			return 0;
		}
	}
	if (done != NULL)
		*done = len;
	return ENAMETOOLONG;
}

int
copyoutstr(const char *kaddr, void *uaddr, size_t len, size_t *done)
{
	size_t n;
	int error;

	n = strnlen(kaddr, len);
	if (n == len) {
		/* Does not fit with its NUL: copy what fits. */
		error = copyout(kaddr, uaddr, len);
		if (error != 0)
			return error;
		if (done != NULL)
			*done = len;
		return ENAMETOOLONG;
	}
	error = copyout(kaddr, uaddr, n + 1);
	if (error != 0)
		return error;
	if (done != NULL)
		*done = n + 1;
	return 0;
}

/*
 * Move up to n bytes between kbuf and the uio, in the direction uio_rw
 * (UIO_READ: kernel to caller), advancing the uio.  Stops early when the
 * uio is exhausted.  EFAULT for a bad caller buffer (the uio then shows
 * how far it got).
 */
int
uiomove(void *kbuf, size_t n, struct uio *uio)
{
	char *cp = kbuf;
	struct iovec *iov;
	size_t cnt;
	int error;

	KASSERT(uio->uio_rw == UIO_READ || uio->uio_rw == UIO_WRITE);
	while (n > 0 && uio->uio_resid > 0) {
		KASSERT(uio->uio_iovcnt > 0);
		iov = uio->uio_iov;
		cnt = MIN(iov->iov_len, n);
		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_segflg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, cp, cnt);
			else
				memcpy(cp, iov->iov_base, cnt);
		} else {
			/*
			 * The whole rest of the caller's buffer must be
			 * plausible, not only the part this call moves: a
			 * short read into a buffer that wraps the address
			 * space is still a bad buffer.
			 */
			error = uio_checkrange(iov->iov_base, iov->iov_len);
			if (error != 0)
				return error;
			if (uio->uio_rw == UIO_READ)
				error = copyout(cp, iov->iov_base, cnt);
			else
				error = copyin(iov->iov_base, cp, cnt);
			if (error != 0)
				return error;
		}
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		cp += cnt;
		n -= cnt;
	}
	return 0;
}

/* Reads only: give the caller n bytes of zeros (holes). */
int
uiomove_zero(size_t n, struct uio *uio)
{
	static const char zeros[256];
	size_t cnt;
	int error;

	KASSERT(uio->uio_rw == UIO_READ);
	while (n > 0 && uio->uio_resid > 0) {
		cnt = MIN(n, sizeof(zeros));
		error = uiomove((void *)(uintptr_t)zeros, cnt, uio);
		if (error != 0)
			return error;
		n -= cnt;
	}
	return 0;
}
