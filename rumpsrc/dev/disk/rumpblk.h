/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpblk.h: between the disk driver (rumpblk.c) and the etfs calls that
 * configure its units (etfs.c).  Not a contract for anyone else: file
 * systems reach the disks only through sys/bdev.h.
 */
#ifndef _DEV_DISK_RUMPBLK_H_
#define _DEV_DISK_RUMPBLK_H_

#include <sys/types.h>

/* The block major of the disk driver (NetBSD's rumpblk uses 197). */
#define RUMPBLK_MAJOR	197
#define RUMPBLK_NUNITS	16

/*
 * Configure a unit for host file hostpath named key in the rump name
 * space (both copied).  EEXIST: key already used; ENFILE: no free unit;
 * errors of rumpuser_getfileinfo; EINVAL if hostpath is neither a regular
 * file nor a block device.
 */
int	rumpblk_unit_add(const char *key, const char *hostpath, u_int *unitp);
/* Start removing the unit named key: ENOENT if none, EBUSY while open.
 * On success the unit refuses opens until rumpblk_unit_finish_remove
 * (free it) or rumpblk_unit_cancel_remove (back in service). */
int	rumpblk_unit_begin_remove(const char *key, u_int *unitp);
void	rumpblk_unit_finish_remove(u_int unit);
void	rumpblk_unit_cancel_remove(u_int unit);
/* Free a unit that rumpblk_unit_add made (its node could not be made). */
void	rumpblk_unit_del(u_int unit);

#endif /* _DEV_DISK_RUMPBLK_H_ */
