/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/file.h: open files and descriptor tables (vfs/vfs_file.c,
 * vfs/vfs_descrip.c).
 *
 * A struct file is one open of an object: flags, offset, and the fileops
 * that implement it (vnodes here; sockets in the network issue plug in
 * their own fileops).  It is reference counted: each descriptor that
 * names it holds one, and so does every system call while it uses it
 * (fd_getfile / fd_putfile), so a close racing a read never frees the
 * file under the reader.
 *
 * Each process has a descriptor table (struct filedesc, p_fd) and a
 * current/root directory (struct cwdinfo, p_cwdi), made by the process
 * fork hook: RFFDG copies the parent's table, RFCFDG starts empty; proc0
 * gets them when the VFS starts.  Descriptors are the lowest free slot.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/kauth.h>
#include <sys/fcntl.h>

struct file;
struct uio;
struct stat;
struct vnode;

struct fileops {
	const char *fo_name;
	int	(*fo_read)(struct file *fp, off_t *offset, struct uio *uio,
		    kauth_cred_t cred, int flags);
	int	(*fo_write)(struct file *fp, off_t *offset, struct uio *uio,
		    kauth_cred_t cred, int flags);
	int	(*fo_ioctl)(struct file *fp, u_long cmd, void *data);
	int	(*fo_fcntl)(struct file *fp, u_int cmd, void *data);
	int	(*fo_poll)(struct file *fp, int events);
	int	(*fo_stat)(struct file *fp, struct stat *sb);
	int	(*fo_close)(struct file *fp);
	int	(*fo_seek)(struct file *fp, off_t delta, int whence,
		    off_t *newoffp);	/* NULL: ESPIPE */
};
/* flags for fo_read/fo_write */
#define FOF_UPDATE_OFFSET	0x01	/* use and advance f_offset */

struct file {
	kmutex_t		f_lock;		/* f_offset, f_flag */
	u_int			f_count;
	int			f_flag;		/* FREAD, FWRITE, O_* status */
	int			f_type;		/* DTYPE_* */
	const struct fileops	*f_ops;
	void			*f_data;	/* vnode, socket, ... */
	off_t			f_offset;
	kauth_cred_t		f_cred;
};

#define DTYPE_VNODE	1
#define DTYPE_SOCKET	2

/* f_flag: FREAD/FWRITE from the open mode, plus status flags */
#define FREAD		0x00000001
#define FWRITE		0x00000002
#define FMASK		(FREAD | FWRITE | O_APPEND | O_NONBLOCK | O_ASYNC | \
			    O_SYNC | O_DSYNC | O_RSYNC | O_DIRECT)
#define FCNTLFLAGS	(O_APPEND | O_NONBLOCK | O_ASYNC | O_SYNC | O_DSYNC | \
			    O_RSYNC | O_DIRECT)

int	file_alloc(struct file **fpp);	/* f_count 1, f_cred = caller's */
void	file_hold(struct file *fp);
/* Drop a reference; the last one calls fo_close (if f_ops is set: a file
 * whose setup failed is just freed) and frees the file. */
void	file_release(struct file *fp);

/* Descriptors of curproc. */
/* Lowest free descriptor >= minfd; the descriptor takes its OWN reference
 * on fp (the caller still releases its own).  EMFILE when full, EINVAL
 * for a bad minfd.  fdflags: FD_CLOEXEC. */
int	fd_alloc(struct file *fp, int minfd, int fdflags, int *fdp);
struct file *fd_getfile(int fd);	/* referenced, or NULL: EBADF */
void	fd_putfile(struct file *fp);
int	fd_close(int fd);
/* newfd names oldfd's file (closing what it named); EBADF for a bad fd. */
int	fd_dup2(int oldfd, int newfd, int fdflags);
int	fd_getflags(int fd, int *flagsp);	/* FD_CLOEXEC */
int	fd_setflags(int fd, int flags);
u_int	file_count(void);			/* open files, all processes */
#define FD_MAXFILES	4096		/* descriptors per process */

/* Current and root directory of curproc, referenced. */
struct vnode *cwd_get(void);
struct vnode *root_get(void);
void	cwd_set(struct vnode *vp);		/* consumes a reference */
mode_t	cwd_umask(void);
void	cwd_setumask(mode_t mask);

/* vnode fileops (vfs/vfs_vnops.c) */
extern const struct fileops vnops;
/*
 * Open a kernel path (relative to atdir, or the cwd when NULL).  fflags
 * is the file's flags: FREAD/FWRITE (not O_ACCMODE) plus open(2)'s other
 * O_* bits (O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW (ELOOP on
 * a symlink), ...); cmode the creation mode, used as given (the caller
 * applies the umask).  Checks access and calls VOP_OPEN(vp, fflags).
 * *vpp is returned referenced; the caller sets up the file (f_flag =
 * fflags & FMASK, f_type DTYPE_VNODE, f_ops &vnops, f_data vp) and its
 * close does VOP_CLOSE and vrele.
 */
int	vn_open(struct vnode *atdir, const char *path, int fflags,
	    mode_t cmode, struct vnode **vpp);

#endif /* _SYS_FILE_H_ */
