/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump/rumpdefs.h: constants and structures of the public API, with
 * NetBSD's values and layouts, under RUMP_ names so that they never clash
 * with a host's own.  Includes nothing.
 */
#ifndef _RUMP_RUMPDEFS_H_
#define _RUMP_RUMPDEFS_H_

/* rump_pub_lwproc_rfork flags */
#define RUMP_RFFDG		0x0004	/* copy the caller's descriptors */
#define RUMP_RFCFDG		0x1000	/* start with no descriptors */

/* clock ids */
#define RUMP_CLOCK_REALTIME	0
#define RUMP_CLOCK_MONOTONIC	3

struct rump_timespec {
	long long	tv_sec;
	long		tv_nsec;
};

/* Basic types of the API (NetBSD widths: off_t is 64-bit everywhere). */
typedef __SIZE_TYPE__		rump_size_t;
typedef __PTRDIFF_TYPE__	rump_ssize_t;
typedef long long		rump_off_t;
typedef unsigned int		rump_mode_t;
typedef unsigned int		rump_uid_t;
typedef unsigned int		rump_gid_t;

struct rump_timeval {
	long long	tv_sec;
	int		tv_usec;
};

struct rump_iovec {
	void		*iov_base;
	rump_size_t	iov_len;
};

/*
 * ---- vfs section ----------------------------------------------------------
 * File system ABI: NetBSD's values and layouts.  vfs/sys_abi.c checks every
 * constant, structure size and member offset here against the kernel's own
 * headers at compile time.
 */

/* open(2) flags */
#define RUMP_O_RDONLY		0x00000000
#define RUMP_O_WRONLY		0x00000001
#define RUMP_O_RDWR		0x00000002
#define RUMP_O_ACCMODE		0x00000003
#define RUMP_O_NONBLOCK		0x00000004
#define RUMP_O_APPEND		0x00000008
#define RUMP_O_SHLOCK		0x00000010
#define RUMP_O_EXLOCK		0x00000020
#define RUMP_O_ASYNC		0x00000040
#define RUMP_O_SYNC		0x00000080
#define RUMP_O_NOFOLLOW		0x00000100
#define RUMP_O_CREAT		0x00000200
#define RUMP_O_TRUNC		0x00000400
#define RUMP_O_EXCL		0x00000800
#define RUMP_O_NOCTTY		0x00008000
#define RUMP_O_DSYNC		0x00010000
#define RUMP_O_RSYNC		0x00020000
#define RUMP_O_DIRECT		0x00080000
#define RUMP_O_DIRECTORY	0x00200000
#define RUMP_O_CLOEXEC		0x00400000
#define RUMP_O_SEARCH		0x00800000
#define RUMP_O_NOSIGPIPE	0x01000000
#define RUMP_O_REGULAR		0x02000000

/* fcntl(2) commands and descriptor flags */
#define RUMP_F_DUPFD		0
#define RUMP_F_GETFD		1
#define RUMP_F_SETFD		2
#define RUMP_F_GETFL		3
#define RUMP_F_SETFL		4
#define RUMP_F_DUPFD_CLOEXEC	12
#define RUMP_FD_CLOEXEC		1

/* *at(2) */
#define RUMP_AT_FDCWD		-100
#define RUMP_AT_EACCESS		0x0100
#define RUMP_AT_SYMLINK_NOFOLLOW 0x0200
#define RUMP_AT_SYMLINK_FOLLOW	0x0400
#define RUMP_AT_REMOVEDIR	0x0800

/* lseek(2) */
#define RUMP_SEEK_SET		0
#define RUMP_SEEK_CUR		1
#define RUMP_SEEK_END		2

/* access(2) */
#define RUMP_F_OK		0
#define RUMP_X_OK		0x01
#define RUMP_W_OK		0x02
#define RUMP_R_OK		0x04

/* file types and permission bits of st_mode */
#define RUMP_S_IFMT		0170000
#define RUMP_S_IFIFO		0010000
#define RUMP_S_IFCHR		0020000
#define RUMP_S_IFDIR		0040000
#define RUMP_S_IFBLK		0060000
#define RUMP_S_IFREG		0100000
#define RUMP_S_IFLNK		0120000
#define RUMP_S_IFSOCK		0140000
#define RUMP_S_ISUID		0004000
#define RUMP_S_ISGID		0002000
#define RUMP_S_ISVTX		0001000
#define RUMP_S_ISDIR(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFDIR)
#define RUMP_S_ISREG(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFREG)
#define RUMP_S_ISLNK(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFLNK)

/* d_type of struct rump_dirent */
#define RUMP_DT_UNKNOWN		0
#define RUMP_DT_FIFO		1
#define RUMP_DT_CHR		2
#define RUMP_DT_DIR		4
#define RUMP_DT_BLK		6
#define RUMP_DT_REG		8
#define RUMP_DT_LNK		10
#define RUMP_DT_SOCK		12
#define RUMP_DT_WHT		14

/* mount(2) / unmount(2) flags (also f_flag of struct rump_statvfs) */
#define RUMP_MNT_RDONLY		0x00000001
#define RUMP_MNT_SYNCHRONOUS	0x00000002
#define RUMP_MNT_NOEXEC		0x00000004
#define RUMP_MNT_NOSUID		0x00000008
#define RUMP_MNT_NODEV		0x00000010
#define RUMP_MNT_UNION		0x00000020
#define RUMP_MNT_ASYNC		0x00000040
#define RUMP_MNT_LOCAL		0x00001000
#define RUMP_MNT_ROOTFS		0x00004000
#define RUMP_MNT_UPDATE		0x00010000
#define RUMP_MNT_FORCE		0x00080000
#define RUMP_MNT_GETARGS	0x00400000
#define RUMP_MNT_NOATIME	0x04000000

/* statvfs1(2) flags */
#define RUMP_ST_WAIT		0x1
#define RUMP_ST_NOWAIT		0x2

/* Names: path and component limits. */
#define RUMP_MAXPATHLEN		1024
#define RUMP_NAME_MAX		511
#define RUMP_MAXNAMLEN		511

/* struct stat (NetBSD's, from __stat50 on) */
struct rump_stat {
	unsigned long long	st_dev;
	unsigned int		st_mode;
	unsigned long long	st_ino;
	unsigned int		st_nlink;
	unsigned int		st_uid;
	unsigned int		st_gid;
	unsigned long long	st_rdev;
	struct rump_timespec	st_atimespec;
	struct rump_timespec	st_mtimespec;
	struct rump_timespec	st_ctimespec;
	struct rump_timespec	st_birthtimespec;
	long long		st_size;
	long long		st_blocks;	/* 512-byte units */
	unsigned int		st_blksize;
	unsigned int		st_flags;
	unsigned int		st_gen;
	unsigned int		st_spare[2];
};

/*
 * A getdents(2) record; records are packed back to back, each d_reclen
 * bytes long (a multiple of 8), so d_name is only as long as the record.
 */
struct rump_dirent {
	unsigned long long	d_fileno;
	unsigned short		d_reclen;
	unsigned short		d_namlen;
	unsigned char		d_type;
	char			d_name[RUMP_MAXNAMLEN + 1];
};

#define RUMP_VFS_NAMELEN	32
#define RUMP_VFS_MNAMELEN	1024

struct rump_statvfs {
	unsigned long		f_flag;		/* RUMP_MNT_* */
	unsigned long		f_bsize;
	unsigned long		f_frsize;
	unsigned long		f_iosize;
	unsigned long long	f_blocks;	/* in f_frsize units */
	unsigned long long	f_bfree;
	unsigned long long	f_bavail;
	unsigned long long	f_bresvd;
	unsigned long long	f_files;
	unsigned long long	f_ffree;
	unsigned long long	f_favail;
	unsigned long long	f_fresvd;
	unsigned long long	f_syncreads;
	unsigned long long	f_syncwrites;
	unsigned long long	f_asyncreads;
	unsigned long long	f_asyncwrites;
	struct {
		int		__fsid_val[2];
	}			f_fsidx;
	unsigned long		f_fsid;
	unsigned long		f_namemax;
	unsigned int		f_owner;
	unsigned long long	f_spare[4];
	char			f_fstypename[RUMP_VFS_NAMELEN];
	char			f_mntonname[RUMP_VFS_MNAMELEN];
	char			f_mntfromname[RUMP_VFS_MNAMELEN];
	char			f_mntfromlabel[RUMP_VFS_MNAMELEN];
};

/* errno values of the file system calls (NetBSD numbering) */
#define RUMP_ENOEXEC		8
#define RUMP_EACCES		13
#define RUMP_EXDEV		18
#define RUMP_ENODEV		19
#define RUMP_ENOTDIR		20
#define RUMP_EISDIR		21
#define RUMP_EMFILE		24
#define RUMP_EFBIG		27
#define RUMP_ENOSPC		28
#define RUMP_ESPIPE		29
#define RUMP_EROFS		30
#define RUMP_EMLINK		31
#define RUMP_ERANGE		34
#define RUMP_ELOOP		62
#define RUMP_EFTYPE		79	/* O_NOFOLLOW met a symlink */
#define RUMP_ENAMETOOLONG	63
#define RUMP_ENOTEMPTY		66

/* tmpfs mount arguments (mount(2) data for "tmpfs") */
#define RUMP_TMPFS_ARGS_VERSION	1
struct rump_tmpfs_args {
	int			ta_version;	/* RUMP_TMPFS_ARGS_VERSION */
	unsigned long long	ta_nodes_max;	/* 0: no limit */
	long long		ta_size_max;	/* bytes, 0: no limit */
	unsigned int		ta_root_uid;
	unsigned int		ta_root_gid;
	unsigned int		ta_root_mode;
};
/* FFS mount arguments (mount(2) data for "ffs"; NetBSD's ufs_args):
 * fspec names the block device node, e.g. one made by etfs. */
struct rump_ufs_args {
	char			*fspec;
};

/* rump_pub_etfs_register types */
#define RUMP_ETFS_REG		0	/* regular file (not implemented) */
#define RUMP_ETFS_BLK		1	/* block device */
#define RUMP_ETFS_CHR		2	/* character device (not implemented) */
/* ---- end of vfs section --------------------------------------------------- */

/*
 * ---- net section ----------------------------------------------------------
 * Socket ABI: NetBSD's values and layouts.  net/socket_abi.c checks them
 * against the kernel's headers at compile time.
 */
typedef unsigned int	rump_socklen_t;
typedef unsigned int	rump_nfds_t;

#define RUMP_AF_UNSPEC		0
#define RUMP_AF_INET		2
#define RUMP_PF_INET		RUMP_AF_INET
#define RUMP_SOCK_STREAM	1
#define RUMP_SOCK_DGRAM		2
#define RUMP_SOCK_RAW		3
#define RUMP_SOCK_CLOEXEC	0x10000000
#define RUMP_SOCK_NONBLOCK	0x20000000
#define RUMP_IPPROTO_IP		0
#define RUMP_IPPROTO_ICMP	1
#define RUMP_IPPROTO_TCP	6
#define RUMP_IPPROTO_UDP	17
#define RUMP_IP_TOS		3
#define RUMP_IP_TTL		4
#define RUMP_INADDR_ANY		0x00000000U
#define RUMP_INADDR_LOOPBACK	0x7f000001U	/* host order */
#define RUMP_INADDR_BROADCAST	0xffffffffU

#define RUMP_SOL_SOCKET		0xffff
#define RUMP_SO_REUSEADDR	0x0004
#define RUMP_SO_KEEPALIVE	0x0008
#define RUMP_SO_BROADCAST	0x0020
#define RUMP_SO_LINGER		0x0080
#define RUMP_SO_REUSEPORT	0x0200
#define RUMP_SO_SNDBUF		0x1001
#define RUMP_SO_RCVBUF		0x1002
#define RUMP_SO_ERROR		0x1007
#define RUMP_SO_TYPE		0x1008
#define RUMP_SO_SNDTIMEO	0x100b
#define RUMP_SO_RCVTIMEO	0x100c

#define RUMP_MSG_PEEK		0x0002
#define RUMP_MSG_TRUNC		0x0010
#define RUMP_MSG_DONTWAIT	0x0080

/* Stream sockets (TCP). */
#define RUMP_SO_ACCEPTCONN	0x0002
#define RUMP_SOMAXCONN		128
#define RUMP_TCP_NODELAY	1	/* level RUMP_IPPROTO_TCP, int */
#define RUMP_TCP_MAXSEG		2	/* int */
#define RUMP_TCP_KEEPIDLE	3	/* int seconds */
#define RUMP_TCP_KEEPINTVL	5	/* int seconds */
#define RUMP_TCP_KEEPCNT	6	/* int */
#define RUMP_TCP_KEEPINIT	7	/* int seconds: connect timeout */

/* SO_LINGER's value */
struct rump_linger {
	int	l_onoff;
	int	l_linger;	/* seconds */
};

#define RUMP_SHUT_RD		0
#define RUMP_SHUT_WR		1
#define RUMP_SHUT_RDWR		2

#define RUMP_POLLIN		0x0001
#define RUMP_POLLPRI		0x0002
#define RUMP_POLLOUT		0x0004
#define RUMP_POLLERR		0x0008
#define RUMP_POLLHUP		0x0010
#define RUMP_POLLNVAL		0x0020
#define RUMP_POLLRDNORM		0x0040

struct rump_sockaddr {
	unsigned char	sa_len;
	unsigned char	sa_family;
	char		sa_data[14];
};

struct rump_in_addr {
	unsigned int	s_addr;		/* network byte order */
};

struct rump_sockaddr_in {
	unsigned char		sin_len;	/* sizeof: 16 */
	unsigned char		sin_family;	/* RUMP_AF_INET */
	unsigned short		sin_port;	/* network byte order */
	struct rump_in_addr	sin_addr;
	char			sin_zero[8];
};

struct rump_pollfd {
	int	fd;
	short	events;
	short	revents;
};

/* errno values of the socket calls (NetBSD numbering) */
#define RUMP_EPIPE		32
#define RUMP_ENOTSOCK		38
#define RUMP_EDESTADDRREQ	39
#define RUMP_EMSGSIZE		40
#define RUMP_EPROTOTYPE		41
#define RUMP_ENOPROTOOPT	42
#define RUMP_EPROTONOSUPPORT	43
#define RUMP_EAFNOSUPPORT	47
#define RUMP_EADDRINUSE		48
#define RUMP_EADDRNOTAVAIL	49
#define RUMP_ENETUNREACH	51
#define RUMP_ENOBUFS		55
#define RUMP_EISCONN		56
#define RUMP_ENOTCONN		57
#define RUMP_ECONNREFUSED	61
#define RUMP_EHOSTUNREACH	65
#define RUMP_EINPROGRESS	36
#define RUMP_EALREADY		37
#define RUMP_ECONNABORTED	53
#define RUMP_ECONNRESET		54
#define RUMP_EWOULDBLOCK	RUMP_EAGAIN
/*
 * Messages, ioctl and select (net/socket_msg.c, vfs/sys_ioctl.c,
 * net/socket_select.c): NetBSD layouts and values.
 */
#define RUMP_MSG_OOB		0x0001
#define RUMP_MSG_DONTROUTE	0x0004
#define RUMP_MSG_EOR		0x0008
#define RUMP_MSG_CTRUNC		0x0020
#define RUMP_MSG_WAITALL	0x0040
#define RUMP_MSG_NOSIGNAL	0x0400

struct rump_msghdr {
	void			*msg_name;	/* address (may be NULL) */
	rump_socklen_t		msg_namelen;
	struct rump_iovec	*msg_iov;	/* scatter/gather array */
	int			msg_iovlen;
	void			*msg_control;	/* ancillary data */
	rump_socklen_t		msg_controllen;
	int			msg_flags;	/* recvmsg: RUMP_MSG_TRUNC ... */
};

/* Ancillary data records (none is supported yet: see net/README.md). */
struct rump_cmsghdr {
	rump_socklen_t	cmsg_len;	/* header + data */
	int		cmsg_level;
	int		cmsg_type;
};
#define RUMP_CMSG_ALIGN(n)	(((n) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define RUMP_CMSG_LEN(l)	(RUMP_CMSG_ALIGN(sizeof(struct rump_cmsghdr)) + (l))
#define RUMP_CMSG_SPACE(l)	(RUMP_CMSG_ALIGN(sizeof(struct rump_cmsghdr)) + \
				    RUMP_CMSG_ALIGN(l))
#define RUMP_SCM_RIGHTS		0x01

/* ioctl(2) commands on descriptors */
#define RUMP_FIOCLEX		0x20006601UL	/* _IO('f', 1) */
#define RUMP_FIONCLEX		0x20006602UL	/* _IO('f', 2) */
#define RUMP_FIONREAD		0x4004667fUL	/* _IOR('f', 127, int) */
#define RUMP_FIONBIO		0x8004667eUL	/* _IOW('f', 126, int) */

/* select(2) descriptor sets; nd may exceed RUMP_FD_SETSIZE with larger
 * caller-allocated arrays of 32-bit words, as on NetBSD. */
#define RUMP_FD_SETSIZE		256
#define RUMP_NFDBITS		32
typedef struct {
	unsigned int	fds_bits[RUMP_FD_SETSIZE / RUMP_NFDBITS];
} rump_fd_set;
#define RUMP_FD_SET(n, p)	((p)->fds_bits[(n) / RUMP_NFDBITS] |= \
				    (1U << ((n) % RUMP_NFDBITS)))
#define RUMP_FD_CLR(n, p)	((p)->fds_bits[(n) / RUMP_NFDBITS] &= \
				    ~(1U << ((n) % RUMP_NFDBITS)))
#define RUMP_FD_ISSET(n, p)	(((p)->fds_bits[(n) / RUMP_NFDBITS] & \
				    (1U << ((n) % RUMP_NFDBITS))) != 0)
#define RUMP_FD_ZERO(p)		__builtin_memset((p), 0, sizeof(*(p)))

#define RUMP_ENOTTY		25
/* ---- end of net section --------------------------------------------------- */

/* errno values (NetBSD numbering) used by the foundation API */
#define RUMP_EPERM		1
#define RUMP_ENOENT		2
#define RUMP_ESRCH		3
#define RUMP_EINTR		4
#define RUMP_EIO		5
#define RUMP_ENXIO		6
#define RUMP_E2BIG		7
#define RUMP_EBADF		9
#define RUMP_ENOMEM		12
#define RUMP_EFAULT		14
#define RUMP_EBUSY		16
#define RUMP_EEXIST		17
#define RUMP_EINVAL		22
#define RUMP_EAGAIN		35
#define RUMP_EOPNOTSUPP		45
#define RUMP_ETIMEDOUT		60
#define RUMP_ENOSYS		78

#endif /* _RUMP_RUMPDEFS_H_ */
