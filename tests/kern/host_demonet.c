/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * host_demonet.c: the userspace twin of rump_demonet.ko, run by
 * `make check` (test-user, test-asan, test-tsan).
 *
 * It runs, on the userspace rump kernel, the very code the Linux module
 * runs (demos/net/demonet.c, #included), against the host's own Linux
 * TCP/IP stack and busybox tools, all inside a network namespace this
 * program makes for itself (unshare(CLONE_NEWNET), so no traffic leaves
 * it): a tap hd0 with 10.0.2.2/24 on the Linux side, busybox httpd on
 * 10.0.2.2:80, busybox udhcpd leasing 10.0.2.17, and the rump kernel's
 * virt0 on the other end of the tap (RUMP_VIF_virt0=tap:hd0, see
 * hypervisor/include/rump/rumpvif.h).
 *
 * Cases (suite demo.net), each on a fresh rump kernel whose shutdown must
 * leave nothing behind (host_clean.c):
 *   static_get   10.0.2.17/24, GET / from Linux's httpd: the demo prints
 *                the status line, the size of the page and its last line
 *   static_ping  Linux's ping -c 3 10.0.2.17 is answered by the rump stack
 *   dhcp_get     the same with the address leased by udhcpd
 *   serve_wget   the demo serves a 4 MiB random file; busybox wget fetches
 *                it from the rump stack and it compares equal
 *   <case>_no_leaks  after each kernel
 * Needs root (namespaces, tap); without it every case fails with the
 * reason: CI runs as root.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#include "host_clean.h"

#include "../../demos/net/demonet.c"

#define HDN_TAP		"hd0"
#define HDN_LINUX	"10.0.2.2"
#define HDN_RUMP	"10.0.2.17"
#define HDN_BIG		(4 * 1024 * 1024)

static char hdn_dir[] = "/tmp/host_demonet.XXXXXX";
static char hdn_log[64 * 1024];	/* the demo's lines of the running case */
static size_t hdn_loglen;
static volatile int hdn_stop;
static int hdn_nfail;

/* ---------------------------------------------------------------- env */

static void hdn_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("rump_demonet: %s\n", line);
	n = snprintf(hdn_log + hdn_loglen, sizeof(hdn_log) - hdn_loglen,
	    "%s\n", line);
	if (n > 0 && hdn_loglen + (size_t)n < sizeof(hdn_log))
		hdn_loglen += (size_t)n;
}

static void *hdn_alloc(rump_size_t size)
{
	return malloc(size);
}

static void hdn_free(void *p)
{
	free(p);
}

static long long hdn_read_host(const char *path, long long off, void *buf,
    rump_size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd == -1)
		return -1;
	n = pread(fd, buf, len, off);
	close(fd);
	return n;
}

static int hdn_should_stop(void)
{
	return __atomic_load_n(&hdn_stop, __ATOMIC_ACQUIRE);
}

/* ---------------------------------------------------------------- helpers */

static void hdn_result(const char *name, int ok, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

static void hdn_result(const char *name, int ok, const char *fmt, ...)
{
	char why[256] = "";
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	if (ok) {
		printf("PASS: demo.net.%s%s%s%s\n", name, why[0] ? " (" : "",
		    why, why[0] ? ")" : "");
	} else {
		printf("FAIL: demo.net.%s: %s\n", name, why);
		hdn_nfail++;
	}
}

static int hdn_sh(const char *fmt, ...)
	__attribute__((__format__(__printf__, 1, 2)));

/* Run a shell command; 0 when it exits 0. */
static int hdn_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rv;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rv = system(cmd);
	return rv == 0 ? 0 : -1;
}

/* Start argv[] in the background; its pid or -1. */
static pid_t hdn_spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static void hdn_kill(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

static void hdn_no_leaks(const char *name)
{
	char msg[256], cname[64];
	int rv;

	rv = host_shutdown_clean(msg, sizeof(msg));
	snprintf(cname, sizeof(cname), "%s_no_leaks", name);
	hdn_result(cname, rv == 0, "%s", rv == 0 ? "" : msg);
}

static int hdn_log_has(const char *s)
{
	return strstr(hdn_log, s) != NULL;
}

/* ---------------------------------------------------------------- cases */

/* up + GET + (ping) + down on a fresh kernel; the case is named name */
static void hdn_get_case(const char *name, int dhcp, const char *pingname)
{
	struct demonet_env env = {
		.dn_printf = hdn_printf, .dn_alloc = hdn_alloc,
		.dn_free = hdn_free, .dn_read_host = hdn_read_host,
		.dn_should_stop = hdn_should_stop, .dn_ifname = "virt0",
		.dn_dhcp = dhcp, .dn_addr = HDN_RUMP,
		.dn_mask = "255.255.255.0", .dn_server = HDN_LINUX,
		.dn_port = 80, .dn_path = "/",
	};
	struct demonet_ctx dc = { .dc_env = &env };
	char want[128], path[300];
	long long nbytes = 0;
	struct stat st;
	int rv, ok;

	hdn_loglen = 0;
	hdn_log[0] = '\0';
	snprintf(path, sizeof(path), "%s/www/index.html", hdn_dir);
	if (stat(path, &st) != 0) {
		hdn_result(name, 0, "no %s", path);
		return;
	}
	rv = rump_init();
	if (rv != 0) {
		hdn_result(name, 0, "rump_init: error %d", rv);
		return;
	}
	dc.dc_buf = malloc(DEMONET_BUF);
	rv = dc.dc_buf == NULL ? RUMP_ENOMEM : rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv == 0) {
		rv = demonet_up(&dc);
		if (rv == 0) {
			rv = demonet_get(&dc, &nbytes);
			snprintf(want, sizeof(want), "body %lld), status "
			    "line \"HTTP/1.", (long long)st.st_size);
			if (rv != 0)
				hdn_result(name, 0, "demonet_get: error %d", rv);
			else if (!hdn_log_has(want) ||
			    !hdn_log_has(" 200 OK\""))
				hdn_result(name, 0, "no 200 response with "
				    "\"%s\"", want);
			else if (!hdn_log_has("| end of the page"))
				hdn_result(name, 0, "tail without last line");
			else if (dhcp && !hdn_log_has("connected from "
			    HDN_RUMP ":"))
				hdn_result(name, 0, "not from the lease");
			else
				hdn_result(name, 1, "%lld bytes", nbytes);
			if (pingname != NULL) {
				ok = hdn_sh("busybox ping -c 3 -W 2 " HDN_RUMP
				    " > /dev/null") == 0;
				hdn_result(pingname, ok, ok ? "3 replies" :
				    "no 3 replies from " HDN_RUMP);
			}
			if (demonet_down(&dc) != 0)
				hdn_result(name, 0, "ifdestroy failed");
		} else {
			hdn_result(name, 0, "demonet_up: error %d", rv);
		}
		rump_pub_lwproc_releaselwp();
	} else {
		hdn_result(name, 0, "setup: error %d", rv);
	}
	free(dc.dc_buf);
	hdn_no_leaks(name);
}

static void *hdn_server(void *arg)
{
	struct demonet_ctx *dc = arg;
	intptr_t rv;

	rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv == 0) {
		rv = demonet_serve(dc, 0);
		rump_pub_lwproc_releaselwp();
	}
	return (void *)rv;
}

static void hdn_serve_case(void)
{
	struct demonet_env env = {
		.dn_printf = hdn_printf, .dn_alloc = hdn_alloc,
		.dn_free = hdn_free, .dn_read_host = hdn_read_host,
		.dn_should_stop = hdn_should_stop, .dn_ifname = "virt0",
		.dn_addr = HDN_RUMP, .dn_mask = "255.255.255.0",
		.dn_port = 80,
	};
	struct demonet_ctx dc = { .dc_env = &env };
	char big[300], got[300];
	long long size = 0;
	pthread_t thr;
	void *trv;
	int rv, i, ok = 0;

	snprintf(big, sizeof(big), "%s/big.bin", hdn_dir);
	snprintf(got, sizeof(got), "%s/got.bin", hdn_dir);
	if (hdn_sh("head -c %d /dev/urandom > %s", HDN_BIG, big) != 0) {
		hdn_result("serve_wget", 0, "cannot make %s", big);
		return;
	}
	rv = rump_init();
	if (rv != 0) {
		hdn_result("serve_wget", 0, "rump_init: error %d", rv);
		return;
	}
	dc.dc_buf = malloc(DEMONET_BUF);
	rv = dc.dc_buf == NULL ? RUMP_ENOMEM : rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv != 0) {
		hdn_result("serve_wget", 0, "setup: error %d", rv);
		goto out_free;
	}
	rv = demonet_up(&dc);
	if (rv == 0)
		rv = demonet_install(&dc, big, &size);
	rump_pub_lwproc_releaselwp();
	if (rv != 0) {
		hdn_result("serve_wget", 0, "up/install: error %d", rv);
		goto out_down;
	}
	__atomic_store_n(&hdn_stop, 0, __ATOMIC_RELEASE);
	if (pthread_create(&thr, NULL, hdn_server, &dc) != 0) {
		hdn_result("serve_wget", 0, "pthread_create failed");
		goto out_uninstall;
	}
	/* the server listens soon; wget fails fast until it does */
	for (i = 0; i < 50 && !ok; i++) {
		ok = hdn_sh("busybox wget -q -O %s http://" HDN_RUMP
		    "/big.bin 2> /dev/null && cmp -s %s %s", got, got,
		    big) == 0;
		if (!ok)
			usleep(100 * 1000);
	}
	__atomic_store_n(&hdn_stop, 1, __ATOMIC_RELEASE);
	pthread_join(thr, &trv);
	hdn_result("serve_wget", ok && trv == NULL,
	    ok ? "%lld bytes" : "wget of the rump server's file failed or "
	    "differs (server: %lld)", ok ? size : (long long)(intptr_t)trv);
	unlink(got);
out_uninstall:
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0) {
		demonet_uninstall(big);
		rump_pub_lwproc_releaselwp();
	}
out_down:
	(void)demonet_down(&dc);
out_free:
	free(dc.dc_buf);
	unlink(big);
	hdn_no_leaks("serve");
}

/* ---------------------------------------------------------------- main */

/* The namespace's Linux side: tap, address, web page; 0 or -1. */
static int hdn_setup_linux(void)
{
	char path[300];
	FILE *f;
	int i;

	if (unshare(CLONE_NEWNET) != 0) {
		printf("FAIL: demo.net.setup: unshare(CLONE_NEWNET): %m "
		    "(needs root)\n");
		return -1;
	}
	if (hdn_sh("ip link set lo up && ip tuntap add dev " HDN_TAP
	    " mode tap && ip addr add " HDN_LINUX "/24 dev " HDN_TAP
	    " && ip link set " HDN_TAP " up") != 0) {
		printf("FAIL: demo.net.setup: tap " HDN_TAP "\n");
		return -1;
	}
	if (mkdtemp(hdn_dir) == NULL) {
		printf("FAIL: demo.net.setup: mkdtemp\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/www", hdn_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/www/index.html", hdn_dir);
	f = fopen(path, "w");
	if (f == NULL) {
		printf("FAIL: demo.net.setup: %s\n", path);
		return -1;
	}
	fprintf(f, "<html><body><pre>\n");
	for (i = 0; i < 40; i++)
		fprintf(f, "line %d of a page served by busybox httpd\n", i);
	fprintf(f, "end of the page served by Linux</pre></body></html>\n");
	fclose(f);
	snprintf(path, sizeof(path), "%s/udhcpd.conf", hdn_dir);
	f = fopen(path, "w");
	if (f == NULL) {
		printf("FAIL: demo.net.setup: %s\n", path);
		return -1;
	}
	fprintf(f, "start %s\nend %s\ninterface %s\nlease_file %s/leases\n"
	    "option subnet 255.255.255.0\noption router %s\n"
	    "option lease 3600\n", HDN_RUMP, HDN_RUMP, HDN_TAP, hdn_dir,
	    HDN_LINUX);
	fclose(f);
	return 0;
}

int main(void)
{
	char www[300], conf[300], leases[300];
	char *httpd[] = { "busybox", "httpd", "-f", "-p", HDN_LINUX ":80",
	    "-h", www, NULL };
	char *udhcpd[] = { "busybox", "udhcpd", "-f", conf, NULL };
	pid_t hpid, dpid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (hdn_setup_linux() != 0)
		return 1;
	snprintf(www, sizeof(www), "%s/www", hdn_dir);
	snprintf(conf, sizeof(conf), "%s/udhcpd.conf", hdn_dir);
	snprintf(leases, sizeof(leases), "%s/leases", hdn_dir);
	close(open(leases, O_WRONLY | O_CREAT, 0644));
	setenv("RUMP_VIF_virt0", "tap:" HDN_TAP, 1);

	hpid = hdn_spawn(httpd);
	usleep(200 * 1000);
	hdn_get_case("static_get", 0, "static_ping");
	dpid = hdn_spawn(udhcpd);
	usleep(200 * 1000);
	hdn_get_case("dhcp_get", 1, NULL);
	hdn_kill(dpid);
	hdn_kill(hpid);
	hdn_serve_case();

	hdn_sh("rm -rf %s", hdn_dir);
	return hdn_nfail == 0 ? 0 : 1;
}
