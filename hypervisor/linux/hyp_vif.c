/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hyp_vif.c: the host side of the virtual interface in the Linux kernel
 * (rumpvif.h): a tap device whose file is held inside the kernel.
 *
 * Configuration is the module parameter vif= (parsed here for the glue,
 * hyp_glue.c): "<ifname>:tap:<tapname>[,...]", e.g. vif=virt0:tap:rumptap0.
 * At module load, in insmod's context, hyp_vif_open_all() opens
 * /dev/net/tun once per entry (filp_open) and binds it to the tap with
 * TUNSETIFF (IFF_TAP | IFF_NO_PI): the tap is created if missing, a
 * persistent one (ip tuntap add) is attached.  TUNSETIFF copies its
 * struct ifreq from user memory; insmod has a user address space, so the
 * request is placed in a page mapped there for the call (vm_mmap) and
 * unmapped after.  A kernel thread has no such address space, which is
 * why the taps are opened at load and not at rumpvif_create.  The file
 * stays open until unload; rumpvif_create/destroy only attach and detach
 * the rump kernel's interface to it, so ifdestroy + ifcreate work.
 *
 * Packets: no userspace process is on the path.  rumpvif_send writes the
 * kernel's iovec to the tap file (vfs_iter_write on a kvec: one frame);
 * rumpvif_recv reads with kernel_read straight into the rump kernel's
 * cluster.  The file is O_NONBLOCK; the receive wait is our own: at
 * attach we hook a wait entry onto the tap's wait queue through its poll
 * method (as an epoll or vhost would), whose wake function kicks our
 * queue.  The receiver gives the rump CPU back (hyp_unsched/hyp_sched,
 * the wrap of every blocking hypercall) and sleeps on our queue until a
 * kick, rumpvif_shutdown, or the STOPPED state; so teardown never depends
 * on tun waking a reader, or on signals.  The tap's sync wake-up stays a
 * sync one, and the receiver binds itself to the CPU its wake-ups come
 * from (hyp_vif_follow), so that a round trip does not cross CPUs.
 *
 * Locking: hyp_vif_lock (a mutex) guards v_attached of every slot
 * (create/destroy/unload); the receive and send paths use only their own
 * slot, which the contract keeps alive until rumpvif_destroy.
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include <rump/rumpvif.h>

#include "hyp.h"

#define HYP_VIF_MAX	4
#define HYP_VIF_TUN	"/dev/net/tun"
#define HYP_VIF_NIOV	32
/* Frames in a row woken from another CPU before the receiver moves. */
#define HYP_VIF_FOLLOW	3

struct rumpvif {
	char			v_ifname[IFNAMSIZ];	/* rump side, "virt0" */
	char			v_tapname[IFNAMSIZ];	/* host side */
	struct file		*v_file;	/* the tap, open from load on */
	bool			v_attached;	/* created, not destroyed */
	atomic_t		v_shutdown;
	atomic_t		v_kick;		/* something to read, maybe */
	wait_queue_head_t	v_wq;		/* the receiver sleeps here */
	wait_queue_head_t	*v_twq;		/* the tap's queue, hooked */
	wait_queue_entry_t	v_twait;	/* our entry on v_twq */
	poll_table		v_pt;
	int			v_wakecpu;	/* CPU of the last tap wake-up */
	int			v_cpu;		/* receiver bound here, or -1 */
	int			v_other;	/* wake-ups in a row elsewhere */
	atomic64_t		v_rx, v_tx, v_txerr, v_moves;
};

static struct rumpvif hyp_vifs[HYP_VIF_MAX];
static int hyp_nvifs;			/* configured slots */
static DEFINE_MUTEX(hyp_vif_lock);	/* v_attached */

/* ---- the module parameter ----------------------------------------------- */

static bool
hyp_vif_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= IFNAMSIZ)
		return false;
	for (i = 0; i < len; i++) {
		if (!isalnum(s[i]) && s[i] != '_' && s[i] != '-' &&
		    s[i] != '.')
			return false;
	}
	return true;
}

/*
 * hyp_vif_parse: take "<ifname>:tap:<tapname>[,...]" into the slot table
 * (an empty string configures nothing).  On error prints why and returns
 * -EINVAL with the table empty.  Called from the parameter's set method,
 * before module_init; nothing is allocated.
 */
int
hyp_vif_parse(const char *spec)
{
	const char *p = spec, *end, *c1, *c2;
	struct rumpvif *v;
	int i, n = 0;

	hyp_nvifs = 0;
	while (*p != '\0' && *p != '\n') {
		end = strchrnul(p, ',');
		if (end > p && end[-1] == '\n')
			end--;
		c1 = memchr(p, ':', end - p);
		c2 = c1 ? memchr(c1 + 1, ':', end - c1 - 1) : NULL;
		if (c1 == NULL || c2 == NULL) {
			pr_err("rump: vif=%s: entry \"%.*s\" is not "
			    "<ifname>:tap:<tapname>\n", spec, (int)(end - p), p);
			goto err_clear;
		}
		if (c2 - c1 - 1 != 3 || memcmp(c1 + 1, "tap", 3) != 0) {
			pr_err("rump: vif=%s: \"%.*s\": only the kind \"tap\" "
			    "exists in the kernel\n", spec, (int)(c2 - c1 - 1),
			    c1 + 1);
			goto err_clear;
		}
		if (!hyp_vif_name_ok(p, c1 - p) ||
		    !hyp_vif_name_ok(c2 + 1, end - c2 - 1)) {
			pr_err("rump: vif=%s: \"%.*s\": names must be 1..%d "
			    "characters of [A-Za-z0-9_.-]\n", spec,
			    (int)(end - p), p, IFNAMSIZ - 1);
			goto err_clear;
		}
		if (n == HYP_VIF_MAX) {
			pr_err("rump: vif=%s: at most %d interfaces\n", spec,
			    HYP_VIF_MAX);
			goto err_clear;
		}
		v = &hyp_vifs[n];
		memset(v->v_ifname, 0, sizeof(v->v_ifname));
		memset(v->v_tapname, 0, sizeof(v->v_tapname));
		memcpy(v->v_ifname, p, c1 - p);
		memcpy(v->v_tapname, c2 + 1, end - c2 - 1);
		for (i = 0; i < n; i++) {
			if (strcmp(hyp_vifs[i].v_ifname, v->v_ifname) == 0 ||
			    strcmp(hyp_vifs[i].v_tapname, v->v_tapname) == 0) {
				pr_err("rump: vif=%s: %s or %s named twice\n",
				    spec, v->v_ifname, v->v_tapname);
				goto err_clear;
			}
		}
		n++;
		p = *end == ',' ? end + 1 : end;
		if (*p == '\n')
			break;
	}
	hyp_nvifs = n;
	return 0;

err_clear:
	hyp_nvifs = 0;
	return -EINVAL;
}

/* ---- opening the taps (module load) ------------------------------------- */

/*
 * TUNSETIFF on f for tap `name`, with the ifreq in a page of the calling
 * process.  Process context with a user address space (insmod).  Returns
 * a Linux errno.
 */
static int
hyp_vif_tunsetiff(struct file *f, const char *name)
{
	struct ifreq ifr;
	unsigned long uaddr;
	long ret;
	int err;

	if (current->mm == NULL)
		return -EOPNOTSUPP;
	uaddr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
	    MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(uaddr))
		return (int)uaddr;
	memset(&ifr, 0, sizeof(ifr));
	strscpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (copy_to_user((void __user *)uaddr, &ifr, sizeof(ifr)) != 0) {
		ret = -EFAULT;
		goto out_unmap;
	}
	ret = vfs_ioctl(f, TUNSETIFF, uaddr);
out_unmap:
	err = vm_munmap(uaddr, PAGE_SIZE);
	if (err != 0 && ret == 0)
		ret = err;
	return (int)ret;
}

static void
hyp_vif_close(struct rumpvif *v)
{
	int err = filp_close(v->v_file, NULL);

	if (err != 0)
		hyp_warn("vif %s: closing tap %s: error %d", v->v_ifname,
		    v->v_tapname, err);
	v->v_file = NULL;
}

/*
 * hyp_vif_open_all: open and bind every configured tap.  Called by the
 * glue's module_init before rump_init, in insmod's context.  On failure
 * prints why, closes what it opened and returns a Linux errno.
 */
int
hyp_vif_open_all(void)
{
	struct rumpvif *v;
	struct file *f;
	int i, err;

	for (i = 0; i < hyp_nvifs; i++) {
		v = &hyp_vifs[i];
		f = filp_open(HYP_VIF_TUN, O_RDWR | O_NONBLOCK, 0);
		if (IS_ERR(f)) {
			err = PTR_ERR(f);
			pr_err("rump: vif %s: cannot open %s: error %d (is "
			    "the tun module loaded?)\n", v->v_ifname,
			    HYP_VIF_TUN, err);
			goto err_close;
		}
		err = hyp_vif_tunsetiff(f, v->v_tapname);
		if (err != 0) {
			pr_err("rump: vif %s: cannot create or attach tap %s: "
			    "error %d\n", v->v_ifname, v->v_tapname, err);
			filp_close(f, NULL);
			goto err_close;
		}
		v->v_file = f;
		v->v_attached = false;
		init_waitqueue_head(&v->v_wq);
		hyp_dbg("vif %s: tap %s open", v->v_ifname, v->v_tapname);
	}
	return 0;

err_close:
	while (i-- > 0)
		hyp_vif_close(&hyp_vifs[i]);
	return err;
}

/* ---- attach: our wait entry on the tap's queue -------------------------- */

/* Wake function of v_twait: the tap has news; kick the receiver. */
static int
hyp_vif_twake(wait_queue_entry_t *wq, unsigned int mode, int sync, void *key)
{
	struct rumpvif *v = container_of(wq, struct rumpvif, v_twait);

	if (key != NULL && !(key_to_poll(key) & (EPOLLIN | EPOLLERR |
	    EPOLLHUP)))
		return 0;
	WRITE_ONCE(v->v_wakecpu, raw_smp_processor_id());
	atomic_set(&v->v_kick, 1);
	/*
	 * The tap's own wake-up is a sync one (the sender is about to
	 * wait for an answer): pass that on, so the scheduler may run the
	 * receiver where the sender runs instead of waking another CPU.
	 */
	if (sync)
		__wake_up_sync(&v->v_wq, TASK_NORMAL);
	else
		wake_up(&v->v_wq);
	return 0;
}

/* The tap's poll method hands us its wait queue here. */
static void
hyp_vif_ptqueue(struct file *f, wait_queue_head_t *wh, poll_table *pt)
{
	struct rumpvif *v = container_of(pt, struct rumpvif, v_pt);

	if (v->v_twq != NULL)
		return;		/* one queue is all a tap has */
	v->v_twq = wh;
	add_wait_queue(wh, &v->v_twait);
}

static void
hyp_vif_hook(struct rumpvif *v)
{
	atomic_set(&v->v_shutdown, 0);
	atomic_set(&v->v_kick, 1);
	v->v_wakecpu = -1;
	v->v_cpu = -1;
	v->v_other = 0;
	v->v_twq = NULL;
	init_waitqueue_func_entry(&v->v_twait, hyp_vif_twake);
	init_poll_funcptr(&v->v_pt, hyp_vif_ptqueue);
	(void)vfs_poll(v->v_file, &v->v_pt);	/* only for the hook */
}

static void
hyp_vif_unhook(struct rumpvif *v)
{
	if (v->v_twq != NULL)
		remove_wait_queue(v->v_twq, &v->v_twait);
	v->v_twq = NULL;
}

/* Drop frames that queued while no interface was attached. */
static void
hyp_vif_drain(struct rumpvif *v)
{
	static char sink[2048];		/* under hyp_vif_lock */
	loff_t pos = 0;
	int n;

	for (n = 0; n < 1000; n++) {
		if (kernel_read(v->v_file, sink, sizeof(sink), &pos) < 0)
			break;
	}
}

int
rumpvif_create(int version, const char *ifname, struct rumpvif **vp)
{
	struct rumpvif *v = NULL;
	int i, nlocks, err = 0;

	if (version != RUMPVIF_VERSION) {
		hyp_warn("vif: rump kernel wants contract version %d, this "
		    "hypervisor implements %d", version, RUMPVIF_VERSION);
		return RUMP_EINVAL;
	}
	if (hyp_is_stopped())
		return RUMP_ENXIO;
	hyp_unsched(&nlocks, NULL);
	mutex_lock(&hyp_vif_lock);
	for (i = 0; i < hyp_nvifs; i++) {
		if (strcmp(hyp_vifs[i].v_ifname, ifname) == 0)
			v = &hyp_vifs[i];
	}
	if (v == NULL || v->v_file == NULL) {
		err = RUMP_ENOENT;
	} else if (v->v_attached) {
		err = RUMP_EBUSY;
	} else {
		hyp_vif_drain(v);
		hyp_vif_hook(v);
		v->v_attached = true;
		*vp = v;
	}
	mutex_unlock(&hyp_vif_lock);
	hyp_sched(nlocks, NULL);
	return err;
}

void
rumpvif_shutdown(struct rumpvif *v)
{
	atomic_set(&v->v_shutdown, 1);
	wake_up(&v->v_wq);
}

/* Preconditions: see rumpvif.h. */
void
rumpvif_destroy(struct rumpvif *v)
{
	int nlocks;

	hyp_unsched(&nlocks, NULL);
	mutex_lock(&hyp_vif_lock);
	WARN_ON_ONCE(!atomic_read(&v->v_shutdown));
	hyp_vif_unhook(v);
	v->v_attached = false;
	hyp_dbg("vif %s: detached (%lld frames in, %lld out, %lld refused, "
	    "receiver moved %lld times)", v->v_ifname,
	    (long long)atomic64_read(&v->v_rx),
	    (long long)atomic64_read(&v->v_tx),
	    (long long)atomic64_read(&v->v_txerr),
	    (long long)atomic64_read(&v->v_moves));
	mutex_unlock(&hyp_vif_lock);
	hyp_sched(nlocks, NULL);
}

/* ---- frames ------------------------------------------------------------- */

/*
 * hyp_vif_follow: bind the receiver to the CPU its wake-ups come from,
 * once HYP_VIF_FOLLOW frames in a row were read after a wake-up from a
 * CPU other than the one it is bound to (hysteresis: senders on several
 * CPUs do not move it at every frame).  Why: the frame's sender (a
 * process writing to a socket, Linux's forwarding) wakes us from its CPU
 * and usually waits for the answer there; left to itself the scheduler
 * wakes us on another, idle CPU (select_idle_sibling, sync or not), and
 * our answer then wakes the sender across CPUs again: two cross-CPU
 * wake-ups per round trip, which in a guest cost more than the work
 * (ping median 1.4 ms with 2 vCPUs under TCG, 0.7 ms bound).  Bound to
 * one CPU we are a per-CPU kernel thread to the scheduler, and the
 * sender's wake-up from us stays on its CPU too: the receive path then
 * runs where the sender runs, as Linux's own softirq processing of a
 * veth or loopback frame does.
 * Context: the receiver, in rumpvif_recv, without a rump CPU.
 */
static void
hyp_vif_follow(struct rumpvif *v)
{
	int cpu = READ_ONCE(v->v_wakecpu);

	if (cpu < 0 || cpu == v->v_cpu) {
		v->v_other = 0;
		return;
	}
	if (++v->v_other < HYP_VIF_FOLLOW)
		return;
	v->v_other = 0;
	/* Fails only for a CPU that went offline meanwhile: stay put. */
	if (set_cpus_allowed_ptr(current, cpumask_of(cpu)) == 0) {
		v->v_cpu = cpu;
		atomic64_inc(&v->v_moves);
	}
}

static bool
hyp_vif_wake_cond(struct rumpvif *v)
{
	return atomic_read(&v->v_kick) || atomic_read(&v->v_shutdown) ||
	    hyp_is_stopped();
}

int
rumpvif_recv(struct rumpvif *v, void *buf, size_t buflen, size_t *rlen)
{
	loff_t pos = 0;
	ssize_t n;
	int nlocks, err;

	hyp_unsched(&nlocks, NULL);
	for (;;) {
		if (atomic_read(&v->v_shutdown)) {
			err = RUMP_ESHUTDOWN;
			break;
		}
		if (hyp_is_stopped()) {
			err = RUMP_ENXIO;	/* hyp_sched ends us */
			break;
		}
		/* Cleared before the read: a frame after it re-kicks. */
		atomic_set(&v->v_kick, 0);
		n = kernel_read(v->v_file, buf, buflen, &pos);
		if (n >= 0) {
			hyp_vif_follow(v);
			*rlen = (size_t)n;
			atomic64_inc(&v->v_rx);
			err = 0;
			break;
		}
		if (n != -EAGAIN) {
			err = hyp_errno(n);
			break;
		}
		wait_event_idle(v->v_wq, hyp_vif_wake_cond(v));
	}
	hyp_sched(nlocks, NULL);
	return err;
}

int
rumpvif_send(struct rumpvif *v, const struct rumpuser_iovec *iov,
    size_t iovcnt)
{
	struct kvec kv[HYP_VIF_NIOV];
	struct iov_iter it;
	size_t i, total = 0;
	loff_t pos = 0;
	ssize_t n;
	int nlocks;

	if (atomic_read(&v->v_shutdown))
		return RUMP_ESHUTDOWN;
	if (hyp_is_stopped())
		return RUMP_ENXIO;
	if (iovcnt > HYP_VIF_NIOV)
		return RUMP_EINVAL;
	for (i = 0; i < iovcnt; i++) {
		kv[i].iov_base = iov[i].iov_base;
		kv[i].iov_len = iov[i].iov_len;
		total += iov[i].iov_len;
	}
	iov_iter_kvec(&it, ITER_SOURCE, kv, iovcnt, total);
	hyp_unsched(&nlocks, NULL);
	n = vfs_iter_write(v->v_file, &it, &pos, 0);
	hyp_sched(nlocks, NULL);
	if (n < 0) {
		atomic64_inc(&v->v_txerr);
		return n == -EAGAIN ? RUMP_ENOBUFS : hyp_errno(n);
	}
	atomic64_inc(&v->v_tx);
	return 0;
}

/* ---- stop and unload ---------------------------------------------------- */

/* hyp_stop: wake every receiver, so that it sees STOPPED. */
void
hyp_vif_wake_all(void)
{
	int i;

	for (i = 0; i < hyp_nvifs; i++) {
		if (hyp_vifs[i].v_file != NULL)
			wake_up(&hyp_vifs[i].v_wq);
	}
}

/*
 * hyp_vif_fini: unhook interfaces a stopped kernel never destroyed and
 * close every tap.  From hyp_fini, after our threads are gone.
 */
void
hyp_vif_fini(void)
{
	struct rumpvif *v;
	int i;

	mutex_lock(&hyp_vif_lock);
	for (i = 0; i < hyp_nvifs; i++) {
		v = &hyp_vifs[i];
		if (v->v_attached) {
			hyp_log("vif %s still attached at unload; detaching",
			    v->v_ifname);
			hyp_vif_unhook(v);
			v->v_attached = false;
		}
		if (v->v_file != NULL)
			hyp_vif_close(v);
	}
	mutex_unlock(&hyp_vif_lock);
}
