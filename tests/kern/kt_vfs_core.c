/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_vfs_core.c: kernel-side tests of the small VFS services: copyin and
 * friends (vfs/vfs_uio.c), credentials and vaccess (vfs/vfs_cred.c),
 * descriptor tables (vfs/vfs_descrip.c) and the vnode fileops
 * (vfs/vfs_vnops.c) on the tmpfs root.
 *
 * Run by host_ktest through kt_runner.c.
 */
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "ktest.h"

KTEST(vfs, copyin_rejects_null_low_and_wrapping_ranges)
{
	char buf[16], src[16] = "hello";
	size_t done = 0;

	KT_CHECK_EQ(copyin(NULL, buf, 1), EFAULT);
	KT_CHECK_EQ(copyin((void *)4095, buf, 1), EFAULT);
	KT_CHECK_EQ(copyin((void *)(uintptr_t)-8, buf, 16), EFAULT);
	KT_CHECK_EQ(copyout(buf, NULL, 1), EFAULT);
	KT_CHECK_EQ(copyin(src, buf, 6), 0);
	KT_CHECK_STR(buf, "hello");
	KT_CHECK_EQ(copyinstr(NULL, buf, sizeof(buf), &done), EFAULT);
	KT_CHECK_EQ(copyinstr(src, buf, sizeof(buf), &done), 0);
	KT_CHECK_EQ(done, 6);
	KT_CHECK_EQ(copyinstr(src, buf, 5, &done), ENAMETOOLONG);
	KT_CHECK_EQ(copyoutstr("abc", buf, sizeof(buf), &done), 0);
	KT_CHECK_EQ(done, 4);
}

KTEST(vfs, uiomove_spans_iovecs)
{
	char a[3], b[5], k[8] = "abcdefgh";
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct uio uio = { iov, 2, 100, 8, UIO_READ, UIO_USERSPACE };

	KT_CHECK_EQ(uiomove(k, 6, &uio), 0);
	KT_CHECK_EQ(uio.uio_resid, 2);
	KT_CHECK_EQ(uio.uio_offset, 106);
	KT_CHECK(memcmp(a, "abc", 3) == 0 && memcmp(b, "def", 3) == 0);
	KT_CHECK_EQ(uiomove_zero(10, &uio), 0);
	KT_CHECK_EQ(uio.uio_resid, 0);
	KT_CHECK(b[3] == 0 && b[4] == 0);
}

/*
 * A caller buffer that wraps the end of the address space is refused as a
 * whole, even when the transfer itself would only touch its first bytes
 * (a short read into such a buffer must not write anywhere).
 */
KTEST(vfs, uiomove_rejects_wrapping_buffer_on_short_transfer)
{
	char k[4] = "wxyz";
	struct iovec iov = { (void *)(uintptr_t)-8, 64 };
	struct uio uio = { &iov, 1, 0, 64, UIO_READ, UIO_USERSPACE };

	KT_CHECK_EQ(uiomove(k, sizeof(k), &uio), EFAULT);
	KT_CHECK_EQ(uio.uio_resid, 64);
}

KTEST(vfs, vaccess_owner_group_other_and_root)
{
	kauth_cred_t u = kauth_cred_alloc(100, 10);
	kauth_cred_t root = kauth_cred_get();

	KT_CHECK_EQ(vaccess(VREG, 0640, 100, 20, VREAD | VWRITE, u), 0);
	KT_CHECK_EQ(vaccess(VREG, 0640, 100, 20, VEXEC, u), EACCES);
	KT_CHECK_EQ(vaccess(VREG, 0640, 5, 10, VREAD, u), 0);
	KT_CHECK_EQ(vaccess(VREG, 0640, 5, 10, VWRITE, u), EACCES);
	KT_CHECK_EQ(vaccess(VREG, 0604, 5, 20, VREAD, u), 0);
	/* The owner class decides even when "other" would allow. */
	KT_CHECK_EQ(vaccess(VREG, 0044, 100, 20, VREAD, u), EACCES);
	KT_CHECK_EQ(vaccess(VREG, 0000, 5, 5, VREAD | VWRITE, root), 0);
	KT_CHECK_EQ(vaccess(VREG, 0644, 5, 5, VEXEC, root), EACCES);
	KT_CHECK_EQ(vaccess(VDIR, 0000, 5, 5, VEXEC, root), 0);
	KT_CHECK(kauth_cred_groupmember(u, 10));
	KT_CHECK(!kauth_cred_groupmember(u, 11));
	kauth_cred_free(u);
}

static int
kc_open(const char *path, int fflags, struct file **fpp)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	error = vn_open(NULL, path, fflags, 0644, &vp);
	if (error != 0)
		return error;
	(void)file_alloc(&fp);
	fp->f_flag = fflags & FMASK;
	fp->f_type = DTYPE_VNODE;
	fp->f_ops = &vnops;
	fp->f_data = vp;
	*fpp = fp;
	return 0;
}

static int
kc_rw(struct file *fp, enum uio_rw rw, void *buf, size_t len, size_t *resid)
{
	struct iovec iov = { buf, len };
	struct uio uio = { &iov, 1, 0, len, rw, UIO_SYSSPACE };
	int error;

	if (rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, &fp->f_offset, &uio,
		    fp->f_cred, FOF_UPDATE_OFFSET);
	else
		error = fp->f_ops->fo_write(fp, &fp->f_offset, &uio,
		    fp->f_cred, FOF_UPDATE_OFFSET);
	*resid = uio.uio_resid;
	return error;
}

KTEST(vfs, vnops_read_write_append_seek_stat)
{
	struct file *fp;
	struct stat sb;
	char buf[16];
	size_t resid;
	off_t off;
	u_int nfiles = file_count();

	KT_REQUIRE(kc_open("/tmp/f", FREAD | FWRITE | O_CREAT, &fp) == 0);
	KT_CHECK_EQ(file_count(), nfiles + 1);
	KT_CHECK_EQ(kc_rw(fp, UIO_WRITE, "hello", 5, &resid), 0);
	KT_CHECK_EQ(fp->f_offset, 5);
	KT_CHECK_EQ(fp->f_ops->fo_seek(fp, 1, SEEK_SET, &off), 0);
	KT_CHECK_EQ(kc_rw(fp, UIO_READ, buf, sizeof(buf), &resid), 0);
	KT_CHECK_EQ(resid, sizeof(buf) - 4);
	KT_CHECK(memcmp(buf, "ello", 4) == 0);
	KT_CHECK_EQ(fp->f_ops->fo_seek(fp, -2, SEEK_END, &off), 0);
	KT_CHECK_EQ(off, 3);
	KT_CHECK_EQ(fp->f_ops->fo_seek(fp, -10, SEEK_CUR, &off), EINVAL);
	KT_CHECK_EQ(fp->f_ops->fo_seek(fp, 0, 7, &off), EINVAL);
	file_release(fp);
	KT_CHECK_EQ(file_count(), nfiles);

	/* O_APPEND writes land at the end whatever the offset. */
	KT_REQUIRE(kc_open("/tmp/f", FWRITE | O_APPEND, &fp) == 0);
	KT_CHECK_EQ(kc_rw(fp, UIO_WRITE, "!!", 2, &resid), 0);
	KT_CHECK_EQ(fp->f_ops->fo_stat(fp, &sb), 0);
	KT_CHECK_EQ(sb.st_size, 7);
	KT_CHECK(S_ISREG(sb.st_mode));
	KT_CHECK_EQ(sb.st_mode & 0777, 0644);
	KT_CHECK_EQ(kc_rw(fp, UIO_READ, buf, 1, &resid), EBADF);
	file_release(fp);

	/* O_TRUNC empties it. */
	KT_REQUIRE(kc_open("/tmp/f", FWRITE | O_TRUNC, &fp) == 0);
	KT_CHECK_EQ(fp->f_ops->fo_stat(fp, &sb), 0);
	KT_CHECK_EQ(sb.st_size, 0);
	file_release(fp);
}

KTEST(vfs, fd_table_lowest_free_dup2_and_flags)
{
	struct file *fp, *g;
	int a, b, c, fl;

	KT_REQUIRE(kc_open("/tmp", FREAD, &fp) == 0);
	KT_REQUIRE(fd_alloc(fp, 0, 0, &a) == 0);
	KT_REQUIRE(fd_alloc(fp, 0, FD_CLOEXEC, &b) == 0);
	KT_CHECK_EQ(b, a + 1);
	KT_CHECK_EQ(fd_getflags(b, &fl), 0);
	KT_CHECK_EQ(fl, FD_CLOEXEC);
	KT_CHECK_EQ(fd_close(a), 0);
	KT_REQUIRE(fd_alloc(fp, 0, 0, &c) == 0);
	KT_CHECK_EQ(c, a);
	KT_CHECK_EQ(fd_dup2(c, 200, 0), 0);	/* grows the table */
	g = fd_getfile(200);
	KT_CHECK(g == fp);
	if (g != NULL)
		fd_putfile(g);
	KT_CHECK(fd_getfile(201) == NULL);
	KT_CHECK_EQ(fd_close(201), EBADF);
	KT_CHECK_EQ(fd_dup2(12345, 3, 0), EBADF);
	KT_CHECK_EQ(fd_close(200), 0);
	KT_CHECK_EQ(fd_close(b), 0);
	KT_CHECK_EQ(fd_close(c), 0);
	KT_CHECK_EQ(fp->f_count, 1);	/* only ours is left */
	file_release(fp);
}

KTEST(vfs, cwd_and_umask_follow_process)
{
	struct vnode *cwd, *root;

	root = root_get();
	cwd = cwd_get();
	KT_REQUIRE(root != NULL && cwd != NULL);
	KT_CHECK(root == cwd);
	KT_CHECK(root->v_vflag & VV_ROOT);
	KT_CHECK_EQ(cwd_umask(), 022);
	cwd_setumask(077);
	KT_CHECK_EQ(cwd_umask(), 077);
	cwd_setumask(022);
	vrele(root);
	vrele(cwd);
}
