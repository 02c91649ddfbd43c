/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpblk.c: the disk driver: block devices backed by host files or host
 * block devices, reached only through rumpuser (open with
 * RUMPUSER_OPEN_BIO, asynchronous rumpuser_bio, rumpuser_getfileinfo for
 * the size).  Sector size 512.
 *
 * Units are configured by the etfs calls (etfs.c) and opened by the
 * device vnode layer (dev/spec/spec.c) on behalf of file systems: the
 * host file is opened at the first open of a unit and closed at the last
 * close.  Transfers past the end of the device, and short host
 * transfers, complete with EIO; host errors come back as they are
 * (already NetBSD numbers).
 *
 * Locking: rumpblk_lock guards the unit table.  A unit's fd and size do
 * not change while it is open, so d_strategy reads them without it.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/bdev.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <rump/rumpuser.h>

#include "rumpblk.h"

#define RUMPBLK_SECSIZE	512

struct rumpblk_unit {
	bool		ru_used;
	bool		ru_removing;	/* refuses opens */
	char		*ru_key;	/* name in the rump name space */
	char		*ru_path;	/* host path */
	uint64_t	ru_size;	/* bytes, a multiple of the sector */
	int		ru_fd;		/* host fd while open */
	u_int		ru_nopen;
	bool		ru_writable;	/* host fd opened read-write */
};

static kmutex_t rumpblk_lock;
static struct rumpblk_unit rumpblk_units[RUMPBLK_NUNITS];

static char *
rumpblk_strdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = kmem_alloc(len, KM_SLEEP);

	memcpy(p, s, len);
	return p;
}

static void
rumpblk_strfree(char *s)
{
	kmem_free(s, strlen(s) + 1);
}

/* ---------------------------------------------------------------- units */

int
rumpblk_unit_add(const char *key, const char *hostpath, u_int *unitp)
{
	struct rumpblk_unit *ru;
	char *kcopy, *pcopy;
	uint64_t size;
	int type, error;
	u_int i, freeu = RUMPBLK_NUNITS;

	error = rumpuser_getfileinfo(hostpath, &size, &type);
	if (error != 0)
		return error;
	if (type != RUMPUSER_FT_REG && type != RUMPUSER_FT_BLK) {
		printf("rumpblk: %s is neither a regular file nor a block "
		    "device\n", hostpath);
		return EINVAL;
	}
	kcopy = rumpblk_strdup(key);
	pcopy = rumpblk_strdup(hostpath);

	mutex_enter(&rumpblk_lock);
	for (i = 0; i < RUMPBLK_NUNITS; i++) {
		ru = &rumpblk_units[i];
		if (!ru->ru_used) {
			if (freeu == RUMPBLK_NUNITS)
				freeu = i;
		} else if (strcmp(ru->ru_key, key) == 0) {
			error = EEXIST;
			break;
		}
	}
	if (error == 0 && freeu == RUMPBLK_NUNITS)
		error = ENFILE;
	if (error != 0) {
		mutex_exit(&rumpblk_lock);
		rumpblk_strfree(kcopy);
		rumpblk_strfree(pcopy);
		return error;
	}
	ru = &rumpblk_units[freeu];
	memset(ru, 0, sizeof(*ru));
	ru->ru_used = true;
	ru->ru_key = kcopy;
	ru->ru_path = pcopy;
	ru->ru_size = size - size % RUMPBLK_SECSIZE;
	ru->ru_fd = -1;
	mutex_exit(&rumpblk_lock);
	*unitp = freeu;
	return 0;
}

/* Precondition: rumpblk_lock held, unit used and not open. */
static void
rumpblk_unit_clear(struct rumpblk_unit *ru, char **keyp, char **pathp)
{
	KASSERT(ru->ru_used && ru->ru_nopen == 0);
	*keyp = ru->ru_key;
	*pathp = ru->ru_path;
	memset(ru, 0, sizeof(*ru));
	ru->ru_fd = -1;
}

void
rumpblk_unit_del(u_int unit)
{
	char *key, *path;

	KASSERT(unit < RUMPBLK_NUNITS);
	mutex_enter(&rumpblk_lock);
	rumpblk_unit_clear(&rumpblk_units[unit], &key, &path);
	mutex_exit(&rumpblk_lock);
	rumpblk_strfree(key);
	rumpblk_strfree(path);
}

int
rumpblk_unit_begin_remove(const char *key, u_int *unitp)
{
	struct rumpblk_unit *ru;
	int error = ENOENT;
	u_int i;

	mutex_enter(&rumpblk_lock);
	for (i = 0; i < RUMPBLK_NUNITS; i++) {
		ru = &rumpblk_units[i];
		if (!ru->ru_used || strcmp(ru->ru_key, key) != 0)
			continue;
		if (ru->ru_nopen != 0 || ru->ru_removing) {
			error = EBUSY;
		} else {
			ru->ru_removing = true;
			*unitp = i;
			error = 0;
		}
		break;
	}
	mutex_exit(&rumpblk_lock);
	return error;
}

void
rumpblk_unit_finish_remove(u_int unit)
{
	KASSERT(unit < RUMPBLK_NUNITS && rumpblk_units[unit].ru_removing);
	rumpblk_unit_del(unit);
}

void
rumpblk_unit_cancel_remove(u_int unit)
{
	KASSERT(unit < RUMPBLK_NUNITS);
	mutex_enter(&rumpblk_lock);
	KASSERT(rumpblk_units[unit].ru_removing);
	rumpblk_units[unit].ru_removing = false;
	mutex_exit(&rumpblk_lock);
}

/* ---------------------------------------------------------------- bdevsw */

/* The unit of dev if it exists; NULL otherwise.  rumpblk_lock held. */
static struct rumpblk_unit *
rumpblk_unit_of(uint64_t dev)
{
	u_int unit = bdev_minor(dev);

	if (bdev_major(dev) != RUMPBLK_MAJOR || unit >= RUMPBLK_NUNITS ||
	    !rumpblk_units[unit].ru_used)
		return NULL;
	return &rumpblk_units[unit];
}

/*
 * Open the host file at the first open (read-write if asked so).  A
 * write open of a unit already open read-only is EBUSY.
 * Precondition: no locks held; opens of one unit are not concurrent (the
 * device vnode layer claims a device before it opens it), so nobody uses
 * ru_fd while the first open is setting it.
 */
static int
rumpblk_open(uint64_t dev, int fflags)
{
	struct rumpblk_unit *ru;
	bool wr = (fflags & FWRITE) != 0;
	uint64_t size;
	int fd, type, error = 0;

	mutex_enter(&rumpblk_lock);
	ru = rumpblk_unit_of(dev);
	if (ru == NULL || ru->ru_removing) {
		error = ENXIO;
	} else if (ru->ru_nopen > 0) {
		if (wr && !ru->ru_writable)
			error = EBUSY;
		else
			ru->ru_nopen++;
	} else {
		/* First open: count it now so nobody removes the unit
		 * while the host call runs without the lock. */
		ru->ru_nopen = 1;
		mutex_exit(&rumpblk_lock);
		error = rumpuser_getfileinfo(ru->ru_path, &size, &type);
		if (error == 0)
			error = rumpuser_open(ru->ru_path,
			    (wr ? RUMPUSER_OPEN_RDWR : RUMPUSER_OPEN_RDONLY) |
			    RUMPUSER_OPEN_BIO, &fd);
		mutex_enter(&rumpblk_lock);
		if (error != 0) {
			ru->ru_nopen = 0;
		} else {
			ru->ru_fd = fd;
			ru->ru_writable = wr;
			ru->ru_size = size - size % RUMPBLK_SECSIZE;
		}
	}
	mutex_exit(&rumpblk_lock);
	return error;
}

static int
rumpblk_close(uint64_t dev, int fflags)
{
	struct rumpblk_unit *ru;
	int fd = -1;

	mutex_enter(&rumpblk_lock);
	ru = rumpblk_unit_of(dev);
	KASSERT(ru != NULL && ru->ru_nopen > 0);
	if (--ru->ru_nopen == 0) {
		fd = ru->ru_fd;
		ru->ru_fd = -1;
		ru->ru_writable = false;
	}
	mutex_exit(&rumpblk_lock);
	if (fd == -1)
		return 0;
	return rumpuser_close(fd);
}

static int
rumpblk_size(uint64_t dev, uint64_t *bytesp, u_int *secsizep)
{
	struct rumpblk_unit *ru;
	int error = 0;

	mutex_enter(&rumpblk_lock);
	ru = rumpblk_unit_of(dev);
	if (ru == NULL) {
		error = ENXIO;
	} else {
		*bytesp = ru->ru_size;
		*secsizep = RUMPBLK_SECSIZE;
	}
	mutex_exit(&rumpblk_lock);
	return error;
}

/* Host completion: runs in a thread holding a CPU (rumpuser_bio). */
static void
rumpblk_biodone(void *arg, size_t done, int error)
{
	struct buf *bp = arg;

	if (error == 0 && done != bp->b_bcount)
		error = EIO;		/* short transfer: end of the file */
	bp->b_resid = done <= bp->b_bcount ? bp->b_bcount - done : 0;
	bp->b_error = error;
	biodone(bp);
}

/* Precondition: the unit is open (the buffer's device vnode is). */
static void
rumpblk_strategy(uint64_t dev, struct buf *bp)
{
	struct rumpblk_unit *ru;
	uint64_t off, size;
	bool rd = (bp->b_flags & B_READ) != 0;
	int fd;

	mutex_enter(&rumpblk_lock);
	ru = rumpblk_unit_of(dev);
	KASSERT(ru != NULL && ru->ru_nopen > 0);
	fd = ru->ru_fd;
	size = ru->ru_size;
	if (!rd && !ru->ru_writable)
		fd = -1;
	mutex_exit(&rumpblk_lock);

	off = (uint64_t)bp->b_blkno << DEV_BSHIFT;
	if (fd == -1) {
		bp->b_error = EROFS;
	} else if (bp->b_blkno < 0 || bp->b_bcount % RUMPBLK_SECSIZE != 0 ||
	    off > size || bp->b_bcount > size - off) {
		bp->b_error = EIO;
	} else {
		rumpuser_bio(fd, rd ? RUMPUSER_BIO_READ : RUMPUSER_BIO_WRITE,
		    bp->b_data, bp->b_bcount, (int64_t)off, rumpblk_biodone,
		    bp);
		return;
	}
	bp->b_resid = bp->b_bcount;
	biodone(bp);
}

static const struct bdevsw rumpblk_bdevsw = {
	.d_name = "rumpblk",
	.d_open = rumpblk_open,
	.d_close = rumpblk_close,
	.d_strategy = rumpblk_strategy,
	.d_size = rumpblk_size,
};

/* ---------------------------------------------------------------- component */

static int
rumpblk_init(void)
{
	int error;

	memset(rumpblk_units, 0, sizeof(rumpblk_units));
	mutex_init(&rumpblk_lock, MUTEX_DEFAULT, IPL_NONE);
	error = bdevsw_attach(RUMPBLK_MAJOR, &rumpblk_bdevsw);
	if (error != 0) {
		printf("rumpblk: cannot attach block major %d: error %d\n",
		    RUMPBLK_MAJOR, error);
		mutex_destroy(&rumpblk_lock);
	}
	return error;
}

/*
 * Every mount is gone (rootfs fini ran first), so no unit is open; the
 * units still configured (their nodes went with the root tmpfs) are
 * freed.
 */
static void
rumpblk_fini(void)
{
	struct rumpblk_unit *ru;
	int error;
	u_int i;

	error = bdevsw_detach(RUMPBLK_MAJOR);
	if (error != 0)
		printf("rumpblk: detach: error %d (device still open)\n",
		    error);
	for (i = 0; i < RUMPBLK_NUNITS; i++) {
		ru = &rumpblk_units[i];
		if (!ru->ru_used)
			continue;
		if (ru->ru_nopen != 0) {
			printf("rumpblk: unit %u (%s) still open at shutdown: "
			    "leaked\n", i, ru->ru_key);
			continue;
		}
		rumpblk_unit_del(i);
	}
	mutex_destroy(&rumpblk_lock);
}

RUMP_COMPONENT(rumpblk, RUMP_COMPONENT_DEV, rumpblk_init, rumpblk_fini);
