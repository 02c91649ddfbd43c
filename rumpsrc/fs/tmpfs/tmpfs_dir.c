/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_dir.c: tmpfs directories: the entries of a directory node, found
 * by name through a hash table and listed in creation order for readdir.
 *
 * Each entry gets the directory's next sequence number when it is
 * attached; the number is its readdir cookie ("." is 0, ".." is 1), so a
 * cookie stays meaningful however entries come and go: readdir resumes at
 * the first entry whose number is >= the cookie.  A hint remembers where
 * the last readdir stopped so that reading a large directory in pieces is
 * linear, not quadratic.
 *
 * Locking (see tmpfs.h): the list and the hash table change only with
 * mnt_nslock held as writer (lookups hold it as reader) and the list only
 * with the directory's v_lock held as writer too (readdir holds it as
 * reader).  Callers: tmpfs_vnops.c, tmpfs_rename.c, tmpfs_subr.c.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/dirent.h>
#include <sys/kmem.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TMPFS_HASH_MIN		16
#define TMPFS_HASH_LOAD		2	/* entries per bucket before growing */

static uint32_t
tmpfs_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261U;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 16777619U;
	}
	return h;
}

void
tmpfs_dir_init(struct tmpfs_node *dnode, struct tmpfs_node *parent)
{
	struct tmpfs_dir *d = &dnode->tn_dir;

	KASSERT(dnode->tn_type == VDIR);
	TAILQ_INIT(&d->td_list);
	d->td_hash = NULL;
	d->td_nbuckets = 0;
	d->td_count = 0;
	d->td_nextseq = TMPFS_COOKIE_FIRST;
	d->td_hint = NULL;
	d->td_parent = parent;
}

/*
 * Free a directory's entries (only at unmount, when nodes are freed
 * wholesale; a removed directory is empty) and its hash table.
 */
void
tmpfs_dir_fini(struct tmpfs_mount *tm, struct tmpfs_node *dnode)
{
	struct tmpfs_dir *d = &dnode->tn_dir;
	struct tmpfs_dirent *de;

	while ((de = TAILQ_FIRST(&d->td_list)) != NULL) {
		TAILQ_REMOVE(&d->td_list, de, td_entries);
		tmpfs_dirent_free(tm, de);
	}
	d->td_count = 0;
	if (d->td_hash != NULL) {
		kmem_free(d->td_hash, d->td_nbuckets * sizeof(d->td_hash[0]));
		tmpfs_mem_release(tm, d->td_nbuckets * sizeof(d->td_hash[0]));
		d->td_hash = NULL;
		d->td_nbuckets = 0;
	}
}

/* Precondition: mnt_nslock held (reader or writer). */
struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dnode, const char *name, size_t namelen)
{
	struct tmpfs_dir *d = &dnode->tn_dir;
	struct tmpfs_dirent *de;
	uint32_t h;

	KASSERT(dnode->tn_type == VDIR);
	if (d->td_count == 0)
		return NULL;
	h = tmpfs_name_hash(name, namelen);
	for (de = d->td_hash[h & (d->td_nbuckets - 1)]; de != NULL;
	    de = de->td_hnext) {
		if (de->td_hash == h && de->td_namelen == namelen &&
		    memcmp(de->td_name, name, namelen) == 0)
			return de;
	}
	return NULL;
}

/* An unattached entry named name, charged to the mount (ENOSPC). */
int
tmpfs_dirent_alloc(struct tmpfs_mount *tm, const char *name, size_t namelen,
    struct tmpfs_dirent **dep)
{
	size_t size = sizeof(struct tmpfs_dirent) + namelen;
	struct tmpfs_dirent *de;
	int error;

	if (namelen == 0)
		return ENOENT;
	if (namelen > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	error = tmpfs_mem_reserve(tm, size);
	if (error != 0)
		return error;
	de = kmem_alloc(size, KM_NOSLEEP);
	if (de == NULL) {
		tmpfs_mem_release(tm, size);
		return ENOSPC;
	}
	memset(de, 0, sizeof(*de));
	memcpy(de->td_name, name, namelen);
	de->td_namelen = (uint16_t)namelen;
	de->td_hash = tmpfs_name_hash(name, namelen);
	*dep = de;
	return 0;
}

void
tmpfs_dirent_free(struct tmpfs_mount *tm, struct tmpfs_dirent *de)
{
	size_t size = sizeof(struct tmpfs_dirent) + de->td_namelen;

	kmem_free(de, size);
	tmpfs_mem_release(tm, size);
}

/*
 * Make sure the hash table can take one more entry without allocating in
 * tmpfs_dir_attach (which must not fail).  ENOSPC when it cannot grow.
 * Precondition: mnt_nslock held as writer.
 */
int
tmpfs_dir_reserve(struct tmpfs_mount *tm, struct tmpfs_node *dnode)
{
	struct tmpfs_dir *d = &dnode->tn_dir;
	struct tmpfs_dirent **nh, *de;
	u_int nb;
	int error;

	if (d->td_nbuckets != 0 &&
	    d->td_count + 1 <= d->td_nbuckets * TMPFS_HASH_LOAD)
		return 0;
	nb = d->td_nbuckets == 0 ? TMPFS_HASH_MIN : d->td_nbuckets * 2;
	if (nb > (1U << 24))
		return d->td_nbuckets != 0 ? 0 : ENOSPC;	/* long chains */
	error = tmpfs_mem_reserve(tm, nb * sizeof(*nh));
	if (error != 0) {
		/* A table that exists still works, only with longer chains. */
		return d->td_nbuckets != 0 ? 0 : error;
	}
	nh = kmem_zalloc(nb * sizeof(*nh), KM_NOSLEEP);
	if (nh == NULL) {
		tmpfs_mem_release(tm, nb * sizeof(*nh));
		return d->td_nbuckets != 0 ? 0 : ENOSPC;
	}
	TAILQ_FOREACH(de, &d->td_list, td_entries) {
		de->td_hnext = nh[de->td_hash & (nb - 1)];
		nh[de->td_hash & (nb - 1)] = de;
	}
	if (d->td_hash != NULL) {
		kmem_free(d->td_hash, d->td_nbuckets * sizeof(*nh));
		tmpfs_mem_release(tm, d->td_nbuckets * sizeof(*nh));
	}
	d->td_hash = nh;
	d->td_nbuckets = nb;
	return 0;
}

/*
 * Enter de (naming node) into dnode.  Link counts are the caller's.
 * Preconditions: mnt_nslock writer, dnode's v_lock writer,
 * tmpfs_dir_reserve succeeded.
 */
void
tmpfs_dir_attach(struct tmpfs_node *dnode, struct tmpfs_dirent *de,
    struct tmpfs_node *node)
{
	struct tmpfs_dir *d = &dnode->tn_dir;
	u_int b;

	KASSERT(d->td_nbuckets != 0);
	de->td_node = node;
	de->td_seq = d->td_nextseq++;
	TAILQ_INSERT_TAIL(&d->td_list, de, td_entries);
	b = de->td_hash & (d->td_nbuckets - 1);
	de->td_hnext = d->td_hash[b];
	d->td_hash[b] = de;
	d->td_count++;
}

/*
 * Take de out of dnode (not freed).  Preconditions as for attach.
 */
void
tmpfs_dir_detach(struct tmpfs_node *dnode, struct tmpfs_dirent *de)
{
	struct tmpfs_dir *d = &dnode->tn_dir;
	struct tmpfs_dirent **pp;

	KASSERT(d->td_count > 0);
	for (pp = &d->td_hash[de->td_hash & (d->td_nbuckets - 1)]; *pp != de;
	    pp = &(*pp)->td_hnext)
		KASSERT(*pp != NULL);
	*pp = de->td_hnext;
	if (atomic_load_relaxed(&d->td_hint) == de)
		atomic_store_relaxed(&d->td_hint, TAILQ_NEXT(de, td_entries));
	TAILQ_REMOVE(&d->td_list, de, td_entries);
	d->td_count--;
	de->td_hnext = NULL;
	de->td_node = NULL;
}

/* ---------------------------------------------------------------- readdir */

static uint8_t
tmpfs_dtype(enum vtype type)
{
	switch (type) {
	case VREG:	return DT_REG;
	case VDIR:	return DT_DIR;
	case VLNK:	return DT_LNK;
	case VBLK:	return DT_BLK;
	case VCHR:	return DT_CHR;
	case VFIFO:	return DT_FIFO;
	case VSOCK:	return DT_SOCK;
	default:	return DT_UNKNOWN;
	}
}

/* Records are gathered in a page-sized buffer and moved out in bulk. */
struct tmpfs_rdbuf {
	char	*rb_buf;
	size_t	rb_used;
	size_t	rb_total;	/* bytes emitted in this call */
	off_t	rb_cookie;	/* cookie after the last buffered record */
};

static int
tmpfs_rd_flush(struct tmpfs_rdbuf *rb, struct uio *uio)
{
	int error;

	if (rb->rb_used == 0)
		return 0;
	error = uiomove(rb->rb_buf, rb->rb_used, uio);
	rb->rb_used = 0;
	/* uiomove advanced the offset by bytes; it is a cookie for us. */
	uio->uio_offset = rb->rb_cookie;
	return error;
}

/*
 * Append one record, or set *fullp (appending nothing) when the caller's
 * buffer has no room left for it.
 */
static int
tmpfs_rd_emit(struct tmpfs_rdbuf *rb, struct uio *uio, uint64_t fileno,
    uint8_t type, const char *name, size_t namelen, off_t next, bool *fullp)
{
	size_t reclen = _DIRENT_RECLEN(namelen);
	struct dirent *dp;
	int error;

	/* Buffered bytes are still counted in uio_resid. */
	if (rb->rb_used + reclen > uio->uio_resid) {
		*fullp = true;
		return 0;
	}
	if (rb->rb_used + reclen > PAGE_SIZE) {
		error = tmpfs_rd_flush(rb, uio);
		if (error != 0)
			return error;
	}
	dp = (struct dirent *)(rb->rb_buf + rb->rb_used);
	memset(dp, 0, reclen);
	dp->d_fileno = fileno;
	dp->d_reclen = (uint16_t)reclen;
	dp->d_namlen = (uint16_t)namelen;
	dp->d_type = type;
	memcpy(dp->d_name, name, namelen);
	rb->rb_used += reclen;
	rb->rb_total += reclen;
	rb->rb_cookie = next;
	return 0;
}

/*
 * VOP_READDIR: records from cookie uio_offset on, as many as fit.
 * EINVAL if not even one fits.  Precondition: dnode's v_lock held.
 */
int
tmpfs_dir_getdents(struct tmpfs_node *dnode, struct uio *uio, int *eofflag)
{
	struct tmpfs_dir *d = &dnode->tn_dir;
	struct tmpfs_rdbuf rb;
	struct tmpfs_dirent *de, *hint;
	struct tmpfs_node *parent;
	off_t cookie = uio->uio_offset;
	bool full = false;
	int error = 0;

	if (cookie < 0)
		return EINVAL;
	rb.rb_buf = kmem_alloc(PAGE_SIZE, KM_SLEEP);
	rb.rb_used = 0;
	rb.rb_total = 0;
	rb.rb_cookie = cookie;

	if (cookie == TMPFS_COOKIE_DOT) {
		error = tmpfs_rd_emit(&rb, uio, dnode->tn_id, DT_DIR, ".", 1,
		    TMPFS_COOKIE_DOTDOT, &full);
		if (error != 0 || full)
			goto out;
		cookie = TMPFS_COOKIE_DOTDOT;
	}
	if (cookie == TMPFS_COOKIE_DOTDOT) {
		parent = d->td_parent != NULL ? d->td_parent : dnode;
		error = tmpfs_rd_emit(&rb, uio, parent->tn_id, DT_DIR, "..", 2,
		    TMPFS_COOKIE_FIRST, &full);
		if (error != 0 || full)
			goto out;
		cookie = TMPFS_COOKIE_FIRST;
	}

	/* The first entry at or after the cookie: the hint, or a scan. */
	hint = atomic_load_relaxed(&d->td_hint);
	if (hint != NULL && hint->td_seq == (uint64_t)cookie) {
		de = hint;
	} else {
		TAILQ_FOREACH(de, &d->td_list, td_entries) {
			if (de->td_seq >= (uint64_t)cookie)
				break;
		}
	}
	for (; de != NULL; de = TAILQ_NEXT(de, td_entries)) {
		error = tmpfs_rd_emit(&rb, uio, de->td_node->tn_id,
		    tmpfs_dtype(de->td_node->tn_type), de->td_name,
		    de->td_namelen, (off_t)de->td_seq + 1, &full);
		if (error != 0 || full)
			break;
	}
	atomic_store_relaxed(&d->td_hint, de);
out:
	if (error != 0)
		goto out_free;
	if (rb.rb_total == 0 && full) {
		error = EINVAL;		/* the buffer cannot hold one record */
		goto out_free;
	}
	error = tmpfs_rd_flush(&rb, uio);
	uio->uio_offset = rb.rb_cookie;
	if (eofflag != NULL)
		*eofflag = !full;
out_free:
	kmem_free(rb.rb_buf, PAGE_SIZE);
	if (error == 0)
		tmpfs_node_touch(dnode, TMPFS_ATIME);
	return error;
}
