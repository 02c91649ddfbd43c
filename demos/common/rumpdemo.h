/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpdemo.h: small helpers the demos share (public API only, no host
 * headers), included by the demo sources that both the Linux modules and
 * their userspace twins compile.
 */
#ifndef _RUMPDEMO_H_
#define _RUMPDEMO_H_

#include <rump/rumpdefs.h>

/* The ls-style type letter of a RUMP_S_IF* mode. */
static inline char rumpdemo_typechar(unsigned int mode)
{
	switch (mode & RUMP_S_IFMT) {
	case RUMP_S_IFDIR:	return 'd';
	case RUMP_S_IFREG:	return '-';
	case RUMP_S_IFLNK:	return 'l';
	case RUMP_S_IFCHR:	return 'c';
	case RUMP_S_IFBLK:	return 'b';
	case RUMP_S_IFIFO:	return 'p';
	case RUMP_S_IFSOCK:	return 's';
	default:		return '?';
	}
}

#endif /* _RUMPDEMO_H_ */
