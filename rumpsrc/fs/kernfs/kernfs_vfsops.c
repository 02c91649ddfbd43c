/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernfs_vfsops.c: kernfs as a file system type: its component, mount,
 * unmount, root, statvfs and the loading of vnodes by index.
 *
 * The component (level RUMP_COMPONENT_VFS) registers the type "kernfs"
 * with vfs_attach at rump_init and removes it at rump_shutdown.  The VFS
 * (vfs/vfs_mount.c) calls these operations; a mount is always read-only
 * (MNT_RDONLY is forced) and has no private data: the objects are fixed
 * (kernfs_files.c) and their text is generated when read.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/component.h>
#include <sys/kmem.h>
#include <sys/statvfs.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>

#include "kernfs.h"


#define KERNFS_BSIZE	512	/* reported block size; kernfs stores nothing */

/*
 * Mount (VFS: mp is not yet visible in the mount table; the VFS has filled
 * in the type and mount point names).  kernfs takes no arguments: data is
 * ignored.  The mount is read-only whatever the flags said.
 */
static int
kernfs_mount(struct mount *mp, const char *path, void *data, size_t data_len)
{
	mutex_enter(&mp->mnt_lock);
	mp->mnt_flag |= MNT_RDONLY | MNT_LOCAL;
	mutex_exit(&mp->mnt_lock);
	mp->mnt_data = NULL;
	strlcpy(mp->mnt_stat.f_mntfromname, "kernfs",
	    sizeof(mp->mnt_stat.f_mntfromname));
	return 0;
}

/*
 * Unmount (VFS: busy checks done, every vnode flushed and reclaimed, see
 * vfs_unmount in vfs/vfs_mount.c).  kernfs has no per-mount state left.
 */
static int
kernfs_unmount(struct mount *mp, int mntflags)
{
	return 0;
}

/* The root directory, referenced. */
static int
kernfs_root(struct mount *mp, struct vnode **vpp)
{
	kernfs_key_t key = KERNFS_ROOT_INDEX;

	return vcache_get(mp, &key, sizeof(key), vpp);
}

static int
kernfs_statvfs(struct mount *mp, struct statvfs *sbp)
{
	sbp->f_bsize = KERNFS_BSIZE;
	sbp->f_frsize = KERNFS_BSIZE;
	sbp->f_iosize = PAGE_SIZE;
	sbp->f_blocks = 0;
	sbp->f_bfree = 0;
	sbp->f_bavail = 0;
	sbp->f_bresvd = 0;
	sbp->f_files = kernfs_nfiles + 1;	/* and the root */
	sbp->f_ffree = 0;
	sbp->f_favail = 0;
	sbp->f_fresvd = 0;
	sbp->f_namemax = NAME_MAX;
	return 0;
}

static int
kernfs_sync(struct mount *mp, int waitfor, kauth_cred_t cred)
{
	return 0;	/* nothing is ever dirty */
}

/*
 * Fill vp for the object with index *key (VFS: vp is VS_LOADING, not yet
 * visible to others).
 */
static int
kernfs_loadvnode(struct mount *mp, struct vnode *vp, const void *key,
    size_t keylen)
{
	struct kernfs_node *kn;
	kernfs_key_t index;

	if (keylen != sizeof(index))
		return EINVAL;
	memcpy(&index, key, sizeof(index));
	if (index > kernfs_nfiles)
		return ENOENT;

	kn = kmem_alloc(sizeof(*kn), KM_SLEEP);
	kn->kn_index = index;
	vp->v_data = kn;
	vp->v_op = &kernfs_vnodeops;
	vp->v_rdev = 0;
	if (index == KERNFS_ROOT_INDEX) {
		vp->v_type = VDIR;
		vp->v_vflag |= VV_ROOT;
	} else {
		vp->v_type = VREG;
	}
	return 0;
}

/* kernfs is read-only: nothing can be created. */
static int
kernfs_newvnode(struct mount *mp, struct vnode *dvp, struct vnode *vp,
    struct vattr *vap, kauth_cred_t cred, void *key, size_t *keylenp)
{
	return EROFS;
}

static struct vfsops kernfs_vfsops = {
	.vfs_name = "kernfs",
	.vfs_mount = kernfs_mount,
	.vfs_unmount = kernfs_unmount,
	.vfs_root = kernfs_root,
	.vfs_statvfs = kernfs_statvfs,
	.vfs_sync = kernfs_sync,
	.vfs_loadvnode = kernfs_loadvnode,
	.vfs_newvnode = kernfs_newvnode,
};

/* ---------------------------------------------------------------- component */

static int
kernfs_modinit(void)
{
	return vfs_attach(&kernfs_vfsops);
}

/* Shutdown unmounts every file system before the VFS components go. */
static void
kernfs_modfini(void)
{
	int error;

	error = vfs_detach(&kernfs_vfsops);
	if (error)
		printf("kernfs: vfs_detach failed: error %d\n", error);
}

RUMP_COMPONENT(kernfs, RUMP_COMPONENT_VFS, kernfs_modinit, kernfs_modfini);
