/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_file.c: open files, struct file (sys/file.h).
 *
 * A file is reference counted: each descriptor naming it holds one and
 * so does every system call using it (fd_getfile/fd_putfile).  The last
 * release closes it through its fileops and frees it, so a close racing
 * a read finishes only when the read is done with the file.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mutex.h>

#include "vfs_private.h"

static u_int file_nfiles;

int
file_init(void)
{
	file_nfiles = 0;
	return 0;
}

void
file_fini(void)
{
	if (file_nfiles != 0)
		printf("vfs: %u open file(s) left at shutdown\n", file_nfiles);
}

u_int
file_count(void)
{
	return atomic_load_relaxed(&file_nfiles);
}

/* Precondition: a CPU is held (the caller's credential is taken). */
int
file_alloc(struct file **fpp)
{
	struct file *fp;

	fp = kmem_zalloc(sizeof(*fp), KM_SLEEP);
	mutex_init(&fp->f_lock, MUTEX_DEFAULT, IPL_NONE);
	fp->f_count = 1;
	fp->f_cred = kauth_cred_get();
	kauth_cred_hold(fp->f_cred);
	atomic_inc_uint(&file_nfiles);
	*fpp = fp;
	return 0;
}

/* Precondition: the caller holds a reference. */
void
file_hold(struct file *fp)
{
	KASSERT(atomic_load_relaxed(&fp->f_count) > 0);
	atomic_inc_uint(&fp->f_count);
}

void
file_release(struct file *fp)
{
	int error;

	KASSERT(atomic_load_relaxed(&fp->f_count) > 0);
	if (atomic_dec_uint_nv(&fp->f_count) != 0)
		return;
	if (fp->f_ops != NULL && fp->f_ops->fo_close != NULL) {
		error = fp->f_ops->fo_close(fp);
		if (error != 0)
			printf("vfs: closing a %s file: error %d\n",
			    fp->f_ops->fo_name, error);
	}
	kauth_cred_free(fp->f_cred);
	mutex_destroy(&fp->f_lock);
	kmem_free(fp, sizeof(*fp));
	atomic_dec_uint(&file_nfiles);
}
