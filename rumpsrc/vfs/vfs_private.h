/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_private.h: declarations shared only by the files of rumpsrc/vfs
 * (the VFS core and the system calls).  The public contract is in
 * include/sys/{vnode,mount,namei,file,uio,kauth}.h; what is here is the
 * plumbing between vfs_init.c (boot and shutdown of the VFS) and the
 * files it starts, plus the per-process structures behind p_fd/p_cwdi.
 */
#ifndef _VFS_PRIVATE_H_
#define _VFS_PRIVATE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

struct proc;
struct vnode;
struct file;

/* vfs_vnode.c: the vnode cache. */
int	vcache_init(void);
void	vcache_fini(void);		/* every vnode must be gone */

/* vfs_mount.c: file system types and the mount table. */
int	mount_init(void);
void	mount_fini(void);
/* Unmount everything, newest first, the root last (rootfs fini). */
void	mount_unmount_all(void);

/* vfs_file.c */
int	file_init(void);
void	file_fini(void);

/* vfs_bio.c: the buffer cache. */
int	bio_init(void);
void	bio_fini(void);

/* vfs_descrip.c: per-process descriptor tables and directories. */
struct fdent {
	struct file	*fe_file;
	int		fe_flags;	/* FD_CLOEXEC */
};

struct filedesc {
	kmutex_t	fd_lock;	/* everything below */
	u_int		fd_refcnt;	/* processes sharing the table */
	int		fd_nfiles;	/* slots in fd_ofiles */
	int		fd_freehint;	/* no free slot below this */
	struct fdent	*fd_ofiles;
};

struct cwdinfo {
	kmutex_t	cwdi_lock;	/* everything below */
	struct vnode	*cwdi_cdir;	/* current directory, referenced */
	struct vnode	*cwdi_rdir;	/* root directory, referenced */
	mode_t		cwdi_cmask;	/* umask */
};

/* Hooks of vfs_init.c's proc_hooks (and proc0's setup/teardown). */
int	fd_proc_init(struct proc *p, struct proc *parent, int flags);
void	fd_proc_exit(struct proc *p);
int	cwd_proc_init(struct proc *p, struct proc *parent);
void	cwd_proc_exit(struct proc *p);
/* Set p's root and current directory (each consumes a reference). */
void	cwd_proc_setroot(struct proc *p, struct vnode *rdir,
	    struct vnode *cdir);
/* Close every descriptor of p (rootfs fini for proc0). */
void	fd_closeall(struct proc *p);

/* vfs_cred.c: proc0's credential. */
int	cred_proc0_init(void);
void	cred_proc0_fini(void);

#endif /* _VFS_PRIVATE_H_ */
