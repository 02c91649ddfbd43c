/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_mount.c: mount(2) (__mount50), unmount(2), statvfs1(2),
 * fstatvfs1(2), sync(2).
 *
 * mount copies the type name and the file system's argument block in
 * (at most SYSMOUNT_DATAMAX bytes) and hands them to vfs_mount_at
 * (vfs_mount.c), which checks that the covered directory is free; unmount
 * finds the mount by its root directory and calls vfs_unmount, which
 * refuses (EBUSY) while the mount is in use.  Called through rsys_call by
 * the public wrappers below and by number (sys_util.c).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/kmem.h>
/* vnode.h first: it declares struct mount, which mount.h uses unannounced */
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <rump/rump.h>

#include "sys_private.h"

#define SYS_unmount	22
#define SYS_sync	36
#define SYS_statvfs1	357
#define SYS_fstatvfs1	358
#define SYS___mount50	410

/* The largest argument block a file system may be given. */
#define SYSMOUNT_DATAMAX	65536

/* Flags mount(2) accepts; MNT_UPDATE/MNT_GETARGS are not implemented. */
#define SYSMOUNT_FLAGS	(MNT_RDONLY | MNT_SYNCHRONOUS | MNT_NOEXEC | \
	MNT_NOSUID | MNT_NODEV | MNT_UNION | MNT_ASYNC | MNT_NOATIME | \
	MNT_FORCE)

struct sys_mount_args {
	SYSARG(const char *, type);
	SYSARG(const char *, path);
	SYSARG(int, flags);
	SYSARG(void *, data);
	SYSARG(size_t, data_len);
};

struct sys_unmount_args {
	SYSARG(const char *, path);
	SYSARG(int, flags);
};

struct sys_statvfs1_args {
	SYSARG(const char *, path);
	SYSARG(struct statvfs *, buf);
	SYSARG(int, flags);
};

struct sys_fstatvfs1_args {
	SYSARG(int, fd);
	SYSARG(struct statvfs *, buf);
	SYSARG(int, flags);
};

static int
sysmount_root_only(void)
{
	return kauth_cred_get()->cr_uid == 0 ? 0 : EPERM;
}

static int
sys_mount(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_mount_args *uap = v;
	size_t len = SCARG(uap, data_len), done;
	int flags = SCARG(uap, flags);
	struct nameidata nd;
	struct mount *mp;
	char *type;
	void *data = NULL;
	int error;

	error = sysmount_root_only();
	if (error != 0)
		return error;
	if (flags & (MNT_UPDATE | MNT_GETARGS))
		return EOPNOTSUPP;
	if (flags & ~SYSMOUNT_FLAGS)
		return EINVAL;
	if (len > SYSMOUNT_DATAMAX)
		return EINVAL;

	type = kmem_alloc(_VFS_NAMELEN, KM_SLEEP);
	error = copyinstr(SCARG(uap, type), type, _VFS_NAMELEN, &done);
	if (error == ENAMETOOLONG)
		error = ENODEV;		/* no type has so long a name */
	if (error != 0)
		goto out_type;
	if (vfs_getopsbyname(type) == NULL) {
		error = ENODEV;
		goto out_type;
	}
	if (len > 0) {
		data = kmem_alloc(len, KM_SLEEP);
		error = copyin(SCARG(uap, data), data, len);
		if (error != 0)
			goto out_data;
	}
	error = sys_lookup(SCARG(uap, path), NI_FOLLOW, NULL, &nd);
	if (error != 0)
		goto out_data;
	if (nd.ni_vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out_nd;
	}
	/* namei crossed into any mount here: no stacking of mounts. */
	if (nd.ni_vp->v_vflag & VV_ROOT) {
		error = EBUSY;
		goto out_nd;
	}
	error = vfs_mount_at(type, nd.ni_vp, nd.ni_path, flags, data, len,
	    &mp);

out_nd:
	sys_lookup_done(&nd);
out_data:
	if (data != NULL)
		kmem_free(data, len);
out_type:
	kmem_free(type, _VFS_NAMELEN);
	return error;
}

static int
sys_unmount(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_unmount_args *uap = v;
	struct nameidata nd;
	struct mount *mp;
	struct vnode *vp;
	int error;

	error = sysmount_root_only();
	if (error != 0)
		return error;
	if (SCARG(uap, flags) & ~MNT_FORCE)
		return EINVAL;
	error = sys_lookup(SCARG(uap, path), NI_FOLLOW, NULL, &nd);
	if (error != 0)
		return error;
	vp = nd.ni_vp;
	mp = vp->v_mount;
	/* Only the root of a mount names it. */
	if ((vp->v_vflag & VV_ROOT) == 0) {
		sys_lookup_done(&nd);
		return EINVAL;
	}
	if (mp == vfs_rootmount()) {
		sys_lookup_done(&nd);
		return EBUSY;
	}
	/*
	 * A busy hold keeps the mount while our references go (vfs_unmount
	 * wants the root referenced by the VFS alone) and is consumed by
	 * vfs_unmount.  ENOENT: an unmount of it is already running.
	 */
	error = vfs_busy(mp);
	sys_lookup_done(&nd);
	if (error != 0)
		return EBUSY;
	return vfs_unmount(mp, SCARG(uap, flags));
}

static int
sysmount_statvfs(struct vnode *vp, struct statvfs *ubuf, int flags)
{
	struct statvfs *sb;
	int error;

	sb = kmem_zalloc(sizeof(*sb), KM_SLEEP);
	error = vfs_statvfs_get(vp->v_mount, sb);
	if (error == 0)
		error = copyout(sb, ubuf, sizeof(*sb));
	kmem_free(sb, sizeof(*sb));
	return error;
}

static int
sysmount_statvfs_flags(int flags)
{
	return (flags & ~(ST_WAIT | ST_NOWAIT)) ? EINVAL : 0;
}

static int
sys_statvfs1(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_statvfs1_args *uap = v;
	struct nameidata nd;
	int error;

	error = sysmount_statvfs_flags(SCARG(uap, flags));
	if (error != 0)
		return error;
	error = sys_lookup(SCARG(uap, path), NI_FOLLOW, NULL, &nd);
	if (error != 0)
		return error;
	error = sysmount_statvfs(nd.ni_vp, SCARG(uap, buf), SCARG(uap, flags));
	sys_lookup_done(&nd);
	return error;
}

static int
sys_fstatvfs1(struct lwp *l, const void *v, register_t *retval)
{
	const struct sys_fstatvfs1_args *uap = v;
	struct vnode *vp;
	int error;

	error = sysmount_statvfs_flags(SCARG(uap, flags));
	if (error != 0)
		return error;
	error = sys_fd_vnode(SCARG(uap, fd), &vp, NULL);
	if (error != 0)
		return error;
	error = sysmount_statvfs(vp, SCARG(uap, buf), SCARG(uap, flags));
	vrele(vp);
	return error;
}

/*
 * sync(2): the mount table is walked under its lock, so the walk only
 * collects busy holds; the file systems are synced after it, one by one,
 * with no VFS lock held.
 */
struct sysmount_sync {
	struct mount	**ss_mounts;
	u_int		ss_n;
	u_int		ss_max;
};

static int
sysmount_sync_collect(struct mount *mp, void *arg)
{
	struct sysmount_sync *ss = arg;

	if (ss->ss_n == ss->ss_max)
		return 1;
	if (mp->mnt_op->vfs_sync != NULL && vfs_busy(mp) == 0)
		ss->ss_mounts[ss->ss_n++] = mp;
	return 0;
}

static int
sys_sync(struct lwp *l, const void *v, register_t *retval)
{
	struct sysmount_sync ss;
	kauth_cred_t cred = kauth_cred_get();
	size_t len;
	u_int i;

	/* Mounts made during the walk may be missed, as with any sync. */
	ss.ss_max = vfs_mount_count() + 8;
	ss.ss_n = 0;
	len = ss.ss_max * sizeof(*ss.ss_mounts);
	ss.ss_mounts = kmem_alloc(len, KM_SLEEP);
	(void)vfs_mount_foreach(sysmount_sync_collect, &ss);
	for (i = 0; i < ss.ss_n; i++) {
		/* sync(2) reports nothing: a failure is the fs's to log. */
		(void)ss.ss_mounts[i]->mnt_op->vfs_sync(ss.ss_mounts[i],
		    ST_WAIT, cred);
		vfs_unbusy(ss.ss_mounts[i]);
	}
	kmem_free(ss.ss_mounts, len);
	return 0;
}

static const struct rump_sysent sys_mount_table[] = {
	{ .se_num = SYS_unmount, .se_call = sys_unmount,
	  .se_name = "unmount" },
	{ .se_num = SYS_sync, .se_call = sys_sync, .se_name = "sync" },
	{ .se_num = SYS_statvfs1, .se_call = sys_statvfs1,
	  .se_name = "statvfs1" },
	{ .se_num = SYS_fstatvfs1, .se_call = sys_fstatvfs1,
	  .se_name = "fstatvfs1" },
	{ .se_num = SYS___mount50, .se_call = sys_mount,
	  .se_name = "__mount50" },
};

const struct sys_vfs_tableref sys_mount_tables = {
	.st_table = sys_mount_table,
	.st_n = __arraycount(sys_mount_table),
};

/* ---- public wrappers ---------------------------------------------------- */

int
rump_sys_mount(const char *type, const char *path, int flags, void *data,
    rump_size_t data_len)
{
	struct sys_mount_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, type) = type;
	SCARG(&args, path) = path;
	SCARG(&args, flags) = flags;
	SCARG(&args, data) = data;
	SCARG(&args, data_len) = data_len;
	return (int)rsys_call(sys_mount, &args);
}

int
rump_sys_unmount(const char *path, int flags)
{
	struct sys_unmount_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, flags) = flags;
	return (int)rsys_call(sys_unmount, &args);
}

int
rump_sys_statvfs1(const char *path, struct rump_statvfs *buf, int flags)
{
	struct sys_statvfs1_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, path) = path;
	SCARG(&args, buf) = (struct statvfs *)(void *)buf;
	SCARG(&args, flags) = flags;
	return (int)rsys_call(sys_statvfs1, &args);
}

int
rump_sys_fstatvfs1(int fd, struct rump_statvfs *buf, int flags)
{
	struct sys_fstatvfs1_args args;

	memset(&args, 0, sizeof(args));
	SCARG(&args, fd) = fd;
	SCARG(&args, buf) = (struct statvfs *)(void *)buf;
	SCARG(&args, flags) = flags;
	return (int)rsys_call(sys_fstatvfs1, &args);
}

/* sync(2) returns nothing; a stopped kernel simply has nothing to sync. */
void
rump_sys_sync(void)
{
	(void)rsys_call(sys_sync, NULL);
}
