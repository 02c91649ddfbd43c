/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/dirent.h: directory entries as getdents returns them, in NetBSD's
 * layout (public copy: struct rump_dirent in rump/rumpdefs.h).  Records
 * are packed back to back, each d_reclen bytes long (a multiple of 8).
 */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>

#define MAXNAMLEN	511

struct dirent {
	uint64_t	d_fileno;
	uint16_t	d_reclen;
	uint16_t	d_namlen;
	uint8_t		d_type;
	char		d_name[MAXNAMLEN + 1];
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14

/* Bytes a record with a name of namlen bytes takes (NUL and padding). */
#define _DIRENT_NAMEOFF		__builtin_offsetof(struct dirent, d_name)
#define _DIRENT_RECLEN(namlen)	\
	((_DIRENT_NAMEOFF + (namlen) + 1 + 7) & ~(size_t)7)

#endif /* _SYS_DIRENT_H_ */
