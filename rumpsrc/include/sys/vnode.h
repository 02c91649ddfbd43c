/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/vnode.h: vnodes, their attributes and operations (vfs/vfs_vnode.c,
 * vfs/vfs_vnops.c).
 *
 * A vnode is the VFS's handle on one file system object.  It is reference
 * counted (v_usecount); vref() takes a reference, vrele() drops one.  The
 * vnode cache (vcache_*) keeps one vnode per (mount, key): a file system
 * names its objects by a key of its choosing (tmpfs: the node pointer,
 * FFS: the inode number) and fills in a fresh vnode in vfs_loadvnode or
 * vfs_newvnode.  When the last reference goes, VOP_INACTIVE is called;
 * the vnode then stays cached (inactive, on an LRU) until it is reused,
 * recycled because the cache is over its limit, or flushed at unmount,
 * when VOP_RECLAIM detaches the file system's data.  A file system asks
 * for immediate recycling from VOP_INACTIVE (e.g. a removed file).
 *
 * Locking (the whole protocol; vfs/README.md has the reasoning):
 *  - mnt_nslock (struct mount) orders name space changes within a mount:
 *    lookups of a directory take it as reader; create, remove, link,
 *    rename, mkdir, rmdir, symlink take it as writer and look the last
 *    component up again under it.  Changing two mounts at once is EXDEV.
 *  - v_lock guards the object's data and attributes: VOP_READ, READDIR,
 *    READLINK, GETATTR, ACCESS take it as reader; WRITE, SETATTR, FSYNC
 *    as writer.  Name space ops, holding mnt_nslock as writer, may take
 *    one vnode lock at a time to change link counts and times.
 *  - Lock order: mnt_nslock, then at most one v_lock.  VOPs are called
 *    with the locks listed per operation below already held; they never
 *    take the VFS locks themselves.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <sys/kauth.h>
#include <sys/uio.h>
#include <sys/errno.h>

struct mount;
struct vnode;
struct uio;
struct componentname;
struct buf;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

/* Attributes; VNOVAL in a field means "unknown / do not change". */
#define VNOVAL		(-1)

struct vattr {
	enum vtype	va_type;
	mode_t		va_mode;	/* permission bits (07777) */
	uint32_t	va_nlink;
	uid_t		va_uid;
	gid_t		va_gid;
	uint64_t	va_fsid;
	uint64_t	va_fileid;	/* inode number */
	int64_t		va_size;	/* file size in bytes */
	uint32_t	va_blocksize;
	struct timespec	va_atime;
	struct timespec	va_mtime;
	struct timespec	va_ctime;
	struct timespec	va_birthtime;
	uint32_t	va_gen;
	uint32_t	va_flags;
	uint64_t	va_rdev;
	int64_t		va_bytes;	/* space used */
	uint32_t	va_vaflags;	/* VA_* */
};
#define VA_UTIMES_NULL	0x01	/* utimes(NULL): "now", needs write access */

void	vattr_null(struct vattr *vap);	/* every field VNOVAL */

/* Access modes for VOP_ACCESS / vaccess. */
#define VEXEC		0100
#define VWRITE		0200
#define VREAD		0400

/* ioflag for VOP_READ/VOP_WRITE */
#define IO_APPEND	0x01
#define IO_SYNC		0x02
#define IO_NDELAY	0x04

/* fsync flags */
#define FSYNC_WAIT	0x01
#define FSYNC_DATAONLY	0x02

struct vnodeops {
	/* dvp: nslock reader (or writer in name space ops).  *vpp is
	 * returned referenced (dvp itself for "."), ENOENT if absent.
	 * ".." is handled by the file system; crossing mount points is not
	 * (namei does it). */
	int	(*vop_lookup)(struct vnode *dvp, struct vnode **vpp,
		    struct componentname *cnp);
	/* nslock writer; the name is known absent.  New vnode referenced. */
	int	(*vop_create)(struct vnode *dvp, struct vnode **vpp,
		    struct componentname *cnp, struct vattr *vap);
	int	(*vop_mknod)(struct vnode *dvp, struct vnode **vpp,
		    struct componentname *cnp, struct vattr *vap);
	int	(*vop_mkdir)(struct vnode *dvp, struct vnode **vpp,
		    struct componentname *cnp, struct vattr *vap);
	int	(*vop_symlink)(struct vnode *dvp, struct vnode **vpp,
		    struct componentname *cnp, struct vattr *vap,
		    const char *target);
	/* nslock writer; vp is the looked-up child (referenced by caller). */
	int	(*vop_remove)(struct vnode *dvp, struct vnode *vp,
		    struct componentname *cnp);
	int	(*vop_rmdir)(struct vnode *dvp, struct vnode *vp,
		    struct componentname *cnp);	/* ENOTEMPTY */
	int	(*vop_link)(struct vnode *dvp, struct vnode *vp,
		    struct componentname *cnp);
	/* nslock writer; tvp NULL when the target is absent.  The VFS has
	 * checked: same mount, not moving a directory into itself, types
	 * compatible (dir over empty dir, non-dir over non-dir). */
	int	(*vop_rename)(struct vnode *fdvp, struct vnode *fvp,
		    struct componentname *fcnp, struct vnode *tdvp,
		    struct vnode *tvp, struct componentname *tcnp);
	/* No VFS locks: open/close bracket a file's use. */
	int	(*vop_open)(struct vnode *vp, int fflags, kauth_cred_t cred);
	int	(*vop_close)(struct vnode *vp, int fflags, kauth_cred_t cred);
	/* v_lock reader */
	int	(*vop_access)(struct vnode *vp, int accmode, kauth_cred_t cred);
	int	(*vop_getattr)(struct vnode *vp, struct vattr *vap,
		    kauth_cred_t cred);
	int	(*vop_read)(struct vnode *vp, struct uio *uio, int ioflag,
		    kauth_cred_t cred);
	/* readdir: uio_offset is an opaque cookie the fs defines (0 =
	 * start); records are struct dirent (sys/dirent.h) */
	int	(*vop_readdir)(struct vnode *vp, struct uio *uio,
		    kauth_cred_t cred, int *eofflag);
	int	(*vop_readlink)(struct vnode *vp, struct uio *uio,
		    kauth_cred_t cred);
	/* v_lock writer; setattr applies the non-VNOVAL fields (va_size
	 * truncates or extends), checking permission itself via vaccess
	 * rules (owner or root for mode/times, root for uid) */
	int	(*vop_setattr)(struct vnode *vp, struct vattr *vap,
		    kauth_cred_t cred);
	int	(*vop_write)(struct vnode *vp, struct uio *uio, int ioflag,
		    kauth_cred_t cred);
	int	(*vop_fsync)(struct vnode *vp, kauth_cred_t cred, int flags,
		    off_t lo, off_t hi);
	/* Last reference gone (no locks); set *recycle to reclaim now. */
	int	(*vop_inactive)(struct vnode *vp, bool *recycle);
	/* Detach and free the fs data (no locks, no references). */
	int	(*vop_reclaim)(struct vnode *vp);
	/* Block mapping and I/O for block-backed file systems (optional). */
	int	(*vop_bmap)(struct vnode *vp, int64_t lbn, struct vnode **vpp,
		    int64_t *bnp, int *runp);
	int	(*vop_strategy)(struct vnode *vp, struct buf *bp);
};

struct vnode {
	kmutex_t		v_interlock;	/* v_usecount 0<->1, v_state */
	u_int			v_usecount;
	int			v_state;	/* VS_* */
	int			v_vflag;	/* VV_* */
	enum vtype		v_type;
	const struct vnodeops	*v_op;
	void			*v_data;	/* file system private */
	struct mount		*v_mount;
	struct mount		*v_mountedhere;	/* covering mount, if any */
	uint64_t		v_rdev;		/* VBLK/VCHR */
	krwlock_t		v_lock;
	kcondvar_t		v_cv;		/* v_state changes */
	TAILQ_ENTRY(vnode)	v_mntvnodes;	/* on mount's list */
	TAILQ_ENTRY(vnode)	v_lru;		/* inactive, on the LRU */
	LIST_ENTRY(vnode)	v_hash;		/* in the vnode cache */
	uint8_t			v_key[16];	/* cache key (copy) */
	size_t			v_keylen;
};

/* v_state */
#define VS_LOADING	1	/* being filled in by the fs */
#define VS_ACTIVE	2	/* referenced */
#define VS_INACTIVE	3	/* cached, no references */
#define VS_RECLAIMING	4	/* being torn down */

/* v_vflag */
#define VV_ROOT		0x01	/* root of its mount */

#define VCACHE_KEYMAX	16

/*
 * VOP_* calls: the caller holds the locks the operation's comment in
 * struct vnodeops lists.  An operation the file system leaves NULL gives
 * EOPNOTSUPP.  (VOP_INACTIVE/VOP_RECLAIM are the vnode cache's alone.)
 */
static inline int
VOP_LOOKUP(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	if (dvp->v_op->vop_lookup == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_lookup(dvp, vpp, cnp);
}
static inline int
VOP_CREATE(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp, struct vattr *vap)
{
	if (dvp->v_op->vop_create == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_create(dvp, vpp, cnp, vap);
}
static inline int
VOP_MKNOD(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp, struct vattr *vap)
{
	if (dvp->v_op->vop_mknod == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_mknod(dvp, vpp, cnp, vap);
}
static inline int
VOP_MKDIR(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp, struct vattr *vap)
{
	if (dvp->v_op->vop_mkdir == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_mkdir(dvp, vpp, cnp, vap);
}
static inline int
VOP_SYMLINK(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp, struct vattr *vap, const char *target)
{
	if (dvp->v_op->vop_symlink == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_symlink(dvp, vpp, cnp, vap, target);
}
static inline int
VOP_REMOVE(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	if (dvp->v_op->vop_remove == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_remove(dvp, vp, cnp);
}
static inline int
VOP_RMDIR(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	if (dvp->v_op->vop_rmdir == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_rmdir(dvp, vp, cnp);
}
static inline int
VOP_LINK(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	if (dvp->v_op->vop_link == NULL)
		return EOPNOTSUPP;
	return dvp->v_op->vop_link(dvp, vp, cnp);
}
static inline int
VOP_RENAME(struct vnode *fdvp, struct vnode *fvp, struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp, struct componentname *tcnp)
{
	if (fdvp->v_op->vop_rename == NULL)
		return EOPNOTSUPP;
	return fdvp->v_op->vop_rename(fdvp, fvp, fcnp, tdvp, tvp, tcnp);
}
static inline int
VOP_OPEN(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	if (vp->v_op->vop_open == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_open(vp, fflags, cred);
}
static inline int
VOP_CLOSE(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	if (vp->v_op->vop_close == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_close(vp, fflags, cred);
}
static inline int
VOP_ACCESS(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	if (vp->v_op->vop_access == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_access(vp, accmode, cred);
}
static inline int
VOP_GETATTR(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	if (vp->v_op->vop_getattr == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_getattr(vp, vap, cred);
}
static inline int
VOP_READ(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	if (vp->v_op->vop_read == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_read(vp, uio, ioflag, cred);
}
static inline int
VOP_READDIR(struct vnode *vp, struct uio *uio, kauth_cred_t cred, int *eofflag)
{
	if (vp->v_op->vop_readdir == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_readdir(vp, uio, cred, eofflag);
}
static inline int
VOP_READLINK(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	if (vp->v_op->vop_readlink == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_readlink(vp, uio, cred);
}
static inline int
VOP_SETATTR(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	if (vp->v_op->vop_setattr == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_setattr(vp, vap, cred);
}
static inline int
VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	if (vp->v_op->vop_write == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_write(vp, uio, ioflag, cred);
}
static inline int
VOP_FSYNC(struct vnode *vp, kauth_cred_t cred, int flags, off_t lo, off_t hi)
{
	if (vp->v_op->vop_fsync == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_fsync(vp, cred, flags, lo, hi);
}
static inline int
VOP_BMAP(struct vnode *vp, int64_t lbn, struct vnode **vpp, int64_t *bnp, int *runp)
{
	if (vp->v_op->vop_bmap == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_bmap(vp, lbn, vpp, bnp, runp);
}
static inline int
VOP_STRATEGY(struct vnode *vp, struct buf *bp)
{
	if (vp->v_op->vop_strategy == NULL)
		return EOPNOTSUPP;
	return vp->v_op->vop_strategy(vp, bp);
}

void	vref(struct vnode *vp);
void	vrele(struct vnode *vp);
/* Find or load the vnode for key on mp; returned referenced. */
int	vcache_get(struct mount *mp, const void *key, size_t keylen,
	    struct vnode **vpp);
/* A vnode for a new object (create/mkdir/...): calls vfs_newvnode. */
int	vcache_new(struct mount *mp, struct vnode *dvp, struct vattr *vap,
	    kauth_cred_t cred, struct vnode **vpp);
/* Reclaim every unreferenced vnode of mp; EBUSY if any (other than
 * skipvp) is still referenced.  vfs_unmount calls it (twice: with the
 * root skipped, then after releasing the root): a file system's own
 * vfs_unmount op runs after every vnode of the mount is reclaimed. */
int	vflush(struct mount *mp, struct vnode *skipvp, int flags);
#define FORCECLOSE	0x01
/* Counts for statistics (kernfs) and leak checks. */
u_int	vnode_count(void);
/* Most unreferenced vnodes kept cached (LRU); beyond, the oldest go. */
#define VNODE_LRU_MAX	2048
u_int	vnode_lru_limit(u_int newmax);	/* 0: query; returns the old */

/* Status of a vnode for stat(2) (v_lock taken here). */
struct stat;
int	vn_stat(struct vnode *vp, struct stat *sb);
/* Kernel-internal read/write of a vnode (locks taken here); *residp
 * gets the bytes not moved (NULL: a short transfer is EIO). */
int	vn_rdwr(enum uio_rw rw, struct vnode *vp, void *base, size_t len,
	    off_t offset, int ioflag, kauth_cred_t cred, size_t *residp);

/* Locking helpers (sys/rwlock.h krw_t). */
void	vn_lock(struct vnode *vp, int op);	/* RW_READER/RW_WRITER */
void	vn_unlock(struct vnode *vp);

/* Standard permission check: file mode/uid/gid vs requested access. */
int	vaccess(enum vtype type, mode_t file_mode, uid_t uid, gid_t gid,
	    int accmode, kauth_cred_t cred);

/* Convert between vtype and the S_IF* bits of a mode. */
enum vtype iftovt(mode_t mode);
mode_t	vttoif(enum vtype type);

#endif /* _SYS_VNODE_H_ */
