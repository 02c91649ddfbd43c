/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpvif.h: the virtual network interface contract, version 1.
 *
 * The three-part driver split (STYLE.md): the kernel side
 * (rumpsrc/dev/virtif/if_virt.c, an Ethernet driver) calls the rumpvif_*
 * functions below; each hypervisor implements them on its host's
 * facility (hypervisor/posix/vif.c: a tap or a host-local bus;
 * hypervisor/linux/hyp_vif.c: a tap file held inside the Linux kernel).
 * Frames are whole Ethernet frames without preamble or CRC: destination,
 * source, type, payload.  No checksum offload, no virtio-net header.
 *
 * The header includes nothing but <rump/rumpuser.h> and uses fixed-width
 * types, like that header; the includer provides them the same way.
 *
 * What an interface name means is the host's configuration, never the
 * kernel's: on POSIX the environment variable RUMP_VIF_<ifname>
 * ("tap:<name>" or "bus:<path>[,loss=P,dup=P,reorder=P,seed=N]"), in
 * Linux the rump.ko module parameter vif=<ifname>:tap:<tapname>[,...].
 *
 * Rules, as for rumpuser:
 *  - results are 0 or an errno in the rump kernel's (NetBSD's) numbering;
 *  - every call is made by a thread holding a rump CPU; a call that blocks
 *    on the host gives the CPU back with hyp_backend_unschedule() and
 *    takes it again with hyp_backend_schedule() (rumpuser's wrap idiom),
 *    so a receive thread blocked in rumpvif_recv holds no rump CPU.
 *
 * Concurrency: one thread receives (rumpvif_recv) while others send
 * (rumpvif_send calls are serialised by the kernel, which holds its
 * network lock around them); rumpvif_shutdown may run concurrently with
 * both.  rumpvif_destroy runs alone, after shutdown, once the receiver
 * has returned and no send is in progress.
 */
#ifndef _RUMP_RUMPVIF_H_
#define _RUMP_RUMPVIF_H_

#include <rump/rumpuser.h>

#define RUMPVIF_VERSION 1

/* The host's handle of one interface, opaque to the kernel. */
struct rumpvif;

/*
 * rumpvif_create: attach the host side of interface ifname (e.g. "virt0").
 * version must be RUMPVIF_VERSION (else EINVAL: the kernel and host were
 * built against different contracts).  Errors: ENOENT when the host has
 * no configuration for ifname, EINVAL for a malformed configuration,
 * EBUSY when ifname is already attached, or the host's own error opening
 * the device (EACCES, ENODEV, ...).  On success *vp is the handle.
 * Frames that reach the host device before create are not delivered.
 */
int rumpvif_create(int version, const char *ifname, struct rumpvif **vp);

/*
 * rumpvif_send: send one frame, gathered from iovcnt segments (the
 * kernel's packet buffers, not copied on the kernel side).  The frame
 * is at most 1514 bytes.  Never waits for the peer: when the host
 * cannot take the frame now it drops it and returns ENOBUFS (the kernel
 * counts it).  After rumpvif_shutdown returns ESHUTDOWN (frame dropped).
 * The host does not keep the iovec or the buffers after returning.
 */
int rumpvif_send(struct rumpvif *v, const struct rumpuser_iovec *iov,
    size_t iovcnt);

/*
 * rumpvif_recv: wait for the next frame and store it in buf (buflen
 * bytes); *rlen is its length.  Blocks, with the rump CPU given back,
 * until a frame arrives or rumpvif_shutdown is called: then (and for
 * every later call) it returns ESHUTDOWN.  A frame longer than buflen is
 * dropped by the host if it can tell (EMSGSIZE), else delivered cut to
 * buflen bytes; the kernel passes buflen larger than any valid frame, so
 * it can count such frames as oversize either way.  Other errors (EIO,
 * ENXIO: the host device went away) are returned as they happen; the
 * kernel counts them and retries after a pause.
 */
int rumpvif_recv(struct rumpvif *v, void *buf, size_t buflen, size_t *rlen);

/*
 * rumpvif_shutdown: stop the interface for good: wakes a blocked
 * rumpvif_recv, which returns ESHUTDOWN, and makes later sends and
 * receives fail with ESHUTDOWN.  Idempotent; never blocks.
 */
void rumpvif_shutdown(struct rumpvif *v);

/*
 * rumpvif_destroy: detach and free the host side.  Preconditions:
 * rumpvif_shutdown was called, rumpvif_recv has returned, no send is in
 * progress.  v is invalid afterwards.
 */
void rumpvif_destroy(struct rumpvif *v);

#endif /* _RUMP_RUMPVIF_H_ */
