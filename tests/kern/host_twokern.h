/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_twokern.h: two rump kernels in two processes over the virtual
 * interface's host-local bus, for the hosted tests host_net_vif.c and
 * host_net_tcp2k.c (harness in host_twokern.c).
 */
#ifndef _TESTS_KERN_HOST_TWOKERN_H_
#define _TESTS_KERN_HOST_TWOKERN_H_

#include <stddef.h>
#include <stdint.h>

#include "host_vifutil.h"

/* One side of a case: A is 10.0.0.1, B 10.0.0.2, both on virt0. */
struct nv_peer {
	int		np_ctl;		/* socketpair end to the other child */
	int		np_idx;		/* 0 = A, 1 = B */
	uint32_t	np_self;
	uint32_t	np_peer;
};

typedef void (*nv_role_fn)(struct nv_peer *p);

struct nv_case {
	const char	*nc_name;
	const char	*nc_busopts;	/* appended to bus:<dir> */
	nv_role_fn	nc_role[2];	/* A, B; NULL: B is not started */
	int		nc_noboot;	/* role does its own rump_init */
};

/* Both children reach the same point (a byte each way); VU_ failures. */
void	nv_barrier(struct nv_peer *p);

/*
 * Run the cases (argv[1]: only the one of that name), one line each,
 * `PASS: <suite>.<case>` or `FAIL: <suite>.<case>: <why>`; a child still
 * running after child_secs is killed.  Returns main's exit status.
 */
int	nv_main(const char *suite, const struct nv_case *cases,
	    size_t ncases, unsigned child_secs, int argc, char **argv);

#endif /* _TESTS_KERN_HOST_TWOKERN_H_ */
