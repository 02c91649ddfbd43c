// SPDX-License-Identifier: BSD-2-Clause
/*
 * rump_demonet.c: the Linux module wrapper of the network demo.
 *
 * On insmod (after rump.ko, whose `vif` parameter ties the rump interface
 * name to a tap device of this Linux) it runs the shared demo logic of
 * demonet.c -- the same source the userspace twin tests/kern/host_demonet.c
 * includes -- in one of two modes:
 *   mode=get    (default) creates the interface, configures it (addr/mask,
 *               or dhcp=1 for a lease from a DHCP server on the Linux side),
 *               fetches http://<server>:<port><path> through the rump
 *               kernel's TCP and prints the status line, the byte count and
 *               the last 500 bytes to the kernel log.  The interface stays
 *               up until rmmod, so the rump stack answers ping meanwhile.
 *   mode=serve  creates and configures the interface, copies the host file
 *               `file` (if given) into the rump kernel's tmpfs as
 *               /www/<name>, writes /www/index.html, and serves /www over
 *               HTTP/1.0 on <port> from a kernel thread until rmmod.
 * Lines go to the kernel log prefixed "rump_demonet: ".  If a mode fails
 * the module refuses to load and has undone everything.  rmmod stops the
 * server thread (it polls every 250 ms) and destroys the interface.
 * Loaded by tests/guest/demonet.sh and demos/demo-guest.sh.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rump/rump.h>

/* The shared demo logic: included, not linked (see its top comment). */
#include "demonet.c"

static char *mode = "get";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "get (HTTP client, default) or serve (HTTP server)");
static char *ifname = "virt0";
module_param(ifname, charp, 0444);
MODULE_PARM_DESC(ifname, "rump interface to create (rump.ko's vif= names its tap)");
static bool dhcp;
module_param(dhcp, bool, 0444);
MODULE_PARM_DESC(dhcp, "configure the interface with DHCP instead of addr/mask");
static char *addr = "10.0.2.17";
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "static IPv4 address (default 10.0.2.17)");
static char *mask = "255.255.255.0";
module_param(mask, charp, 0444);
MODULE_PARM_DESC(mask, "netmask (default 255.255.255.0)");
static char *server = "10.0.2.2";
module_param(server, charp, 0444);
MODULE_PARM_DESC(server, "get: HTTP server address (default 10.0.2.2)");
static int port = 80;
module_param(port, int, 0444);
MODULE_PARM_DESC(port, "get: server port; serve: port to listen on (default 80)");
static char *path = "/";
module_param(path, charp, 0444);
MODULE_PARM_DESC(path, "get: path to fetch (default /)");
static char *file;
module_param(file, charp, 0444);
MODULE_PARM_DESC(file, "serve: host file to publish as /www/<name>");

static const char rump_demonet_index[] =
	"<html><body>Served by the rump kernel's TCP/IP stack inside "
	"rump.ko.</body></html>\n";

struct rump_demonet {
	struct demonet_env	rd_env;
	struct demonet_ctx	rd_ctx;
	struct task_struct	*rd_server;	/* serve mode */
	bool			rd_installed;	/* file copied into /www */
};

static struct rump_demonet *rump_demonet;

/* ---------------------------------------------------------------- env */

static void rump_demonet_printf(const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("rump_demonet: %pV\n", &vaf);
	va_end(ap);
}

static void *rump_demonet_alloc(rump_size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void rump_demonet_free(void *p)
{
	kvfree(p);
}

static long long rump_demonet_read_host(const char *hostpath, long long off,
    void *buf, rump_size_t len)
{
	struct file *f;
	loff_t pos = off;
	ssize_t n;

	f = filp_open(hostpath, O_RDONLY, 0);
	if (IS_ERR(f))
		return -1;
	n = kernel_read(f, buf, len, &pos);
	filp_close(f, NULL);
	return n < 0 ? -1 : n;
}

/*
 * Set by module exit before it stops the server thread.  (Not
 * kthread_should_stop(): the demo logic also runs in insmod's context.)
 */
static bool rump_demonet_stopping;

static int rump_demonet_should_stop(void)
{
	return READ_ONCE(rump_demonet_stopping);
}

/* ---------------------------------------------------------------- serve */

/* /www/index.html, so that `wget http://<addr>/` has something to get */
static int rump_demonet_index_page(struct demonet_ctx *dc)
{
	int fd, error;

	fd = rump_sys_open(DEMONET_WWW "/index.html",
	    RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC, 0644);
	if (fd == -1)
		return demonet_fail(dc, "index.html", demonet_errno());
	error = demonet_write_all(dc->dc_env, fd, rump_demonet_index,
	    sizeof(rump_demonet_index) - 1);
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demonet_errno();
	return error ? demonet_fail(dc, "index.html", error) : 0;
}

static int rump_demonet_server(void *arg)
{
	struct rump_demonet *rd = arg;
	int error;

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error) {
		pr_info("rump_demonet: server: rfork failed: error %d\n",
		    error);
	} else {
		demonet_serve(&rd->rd_ctx, 0);
		rump_pub_lwproc_releaselwp();
	}
	/* kthread_stop() must find us alive */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

/* Make /www: the uploaded file and index.html.  Holds a rump process. */
static int rump_demonet_www(struct rump_demonet *rd)
{
	long long size;
	int error;

	if (rump_sys_mkdir(DEMONET_WWW, 0755) == -1 &&
	    rump_errno() != RUMP_EEXIST)
		return demonet_fail(&rd->rd_ctx, DEMONET_WWW, demonet_errno());
	if (file != NULL && file[0] != '\0') {
		error = demonet_install(&rd->rd_ctx, file, &size);
		if (error)
			return error;
		rd->rd_installed = true;
	}
	return rump_demonet_index_page(&rd->rd_ctx);
}

static void rump_demonet_unwww(struct rump_demonet *rd)
{
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		return;
	(void)rump_sys_unlink(DEMONET_WWW "/index.html");
	demonet_uninstall(rd->rd_installed ? file : NULL);
	rump_pub_lwproc_releaselwp();
}

/* ---------------------------------------------------------------- module */

static int rump_demonet_errno(int error)
{
	/* rump errno values are NetBSD's; report a plain Linux error. */
	switch (error) {
	case RUMP_ENOMEM:
		return -ENOMEM;
	case RUMP_ENXIO:
		return -ENXIO;
	case RUMP_ENOENT:
		return -ENOENT;
	case RUMP_EINVAL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static int __init rump_demonet_init(void)
{
	struct rump_demonet *rd;
	long long nbytes;
	int error;
	bool serve;

	if (strcmp(mode, "get") == 0) {
		serve = false;
	} else if (strcmp(mode, "serve") == 0) {
		serve = true;
	} else {
		pr_err("rump_demonet: mode=%s: use get or serve\n", mode);
		return -EINVAL;
	}
	if (port <= 0 || port > 65535) {
		pr_err("rump_demonet: port=%d out of range\n", port);
		return -EINVAL;
	}
	rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	if (rd == NULL)
		return -ENOMEM;
	rd->rd_env = (struct demonet_env){
		.dn_printf = rump_demonet_printf,
		.dn_alloc = rump_demonet_alloc,
		.dn_free = rump_demonet_free,
		.dn_read_host = rump_demonet_read_host,
		.dn_should_stop = rump_demonet_should_stop,
		.dn_ifname = ifname,
		.dn_dhcp = dhcp,
		.dn_addr = addr,
		.dn_mask = mask,
		.dn_server = server,
		.dn_port = port,
		.dn_path = path,
	};
	rd->rd_ctx.dc_env = &rd->rd_env;
	rd->rd_ctx.dc_buf = kvmalloc(DEMONET_BUF, GFP_KERNEL);
	error = RUMP_ENOMEM;
	if (rd->rd_ctx.dc_buf == NULL)
		goto err_free_rd;

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error)
		goto err_free_buf;
	error = demonet_up(&rd->rd_ctx);
	if (error)
		goto err_release;
	if (!serve) {
		error = demonet_get(&rd->rd_ctx, &nbytes);
		if (error)
			goto err_down;
		rump_pub_lwproc_releaselwp();
		pr_info("rump_demonet: ok: fetched %lld bytes; %s stays up "
		    "until rmmod\n", nbytes, ifname);
		rump_demonet = rd;
		return 0;
	}

	error = rump_demonet_www(rd);
	if (error)
		goto err_unwww;
	rump_pub_lwproc_releaselwp();
	rd->rd_server = kthread_run(rump_demonet_server, rd, "rump_demonet");
	if (IS_ERR(rd->rd_server)) {
		error = RUMP_ENOMEM;
		rd->rd_server = NULL;
		goto err_unwww_norelease;
	}
	pr_info("rump_demonet: ok: serving on %s port %d until rmmod\n",
	    ifname, port);
	rump_demonet = rd;
	return 0;

err_unwww:
	rump_pub_lwproc_releaselwp();
err_unwww_norelease:
	rump_demonet_unwww(rd);
	(void)demonet_down(&rd->rd_ctx);
	goto err_free_buf;
err_down:
	(void)demonet_down(&rd->rd_ctx);
err_release:
	rump_pub_lwproc_releaselwp();
err_free_buf:
	kvfree(rd->rd_ctx.dc_buf);
err_free_rd:
	kfree(rd);
	pr_info("rump_demonet: failed (error %d), not loaded\n", error);
	return rump_demonet_errno(error);
}

static void __exit rump_demonet_exit(void)
{
	struct rump_demonet *rd = rump_demonet;

	if (rd->rd_server != NULL) {
		WRITE_ONCE(rump_demonet_stopping, true);
		kthread_stop(rd->rd_server);
		pr_info("rump_demonet: server stopped, %lld responses\n",
		    rd->rd_ctx.dc_served);
		rump_demonet_unwww(rd);
	}
	if (demonet_down(&rd->rd_ctx) == 0)
		pr_info("rump_demonet: %s destroyed\n", ifname);
	kvfree(rd->rd_ctx.dc_buf);
	kfree(rd);
	pr_info("rump_demonet: unloaded\n");
}

module_init(rump_demonet_init);
module_exit(rump_demonet_exit);

MODULE_DESCRIPTION("linux-rump demo: HTTP over the rump kernel's TCP/IP stack on a tap");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_AUTHOR("linux-rump developers");
