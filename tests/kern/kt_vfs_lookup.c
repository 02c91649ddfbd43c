/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_vfs_lookup.c: kernel-side tests of namei (vfs/vfs_lookup.c) and
 * vn_open (vfs/vfs_vnops.c) on the tmpfs root: ".." at the root, mount
 * point crossing both ways, symlinks (relative, absolute, loops),
 * trailing slashes, over-long names, and the NI_WANTPARENT contract.
 *
 * Run by host_ktest through kt_runner.c.
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include "ktest.h"

static int
kl_namei(const char *path, int flags, struct nameidata *nd)
{
	memset(nd, 0, sizeof(*nd));
	nd->ni_path = path;
	nd->ni_flags = flags;
	return namei(nd);
}

/* Look path up (following links) and return the vnode, referenced. */
static int
kl_lookup(const char *path, struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	error = kl_namei(path, NI_FOLLOW, &nd);
	if (error != 0)
		return error;
	*vpp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	return 0;
}

static int
kl_mkdir(const char *path)
{
	struct nameidata nd;
	struct vattr va;
	struct vnode *vp;
	krwlock_t *ns;
	int error;

	error = kl_namei(path, NI_WANTPARENT | NI_LASTMAYBEMISSING, &nd);
	if (error != 0)
		return error;
	if (nd.ni_vp != NULL) {
		namei_done(&nd);
		return EEXIST;
	}
	vattr_null(&va);
	va.va_type = VDIR;
	va.va_mode = 0755;
	ns = &nd.ni_dvp->v_mount->mnt_nslock;
	rw_enter(ns, RW_WRITER);
	error = VOP_MKDIR(nd.ni_dvp, &vp, &nd.ni_cnd, &va);
	rw_exit(ns);
	if (error == 0)
		vrele(vp);
	namei_done(&nd);
	return error;
}

static int
kl_symlink(const char *path, const char *target)
{
	struct nameidata nd;
	struct vattr va;
	struct vnode *vp;
	krwlock_t *ns;
	int error;

	error = kl_namei(path, NI_WANTPARENT | NI_LASTMAYBEMISSING, &nd);
	if (error != 0)
		return error;
	vattr_null(&va);
	va.va_type = VLNK;
	va.va_mode = 0777;
	ns = &nd.ni_dvp->v_mount->mnt_nslock;
	rw_enter(ns, RW_WRITER);
	error = VOP_SYMLINK(nd.ni_dvp, &vp, &nd.ni_cnd, &va, target);
	rw_exit(ns);
	if (error == 0)
		vrele(vp);
	namei_done(&nd);
	return error;
}

static int
kl_create(const char *path, struct vnode **vpp)
{
	return vn_open(NULL, path, FREAD | FWRITE | O_CREAT | O_EXCL, 0644,
	    vpp);
}

static void
kl_close(struct vnode *vp, int fflags)
{
	(void)VOP_CLOSE(vp, fflags, kauth_cred_get());
	vrele(vp);
}

KTEST(vfs, namei_dotdot_at_root_stays_at_root)
{
	struct vnode *root, *vp;

	KT_REQUIRE(kl_lookup("/", &root) == 0);
	KT_REQUIRE(kl_lookup("/../../..", &vp) == 0);
	KT_CHECK(vp == root);
	vrele(vp);
	KT_REQUIRE(kl_lookup("/tmp/../mnt/..", &vp) == 0);
	KT_CHECK(vp == root);
	vrele(vp);
	KT_REQUIRE(kl_lookup("//tmp//", &vp) == 0);
	KT_CHECK(vp != root && vp->v_type == VDIR);
	vrele(vp);
	vrele(root);
}

KTEST(vfs, namei_crosses_mount_points_both_ways)
{
	struct vnode *mnt, *vp, *tmp;
	struct mount *mp;

	KT_REQUIRE(kl_lookup("/mnt", &mnt) == 0);
	KT_REQUIRE(vfs_mount_at("tmpfs", mnt, "/mnt", 0, NULL, 0, &mp) == 0);
	KT_REQUIRE(kl_mkdir("/mnt/sub") == 0);
	KT_REQUIRE(kl_lookup("/mnt", &vp) == 0);
	KT_CHECK(vp == mp->mnt_rootvnode);
	vrele(vp);
	KT_REQUIRE(kl_lookup("/mnt/sub/../../tmp", &vp) == 0);
	KT_REQUIRE(kl_lookup("/tmp", &tmp) == 0);
	KT_CHECK(vp == tmp);
	vrele(vp);
	vrele(tmp);
	KT_REQUIRE(kl_lookup("/mnt/sub", &vp) == 0);
	KT_CHECK(vp->v_mount == mp);
	/* Busy while a vnode inside is referenced. */
	KT_REQUIRE(vfs_busy(mp) == 0);
	KT_CHECK_EQ(vfs_unmount(mp, 0), EBUSY);
	vrele(vp);
	KT_REQUIRE(vfs_busy(mp) == 0);
	KT_CHECK_EQ(vfs_unmount(mp, 0), 0);
	/* The covered directory is visible again (and empty). */
	KT_CHECK_EQ(kl_lookup("/mnt/sub", &vp), ENOENT);
	vrele(mnt);
}

KTEST(vfs, namei_follows_symlinks_and_detects_loops)
{
	struct vnode *vp, *tmp;
	struct nameidata nd;

	KT_REQUIRE(kl_mkdir("/tmp/d") == 0);
	KT_REQUIRE(kl_symlink("/tmp/rel", "d") == 0);
	KT_REQUIRE(kl_symlink("/tmp/abs", "/tmp/d") == 0);
	KT_REQUIRE(kl_symlink("/tmp/up", "../tmp") == 0);
	KT_REQUIRE(kl_symlink("/tmp/loop1", "loop2") == 0);
	KT_REQUIRE(kl_symlink("/tmp/loop2", "loop1") == 0);
	KT_REQUIRE(kl_lookup("/tmp/d", &tmp) == 0);
	KT_REQUIRE(kl_lookup("/tmp/rel", &vp) == 0);
	KT_CHECK(vp == tmp);
	vrele(vp);
	KT_REQUIRE(kl_lookup("/tmp/abs/.", &vp) == 0);
	KT_CHECK(vp == tmp);
	vrele(vp);
	KT_REQUIRE(kl_lookup("/tmp/up/up/up/rel", &vp) == 0);
	KT_CHECK(vp == tmp);
	vrele(vp);
	vrele(tmp);
	KT_CHECK_EQ(kl_lookup("/tmp/loop1", &vp), ELOOP);
	/* Not following the last component gives the link itself. */
	KT_REQUIRE(kl_namei("/tmp/rel", 0, &nd) == 0);
	KT_CHECK(nd.ni_vp->v_type == VLNK);
	namei_done(&nd);
	/* A trailing slash follows it regardless. */
	KT_REQUIRE(kl_namei("/tmp/rel/", 0, &nd) == 0);
	KT_CHECK(nd.ni_vp->v_type == VDIR);
	namei_done(&nd);
}

KTEST(vfs, namei_errors_for_bad_paths)
{
	struct vnode *vp;
	struct nameidata nd;
	char *p;

	KT_CHECK_EQ(kl_lookup("", &vp), ENOENT);
	KT_CHECK_EQ(kl_lookup("/nonexistent/x", &vp), ENOENT);
	KT_REQUIRE(kl_create("/tmp/f", &vp) == 0);
	kl_close(vp, FREAD | FWRITE);
	KT_CHECK_EQ(kl_lookup("/tmp/f/", &vp), ENOTDIR);
	KT_CHECK_EQ(kl_lookup("/tmp/f/x", &vp), ENOTDIR);
	p = kmem_alloc(MAXPATHLEN + 8, KM_SLEEP);
	memset(p, 'a', MAXPATHLEN + 7);
	p[MAXPATHLEN + 7] = '\0';
	KT_CHECK_EQ(kl_lookup(p, &vp), ENAMETOOLONG);
	p[0] = '/';
	p[NAME_MAX + 2] = '\0';		/* one component of NAME_MAX + 1 */
	KT_CHECK_EQ(kl_lookup(p, &vp), ENAMETOOLONG);
	kmem_free(p, MAXPATHLEN + 8);
	/* No last component to hand to a name space operation. */
	KT_CHECK_EQ(kl_namei("/", NI_WANTPARENT, &nd), EBUSY);
	KT_CHECK_EQ(kl_namei("/", NI_WANTPARENT | NI_LASTMAYBEMISSING, &nd),
	    EEXIST);
	namei_done(&nd);	/* a no-op after an error */
}

KTEST(vfs, namei_wantparent_returns_parent_and_name)
{
	struct nameidata nd;
	struct vnode *tmp;

	KT_REQUIRE(kl_lookup("/tmp", &tmp) == 0);
	KT_REQUIRE(kl_namei("/tmp/newname", NI_WANTPARENT |
	    NI_LASTMAYBEMISSING, &nd) == 0);
	KT_CHECK(nd.ni_vp == NULL);
	KT_CHECK(nd.ni_dvp == tmp);
	KT_CHECK_EQ(nd.ni_cnd.cn_namelen, 7);
	KT_CHECK(memcmp(nd.ni_cnd.cn_nameptr, "newname", 7) == 0);
	KT_CHECK(nd.ni_cnd.cn_flags & CN_ISLAST);
	namei_done(&nd);
	KT_CHECK_EQ(kl_namei("/tmp/newname", NI_WANTPARENT, &nd), ENOENT);
	vrele(tmp);
}

KTEST(vfs, vn_open_flags)
{
	struct vnode *vp;

	KT_REQUIRE(kl_create("/tmp/a", &vp) == 0);
	kl_close(vp, FREAD | FWRITE);
	KT_CHECK_EQ(kl_create("/tmp/a", &vp), EEXIST);
	KT_CHECK_EQ(vn_open(NULL, "/tmp/a", FREAD | O_DIRECTORY, 0, &vp),
	    ENOTDIR);
	KT_CHECK_EQ(vn_open(NULL, "/tmp", FWRITE, 0, &vp), EISDIR);
	KT_REQUIRE(kl_symlink("/tmp/l", "a") == 0);
	KT_CHECK_EQ(vn_open(NULL, "/tmp/l", FREAD | O_NOFOLLOW, 0, &vp),
	    EFTYPE);
	KT_REQUIRE(vn_open(NULL, "/tmp/l", FREAD, 0, &vp) == 0);
	KT_CHECK(vp->v_type == VREG);
	kl_close(vp, FREAD);
	/* O_CREAT through a dangling link creates its target. */
	KT_REQUIRE(kl_symlink("/tmp/dl", "b") == 0);
	KT_REQUIRE(vn_open(NULL, "/tmp/dl", FWRITE | O_CREAT, 0600, &vp) ==
	    0);
	kl_close(vp, FWRITE);
	KT_REQUIRE(vn_open(NULL, "/tmp/b", FREAD, 0, &vp) == 0);
	kl_close(vp, FREAD);
}
