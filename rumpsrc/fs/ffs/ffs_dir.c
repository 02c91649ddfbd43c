/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_dir.c: FFS directories: a checked walk over a directory's entries,
 * and on it name lookup and readdir (ffs_vnops.c calls both).
 *
 * Every record is checked before it is used: the record length must be a
 * multiple of 4, at least the header, and stay inside its 512-byte chunk;
 * a used record must hold its name, the name must not contain NUL or '/',
 * and the inode number must be inside the file system.  A directory that
 * breaks any of this gives EIO and one message; a directory with a hole
 * is damaged too.  Readdir cookies are byte offsets of records in the
 * directory.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/kmem.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "ffs.h"

static int
ffs_dir_bad(struct ffs_inode *dp, off_t off, const char *what)
{
	printf("ffs: directory inode %llu: bad entry at offset %lld: %s\n",
	    (unsigned long long)dp->i_number, (long long)off, what);
	return EIO;
}

/*
 * Check and hand out the used records of one chunk at offset choff (also
 * the index's build, ffs_dirhash.c).  Precondition: the chunk's buffer
 * busy.
 */
int
ffs_dir_chunk(struct ffs_inode *dp, const char *chunk, off_t choff,
    off_t start, ffs_walk_fn fn, void *arg)
{
	struct ffs_mount *ump = dp->i_ump;
	const struct ffs_direct *d;
	struct ffs_dent de;
	uint32_t pos = 0, reclen, i;
	int rv;

	while (pos < FFS_DIRBLKSIZ) {
		if (pos + FFS_DIRHDRSIZ > FFS_DIRBLKSIZ)
			return ffs_dir_bad(dp, choff + pos, "header crosses "
			    "the chunk");
		d = (const struct ffs_direct *)(chunk + pos);
		reclen = ffs_rd16(ump, d->d_reclen);
		if (reclen < FFS_DIRHDRSIZ || reclen % 4 != 0 ||
		    reclen > FFS_DIRBLKSIZ - pos)
			return ffs_dir_bad(dp, choff + pos, "record length");
		de.de_ino = ffs_rd32(ump, d->d_ino);
		de.de_off = choff + pos;
		de.de_next = choff + pos + reclen;
		pos += reclen;
		if (de.de_ino == 0)
			continue;
		de.de_namlen = d->d_namlen;
		de.de_type = d->d_type;
		de.de_name = d->d_name;
		if (de.de_namlen == 0 || FFS_DIRSIZ(de.de_namlen) > reclen)
			return ffs_dir_bad(dp, de.de_off, "name length");
		if (de.de_ino >= ump->um_maxino || de.de_ino < FFS_ROOTINO)
			return ffs_dir_bad(dp, de.de_off, "inode number");
		for (i = 0; i < de.de_namlen; i++) {
			if (de.de_name[i] == '\0' || de.de_name[i] == '/')
				return ffs_dir_bad(dp, de.de_off, "name");
		}
		if (de.de_off < start)
			continue;
		rv = fn(arg, &de);
		if (rv != 0)
			return rv;
	}
	return 0;
}

/*
 * Walk the records of dp from offset start (records before it are
 * checked but not handed out).  Returns 0 at the end, FFS_WALK_STOP when
 * fn stopped, or an errno.  Precondition: dp is a directory; no locks.
 */
static int
ffs_dir_walk(struct ffs_inode *dp, off_t start, ffs_walk_fn fn, void *arg)
{
	struct ffs_mount *ump = dp->i_ump;
	struct buf *bp;
	uint32_t bsz, ch;
	int64_t lbn;
	off_t boff;
	int rv;

	KASSERT(dp->i_type == VDIR);
	for (lbn = start >> ump->um_bshift;
	    (lbn << ump->um_bshift) < dp->i_size; lbn++) {
		rv = ffs_bread_lbn(dp, lbn, &bp, &bsz);
		if (rv != 0)
			return rv;
		boff = lbn << ump->um_bshift;
		if (bp == NULL)
			return ffs_dir_bad(dp, boff, "hole in a directory");
		rv = 0;
		for (ch = 0; ch < bsz && boff + ch < dp->i_size;
		    ch += FFS_DIRBLKSIZ) {
			if (boff + ch + FFS_DIRBLKSIZ <= start)
				continue;
			rv = ffs_dir_chunk(dp, (const char *)bp->b_data + ch,
			    boff + ch, start, fn, arg);
			if (rv != 0)
				break;
		}
		brelse(bp, 0);
		if (rv != 0)
			return rv;
	}
	return 0;
}

/* ---------------------------------------------------------------- lookup */

struct ffs_lookup_arg {
	const char	*la_name;
	size_t		la_namelen;
	uint64_t	la_ino;
};

static int
ffs_lookup_fn(void *arg, const struct ffs_dent *de)
{
	struct ffs_lookup_arg *la = arg;

	if (de->de_namlen != la->la_namelen ||
	    memcmp(de->de_name, la->la_name, la->la_namelen) != 0)
		return 0;
	la->la_ino = de->de_ino;
	return FFS_WALK_STOP;
}

/*
 * The index's answer (ffs_dirhash.c): 0 with *inop, ENOENT, an error, or
 * FFS_DH_NONE when dp has no index.
 */
static int
ffs_dir_lookup_hashed(struct ffs_inode *dp, const char *name, size_t namelen,
    uint64_t *inop)
{
	struct ffs_mount *ump = dp->i_ump;
	const struct ffs_direct *d;
	struct buf *bp;
	int64_t off;
	uint64_t ino;
	int rv;

	rv = ffs_dirhash_lookup(dp, name, namelen, &bp, &off);
	if (rv != 0)
		return rv;
	d = (const struct ffs_direct *)((char *)bp->b_data +
	    (off & (ump->um_bsize - 1)));
	ino = ffs_rd32(ump, d->d_ino);
	brelse(bp, 0);
	if (ino >= ump->um_maxino || ino < FFS_ROOTINO)
		return ffs_dir_bad(dp, off, "inode number");
	*inop = ino;
	return 0;
}

/*
 * The inode named name in dp: ENOENT if absent, EIO if dp is damaged.
 * Through the index when dp has one (with RUMP_FFS_DIRHASH_CHECK also
 * the scan, and a difference is EIO).  Precondition: nslock (reader or
 * writer).
 */
int
ffs_dir_lookup(struct ffs_inode *dp, const char *name, size_t namelen,
    uint64_t *inop)
{
	struct ffs_lookup_arg la = { .la_name = name, .la_namelen = namelen };
	uint64_t hino = 0;
	int rv, hrv;

	if (namelen == 0 || namelen > FFS_MAXNAMLEN)
		return namelen == 0 ? ENOENT : ENAMETOOLONG;
	hrv = ffs_dir_lookup_hashed(dp, name, namelen, &hino);
	if (hrv != FFS_DH_NONE && !ffs_dirhash_checking()) {
		*inop = hino;
		return hrv;
	}
	rv = ffs_dir_walk(dp, 0, ffs_lookup_fn, &la);
	if (rv == FFS_WALK_STOP)
		rv = 0;
	else if (rv == 0)
		rv = ENOENT;
	if (hrv != FFS_DH_NONE && (hrv != rv || (rv == 0 && hino != la.la_ino))) {
		printf("ffs: directory inode %llu: index says %d/%llu for "
		    "\"%.*s\", the records %d/%llu\n",
		    (unsigned long long)dp->i_number, hrv,
		    (unsigned long long)hino, (int)namelen, name, rv,
		    (unsigned long long)la.la_ino);
		return EIO;
	}
	if (rv == 0)
		*inop = la.la_ino;
	return rv;
}

/* ---------------------------------------------------------------- readdir */

struct ffs_readdir_arg {
	struct uio	*ra_uio;
	struct dirent	*ra_dirent;	/* one record, built here */
	u_int		ra_count;	/* records moved */
	bool		ra_full;
};

static int
ffs_readdir_fn(void *arg, const struct ffs_dent *de)
{
	struct ffs_readdir_arg *ra = arg;
	struct dirent *d = ra->ra_dirent;
	size_t reclen = _DIRENT_RECLEN(de->de_namlen);
	int error;

	if (reclen > ra->ra_uio->uio_resid) {
		ra->ra_full = true;
		return FFS_WALK_STOP;
	}
	memset(d, 0, reclen);
	d->d_fileno = de->de_ino;
	d->d_reclen = (uint16_t)reclen;
	d->d_namlen = de->de_namlen;
	d->d_type = de->de_type <= DT_WHT ? de->de_type : DT_UNKNOWN;
	memcpy(d->d_name, de->de_name, de->de_namlen);
	error = uiomove(d, reclen, ra->ra_uio);
	if (error != 0)
		return error;
	ra->ra_uio->uio_offset = de->de_next;
	ra->ra_count++;
	return 0;
}

/*
 * Records from the cookie uio_offset on, as struct dirent; uio_offset is
 * left at the cookie of the next record.  EINVAL if not even one record
 * fits.
 */
int
ffs_dir_readdir(struct ffs_inode *dp, struct uio *uio, int *eofflag)
{
	struct ffs_readdir_arg ra = { .ra_uio = uio };
	off_t start = uio->uio_offset;
	int rv;

	if (start < 0)
		return EINVAL;
	if (eofflag != NULL)
		*eofflag = 0;
	if (start >= dp->i_size) {
		if (eofflag != NULL)
			*eofflag = 1;
		return 0;
	}
	ra.ra_dirent = kmem_alloc(sizeof(struct dirent), KM_SLEEP);
	rv = ffs_dir_walk(dp, start, ffs_readdir_fn, &ra);
	kmem_free(ra.ra_dirent, sizeof(struct dirent));
	if (rv == FFS_WALK_STOP)
		rv = 0;
	if (rv != 0)
		return rv;
	if (ra.ra_full && ra.ra_count == 0)
		return EINVAL;
	if (!ra.ra_full) {
		uio->uio_offset = dp->i_size;
		if (eofflag != NULL)
			*eofflag = 1;
	}
	return 0;
}
