/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernfs.h: private declarations of kernfs, the read-only file system of
 * kernel information (rumpsrc/fs/kernfs/).
 *
 * kernfs is one flat directory.  Every object is named by a small index,
 * which is also its vnode cache key: index 0 is the root directory, 1..N
 * are the files of kernfs_files[] (kernfs_files.c).  A file's text is not
 * stored: it is generated into a kmem buffer each time it is read or
 * stat'ed (kernfs_text), so it always shows the kernel's current state.
 *
 *   kernfs_vfsops.c  component, mount/unmount/root/statvfs, loadvnode
 *   kernfs_vnops.c   lookup, readdir, getattr, read; EROFS for changes
 *   kernfs_files.c   the file table and the text generators
 */
#ifndef _FS_KERNFS_KERNFS_H_
#define _FS_KERNFS_KERNFS_H_

#include <sys/types.h>

struct vnode;
struct mount;
struct vnodeops;

/* Vnode cache key: the object index. */
typedef uint32_t kernfs_key_t;
#define KERNFS_ROOT_INDEX	0

/* File ids (va_fileid, d_fileno): index + 2, so the root is inode 2. */
#define KERNFS_FILEID(index)	((uint64_t)(index) + 2)

/* Per vnode (v_data): which object it is. */
struct kernfs_node {
	kernfs_key_t	kn_index;
};

/* A growing text buffer from kmem that generators print into. */
struct kernfs_text {
	char	*kt_buf;
	size_t	kt_size;	/* bytes allocated */
	size_t	kt_len;		/* bytes the text needs (may exceed kt_size) */
};

struct kernfs_file {
	const char	*kf_name;
	/* Print the file's current text into kt (kernfs_text_printf). */
	void		(*kf_gen)(struct kernfs_text *kt);
};

/* kernfs_files.c */
extern const struct kernfs_file kernfs_files[];
extern const u_int kernfs_nfiles;	/* files, not counting the root */
int	kernfs_text_make(kernfs_key_t index, struct kernfs_text *kt);
void	kernfs_text_free(struct kernfs_text *kt);
void	kernfs_text_printf(struct kernfs_text *kt, const char *fmt, ...)
	    __printflike(2, 3);

/* kernfs_vnops.c */
extern const struct vnodeops kernfs_vnodeops;

#endif /* _FS_KERNFS_KERNFS_H_ */
