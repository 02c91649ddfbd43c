/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumphyp_posix.h: what the POSIX hypervisor offers beyond rumpuser v17.
 *
 * For tests and userspace tools that link librumpuser_posix.a: leak
 * statistics, a teardown that lets rumpuser_init() run again in the same
 * process, and a debugging query on mutexes.  None of these is part of the
 * hypercall interface; the rump kernel never calls them.
 *
 * Include after <stdint.h> and <sys/types.h> and <rump/rumpuser.h>.
 */
#ifndef _RUMPHYP_POSIX_H_
#define _RUMPHYP_POSIX_H_

struct rumphyp_stats {
	long live_allocs;	/* rumpuser_malloc blocks not yet freed */
	long live_bytes;	/* their total length */
	long live_mappings;	/* rumpuser_anonmmap regions not unmapped */
	long mapped_bytes;	/* their total length */
	long live_threads;	/* threads of rumpuser_thread_create and bio
				   workers that have not finished */
	long open_files;	/* fds of rumpuser_open not yet closed */
	long live_locks;	/* mutexes, rwlocks, condvars not destroyed */
	long bio_inflight;	/* rumpuser_bio requests not yet completed */
	long console_errors;	/* failed writes of console output */
	long live_vifs;		/* rumpvif_create handles not destroyed */
};

/* Snapshot of the live-object counters. */
void rumphyp_stats(struct rumphyp_stats *st);

/*
 * Tear down what the hypervisor started on its own (the bio workers) and
 * forget the upcall table, so that rumpuser_init() may be called again.
 * Precondition: no rump kernel thread is inside a hypercall, no bio is in
 * flight.  Does not free objects the kernel still owns: the counters above
 * show those.
 */
void rumphyp_fini(void);

/*
 * Virtual interfaces (vif.c, rumpvif.h): totals of this process since it
 * started, over all interfaces (never reset; tests compare snapshots).
 * The bus_* counters are the seeded impairments of bus interfaces.
 */
struct rumphyp_vif_stats {
	long frames_sent;	/* handed to a tap, or to each bus peer */
	long frames_received;	/* returned by rumpvif_recv */
	long bus_lost;		/* dropped by the loss impairment */
	long bus_duplicated;	/* sent twice by the dup impairment */
	long bus_reordered;	/* held back behind the next frame */
	long bus_full;		/* a peer's queue was full: dropped */
	long send_errors;	/* other failed sends (dropped) */
};
void rumphyp_vif_stats(struct rumphyp_vif_stats *st);

/* 1 if the calling host thread holds the host lock inside `mtx`, else 0. */
int rumphyp_mutex_held(struct rumpuser_mtx *mtx);

#endif /* _RUMPHYP_POSIX_H_ */
