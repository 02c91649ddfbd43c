/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_mem.c: rumpuser_malloc/free and rumpuser_anonmmap/unmap.
 *
 * Three backends, chosen by size and alignment:
 *  - kmalloc, when size and alignment fit the kmalloc caches
 *    (<= KMALLOC_MAX_CACHE_SIZE, alignment <= PAGE_SIZE).  A power-of-two
 *    kmalloc size is naturally aligned, so an alignment above
 *    ARCH_KMALLOC_MINALIGN rounds the size up to a power of two >= align;
 *  - compound pages, for alignment above PAGE_SIZE (order from
 *    max(len, align): buddy blocks are aligned to their size) and for
 *    mid-sized blocks up to PAGE_ALLOC_COSTLY_ORDER;
 *  - vmalloc, for large blocks that need at most page alignment (also the
 *    fallback when a page-aligned multi-page allocation fails).
 * The result's alignment is checked, never assumed.
 *
 * Every block is tracked in a hash table keyed by address, which records
 * its backend and length.  So frees need only (mem, len) from the caller;
 * live counts are exact; a free of an unknown pointer or with a wrong len
 * is logged instead of corrupting memory; and hyp_mem_fini() can free
 * whatever a panicked rump kernel left behind.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <linux/hash.h>
#include <linux/spinlock.h>
#include <linux/list.h>

#include "hyp.h"

#define HYP_MEM_HASH_BITS	12
#define HYP_MEM_NBUCKETS	(1U << HYP_MEM_HASH_BITS)
#define HYP_MEM_NLOCKS		64
#define HYP_MEM_GFP		(GFP_KERNEL | __GFP_NOWARN)

enum hyp_mem_kind {
	HYP_MEM_KMALLOC,
	HYP_MEM_PAGES,
	HYP_MEM_VMALLOC,
};

struct hyp_alloc {
	struct hlist_node	ha_node;
	unsigned long		ha_addr;
	size_t			ha_len;		/* as requested */
	unsigned char		ha_kind;	/* enum hyp_mem_kind */
	unsigned char		ha_order;	/* HYP_MEM_PAGES */
	bool			ha_anon;	/* anonmmap, not malloc */
};

static struct hlist_head hyp_mem_hash[HYP_MEM_NBUCKETS];
static spinlock_t hyp_mem_locks[HYP_MEM_NLOCKS];
static struct kmem_cache *hyp_mem_cache;
static atomic_long_t hyp_mem_nallocs = ATOMIC_LONG_INIT(0);
static atomic_long_t hyp_mem_nbytes = ATOMIC_LONG_INIT(0);

static unsigned int
hyp_mem_bucket(unsigned long addr)
{
	return hash_long(addr, HYP_MEM_HASH_BITS);
}

static spinlock_t *
hyp_mem_lock(unsigned int bkt)
{
	return &hyp_mem_locks[bkt % HYP_MEM_NLOCKS];
}

int
hyp_mem_init(void)
{
	unsigned int i;

	for (i = 0; i < HYP_MEM_NLOCKS; i++)
		spin_lock_init(&hyp_mem_locks[i]);
	for (i = 0; i < HYP_MEM_NBUCKETS; i++)
		INIT_HLIST_HEAD(&hyp_mem_hash[i]);
	hyp_mem_cache = KMEM_CACHE(hyp_alloc, 0);
	if (hyp_mem_cache == NULL)
		return RUMP_ENOMEM;
	return 0;
}

void
hyp_mem_counts(unsigned long *nallocs, unsigned long *nbytes)
{
	*nallocs = atomic_long_read(&hyp_mem_nallocs);
	*nbytes = atomic_long_read(&hyp_mem_nbytes);
}

/* Release a block to its backend. */
static void
hyp_mem_release(struct hyp_alloc *ha)
{
	void *p = (void *)ha->ha_addr;

	switch (ha->ha_kind) {
	case HYP_MEM_KMALLOC:
		kfree(p);
		break;
	case HYP_MEM_PAGES:
		__free_pages(virt_to_page(p), ha->ha_order);
		break;
	case HYP_MEM_VMALLOC:
		vfree(p);
		break;
	}
}

/*
 * hyp_mem_get: allocate len bytes aligned to align (a power of two),
 * zeroed if asked.  Process context, may sleep.  Fills in ha.
 */
static void *
hyp_mem_get(size_t len, size_t align, bool zero, struct hyp_alloc *ha)
{
	gfp_t gfp = HYP_MEM_GFP | (zero ? __GFP_ZERO : 0);
	struct page *pg;
	size_t want;
	unsigned int order;
	void *p;

	if (len == 0)
		len = 1;
	want = max(len, align);

	if (align <= PAGE_SIZE && want <= KMALLOC_MAX_CACHE_SIZE) {
		size_t sz = len;

		if (align > ARCH_KMALLOC_MINALIGN)
			sz = roundup_pow_of_two(want);
		p = kmalloc(sz, gfp);
		if (p != NULL && IS_ALIGNED((unsigned long)p, align)) {
			ha->ha_kind = HYP_MEM_KMALLOC;
			return p;
		}
		if (p != NULL) {
			hyp_warn("kmalloc(%zu) gave %px, not %zu-aligned; "
			    "using pages", sz, p, align);
			kfree(p);
		}
	}

	if (align <= PAGE_SIZE && get_order(want) > PAGE_ALLOC_COSTLY_ORDER)
		goto try_vmalloc;

	order = get_order(want);
	if (order >= MAX_ORDER)
		return NULL;
	pg = alloc_pages(gfp | __GFP_COMP, order);
	if (pg != NULL) {
		p = page_address(pg);
		if (IS_ALIGNED((unsigned long)p, align)) {
			ha->ha_kind = HYP_MEM_PAGES;
			ha->ha_order = order;
			return p;
		}
		hyp_warn("order-%u pages at %px not %zu-aligned", order, p,
		    align);
		__free_pages(pg, order);
	}
	if (align > PAGE_SIZE)
		return NULL;

try_vmalloc:
	p = __vmalloc(len, gfp);
	if (p == NULL)
		return NULL;
	ha->ha_kind = HYP_MEM_VMALLOC;
	return p;
}

/* Allocate and track.  Returns a rump errno. */
static int
hyp_mem_alloc(size_t len, size_t align, bool zero, bool anon, void **memp)
{
	struct hyp_alloc *ha;
	unsigned int bkt;
	void *p;

	ha = kmem_cache_zalloc(hyp_mem_cache, HYP_MEM_GFP);
	if (ha == NULL)
		return RUMP_ENOMEM;
	p = hyp_mem_get(len, align, zero, ha);
	if (p == NULL) {
		kmem_cache_free(hyp_mem_cache, ha);
		return RUMP_ENOMEM;
	}
	ha->ha_addr = (unsigned long)p;
	ha->ha_len = len;
	ha->ha_anon = anon;

	bkt = hyp_mem_bucket(ha->ha_addr);
	spin_lock(hyp_mem_lock(bkt));
	hlist_add_head(&ha->ha_node, &hyp_mem_hash[bkt]);
	spin_unlock(hyp_mem_lock(bkt));
	atomic_long_inc(&hyp_mem_nallocs);
	atomic_long_add(len, &hyp_mem_nbytes);
	*memp = p;
	return 0;
}

/* Untrack and free.  A pointer we did not hand out is only logged. */
static void
hyp_mem_free(void *mem, size_t len, bool anon)
{
	unsigned long addr = (unsigned long)mem;
	unsigned int bkt = hyp_mem_bucket(addr);
	struct hyp_alloc *ha, *found = NULL;

	if (mem == NULL)
		return;
	spin_lock(hyp_mem_lock(bkt));
	hlist_for_each_entry(ha, &hyp_mem_hash[bkt], ha_node) {
		if (ha->ha_addr == addr) {
			hlist_del(&ha->ha_node);
			found = ha;
			break;
		}
	}
	spin_unlock(hyp_mem_lock(bkt));

	if (found == NULL) {
		pr_err_ratelimited("rump: %s of unknown pointer %px (len %zu) "
		    "ignored\n", anon ? "unmap" : "free", mem, len);
		return;
	}
	if (found->ha_len != len || found->ha_anon != anon)
		pr_err_ratelimited("rump: %s of %px with len %zu, allocated "
		    "by %s with len %zu\n", anon ? "unmap" : "free", mem, len,
		    found->ha_anon ? "anonmmap" : "malloc", found->ha_len);
	atomic_long_dec(&hyp_mem_nallocs);
	atomic_long_sub(found->ha_len, &hyp_mem_nbytes);
	hyp_mem_release(found);
	kmem_cache_free(hyp_mem_cache, found);
}

int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	if (hyp_is_stopped())
		return RUMP_ENXIO;
	if (alignment < 0 || (alignment & (alignment - 1)) != 0)
		return RUMP_EINVAL;
	return hyp_mem_alloc(len, alignment ? alignment : 1, false, false,
	    memp);
}

void
rumpuser_free(void *mem, size_t len)
{
	hyp_mem_free(mem, len, false);
}

/*
 * rumpuser_anonmmap: zeroed page memory aligned to 1 << alignbit (at least
 * a page).  prefaddr is a hint and is not honoured: kernel memory is not
 * placed by address.  Executable memory is refused: a module has no
 * business making kernel memory executable (EOPNOTSUPP).
 */
int
rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
    void **memp)
{
	size_t align = PAGE_SIZE;

	if (hyp_is_stopped())
		return RUMP_ENXIO;
	if (exec)
		return RUMP_EOPNOTSUPP;
	if (size == 0 || alignbit < 0 || alignbit >= BITS_PER_LONG - 1)
		return RUMP_EINVAL;
	if (alignbit > 0 && (1UL << alignbit) > align)
		align = 1UL << alignbit;
	if (PAGE_ALIGN(size) < size)
		return RUMP_ENOMEM;
	return hyp_mem_alloc(PAGE_ALIGN(size), align, true, true, memp);
}

void
rumpuser_unmap(void *addr, size_t len)
{
	hyp_mem_free(addr, PAGE_ALIGN(len), true);
}

/*
 * hyp_mem_fini: free every block still tracked and say how much that was.
 * No rump code runs any more.
 */
void
hyp_mem_fini(unsigned long *nreclaimed, unsigned long *breclaimed)
{
	struct hyp_alloc *ha;
	struct hlist_node *tmp;
	unsigned long n = 0, b = 0;
	unsigned int bkt;
	HLIST_HEAD(gone);

	for (bkt = 0; bkt < HYP_MEM_NBUCKETS; bkt++) {
		spin_lock(hyp_mem_lock(bkt));
		hlist_move_list(&hyp_mem_hash[bkt], &gone);
		spin_unlock(hyp_mem_lock(bkt));

		/* vfree may sleep: release outside the bucket lock. */
		hlist_for_each_entry_safe(ha, tmp, &gone, ha_node) {
			hlist_del(&ha->ha_node);
			n++;
			b += ha->ha_len;
			atomic_long_dec(&hyp_mem_nallocs);
			atomic_long_sub(ha->ha_len, &hyp_mem_nbytes);
			hyp_mem_release(ha);
			kmem_cache_free(hyp_mem_cache, ha);
		}
		cond_resched();
	}
	kmem_cache_destroy(hyp_mem_cache);
	hyp_mem_cache = NULL;
	*nreclaimed = n;
	*breclaimed = b;
}
