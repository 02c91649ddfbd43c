/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_file.c: host files and block devices for the rump kernel.
 *
 * A rumpuser "fd" is an index into the hypervisor's own file table, which
 * holds struct file pointers opened in the kernel with filp_open(); paths
 * resolve against the calling thread's root and cwd (init's for kthreads).
 * Reads and writes are kvec iov_iters through vfs_iter_read/write, so one
 * rumpuser_iovwrite is one write on the host file (a tap gets one frame).
 * Every call that may block gives the rump CPU context back around the
 * host operation.  Users of a table slot take their own file reference,
 * so a concurrent close never frees a file in use.  Block I/O
 * (rumpuser_bio) is in hyp_bio.c.
 *
 * RUMPUSER_OPEN_BIO opens plainly, without O_DIRECT: direct I/O on a
 * kvec over kmalloc/vmalloc memory is not something 6.1 supports for all
 * targets.  rumpuser_bio (hyp_bio.c) does direct I/O per request where it
 * can (host block devices, aligned requests, through a bio_vec list) and
 * buffered I/O otherwise; RUMPUSER_BIO_SYNC writes are made durable with
 * vfs_fsync_range().
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/uio.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "hyp.h"

#define HYP_NFILES	128
#define HYP_NIOV_STACK	8

static struct file *hyp_files[HYP_NFILES];
static DEFINE_SPINLOCK(hyp_files_lock);
static atomic_t hyp_nfiles = ATOMIC_INIT(0);

/* hyp_file_get: a new reference to fd's file, or NULL.  Any context. */
struct file *
hyp_file_get(int fd)
{
	struct file *f = NULL;

	if (fd < 0 || fd >= HYP_NFILES)
		return NULL;
	spin_lock(&hyp_files_lock);
	if (hyp_files[fd] != NULL)
		f = get_file(hyp_files[fd]);
	spin_unlock(&hyp_files_lock);
	return f;
}

static int
hyp_file_install(struct file *f)
{
	int fd;

	spin_lock(&hyp_files_lock);
	for (fd = 0; fd < HYP_NFILES; fd++) {
		if (hyp_files[fd] == NULL) {
			hyp_files[fd] = f;
			spin_unlock(&hyp_files_lock);
			atomic_inc(&hyp_nfiles);
			return fd;
		}
	}
	spin_unlock(&hyp_files_lock);
	return -EMFILE;
}

static struct file *
hyp_file_uninstall(int fd)
{
	struct file *f;

	if (fd < 0 || fd >= HYP_NFILES)
		return NULL;
	spin_lock(&hyp_files_lock);
	f = hyp_files[fd];
	hyp_files[fd] = NULL;
	spin_unlock(&hyp_files_lock);
	if (f != NULL)
		atomic_dec(&hyp_nfiles);
	return f;
}

int
rumpuser_open(const char *name, int mode, int *fdp)
{
	int flags = O_LARGEFILE;
	struct file *f;
	int nlocks, fd;

	if (hyp_is_stopped())
		return RUMP_ENXIO;
	switch (mode & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY:
		flags |= O_RDONLY;
		break;
	case RUMPUSER_OPEN_WRONLY:
		flags |= O_WRONLY;
		break;
	case RUMPUSER_OPEN_RDWR:
		flags |= O_RDWR;
		break;
	default:
		return RUMP_EINVAL;
	}
	if (mode & RUMPUSER_OPEN_CREATE)
		flags |= O_CREAT;
	if (mode & RUMPUSER_OPEN_EXCL)
		flags |= O_EXCL;

	/* Installed before hyp_sched, which may not return (see hyp.h). */
	hyp_unsched(&nlocks, NULL);
	f = filp_open(name, flags, 0644);
	if (IS_ERR(f)) {
		fd = PTR_ERR(f);
	} else {
		fd = hyp_file_install(f);
		if (fd < 0)
			filp_close(f, NULL);
	}
	hyp_sched(nlocks, NULL);
	if (fd < 0)
		return hyp_errno(fd);
	*fdp = fd;
	return 0;
}

int
rumpuser_close(int fd)
{
	struct file *f = hyp_file_uninstall(fd);
	int nlocks, err;

	if (f == NULL)
		return RUMP_EBADF;
	hyp_unsched(&nlocks, NULL);
	err = filp_close(f, NULL);
	hyp_sched(nlocks, NULL);
	return hyp_errno(err);
}

static int
hyp_file_type(umode_t mode)
{
	if (S_ISDIR(mode))
		return RUMPUSER_FT_DIR;
	if (S_ISREG(mode))
		return RUMPUSER_FT_REG;
	if (S_ISBLK(mode))
		return RUMPUSER_FT_BLK;
	if (S_ISCHR(mode))
		return RUMPUSER_FT_CHR;
	return RUMPUSER_FT_OTHER;
}

/*
 * hyp_file_info: type and size of name.  Opened with O_PATH, which does
 * not open the device behind a device node; a block device is then opened
 * read-only for its size (i_size of the bdev inode behind f_mapping).
 * Returns a Linux errno.
 */
static int
hyp_file_info(const char *name, uint64_t *sizep, int *typep)
{
	struct file *f, *bf;
	struct inode *inode;
	uint64_t size = 0;
	int type;

	f = filp_open(name, O_PATH, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	inode = file_inode(f);
	type = hyp_file_type(inode->i_mode);
	if (type == RUMPUSER_FT_REG)
		size = i_size_read(inode);
	filp_close(f, NULL);

	if (type == RUMPUSER_FT_BLK && sizep != NULL) {
		bf = filp_open(name, O_RDONLY | O_LARGEFILE, 0);
		if (IS_ERR(bf))
			return PTR_ERR(bf);
		size = i_size_read(bf->f_mapping->host);
		filp_close(bf, NULL);
	}
	if (sizep != NULL)
		*sizep = size;
	if (typep != NULL)
		*typep = type;
	return 0;
}

int
rumpuser_getfileinfo(const char *name, uint64_t *size, int *type)
{
	int nlocks, err;

	if (hyp_is_stopped())
		return RUMP_ENXIO;
	hyp_unsched(&nlocks, NULL);
	err = hyp_file_info(name, size, type);
	hyp_sched(nlocks, NULL);
	return hyp_errno(err);
}

/*
 * hyp_file_rw: one read or write of the iovec at off (or the file's own
 * position for RUMPUSER_IOV_NOSEEK).  Called with the rump CPU given back.
 * Returns bytes moved or a negative Linux errno.
 */
static ssize_t
hyp_file_rw(struct file *f, bool write, struct kvec *kv, size_t nkv,
    size_t total, int64_t off)
{
	bool noseek = off == RUMPUSER_IOV_NOSEEK;
	struct iov_iter it;
	loff_t pos, *ppos;
	ssize_t ret;

	if (noseek) {
		pos = f->f_pos;
		ppos = (f->f_mode & FMODE_STREAM) ? NULL : &pos;
	} else {
		pos = off;
		ppos = &pos;
	}

	iov_iter_kvec(&it, write ? ITER_SOURCE : ITER_DEST, kv, nkv, total);
	if (write) {
		file_start_write(f);
		ret = vfs_iter_write(f, &it, ppos, 0);
		file_end_write(f);
	} else {
		ret = vfs_iter_read(f, &it, ppos, 0);
	}

	if (noseek && ppos != NULL && ret > 0)
		f->f_pos = pos;
	return ret;
}

/* Common body of rumpuser_iovread and rumpuser_iovwrite. */
static int
hyp_file_iov(int fd, const struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv, bool write)
{
	struct kvec stackkv[HYP_NIOV_STACK], *kv = stackkv;
	size_t i, total = 0;
	struct file *f;
	int nlocks, err = 0;
	ssize_t ret;

	if (hyp_is_stopped())
		return RUMP_ENXIO;
	if (iovlen > UIO_MAXIOV || (off < 0 && off != RUMPUSER_IOV_NOSEEK))
		return RUMP_EINVAL;
	f = hyp_file_get(fd);
	if (f == NULL)
		return RUMP_EBADF;

	if (iovlen > HYP_NIOV_STACK) {
		kv = kmalloc_array(iovlen, sizeof(*kv), GFP_KERNEL);
		if (kv == NULL) {
			err = RUMP_ENOMEM;
			goto err_put_file;
		}
	}
	for (i = 0; i < iovlen; i++) {
		kv[i].iov_base = ruiov[i].iov_base;
		kv[i].iov_len = ruiov[i].iov_len;
		if (total + kv[i].iov_len < total ||
		    total + kv[i].iov_len > MAX_RW_COUNT) {
			err = RUMP_EINVAL;
			goto err_free_kv;
		}
		total += kv[i].iov_len;
	}

	/* Everything released before hyp_sched, which may not return. */
	hyp_unsched(&nlocks, NULL);
	ret = hyp_file_rw(f, write, kv, iovlen, total, off);
	if (kv != stackkv)
		kfree(kv);
	fput(f);
	hyp_sched(nlocks, NULL);
	if (ret < 0)
		return hyp_errno(ret);
	*retv = ret;
	return 0;

err_free_kv:
	if (kv != stackkv)
		kfree(kv);
err_put_file:
	fput(f);
	return err;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	return hyp_file_iov(fd, ruiov, iovlen, off, retv, false);
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	return hyp_file_iov(fd, ruiov, iovlen, off, retv, true);
}

/*
 * rumpuser_syncfd: make writes in [start, start + len) durable (len 0: to
 * the end).  Reads need no syncing with a host file; BARRIER and SYNC are
 * both served by a full fsync of the range.
 */
int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	const int wflags = RUMPUSER_SYNCFD_WRITE | RUMPUSER_SYNCFD_BARRIER |
	    RUMPUSER_SYNCFD_SYNC;
	loff_t end = LLONG_MAX;
	struct file *f;
	int nlocks, err;

	if (hyp_is_stopped())
		return RUMP_ENXIO;
	if (start > LLONG_MAX)
		return RUMP_EINVAL;
	if (len != 0 && len - 1 <= (uint64_t)LLONG_MAX - start)
		end = start + len - 1;
	f = hyp_file_get(fd);
	if (f == NULL)
		return RUMP_EBADF;
	if (!(flags & wflags)) {
		fput(f);
		return 0;
	}

	hyp_unsched(&nlocks, NULL);
	err = vfs_fsync_range(f, start, end, 0);
	fput(f);		/* before hyp_sched, which may not return */
	hyp_sched(nlocks, NULL);
	return hyp_errno(err);
}

/* hyp_file_fini: close what the rump kernel left open.  After threads. */
void
hyp_file_fini(void)
{
	struct file *f;
	int fd, n = 0;

	for (fd = 0; fd < HYP_NFILES; fd++) {
		f = hyp_file_uninstall(fd);
		if (f == NULL)
			continue;
		filp_close(f, NULL);
		n++;
	}
	if (n)
		hyp_log("closed %d host files left open by the rump kernel",
		    n);
}
