/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_vfs.h: what the files of the userspace VFS suite share
 * (host_vfs.c: the driver; host_vfs_*.c: the cases).  Public API only.
 */
#ifndef _TESTS_KERN_HOST_VFS_H_
#define _TESTS_KERN_HOST_VFS_H_

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rump/rump.h>

/* Record the first failure of the running case (file:line: what). */
void	hv_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
extern int hv_failed;
extern char hv_msg[512];	/* the first failure's message */

/* cond must hold, else the case fails and returns. */
#define HV_REQUIRE(cond) do {						\
	if (!(cond)) {							\
		hv_fail(__FILE__, __LINE__, "%s (errno %d)", #cond,	\
		    rump_errno());					\
		return;							\
	}								\
} while (0)

/* call must succeed (>= 0). */
#define HV_OK(call) do {						\
	long long hv_rv_ = (long long)(call);				\
	if (hv_rv_ < 0) {						\
		hv_fail(__FILE__, __LINE__, "%s: -1 errno %d", #call,	\
		    rump_errno());					\
		return;							\
	}								\
} while (0)

/* call must fail with -1 and errno err. */
#define HV_ERR(call, err) do {						\
	long long hv_rv_ = (long long)(call);				\
	int hv_e_ = rump_errno();					\
	if (hv_rv_ != -1 || hv_e_ != (err)) {				\
		hv_fail(__FILE__, __LINE__, "%s: got %lld errno %d, "	\
		    "want -1 errno %d", #call, hv_rv_,			\
		    hv_rv_ == -1 ? hv_e_ : 0, (err));			\
		return;							\
	}								\
} while (0)

#define HV_EQ(a, b) do {						\
	long long hv_a_ = (long long)(a), hv_b_ = (long long)(b);	\
	if (hv_a_ != hv_b_) {						\
		hv_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld",	\
		    #a, #b, hv_a_, hv_b_);				\
		return;							\
	}								\
} while (0)

/* Helpers (host_vfs.c). */
int	hv_write_file(const char *path, const void *buf, size_t len);
/* Read up to len bytes of path into buf: the count, or -1. */
long	hv_read_file(const char *path, void *buf, size_t len);
/* Entries in directory path other than "." and "..", or -1. */
long	hv_count_entries(const char *path);
/* 1 if directory path holds name with d_type type, 0 if not, -1 error. */
int	hv_dir_has(const char *path, const char *name, int type);

struct hv_case {
	const char	*hc_name;
	void		(*hc_fn)(void);
};
extern const struct hv_case hv_cases_io[];
extern const struct hv_case hv_cases_ns[];
extern const struct hv_case hv_cases_sys[];

#endif /* _TESTS_KERN_HOST_VFS_H_ */
