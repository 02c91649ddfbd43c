/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffsck.c: our fsck-like consistency checker for FFS images (UFS1
 * and UFS2, either byte order), hosted C reading the image file into
 * memory.  The FFS write tests (host_ffsw.c) run it after every unmount.
 *
 * What it checks (nothing is repaired):
 *  - every allocated inode's blocks: direct, single/double/triple
 *    indirect, the fragments of a short last block; inside the file
 *    system, aligned, no block past the end of the file, none owned twice
 *    or overlapping metadata; di_blocks equal to what was found;
 *  - directories: record lengths, names, "." and ".." first and right,
 *    entries naming allocated inodes, d_type agreeing with the inode,
 *    each directory named once;
 *  - link counts against the directory references; no orphans;
 *  - cylinder groups: the inode and fragment bitmaps against the inodes
 *    and blocks found, free block/fragment/inode and directory counts,
 *    the fragment run summary, the cluster bitmap and summary;
 *  - the summary area and the superblock totals against the groups;
 *  - optionally the clean flag.
 * The on-disk layouts come from the kernel's format headers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#define __CTASSERT(x)	_Static_assert(x, #x)
#include "../../rumpsrc/fs/ffs/ffs_fs.h"
#include "../../rumpsrc/fs/ffs/ffs_dinode.h"
#include "../../rumpsrc/fs/ffs/ffs_dir.h"
#include "host_ffsck.h"

#define CK_META		2	/* used[] value of metadata fragments */

struct ck {
	unsigned char	*img;
	size_t		len;
	int		swap, ufs2;
	const struct ffs_fs *fs;
	int64_t		size, fpg, sblkno, cblkno, iblkno, dblkno, cgoffset;
	int64_t		csaddr;
	uint32_t	cgmask;
	int32_t		ncg, ipg, frag, bsize, fsize, bshift, inopb, nindir;
	int32_t		dinosz, contig, maxsymlink, cssize;
	uint64_t	maxino;
	uint8_t		*used;		/* per fragment: 0, 1 (a file), META */
	uint8_t		*ialloc;	/* per inode: allocated */
	uint32_t	*refs;		/* per inode: directory references */
	uint32_t	*parent;	/* per directory: its ".." */
	uint32_t	*namedby;	/* per directory: who names it */
	int		problems;
	char		*msg;
	size_t		msglen, msgoff;
};

static void
ck_bad(struct ck *ck, const char *fmt, ...)
{
	va_list ap;
	int n;

	ck->problems++;
	if (ck->msg == NULL || ck->msgoff + 2 >= ck->msglen)
		return;
	va_start(ap, fmt);
	n = vsnprintf(ck->msg + ck->msgoff, ck->msglen - ck->msgoff, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	ck->msgoff += (size_t)n;
	if (ck->msgoff + 2 < ck->msglen) {
		ck->msg[ck->msgoff++] = '\n';
		ck->msg[ck->msgoff] = '\0';
	} else {
		ck->msgoff = ck->msglen;
	}
}

static uint16_t
ck16(const struct ck *ck, const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return ck->swap ? __builtin_bswap16(v) : v;
}

static uint32_t
ck32(const struct ck *ck, const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ck->swap ? __builtin_bswap32(v) : v;
}

static uint64_t
ck64(const struct ck *ck, const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return ck->swap ? __builtin_bswap64(v) : v;
}

#define F32(ck, s, f)	((int32_t)ck32(ck, &(s)->f))
#define F64(ck, s, f)	((int64_t)ck64(ck, &(s)->f))

/* Bytes at fragment address a, n bytes long, or NULL if outside. */
static unsigned char *
ck_at(struct ck *ck, int64_t a, size_t n)
{
	uint64_t off = (uint64_t)a * (uint64_t)ck->fsize;

	if (a < 0 || a >= ck->size || off + n > ck->len)
		return NULL;
	return ck->img + off;
}

static int64_t
ck_cgstart(const struct ck *ck, int32_t c)
{
	return ck->fpg * c + ck->cgoffset * (int64_t)((uint32_t)c & ~ck->cgmask);
}

static int
ck_isset(const unsigned char *map, int64_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

/* ---------------------------------------------------------------- setup */

static int
ck_super(struct ck *ck)
{
	static const int64_t locs[] = { FFS_SBLOCK_UFS2, FFS_SBLOCK_UFS1 };
	const struct ffs_fs *fs;
	uint32_t magic;
	size_t i;

	for (i = 0; i < 2; i++) {
		if ((size_t)locs[i] + sizeof(*fs) > ck->len)
			continue;
		fs = (const struct ffs_fs *)(ck->img + locs[i]);
		magic = (uint32_t)fs->fs_magic;
		ck->swap = magic == __builtin_bswap32(FFS_UFS2_MAGIC) ||
		    magic == __builtin_bswap32(FFS_UFS1_MAGIC);
		magic = ck32(ck, &fs->fs_magic);
		if (magic == FFS_UFS2_MAGIC &&
		    F64(ck, fs, fs_sblockloc) == locs[i]) {
			ck->ufs2 = 1;
			break;
		}
		if (magic == FFS_UFS1_MAGIC && locs[i] == FFS_SBLOCK_UFS1) {
			ck->ufs2 = 0;
			break;
		}
	}
	if (i == 2)
		return -1;
	ck->fs = fs;
	ck->ncg = F32(ck, fs, fs_ncg);
	ck->ipg = F32(ck, fs, fs_ipg);
	ck->fpg = F32(ck, fs, fs_fpg);
	ck->frag = F32(ck, fs, fs_frag);
	ck->bsize = F32(ck, fs, fs_bsize);
	ck->fsize = F32(ck, fs, fs_fsize);
	ck->bshift = F32(ck, fs, fs_bshift);
	ck->inopb = F32(ck, fs, fs_inopb);
	ck->nindir = F32(ck, fs, fs_nindir);
	ck->sblkno = F32(ck, fs, fs_sblkno);
	ck->cblkno = F32(ck, fs, fs_cblkno);
	ck->iblkno = F32(ck, fs, fs_iblkno);
	ck->dblkno = F32(ck, fs, fs_dblkno);
	ck->contig = F32(ck, fs, fs_contigsumsize);
	ck->maxsymlink = F32(ck, fs, fs_maxsymlinklen);
	ck->cssize = F32(ck, fs, fs_cssize);
	ck->dinosz = ck->ufs2 ? 256 : 128;
	if (ck->ufs2) {
		ck->size = F64(ck, fs, fs_size);
		ck->csaddr = F64(ck, fs, fs_csaddr);
		ck->cgoffset = 0;
		ck->cgmask = 0xffffffffU;
	} else {
		ck->size = F32(ck, fs, fs_old_size);
		ck->csaddr = F32(ck, fs, fs_old_csaddr);
		ck->cgoffset = F32(ck, fs, fs_old_cgoffset);
		ck->cgmask = (uint32_t)F32(ck, fs, fs_old_cgmask);
	}
	/* Enough sanity to index memory safely; the kernel checks more. */
	if (ck->ncg < 1 || ck->ipg < 1 || ck->fpg < 1 || ck->frag < 1 ||
	    ck->frag > 8 || ck->fsize < 512 || ck->bsize != ck->fsize * ck->frag ||
	    (1 << ck->bshift) != ck->bsize || ck->inopb != ck->bsize / ck->dinosz ||
	    ck->size <= 0 || (uint64_t)ck->size * (uint64_t)ck->fsize > ck->len ||
	    ck->ipg % ck->inopb != 0 || ck->contig < 0 || ck->contig > 64)
		return -1;
	ck->maxino = (uint64_t)ck->ncg * (uint64_t)ck->ipg;
	return 0;
}

/* Mark n fragments at a as used by owner (an inode, or 0: metadata). */
static void
ck_claim(struct ck *ck, uint64_t owner, int64_t a, int64_t n)
{
	int64_t i;

	if (a <= 0 || n <= 0 || a + n > ck->size) {
		ck_bad(ck, "inode %llu: block %lld (+%lld) outside the file "
		    "system", (unsigned long long)owner, (long long)a,
		    (long long)n);
		return;
	}
	for (i = a; i < a + n; i++) {
		if (ck->used[i] != 0) {
			ck_bad(ck, "inode %llu: fragment %lld already %s",
			    (unsigned long long)owner, (long long)i,
			    ck->used[i] == CK_META ? "metadata" :
			    "owned by a file");
			return;
		}
		ck->used[i] = 1;
	}
}

static void
ck_meta(struct ck *ck, int64_t a, int64_t n)
{
	int64_t i;

	for (i = a; i < a + n && i < ck->size; i++)
		if (i >= 0)
			ck->used[i] = CK_META;
}

/* ---------------------------------------------------------------- inodes */

struct ck_ino {
	uint64_t	ino;
	uint16_t	mode;
	int16_t		nlink;
	int64_t		size;
	uint64_t	blocks;
	int64_t		db[FFS_NDADDR];
	int64_t		ib[FFS_NIADDR];
};

static const unsigned char *
ck_dinode(struct ck *ck, uint64_t ino)
{
	int32_t c = (int32_t)(ino / (uint64_t)ck->ipg);
	int64_t idx = (int64_t)(ino % (uint64_t)ck->ipg);
	int64_t a = ck_cgstart(ck, c) + ck->iblkno + idx / ck->inopb * ck->frag;
	const unsigned char *b = ck_at(ck, a, (size_t)ck->bsize);

	return b == NULL ? NULL : b + (idx % ck->inopb) * ck->dinosz;
}

static int
ck_decode(struct ck *ck, uint64_t ino, struct ck_ino *ci)
{
	const unsigned char *p = ck_dinode(ck, ino);
	int i;

	if (p == NULL)
		return -1;
	ci->ino = ino;
	if (ck->ufs2) {
		const struct ffs_ufs2_dinode *d = (const void *)p;

		ci->mode = ck16(ck, &d->di_mode);
		ci->nlink = (int16_t)ck16(ck, &d->di_nlink);
		ci->size = F64(ck, d, di_size);
		ci->blocks = (uint64_t)F64(ck, d, di_blocks);
		for (i = 0; i < FFS_NDADDR; i++)
			ci->db[i] = F64(ck, d, di_db[i]);
		for (i = 0; i < FFS_NIADDR; i++)
			ci->ib[i] = F64(ck, d, di_ib[i]);
	} else {
		const struct ffs_ufs1_dinode *d = (const void *)p;

		ci->mode = ck16(ck, &d->di_mode);
		ci->nlink = (int16_t)ck16(ck, &d->di_nlink);
		ci->size = (int64_t)ck64(ck, &d->di_size);
		ci->blocks = ck32(ck, &d->di_blocks);
		for (i = 0; i < FFS_NDADDR; i++)
			ci->db[i] = F32(ck, d, di_db[i]);
		for (i = 0; i < FFS_NIADDR; i++)
			ci->ib[i] = F32(ck, d, di_ib[i]);
	}
	return 0;
}

static int64_t
ck_ptr(struct ck *ck, const unsigned char *blk, int64_t i)
{
	return ck->ufs2 ? (int64_t)ck64(ck, blk + 8 * i) :
	    (int64_t)(int32_t)ck32(ck, blk + 4 * i);
}

/* An indirect block at a of the given level covering lbn from base. */
static int64_t
ck_indir(struct ck *ck, const struct ck_ino *ci, int64_t a, int level,
    int64_t base, int64_t span, int64_t lastlbn)
{
	const unsigned char *blk;
	int64_t i, p, nfrags = ck->frag;

	if (a % ck->frag != 0)
		ck_bad(ck, "inode %llu: indirect block %lld not aligned",
		    (unsigned long long)ci->ino, (long long)a);
	ck_claim(ck, ci->ino, a, ck->frag);
	if (base > lastlbn)
		ck_bad(ck, "inode %llu: indirect block for lbn %lld past the "
		    "end", (unsigned long long)ci->ino, (long long)base);
	blk = ck_at(ck, a, (size_t)ck->bsize);
	if (blk == NULL)
		return nfrags;
	for (i = 0; i < ck->nindir; i++) {
		p = ck_ptr(ck, blk, i);
		if (p == 0)
			continue;
		if (level > 0) {
			nfrags += ck_indir(ck, ci, p, level - 1,
			    base + i * span, span / ck->nindir, lastlbn);
			continue;
		}
		if (base + i > lastlbn)
			ck_bad(ck, "inode %llu: block for lbn %lld past the end",
			    (unsigned long long)ci->ino, (long long)(base + i));
		if (p % ck->frag != 0)
			ck_bad(ck, "inode %llu: block %lld not aligned",
			    (unsigned long long)ci->ino, (long long)p);
		ck_claim(ck, ci->ino, p, ck->frag);
		nfrags += ck->frag;
	}
	return nfrags;
}

/* Claim every block of an allocated inode; check di_blocks. */
static void
ck_blocks(struct ck *ck, const struct ck_ino *ci)
{
	int64_t lastlbn = ci->size == 0 ? -1 : (ci->size - 1) >> ck->bshift;
	int64_t span = 1, base = FFS_NDADDR, nfrags = 0, n;
	int i, type = ci->mode & FFS_IFMT;

	if (type == FFS_IFCHR || type == FFS_IFBLK || type == FFS_IFIFO ||
	    type == FFS_IFSOCK)
		goto out;
	if (type == FFS_IFLNK && (ci->size < ck->maxsymlink ||
	    (ck->maxsymlink == 0 && ci->blocks == 0)))
		goto out;
	for (i = 0; i < FFS_NDADDR; i++) {
		if (ci->db[i] == 0)
			continue;
		if (i > lastlbn) {
			ck_bad(ck, "inode %llu: direct block %d past the end "
			    "(size %lld)", (unsigned long long)ci->ino, i,
			    (long long)ci->size);
			continue;
		}
		n = ck->frag;
		if (i == lastlbn && lastlbn < FFS_NDADDR) {
			n = (ci->size - (int64_t)i * ck->bsize + ck->fsize - 1) /
			    ck->fsize;
		}
		if (ci->db[i] % ck->frag + n > ck->frag)
			ck_bad(ck, "inode %llu: block %d (%lld, %lld frags) "
			    "crosses a block", (unsigned long long)ci->ino, i,
			    (long long)ci->db[i], (long long)n);
		ck_claim(ck, ci->ino, ci->db[i], n);
		nfrags += n;
	}
	for (i = 0; i < FFS_NIADDR; i++) {
		span *= ck->nindir;
		if (ci->ib[i] != 0)
			nfrags += ck_indir(ck, ci, ci->ib[i], i, base,
			    span / ck->nindir, lastlbn);
		base += span;
	}
out:
	if ((uint64_t)nfrags * (uint64_t)(ck->fsize / 512) != ci->blocks)
		ck_bad(ck, "inode %llu: di_blocks %llu, found %lld fragments",
		    (unsigned long long)ci->ino,
		    (unsigned long long)ci->blocks, (long long)nfrags);
}

/* Fragment address of logical block lbn of ci (0: hole or unreadable). */
static int64_t
ck_bmap(struct ck *ck, const struct ck_ino *ci, int64_t lbn)
{
	const unsigned char *blk;
	int64_t span = 1, rest, a;
	int level, l;

	if (lbn < FFS_NDADDR)
		return ci->db[lbn];
	rest = lbn - FFS_NDADDR;
	for (level = 0; level < FFS_NIADDR; level++) {
		span *= ck->nindir;
		if (rest < span)
			break;
		rest -= span;
	}
	if (level == FFS_NIADDR)
		return 0;
	a = ci->ib[level];
	for (l = level; l >= 0 && a != 0; l--) {
		span /= ck->nindir;
		blk = ck_at(ck, a, (size_t)ck->bsize);
		if (blk == NULL)
			return 0;
		a = ck_ptr(ck, blk, rest / span);
		rest %= span;
	}
	return a;
}

/* ---------------------------------------------------------------- dirs */

static int
ck_dtype(uint16_t mode)
{
	static const int t[16] = { [FFS_IFIFO >> 12] = 1, [FFS_IFCHR >> 12] = 2,
	    [FFS_IFDIR >> 12] = 4, [FFS_IFBLK >> 12] = 6,
	    [FFS_IFREG >> 12] = 8, [FFS_IFLNK >> 12] = 10,
	    [FFS_IFSOCK >> 12] = 12 };

	return t[(mode & FFS_IFMT) >> 12];
}

static void
ck_entry(struct ck *ck, const struct ck_ino *dir, const struct ffs_direct *d,
    int64_t off, int nth)
{
	uint64_t ino = ck32(ck, &d->d_ino);
	int namlen = d->d_namlen, i, isdot, isdotdot;
	struct ck_ino ci;

	if (namlen == 0 || FFS_DIRSIZ(namlen) > ck16(ck, &d->d_reclen)) {
		ck_bad(ck, "dir %llu @%lld: name length %d",
		    (unsigned long long)dir->ino, (long long)off, namlen);
		return;
	}
	for (i = 0; i < namlen; i++) {
		if (d->d_name[i] == '\0' || d->d_name[i] == '/') {
			ck_bad(ck, "dir %llu @%lld: bad name",
			    (unsigned long long)dir->ino, (long long)off);
			return;
		}
	}
	if (d->d_name[namlen] != '\0')
		ck_bad(ck, "dir %llu @%lld: name not NUL-terminated",
		    (unsigned long long)dir->ino, (long long)off);
	isdot = namlen == 1 && d->d_name[0] == '.';
	isdotdot = namlen == 2 && d->d_name[0] == '.' && d->d_name[1] == '.';
	if ((nth == 0 && !isdot) || (nth == 1 && !isdotdot) ||
	    (nth > 1 && (isdot || isdotdot))) {
		ck_bad(ck, "dir %llu @%lld: entry %d is \"%.*s\"",
		    (unsigned long long)dir->ino, (long long)off, nth, namlen,
		    d->d_name);
	}
	if (ino < FFS_ROOTINO || ino >= ck->maxino || !ck->ialloc[ino]) {
		ck_bad(ck, "dir %llu: \"%.*s\" names unallocated inode %llu",
		    (unsigned long long)dir->ino, namlen, d->d_name,
		    (unsigned long long)ino);
		return;
	}
	ck->refs[ino]++;
	if (ck_decode(ck, ino, &ci) != 0)
		return;
	if (d->d_type != 0 && d->d_type != ck_dtype(ci.mode))
		ck_bad(ck, "dir %llu: \"%.*s\" has type %d, inode %llu mode %#o",
		    (unsigned long long)dir->ino, namlen, d->d_name, d->d_type,
		    (unsigned long long)ino, ci.mode);
	if (isdot && ino != dir->ino)
		ck_bad(ck, "dir %llu: \".\" is %llu",
		    (unsigned long long)dir->ino, (unsigned long long)ino);
	if (isdotdot)
		ck->parent[dir->ino] = (uint32_t)ino;	/* checked later */
	if (!isdot && !isdotdot && (ci.mode & FFS_IFMT) == FFS_IFDIR) {
		if (ck->namedby[ino] != 0)
			ck_bad(ck, "dir %llu named by %u and %llu",
			    (unsigned long long)ino, ck->namedby[ino],
			    (unsigned long long)dir->ino);
		ck->namedby[ino] = (uint32_t)dir->ino;
	}
}

/* Walk a directory's records. */
static void
ck_dir(struct ck *ck, const struct ck_ino *dir)
{
	const unsigned char *blk, *chunk;
	const struct ffs_direct *d;
	int64_t lbn, a, off;
	uint32_t pos, reclen;
	int nth = 0;

	if (dir->size <= 0 || dir->size % FFS_DIRBLKSIZ != 0) {
		ck_bad(ck, "dir %llu: size %lld", (unsigned long long)dir->ino,
		    (long long)dir->size);
		return;
	}
	for (off = 0; off < dir->size; off += FFS_DIRBLKSIZ) {
		lbn = off >> ck->bshift;
		a = ck_bmap(ck, dir, lbn);
		blk = a == 0 ? NULL : ck_at(ck, a, (size_t)ck->fsize);
		if (blk == NULL) {
			ck_bad(ck, "dir %llu: hole at %lld",
			    (unsigned long long)dir->ino, (long long)off);
			return;
		}
		chunk = ck_at(ck, a + (off & (ck->bsize - 1)) / ck->fsize,
		    FFS_DIRBLKSIZ);
		if (chunk == NULL)
			return;
		chunk += off % ck->fsize;
		for (pos = 0; pos < FFS_DIRBLKSIZ; pos += reclen) {
			d = (const struct ffs_direct *)(chunk + pos);
			reclen = ck16(ck, &d->d_reclen);
			if (pos + FFS_DIRHDRSIZ > FFS_DIRBLKSIZ ||
			    reclen < FFS_DIRHDRSIZ || reclen % 4 != 0 ||
			    reclen > FFS_DIRBLKSIZ - pos) {
				ck_bad(ck, "dir %llu @%lld: record length %u",
				    (unsigned long long)dir->ino,
				    (long long)(off + pos), reclen);
				break;
			}
			if (ck32(ck, &d->d_ino) == 0) {
				if (nth < 2 && off == 0)
					ck_bad(ck, "dir %llu: no \".\" or \"..\"",
					    (unsigned long long)dir->ino);
				continue;
			}
			ck_entry(ck, dir, d, off + pos, nth++);
		}
	}
}

/* ---------------------------------------------------------------- groups */

/* Free runs of a block's fragments (bit set = free) into frsum. */
static void
ck_fragruns(const struct ck *ck, const unsigned char *freemap, int64_t b,
    int32_t *frsum, int64_t *nffree)
{
	int64_t i, run = 0;

	for (i = 0; i < ck->frag; i++) {
		if (ck_isset(freemap, b + i)) {
			run++;
			(*nffree)++;
			continue;
		}
		if (run > 0)
			frsum[run]++;
		run = 0;
	}
	if (run > 0)
		frsum[run]++;
}

static void
ck_group(struct ck *ck, int32_t c, int64_t *tot)
{
	int64_t start = ck_cgstart(ck, c), base = ck->fpg * c, ndblk, i, b;
	int64_t nbfree = 0, nffree = 0, nifree = 0, ndir = 0, run = 0;
	int32_t frsum[FFS_MAXFRAG] = { 0 }, csum[65] = { 0 }, k, niblk;
	const struct ffs_cg *cg;
	const unsigned char *imap, *fmap, *cmap;
	const int32_t *cs;
	int bad = 0, want, isfree;
	uint64_t ino;

	cg = (const struct ffs_cg *)ck_at(ck, start + ck->cblkno,
	    (size_t)ck->bsize);
	if (cg == NULL || ck32(ck, &cg->cg_magic) != FFS_CG_MAGIC) {
		ck_bad(ck, "cg %d: bad header", c);
		return;
	}
	ndblk = c + 1 < ck->ncg ? ck->fpg : ck->size - base;
	if (F32(ck, cg, cg_ndblk) != ndblk || F32(ck, cg, cg_iusedoff) < 0 ||
	    F32(ck, cg, cg_freeoff) + (ndblk + 7) / 8 > ck->bsize ||
	    F32(ck, cg, cg_iusedoff) + (ck->ipg + 7) / 8 > ck->bsize) {
		ck_bad(ck, "cg %d: bad geometry", c);
		return;
	}
	imap = (const unsigned char *)cg + F32(ck, cg, cg_iusedoff);
	fmap = (const unsigned char *)cg + F32(ck, cg, cg_freeoff);

	/* inodes */
	niblk = ck->ufs2 ? F32(ck, cg, cg_initediblk) : ck->ipg;
	for (i = 0; i < ck->ipg; i++) {
		ino = (uint64_t)c * (uint64_t)ck->ipg + (uint64_t)i;
		want = ck->ialloc[ino] || ino < FFS_ROOTINO;
		if (i >= niblk && ck->ialloc[ino])
			ck_bad(ck, "cg %d: inode %llu allocated past "
			    "cg_initediblk %d", c, (unsigned long long)ino,
			    niblk);
		if (ck_isset(imap, i) != want && bad++ < 3)
			ck_bad(ck, "cg %d: inode %llu is %s in the bitmap", c,
			    (unsigned long long)ino, want ? "free" : "used");
		if (!want)
			nifree++;
		else if (ino >= FFS_ROOTINO) {
			struct ck_ino ci;

			if (ck_decode(ck, ino, &ci) == 0 &&
			    (ci.mode & FFS_IFMT) == FFS_IFDIR)
				ndir++;
		}
	}

	/* fragments */
	for (i = 0; i < ndblk; i++) {
		isfree = ck_isset(fmap, i);
		if (isfree == (ck->used[base + i] != 0) && bad++ < 6)
			ck_bad(ck, "cg %d: fragment %lld is %s in the bitmap "
			    "but %s", c, (long long)(base + i),
			    isfree ? "free" : "used",
			    isfree ? "in use" : "not in use");
	}
	for (b = 0; b + ck->frag <= ndblk; b += ck->frag) {
		for (k = 0; k < ck->frag && ck_isset(fmap, b + k); k++)
			;
		if (k == ck->frag)
			nbfree++;
		else
			ck_fragruns(ck, fmap, b, frsum, &nffree);
	}
	if (b < ndblk) {	/* a partial last block counts as fragments */
		for (i = b; i < ndblk; i++) {
			if (ck_isset(fmap, i)) {
				nffree++;
				run++;
				continue;
			}
			if (run > 0)
				frsum[run]++;
			run = 0;
		}
		if (run > 0)
			frsum[run]++;
		run = 0;
	}
	if (F32(ck, cg, cg_cs.cs_nbfree) != nbfree ||
	    F32(ck, cg, cg_cs.cs_nffree) != nffree ||
	    F32(ck, cg, cg_cs.cs_nifree) != nifree ||
	    F32(ck, cg, cg_cs.cs_ndir) != ndir)
		ck_bad(ck, "cg %d: counts b%d f%d i%d d%d, found b%lld f%lld "
		    "i%lld d%lld", c, F32(ck, cg, cg_cs.cs_nbfree),
		    F32(ck, cg, cg_cs.cs_nffree), F32(ck, cg, cg_cs.cs_nifree),
		    F32(ck, cg, cg_cs.cs_ndir), (long long)nbfree,
		    (long long)nffree, (long long)nifree, (long long)ndir);
	for (k = 1; k < ck->frag; k++)
		if (F32(ck, cg, cg_frsum[k]) != frsum[k])
			ck_bad(ck, "cg %d: frsum[%d] %d, found %d", c, k,
			    F32(ck, cg, cg_frsum[k]), frsum[k]);

	/* clusters: a bit per block, set when the whole block is free */
	if (ck->contig > 0) {
		cmap = (const unsigned char *)cg + F32(ck, cg, cg_clusteroff);
		cs = (const int32_t *)((const unsigned char *)cg +
		    F32(ck, cg, cg_clustersumoff));
		for (b = 0; b < ndblk / ck->frag; b++) {
			for (k = 0; k < ck->frag &&
			    ck_isset(fmap, b * ck->frag + k); k++)
				;
			if (ck_isset(cmap, b) != (k == ck->frag) && bad++ < 9)
				ck_bad(ck, "cg %d: cluster bit of block %lld",
				    c, (long long)b);
			if (k == ck->frag) {
				run++;
				continue;
			}
			if (run > 0)
				csum[run < ck->contig ? run : ck->contig]++;
			run = 0;
		}
		if (run > 0)
			csum[run < ck->contig ? run : ck->contig]++;
		for (k = 1; k <= ck->contig; k++)
			if ((int32_t)ck32(ck, &cs[k]) != csum[k])
				ck_bad(ck, "cg %d: cluster sum[%d] %d, found "
				    "%d", c, k, (int32_t)ck32(ck, &cs[k]),
				    csum[k]);
	}

	/* the summary area's copy */
	cs = (const int32_t *)ck_at(ck, ck->csaddr, (size_t)ck->cssize);
	if (cs != NULL && (size_t)(c + 1) * 16 <= (size_t)ck->cssize) {
		const struct ffs_csum *sc = (const struct ffs_csum *)cs + c;

		if (F32(ck, sc, cs_nbfree) != nbfree ||
		    F32(ck, sc, cs_nffree) != nffree ||
		    F32(ck, sc, cs_nifree) != nifree ||
		    F32(ck, sc, cs_ndir) != ndir)
			ck_bad(ck, "cg %d: summary area b%d f%d i%d d%d, found "
			    "b%lld f%lld i%lld d%lld", c, F32(ck, sc, cs_nbfree),
			    F32(ck, sc, cs_nffree), F32(ck, sc, cs_nifree),
			    F32(ck, sc, cs_ndir), (long long)nbfree,
			    (long long)nffree, (long long)nifree,
			    (long long)ndir);
	}
	tot[0] += ndir;
	tot[1] += nbfree;
	tot[2] += nifree;
	tot[3] += nffree;
}

/* ---------------------------------------------------------------- main */

static void
ck_run(struct ck *ck, int flags)
{
	const struct ffs_fs *fs = ck->fs;
	int64_t tot[4] = { 0 }, sb[4], old[4];
	struct ck_ino ci;
	uint64_t ino;
	int32_t c;

	/* metadata: boot area, each group's super/header/inodes, summary */
	for (c = 0; c < ck->ncg; c++) {
		int64_t s = ck_cgstart(ck, c);

		ck_meta(ck, s + ck->sblkno, ck->dblkno - ck->sblkno);
	}
	ck_meta(ck, 0, ck_cgstart(ck, 0) + ck->sblkno);
	ck_meta(ck, ck->csaddr, (ck->cssize + ck->fsize - 1) / ck->fsize);

	/* pass 1: inodes and their blocks */
	for (ino = FFS_ROOTINO; ino < ck->maxino; ino++) {
		if (ck->ufs2) {
			const struct ffs_cg *cg = (const struct ffs_cg *)ck_at(
			    ck, ck_cgstart(ck, (int32_t)(ino / (uint64_t)ck->ipg)) +
			    ck->cblkno, sizeof(*cg));

			if (cg != NULL && (int64_t)(ino % (uint64_t)ck->ipg) >=
			    F32(ck, cg, cg_initediblk))
				continue;
		}
		if (ck_decode(ck, ino, &ci) != 0 || ci.mode == 0)
			continue;
		ck->ialloc[ino] = 1;
		if (ci.size < 0) {
			ck_bad(ck, "inode %llu: size %lld",
			    (unsigned long long)ino, (long long)ci.size);
			continue;
		}
		ck_blocks(ck, &ci);
	}
	if (!ck->ialloc[FFS_ROOTINO])
		ck_bad(ck, "no root inode");

	/* pass 2: directories */
	for (ino = FFS_ROOTINO; ino < ck->maxino; ino++) {
		if (!ck->ialloc[ino] || ck_decode(ck, ino, &ci) != 0 ||
		    (ci.mode & FFS_IFMT) != FFS_IFDIR)
			continue;
		ck_dir(ck, &ci);
	}

	/* pass 3: link counts, parents */
	for (ino = FFS_ROOTINO; ino < ck->maxino; ino++) {
		if (!ck->ialloc[ino] || ck_decode(ck, ino, &ci) != 0)
			continue;
		if (ck->refs[ino] == 0)
			ck_bad(ck, "inode %llu: allocated but unreferenced",
			    (unsigned long long)ino);
		else if ((uint32_t)ci.nlink != ck->refs[ino])
			ck_bad(ck, "inode %llu: link count %d, referenced %u "
			    "times", (unsigned long long)ino, ci.nlink,
			    ck->refs[ino]);
		if ((ci.mode & FFS_IFMT) != FFS_IFDIR)
			continue;
		if (ino == FFS_ROOTINO ? ck->parent[ino] != FFS_ROOTINO :
		    ck->parent[ino] != ck->namedby[ino])
			ck_bad(ck, "dir %llu: \"..\" is %u, named by %u",
			    (unsigned long long)ino, ck->parent[ino],
			    ck->namedby[ino]);
	}

	/* pass 4: groups, summary area, superblock totals */
	for (c = 0; c < ck->ncg; c++)
		ck_group(ck, c, tot);
	sb[0] = F64(ck, fs, fs_cstotal.cs_ndir);
	sb[1] = F64(ck, fs, fs_cstotal.cs_nbfree);
	sb[2] = F64(ck, fs, fs_cstotal.cs_nifree);
	sb[3] = F64(ck, fs, fs_cstotal.cs_nffree);
	old[0] = F32(ck, fs, fs_old_cstotal.cs_ndir);
	old[1] = F32(ck, fs, fs_old_cstotal.cs_nbfree);
	old[2] = F32(ck, fs, fs_old_cstotal.cs_nifree);
	old[3] = F32(ck, fs, fs_old_cstotal.cs_nffree);
	for (c = 0; c < 4; c++) {
		if (sb[c] != tot[c])
			ck_bad(ck, "superblock total %d: %lld, found %lld", c,
			    (long long)sb[c], (long long)tot[c]);
		if (!ck->ufs2 && old[c] != tot[c])
			ck_bad(ck, "superblock old total %d: %lld, found %lld",
			    c, (long long)old[c], (long long)tot[c]);
	}
	if ((flags & FFSCK_NEED_CLEAN) && fs->fs_clean == 0)
		ck_bad(ck, "the clean flag is not set");
}

static unsigned char *
ck_load(const char *path, size_t *lenp)
{
	unsigned char *img;
	FILE *f = fopen(path, "rb");
	long len;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	img = malloc((size_t)len);
	if (img != NULL && fread(img, 1, (size_t)len, f) != (size_t)len) {
		free(img);
		img = NULL;
	}
	fclose(f);
	*lenp = (size_t)len;
	return img;
}

int
ffsck_image(const char *path, int flags, char *msg, size_t msglen)
{
	struct ck ck;
	int rv = -1;

	memset(&ck, 0, sizeof(ck));
	ck.msg = msg;
	ck.msglen = msglen;
	if (msg != NULL && msglen > 0)
		msg[0] = '\0';
	ck.img = ck_load(path, &ck.len);
	if (ck.img == NULL)
		return -1;
	if (ck_super(&ck) != 0) {
		ck_bad(&ck, "no usable superblock");
		goto out;
	}
	ck.used = calloc((size_t)ck.size, 1);
	ck.ialloc = calloc(ck.maxino, 1);
	ck.refs = calloc(ck.maxino, sizeof(uint32_t));
	ck.parent = calloc(ck.maxino, sizeof(uint32_t));
	ck.namedby = calloc(ck.maxino, sizeof(uint32_t));
	if (ck.used != NULL && ck.ialloc != NULL && ck.refs != NULL &&
	    ck.parent != NULL && ck.namedby != NULL) {
		ck_run(&ck, flags);
		rv = ck.problems;
	}
	free(ck.used);
	free(ck.ialloc);
	free(ck.refs);
	free(ck.parent);
	free(ck.namedby);
out:
	free(ck.img);
	return rv;
}

int
ffsck_clean_flag(const char *path)
{
	struct ck ck;
	int rv = -1;

	memset(&ck, 0, sizeof(ck));
	ck.img = ck_load(path, &ck.len);
	if (ck.img == NULL)
		return -1;
	if (ck_super(&ck) == 0)
		rv = ck.fs->fs_clean != 0;
	free(ck.img);
	return rv;
}
