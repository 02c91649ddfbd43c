/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/mount.h: mounted file systems and file system types
 * (vfs/vfs_mount.c).
 *
 * A file system type registers its vfsops with vfs_attach() (from its
 * RUMP_COMPONENT init at level RUMP_COMPONENT_VFS) and leaves with
 * vfs_detach() (EBUSY while mounted).  A mount covers a directory vnode
 * (mnt_vnodecovered, whose v_mountedhere points back); the root file
 * system covers nothing.  Operations on a mount hold a busy reference
 * (vfs_busy/vfs_unbusy) so that unmount can refuse (EBUSY) while it is in
 * use: a mount is busy while any of its vnodes other than its root is
 * referenced, or a process has its current directory in it.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/kauth.h>
#include <sys/statvfs.h>

struct mount;
struct vnode;
struct vattr;

struct vfsops {
	const char	*vfs_name;
	/* Set up mp from data (its size in data_len; data may be NULL).
	 * path is the mount point as given.  Fill mnt_stat names. */
	int	(*vfs_mount)(struct mount *mp, const char *path, void *data,
		    size_t data_len);
	int	(*vfs_unmount)(struct mount *mp, int mntflags);
	int	(*vfs_root)(struct mount *mp, struct vnode **vpp);
	int	(*vfs_statvfs)(struct mount *mp, struct statvfs *sbp);
	int	(*vfs_sync)(struct mount *mp, int waitfor, kauth_cred_t cred);
	/* Fill vp (v_type, v_op, v_data, v_rdev) for an existing object. */
	int	(*vfs_loadvnode)(struct mount *mp, struct vnode *vp,
		    const void *key, size_t keylen);
	/* Create an object per vap (va_type, va_mode, va_rdev) owned by
	 * cred, fill vp, and return its cache key (<= VCACHE_KEYMAX). */
	int	(*vfs_newvnode)(struct mount *mp, struct vnode *dvp,
		    struct vnode *vp, struct vattr *vap, kauth_cred_t cred,
		    void *key, size_t *keylenp);
	u_int	vfs_refcount;			/* mounts of this type */
	LIST_ENTRY(vfsops) vfs_list;
};

struct mount {
	TAILQ_ENTRY(mount)	mnt_list;	/* on the mount table */
	const struct vfsops	*mnt_op;
	struct vnode		*mnt_vnodecovered;
	struct vnode		*mnt_rootvnode;	/* cached by the VFS */
	krwlock_t		mnt_nslock;	/* name space, see vnode.h */
	kmutex_t		mnt_lock;	/* the fields below */
	int			mnt_flag;	/* MNT_* */
	u_int			mnt_busy;	/* vfs_busy holds */
	TAILQ_HEAD(, vnode)	mnt_vnodes;
	uint64_t		mnt_fsid;
	void			*mnt_data;	/* file system private */
	struct statvfs		mnt_stat;	/* names filled at mount */
};

/* mnt_flag and mount(2)/unmount(2) flags, NetBSD values */
#define MNT_RDONLY	0x00000001
#define MNT_SYNCHRONOUS	0x00000002
#define MNT_NOEXEC	0x00000004
#define MNT_NOSUID	0x00000008
#define MNT_NODEV	0x00000010
#define MNT_UNION	0x00000020
#define MNT_ASYNC	0x00000040
#define MNT_NOATIME	0x04000000
#define MNT_LOCAL	0x00001000
#define MNT_ROOTFS	0x00004000
#define MNT_UPDATE	0x00010000
#define MNT_FORCE	0x00080000
#define MNT_GETARGS	0x00400000
#define MNT_UNMOUNTING	0x80000000	/* internal */

int	vfs_attach(struct vfsops *vfs);
int	vfs_detach(struct vfsops *vfs);
struct vfsops *vfs_getopsbyname(const char *name);

/*
 * Mount a file system of type fstype on the directory vp (NULL: root).
 * vp stays referenced by the caller (the mount takes its own reference).
 * ENODEV: no such type; ENOTDIR: vp not a directory; EBUSY: something is
 * already mounted on vp (or, for vp NULL, a root exists).
 */
int	vfs_mount_at(const char *fstype, struct vnode *vp, const char *path,
	    int flags, void *data, size_t data_len, struct mount **mpp);
/*
 * Unmount mp.  The caller holds one vfs_busy() hold on mp, taken while it
 * still had a vnode of mp referenced (e.g. the root from namei, released
 * after vfs_busy); vfs_unmount consumes that hold whatever the result.
 * EBUSY when another busy hold exists, a vnode other than the root is
 * referenced, the root is referenced (a cwd, an open directory) or
 * something is mounted on one of its directories; EBUSY for the root
 * mount while other mounts exist.  Dirty data is synced first.
 */
int	vfs_unmount(struct mount *mp, int flags);
int	vfs_busy(struct mount *mp);	/* ENOENT if unmounting */
void	vfs_unbusy(struct mount *mp);
struct mount *vfs_rootmount(void);	/* the root file system */
/* Iterate the mount table: fn returns non-zero to stop (and that value
 * is returned).  fn runs with the mount table locked: it must not sleep
 * for long, mount or unmount. */
int	vfs_mount_foreach(int (*fn)(struct mount *, void *), void *arg);
u_int	vfs_mount_count(void);

/* Fill a statvfs with the VFS's fields (names, flags, fsid) after the fs. */
int	vfs_statvfs_get(struct mount *mp, struct statvfs *sbp);

#endif /* _SYS_MOUNT_H_ */
