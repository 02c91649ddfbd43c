/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_descrip.c: per-process descriptor tables (p_fd) and current/root
 * directories and umask (p_cwdi), sys/file.h.
 *
 * A descriptor table is an array of (file, flags) slots that grows by
 * doubling up to FD_MAXFILES; a new descriptor is the lowest free slot
 * (fd_freehint remembers where the search may start).  Tables are
 * reference counted because rfork without RFFDG/RFCFDG shares the
 * parent's.  fd_lock guards a table; files are released after it is
 * dropped (their close may sleep).  The cwdinfo is always copied.
 *
 * Everything here works on curproc, except the *_proc_* hooks that
 * vfs_init.c runs for fork and exit.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define FD_INITFILES	32

/* ---- descriptor tables ------------------------------------------------------ */

static struct filedesc *
fd_table_alloc(int nfiles)
{
	struct filedesc *fdp;

	fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP);
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = nfiles;
	fdp->fd_ofiles = kmem_zalloc((size_t)nfiles * sizeof(struct fdent),
	    KM_SLEEP);
	return fdp;
}

static void
fd_table_free(struct filedesc *fdp)
{
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp->fd_ofiles, (size_t)fdp->fd_nfiles *
	    sizeof(struct fdent));
	kmem_free(fdp, sizeof(*fdp));
}

/*
 * Make room for descriptor fd: grow the table to a power of two above it.
 * Precondition: fd_lock held (dropped and retaken to allocate).
 */
static void
fd_table_grow(struct filedesc *fdp, int fd)
{
	struct fdent *nf, *of;
	int n, on;

	KASSERT(fd < FD_MAXFILES);
	while (fd >= fdp->fd_nfiles) {
		n = fdp->fd_nfiles;
		while (n <= fd)
			n *= 2;
		if (n > FD_MAXFILES)
			n = FD_MAXFILES;
		mutex_exit(&fdp->fd_lock);
		nf = kmem_zalloc((size_t)n * sizeof(*nf), KM_SLEEP);
		mutex_enter(&fdp->fd_lock);
		if (fdp->fd_nfiles >= n) {
			/* Someone grew it meanwhile. */
			mutex_exit(&fdp->fd_lock);
			kmem_free(nf, (size_t)n * sizeof(*nf));
			mutex_enter(&fdp->fd_lock);
			continue;
		}
		of = fdp->fd_ofiles;
		on = fdp->fd_nfiles;
		memcpy(nf, of, (size_t)on * sizeof(*of));
		fdp->fd_ofiles = nf;
		fdp->fd_nfiles = n;
		mutex_exit(&fdp->fd_lock);
		kmem_free(of, (size_t)on * sizeof(*of));
		mutex_enter(&fdp->fd_lock);
	}
}

static struct filedesc *
fd_curtable(void)
{
	struct filedesc *fdp = curproc->p_fd;

	KASSERT(fdp != NULL);
	return fdp;
}

int
fd_alloc(struct file *fp, int minfd, int fdflags, int *fdp_out)
{
	struct filedesc *fdp = fd_curtable();
	int fd;

	if (minfd < 0 || minfd >= FD_MAXFILES)
		return EINVAL;
	mutex_enter(&fdp->fd_lock);
	fd = MAX(minfd, fdp->fd_freehint);
	for (;;) {
		if (fd >= FD_MAXFILES) {
			mutex_exit(&fdp->fd_lock);
			return EMFILE;
		}
		if (fd >= fdp->fd_nfiles)
			fd_table_grow(fdp, fd);
		if (fdp->fd_ofiles[fd].fe_file == NULL)
			break;
		fd++;
	}
	file_hold(fp);
	fdp->fd_ofiles[fd].fe_file = fp;
	fdp->fd_ofiles[fd].fe_flags = fdflags & FD_CLOEXEC;
	if (minfd <= fdp->fd_freehint)
		fdp->fd_freehint = fd + 1;
	mutex_exit(&fdp->fd_lock);
	*fdp_out = fd;
	return 0;
}

struct file *
fd_getfile(int fd)
{
	struct filedesc *fdp = fd_curtable();
	struct file *fp = NULL;

	mutex_enter(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles) {
		fp = fdp->fd_ofiles[fd].fe_file;
		if (fp != NULL)
			file_hold(fp);
	}
	mutex_exit(&fdp->fd_lock);
	return fp;
}

void
fd_putfile(struct file *fp)
{
	file_release(fp);
}

/* Precondition: fd_lock held; fd valid.  Returns the file to release. */
static struct file *
fd_detach(struct filedesc *fdp, int fd)
{
	struct file *fp = fdp->fd_ofiles[fd].fe_file;

	fdp->fd_ofiles[fd].fe_file = NULL;
	fdp->fd_ofiles[fd].fe_flags = 0;
	if (fd < fdp->fd_freehint)
		fdp->fd_freehint = fd;
	return fp;
}

int
fd_close(int fd)
{
	struct filedesc *fdp = fd_curtable();
	struct file *fp;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd >= fdp->fd_nfiles ||
	    fdp->fd_ofiles[fd].fe_file == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fp = fd_detach(fdp, fd);
	mutex_exit(&fdp->fd_lock);
	file_release(fp);
	return 0;
}

int
fd_dup2(int oldfd, int newfd, int fdflags)
{
	struct filedesc *fdp = fd_curtable();
	struct file *fp, *ofp = NULL;

	if (newfd < 0 || newfd >= FD_MAXFILES)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (oldfd < 0 || oldfd >= fdp->fd_nfiles ||
	    fdp->fd_ofiles[oldfd].fe_file == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	if (newfd >= fdp->fd_nfiles) {
		fd_table_grow(fdp, newfd);
		/* The table may have changed while unlocked. */
		if (fdp->fd_ofiles[oldfd].fe_file == NULL) {
			mutex_exit(&fdp->fd_lock);
			return EBADF;
		}
	}
	fp = fdp->fd_ofiles[oldfd].fe_file;
	if (oldfd != newfd) {
		if (fdp->fd_ofiles[newfd].fe_file != NULL)
			ofp = fd_detach(fdp, newfd);
		file_hold(fp);
		fdp->fd_ofiles[newfd].fe_file = fp;
	}
	fdp->fd_ofiles[newfd].fe_flags = fdflags & FD_CLOEXEC;
	mutex_exit(&fdp->fd_lock);
	if (ofp != NULL)
		file_release(ofp);
	return 0;
}

int
fd_getflags(int fd, int *flagsp)
{
	struct filedesc *fdp = fd_curtable();
	int error = 0;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd >= fdp->fd_nfiles ||
	    fdp->fd_ofiles[fd].fe_file == NULL)
		error = EBADF;
	else
		*flagsp = fdp->fd_ofiles[fd].fe_flags;
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_setflags(int fd, int flags)
{
	struct filedesc *fdp = fd_curtable();
	int error = 0;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd >= fdp->fd_nfiles ||
	    fdp->fd_ofiles[fd].fe_file == NULL)
		error = EBADF;
	else
		fdp->fd_ofiles[fd].fe_flags = flags & FD_CLOEXEC;
	mutex_exit(&fdp->fd_lock);
	return error;
}

/* Close every descriptor of p's table (shared tables included). */
void
fd_closeall(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;
	int fd;

	if (fdp == NULL)
		return;
	mutex_enter(&fdp->fd_lock);
	for (fd = 0; fd < fdp->fd_nfiles; fd++) {
		if (fdp->fd_ofiles[fd].fe_file == NULL)
			continue;
		fp = fd_detach(fdp, fd);
		mutex_exit(&fdp->fd_lock);
		file_release(fp);
		mutex_enter(&fdp->fd_lock);
	}
	mutex_exit(&fdp->fd_lock);
}

/*
 * Fork hook: RFCFDG starts empty, RFFDG copies the parent's table (each
 * file gains a reference), neither shares it.  p_fd of the parent may be
 * NULL only for proc0 before the VFS is up (then empty).
 */
int
fd_proc_init(struct proc *p, struct proc *parent, int flags)
{
	struct filedesc *pfdp = parent != NULL ? parent->p_fd : NULL;
	struct filedesc *fdp;
	int fd, n;

	if (pfdp != NULL && (flags & (RFFDG | RFCFDG)) == 0) {
		mutex_enter(&pfdp->fd_lock);
		pfdp->fd_refcnt++;
		mutex_exit(&pfdp->fd_lock);
		p->p_fd = pfdp;
		return 0;
	}
	if (pfdp == NULL || (flags & RFCFDG)) {
		p->p_fd = fd_table_alloc(FD_INITFILES);
		return 0;
	}
	/* Copy: size the new table outside the parent's lock. */
	for (;;) {
		mutex_enter(&pfdp->fd_lock);
		n = pfdp->fd_nfiles;
		mutex_exit(&pfdp->fd_lock);
		fdp = fd_table_alloc(n);
		mutex_enter(&pfdp->fd_lock);
		if (pfdp->fd_nfiles == n)
			break;
		mutex_exit(&pfdp->fd_lock);
		fd_table_free(fdp);
	}
	for (fd = 0; fd < n; fd++) {
		fdp->fd_ofiles[fd] = pfdp->fd_ofiles[fd];
		if (fdp->fd_ofiles[fd].fe_file != NULL)
			file_hold(fdp->fd_ofiles[fd].fe_file);
	}
	fdp->fd_freehint = pfdp->fd_freehint;
	mutex_exit(&pfdp->fd_lock);
	p->p_fd = fdp;
	return 0;
}

/* Exit hook: drop p's share of its table; the last closes everything. */
void
fd_proc_exit(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	u_int left;

	if (fdp == NULL)
		return;
	mutex_enter(&fdp->fd_lock);
	left = --fdp->fd_refcnt;
	mutex_exit(&fdp->fd_lock);
	if (left == 0) {
		fd_closeall(p);
		fd_table_free(fdp);
	}
	p->p_fd = NULL;
}

/* ---- current and root directory, umask -------------------------------------- */

static struct cwdinfo *
cwd_cur(void)
{
	struct cwdinfo *cwdi = curproc->p_cwdi;

	KASSERT(cwdi != NULL);
	return cwdi;
}

static struct vnode *
cwd_getdir(bool root)
{
	struct cwdinfo *cwdi = cwd_cur();
	struct vnode *vp;

	mutex_enter(&cwdi->cwdi_lock);
	vp = root ? cwdi->cwdi_rdir : cwdi->cwdi_cdir;
	if (vp != NULL)
		vref(vp);
	mutex_exit(&cwdi->cwdi_lock);
	return vp;
}

struct vnode *
cwd_get(void)
{
	return cwd_getdir(false);
}

struct vnode *
root_get(void)
{
	return cwd_getdir(true);
}

void
cwd_set(struct vnode *vp)
{
	struct cwdinfo *cwdi = cwd_cur();
	struct vnode *ovp;

	mutex_enter(&cwdi->cwdi_lock);
	ovp = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = vp;
	mutex_exit(&cwdi->cwdi_lock);
	if (ovp != NULL)
		vrele(ovp);
}

mode_t
cwd_umask(void)
{
	struct cwdinfo *cwdi = cwd_cur();
	mode_t m;

	mutex_enter(&cwdi->cwdi_lock);
	m = cwdi->cwdi_cmask;
	mutex_exit(&cwdi->cwdi_lock);
	return m;
}

void
cwd_setumask(mode_t mask)
{
	struct cwdinfo *cwdi = cwd_cur();

	mutex_enter(&cwdi->cwdi_lock);
	cwdi->cwdi_cmask = mask & 0777;
	mutex_exit(&cwdi->cwdi_lock);
}

/* Fork hook: a copy of the parent's (empty for a parentless proc0). */
int
cwd_proc_init(struct proc *p, struct proc *parent)
{
	struct cwdinfo *cwdi, *pcwdi;

	cwdi = kmem_zalloc(sizeof(*cwdi), KM_SLEEP);
	mutex_init(&cwdi->cwdi_lock, MUTEX_DEFAULT, IPL_NONE);
	cwdi->cwdi_cmask = 022;
	pcwdi = parent != NULL ? parent->p_cwdi : NULL;
	if (pcwdi != NULL) {
		mutex_enter(&pcwdi->cwdi_lock);
		cwdi->cwdi_cdir = pcwdi->cwdi_cdir;
		cwdi->cwdi_rdir = pcwdi->cwdi_rdir;
		cwdi->cwdi_cmask = pcwdi->cwdi_cmask;
		if (cwdi->cwdi_cdir != NULL)
			vref(cwdi->cwdi_cdir);
		if (cwdi->cwdi_rdir != NULL)
			vref(cwdi->cwdi_rdir);
		mutex_exit(&pcwdi->cwdi_lock);
	}
	p->p_cwdi = cwdi;
	return 0;
}

void
cwd_proc_setroot(struct proc *p, struct vnode *rdir, struct vnode *cdir)
{
	struct cwdinfo *cwdi = p->p_cwdi;
	struct vnode *ordir, *ocdir;

	mutex_enter(&cwdi->cwdi_lock);
	ordir = cwdi->cwdi_rdir;
	ocdir = cwdi->cwdi_cdir;
	cwdi->cwdi_rdir = rdir;
	cwdi->cwdi_cdir = cdir;
	mutex_exit(&cwdi->cwdi_lock);
	if (ordir != NULL)
		vrele(ordir);
	if (ocdir != NULL)
		vrele(ocdir);
}

void
cwd_proc_exit(struct proc *p)
{
	struct cwdinfo *cwdi = p->p_cwdi;

	if (cwdi == NULL)
		return;
	cwd_proc_setroot(p, NULL, NULL);
	mutex_destroy(&cwdi->cwdi_lock);
	kmem_free(cwdi, sizeof(*cwdi));
	p->p_cwdi = NULL;
}
