// SPDX-License-Identifier: BSD-2-Clause
/*
 * demofs.c: the file system demo, shared by the Linux module and its
 * userspace twin.
 *
 * This file is not compiled on its own: demos/fs/rump_demofs.c (the Linux
 * module rump_demofs.ko) and tests/kern/host_demofs.c (a hosted program
 * run by `make check`) both #include it, so the two run exactly the same
 * demo.  It uses only the public rump API (rump/rump.h, rump/rumpdefs.h)
 * and compiler builtins; everything host-specific (printing a line,
 * allocating a buffer) comes from the includer through struct demofs_env.
 *
 * demofs_run(), on a thread that holds no rump process yet:
 *   1. makes a rump process for the calling thread (rfork, no descriptors);
 *   2. mounts kernfs on /kern and a tmpfs limited to 16 MiB on /tmp;
 *   3. builds a small tree in /tmp (directories, text files, a 1 MiB
 *      binary file, a symbolic link, a rename, an unlink), reads every file
 *      back and compares it with what was written;
 *   4. fills /tmp until the size limit answers ENOSPC, then frees it;
 *   5. lists /tmp and its subdirectories and /kern (type, mode, size, name)
 *      and prints every kernfs file line by line; checks that kernfs
 *      refuses writes and creations and that its mounts file shows both
 *      mounts;
 *   6. unmounts both, releases the process.
 * Every line goes through de_printf (the includer adds its own prefix,
 * "rump_demofs: " in the kernel log).  Returns 0, or the rump errno of the
 * first failure after printing "failed at <step>: ...".
 */
#include <rump/rump.h>
#include "../common/rumpdemo.h"

struct demofs_env {
	/* Print one line (no newline in fmt). */
	void	(*de_printf)(const char *fmt, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
	/* Memory for buffers (up to 1 MiB); NULL when out of memory. */
	void	*(*de_alloc)(rump_size_t size);
	void	(*de_free)(void *p);
};

#define DEMOFS_TMP_LIMIT	(16LL * 1024 * 1024)
#define DEMOFS_BIG_SIZE		(1024 * 1024)	/* /tmp/data/pattern.bin */
#define DEMOFS_IO_CHUNK		(64 * 1024)
#define DEMOFS_FILL_CHUNK	(1024 * 1024)
#define DEMOFS_PATH_MAX		256
#define DEMOFS_DIRBUF		4096
#define DEMOFS_KERNBUF		8192	/* the largest kernfs text shown */
#define DEMOFS_NUMBERS		200	/* lines of /tmp/data/numbers.txt */

struct demofs_ctx {
	const struct demofs_env	*dc_env;
	const char		*dc_step;	/* for the failure line */
	char			*dc_buf;	/* DEMOFS_BIG_SIZE bytes */
	char			*dc_cmp;	/* DEMOFS_BIG_SIZE bytes */
	char			*dc_path;	/* DEMOFS_PATH_MAX bytes */
	char			*dc_dirbuf;	/* DEMOFS_DIRBUF bytes */
	int			dc_nfiles;	/* files written and verified */
	long long		dc_nbytes;	/* their bytes */
};

#define demofs_say(dc, ...)	((dc)->dc_env->de_printf(__VA_ARGS__))

static const char demofs_readme[] =
	"This tree was made by rump_demofs inside a rump kernel.\n"
	"The rump kernel runs in the host kernel as the module rump.ko;\n"
	"its file systems (tmpfs, kernfs) are its own, not the host's.\n";

static const char demofs_notes[] =
	"notes.txt was written as notes.tmp and then renamed.\n";

/* ---------------------------------------------------------------- helpers */

static rump_size_t demofs_strlen(const char *s)
{
	return __builtin_strlen(s);
}

/* dir + "/" + name into dc_path; ENAMETOOLONG if it does not fit */
static int demofs_join(struct demofs_ctx *dc, const char *dir,
    const char *name)
{
	rump_size_t dl = demofs_strlen(dir), nl = demofs_strlen(name);

	if (dl + 1 + nl + 1 > DEMOFS_PATH_MAX)
		return RUMP_ENAMETOOLONG;
	__builtin_memcpy(dc->dc_path, dir, dl);
	dc->dc_path[dl] = '/';
	__builtin_memcpy(dc->dc_path + dl + 1, name, nl + 1);
	return 0;
}

static int demofs_fail(struct demofs_ctx *dc, const char *what, int error)
{
	demofs_say(dc, "failed at %s: %s: error %d", dc->dc_step, what, error);
	return error;
}

/* The errno of a failed rump_sys_* call (never 0). */
static int demofs_errno(void)
{
	int error = rump_errno();

	return error != 0 ? error : RUMP_EIO;
}

/* Write all of buf to a new file path (mode 0644), in chunks. */
static int demofs_write_file(struct demofs_ctx *dc, const char *path,
    const char *buf, rump_size_t len)
{
	rump_size_t done = 0, n;
	rump_ssize_t rv;
	int fd, error = 0;

	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_EXCL,
	    0644);
	if (fd == -1)
		return demofs_fail(dc, path, demofs_errno());
	while (done < len) {
		n = len - done < DEMOFS_IO_CHUNK ? len - done : DEMOFS_IO_CHUNK;
		rv = rump_sys_write(fd, buf + done, n);
		if (rv <= 0) {
			error = demofs_fail(dc, path,
			    rv == -1 ? demofs_errno() : RUMP_EIO);
			break;
		}
		done += (rump_size_t)rv;
	}
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demofs_fail(dc, path, demofs_errno());
	return error;
}

/*
 * Read path whole into dc_cmp and compare with want; also checks that
 * stat's size agrees.  Counts the file as verified.
 */
static int demofs_verify_file(struct demofs_ctx *dc, const char *path,
    const char *want, rump_size_t len)
{
	struct rump_stat st;
	rump_size_t done = 0;
	rump_ssize_t rv;
	int fd, error = 0;

	if (rump_sys_stat(path, &st) == -1)
		return demofs_fail(dc, path, demofs_errno());
	if (st.st_size != (rump_off_t)len) {
		demofs_say(dc, "%s: stat says %lld bytes, wrote %llu", path,
		    (long long)st.st_size, (unsigned long long)len);
		return demofs_fail(dc, path, RUMP_EIO);
	}
	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd == -1)
		return demofs_fail(dc, path, demofs_errno());
	for (;;) {
		/* ask for one byte more than expected: must see EOF */
		rv = rump_sys_read(fd, dc->dc_cmp + done,
		    DEMOFS_BIG_SIZE - done);
		if (rv == -1) {
			error = demofs_fail(dc, path, demofs_errno());
			break;
		}
		if (rv == 0)
			break;
		done += (rump_size_t)rv;
		if (done > len || done == DEMOFS_BIG_SIZE)
			break;
	}
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demofs_fail(dc, path, demofs_errno());
	if (error)
		return error;
	if (done != len || __builtin_memcmp(dc->dc_cmp, want, len) != 0) {
		demofs_say(dc, "%s: read back %llu bytes that differ from the %llu written",
		    path, (unsigned long long)done, (unsigned long long)len);
		return demofs_fail(dc, path, RUMP_EIO);
	}
	dc->dc_nfiles++;
	dc->dc_nbytes += (long long)len;
	return 0;
}

/* Text of numbers.txt into dc_buf; returns its length. */
static rump_size_t demofs_numbers(struct demofs_ctx *dc)
{
	rump_size_t len = 0;
	char *p = dc->dc_buf;
	int i, v, k;
	char digits[12];

	for (i = 1; i <= DEMOFS_NUMBERS; i++) {
		/* "<i> squared is <i*i>\n", formatted by hand: no libc here */
		for (int pass = 0; pass < 2; pass++) {
			v = pass == 0 ? i : i * i;
			k = 0;
			do {
				digits[k++] = (char)('0' + v % 10);
				v /= 10;
			} while (v > 0);
			while (k > 0)
				p[len++] = digits[--k];
			if (pass == 0) {
				__builtin_memcpy(p + len, " squared is ", 12);
				len += 12;
			}
		}
		p[len++] = '\n';
	}
	return len;
}

static void demofs_pattern(char *buf, rump_size_t len)
{
	for (rump_size_t i = 0; i < len; i++)
		buf[i] = (char)((i * 7 + (i >> 12)) & 0xff);
}

/* ---------------------------------------------------------------- steps */

static int demofs_mount(struct demofs_ctx *dc)
{
	struct rump_tmpfs_args ta;

	dc->dc_step = "mount";
	if (rump_sys_mount("kernfs", "/kern", RUMP_MNT_RDONLY, NULL, 0) == -1)
		return demofs_fail(dc, "kernfs on /kern", demofs_errno());
	__builtin_memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_nodes_max = 0;
	ta.ta_size_max = DEMOFS_TMP_LIMIT;
	ta.ta_root_uid = 0;
	ta.ta_root_gid = 0;
	ta.ta_root_mode = 01777;
	if (rump_sys_mount("tmpfs", "/tmp", 0, &ta, sizeof(ta)) == -1) {
		int error = demofs_fail(dc, "tmpfs on /tmp", demofs_errno());

		if (rump_sys_unmount("/kern", 0) == -1)
			demofs_fail(dc, "unmount /kern", demofs_errno());
		return error;
	}
	demofs_say(dc, "mounted kernfs on /kern (read-only) and tmpfs on /tmp (limit %lld MiB)",
	    DEMOFS_TMP_LIMIT >> 20);
	return 0;
}

static int demofs_build(struct demofs_ctx *dc)
{
	static const char *const dirs[] = {
		"/tmp/docs", "/tmp/data", "/tmp/data/archive",
	};
	rump_size_t nlen;
	struct rump_stat st;
	int error;

	dc->dc_step = "build";
	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (rump_sys_mkdir(dirs[i], 0755) == -1)
			return demofs_fail(dc, dirs[i], demofs_errno());

	error = demofs_write_file(dc, "/tmp/docs/readme.txt", demofs_readme,
	    sizeof(demofs_readme) - 1);
	if (error)
		return error;
	error = demofs_write_file(dc, "/tmp/docs/notes.tmp", demofs_notes,
	    sizeof(demofs_notes) - 1);
	if (error)
		return error;
	if (rump_sys_rename("/tmp/docs/notes.tmp", "/tmp/docs/notes.txt") == -1)
		return demofs_fail(dc, "rename notes.tmp", demofs_errno());
	if (rump_sys_stat("/tmp/docs/notes.tmp", &st) != -1 ||
	    rump_errno() != RUMP_ENOENT)
		return demofs_fail(dc, "notes.tmp still there after rename",
		    RUMP_EEXIST);

	nlen = demofs_numbers(dc);
	error = demofs_write_file(dc, "/tmp/data/numbers.txt", dc->dc_buf,
	    nlen);
	if (error)
		return error;
	demofs_pattern(dc->dc_buf, DEMOFS_BIG_SIZE);
	error = demofs_write_file(dc, "/tmp/data/pattern.bin", dc->dc_buf,
	    DEMOFS_BIG_SIZE);
	if (error)
		return error;
	if (rump_sys_symlink("docs/readme.txt", "/tmp/latest") == -1)
		return demofs_fail(dc, "symlink /tmp/latest", demofs_errno());

	error = demofs_write_file(dc, "/tmp/scratch.txt", "gone soon\n", 10);
	if (error)
		return error;
	if (rump_sys_unlink("/tmp/scratch.txt") == -1)
		return demofs_fail(dc, "unlink /tmp/scratch.txt", demofs_errno());
	if (rump_sys_stat("/tmp/scratch.txt", &st) != -1 ||
	    rump_errno() != RUMP_ENOENT)
		return demofs_fail(dc, "scratch.txt still there after unlink",
		    RUMP_EEXIST);

	demofs_say(dc, "created 3 directories, 4 files and a symlink in /tmp (renamed one file, removed another)");
	return 0;
}

static int demofs_verify(struct demofs_ctx *dc)
{
	rump_size_t nlen;
	int error;

	dc->dc_step = "verify";
	error = demofs_verify_file(dc, "/tmp/docs/readme.txt", demofs_readme,
	    sizeof(demofs_readme) - 1);
	if (error)
		return error;
	error = demofs_verify_file(dc, "/tmp/docs/notes.txt", demofs_notes,
	    sizeof(demofs_notes) - 1);
	if (error)
		return error;
	/* through the symbolic link */
	error = demofs_verify_file(dc, "/tmp/latest", demofs_readme,
	    sizeof(demofs_readme) - 1);
	if (error)
		return error;
	nlen = demofs_numbers(dc);
	error = demofs_verify_file(dc, "/tmp/data/numbers.txt", dc->dc_buf,
	    nlen);
	if (error)
		return error;
	demofs_pattern(dc->dc_buf, DEMOFS_BIG_SIZE);
	error = demofs_verify_file(dc, "/tmp/data/pattern.bin", dc->dc_buf,
	    DEMOFS_BIG_SIZE);
	if (error)
		return error;
	demofs_say(dc, "read back %d files (%lld bytes, one through the symlink): contents match",
	    dc->dc_nfiles, dc->dc_nbytes);
	return 0;
}

/* Write /tmp/fill.bin until ENOSPC; the limit must hold, then free it. */
static int demofs_fill(struct demofs_ctx *dc)
{
	struct rump_statvfs *sv;
	long long written = 0;
	rump_ssize_t rv;
	int fd, error = 0, werr = 0;

	dc->dc_step = "size limit";
	fd = rump_sys_open("/tmp/fill.bin", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	if (fd == -1)
		return demofs_fail(dc, "/tmp/fill.bin", demofs_errno());
	while (written <= DEMOFS_TMP_LIMIT) {
		rv = rump_sys_write(fd, dc->dc_buf, DEMOFS_FILL_CHUNK);
		if (rv == -1) {
			werr = demofs_errno();
			break;
		}
		written += rv;	/* a short write: the next one fails */
	}
	if (rump_sys_close(fd) == -1)
		error = demofs_fail(dc, "close /tmp/fill.bin", demofs_errno());
	if (error == 0 && werr != RUMP_ENOSPC)
		error = demofs_fail(dc, "writing past the limit did not give ENOSPC",
		    werr != 0 ? werr : RUMP_EIO);
	if (error == 0 && written > DEMOFS_TMP_LIMIT)
		error = demofs_fail(dc, "wrote more than the limit", RUMP_EIO);
	if (rump_sys_unlink("/tmp/fill.bin") == -1 && error == 0)
		error = demofs_fail(dc, "unlink /tmp/fill.bin", demofs_errno());
	if (error)
		return error;
	demofs_say(dc, "size limit: /tmp/fill.bin stopped at %lld KiB with ENOSPC (limit %lld KiB), removed",
	    written >> 10, DEMOFS_TMP_LIMIT >> 10);

	/* statvfs after the removal: the space is back */
	sv = dc->dc_env->de_alloc(sizeof(*sv));
	if (sv == NULL)
		return demofs_fail(dc, "statvfs buffer", RUMP_ENOMEM);
	if (rump_sys_statvfs1("/tmp", sv, RUMP_ST_WAIT) == -1) {
		error = demofs_fail(dc, "statvfs /tmp", demofs_errno());
	} else {
		unsigned long long total = sv->f_blocks * sv->f_frsize;
		unsigned long long avail = sv->f_bavail * sv->f_frsize;

		demofs_say(dc, "statvfs /tmp: type %s, %llu KiB total, %llu KiB used, %llu KiB free",
		    sv->f_fstypename, total >> 10, (total - avail) >> 10,
		    avail >> 10);
		if (avail < (unsigned long long)DEMOFS_TMP_LIMIT / 2)
			error = demofs_fail(dc, "space not returned after unlink",
			    RUMP_ENOSPC);
	}
	dc->dc_env->de_free(sv);
	return error;
}

/*
 * Print the entry `name` of dir: type, mode, size, name (and a link's
 * target).  Leaves dir/name in dc_path.
 */
static int demofs_show_entry(struct demofs_ctx *dc, const char *dir,
    const char *name)
{
	struct rump_stat st;
	char target[64];
	rump_ssize_t n;
	int error;

	error = demofs_join(dc, dir, name);
	if (error)
		return demofs_fail(dc, name, error);
	if (rump_sys_lstat(dc->dc_path, &st) == -1)
		return demofs_fail(dc, dc->dc_path, demofs_errno());
	if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
		n = rump_sys_readlink(dc->dc_path, target, sizeof(target) - 1);
		if (n == -1)
			return demofs_fail(dc, dc->dc_path, demofs_errno());
		target[n] = '\0';
		demofs_say(dc, "%s: %c %04o %6lld %s -> %s", dir,
		    rumpdemo_typechar(st.st_mode), st.st_mode & 07777,
		    (long long)st.st_size, name, target);
		return 0;
	}
	demofs_say(dc, "%s: %c %04o %6lld %s", dir, rumpdemo_typechar(st.st_mode),
	    st.st_mode & 07777, (long long)st.st_size, name);
	return 0;
}

/* Print a kernfs file's text, one log line per text line. */
static int demofs_show_text(struct demofs_ctx *dc, const char *path,
    int *sawp)
{
	char *text = dc->dc_cmp, *line, *end;
	rump_ssize_t len;
	int fd, error = 0;

	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd == -1)
		return demofs_fail(dc, path, demofs_errno());
	len = rump_sys_read(fd, text, DEMOFS_KERNBUF - 1);
	if (len == -1)
		error = demofs_fail(dc, path, demofs_errno());
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demofs_fail(dc, path, demofs_errno());
	if (error)
		return error;
	text[len] = '\0';
	for (line = text; *line != '\0'; line = end) {
		end = line;
		while (*end != '\0' && *end != '\n')
			end++;
		if (*end == '\n')
			*end++ = '\0';
		demofs_say(dc, "%s: %s", path, line);
		/* the mounts file must show both demo mounts */
		if (__builtin_strstr(line, " on /kern type kernfs") != NULL)
			*sawp |= 1;
		if (__builtin_strstr(line, " on /tmp type tmpfs") != NULL)
			*sawp |= 2;
	}
	return 0;
}

/* List directory dir (without "." and ".."); with kern, show texts. */
static int demofs_list(struct demofs_ctx *dc, const char *dir, int kern,
    int *sawp)
{
	struct rump_dirent *de;
	int fd, n, off, error = 0, nent = 0;

	fd = rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd == -1)
		return demofs_fail(dc, dir, demofs_errno());
	while (error == 0 &&
	    (n = rump_sys_getdents(fd, dc->dc_dirbuf, DEMOFS_DIRBUF)) > 0) {
		for (off = 0; off < n && error == 0; off += de->d_reclen) {
			de = (struct rump_dirent *)(dc->dc_dirbuf + off);
			if (de->d_reclen == 0) {
				error = demofs_fail(dc, dir, RUMP_EIO);
				break;
			}
			if (__builtin_strcmp(de->d_name, ".") == 0 ||
			    __builtin_strcmp(de->d_name, "..") == 0)
				continue;
			nent++;
			error = demofs_show_entry(dc, dir, de->d_name);
			/* show_entry left dir/name in dc_path */
			if (error == 0 && kern && de->d_type == RUMP_DT_REG)
				error = demofs_show_text(dc, dc->dc_path, sawp);
		}
	}
	if (error == 0 && n == -1)
		error = demofs_fail(dc, dir, demofs_errno());
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demofs_fail(dc, dir, demofs_errno());
	if (error == 0 && nent == 0)
		error = demofs_fail(dc, "empty directory listing", RUMP_ENOENT);
	return error;
}

static int demofs_listings(struct demofs_ctx *dc)
{
	static const char *const dirs[] = {
		"/tmp", "/tmp/docs", "/tmp/data", "/tmp/data/archive",
	};
	int error, saw = 0;

	dc->dc_step = "list";
	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		/* the empty archive directory is listed as "(empty)" */
		if (i == 3) {
			struct rump_stat st;

			if (rump_sys_stat(dirs[i], &st) == -1)
				return demofs_fail(dc, dirs[i], demofs_errno());
			demofs_say(dc, "%s: (empty, %u links)", dirs[i],
			    (unsigned)st.st_nlink);
			continue;
		}
		error = demofs_list(dc, dirs[i], 0, &saw);
		if (error)
			return error;
	}
	dc->dc_step = "kernfs";
	error = demofs_list(dc, "/kern", 1, &saw);
	if (error)
		return error;
	if (saw != 3)
		return demofs_fail(dc, "/kern/mounts does not list both demo mounts",
		    RUMP_ENOENT);
	return 0;
}

/* kernfs refuses changes: EROFS (or EACCES) for writes and creations. */
static int demofs_readonly(struct demofs_ctx *dc)
{
	int fd, e1, e2;

	dc->dc_step = "kernfs read-only";
	fd = rump_sys_open("/kern/version", RUMP_O_WRONLY);
	e1 = fd == -1 ? rump_errno() : 0;
	if (fd != -1)
		(void)rump_sys_close(fd);
	fd = rump_sys_open("/kern/new", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	e2 = fd == -1 ? rump_errno() : 0;
	if (fd != -1)
		(void)rump_sys_close(fd);
	if ((e1 != RUMP_EROFS && e1 != RUMP_EACCES) ||
	    (e2 != RUMP_EROFS && e2 != RUMP_EACCES)) {
		demofs_say(dc, "kernfs accepted a change: open for writing -> %d, create -> %d",
		    e1, e2);
		return demofs_fail(dc, "kernfs is writable", RUMP_EIO);
	}
	demofs_say(dc, "kernfs is read-only: open(O_WRONLY) -> error %d, create -> error %d",
	    e1, e2);
	return 0;
}

static int demofs_unmount(struct demofs_ctx *dc)
{
	int error = 0;

	dc->dc_step = "unmount";
	if (rump_sys_unmount("/tmp", 0) == -1)
		error = demofs_fail(dc, "/tmp", demofs_errno());
	if (rump_sys_unmount("/kern", 0) == -1 && error == 0)
		error = demofs_fail(dc, "/kern", demofs_errno());
	if (error == 0)
		demofs_say(dc, "unmounted /tmp and /kern");
	return error;
}

/* ---------------------------------------------------------------- entry */

static int demofs_run(const struct demofs_env *env)
{
	struct demofs_ctx ctx = { .dc_env = env, .dc_step = "setup" };
	struct demofs_ctx *dc = &ctx;
	int error;

	dc->dc_buf = env->de_alloc(DEMOFS_BIG_SIZE);
	dc->dc_cmp = env->de_alloc(DEMOFS_BIG_SIZE);
	dc->dc_path = env->de_alloc(DEMOFS_PATH_MAX);
	dc->dc_dirbuf = env->de_alloc(DEMOFS_DIRBUF);
	if (dc->dc_buf == NULL || dc->dc_cmp == NULL || dc->dc_path == NULL ||
	    dc->dc_dirbuf == NULL) {
		error = demofs_fail(dc, "buffers", RUMP_ENOMEM);
		goto out_free;
	}

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error) {
		demofs_fail(dc, "rfork", error);
		goto out_free;
	}
	error = demofs_mount(dc);
	if (error)
		goto out_release;

	error = demofs_build(dc);
	if (error == 0)
		error = demofs_verify(dc);
	if (error == 0)
		error = demofs_fill(dc);
	if (error == 0)
		error = demofs_listings(dc);
	if (error == 0)
		error = demofs_readonly(dc);

	/* unmount even after a failure: nothing stays behind */
	if (demofs_unmount(dc) != 0 && error == 0)
		error = RUMP_EBUSY;
	if (error == 0)
		demofs_say(dc, "ok: %d files (%lld bytes) written and verified on tmpfs, kernfs listed and read, both unmounted",
		    dc->dc_nfiles, dc->dc_nbytes);
out_release:
	rump_pub_lwproc_releaselwp();
out_free:
	if (dc->dc_dirbuf != NULL)
		env->de_free(dc->dc_dirbuf);
	if (dc->dc_path != NULL)
		env->de_free(dc->dc_path);
	if (dc->dc_cmp != NULL)
		env->de_free(dc->dc_cmp);
	if (dc->dc_buf != NULL)
		env->de_free(dc->dc_buf);
	return error;
}
