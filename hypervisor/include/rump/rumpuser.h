/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpuser.h: the hypercall interface, version 17.
 *
 * This is the whole contract between a rump kernel and the host under it.
 * The rump kernel calls the rumpuser_* functions below; the host (a
 * "hypervisor": hypervisor/linux for the Linux kernel, hypervisor/posix for
 * userspace) implements them, and calls back into the kernel only through
 * the upcall table (struct rumpuser_hyperup) handed over in rumpuser_init().
 *
 * The header includes nothing.  Whoever includes it must already have the
 * fixed-width integer types, size_t and pid_t in scope: the rump kernel gets
 * them from its own <sys/types.h>, the Linux host from <linux/types.h>, the
 * POSIX host from <stdint.h> and <sys/types.h>.
 *
 * Rules every implementation follows (see docs/rumpuser-v17.md for detail):
 *  - integer results are 0 or an errno in the rump kernel's (NetBSD's)
 *    numbering; the host translates its own errors once, here;
 *  - a call that may block first gives the rump CPU context back with
 *    hyp_backend_unschedule() and takes it again with hyp_backend_schedule()
 *    before returning; the _nowrap variants and spin mutexes never do.
 */
#ifndef _RUMP_RUMPUSER_H_
#define _RUMP_RUMPUSER_H_

#define RUMPUSER_VERSION 17

struct lwp;

/* Upcalls: the kernel's side of the contract, in this exact order. */
struct rumpuser_hyperup {
	void (*hyp_schedule)(void);
	void (*hyp_unschedule)(void);
	void (*hyp_backend_unschedule)(int nlocks, int *countp, void *interlock);
	void (*hyp_backend_schedule)(int nlocks, void *interlock);
	void (*hyp_lwproc_switch)(struct lwp *l);
	void (*hyp_lwproc_release)(void);
	int (*hyp_lwproc_rfork)(void *priv, int flags, const char *comm);
	int (*hyp_lwproc_newlwp)(pid_t pid);
	struct lwp *(*hyp_lwproc_curlwp)(void);
	int (*hyp_syscall)(int num, void *args, long *retval);
	void (*hyp_lwpexit)(void);
	void (*hyp_execnotify)(const char *comm);
	pid_t (*hyp_getpid)(void);
	void *hyp__extra[8];
};

/* Initialisation */
int rumpuser_init(int version, const struct rumpuser_hyperup *hyp);

/* Memory */
int rumpuser_malloc(size_t len, int alignment, void **memp);
void rumpuser_free(void *mem, size_t len);
int rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
    void **memp);
void rumpuser_unmap(void *addr, size_t len);

/* Files and I/O */
#define RUMPUSER_OPEN_RDONLY	0x0000
#define RUMPUSER_OPEN_WRONLY	0x0001
#define RUMPUSER_OPEN_RDWR	0x0002
#define RUMPUSER_OPEN_ACCMODE	0x0003
#define RUMPUSER_OPEN_CREATE	0x0004
#define RUMPUSER_OPEN_EXCL	0x0008
#define RUMPUSER_OPEN_BIO	0x0010

int rumpuser_open(const char *name, int mode, int *fdp);
int rumpuser_close(int fd);

#define RUMPUSER_FT_OTHER	0
#define RUMPUSER_FT_DIR		1
#define RUMPUSER_FT_REG		2
#define RUMPUSER_FT_BLK		3
#define RUMPUSER_FT_CHR		4

int rumpuser_getfileinfo(const char *name, uint64_t *size, int *type);

#define RUMPUSER_BIO_READ	0x01
#define RUMPUSER_BIO_WRITE	0x02
#define RUMPUSER_BIO_SYNC	0x04

typedef void (*rump_biodone_fn)(void *donearg, size_t resid_or_done, int error);

void rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
    rump_biodone_fn done, void *donearg);

struct rumpuser_iovec {
	void *iov_base;
	size_t iov_len;
};

#define RUMPUSER_IOV_NOSEEK	-1

int rumpuser_iovread(int fd, struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv);
int rumpuser_iovwrite(int fd, const struct rumpuser_iovec *ruiov,
    size_t iovlen, int64_t off, size_t *retv);

#define RUMPUSER_SYNCFD_READ	0x01
#define RUMPUSER_SYNCFD_WRITE	0x02
#define RUMPUSER_SYNCFD_BOTH	(RUMPUSER_SYNCFD_READ | RUMPUSER_SYNCFD_WRITE)
#define RUMPUSER_SYNCFD_BARRIER	0x04
#define RUMPUSER_SYNCFD_SYNC	0x08

int rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len);

/* Clocks */
enum rumpclock {
	RUMPUSER_CLOCK_RELWALL = 0,	/* wall-clock time */
	RUMPUSER_CLOCK_ABSMONO = 1	/* monotonic time */
};

int rumpuser_clock_gettime(int clk, int64_t *sec, long *nsec);
int rumpuser_clock_sleep(int clk, int64_t sec, long nsec);

/* Parameters, termination, console, signals, randomness */
#define RUMPUSER_PARAM_NCPU	"_RUMPUSER_NCPU"
#define RUMPUSER_PARAM_HOSTNAME	"_RUMPUSER_HOSTNAME"

int rumpuser_getparam(const char *name, void *buf, size_t buflen);

#define RUMPUSER_PANIC		(-1)
void rumpuser_exit(int value) __attribute__((__noreturn__));

void rumpuser_putchar(int ch);
void rumpuser_dprintf(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));

void rumpuser_seterrno(int err);

#define RUMPUSER_PID_SELF	(-1)
int rumpuser_kill(int64_t pid, int sig);

#define RUMPUSER_RANDOM_HARD	0x01
#define RUMPUSER_RANDOM_NOWAIT	0x02
int rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp);

/* Threads and the current-thread context */
int rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *name,
    int mustjoin, int priority, int cpuidx, void **cookie);
void rumpuser_thread_exit(void) __attribute__((__noreturn__));
int rumpuser_thread_join(void *cookie);

enum rumplwpop {
	RUMPUSER_LWP_CREATE,
	RUMPUSER_LWP_DESTROY,
	RUMPUSER_LWP_SET,
	RUMPUSER_LWP_CLEAR
};
void rumpuser_curlwpop(int op, struct lwp *l);
struct lwp *rumpuser_curlwp(void);

/* Mutexes */
#define RUMPUSER_MTX_SPIN	0x01
#define RUMPUSER_MTX_KMUTEX	0x02

struct rumpuser_mtx;

void rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
void rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
void rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx);
int rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx);
void rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);
void rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp);

/* Reader/writer locks */
enum rumprwlock {
	RUMPUSER_RW_READER = 0,
	RUMPUSER_RW_WRITER = 1
};

struct rumpuser_rw;

void rumpuser_rw_init(struct rumpuser_rw **rwp);
void rumpuser_rw_enter(int lk, struct rumpuser_rw *rw);
int rumpuser_rw_tryenter(int lk, struct rumpuser_rw *rw);
int rumpuser_rw_tryupgrade(struct rumpuser_rw *rw);
void rumpuser_rw_downgrade(struct rumpuser_rw *rw);
void rumpuser_rw_exit(struct rumpuser_rw *rw);
void rumpuser_rw_destroy(struct rumpuser_rw *rw);
void rumpuser_rw_held(int lk, struct rumpuser_rw *rw, int *heldp);

/* Condition variables */
struct rumpuser_cv;

void rumpuser_cv_init(struct rumpuser_cv **cvp);
void rumpuser_cv_destroy(struct rumpuser_cv *cv);
void rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
void rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
int rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec);
void rumpuser_cv_signal(struct rumpuser_cv *cv);
void rumpuser_cv_broadcast(struct rumpuser_cv *cv);
void rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp);

/* Optional: the modules and components linked into the image */
struct modinfo;
struct rump_component;
typedef void (*rump_modinit_fn)(const struct modinfo *const *, size_t);
typedef int (*rump_symload_fn)(void *, uint64_t, char *, uint64_t);
typedef void (*rump_compload_fn)(const struct rump_component *);
void rumpuser_dl_bootstrap(rump_modinit_fn domodinit, rump_symload_fn symload,
    rump_compload_fn compload);

/* Optional: daemonising a userspace rump server */
int rumpuser_daemonize_begin(void);
int rumpuser_daemonize_done(int error);

/* Optional: remote system calls (sysproxy) */
int rumpuser_sp_init(const char *url, const char *ostype,
    const char *osrelease, const char *machine);
int rumpuser_sp_copyin(void *client, const void *raddr, void *laddr,
    size_t len);
int rumpuser_sp_copyinstr(void *client, const void *raddr, void *laddr,
    size_t *lenp);
int rumpuser_sp_copyout(void *client, const void *laddr, void *raddr,
    size_t len);
int rumpuser_sp_copyoutstr(void *client, const void *laddr, void *raddr,
    size_t *lenp);
int rumpuser_sp_anonmmap(void *client, size_t len, void **addrp);
int rumpuser_sp_raise(void *client, int sig);
void rumpuser_sp_fini(void *client);

#endif /* _RUMP_RUMPUSER_H_ */
