/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vif.c: the host side of the virtual interface on POSIX (rumpvif.h).
 *
 * Called by the kernel side, rumpsrc/dev/virtif/if_virt.c.  What an
 * interface name means comes from the environment: RUMP_VIF_<ifname> is
 *   tap:<name>   a Linux tap (/dev/net/tun, IFF_TAP | IFF_NO_PI): the
 *                tap <name> is created, or a persistent one attached;
 *   bus:<path>[,loss=P,dup=P,reorder=P,seed=N]
 *                the host-local bus of vif_bus.c: every interface (in
 *                any process) on the same <path> sees the others' frames.
 * An unset variable is ENOENT: the interface is not configured.
 *
 * The receive wait is the same for both: the device descriptor is
 * non-blocking, and rumpvif_recv, with the rump CPU given back
 * (HYP_UNSCHED/HYP_SCHED, the idiom of every blocking hypercall), polls
 * it together with the read end of a pipe; rumpvif_shutdown sets a flag
 * and writes to the pipe, so a blocked receiver returns ESHUTDOWN at
 * once.  The bus also uses the pipe to wake the receiver when a frame
 * held back for reordering needs a timer.
 *
 * Frames are sent with writev/sendmsg straight from the kernel's iovec:
 * no copy here either (except a frame held back by the bus).
 */
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hyp.h"
#include "vif.h"

#define VIF_ENV_PREFIX	"RUMP_VIF_"
#define VIF_TUNDEV	"/dev/net/tun"

static long vif_stats[HYP_VIF_NSTATS];

void
hyp_vif_count(enum hyp_vif_stat s, long n)
{
	(void)__atomic_add_fetch(&vif_stats[s], n, __ATOMIC_RELAXED);
}

static long
vif_stat_read(enum hyp_vif_stat s)
{
	return __atomic_load_n(&vif_stats[s], __ATOMIC_RELAXED);
}

void
rumphyp_vif_stats(struct rumphyp_vif_stats *st)
{
	st->frames_sent = vif_stat_read(HYP_VIF_SENT);
	st->frames_received = vif_stat_read(HYP_VIF_RECEIVED);
	st->bus_lost = vif_stat_read(HYP_VIF_LOST);
	st->bus_duplicated = vif_stat_read(HYP_VIF_DUPLICATED);
	st->bus_reordered = vif_stat_read(HYP_VIF_REORDERED);
	st->bus_full = vif_stat_read(HYP_VIF_FULL);
	st->send_errors = vif_stat_read(HYP_VIF_SEND_ERRORS);
}

/* ---- the tap backend ---------------------------------------------------- */

/* Open /dev/net/tun as tap `name`.  Returns a host errno. */
static int
vif_tap_open(struct rumpvif *v, const char *name)
{
	struct ifreq ifr;
	int fd, err;

	if (name[0] == '\0' || strlen(name) >= IFNAMSIZ)
		return EINVAL;
	fd = open(VIF_TUNDEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		err = errno;
		goto err_close;
	}
	v->v_fd = fd;
	return 0;

err_close:
	if (close(fd) == -1 && errno != EINTR)
		rumpuser_dprintf("rumpvif: close of %s: %s\n", VIF_TUNDEV,
		    strerror(errno));
	return err;
}

static int
vif_tap_send(struct rumpvif *v, const struct iovec *iov, int iovcnt)
{
	ssize_t n;

	n = writev(v->v_fd, iov, iovcnt);
	if (n == -1)
		return errno;
	return 0;
}

/* ---- create and destroy ------------------------------------------------- */

/* The configuration of ifname, or NULL (ENOENT). */
static const char *
vif_config(const char *ifname)
{
	char var[sizeof(VIF_ENV_PREFIX) + VIF_NAMEMAX];

	if (snprintf(var, sizeof(var), VIF_ENV_PREFIX "%s", ifname) >=
	    (int)sizeof(var))
		return NULL;
	return getenv(var);
}

static int
vif_pipe_open(struct rumpvif *v)
{
	if (pipe2(v->v_wake, O_CLOEXEC | O_NONBLOCK) == -1)
		return errno;
	return 0;
}

static void
vif_close_fd(int fd, const char *what)
{
	if (close(fd) == -1 && errno != EINTR)
		rumpuser_dprintf("rumpvif: close of %s: %s\n", what,
		    strerror(errno));
}

/* Body of rumpvif_create, without a rump CPU.  Returns a host errno. */
static int
vif_create(const char *ifname, struct rumpvif **vp)
{
	struct rumpvif *v;
	const char *cf;
	int err;

	if (strlen(ifname) >= VIF_NAMEMAX)
		return EINVAL;
	cf = vif_config(ifname);
	if (cf == NULL)
		return ENOENT;
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return ENOMEM;
	snprintf(v->v_ifname, sizeof(v->v_ifname), "%s", ifname);
	v->v_fd = -1;
	err = vif_pipe_open(v);
	if (err != 0)
		goto err_free;

	if (strncmp(cf, "tap:", 4) == 0) {
		v->v_kind = VIF_TAP;
		err = vif_tap_open(v, cf + 4);
	} else if (strncmp(cf, "bus:", 4) == 0) {
		v->v_kind = VIF_BUS;
		err = vif_bus_open(v, cf + 4);
	} else {
		err = EINVAL;
	}
	if (err != 0) {
		rumpuser_dprintf("rumpvif: %s: cannot attach \"%s\": %s\n",
		    ifname, cf, strerror(err));
		goto err_close_pipe;
	}
	HYP_COUNT_ADD(hc_vifs, 1);
	*vp = v;
	return 0;

err_close_pipe:
	vif_close_fd(v->v_wake[0], "wake pipe");
	vif_close_fd(v->v_wake[1], "wake pipe");
err_free:
	free(v);
	return err;
}

int
rumpvif_create(int version, const char *ifname, struct rumpvif **vp)
{
	int err;

	if (version != RUMPVIF_VERSION) {
		rumpuser_dprintf("rumpvif: kernel wants contract version %d, "
		    "this host implements %d\n", version, RUMPVIF_VERSION);
		return RUMP_EINVAL;
	}
	HYP_WRAP(err = vif_create(ifname, vp));
	return hyp_errno_to_rump(err);
}

/* Preconditions: see rumpvif.h (after shutdown, receiver gone). */
void
rumpvif_destroy(struct rumpvif *v)
{
	int nlocks;

	assert(__atomic_load_n(&v->v_shutdown, __ATOMIC_ACQUIRE));
	HYP_UNSCHED(&nlocks, NULL);
	if (v->v_kind == VIF_BUS)
		vif_bus_close(v);
	else
		vif_close_fd(v->v_fd, VIF_TUNDEV);
	vif_close_fd(v->v_wake[0], "wake pipe");
	vif_close_fd(v->v_wake[1], "wake pipe");
	free(v);
	HYP_COUNT_SUB(hc_vifs, 1);
	HYP_SCHED(nlocks, NULL);
}

/* ---- shutdown and the receive wait ------------------------------------- */

void
vif_kick(struct rumpvif *v)
{
	ssize_t n;

	/* A full pipe already holds a wake-up: EAGAIN is success. */
	do {
		n = write(v->v_wake[1], "k", 1);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && errno != EAGAIN)
		rumpuser_dprintf("rumpvif: %s: wake-up failed: %s\n",
		    v->v_ifname, strerror(errno));
}

void
rumpvif_shutdown(struct rumpvif *v)
{
	__atomic_store_n(&v->v_shutdown, 1, __ATOMIC_RELEASE);
	vif_kick(v);
}

static void
vif_drain_wake(struct rumpvif *v)
{
	char buf[64];

	while (read(v->v_wake[0], buf, sizeof(buf)) > 0)
		continue;
}

/*
 * One non-blocking attempt to take a frame.  Returns 0 with *rlen set,
 * EAGAIN when there is none, EMSGSIZE for a bus frame over buflen
 * (dropped), or another host errno.
 */
static int
vif_try_recv(struct rumpvif *v, void *buf, size_t buflen, size_t *rlen)
{
	ssize_t n;

	if (v->v_kind == VIF_BUS) {
		/* MSG_TRUNC: the datagram's real length, even if cut. */
		n = recv(v->v_fd, buf, buflen, MSG_DONTWAIT | MSG_TRUNC);
		if (n >= 0 && (size_t)n > buflen)
			return EMSGSIZE;
	} else {
		n = read(v->v_fd, buf, buflen);
	}
	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*rlen = (size_t)n;
	return 0;
}

/* Body of rumpvif_recv, without a rump CPU.  Returns a host errno. */
static int
vif_recv_wait(struct rumpvif *v, void *buf, size_t buflen, size_t *rlen)
{
	struct pollfd pfd[2];
	int err, tmo;

	for (;;) {
		if (__atomic_load_n(&v->v_shutdown, __ATOMIC_ACQUIRE))
			return ESHUTDOWN;
		err = vif_try_recv(v, buf, buflen, rlen);
		if (err != EAGAIN && err != EINTR)
			return err;
		if (err == EINTR)
			continue;
		tmo = v->v_kind == VIF_BUS ? vif_bus_timeout(v) : -1;
		pfd[0].fd = v->v_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = v->v_wake[0];
		pfd[1].events = POLLIN;
		if (tmo != 0 && poll(pfd, 2, tmo) == -1 && errno != EINTR)
			return errno;
		if (tmo != 0 && (pfd[1].revents & POLLIN))
			vif_drain_wake(v);
		if (v->v_kind == VIF_BUS)
			vif_bus_tick(v);
	}
}

int
rumpvif_recv(struct rumpvif *v, void *buf, size_t buflen, size_t *rlen)
{
	int nlocks, err;

	HYP_UNSCHED(&nlocks, NULL);
	err = vif_recv_wait(v, buf, buflen, rlen);
	HYP_SCHED(nlocks, NULL);
	if (err == 0)
		hyp_vif_count(HYP_VIF_RECEIVED, 1);
	return hyp_errno_to_rump(err);
}

/* ---- send --------------------------------------------------------------- */

int
rumpvif_send(struct rumpvif *v, const struct rumpuser_iovec *iov,
    size_t iovcnt)
{
	const struct iovec *hiov = (const struct iovec *)iov;
	int nlocks, err;

	if (__atomic_load_n(&v->v_shutdown, __ATOMIC_ACQUIRE))
		return RUMP_ESHUTDOWN;
	if (iovcnt > IOV_MAX)
		return RUMP_EINVAL;
	HYP_UNSCHED(&nlocks, NULL);
	if (v->v_kind == VIF_BUS)
		err = vif_bus_send(v, hiov, (int)iovcnt);
	else
		err = vif_tap_send(v, hiov, (int)iovcnt);
	HYP_SCHED(nlocks, NULL);
	if (err == EAGAIN || err == ENOBUFS) {
		hyp_vif_count(HYP_VIF_FULL, 1);
		return RUMP_ENOBUFS;
	}
	if (err != 0) {
		hyp_vif_count(HYP_VIF_SEND_ERRORS, 1);
		return hyp_errno_to_rump(err);
	}
	if (v->v_kind == VIF_TAP)
		hyp_vif_count(HYP_VIF_SENT, 1);
	return 0;
}
