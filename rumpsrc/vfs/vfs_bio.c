/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_bio.c: the buffer cache (sys/buf.h) for block-backed file systems
 * (FFS later; tested now with a memory-backed fake device in
 * tests/kern/kt_vfs_bio.c).
 *
 * Buffers are keyed by (device vnode, block) in a hash table.  A buffer
 * is either busy (owned by one thread, or by the device during I/O) or on
 * the LRU.  Buffers hold no vnode reference: the vnode cache calls
 * bio_invalidate() before reclaiming a vnode, so no buffer outlives its
 * vnode.
 *
 * Read-ahead (bio_readahead) makes buffers busy for the device and
 * reads runs of consecutive blocks with one transfer into a private
 * buffer (struct bio_cluster, never hashed), which bio_cluster_done
 * copies out, completing each buffer as an asynchronous read.
 *
 * Locking: bio_lock guards the hash, the LRU, the byte count and every
 * buffer's b_flags; bio_cv is broadcast when a buffer stops being busy or
 * its I/O ends.  VOP_STRATEGY is called without bio_lock (the device may
 * call biodone() from inside it, or later from any thread).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define BIO_HASHSIZE	256

LIST_HEAD(bio_bucket, buf);

static kmutex_t bio_lock;
static kcondvar_t bio_cv;
static struct bio_bucket *bio_hash;
static TAILQ_HEAD(, buf) bio_lru;
static size_t bio_limit;
static struct bio_stats bio_st;

int
bio_init(void)
{
	int i;

	bio_hash = kmem_alloc(BIO_HASHSIZE * sizeof(*bio_hash), KM_SLEEP);
	for (i = 0; i < BIO_HASHSIZE; i++)
		LIST_INIT(&bio_hash[i]);
	TAILQ_INIT(&bio_lru);
	memset(&bio_st, 0, sizeof(bio_st));
	bio_limit = BIO_DEFAULT_LIMIT;
	mutex_init(&bio_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&bio_cv, "biowait");
	return 0;
}

static void
bio_free(struct buf *bp)
{
	kmem_free(bp->b_data, bp->b_bcount);
	kmem_free(bp, sizeof(*bp));
}

/* Precondition: every vnode is gone, so every buffer was invalidated. */
void
bio_fini(void)
{
	struct buf *bp;
	int i, n = 0;

	for (i = 0; i < BIO_HASHSIZE; i++) {
		while ((bp = LIST_FIRST(&bio_hash[i])) != NULL) {
			LIST_REMOVE(bp, b_hash);
			bio_free(bp);
			n++;
		}
	}
	if (n != 0)
		printf("vfs: %d buffer(s) left in the cache at shutdown\n", n);
	cv_destroy(&bio_cv);
	mutex_destroy(&bio_lock);
	kmem_free(bio_hash, BIO_HASHSIZE * sizeof(*bio_hash));
	bio_hash = NULL;
}

void
bio_getstats(struct bio_stats *bs)
{
	mutex_enter(&bio_lock);
	*bs = bio_st;
	mutex_exit(&bio_lock);
}

static struct bio_bucket *
bio_bucket(struct vnode *vp, daddr_t blkno)
{
	uintptr_t h = ((uintptr_t)vp >> 6) ^ (uintptr_t)blkno ^
	    ((uintptr_t)blkno >> 8);

	return &bio_hash[h & (BIO_HASHSIZE - 1)];
}

/* Precondition: bio_lock held. */
static struct buf *
bio_find(struct vnode *vp, daddr_t blkno)
{
	struct buf *bp;

	LIST_FOREACH(bp, bio_bucket(vp, blkno), b_hash) {
		if (bp->b_vp == vp && bp->b_blkno == blkno)
			return bp;
	}
	return NULL;
}

/* Precondition: bio_lock held; bp not busy, on the LRU. */
static void
bio_take(struct buf *bp)
{
	KASSERT(mutex_owned(&bio_lock));
	KASSERT((bp->b_flags & B_BUSY) == 0);
	TAILQ_REMOVE(&bio_lru, bp, b_lru);
	bp->b_flags |= B_BUSY;
}

/* Precondition: bio_lock held; bp busy (ours); unhash and account. */
static void
bio_unhash(struct buf *bp)
{
	KASSERT(bp->b_flags & B_BUSY);
	LIST_REMOVE(bp, b_hash);
	bio_st.bs_bytes -= bp->b_bcount;
	/* atomic: bio_invalidate peeks at the count without bio_lock */
	__atomic_fetch_sub(&bio_st.bs_nbufs, 1, __ATOMIC_RELAXED);
}

/*
 * Start I/O on a busy buffer (read when B_READ is set).  The device calls
 * biodone; a strategy that fails to start is completed here.
 * Precondition: bio_lock not held.
 */
static void
bio_start(struct buf *bp, bool read)
{
	int error;

	mutex_enter(&bio_lock);
	KASSERT(bp->b_flags & B_BUSY);
	bp->b_flags &= ~(B_READ | B_ERROR | B_DONE);
	bp->b_flags |= B_IOWAIT | (read ? B_READ : 0);
	bp->b_error = 0;
	bp->b_resid = bp->b_bcount;
	if (read)
		bio_st.bs_reads++;
	else
		bio_st.bs_writes++;
	mutex_exit(&bio_lock);
	error = VOP_STRATEGY(bp->b_vp, bp);
	if (error != 0) {
		bp->b_error = error;
		biodone(bp);
	}
}

/* The device: the transfer of bp is over (b_error set on failure). */
void
biodone(struct buf *bp)
{
	bool async, read;

	if (bp->b_iodone != NULL) {	/* a private transfer */
		bp->b_iodone(bp);
		return;
	}
	mutex_enter(&bio_lock);
	KASSERT(bp->b_flags & B_IOWAIT);
	bp->b_flags &= ~B_IOWAIT;
	if (bp->b_error != 0)
		bp->b_flags |= B_ERROR;
	else
		bp->b_flags |= B_DONE;
	async = (bp->b_flags & B_ASYNC) != 0;
	read = (bp->b_flags & B_READ) != 0;
	bp->b_flags &= ~B_ASYNC;
	cv_broadcast(&bio_cv);
	mutex_exit(&bio_lock);
	if (async) {
		/* a failed read-ahead is dropped; bread tries again */
		if (bp->b_error != 0 && !read)
			printf("vfs: asynchronous write of block %lld "
			    "failed: error %d (data lost)\n",
			    (long long)bp->b_blkno, bp->b_error);
		brelse(bp, 0);
	}
}

int
biowait(struct buf *bp)
{
	int error;

	mutex_enter(&bio_lock);
	while (bp->b_flags & B_IOWAIT)
		cv_wait(&bio_cv, &bio_lock);
	error = (bp->b_flags & B_ERROR) ? bp->b_error : 0;
	mutex_exit(&bio_lock);
	return error;
}

/*
 * Write the (busy) buffer synchronously; it stays busy.  A failed write
 * leaves the buffer invalid (B_ERROR): its data is lost, honestly.
 */
static int
bio_write_sync(struct buf *bp)
{
	mutex_enter(&bio_lock);
	bp->b_flags &= ~B_DELWRI;
	mutex_exit(&bio_lock);
	bio_start(bp, false);
	return biowait(bp);
}

/* Evict the oldest buffers while over the limit.  No locks held. */
static void
bio_trim(void)
{
	struct buf *bp;
	int error;

	mutex_enter(&bio_lock);
	while (bio_st.bs_bytes > bio_limit &&
	    (bp = TAILQ_FIRST(&bio_lru)) != NULL) {
		bio_take(bp);
		if (bp->b_flags & B_DELWRI) {
			mutex_exit(&bio_lock);
			error = bio_write_sync(bp);
			if (error != 0)
				printf("vfs: writing evicted block %lld: "
				    "error %d (data lost)\n",
				    (long long)bp->b_blkno, error);
			mutex_enter(&bio_lock);
		}
		bio_unhash(bp);
		bio_st.bs_evictions++;
		cv_broadcast(&bio_cv);
		mutex_exit(&bio_lock);
		bio_free(bp);
		mutex_enter(&bio_lock);
	}
	mutex_exit(&bio_lock);
}

size_t
bio_set_limit(size_t bytes)
{
	size_t old;

	mutex_enter(&bio_lock);
	old = bio_limit;
	if (bytes != 0)
		bio_limit = bytes;
	mutex_exit(&bio_lock);
	if (bytes != 0)
		bio_trim();
	return old;
}

static struct buf *
bio_alloc(struct vnode *vp, daddr_t blkno, size_t size)
{
	struct buf *bp;

	bp = kmem_zalloc(sizeof(*bp), KM_SLEEP);
	bp->b_data = kmem_alloc(size, KM_SLEEP);
	bp->b_bcount = size;
	bp->b_vp = vp;
	bp->b_blkno = blkno;
	bp->b_flags = B_BUSY;
	return bp;
}

/* Precondition: no locks held (may sleep for a busy buffer). */
struct buf *
getblk(struct vnode *vp, daddr_t blkno, int size, int slpflag, int slptimeo)
{
	struct buf *bp, *nbp = NULL;
	int error;

	KASSERT(size > 0 && size <= MAXBSIZE);
	mutex_enter(&bio_lock);
	for (;;) {
		bp = bio_find(vp, blkno);
		if (bp != NULL && (bp->b_flags & B_BUSY)) {
			cv_wait(&bio_cv, &bio_lock);
			continue;
		}
		if (bp != NULL || nbp != NULL)
			break;
		mutex_exit(&bio_lock);
		nbp = bio_alloc(vp, blkno, (size_t)size);
		mutex_enter(&bio_lock);
	}
	if (bp == NULL) {
		LIST_INSERT_HEAD(bio_bucket(vp, blkno), nbp, b_hash);
		bio_st.bs_bytes += nbp->b_bcount;
		__atomic_fetch_add(&bio_st.bs_nbufs, 1, __ATOMIC_RELAXED);
		bio_st.bs_misses++;
		mutex_exit(&bio_lock);
		bio_trim();
		return nbp;
	}
	bio_take(bp);
	bio_st.bs_hits++;
	mutex_exit(&bio_lock);
	if (nbp != NULL)
		bio_free(nbp);
	if (bp->b_bcount != (size_t)size) {
		/* Resize: write what is dirty, then start over empty. */
		if (bp->b_flags & B_DELWRI) {
			error = bio_write_sync(bp);
			if (error != 0)
				printf("vfs: writing resized block %lld: "
				    "error %d (data lost)\n",
				    (long long)blkno, error);
		}
		mutex_enter(&bio_lock);
		bio_st.bs_bytes -= bp->b_bcount;
		kmem_free(bp->b_data, bp->b_bcount);
		bp->b_data = kmem_alloc((size_t)size, KM_SLEEP);
		bp->b_bcount = (size_t)size;
		bio_st.bs_bytes += bp->b_bcount;
		bp->b_flags &= ~(B_DONE | B_ERROR | B_DELWRI);
		mutex_exit(&bio_lock);
	}
	return bp;
}

int
bread(struct vnode *vp, daddr_t blkno, int size, int flags,
    struct buf **bpp)
{
	struct buf *bp;

	bp = getblk(vp, blkno, size, 0, 0);
	*bpp = bp;
	if (bp->b_flags & B_DONE)
		return 0;
	bio_start(bp, true);
	return biowait(bp);
}

/* ---------------------------------------------------------------- read-ahead */

/* One transfer for a run of read-ahead buffers. */
struct bio_cluster {
	struct buf	bc_buf;		/* first: the device sees this */
	struct buf	**bc_bufs;	/* the cached buffers it fills */
	int		bc_n;
	size_t		bc_size;	/* of each */
};

/* The device finished a cluster: fill and complete every buffer. */
static void
bio_cluster_done(struct buf *cbp)
{
	struct bio_cluster *bc = (struct bio_cluster *)cbp;
	struct buf *bp;
	int i;

	for (i = 0; i < bc->bc_n; i++) {
		bp = bc->bc_bufs[i];
		bp->b_error = cbp->b_error;
		if (cbp->b_error == 0)
			memcpy(bp->b_data, (char *)cbp->b_data +
			    (size_t)i * bc->bc_size, bc->bc_size);
		bp->b_resid = cbp->b_error == 0 ? 0 : bp->b_bcount;
		biodone(bp);	/* B_ASYNC: released to the LRU */
	}
	kmem_free(cbp->b_data, cbp->b_bcount);
	kmem_free(bc->bc_bufs, (size_t)bc->bc_n * sizeof(*bc->bc_bufs));
	kmem_free(bc, sizeof(*bc));
}

/*
 * Read the n busy buffers of run (consecutive blocks of size bytes,
 * B_IOWAIT set) without waiting.  Precondition: no locks held.
 */
static void
bio_readrun(struct vnode *vp, struct buf **run, int n, int size)
{
	struct bio_cluster *bc;
	int error;

	mutex_enter(&bio_lock);
	bio_st.bs_raruns++;
	mutex_exit(&bio_lock);
	if (n == 1) {
		bio_start(run[0], true);
		return;
	}
	bc = kmem_zalloc(sizeof(*bc), KM_SLEEP);
	bc->bc_bufs = kmem_alloc((size_t)n * sizeof(*run), KM_SLEEP);
	memcpy(bc->bc_bufs, run, (size_t)n * sizeof(*run));
	bc->bc_n = n;
	bc->bc_size = (size_t)size;
	bc->bc_buf.b_bcount = (size_t)n * (size_t)size;
	bc->bc_buf.b_resid = bc->bc_buf.b_bcount;
	bc->bc_buf.b_data = kmem_alloc(bc->bc_buf.b_bcount, KM_SLEEP);
	bc->bc_buf.b_vp = vp;
	bc->bc_buf.b_blkno = run[0]->b_blkno;
	bc->bc_buf.b_flags = B_BUSY | B_READ | B_IOWAIT;
	bc->bc_buf.b_iodone = bio_cluster_done;
	mutex_enter(&bio_lock);
	bio_st.bs_reads++;
	mutex_exit(&bio_lock);
	error = VOP_STRATEGY(vp, &bc->bc_buf);
	if (error != 0) {
		bc->bc_buf.b_error = error;
		biodone(&bc->bc_buf);
	}
}

/*
 * A new busy buffer for block blkno, hashed, set up for an asynchronous
 * read; NULL when the block is cached or being read already.
 * Precondition: no locks held.
 */
static struct buf *
bio_ra_buf(struct vnode *vp, daddr_t blkno, int size)
{
	struct buf *nbp;

	mutex_enter(&bio_lock);
	if (bio_find(vp, blkno) != NULL) {
		mutex_exit(&bio_lock);
		return NULL;
	}
	mutex_exit(&bio_lock);
	nbp = bio_alloc(vp, blkno, (size_t)size);
	mutex_enter(&bio_lock);
	if (bio_find(vp, blkno) != NULL) {
		mutex_exit(&bio_lock);
		bio_free(nbp);
		return NULL;
	}
	LIST_INSERT_HEAD(bio_bucket(vp, blkno), nbp, b_hash);
	bio_st.bs_bytes += nbp->b_bcount;
	__atomic_fetch_add(&bio_st.bs_nbufs, 1, __ATOMIC_RELAXED);
	bio_st.bs_rablocks++;
	nbp->b_flags |= B_ASYNC | B_READ | B_IOWAIT;
	nbp->b_resid = nbp->b_bcount;
	mutex_exit(&bio_lock);
	return nbp;
}

void
bio_readahead(struct vnode *vp, daddr_t blkno, int size, int n)
{
	daddr_t step = size >> DEV_BSHIFT;
	struct buf **run, *bp;
	int i, k = 0;

	KASSERT(size > 0 && size <= MAXBSIZE && size % DEV_BSIZE == 0);
	n = MIN(n, BIO_RA_MAXBYTES / size);
	if (n <= 0)
		return;
	run = kmem_alloc((size_t)n * sizeof(*run), KM_SLEEP);
	for (i = 0; i < n; i++) {
		bp = bio_ra_buf(vp, blkno + i * step, size);
		if (bp != NULL) {
			run[k++] = bp;
			continue;
		}
		if (k > 0)
			bio_readrun(vp, run, k, size);
		k = 0;
	}
	if (k > 0)
		bio_readrun(vp, run, k, size);
	kmem_free(run, (size_t)n * sizeof(*run));
	bio_trim();
}

/*
 * Give a busy buffer back.  It stays cached when its data is valid or
 * dirty, unless set has B_INVAL (or an I/O on it failed).
 */
void
brelse(struct buf *bp, int set)
{
	bool drop;

	mutex_enter(&bio_lock);
	KASSERT(bp->b_flags & B_BUSY);
	KASSERT((bp->b_flags & B_IOWAIT) == 0);
	drop = (set & B_INVAL) != 0 || (bp->b_flags & B_ERROR) != 0 ||
	    (bp->b_flags & (B_DONE | B_DELWRI)) == 0;
	if (drop) {
		bio_unhash(bp);
	} else {
		bp->b_flags &= ~B_BUSY;
		TAILQ_INSERT_TAIL(&bio_lru, bp, b_lru);
	}
	cv_broadcast(&bio_cv);
	mutex_exit(&bio_lock);
	if (drop)
		bio_free(bp);
	else
		bio_trim();
}

int
bwrite(struct buf *bp)
{
	int error;

	error = bio_write_sync(bp);
	brelse(bp, 0);
	return error;
}

void
bawrite(struct buf *bp)
{
	mutex_enter(&bio_lock);
	bp->b_flags &= ~B_DELWRI;
	bp->b_flags |= B_ASYNC;
	mutex_exit(&bio_lock);
	bio_start(bp, false);
}

void
bdwrite(struct buf *bp)
{
	mutex_enter(&bio_lock);
	bp->b_flags |= B_DELWRI | B_DONE;
	mutex_exit(&bio_lock);
	brelse(bp, 0);
}

/*
 * The first buffer of vp that is busy or (when dirtyonly) dirty, or any
 * (otherwise).  Precondition: bio_lock held.
 */
static struct buf *
bio_first_of(struct vnode *vp, bool dirtyonly)
{
	struct buf *bp;
	int i;

	for (i = 0; i < BIO_HASHSIZE; i++) {
		LIST_FOREACH(bp, &bio_hash[i], b_hash) {
			if (bp->b_vp != vp)
				continue;
			if (!dirtyonly || (bp->b_flags & (B_BUSY | B_DELWRI)))
				return bp;
		}
	}
	return NULL;
}

/* Precondition: no locks held. */
int
bio_flush(struct vnode *vp)
{
	struct buf *bp;
	int error, first = 0;

	mutex_enter(&bio_lock);
	while (bio_st.bs_nbufs > 0 && (bp = bio_first_of(vp, true)) != NULL) {
		if (bp->b_flags & B_BUSY) {
			cv_wait(&bio_cv, &bio_lock);
			continue;
		}
		bio_take(bp);
		mutex_exit(&bio_lock);
		error = bwrite(bp);
		if (error != 0 && first == 0)
			first = error;
		mutex_enter(&bio_lock);
	}
	mutex_exit(&bio_lock);
	return first;
}

/* Precondition: no locks held; nobody starts new I/O on vp meanwhile. */
int
bio_invalidate(struct vnode *vp)
{
	struct buf *bp;
	int error;

	if (__atomic_load_n(&bio_st.bs_nbufs, __ATOMIC_RELAXED) == 0)
		return 0;
	error = bio_flush(vp);
	mutex_enter(&bio_lock);
	while ((bp = bio_first_of(vp, false)) != NULL) {
		if (bp->b_flags & B_BUSY) {
			cv_wait(&bio_cv, &bio_lock);
			continue;
		}
		bio_take(bp);
		bio_unhash(bp);
		mutex_exit(&bio_lock);
		bio_free(bp);
		mutex_enter(&bio_lock);
	}
	mutex_exit(&bio_lock);
	return error;
}
