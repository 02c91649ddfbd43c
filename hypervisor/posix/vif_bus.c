/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vif_bus.c: the host-local virtual Ethernet ("bus") of the POSIX
 * virtual interface.  Called by vif.c for RUMP_VIF_<if>=bus:<path>,...
 *
 * Design: the bus is a directory.  Each interface on it binds its own
 * unix datagram socket there, named <pid>-<n>.sock, and a frame sent on
 * the bus is one datagram to every other socket in the directory: a hub,
 * as a shared Ethernet segment is; receivers drop what is not for their
 * MAC address.  Any number of rump kernels in any number of processes
 * meet on one path, with no host networking.  Datagrams keep frame
 * boundaries, and sends use MSG_DONTWAIT: a peer whose queue is full
 * loses the frame (counted), as a congested Ethernet would.
 *
 * The peer list is read from the directory when its modification time
 * changes, or every VIF_BUS_RESCAN_MS (timestamps are coarse, a new peer
 * may not change them); a peer that refuses a datagram (ECONNREFUSED:
 * its socket file outlived its process) is removed, file included.
 *
 * Impairment, seeded (seed=N; xorshift64*), decided once per frame at
 * the sender: loss=P drops P% of frames, dup=P sends P% twice,
 * reorder=P holds P% back until after the next frame, or at most
 * VIF_BUS_HOLD_MS (the receiver's poll is the timer, vif_bus_timeout and
 * vif_bus_tick).  Counted in rumphyp_vif_stats.
 *
 * Locking: b_lock guards all bus state; the send path (under the
 * kernel's network lock) and the receive thread's timer both take it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hyp.h"
#include "vif.h"

#define VIF_BUS_RESCAN_MS	250
#define VIF_BUS_HOLD_MS		2
#define VIF_BUS_MAXPEERS	64
#define VIF_BUS_SUFFIX		".sock"

struct vif_bus {
	pthread_mutex_t	b_lock;		/* everything below */
	char		b_dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sockaddr_un b_self;
	struct sockaddr_un b_peers[VIF_BUS_MAXPEERS];
	int		b_npeers;
	struct timespec	b_dirtime;	/* mtime at the last scan */
	struct timespec	b_scanned;	/* monotonic time of the last scan */
	bool		b_scan_now;
	unsigned	b_loss, b_dup, b_reorder;	/* percent */
	uint64_t	b_rng;
	bool		b_held;		/* a frame held back (reorder) */
	size_t		b_heldlen;
	struct timespec	b_heldat;
	uint8_t		b_heldbuf[VIF_MAXFRAME];
};

static unsigned vif_bus_seq;	/* atomic: socket names in this process */

static long
vif_ms_since(const struct timespec *then)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - then->tv_sec) * 1000 +
	    (now.tv_nsec - then->tv_nsec) / 1000000;
}

/* xorshift64*: a deterministic stream per seed.  b_lock held. */
static unsigned
vif_bus_percent(struct vif_bus *b)
{
	uint64_t x = b->b_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	b->b_rng = x;
	return (unsigned)((x * 0x2545F4914F6CDD1DULL) >> 32) % 100;
}

/* ---- configuration ------------------------------------------------------ */

static int
vif_bus_number(const char *val, unsigned long max, unsigned long *np)
{
	char *end;

	errno = 0;
	*np = strtoul(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0' || *np > max)
		return EINVAL;
	return 0;
}

/* Parse "<path>[,loss=P,dup=P,reorder=P,seed=N]" into b.  Host errno. */
static int
vif_bus_parse(struct vif_bus *b, const char *spec)
{
	char buf[512], *opt, *next, *val;
	unsigned long n;
	int err;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return ENAMETOOLONG;
	next = strchr(buf, ',');
	if (next != NULL)
		*next++ = '\0';
	if (buf[0] == '\0')
		return EINVAL;
	if (snprintf(b->b_dir, sizeof(b->b_dir), "%s", buf) >=
	    (int)sizeof(b->b_dir))
		return ENAMETOOLONG;
	b->b_rng = 1;
	for (opt = next; opt != NULL; opt = next) {
		next = strchr(opt, ',');
		if (next != NULL)
			*next++ = '\0';
		val = strchr(opt, '=');
		if (val == NULL)
			return EINVAL;
		*val++ = '\0';
		if (strcmp(opt, "seed") == 0) {
			err = vif_bus_number(val, ~0UL, &n);
			b->b_rng = n != 0 ? n : 1;	/* xorshift needs != 0 */
		} else {
			err = vif_bus_number(val, 100, &n);
			if (strcmp(opt, "loss") == 0)
				b->b_loss = (unsigned)n;
			else if (strcmp(opt, "dup") == 0)
				b->b_dup = (unsigned)n;
			else if (strcmp(opt, "reorder") == 0)
				b->b_reorder = (unsigned)n;
			else
				err = EINVAL;
		}
		if (err != 0)
			return err;
	}
	return 0;
}

/* ---- open and close ----------------------------------------------------- */

static int
vif_bus_bind(struct vif_bus *b, int *fdp)
{
	struct sockaddr_un *sun = &b->b_self;
	unsigned seq;
	int fd, err;

	if (mkdir(b->b_dir, 0700) == -1 && errno != EEXIST)
		return errno;
	seq = __atomic_fetch_add(&vif_bus_seq, 1, __ATOMIC_RELAXED);
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%ld-%u%s",
	    b->b_dir, (long)getpid(), seq, VIF_BUS_SUFFIX) >=
	    (int)sizeof(sun->sun_path))
		return ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return errno;
	/* A stale file of an earlier process with our pid and number. */
	if (unlink(sun->sun_path) == -1 && errno != ENOENT) {
		err = errno;
		goto err_close;
	}
	if (bind(fd, (struct sockaddr *)sun, sizeof(*sun)) == -1) {
		err = errno;
		goto err_close;
	}
	*fdp = fd;
	return 0;

err_close:
	(void)close(fd);	/* never used: nothing to report */
	return err;
}

int
vif_bus_open(struct rumpvif *v, const char *spec)
{
	struct vif_bus *b;
	int err;

	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return ENOMEM;
	err = vif_bus_parse(b, spec);
	if (err != 0)
		goto err_free;
	err = pthread_mutex_init(&b->b_lock, NULL);
	if (err != 0)
		goto err_free;
	err = vif_bus_bind(b, &v->v_fd);
	if (err != 0)
		goto err_destroy_lock;
	b->b_scan_now = true;
	v->v_bus = b;
	return 0;

err_destroy_lock:
	HYP_PTH(pthread_mutex_destroy(&b->b_lock));
err_free:
	free(b);
	return err;
}

/* Leave the bus; the directory goes when the last member left. */
void
vif_bus_close(struct rumpvif *v)
{
	struct vif_bus *b = v->v_bus;

	if (close(v->v_fd) == -1 && errno != EINTR)
		rumpuser_dprintf("rumpvif: %s: close: %s\n", v->v_ifname,
		    strerror(errno));
	if (unlink(b->b_self.sun_path) == -1)
		rumpuser_dprintf("rumpvif: %s: unlink %s: %s\n", v->v_ifname,
		    b->b_self.sun_path, strerror(errno));
	/* Others still on the bus keep the directory (ENOTEMPTY). */
	if (rmdir(b->b_dir) == -1 && errno != ENOTEMPTY && errno != EEXIST &&
	    errno != ENOENT)
		rumpuser_dprintf("rumpvif: %s: rmdir %s: %s\n", v->v_ifname,
		    b->b_dir, strerror(errno));
	HYP_PTH(pthread_mutex_destroy(&b->b_lock));
	free(b);
	v->v_bus = NULL;
}

/* ---- peers -------------------------------------------------------------- */

/* Re-read the directory if it may have changed.  b_lock held. */
static void
vif_bus_scan(struct vif_bus *b)
{
	const char *own = strrchr(b->b_self.sun_path, '/') + 1;
	struct dirent *de;
	struct stat st;
	size_t len, slen = strlen(VIF_BUS_SUFFIX);
	DIR *d;

	if (stat(b->b_dir, &st) == -1)
		return;		/* the bus directory is gone: no peers */
	if (!b->b_scan_now && st.st_mtim.tv_sec == b->b_dirtime.tv_sec &&
	    st.st_mtim.tv_nsec == b->b_dirtime.tv_nsec &&
	    vif_ms_since(&b->b_scanned) < VIF_BUS_RESCAN_MS)
		return;
	d = opendir(b->b_dir);
	if (d == NULL)
		return;
	b->b_npeers = 0;
	while ((de = readdir(d)) != NULL && b->b_npeers < VIF_BUS_MAXPEERS) {
		len = strlen(de->d_name);
		if (len <= slen || strcmp(de->d_name + len - slen,
		    VIF_BUS_SUFFIX) != 0 || strcmp(de->d_name, own) == 0)
			continue;
		struct sockaddr_un *p = &b->b_peers[b->b_npeers];
		memset(p, 0, sizeof(*p));
		p->sun_family = AF_UNIX;
		if (snprintf(p->sun_path, sizeof(p->sun_path), "%s/%s",
		    b->b_dir, de->d_name) >= (int)sizeof(p->sun_path))
			continue;
		b->b_npeers++;
	}
	if (closedir(d) == -1)
		rumpuser_dprintf("rumpvif: closedir %s: %s\n", b->b_dir,
		    strerror(errno));
	b->b_dirtime = st.st_mtim;
	clock_gettime(CLOCK_MONOTONIC, &b->b_scanned);
	b->b_scan_now = false;
}

/* One frame to every peer.  b_lock held.  Returns 0 or the last error. */
static int
vif_bus_deliver(struct rumpvif *v, const struct iovec *iov, int iovcnt)
{
	struct vif_bus *b = v->v_bus;
	struct msghdr mh;
	int i, err = 0;

	vif_bus_scan(b);
	for (i = 0; i < b->b_npeers; i++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &b->b_peers[i];
		mh.msg_namelen = sizeof(b->b_peers[i]);
		mh.msg_iov = (struct iovec *)iov;
		mh.msg_iovlen = (size_t)iovcnt;
		if (sendmsg(v->v_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) != -1) {
			hyp_vif_count(HYP_VIF_SENT, 1);
			continue;
		}
		if (errno == EAGAIN || errno == ENOBUFS) {
			hyp_vif_count(HYP_VIF_FULL, 1);
		} else if (errno == ECONNREFUSED || errno == ENOENT) {
			/* Nobody behind this name any more. */
			if (errno == ECONNREFUSED &&
			    unlink(b->b_peers[i].sun_path) == -1 &&
			    errno != ENOENT)
				rumpuser_dprintf("rumpvif: unlink %s: %s\n",
				    b->b_peers[i].sun_path, strerror(errno));
			b->b_scan_now = true;
		} else {
			err = errno;
			hyp_vif_count(HYP_VIF_SEND_ERRORS, 1);
		}
	}
	return err;
}

/* Send the held frame now.  b_lock held. */
static void
vif_bus_release_held(struct rumpvif *v)
{
	struct vif_bus *b = v->v_bus;
	struct iovec iov = { b->b_heldbuf, b->b_heldlen };

	b->b_held = false;
	(void)vif_bus_deliver(v, &iov, 1);	/* counted inside */
}

static size_t
vif_iov_copy(uint8_t *dst, size_t max, const struct iovec *iov, int iovcnt)
{
	size_t len = 0, n;
	int i;

	for (i = 0; i < iovcnt && len < max; i++) {
		n = iov[i].iov_len < max - len ? iov[i].iov_len : max - len;
		memcpy(dst + len, iov[i].iov_base, n);
		len += n;
	}
	return len;
}

int
vif_bus_send(struct rumpvif *v, const struct iovec *iov, int iovcnt)
{
	struct vif_bus *b = v->v_bus;
	bool kick = false;
	int err = 0;

	HYP_PTH(pthread_mutex_lock(&b->b_lock));
	if (b->b_loss != 0 && vif_bus_percent(b) < b->b_loss) {
		hyp_vif_count(HYP_VIF_LOST, 1);
		goto out_unlock;
	}
	if (b->b_reorder != 0 && !b->b_held &&
	    vif_bus_percent(b) < b->b_reorder) {
		b->b_heldlen = vif_iov_copy(b->b_heldbuf, sizeof(b->b_heldbuf),
		    iov, iovcnt);
		b->b_held = true;
		clock_gettime(CLOCK_MONOTONIC, &b->b_heldat);
		hyp_vif_count(HYP_VIF_REORDERED, 1);
		kick = true;	/* the receiver's poll is the timer */
		goto out_unlock;
	}
	err = vif_bus_deliver(v, iov, iovcnt);
	if (b->b_dup != 0 && vif_bus_percent(b) < b->b_dup) {
		hyp_vif_count(HYP_VIF_DUPLICATED, 1);
		(void)vif_bus_deliver(v, iov, iovcnt);	/* counted inside */
	}
	if (b->b_held)
		vif_bus_release_held(v);

out_unlock:
	HYP_PTH(pthread_mutex_unlock(&b->b_lock));
	if (kick)
		vif_kick(v);
	return err;
}

int
vif_bus_timeout(struct rumpvif *v)
{
	struct vif_bus *b = v->v_bus;
	long left = -1;

	HYP_PTH(pthread_mutex_lock(&b->b_lock));
	if (b->b_held) {
		left = VIF_BUS_HOLD_MS - vif_ms_since(&b->b_heldat);
		if (left < 0)
			left = 0;
	}
	HYP_PTH(pthread_mutex_unlock(&b->b_lock));
	return (int)left;
}

void
vif_bus_tick(struct rumpvif *v)
{
	struct vif_bus *b = v->v_bus;

	HYP_PTH(pthread_mutex_lock(&b->b_lock));
	if (b->b_held && vif_ms_since(&b->b_heldat) >= VIF_BUS_HOLD_MS)
		vif_bus_release_held(v);
	HYP_PTH(pthread_mutex_unlock(&b->b_lock));
}
