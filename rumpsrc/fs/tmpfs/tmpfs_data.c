/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_data.c: the data of tmpfs regular files.
 *
 * A file's bytes live in PAGE_SIZE pages from kmem, found through a radix
 * tree of page-sized blocks of pointers (struct tmpfs_pages, tmpfs.h).
 * Pages that were never written are holes: they read as zeros and take
 * no memory.  Truncation frees the pages past the new end (and zeroes the
 * tail of the last partial page) and the blocks that became empty.
 *
 * Space is charged to the mount before anything changes: a write first
 * counts the pages it must add (plus a bound on new tree blocks) and
 * reserves them, so a full file system fails the write with ENOSPC and
 * the file untouched; what was reserved but not used is given back.
 *
 * Callers: tmpfs_vnops.c (VOP_READ, VOP_WRITE), tmpfs_subr.c (setattr
 * size, freeing a node).  Precondition everywhere: the node's v_lock
 * held (reader for reads, writer for changes).
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TMPFS_RADIX_MASK	(TMPFS_RADIX_FANOUT - 1)

__CTASSERT(TMPFS_RADIX_FANOUT * sizeof(void *) == PAGE_SIZE);
__CTASSERT(((TMPFS_MAXFILESIZE >> PAGE_SHIFT) - 1) >>
    (TMPFS_RADIX_SHIFT * TMPFS_RADIX_MAXHEIGHT) == 0);

void
tmpfs_pages_init(struct tmpfs_pages *tp)
{
	tp->tp_root = NULL;
	tp->tp_height = 0;
	tp->tp_npages = 0;
	tp->tp_nblocks = 0;
}

uint64_t
tmpfs_reg_bytes(const struct tmpfs_node *node)
{
	const struct tmpfs_pages *tp = &node->tn_reg;

	return (uint64_t)(tp->tp_npages + tp->tp_nblocks) * PAGE_SIZE;
}

/* Pages a tree of height h can index. */
static inline uint64_t
tmpfs_radix_span(u_int height)
{
	return (uint64_t)1 << (TMPFS_RADIX_SHIFT * height);
}

/* The smallest height that indexes page idx. */
static u_int
tmpfs_radix_height_for(uint64_t idx)
{
	u_int h = 0;

	while (idx >= tmpfs_radix_span(h))
		h++;
	return h;
}

/* The page at index idx, or NULL for a hole. */
static void *
tmpfs_page_lookup(const struct tmpfs_pages *tp, uint64_t idx)
{
	void *n = tp->tp_root;

	if (idx >= tmpfs_radix_span(tp->tp_height))
		return NULL;
	for (u_int h = tp->tp_height; h > 0 && n != NULL; h--) {
		u_int slot = (idx >> (TMPFS_RADIX_SHIFT * (h - 1))) &
		    TMPFS_RADIX_MASK;
		n = ((void **)n)[slot];
	}
	return n;
}

/* A zeroed tree block; space already reserved by the caller. */
static void *
tmpfs_block_alloc(struct tmpfs_pages *tp)
{
	void *b = kmem_zalloc(PAGE_SIZE, KM_NOSLEEP);

	if (b != NULL)
		tp->tp_nblocks++;
	return b;
}

/*
 * The slot that holds page idx, creating the path to it.  Space for
 * blocks was reserved by the caller; ENOSPC when kmem has no memory.
 */
static int
tmpfs_page_slot(struct tmpfs_pages *tp, uint64_t idx, void ***slotp)
{
	u_int need = tmpfs_radix_height_for(idx);
	void **slot;

	/* Grow: the old tree becomes slot 0 of a new root. */
	if (tp->tp_root == NULL) {
		if (need > tp->tp_height)
			tp->tp_height = need;
	} else {
		while (tp->tp_height < need) {
			void **b = tmpfs_block_alloc(tp);

			if (b == NULL)
				return ENOSPC;
			b[0] = tp->tp_root;
			tp->tp_root = b;
			tp->tp_height++;
		}
	}
	slot = &tp->tp_root;
	for (u_int h = tp->tp_height; h > 0; h--) {
		u_int i = (idx >> (TMPFS_RADIX_SHIFT * (h - 1))) &
		    TMPFS_RADIX_MASK;

		if (*slot == NULL) {
			*slot = tmpfs_block_alloc(tp);
			if (*slot == NULL)
				return ENOSPC;
		}
		slot = &((void **)*slot)[i];
	}
	*slotp = slot;
	return 0;
}

/*
 * Free everything from page index first on below the block at *np of
 * height h (covering pages from base).  Depth is bounded by
 * TMPFS_RADIX_MAXHEIGHT.  Returns true when *np became empty (freed).
 */
static bool
tmpfs_radix_trim(struct tmpfs_pages *tp, void **np, u_int h, uint64_t base,
    uint64_t first, size_t *freedp)
{
	void **b = *np;
	uint64_t span;
	bool empty = true;

	if (b == NULL)
		return true;
	if (h == 0) {
		if (base >= first) {
			kmem_free(b, PAGE_SIZE);
			tp->tp_npages--;
			(*freedp)++;
			*np = NULL;
			return true;
		}
		return false;
	}
	span = tmpfs_radix_span(h - 1);
	for (u_int i = 0; i < TMPFS_RADIX_FANOUT; i++) {
		uint64_t cbase = base + i * span;

		if (b[i] == NULL)
			continue;
		if (cbase + span > first)
			(void)tmpfs_radix_trim(tp, &b[i], h - 1, cbase, first,
			    freedp);
		if (b[i] != NULL)
			empty = false;
	}
	if (empty) {
		kmem_free(b, PAGE_SIZE);
		tp->tp_nblocks--;
		(*freedp)++;
		*np = NULL;
	}
	return empty;
}

/*
 * Shrink the tree while its root block uses only slot 0 (after a
 * truncation), so a file cut down to one page costs one page.  Returns
 * the number of blocks freed.
 */
static size_t
tmpfs_radix_collapse(struct tmpfs_pages *tp)
{
	size_t freed = 0;

	while (tp->tp_height > 0 && tp->tp_root != NULL) {
		void **b = tp->tp_root;

		for (u_int i = 1; i < TMPFS_RADIX_FANOUT; i++) {
			if (b[i] != NULL)
				return freed;
		}
		tp->tp_root = b[0];
		tp->tp_height--;
		kmem_free(b, PAGE_SIZE);
		tp->tp_nblocks--;
		freed++;
	}
	return freed;
}

/* ---------------------------------------------------------------- read */

/* VOP_READ of a regular file.  Precondition: v_lock reader. */
int
tmpfs_reg_read(struct tmpfs_node *node, struct uio *uio)
{
	struct tmpfs_pages *tp = &node->tn_reg;
	int error = 0;

	KASSERT(uio->uio_rw == UIO_READ);
	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && uio->uio_offset < node->tn_size) {
		uint64_t off = (uint64_t)uio->uio_offset;
		size_t pgoff = off & PAGE_MASK;
		size_t len = PAGE_SIZE - pgoff;
		char *page;

		if (len > uio->uio_resid)
			len = uio->uio_resid;
		if ((uint64_t)node->tn_size - off < len)
			len = (size_t)((uint64_t)node->tn_size - off);
		page = tmpfs_page_lookup(tp, off >> PAGE_SHIFT);
		if (page != NULL)
			error = uiomove(page + pgoff, len, uio);
		else
			error = uiomove_zero(len, uio);
		if (error != 0)
			break;
	}
	tmpfs_node_touch(node, TMPFS_ATIME);
	return error;
}

/* ---------------------------------------------------------------- write */

/* Upper bound of tree blocks a write of pages [first, last] may add. */
static size_t
tmpfs_blocks_bound(const struct tmpfs_pages *tp, uint64_t first,
    uint64_t last)
{
	u_int h = tmpfs_radix_height_for(last);
	uint64_t n = last - first + 1;
	size_t bound = 0;

	if (h < tp->tp_height)
		h = tp->tp_height;
	/* Per level: the blocks spanning the range, plus growth. */
	for (u_int l = 1; l <= h; l++) {
		n = (n >> TMPFS_RADIX_SHIFT) + 2;
		bound += (size_t)n;
	}
	return bound + h;
}

/*
 * The file system cannot take the whole write: find the longest prefix
 * whose pages (and tree blocks) fit in the space left, reserve that and
 * hide the rest of the uio from the write (*cutp bytes, which the caller
 * puts back afterwards, so the system call reports a short write).
 * ENOSPC when not even the first page fits.
 */
static int
tmpfs_write_shorten(struct tmpfs_node *node, struct uio *uio, uint64_t first,
    size_t *reservedp, size_t *cutp)
{
	struct tmpfs_mount *tm = node->tn_mount;
	struct tmpfs_pages *tp = &node->tn_reg;
	uint64_t avail, need, missing = 0, end, fitend = 0;
	uint64_t last = (uint64_t)(uio->uio_offset + (off_t)uio->uio_resid -
	    1) >> PAGE_SHIFT;
	size_t fitbytes = 0;

	mutex_enter(&tm->tm_lock);
	avail = tm->tm_bytes_used < tm->tm_bytes_max ?
	    tm->tm_bytes_max - tm->tm_bytes_used : 0;
	mutex_exit(&tm->tm_lock);
	for (uint64_t i = first; i <= last; i++) {
		if (tmpfs_page_lookup(tp, i) == NULL)
			missing++;
		need = (missing + tmpfs_blocks_bound(tp, first, i)) *
		    PAGE_SIZE;
		if (need > avail)
			break;
		fitbytes = (size_t)need;
		fitend = (i + 1) << PAGE_SHIFT;
	}
	if (fitend == 0)
		return ENOSPC;
	end = (uint64_t)uio->uio_offset + uio->uio_resid;
	if (fitend > end)
		fitend = end;
	if (tmpfs_mem_reserve(tm, fitbytes) != 0)
		return ENOSPC;		/* somebody else took it meanwhile */
	*reservedp = fitbytes;
	*cutp = (size_t)(end - fitend);
	uio->uio_resid -= *cutp;
	return 0;
}

/*
 * VOP_WRITE of a regular file (IO_APPEND: at the end).  Space is reserved
 * before any byte changes: a write that does not fit is cut short at a
 * page boundary, one of which not even a page fits fails with ENOSPC and
 * the file untouched.  A fault in the caller's buffer stops the write
 * where it happened.  Precondition: v_lock writer.
 */
int
tmpfs_reg_write(struct tmpfs_node *node, struct uio *uio, int ioflag)
{
	struct tmpfs_mount *tm = node->tn_mount;
	struct tmpfs_pages *tp = &node->tn_reg;
	uint64_t first, last, end, missing = 0;
	size_t reserved, blocks_before, pages_before, used;
	size_t resid_before = uio->uio_resid, cut = 0;
	int error = 0;

	KASSERT(uio->uio_rw == UIO_WRITE);
	if (ioflag & IO_APPEND)
		uio->uio_offset = node->tn_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	if (uio->uio_resid > (uint64_t)TMPFS_MAXFILESIZE ||
	    uio->uio_offset > TMPFS_MAXFILESIZE - (off_t)uio->uio_resid)
		return EFBIG;

	end = (uint64_t)uio->uio_offset + uio->uio_resid;
	first = (uint64_t)uio->uio_offset >> PAGE_SHIFT;
	last = (end - 1) >> PAGE_SHIFT;
	for (uint64_t i = first; i <= last; i++) {
		if (tmpfs_page_lookup(tp, i) == NULL)
			missing++;
	}
	reserved = (size_t)(missing + tmpfs_blocks_bound(tp, first, last)) *
	    PAGE_SIZE;
	error = tmpfs_mem_reserve(tm, reserved);
	if (error == ENOSPC) {
		/* Write what fits (a short write), or nothing: ENOSPC. */
		error = tmpfs_write_shorten(node, uio, first, &reserved, &cut);
	}
	if (error != 0)
		return error;
	blocks_before = tp->tp_nblocks;
	pages_before = tp->tp_npages;

	while (uio->uio_resid > 0) {
		uint64_t off = (uint64_t)uio->uio_offset;
		size_t pgoff = off & PAGE_MASK;
		size_t len = PAGE_SIZE - pgoff;
		void **slot;
		char *page;

		if (len > uio->uio_resid)
			len = uio->uio_resid;
		error = tmpfs_page_slot(tp, off >> PAGE_SHIFT, &slot);
		if (error != 0)
			break;
		page = *slot;
		if (page == NULL) {
			page = kmem_alloc(PAGE_SIZE, KM_NOSLEEP);
			if (page == NULL) {
				error = ENOSPC;
				break;
			}
			/* Only the bytes not about to be written. */
			if (pgoff != 0)
				memset(page, 0, pgoff);
			if (pgoff + len < PAGE_SIZE)
				memset(page + pgoff + len, 0,
				    PAGE_SIZE - pgoff - len);
			*slot = page;
			tp->tp_npages++;
		}
		error = uiomove(page + pgoff, len, uio);
		if (uio->uio_offset > node->tn_size)
			node->tn_size = uio->uio_offset;
		if (error != 0) {
			/* A fault may leave a partly copied page: bytes past
			 * the end of the file must stay zero. */
			uint64_t pstart = off - pgoff;
			uint64_t size = (uint64_t)node->tn_size;
			size_t z = size > pstart ? (size_t)(size - pstart) : 0;

			if (z < PAGE_SIZE)
				memset(page + z, 0, PAGE_SIZE - z);
			break;
		}
	}

	used = (tp->tp_npages - pages_before + tp->tp_nblocks -
	    blocks_before) * PAGE_SIZE;
	KASSERTMSG(used <= reserved, "tmpfs: write used %zu > reserved %zu",
	    used, reserved);
	tmpfs_mem_release(tm, reserved - used);
	uio->uio_resid += cut;		/* the part that did not fit */
	if (uio->uio_resid != resid_before)
		tmpfs_node_touch(node, TMPFS_MTIME | TMPFS_CTIME);
	return error;
}

/* ---------------------------------------------------------------- truncate */

/*
 * Set a regular file's size.  Growing leaves a hole; shrinking frees the
 * pages past the end and zeroes the rest of the last partial page.  Never
 * fails (it allocates nothing).  Precondition: v_lock writer, or the node
 * is being freed.
 */
int
tmpfs_reg_truncate(struct tmpfs_node *node, off_t length)
{
	struct tmpfs_mount *tm = node->tn_mount;
	struct tmpfs_pages *tp = &node->tn_reg;
	uint64_t keep;
	size_t freed = 0;
	char *page;

	KASSERT(node->tn_type == VREG);
	KASSERT(length >= 0 && length <= TMPFS_MAXFILESIZE);
	if (length < node->tn_size) {
		if ((length & PAGE_MASK) != 0) {
			page = tmpfs_page_lookup(tp,
			    (uint64_t)length >> PAGE_SHIFT);
			if (page != NULL)
				memset(page + (length & PAGE_MASK), 0,
				    PAGE_SIZE - (length & PAGE_MASK));
		}
		keep = ((uint64_t)length + PAGE_MASK) >> PAGE_SHIFT;
		if (tmpfs_radix_trim(tp, &tp->tp_root, tp->tp_height, 0, keep,
		    &freed))
			tp->tp_height = 0;
		freed += tmpfs_radix_collapse(tp);
		if (freed != 0)
			tmpfs_mem_release(tm, freed * PAGE_SIZE);
	}
	node->tn_size = length;
	return 0;
}
