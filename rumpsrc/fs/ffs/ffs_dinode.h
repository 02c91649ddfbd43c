/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_dinode.h: on-disk inodes of FFS: the 128-byte UFS1 inode and the
 * 256-byte UFS2 inode.  Facts of the format; ffs_inode.c decodes them
 * into struct ffs_inode (ffs.h).
 *
 * A file's data: 12 direct block addresses, then single, double and
 * triple indirect blocks of fs_nindir addresses each (32-bit in UFS1,
 * 64-bit in UFS2).  Address 0 is a hole.  The last block of a file with
 * no indirect blocks may be a run of fragments.  A symbolic link whose
 * target is shorter than fs_maxsymlinklen keeps it in the address area
 * itself; a device node keeps its number in the first direct address.
 */
#ifndef _FFS_DINODE_H_
#define _FFS_DINODE_H_

#include <sys/types.h>

#define FFS_NDADDR	12	/* direct addresses */
#define FFS_NIADDR	3	/* indirect levels */

/* di_mode file types (the permission bits are the usual 07777) */
#define FFS_IFMT	0170000
#define FFS_IFIFO	0010000
#define FFS_IFCHR	0020000
#define FFS_IFDIR	0040000
#define FFS_IFBLK	0060000
#define FFS_IFREG	0100000
#define FFS_IFLNK	0120000
#define FFS_IFSOCK	0140000

struct ffs_ufs1_dinode {
	uint16_t	di_mode;
	int16_t		di_nlink;
	uint32_t	di_oldids;	/* 16-bit uid/gid of old systems */
	uint64_t	di_size;
	int32_t		di_atime;
	int32_t		di_atimensec;
	int32_t		di_mtime;
	int32_t		di_mtimensec;
	int32_t		di_ctime;
	int32_t		di_ctimensec;
	int32_t		di_db[FFS_NDADDR];
	int32_t		di_ib[FFS_NIADDR];
	uint32_t	di_flags;
	uint32_t	di_blocks;	/* 512-byte units held */
	int32_t		di_gen;
	uint32_t	di_uid;
	uint32_t	di_gid;
	uint64_t	di_modrev;
};

struct ffs_ufs2_dinode {
	uint16_t	di_mode;
	int16_t		di_nlink;
	uint32_t	di_uid;
	uint32_t	di_gid;
	uint32_t	di_blksize;
	uint64_t	di_size;
	uint64_t	di_blocks;	/* 512-byte units held */
	int64_t		di_atime;
	int64_t		di_mtime;
	int64_t		di_ctime;
	int64_t		di_birthtime;
	int32_t		di_mtimensec;
	int32_t		di_atimensec;
	int32_t		di_ctimensec;
	int32_t		di_birthnsec;
	int32_t		di_gen;
	uint32_t	di_kernflags;
	uint32_t	di_flags;
	int32_t		di_extsize;
	int64_t		di_extb[2];	/* extended attribute blocks */
	int64_t		di_db[FFS_NDADDR];
	int64_t		di_ib[FFS_NIADDR];
	uint64_t	di_modrev;
	int64_t		di_spare[2];
};

__CTASSERT(sizeof(struct ffs_ufs1_dinode) == 128);
__CTASSERT(offsetof(struct ffs_ufs1_dinode, di_db) == 40);
__CTASSERT(offsetof(struct ffs_ufs1_dinode, di_ib) == 88);
__CTASSERT(offsetof(struct ffs_ufs1_dinode, di_uid) == 112);
__CTASSERT(sizeof(struct ffs_ufs2_dinode) == 256);
__CTASSERT(offsetof(struct ffs_ufs2_dinode, di_size) == 16);
__CTASSERT(offsetof(struct ffs_ufs2_dinode, di_birthtime) == 56);
__CTASSERT(offsetof(struct ffs_ufs2_dinode, di_db) == 112);
__CTASSERT(offsetof(struct ffs_ufs2_dinode, di_ib) == 208);

/* Bytes of the address area a short symlink target may use. */
#define FFS_UFS1_SHORTLINK	(int)((FFS_NDADDR + FFS_NIADDR) * sizeof(int32_t))
#define FFS_UFS2_SHORTLINK	(int)((FFS_NDADDR + FFS_NIADDR) * sizeof(int64_t))

#endif /* _FFS_DINODE_H_ */
