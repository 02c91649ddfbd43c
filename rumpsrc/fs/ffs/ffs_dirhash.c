/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_dirhash.c: an in-memory index of big FFS directories, so that a
 * lookup, an insert or a removal does not read the whole directory.
 * Called by ffs_dir.c (lookup) and ffs_dirops.c (insert, remove,
 * rewrite, compaction); freed by ffs_vnops.c (inactive, reclaim); set up
 * by the component in ffs_vfsops.c.
 *
 * A directory of at least ffs_dh_minsize bytes gets, at its first lookup
 * or change, a table built from one checked walk of its records:
 *  - an open-addressing hash table (linear probing, deletion by shifting
 *    back, no tombstones) from a 32-bit hash of each used name to the
 *    byte offset of its record.  A lookup reads only the block(s) of the
 *    candidate offsets and compares the names there;
 *  - per 512-byte chunk, the largest free space of one record (what an
 *    insert into its slack needs) and the chunk's total free space (what
 *    compaction gives), in 4-byte units, and per group of FFS_DH_GROUP
 *    chunks the maximum of each: an insert finds the first chunk with
 *    room, in directory order -- the same place the linear scan finds --
 *    by looking at a few group maxima.
 * Every change to the directory's records goes through ffs_dirops.c,
 * which tells this file (added, removed, chunk compacted), so the index
 * stays exactly in step; anything unexpected (a name not found where the
 * index says, a full table, a directory grown past the table's chunk
 * capacity) drops the index, and the next use rebuilds it.  No index
 * means the linear scans of ffs_dir.c and ffs_dirops.c, which are always
 * correct.
 *
 * Memory: all tables together stay under ffs_dh_maxmem bytes (a table
 * being built is counted when installed, so one table can briefly be
 * over).  To make room, the least recently used tables of other
 * directories are dropped.  The header (struct ffs_dirhash) lives until
 * the inode is reclaimed.
 *
 * Tunables, read at component init with rumpuser_getparam (the POSIX
 * hypervisor reads the environment; the Linux one has none of these, so
 * the defaults): RUMP_FFS_DIRHASH_MIN (bytes; 0 indexes every directory),
 * RUMP_FFS_DIRHASH_MAXMEM (bytes), RUMP_FFS_DIRHASH_CHECK (1: every
 * indexed lookup is compared with the linear scan, and the index with a
 * fresh build after every change; a difference is EIO with a message --
 * for tests).
 *
 * Locks: every change of a directory runs with the mount's nslock as
 * writer, lookups with it as reader, so the records under an index do
 * not change while a lookup uses it.  dh_lock (per directory) guards its
 * table pointer and contents; it is never held across I/O.  ffs_dh_glock
 * guards the LRU and the byte count; order dh_lock, then ffs_dh_glock;
 * the budget code, holding ffs_dh_glock, only tries other dh_locks.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>
#include <rump/rumpuser.h>

#include "ffs.h"

#define FFS_DH_EMPTY	0xffffffffU
#define FFS_DH_GROUP	64		/* chunks per summary group */
#define FFS_DH_NCAND	4		/* same-hash records looked at */
#define FFS_DH_MINSLOTS	64
#define FFS_DH_MAXDIR	((int64_t)1 << 31)	/* offsets fit 32 bits */
#define FFS_DH_DEFMIN	(5 * FFS_DIRBLKSIZ)	/* bytes of directory */
#define FFS_DH_DEFMEM	(4 * 1024 * 1024)	/* bytes of tables */

struct ffs_dh_slot {
	uint32_t	s_hash;
	uint32_t	s_off;		/* record offset, or FFS_DH_EMPTY */
};

/* One directory's tables; dropped and rebuilt as a whole. */
struct ffs_dh_tab {
	struct ffs_dh_slot *t_slots;
	uint32_t	t_nslots;	/* a power of two */
	uint32_t	t_nused;
	uint32_t	t_nchunks;	/* chunks of the directory */
	uint32_t	t_chcap;	/* chunk entries, a multiple of GROUP */
	uint8_t		*t_sum;		/* the four arrays below, one block */
	uint8_t		*t_maxfree;	/* per chunk, 4-byte units */
	uint8_t		*t_totfree;
	uint8_t		*t_gmaxfree;	/* per group */
	uint8_t		*t_gtotfree;
	size_t		t_mem;		/* bytes charged to the budget */
	struct ffs_dh_tab *t_next;	/* on a list of tables to free */
};

struct ffs_dirhash {
	kmutex_t	dh_lock;	/* dh_tab and its contents, building */
	struct ffs_dh_tab *dh_tab;	/* NULL: none, linear scans */
	bool		dh_building;
	/* under ffs_dh_glock; on the LRU exactly when dh_tab is set */
	TAILQ_ENTRY(ffs_dirhash) dh_lru;
};

static kmutex_t ffs_dh_glock;
static TAILQ_HEAD(, ffs_dirhash) ffs_dh_lru;
static size_t ffs_dh_mem;		/* charged bytes */
static size_t ffs_dh_maxmem;
static int64_t ffs_dh_minsize;
static bool ffs_dh_check;

/* ---------------------------------------------------------------- tables */

static uint32_t
ffs_dh_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261U;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 16777619U;
	}
	return h;
}

static size_t
ffs_dh_summem(uint32_t chcap)
{
	return 2 * (size_t)chcap + 2 * (size_t)(chcap / FFS_DH_GROUP);
}

static struct ffs_dh_slot *
ffs_dh_slots_alloc(uint32_t n)
{
	struct ffs_dh_slot *s;
	uint32_t i;

	s = kmem_alloc(n * sizeof(*s), KM_SLEEP);
	for (i = 0; i < n; i++)
		s[i].s_off = FFS_DH_EMPTY;
	return s;
}

/* Empty tables for about nent names in nchunks chunks. */
static struct ffs_dh_tab *
ffs_dh_tab_alloc(uint32_t nent, uint32_t nchunks)
{
	struct ffs_dh_tab *t;
	uint32_t n = FFS_DH_MINSLOTS, g;

	while (n / 2 < nent)
		n *= 2;
	t = kmem_zalloc(sizeof(*t), KM_SLEEP);
	t->t_nslots = n;
	t->t_slots = ffs_dh_slots_alloc(n);
	t->t_nchunks = nchunks;
	t->t_chcap = roundup(2 * nchunks + FFS_DH_GROUP, FFS_DH_GROUP);
	g = t->t_chcap / FFS_DH_GROUP;
	t->t_sum = kmem_zalloc(ffs_dh_summem(t->t_chcap), KM_SLEEP);
	t->t_maxfree = t->t_sum;
	t->t_totfree = t->t_maxfree + t->t_chcap;
	t->t_gmaxfree = t->t_totfree + t->t_chcap;
	t->t_gtotfree = t->t_gmaxfree + g;
	return t;
}

static size_t
ffs_dh_tab_mem(const struct ffs_dh_tab *t)
{
	return sizeof(*t) + t->t_nslots * sizeof(struct ffs_dh_slot) +
	    ffs_dh_summem(t->t_chcap);
}

static void
ffs_dh_tab_free(struct ffs_dh_tab *t)
{
	kmem_free(t->t_slots, t->t_nslots * sizeof(struct ffs_dh_slot));
	kmem_free(t->t_sum, ffs_dh_summem(t->t_chcap));
	kmem_free(t, sizeof(*t));
}

static void
ffs_dh_put(struct ffs_dh_tab *t, uint32_t h, uint32_t off)
{
	uint32_t mask = t->t_nslots - 1, i;

	for (i = h & mask; t->t_slots[i].s_off != FFS_DH_EMPTY;
	    i = (i + 1) & mask)
		continue;
	t->t_slots[i].s_hash = h;
	t->t_slots[i].s_off = off;
	t->t_nused++;
}

/* Twice the slots (a table being built, private to its builder). */
static void
ffs_dh_grow(struct ffs_dh_tab *t)
{
	struct ffs_dh_slot *old = t->t_slots;
	uint32_t n = t->t_nslots, i;

	t->t_slots = ffs_dh_slots_alloc(2 * n);
	t->t_nslots = 2 * n;
	t->t_nused = 0;
	for (i = 0; i < n; i++) {
		if (old[i].s_off != FFS_DH_EMPTY)
			ffs_dh_put(t, old[i].s_hash, old[i].s_off);
	}
	kmem_free(old, n * sizeof(*old));
}

/* Add h -> off; false when the table is too full (3/4) for it. */
static bool
ffs_dh_insert(struct ffs_dh_tab *t, uint32_t h, uint32_t off)
{
	if ((uint64_t)(t->t_nused + 1) * 4 > (uint64_t)t->t_nslots * 3)
		return false;
	ffs_dh_put(t, h, off);
	return true;
}

/* Is the slot's home k cyclically inside (i, j]? */
static bool
ffs_dh_between(uint32_t i, uint32_t k, uint32_t j)
{
	return i <= j ? (i < k && k <= j) : (i < k || k <= j);
}

/* Remove h -> off, shifting the probe run back; false if absent. */
static bool
ffs_dh_delete(struct ffs_dh_tab *t, uint32_t h, uint32_t off)
{
	uint32_t mask = t->t_nslots - 1, i, j, k;

	for (i = h & mask; ; i = (i + 1) & mask) {
		if (t->t_slots[i].s_off == FFS_DH_EMPTY)
			return false;
		if (t->t_slots[i].s_off == off && t->t_slots[i].s_hash == h)
			break;
	}
	for (j = i; ; ) {
		j = (j + 1) & mask;
		if (t->t_slots[j].s_off == FFS_DH_EMPTY)
			break;
		k = t->t_slots[j].s_hash & mask;
		if (ffs_dh_between(i, k, j))
			continue;
		t->t_slots[i] = t->t_slots[j];
		i = j;
	}
	t->t_slots[i].s_off = FFS_DH_EMPTY;
	t->t_nused--;
	return true;
}

static bool
ffs_dh_has(const struct ffs_dh_tab *t, uint32_t h, uint32_t off)
{
	uint32_t mask = t->t_nslots - 1, i;

	for (i = h & mask; t->t_slots[i].s_off != FFS_DH_EMPTY;
	    i = (i + 1) & mask) {
		if (t->t_slots[i].s_off == off && t->t_slots[i].s_hash == h)
			return true;
	}
	return false;
}

/*
 * Free space of a chunk whose record chain is sound (checked by the
 * caller or written by us): largest slack of one record, and all of it,
 * in 4-byte units.  False if the chain is not sound after all.
 */
static bool
ffs_dh_chunk_free(struct ffs_mount *ump, const char *chunk, uint8_t *maxp,
    uint8_t *totp)
{
	const struct ffs_direct *d;
	uint32_t pos = 0, reclen, slack, max = 0, tot = 0;

	while (pos < FFS_DIRBLKSIZ) {
		if (pos + FFS_DIRHDRSIZ > FFS_DIRBLKSIZ)
			return false;
		d = (const struct ffs_direct *)(chunk + pos);
		reclen = ffs_rd16(ump, d->d_reclen);
		if (reclen < FFS_DIRHDRSIZ || reclen % 4 != 0 ||
		    reclen > FFS_DIRBLKSIZ - pos ||
		    (d->d_ino != 0 && FFS_DIRSIZ(d->d_namlen) > reclen))
			return false;
		slack = d->d_ino == 0 ? reclen :
		    reclen - (uint32_t)FFS_DIRSIZ(d->d_namlen);
		max = MAX(max, slack);
		tot += slack;
		pos += reclen;
	}
	*maxp = (uint8_t)(max / 4);
	*totp = (uint8_t)(tot / 4);
	return true;
}

/* Set chunk c's free space and its group's maxima. */
static void
ffs_dh_setfree(struct ffs_dh_tab *t, uint32_t c, uint8_t max, uint8_t tot)
{
	uint32_t g = c / FFS_DH_GROUP, i, end;
	uint8_t gmax = 0, gtot = 0;

	KASSERT(c < t->t_nchunks);
	t->t_maxfree[c] = max;
	t->t_totfree[c] = tot;
	end = MIN(t->t_nchunks, (g + 1) * FFS_DH_GROUP);
	for (i = g * FFS_DH_GROUP; i < end; i++) {
		gmax = MAX(gmax, t->t_maxfree[i]);
		gtot = MAX(gtot, t->t_totfree[i]);
	}
	t->t_gmaxfree[g] = gmax;
	t->t_gtotfree[g] = gtot;
}

/* First chunk whose sums[] entry reaches units; -1 if none. */
static int64_t
ffs_dh_first(const struct ffs_dh_tab *t, const uint8_t *gsums,
    const uint8_t *sums, uint32_t units)
{
	uint32_t g, c, end, ngroups;

	ngroups = howmany(t->t_nchunks, FFS_DH_GROUP);
	for (g = 0; g < ngroups; g++) {
		if (gsums[g] < units)
			continue;
		end = MIN(t->t_nchunks, (g + 1) * FFS_DH_GROUP);
		for (c = g * FFS_DH_GROUP; c < end; c++) {
			if (sums[c] >= units)
				return c;
		}
	}
	return -1;
}

/* ---------------------------------------------------------------- build */

struct ffs_dh_buildarg {
	struct ffs_dh_tab *ba_tab;
};

static int
ffs_dh_build_fn(void *arg, const struct ffs_dent *de)
{
	struct ffs_dh_tab *t = ((struct ffs_dh_buildarg *)arg)->ba_tab;
	uint32_t h = ffs_dh_hash(de->de_name, de->de_namlen);

	if (!ffs_dh_insert(t, h, (uint32_t)de->de_off)) {
		ffs_dh_grow(t);
		ffs_dh_put(t, h, (uint32_t)de->de_off);
	}
	return 0;
}

/*
 * Tables for dp from a checked walk of all its records (EIO: damaged;
 * EFBIG: too big to index).  Precondition: nslock (reader or writer);
 * no dirhash lock.
 */
static int
ffs_dh_build(struct ffs_inode *dp, struct ffs_dh_tab **tp)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_dh_buildarg ba;
	struct ffs_dh_tab *t;
	struct buf *bp;
	uint32_t nchunks, bsz, ch, c;
	uint8_t max, tot;
	int64_t lbn, boff;
	int error = 0;

	*tp = NULL;
	if (dp->i_size >= FFS_DH_MAXDIR || dp->i_size % FFS_DIRBLKSIZ != 0)
		return EFBIG;
	nchunks = (uint32_t)(dp->i_size / FFS_DIRBLKSIZ);
	t = ffs_dh_tab_alloc(nchunks * 16, nchunks);
	ba.ba_tab = t;
	for (lbn = 0; (lbn << ump->um_bshift) < dp->i_size && error == 0;
	    lbn++) {
		error = ffs_bread_lbn(dp, lbn, &bp, &bsz);
		if (error != 0)
			break;
		boff = lbn << ump->um_bshift;
		if (bp == NULL) {
			error = EIO;	/* a hole: the walks say so */
			break;
		}
		for (ch = 0; ch < bsz && boff + ch < dp->i_size;
		    ch += FFS_DIRBLKSIZ) {
			error = ffs_dir_chunk(dp, (const char *)bp->b_data + ch,
			    boff + ch, 0, ffs_dh_build_fn, &ba);
			c = (uint32_t)((boff + ch) / FFS_DIRBLKSIZ);
			if (error == 0 && !ffs_dh_chunk_free(ump,
			    (const char *)bp->b_data + ch, &max, &tot))
				error = EIO;
			if (error != 0)
				break;
			ffs_dh_setfree(t, c, max, tot);
		}
		brelse(bp, 0);
	}
	if (error != 0) {
		ffs_dh_tab_free(t);
		return error;
	}
	/* half empty, so inserts can come before the next rebuild */
	while (t->t_nused > t->t_nslots / 2)
		ffs_dh_grow(t);
	t->t_mem = ffs_dh_tab_mem(t);
	*tp = t;
	return 0;
}

/* ---------------------------------------------------------------- budget */

/*
 * Take dh's tables away (off the LRU, uncharged) and return them for the
 * caller to free.  Precondition: dh_lock held.
 */
static struct ffs_dh_tab *
ffs_dh_detach(struct ffs_dirhash *dh)
{
	struct ffs_dh_tab *t = dh->dh_tab;

	KASSERT(mutex_owned(&dh->dh_lock));
	if (t == NULL)
		return NULL;
	mutex_enter(&ffs_dh_glock);
	TAILQ_REMOVE(&ffs_dh_lru, dh, dh_lru);
	KASSERT(ffs_dh_mem >= t->t_mem);
	ffs_dh_mem -= t->t_mem;
	mutex_exit(&ffs_dh_glock);
	dh->dh_tab = NULL;
	return t;
}

/*
 * Charge bytes, dropping the least recently used tables of others until
 * they fit.  False when they do not.  Precondition: no dirhash lock held.
 */
static bool
ffs_dh_charge(size_t bytes)
{
	struct ffs_dirhash *dh, *next;
	struct ffs_dh_tab *t, *victims = NULL;
	bool ok;

	mutex_enter(&ffs_dh_glock);
	for (dh = TAILQ_FIRST(&ffs_dh_lru);
	    dh != NULL && ffs_dh_mem + bytes > ffs_dh_maxmem; dh = next) {
		next = TAILQ_NEXT(dh, dh_lru);
		if (!mutex_tryenter(&dh->dh_lock))
			continue;	/* in use: the next one */
		t = dh->dh_tab;
		KASSERT(t != NULL);
		TAILQ_REMOVE(&ffs_dh_lru, dh, dh_lru);
		ffs_dh_mem -= t->t_mem;
		dh->dh_tab = NULL;
		mutex_exit(&dh->dh_lock);
		t->t_next = victims;
		victims = t;
	}
	ok = ffs_dh_mem + bytes <= ffs_dh_maxmem;
	if (ok)
		ffs_dh_mem += bytes;
	mutex_exit(&ffs_dh_glock);
	while ((t = victims) != NULL) {
		victims = t->t_next;
		ffs_dh_tab_free(t);
	}
	return ok;
}

/* Precondition: dh_lock held, dh->dh_tab set: most recently used. */
static void
ffs_dh_touch(struct ffs_dirhash *dh)
{
	mutex_enter(&ffs_dh_glock);
	if (TAILQ_NEXT(dh, dh_lru) != NULL) {
		TAILQ_REMOVE(&ffs_dh_lru, dh, dh_lru);
		TAILQ_INSERT_TAIL(&ffs_dh_lru, dh, dh_lru);
	}
	mutex_exit(&ffs_dh_glock);
}

/* ---------------------------------------------------------------- access */

static struct ffs_dirhash *
ffs_dh_of(struct ffs_inode *dp)
{
	return __atomic_load_n(&dp->i_dirhash, __ATOMIC_ACQUIRE);
}

/*
 * dp's index, built now if dp is big enough and has none.  Returns it
 * with dh_lock held and dh_tab set, or NULL (no index: too small, being
 * built by another lookup, over budget, damaged).
 * Precondition: nslock (reader or writer); no dirhash lock held.
 */
static struct ffs_dirhash *
ffs_dh_get(struct ffs_inode *dp)
{
	struct ffs_dirhash *dh, *ndh;
	struct ffs_dh_tab *t;

	dh = ffs_dh_of(dp);
	if (dh == NULL) {
		if (dp->i_size < ffs_dh_minsize || dp->i_size == 0)
			return NULL;
		ndh = kmem_zalloc(sizeof(*ndh), KM_SLEEP);
		mutex_init(&ndh->dh_lock, MUTEX_DEFAULT, IPL_NONE);
		mutex_enter(&ffs_dh_glock);
		dh = ffs_dh_of(dp);
		if (dh == NULL) {
			__atomic_store_n(&dp->i_dirhash, ndh, __ATOMIC_RELEASE);
			dh = ndh;
			ndh = NULL;
		}
		mutex_exit(&ffs_dh_glock);
		if (ndh != NULL) {
			mutex_destroy(&ndh->dh_lock);
			kmem_free(ndh, sizeof(*ndh));
		}
	}
	mutex_enter(&dh->dh_lock);
	if (dh->dh_tab != NULL)
		return dh;
	if (dh->dh_building || dp->i_size < ffs_dh_minsize ||
	    dp->i_size == 0) {
		mutex_exit(&dh->dh_lock);
		return NULL;
	}
	dh->dh_building = true;
	mutex_exit(&dh->dh_lock);

	if (ffs_dh_build(dp, &t) == 0 && !ffs_dh_charge(t->t_mem)) {
		ffs_dh_tab_free(t);
		t = NULL;
	}
	mutex_enter(&dh->dh_lock);
	dh->dh_building = false;
	if (t == NULL) {
		mutex_exit(&dh->dh_lock);
		return NULL;
	}
	dh->dh_tab = t;
	mutex_enter(&ffs_dh_glock);
	TAILQ_INSERT_TAIL(&ffs_dh_lru, dh, dh_lru);
	mutex_exit(&ffs_dh_glock);
	return dh;
}

/* Drop dp's index (it is out of step with the records). */
static void
ffs_dh_drop(struct ffs_inode *dp, const char *why)
{
	struct ffs_dirhash *dh = ffs_dh_of(dp);
	struct ffs_dh_tab *t;

	if (dh == NULL)
		return;
	if (ffs_dh_check)
		printf("ffs: directory inode %llu: index dropped: %s\n",
		    (unsigned long long)dp->i_number, why);
	mutex_enter(&dh->dh_lock);
	t = ffs_dh_detach(dh);
	mutex_exit(&dh->dh_lock);
	if (t != NULL)
		ffs_dh_tab_free(t);
}

bool
ffs_dirhash_checking(void)
{
	return ffs_dh_check;
}

/*
 * The record named name in dp, by the index: 0 with *bpp (busy) holding
 * the record at directory offset *offp, ENOENT, an I/O error, or
 * FFS_DH_NONE when there is no index (the caller scans).
 * Precondition: nslock (reader or writer); no dirhash lock held.
 */
int
ffs_dirhash_lookup(struct ffs_inode *dp, const char *name, size_t len,
    struct buf **bpp, int64_t *offp)
{
	struct ffs_mount *ump = dp->i_ump;
	uint32_t cand[FFS_DH_NCAND], h, mask, i, bsz, pos, reclen;
	const struct ffs_direct *d;
	struct ffs_dirhash *dh;
	struct ffs_dh_tab *t;
	struct buf *bp;
	int n = 0, k, error;

	*bpp = NULL;
	dh = ffs_dh_get(dp);
	if (dh == NULL)
		return FFS_DH_NONE;
	t = dh->dh_tab;
	h = ffs_dh_hash(name, len);
	mask = t->t_nslots - 1;
	for (i = h & mask; t->t_slots[i].s_off != FFS_DH_EMPTY;
	    i = (i + 1) & mask) {
		if (t->t_slots[i].s_hash != h)
			continue;
		if (n == FFS_DH_NCAND) {
			n = -1;		/* too many: scan */
			break;
		}
		cand[n++] = t->t_slots[i].s_off;
	}
	ffs_dh_touch(dh);
	mutex_exit(&dh->dh_lock);
	if (n < 0)
		return FFS_DH_NONE;

	for (k = 0; k < n; k++) {
		error = ffs_bread_lbn(dp, cand[k] >> ump->um_bshift, &bp, &bsz);
		if (error != 0)
			return error;
		pos = cand[k] & (ump->um_bsize - 1);
		if (bp == NULL || pos + FFS_DIRHDRSIZ > bsz)
			goto err_step;
		d = (const struct ffs_direct *)((char *)bp->b_data + pos);
		reclen = ffs_rd16(ump, d->d_reclen);
		if (d->d_ino == 0 || reclen > FFS_DIRBLKSIZ -
		    pos % FFS_DIRBLKSIZ || FFS_DIRSIZ(d->d_namlen) > reclen)
			goto err_step;
		if (d->d_namlen == len && memcmp(d->d_name, name, len) == 0) {
			*bpp = bp;
			*offp = cand[k];
			return 0;
		}
		brelse(bp, 0);
	}
	return ENOENT;

err_step:
	if (bp != NULL)
		brelse(bp, 0);
	ffs_dh_drop(dp, "no record where it points");
	return ffs_dh_check ? EIO : FFS_DH_NONE;
}

/*
 * Where an entry needing need bytes goes: the first chunk (directory
 * offset *choffp) with a record whose slack holds it (*compactp false),
 * else the first whose free space together holds it (*compactp true: to
 * be compacted), else ENOENT (a new chunk at the end); FFS_DH_NONE when
 * there is no index.  Precondition: nslock writer, dp's v_lock writer.
 */
int
ffs_dirhash_room(struct ffs_inode *dp, uint32_t need, int64_t *choffp,
    bool *compactp)
{
	struct ffs_dirhash *dh;
	struct ffs_dh_tab *t;
	int64_t c;

	dh = ffs_dh_get(dp);
	if (dh == NULL)
		return FFS_DH_NONE;
	t = dh->dh_tab;
	*compactp = false;
	c = ffs_dh_first(t, t->t_gmaxfree, t->t_maxfree, need / 4);
	if (c < 0) {
		*compactp = true;
		c = ffs_dh_first(t, t->t_gtotfree, t->t_totfree, need / 4);
	}
	ffs_dh_touch(dh);
	mutex_exit(&dh->dh_lock);
	if (c < 0)
		return ENOENT;
	*choffp = c * FFS_DIRBLKSIZ;
	return 0;
}

/* dp's tables, locked, if it has some; NULL otherwise. */
static struct ffs_dirhash *
ffs_dh_locked(struct ffs_inode *dp)
{
	struct ffs_dirhash *dh = ffs_dh_of(dp);

	if (dh == NULL)
		return NULL;
	mutex_enter(&dh->dh_lock);
	if (dh->dh_tab != NULL)
		return dh;
	mutex_exit(&dh->dh_lock);
	return NULL;
}

/*
 * Recount the free space of the chunk at directory offset choff (data
 * chunk), a new chunk at the end included.  False: out of step.
 * Precondition: dh_lock held.
 */
static bool
ffs_dh_refree(struct ffs_inode *dp, struct ffs_dh_tab *t, const char *chunk,
    int64_t choff)
{
	uint32_t c = (uint32_t)(choff / FFS_DIRBLKSIZ);
	uint8_t max, tot;

	if (c == t->t_nchunks && c < t->t_chcap)
		t->t_nchunks++;
	if (c >= t->t_nchunks ||
	    !ffs_dh_chunk_free(dp->i_ump, chunk, &max, &tot))
		return false;
	ffs_dh_setfree(t, c, max, tot);
	return true;
}

/*
 * Tell the index what changed in a chunk (chunk: its data, in a busy
 * buffer; choff: its directory offset).  An entry name was added at
 * directory offset off (ffs_dirhash_added) or removed from there
 * (ffs_dirhash_removed); or all the chunk's entries are about to move
 * (ffs_dirhash_unchunk, before compacting) or have moved
 * (ffs_dirhash_rechunk, after).  A change the index cannot follow drops
 * it.  Precondition: nslock writer, dp's v_lock writer.
 */
static void
ffs_dh_change(struct ffs_inode *dp, const char *name, size_t len,
    int64_t off, const char *chunk, int64_t choff, bool add)
{
	struct ffs_dirhash *dh = ffs_dh_locked(dp);
	struct ffs_dh_tab *t;
	uint32_t h;
	bool ok;

	if (dh == NULL)
		return;
	t = dh->dh_tab;
	h = ffs_dh_hash(name, len);
	if (add)
		ok = ffs_dh_insert(t, h, (uint32_t)off);
	else
		ok = ffs_dh_delete(t, h, (uint32_t)off);
	if (ok)
		ok = ffs_dh_refree(dp, t, chunk, choff);
	mutex_exit(&dh->dh_lock);
	if (!ok)
		ffs_dh_drop(dp, add ? "full, or grown past its chunks" :
		    "removed name not in it");
}

void
ffs_dirhash_added(struct ffs_inode *dp, const char *name, size_t len,
    int64_t off, const char *chunk, int64_t choff)
{
	ffs_dh_change(dp, name, len, off, chunk, choff, true);
}

void
ffs_dirhash_removed(struct ffs_inode *dp, const char *name, size_t len,
    int64_t off, const char *chunk, int64_t choff)
{
	ffs_dh_change(dp, name, len, off, chunk, choff, false);
}

static void
ffs_dh_chunk_names(struct ffs_inode *dp, const char *chunk, int64_t choff,
    bool add)
{
	struct ffs_mount *ump = dp->i_ump;
	struct ffs_dirhash *dh = ffs_dh_locked(dp);
	const struct ffs_direct *d;
	uint32_t pos, reclen, h;
	struct ffs_dh_tab *t;
	bool ok = true;

	if (dh == NULL)
		return;
	t = dh->dh_tab;
	for (pos = 0; pos < FFS_DIRBLKSIZ && ok; pos += reclen) {
		d = (const struct ffs_direct *)(chunk + pos);
		reclen = ffs_rd16(ump, d->d_reclen);
		if (reclen < FFS_DIRHDRSIZ || reclen > FFS_DIRBLKSIZ - pos) {
			ok = false;
			break;
		}
		if (d->d_ino == 0)
			continue;
		h = ffs_dh_hash(d->d_name, d->d_namlen);
		if (add)
			ok = ffs_dh_insert(t, h, (uint32_t)(choff + pos));
		else
			ok = ffs_dh_delete(t, h, (uint32_t)(choff + pos));
	}
	if (ok && add)
		ok = ffs_dh_refree(dp, t, chunk, choff);
	mutex_exit(&dh->dh_lock);
	if (!ok)
		ffs_dh_drop(dp, "chunk out of step");
}

void
ffs_dirhash_unchunk(struct ffs_inode *dp, const char *chunk, int64_t choff)
{
	ffs_dh_chunk_names(dp, chunk, choff, false);
}

void
ffs_dirhash_rechunk(struct ffs_inode *dp, const char *chunk, int64_t choff)
{
	ffs_dh_chunk_names(dp, chunk, choff, true);
}

/* Does t say what the fresh build f says?  NULL, or what differs. */
static const char *
ffs_dh_differs(const struct ffs_dh_tab *t, const struct ffs_dh_tab *f)
{
	uint32_t i, g;

	if (t->t_nused != f->t_nused)
		return "number of names";
	if (t->t_nchunks != f->t_nchunks)
		return "number of chunks";
	for (i = 0; i < f->t_nslots; i++) {
		if (f->t_slots[i].s_off != FFS_DH_EMPTY &&
		    !ffs_dh_has(t, f->t_slots[i].s_hash, f->t_slots[i].s_off))
			return "a name missing or at another offset";
	}
	for (i = 0; i < f->t_nchunks; i++) {
		if (t->t_maxfree[i] != f->t_maxfree[i] ||
		    t->t_totfree[i] != f->t_totfree[i])
			return "free space of a chunk";
	}
	for (g = 0; g < howmany(f->t_nchunks, FFS_DH_GROUP); g++) {
		if (t->t_gmaxfree[g] != f->t_gmaxfree[g] ||
		    t->t_gtotfree[g] != f->t_gtotfree[g])
			return "free space of a group";
	}
	return NULL;
}

/*
 * RUMP_FFS_DIRHASH_CHECK: compare dp's index (if any) with one built
 * afresh from the records; EIO with a message if they differ.
 * Precondition: nslock writer; no dirhash lock held.
 */
int
ffs_dirhash_verify(struct ffs_inode *dp)
{
	struct ffs_dirhash *dh;
	struct ffs_dh_tab *f;
	const char *why = NULL;
	int error;

	if (!ffs_dh_check || (dh = ffs_dh_locked(dp)) == NULL)
		return 0;
	mutex_exit(&dh->dh_lock);
	error = ffs_dh_build(dp, &f);
	if (error != 0)
		return error;
	mutex_enter(&dh->dh_lock);
	if (dh->dh_tab != NULL)
		why = ffs_dh_differs(dh->dh_tab, f);
	mutex_exit(&dh->dh_lock);
	ffs_dh_tab_free(f);
	if (why == NULL)
		return 0;
	printf("ffs: directory inode %llu: index out of step: %s\n",
	    (unsigned long long)dp->i_number, why);
	return EIO;
}

/*
 * Free ip's index and its header (reclaim, or a directory emptied for
 * good).  Precondition: nobody else uses ip (no references, or its last
 * one); no dirhash lock held.
 */
void
ffs_dirhash_free(struct ffs_inode *ip)
{
	struct ffs_dirhash *dh = ffs_dh_of(ip);
	struct ffs_dh_tab *t;

	if (dh == NULL)
		return;
	mutex_enter(&dh->dh_lock);
	KASSERT(!dh->dh_building);
	t = ffs_dh_detach(dh);
	mutex_exit(&dh->dh_lock);
	if (t != NULL)
		ffs_dh_tab_free(t);
	__atomic_store_n(&ip->i_dirhash, NULL, __ATOMIC_RELEASE);
	mutex_destroy(&dh->dh_lock);
	kmem_free(dh, sizeof(*dh));
}

/* ---------------------------------------------------------------- setup */

static uint64_t
ffs_dh_param(const char *name, uint64_t def)
{
	char buf[32], *end;
	unsigned long v;

	if (rumpuser_getparam(name, buf, sizeof(buf)) != 0 || buf[0] == '\0')
		return def;
	v = strtoul(buf, &end, 0);
	if (*end != '\0') {
		printf("ffs: %s=\"%s\" is not a number; using %llu\n", name,
		    buf, (unsigned long long)def);
		return def;
	}
	return v;
}

void
ffs_dirhash_init(void)
{
	mutex_init(&ffs_dh_glock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&ffs_dh_lru);
	ffs_dh_mem = 0;
	ffs_dh_minsize = (int64_t)ffs_dh_param("RUMP_FFS_DIRHASH_MIN",
	    FFS_DH_DEFMIN);
	ffs_dh_maxmem = (size_t)ffs_dh_param("RUMP_FFS_DIRHASH_MAXMEM",
	    FFS_DH_DEFMEM);
	ffs_dh_check = ffs_dh_param("RUMP_FFS_DIRHASH_CHECK", 0) != 0;
}

/* Precondition: every FFS vnode is reclaimed (nothing is indexed). */
void
ffs_dirhash_fini(void)
{
	if (ffs_dh_mem != 0 || !TAILQ_EMPTY(&ffs_dh_lru))
		printf("ffs: %zu bytes of directory index left at fini\n",
		    ffs_dh_mem);
	mutex_destroy(&ffs_dh_glock);
}
