/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffsw_model.c: the in-memory model of the FFS write tests
 * (host_ffsw.c): names and objects (files with their bytes, directories,
 * symlinks with their targets, hard links sharing one object), the
 * seeded workload operations that change the rump file system and the
 * model together, and the comparison of the file system with the model.
 * Public rump API only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include "host_ffsw.h"

/* ---------------------------------------------------------------- model */

struct m_name m_names[W_MAXOBJ];
int m_count;

void
m_reset(void)
{
	int i, j;

	for (i = 0; i < m_count; i++) {
		struct m_obj *o = m_names[i].obj;

		if (o == NULL)
			continue;
		for (j = i + 1; j < m_count; j++)
			if (m_names[j].obj == o)
				m_names[j].obj = NULL;
		free(o->data);
		free(o->target);
		free(o);
	}
	m_count = 0;
}

struct m_name *
m_add(const char *path, struct m_obj *o)
{
	struct m_name *n = &m_names[m_count++];

	snprintf(n->path, sizeof(n->path), "%s", path);
	n->obj = o;
	return n;
}

void
m_del(int i)
{
	m_names[i] = m_names[--m_count];
}

int
m_find(const char *path)
{
	int i;

	for (i = 0; i < m_count; i++)
		if (strcmp(m_names[i].path, path) == 0)
			return i;
	return -1;
}

/* A random name of the given type (0: any), or -1. */
static int
m_pick(int type)
{
	int i, tries;

	for (tries = 0; tries < 20 && m_count > 0; tries++) {
		i = (int)(w_rand() % (uint32_t)m_count);
		if (type == 0 || m_names[i].obj->type == type)
			return i;
	}
	return -1;
}

/* A random directory path ("" is the root). */
static const char *
m_pickdir(void)
{
	int i = m_pick(M_DIR);

	return i < 0 || w_rand() % 4 == 0 ? "" : m_names[i].path;
}

static int
m_children(const char *dir)
{
	size_t len = strlen(dir);
	int i, n = 0;

	for (i = 0; i < m_count; i++) {
		const char *p = m_names[i].path;

		if (len == 0 ? strchr(p, '/') == NULL :
		    strncmp(p, dir, len) == 0 && p[len] == '/' &&
		    strchr(p + len + 1, '/') == NULL)
			n++;
	}
	return n;
}

static void
w_rpath(char *out, const char *rel)
{
	snprintf(out, W_PATH + 16, "%s/%s", W_MNT, rel);
}

static void
m_join(char *out, const char *dir, const char *name)
{
	if (dir[0] == '\0')
		snprintf(out, W_PATH, "%s", name);
	else
		snprintf(out, W_PATH, "%s/%s", dir, name);
}

/* ---------------------------------------------------------------- workload */

int w_bsize;
unsigned w_seq;

int
w_write_all(int fd, const unsigned char *p, size_t n)
{
	size_t done = 0, chunk;
	long r;

	while (done < n) {
		chunk = 1 + w_rand() % (uint32_t)(3 * w_bsize);
		if (chunk > n - done)
			chunk = n - done;
		r = rump_sys_write(fd, p + done, chunk);
		if (r != (long)chunk)
			return r < 0 ? rump_errno() : EIO;
		done += chunk;
	}
	return 0;
}

static size_t
w_randsize(void)
{
	uint32_t r = w_rand() % 100;

	if (r < 70)
		return w_rand() % (uint32_t)(2 * w_bsize + 1);
	if (r < 95)
		return w_rand() % (uint32_t)(14 * w_bsize);
	return w_rand() % (uint32_t)(40 * w_bsize);
}

void
m_resize(struct m_obj *o, size_t size)
{
	unsigned char *p = realloc(o->data, size ? size : 1);

	if (p == NULL)
		abort();
	if (size > o->size)
		memset(p + o->size, 0, size - o->size);
	o->data = p;
	o->size = size;
}

void
op_create(void)
{
	char rel[W_PATH], rp[W_PATH + 16], name[32];
	struct m_obj *o;
	int fd, error;

	snprintf(name, sizeof(name), "f%u", w_seq++);
	m_join(rel, m_pickdir(), name);
	w_rpath(rp, rel);
	o = calloc(1, sizeof(*o));
	o->type = M_FILE;
	o->nlink = 1;
	m_resize(o, w_randsize());
	w_fill(o->data, o->size);
	m_add(rel, o);
	fd = rump_sys_open(rp, RUMP_O_CREAT | RUMP_O_EXCL | RUMP_O_RDWR, 0644);
	W_CHECK(fd >= 0, "create %s: %d", rel, rump_errno());
	error = w_write_all(fd, o->data, o->size);
	W_CHECK(rump_sys_close(fd) == 0 && error == 0, "write %s (%zu): %d",
	    rel, o->size, error);
}

void
op_append(void)
{
	int i = m_pick(M_FILE), fd, error;
	char rp[W_PATH + 16];
	struct m_obj *o;
	size_t old, n;

	if (i < 0)
		return;
	o = m_names[i].obj;
	old = o->size;
	n = w_rand() % (uint32_t)(2 * w_bsize);
	m_resize(o, old + n);
	w_fill(o->data + old, n);
	w_rpath(rp, m_names[i].path);
	fd = rump_sys_open(rp, RUMP_O_WRONLY | RUMP_O_APPEND);
	W_CHECK(fd >= 0, "open %s: %d", rp, rump_errno());
	error = w_write_all(fd, o->data + old, n);
	W_CHECK(rump_sys_close(fd) == 0 && error == 0, "append %s: %d", rp,
	    error);
}

void
op_pwrite(void)
{
	int i = m_pick(M_FILE), fd;
	char rp[W_PATH + 16];
	struct m_obj *o;
	size_t off, n;
	long r;

	if (i < 0)
		return;
	o = m_names[i].obj;
	off = w_rand() % (uint32_t)(o->size + 3 * (size_t)w_bsize);
	n = 1 + w_rand() % (uint32_t)(2 * w_bsize);
	if (off + n > o->size)
		m_resize(o, off + n);
	w_fill(o->data + off, n);
	w_rpath(rp, m_names[i].path);
	fd = rump_sys_open(rp, RUMP_O_RDWR);
	W_CHECK(fd >= 0, "open %s: %d", rp, rump_errno());
	r = rump_sys_pwrite(fd, o->data + off, n, (rump_off_t)off);
	W_CHECK(rump_sys_close(fd) == 0 && r == (long)n, "pwrite %s: %ld (%d)",
	    rp, r, rump_errno());
}

void
op_truncate(void)
{
	int i = m_pick(M_FILE);
	char rp[W_PATH + 16];
	struct m_obj *o;
	size_t n;

	if (i < 0)
		return;
	o = m_names[i].obj;
	n = w_rand() % (uint32_t)(o->size * 2 + (size_t)w_bsize + 1);
	if (w_rand() % 4 == 0)
		n = 0;
	m_resize(o, n);
	w_rpath(rp, m_names[i].path);
	W_CHECK(rump_sys_truncate(rp, (rump_off_t)n) == 0, "truncate %s %zu: %d",
	    rp, n, rump_errno());
}

static void
m_unname(int i)
{
	struct m_obj *o = m_names[i].obj;

	m_del(i);
	if (--o->nlink == 0 || o->type != M_FILE) {
		free(o->data);
		free(o->target);
		free(o);
	}
}

void
op_unlink(void)
{
	int i = m_pick(w_rand() % 2 ? M_FILE : M_LINK);
	char rp[W_PATH + 16];

	if (i < 0)
		return;
	w_rpath(rp, m_names[i].path);
	W_CHECK(rump_sys_unlink(rp) == 0, "unlink %s: %d", rp, rump_errno());
	m_unname(i);
}

void
op_mkdir(void)
{
	char rel[W_PATH], rp[W_PATH + 16], name[32];
	struct m_obj *o;

	snprintf(name, sizeof(name), "d%u", w_seq++);
	m_join(rel, m_pickdir(), name);
	w_rpath(rp, rel);
	W_CHECK(rump_sys_mkdir(rp, 0755) == 0, "mkdir %s: %d", rp,
	    rump_errno());
	o = calloc(1, sizeof(*o));
	o->type = M_DIR;
	o->nlink = 1;
	m_add(rel, o);
}

void
op_rmdir(void)
{
	int i = m_pick(M_DIR), rv, kids;
	char rp[W_PATH + 16];

	if (i < 0)
		return;
	kids = m_children(m_names[i].path);
	w_rpath(rp, m_names[i].path);
	rv = rump_sys_rmdir(rp);
	if (kids > 0) {
		W_CHECK(rv == -1 && rump_errno() == RUMP_ENOTEMPTY,
		    "rmdir of non-empty %s: %d %d", rp, rv, rump_errno());
		return;
	}
	W_CHECK(rv == 0, "rmdir %s: %d", rp, rump_errno());
	m_unname(i);
}

void
op_link(void)
{
	char rel[W_PATH], rp[W_PATH + 16], op[W_PATH + 16], name[32];
	int i = m_pick(M_FILE);

	if (i < 0)
		return;
	snprintf(name, sizeof(name), "l%u", w_seq++);
	m_join(rel, m_pickdir(), name);
	w_rpath(rp, rel);
	w_rpath(op, m_names[i].path);
	W_CHECK(rump_sys_link(op, rp) == 0, "link %s %s: %d", op, rp,
	    rump_errno());
	m_names[i].obj->nlink++;
	m_add(rel, m_names[i].obj);
}

void
op_symlink(void)
{
	char rel[W_PATH], rp[W_PATH + 16], name[32];
	size_t len = w_rand() % 2 ? 1 + w_rand() % 100 : 1 + w_rand() % 400, k;
	struct m_obj *o;

	snprintf(name, sizeof(name), "s%u", w_seq++);
	m_join(rel, m_pickdir(), name);
	w_rpath(rp, rel);
	o = calloc(1, sizeof(*o));
	o->type = M_LINK;
	o->nlink = 1;
	o->target = malloc(len + 1);
	for (k = 0; k < len; k++)
		o->target[k] = (char)('a' + w_rand() % 26);
	o->target[len] = '\0';
	m_add(rel, o);
	W_CHECK(rump_sys_symlink(o->target, rp) == 0, "symlink %s: %d", rp,
	    rump_errno());
}

/* Rename name i to a new name or over an existing one of its kind. */
void
op_rename(void)
{
	char rel[W_PATH], rp[W_PATH + 16], op[W_PATH + 16], name[32];
	char from[W_PATH];
	int i = m_pick(0), j = -1, k, type;
	size_t flen;

	if (i < 0)
		return;
	type = m_names[i].obj->type;
	snprintf(from, sizeof(from), "%s", m_names[i].path);
	flen = strlen(from);
	if (w_rand() % 3 == 0) {
		j = m_pick(type == M_DIR ? M_DIR : M_FILE);
		if (j >= 0 && (j == i || (type == M_DIR &&
		    m_children(m_names[j].path) > 0)))
			j = -1;
		if (j >= 0 && m_names[j].obj == m_names[i].obj)
			j = -1;
	}
	if (j >= 0) {
		snprintf(rel, sizeof(rel), "%s", m_names[j].path);
	} else {
		snprintf(name, sizeof(name), "r%u", w_seq++);
		m_join(rel, m_pickdir(), name);
	}
	/* not into itself */
	if (type == M_DIR && strncmp(rel, from, flen) == 0 &&
	    (rel[flen] == '/' || rel[flen] == '\0'))
		return;
	w_rpath(op, from);
	w_rpath(rp, rel);
	W_CHECK(rump_sys_rename(op, rp) == 0, "rename %s %s: %d", op, rp,
	    rump_errno());
	if (j >= 0) {
		m_unname(j);
		i = m_find(from);
	}
	for (k = 0; k < m_count; k++) {
		char tmp[W_PATH];

		if (k == i) {
			snprintf(m_names[k].path, W_PATH, "%s", rel);
		} else if (strncmp(m_names[k].path, from, flen) == 0 &&
		    m_names[k].path[flen] == '/') {
			snprintf(tmp, sizeof(tmp), "%s%s", rel,
			    m_names[k].path + flen);
			snprintf(m_names[k].path, W_PATH, "%s", tmp);
		}
	}
}

/* ---------------------------------------------------------------- verify */

static void
w_verify_name(const struct m_name *n)
{
	char rp[W_PATH + 16], buf[512];
	struct rump_stat st;
	unsigned char *data;
	long r;
	int fd;

	w_rpath(rp, n->path);
	W_CHECK(rump_sys_lstat(rp, &st) == 0, "lstat %s: %d", rp, rump_errno());
	switch (n->obj->type) {
	case M_FILE:
		W_CHECK(RUMP_S_ISREG(st.st_mode), "%s: mode %o", rp, st.st_mode);
		W_CHECK((size_t)st.st_size == n->obj->size &&
		    st.st_nlink == (unsigned)n->obj->nlink, "%s: size %lld "
		    "nlink %u, model %zu %d", rp, st.st_size, st.st_nlink,
		    n->obj->size, n->obj->nlink);
		data = malloc(n->obj->size + 1);
		fd = rump_sys_open(rp, RUMP_O_RDONLY);
		r = fd >= 0 ? rump_sys_read(fd, data, n->obj->size + 1) : -1;
		if (fd >= 0)
			rump_sys_close(fd);
		if (r != (long)n->obj->size ||
		    memcmp(data, n->obj->data, n->obj->size) != 0) {
			free(data);
			W_CHECK(0, "%s: contents differ (read %ld)", rp, r);
		}
		free(data);
		break;
	case M_LINK:
		W_CHECK(RUMP_S_ISLNK(st.st_mode), "%s: mode %o", rp, st.st_mode);
		r = rump_sys_readlink(rp, buf, sizeof(buf));
		W_CHECK(r == (long)strlen(n->obj->target) &&
		    memcmp(buf, n->obj->target, (size_t)r) == 0,
		    "%s: link target (%ld)", rp, r);
		break;
	case M_DIR:
		W_CHECK(RUMP_S_ISDIR(st.st_mode), "%s: mode %o", rp, st.st_mode);
		break;
	}
}

/* Entries of directory rel (model: its children plus "." and ".."). */
static void
w_verify_dir(const char *rel)
{
	char rp[W_PATH + 16], *buf = malloc(65536);
	int fd, n, total = 0, pos;

	w_rpath(rp, rel);
	fd = rump_sys_open(rp, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0) {
		free(buf);
		W_CHECK(0, "open dir %s: %d", rp, rump_errno());
	}
	while ((n = rump_sys_getdents(fd, buf, 65536)) > 0) {
		for (pos = 0; pos < n;
		    pos += ((struct rump_dirent *)(buf + pos))->d_reclen)
			total++;
	}
	rump_sys_close(fd);
	free(buf);
	W_CHECK(n == 0 && total == m_children(rel) + 2, "dir %s: %d entries, "
	    "model %d (%d)", rp, total, m_children(rel) + 2, n);
}

void
w_verify_all(void)
{
	int i;

	w_verify_dir("");
	for (i = 0; i < m_count && !w_failed; i++) {
		w_verify_name(&m_names[i]);
		if (m_names[i].obj->type == M_DIR)
			w_verify_dir(m_names[i].path);
	}
}

/* The model of the makefs tree (w_make_tree). */
static unsigned char w_tree_a[5000], w_tree_b[1000];

void
m_load_tree(void)
{
	struct m_obj *o;

	m_reset();
	o = calloc(1, sizeof(*o));
	o->type = M_FILE;
	o->nlink = 1;
	m_resize(o, sizeof(w_tree_a));
	memcpy(o->data, w_tree_a, sizeof(w_tree_a));
	m_add("a", o);
	o = calloc(1, sizeof(*o));
	o->type = M_DIR;
	o->nlink = 1;
	m_add("dir", o);
	o = calloc(1, sizeof(*o));
	o->type = M_FILE;
	o->nlink = 1;
	m_resize(o, sizeof(w_tree_b));
	memcpy(o->data, w_tree_b, sizeof(w_tree_b));
	m_add("dir/b", o);
	o = calloc(1, sizeof(*o));
	o->type = M_LINK;
	o->nlink = 1;
	o->target = strdup("a");
	m_add("sl", o);
}

int
w_make_tree(void)
{
	char p[128], cmd[400];
	FILE *f;

	w_rng = 777;
	w_fill(w_tree_a, sizeof(w_tree_a));
	w_fill(w_tree_b, sizeof(w_tree_b));
	snprintf(p, sizeof(p), "%s/tree/dir", w_dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && ln -s a %s/tree/sl", p,
	    w_dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/tree/a", w_dir);
	f = fopen(p, "wb");
	if (f == NULL || fwrite(w_tree_a, 1, sizeof(w_tree_a), f) !=
	    sizeof(w_tree_a) || fclose(f) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/tree/dir/b", w_dir);
	f = fopen(p, "wb");
	if (f == NULL || fwrite(w_tree_b, 1, sizeof(w_tree_b), f) !=
	    sizeof(w_tree_b) || fclose(f) != 0)
		return -1;
	return 0;
}
