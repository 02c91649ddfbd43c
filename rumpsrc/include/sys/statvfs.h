/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/statvfs.h: file system statistics, in NetBSD's layout (the public
 * copy is struct rump_statvfs in rump/rumpdefs.h; a compile-time check in
 * vfs/ keeps the two identical).
 */
#ifndef _SYS_STATVFS_H_
#define _SYS_STATVFS_H_

#include <sys/types.h>

#define _VFS_NAMELEN	32
#define _VFS_MNAMELEN	1024

typedef struct { int32_t __fsid_val[2]; } fsid_t;

struct statvfs {
	unsigned long	f_flag;		/* MNT_* copy */
	unsigned long	f_bsize;
	unsigned long	f_frsize;
	unsigned long	f_iosize;
	uint64_t	f_blocks;	/* in f_frsize units */
	uint64_t	f_bfree;
	uint64_t	f_bavail;
	uint64_t	f_bresvd;
	uint64_t	f_files;
	uint64_t	f_ffree;
	uint64_t	f_favail;
	uint64_t	f_fresvd;
	uint64_t	f_syncreads;
	uint64_t	f_syncwrites;
	uint64_t	f_asyncreads;
	uint64_t	f_asyncwrites;
	fsid_t		f_fsidx;
	unsigned long	f_fsid;
	unsigned long	f_namemax;
	uid_t		f_owner;
	uint64_t	f_spare[4];
	char		f_fstypename[_VFS_NAMELEN];
	char		f_mntonname[_VFS_MNAMELEN];
	char		f_mntfromname[_VFS_MNAMELEN];
	char		f_mntfromlabel[_VFS_MNAMELEN];
};

#define ST_RDONLY	MNT_RDONLY
#define ST_WAIT		0x1
#define ST_NOWAIT	0x2

#endif /* _SYS_STATVFS_H_ */
