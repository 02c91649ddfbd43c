// SPDX-License-Identifier: BSD-2-Clause
/*
 * demoffs.c: the FFS demo, shared by the Linux module and its userspace
 * twin.
 *
 * Not compiled on its own: demos/ffs/rump_demoffs.c (the Linux module
 * rump_demoffs.ko) and tests/kern/host_demoffs.c (a hosted program run by
 * `make check`) both #include it, so both run the same demo.  It uses only
 * the public rump API and compiler builtins; printing, memory and the host
 * path of the disk come from the includer through struct demoffs_env.
 *
 * The disk is an image made by scripts/mkffsimage.sh (keep the expected
 * contents below in step with it).  demoffs_run(), on a thread that holds
 * no rump process yet:
 *   1. makes a rump process (rfork, no descriptors), maps the host path
 *      into the rump kernel as the block device /dev/ffs0 (etfs) and
 *      mounts it read-only on /ffs;
 *   2. prints statvfs, lists / and /docs of the image (type, mode, size,
 *      name, link target), prints hello.txt, and checks hello.txt, the
 *      symlink to it, docs/notes.txt and every line of big.txt (307200
 *      bytes, reaching the indirect block) against the known contents;
 *   3. the write step: unmounts and mounts read-write.  If the kernel
 *      refuses with EROFS (FFS without write support), it says so
 *      ("read-write mount refused (EROFS): ..." and "write path
 *      unavailable") and the demo still succeeds for the read part.
 *      Otherwise it writes /ffs/hello-from-rump.txt (DEMOFFS_WROTE) and
 *      makes the directory /ffs/made-by-rump, reads both back, unmounts,
 *      mounts read-only again, checks them once more and says "write path:
 *      ok";
 *   4. unmounts, removes the device and /ffs, releases the process.
 * Lines go through de_printf (the includer adds "rump_demoffs: ").
 * Returns 0 after printing "ok: ...", or the rump errno of the first
 * failure after printing "failed at <step>: ...".
 */
#include <rump/rump.h>
#include "../common/rumpdemo.h"

struct demoffs_env {
	/* Print one line (no newline in fmt). */
	void	(*de_printf)(const char *fmt, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
	/* Memory for buffers (up to 320 KiB); NULL when out of memory. */
	void	*(*de_alloc)(rump_size_t size);
	void	(*de_free)(void *p);
	/* Host path of the FFS disk or image, e.g. "/dev/vda". */
	const char *de_device;
};

/* What one run found out, for the includer. */
struct demoffs_result {
	int	dr_write_ran;	/* the write step ran and was verified */
	int	dr_nfiles;	/* files read and checked */
	long long dr_nbytes;	/* their bytes */
};

#define DEMOFFS_DEV		"/dev/ffs0"
#define DEMOFFS_MNT		"/ffs"
#define DEMOFFS_BIG_LINES	6400
#define DEMOFFS_BIG_LINE	48
#define DEMOFFS_BIG_SIZE	(DEMOFFS_BIG_LINES * DEMOFFS_BIG_LINE)
#define DEMOFFS_BUF		(DEMOFFS_BIG_SIZE + 4096)
#define DEMOFFS_PATH_MAX	256
#define DEMOFFS_DIRBUF		4096

/* The image's known contents (scripts/mkffsimage.sh writes them). */
static const char demoffs_hello[] =
	"Hello from an FFS image made by makefs on the build host.\n"
	"The rump kernel inside rump.ko reads this file from a disk,\n"
	"and so does the guest Linux kernel with its own ufs driver.\n";
static const char demoffs_notes[] =
	"notes.txt sits in a subdirectory of the image.\n";

/* What the write step writes (tests/guest/ffs.sh checks it too). */
#define DEMOFFS_WROTE_PATH	DEMOFFS_MNT "/hello-from-rump.txt"
#define DEMOFFS_WROTE_DIR	DEMOFFS_MNT "/made-by-rump"
static const char demoffs_wrote[] =
	"This file was written by the rump kernel's FFS inside rump.ko.\n";

struct demoffs_ctx {
	const struct demoffs_env *dc_env;
	struct demoffs_result	*dc_res;
	const char		*dc_step;	/* for the failure line */
	char			*dc_buf;	/* DEMOFFS_BUF bytes */
	char			*dc_path;	/* DEMOFFS_PATH_MAX bytes */
	char			*dc_dirbuf;	/* DEMOFFS_DIRBUF bytes */
	struct rump_ufs_args	dc_args;
};

#define demoffs_say(dc, ...)	((dc)->dc_env->de_printf(__VA_ARGS__))

/* ---------------------------------------------------------------- helpers */

static int demoffs_fail(struct demoffs_ctx *dc, const char *what, int error)
{
	demoffs_say(dc, "failed at %s: %s: error %d", dc->dc_step, what, error);
	return error;
}

/* The errno of a failed rump_sys_* call (never 0). */
static int demoffs_errno(void)
{
	int error = rump_errno();

	return error != 0 ? error : RUMP_EIO;
}

/* dir + "/" + name into dc_path; ENAMETOOLONG if it does not fit */
static int demoffs_join(struct demoffs_ctx *dc, const char *dir,
    const char *name)
{
	rump_size_t dl = __builtin_strlen(dir), nl = __builtin_strlen(name);

	if (dl + 1 + nl + 1 > DEMOFFS_PATH_MAX)
		return RUMP_ENAMETOOLONG;
	__builtin_memcpy(dc->dc_path, dir, dl);
	dc->dc_path[dl] = '/';
	__builtin_memcpy(dc->dc_path + dl + 1, name, nl + 1);
	return 0;
}

/*
 * Read path whole into dc_buf (at most DEMOFFS_BUF - 1 bytes, then NUL
 * terminated); *lenp gets the length.  Also checks that stat agrees.
 */
static int demoffs_slurp(struct demoffs_ctx *dc, const char *path,
    rump_size_t *lenp)
{
	struct rump_stat st;
	rump_size_t done = 0;
	rump_ssize_t rv;
	int fd, error = 0;

	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd == -1)
		return demoffs_fail(dc, path, demoffs_errno());
	if (rump_sys_fstat(fd, &st) == -1)
		error = demoffs_fail(dc, path, demoffs_errno());
	while (error == 0 && done < DEMOFFS_BUF - 1) {
		rv = rump_sys_read(fd, dc->dc_buf + done,
		    DEMOFFS_BUF - 1 - done);
		if (rv == -1)
			error = demoffs_fail(dc, path, demoffs_errno());
		else if (rv == 0)
			break;
		else
			done += (rump_size_t)rv;
	}
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demoffs_fail(dc, path, demoffs_errno());
	if (error)
		return error;
	if (st.st_size != (long long)done) {
		demoffs_say(dc, "%s: stat says %lld bytes, read %llu", path,
		    st.st_size, (unsigned long long)done);
		return demoffs_fail(dc, path, RUMP_EIO);
	}
	dc->dc_buf[done] = '\0';
	*lenp = done;
	return 0;
}

/* Read path and compare it with want (a C string); counts the file. */
static int demoffs_check_text(struct demoffs_ctx *dc, const char *path,
    const char *want)
{
	rump_size_t len, wlen = __builtin_strlen(want);
	int error;

	error = demoffs_slurp(dc, path, &len);
	if (error)
		return error;
	if (len != wlen || __builtin_memcmp(dc->dc_buf, want, len) != 0) {
		demoffs_say(dc, "%s: %llu bytes that differ from the %llu expected",
		    path, (unsigned long long)len, (unsigned long long)wlen);
		return demoffs_fail(dc, path, RUMP_EIO);
	}
	dc->dc_res->dr_nfiles++;
	dc->dc_res->dr_nbytes += (long long)len;
	return 0;
}

/* "big.txt line NNNNNN of 006400 -- known content.\n" for line i */
static void demoffs_big_line(char *p, int i)
{
	static const char head[] = "big.txt line ";
	static const char tail[] = " of 006400 -- known content.\n";

	__builtin_memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	for (int k = 5; k >= 0; k--) {
		p[k] = (char)('0' + i % 10);
		i /= 10;
	}
	__builtin_memcpy(p + 6, tail, sizeof(tail) - 1);
}

/* Print a text file's lines (in dc_buf, NUL terminated) with a prefix. */
static void demoffs_print_text(struct demoffs_ctx *dc, const char *name)
{
	char *line = dc->dc_buf, *end;

	while (*line != '\0') {
		end = line;
		while (*end != '\0' && *end != '\n')
			end++;
		if (*end == '\n')
			*end++ = '\0';
		demoffs_say(dc, "  %s| %s", name, line);
		line = end;
	}
}

/* Print entry name of dir: type, mode, links, size, name, link target. */
static int demoffs_show_entry(struct demoffs_ctx *dc, const char *dir,
    const char *name)
{
	struct rump_stat st;
	char target[64];
	rump_ssize_t n;
	int error;

	error = demoffs_join(dc, dir, name);
	if (error)
		return demoffs_fail(dc, name, error);
	if (rump_sys_lstat(dc->dc_path, &st) == -1)
		return demoffs_fail(dc, dc->dc_path, demoffs_errno());
	if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
		n = rump_sys_readlink(dc->dc_path, target, sizeof(target) - 1);
		if (n == -1)
			return demoffs_fail(dc, dc->dc_path, demoffs_errno());
		target[n] = '\0';
		demoffs_say(dc, "  %c%04o %2u %7lld %s -> %s",
		    rumpdemo_typechar(st.st_mode), st.st_mode & 07777,
		    (unsigned)st.st_nlink, st.st_size, name, target);
		return 0;
	}
	demoffs_say(dc, "  %c%04o %2u %7lld %s", rumpdemo_typechar(st.st_mode),
	    st.st_mode & 07777, (unsigned)st.st_nlink, st.st_size, name);
	return 0;
}

/* List directory dir (without "." and ".."); *np gets the entry count. */
static int demoffs_list(struct demoffs_ctx *dc, const char *dir, int *np)
{
	struct rump_dirent *de;
	int fd, n, off, error = 0, nent = 0;

	demoffs_say(dc, "%s:", dir);
	fd = rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd == -1)
		return demoffs_fail(dc, dir, demoffs_errno());
	while (error == 0 &&
	    (n = rump_sys_getdents(fd, dc->dc_dirbuf, DEMOFFS_DIRBUF)) > 0) {
		for (off = 0; off < n && error == 0; off += de->d_reclen) {
			de = (struct rump_dirent *)(dc->dc_dirbuf + off);
			if (de->d_reclen == 0) {
				error = demoffs_fail(dc, dir, RUMP_EIO);
				break;
			}
			if (__builtin_strcmp(de->d_name, ".") == 0 ||
			    __builtin_strcmp(de->d_name, "..") == 0)
				continue;
			nent++;
			error = demoffs_show_entry(dc, dir, de->d_name);
		}
	}
	if (error == 0 && n == -1)
		error = demoffs_fail(dc, dir, demoffs_errno());
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demoffs_fail(dc, dir, demoffs_errno());
	*np = nent;
	return error;
}

static int demoffs_mount(struct demoffs_ctx *dc, int flags)
{
	if (rump_sys_mount("ffs", DEMOFFS_MNT, flags, &dc->dc_args,
	    sizeof(dc->dc_args)) == -1)
		return demoffs_errno();
	return 0;
}

static int demoffs_unmount(struct demoffs_ctx *dc)
{
	if (rump_sys_unmount(DEMOFFS_MNT, 0) == -1)
		return demoffs_fail(dc, "unmount " DEMOFFS_MNT, demoffs_errno());
	return 0;
}

/* ---------------------------------------------------------------- steps */

static int demoffs_statvfs(struct demoffs_ctx *dc)
{
	struct rump_statvfs *sv;
	int error = 0;

	sv = dc->dc_env->de_alloc(sizeof(*sv));
	if (sv == NULL)
		return demoffs_fail(dc, "statvfs buffer", RUMP_ENOMEM);
	if (rump_sys_statvfs1(DEMOFFS_MNT, sv, RUMP_ST_WAIT) == -1) {
		error = demoffs_fail(dc, "statvfs " DEMOFFS_MNT,
		    demoffs_errno());
	} else {
		unsigned long long total = sv->f_blocks * sv->f_frsize;
		unsigned long long avail = sv->f_bavail * sv->f_frsize;

		demoffs_say(dc, "statvfs %s: type %s from %s%s, block %lu, fragment %lu, %llu KiB total, %llu KiB free, %llu of %llu inodes free",
		    DEMOFFS_MNT, sv->f_fstypename, sv->f_mntfromname,
		    (sv->f_flag & RUMP_MNT_RDONLY) ? " (read-only)" : "",
		    sv->f_bsize, sv->f_frsize, total >> 10, avail >> 10,
		    sv->f_ffree, sv->f_files);
		if (__builtin_strcmp(sv->f_fstypename, "ffs") != 0)
			error = demoffs_fail(dc, "statvfs: not ffs", RUMP_EINVAL);
	}
	dc->dc_env->de_free(sv);
	return error;
}

/* List the image and check every known file. */
static int demoffs_read(struct demoffs_ctx *dc)
{
	rump_size_t len;
	int error, n, nroot;

	dc->dc_step = "list";
	error = demoffs_statvfs(dc);
	if (error)
		return error;
	error = demoffs_list(dc, DEMOFFS_MNT, &nroot);
	if (error)
		return error;
	error = demoffs_list(dc, DEMOFFS_MNT "/docs", &n);
	if (error)
		return error;
	if (nroot < 4 || n != 1)
		return demoffs_fail(dc, "the image does not hold the demo tree",
		    RUMP_ENOENT);

	dc->dc_step = "read";
	error = demoffs_check_text(dc, DEMOFFS_MNT "/hello.txt", demoffs_hello);
	if (error)
		return error;
	demoffs_say(dc, "%s/hello.txt says:", DEMOFFS_MNT);
	demoffs_print_text(dc, "hello.txt");
	error = demoffs_check_text(dc, DEMOFFS_MNT "/link-to-hello",
	    demoffs_hello);
	if (error)
		return error;
	error = demoffs_check_text(dc, DEMOFFS_MNT "/docs/notes.txt",
	    demoffs_notes);
	if (error)
		return error;

	error = demoffs_slurp(dc, DEMOFFS_MNT "/big.txt", &len);
	if (error)
		return error;
	if (len != DEMOFFS_BIG_SIZE) {
		demoffs_say(dc, "big.txt: %llu bytes, expected %d",
		    (unsigned long long)len, DEMOFFS_BIG_SIZE);
		return demoffs_fail(dc, "big.txt", RUMP_EIO);
	}
	for (int i = 0; i < DEMOFFS_BIG_LINES; i++) {
		char want[DEMOFFS_BIG_LINE];

		demoffs_big_line(want, i);
		if (__builtin_memcmp(dc->dc_buf + i * DEMOFFS_BIG_LINE, want,
		    DEMOFFS_BIG_LINE) != 0) {
			demoffs_say(dc, "big.txt: line %d (offset %d) differs",
			    i, i * DEMOFFS_BIG_LINE);
			return demoffs_fail(dc, "big.txt", RUMP_EIO);
		}
	}
	dc->dc_res->dr_nfiles++;
	dc->dc_res->dr_nbytes += DEMOFFS_BIG_SIZE;
	demoffs_say(dc, "checked %d files (%lld bytes; big.txt all %d lines, one file through the symlink): contents match the image's source tree",
	    dc->dc_res->dr_nfiles, dc->dc_res->dr_nbytes, DEMOFFS_BIG_LINES);
	return 0;
}

/* Write a new file with O_EXCL. */
static int demoffs_write_new(struct demoffs_ctx *dc, const char *path,
    const char *text)
{
	rump_size_t len = __builtin_strlen(text);
	rump_ssize_t rv;
	int fd, error = 0;

	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_EXCL,
	    0644);
	if (fd == -1)
		return demoffs_fail(dc, path, demoffs_errno());
	rv = rump_sys_write(fd, text, len);
	if (rv == -1)
		error = demoffs_fail(dc, path, demoffs_errno());
	else if ((rump_size_t)rv != len)
		error = demoffs_fail(dc, "short write", RUMP_EIO);
	if (error == 0 && rump_sys_fsync(fd) == -1)
		error = demoffs_fail(dc, path, demoffs_errno());
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demoffs_fail(dc, path, demoffs_errno());
	return error;
}

/* The file and the directory the write step made are there and right. */
static int demoffs_check_written(struct demoffs_ctx *dc)
{
	struct rump_stat st;
	int error;

	error = demoffs_check_text(dc, DEMOFFS_WROTE_PATH, demoffs_wrote);
	if (error)
		return error;
	if (rump_sys_stat(DEMOFFS_WROTE_DIR, &st) == -1)
		return demoffs_fail(dc, DEMOFFS_WROTE_DIR, demoffs_errno());
	if ((st.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR)
		return demoffs_fail(dc, DEMOFFS_WROTE_DIR " is no directory",
		    RUMP_ENOTDIR);
	return 0;
}

/*
 * The write step, with nothing mounted on entry or exit.  Sets
 * dr_write_ran when everything was written and read back after a
 * remount; a kernel that refuses read-write mounts (EROFS) is reported,
 * not an error.
 */
static int demoffs_write(struct demoffs_ctx *dc)
{
	struct rump_stat st;
	int error, n;

	dc->dc_step = "write";
	error = demoffs_mount(dc, 0);
	if (error == RUMP_EROFS) {
		demoffs_say(dc, "read-write mount refused (EROFS): writing not available in this build");
		demoffs_say(dc, "write path unavailable");
		return 0;
	}
	if (error)
		return demoffs_fail(dc, "read-write mount", error);
	demoffs_say(dc, "mounted %s read-write on %s", DEMOFFS_DEV,
	    DEMOFFS_MNT);

	/* a disk the demo already wrote to: start over */
	if (rump_sys_lstat(DEMOFFS_WROTE_PATH, &st) == 0 &&
	    rump_sys_unlink(DEMOFFS_WROTE_PATH) == -1) {
		error = demoffs_fail(dc, "unlink old " DEMOFFS_WROTE_PATH,
		    demoffs_errno());
		goto out_unmount;
	}
	if (rump_sys_lstat(DEMOFFS_WROTE_DIR, &st) == 0 &&
	    rump_sys_rmdir(DEMOFFS_WROTE_DIR) == -1) {
		error = demoffs_fail(dc, "rmdir old " DEMOFFS_WROTE_DIR,
		    demoffs_errno());
		goto out_unmount;
	}

	error = demoffs_write_new(dc, DEMOFFS_WROTE_PATH, demoffs_wrote);
	if (error)
		goto out_unmount;
	if (rump_sys_mkdir(DEMOFFS_WROTE_DIR, 0755) == -1) {
		error = demoffs_fail(dc, DEMOFFS_WROTE_DIR, demoffs_errno());
		goto out_unmount;
	}
	error = demoffs_check_written(dc);
	if (error)
		goto out_unmount;
	demoffs_say(dc, "wrote %s (%d bytes) and made the directory %s",
	    DEMOFFS_WROTE_PATH, (int)sizeof(demoffs_wrote) - 1,
	    DEMOFFS_WROTE_DIR);
	error = demoffs_statvfs(dc);
	if (error)
		goto out_unmount;
	error = demoffs_unmount(dc);
	if (error)
		return error;

	/* read back from the disk, not from what the mount had cached */
	dc->dc_step = "write readback";
	error = demoffs_mount(dc, RUMP_MNT_RDONLY);
	if (error)
		return demoffs_fail(dc, "read-only remount", error);
	error = demoffs_list(dc, DEMOFFS_MNT, &n);
	if (error == 0)
		error = demoffs_check_written(dc);
	if (error)
		goto out_unmount;
	demoffs_say(dc, "%s says:", DEMOFFS_WROTE_PATH);
	demoffs_print_text(dc, "hello-from-rump.txt");
	error = demoffs_unmount(dc);
	if (error)
		return error;
	demoffs_say(dc, "write path: ok (unmounted, remounted read-only, the new file and directory read back)");
	dc->dc_res->dr_write_ran = 1;
	return 0;

out_unmount:
	(void)demoffs_unmount(dc);
	return error;
}

/* ---------------------------------------------------------------- entry */

static int demoffs_run(const struct demoffs_env *env,
    struct demoffs_result *res)
{
	struct demoffs_ctx ctx = {
		.dc_env = env, .dc_res = res, .dc_step = "setup",
		.dc_args = { .fspec = (char *)DEMOFFS_DEV },
	};
	struct demoffs_ctx *dc = &ctx;
	int error, made_mnt = 0;

	__builtin_memset(res, 0, sizeof(*res));
	dc->dc_buf = env->de_alloc(DEMOFFS_BUF);
	dc->dc_path = env->de_alloc(DEMOFFS_PATH_MAX);
	dc->dc_dirbuf = env->de_alloc(DEMOFFS_DIRBUF);
	if (dc->dc_buf == NULL || dc->dc_path == NULL ||
	    dc->dc_dirbuf == NULL) {
		error = demoffs_fail(dc, "buffers", RUMP_ENOMEM);
		goto out_free;
	}

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error) {
		demoffs_fail(dc, "rfork", error);
		goto out_free;
	}
	error = rump_pub_etfs_register(DEMOFFS_DEV, env->de_device,
	    RUMP_ETFS_BLK);
	if (error) {
		demoffs_fail(dc, env->de_device, error);
		goto out_release;
	}
	if (rump_sys_mkdir(DEMOFFS_MNT, 0755) == 0) {
		made_mnt = 1;
	} else if (rump_errno() != RUMP_EEXIST) {
		error = demoffs_fail(dc, "mkdir " DEMOFFS_MNT, demoffs_errno());
		goto out_etfs;
	}
	error = demoffs_mount(dc, RUMP_MNT_RDONLY);
	if (error) {
		demoffs_fail(dc, "mount", error);
		goto out_rmdir;
	}
	demoffs_say(dc, "host disk %s is the rump block device %s; mounted it read-only on %s",
	    env->de_device, DEMOFFS_DEV, DEMOFFS_MNT);

	error = demoffs_read(dc);
	if (error) {
		(void)demoffs_unmount(dc);
		goto out_rmdir;
	}
	error = demoffs_unmount(dc);
	if (error)
		goto out_rmdir;
	error = demoffs_write(dc);

out_rmdir:
	if (made_mnt && rump_sys_rmdir(DEMOFFS_MNT) == -1 && error == 0)
		error = demoffs_fail(dc, "rmdir " DEMOFFS_MNT, demoffs_errno());
out_etfs:
	if (rump_pub_etfs_remove(DEMOFFS_DEV) != 0 && error == 0)
		error = demoffs_fail(dc, "etfs remove", RUMP_EBUSY);
	if (error == 0)
		demoffs_say(dc, "ok: %s read (%d files, %lld bytes checked), write path %s, everything unmounted",
		    env->de_device, res->dr_nfiles, res->dr_nbytes,
		    res->dr_write_ran ? "ok" : "unavailable");
out_release:
	rump_pub_lwproc_releaselwp();
out_free:
	if (dc->dc_dirbuf != NULL)
		env->de_free(dc->dc_dirbuf);
	if (dc->dc_path != NULL)
		env->de_free(dc->dc_path);
	if (dc->dc_buf != NULL)
		env->de_free(dc->dc_buf);
	return error;
}
