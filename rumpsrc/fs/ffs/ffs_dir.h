/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs_dir.h: on-disk directory entries of FFS (4.4BSD format).  Facts of
 * the format; ffs_dir.c walks and checks them.
 *
 * A directory's data is a sequence of FFS_DIRBLKSIZ-byte chunks; entries
 * never cross a chunk.  Each entry has a record length (d_reclen, a
 * multiple of 4) that reaches the next entry; the last entry of a chunk
 * reaches its end.  d_ino 0 marks an unused record.  The name is
 * d_namlen bytes, NUL-terminated and padded to 4 bytes.
 */
#ifndef _FFS_DIR_H_
#define _FFS_DIR_H_

#include <sys/types.h>

#define FFS_DIRBLKSIZ	512
#define FFS_MAXNAMLEN	255

struct ffs_direct {
	uint32_t	d_ino;
	uint16_t	d_reclen;
	uint8_t		d_type;		/* DT_* values of sys/dirent.h */
	uint8_t		d_namlen;
	char		d_name[FFS_MAXNAMLEN + 1];
};

#define FFS_DIRHDRSIZ	8
__CTASSERT(offsetof(struct ffs_direct, d_name) == FFS_DIRHDRSIZ);
__CTASSERT(offsetof(struct ffs_direct, d_namlen) == 7);

/* Smallest record holding a name of namlen bytes (NUL, 4-byte padding). */
#define FFS_DIRSIZ(namlen)	\
	((FFS_DIRHDRSIZ + (size_t)(namlen) + 1 + 3) & ~(size_t)3)

#endif /* _FFS_DIR_H_ */
