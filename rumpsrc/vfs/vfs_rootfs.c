/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_rootfs.c: the root file system.  After every component is up
 * (RUMP_COMPONENT_POSTINIT) a tmpfs is mounted as "/", becomes proc0's
 * root and current directory (every process forks them from there) and
 * gets the standard directories: /tmp (01777), /kern, /dev, /mnt (0755).
 * A kernel built without tmpfs cannot boot: rump_init fails with ENODEV
 * and says why.
 *
 * At shutdown it closes proc0's descriptors, drops its directories and
 * unmounts everything, newest first, the root last.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/vnode.h>

#include "vfs_private.h"

static const struct {
	const char	*rd_name;
	mode_t		rd_mode;
} rootfs_dirs[] = {
	{ "tmp", 01777 },
	{ "kern", 0755 },
	{ "dev", 0755 },
	{ "mnt", 0755 },
};

static int
rootfs_mkdir(struct vnode *rvp, const char *name, mode_t mode)
{
	struct componentname cn;
	struct vattr va;
	struct vnode *vp;
	int error;

	cn.cn_nameptr = name;
	cn.cn_namelen = strlen(name);
	cn.cn_flags = CN_ISLAST;
	cn.cn_cred = kauth_cred_get();
	vattr_null(&va);
	va.va_type = VDIR;
	va.va_mode = mode;
	rw_enter(&rvp->v_mount->mnt_nslock, RW_WRITER);
	error = VOP_MKDIR(rvp, &vp, &cn, &va);
	rw_exit(&rvp->v_mount->mnt_nslock);
	if (error != 0)
		return error;
	vrele(vp);
	return 0;
}

static int
rootfs_init(void)
{
	struct mount *mp;
	struct vnode *rvp;
	size_t i;
	int error;

	error = vfs_mount_at("tmpfs", NULL, "/", 0, NULL, 0, &mp);
	if (error == ENODEV) {
		printf("rootfs: this kernel has no tmpfs: cannot mount the "
		    "root file system\n");
		return error;
	}
	if (error != 0) {
		printf("rootfs: mounting tmpfs on /: error %d\n", error);
		return error;
	}
	rvp = mp->mnt_rootvnode;
	vref(rvp);
	vref(rvp);
	cwd_proc_setroot(&proc0, rvp, rvp);

	for (i = 0; i < __arraycount(rootfs_dirs); i++) {
		error = rootfs_mkdir(rvp, rootfs_dirs[i].rd_name,
		    rootfs_dirs[i].rd_mode);
		if (error != 0) {
			printf("rootfs: mkdir /%s: error %d\n",
			    rootfs_dirs[i].rd_name, error);
			goto err_unmount;
		}
	}
	return 0;

err_unmount:
	cwd_proc_setroot(&proc0, NULL, NULL);
	mount_unmount_all();
	return error;
}

static void
rootfs_fini(void)
{
	fd_closeall(&proc0);
	cwd_proc_setroot(&proc0, NULL, NULL);
	mount_unmount_all();
}

RUMP_COMPONENT(rootfs, RUMP_COMPONENT_POSTINIT, rootfs_init, rootfs_fini);
