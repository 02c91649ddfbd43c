/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs.h: private declarations of tmpfs, the memory file system
 * (the fs/tmpfs sources only).
 *
 * Layers:
 *  - tmpfs_vfsops.c: the file system type (component, mount, unmount,
 *    root, statvfs, loading and creating vnodes);
 *  - tmpfs_subr.c: nodes (allocation, accounting against the mount's
 *    limits, attributes, times, permission helpers);
 *  - tmpfs_dir.c: directory entries (hashed by name, listed in creation
 *    order with a per-directory sequence number that is the readdir
 *    cookie);
 *  - tmpfs_data.c: regular file data (a radix tree of page pointers,
 *    sparse), read, write and truncate;
 *  - tmpfs_vnops.c / tmpfs_rename.c: the vnode operations.
 *
 * Objects.  Every file system object is a struct tmpfs_node, on its
 * mount's node list from creation until it is freed.  A node lives while
 * it has a name (tn_nlink > 0) or a vnode: the vnode cache key is the
 * pair (node pointer, node id), so a key never names a reused address.
 * VOP_INACTIVE asks for recycling once the link count is 0, and
 * VOP_RECLAIM of such a node frees it with everything it owns.  At
 * unmount, after the VFS has flushed every vnode, the remaining nodes
 * are freed from the node list.
 *
 * Locking (the VFS's protocol is in sys/vnode.h):
 *  - mnt_nslock (VFS): as writer, orders every name space change; as
 *    reader, lets lookups walk directory entries.
 *  - v_lock (VFS): a directory's v_lock guards its entry list against
 *    VOP_READDIR (which holds it as reader); name space operations take
 *    it as writer, one vnode at a time, around each change of a list.
 *    A regular file's v_lock guards its size and pages (VOP_READ reader,
 *    VOP_WRITE/VOP_SETATTR writer).
 *  - tm_lock (ours, per mount, adaptive): the accounting (bytes, nodes),
 *    the node list, and every node's attributes that change outside the
 *    node's own v_lock: link count, mode, owner, flags and times.  Never
 *    held across a sleep other than mutex waits; never held while
 *    calling into the VFS.
 * Lock order: mnt_nslock, then one v_lock, then tm_lock.
 */
#ifndef _FS_TMPFS_TMPFS_H_
#define _FS_TMPFS_TMPFS_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/kauth.h>

#include "tmpfs_args.h"

struct uio;
struct componentname;

/* ---------------------------------------------------------------- limits */

#define TMPFS_NAME_MAX		511		/* == MAXNAMLEN */
#define TMPFS_LINK_MAX		32767
/* Largest file: 2^42 bytes (4 TiB), i.e. 2^30 pages: radix height <= 4. */
#define TMPFS_MAXFILESIZE	((off_t)1 << 42)
#define TMPFS_ROOT_ID		2		/* inode number of the root */
/* statvfs figures for an unlimited mount. */
#define TMPFS_UNLIMITED_BYTES	((uint64_t)1 << 40)
#define TMPFS_UNLIMITED_NODES	((uint64_t)1 << 32)
/* Nominal size of one directory entry, for a directory's st_size. */
#define TMPFS_DIRENT_SIZE	32

/* ---------------------------------------------------------------- data */

/*
 * Pages of a regular file: a radix tree of PAGE_SIZE blocks of
 * TMPFS_RADIX_FANOUT pointers.  Height 0: tp_root is the data page of
 * index 0 (or NULL); height h: tp_root is a block whose slots cover
 * TMPFS_RADIX_FANOUT^(h-1) pages each.  Absent pages are holes.
 * Guarded by the node's v_lock.
 */
#define TMPFS_RADIX_SHIFT	9
#define TMPFS_RADIX_FANOUT	(1UL << TMPFS_RADIX_SHIFT)
#define TMPFS_RADIX_MAXHEIGHT	4

struct tmpfs_pages {
	void		*tp_root;
	u_int		tp_height;
	size_t		tp_npages;	/* data pages present */
	size_t		tp_nblocks;	/* interior blocks */
};

/* ---------------------------------------------------------------- dirents */

struct tmpfs_node;

struct tmpfs_dirent {
	TAILQ_ENTRY(tmpfs_dirent) td_entries;	/* creation order */
	struct tmpfs_dirent	*td_hnext;	/* hash chain */
	struct tmpfs_node	*td_node;
	uint64_t		td_seq;		/* readdir cookie, >= 2 */
	uint32_t		td_hash;
	uint16_t		td_namelen;
	char			td_name[];	/* not NUL-terminated */
};

TAILQ_HEAD(tmpfs_dirent_list, tmpfs_dirent);

/* Readdir cookies: "." and ".." first, then entries by sequence number. */
#define TMPFS_COOKIE_DOT	0
#define TMPFS_COOKIE_DOTDOT	1
#define TMPFS_COOKIE_FIRST	2

struct tmpfs_dir {
	struct tmpfs_dirent_list td_list;
	struct tmpfs_dirent	**td_hash;	/* td_nbuckets heads */
	u_int			td_nbuckets;	/* power of two, or 0 */
	u_int			td_count;	/* entries */
	uint64_t		td_nextseq;
	/* Where the last readdir stopped: a hint, read and written with
	 * relaxed atomics by readdirs (v_lock reader), moved on by detach
	 * (v_lock writer), so it always names a live entry or NULL. */
	struct tmpfs_dirent	*td_hint;
	struct tmpfs_node	*td_parent;	/* NULL once removed */
};

/* ---------------------------------------------------------------- nodes */

struct tmpfs_mount;

struct tmpfs_node {
	TAILQ_ENTRY(tmpfs_node)	tn_list;	/* tm_nodes */
	struct tmpfs_mount	*tn_mount;
	enum vtype		tn_type;
	uint64_t		tn_id;		/* inode number, unique */
	uint32_t		tn_gen;
	/* Attributes: tm_lock (tn_size: v_lock for regular files, the
	 * directory's v_lock otherwise). */
	uint32_t		tn_nlink;
	mode_t			tn_mode;	/* 07777 */
	uid_t			tn_uid;
	gid_t			tn_gid;
	uint32_t		tn_flags;
	off_t			tn_size;
	struct timespec		tn_atime;
	struct timespec		tn_mtime;
	struct timespec		tn_ctime;
	struct timespec		tn_birthtime;
	uint64_t		tn_rdev;
	union {
		struct tmpfs_pages	tn_reg;		/* VREG */
		struct tmpfs_dir	tn_dir;		/* VDIR */
		struct {
			char	*tl_target;		/* NUL-terminated */
			size_t	tl_len;			/* without NUL */
		}			tn_lnk;		/* VLNK */
	};
};

/* tmpfs_node_touch: which times to set to "now" */
#define TMPFS_ATIME	0x01
#define TMPFS_MTIME	0x02
#define TMPFS_CTIME	0x04

struct tmpfs_mount {
	kmutex_t		tm_lock;
	TAILQ_HEAD(, tmpfs_node) tm_nodes;
	struct tmpfs_node	*tm_root;
	struct mount		*tm_mp;
	uint64_t		tm_nodes_max;	/* 0: none */
	uint64_t		tm_nodes_cnt;
	uint64_t		tm_bytes_max;	/* 0: none */
	uint64_t		tm_bytes_used;	/* incl. reservations */
	uint64_t		tm_nextid;
	bool			tm_noatime;
};

/* The vnode cache key of a node. */
struct tmpfs_key {
	struct tmpfs_node	*tk_node;
	uint64_t		tk_id;
};

static inline struct tmpfs_mount *
VFS_TO_TMPFS(struct mount *mp)
{
	return mp->mnt_data;
}

static inline struct tmpfs_node *
VP_TO_TMPFS_NODE(struct vnode *vp)
{
	return vp->v_data;
}

/* ---------------------------------------------------------------- subr */

extern const struct vnodeops tmpfs_vnodeops;

/* VOP_RENAME (tmpfs_rename.c). */
int	tmpfs_rename(struct vnode *fdvp, struct vnode *fvp,
	    struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
	    struct componentname *tcnp);

/* Memory accounting: ENOSPC beyond the limit. */
int	tmpfs_mem_reserve(struct tmpfs_mount *tm, size_t bytes);
void	tmpfs_mem_release(struct tmpfs_mount *tm, size_t bytes);

int	tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, uid_t uid,
	    gid_t gid, mode_t mode, uint64_t rdev, struct tmpfs_node **np);
void	tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *node);
void	tmpfs_node_touch(struct tmpfs_node *node, int which);
void	tmpfs_node_touch_locked(struct tmpfs_node *node, int which);
int	tmpfs_node_vget(struct tmpfs_mount *tm, struct tmpfs_node *node,
	    struct vnode **vpp);
void	tmpfs_node_getattr(struct tmpfs_node *node, struct vattr *vap);
int	tmpfs_node_setattr(struct vnode *vp, struct vattr *vap,
	    kauth_cred_t cred);
int	tmpfs_node_access(struct tmpfs_node *node, int accmode,
	    kauth_cred_t cred);
bool	tmpfs_cred_is_root(kauth_cred_t cred);
int	tmpfs_sticky_check(struct tmpfs_node *dnode, struct tmpfs_node *node,
	    kauth_cred_t cred);

/* ---------------------------------------------------------------- dir */

void	tmpfs_dir_init(struct tmpfs_node *dnode, struct tmpfs_node *parent);
void	tmpfs_dir_fini(struct tmpfs_mount *tm, struct tmpfs_node *dnode);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *dnode,
	    const char *name, size_t namelen);
int	tmpfs_dirent_alloc(struct tmpfs_mount *tm, const char *name,
	    size_t namelen, struct tmpfs_dirent **dep);
void	tmpfs_dirent_free(struct tmpfs_mount *tm, struct tmpfs_dirent *de);
int	tmpfs_dir_reserve(struct tmpfs_mount *tm, struct tmpfs_node *dnode);
void	tmpfs_dir_attach(struct tmpfs_node *dnode, struct tmpfs_dirent *de,
	    struct tmpfs_node *node);
void	tmpfs_dir_detach(struct tmpfs_node *dnode, struct tmpfs_dirent *de);
int	tmpfs_dir_getdents(struct tmpfs_node *dnode, struct uio *uio,
	    int *eofflag);

/* ---------------------------------------------------------------- data */

void	tmpfs_pages_init(struct tmpfs_pages *tp);
int	tmpfs_reg_read(struct tmpfs_node *node, struct uio *uio);
int	tmpfs_reg_write(struct tmpfs_node *node, struct uio *uio, int ioflag);
int	tmpfs_reg_truncate(struct tmpfs_node *node, off_t length);
/* Bytes of data pages and blocks, for va_bytes/st_blocks. */
uint64_t tmpfs_reg_bytes(const struct tmpfs_node *node);

#endif /* _FS_TMPFS_TMPFS_H_ */
