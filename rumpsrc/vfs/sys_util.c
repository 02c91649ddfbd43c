/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_util.c: the component that registers the file system calls, and the
 * helpers the sys_*.c files share (sys_private.h): copying paths in,
 * looking them up, finding the vnode behind a descriptor, attributes.
 *
 * The component "sys_vfs" (level RUMP_COMPONENT_KERN_VFS) establishes the
 * tables of every sys_*.c file by NetBSD system call number, so that
 * remote clients going through the hyp_syscall upcall reach the same code
 * as the local rump_sys_* wrappers (which call the handlers directly
 * through rsys_call).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kmem.h>
/* vnode.h first: it declares struct mount, which mount.h uses unannounced */
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "sys_private.h"

static const struct sys_vfs_tableref *const sysvfs_tables[] = {
	&sys_open_tables,
	&sys_rw_tables,
	&sys_fd_tables,
	&sys_path_tables,
	&sys_attr_tables,
	&sys_dir_tables,
	&sys_mount_tables,
	&sys_ioctl_tables,
};

static int
sysvfs_init(void)
{
	size_t i;
	int error;

	for (i = 0; i < __arraycount(sysvfs_tables); i++) {
		error = syscall_establish(sysvfs_tables[i]->st_table,
		    sysvfs_tables[i]->st_n);
		if (error != 0)
			goto err_disestablish;
	}
	return 0;

err_disestablish:
	printf("sys_vfs: cannot register system call table %zu: error %d\n",
	    i, error);
	while (i-- > 0)
		syscall_disestablish(sysvfs_tables[i]->st_table,
		    sysvfs_tables[i]->st_n);
	return error;
}

static void
sysvfs_fini(void)
{
	size_t i = __arraycount(sysvfs_tables);

	while (i-- > 0)
		syscall_disestablish(sysvfs_tables[i]->st_table,
		    sysvfs_tables[i]->st_n);
}

RUMP_COMPONENT(sys_vfs, RUMP_COMPONENT_KERN_VFS, sysvfs_init, sysvfs_fini);

/* ---- paths -------------------------------------------------------------- */

int
sys_path_get(const char *upath, char **kpathp)
{
	char *kpath;
	size_t done;
	int error;

	kpath = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	error = copyinstr(upath, kpath, MAXPATHLEN, &done);
	if (error != 0)
		goto err_free;
	if (kpath[0] == '\0') {
		error = ENOENT;
		goto err_free;
	}
	*kpathp = kpath;
	return 0;

err_free:
	kmem_free(kpath, MAXPATHLEN);
	return error;
}

void
sys_path_free(char *kpath)
{
	kmem_free(kpath, MAXPATHLEN);
}

int
sys_lookup(const char *upath, int flags, struct vnode *atdir,
    struct nameidata *nd)
{
	char *kpath;
	int error;

	error = sys_path_get(upath, &kpath);
	if (error != 0)
		return error;
	memset(nd, 0, sizeof(*nd));
	nd->ni_path = kpath;
	nd->ni_flags = flags;
	nd->ni_atdir = atdir;
	error = namei(nd);
	if (error != 0) {
		sys_path_free(kpath);
		return error;
	}
	return 0;
}

/* Precondition: nd came from a successful sys_lookup. */
void
sys_lookup_done(struct nameidata *nd)
{
	char *kpath = (char *)(uintptr_t)nd->ni_path;

	namei_done(nd);
	sys_path_free(kpath);
}

/*
 * The whole of a caller's buffer must be plausible before a transfer
 * starts: a transfer may touch only part of it (a short read), and a
 * range that wraps is an error whatever is moved.  The same rule as
 * copyin/copyout apply per copy (vfs_uio.c): no NULL, nothing in the low
 * page, no wrap.  An empty buffer is always fine.
 */
#define SYS_UADDR_LOW	4096UL

int
sys_check_ubuf(const void *ubuf, size_t len)
{
	uintptr_t a = (uintptr_t)ubuf;

	if (len == 0)
		return 0;
	if (a < SYS_UADDR_LOW || a + len - 1 < a)
		return EFAULT;
	return 0;
}

/* ---- descriptors -------------------------------------------------------- */

int
sys_fd_vnode(int fd, struct vnode **vpp, struct file **fpp)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE || fp->f_data == NULL) {
		fd_putfile(fp);
		return EINVAL;
	}
	*vpp = fp->f_data;
	vref(*vpp);
	if (fpp != NULL)
		*fpp = fp;
	else
		fd_putfile(fp);
	return 0;
}

int
sys_at_dir(int dirfd, const char *kpath, struct vnode **dvpp)
{
	struct vnode *vp;
	int error;

	*dvpp = NULL;
	if (dirfd == AT_FDCWD || kpath[0] == '/')
		return 0;
	error = sys_fd_vnode(dirfd, &vp, NULL);
	if (error != 0)
		return error == EINVAL ? ENOTDIR : error;
	if (vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	*dvpp = vp;
	return 0;
}

/* ---- attributes --------------------------------------------------------- */

int
sys_vn_access(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	int error;

	vn_lock(vp, RW_READER);
	error = VOP_ACCESS(vp, accmode, cred);
	vn_unlock(vp);
	return error;
}

int
sys_vn_writable_mount(struct vnode *vp)
{
	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MNT_RDONLY))
		return EROFS;
	return 0;
}
