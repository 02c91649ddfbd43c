/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/buf.h: the buffer cache (vfs/vfs_bio.c) for block-backed file
 * systems.
 *
 * A buffer caches b_bcount bytes of a device vnode starting at block
 * b_blkno (DEV_BSIZE units).  Buffers are found by (vnode, block) in a
 * hash; at most one thread uses a buffer at a time (B_BUSY, taken by
 * getblk/bread, given back by brelse/bwrite/bdwrite/bawrite).  I/O goes
 * through VOP_STRATEGY on the buffer's vnode: the device starts the
 * transfer (B_READ set for reads) and calls biodone() when it is over,
 * with b_error set on failure; it may do so before VOP_STRATEGY returns.
 *
 * Buffers that are not busy sit on an LRU; when the cache holds more than
 * its limit of bytes the oldest clean buffers are freed (dirty ones are
 * written first).  Dirty buffers (B_DELWRI, from bdwrite) are written by
 * bio_flush, by bio_invalidate (which the vnode cache calls before a
 * vnode is reclaimed, so unmount and vflush write them) and when evicted.
 *
 * Sizes: b_bcount up to MAXBSIZE; a block found in the cache with a
 * different size than asked is written if dirty and read again.
 *
 * Read-ahead (bio_readahead): buffers for blocks not cached are made
 * busy (owned by the device) and read without waiting; consecutive ones
 * with one transfer into a private buffer (b_iodone set, never hashed),
 * whose completion copies the data into each and releases it to the LRU
 * (B_ASYNC).  A bread meanwhile waits for the busy buffer like for any
 * other.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/queue.h>

struct vnode;

typedef int64_t	daddr_t;

#define DEV_BSHIFT	9
#define DEV_BSIZE	(1 << DEV_BSHIFT)
#define MAXBSIZE	65536

struct buf {
	int			b_flags;	/* B_* */
	int			b_error;
	struct vnode		*b_vp;		/* device vnode */
	daddr_t			b_blkno;	/* in DEV_BSIZE units */
	size_t			b_bcount;	/* valid bytes */
	size_t			b_resid;	/* not transferred */
	void			*b_data;
	void			*b_private;	/* the device's */
	/* Private transfers only (not hashed): biodone calls this instead
	 * of completing a cached buffer. */
	void			(*b_iodone)(struct buf *);
	LIST_ENTRY(buf)		b_hash;
	TAILQ_ENTRY(buf)	b_lru;
};

/* b_flags */
#define B_BUSY		0x0001	/* owned by a thread */
#define B_DONE		0x0002	/* I/O finished: data valid */
#define B_DELWRI	0x0004	/* dirty: must be written */
#define B_READ		0x0008	/* the I/O in progress is a read */
#define B_ASYNC		0x0010	/* release at biodone */
#define B_INVAL		0x0020	/* do not cache at brelse */
#define B_ERROR		0x0040	/* I/O failed (b_error) */
#define B_IOWAIT	0x0080	/* I/O in progress (internal) */

/* Read a block (from the cache if there); *bpp busy even on error
 * (release it with brelse). */
int	bread(struct vnode *vp, daddr_t blkno, int size, int flags,
	    struct buf **bpp);
/* Find or make the buffer for a block, busy; contents valid iff B_DONE. */
struct buf *getblk(struct vnode *vp, daddr_t blkno, int size, int slpflag,
	    int slptimeo);
int	bwrite(struct buf *bp);		/* write now, wait, release */
void	bawrite(struct buf *bp);	/* start a write, release at end */
void	bdwrite(struct buf *bp);	/* mark dirty, release */
void	brelse(struct buf *bp, int set);	/* release; set: B_INVAL */
int	biowait(struct buf *bp);
void	biodone(struct buf *bp);	/* the device: I/O is over */

/*
 * Start reading the n blocks of size bytes at blkno, blkno + size /
 * DEV_BSIZE, ... (consecutive on the device) that are neither cached nor
 * being read, without waiting: each run of consecutive missing blocks is
 * one transfer, at most BIO_RA_MAXBYTES.  Errors are not reported (the
 * buffer is dropped; a later bread reads it again).  Precondition: no
 * locks held.
 */
void	bio_readahead(struct vnode *vp, daddr_t blkno, int size, int n);
#define BIO_RA_MAXBYTES		(1024 * 1024)

/* Write every dirty buffer of vp (and wait). */
int	bio_flush(struct vnode *vp);
/* bio_flush, then drop every buffer of vp; the first write error. */
int	bio_invalidate(struct vnode *vp);

struct bio_stats {
	uint64_t	bs_bytes;	/* cached now */
	uint64_t	bs_nbufs;
	uint64_t	bs_hits;
	uint64_t	bs_misses;
	uint64_t	bs_writes;	/* strategy calls for writes */
	uint64_t	bs_reads;
	uint64_t	bs_evictions;
	uint64_t	bs_rablocks;	/* blocks read ahead */
	uint64_t	bs_raruns;	/* transfers for them */
};
void	bio_getstats(struct bio_stats *);
/* Byte limit of the cache; 0 queries; returns the previous limit. */
size_t	bio_set_limit(size_t bytes);
#define BIO_DEFAULT_LIMIT	(8UL * 1024 * 1024)

#endif /* _SYS_BUF_H_ */
