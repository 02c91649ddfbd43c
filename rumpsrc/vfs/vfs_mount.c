/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_mount.c: file system types and the mount table (sys/mount.h).
 *
 * File system types register with vfs_attach from their component init
 * and leave with vfs_detach (EBUSY while mounted).  vfs_mount_at creates
 * a mount, lets the type fill it in, caches its root vnode and links it
 * over the covered directory; vfs_unmount checks that nothing uses the
 * mount, syncs it, reclaims its vnodes and unlinks it.
 *
 * Locking: vfs_lock guards the type list and their refcounts; mount_lock
 * the mount table; a mount's mnt_lock its flags and busy count.  The
 * covered directory's v_mountedhere is set and cleared with the covered
 * vnode's mount's mnt_nslock held as writer, so that a lookup (reader)
 * either sees the mount and references its root, or does not see it:
 * unmount holds that lock across its busy checks and the teardown.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/vnode.h>

#include "vfs_private.h"

static kmutex_t vfs_lock;
static LIST_HEAD(, vfsops) vfs_types;
static kmutex_t mount_lock;
static TAILQ_HEAD(mount_list_head, mount) mount_list;
static u_int mount_nmounts;
static uint64_t mount_nextfsid;

int
mount_init(void)
{
	mutex_init(&vfs_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&mount_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&vfs_types);
	TAILQ_INIT(&mount_list);
	mount_nmounts = 0;
	mount_nextfsid = 1;
	return 0;
}

void
mount_fini(void)
{
	if (!TAILQ_EMPTY(&mount_list))
		printf("vfs: %u mount(s) left at shutdown\n", mount_nmounts);
	if (!LIST_EMPTY(&vfs_types))
		printf("vfs: file system type %s still attached at "
		    "shutdown\n", LIST_FIRST(&vfs_types)->vfs_name);
	mutex_destroy(&mount_lock);
	mutex_destroy(&vfs_lock);
}

/* ---- file system types ---------------------------------------------------- */

/* Precondition: vfs_lock held. */
static struct vfsops *
vfs_find(const char *name)
{
	struct vfsops *vfs;

	LIST_FOREACH(vfs, &vfs_types, vfs_list) {
		if (strcmp(vfs->vfs_name, name) == 0)
			return vfs;
	}
	return NULL;
}

int
vfs_attach(struct vfsops *vfs)
{
	int error = 0;

	mutex_enter(&vfs_lock);
	if (vfs_find(vfs->vfs_name) != NULL) {
		error = EEXIST;
	} else {
		vfs->vfs_refcount = 0;
		LIST_INSERT_HEAD(&vfs_types, vfs, vfs_list);
	}
	mutex_exit(&vfs_lock);
	return error;
}

int
vfs_detach(struct vfsops *vfs)
{
	int error = 0;

	mutex_enter(&vfs_lock);
	if (vfs_find(vfs->vfs_name) != vfs)
		error = ENOENT;
	else if (vfs->vfs_refcount != 0)
		error = EBUSY;
	else
		LIST_REMOVE(vfs, vfs_list);
	mutex_exit(&vfs_lock);
	return error;
}

struct vfsops *
vfs_getopsbyname(const char *name)
{
	struct vfsops *vfs;

	mutex_enter(&vfs_lock);
	vfs = vfs_find(name);
	mutex_exit(&vfs_lock);
	return vfs;
}

/* ---- busy holds ------------------------------------------------------------ */

int
vfs_busy(struct mount *mp)
{
	int error = 0;

	mutex_enter(&mp->mnt_lock);
	if (mp->mnt_flag & MNT_UNMOUNTING)
		error = ENOENT;
	else
		mp->mnt_busy++;
	mutex_exit(&mp->mnt_lock);
	return error;
}

void
vfs_unbusy(struct mount *mp)
{
	mutex_enter(&mp->mnt_lock);
	KASSERT(mp->mnt_busy > 0);
	mp->mnt_busy--;
	mutex_exit(&mp->mnt_lock);
}

/* ---- the mount table --------------------------------------------------------- */

struct mount *
vfs_rootmount(void)
{
	struct mount *mp;

	mutex_enter(&mount_lock);
	mp = TAILQ_FIRST(&mount_list);
	if (mp != NULL && mp->mnt_vnodecovered != NULL)
		mp = NULL;
	mutex_exit(&mount_lock);
	return mp;
}

int
vfs_mount_foreach(int (*fn)(struct mount *, void *), void *arg)
{
	struct mount *mp;
	int rv = 0;

	mutex_enter(&mount_lock);
	TAILQ_FOREACH(mp, &mount_list, mnt_list) {
		rv = fn(mp, arg);
		if (rv != 0)
			break;
	}
	mutex_exit(&mount_lock);
	return rv;
}

u_int
vfs_mount_count(void)
{
	return atomic_load_relaxed(&mount_nmounts);
}

static struct mount *
mount_alloc(struct vfsops *vfs, const char *path, int flags)
{
	struct mount *mp;

	mp = kmem_zalloc(sizeof(*mp), KM_SLEEP);
	mp->mnt_op = vfs;
	rw_init(&mp->mnt_nslock);
	mutex_init(&mp->mnt_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&mp->mnt_vnodes);
	/* MNT_FORCE is seen by the file system's mount op only (e.g. a
	 * read-write mount of an unclean FFS); vfs_mount_at drops it after. */
	mp->mnt_flag = flags & (MNT_RDONLY | MNT_SYNCHRONOUS | MNT_NOEXEC |
	    MNT_NOSUID | MNT_NODEV | MNT_ASYNC | MNT_NOATIME | MNT_FORCE);
	mutex_enter(&mount_lock);
	mp->mnt_fsid = mount_nextfsid++;
	mutex_exit(&mount_lock);
	strlcpy(mp->mnt_stat.f_fstypename, vfs->vfs_name,
	    sizeof(mp->mnt_stat.f_fstypename));
	strlcpy(mp->mnt_stat.f_mntonname, path,
	    sizeof(mp->mnt_stat.f_mntonname));
	return mp;
}

static void
mount_free(struct mount *mp)
{
	KASSERT(TAILQ_EMPTY(&mp->mnt_vnodes));
	mutex_destroy(&mp->mnt_lock);
	rw_destroy(&mp->mnt_nslock);
	kmem_free(mp, sizeof(*mp));
}

static void
vfs_type_rele(struct vfsops *vfs)
{
	mutex_enter(&vfs_lock);
	KASSERT(vfs->vfs_refcount > 0);
	vfs->vfs_refcount--;
	mutex_exit(&vfs_lock);
}

/*
 * Precondition: no VFS locks held; vp (if any) referenced by the caller.
 */
int
vfs_mount_at(const char *fstype, struct vnode *vp, const char *path,
    int flags, void *data, size_t data_len, struct mount **mpp)
{
	struct vfsops *vfs;
	struct mount *mp, *cmp = NULL;
	struct vnode *rvp;
	int error;

	if (vp != NULL && vp->v_type != VDIR)
		return ENOTDIR;
	mutex_enter(&vfs_lock);
	vfs = vfs_find(fstype);
	if (vfs != NULL)
		vfs->vfs_refcount++;
	mutex_exit(&vfs_lock);
	if (vfs == NULL)
		return ENODEV;

	mp = mount_alloc(vfs, path, flags);
	if (vp == NULL)
		mp->mnt_flag |= MNT_ROOTFS;
	error = vfs->vfs_mount(mp, path, data, data_len);
	mp->mnt_flag &= ~MNT_FORCE;
	if (error != 0)
		goto err_free_mount;
	if (mp->mnt_stat.f_mntfromname[0] == '\0')
		strlcpy(mp->mnt_stat.f_mntfromname, vfs->vfs_name,
		    sizeof(mp->mnt_stat.f_mntfromname));
	error = vfs->vfs_root(mp, &rvp);
	if (error != 0)
		goto err_fs_unmount;
	rvp->v_vflag |= VV_ROOT;
	mp->mnt_rootvnode = rvp;	/* keeps the reference */

	/* Link it in: over vp, or as the root. */
	if (vp != NULL) {
		cmp = vp->v_mount;
		rw_enter(&cmp->mnt_nslock, RW_WRITER);
		if (vp->v_mountedhere != NULL) {
			rw_exit(&cmp->mnt_nslock);
			error = EBUSY;
			goto err_release_root;
		}
	}
	mutex_enter(&mount_lock);
	if (vp == NULL && !TAILQ_EMPTY(&mount_list)) {
		mutex_exit(&mount_lock);
		error = EBUSY;
		goto err_release_root;
	}
	if (vp != NULL) {
		vref(vp);
		mp->mnt_vnodecovered = vp;
		vp->v_mountedhere = mp;
	}
	TAILQ_INSERT_TAIL(&mount_list, mp, mnt_list);
	mount_nmounts++;
	mutex_exit(&mount_lock);
	if (cmp != NULL)
		rw_exit(&cmp->mnt_nslock);
	if (mpp != NULL)
		*mpp = mp;
	return 0;

err_release_root:
	mp->mnt_rootvnode = NULL;
	mp->mnt_flag |= MNT_UNMOUNTING;
	vrele(rvp);
	(void)vflush(mp, NULL, FORCECLOSE);
err_fs_unmount:
	(void)vfs->vfs_unmount(mp, MNT_FORCE);
err_free_mount:
	if (!TAILQ_EMPTY(&mp->mnt_vnodes)) {
		/* The file system kept vnodes: cannot free safely. */
		printf("vfs: mount of %s failed and left vnodes: leaking "
		    "the mount\n", fstype);
		return error;
	}
	mount_free(mp);
	vfs_type_rele(vfs);
	return error;
}

/* Precondition: the caller holds one busy hold on mp (consumed here). */
int
vfs_unmount(struct mount *mp, int flags)
{
	struct vnode *rvp, *cvp;
	struct mount *cmp;
	int error;

	/* The root goes last. */
	mutex_enter(&mount_lock);
	if (mp->mnt_vnodecovered == NULL && mount_nmounts > 1) {
		mutex_exit(&mount_lock);
		vfs_unbusy(mp);
		return EBUSY;
	}
	mutex_exit(&mount_lock);

	cvp = mp->mnt_vnodecovered;
	cmp = cvp != NULL ? cvp->v_mount : NULL;
	if (cmp != NULL)
		rw_enter(&cmp->mnt_nslock, RW_WRITER);
	mutex_enter(&mp->mnt_lock);
	KASSERT(mp->mnt_busy > 0);
	if (mp->mnt_busy > 1 || (mp->mnt_flag & MNT_UNMOUNTING)) {
		mp->mnt_busy--;
		mutex_exit(&mp->mnt_lock);
		error = EBUSY;
		goto out_unlock;
	}
	mp->mnt_busy--;
	mp->mnt_flag |= MNT_UNMOUNTING;
	mutex_exit(&mp->mnt_lock);

	/* Nobody may use it: only the VFS's own root reference. */
	rvp = mp->mnt_rootvnode;
	if (atomic_load_relaxed(&rvp->v_usecount) > 1) {
		error = EBUSY;
		goto err_clear_unmounting;
	}
	if (mp->mnt_op->vfs_sync != NULL) {
		error = mp->mnt_op->vfs_sync(mp, 1, kauth_cred_get());
		if (error != 0 && (flags & MNT_FORCE) == 0)
			goto err_clear_unmounting;
	}
	error = vflush(mp, rvp, 0);
	if (error != 0)
		goto err_clear_unmounting;
	if (atomic_load_relaxed(&rvp->v_usecount) > 1) {
		error = EBUSY;
		goto err_clear_unmounting;
	}
	mp->mnt_rootvnode = NULL;
	vrele(rvp);	/* reclaimed at once: MNT_UNMOUNTING */
	error = vflush(mp, NULL, 0);
	if (error != 0) {
		printf("vfs: unmount of %s: vnodes appeared during "
		    "unmount: error %d\n", mp->mnt_stat.f_mntonname, error);
		goto err_reroot;
	}
	error = mp->mnt_op->vfs_unmount(mp, flags);
	if (error != 0)
		goto err_reroot;

	/* Gone: unlink from the covered directory and the table. */
	mutex_enter(&mount_lock);
	TAILQ_REMOVE(&mount_list, mp, mnt_list);
	mount_nmounts--;
	mutex_exit(&mount_lock);
	if (cvp != NULL) {
		cvp->v_mountedhere = NULL;
		rw_exit(&cmp->mnt_nslock);
		vrele(cvp);
	}
	vfs_type_rele((struct vfsops *)(uintptr_t)mp->mnt_op);
	mount_free(mp);
	return 0;

err_reroot:
	/* The file system still stands: give it its root back. */
	if (mp->mnt_op->vfs_root(mp, &rvp) == 0) {
		rvp->v_vflag |= VV_ROOT;
		mp->mnt_rootvnode = rvp;
	} else {
		printf("vfs: unmount of %s failed and its root is lost\n",
		    mp->mnt_stat.f_mntonname);
	}
err_clear_unmounting:
	mutex_enter(&mp->mnt_lock);
	mp->mnt_flag &= ~MNT_UNMOUNTING;
	mutex_exit(&mp->mnt_lock);
out_unlock:
	if (cmp != NULL)
		rw_exit(&cmp->mnt_nslock);
	return error;
}

/*
 * Unmount every mount, newest first, the root last.  Shutdown (rootfs
 * fini): nothing else runs and every descriptor and directory reference
 * is gone, so a failure means a leaked vnode reference; it is reported
 * and the mount is left (its memory then shows as a leak).
 */
void
mount_unmount_all(void)
{
	struct mount *mp;
	int error;

	for (;;) {
		mutex_enter(&mount_lock);
		mp = TAILQ_LAST(&mount_list, mount_list_head);
		mutex_exit(&mount_lock);
		if (mp == NULL)
			return;
		error = vfs_busy(mp);
		if (error == 0)
			error = vfs_unmount(mp, MNT_FORCE);
		if (error != 0) {
			printf("vfs: cannot unmount %s at shutdown: error %d\n",
			    mp->mnt_stat.f_mntonname, error);
			return;
		}
	}
}

/* Fill sbp: the file system's numbers, then the VFS's own fields. */
int
vfs_statvfs_get(struct mount *mp, struct statvfs *sbp)
{
	int error;

	memset(sbp, 0, sizeof(*sbp));
	if (mp->mnt_op->vfs_statvfs != NULL) {
		error = mp->mnt_op->vfs_statvfs(mp, sbp);
		if (error != 0)
			return error;
	}
	sbp->f_flag = (unsigned long)(mp->mnt_flag & (MNT_RDONLY |
	    MNT_SYNCHRONOUS | MNT_NOEXEC | MNT_NOSUID | MNT_NODEV |
	    MNT_ASYNC | MNT_NOATIME | MNT_LOCAL | MNT_ROOTFS));
	sbp->f_fsidx.__fsid_val[0] = (int32_t)mp->mnt_fsid;
	sbp->f_fsidx.__fsid_val[1] = 0;
	sbp->f_fsid = (unsigned long)mp->mnt_fsid;
	if (sbp->f_namemax == 0)
		sbp->f_namemax = NAME_MAX;
	if (sbp->f_frsize == 0)
		sbp->f_frsize = sbp->f_bsize;
	if (sbp->f_iosize == 0)
		sbp->f_iosize = sbp->f_bsize;
	memcpy(sbp->f_fstypename, mp->mnt_stat.f_fstypename,
	    sizeof(sbp->f_fstypename));
	memcpy(sbp->f_mntonname, mp->mnt_stat.f_mntonname,
	    sizeof(sbp->f_mntonname));
	memcpy(sbp->f_mntfromname, mp->mnt_stat.f_mntfromname,
	    sizeof(sbp->f_mntfromname));
	memcpy(sbp->f_mntfromlabel, mp->mnt_stat.f_mntfromlabel,
	    sizeof(sbp->f_mntfromlabel));
	return 0;
}
