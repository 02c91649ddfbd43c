/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_dirops.c: changing FFS directories: inserting an entry (into the
 * slack of an existing record, compacting a chunk when its free space is
 * scattered, or in a new chunk at the end, which grows the directory),
 * removing one (merged into the previous record of its chunk, or marked
 * unused when it is a chunk's first), pointing one at another inode, the
 * emptiness test of rmdir and rename, and the first chunk of a new
 * directory.  Callers: ffs_nsops.c, with the mount's nslock held as
 * writer and the directory's v_lock as writer.
 *
 * Records are checked as they are walked (length, bounds, name length);
 * a damaged directory gives EIO, never a write outside a chunk.
 *
 * A big directory has an index (ffs_dirhash.c): then the entry to remove
 * or rewrite is found by name, and the place for a new one from the free
 * space summary, without a scan -- the same places the scans find; every
 * change is told to the index.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/vnode.h>

#include "ffs.h"

#define FFS_NOPREV	0xffffffffU

/* A record found by ffs_dir_scan: its block (busy) and place. */
struct ffs_dslot {
	struct buf	*ds_bp;
	char		*ds_chunk;	/* start of its chunk in ds_bp */
	uint32_t	ds_pos;		/* record offset in the chunk */
	uint32_t	ds_prev;	/* previous record, or FFS_NOPREV */
	int64_t		ds_choff;	/* directory offset of the chunk */
	bool		ds_compacted;	/* the chunk was just compacted */
};

typedef bool (*ffs_dscan_fn)(struct ffs_mount *ump, struct ffs_direct *d,
    void *arg);

static int
ffs_dir_damaged(struct ffs_inode *dp, int64_t off)
{
	printf("ffs: directory inode %llu damaged at offset %lld\n",
	    (unsigned long long)dp->i_number, (long long)off);
	return EIO;
}

/*
 * Check one chunk's record chain; 0 or EIO.
 */
static int
ffs_chunk_check(struct ffs_inode *dp, const char *chunk, int64_t off)
{
	struct ffs_mount *ump = dp->i_ump;
	const struct ffs_direct *d;
	uint32_t pos = 0, reclen;

	while (pos < FFS_DIRBLKSIZ) {
		if (pos + FFS_DIRHDRSIZ > FFS_DIRBLKSIZ)
			return ffs_dir_damaged(dp, off + pos);
		d = (const struct ffs_direct *)(chunk + pos);
		reclen = ffs_rd16(ump, d->d_reclen);
		if (reclen < FFS_DIRHDRSIZ || reclen % 4 != 0 ||
		    reclen > FFS_DIRBLKSIZ - pos ||
		    (d->d_ino != 0 && FFS_DIRSIZ(d->d_namlen) > reclen))
			return ffs_dir_damaged(dp, off + pos);
		pos += reclen;
	}
	return 0;
}

/*
 * Walk every record until fn says stop; the slot (its block busy) is
 * handed back.  ENOENT when fn never stopped.
 */
static int
ffs_dir_scan(struct ffs_inode *dp, ffs_dscan_fn fn, void *arg,
    struct ffs_dslot *ds)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_direct *d;
	struct buf *bp;
	uint32_t bsz, ch, pos, prev;
	int64_t lbn, boff;
	char *chunk;
	int error;

	for (lbn = 0; (lbn << ump->um_bshift) < dp->i_size; lbn++) {
		error = ffs_bread_lbn(dp, lbn, &bp, &bsz);
		if (error != 0)
			return error;
		boff = lbn << ump->um_bshift;
		if (bp == NULL)
			return ffs_dir_damaged(dp, boff);
		for (ch = 0; ch < bsz && boff + ch < dp->i_size;
		    ch += FFS_DIRBLKSIZ) {
			chunk = (char *)bp->b_data + ch;
			error = ffs_chunk_check(dp, chunk, boff + ch);
			if (error != 0) {
				brelse(bp, 0);
				return error;
			}
			prev = FFS_NOPREV;
			for (pos = 0; pos < FFS_DIRBLKSIZ;
			    pos += ffs_rd16(ump, d->d_reclen)) {
				d = (struct ffs_direct *)(chunk + pos);
				if (fn(ump, d, arg)) {
					ds->ds_bp = bp;
					ds->ds_chunk = chunk;
					ds->ds_pos = pos;
					ds->ds_prev = prev;
					ds->ds_choff = boff + ch;
					ds->ds_compacted = false;
					return 0;
				}
				prev = pos;
			}
		}
		brelse(bp, 0);
	}
	return ENOENT;
}

struct ffs_dname {
	const char	*dn_name;
	size_t		dn_len;
};

static bool
ffs_match_name(struct ffs_mount *ump, struct ffs_direct *d, void *arg)
{
	struct ffs_dname *dn = arg;

	return d->d_ino != 0 && d->d_namlen == dn->dn_len &&
	    memcmp(d->d_name, dn->dn_name, dn->dn_len) == 0;
}

static void
ffs_dir_fill(struct ffs_mount *ump, struct ffs_direct *d, uint64_t ino,
    uint8_t type, const char *name, size_t len, uint32_t reclen)
{
	d->d_ino = ffs_rd32(ump, (uint32_t)ino);
	d->d_reclen = ffs_rd16(ump, (uint16_t)reclen);
	d->d_type = type;
	d->d_namlen = (uint8_t)len;
	memcpy(d->d_name, name, len);
	memset(d->d_name + len, 0, FFS_DIRSIZ(len) - FFS_DIRHDRSIZ - len);
}

/* Free bytes in a record past what its own entry needs. */
static uint32_t
ffs_slack(struct ffs_mount *ump, const struct ffs_direct *d)
{
	uint32_t reclen = ffs_rd16(ump, d->d_reclen);

	return d->d_ino == 0 ? reclen : reclen - (uint32_t)FFS_DIRSIZ(d->d_namlen);
}

/* Pack a chunk's used records to its front; the last gets the rest. */
static void
ffs_chunk_compact(struct ffs_mount *ump, char *chunk)
{
	struct ffs_direct *d, *last = NULL;
	uint32_t pos = 0, out = 0, reclen, size;

	while (pos < FFS_DIRBLKSIZ) {
		d = (struct ffs_direct *)(chunk + pos);
		reclen = ffs_rd16(ump, d->d_reclen);
		if (d->d_ino != 0) {
			size = (uint32_t)FFS_DIRSIZ(d->d_namlen);
			if (out != pos)
				memmove(chunk + out, d, size);
			last = (struct ffs_direct *)(chunk + out);
			last->d_reclen = ffs_rd16(ump, (uint16_t)size);
			out += size;
		}
		pos += reclen;
	}
	if (last == NULL) {	/* nothing used: one empty record */
		d = (struct ffs_direct *)chunk;
		d->d_ino = 0;
		d->d_reclen = ffs_rd16(ump, FFS_DIRBLKSIZ);
		return;
	}
	last->d_reclen = ffs_rd16(ump, (uint16_t)(ffs_rd16(ump,
	    last->d_reclen) + FFS_DIRBLKSIZ - out));
}

struct ffs_room {
	uint32_t	rm_need;
};

static bool
ffs_has_room(struct ffs_mount *ump, struct ffs_direct *d, void *arg)
{
	return ffs_slack(ump, d) >= ((struct ffs_room *)arg)->rm_need;
}

/* Put a new entry into the slack of the record at ds; its chunk offset. */
static uint32_t
ffs_dir_put(struct ffs_mount *ump, struct ffs_dslot *ds, uint64_t ino,
    uint8_t type, const char *name, size_t len)
{
	struct ffs_direct *d = (struct ffs_direct *)(ds->ds_chunk + ds->ds_pos);
	uint32_t reclen = ffs_rd16(ump, d->d_reclen), keep;

	if (d->d_ino == 0) {
		ffs_dir_fill(ump, d, ino, type, name, len, reclen);
		return ds->ds_pos;
	}
	keep = (uint32_t)FFS_DIRSIZ(d->d_namlen);
	d->d_reclen = ffs_rd16(ump, (uint16_t)keep);
	ffs_dir_fill(ump, (struct ffs_direct *)((char *)d + keep), ino, type,
	    name, len, reclen - keep);
	return ds->ds_pos + keep;
}

/*
 * The chunk at directory offset choff, which the index says has room for
 * need bytes in one record's slack (or, compact, after compaction):
 * that record, its block busy.  EIO if the chunk disagrees.
 */
static int
ffs_dir_room_at(struct ffs_inode *dp, int64_t choff, uint32_t need,
    bool compact, struct ffs_dslot *ds)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_direct *d;
	struct buf *bp;
	uint32_t bsz, ch, pos;
	int error;

	error = ffs_bread_lbn(dp, choff >> ump->um_bshift, &bp, &bsz);
	if (error != 0)
		return error;
	ch = (uint32_t)(choff & (ump->um_bsize - 1));
	if (bp == NULL || ch + FFS_DIRBLKSIZ > bsz) {
		error = ffs_dir_damaged(dp, choff);
		goto err_release;
	}
	ds->ds_chunk = (char *)bp->b_data + ch;
	error = ffs_chunk_check(dp, ds->ds_chunk, choff);
	if (error != 0)
		goto err_release;
	if (compact) {
		ffs_dirhash_unchunk(dp, ds->ds_chunk, choff);
		ffs_chunk_compact(ump, ds->ds_chunk);
	}
	for (pos = 0; pos < FFS_DIRBLKSIZ; pos += ffs_rd16(ump, d->d_reclen)) {
		d = (struct ffs_direct *)(ds->ds_chunk + pos);
		if (ffs_slack(ump, d) >= need)
			break;
	}
	if (pos >= FFS_DIRBLKSIZ) {
		printf("ffs: directory inode %llu: no room at offset %lld "
		    "where the index says\n", (unsigned long long)dp->i_number,
		    (long long)choff);
		if (compact)
			ffs_dirhash_rechunk(dp, ds->ds_chunk, choff);
		error = EIO;
		goto err_release;
	}
	ds->ds_bp = bp;
	ds->ds_pos = pos;
	ds->ds_prev = FFS_NOPREV;	/* not used by inserts */
	ds->ds_choff = choff;
	ds->ds_compacted = compact;
	return 0;

err_release:
	if (bp != NULL) {
		if (compact)
			bdwrite(bp);	/* compaction keeps every entry */
		else
			brelse(bp, 0);
	}
	return error;
}

/*
 * The record named name: through the index when dp has one, else by a
 * scan.  Its block busy in ds.
 */
static int
ffs_dir_find(struct ffs_inode *dp, struct ffs_dname *dn, struct ffs_dslot *ds)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_direct *d;
	struct buf *bp;
	uint32_t boff, ch, pos, prev;
	int64_t off;
	int error;

	error = ffs_dirhash_lookup(dp, dn->dn_name, dn->dn_len, &bp, &off);
	if (error == FFS_DH_NONE)
		return ffs_dir_scan(dp, ffs_match_name, dn, ds);
	if (error != 0)
		return error;
	boff = (uint32_t)(off & (ump->um_bsize - 1));
	ch = boff & ~(uint32_t)(FFS_DIRBLKSIZ - 1);
	ds->ds_chunk = (char *)bp->b_data + ch;
	ds->ds_choff = off - (boff - ch);
	error = ffs_chunk_check(dp, ds->ds_chunk, ds->ds_choff);
	if (error != 0) {
		brelse(bp, 0);
		return error;
	}
	prev = FFS_NOPREV;
	for (pos = 0; pos < boff - ch; pos += ffs_rd16(ump, d->d_reclen)) {
		d = (struct ffs_direct *)(ds->ds_chunk + pos);
		prev = pos;
	}
	if (pos != boff - ch) {
		brelse(bp, 0);
		printf("ffs: directory inode %llu: the index points inside a "
		    "record at offset %lld\n", (unsigned long long)dp->i_number,
		    (long long)off);
		return EIO;
	}
	ds->ds_bp = bp;
	ds->ds_pos = pos;
	ds->ds_prev = prev;
	ds->ds_compacted = false;
	return 0;
}

/* A chunk whose free bytes, all together, hold need; compacted. */
static int
ffs_dir_compactable(struct ffs_inode *dp, uint32_t need, struct ffs_dslot *ds)
{
	struct ffs_mount *ump = dp->i_ump;
	struct buf *bp;
	uint32_t bsz, ch, pos, total;
	struct ffs_direct *d;
	int64_t lbn;
	int error;

	for (lbn = 0; (lbn << ump->um_bshift) < dp->i_size; lbn++) {
		error = ffs_bread_lbn(dp, lbn, &bp, &bsz);
		if (error != 0)
			return error;
		if (bp == NULL)
			return ffs_dir_damaged(dp, lbn << ump->um_bshift);
		for (ch = 0; ch < bsz &&
		    (lbn << ump->um_bshift) + ch < dp->i_size;
		    ch += FFS_DIRBLKSIZ) {
			total = 0;
			for (pos = 0; pos < FFS_DIRBLKSIZ;
			    pos += ffs_rd16(ump, d->d_reclen)) {
				d = (struct ffs_direct *)((char *)bp->b_data +
				    ch + pos);
				total += ffs_slack(ump, d);
			}
			if (total < need)
				continue;
			ds->ds_choff = (lbn << ump->um_bshift) + ch;
			ds->ds_chunk = (char *)bp->b_data + ch;
			ffs_dirhash_unchunk(dp, ds->ds_chunk, ds->ds_choff);
			ffs_chunk_compact(ump, ds->ds_chunk);
			ds->ds_bp = bp;
			ds->ds_compacted = true;
			for (pos = 0; ; pos += ffs_rd16(ump, d->d_reclen)) {
				d = (struct ffs_direct *)(ds->ds_chunk + pos);
				if (ffs_slack(ump, d) >= need)
					break;
			}
			ds->ds_pos = pos;
			return 0;
		}
		brelse(bp, 0);
	}
	return ENOENT;
}

/*
 * Add the entry name -> ino (type: DT_*) to dp.  The name is known to be
 * absent.  Precondition: nslock writer, dp's v_lock writer.
 */
int
ffs_dir_enter(struct ffs_inode *dp, const char *name, size_t len,
    uint64_t ino, uint8_t type)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_room rm = { .rm_need = (uint32_t)FFS_DIRSIZ(len) };
	struct ffs_dslot ds;
	struct buf *bp;
	int64_t off = dp->i_size, choff;
	uint32_t pos;
	bool compact;
	int error;

	if (len == 0 || len > FFS_MAXNAMLEN)
		return len == 0 ? EINVAL : ENAMETOOLONG;
	error = ffs_dirhash_room(dp, rm.rm_need, &choff, &compact);
	if (error == 0) {
		error = ffs_dir_room_at(dp, choff, rm.rm_need, compact, &ds);
	} else if (error == FFS_DH_NONE) {
		error = ffs_dir_scan(dp, ffs_has_room, &rm, &ds);
		if (error == ENOENT)
			error = ffs_dir_compactable(dp, rm.rm_need, &ds);
	}
	if (error == 0) {
		pos = ffs_dir_put(ump, &ds, ino, type, name, len);
		if (ds.ds_compacted)
			ffs_dirhash_rechunk(dp, ds.ds_chunk, ds.ds_choff);
		else
			ffs_dirhash_added(dp, name, len, ds.ds_choff + pos,
			    ds.ds_chunk, ds.ds_choff);
		bdwrite(ds.ds_bp);
		goto out_times;
	}
	if (error != ENOENT)
		return error;
	/* a new chunk at the end */
	error = ffs_grow(dp, off + FFS_DIRBLKSIZ);
	if (error != 0)
		return error;
	error = ffs_balloc(dp, off >> ump->um_bshift, &bp);
	if (error != 0) {
		(void)ffs_truncate(dp, off);
		return error;
	}
	ffs_dir_fill(ump, (struct ffs_direct *)((char *)bp->b_data +
	    (off & (ump->um_bsize - 1))), ino, type, name, len, FFS_DIRBLKSIZ);
	ffs_dirhash_added(dp, name, len, off, (char *)bp->b_data +
	    (off & (ump->um_bsize - 1)), off);
	bdwrite(bp);
out_times:
	ffs_itimes(dp, false, true, true);
	error = ffs_dirhash_verify(dp);
	if (error != 0)
		return error;
	return ffs_iupdate(dp);
}

/*
 * Remove the entry name of dp, which must name ino (ENOENT otherwise).
 * Precondition: as ffs_dir_enter.
 */
int
ffs_dir_remove(struct ffs_inode *dp, const char *name, size_t len,
    uint64_t ino)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_dname dn = { .dn_name = name, .dn_len = len };
	struct ffs_direct *d, *prev;
	struct ffs_dslot ds;
	int error;

	error = ffs_dir_find(dp, &dn, &ds);
	if (error != 0)
		return error;
	d = (struct ffs_direct *)(ds.ds_chunk + ds.ds_pos);
	if (ffs_rd32(ump, d->d_ino) != ino) {
		brelse(ds.ds_bp, 0);
		return ENOENT;
	}
	if (ds.ds_prev == FFS_NOPREV) {
		d->d_ino = 0;
	} else {
		prev = (struct ffs_direct *)(ds.ds_chunk + ds.ds_prev);
		prev->d_reclen = ffs_rd16(ump, (uint16_t)(ffs_rd16(ump,
		    prev->d_reclen) + ffs_rd16(ump, d->d_reclen)));
	}
	ffs_dirhash_removed(dp, name, len, ds.ds_choff + ds.ds_pos,
	    ds.ds_chunk, ds.ds_choff);
	bdwrite(ds.ds_bp);
	ffs_itimes(dp, false, true, true);
	error = ffs_dirhash_verify(dp);
	if (error != 0)
		return error;
	return ffs_iupdate(dp);
}

/* Point the entry name of dp at ino (rename over, ".." of a moved dir). */
int
ffs_dir_rewrite(struct ffs_inode *dp, const char *name, size_t len,
    uint64_t ino, uint8_t type)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_dname dn = { .dn_name = name, .dn_len = len };
	struct ffs_direct *d;
	struct ffs_dslot ds;
	int error;

	error = ffs_dir_find(dp, &dn, &ds);
	if (error != 0)
		return error;
	/* same name, same offset: the index has nothing to learn */
	d = (struct ffs_direct *)(ds.ds_chunk + ds.ds_pos);
	d->d_ino = ffs_rd32(ump, (uint32_t)ino);
	d->d_type = type;
	bdwrite(ds.ds_bp);
	ffs_itimes(dp, false, true, true);
	return ffs_iupdate(dp);
}

static bool
ffs_not_dot(struct ffs_mount *ump, struct ffs_direct *d, void *arg)
{
	if (d->d_ino == 0)
		return false;
	if (d->d_namlen == 1 && d->d_name[0] == '.')
		return false;
	return !(d->d_namlen == 2 && d->d_name[0] == '.' && d->d_name[1] == '.');
}

/* Has dp nothing but "." and ".."?  Precondition: nslock writer. */
int
ffs_dir_isempty(struct ffs_inode *dp, bool *emptyp)
{
	struct ffs_dslot ds;
	int error;

	error = ffs_dir_scan(dp, ffs_not_dot, NULL, &ds);
	if (error == ENOENT) {
		*emptyp = true;
		return 0;
	}
	if (error == 0) {
		brelse(ds.ds_bp, 0);
		*emptyp = false;
	}
	return error;
}

/* The first chunk of the new directory ip: "." and "..". */
int
ffs_dir_init(struct ffs_inode *ip, uint64_t parent)
{
	struct ffs_mount *ump = ip->i_ump;
	struct buf *bp;
	int error;

	KASSERT(ip->i_size == 0);
	error = ffs_grow(ip, FFS_DIRBLKSIZ);
	if (error != 0)
		return error;
	error = ffs_balloc(ip, 0, &bp);
	if (error != 0)
		return error;
	ffs_dir_fill(ump, bp->b_data, ip->i_number, DT_DIR, ".", 1,
	    (uint32_t)FFS_DIRSIZ(1));
	ffs_dir_fill(ump, (struct ffs_direct *)((char *)bp->b_data +
	    FFS_DIRSIZ(1)), parent, DT_DIR, "..", 2,
	    FFS_DIRBLKSIZ - (uint32_t)FFS_DIRSIZ(1));
	bdwrite(bp);
	return 0;
}
