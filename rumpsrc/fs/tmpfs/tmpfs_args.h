/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs_args.h: the mount arguments of tmpfs as the kernel sees them
 * (NetBSD's layout).  The public copy is struct rump_tmpfs_args in
 * rump/rumpdefs.h; the VFS system call layer checks at compile time that
 * both agree.  Passed as the data of vfs_mount_at()/mount(2) with
 * data_len == sizeof(struct tmpfs_args); data == NULL means "defaults"
 * (no size or node limit, root owned by uid 0 gid 0 with mode 0755).
 *
 * Users: fs/tmpfs (parses it), the VFS root mount and mount(2).
 */
#ifndef _FS_TMPFS_TMPFS_ARGS_H_
#define _FS_TMPFS_TMPFS_ARGS_H_

#include <sys/types.h>

#define TMPFS_ARGS_VERSION	1

struct tmpfs_args {
	int		ta_version;	/* TMPFS_ARGS_VERSION */
	/* Limits; 0 means "none". */
	uint64_t	ta_nodes_max;	/* files, directories, links... */
	int64_t		ta_size_max;	/* bytes: data pages and metadata */
	/* Attributes of the root directory. */
	uint32_t	ta_root_uid;
	uint32_t	ta_root_gid;
	uint32_t	ta_root_mode;	/* permission bits (07777) */
};

/* NetBSD's LP64 layout, which struct rump_tmpfs_args copies. */
__CTASSERT(offsetof(struct tmpfs_args, ta_nodes_max) == 8);
__CTASSERT(offsetof(struct tmpfs_args, ta_size_max) == 16);
__CTASSERT(offsetof(struct tmpfs_args, ta_root_uid) == 24);
__CTASSERT(offsetof(struct tmpfs_args, ta_root_mode) == 32);
__CTASSERT(sizeof(struct tmpfs_args) == 40);

#endif /* _FS_TMPFS_TMPFS_ARGS_H_ */
