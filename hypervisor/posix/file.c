/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * file.c: host files and block I/O.
 *
 * The hypervisor's file name space is the host file system.  rumpuser_open
 * and friends back the rump kernel's host-file devices (disk images, block
 * devices, tap files); every call that may block is wrapped.
 *
 * rumpuser_bio is asynchronous: requests go onto a queue served by a small
 * pool of worker threads, started lazily on demand and stopped (and joined)
 * when the last file opened here is closed, or by rumphyp_fini().  A worker
 * does the I/O without a CPU context, then takes one with hyp_schedule()
 * just for the completion callback.  If no worker can run (thread creation
 * failed, or the pool is stopping) the request is done synchronously in the
 * caller, which holds a CPU context already, and completed there.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "hyp.h"

#define HYP_BIO_MAXWORKERS	4
#define HYP_FILE_CREATE_MODE	0644

_Static_assert(sizeof(struct rumpuser_iovec) == sizeof(struct iovec) &&
    offsetof(struct rumpuser_iovec, iov_base) ==
    offsetof(struct iovec, iov_base) &&
    offsetof(struct rumpuser_iovec, iov_len) ==
    offsetof(struct iovec, iov_len), "rumpuser_iovec is not struct iovec");

struct hyp_bio_req {
	struct hyp_bio_req *br_next;
	int br_fd;
	int br_op;
	void *br_data;
	size_t br_dlen;
	int64_t br_off;
	rump_biodone_fn br_done;
	void *br_donearg;
};

struct hyp_bio_pool {
	pthread_mutex_t bp_mtx;		/* protects every field below */
	pthread_cond_t bp_cv;		/* work queued, or stop */
	struct hyp_bio_req *bp_head;
	struct hyp_bio_req **bp_tailp;
	int bp_nworkers;
	int bp_idle;
	int bp_stopping;
	pthread_t bp_workers[HYP_BIO_MAXWORKERS];
};

static struct hyp_bio_pool hyp_bio_pool = {
	.bp_mtx = PTHREAD_MUTEX_INITIALIZER,
	.bp_cv = PTHREAD_COND_INITIALIZER,
	.bp_head = NULL,
	.bp_tailp = &hyp_bio_pool.bp_head,
};

/* ---- open, close, stat ------------------------------------------------ */

int
rumpuser_open(const char *name, int mode, int *fdp)
{
	int flags, fd, err = 0;

	switch (mode & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY:
		flags = O_RDONLY;
		break;
	case RUMPUSER_OPEN_WRONLY:
		flags = O_WRONLY;
		break;
	case RUMPUSER_OPEN_RDWR:
		flags = O_RDWR;
		break;
	default:
		return RUMP_EINVAL;
	}
	if (mode & ~(RUMPUSER_OPEN_ACCMODE | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_EXCL | RUMPUSER_OPEN_BIO))
		return RUMP_EINVAL;
	if (mode & RUMPUSER_OPEN_CREATE)
		flags |= O_CREAT;
	if (mode & RUMPUSER_OPEN_EXCL)
		flags |= O_EXCL;
	/* RUMPUSER_OPEN_BIO: plain buffered I/O through the page cache. */
	flags |= O_CLOEXEC;

	HYP_WRAP(fd = open(name, flags, HYP_FILE_CREATE_MODE);
	    if (fd == -1) err = errno);
	if (fd == -1)
		return hyp_errno_to_rump(err);
	HYP_COUNT_ADD(hc_files, 1);
	*fdp = fd;
	return 0;
}

/*
 * Closing the last file opened here also stops the bio workers, while
 * the CPU context is given back (they may be waiting for one).
 * Precondition: no bio is in flight on fd.
 */
int
rumpuser_close(int fd)
{
	int nlocks, rv, err = 0;

	HYP_UNSCHED(&nlocks, NULL);
	rv = close(fd);
	/* Linux frees the descriptor even when close reports EINTR. */
	if (rv == -1 && errno != EINTR)
		err = errno;
	if (err == 0 &&
	    __atomic_sub_fetch(&hyp_counters.hc_files, 1, __ATOMIC_RELAXED) == 0)
		hyp_bio_shutdown();
	HYP_SCHED(nlocks, NULL);
	return hyp_errno_to_rump(err);
}

static int
hyp_blkdev_size(const char *name, uint64_t *sizep)
{
	uint64_t size;
	int fd, err = 0;

	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno;
	if (ioctl(fd, BLKGETSIZE64, &size) == -1)
		err = errno;
	else
		*sizep = size;
	if (close(fd) == -1 && err == 0 && errno != EINTR)
		err = errno;
	return err;
}

static int
hyp_fileinfo(const char *name, uint64_t *sizep, int *typep)
{
	struct stat st;
	uint64_t size = 0;
	int type, err;

	if (stat(name, &st) == -1)
		return errno;
	if (S_ISDIR(st.st_mode)) {
		type = RUMPUSER_FT_DIR;
	} else if (S_ISREG(st.st_mode)) {
		type = RUMPUSER_FT_REG;
		size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		type = RUMPUSER_FT_BLK;
		if (sizep != NULL) {
			err = hyp_blkdev_size(name, &size);
			if (err != 0)
				return err;
		}
	} else if (S_ISCHR(st.st_mode)) {
		type = RUMPUSER_FT_CHR;
	} else {
		type = RUMPUSER_FT_OTHER;
	}
	if (sizep != NULL)
		*sizep = size;
	if (typep != NULL)
		*typep = type;
	return 0;
}

/* size: bytes of a regular file or block device, 0 for anything else. */
int
rumpuser_getfileinfo(const char *name, uint64_t *size, int *type)
{
	int err;

	HYP_WRAP(err = hyp_fileinfo(name, size, type));
	return hyp_errno_to_rump(err);
}

/* ---- synchronous I/O ---------------------------------------------------- */

static int
hyp_iov_check(size_t iovlen, int64_t off)
{
	if (iovlen > IOV_MAX)
		return RUMP_EINVAL;
	if (off < 0 && off != RUMPUSER_IOV_NOSEEK)
		return RUMP_EINVAL;
	return 0;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	const struct iovec *iov = (const struct iovec *)ruiov;
	ssize_t n;
	int nlocks, err;

	err = hyp_iov_check(iovlen, off);
	if (err != 0)
		return err;
	HYP_UNSCHED(&nlocks, NULL);
	do {
		if (off == RUMPUSER_IOV_NOSEEK)
			n = readv(fd, iov, (int)iovlen);
		else
			n = preadv(fd, iov, (int)iovlen, (off_t)off);
	} while (n == -1 && errno == EINTR);
	err = n == -1 ? errno : 0;
	HYP_SCHED(nlocks, NULL);
	if (err != 0)
		return hyp_errno_to_rump(err);
	*retv = (size_t)n;
	return 0;
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	const struct iovec *iov = (const struct iovec *)ruiov;
	ssize_t n;
	int nlocks, err;

	err = hyp_iov_check(iovlen, off);
	if (err != 0)
		return err;
	HYP_UNSCHED(&nlocks, NULL);
	do {
		if (off == RUMPUSER_IOV_NOSEEK)
			n = writev(fd, iov, (int)iovlen);
		else
			n = pwritev(fd, iov, (int)iovlen, (off_t)off);
	} while (n == -1 && errno == EINTR);
	err = n == -1 ? errno : 0;
	HYP_SCHED(nlocks, NULL);
	if (err != 0)
		return hyp_errno_to_rump(err);
	*retv = (size_t)n;
	return 0;
}

/*
 * Reads are synchronous here, so syncing them is a no-op.  For writes:
 * SYNC asks for durability (fsync: data, metadata, device cache); BARRIER
 * for ordering against later writes (fdatasync); neither, just for the
 * data in [start, start + len) to be written out (sync_file_range).
 */
static int
hyp_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	unsigned int sfr = SYNC_FILE_RANGE_WAIT_BEFORE |
	    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
	int rv;

	if (flags & RUMPUSER_SYNCFD_SYNC)
		rv = fsync(fd);
	else if (flags & RUMPUSER_SYNCFD_BARRIER)
		rv = fdatasync(fd);
	else
		rv = sync_file_range(fd, (off_t)start, (off_t)len, sfr);
	return rv == -1 ? errno : 0;
}

int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	int err;

	if ((flags & RUMPUSER_SYNCFD_BOTH) == 0 ||
	    (flags & ~(RUMPUSER_SYNCFD_BOTH | RUMPUSER_SYNCFD_BARRIER |
	    RUMPUSER_SYNCFD_SYNC)) != 0)
		return RUMP_EINVAL;
	if (start > INT64_MAX || len > INT64_MAX)
		return RUMP_EINVAL;
	if ((flags & RUMPUSER_SYNCFD_WRITE) == 0)
		return 0;
	HYP_WRAP(err = hyp_syncfd(fd, flags, start, len));
	return hyp_errno_to_rump(err);
}

/* ---- block I/O ---------------------------------------------------------- */

/* Do the whole transfer; returns a host errno, bytes moved in *donep. */
static int
hyp_bio_doio(const struct hyp_bio_req *br, size_t *donep)
{
	char *p = br->br_data;
	size_t done = 0;
	ssize_t n;
	int err = 0;

	while (done < br->br_dlen) {
		if (br->br_op & RUMPUSER_BIO_READ)
			n = pread(br->br_fd, p + done, br->br_dlen - done,
			    (off_t)(br->br_off + (int64_t)done));
		else
			n = pwrite(br->br_fd, p + done, br->br_dlen - done,
			    (off_t)(br->br_off + (int64_t)done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err = errno;
			break;
		}
		if (n == 0)	/* end of file or device */
			break;
		done += (size_t)n;
	}
	if (err == 0 && (br->br_op & RUMPUSER_BIO_WRITE) &&
	    (br->br_op & RUMPUSER_BIO_SYNC) && fdatasync(br->br_fd) == -1)
		err = errno;
	*donep = done;
	return err;
}

/* Worker: serve the queue until it is empty and the pool is stopping. */
static void *
hyp_bio_worker(void *unused)
{
	struct hyp_bio_pool *bp = &hyp_bio_pool;
	struct hyp_bio_req *br;
	size_t done;
	int err;

	(void)unused;
	HYP_PTH(pthread_mutex_lock(&bp->bp_mtx));
	for (;;) {
		while (bp->bp_head == NULL && !bp->bp_stopping) {
			bp->bp_idle++;
			HYP_PTH(pthread_cond_wait(&bp->bp_cv, &bp->bp_mtx));
			bp->bp_idle--;
		}
		br = bp->bp_head;
		if (br == NULL)
			break;
		bp->bp_head = br->br_next;
		if (bp->bp_head == NULL)
			bp->bp_tailp = &bp->bp_head;
		HYP_PTH(pthread_mutex_unlock(&bp->bp_mtx));

		err = hyp_bio_doio(br, &done);
		HYP_COUNT_SUB(hc_bio_inflight, 1);
		hyp_up.hyp_schedule();
		br->br_done(br->br_donearg, done, hyp_errno_to_rump(err));
		hyp_up.hyp_unschedule();
		free(br);

		HYP_PTH(pthread_mutex_lock(&bp->bp_mtx));
	}
	HYP_PTH(pthread_mutex_unlock(&bp->bp_mtx));
	hyp_console_flush();
	HYP_COUNT_SUB(hc_threads, 1);
	return NULL;
}

/*
 * Queue br for the workers, starting one if none is idle.  Returns 0 when
 * queued, else br was not queued and the caller must do it itself.
 * Precondition: bp->bp_mtx held.
 */
static int
hyp_bio_enqueue_locked(struct hyp_bio_pool *bp, struct hyp_bio_req *br)
{
	int rv;

	if (bp->bp_stopping)
		return RUMP_EBUSY;
	if (bp->bp_idle == 0 && bp->bp_nworkers < HYP_BIO_MAXWORKERS) {
		HYP_COUNT_ADD(hc_threads, 1);
		rv = pthread_create(&bp->bp_workers[bp->bp_nworkers], NULL,
		    hyp_bio_worker, NULL);
		if (rv == 0) {
			bp->bp_nworkers++;
		} else {
			HYP_COUNT_SUB(hc_threads, 1);
			rumpuser_dprintf("rumpuser (posix): cannot start a bio "
			    "worker: error %d\n", rv);
			if (bp->bp_nworkers == 0)
				return RUMP_EAGAIN;
			/* The workers we have will get to it. */
		}
	}
	br->br_next = NULL;
	*bp->bp_tailp = br;
	bp->bp_tailp = &br->br_next;
	HYP_PTH(pthread_cond_signal(&bp->bp_cv));
	return 0;
}

/* Called with a CPU context held; returns at once unless it must fall back. */
void
rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
    rump_biodone_fn done, void *donearg)
{
	struct hyp_bio_pool *bp = &hyp_bio_pool;
	struct hyp_bio_req *br;
	size_t moved;
	int rv, err;

	if (((op & RUMPUSER_BIO_READ) != 0) == ((op & RUMPUSER_BIO_WRITE) != 0)
	    || off < 0) {
		done(donearg, 0, RUMP_EINVAL);
		return;
	}
	br = malloc(sizeof(*br));
	if (br == NULL) {
		done(donearg, 0, RUMP_ENOMEM);
		return;
	}
	br->br_fd = fd;
	br->br_op = op;
	br->br_data = data;
	br->br_dlen = dlen;
	br->br_off = off;
	br->br_done = done;
	br->br_donearg = donearg;

	HYP_COUNT_ADD(hc_bio_inflight, 1);
	HYP_PTH(pthread_mutex_lock(&bp->bp_mtx));
	rv = hyp_bio_enqueue_locked(bp, br);
	HYP_PTH(pthread_mutex_unlock(&bp->bp_mtx));
	if (rv == 0)
		return;

	/* No worker: do it here, then complete in our own CPU context. */
	HYP_WRAP(err = hyp_bio_doio(br, &moved));
	HYP_COUNT_SUB(hc_bio_inflight, 1);
	free(br);
	done(donearg, moved, hyp_errno_to_rump(err));
}

/*
 * Stop the workers: they finish what is queued, then exit; join them.
 * Precondition: the caller holds no CPU context (workers may need one to
 * complete what is queued).
 */
void
hyp_bio_shutdown(void)
{
	struct hyp_bio_pool *bp = &hyp_bio_pool;
	pthread_t workers[HYP_BIO_MAXWORKERS];
	int i, n;

	HYP_PTH(pthread_mutex_lock(&bp->bp_mtx));
	if (bp->bp_nworkers == 0 || bp->bp_stopping) {
		HYP_PTH(pthread_mutex_unlock(&bp->bp_mtx));
		return;
	}
	bp->bp_stopping = 1;
	n = bp->bp_nworkers;
	for (i = 0; i < n; i++)
		workers[i] = bp->bp_workers[i];
	HYP_PTH(pthread_cond_broadcast(&bp->bp_cv));
	HYP_PTH(pthread_mutex_unlock(&bp->bp_mtx));

	for (i = 0; i < n; i++)
		HYP_PTH(pthread_join(workers[i], NULL));

	HYP_PTH(pthread_mutex_lock(&bp->bp_mtx));
	bp->bp_nworkers = 0;
	bp->bp_stopping = 0;
	HYP_PTH(pthread_mutex_unlock(&bp->bp_mtx));
}
