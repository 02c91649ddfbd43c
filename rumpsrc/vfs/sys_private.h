/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_private.h: what the file system call files (vfs/sys_*.c) share.
 *
 * Each sys_*.c file holds a group of system calls, their NetBSD-layout
 * argument structures, a table of them by NetBSD number and the public
 * rump_sys_* wrappers.  sys_util.c registers every table in one component
 * ("sys_vfs") and holds the helpers declared here.  Nothing outside the
 * sys_*.c files includes this header.
 */
#ifndef _VFS_SYS_PRIVATE_H_
#define _VFS_SYS_PRIVATE_H_

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/kauth.h>

struct file;
struct nameidata;
struct stat;
struct vattr;
struct vnode;

/*
 * System call arguments: one register-sized slot per argument, the value
 * at the slot's start (the little-endian layout of NetBSD's syscallarg()),
 * as kern/kern_syscall.c uses for the foundation calls.
 */
#define SYSARG(type, name)	union { register_t pad_; type val; } name
#define SCARG(uap, name)	((uap)->name.val)

/* The tables of the sys_*.c files, registered by sys_util.c. */
struct sys_vfs_tableref {
	const struct rump_sysent	*st_table;
	size_t				st_n;
};
extern const struct sys_vfs_tableref sys_open_tables;
extern const struct sys_vfs_tableref sys_rw_tables;
extern const struct sys_vfs_tableref sys_fd_tables;
extern const struct sys_vfs_tableref sys_path_tables;
extern const struct sys_vfs_tableref sys_attr_tables;
extern const struct sys_vfs_tableref sys_dir_tables;
extern const struct sys_vfs_tableref sys_mount_tables;
extern const struct sys_vfs_tableref sys_ioctl_tables;

/*
 * Copy the caller's path into a fresh kmem buffer of MAXPATHLEN bytes:
 * EFAULT for a bad pointer, ENAMETOOLONG if it does not fit, ENOENT for
 * an empty path.  Free with sys_path_free.
 */
int	sys_path_get(const char *upath, char **kpathp);
void	sys_path_free(char *kpath);

/* EFAULT unless [ubuf, ubuf + len) is a plausible caller buffer. */
int	sys_check_ubuf(const void *ubuf, size_t len);

/*
 * Look a caller's path up: namei with flags (NI_*) relative to atdir
 * (NULL: the current directory).  On success nd holds the result (free it
 * with sys_lookup_done); on error nothing is held.
 */
int	sys_lookup(const char *upath, int flags, struct vnode *atdir,
	    struct nameidata *nd);
void	sys_lookup_done(struct nameidata *nd);

/*
 * The vnode of descriptor fd, referenced (vref), for calls that work on
 * the object behind a descriptor: EBADF if fd is not open, EINVAL if it
 * is not a vnode.  If fpp is not NULL the file stays held too (release
 * with fd_putfile); else it is released before return.
 */
int	sys_fd_vnode(int fd, struct vnode **vpp, struct file **fpp);

/*
 * The directory for an *at call: NULL for AT_FDCWD or an absolute path,
 * else the directory vnode of dirfd, referenced (EBADF, ENOTDIR).
 */
int	sys_at_dir(int dirfd, const char *kpath, struct vnode **dvpp);

/* VOP_ACCESS under the vnode's v_lock as reader. */
int	sys_vn_access(struct vnode *vp, int accmode, kauth_cred_t cred);

/* EROFS if vp's mount is read-only. */
int	sys_vn_writable_mount(struct vnode *vp);

#endif /* _VFS_SYS_PRIVATE_H_ */
