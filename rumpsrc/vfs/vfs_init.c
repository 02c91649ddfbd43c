/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs_init.c: the VFS component: brings up the vnode cache, the mount
 * table, the file layer and the buffer cache, gives proc0 its credential
 * (root), descriptor table and directories, and registers the process
 * hooks that give every new process the same (fork: RFFDG copies the
 * parent's descriptors, RFCFDG starts empty, neither shares them; the
 * credential is shared, the directories copied) and take them away at
 * exit (every descriptor closed, directories released).
 *
 * Runs at RUMP_COMPONENT_KERN_VFS, before the file systems register
 * (RUMP_COMPONENT_VFS) and the root is mounted (vfs_rootfs.c,
 * RUMP_COMPONENT_POSTINIT).  Its fini runs after those have gone, so by
 * then every mount, vnode and file must be gone; what is left is
 * reported.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/vnode.h>

#include "vfs_private.h"

static int
vfs_proc_fork(struct proc *child, struct proc *parent, int flags)
{
	int error;

	child->p_cred = parent->p_cred;
	kauth_cred_hold(child->p_cred);
	error = fd_proc_init(child, parent, flags);
	if (error != 0)
		goto err_free_cred;
	error = cwd_proc_init(child, parent);
	if (error != 0)
		goto err_fd_exit;
	return 0;

err_fd_exit:
	fd_proc_exit(child);
err_free_cred:
	kauth_cred_free(child->p_cred);
	child->p_cred = NULL;
	return error;
}

/* The last lwp of p is gone; so must be its files and directories. */
static void
vfs_proc_exit(struct proc *p)
{
	fd_proc_exit(p);
	cwd_proc_exit(p);
	if (p->p_cred != NULL) {
		kauth_cred_free(p->p_cred);
		p->p_cred = NULL;
	}
}

static const struct proc_hooks vfs_proc_hooks = {
	.ph_fork = vfs_proc_fork,
	.ph_exit = vfs_proc_exit,
};

static int
vfs_init(void)
{
	int error;

	error = vcache_init();
	if (error != 0)
		return error;
	error = mount_init();
	if (error != 0)
		goto err_vcache_fini;
	error = file_init();
	if (error != 0)
		goto err_mount_fini;
	error = bio_init();
	if (error != 0)
		goto err_file_fini;
	error = cred_proc0_init();
	if (error != 0)
		goto err_bio_fini;
	error = fd_proc_init(&proc0, NULL, RFCFDG);
	if (error != 0)
		goto err_cred_fini;
	error = cwd_proc_init(&proc0, NULL);
	if (error != 0)
		goto err_fd_exit;
	proc_hooks_register(&vfs_proc_hooks);
	return 0;

err_fd_exit:
	fd_proc_exit(&proc0);
err_cred_fini:
	cred_proc0_fini();
err_bio_fini:
	bio_fini();
err_file_fini:
	file_fini();
err_mount_fini:
	mount_fini();
err_vcache_fini:
	vcache_fini();
	return error;
}

static void
vfs_fini(void)
{
	proc_hooks_unregister(&vfs_proc_hooks);
	/* Normally done by rootfs's fini already; harmless twice. */
	fd_closeall(&proc0);
	cwd_proc_setroot(&proc0, NULL, NULL);
	mount_unmount_all();
	cwd_proc_exit(&proc0);
	fd_proc_exit(&proc0);
	cred_proc0_fini();
	bio_fini();
	file_fini();
	mount_fini();
	vcache_fini();
}

RUMP_COMPONENT(vfs, RUMP_COMPONENT_KERN_VFS, vfs_init, vfs_fini);
