/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_super.c: finding, checking and decoding the FFS superblock, and
 * checking the cylinder group headers, at mount time (ffs_vfsops.c).
 *
 * Nothing from the disk is trusted: every size, count and offset that is
 * used later to compute an address or index memory is checked here
 * against the others and against the device size.  A superblock that does
 * not add up is refused with EINVAL and one printf line saying what did
 * not; an I/O error reading it is returned as it is.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/vnode.h>

#include "ffs.h"

/* Where to look, in order (a UFS2 made by newfs sits at 64 KiB). */
static const int64_t ffs_sb_locations[] = { FFS_SBLOCK_UFS2, FFS_SBLOCK_UFS1 };

static int
ffs_log2(uint64_t v)
{
	int n = 0;

	if (v == 0 || !powerof2(v))
		return -1;
	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* One line saying what does not add up; the mount fails with EINVAL. */
#define FFS_SB_BAD(name, fmt, ...) do {					\
	printf("ffs: %s: bad superblock: " fmt "\n", name, ##__VA_ARGS__); \
	return EINVAL;							\
} while (0)

/*
 * Decode and check the superblock fs (still in disk byte order; ump has
 * um_ufs2, um_swap and um_sblockloc set).  devbytes: the device's size.
 */
static int
ffs_sb_decode(struct ffs_mount *ump, const struct ffs_fs *fs,
    uint64_t devbytes, const char *name)
{
	int32_t bsize, fsize, frag, ipg, ncg, sbsize, cgsize, msl, fmt;
	int64_t fpg, size, dsize, csaddr, lastcg, bound;
	uint32_t ptrsize, cssize, flags;
	uint64_t maxfile;

#define R32(f)	((int32_t)ffs_rd32(ump, (uint32_t)fs->f))
#define R64(f)	((int64_t)ffs_rd64(ump, (uint64_t)fs->f))
	bsize = R32(fs_bsize);
	fsize = R32(fs_fsize);
	frag = R32(fs_frag);
	if (bsize < FFS_MINBSIZE || bsize > FFS_MAXBSIZE || !powerof2(bsize))
		FFS_SB_BAD(name, "block size %d", bsize);
	if (fsize < DEV_BSIZE || fsize > bsize || !powerof2(fsize))
		FFS_SB_BAD(name, "fragment size %d", fsize);
	if (bsize / fsize > FFS_MAXFRAG || frag != bsize / fsize)
		FFS_SB_BAD(name, "%d fragments per %d-byte block of %d-byte "
		    "fragments", frag, bsize, fsize);
	if (R32(fs_bshift) != ffs_log2((uint64_t)bsize) ||
	    R32(fs_fshift) != ffs_log2((uint64_t)fsize) ||
	    R32(fs_fragshift) != ffs_log2((uint64_t)frag) ||
	    R32(fs_fsbtodb) != ffs_log2((uint64_t)fsize) - DEV_BSHIFT ||
	    R32(fs_bmask) != ~(bsize - 1) || R32(fs_fmask) != ~(fsize - 1))
		FFS_SB_BAD(name, "shifts and masks disagree with the sizes");
	sbsize = R32(fs_sbsize);
	if (sbsize < (int32_t)sizeof(struct ffs_fs) || sbsize > FFS_SBLOCKSIZE)
		FFS_SB_BAD(name, "superblock size %d", sbsize);

	ump->um_dinodesize = ump->um_ufs2 ? sizeof(struct ffs_ufs2_dinode) :
	    sizeof(struct ffs_ufs1_dinode);
	ptrsize = ump->um_ufs2 ? sizeof(int64_t) : sizeof(int32_t);
	if (R32(fs_inopb) != bsize / (int32_t)ump->um_dinodesize ||
	    R32(fs_nindir) != bsize / (int32_t)ptrsize)
		FFS_SB_BAD(name, "inodes per block %d, pointers per block %d",
		    R32(fs_inopb), R32(fs_nindir));

	ncg = R32(fs_ncg);
	ipg = R32(fs_ipg);
	fpg = R32(fs_fpg);
	if (ncg < 1 || ipg < 1 || ipg % R32(fs_inopb) != 0 ||
	    fpg < frag || fpg % frag != 0)
		FFS_SB_BAD(name, "%d groups of %d inodes and %lld fragments",
		    ncg, ipg, (long long)fpg);
	if ((uint64_t)ncg * (uint64_t)ipg > 0xffffffffULL)
		FFS_SB_BAD(name, "more than 2^32 inodes");

	ump->um_sblkno = R32(fs_sblkno);
	ump->um_cblkno = R32(fs_cblkno);
	ump->um_iblkno = R32(fs_iblkno);
	ump->um_dblkno = R32(fs_dblkno);
	cgsize = R32(fs_cgsize);
	if (ump->um_sblkno < 0 || ump->um_sblkno >= ump->um_cblkno ||
	    ump->um_cblkno >= ump->um_iblkno ||
	    ump->um_iblkno >= ump->um_dblkno ||
	    ump->um_iblkno + (int64_t)(ipg / R32(fs_inopb)) * frag >
	    ump->um_dblkno || ump->um_dblkno > fpg)
		FFS_SB_BAD(name, "group layout: super %lld, header %lld, "
		    "inodes %lld, data %lld of %lld fragments",
		    (long long)ump->um_sblkno, (long long)ump->um_cblkno,
		    (long long)ump->um_iblkno, (long long)ump->um_dblkno,
		    (long long)fpg);
	if (cgsize < (int32_t)sizeof(struct ffs_cg) || cgsize > bsize ||
	    ump->um_cblkno + howmany(cgsize, fsize) > ump->um_iblkno)
		FFS_SB_BAD(name, "group header size %d", cgsize);

	/* UFS1 staggers each group's metadata by cgoffset * (c & ~mask). */
	if (ump->um_ufs2) {
		ump->um_cgoffset = 0;
		ump->um_cgmask = 0xffffffffU;
	} else {
		ump->um_cgoffset = R32(fs_old_cgoffset);
		ump->um_cgmask = (uint32_t)R32(fs_old_cgmask);
		bound = MIN((int64_t)(~ump->um_cgmask), (int64_t)ncg - 1);
		if (ump->um_cgoffset < 0 || ump->um_cgoffset > fpg ||
		    ump->um_cgoffset * bound + ump->um_dblkno > fpg)
			FFS_SB_BAD(name, "group offset %lld, mask %#x",
			    (long long)ump->um_cgoffset, ump->um_cgmask);
	}

	flags = (uint32_t)R32(fs_flags);
	if (ump->um_ufs2 || (flags & FFS_FLAGS_UPDATED)) {
		size = R64(fs_size);
		dsize = R64(fs_dsize);
		csaddr = R64(fs_csaddr);
		ump->um_ndir = R64(fs_cstotal.cs_ndir);
		ump->um_nbfree = R64(fs_cstotal.cs_nbfree);
		ump->um_nifree = R64(fs_cstotal.cs_nifree);
		ump->um_nffree = R64(fs_cstotal.cs_nffree);
	} else {
		size = R32(fs_old_size);
		dsize = R32(fs_old_dsize);
		csaddr = R32(fs_old_csaddr);
		ump->um_ndir = R32(fs_old_cstotal.cs_ndir);
		ump->um_nbfree = R32(fs_old_cstotal.cs_nbfree);
		ump->um_nifree = R32(fs_old_cstotal.cs_nifree);
		ump->um_nffree = R32(fs_old_cstotal.cs_nffree);
	}
	if (size <= 0 || size > (int64_t)ncg * fpg ||
	    size <= ((int64_t)ncg - 1) * fpg)
		FFS_SB_BAD(name, "%lld fragments do not make %d groups of "
		    "%lld", (long long)size, ncg, (long long)fpg);
	lastcg = ((int64_t)ncg - 1) * fpg;
	if (ump->um_cgoffset * (int64_t)((uint32_t)(ncg - 1) &
	    ~ump->um_cgmask) + ump->um_dblkno > size - lastcg)
		FFS_SB_BAD(name, "the last group is too small for its "
		    "metadata");
	if (dsize <= 0 || dsize > size)
		FFS_SB_BAD(name, "%lld data fragments of %lld",
		    (long long)dsize, (long long)size);
	if ((uint64_t)size > devbytes / (uint64_t)fsize)
		FFS_SB_BAD(name, "the file system (%lld bytes) is larger than "
		    "the device (%llu bytes): truncated image?",
		    (long long)size * fsize, (unsigned long long)devbytes);
	cssize = (uint32_t)R32(fs_cssize);
	if (csaddr <= 0 || cssize == 0 ||
	    csaddr + (int64_t)howmany(cssize, (uint32_t)fsize) > size)
		FFS_SB_BAD(name, "summary area at %lld, %u bytes",
		    (long long)csaddr, cssize);
	if (ump->um_nbfree < 0 || ump->um_nffree < 0 || ump->um_nifree < 0 ||
	    ump->um_ndir < 0 || ump->um_nbfree > size / frag ||
	    ump->um_nifree > (int64_t)ncg * ipg)
		FFS_SB_BAD(name, "summary counts out of range");

	msl = R32(fs_maxsymlinklen);
	if (msl < 0 || msl > (ump->um_ufs2 ? FFS_UFS2_SHORTLINK :
	    FFS_UFS1_SHORTLINK))
		FFS_SB_BAD(name, "short symlink length %d", msl);
	fmt = R32(fs_old_inodefmt);
	if (!ump->um_ufs2 && fmt < FFS_FS_44INODEFMT)
		FFS_SB_BAD(name, "4.2BSD inode format %d is not supported", fmt);
	maxfile = (uint64_t)R64(fs_maxfilesize);
	if (maxfile == 0 || maxfile > (uint64_t)__INT64_MAX__)
		FFS_SB_BAD(name, "maximum file size %llu",
		    (unsigned long long)maxfile);
#undef R32
#undef R64
	if (cssize < (uint32_t)ncg * sizeof(struct ffs_csum))
		FFS_SB_BAD(name, "summary area of %u bytes for %d groups",
		    cssize, ncg);

	ump->um_size = size;
	ump->um_dsize = dsize;
	ump->um_ncg = (uint32_t)ncg;
	ump->um_ipg = (uint32_t)ipg;
	ump->um_fpg = fpg;
	ump->um_bsize = (uint32_t)bsize;
	ump->um_fsize = (uint32_t)fsize;
	ump->um_frag = (uint32_t)frag;
	ump->um_bshift = (uint32_t)ffs_log2((uint64_t)bsize);
	ump->um_fshift = (uint32_t)ffs_log2((uint64_t)fsize);
	ump->um_fsbtodb = ump->um_fshift - DEV_BSHIFT;
	ump->um_nindir = (uint32_t)bsize / ptrsize;
	ump->um_inopb = (uint32_t)bsize / ump->um_dinodesize;
	ump->um_cgsize = (uint32_t)cgsize;
	ump->um_maxsymlinklen = msl;
	ump->um_maxfilesize = maxfile;
	ump->um_minfree = (uint32_t)MIN(MAX(ffs_rd32(ump,
	    (uint32_t)fs->fs_minfree), 0U), 99U);
	ump->um_maxino = (uint64_t)ncg * (uint64_t)ipg;
	ump->um_clean = fs->fs_clean;
	ump->um_csaddr = csaddr;
	ump->um_cssize = cssize;
	ump->um_contig = MAX(0, MIN((int32_t)ffs_rd32(ump,
	    (uint32_t)fs->fs_contigsumsize), 64));
	return 0;
}

/*
 * Identify the superblock at location loc: 0 and the format in ump, or
 * ENOENT if there is none there.
 */
static int
ffs_sb_identify(struct ffs_mount *ump, const struct ffs_fs *fs, int64_t loc)
{
	uint32_t magic = (uint32_t)fs->fs_magic;
	int64_t sbloc;

	if (magic == FFS_UFS2_MAGIC || magic == __builtin_bswap32(FFS_UFS2_MAGIC)) {
		ump->um_ufs2 = true;
		ump->um_swap = magic != FFS_UFS2_MAGIC;
		/* A UFS2 superblock says where it is (that is how a stray
		 * copy is told from the real one). */
		sbloc = (int64_t)ffs_rd64(ump, (uint64_t)fs->fs_sblockloc);
		return sbloc == loc ? 0 : ENOENT;
	}
	if ((magic == FFS_UFS1_MAGIC ||
	    magic == __builtin_bswap32(FFS_UFS1_MAGIC)) &&
	    loc == FFS_SBLOCK_UFS1) {
		ump->um_ufs2 = false;
		ump->um_swap = magic != FFS_UFS1_MAGIC;
		return 0;
	}
	return ENOENT;
}

/*
 * Find the superblock on the device, check it and fill ump's geometry.
 * EINVAL (with a message) for a device without a valid FFS; I/O errors
 * as they come.  Precondition: ump->um_devvp open; no locks held.
 */
int
ffs_sb_load(struct ffs_mount *ump, uint64_t devbytes, const char *name)
{
	struct buf *bp;
	int64_t loc;
	size_t i;
	int error;

	for (i = 0; i < __arraycount(ffs_sb_locations); i++) {
		loc = ffs_sb_locations[i];
		if ((uint64_t)loc + FFS_SBLOCKSIZE > devbytes)
			continue;
		error = bread(ump->um_devvp, loc >> DEV_BSHIFT, FFS_SBLOCKSIZE,
		    0, &bp);
		if (error != 0) {
			brelse(bp, 0);
			printf("ffs: %s: reading the superblock at %lld: "
			    "error %d\n", name, (long long)loc, error);
			return error;
		}
		error = ffs_sb_identify(ump, bp->b_data, loc);
		if (error == 0) {
			ump->um_sblockloc = loc;
			error = ffs_sb_decode(ump, bp->b_data, devbytes, name);
			/* Dropped: later reads use other buffer sizes. */
			brelse(bp, B_INVAL);
			return error;
		}
		brelse(bp, B_INVAL);
	}
	printf("ffs: %s: no FFS superblock found (UFS1 or UFS2, either "
	    "byte order)\n", name);
	return EINVAL;
}

#define FFS_CG_BAD(name, c, fmt, ...) do {				\
	printf("ffs: %s: bad cylinder group %u: " fmt "\n", name, c,	\
	    ##__VA_ARGS__);						\
	error = EINVAL;							\
	goto out;							\
} while (0)

/*
 * Check every cylinder group header against the superblock: magic, index,
 * size, inode count, bitmap offsets and (with clusters) the cluster map
 * and summary offsets.  The allocator (ffs_alloc.c) indexes the maps by
 * these offsets, so nothing outside the header can be written through
 * them.
 */
int
ffs_cg_check(struct ffs_mount *ump, const char *name)
{
	const struct ffs_cg *cg;
	struct buf *bp;
	uint32_t c, len = roundup(ump->um_cgsize, ump->um_fsize);
	int64_t addr, ndblk;
	int32_t iused, freeoff, nextfree, niblk, csumoff, clusteroff;
	int error = 0;

	for (c = 0; c < ump->um_ncg; c++) {
		addr = ffs_cgstart(ump, c) + ump->um_cblkno;
		error = bread(ump->um_devvp, ffs_fsbtodb(ump, addr), (int)len,
		    0, &bp);
		if (error != 0) {
			printf("ffs: %s: reading cylinder group %u: error %d\n",
			    name, c, error);
			goto out;
		}
		cg = bp->b_data;
		ndblk = c + 1 < ump->um_ncg ? ump->um_fpg :
		    ump->um_size - ump->um_fpg * (int64_t)c;
		iused = (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_iusedoff);
		freeoff = (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_freeoff);
		nextfree = (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_nextfreeoff);
		niblk = ump->um_ufs2 ?
		    (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_niblk) :
		    (int32_t)(uint16_t)ffs_rd16(ump, (uint16_t)cg->cg_old_niblk);
		if (ffs_rd32(ump, (uint32_t)cg->cg_magic) != FFS_CG_MAGIC)
			FFS_CG_BAD(name, c, "magic %#x",
			    ffs_rd32(ump, (uint32_t)cg->cg_magic));
		if (ffs_rd32(ump, (uint32_t)cg->cg_cgx) != c)
			FFS_CG_BAD(name, c, "it says it is group %u",
			    ffs_rd32(ump, (uint32_t)cg->cg_cgx));
		if ((int64_t)(int32_t)ffs_rd32(ump, (uint32_t)cg->cg_ndblk) !=
		    ndblk)
			FFS_CG_BAD(name, c, "%d fragments, expected %lld",
			    (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_ndblk),
			    (long long)ndblk);
		if ((uint32_t)niblk != (ump->um_ufs2 ? ump->um_ipg :
		    (ump->um_ipg & 0xffff)))
			FFS_CG_BAD(name, c, "%d inodes, expected %u", niblk,
			    ump->um_ipg);
		if (iused < (int32_t)sizeof(struct ffs_cg) || freeoff < iused ||
		    (int64_t)iused + howmany(ump->um_ipg, 8) > freeoff ||
		    (int64_t)freeoff + howmany(ndblk, 8) > nextfree ||
		    nextfree > (int32_t)ump->um_cgsize)
			FFS_CG_BAD(name, c, "bitmap offsets %d, %d, %d of %u "
			    "bytes", iused, freeoff, nextfree, ump->um_cgsize);
		csumoff = (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_clustersumoff);
		clusteroff = (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_clusteroff);
		if (ump->um_contig > 0 && (csumoff < (int32_t)sizeof(*cg) ||
		    csumoff % 4 != 0 || clusteroff < (int32_t)sizeof(*cg) ||
		    (int64_t)csumoff + 4 * (ump->um_contig + 1) >
		    (int64_t)ump->um_cgsize || (int64_t)clusteroff +
		    howmany(ndblk / ump->um_frag, 8) > (int64_t)ump->um_cgsize))
			FFS_CG_BAD(name, c, "cluster offsets %d, %d of %u bytes",
			    csumoff, clusteroff, ump->um_cgsize);
		if (ump->um_ufs2 && ((int32_t)ffs_rd32(ump,
		    (uint32_t)cg->cg_initediblk) < 0 || ffs_rd32(ump,
		    (uint32_t)cg->cg_initediblk) > ump->um_ipg))
			FFS_CG_BAD(name, c, "%d initialised inodes",
			    (int32_t)ffs_rd32(ump, (uint32_t)cg->cg_initediblk));
		brelse(bp, 0);
	}
	return 0;

out:
	brelse(bp, 0);
	return error;
}

/* ---------------------------------------------------------------- writing */

/*
 * Read the summary area (per-group counts) into um_cs.  Precondition: a
 * read-write mount being set up; no locks.
 */
int
ffs_cs_load(struct ffs_mount *ump)
{
	const struct ffs_csum *cs;
	struct buf *bp;
	uint32_t c;
	int error;

	error = bread(ump->um_devvp, ffs_fsbtodb(ump, ump->um_csaddr),
	    (int)roundup(ump->um_cssize, ump->um_fsize), 0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	cs = bp->b_data;
	for (c = 0; c < ump->um_ncg; c++) {
		ump->um_cs[c].cs_ndir = (int32_t)ffs_rd32(ump,
		    (uint32_t)cs[c].cs_ndir);
		ump->um_cs[c].cs_nbfree = (int32_t)ffs_rd32(ump,
		    (uint32_t)cs[c].cs_nbfree);
		ump->um_cs[c].cs_nifree = (int32_t)ffs_rd32(ump,
		    (uint32_t)cs[c].cs_nifree);
		ump->um_cs[c].cs_nffree = (int32_t)ffs_rd32(ump,
		    (uint32_t)cs[c].cs_nffree);
	}
	brelse(bp, 0);
	return 0;
}

#define W32(v)	((int32_t)ffs_rd32(ump, (uint32_t)(v)))
#define W64(v)	((int64_t)ffs_rd64(ump, (uint64_t)(v)))

/*
 * Write the summary area and the superblock's totals, time and clean
 * flag, synchronously (summary first, then the superblock).
 * Precondition: um_lock not held (taken here for the counts).
 */
int
ffs_sb_write(struct ffs_mount *ump, bool clean)
{
	struct ffs_csum *cs;
	struct ffs_fs *fs;
	struct buf *bp;
	struct timespec now;
	uint32_t c;
	int error;

	error = bread(ump->um_devvp, ffs_fsbtodb(ump, ump->um_csaddr),
	    (int)roundup(ump->um_cssize, ump->um_fsize), 0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	cs = bp->b_data;
	mutex_enter(&ump->um_lock);
	for (c = 0; c < ump->um_ncg; c++) {
		cs[c].cs_ndir = W32(ump->um_cs[c].cs_ndir);
		cs[c].cs_nbfree = W32(ump->um_cs[c].cs_nbfree);
		cs[c].cs_nifree = W32(ump->um_cs[c].cs_nifree);
		cs[c].cs_nffree = W32(ump->um_cs[c].cs_nffree);
	}
	mutex_exit(&ump->um_lock);
	error = bwrite(bp);
	if (error != 0)
		return error;

	error = bread(ump->um_devvp, ump->um_sblockloc >> DEV_BSHIFT,
	    FFS_SBLOCKSIZE, 0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	fs = bp->b_data;
	nanotime(&now);
	mutex_enter(&ump->um_lock);
	fs->fs_cstotal.cs_ndir = W64(ump->um_ndir);
	fs->fs_cstotal.cs_nbfree = W64(ump->um_nbfree);
	fs->fs_cstotal.cs_nifree = W64(ump->um_nifree);
	fs->fs_cstotal.cs_nffree = W64(ump->um_nffree);
	if (!ump->um_ufs2) {
		fs->fs_old_cstotal.cs_ndir = W32(ump->um_ndir);
		fs->fs_old_cstotal.cs_nbfree = W32(ump->um_nbfree);
		fs->fs_old_cstotal.cs_nifree = W32(ump->um_nifree);
		fs->fs_old_cstotal.cs_nffree = W32(ump->um_nffree);
		fs->fs_old_time = W32(now.tv_sec);
	}
	mutex_exit(&ump->um_lock);
	fs->fs_time = W64(now.tv_sec);
	fs->fs_clean = clean ? 1 : 0;
	fs->fs_fmod = 0;
	ump->um_clean = fs->fs_clean;
	return bwrite(bp);
}
