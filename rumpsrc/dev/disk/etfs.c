/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * etfs.c: rump_pub_etfs_register / rump_pub_etfs_remove, the public way
 * to show a host file or host block device inside the rump kernel as a
 * block device node ("extra-terrestrial file system" in rump kernel
 * terms).
 *
 * Register configures a unit of the disk driver (rumpblk.c) for the host
 * path and makes a block device node (mode 0600, major RUMPBLK_MAJOR,
 * minor = unit) at the key, an absolute path in the rump name space whose
 * directory must exist (e.g. "/dev/ffs0").  Remove refuses (EBUSY) while
 * the unit is open (a mounted file system), removes the node if it is
 * still ours, and frees the unit.  Only RUMP_ETFS_BLK is implemented:
 * regular-file and character mappings answer EOPNOTSUPP.
 *
 * The name space changes follow the VFS protocol (sys/namei.h): namei for
 * the parent, its mount's mnt_nslock as writer, the last component looked
 * up again, then VOP_MKNOD or VOP_REMOVE.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/bdev.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/rwlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
/* vnode.h first: it declares struct mount, which mount.h uses unannounced */
#include <sys/vnode.h>
#include <sys/mount.h>
#include <rump/rump.h>

#include "rumpblk.h"

__CTASSERT(RUMP_ETFS_REG == 0 && RUMP_ETFS_BLK == 1 && RUMP_ETFS_CHR == 2);

struct etfs_args {
	const char	*ea_key;
	const char	*ea_hostpath;
	int		ea_type;
};

/* Copy a caller's path into a MAXPATHLEN kmem buffer. */
static int
etfs_copy_path(const char *upath, char **kpathp)
{
	char *kpath;
	size_t done;
	int error;

	kpath = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	error = copyinstr(upath, kpath, MAXPATHLEN, &done);
	if (error == 0 && kpath[0] == '\0')
		error = ENOENT;
	if (error != 0) {
		kmem_free(kpath, MAXPATHLEN);
		return error;
	}
	*kpathp = kpath;
	return 0;
}

/*
 * Make (dev != 0) or remove (dev == 0: only a VBLK node of rdev rmdev)
 * the node at key.  Precondition: no locks held.
 */
static int
etfs_node(const char *key, uint64_t dev, uint64_t rmdev)
{
	struct nameidata nd;
	struct componentname *cnp;
	struct mount *mp;
	struct vnode *dvp, *vp = NULL, *nvp = NULL;
	struct vattr va;
	int error;

	memset(&nd, 0, sizeof(nd));
	nd.ni_path = key;
	nd.ni_flags = NI_WANTPARENT | (dev != 0 ? NI_LASTMAYBEMISSING : 0);
	error = namei(&nd);
	if (error != 0)
		return error;
	dvp = nd.ni_dvp;
	cnp = &nd.ni_cnd;
	if (dvp == NULL || cnp->cn_namelen == 0) {
		error = EINVAL;
		goto out_nd;
	}
	if (cnp->cn_cred == NULL)
		cnp->cn_cred = kauth_cred_get();
	mp = dvp->v_mount;
	rw_enter(&mp->mnt_nslock, RW_WRITER);
	error = VOP_LOOKUP(dvp, &vp, cnp);
	if (error == ENOENT) {
		vp = NULL;
		error = 0;
	} else if (error != 0) {
		vp = NULL;
		goto out_unlock;
	}
	if (dev != 0) {
		if (vp != NULL) {
			error = EEXIST;
			goto out_unlock;
		}
		vattr_null(&va);
		va.va_type = VBLK;
		va.va_mode = 0600;
		va.va_rdev = dev;
		error = VOP_MKNOD(dvp, &nvp, cnp, &va);
	} else if (vp != NULL && vp->v_type == VBLK && vp->v_rdev == rmdev &&
	    vp->v_mountedhere == NULL) {
		error = VOP_REMOVE(dvp, vp, cnp);
	}
	/* else: the node is gone or was replaced; nothing of ours to remove */

out_unlock:
	rw_exit(&mp->mnt_nslock);
	if (vp != NULL)
		vrele(vp);
	if (nvp != NULL)
		vrele(nvp);
out_nd:
	namei_done(&nd);
	return error;
}

static int
etfs_register_body(void *arg)
{
	struct etfs_args *ea = arg;
	char *key, *hostpath;
	u_int unit;
	int error;

	if (ea->ea_type == RUMP_ETFS_REG || ea->ea_type == RUMP_ETFS_CHR)
		return EOPNOTSUPP;
	if (ea->ea_type != RUMP_ETFS_BLK)
		return EINVAL;
	error = etfs_copy_path(ea->ea_key, &key);
	if (error != 0)
		return error;
	error = etfs_copy_path(ea->ea_hostpath, &hostpath);
	if (error != 0)
		goto out_key;
	if (key[0] != '/') {
		error = EINVAL;		/* keys are absolute rump paths */
		goto out_hostpath;
	}
	error = rumpblk_unit_add(key, hostpath, &unit);
	if (error != 0)
		goto out_hostpath;
	error = etfs_node(key, bdev_makedev(RUMPBLK_MAJOR, unit), 0);
	if (error != 0)
		rumpblk_unit_del(unit);

out_hostpath:
	kmem_free(hostpath, MAXPATHLEN);
out_key:
	kmem_free(key, MAXPATHLEN);
	return error;
}

static int
etfs_remove_body(void *arg)
{
	struct etfs_args *ea = arg;
	char *key;
	u_int unit;
	int error;

	error = etfs_copy_path(ea->ea_key, &key);
	if (error != 0)
		return error;
	error = rumpblk_unit_begin_remove(key, &unit);
	if (error != 0)
		goto out_key;
	error = etfs_node(key, 0, bdev_makedev(RUMPBLK_MAJOR, unit));
	if (error == ENOENT || error == ENOTDIR)
		error = 0;		/* the node went away already */
	if (error != 0)
		rumpblk_unit_cancel_remove(unit);
	else
		rumpblk_unit_finish_remove(unit);
out_key:
	kmem_free(key, MAXPATHLEN);
	return error;
}

int
rump_pub_etfs_register(const char *key, const char *hostpath, int type)
{
	struct etfs_args ea = {
		.ea_key = key, .ea_hostpath = hostpath, .ea_type = type,
	};

	return rump_gate(etfs_register_body, &ea);
}

int
rump_pub_etfs_remove(const char *key)
{
	struct etfs_args ea = { .ea_key = key };

	return rump_gate(etfs_remove_body, &ea);
}
