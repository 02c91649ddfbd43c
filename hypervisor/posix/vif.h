/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vif.h: private to the POSIX host side of the virtual interface:
 * vif.c (the rumpvif_* calls, configuration, the tap backend, the
 * receive wait) and vif_bus.c (the host-local bus backend).
 *
 * Functions here return 0 or a HOST errno; vif.c translates once, at
 * the rumpvif_* boundary.
 */
#ifndef _RUMP_POSIX_VIF_H_
#define _RUMP_POSIX_VIF_H_

#include <sys/uio.h>

#include <rump/rumpvif.h>

#define VIF_MAXFRAME	1514	/* Ethernet header + 1500 */
#define VIF_NAMEMAX	32

enum vif_kind { VIF_TAP, VIF_BUS };

struct vif_bus;

struct rumpvif {
	char		v_ifname[VIF_NAMEMAX];
	enum vif_kind	v_kind;
	int		v_fd;		/* tap file or bus socket, O_NONBLOCK */
	int		v_wake[2];	/* pipe: shutdown, or a bus timer */
	int		v_shutdown;	/* atomic: rumpvif_shutdown called */
	struct vif_bus	*v_bus;		/* bus state, NULL for a tap */
};

/* vif.c: poke the receiver (it re-reads its state). */
void	vif_kick(struct rumpvif *v);

/*
 * vif_bus.c.  open parses spec ("<path>[,loss=P,dup=P,reorder=P,seed=N]")
 * and sets v_fd and v_bus; close undoes it.  send delivers one frame to
 * every peer (impairments applied).  timeout: ms until a held-back frame
 * is due (-1: none); tick sends it when due.  Called without a rump CPU.
 */
int	vif_bus_open(struct rumpvif *v, const char *spec);
void	vif_bus_close(struct rumpvif *v);
int	vif_bus_send(struct rumpvif *v, const struct iovec *iov, int iovcnt);
int	vif_bus_timeout(struct rumpvif *v);
void	vif_bus_tick(struct rumpvif *v);

#endif /* _RUMP_POSIX_VIF_H_ */
