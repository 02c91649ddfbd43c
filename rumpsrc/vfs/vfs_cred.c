/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_cred.c: credentials (sys/kauth.h) and the standard permission check
 * vaccess() (sys/vnode.h) that every file system applies.
 *
 * A credential is immutable once made and reference counted; processes
 * share their parent's (the fork hook in vfs_init.c takes a reference).
 * proc0's is root, made when the VFS starts.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/vnode.h>
#include <sys/stat.h>

#include "vfs_private.h"

kauth_cred_t
kauth_cred_alloc(uid_t uid, gid_t gid)
{
	kauth_cred_t cred;

	cred = kmem_zalloc(sizeof(*cred), KM_SLEEP);
	cred->cr_refcnt = 1;
	cred->cr_uid = uid;
	cred->cr_gid = gid;
	cred->cr_ngroups = 0;
	return cred;
}

void
kauth_cred_hold(kauth_cred_t cred)
{
	KASSERT(atomic_load_relaxed(&cred->cr_refcnt) > 0);
	atomic_inc_uint(&cred->cr_refcnt);
}

void
kauth_cred_free(kauth_cred_t cred)
{
	KASSERT(atomic_load_relaxed(&cred->cr_refcnt) > 0);
	if (atomic_dec_uint_nv(&cred->cr_refcnt) == 0)
		kmem_free(cred, sizeof(*cred));
}

bool
kauth_cred_groupmember(kauth_cred_t cred, gid_t gid)
{
	int i;

	if (cred->cr_gid == gid)
		return true;
	for (i = 0; i < cred->cr_ngroups; i++) {
		if (cred->cr_groups[i] == gid)
			return true;
	}
	return false;
}

/* Precondition: curlwp exists (a CPU is held); its process has a cred. */
kauth_cred_t
kauth_cred_get(void)
{
	struct proc *p = curproc;

	KASSERT(p->p_cred != NULL);
	return p->p_cred;
}

int
cred_proc0_init(void)
{
	proc0.p_cred = kauth_cred_alloc(0, 0);
	return 0;
}

void
cred_proc0_fini(void)
{
	kauth_cred_free(proc0.p_cred);
	proc0.p_cred = NULL;
}

/*
 * The classic check: root may do anything except execute a non-directory
 * with no execute bit at all; otherwise the owner bits apply to the owner,
 * the group bits to group members, the other bits to everyone else (the
 * first class that matches decides, even if a later one would allow).
 */
int
vaccess(enum vtype type, mode_t file_mode, uid_t uid, gid_t gid,
    int accmode, kauth_cred_t cred)
{
	mode_t granted;

	if (cred->cr_uid == 0) {
		if ((accmode & VEXEC) && type != VDIR &&
		    (file_mode & 0111) == 0)
			return EACCES;
		return 0;
	}
	if (cred->cr_uid == uid)
		granted = (file_mode >> 6) & 7;
	else if (kauth_cred_groupmember(cred, gid))
		granted = (file_mode >> 3) & 7;
	else
		granted = file_mode & 7;
	/* VREAD/VWRITE/VEXEC are the owner bits: 0400, 0200, 0100. */
	if (((accmode >> 6) & ~granted & 7) != 0)
		return EACCES;
	return 0;
}
