/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/bdev.h: block devices: device numbers, the block device switch and
 * device vnodes (dev/spec/spec.c).
 *
 * A block driver registers a struct bdevsw for its major number
 * (bdevsw_attach, from its RUMP_COMPONENT at RUMP_COMPONENT_DEV).  A file
 * system that lives on a device (FFS) finds the device number through the
 * device node's v_rdev (a VBLK vnode of any file system, e.g. /dev/ffs0
 * on the root tmpfs), then opens a device vnode with bdevvp_open: a vnode
 * of type VBLK outside the vnode cache and outside every mount, whose
 * VOP_STRATEGY hands buffers to the driver.  The buffer cache (sys/buf.h)
 * works on that vnode.  bdevvp_close writes back and drops its buffers,
 * closes the driver and frees the vnode.
 *
 * A device is open through at most one device vnode at a time (a second
 * bdevvp_open of the same device is EBUSY): this is how a device is kept
 * from being mounted twice.  Device vnodes are never vref'd, vrele'd or
 * vn_lock'ed: their owner holds them from bdevvp_open to bdevvp_close.
 */
#ifndef _SYS_BDEV_H_
#define _SYS_BDEV_H_

#include <sys/types.h>
#include <sys/kauth.h>

struct buf;
struct vnode;

/* Device numbers (NetBSD's encoding: 12-bit major, 20-bit minor). */
#define bdev_makedev(maj, min)						\
	((((uint64_t)(maj) & 0xfff) << 8) |				\
	(((uint64_t)(min) & 0xfff00) << 12) | ((uint64_t)(min) & 0xff))
#define bdev_major(d)		((u_int)(((d) >> 8) & 0xfff))
#define bdev_minor(d)		((u_int)((((d) >> 12) & 0xfff00) | ((d) & 0xff)))

#define BDEV_MAXMAJOR	256

struct bdevsw {
	const char *d_name;
	/* fflags: FREAD and/or FWRITE.  ENXIO for a unit that is absent. */
	int	(*d_open)(uint64_t dev, int fflags);
	int	(*d_close)(uint64_t dev, int fflags);
	/* Start the transfer of bp (B_READ set for reads) and return; call
	 * biodone(bp) when it is over, b_error set on failure. */
	void	(*d_strategy)(uint64_t dev, struct buf *bp);
	/* Size in bytes and sector size of an open unit. */
	int	(*d_size)(uint64_t dev, uint64_t *bytesp, u_int *secsizep);
};

/* EEXIST if the major is taken, EINVAL if out of range. */
int	bdevsw_attach(u_int major, const struct bdevsw *sw);
/* EBUSY while a device vnode of that major is open. */
int	bdevsw_detach(u_int major);

/*
 * Open device dev (FREAD, FREAD|FWRITE) and return its device vnode.
 * ENXIO: no driver or unit; EBUSY: already open through another device
 * vnode; the driver's own errors.  Precondition: no locks held.
 */
int	bdevvp_open(uint64_t dev, int fflags, struct vnode **vpp);
/* Write back and drop vp's buffers, close the driver, free vp.  Returns
 * the first write-back or close error (vp is gone regardless). */
int	bdevvp_close(struct vnode *vp);
/* Open device vnodes now (leak checks, statistics). */
u_int	bdevvp_count(void);

#endif /* _SYS_BDEV_H_ */
