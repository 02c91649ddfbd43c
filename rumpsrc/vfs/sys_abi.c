/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys_abi.c: compile-time checks that the public ABI of the file system
 * calls (rump/rumpdefs.h, vfs section) matches the kernel's own headers:
 * every constant, and the size and member offsets of each structure the
 * calls copy in or out.  No code: a mismatch fails the build.
 */
#include <sys/types.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/errno.h>
/* vnode.h first: it declares struct mount, which mount.h uses unannounced */
#include <sys/vnode.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <rump/rumpdefs.h>

#include "../fs/tmpfs/tmpfs_args.h"

#define ABI_EQ(a, b)		_Static_assert((a) == (b), #a " != " #b)
#define ABI_SIZE(pub, k)	ABI_EQ(sizeof(struct pub), sizeof(struct k))
#define ABI_OFF(pub, k, pm, km)						\
	ABI_EQ(offsetof(struct pub, pm), offsetof(struct k, km));	\
	ABI_EQ(sizeof(((struct pub *)0)->pm), sizeof(((struct k *)0)->km))
#define ABI_MEMBER(pub, k, m)	ABI_OFF(pub, k, m, m)

/* open flags */
ABI_EQ(RUMP_O_RDONLY, O_RDONLY);
ABI_EQ(RUMP_O_WRONLY, O_WRONLY);
ABI_EQ(RUMP_O_RDWR, O_RDWR);
ABI_EQ(RUMP_O_ACCMODE, O_ACCMODE);
ABI_EQ(RUMP_O_NONBLOCK, O_NONBLOCK);
ABI_EQ(RUMP_O_APPEND, O_APPEND);
ABI_EQ(RUMP_O_SHLOCK, O_SHLOCK);
ABI_EQ(RUMP_O_EXLOCK, O_EXLOCK);
ABI_EQ(RUMP_O_ASYNC, O_ASYNC);
ABI_EQ(RUMP_O_SYNC, O_SYNC);
ABI_EQ(RUMP_O_NOFOLLOW, O_NOFOLLOW);
ABI_EQ(RUMP_O_CREAT, O_CREAT);
ABI_EQ(RUMP_O_TRUNC, O_TRUNC);
ABI_EQ(RUMP_O_EXCL, O_EXCL);
ABI_EQ(RUMP_O_NOCTTY, O_NOCTTY);
ABI_EQ(RUMP_O_DSYNC, O_DSYNC);
ABI_EQ(RUMP_O_RSYNC, O_RSYNC);
ABI_EQ(RUMP_O_DIRECT, O_DIRECT);
ABI_EQ(RUMP_O_DIRECTORY, O_DIRECTORY);
ABI_EQ(RUMP_O_CLOEXEC, O_CLOEXEC);
ABI_EQ(RUMP_O_SEARCH, O_SEARCH);
ABI_EQ(RUMP_O_NOSIGPIPE, O_NOSIGPIPE);
ABI_EQ(RUMP_O_REGULAR, O_REGULAR);

/* fcntl, *at, lseek, access */
ABI_EQ(RUMP_F_DUPFD, F_DUPFD);
ABI_EQ(RUMP_F_GETFD, F_GETFD);
ABI_EQ(RUMP_F_SETFD, F_SETFD);
ABI_EQ(RUMP_F_GETFL, F_GETFL);
ABI_EQ(RUMP_F_SETFL, F_SETFL);
ABI_EQ(RUMP_F_DUPFD_CLOEXEC, F_DUPFD_CLOEXEC);
ABI_EQ(RUMP_FD_CLOEXEC, FD_CLOEXEC);
ABI_EQ(RUMP_AT_FDCWD, AT_FDCWD);
ABI_EQ(RUMP_AT_EACCESS, AT_EACCESS);
ABI_EQ(RUMP_AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW);
ABI_EQ(RUMP_AT_SYMLINK_FOLLOW, AT_SYMLINK_FOLLOW);
ABI_EQ(RUMP_AT_REMOVEDIR, AT_REMOVEDIR);
ABI_EQ(RUMP_SEEK_SET, SEEK_SET);
ABI_EQ(RUMP_SEEK_CUR, SEEK_CUR);
ABI_EQ(RUMP_SEEK_END, SEEK_END);
ABI_EQ(RUMP_F_OK, F_OK);
ABI_EQ(RUMP_X_OK, X_OK);
ABI_EQ(RUMP_W_OK, W_OK);
ABI_EQ(RUMP_R_OK, R_OK);

/* modes */
ABI_EQ(RUMP_S_IFMT, S_IFMT);
ABI_EQ(RUMP_S_IFIFO, S_IFIFO);
ABI_EQ(RUMP_S_IFCHR, S_IFCHR);
ABI_EQ(RUMP_S_IFDIR, S_IFDIR);
ABI_EQ(RUMP_S_IFBLK, S_IFBLK);
ABI_EQ(RUMP_S_IFREG, S_IFREG);
ABI_EQ(RUMP_S_IFLNK, S_IFLNK);
ABI_EQ(RUMP_S_IFSOCK, S_IFSOCK);
ABI_EQ(RUMP_S_ISUID, S_ISUID);
ABI_EQ(RUMP_S_ISGID, S_ISGID);
ABI_EQ(RUMP_S_ISVTX, S_ISVTX);

/* dirent types */
ABI_EQ(RUMP_DT_UNKNOWN, DT_UNKNOWN);
ABI_EQ(RUMP_DT_FIFO, DT_FIFO);
ABI_EQ(RUMP_DT_CHR, DT_CHR);
ABI_EQ(RUMP_DT_DIR, DT_DIR);
ABI_EQ(RUMP_DT_BLK, DT_BLK);
ABI_EQ(RUMP_DT_REG, DT_REG);
ABI_EQ(RUMP_DT_LNK, DT_LNK);
ABI_EQ(RUMP_DT_SOCK, DT_SOCK);
ABI_EQ(RUMP_DT_WHT, DT_WHT);

/* mount flags */
ABI_EQ(RUMP_MNT_RDONLY, MNT_RDONLY);
ABI_EQ(RUMP_MNT_SYNCHRONOUS, MNT_SYNCHRONOUS);
ABI_EQ(RUMP_MNT_NOEXEC, MNT_NOEXEC);
ABI_EQ(RUMP_MNT_NOSUID, MNT_NOSUID);
ABI_EQ(RUMP_MNT_NODEV, MNT_NODEV);
ABI_EQ(RUMP_MNT_UNION, MNT_UNION);
ABI_EQ(RUMP_MNT_ASYNC, MNT_ASYNC);
ABI_EQ(RUMP_MNT_LOCAL, MNT_LOCAL);
ABI_EQ(RUMP_MNT_ROOTFS, MNT_ROOTFS);
ABI_EQ(RUMP_MNT_UPDATE, MNT_UPDATE);
ABI_EQ(RUMP_MNT_FORCE, MNT_FORCE);
ABI_EQ(RUMP_MNT_GETARGS, MNT_GETARGS);
ABI_EQ(RUMP_MNT_NOATIME, MNT_NOATIME);
ABI_EQ(RUMP_ST_WAIT, ST_WAIT);
ABI_EQ(RUMP_ST_NOWAIT, ST_NOWAIT);

/* limits */
ABI_EQ(RUMP_MAXPATHLEN, MAXPATHLEN);
ABI_EQ(RUMP_NAME_MAX, NAME_MAX);
ABI_EQ(RUMP_MAXNAMLEN, MAXNAMLEN);
ABI_EQ(RUMP_VFS_NAMELEN, _VFS_NAMELEN);
ABI_EQ(RUMP_VFS_MNAMELEN, _VFS_MNAMELEN);

/* errno */
ABI_EQ(RUMP_ENOEXEC, ENOEXEC);
ABI_EQ(RUMP_EACCES, EACCES);
ABI_EQ(RUMP_EXDEV, EXDEV);
ABI_EQ(RUMP_ENODEV, ENODEV);
ABI_EQ(RUMP_ENOTDIR, ENOTDIR);
ABI_EQ(RUMP_EISDIR, EISDIR);
ABI_EQ(RUMP_EMFILE, EMFILE);
ABI_EQ(RUMP_EFBIG, EFBIG);
ABI_EQ(RUMP_ENOSPC, ENOSPC);
ABI_EQ(RUMP_ESPIPE, ESPIPE);
ABI_EQ(RUMP_EROFS, EROFS);
ABI_EQ(RUMP_EMLINK, EMLINK);
ABI_EQ(RUMP_ERANGE, ERANGE);
ABI_EQ(RUMP_ELOOP, ELOOP);
ABI_EQ(RUMP_EFTYPE, EFTYPE);
ABI_EQ(RUMP_ENAMETOOLONG, ENAMETOOLONG);
ABI_EQ(RUMP_ENOTEMPTY, ENOTEMPTY);

/* struct timespec / timeval / iovec */
ABI_SIZE(rump_timespec, timespec);
ABI_MEMBER(rump_timespec, timespec, tv_sec);
ABI_MEMBER(rump_timespec, timespec, tv_nsec);
ABI_EQ(sizeof(struct rump_timeval), 16);	/* NetBSD: time_t + int */
ABI_SIZE(rump_iovec, iovec);
ABI_MEMBER(rump_iovec, iovec, iov_base);
ABI_MEMBER(rump_iovec, iovec, iov_len);

/* struct stat */
ABI_SIZE(rump_stat, stat);
ABI_MEMBER(rump_stat, stat, st_dev);
ABI_MEMBER(rump_stat, stat, st_mode);
ABI_MEMBER(rump_stat, stat, st_ino);
ABI_MEMBER(rump_stat, stat, st_nlink);
ABI_MEMBER(rump_stat, stat, st_uid);
ABI_MEMBER(rump_stat, stat, st_gid);
ABI_MEMBER(rump_stat, stat, st_rdev);
ABI_MEMBER(rump_stat, stat, st_atimespec);
ABI_MEMBER(rump_stat, stat, st_mtimespec);
ABI_MEMBER(rump_stat, stat, st_ctimespec);
ABI_MEMBER(rump_stat, stat, st_birthtimespec);
ABI_MEMBER(rump_stat, stat, st_size);
ABI_MEMBER(rump_stat, stat, st_blocks);
ABI_MEMBER(rump_stat, stat, st_blksize);
ABI_MEMBER(rump_stat, stat, st_flags);
ABI_MEMBER(rump_stat, stat, st_gen);
ABI_MEMBER(rump_stat, stat, st_spare);

/* struct dirent */
ABI_SIZE(rump_dirent, dirent);
ABI_MEMBER(rump_dirent, dirent, d_fileno);
ABI_MEMBER(rump_dirent, dirent, d_reclen);
ABI_MEMBER(rump_dirent, dirent, d_namlen);
ABI_MEMBER(rump_dirent, dirent, d_type);
ABI_MEMBER(rump_dirent, dirent, d_name);

/* struct statvfs */
ABI_SIZE(rump_statvfs, statvfs);
ABI_MEMBER(rump_statvfs, statvfs, f_flag);
ABI_MEMBER(rump_statvfs, statvfs, f_bsize);
ABI_MEMBER(rump_statvfs, statvfs, f_frsize);
ABI_MEMBER(rump_statvfs, statvfs, f_iosize);
ABI_MEMBER(rump_statvfs, statvfs, f_blocks);
ABI_MEMBER(rump_statvfs, statvfs, f_bfree);
ABI_MEMBER(rump_statvfs, statvfs, f_bavail);
ABI_MEMBER(rump_statvfs, statvfs, f_bresvd);
ABI_MEMBER(rump_statvfs, statvfs, f_files);
ABI_MEMBER(rump_statvfs, statvfs, f_ffree);
ABI_MEMBER(rump_statvfs, statvfs, f_favail);
ABI_MEMBER(rump_statvfs, statvfs, f_fresvd);
ABI_MEMBER(rump_statvfs, statvfs, f_syncreads);
ABI_MEMBER(rump_statvfs, statvfs, f_syncwrites);
ABI_MEMBER(rump_statvfs, statvfs, f_asyncreads);
ABI_MEMBER(rump_statvfs, statvfs, f_asyncwrites);
ABI_MEMBER(rump_statvfs, statvfs, f_fsidx);
ABI_MEMBER(rump_statvfs, statvfs, f_fsid);
ABI_MEMBER(rump_statvfs, statvfs, f_namemax);
ABI_MEMBER(rump_statvfs, statvfs, f_owner);
ABI_MEMBER(rump_statvfs, statvfs, f_spare);
ABI_MEMBER(rump_statvfs, statvfs, f_fstypename);
ABI_MEMBER(rump_statvfs, statvfs, f_mntonname);
ABI_MEMBER(rump_statvfs, statvfs, f_mntfromname);
ABI_MEMBER(rump_statvfs, statvfs, f_mntfromlabel);

/* struct tmpfs_args (fs/tmpfs/tmpfs_args.h) */
ABI_EQ(RUMP_TMPFS_ARGS_VERSION, TMPFS_ARGS_VERSION);
ABI_SIZE(rump_tmpfs_args, tmpfs_args);
ABI_MEMBER(rump_tmpfs_args, tmpfs_args, ta_version);
ABI_MEMBER(rump_tmpfs_args, tmpfs_args, ta_nodes_max);
ABI_MEMBER(rump_tmpfs_args, tmpfs_args, ta_size_max);
ABI_MEMBER(rump_tmpfs_args, tmpfs_args, ta_root_uid);
ABI_MEMBER(rump_tmpfs_args, tmpfs_args, ta_root_gid);
ABI_MEMBER(rump_tmpfs_args, tmpfs_args, ta_root_mode);
