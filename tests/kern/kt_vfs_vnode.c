/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_vfs_vnode.c: kernel-side tests of the vnode cache and the mount
 * table (vfs/vfs_vnode.c, vfs/vfs_mount.c), through a tiny fake file
 * system ("ktfs") defined here whose objects are plain 64-bit keys:
 * it counts loads, inactivations and reclaims so the cases can see what
 * the cache does.  ktfs is mounted on /mnt of the tmpfs root.
 *
 * Run by host_ktest through kt_runner.c.
 */
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include "ktest.h"

struct ktfs_state {
	u_int		ks_loads;
	u_int		ks_inactives;
	u_int		ks_reclaims;
	bool		ks_recycle;	/* VOP_INACTIVE asks to recycle */
	uint64_t	ks_nextkey;
};
static struct ktfs_state ktfs_st;

static int
ktfs_inactive(struct vnode *vp, bool *recycle)
{
	ktfs_st.ks_inactives++;
	*recycle = ktfs_st.ks_recycle;
	return 0;
}

static int
ktfs_reclaim(struct vnode *vp)
{
	ktfs_st.ks_reclaims++;
	return 0;
}

static int
ktfs_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	return ENOENT;
}

static int
ktfs_access(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	return 0;
}

static const struct vnodeops ktfs_vnops = {
	.vop_lookup = ktfs_lookup,
	.vop_access = ktfs_access,
	.vop_inactive = ktfs_inactive,
	.vop_reclaim = ktfs_reclaim,
};

static int
ktfs_mount(struct mount *mp, const char *path, void *data, size_t len)
{
	return 0;
}

static int
ktfs_unmount(struct mount *mp, int flags)
{
	return 0;
}

static int
ktfs_root(struct mount *mp, struct vnode **vpp)
{
	uint64_t key = 0;

	return vcache_get(mp, &key, sizeof(key), vpp);
}

static int
ktfs_loadvnode(struct mount *mp, struct vnode *vp, const void *key,
    size_t keylen)
{
	uint64_t k;

	memcpy(&k, key, sizeof(k));
	vp->v_type = k == 0 ? VDIR : VREG;
	vp->v_op = &ktfs_vnops;
	ktfs_st.ks_loads++;
	return 0;
}

static int
ktfs_newvnode(struct mount *mp, struct vnode *dvp, struct vnode *vp,
    struct vattr *vap, kauth_cred_t cred, void *key, size_t *keylenp)
{
	uint64_t k = ++ktfs_st.ks_nextkey + 1000000;

	vp->v_type = vap->va_type;
	vp->v_op = &ktfs_vnops;
	memcpy(key, &k, sizeof(k));
	*keylenp = sizeof(k);
	return 0;
}

static struct vfsops ktfs_vfsops = {
	.vfs_name = "ktfs",
	.vfs_mount = ktfs_mount,
	.vfs_unmount = ktfs_unmount,
	.vfs_root = ktfs_root,
	.vfs_loadvnode = ktfs_loadvnode,
	.vfs_newvnode = ktfs_newvnode,
};

/* Attach ktfs and mount it on path (a directory of the root). */
static int
ktfs_setup(const char *path, struct mount **mpp)
{
	struct nameidata nd;
	int error;

	memset(&ktfs_st, 0, sizeof(ktfs_st));
	error = vfs_attach(&ktfs_vfsops);
	if (error != 0)
		return error;
	memset(&nd, 0, sizeof(nd));
	nd.ni_path = path;
	nd.ni_flags = NI_FOLLOW;
	error = namei(&nd);
	if (error == 0) {
		error = vfs_mount_at("ktfs", nd.ni_vp, path, 0, NULL, 0, mpp);
		namei_done(&nd);
	}
	if (error != 0)
		(void)vfs_detach(&ktfs_vfsops);
	return error;
}

static int
ktfs_unmount_mp(struct mount *mp)
{
	int error;

	error = vfs_busy(mp);
	if (error != 0)
		return error;
	return vfs_unmount(mp, 0);
}

static int
ktfs_get(struct mount *mp, uint64_t k, struct vnode **vpp)
{
	return vcache_get(mp, &k, sizeof(k), vpp);
}

KTEST(vfs, vcache_get_returns_one_vnode_per_key)
{
	struct mount *mp;
	struct vnode *a, *b, *c;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	KT_CHECK_EQ(ktfs_st.ks_loads, 1);	/* the root */
	KT_REQUIRE(ktfs_get(mp, 7, &a) == 0);
	KT_REQUIRE(ktfs_get(mp, 7, &b) == 0);
	KT_REQUIRE(ktfs_get(mp, 8, &c) == 0);
	KT_CHECK(a == b);
	KT_CHECK(a != c);
	KT_CHECK_EQ(a->v_usecount, 2);
	KT_CHECK_EQ(ktfs_st.ks_loads, 3);
	KT_CHECK(a->v_mount == mp && a->v_type == VREG);
	vrele(a);
	vrele(b);
	vrele(c);
	KT_CHECK_EQ(ktfs_st.ks_inactives, 2);
	KT_CHECK_EQ(ktfs_st.ks_reclaims, 0);	/* cached */
	KT_REQUIRE(ktfs_get(mp, 7, &a) == 0);	/* from the LRU */
	KT_CHECK_EQ(ktfs_st.ks_loads, 3);
	vrele(a);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(ktfs_st.ks_reclaims, 3);	/* 7, 8 and the root */
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, vnode_lru_limit_recycles_oldest)
{
	struct mount *mp;
	struct vnode *vp;
	u_int old, before, i;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	before = vnode_count();
	old = vnode_lru_limit(16);
	for (i = 1; i <= 100; i++) {
		KT_REQUIRE(ktfs_get(mp, i, &vp) == 0);
		vrele(vp);
	}
	/* Some of the tmpfs root's vnodes may be inactive too. */
	KT_CHECK_MSG(vnode_count() <= before + 16, "%u vnodes",
	    vnode_count());
	KT_CHECK(ktfs_st.ks_reclaims >= 100 - 16);
	/* The oldest went: key 1 loads again, the newest does not. */
	i = ktfs_st.ks_loads;
	KT_REQUIRE(ktfs_get(mp, 100, &vp) == 0);
	vrele(vp);
	KT_CHECK_EQ(ktfs_st.ks_loads, i);
	KT_REQUIRE(ktfs_get(mp, 1, &vp) == 0);
	vrele(vp);
	KT_CHECK_EQ(ktfs_st.ks_loads, i + 1);
	(void)vnode_lru_limit(old);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, vnode_inactive_recycle_reclaims_at_once)
{
	struct mount *mp;
	struct vnode *vp;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	ktfs_st.ks_recycle = true;
	KT_REQUIRE(ktfs_get(mp, 5, &vp) == 0);
	vrele(vp);
	KT_CHECK_EQ(ktfs_st.ks_reclaims, 1);
	ktfs_st.ks_recycle = false;
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, vcache_new_hashes_created_vnode)
{
	struct mount *mp;
	struct vnode *vp, *vp2;
	struct vattr va;
	uint64_t k;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	vattr_null(&va);
	va.va_type = VREG;
	KT_REQUIRE(vcache_new(mp, mp->mnt_rootvnode, &va, kauth_cred_get(),
	    &vp) == 0);
	KT_CHECK_EQ(vp->v_usecount, 1);
	memcpy(&k, vp->v_key, sizeof(k));
	KT_REQUIRE(ktfs_get(mp, k, &vp2) == 0);
	KT_CHECK(vp2 == vp);
	KT_CHECK_EQ(ktfs_st.ks_loads, 1);	/* only the root was loaded */
	vrele(vp2);
	vrele(vp);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, unmount_busy_while_vnode_referenced)
{
	struct mount *mp;
	struct vnode *vp;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	KT_REQUIRE(ktfs_get(mp, 3, &vp) == 0);
	KT_CHECK_EQ(vflush(mp, mp->mnt_rootvnode, 0), EBUSY);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), EBUSY);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), EBUSY);	/* mounted */
	vrele(vp);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, unmount_busy_while_cwd_inside)
{
	struct mount *mp;
	struct vnode *old;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	old = cwd_get();
	vref(mp->mnt_rootvnode);
	cwd_set(mp->mnt_rootvnode);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), EBUSY);
	cwd_set(old);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, unmount_busy_with_second_busy_hold)
{
	struct mount *mp;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	KT_REQUIRE(vfs_busy(mp) == 0);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), EBUSY);
	vfs_unbusy(mp);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, mount_table_counts_and_root_goes_last)
{
	struct mount *mp, *root;
	u_int n;

	n = vfs_mount_count();
	root = vfs_rootmount();
	KT_REQUIRE(root != NULL);
	KT_CHECK_STR(root->mnt_stat.f_fstypename, "tmpfs");
	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	KT_CHECK_EQ(vfs_mount_count(), n + 1);
	KT_REQUIRE(vfs_busy(root) == 0);
	KT_CHECK_EQ(vfs_unmount(root, 0), EBUSY);
	/* A second mount on the same directory is refused. */
	KT_CHECK_EQ(vfs_mount_at("ktfs", mp->mnt_vnodecovered, "/mnt", 0,
	    NULL, 0, NULL), EBUSY);
	KT_CHECK_EQ(vfs_mount_at("nosuchfs", mp->mnt_vnodecovered, "/mnt",
	    0, NULL, 0, NULL), ENODEV);
	KT_CHECK_EQ(vfs_attach(&ktfs_vfsops), EEXIST);
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_mount_count(), n);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}

KTEST(vfs, statvfs_fills_vfs_fields)
{
	struct statvfs *sb;
	struct mount *mp;

	KT_REQUIRE(ktfs_setup("/mnt", &mp) == 0);
	sb = kmem_zalloc(sizeof(*sb), KM_SLEEP);
	KT_CHECK_EQ(vfs_statvfs_get(mp, sb), 0);
	KT_CHECK_STR(sb->f_fstypename, "ktfs");
	KT_CHECK_STR(sb->f_mntonname, "/mnt");
	KT_CHECK_STR(sb->f_mntfromname, "ktfs");
	KT_CHECK_EQ(sb->f_namemax, NAME_MAX);
	KT_CHECK_EQ(sb->f_fsid, mp->mnt_fsid);
	kmem_free(sb, sizeof(*sb));
	KT_CHECK_EQ(ktfs_unmount_mp(mp), 0);
	KT_CHECK_EQ(vfs_detach(&ktfs_vfsops), 0);
}
