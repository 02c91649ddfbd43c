/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffsck.h: our fsck-like consistency checker for FFS images (hosted
 * C, reads the image file directly).  Used by the FFS write tests
 * (host_ffsw.c) after every unmount; host_ffsck.c has the details.
 */
#ifndef _HOST_FFSCK_H_
#define _HOST_FFSCK_H_

#include <stddef.h>

#define FFSCK_NEED_CLEAN	0x01	/* the clean flag must be set */

/*
 * Check the image at path.  Returns the number of problems found (0:
 * consistent), or -1 if the image cannot be read or has no superblock.
 * The first problems are described, one per line, in msg.
 */
int	ffsck_image(const char *path, int flags, char *msg, size_t msglen);

/* The clean flag of the image's superblock: 1, 0, or -1 on error. */
int	ffsck_clean_flag(const char *path);

#endif /* _HOST_FFSCK_H_ */
