/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_alloc.c: block, fragment and inode allocation by cylinder group on
 * read-write FFS mounts.  Called by ffs_balloc.c (file blocks) and the
 * name space operations (inodes).
 *
 * Every change keeps these in step: the group's fragment (or inode)
 * bitmap, its free block/fragment/inode and directory counts, the
 * fragment run summary (cg_frsum), the cluster bitmap and cluster
 * summary, the in-memory summary area (um_cs) and the superblock totals.
 * The group header is read, changed in disk byte order and written back
 * delayed through the buffer cache.  Everything runs under um_lock; the
 * only buffers taken under it are group headers and (for UFS2's lazily
 * initialised inode blocks) inode blocks, so no buffer holder ever waits
 * for um_lock while holding one of those.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/vnode.h>

#include "ffs.h"

#define CG_I32(ump, cg, f)	((int32_t)ffs_rd32(ump, (uint32_t)(cg)->f))

static void
ffs_add32(const struct ffs_mount *ump, int32_t *field, int32_t delta)
{
	*field = (int32_t)ffs_rd32(ump, (uint32_t)((int32_t)ffs_rd32(ump,
	    (uint32_t)*field) + delta));
}

static bool
ffs_bit(const uint8_t *map, int64_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static void
ffs_setbit(uint8_t *map, int64_t i, bool on)
{
	if (on)
		map[i >> 3] |= (uint8_t)(1 << (i & 7));
	else
		map[i >> 3] &= (uint8_t)~(1 << (i & 7));
}

/* A group header, busy.  Precondition: um_lock held. */
static int
ffs_cg_read(struct ffs_mount *ump, uint32_t c, struct buf **bpp)
{
	const struct ffs_cg *cg;
	int error;

	KASSERT(mutex_owned(&ump->um_lock));
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, ffs_cgstart(ump, c) +
	    ump->um_cblkno), (int)roundup(ump->um_cgsize, ump->um_fsize), 0,
	    bpp);
	if (error != 0) {
		brelse(*bpp, 0);
		return error;
	}
	cg = (*bpp)->b_data;
	if (ffs_rd32(ump, (uint32_t)cg->cg_magic) != FFS_CG_MAGIC ||
	    ffs_rd32(ump, (uint32_t)cg->cg_cgx) != c) {
		printf("ffs: cylinder group %u damaged\n", c);
		brelse(*bpp, 0);
		return EIO;
	}
	return 0;
}

struct ffs_cgv {		/* a group header and its maps */
	struct ffs_cg	*cg;
	uint8_t		*fmap;	/* fragments, set = free */
	uint8_t		*imap;	/* inodes, set = used */
	uint8_t		*cmap;	/* blocks, set = free (clusters) */
	int32_t		*csum;	/* cluster summary */
	int64_t		ndblk;
};

static void
ffs_cgv(struct ffs_mount *ump, struct buf *bp, struct ffs_cgv *v)
{
	v->cg = bp->b_data;
	v->fmap = (uint8_t *)v->cg + CG_I32(ump, v->cg, cg_freeoff);
	v->imap = (uint8_t *)v->cg + CG_I32(ump, v->cg, cg_iusedoff);
	v->cmap = (uint8_t *)v->cg + CG_I32(ump, v->cg, cg_clusteroff);
	v->csum = (int32_t *)((uint8_t *)v->cg +
	    CG_I32(ump, v->cg, cg_clustersumoff));
	v->ndblk = CG_I32(ump, v->cg, cg_ndblk);
}

static bool
ffs_blkfree(struct ffs_mount *ump, struct ffs_cgv *v, int64_t b)
{
	uint32_t i;

	if (b + ump->um_frag > v->ndblk)
		return false;
	for (i = 0; i < ump->um_frag; i++)
		if (!ffs_bit(v->fmap, b + i))
			return false;
	return true;
}

/* Add (cnt 1) or remove (-1) the free runs of block b to cg_frsum. */
static void
ffs_fragacct(struct ffs_mount *ump, struct ffs_cgv *v, int64_t b, int cnt)
{
	uint32_t i, run = 0;

	for (i = 0; i < ump->um_frag; i++) {
		if (b + i < v->ndblk && ffs_bit(v->fmap, b + i)) {
			run++;
			continue;
		}
		if (run > 0)
			ffs_add32(ump, &v->cg->cg_frsum[run], cnt);
		run = 0;
	}
	if (run > 0 && run < ump->um_frag)
		ffs_add32(ump, &v->cg->cg_frsum[run], cnt);
}

/* Block number blk (in the group, blocks) became free (1) or used (-1). */
static void
ffs_clusteracct(struct ffs_mount *ump, struct ffs_cgv *v, int64_t blk,
    int cnt)
{
	int64_t nblk = v->ndblk / ump->um_frag, i;
	int32_t back = 0, forw = 0, lim = ump->um_contig;

	if (lim <= 0)
		return;
	ffs_setbit(v->cmap, blk, cnt > 0);
	for (i = blk + 1; i < nblk && forw < lim && ffs_bit(v->cmap, i); i++)
		forw++;
	for (i = blk - 1; i >= 0 && back < lim && ffs_bit(v->cmap, i); i--)
		back++;
	ffs_add32(ump, &v->csum[MIN(back + forw + 1, lim)], cnt);
	if (back > 0)
		ffs_add32(ump, &v->csum[back], -cnt);
	if (forw > 0)
		ffs_add32(ump, &v->csum[forw], -cnt);
}

/* Take n fragments at off (group-relative, inside one block). */
static void
ffs_cg_take(struct ffs_mount *ump, uint32_t c, struct ffs_cgv *v,
    int64_t off, uint32_t n)
{
	int64_t b = rounddown(off, (int64_t)ump->um_frag);
	uint32_t i;

	if (ffs_blkfree(ump, v, b)) {
		ffs_add32(ump, &v->cg->cg_cs.cs_nbfree, -1);
		ffs_add32(ump, &v->cg->cg_cs.cs_nffree, (int32_t)ump->um_frag);
		ump->um_cs[c].cs_nbfree--;
		ump->um_cs[c].cs_nffree += (int32_t)ump->um_frag;
		ump->um_nbfree--;
		ump->um_nffree += ump->um_frag;
		ffs_clusteracct(ump, v, b / ump->um_frag, -1);
	} else {
		ffs_fragacct(ump, v, b, -1);
	}
	for (i = 0; i < n; i++)
		ffs_setbit(v->fmap, off + i, false);
	ffs_add32(ump, &v->cg->cg_cs.cs_nffree, -(int32_t)n);
	ump->um_cs[c].cs_nffree -= (int32_t)n;
	ump->um_nffree -= n;
	ffs_fragacct(ump, v, b, 1);
}

/* Give back n fragments at off. */
static void
ffs_cg_give(struct ffs_mount *ump, uint32_t c, struct ffs_cgv *v,
    int64_t off, uint32_t n)
{
	int64_t b = rounddown(off, (int64_t)ump->um_frag);
	uint32_t i;

	ffs_fragacct(ump, v, b, -1);
	for (i = 0; i < n; i++)
		ffs_setbit(v->fmap, off + i, true);
	ffs_add32(ump, &v->cg->cg_cs.cs_nffree, (int32_t)n);
	ump->um_cs[c].cs_nffree += (int32_t)n;
	ump->um_nffree += n;
	if (ffs_blkfree(ump, v, b)) {
		ffs_add32(ump, &v->cg->cg_cs.cs_nbfree, 1);
		ffs_add32(ump, &v->cg->cg_cs.cs_nffree, -(int32_t)ump->um_frag);
		ump->um_cs[c].cs_nbfree++;
		ump->um_cs[c].cs_nffree -= (int32_t)ump->um_frag;
		ump->um_nbfree++;
		ump->um_nffree -= ump->um_frag;
		ffs_clusteracct(ump, v, b / ump->um_frag, 1);
	} else {
		ffs_fragacct(ump, v, b, 1);
	}
}

/*
 * n free fragments inside one block of group c, or -1.  Whole blocks are
 * searched from the group's rotor (the last block handed out), so a file
 * written in order gets its blocks in order without rescanning the
 * group's used part each time.
 */
static int64_t
ffs_cg_find(struct ffs_mount *ump, struct ffs_cgv *v, uint32_t n)
{
	int64_t b, i, run, nblk = v->ndblk / ump->um_frag, start;

	if (n < ump->um_frag) {
		/* a run in a partly used block first, then a whole block */
		for (b = 0; b < v->ndblk; b += ump->um_frag) {
			if (ffs_blkfree(ump, v, b))
				continue;
			run = 0;
			for (i = b; i < b + ump->um_frag && i < v->ndblk; i++) {
				run = ffs_bit(v->fmap, i) ? run + 1 : 0;
				if (run == n)
					return i + 1 - n;
			}
		}
	}
	start = CG_I32(ump, v->cg, cg_rotor) / (int64_t)ump->um_frag;
	if (start < 0 || start >= nblk)
		start = 0;
	for (i = 0; i < nblk; i++) {
		b = ((start + i) % nblk) * ump->um_frag;
		if (ffs_blkfree(ump, v, b)) {
			v->cg->cg_rotor = (int32_t)ffs_rd32(ump, (uint32_t)b);
			return b;
		}
	}
	return -1;
}

/*
 * Allocate nfrags (1..frag; frag = a whole block, aligned) contiguous
 * fragments inside one block, preferring group prefcg.  ENOSPC when no
 * group has room.
 */
int
ffs_alloc(struct ffs_mount *ump, uint32_t prefcg, uint32_t nfrags,
    int64_t *addrp)
{
	struct ffs_cgv v;
	struct buf *bp;
	uint32_t i, c;
	int64_t off;
	int error;

	KASSERT(nfrags >= 1 && nfrags <= ump->um_frag);
	mutex_enter(&ump->um_lock);
	for (i = 0; i < ump->um_ncg; i++) {
		c = (prefcg + i) % ump->um_ncg;
		if (ump->um_cs[c].cs_nbfree == 0 &&
		    (nfrags == ump->um_frag ||
		    ump->um_cs[c].cs_nffree < (int32_t)nfrags))
			continue;
		error = ffs_cg_read(ump, c, &bp);
		if (error != 0)
			goto out;
		ffs_cgv(ump, bp, &v);
		off = ffs_cg_find(ump, &v, nfrags);
		if (off < 0) {
			brelse(bp, 0);
			continue;
		}
		ffs_cg_take(ump, c, &v, off, nfrags);
		bdwrite(bp);
		*addrp = (int64_t)c * ump->um_fpg + off;
		error = 0;
		goto out;
	}
	error = ENOSPC;
out:
	mutex_exit(&ump->um_lock);
	return error;
}

/* Free nfrags fragments at addr (inside one block). */
int
ffs_free(struct ffs_mount *ump, int64_t addr, uint32_t nfrags)
{
	struct ffs_cgv v;
	struct buf *bp;
	uint32_t c = ffs_dtog(ump, addr), i;
	int64_t off = addr - (int64_t)c * ump->um_fpg;
	int error;

	if (addr <= 0 || addr + nfrags > ump->um_size || nfrags == 0 ||
	    off % ump->um_frag + nfrags > ump->um_frag) {
		printf("ffs: freeing bad block %lld (%u fragments)\n",
		    (long long)addr, nfrags);
		return EIO;
	}
	mutex_enter(&ump->um_lock);
	error = ffs_cg_read(ump, c, &bp);
	if (error != 0)
		goto out;
	ffs_cgv(ump, bp, &v);
	for (i = 0; i < nfrags; i++) {
		if (ffs_bit(v.fmap, off + i)) {
			printf("ffs: freeing free fragment %lld\n",
			    (long long)(addr + i));
			brelse(bp, 0);
			error = EIO;
			goto out;
		}
	}
	ffs_cg_give(ump, c, &v, off, nfrags);
	bdwrite(bp);
out:
	mutex_exit(&ump->um_lock);
	return error;
}

/* UFS2 initialises inode blocks lazily: zero the next one. */
static int
ffs_cg_initinodes(struct ffs_mount *ump, uint32_t c, struct ffs_cgv *v)
{
	int32_t inited = CG_I32(ump, v->cg, cg_initediblk);
	struct buf *bp;
	int64_t fsba;

	if (inited < 0 || (uint32_t)inited >= ump->um_ipg) {
		printf("ffs: cylinder group %u: %d initialised inodes\n", c,
		    inited);
		return EIO;
	}
	fsba = ffs_cgstart(ump, c) + ump->um_iblkno +
	    (int64_t)(inited / (int32_t)ump->um_inopb) * ump->um_frag;
	bp = getblk(ump->um_devvp, ffs_fsbtodb(ump, fsba), (int)ump->um_bsize,
	    0, 0);
	memset(bp->b_data, 0, ump->um_bsize);
	bp->b_flags |= B_DONE;
	bdwrite(bp);
	ffs_add32(ump, &v->cg->cg_initediblk, (int32_t)ump->um_inopb);
	return 0;
}

/* Group for a new inode: files near prefcg, directories spread out. */
static uint32_t
ffs_ipref(struct ffs_mount *ump, uint32_t prefcg, bool dir)
{
	uint32_t c, best = prefcg;

	if (!dir || ump->um_ncg == 1)
		return prefcg;
	for (c = 0; c < ump->um_ncg; c++) {
		if (ump->um_cs[c].cs_nifree == 0)
			continue;
		if (ump->um_cs[best].cs_nifree == 0 ||
		    ump->um_cs[c].cs_ndir < ump->um_cs[best].cs_ndir)
			best = c;
	}
	return best;
}

/* Allocate an inode number; ENOSPC when none is free. */
int
ffs_ialloc(struct ffs_mount *ump, uint32_t prefcg, bool dir, uint64_t *inop)
{
	struct ffs_cgv v;
	struct buf *bp;
	uint32_t i, c, start;
	int64_t n;
	int error;

	mutex_enter(&ump->um_lock);
	start = ffs_ipref(ump, prefcg % ump->um_ncg, dir);
	for (i = 0; i < ump->um_ncg; i++) {
		c = (start + i) % ump->um_ncg;
		if (ump->um_cs[c].cs_nifree <= 0)
			continue;
		error = ffs_cg_read(ump, c, &bp);
		if (error != 0)
			goto out;
		ffs_cgv(ump, bp, &v);
		for (n = 0; n < ump->um_ipg; n++)
			if (!ffs_bit(v.imap, n) &&
			    (c != 0 || n >= FFS_ROOTINO))
				break;
		if (n == ump->um_ipg) {
			brelse(bp, 0);
			continue;
		}
		while (ump->um_ufs2 && n >= CG_I32(ump, v.cg, cg_initediblk)) {
			error = ffs_cg_initinodes(ump, c, &v);
			if (error != 0) {
				brelse(bp, 0);
				goto out;
			}
		}
		ffs_setbit(v.imap, n, true);
		ffs_add32(ump, &v.cg->cg_cs.cs_nifree, -1);
		ump->um_cs[c].cs_nifree--;
		ump->um_nifree--;
		if (dir) {
			ffs_add32(ump, &v.cg->cg_cs.cs_ndir, 1);
			ump->um_cs[c].cs_ndir++;
			ump->um_ndir++;
		}
		bdwrite(bp);
		*inop = (uint64_t)c * ump->um_ipg + (uint64_t)n;
		error = 0;
		goto out;
	}
	error = ENOSPC;
out:
	mutex_exit(&ump->um_lock);
	return error;
}

int
ffs_ifree(struct ffs_mount *ump, uint64_t ino, bool dir)
{
	struct ffs_cgv v;
	struct buf *bp;
	uint32_t c = (uint32_t)(ino / ump->um_ipg);
	int64_t n = (int64_t)(ino % ump->um_ipg);
	int error;

	mutex_enter(&ump->um_lock);
	error = ffs_cg_read(ump, c, &bp);
	if (error != 0)
		goto out;
	ffs_cgv(ump, bp, &v);
	if (!ffs_bit(v.imap, n)) {
		printf("ffs: freeing free inode %llu\n",
		    (unsigned long long)ino);
		brelse(bp, 0);
		error = EIO;
		goto out;
	}
	ffs_setbit(v.imap, n, false);
	ffs_add32(ump, &v.cg->cg_cs.cs_nifree, 1);
	ump->um_cs[c].cs_nifree++;
	ump->um_nifree++;
	if (dir) {
		ffs_add32(ump, &v.cg->cg_cs.cs_ndir, -1);
		ump->um_cs[c].cs_ndir--;
		ump->um_ndir--;
	}
	bdwrite(bp);
out:
	mutex_exit(&ump->um_lock);
	return error;
}
