/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spec.c: the block device switch and device vnodes (sys/bdev.h).
 *
 * Drivers register with bdevsw_attach (the disk driver dev/disk/ does at
 * RUMP_COMPONENT_DEV); file systems on devices (FFS) open a device vnode
 * with bdevvp_open and do their I/O through the buffer cache on it: the
 * buffer cache calls VOP_STRATEGY, which lands here and goes to the
 * driver's d_strategy.  Device vnodes live outside the vnode cache: they
 * belong to no mount, and their owner holds the only reference from
 * bdevvp_open to bdevvp_close.
 *
 * Locking: spec_lock guards the switch table and the list of open device
 * vnodes; it is never held across a driver call.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/bdev.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>

/* What a device vnode's v_data points to. */
struct spec_node {
	LIST_ENTRY(spec_node)	sn_list;
	struct vnode		*sn_vp;
	const struct bdevsw	*sn_sw;
	uint64_t		sn_dev;
	int			sn_fflags;	/* of the open */
	bool			sn_opened;	/* d_open succeeded */
};

static kmutex_t spec_lock;
static const struct bdevsw *spec_bdevsw[BDEV_MAXMAJOR];
static LIST_HEAD(, spec_node) spec_nodes;
static u_int spec_nopen;

/* ---------------------------------------------------------------- switch */

int
bdevsw_attach(u_int major, const struct bdevsw *sw)
{
	int error = 0;

	if (major >= BDEV_MAXMAJOR || sw == NULL || sw->d_strategy == NULL)
		return EINVAL;
	mutex_enter(&spec_lock);
	if (spec_bdevsw[major] != NULL)
		error = EEXIST;
	else
		spec_bdevsw[major] = sw;
	mutex_exit(&spec_lock);
	return error;
}

int
bdevsw_detach(u_int major)
{
	struct spec_node *sn;
	int error = 0;

	if (major >= BDEV_MAXMAJOR)
		return EINVAL;
	mutex_enter(&spec_lock);
	LIST_FOREACH(sn, &spec_nodes, sn_list) {
		if (bdev_major(sn->sn_dev) == major) {
			error = EBUSY;
			break;
		}
	}
	if (error == 0)
		spec_bdevsw[major] = NULL;
	mutex_exit(&spec_lock);
	return error;
}

/* ---------------------------------------------------------------- vnops */

static struct spec_node *
spec_node_of(struct vnode *vp)
{
	KASSERT(vp->v_type == VBLK && vp->v_data != NULL);
	return vp->v_data;
}

static int
spec_open(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	struct spec_node *sn = spec_node_of(vp);

	if (sn->sn_sw->d_open == NULL)
		return 0;
	return sn->sn_sw->d_open(sn->sn_dev, fflags);
}

static int
spec_close(struct vnode *vp, int fflags, kauth_cred_t cred)
{
	struct spec_node *sn = spec_node_of(vp);

	if (sn->sn_sw->d_close == NULL)
		return 0;
	return sn->sn_sw->d_close(sn->sn_dev, fflags);
}

/* Size from the driver; the rest is what a device node has. */
static int
spec_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct spec_node *sn = spec_node_of(vp);
	uint64_t bytes = 0;
	u_int secsize = DEV_BSIZE;
	int error;

	if (sn->sn_sw->d_size != NULL) {
		error = sn->sn_sw->d_size(sn->sn_dev, &bytes, &secsize);
		if (error != 0)
			return error;
	}
	memset(vap, 0, sizeof(*vap));
	vap->va_type = VBLK;
	vap->va_mode = 0600;
	vap->va_nlink = 1;
	vap->va_size = (int64_t)bytes;
	vap->va_blocksize = secsize;
	vap->va_rdev = sn->sn_dev;
	return 0;
}

/* The buffer cache's I/O: the driver completes it with biodone. */
static int
spec_strategy(struct vnode *vp, struct buf *bp)
{
	struct spec_node *sn = spec_node_of(vp);

	KASSERT(bp->b_vp == vp);
	sn->sn_sw->d_strategy(sn->sn_dev, bp);
	return 0;
}

static const struct vnodeops spec_vnodeops = {
	.vop_open = spec_open,
	.vop_close = spec_close,
	.vop_getattr = spec_getattr,
	.vop_strategy = spec_strategy,
};

/* ---------------------------------------------------------------- open */

int
bdevvp_open(uint64_t dev, int fflags, struct vnode **vpp)
{
	struct spec_node *sn, *other;
	struct vnode *vp;
	u_int major = bdev_major(dev);
	int error;

	*vpp = NULL;
	if ((fflags & (FREAD | FWRITE)) == 0 ||
	    (fflags & ~(FREAD | FWRITE)) != 0)
		return EINVAL;
	sn = kmem_zalloc(sizeof(*sn), KM_SLEEP);
	vp = kmem_zalloc(sizeof(*vp), KM_SLEEP);
	vp->v_type = VBLK;
	vp->v_op = &spec_vnodeops;
	vp->v_data = sn;
	vp->v_rdev = dev;
	vp->v_usecount = 1;
	vp->v_state = VS_ACTIVE;
	sn->sn_vp = vp;
	sn->sn_dev = dev;
	sn->sn_fflags = fflags;

	/* Claim the device (listed before the driver is asked). */
	mutex_enter(&spec_lock);
	sn->sn_sw = major < BDEV_MAXMAJOR ? spec_bdevsw[major] : NULL;
	if (sn->sn_sw == NULL) {
		mutex_exit(&spec_lock);
		error = ENXIO;
		goto err_free;
	}
	LIST_FOREACH(other, &spec_nodes, sn_list) {
		if (other->sn_dev == dev) {
			mutex_exit(&spec_lock);
			error = EBUSY;
			goto err_free;
		}
	}
	LIST_INSERT_HEAD(&spec_nodes, sn, sn_list);
	spec_nopen++;
	mutex_exit(&spec_lock);

	error = VOP_OPEN(vp, fflags, NULL);
	if (error != 0)
		goto err_unlist;
	sn->sn_opened = true;
	*vpp = vp;
	return 0;

err_unlist:
	mutex_enter(&spec_lock);
	LIST_REMOVE(sn, sn_list);
	spec_nopen--;
	mutex_exit(&spec_lock);
err_free:
	kmem_free(vp, sizeof(*vp));
	kmem_free(sn, sizeof(*sn));
	return error;
}

int
bdevvp_close(struct vnode *vp)
{
	struct spec_node *sn = spec_node_of(vp);
	int error, cerror;

	KASSERT(vp->v_op == &spec_vnodeops && vp->v_usecount == 1);
	error = bio_invalidate(vp);
	if (error != 0)
		printf("spec: device %u,%u: write-back at close failed: "
		    "error %d\n", bdev_major(sn->sn_dev),
		    bdev_minor(sn->sn_dev), error);
	cerror = VOP_CLOSE(vp, sn->sn_fflags, NULL);
	if (error == 0)
		error = cerror;
	mutex_enter(&spec_lock);
	LIST_REMOVE(sn, sn_list);
	spec_nopen--;
	mutex_exit(&spec_lock);
	kmem_free(vp, sizeof(*vp));
	kmem_free(sn, sizeof(*sn));
	return error;
}

u_int
bdevvp_count(void)
{
	u_int n;

	mutex_enter(&spec_lock);
	n = spec_nopen;
	mutex_exit(&spec_lock);
	return n;
}

/* ---------------------------------------------------------------- component */

static int
spec_init(void)
{
	memset(spec_bdevsw, 0, sizeof(spec_bdevsw));
	LIST_INIT(&spec_nodes);
	spec_nopen = 0;
	mutex_init(&spec_lock, MUTEX_DEFAULT, IPL_NONE);
	return 0;
}

/* Every device vnode was closed by its owner (unmount) by now. */
static void
spec_fini(void)
{
	if (spec_nopen != 0)
		printf("spec: %u device vnode(s) still open at shutdown "
		    "(leaked)\n", spec_nopen);
	mutex_destroy(&spec_lock);
}

RUMP_COMPONENT(spec, RUMP_COMPONENT_VFS, spec_init, spec_fini);
