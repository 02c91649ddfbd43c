/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_balloc.c: changing files on read-write FFS mounts: writing an inode
 * back (ffs_iupdate), allocating a file's blocks through the direct
 * addresses and the indirect levels (ffs_balloc), growing the fragment
 * run of a short last block, truncation through every indirect level,
 * and file writes through the buffer cache.  Callers: ffs_vnops.c,
 * ffs_nsops.c, ffs_dirops.c.
 *
 * The shape every file keeps (what fsck and the checker expect): blocks
 * before the last are whole blocks; the last block of a file that has no
 * indirect blocks is a run of just enough fragments inside one block;
 * nothing is allocated past the end.  A data buffer is always read at
 * the address of its run with the run's current size; a run that is
 * freed or moved has its buffer dropped first, so no stale buffer can
 * later be written over a block that has a new owner.
 *
 * Recursion: the indirect truncation recurses once per indirect level
 * (at most three deep), never on anything the disk or a user controls.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "ffs.h"

void
ffs_itimes(struct ffs_inode *ip, bool atime, bool mtime, bool ctime)
{
	struct timespec now;

	nanotime(&now);
	if (atime)
		ip->i_atime = now;
	if (mtime)
		ip->i_mtime = now;
	if (ctime)
		ip->i_ctime = now;
}

static void
ffs_encode_ufs1(struct ffs_mount *ump, const struct ffs_inode *ip,
    struct ffs_ufs1_dinode *dp, bool shortlink)
{
	int i;

	dp->di_mode = ffs_rd16(ump, (uint16_t)ip->i_mode);
	dp->di_nlink = (int16_t)ffs_rd16(ump, (uint16_t)ip->i_nlink);
	dp->di_size = ffs_rd64(ump, (uint64_t)ip->i_size);
	dp->di_blocks = ffs_rd32(ump, (uint32_t)ip->i_blocks);
	dp->di_flags = ffs_rd32(ump, ip->i_flags);
	dp->di_gen = (int32_t)ffs_rd32(ump, ip->i_gen);
	dp->di_uid = ffs_rd32(ump, ip->i_uid);
	dp->di_gid = ffs_rd32(ump, ip->i_gid);
	dp->di_atime = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_atime.tv_sec);
	dp->di_atimensec = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_atime.tv_nsec);
	dp->di_mtime = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_mtime.tv_sec);
	dp->di_mtimensec = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_mtime.tv_nsec);
	dp->di_ctime = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_ctime.tv_sec);
	dp->di_ctimensec = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_ctime.tv_nsec);
	if (shortlink) {
		memcpy(dp->di_db, ip->i_shortlink, FFS_UFS1_SHORTLINK);
		return;
	}
	for (i = 0; i < FFS_NDADDR; i++)
		dp->di_db[i] = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_db[i]);
	for (i = 0; i < FFS_NIADDR; i++)
		dp->di_ib[i] = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_ib[i]);
}

static void
ffs_encode_ufs2(struct ffs_mount *ump, const struct ffs_inode *ip,
    struct ffs_ufs2_dinode *dp, bool shortlink)
{
	int i;

	dp->di_mode = ffs_rd16(ump, (uint16_t)ip->i_mode);
	dp->di_nlink = (int16_t)ffs_rd16(ump, (uint16_t)ip->i_nlink);
	dp->di_size = ffs_rd64(ump, (uint64_t)ip->i_size);
	dp->di_blocks = ffs_rd64(ump, ip->i_blocks);
	dp->di_flags = ffs_rd32(ump, ip->i_flags);
	dp->di_gen = (int32_t)ffs_rd32(ump, ip->i_gen);
	dp->di_uid = ffs_rd32(ump, ip->i_uid);
	dp->di_gid = ffs_rd32(ump, ip->i_gid);
	dp->di_atime = (int64_t)ffs_rd64(ump, (uint64_t)ip->i_atime.tv_sec);
	dp->di_atimensec = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_atime.tv_nsec);
	dp->di_mtime = (int64_t)ffs_rd64(ump, (uint64_t)ip->i_mtime.tv_sec);
	dp->di_mtimensec = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_mtime.tv_nsec);
	dp->di_ctime = (int64_t)ffs_rd64(ump, (uint64_t)ip->i_ctime.tv_sec);
	dp->di_ctimensec = (int32_t)ffs_rd32(ump, (uint32_t)ip->i_ctime.tv_nsec);
	dp->di_birthtime = (int64_t)ffs_rd64(ump,
	    (uint64_t)ip->i_birthtime.tv_sec);
	dp->di_birthnsec = (int32_t)ffs_rd32(ump,
	    (uint32_t)ip->i_birthtime.tv_nsec);
	if (shortlink) {
		memcpy(dp->di_db, ip->i_shortlink, FFS_UFS2_SHORTLINK);
		return;
	}
	for (i = 0; i < FFS_NDADDR; i++)
		dp->di_db[i] = (int64_t)ffs_rd64(ump, (uint64_t)ip->i_db[i]);
	for (i = 0; i < FFS_NIADDR; i++)
		dp->di_ib[i] = (int64_t)ffs_rd64(ump, (uint64_t)ip->i_ib[i]);
}

/*
 * Write the in-memory inode into its inode block (delayed write); a new
 * inode (fresh) has its whole on-disk record cleared first.
 */
static int
ffs_iwrite(struct ffs_inode *ip, bool fresh)
{
	struct ffs_mount *ump = ip->i_ump;
	uint64_t ino = ip->i_number;
	struct buf *bp;
	int64_t fsba;
	char *dp;
	bool shortlink;
	int error;

	fsba = ffs_cgstart(ump, (uint32_t)(ino / ump->um_ipg)) +
	    ump->um_iblkno + (int64_t)((ino % ump->um_ipg) / ump->um_inopb) *
	    ump->um_frag;
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, fsba), (int)ump->um_bsize,
	    0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	dp = (char *)bp->b_data + (ino % ump->um_inopb) * ump->um_dinodesize;
	if (fresh && ((struct ffs_ufs1_dinode *)dp)->di_mode != 0) {
		/* both layouts start with di_mode */
		brelse(bp, 0);
		printf("ffs: new inode %llu is in use on the disk (damaged "
		    "inode bitmap?)\n", (unsigned long long)ino);
		return EIO;
	}
	if (fresh)
		memset(dp, 0, ump->um_dinodesize);
	shortlink = ip->i_type == VLNK && ip->i_blocks == 0 &&
	    ip->i_size < ump->um_maxsymlinklen;
	if (ump->um_ufs2)
		ffs_encode_ufs2(ump, ip, (struct ffs_ufs2_dinode *)dp,
		    shortlink);
	else
		ffs_encode_ufs1(ump, ip, (struct ffs_ufs1_dinode *)dp,
		    shortlink);
	bdwrite(bp);
	return 0;
}

int
ffs_iupdate(struct ffs_inode *ip)
{
	return ffs_iwrite(ip, false);
}

int
ffs_iinit(struct ffs_inode *ip)
{
	return ffs_iwrite(ip, true);
}

/* ---------------------------------------------------------------- blocks */

static uint32_t
ffs_prefcg(const struct ffs_inode *ip)
{
	return (uint32_t)(ip->i_number / ip->i_ump->um_ipg);
}

static int
ffs_badaddr(const struct ffs_inode *ip, int64_t addr)
{
	printf("ffs: inode %llu: block address %lld outside the file "
	    "system\n", (unsigned long long)ip->i_number, (long long)addr);
	return EIO;
}

/* Drop a run's cached buffer (its contents are dead or copied). */
static void
ffs_forget(struct ffs_mount *ump, int64_t addr, uint32_t size)
{
	struct buf *bp;

	bp = getblk(ump->um_devvp, ffs_fsbtodb(ump, addr), (int)size, 0, 0);
	brelse(bp, B_INVAL);
}

static int
ffs_release(struct ffs_inode *ip, int64_t addr, uint32_t size)
{
	struct ffs_mount *ump = ip->i_ump;
	int error;

	ffs_forget(ump, addr, size);
	error = ffs_free(ump, addr, size / ump->um_fsize);
	if (error == 0)
		ip->i_blocks -= size >> DEV_BSHIFT;
	return error;
}

/* A new zeroed run of size bytes; its buffer busy in *bpp. */
static int
ffs_newblk(struct ffs_inode *ip, uint32_t size, int64_t *addrp,
    struct buf **bpp)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *bp;
	int error;

	error = ffs_alloc(ump, ffs_prefcg(ip), size / ump->um_fsize, addrp);
	if (error != 0)
		return error;
	bp = getblk(ump->um_devvp, ffs_fsbtodb(ump, *addrp), (int)size, 0, 0);
	memset(bp->b_data, 0, size);
	bp->b_flags |= B_DONE;
	ip->i_blocks += size >> DEV_BSHIFT;
	*bpp = bp;
	return 0;
}

/*
 * Make the last block's fragment run big enough for a file of newsize
 * bytes (a whole block once it is no longer the last): a new run, the
 * data copied, the old run freed.  i_size is still the old size.
 */
static int
ffs_fixlast(struct ffs_inode *ip, int64_t newsize)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *obp, *nbp;
	int64_t olast, nlast, oaddr, naddr;
	uint32_t osize, need;
	int error;

	if (ip->i_size == 0 || newsize <= ip->i_size)
		return 0;
	olast = (ip->i_size - 1) >> ump->um_bshift;
	if (olast >= FFS_NDADDR || ip->i_db[olast] == 0)
		return 0;
	nlast = (newsize - 1) >> ump->um_bshift;
	osize = ffs_blksize(ump, ip, olast);
	need = nlast > olast ? ump->um_bsize : (uint32_t)roundup(newsize -
	    (olast << ump->um_bshift), (int64_t)ump->um_fsize);
	if (need <= osize)
		return 0;
	oaddr = ip->i_db[olast];
	if (!ffs_addr_ok(ump, oaddr, osize))
		return ffs_badaddr(ip, oaddr);
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, oaddr), (int)osize, 0,
	    &obp);
	if (error != 0) {
		brelse(obp, 0);
		return error;
	}
	error = ffs_newblk(ip, need, &naddr, &nbp);
	if (error != 0) {
		brelse(obp, 0);
		return error;
	}
	memcpy(nbp->b_data, obp->b_data, osize);
	brelse(obp, B_INVAL);
	bdwrite(nbp);
	ip->i_db[olast] = naddr;
	error = ffs_free(ump, oaddr, osize / ump->um_fsize);
	if (error == 0)
		ip->i_blocks -= osize >> DEV_BSHIFT;
	return error;
}

/* Entry idx of an indirect block's buffer. */
static int64_t
ffs_ind_get(const struct ffs_mount *ump, struct buf *bp, uint64_t idx)
{
	if (ump->um_ufs2)
		return (int64_t)ffs_rd64(ump, ((uint64_t *)bp->b_data)[idx]);
	return (int32_t)ffs_rd32(ump, ((uint32_t *)bp->b_data)[idx]);
}

static void
ffs_ind_set(const struct ffs_mount *ump, struct buf *bp, uint64_t idx,
    int64_t v)
{
	if (ump->um_ufs2)
		((uint64_t *)bp->b_data)[idx] = ffs_rd64(ump, (uint64_t)v);
	else
		((uint32_t *)bp->b_data)[idx] = ffs_rd32(ump, (uint32_t)v);
}

/*
 * Logical block lbn of ip, allocated if it is not (zeroed; indirect
 * blocks on the way too), returned busy with valid contents.  i_size
 * already covers lbn, and ffs_fixlast has run.
 */
int
ffs_balloc(struct ffs_inode *ip, int64_t lbn, struct buf **bpp)
{
	struct ffs_mount *ump = ip->i_ump;
	uint64_t n = ump->um_nindir, span = 1, rest, idx;
	uint32_t size = ffs_blksize(ump, ip, lbn);
	struct buf *pbp = NULL, *bp;
	int64_t addr;
	int level, l, error;

	*bpp = NULL;
	if (lbn < FFS_NDADDR) {
		if (ip->i_db[lbn] == 0) {
			error = ffs_newblk(ip, size, &addr, bpp);
			if (error == 0)
				ip->i_db[lbn] = addr;
			return error;
		}
		if (!ffs_addr_ok(ump, ip->i_db[lbn], size))
			return ffs_badaddr(ip, ip->i_db[lbn]);
		error = bread(ump->um_devvp, ffs_fsbtodb(ump, ip->i_db[lbn]),
		    (int)size, 0, bpp);
		if (error != 0) {
			brelse(*bpp, 0);
			*bpp = NULL;
		}
		return error;
	}
	rest = (uint64_t)lbn - FFS_NDADDR;
	for (level = 0; level < FFS_NIADDR; level++) {
		span *= n;
		if (rest < span)
			break;
		rest -= span;
	}
	if (level == FFS_NIADDR)
		return EFBIG;
	if (ip->i_ib[level] != 0 &&
	    !ffs_addr_ok(ump, ip->i_ib[level], ump->um_bsize))
		return ffs_badaddr(ip, ip->i_ib[level]);
	if (ip->i_ib[level] == 0) {
		error = ffs_newblk(ip, ump->um_bsize, &addr, &bp);
		if (error != 0)
			return error;
		ip->i_ib[level] = addr;
		pbp = bp;
	} else {
		error = bread(ump->um_devvp, ffs_fsbtodb(ump, ip->i_ib[level]),
		    (int)ump->um_bsize, 0, &pbp);
		if (error != 0)
			goto err_pbp;
	}
	for (l = level; l >= 0; l--) {
		span /= n;
		idx = rest / span;
		rest %= span;
		addr = ffs_ind_get(ump, pbp, idx);
		if (addr == 0) {
			error = ffs_newblk(ip, ump->um_bsize, &addr, &bp);
			if (error != 0)
				goto err_pbp;
			ffs_ind_set(ump, pbp, idx, addr);
		} else {
			if (!ffs_addr_ok(ump, addr, ump->um_bsize)) {
				error = ffs_badaddr(ip, addr);
				goto err_pbp;
			}
			error = bread(ump->um_devvp, ffs_fsbtodb(ump, addr),
			    (int)ump->um_bsize, 0, &bp);
			if (error != 0) {
				brelse(bp, 0);
				goto err_pbp;
			}
		}
		bdwrite(pbp);
		pbp = bp;
	}
	*bpp = pbp;
	return 0;

err_pbp:
	if (pbp != NULL)
		bdwrite(pbp);
	return error;
}

/* ---------------------------------------------------------------- truncate */

/*
 * Free what the indirect block at addr (level 0: it points at data)
 * holds for logical blocks past nlast; *freedp when it became empty and
 * was freed itself.  base: its first lbn; span: lbns per entry.
 */
static int
ffs_trunc_ind(struct ffs_inode *ip, int64_t addr, int level, int64_t base,
    int64_t span, int64_t nlast, bool *freedp)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *bp;
	int64_t i, p, cb;
	bool freed;
	int error;

	*freedp = false;
	if (!ffs_addr_ok(ump, addr, ump->um_bsize))
		return ffs_badaddr(ip, addr);
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, addr), (int)ump->um_bsize,
	    0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	for (i = (int64_t)ump->um_nindir - 1; i >= 0; i--) {
		cb = base + i * span;
		if (cb + span - 1 <= nlast)
			break;
		p = ffs_ind_get(ump, bp, (uint64_t)i);
		if (p == 0)
			continue;
		if (level == 0) {
			error = ffs_release(ip, p, ump->um_bsize);
		} else {
			error = ffs_trunc_ind(ip, p, level - 1, cb,
			    span / (int64_t)ump->um_nindir, nlast, &freed);
			if (error == 0 && !freed)
				continue;
		}
		if (error != 0)
			break;
		ffs_ind_set(ump, bp, (uint64_t)i, 0);
	}
	if (error != 0 || base <= nlast) {
		bdwrite(bp);
		return error;
	}
	brelse(bp, B_INVAL);
	error = ffs_free(ump, addr, ump->um_frag);
	if (error == 0) {
		ip->i_blocks -= ump->um_bsize >> DEV_BSHIFT;
		*freedp = true;
	}
	return error;
}

/* Clear the kept last block past the new end; shrink its fragment run. */
static int
ffs_trunc_last(struct ffs_inode *ip, int64_t nsize, int64_t nlast,
    uint32_t osz)
{
	struct ffs_mount *ump = ip->i_ump;
	uint32_t keep = (uint32_t)(nsize - (nlast << ump->um_bshift)), nsz;
	struct buf *bp;
	int64_t addr;
	int error;

	error = ffs_bmap(ip, nlast, &addr);
	if (error != 0 || addr == 0)
		return error;
	if (!ffs_addr_ok(ump, addr, osz))
		return ffs_badaddr(ip, addr);
	nsz = nlast < FFS_NDADDR ? (uint32_t)roundup(keep,
	    ump->um_fsize) : ump->um_bsize;
	error = bread(ump->um_devvp, ffs_fsbtodb(ump, addr), (int)osz, 0, &bp);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	memset((char *)bp->b_data + keep, 0, osz - keep);
	if (nsz == osz) {
		bdwrite(bp);
		return 0;
	}
	error = bwrite(bp);
	if (error != 0)
		return error;
	ffs_forget(ump, addr, osz);
	error = ffs_free(ump, addr + nsz / ump->um_fsize,
	    (osz - nsz) / ump->um_fsize);
	if (error == 0)
		ip->i_blocks -= (osz - nsz) >> DEV_BSHIFT;
	return error;
}

/*
 * Set the file's size: growing leaves a hole (the old last fragment run
 * made whole as needed), shrinking frees every block past the new end,
 * including indirect blocks left empty.  Precondition: v_lock writer.
 */
int
ffs_truncate(struct ffs_inode *ip, int64_t nsize)
{
	struct ffs_mount *ump = ip->i_ump;
	int64_t nlast, base = FFS_NDADDR, span = 1;
	uint32_t osz = 0;
	bool freed;
	int i, error = 0;

	if (nsize < 0 || (uint64_t)nsize > ump->um_maxfilesize)
		return EFBIG;
	if (ip->i_type == VBLK || ip->i_type == VCHR || ip->i_type == VFIFO ||
	    ip->i_type == VSOCK || (ip->i_type == VLNK && ip->i_blocks == 0 &&
	    ip->i_size < ump->um_maxsymlinklen)) {
		/* no blocks: the address area holds a number or a target */
		KASSERT(nsize == 0);
		memset(ip->i_db, 0, sizeof(ip->i_db));
		memset(ip->i_ib, 0, sizeof(ip->i_ib));
		memset(ip->i_shortlink, 0, sizeof(ip->i_shortlink));
		ip->i_size = 0;
		return 0;
	}
	if (nsize >= ip->i_size) {
		error = ffs_fixlast(ip, nsize);
		if (error == 0)
			ip->i_size = nsize;
		return error;
	}
	nlast = nsize == 0 ? -1 : (nsize - 1) >> ump->um_bshift;
	if (nlast >= 0 && (nsize & (ump->um_bsize - 1)) != 0) {
		osz = ffs_blksize(ump, ip, nlast);
		error = ffs_trunc_last(ip, nsize, nlast, osz);
		if (error != 0)
			return error;
	}
	for (i = FFS_NDADDR - 1; i > nlast; i--) {
		if (ip->i_db[i] == 0)
			continue;
		error = ffs_release(ip, ip->i_db[i], ffs_blksize(ump, ip, i));
		if (error != 0)
			return error;
		ip->i_db[i] = 0;
	}
	for (i = 0; i < FFS_NIADDR; i++) {
		span *= ump->um_nindir;
		if (ip->i_ib[i] != 0 && base + span - 1 > nlast) {
			error = ffs_trunc_ind(ip, ip->i_ib[i], i, base,
			    span / (int64_t)ump->um_nindir, nlast, &freed);
			if (error != 0)
				return error;
			if (freed)
				ip->i_ib[i] = 0;
		}
		base += span;
	}
	ip->i_size = nsize;
	return 0;
}

/* ---------------------------------------------------------------- write */

/* Grow the size to newsize (a hole at the end). */
int
ffs_grow(struct ffs_inode *ip, int64_t newsize)
{
	int error;

	KASSERT(newsize >= ip->i_size);
	error = ffs_fixlast(ip, newsize);
	if (error == 0)
		ip->i_size = newsize;
	return error;
}

/* Fill an empty file with len bytes from a kernel buffer (symlinks). */
int
ffs_write_buf(struct ffs_inode *ip, const char *buf, size_t len)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *bp;
	size_t off, n;
	int error;

	KASSERT(ip->i_size == 0);
	for (off = 0; off < len; off += n) {
		n = MIN(len - off, (size_t)ump->um_bsize);
		error = ffs_grow(ip, (int64_t)(off + n));
		if (error == 0)
			error = ffs_balloc(ip, (int64_t)(off >> ump->um_bshift),
			    &bp);
		if (error != 0)
			return error;
		memcpy(bp->b_data, buf + off, n);
		bdwrite(bp);
	}
	return 0;
}

/*
 * Write uio at its offset (the end with IO_APPEND).  On an error after
 * some bytes were written the write is short (the size keeps what was
 * written); with nothing written the file is as before.
 */
int
ffs_write(struct ffs_inode *ip, struct uio *uio, int ioflag)
{
	struct ffs_mount *ump = ip->i_ump;
	int64_t osize = ip->i_size, lbn, end;
	size_t resid = uio->uio_resid, n;
	uint32_t boff;
	struct buf *bp;
	int error = 0, error2;

	if (ioflag & IO_APPEND)
		uio->uio_offset = ip->i_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if ((uint64_t)uio->uio_offset + uio->uio_resid > ump->um_maxfilesize)
		return EFBIG;
	while (uio->uio_resid > 0) {
		lbn = uio->uio_offset >> ump->um_bshift;
		boff = (uint32_t)(uio->uio_offset & (ump->um_bsize - 1));
		n = MIN(uio->uio_resid, (size_t)(ump->um_bsize - boff));
		end = uio->uio_offset + (int64_t)n;
		if (end > ip->i_size) {
			error = ffs_fixlast(ip, end);
			if (error != 0)
				break;
			ip->i_size = end;
		}
		error = ffs_balloc(ip, lbn, &bp);
		if (error != 0)
			break;
		error = uiomove((char *)bp->b_data + boff, n, uio);
		if (ioflag & IO_SYNC) {
			error2 = bwrite(bp);
			if (error == 0)
				error = error2;
		} else {
			bdwrite(bp);
		}
		if (error != 0)
			break;
	}
	if (error != 0 && ip->i_size > MAX(osize, uio->uio_offset)) {
		/* give back what was allocated for bytes not written */
		error2 = ffs_truncate(ip, MAX(osize, uio->uio_offset));
		if (error2 != 0)
			printf("ffs: inode %llu: truncating after a failed "
			    "write: error %d\n",
			    (unsigned long long)ip->i_number, error2);
	}
	if (uio->uio_resid != resid) {
		ffs_itimes(ip, false, true, true);
		if (ip->i_mode & (S_ISUID | S_ISGID))
			ip->i_mode &= ~(mode_t)(S_ISUID | S_ISGID);
		error2 = ffs_iupdate(ip);
		if (error == ENOSPC || error == EFBIG)
			error = 0;	/* a short write */
		if (error == 0)
			error = error2;
	} else if (error != 0) {
		error2 = ffs_iupdate(ip);
		if (error2 != 0)
			printf("ffs: inode %llu: update: error %d\n",
			    (unsigned long long)ip->i_number, error2);
	}
	return error;
}
