/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/kmem.h: the kernel memory allocator (kern/kern_kmem.c).
 *
 * Size classes of power-of-two sized objects carved from page-sized
 * chunks of hypervisor memory, with a per-CPU magazine of free objects per
 * class so that the common path takes no lock.  Sizes above the largest
 * class go straight to rumpuser_malloc.  The caller passes the size back to
 * kmem_free, as in NetBSD.  Allocations are aligned to the smallest power
 * of two >= size, capped at the page size (so an 8-byte object is 8-byte
 * aligned and a 4 KiB object is page aligned).
 *
 * Callable from any thread that holds a rump CPU.  KM_SLEEP never fails
 * (it waits and retries; if memory never comes back, it panics, which
 * stops only the rump kernel); KM_NOSLEEP may return NULL.
 */
#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

#define KM_SLEEP	0x01
#define KM_NOSLEEP	0x02

void	*kmem_alloc(size_t size, int flags);
void	*kmem_zalloc(size_t size, int flags);
void	kmem_free(void *p, size_t size);
char	*kmem_strdup(const char *s, int flags);
void	kmem_strfree(char *s);

/* Page-granular memory aligned to at least its size's power of two. */
void	*kmem_page_alloc(size_t npages, int flags);
void	kmem_page_free(void *p, size_t npages);

struct kmem_stats {
	uint64_t	ks_inuse_bytes;	/* handed out to callers, rounded */
	uint64_t	ks_allocs;	/* live allocations */
	uint64_t	ks_host_bytes;	/* obtained from the hypervisor */
};
void	kmem_getstats(struct kmem_stats *);

/* Boot and shutdown (kern/init_main.c); fini reports leaks, returns count. */
int	kmem_init(void);
size_t	kmem_fini(void);

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#endif /* _SYS_KMEM_H_ */
