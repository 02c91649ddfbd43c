/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump/rump.h: the public API of the rump kernel.
 *
 * This header is included by code outside the rump kernel: Linux kernel
 * modules (demos, bridges) and userspace programs.  It includes nothing,
 * uses only C's own types and rump_-prefixed names, so it can sit beside
 * either host's headers without clashing.  Numbers (errno values, flags)
 * follow the NetBSD conventions of rump kernels; see rump/rumpdefs.h.
 *
 * Calls return 0 or an errno (rump_pub_*, rump_init), or, for the
 * rump_sys_* system calls, the result or -1 with the errno handed to the
 * host through rumpuser_seterrno().  A rump kernel that has panicked
 * answers every call with ENXIO (6).
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <rump/rumpdefs.h>

struct lwp;

/* Bootstrap and shutdown.  rump_shutdown stops every thread and frees
 * every byte; rump_init may then be called again. */
int	rump_init(void);
int	rump_shutdown(void);

/*
 * Process contexts.  rfork creates a new process (a child of the caller's)
 * with one lwp and binds it to the calling host thread; newlwp adds an lwp
 * to process pid and binds it; switch binds an existing lwp (NULL unbinds);
 * releaselwp ends the bound lwp (and its process with its last lwp);
 * curlwp returns the bound lwp or NULL.
 */
int	rump_pub_lwproc_rfork(int flags);
int	rump_pub_lwproc_newlwp(int pid);
void	rump_pub_lwproc_switch(struct lwp *l);
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * A kernel thread inside the rump kernel running fn(arg); joinable with
 * rump_pub_kthread_join, which returns once fn has returned.
 */
int	rump_pub_kthread_create(void (*fn)(void *), void *arg,
	    const char *name, struct lwp **lp);
int	rump_pub_kthread_join(struct lwp *l);

/*
 * Test-only: make the rump kernel panic, in the calling thread (0) or on a
 * rump kernel thread (1).  The host survives; the rump kernel stops and
 * every later call answers ENXIO.  Returns ENXIO.
 */
int	rump_pub_test_panic(int on_kthread);

/*
 * Host files as block devices (dev/disk/etfs.c): key becomes a block
 * device node at that absolute path in the rump name space (its directory
 * must exist, e.g. "/dev/ffs0"), backed by hostpath, a host file or block
 * device.  type: RUMP_ETFS_BLK (RUMP_ETFS_REG and _CHR: EOPNOTSUPP).
 * Remove is EBUSY while the device is open (mounted).
 */
int	rump_pub_etfs_register(const char *key, const char *hostpath,
	    int type);
int	rump_pub_etfs_remove(const char *key);

/*
 * The errno of the calling thread's last failed rump_sys_* call.  It is
 * provided by the host layer, not by the rump kernel: rump.ko's glue
 * keeps it per Linux task; in userspace it is simply errno.
 */
int	rump_errno(void);

/* System calls. */
int	rump_sys_getpid(void);
int	rump_sys_getppid(void);
int	rump_sys_clock_gettime(int clock_id, struct rump_timespec *ts);
int	rump_sys_nanosleep(const struct rump_timespec *req,
	    struct rump_timespec *rem);

/*
 * File system calls (vfs/).  Paths and buffers are the caller's memory;
 * NULL or otherwise impossible pointers give EFAULT.  Flags, modes and
 * structures are NetBSD's, under RUMP_ names in rump/rumpdefs.h.
 */
int	rump_sys_open(const char *path, int flags, ...);
int	rump_sys_openat(int dirfd, const char *path, int flags, ...);
int	rump_sys_close(int fd);
rump_ssize_t rump_sys_read(int fd, void *buf, rump_size_t nbytes);
rump_ssize_t rump_sys_write(int fd, const void *buf, rump_size_t nbytes);
rump_ssize_t rump_sys_pread(int fd, void *buf, rump_size_t nbytes,
	    rump_off_t offset);
rump_ssize_t rump_sys_pwrite(int fd, const void *buf, rump_size_t nbytes,
	    rump_off_t offset);
rump_ssize_t rump_sys_readv(int fd, const struct rump_iovec *iov, int iovcnt);
rump_ssize_t rump_sys_writev(int fd, const struct rump_iovec *iov,
	    int iovcnt);
rump_off_t rump_sys_lseek(int fd, rump_off_t offset, int whence);
int	rump_sys_fstat(int fd, struct rump_stat *sb);
int	rump_sys_stat(const char *path, struct rump_stat *sb);
int	rump_sys_lstat(const char *path, struct rump_stat *sb);
int	rump_sys_access(const char *path, int mode);
int	rump_sys_mkdir(const char *path, rump_mode_t mode);
int	rump_sys_rmdir(const char *path);
int	rump_sys_unlink(const char *path);
int	rump_sys_rename(const char *from, const char *to);
int	rump_sys_link(const char *path, const char *newpath);
int	rump_sys_symlink(const char *target, const char *linkpath);
rump_ssize_t rump_sys_readlink(const char *path, char *buf,
	    rump_size_t bufsize);
int	rump_sys_getdents(int fd, char *buf, rump_size_t nbytes);
int	rump_sys_chdir(const char *path);
int	rump_sys_fchdir(int fd);
int	rump_sys_fsync(int fd);
int	rump_sys_truncate(const char *path, rump_off_t length);
int	rump_sys_ftruncate(int fd, rump_off_t length);
int	rump_sys_chmod(const char *path, rump_mode_t mode);
int	rump_sys_fchmod(int fd, rump_mode_t mode);
int	rump_sys_chown(const char *path, rump_uid_t uid, rump_gid_t gid);
int	rump_sys_utimes(const char *path, const struct rump_timeval *times);
int	rump_sys_dup(int fd);
int	rump_sys_dup2(int fd, int newfd);
int	rump_sys_fcntl(int fd, int cmd, ...);
int	rump_sys_mount(const char *type, const char *path, int flags,
	    void *data, rump_size_t data_len);
int	rump_sys_unmount(const char *path, int flags);
int	rump_sys_statvfs1(const char *path, struct rump_statvfs *buf,
	    int flags);
int	rump_sys_fstatvfs1(int fd, struct rump_statvfs *buf, int flags);
void	rump_sys_sync(void);

/*
 * Sockets (net/).  Addresses are NetBSD's (struct rump_sockaddr_in with
 * sin_len); constants RUMP_AF_*, RUMP_SOCK_*, RUMP_SO_* ... in
 * rump/rumpdefs.h.  read/write/close/fstat/fcntl of rump_sys_* work on
 * socket descriptors too.
 */
int	rump_sys_socket(int domain, int type, int protocol);
int	rump_sys_bind(int s, const struct rump_sockaddr *name,
	    rump_socklen_t namelen);
int	rump_sys_connect(int s, const struct rump_sockaddr *name,
	    rump_socklen_t namelen);
int	rump_sys_getsockname(int s, struct rump_sockaddr *name,
	    rump_socklen_t *namelen);
int	rump_sys_getpeername(int s, struct rump_sockaddr *name,
	    rump_socklen_t *namelen);
rump_ssize_t rump_sys_sendto(int s, const void *buf, rump_size_t len,
	    int flags, const struct rump_sockaddr *to, rump_socklen_t tolen);
rump_ssize_t rump_sys_recvfrom(int s, void *buf, rump_size_t len, int flags,
	    struct rump_sockaddr *from, rump_socklen_t *fromlen);
int	rump_sys_setsockopt(int s, int level, int name, const void *val,
	    rump_socklen_t valsize);
int	rump_sys_getsockopt(int s, int level, int name, void *val,
	    rump_socklen_t *valsize);
int	rump_sys_shutdown(int s, int how);
int	rump_sys_poll(struct rump_pollfd *fds, rump_nfds_t nfds, int timeout);
/*
 * Stream sockets: listen (backlog clamped to RUMP_SOMAXCONN), accept
 * (the new descriptor inherits the listener's O_NONBLOCK), paccept (flags
 * RUMP_SOCK_NONBLOCK, RUMP_SOCK_CLOEXEC; sigmask is ignored).
 */
int	rump_sys_listen(int s, int backlog);
int	rump_sys_accept(int s, struct rump_sockaddr *name,
	    rump_socklen_t *namelen);
int	rump_sys_paccept(int s, struct rump_sockaddr *name,
	    rump_socklen_t *namelen, const void *sigmask, int flags);
/*
 * Messages (net/socket_msg.c): scatter/gather, an optional address, and
 * ancillary data that is checked but not implemented (any record:
 * EOPNOTSUPP; none is ever received).  recvmsg sets msg_flags
 * (RUMP_MSG_TRUNC) and msg_namelen (the full name length).
 */
rump_ssize_t rump_sys_sendmsg(int s, const struct rump_msghdr *msg,
	    int flags);
rump_ssize_t rump_sys_recvmsg(int s, struct rump_msghdr *msg, int flags);
/* ioctl on any descriptor (vfs/sys_ioctl.c): RUMP_FIONREAD (int *),
 * RUMP_FIONBIO (int *), RUMP_FIOCLEX, RUMP_FIONCLEX; else ENOTTY. */
int	rump_sys_ioctl(int fd, unsigned long cmd, ...);
/* select over any descriptors (net/socket_select.c); tv NULL: forever. */
int	rump_sys_select(int nd, rump_fd_set *readfds, rump_fd_set *writefds,
	    rump_fd_set *exceptfds, struct rump_timeval *tv);

/*
 * Network configuration: 0 or an errno (ENXIO: no such interface).
 * Addresses and masks as dotted quads ("10.0.2.17", "255.255.255.0").
 */
int	rump_pub_netconfig_ifup(const char *ifname);
/*
 * Create "virt<N>", a virtual Ethernet interface whose host side is the
 * hypervisor's configuration for that name (POSIX: RUMP_VIF_virt0=
 * tap:<tap> or bus:<path>[,loss=P,dup=P,reorder=P,seed=N]; rump.ko:
 * vif=virt0:tap:<tap>): EEXIST, EINVAL (not a virt<N> name), ENOENT (not
 * configured on the host).  Destroy: ENXIO, EPERM (lo0), EOPNOTSUPP.
 */
int	rump_pub_netconfig_ifcreate(const char *ifname);
int	rump_pub_netconfig_ifdestroy(const char *ifname);
int	rump_pub_netconfig_ipv4_ifaddr(const char *ifname, const char *addr,
	    const char *mask);
int	rump_pub_netconfig_ipv4_gw(const char *gwaddr);
/*
 * DHCP (RFC 2131) on an Ethernet interface (net/netconfig_dhcp.c): bring
 * it up, DISCOVER/OFFER/REQUEST/ACK, then apply the address, netmask and
 * router.  One-shot: the lease is never renewed.  0, ETIMEDOUT (no
 * usable answer within the timeout, 20 s), ENXIO (no such interface),
 * EOPNOTSUPP (not Ethernet), EEXIST (the address is already configured).
 */
int	rump_pub_netconfig_dhcp_ipv4_oneshot(const char *ifname);

#endif /* _RUMP_RUMP_H_ */
