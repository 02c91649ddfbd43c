/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_vfs_bio.c: kernel-side tests of the buffer cache (vfs/vfs_bio.c)
 * with a memory-backed fake block device: a vnode made by hand whose
 * VOP_STRATEGY copies between the buffer and a kmem "disk", counting
 * transfers (and completing synchronously, inside VOP_STRATEGY), and
 * read-ahead (bio_readahead) with it.
 *
 * Run by host_ktest through kt_runner.c.
 */
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/vnode.h>

#include "ktest.h"

#define KB_DISKSIZE	(256 * 1024)
#define KB_BSIZE	4096

struct kb_disk {
	char	*kd_data;
	u_int	kd_reads;
	u_int	kd_writes;
	int	kd_fail;	/* error for every transfer, 0: none */
};
static struct kb_disk kb_disk;

static int
kb_strategy(struct vnode *vp, struct buf *bp)
{
	size_t off = (size_t)bp->b_blkno * DEV_BSIZE;

	if (kb_disk.kd_fail != 0 || off + bp->b_bcount > KB_DISKSIZE) {
		bp->b_error = kb_disk.kd_fail != 0 ? kb_disk.kd_fail : EIO;
	} else if (bp->b_flags & B_READ) {
		memcpy(bp->b_data, kb_disk.kd_data + off, bp->b_bcount);
		kb_disk.kd_reads++;
	} else {
		memcpy(kb_disk.kd_data + off, bp->b_data, bp->b_bcount);
		kb_disk.kd_writes++;
	}
	bp->b_resid = bp->b_error != 0 ? bp->b_bcount : 0;
	biodone(bp);
	return 0;
}

static const struct vnodeops kb_vnops = {
	.vop_strategy = kb_strategy,
};

static struct vnode *
kb_setup(void)
{
	struct vnode *vp;
	size_t i;

	memset(&kb_disk, 0, sizeof(kb_disk));
	kb_disk.kd_data = kmem_alloc(KB_DISKSIZE, KM_SLEEP);
	for (i = 0; i < KB_DISKSIZE; i++)
		kb_disk.kd_data[i] = (char)(i / KB_BSIZE);
	vp = kmem_zalloc(sizeof(*vp), KM_SLEEP);
	vp->v_type = VBLK;
	vp->v_op = &kb_vnops;
	vp->v_usecount = 1;
	return vp;
}

static void
kb_teardown(struct vnode *vp)
{
	(void)bio_invalidate(vp);
	kmem_free(vp, sizeof(*vp));
	kmem_free(kb_disk.kd_data, KB_DISKSIZE);
}

#define KB_BLK(n)	((daddr_t)(n) * (KB_BSIZE / DEV_BSIZE))

KTEST(vfs, bio_bread_caches_blocks)
{
	struct vnode *vp = kb_setup();
	struct buf *bp;

	KT_REQUIRE(bread(vp, KB_BLK(3), KB_BSIZE, 0, &bp) == 0);
	KT_CHECK_EQ(((char *)bp->b_data)[0], 3);
	KT_CHECK(bp->b_flags & B_BUSY);
	brelse(bp, 0);
	KT_REQUIRE(bread(vp, KB_BLK(3), KB_BSIZE, 0, &bp) == 0);
	brelse(bp, 0);
	KT_CHECK_EQ(kb_disk.kd_reads, 1);
	/* B_INVAL drops it: the next read goes to the disk. */
	KT_REQUIRE(bread(vp, KB_BLK(3), KB_BSIZE, 0, &bp) == 0);
	brelse(bp, B_INVAL);
	KT_REQUIRE(bread(vp, KB_BLK(3), KB_BSIZE, 0, &bp) == 0);
	brelse(bp, 0);
	KT_CHECK_EQ(kb_disk.kd_reads, 2);
	kb_teardown(vp);
}

KTEST(vfs, bio_bwrite_writes_through_and_bdwrite_delays)
{
	struct vnode *vp = kb_setup();
	struct buf *bp;

	bp = getblk(vp, KB_BLK(1), KB_BSIZE, 0, 0);
	memset(bp->b_data, 0x5a, KB_BSIZE);
	KT_CHECK_EQ(bwrite(bp), 0);
	KT_CHECK_EQ(kb_disk.kd_writes, 1);
	KT_CHECK_EQ(kb_disk.kd_data[KB_BSIZE], 0x5a);

	KT_REQUIRE(bread(vp, KB_BLK(2), KB_BSIZE, 0, &bp) == 0);
	memset(bp->b_data, 0x77, KB_BSIZE);
	bdwrite(bp);
	KT_CHECK_EQ(kb_disk.kd_writes, 1);	/* not yet */
	KT_CHECK_EQ(kb_disk.kd_data[2 * KB_BSIZE], 2);
	/* A cached read sees the dirty data. */
	KT_REQUIRE(bread(vp, KB_BLK(2), KB_BSIZE, 0, &bp) == 0);
	KT_CHECK_EQ(((char *)bp->b_data)[0], 0x77);
	bawrite(bp);
	KT_CHECK_EQ(kb_disk.kd_writes, 2);
	KT_CHECK_EQ(kb_disk.kd_data[2 * KB_BSIZE], 0x77);
	kb_teardown(vp);
}

KTEST(vfs, bio_flush_and_invalidate_write_dirty_buffers)
{
	struct vnode *vp = kb_setup();
	struct bio_stats bs;
	struct buf *bp;
	int i;

	for (i = 0; i < 8; i++) {
		bp = getblk(vp, KB_BLK(i), KB_BSIZE, 0, 0);
		memset(bp->b_data, 0x40 + i, KB_BSIZE);
		bdwrite(bp);
	}
	KT_CHECK_EQ(kb_disk.kd_writes, 0);
	KT_CHECK_EQ(bio_flush(vp), 0);
	KT_CHECK_EQ(kb_disk.kd_writes, 8);
	KT_CHECK_EQ(kb_disk.kd_data[5 * KB_BSIZE], 0x45);
	bp = getblk(vp, KB_BLK(9), KB_BSIZE, 0, 0);
	memset(bp->b_data, 0x11, KB_BSIZE);
	bdwrite(bp);
	KT_CHECK_EQ(bio_invalidate(vp), 0);
	KT_CHECK_EQ(kb_disk.kd_writes, 9);
	KT_CHECK_EQ(kb_disk.kd_data[9 * KB_BSIZE], 0x11);
	bio_getstats(&bs);
	KT_CHECK_EQ(bs.bs_nbufs, 0);
	KT_CHECK_EQ(bs.bs_bytes, 0);
	kb_teardown(vp);
}

KTEST(vfs, bio_lru_limit_evicts_oldest_writing_dirty)
{
	struct vnode *vp = kb_setup();
	struct bio_stats bs;
	struct buf *bp;
	size_t old;
	int i;

	old = bio_set_limit(4 * KB_BSIZE);
	for (i = 0; i < 10; i++) {
		bp = getblk(vp, KB_BLK(i), KB_BSIZE, 0, 0);
		memset(bp->b_data, 0x60 + i, KB_BSIZE);
		bdwrite(bp);
	}
	bio_getstats(&bs);
	KT_CHECK(bs.bs_bytes <= 4 * KB_BSIZE);
	KT_CHECK(bs.bs_evictions >= 6);
	/* The evicted dirty buffers were written, not lost. */
	KT_CHECK_EQ(kb_disk.kd_data[0], 0x60);
	KT_CHECK_EQ(kb_disk.kd_data[5 * KB_BSIZE], 0x65);
	/* The newest is still cached. */
	i = (int)kb_disk.kd_reads;
	KT_REQUIRE(bread(vp, KB_BLK(9), KB_BSIZE, 0, &bp) == 0);
	KT_CHECK_EQ(((char *)bp->b_data)[0], 0x69);
	brelse(bp, 0);
	KT_CHECK_EQ(kb_disk.kd_reads, (u_int)i);
	(void)bio_set_limit(old);
	kb_teardown(vp);
}

KTEST(vfs, bio_read_error_is_reported_and_not_cached)
{
	struct vnode *vp = kb_setup();
	struct buf *bp;

	kb_disk.kd_fail = EIO;
	KT_CHECK_EQ(bread(vp, KB_BLK(4), KB_BSIZE, 0, &bp), EIO);
	brelse(bp, 0);
	kb_disk.kd_fail = 0;
	KT_REQUIRE(bread(vp, KB_BLK(4), KB_BSIZE, 0, &bp) == 0);
	KT_CHECK_EQ(((char *)bp->b_data)[0], 4);
	brelse(bp, 0);
	KT_CHECK_EQ(kb_disk.kd_reads, 1);
	kb_teardown(vp);
}

/*
 * Read-ahead: consecutive missing blocks go as one transfer each run
 * (a cached block splits the run), the data lands in the cache, and
 * later breads are hits that match the disk.
 */
KTEST(vfs, bio_readahead_reads_runs_in_one_transfer)
{
	struct vnode *vp = kb_setup();
	struct bio_stats b0, b1;
	struct buf *bp;
	int i;

	KT_REQUIRE(bread(vp, KB_BLK(4), KB_BSIZE, 0, &bp) == 0);
	brelse(bp, 0);
	bio_getstats(&b0);
	/* blocks 1..8; 4 is cached: runs 1-3 and 5-8 */
	bio_readahead(vp, KB_BLK(1), KB_BSIZE, 8);
	bio_getstats(&b1);
	KT_CHECK_EQ(kb_disk.kd_reads, 3);
	KT_CHECK_EQ(b1.bs_rablocks - b0.bs_rablocks, 7);
	KT_CHECK_EQ(b1.bs_raruns - b0.bs_raruns, 2);
	for (i = 1; i <= 8; i++) {
		KT_REQUIRE(bread(vp, KB_BLK(i), KB_BSIZE, 0, &bp) == 0);
		KT_CHECK_EQ(((char *)bp->b_data)[0], i);
		KT_CHECK_EQ(((char *)bp->b_data)[KB_BSIZE - 1], i);
		brelse(bp, 0);
	}
	KT_CHECK_EQ(kb_disk.kd_reads, 3);
	/* all cached now: nothing to do */
	bio_readahead(vp, KB_BLK(1), KB_BSIZE, 8);
	KT_CHECK_EQ(kb_disk.kd_reads, 3);
	kb_teardown(vp);
}

/* A failed read-ahead leaves nothing cached; bread reads again. */
KTEST(vfs, bio_readahead_error_drops_buffers)
{
	struct vnode *vp = kb_setup();
	struct bio_stats bs;
	struct buf *bp;

	kb_disk.kd_fail = EIO;
	bio_readahead(vp, KB_BLK(10), KB_BSIZE, 4);
	bio_getstats(&bs);
	KT_CHECK_EQ(bs.bs_nbufs, 0);
	kb_disk.kd_fail = 0;
	KT_REQUIRE(bread(vp, KB_BLK(11), KB_BSIZE, 0, &bp) == 0);
	KT_CHECK_EQ(((char *)bp->b_data)[0], 11);
	brelse(bp, 0);
	KT_CHECK_EQ(kb_disk.kd_reads, 1);
	/* past the end of the disk: an error, nothing cached */
	bio_readahead(vp, KB_BLK(KB_DISKSIZE / KB_BSIZE - 2), KB_BSIZE, 4);
	bio_getstats(&bs);
	KT_CHECK_EQ(bs.bs_nbufs, 1);
	kb_teardown(vp);
}
