/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_bio.c: rumpuser_bio, asynchronous block I/O.
 *
 * rumpuser_bio() queues the request and returns at once.  One worker
 * kthread of ours ("rump_bio", started at the first request, ended by
 * hyp_bio_fini) does the I/O at the given offset, makes RUMPUSER_BIO_SYNC
 * writes durable with vfs_fsync_range(),
 * and reports completion by entering the rump kernel around the callback:
 * hyp_schedule(); done(donearg, bytes, error); hyp_unschedule().
 * Requests are served in order.  Once the hypervisor is STOPPED the worker
 * no longer calls into the kernel and ends at its next wait; requests
 * still queued are dropped (and freed) at unload.
 *
 * A request that cannot even be queued (bad fd, bad op, no memory) is
 * completed at once with its error, from the caller, which holds a rump
 * CPU context and may therefore run the callback directly.
 *
 * How the worker transfers: on a host block device, when the buffer,
 * length and offset are aligned to the device's logical block size and
 * the buffer is kmalloc or vmalloc memory (what the rump kernel's
 * allocator hands out), by direct I/O: a bio_vec list over the buffer's
 * pages and a kiocb with IOCB_DIRECT through the device's read_iter/
 * write_iter, so the data moves between the device and the buffer
 * without the page cache (in a TCG guest a buffered 64 MiB read of a
 * virtio disk takes 670 ms, a direct one 80 ms).  The block device code
 * keeps the page cache coherent (a direct read first writes back dirty
 * cached pages of its range, a direct write drops the cached ones), so
 * buffered users of the same device -- Linux mounting it afterwards --
 * see what was written.  Anything else (regular files, unaligned
 * requests) goes through kernel_read/kernel_write, buffered.
 */
#include <linux/kernel.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "hyp.h"

struct hyp_bioreq {
	struct list_head	br_list;
	struct file		*br_file;	/* referenced */
	int			br_op;
	void			*br_data;
	size_t			br_dlen;
	loff_t			br_off;
	rump_biodone_fn		br_done;
	void			*br_donearg;
};

static LIST_HEAD(hyp_bio_queue);
static DEFINE_SPINLOCK(hyp_bio_lock);	/* queue and hyp_bio_quit */
static DECLARE_WAIT_QUEUE_HEAD(hyp_bio_wq);
static DEFINE_MUTEX(hyp_bio_start_lock);	/* worker creation only */
static struct hyp_thread *hyp_bio_worker;
static bool hyp_bio_quit;

/*
 * Direct I/O of req on a block device (see the top comment): bytes done,
 * a negative errno, or -EOPNOTSUPP when req does not qualify (the caller
 * goes buffered).  No rump CPU held; sleeps.
 */
static ssize_t
hyp_bio_direct(struct hyp_bioreq *req, bool write)
{
	struct file *f = req->br_file;
	struct inode *inode = file_inode(f);
	char *p = req->br_data;
	size_t left = req->br_dlen, len;
	struct bio_vec *bv;
	struct iov_iter iter;
	struct kiocb kiocb;
	unsigned int lbs, nvec, i;
	bool vm;
	ssize_t ret;

	if (!S_ISBLK(inode->i_mode) || left == 0 ||
	    (write && !(f->f_mode & FMODE_WRITE)) ||
	    (!write && !(f->f_mode & FMODE_READ)))
		return -EOPNOTSUPP;
	lbs = bdev_logical_block_size(I_BDEV(f->f_mapping->host));
	if ((((uintptr_t)p | (u64)req->br_off | left) & (lbs - 1)) != 0)
		return -EOPNOTSUPP;
	vm = is_vmalloc_addr(p);
	if (!vm && !virt_addr_valid(p))
		return -EOPNOTSUPP;
	nvec = DIV_ROUND_UP(offset_in_page(p) + left, PAGE_SIZE);
	bv = kmalloc_array(nvec, sizeof(*bv), GFP_KERNEL);
	if (bv == NULL)
		return -EOPNOTSUPP;
	for (i = 0; left > 0; i++) {
		len = min_t(size_t, left, PAGE_SIZE - offset_in_page(p));
		bv[i].bv_page = vm ? vmalloc_to_page(p) : virt_to_page(p);
		bv[i].bv_offset = offset_in_page(p);
		bv[i].bv_len = len;
		p += len;
		left -= len;
	}
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, bv, i,
	    req->br_dlen);
	init_sync_kiocb(&kiocb, f);
	kiocb.ki_pos = req->br_off;
	kiocb.ki_flags |= IOCB_DIRECT;
	if (vm && write)
		flush_kernel_vmap_range(req->br_data, req->br_dlen);
	if (write)
		ret = call_write_iter(f, &kiocb, &iter);
	else
		ret = call_read_iter(f, &kiocb, &iter);
	if (vm && !write)
		invalidate_kernel_vmap_range(req->br_data, req->br_dlen);
	kfree(bv);
	return ret;
}

/* Do one request; no rump CPU held.  Frees req before the callback. */
static void
hyp_bio_do(struct hyp_bioreq *req)
{
	rump_biodone_fn done = req->br_done;
	void *donearg = req->br_donearg;
	loff_t pos = req->br_off;
	size_t bytes = 0;
	int error = 0, err;
	ssize_t ret;

	ret = hyp_bio_direct(req, (req->br_op & RUMPUSER_BIO_WRITE) != 0);
	if (ret == -EOPNOTSUPP && (req->br_op & RUMPUSER_BIO_WRITE))
		ret = kernel_write(req->br_file, req->br_data, req->br_dlen,
		    &pos);
	else if (ret == -EOPNOTSUPP)
		ret = kernel_read(req->br_file, req->br_data, req->br_dlen,
		    &pos);
	if (ret < 0) {
		error = hyp_errno(ret);
	} else {
		bytes = ret;
		if ((req->br_op & RUMPUSER_BIO_WRITE) &&
		    (req->br_op & RUMPUSER_BIO_SYNC) && bytes > 0) {
			err = vfs_fsync_range(req->br_file, req->br_off,
			    req->br_off + bytes - 1, 0);
			if (err)
				error = hyp_errno(err);
		}
	}
	fput(req->br_file);
	kfree(req);

	if (hyp_is_stopped())
		return;
	hyp_up.hyp_schedule();
	done(donearg, bytes, error);
	hyp_up.hyp_unschedule();
}

/* Next request, or NULL when told to quit.  Ends the thread if STOPPED. */
static struct hyp_bioreq *
hyp_bio_next(void)
{
	struct hyp_bioreq *req = NULL;
	DEFINE_WAIT(w);
	bool quit = false;

	for (;;) {
		prepare_to_wait(&hyp_bio_wq, &w, TASK_IDLE);
		if (hyp_is_stopped())
			break;
		spin_lock(&hyp_bio_lock);
		req = list_first_entry_or_null(&hyp_bio_queue,
		    struct hyp_bioreq, br_list);
		if (req != NULL)
			list_del(&req->br_list);
		quit = hyp_bio_quit;
		spin_unlock(&hyp_bio_lock);
		if (req != NULL || quit)
			break;
		schedule();
	}
	finish_wait(&hyp_bio_wq, &w);
	if (req == NULL && !quit)
		hyp_stop_point(false);
	return req;
}

static void
hyp_bio_main(void *arg)
{
	struct hyp_bioreq *req;

	while ((req = hyp_bio_next()) != NULL)
		hyp_bio_do(req);
}

/* Start the worker if it is not running.  May sleep; returns Linux errno. */
static int
hyp_bio_start(void)
{
	int err = 0;

	if (READ_ONCE(hyp_bio_worker) != NULL)
		return 0;
	mutex_lock(&hyp_bio_start_lock);
	if (hyp_bio_worker == NULL) {
		hyp_bio_quit = false;
		err = hyp_thread_spawn(hyp_bio_main, NULL, "rump_bio", true,
		    &hyp_bio_worker);
	}
	mutex_unlock(&hyp_bio_start_lock);
	return err;
}

void
rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
    rump_biodone_fn done, void *donearg)
{
	const int rw = RUMPUSER_BIO_READ | RUMPUSER_BIO_WRITE;
	struct hyp_bioreq *req;
	struct file *f;
	int err;

	if (hyp_is_stopped())
		return;		/* the kernel is dead: nobody to call back */
	if ((op & rw) == 0 || (op & rw) == rw || off < 0) {
		done(donearg, 0, RUMP_EINVAL);
		return;
	}
	f = hyp_file_get(fd);
	if (f == NULL) {
		done(donearg, 0, RUMP_EBADF);
		return;
	}
	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (req == NULL) {
		err = RUMP_ENOMEM;
		goto err_put_file;
	}
	err = hyp_bio_start();
	if (err) {
		err = hyp_errno(err);
		goto err_free_req;
	}

	req->br_file = f;
	req->br_op = op;
	req->br_data = data;
	req->br_dlen = dlen;
	req->br_off = off;
	req->br_done = done;
	req->br_donearg = donearg;
	spin_lock(&hyp_bio_lock);
	list_add_tail(&req->br_list, &hyp_bio_queue);
	spin_unlock(&hyp_bio_lock);
	wake_up(&hyp_bio_wq);
	return;

err_free_req:
	kfree(req);
err_put_file:
	fput(f);
	done(donearg, 0, err);
}

/* STOPPED entry: let the worker see it. */
void
hyp_bio_wake(void)
{
	wake_up_all(&hyp_bio_wq);
}

/* hyp_bio_fini: end the worker, drop what is still queued.  Unload. */
void
hyp_bio_fini(void)
{
	struct hyp_bioreq *req, *tmp;
	LIST_HEAD(dropped);
	int n = 0;

	mutex_lock(&hyp_bio_start_lock);
	if (hyp_bio_worker != NULL) {
		spin_lock(&hyp_bio_lock);
		hyp_bio_quit = true;
		spin_unlock(&hyp_bio_lock);
		wake_up_all(&hyp_bio_wq);
		hyp_thread_reap(hyp_bio_worker);
		hyp_bio_worker = NULL;
	}
	mutex_unlock(&hyp_bio_start_lock);

	spin_lock(&hyp_bio_lock);
	list_splice_init(&hyp_bio_queue, &dropped);
	spin_unlock(&hyp_bio_lock);
	list_for_each_entry_safe(req, tmp, &dropped, br_list) {
		fput(req->br_file);
		kfree(req);
		n++;
	}
	if (n)
		hyp_log("dropped %d block I/O requests of the stopped rump "
		    "kernel", n);
}
