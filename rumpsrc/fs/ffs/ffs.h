/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ffs.h: FFS's in-memory structures and the plumbing between its files
 * (not a contract for anyone else).
 *
 *   ffs_super.c   finds, checks and decodes the superblock; checks the
 *                 cylinder group headers
 *   ffs_inode.c   inodes: loading and decoding; block mapping through
 *                 the indirect blocks; reading file data
 *   ffs_dir.c     directories: checked walks, lookup, readdir
 *   ffs_dirops.c  directory changes
 *   ffs_dirhash.c the index of big directories
 *   ffs_vnops.c   the vnode operations
 *   ffs_vfsops.c  the file system type: mount, unmount, root, statvfs,
 *                 loadvnode, the component
 *
 * Everything read from the disk is decoded into host byte order here
 * (struct ffs_mount, struct ffs_inode); on-disk structures (ffs_fs.h,
 * ffs_dinode.h, ffs_dir.h) are only looked at through the swap helpers
 * below.  An inode's fields change under its vnode's v_lock (writer); the
 * name space operations also hold the mount's nslock as writer (see
 * ffs_nsops.c).  The allocator's state (group headers, um_cs, totals)
 * is under um_lock; the buffer cache serialises the device's blocks.
 * Inodes are written to their inode block (delayed) whenever they
 * change, so there is no dirty in-memory inode to chase at sync.
 */
#ifndef _FFS_H_
#define _FFS_H_

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/vnode.h>
#include <sys/mutex.h>

#include "ffs_fs.h"
#include "ffs_dinode.h"
#include "ffs_dir.h"

struct mount;
struct buf;
struct uio;

/* A mounted FFS: the checked geometry, in host order. */
struct ffs_mount {
	struct mount	*um_mp;
	struct vnode	*um_devvp;	/* device vnode (sys/bdev.h) */
	bool		um_ufs2;
	bool		um_swap;	/* image in the other byte order */
	int64_t		um_sblockloc;	/* bytes */
	int64_t		um_size;	/* fragments */
	int64_t		um_dsize;
	uint32_t	um_ncg;
	uint32_t	um_ipg;
	int64_t		um_fpg;
	uint32_t	um_bsize;
	uint32_t	um_fsize;
	uint32_t	um_frag;
	uint32_t	um_bshift;
	uint32_t	um_fshift;
	uint32_t	um_fsbtodb;
	uint32_t	um_nindir;
	uint32_t	um_inopb;
	uint32_t	um_dinodesize;	/* 128 or 256 */
	int64_t		um_sblkno, um_cblkno, um_iblkno, um_dblkno;
	int64_t		um_cgoffset;	/* UFS1 staggering (0 in UFS2) */
	uint32_t	um_cgmask;
	uint32_t	um_cgsize;
	int32_t		um_maxsymlinklen;
	uint64_t	um_maxfilesize;
	uint32_t	um_minfree;
	uint64_t	um_maxino;	/* ncg * ipg: inodes are below */
	uint8_t		um_clean;
	/* summary counts */
	int64_t		um_ndir, um_nbfree, um_nifree, um_nffree;
	/* writing (read-write mounts only) */
	bool		um_rw;
	int64_t		um_csaddr;	/* summary area, fragments */
	uint32_t	um_cssize;	/* bytes */
	int32_t		um_contig;	/* cluster summary size (0: none) */
	kmutex_t	um_lock;	/* allocator: groups, um_cs, totals */
	struct ffs_csum	*um_cs;		/* per group, host order */
};

/* An inode, decoded. */
struct ffs_inode {
	struct ffs_mount *i_ump;
	uint64_t	i_number;
	mode_t		i_mode;		/* type and permission bits */
	enum vtype	i_type;
	uint32_t	i_nlink;
	uid_t		i_uid;
	gid_t		i_gid;
	int64_t		i_size;
	uint64_t	i_blocks;	/* 512-byte units */
	uint32_t	i_flags;
	uint32_t	i_gen;
	struct timespec	i_atime, i_mtime, i_ctime, i_birthtime;
	int64_t		i_db[FFS_NDADDR];
	int64_t		i_ib[FFS_NIADDR];
	uint64_t	i_rdev;
	bool		i_freeino;	/* unlinked: number freed at reclaim */
	struct ffs_dirhash *i_dirhash;	/* directory index (ffs_dirhash.c) */
	/* read-ahead hints (ffs_inode.c): the block a sequential reader
	 * reads next, the first block not yet asked for */
	int64_t		i_ranext;
	int64_t		i_raend;
	/* the raw address area: a short symlink's target */
	char		i_shortlink[FFS_UFS2_SHORTLINK];
};

#define VFS_TO_FFS(mp)		((struct ffs_mount *)(mp)->mnt_data)
#define VTOI(vp)		((struct ffs_inode *)(vp)->v_data)

/* Read-ahead window of sequential reads (ffs_inode.c). */
#define FFS_RA_BYTES	(1024 * 1024)

/* Byte order of the image. */
static inline uint16_t
ffs_rd16(const struct ffs_mount *ump, uint16_t v)
{
	return ump->um_swap ? __builtin_bswap16(v) : v;
}
static inline uint32_t
ffs_rd32(const struct ffs_mount *ump, uint32_t v)
{
	return ump->um_swap ? __builtin_bswap32(v) : v;
}
static inline uint64_t
ffs_rd64(const struct ffs_mount *ump, uint64_t v)
{
	return ump->um_swap ? __builtin_bswap64(v) : v;
}

/* Fragment address -> DEV_BSIZE block of the device. */
static inline int64_t
ffs_fsbtodb(const struct ffs_mount *ump, int64_t frag)
{
	return frag << ump->um_fsbtodb;
}

/* First fragment of cylinder group c's metadata (after staggering). */
static inline int64_t
ffs_cgstart(const struct ffs_mount *ump, uint32_t c)
{
	return ump->um_fpg * c + ump->um_cgoffset * (int64_t)(c & ~ump->um_cgmask);
}

/* Fragments of a file's logical block lbn (the last may be short). */
static inline uint32_t
ffs_blksize(const struct ffs_mount *ump, const struct ffs_inode *ip,
    int64_t lbn)
{
	int64_t rest;

	if (lbn >= FFS_NDADDR)
		return ump->um_bsize;
	rest = ip->i_size - (lbn << ump->um_bshift);
	if (rest >= (int64_t)ump->um_bsize)
		return ump->um_bsize;
	if (rest <= 0)
		return ump->um_fsize;
	return (uint32_t)roundup(rest, (int64_t)ump->um_fsize);
}

static inline uint32_t
ffs_dtog(const struct ffs_mount *ump, int64_t frag)
{
	return (uint32_t)(frag / ump->um_fpg);
}

/* ffs_super.c (precondition for both: um_devvp open, no locks) */
int	ffs_sb_load(struct ffs_mount *ump, uint64_t devbytes,
	    const char *name);
int	ffs_cg_check(struct ffs_mount *ump, const char *name);

/* ffs_inode.c */
int	ffs_inode_load(struct ffs_mount *ump, uint64_t ino,
	    struct ffs_inode **ipp);
void	ffs_inode_free(struct ffs_inode *ip);
/* Fragment address of logical block lbn (0: a hole). */
int	ffs_bmap(struct ffs_inode *ip, int64_t lbn, int64_t *daddrp);
/* Read logical block lbn (*bpp NULL for a hole; *sizep its size). */
int	ffs_bread_lbn(struct ffs_inode *ip, int64_t lbn, struct buf **bpp,
	    uint32_t *sizep);
int	ffs_read(struct ffs_inode *ip, struct uio *uio);
/* Is [daddr, daddr + bytes) inside the file system's data? */
bool	ffs_addr_ok(const struct ffs_mount *ump, int64_t daddr,
	    uint32_t bytes);

/* ffs_super.c: writing (read-write mounts) */
int	ffs_cs_load(struct ffs_mount *ump);
int	ffs_sb_write(struct ffs_mount *ump, bool clean);

/* ffs_alloc.c (precondition: no um_lock held; v_lock of the inode the
 * blocks are for held as writer) */
int	ffs_alloc(struct ffs_mount *ump, uint32_t prefcg, uint32_t nfrags,
	    int64_t *addrp);
int	ffs_free(struct ffs_mount *ump, int64_t addr, uint32_t nfrags);
int	ffs_ialloc(struct ffs_mount *ump, uint32_t prefcg, bool dir,
	    uint64_t *inop);
int	ffs_ifree(struct ffs_mount *ump, uint64_t ino, bool dir);

/* ffs_balloc.c (precondition: the inode's v_lock writer) */
int	ffs_iupdate(struct ffs_inode *ip);
int	ffs_iinit(struct ffs_inode *ip);
int	ffs_balloc(struct ffs_inode *ip, int64_t lbn, struct buf **bpp);
int	ffs_truncate(struct ffs_inode *ip, int64_t size);
int	ffs_grow(struct ffs_inode *ip, int64_t newsize);
int	ffs_write_buf(struct ffs_inode *ip, const char *buf, size_t len);
int	ffs_write(struct ffs_inode *ip, struct uio *uio, int ioflag);
void	ffs_itimes(struct ffs_inode *ip, bool atime, bool mtime, bool ctime);

/* ffs_dir.c */
/* One directory entry as the checked walk hands it out (name not
 * NUL-terminated). */
struct ffs_dent {
	uint64_t	de_ino;
	uint8_t		de_type;
	uint8_t		de_namlen;
	const char	*de_name;
	off_t		de_off;		/* of this record */
	off_t		de_next;	/* of the next record */
};
/* Returns 0 to go on, FFS_WALK_STOP to stop, or an errno. */
#define FFS_WALK_STOP	(-1)
typedef int (*ffs_walk_fn)(void *arg, const struct ffs_dent *de);
/* Check the 512-byte chunk at directory offset choff and hand its used
 * records from offset start on to fn. */
int	ffs_dir_chunk(struct ffs_inode *dp, const char *chunk, off_t choff,
	    off_t start, ffs_walk_fn fn, void *arg);
int	ffs_dir_lookup(struct ffs_inode *dp, const char *name, size_t namelen,
	    uint64_t *inop);
int	ffs_dir_readdir(struct ffs_inode *dp, struct uio *uio, int *eofflag);

/* ffs_dirhash.c: the index of big directories (see there for locks) */
#define FFS_DH_NONE	(-2)	/* no index: scan linearly */
struct ffs_dirhash;
void	ffs_dirhash_init(void);
void	ffs_dirhash_fini(void);
bool	ffs_dirhash_checking(void);
int	ffs_dirhash_lookup(struct ffs_inode *dp, const char *name, size_t len,
	    struct buf **bpp, int64_t *offp);
int	ffs_dirhash_room(struct ffs_inode *dp, uint32_t need, int64_t *choffp,
	    bool *compactp);
void	ffs_dirhash_added(struct ffs_inode *dp, const char *name, size_t len,
	    int64_t off, const char *chunk, int64_t choff);
void	ffs_dirhash_removed(struct ffs_inode *dp, const char *name,
	    size_t len, int64_t off, const char *chunk, int64_t choff);
void	ffs_dirhash_unchunk(struct ffs_inode *dp, const char *chunk,
	    int64_t choff);
void	ffs_dirhash_rechunk(struct ffs_inode *dp, const char *chunk,
	    int64_t choff);
int	ffs_dirhash_verify(struct ffs_inode *dp);
void	ffs_dirhash_free(struct ffs_inode *ip);

/* ffs_dirops.c (precondition: nslock writer, the directory's v_lock
 * writer) */
int	ffs_dir_enter(struct ffs_inode *dp, const char *name, size_t len,
	    uint64_t ino, uint8_t type);
int	ffs_dir_remove(struct ffs_inode *dp, const char *name, size_t len,
	    uint64_t ino);
int	ffs_dir_rewrite(struct ffs_inode *dp, const char *name, size_t len,
	    uint64_t ino, uint8_t type);
int	ffs_dir_isempty(struct ffs_inode *dp, bool *emptyp);
int	ffs_dir_init(struct ffs_inode *ip, uint64_t parent);

/* ffs_nsops.c: the name space vnode operations (sys/vnode.h contracts)
 * and vfs_newvnode */
struct componentname;
int	ffs_newvnode(struct mount *mp, struct vnode *dvp, struct vnode *vp,
	    struct vattr *vap, kauth_cred_t cred, void *key, size_t *keylenp);
int	ffs_create(struct vnode *dvp, struct vnode **vpp,
	    struct componentname *cnp, struct vattr *vap);
int	ffs_mknod(struct vnode *dvp, struct vnode **vpp,
	    struct componentname *cnp, struct vattr *vap);
int	ffs_mkdir(struct vnode *dvp, struct vnode **vpp,
	    struct componentname *cnp, struct vattr *vap);
int	ffs_symlink(struct vnode *dvp, struct vnode **vpp,
	    struct componentname *cnp, struct vattr *vap, const char *target);
int	ffs_remove(struct vnode *dvp, struct vnode *vp,
	    struct componentname *cnp);
int	ffs_rmdir(struct vnode *dvp, struct vnode *vp,
	    struct componentname *cnp);
int	ffs_link(struct vnode *dvp, struct vnode *vp,
	    struct componentname *cnp);
int	ffs_rename(struct vnode *fdvp, struct vnode *fvp,
	    struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
	    struct componentname *tcnp);

/* ffs_vnops.c */
int	ffs_access_ip(struct ffs_inode *ip, int accmode, kauth_cred_t cred);
extern const struct vnodeops ffs_vnodeops;

#endif /* _FFS_H_ */
