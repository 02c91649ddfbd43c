/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mem.c: memory hypercalls of the POSIX hypervisor.
 *
 * rumpuser_malloc/free serve the rump kernel's allocators from the C heap,
 * honouring the requested alignment exactly; rumpuser_anonmmap/unmap give
 * page-granular anonymous (optionally executable) mappings, used by module
 * loaders.  Every live block and mapping is counted for leak reports.
 * None of these block in a way that needs the CPU context released.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hyp.h"

int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	size_t align = (size_t)alignment;
	void *mem;
	int rv;

	if (alignment < 0 || (align & (align - 1)) != 0)
		return RUMP_EINVAL;
	/* A zero-length request still gets a unique, freeable block. */
	if (len == 0)
		len = 1;
	if (align <= alignof(max_align_t)) {
		mem = malloc(len);
		if (mem == NULL)
			return RUMP_ENOMEM;
	} else {
		rv = posix_memalign(&mem, align, len);
		if (rv != 0)
			return hyp_errno_to_rump(rv);
	}
	HYP_COUNT_ADD(hc_allocs, 1);
	HYP_COUNT_ADD(hc_bytes, (long)len);
	*memp = mem;
	return 0;
}

/* Precondition: len is the length given to rumpuser_malloc for mem. */
void
rumpuser_free(void *mem, size_t len)
{
	if (mem == NULL)
		return;
	if (len == 0)
		len = 1;
	free(mem);
	HYP_COUNT_SUB(hc_allocs, 1);
	HYP_COUNT_SUB(hc_bytes, (long)len);
}

/*
 * Map `size` bytes (rounded up to pages) of anonymous memory near
 * `prefaddr`, aligned to 1 << alignbit.  Larger-than-page alignment is had
 * by mapping alignment - page bytes more and trimming both ends.
 */
int
rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
    void **memp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t align, extra, head, tail;
	int prot = PROT_READ | PROT_WRITE;
	uintptr_t base, aligned;
	void *mem;
	int rv;

	if (size == 0 || alignbit < 0 || alignbit >= 48)
		return RUMP_EINVAL;
	size = (size + page - 1) & ~(page - 1);
	align = (size_t)1 << alignbit;
	extra = align > page ? align - page : 0;
	if (exec)
		prot |= PROT_EXEC;

	mem = mmap(prefaddr, size + extra, prot, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (mem == MAP_FAILED)
		return hyp_errno_to_rump(errno);

	base = (uintptr_t)mem;
	aligned = extra ? (base + align - 1) & ~(uintptr_t)(align - 1) : base;
	head = aligned - base;
	tail = extra - head;
	/* Trimming a page-aligned part of our own mapping does not fail
	 * short of a host bug; if it does, give everything back. */
	if (head != 0 && munmap(mem, head) != 0)
		goto err_unmap_whole;
	if (tail != 0 && munmap((void *)(aligned + size), tail) != 0)
		goto err_unmap_trimmed;

	HYP_COUNT_ADD(hc_maps, 1);
	HYP_COUNT_ADD(hc_map_bytes, (long)size);
	*memp = (void *)aligned;
	return 0;

err_unmap_trimmed:
	base = aligned;
	extra = tail;
err_unmap_whole:
	rv = hyp_errno_to_rump(errno);
	if (munmap((void *)base, size + extra) != 0)
		rumpuser_dprintf("rumpuser (posix): anonmmap: cannot undo "
		    "mapping at %p\n", (void *)base);
	return rv;
}

/* Precondition: addr and len describe a region from rumpuser_anonmmap. */
void
rumpuser_unmap(void *addr, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	len = (len + page - 1) & ~(page - 1);
	if (munmap(addr, len) != 0) {
		rumpuser_dprintf("rumpuser (posix): munmap(%p, %zu): "
		    "errno %d\n", addr, len, errno);
		return;
	}
	HYP_COUNT_SUB(hc_maps, 1);
	HYP_COUNT_SUB(hc_map_bytes, (long)len);
}
