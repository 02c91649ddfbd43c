/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_vnode.c: the vnode cache (sys/vnode.h): one vnode per (mount, key),
 * reference counting, the LRU of unreferenced vnodes, and vflush.
 *
 * Life of a vnode:
 *
 *   LOADING --(fs filled it)--> ACTIVE <--(vcache_get)-- INACTIVE
 *                                 |    --(last vrele)-->    |
 *                                 |                        (LRU over its
 *   (recycle asked by VOP_INACTIVE)                         limit, vflush)
 *                                 v                         v
 *                             RECLAIMING --(VOP_RECLAIM)--> freed
 *
 * Locking: one mutex, vcache_lock, guards the hash table, the LRU, every
 * vnode's v_state, the 0<->1 transitions of v_usecount and the mounts'
 * mnt_vnodes lists.  Increments above 1 and decrements that stay above 0
 * are lock-free atomics (the caller already holds a reference, so the
 * vnode cannot change state under it).  Threads that meet a vnode in a
 * transient state (LOADING, RECLAIMING) wait on vcache_cv, broadcast at
 * every transition out of those states: transient states are short and
 * rare, one condvar is enough.  v_interlock and v_cv are initialised for
 * file systems' own use; the cache itself does not use them.
 *
 * VOP_INACTIVE runs with the last reference still counted (usecount 1)
 * and no lock held, so that a concurrent vcache_get can take the vnode
 * back; only when the count then drops to 0 under vcache_lock does the
 * vnode become INACTIVE (or RECLAIMING, if the file system asked).
 * VOP_RECLAIM runs with the vnode still hashed in state RECLAIMING, so a
 * vcache_get or vcache_new for the same key waits until it is gone.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>
#include <sys/buf.h>
#include <sys/stat.h>

#include "vfs_private.h"

#define VCACHE_HASHSIZE	1024	/* buckets, a power of two */

LIST_HEAD(vcache_bucket, vnode);

static kmutex_t vcache_lock;
static kcondvar_t vcache_cv;
static struct vcache_bucket *vcache_hash;
static TAILQ_HEAD(, vnode) vnode_lru;
static u_int vnode_ninactive;	/* on the LRU */
static u_int vnode_total;	/* allocated */
static u_int vnode_lru_max;

int
vcache_init(void)
{
	size_t i;

	vcache_hash = kmem_alloc(VCACHE_HASHSIZE * sizeof(*vcache_hash),
	    KM_SLEEP);
	for (i = 0; i < VCACHE_HASHSIZE; i++)
		LIST_INIT(&vcache_hash[i]);
	TAILQ_INIT(&vnode_lru);
	vnode_ninactive = 0;
	vnode_total = 0;
	vnode_lru_max = VNODE_LRU_MAX;
	mutex_init(&vcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vcache_cv, "vcache");
	return 0;
}

void
vcache_fini(void)
{
	if (vnode_total != 0)
		printf("vfs: %u vnode(s) still allocated at shutdown\n",
		    vnode_total);
	cv_destroy(&vcache_cv);
	mutex_destroy(&vcache_lock);
	kmem_free(vcache_hash, VCACHE_HASHSIZE * sizeof(*vcache_hash));
	vcache_hash = NULL;
}

u_int
vnode_count(void)
{
	return atomic_load_relaxed(&vnode_total);
}

u_int
vnode_lru_limit(u_int newmax)
{
	u_int old;

	mutex_enter(&vcache_lock);
	old = vnode_lru_max;
	if (newmax != 0)
		vnode_lru_max = newmax;
	mutex_exit(&vcache_lock);
	return old;
}

/* FNV-1a over the mount pointer and the key. */
static struct vcache_bucket *
vcache_bucket(struct mount *mp, const void *key, size_t keylen)
{
	const uint8_t *k = key;
	uintptr_t m = (uintptr_t)mp;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(m); i++) {
		h ^= (uint8_t)(m >> (i * 8));
		h *= 16777619u;
	}
	for (i = 0; i < keylen; i++) {
		h ^= k[i];
		h *= 16777619u;
	}
	return &vcache_hash[h & (VCACHE_HASHSIZE - 1)];
}

/* Precondition: vcache_lock held. */
static struct vnode *
vcache_lookup(struct vcache_bucket *b, struct mount *mp, const void *key,
    size_t keylen)
{
	struct vnode *vp;

	KASSERT(mutex_owned(&vcache_lock));
	LIST_FOREACH(vp, b, v_hash) {
		if (vp->v_mount == mp && vp->v_keylen == keylen &&
		    memcmp(vp->v_key, key, keylen) == 0)
			return vp;
	}
	return NULL;
}

static struct vnode *
vnode_alloc(struct mount *mp)
{
	struct vnode *vp;

	vp = kmem_zalloc(sizeof(*vp), KM_SLEEP);
	mutex_init(&vp->v_interlock, MUTEX_DEFAULT, IPL_NONE);
	rw_init(&vp->v_lock);
	cv_init(&vp->v_cv, "vnode");
	vp->v_mount = mp;
	vp->v_type = VNON;
	vp->v_usecount = 1;
	vp->v_state = VS_LOADING;
	atomic_inc_uint(&vnode_total);
	return vp;
}

static void
vnode_free(struct vnode *vp)
{
	KASSERT(atomic_load_relaxed(&vp->v_usecount) == 0 ||
	    vp->v_state == VS_LOADING);
	cv_destroy(&vp->v_cv);
	rw_destroy(&vp->v_lock);
	mutex_destroy(&vp->v_interlock);
	kmem_free(vp, sizeof(*vp));
	atomic_dec_uint(&vnode_total);
}

/*
 * Tear down a vnode in state RECLAIMING (still hashed, off the LRU, no
 * references): write and drop its buffers, let the file system detach,
 * then unhash and free.  Precondition: no locks held.
 */
static void
vnode_reclaim(struct vnode *vp)
{
	int error;

	KASSERT(vp->v_state == VS_RECLAIMING &&
	    atomic_load_relaxed(&vp->v_usecount) == 0);
	error = bio_invalidate(vp);
	if (error != 0)
		printf("vfs: vnode %p: writing its buffers failed: "
		    "error %d (data lost)\n", vp, error);
	if (vp->v_op != NULL && vp->v_op->vop_reclaim != NULL) {
		error = vp->v_op->vop_reclaim(vp);
		if (error != 0)
			printf("vfs: VOP_RECLAIM of vnode %p: error %d\n", vp,
			    error);
	}
	mutex_enter(&vcache_lock);
	LIST_REMOVE(vp, v_hash);
	TAILQ_REMOVE(&vp->v_mount->mnt_vnodes, vp, v_mntvnodes);
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	vnode_free(vp);
}

/*
 * Recycle the oldest unreferenced vnodes while the LRU is over its limit.
 * Precondition: no locks held.
 */
static void
vnode_trim_lru(void)
{
	struct vnode *vp;

	for (;;) {
		mutex_enter(&vcache_lock);
		if (vnode_ninactive <= vnode_lru_max) {
			mutex_exit(&vcache_lock);
			return;
		}
		vp = TAILQ_FIRST(&vnode_lru);
		KASSERT(vp != NULL && vp->v_state == VS_INACTIVE);
		TAILQ_REMOVE(&vnode_lru, vp, v_lru);
		vnode_ninactive--;
		vp->v_state = VS_RECLAIMING;
		mutex_exit(&vcache_lock);
		vnode_reclaim(vp);
	}
}

/* Precondition: the caller holds a reference. */
void
vref(struct vnode *vp)
{
	KASSERT(atomic_load_relaxed(&vp->v_usecount) > 0);
	atomic_inc_uint(&vp->v_usecount);
}

void
vrele(struct vnode *vp)
{
	u_int c;
	bool recycle;
	int error;

	/* Fast path: not the last reference. */
	c = atomic_load_relaxed(&vp->v_usecount);
	while (c > 1) {
		if (atomic_cas_uint(&vp->v_usecount, c, c - 1) == c)
			return;
		c = atomic_load_relaxed(&vp->v_usecount);
	}
	KASSERTMSG(c == 1, "vrele: vnode %p usecount %u", vp, c);

	/* Probably the last: let the file system know, still counted. */
	recycle = false;
	if (vp->v_op != NULL && vp->v_op->vop_inactive != NULL) {
		error = vp->v_op->vop_inactive(vp, &recycle);
		if (error != 0)
			printf("vfs: VOP_INACTIVE of vnode %p: error %d\n", vp,
			    error);
	}

	mutex_enter(&vcache_lock);
	if (atomic_dec_uint_nv(&vp->v_usecount) != 0) {
		/* Taken again meanwhile; its new last vrele decides. */
		mutex_exit(&vcache_lock);
		return;
	}
	KASSERT(vp->v_state == VS_ACTIVE);
	if (recycle || (vp->v_mount->mnt_flag & MNT_UNMOUNTING)) {
		vp->v_state = VS_RECLAIMING;
		mutex_exit(&vcache_lock);
		vnode_reclaim(vp);
		return;
	}
	vp->v_state = VS_INACTIVE;
	TAILQ_INSERT_TAIL(&vnode_lru, vp, v_lru);
	vnode_ninactive++;
	mutex_exit(&vcache_lock);
	vnode_trim_lru();
}

/*
 * Take a reference on a hashed vnode found by lookup; false when it is in
 * a transient state (the caller waits and looks again).
 * Precondition: vcache_lock held.
 */
static bool
vcache_tryget(struct vnode *vp)
{
	KASSERT(mutex_owned(&vcache_lock));
	switch (vp->v_state) {
	case VS_ACTIVE:
		atomic_inc_uint(&vp->v_usecount);
		return true;
	case VS_INACTIVE:
		TAILQ_REMOVE(&vnode_lru, vp, v_lru);
		vnode_ninactive--;
		KASSERT(atomic_load_relaxed(&vp->v_usecount) == 0);
		atomic_store_relaxed(&vp->v_usecount, 1);
		vp->v_state = VS_ACTIVE;
		return true;
	default:
		return false;
	}
}

/* Precondition: no VFS locks that the file system's loadvnode needs. */
int
vcache_get(struct mount *mp, const void *key, size_t keylen,
    struct vnode **vpp)
{
	struct vcache_bucket *b;
	struct vnode *vp, *nvp = NULL;
	int error;

	if (keylen == 0 || keylen > VCACHE_KEYMAX)
		return EINVAL;
	b = vcache_bucket(mp, key, keylen);
	mutex_enter(&vcache_lock);
	for (;;) {
		vp = vcache_lookup(b, mp, key, keylen);
		if (vp != NULL) {
			if (vcache_tryget(vp))
				break;
			cv_wait(&vcache_cv, &vcache_lock);
			continue;
		}
		if (nvp != NULL)
			break;
		/* Allocate unlocked, then look again. */
		mutex_exit(&vcache_lock);
		nvp = vnode_alloc(mp);
		mutex_enter(&vcache_lock);
	}
	if (vp != NULL) {
		mutex_exit(&vcache_lock);
		if (nvp != NULL) {
			nvp->v_usecount = 0;
			vnode_free(nvp);
		}
		*vpp = vp;
		return 0;
	}

	/* Ours to load: hashed as LOADING so that others wait for it. */
	vp = nvp;
	memcpy(vp->v_key, key, keylen);
	vp->v_keylen = keylen;
	LIST_INSERT_HEAD(b, vp, v_hash);
	mutex_exit(&vcache_lock);

	error = mp->mnt_op->vfs_loadvnode(mp, vp, key, keylen);

	mutex_enter(&vcache_lock);
	if (error != 0) {
		LIST_REMOVE(vp, v_hash);
		cv_broadcast(&vcache_cv);
		mutex_exit(&vcache_lock);
		vnode_free(vp);
		return error;
	}
	KASSERT(vp->v_op != NULL);
	vp->v_state = VS_ACTIVE;
	TAILQ_INSERT_TAIL(&mp->mnt_vnodes, vp, v_mntvnodes);
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	*vpp = vp;
	return 0;
}

/*
 * A vnode for a new object: the file system creates it in vfs_newvnode
 * and names its key; the vnode is hashed ACTIVE, referenced.
 * Precondition: the caller holds dvp's mount's nslock as writer (when
 * creating in a directory).
 */
int
vcache_new(struct mount *mp, struct vnode *dvp, struct vattr *vap,
    kauth_cred_t cred, struct vnode **vpp)
{
	struct vcache_bucket *b;
	struct vnode *vp, *ovp;
	uint8_t key[VCACHE_KEYMAX];
	size_t keylen = 0;
	int error;

	vp = vnode_alloc(mp);
	error = mp->mnt_op->vfs_newvnode(mp, dvp, vp, vap, cred, key,
	    &keylen);
	if (error != 0) {
		vnode_free(vp);
		return error;
	}
	KASSERT(keylen > 0 && keylen <= VCACHE_KEYMAX);
	KASSERT(vp->v_op != NULL);
	memcpy(vp->v_key, key, keylen);
	vp->v_keylen = keylen;
	b = vcache_bucket(mp, key, keylen);

	mutex_enter(&vcache_lock);
	/* An old vnode whose object had the same key may still be going. */
	while ((ovp = vcache_lookup(b, mp, key, keylen)) != NULL) {
		KASSERTMSG(ovp->v_state == VS_RECLAIMING,
		    "vcache_new: key of a live vnode %p reused", ovp);
		cv_wait(&vcache_cv, &vcache_lock);
	}
	vp->v_state = VS_ACTIVE;
	LIST_INSERT_HEAD(b, vp, v_hash);
	TAILQ_INSERT_TAIL(&mp->mnt_vnodes, vp, v_mntvnodes);
	mutex_exit(&vcache_lock);
	*vpp = vp;
	return 0;
}

/*
 * Reclaim every unreferenced vnode of mp.  EBUSY (and nothing reclaimed)
 * when a vnode other than skipvp is referenced or loading.  Dirty buffers
 * of the reclaimed vnodes are written first (vnode_reclaim).
 * Precondition: no locks held; the caller keeps new references from
 * appearing (vfs_unmount holds the covering nslock and MNT_UNMOUNTING).
 */
int
vflush(struct mount *mp, struct vnode *skipvp, int flags)
{
	struct vnode *vp;

	mutex_enter(&vcache_lock);
	TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes) {
		if (vp == skipvp)
			continue;
		if (vp->v_state == VS_ACTIVE || vp->v_state == VS_LOADING) {
			mutex_exit(&vcache_lock);
			return EBUSY;
		}
	}
	for (;;) {
		TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes) {
			if (vp != skipvp)
				break;
		}
		if (vp == NULL)
			break;
		if (vp->v_state != VS_INACTIVE) {
			/* Someone else is reclaiming it: wait. */
			if (vp->v_state == VS_RECLAIMING) {
				cv_wait(&vcache_cv, &vcache_lock);
				continue;
			}
			mutex_exit(&vcache_lock);
			return EBUSY;
		}
		TAILQ_REMOVE(&vnode_lru, vp, v_lru);
		vnode_ninactive--;
		vp->v_state = VS_RECLAIMING;
		mutex_exit(&vcache_lock);
		vnode_reclaim(vp);
		mutex_enter(&vcache_lock);
	}
	mutex_exit(&vcache_lock);
	return 0;
}

void
vn_lock(struct vnode *vp, int op)
{
	KASSERT(atomic_load_relaxed(&vp->v_usecount) > 0);
	rw_enter(&vp->v_lock, op == RW_WRITER ? RW_WRITER : RW_READER);
}

void
vn_unlock(struct vnode *vp)
{
	rw_exit(&vp->v_lock);
}

void
vattr_null(struct vattr *vap)
{
	memset(vap, 0xff, sizeof(*vap));	/* every field VNOVAL (-1) */
	vap->va_type = VNON;
	vap->va_vaflags = 0;
}

enum vtype
iftovt(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return VREG;
	case S_IFDIR:	return VDIR;
	case S_IFBLK:	return VBLK;
	case S_IFCHR:	return VCHR;
	case S_IFLNK:	return VLNK;
	case S_IFSOCK:	return VSOCK;
	case S_IFIFO:	return VFIFO;
	default:	return VNON;
	}
}

mode_t
vttoif(enum vtype type)
{
	switch (type) {
	case VREG:	return S_IFREG;
	case VDIR:	return S_IFDIR;
	case VBLK:	return S_IFBLK;
	case VCHR:	return S_IFCHR;
	case VLNK:	return S_IFLNK;
	case VSOCK:	return S_IFSOCK;
	case VFIFO:	return S_IFIFO;
	default:	return 0;
	}
}
