/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/fcntl.h: open flags, fcntl commands, *at flags (NetBSD values; the
 * public copies are RUMP_O_* etc. in rump/rumpdefs.h).
 */
#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#define O_RDONLY	0x00000000
#define O_WRONLY	0x00000001
#define O_RDWR		0x00000002
#define O_ACCMODE	0x00000003
#define O_NONBLOCK	0x00000004
#define O_APPEND	0x00000008
#define O_SHLOCK	0x00000010
#define O_EXLOCK	0x00000020
#define O_ASYNC		0x00000040
#define O_SYNC		0x00000080
#define O_NOFOLLOW	0x00000100
#define O_CREAT		0x00000200
#define O_TRUNC		0x00000400
#define O_EXCL		0x00000800
#define O_NOCTTY	0x00008000
#define O_DSYNC		0x00010000
#define O_RSYNC		0x00020000
#define O_DIRECT	0x00080000
#define O_DIRECTORY	0x00200000
#define O_CLOEXEC	0x00400000
#define O_SEARCH	0x00800000
#define O_NOSIGPIPE	0x01000000
#define O_REGULAR	0x02000000

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	12
#define FD_CLOEXEC	1

#define AT_FDCWD		-100
#define AT_EACCESS		0x0100
#define AT_SYMLINK_NOFOLLOW	0x0200
#define AT_SYMLINK_FOLLOW	0x0400
#define AT_REMOVEDIR		0x0800

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define F_OK		0
#define X_OK		0x01
#define W_OK		0x02
#define R_OK		0x04

#endif /* _SYS_FCNTL_H_ */
