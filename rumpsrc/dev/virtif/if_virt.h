/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * if_virt.h: what the virtual interface driver (if_virt.c) shows the
 * rest of the kernel beyond its cloner: per-interface driver counters,
 * and a raw send used by kernel-side tests to put malformed frames on
 * the wire.  Interfaces are made through rump_pub_netconfig_ifcreate.
 */
#ifndef _DEV_VIRTIF_IF_VIRT_H_
#define _DEV_VIRTIF_IF_VIRT_H_

#include <sys/types.h>

struct virtif_stats {
	uint64_t	vs_rx_frames;	/* handed to the stack */
	uint64_t	vs_rx_runts;	/* shorter than an Ethernet header */
	uint64_t	vs_rx_giants;	/* longer than 1514 bytes */
	uint64_t	vs_rx_nobufs;	/* no cluster for the next frame */
	uint64_t	vs_rx_errors;	/* host receive errors */
	uint64_t	vs_tx_frames;	/* taken by the host */
	uint64_t	vs_tx_errors;	/* refused by the host (dropped) */
	uint64_t	vs_tx_toolong;	/* chains of too many segments */
};

/* Counters of interface name: 0 or ENXIO.  Thread context. */
int	virtif_getstats(const char *name, struct virtif_stats *st);

/* Tests: send len bytes as one frame on name, bypassing the stack:
 * 0, ENXIO, or the host's error. */
int	virtif_sendraw(const char *name, const void *frame, size_t len);

#endif /* _DEV_VIRTIF_IF_VIRT_H_ */
