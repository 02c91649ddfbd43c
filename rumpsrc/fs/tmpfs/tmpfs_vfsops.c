/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_vfsops.c: the tmpfs file system type: its component (registers
 * the type with vfs_attach at RUMP_COMPONENT_VFS), mount and unmount,
 * the root vnode, statvfs, and loading/creating vnodes for nodes.
 *
 * Callers: the VFS (vfs/vfs_mount.c for mount/unmount/statvfs, the vnode
 * cache vfs/vfs_vnode.c for loadvnode/newvnode) and rump_init/shutdown
 * through the component table.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vnode.h>
#include <sys/mount.h>

#include "tmpfs.h"

/* ---------------------------------------------------------------- mount */

static int
tmpfs_parse_args(const void *data, size_t data_len, struct tmpfs_args *ta)
{
	if (data == NULL) {
		memset(ta, 0, sizeof(*ta));
		ta->ta_version = TMPFS_ARGS_VERSION;
		ta->ta_root_mode = 0755;
		return 0;
	}
	if (data_len != sizeof(*ta))
		return EINVAL;
	memcpy(ta, data, sizeof(*ta));
	if (ta->ta_version != TMPFS_ARGS_VERSION)
		return EINVAL;
	if (ta->ta_size_max < 0)
		return EINVAL;
	if ((ta->ta_root_mode & ~(uint32_t)ALLPERMS) != 0)
		return EINVAL;
	return 0;
}

/*
 * Set up a tmpfs on mp.  The size limit counts everything tmpfs
 * allocates (nodes, entries, pages, tree blocks, hash tables, symlink
 * targets); a limit smaller than the root directory's node is ENOSPC.
 */
static int
tmpfs_mount(struct mount *mp, const char *path, void *data, size_t data_len)
{
	struct tmpfs_mount *tm;
	struct tmpfs_node *root;
	struct tmpfs_args ta;
	int error;

	if (mp->mnt_flag & MNT_GETARGS) {
		/* Report the arguments back: not supported by this VFS's
		 * mount call (it has no way to copy them out). */
		return EOPNOTSUPP;
	}
	if (mp->mnt_flag & MNT_UPDATE)
		return EOPNOTSUPP;	/* no remount: limits are fixed */
	error = tmpfs_parse_args(data, data_len, &ta);
	if (error != 0)
		return error;

	tm = kmem_zalloc(sizeof(*tm), KM_SLEEP);
	mutex_init(&tm->tm_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&tm->tm_nodes);
	tm->tm_mp = mp;
	tm->tm_nodes_max = ta.ta_nodes_max;
	tm->tm_bytes_max = (uint64_t)ta.ta_size_max;
	tm->tm_nextid = TMPFS_ROOT_ID;
	tm->tm_noatime = (mp->mnt_flag & MNT_NOATIME) != 0;

	error = tmpfs_node_alloc(tm, VDIR, ta.ta_root_uid, ta.ta_root_gid,
	    ta.ta_root_mode, 0, &root);
	if (error != 0)
		goto err_free_tm;
	root->tn_dir.td_parent = root;
	root->tn_nlink = 2;
	tm->tm_root = root;

	mp->mnt_data = tm;
	mp->mnt_flag |= MNT_LOCAL;
	strlcpy(mp->mnt_stat.f_fstypename, "tmpfs",
	    sizeof(mp->mnt_stat.f_fstypename));
	strlcpy(mp->mnt_stat.f_mntfromname, "tmpfs",
	    sizeof(mp->mnt_stat.f_mntfromname));
	strlcpy(mp->mnt_stat.f_mntonname, path != NULL ? path : "/",
	    sizeof(mp->mnt_stat.f_mntonname));
	return 0;

err_free_tm:
	mutex_destroy(&tm->tm_lock);
	kmem_free(tm, sizeof(*tm));
	return error;
}

/*
 * Free every node and the mount.  The VFS has checked that nothing is
 * busy; vflush reclaims the vnodes still cached (EBUSY if one is still
 * referenced, and then nothing is freed).
 */
static int
tmpfs_unmount(struct mount *mp, int mntflags)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *node;
	int error;

	error = vflush(mp, NULL, (mntflags & MNT_FORCE) ? FORCECLOSE : 0);
	if (error != 0)
		return error;
	/* Directories first lose their entries, so the order is free. */
	while ((node = TAILQ_FIRST(&tm->tm_nodes)) != NULL)
		tmpfs_node_free(tm, node);
	KASSERTMSG(tm->tm_bytes_used == 0 && tm->tm_nodes_cnt == 0,
	    "tmpfs: unmount leaves %llu bytes, %llu nodes",
	    (unsigned long long)tm->tm_bytes_used,
	    (unsigned long long)tm->tm_nodes_cnt);
	mp->mnt_data = NULL;
	mutex_destroy(&tm->tm_lock);
	kmem_free(tm, sizeof(*tm));
	return 0;
}

static int
tmpfs_root(struct mount *mp, struct vnode **vpp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);

	return tmpfs_node_vget(tm, tm->tm_root, vpp);
}

/*
 * Space in pages (f_frsize = PAGE_SIZE).  An unlimited mount reports a
 * nominal TMPFS_UNLIMITED_BYTES beyond what it uses (the host's free
 * memory is not known to the rump kernel).
 */
static int
tmpfs_statvfs(struct mount *mp, struct statvfs *sbp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	uint64_t used, total, nodes, nodes_max, node_room;

	mutex_enter(&tm->tm_lock);
	used = tm->tm_bytes_used;
	nodes = tm->tm_nodes_cnt;
	total = tm->tm_bytes_max != 0 ? tm->tm_bytes_max :
	    used + TMPFS_UNLIMITED_BYTES;
	nodes_max = tm->tm_nodes_max;
	mutex_exit(&tm->tm_lock);

	if (used > total)
		used = total;
	sbp->f_bsize = PAGE_SIZE;
	sbp->f_frsize = PAGE_SIZE;
	sbp->f_iosize = PAGE_SIZE;
	sbp->f_blocks = total / PAGE_SIZE;
	sbp->f_bfree = (total - used) / PAGE_SIZE;
	sbp->f_bavail = sbp->f_bfree;
	sbp->f_bresvd = 0;
	/* Files: the node limit, or as many nodes as the space holds. */
	node_room = (total - used) / sizeof(struct tmpfs_node);
	if (nodes_max == 0)
		nodes_max = nodes + (tm->tm_bytes_max != 0 ? node_room :
		    TMPFS_UNLIMITED_NODES);
	else if (nodes_max > nodes && nodes_max - nodes > node_room)
		nodes_max = nodes + node_room;
	if (nodes_max < nodes)
		nodes_max = nodes;
	sbp->f_files = nodes_max;
	sbp->f_ffree = nodes_max - nodes;
	sbp->f_favail = sbp->f_ffree;
	sbp->f_fresvd = 0;
	sbp->f_namemax = TMPFS_NAME_MAX;
	return 0;
}

/* Nothing to write back. */
static int
tmpfs_sync(struct mount *mp, int waitfor, kauth_cred_t cred)
{
	return 0;
}

/* ---------------------------------------------------------------- vnodes */

static void
tmpfs_vnode_fill(struct tmpfs_mount *tm, struct vnode *vp,
    struct tmpfs_node *node)
{
	vp->v_type = node->tn_type;
	vp->v_op = &tmpfs_vnodeops;
	vp->v_data = node;
	vp->v_rdev = node->tn_rdev;
	if (node == tm->tm_root)
		vp->v_vflag |= VV_ROOT;
}

/*
 * The vnode of an existing node.  Keys come only from tmpfs itself
 * (lookup, root), handed over while the node is known to exist.
 */
static int
tmpfs_loadvnode(struct mount *mp, struct vnode *vp, const void *key,
    size_t keylen)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_key k;

	if (keylen != sizeof(k))
		return EINVAL;
	memcpy(&k, key, sizeof(k));
	KASSERT(k.tk_node != NULL && k.tk_node->tn_id == k.tk_id);
	KASSERT(k.tk_node->tn_mount == tm);
	tmpfs_vnode_fill(tm, vp, k.tk_node);
	return 0;
}

/*
 * A new node per vap (type, mode, rdev), owned by cred's uid and the
 * group of the directory it is created in (BSD semantics).  It has no
 * name yet (link count 0): the caller links it or releases the vnode,
 * which frees it.
 */
static int
tmpfs_newvnode(struct mount *mp, struct vnode *dvp, struct vnode *vp,
    struct vattr *vap, kauth_cred_t cred, void *key, size_t *keylenp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *dnode, *node;
	struct tmpfs_key k;
	uid_t uid = cred != NULL ? cred->cr_uid : 0;
	gid_t gid = cred != NULL ? cred->cr_gid : 0;
	mode_t mode;
	uint64_t rdev = 0;
	int error;

	if (dvp != NULL) {
		dnode = VP_TO_TMPFS_NODE(dvp);
		mutex_enter(&tm->tm_lock);
		gid = dnode->tn_gid;
		mutex_exit(&tm->tm_lock);
	}
	mode = vap->va_mode == (mode_t)VNOVAL ? 0 : vap->va_mode & ALLPERMS;
	if (!tmpfs_cred_is_root(cred) && !kauth_cred_groupmember(cred, gid))
		mode &= ~(mode_t)S_ISGID;
	if ((vap->va_type == VBLK || vap->va_type == VCHR) &&
	    vap->va_rdev != (uint64_t)VNOVAL)
		rdev = vap->va_rdev;
	error = tmpfs_node_alloc(tm, vap->va_type, uid, gid, mode, rdev,
	    &node);
	if (error != 0)
		return error;
	tmpfs_vnode_fill(tm, vp, node);
	memset(&k, 0, sizeof(k));
	k.tk_node = node;
	k.tk_id = node->tn_id;
	memcpy(key, &k, sizeof(k));
	*keylenp = sizeof(k);
	return 0;
}

/* ---------------------------------------------------------------- type */

__CTASSERT(sizeof(struct tmpfs_key) <= VCACHE_KEYMAX);

static struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = tmpfs_unmount,
	.vfs_root = tmpfs_root,
	.vfs_statvfs = tmpfs_statvfs,
	.vfs_sync = tmpfs_sync,
	.vfs_loadvnode = tmpfs_loadvnode,
	.vfs_newvnode = tmpfs_newvnode,
};

static int
tmpfs_modinit(void)
{
	return vfs_attach(&tmpfs_vfsops);
}

static void
tmpfs_modfini(void)
{
	int error;

	error = vfs_detach(&tmpfs_vfsops);
	if (error != 0)
		printf("tmpfs: cannot detach the file system type: "
		    "error %d (still mounted)\n", error);
}

RUMP_COMPONENT(tmpfs, RUMP_COMPONENT_VFS, tmpfs_modinit, tmpfs_modfini);
