/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_inode.c: FFS inodes: loading an inode from its inode block and
 * decoding it (UFS1 or UFS2, either byte order) into struct ffs_inode;
 * mapping a file's logical blocks to disk fragments through the direct
 * addresses and the single, double and triple indirect blocks; reading
 * file data (holes read as zeros).
 *
 * Callers: ffs_vfsops.c (loadvnode), ffs_vnops.c (read, readlink),
 * ffs_dir.c (directory blocks).  Every address taken from the disk is
 * checked against the file system's size before it is read; a bad one is
 * EIO with a message, never a wild read.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "ffs.h"

bool
ffs_addr_ok(const struct ffs_mount *ump, int64_t daddr, uint32_t bytes)
{
	return daddr > 0 && daddr < ump->um_size &&
	    (int64_t)howmany(bytes, ump->um_fsize) <= ump->um_size - daddr;
}

static void
ffs_ts(struct timespec *ts, int64_t sec, int32_t nsec)
{
	ts->tv_sec = sec;
	ts->tv_nsec = nsec >= 0 && nsec < 1000000000 ? nsec : 0;
}

static void
ffs_decode_ufs1(struct ffs_mount *ump, struct ffs_inode *ip,
    const struct ffs_ufs1_dinode *dp)
{
	int i;

	ip->i_mode = ffs_rd16(ump, dp->di_mode);
	ip->i_nlink = (uint16_t)ffs_rd16(ump, (uint16_t)dp->di_nlink);
	ip->i_size = (int64_t)ffs_rd64(ump, dp->di_size);
	ip->i_blocks = ffs_rd32(ump, dp->di_blocks);
	ip->i_flags = ffs_rd32(ump, dp->di_flags);
	ip->i_gen = ffs_rd32(ump, (uint32_t)dp->di_gen);
	ip->i_uid = ffs_rd32(ump, dp->di_uid);
	ip->i_gid = ffs_rd32(ump, dp->di_gid);
	ffs_ts(&ip->i_atime, (int32_t)ffs_rd32(ump, (uint32_t)dp->di_atime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_atimensec));
	ffs_ts(&ip->i_mtime, (int32_t)ffs_rd32(ump, (uint32_t)dp->di_mtime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_mtimensec));
	ffs_ts(&ip->i_ctime, (int32_t)ffs_rd32(ump, (uint32_t)dp->di_ctime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_ctimensec));
	ip->i_birthtime.tv_sec = 0;
	ip->i_birthtime.tv_nsec = 0;
	for (i = 0; i < FFS_NDADDR; i++)
		ip->i_db[i] = (int32_t)ffs_rd32(ump, (uint32_t)dp->di_db[i]);
	for (i = 0; i < FFS_NIADDR; i++)
		ip->i_ib[i] = (int32_t)ffs_rd32(ump, (uint32_t)dp->di_ib[i]);
	ip->i_rdev = ffs_rd32(ump, (uint32_t)dp->di_db[0]);
	memcpy(ip->i_shortlink, dp->di_db, FFS_UFS1_SHORTLINK);
}

static void
ffs_decode_ufs2(struct ffs_mount *ump, struct ffs_inode *ip,
    const struct ffs_ufs2_dinode *dp)
{
	int i;

	ip->i_mode = ffs_rd16(ump, dp->di_mode);
	ip->i_nlink = (uint16_t)ffs_rd16(ump, (uint16_t)dp->di_nlink);
	ip->i_size = (int64_t)ffs_rd64(ump, dp->di_size);
	ip->i_blocks = ffs_rd64(ump, dp->di_blocks);
	ip->i_flags = ffs_rd32(ump, dp->di_flags);
	ip->i_gen = ffs_rd32(ump, (uint32_t)dp->di_gen);
	ip->i_uid = ffs_rd32(ump, dp->di_uid);
	ip->i_gid = ffs_rd32(ump, dp->di_gid);
	ffs_ts(&ip->i_atime, (int64_t)ffs_rd64(ump, (uint64_t)dp->di_atime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_atimensec));
	ffs_ts(&ip->i_mtime, (int64_t)ffs_rd64(ump, (uint64_t)dp->di_mtime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_mtimensec));
	ffs_ts(&ip->i_ctime, (int64_t)ffs_rd64(ump, (uint64_t)dp->di_ctime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_ctimensec));
	ffs_ts(&ip->i_birthtime,
	    (int64_t)ffs_rd64(ump, (uint64_t)dp->di_birthtime),
	    (int32_t)ffs_rd32(ump, (uint32_t)dp->di_birthnsec));
	for (i = 0; i < FFS_NDADDR; i++)
		ip->i_db[i] = (int64_t)ffs_rd64(ump, (uint64_t)dp->di_db[i]);
	for (i = 0; i < FFS_NIADDR; i++)
		ip->i_ib[i] = (int64_t)ffs_rd64(ump, (uint64_t)dp->di_ib[i]);
	ip->i_rdev = ffs_rd64(ump, (uint64_t)dp->di_db[0]);
	memcpy(ip->i_shortlink, dp->di_db, FFS_UFS2_SHORTLINK);
}

/*
 * Load inode ino.  EIO (with a message) for an inode number out of range
 * (only a damaged directory names one), an unallocated inode or one of
 * impossible type or size.  Precondition: no locks held.
 */
int
ffs_inode_load(struct ffs_mount *ump, uint64_t ino, struct ffs_inode **ipp)
{
	struct ffs_inode *ip;
	struct buf *bp;
	uint32_t c, inblk;
	int64_t fsba;
	const char *bad = NULL;
	int error;

	*ipp = NULL;
	if (ino < FFS_ROOTINO || ino >= ump->um_maxino) {
		printf("ffs: inode number %llu out of range\n",
		    (unsigned long long)ino);
		return EIO;
	}
	c = (uint32_t)(ino / ump->um_ipg);
	inblk = (uint32_t)(ino % ump->um_ipg) / ump->um_inopb;
	fsba = ffs_cgstart(ump, c) + ump->um_iblkno +
	    (int64_t)inblk * ump->um_frag;
	if (!ffs_addr_ok(ump, fsba, ump->um_bsize)) {
		printf("ffs: inode %llu: inode block %lld outside the file "
		    "system\n", (unsigned long long)ino, (long long)fsba);
		return EIO;
	}
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, fsba), (int)ump->um_bsize,
	    0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	ip = kmem_zalloc(sizeof(*ip), KM_SLEEP);
	ip->i_ump = ump;
	ip->i_number = ino;
	if (ump->um_ufs2)
		ffs_decode_ufs2(ump, ip, (const struct ffs_ufs2_dinode *)
		    ((char *)bp->b_data + (ino % ump->um_inopb) *
		    ump->um_dinodesize));
	else
		ffs_decode_ufs1(ump, ip, (const struct ffs_ufs1_dinode *)
		    ((char *)bp->b_data + (ino % ump->um_inopb) *
		    ump->um_dinodesize));
	brelse(bp, 0);

	switch (ip->i_mode & FFS_IFMT) {
	case FFS_IFREG:
	case FFS_IFDIR:
	case FFS_IFLNK:
	case FFS_IFBLK:
	case FFS_IFCHR:
	case FFS_IFIFO:
	case FFS_IFSOCK:
		ip->i_type = iftovt(ip->i_mode & FFS_IFMT);
		break;
	default:
		bad = ip->i_mode == 0 ? "not allocated" : "unknown type";
		break;
	}
	if (bad == NULL && (ip->i_size < 0 ||
	    (uint64_t)ip->i_size > ump->um_maxfilesize))
		bad = "impossible size";
	if (bad == NULL && ip->i_type == VDIR &&
	    ip->i_size % FFS_DIRBLKSIZ != 0)
		bad = "directory size not a multiple of 512";
	if (bad != NULL) {
		printf("ffs: inode %llu: %s (mode %#o, size %lld)\n",
		    (unsigned long long)ino, bad, ip->i_mode,
		    (long long)ip->i_size);
		kmem_free(ip, sizeof(*ip));
		return EIO;
	}
	*ipp = ip;
	return 0;
}

void
ffs_inode_free(struct ffs_inode *ip)
{
	kmem_free(ip, sizeof(*ip));
}

/* ---------------------------------------------------------------- bmap */

/* Entry idx of the indirect block at daddr.  Precondition: no locks. */
static int
ffs_indir_get(struct ffs_inode *ip, int64_t daddr, uint64_t idx,
    int64_t *nextp)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *bp;
	int error;

	KASSERT(idx < ump->um_nindir);
	if (!ffs_addr_ok(ump, daddr, ump->um_bsize)) {
		printf("ffs: inode %llu: indirect block %lld outside the file "
		    "system\n", (unsigned long long)ip->i_number,
		    (long long)daddr);
		return EIO;
	}
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, daddr),
	    (int)ump->um_bsize, 0, &bp);
	if (error == 0) {
		if (ump->um_ufs2)
			*nextp = (int64_t)ffs_rd64(ump,
			    ((uint64_t *)bp->b_data)[idx]);
		else
			*nextp = (int32_t)ffs_rd32(ump,
			    ((uint32_t *)bp->b_data)[idx]);
	}
	brelse(bp, 0);
	return error;
}

/*
 * The fragment address of logical block lbn, 0 for a hole.  Blocks past
 * the triple indirect level are EFBIG.
 */
int
ffs_bmap(struct ffs_inode *ip, int64_t lbn, int64_t *daddrp)
{
	struct ffs_mount *ump = ip->i_ump;
	uint64_t n = ump->um_nindir, span = 1, rest, idx;
	int64_t daddr;
	int level, l, error;

	*daddrp = 0;
	if (lbn < 0)
		return EINVAL;
	if (lbn < FFS_NDADDR) {
		*daddrp = ip->i_db[lbn];
		return 0;
	}
	rest = (uint64_t)lbn - FFS_NDADDR;
	for (level = 0; level < FFS_NIADDR; level++) {
		span *= n;		/* blocks under one level-deep tree */
		if (rest < span)
			break;
		rest -= span;
	}
	if (level == FFS_NIADDR)
		return EFBIG;
	daddr = ip->i_ib[level];
	for (l = level; l >= 0; l--) {
		if (daddr == 0)
			return 0;	/* a hole, however deep */
		span /= n;
		idx = rest / span;
		rest %= span;
		error = ffs_indir_get(ip, daddr, idx, &daddr);
		if (error != 0)
			return error;
	}
	*daddrp = daddr;
	return 0;
}

int
ffs_bread_lbn(struct ffs_inode *ip, int64_t lbn, struct buf **bpp,
    uint32_t *sizep)
{
	struct ffs_mount *ump = ip->i_ump;
	uint32_t size = ffs_blksize(ump, ip, lbn);
	int64_t daddr;
	int error;

	*bpp = NULL;
	*sizep = size;
	error = ffs_bmap(ip, lbn, &daddr);
	if (error != 0)
		return error == EFBIG ? EIO : error;
	if (daddr == 0)
		return 0;
	if (!ffs_addr_ok(ump, daddr, size)) {
		printf("ffs: inode %llu: block %lld at %lld outside the file "
		    "system\n", (unsigned long long)ip->i_number,
		    (long long)lbn, (long long)daddr);
		return EIO;
	}
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, daddr), (int)size, 0,
	    bpp);
	if (error != 0) {
		brelse(*bpp, 0);
		*bpp = NULL;
	}
	return error;
}

/* ---------------------------------------------------------------- read */

/*
 * Read-ahead for sequential readers: a read of lbn right after lbn - 1
 * (or of block 0) keeps the blocks from lbn up to FFS_RA_BYTES ahead in
 * flight, topped up once half of them are consumed, each run of blocks
 * that are consecutive on the disk as one transfer (bio_readahead); a
 * read elsewhere starts over without read-ahead.  i_ranext and i_raend
 * are hints shared by concurrent readers (relaxed atomics): a lost
 * update costs a synchronous read or a block asked for twice (which
 * bio_readahead skips), nothing else.  Precondition: v_lock reader.
 */
static void
ffs_readahead(struct ffs_inode *ip, int64_t lbn)
{
	struct ffs_mount *ump = ip->i_ump;
	int64_t want = MAX(1, FFS_RA_BYTES >> ump->um_bshift);
	int64_t expect, next, end, daddr, d;
	uint32_t size;
	int n;

	expect = __atomic_load_n(&ip->i_ranext, __ATOMIC_RELAXED);
	__atomic_store_n(&ip->i_ranext, lbn + 1, __ATOMIC_RELAXED);
	if (lbn != expect) {
		__atomic_store_n(&ip->i_raend, lbn, __ATOMIC_RELAXED);
		if (lbn != 0)
			return;		/* not sequential */
	}
	next = MAX(__atomic_load_n(&ip->i_raend, __ATOMIC_RELAXED), lbn);
	end = MIN(lbn + want, howmany(ip->i_size, (int64_t)ump->um_bsize));
	if (next >= end || next - lbn > want / 2)
		return;			/* enough in flight */
	while (next < end) {
		size = ffs_blksize(ump, ip, next);
		if (ffs_bmap(ip, next, &daddr) != 0)
			break;
		if (daddr == 0 || !ffs_addr_ok(ump, daddr, size)) {
			next++;		/* a hole, or damage bread reports */
			continue;
		}
		for (n = 1; size == ump->um_bsize && next + n < end; n++) {
			if (ffs_bmap(ip, next + n, &d) != 0 ||
			    d != daddr + (int64_t)n * ump->um_frag ||
			    ffs_blksize(ump, ip, next + n) != size ||
			    !ffs_addr_ok(ump, d, size))
				break;
		}
		bio_readahead(ump->um_devvp, ffs_fsbtodb(ump, daddr),
		    (int)size, n);
		next += n;
	}
	__atomic_store_n(&ip->i_raend, next, __ATOMIC_RELAXED);
}

/* Read file data at uio_offset; stops at the end of the file. */
int
ffs_read(struct ffs_inode *ip, struct uio *uio)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *bp;
	uint32_t bsz, boff;
	int64_t lbn;
	size_t n;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && uio->uio_offset < ip->i_size) {
		lbn = uio->uio_offset >> ump->um_bshift;
		boff = (uint32_t)(uio->uio_offset & (ump->um_bsize - 1));
		ffs_readahead(ip, lbn);
		error = ffs_bread_lbn(ip, lbn, &bp, &bsz);
		if (error != 0)
			break;
		n = MIN((size_t)(ip->i_size - uio->uio_offset), uio->uio_resid);
		if (boff >= bsz) {
			/* a last block shorter than the size says */
			if (bp != NULL)
				brelse(bp, 0);
			printf("ffs: inode %llu: size %lld beyond its last "
			    "block\n", (unsigned long long)ip->i_number,
			    (long long)ip->i_size);
			error = EIO;
			break;
		}
		n = MIN(n, (size_t)(bsz - boff));
		if (bp == NULL) {
			error = uiomove_zero(n, uio);
		} else {
			error = uiomove((char *)bp->b_data + boff, n, uio);
			brelse(bp, 0);
		}
		if (error != 0)
			break;
	}
	return error;
}
