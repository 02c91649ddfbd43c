/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_ffsw.h: plumbing between the FFS write tests (host_ffsw.c: images,
 * cases, main) and their in-memory model and workload operations
 * (host_ffsw_model.c).
 */
#ifndef _HOST_FFSW_H_
#define _HOST_FFSW_H_

#include <stddef.h>
#include <stdint.h>

#define W_DEV		"/dev/ffs0"
#define W_MNT		"/mnt"
#define W_MAXOBJ	512
#define W_PATH		512

/* Failure of the running case (first message kept). */
extern int w_failed;
void	w_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
#define W_CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		w_fail(__FILE__, __LINE__, __VA_ARGS__);		\
		return;							\
	}								\
} while (0)

extern uint32_t w_rng;		/* the seed */
extern char w_dir[64];		/* scratch directory */
extern int w_bsize;		/* block size of the image under test */
extern unsigned w_seq;		/* unique name counter */
uint32_t w_rand(void);
void	w_fill(unsigned char *p, size_t n);

enum { M_FILE = 1, M_DIR, M_LINK };

struct m_obj {
	int		type;
	int		nlink;		/* names (files) */
	unsigned char	*data;
	size_t		size;
	char		*target;	/* symlinks */
};

struct m_name {
	char		path[W_PATH];	/* relative to the mount */
	struct m_obj	*obj;
};

extern struct m_name m_names[W_MAXOBJ];
extern int m_count;

void	m_reset(void);
struct m_name *m_add(const char *path, struct m_obj *o);
void	m_del(int i);
int	m_find(const char *path);
void	m_resize(struct m_obj *o, size_t size);
void	m_load_tree(void);	/* the model of w_make_tree's tree */
int	w_make_tree(void);
void	w_verify_all(void);	/* every name against the model */
int	w_write_all(int fd, const unsigned char *p, size_t n);

/* Workload operations: the rump call and the model change. */
void	op_create(void);
void	op_append(void);
void	op_pwrite(void);
void	op_truncate(void);
void	op_unlink(void);
void	op_mkdir(void);
void	op_rmdir(void);
void	op_rename(void);
void	op_link(void);
void	op_symlink(void);

#endif /* _HOST_FFSW_H_ */
