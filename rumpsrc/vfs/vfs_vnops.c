/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_vnops.c: files that are vnodes: vn_open and the vnode fileops
 * (read, write, stat, seek, close...), plus vn_stat and vn_rdwr for the
 * system calls and the kernel's own use.
 *
 * Locking: reads and readdir take the vnode's v_lock as reader, writes as
 * writer; the file offset (f_offset, when FOF_UPDATE_OFFSET) is read and
 * advanced inside that section, so writes through one file never overlap
 * and O_APPEND writes land whole at the end.  Concurrent reads through
 * the same file may read the same offset (as they may on NetBSD).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filio.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

static int
vn_ioflag(int fflag)
{
	int ioflag = 0;

	if (fflag & O_APPEND)
		ioflag |= IO_APPEND;
	if (fflag & (O_SYNC | O_DSYNC))
		ioflag |= IO_SYNC;
	if (fflag & O_NONBLOCK)
		ioflag |= IO_NDELAY;
	return ioflag;
}

static int
vn_read(struct file *fp, off_t *offset, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	struct vnode *vp = fp->f_data;
	int error;

	if ((fp->f_flag & FREAD) == 0)
		return EBADF;
	if (vp->v_type == VDIR)
		return EISDIR;
	vn_lock(vp, RW_READER);
	mutex_enter(&fp->f_lock);
	uio->uio_offset = *offset;
	mutex_exit(&fp->f_lock);
	error = VOP_READ(vp, uio, vn_ioflag(fp->f_flag), cred);
	if (flags & FOF_UPDATE_OFFSET) {
		mutex_enter(&fp->f_lock);
		*offset = uio->uio_offset;
		mutex_exit(&fp->f_lock);
	}
	vn_unlock(vp);
	return error;
}

static int
vn_write(struct file *fp, off_t *offset, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	struct vnode *vp = fp->f_data;
	int error;

	if ((fp->f_flag & FWRITE) == 0)
		return EBADF;
	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return EROFS;
	vn_lock(vp, RW_WRITER);
	mutex_enter(&fp->f_lock);
	uio->uio_offset = *offset;
	mutex_exit(&fp->f_lock);
	error = VOP_WRITE(vp, uio, vn_ioflag(fp->f_flag), cred);
	if (flags & FOF_UPDATE_OFFSET) {
		mutex_enter(&fp->f_lock);
		*offset = uio->uio_offset;
		mutex_exit(&fp->f_lock);
	}
	vn_unlock(vp);
	return error;
}

/*
 * FIONREAD on regular files and directories: the bytes between the file
 * offset and the end (0 past the end, INT_MAX at most).  The descriptor
 * layer (sys_ioctl.c) answers FIONBIO/FIOCLEX itself; anything else, and
 * any command on other vnode types, is ENOTTY.  No locks held.
 */
static int
vn_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t off, left;
	int error, n;

	if (cmd != FIONREAD || (vp->v_type != VREG && vp->v_type != VDIR))
		return ENOTTY;
	vattr_null(&va);
	vn_lock(vp, RW_READER);
	error = VOP_GETATTR(vp, &va, kauth_cred_get());
	vn_unlock(vp);
	if (error != 0)
		return error;
	mutex_enter(&fp->f_lock);
	off = fp->f_offset;
	mutex_exit(&fp->f_lock);
	left = (off_t)va.va_size > off ? (off_t)va.va_size - off : 0;
	n = left > __INT_MAX__ ? __INT_MAX__ : (int)left;
	memcpy(data, &n, sizeof(n));
	return 0;
}

/* Status flags are kept in f_flag by the caller; nothing to do here. */
static int
vn_fcntl(struct file *fp, u_int cmd, void *data)
{
	return cmd == F_SETFL ? 0 : EINVAL;
}

/* Regular files and directories are always ready. */
static int
vn_poll(struct file *fp, int events)
{
	return events;
}

/* Precondition: no locks held. */
int
vn_stat(struct vnode *vp, struct stat *sb)
{
	struct vattr va;
	int error;

	vattr_null(&va);
	vn_lock(vp, RW_READER);
	error = VOP_GETATTR(vp, &va, kauth_cred_get());
	vn_unlock(vp);
	if (error != 0)
		return error;
	memset(sb, 0, sizeof(*sb));
	sb->st_dev = va.va_fsid;
	sb->st_ino = va.va_fileid;
	sb->st_mode = (va.va_mode & ALLPERMS) | vttoif(va.va_type);
	sb->st_nlink = va.va_nlink;
	sb->st_uid = va.va_uid;
	sb->st_gid = va.va_gid;
	sb->st_rdev = va.va_rdev;
	sb->st_atimespec = va.va_atime;
	sb->st_mtimespec = va.va_mtime;
	sb->st_ctimespec = va.va_ctime;
	sb->st_birthtimespec = va.va_birthtime;
	sb->st_size = va.va_size;
	sb->st_blocks = va.va_bytes >= 0 ? (va.va_bytes + 511) / 512 : 0;
	sb->st_blksize = va.va_blocksize;
	sb->st_flags = va.va_flags;
	sb->st_gen = va.va_gen;
	return 0;
}

static int
vn_fo_stat(struct file *fp, struct stat *sb)
{
	return vn_stat(fp->f_data, sb);
}

static int
vn_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;
	int error;

	if (vp == NULL)
		return 0;
	error = VOP_CLOSE(vp, fp->f_flag, fp->f_cred);
	if (error == EOPNOTSUPP)
		error = 0;
	vrele(vp);
	fp->f_data = NULL;
	return error;
}

static int
vn_seek(struct file *fp, off_t delta, int whence, off_t *newoffp)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t base, newoff;
	int error;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		mutex_enter(&fp->f_lock);
		base = fp->f_offset;
		mutex_exit(&fp->f_lock);
		break;
	case SEEK_END:
		vattr_null(&va);
		vn_lock(vp, RW_READER);
		error = VOP_GETATTR(vp, &va, fp->f_cred);
		vn_unlock(vp);
		if (error != 0)
			return error;
		base = va.va_size;
		break;
	default:
		return EINVAL;
	}
	if (__builtin_add_overflow(base, delta, &newoff))
		return EOVERFLOW;
	if (newoff < 0)
		return EINVAL;
	mutex_enter(&fp->f_lock);
	fp->f_offset = newoff;
	mutex_exit(&fp->f_lock);
	*newoffp = newoff;
	return 0;
}

const struct fileops vnops = {
	.fo_name = "vnode",
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_fcntl = vn_fcntl,
	.fo_poll = vn_poll,
	.fo_stat = vn_fo_stat,
	.fo_close = vn_close,
	.fo_seek = vn_seek,
};

/* Precondition: no locks held. */
int
vn_rdwr(enum uio_rw rw, struct vnode *vp, void *base, size_t len,
    off_t offset, int ioflag, kauth_cred_t cred, size_t *residp)
{
	struct iovec iov;
	struct uio uio;
	int error;

	iov.iov_base = base;
	iov.iov_len = len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = offset;
	uio.uio_resid = len;
	uio.uio_rw = rw;
	uio.uio_segflg = UIO_SYSSPACE;
	if (rw == UIO_READ) {
		vn_lock(vp, RW_READER);
		error = VOP_READ(vp, &uio, ioflag, cred);
	} else {
		vn_lock(vp, RW_WRITER);
		error = VOP_WRITE(vp, &uio, ioflag, cred);
	}
	vn_unlock(vp);
	if (residp != NULL)
		*residp = uio.uio_resid;
	else if (error == 0 && uio.uio_resid != 0)
		error = EIO;
	return error;
}

/* ---- vn_open ------------------------------------------------------------------ */

/*
 * Create the regular file named by the lookup (parent dvp, name in cnp)
 * unless it appeared meanwhile.  Returns the vnode (created or found)
 * referenced, *created telling which.
 */
static int
vn_create(struct vnode *dvp, struct componentname *cnp, mode_t cmode,
    struct vnode **vpp, bool *created)
{
	struct mount *mp = dvp->v_mount;
	struct vattr va;
	int error;

	*created = false;
	rw_enter(&mp->mnt_nslock, RW_WRITER);
	error = VOP_LOOKUP(dvp, vpp, cnp);
	if (error != ENOENT)
		goto out_unlock;	/* found (0) or failed */
	if (mp->mnt_flag & MNT_RDONLY) {
		error = EROFS;
		goto out_unlock;
	}
	vn_lock(dvp, RW_READER);
	error = VOP_ACCESS(dvp, VWRITE, cnp->cn_cred);
	vn_unlock(dvp);
	if (error != 0)
		goto out_unlock;
	vattr_null(&va);
	va.va_type = VREG;
	va.va_mode = cmode & ALLPERMS;
	error = VOP_CREATE(dvp, vpp, cnp, &va);
	if (error == 0)
		*created = true;
out_unlock:
	rw_exit(&mp->mnt_nslock);
	return error;
}

/* Permission to open vp with fflags (and truncate). */
static int
vn_openaccess(struct vnode *vp, int fmode, int fflags, kauth_cred_t cred)
{
	int accmode = 0, error;

	if (fflags & FREAD)
		accmode |= VREAD;
	if ((fflags & FWRITE) || (fmode & O_TRUNC))
		accmode |= VWRITE;
	if ((accmode & VWRITE) && (vp->v_mount->mnt_flag & MNT_RDONLY) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	if (accmode == 0)
		return 0;
	vn_lock(vp, RW_READER);
	error = VOP_ACCESS(vp, accmode, cred);
	vn_unlock(vp);
	return error;
}

static int
vn_truncate0(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	vattr_null(&va);
	va.va_size = 0;
	vn_lock(vp, RW_WRITER);
	error = VOP_SETATTR(vp, &va, cred);
	vn_unlock(vp);
	return error;
}

/* Precondition: no locks held.  See sys/file.h. */
int
vn_open(struct vnode *atdir, const char *path, int fflags, mode_t cmode,
    struct vnode **vpp)
{
	struct nameidata nd;
	kauth_cred_t cred = kauth_cred_get();
	struct vnode *vp;
	bool created = false;
	int fmode = fflags, error;

	memset(&nd, 0, sizeof(nd));
	nd.ni_path = path;
	nd.ni_atdir = atdir;
	if (fmode & O_CREAT) {
		nd.ni_flags = NI_WANTPARENT | NI_LASTMAYBEMISSING;
		if ((fmode & (O_EXCL | O_NOFOLLOW)) == 0)
			nd.ni_flags |= NI_FOLLOW;
	} else {
		nd.ni_flags = (fmode & O_NOFOLLOW) ? 0 : NI_FOLLOW;
	}
	error = namei(&nd);
	if (error != 0)
		return error;

	if (fmode & O_CREAT) {
		if (nd.ni_vp == NULL) {
			error = vn_create(nd.ni_dvp, &nd.ni_cnd, cmode,
			    &nd.ni_vp, &created);
			if (error != 0)
				goto out_done;
			if (!created && (fmode & O_EXCL)) {
				error = EEXIST;
				goto out_done;
			}
		} else if (fmode & O_EXCL) {
			error = EEXIST;
			goto out_done;
		}
	}
	vp = nd.ni_vp;

	if (vp->v_type == VLNK) {
		/*
		 * O_NOFOLLOW met a symlink: EFTYPE, as NetBSD answers.  A
		 * symlink that appeared under O_CREAT (not followed) is ELOOP.
		 */
		error = (fmode & O_NOFOLLOW) ? EFTYPE : ELOOP;
		goto out_done;
	}
	if ((fmode & O_DIRECTORY) && vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out_done;
	}
	if (vp->v_type == VDIR &&
	    ((fflags & FWRITE) || (fmode & (O_TRUNC | O_CREAT)))) {
		error = EISDIR;
		goto out_done;
	}
	if (vp->v_type == VSOCK) {
		error = EOPNOTSUPP;
		goto out_done;
	}
	if (!created) {
		error = vn_openaccess(vp, fmode, fflags, cred);
		if (error != 0)
			goto out_done;
	}
	error = VOP_OPEN(vp, fflags, cred);
	if (error == EOPNOTSUPP)
		error = 0;
	if (error != 0)
		goto out_done;
	if ((fmode & O_TRUNC) && (fflags & FWRITE) && vp->v_type == VREG &&
	    !created) {
		error = vn_truncate0(vp, cred);
		if (error != 0) {
			(void)VOP_CLOSE(vp, fflags, cred);
			goto out_done;
		}
	}
	nd.ni_vp = NULL;	/* ours now */
	*vpp = vp;
out_done:
	namei_done(&nd);
	return error;
}
