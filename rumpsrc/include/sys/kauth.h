/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/kauth.h: credentials (vfs/vfs_cred.c).
 *
 * A credential is immutable once made and reference counted.  Every
 * process has one (p_cred); proc0's is root.  Permission checks on file
 * system objects go through vaccess() so that every file system applies
 * the same rules (root passes everything but execute without any x bit).
 */
#ifndef _SYS_KAUTH_H_
#define _SYS_KAUTH_H_

#include <sys/types.h>

#define NGROUPS_MAX	16

typedef struct kauth_cred {
	u_int	cr_refcnt;
	uid_t	cr_uid;
	gid_t	cr_gid;
	int	cr_ngroups;
	gid_t	cr_groups[NGROUPS_MAX];
} *kauth_cred_t;

kauth_cred_t kauth_cred_alloc(uid_t uid, gid_t gid);
void	kauth_cred_hold(kauth_cred_t cred);
void	kauth_cred_free(kauth_cred_t cred);
bool	kauth_cred_groupmember(kauth_cred_t cred, gid_t gid);
kauth_cred_t kauth_cred_get(void);	/* curlwp's process credential */

#endif /* _SYS_KAUTH_H_ */
