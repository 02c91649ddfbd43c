// SPDX-License-Identifier: BSD-2-Clause
/*
 * demonet.c: the network demo, shared by the Linux module and its
 * userspace twin.
 *
 * Not compiled on its own: demos/net/rump_demonet.c (the Linux module
 * rump_demonet.ko) and tests/kern/host_demonet.c (a hosted program run by
 * `make check`) both #include it, so both run the same demo.  It uses only
 * the public rump API and compiler builtins; printing, memory, the host's
 * files and the stop request come from the includer (struct demonet_env).
 *
 * The rump kernel's own TCP/IP stack gets an Ethernet interface whose
 * other end is a tap device of the host (the hypervisor's virtual
 * interface: which tap belongs to which name is host configuration, see
 * hypervisor/include/rump/rumpvif.h).  Steps, each its own function:
 *   demonet_up()     creates the interface, configures it (a static
 *                    address, or a DHCP lease) and brings it up; from then
 *                    on the stack answers ARP and ping on it;
 *   demonet_get()    one HTTP/1.0 GET to a server on the host side: prints
 *                    the status line, the byte counts (all, head, body)
 *                    and the last DEMONET_TAIL bytes of the response;
 *   demonet_install() copies a host file into the rump kernel's tmpfs
 *                    (/www/<name>) through the includer's dn_read_host;
 *   demonet_serve()  an HTTP/1.0 server for the files under /www, one
 *                    connection at a time, until dn_should_stop says so;
 *   demonet_down()   destroys the interface.
 * Each returns 0 or a rump errno after printing "failed at <step>: ...".
 * Every step runs on a thread that holds a rump process (the includer
 * makes one with rump_pub_lwproc_rfork).
 */
#include <rump/rump.h>
#include <rump/rumpdefs.h>
#include "../common/rumpdemo.h"

struct demonet_env {
	/* Print one line (no newline in fmt). */
	void	(*dn_printf)(const char *fmt, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
	/* Memory for buffers (up to DEMONET_BUF); NULL when out of memory. */
	void	*(*dn_alloc)(rump_size_t size);
	void	(*dn_free)(void *p);
	/*
	 * Read up to len bytes of the host file path at offset off into buf;
	 * returns the count (0 at the end) or -1.  NULL: no host files.
	 */
	long long (*dn_read_host)(const char *path, long long off, void *buf,
		    rump_size_t len);
	/* Nonzero when demonet_serve() should stop (polled 4 times a s,
	 * also in the middle of a response). */
	int	(*dn_should_stop)(void);
	const char *dn_ifname;	/* interface, e.g. "virt0" */
	int	dn_dhcp;	/* configure with DHCP, not dn_addr/dn_mask */
	const char *dn_addr;	/* e.g. "10.0.2.17" */
	const char *dn_mask;	/* e.g. "255.255.255.0" */
	const char *dn_server;	/* HTTP server for demonet_get() */
	int	dn_port;	/* its port; also demonet_serve()'s port */
	const char *dn_path;	/* path to GET, e.g. "/" */
};

#define DEMONET_BUF		(64 * 1024)
#define DEMONET_TAIL		500
#define DEMONET_REQ_MAX		2048
#define DEMONET_WWW		"/www"
#define DEMONET_PATH_MAX	128
#define DEMONET_IO_TIMEOUT_S	20

struct demonet_ctx {
	const struct demonet_env *dc_env;
	const char	*dc_step;	/* for the failure line */
	char		*dc_buf;	/* DEMONET_BUF bytes */
	long long	dc_served;	/* demonet_serve(): responses sent */
};

#define demonet_say(dc, ...)	((dc)->dc_env->dn_printf(__VA_ARGS__))

/* ---------------------------------------------------------------- helpers */

static int demonet_fail(struct demonet_ctx *dc, const char *what, int error)
{
	demonet_say(dc, "failed at %s: %s: error %d", dc->dc_step, what, error);
	return error;
}

/* The errno of a failed rump_sys_* call (never 0). */
static int demonet_errno(void)
{
	int error = rump_errno();

	return error != 0 ? error : RUMP_EIO;
}

/* Dotted quad to a host-order address; -1 if s is not one. */
static int demonet_aton(const char *s, unsigned int *addrp)
{
	unsigned int addr = 0, part;
	int i, digits;

	for (i = 0; i < 4; i++) {
		part = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; digits++, s++) {
			part = part * 10 + (unsigned int)(*s - '0');
			if (digits > 2 || part > 255)
				return -1;
		}
		if (digits == 0 || *s != (i < 3 ? '.' : '\0'))
			return -1;
		if (i < 3)
			s++;
		addr = addr << 8 | part;
	}
	*addrp = addr;
	return 0;
}

static struct rump_sockaddr_in demonet_sin(unsigned int addr, int port)
{
	struct rump_sockaddr_in sin;

	__builtin_memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = RUMP_AF_INET;
	sin.sin_port = __builtin_bswap16((unsigned short)port);
	sin.sin_addr.s_addr = __builtin_bswap32(addr);
	return sin;
}

/* "a.b.c.d:port" of a network-order sockaddr into buf (>= 22 bytes). */
static void demonet_ntoa(const struct rump_sockaddr_in *sin, char *buf)
{
	unsigned int a = __builtin_bswap32(sin->sin_addr.s_addr);
	unsigned int v[5] = { a >> 24, (a >> 16) & 255, (a >> 8) & 255,
	    a & 255, __builtin_bswap16(sin->sin_port) };
	char digits[6];
	int i, n;

	for (i = 0; i < 5; i++) {
		n = 0;
		do {
			digits[n++] = (char)('0' + v[i] % 10);
			v[i] /= 10;
		} while (v[i] != 0);
		while (n > 0)
			*buf++ = digits[--n];
		*buf++ = i < 3 ? '.' : i == 3 ? ':' : '\0';
	}
}

/* Decimal of v at buf; returns the length (no NUL written). */
static int demonet_utoa(unsigned long long v, char *buf)
{
	char digits[20];
	int n = 0, len;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (len = 0; n > 0; len++)
		buf[len] = digits[--n];
	return len;
}

/* Append s to buf (capacity cap, used *lenp); -1 if it does not fit. */
static int demonet_cat(char *buf, int cap, int *lenp, const char *s)
{
	int l = (int)__builtin_strlen(s);

	if (*lenp + l >= cap)
		return -1;
	__builtin_memcpy(buf + *lenp, s, (rump_size_t)l);
	*lenp += l;
	buf[*lenp] = '\0';
	return 0;
}

/*
 * Socket I/O of the server polls for a stop request: its timeouts are
 * DEMONET_TICK_MS, and an operation that makes no progress for
 * DEMONET_STALL_TICKS ticks in a row fails with ETIMEDOUT.  The client
 * (demonet_get) has no stop to poll and waits one long timeout.
 */
#define DEMONET_TICK_MS		250
#define DEMONET_STALL_TICKS	(DEMONET_IO_TIMEOUT_S * 1000 / DEMONET_TICK_MS)

static int demonet_set_timeouts(int fd, int ms)
{
	struct rump_timeval tv = {
		.tv_sec = ms / 1000,
		.tv_usec = (ms % 1000) * 1000,
	};

	if (rump_sys_setsockopt(fd, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1 ||
	    rump_sys_setsockopt(fd, RUMP_SOL_SOCKET, RUMP_SO_SNDTIMEO, &tv,
	    sizeof(tv)) == -1)
		return demonet_errno();
	return 0;
}

/*
 * A timed-out socket call (EWOULDBLOCK/EAGAIN): 0 to try again, EINTR
 * when a stop was requested, ETIMEDOUT after too many in a row.  Any
 * other error is returned as it is.  *stalls counts the ticks.
 */
static int demonet_retry(const struct demonet_env *env, int error,
    int *stalls)
{
	if (error != RUMP_EWOULDBLOCK)
		return error;
	if (env->dn_should_stop != 0 && env->dn_should_stop())
		return RUMP_EINTR;
	if (++*stalls >= DEMONET_STALL_TICKS)
		return RUMP_ETIMEDOUT;
	return 0;
}

/* Write all of buf to fd (sockets may take part of it). */
static int demonet_write_all(const struct demonet_env *env, int fd,
    const char *buf, rump_size_t len)
{
	rump_ssize_t rv;
	int error, stalls = 0;

	while (len > 0) {
		rv = rump_sys_write(fd, buf, len);
		if (rv == 0)
			return RUMP_EIO;
		if (rv < 0) {
			error = demonet_retry(env, demonet_errno(), &stalls);
			if (error)
				return error;
			continue;
		}
		stalls = 0;
		buf += rv;
		len -= (rump_size_t)rv;
	}
	return 0;
}

/* One read of up to len bytes: the count (0 at EOF) or -errno. */
static rump_ssize_t demonet_read(const struct demonet_env *env, int fd,
    char *buf, rump_size_t len)
{
	rump_ssize_t rv;
	int error, stalls = 0;

	for (;;) {
		rv = rump_sys_read(fd, buf, len);
		if (rv >= 0)
			return rv;
		error = demonet_retry(env, demonet_errno(), &stalls);
		if (error)
			return -error;
	}
}

/*
 * Print the n bytes at p as lines ("| ..."), non-printing bytes as '.',
 * at most 100 characters a line.
 */
static void demonet_dump(struct demonet_ctx *dc, const char *p, int n)
{
	char line[104];
	int i, len = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || p[i] == '\n' || len == 100) {
			line[len] = '\0';
			if (len > 0 || (i < n && p[i] == '\n'))
				demonet_say(dc, "| %s", line);
			len = 0;
			if (i < n && p[i] != '\n')
				line[len++] = p[i];
			continue;
		}
		if (p[i] == '\r')
			continue;
		line[len++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '.';
	}
}

/* ---------------------------------------------------------------- steps */

/* Create, configure and bring up dn_ifname. */
static int demonet_up(struct demonet_ctx *dc)
{
	const struct demonet_env *env = dc->dc_env;
	int error;

	dc->dc_step = "ifcreate";
	error = rump_pub_netconfig_ifcreate(env->dn_ifname);
	if (error)
		return demonet_fail(dc, env->dn_ifname, error);
	dc->dc_step = "ifup";
	error = rump_pub_netconfig_ifup(env->dn_ifname);
	if (error)
		goto err_destroy;
	if (env->dn_dhcp) {
		dc->dc_step = "dhcp";
		error = rump_pub_netconfig_dhcp_ipv4_oneshot(env->dn_ifname);
		if (error)
			goto err_destroy;
		demonet_say(dc, "%s: address from DHCP", env->dn_ifname);
	} else {
		dc->dc_step = "ipv4 address";
		error = rump_pub_netconfig_ipv4_ifaddr(env->dn_ifname,
		    env->dn_addr, env->dn_mask);
		if (error)
			goto err_destroy;
		demonet_say(dc, "%s: %s netmask %s", env->dn_ifname,
		    env->dn_addr, env->dn_mask);
	}
	return 0;

err_destroy:
	demonet_fail(dc, env->dn_ifname, error);
	if (rump_pub_netconfig_ifdestroy(env->dn_ifname) != 0)
		demonet_say(dc, "%s: ifdestroy failed too", env->dn_ifname);
	return error;
}

static int demonet_down(struct demonet_ctx *dc)
{
	int error;

	dc->dc_step = "ifdestroy";
	error = rump_pub_netconfig_ifdestroy(dc->dc_env->dn_ifname);
	if (error)
		return demonet_fail(dc, dc->dc_env->dn_ifname, error);
	return 0;
}

/*
 * The response of one GET: *nbytes gets its size.  Keeps the first line
 * and the last DEMONET_TAIL bytes (a ring in dc_buf) and prints them,
 * with the sizes of the head (through the blank line) and the body.  A
 * response without a complete head is an error (EPIPE).
 */
static int demonet_get(struct demonet_ctx *dc, long long *nbytes)
{
	const struct demonet_env *env = dc->dc_env;
	char *tail = dc->dc_buf, *chunk = dc->dc_buf + DEMONET_TAIL;
	char *req = chunk, local[24], status[81];
	struct rump_sockaddr_in sin;
	rump_socklen_t slen = sizeof(sin);
	unsigned int addr;
	long long total = 0, head_len = -1;
	rump_ssize_t rv;
	int s, error, len = 0, slen_status = 0, i, head, n, crlf_seen = 0;

	dc->dc_step = "get";
	if (demonet_aton(env->dn_server, &addr) != 0)
		return demonet_fail(dc, env->dn_server, RUMP_EINVAL);
	s = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (s == -1)
		return demonet_fail(dc, "socket", demonet_errno());
	error = demonet_set_timeouts(s, DEMONET_IO_TIMEOUT_S * 1000);
	if (error) {
		demonet_fail(dc, "timeouts", error);
		goto out_close;
	}
	sin = demonet_sin(addr, env->dn_port);
	if (rump_sys_connect(s, (struct rump_sockaddr *)&sin,
	    sizeof(sin)) == -1) {
		error = demonet_fail(dc, "connect", demonet_errno());
		goto out_close;
	}
	if (rump_sys_getsockname(s, (struct rump_sockaddr *)&sin,
	    &slen) == -1) {
		error = demonet_fail(dc, "getsockname", demonet_errno());
		goto out_close;
	}
	demonet_ntoa(&sin, local);
	demonet_say(dc, "connected from %s to %s:%d", local, env->dn_server,
	    env->dn_port);

	req[0] = '\0';
	if (demonet_cat(req, DEMONET_REQ_MAX, &len, "GET ") ||
	    demonet_cat(req, DEMONET_REQ_MAX, &len, env->dn_path) ||
	    demonet_cat(req, DEMONET_REQ_MAX, &len, " HTTP/1.0\r\nHost: ") ||
	    demonet_cat(req, DEMONET_REQ_MAX, &len, env->dn_server) ||
	    demonet_cat(req, DEMONET_REQ_MAX, &len,
	    "\r\nUser-Agent: rump-demonet\r\n\r\n")) {
		error = demonet_fail(dc, "request", RUMP_ENAMETOOLONG);
		goto out_close;
	}
	error = demonet_write_all(env, s, req, (rump_size_t)len);
	if (error) {
		demonet_fail(dc, "send request", error);
		goto out_close;
	}

	for (;;) {
		rv = rump_sys_read(s, chunk, DEMONET_BUF - DEMONET_TAIL);
		if (rv == -1) {
			error = demonet_fail(dc, "read", demonet_errno());
			goto out_close;
		}
		if (rv == 0)
			break;
		/* the status line: the first line of the first chunk */
		for (i = 0; total == 0 && i < rv && i < 80 &&
		    chunk[i] != '\r' && chunk[i] != '\n'; i++)
			status[slen_status++] = chunk[i];
		for (i = 0; i < rv; i++) {
			tail[(total + i) % DEMONET_TAIL] = chunk[i];
			/* the head ends at the first CR LF CR LF */
			if (head_len >= 0)
				continue;
			if (chunk[i] == (crlf_seen % 2 == 0 ? '\r' : '\n'))
				crlf_seen++;
			else
				crlf_seen = chunk[i] == '\r' ? 1 : 0;
			if (crlf_seen == 4)
				head_len = total + i + 1;
		}
		total += rv;
	}
	status[slen_status] = '\0';
	if (total == 0) {
		error = demonet_fail(dc, "response", RUMP_EPIPE);
		goto out_close;
	}
	if (head_len < 0) {
		error = demonet_fail(dc, "response", RUMP_EPIPE);
		goto out_close;
	}
	demonet_say(dc, "response: %lld bytes (head %lld, body %lld), status "
	    "line \"%s\"", total, head_len, total - head_len, status);
	/* unroll the ring: the oldest kept byte is at total % TAIL */
	n = total < DEMONET_TAIL ? (int)total : DEMONET_TAIL;
	head = (int)(total % DEMONET_TAIL);
	for (i = 0; i < n; i++)
		chunk[i] = tail[(head + DEMONET_TAIL - n + i) % DEMONET_TAIL];
	demonet_say(dc, "last %d bytes of the response:", n);
	demonet_dump(dc, chunk, n);
	*nbytes = total;
	error = 0;
out_close:
	if (rump_sys_close(s) == -1 && error == 0)
		error = demonet_fail(dc, "close", demonet_errno());
	return error;
}

/* The last component of path (after the last '/'). */
static const char *demonet_basename(const char *path)
{
	const char *p, *base = path;

	for (p = path; *p != '\0'; p++)
		if (*p == '/')
			base = p + 1;
	return base;
}

/* Copy the host file hostpath to /www/<its name>; *sizep gets its size. */
static int demonet_install(struct demonet_ctx *dc, const char *hostpath,
    long long *sizep)
{
	const struct demonet_env *env = dc->dc_env;
	char path[DEMONET_PATH_MAX];
	long long off = 0, got;
	int fd, error, len = 0;

	dc->dc_step = "install";
	if (env->dn_read_host == NULL)
		return demonet_fail(dc, hostpath, RUMP_EOPNOTSUPP);
	path[0] = '\0';
	if (demonet_cat(path, sizeof(path), &len, DEMONET_WWW "/") ||
	    demonet_cat(path, sizeof(path), &len, demonet_basename(hostpath)))
		return demonet_fail(dc, hostpath, RUMP_ENAMETOOLONG);
	if (rump_sys_mkdir(DEMONET_WWW, 0755) == -1 &&
	    rump_errno() != RUMP_EEXIST)
		return demonet_fail(dc, DEMONET_WWW, demonet_errno());
	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	if (fd == -1)
		return demonet_fail(dc, path, demonet_errno());
	error = 0;
	while ((got = env->dn_read_host(hostpath, off, dc->dc_buf,
	    DEMONET_BUF)) > 0) {
		error = demonet_write_all(env, fd, dc->dc_buf,
		    (rump_size_t)got);
		if (error) {
			demonet_fail(dc, path, error);
			break;
		}
		off += got;
	}
	if (got < 0 && error == 0)
		error = demonet_fail(dc, hostpath, RUMP_EIO);
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demonet_fail(dc, path, demonet_errno());
	if (error == 0) {
		demonet_say(dc, "installed %s as %s (%lld bytes)", hostpath,
		    path, off);
		*sizep = off;
	}
	return error;
}

/*
 * Remove what demonet_install() made for hostpath (NULL: no file was
 * installed), then the emptied DEMONET_WWW (best effort, for teardown).
 */
static void demonet_uninstall(const char *hostpath)
{
	char path[DEMONET_PATH_MAX];
	int len = 0;

	path[0] = '\0';
	if (hostpath != 0 &&
	    demonet_cat(path, sizeof(path), &len, DEMONET_WWW "/") == 0 &&
	    demonet_cat(path, sizeof(path), &len,
	    demonet_basename(hostpath)) == 0)
		(void)rump_sys_unlink(path);
	(void)rump_sys_rmdir(DEMONET_WWW);
}

/*
 * The request's path, checked: "/name" or "/dir/name" of [A-Za-z0-9._-],
 * no "..", no empty components; "/" means "/index.html".  Into path as
 * DEMONET_WWW + it; 0 or an errno.
 */
static int demonet_req_path(const char *req, int len, char *path, int cap)
{
	int i, plen = 0, start;
	char c;

	if (len < 5 || __builtin_memcmp(req, "GET /", 5) != 0)
		return RUMP_EINVAL;
	path[0] = '\0';
	if (demonet_cat(path, cap, &plen, DEMONET_WWW))
		return RUMP_ENAMETOOLONG;
	start = plen;
	for (i = 4; i < len && req[i] != ' ' && req[i] != '\r'; i++) {
		c = req[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-' || c == '/'))
			return RUMP_EINVAL;
		if (c == '/' && path[plen - 1] == '/')
			return RUMP_EINVAL;
		if (c == '.' && path[plen - 1] == '.')
			return RUMP_EINVAL;
		if (plen + 1 >= cap)
			return RUMP_ENAMETOOLONG;
		path[plen++] = c;
		path[plen] = '\0';
	}
	if (plen == start + 1 &&
	    demonet_cat(path, cap, &plen, "index.html"))
		return RUMP_ENAMETOOLONG;
	return path[plen - 1] == '/' ? RUMP_EINVAL : 0;
}

/* Send one response header with the given status and length. */
static int demonet_header(const struct demonet_env *env, int s,
    const char *status, long long length)
{
	char hdr[192];
	int len = 0;

	hdr[0] = '\0';
	demonet_cat(hdr, sizeof(hdr), &len, "HTTP/1.0 ");
	demonet_cat(hdr, sizeof(hdr), &len, status);
	demonet_cat(hdr, sizeof(hdr), &len, "\r\nServer: rump-demonet\r\n"
	    "Connection: close\r\nContent-Length: ");
	len += demonet_utoa((unsigned long long)length, hdr + len);
	hdr[len] = '\0';
	demonet_cat(hdr, sizeof(hdr), &len, "\r\n\r\n");
	return demonet_write_all(env, s, hdr, (rump_size_t)len);
}

/* Answer the request on connection s; 0 or the errno that ended it. */
static int demonet_answer(struct demonet_ctx *dc, int s)
{
	static const char notfound[] = "not found\n";
	const struct demonet_env *env = dc->dc_env;
	char path[DEMONET_PATH_MAX], *req = dc->dc_buf;
	struct rump_stat st;
	rump_ssize_t rv;
	int len = 0, fd, error;
	long long sent = 0;

	error = demonet_set_timeouts(s, DEMONET_TICK_MS);
	if (error)
		return error;
	/* the request head, up to its blank line */
	for (;;) {
		if (len >= DEMONET_REQ_MAX)
			return RUMP_EMSGSIZE;
		rv = demonet_read(env, s, req + len, DEMONET_REQ_MAX - len);
		if (rv <= 0)
			return rv == 0 ? RUMP_EPIPE : (int)-rv;
		len += (int)rv;
		req[len] = '\0';
		if (__builtin_strstr(req, "\r\n\r\n") != 0 ||
		    __builtin_strstr(req, "\n\n") != 0)
			break;
	}
	error = demonet_req_path(req, len, path, sizeof(path));
	if (error) {
		demonet_say(dc, "bad request refused");
		return demonet_header(env, s, "400 Bad Request", 0);
	}
	fd = rump_sys_open(path, RUMP_O_RDONLY);
	if (fd == -1 || rump_sys_fstat(fd, &st) == -1 ||
	    (st.st_mode & RUMP_S_IFMT) != RUMP_S_IFREG) {
		if (fd != -1)
			(void)rump_sys_close(fd);
		demonet_say(dc, "GET %s: 404", path + sizeof(DEMONET_WWW) - 1);
		error = demonet_header(env, s, "404 Not Found",
		    sizeof(notfound) - 1);
		if (error == 0)
			error = demonet_write_all(env, s, notfound,
			    sizeof(notfound) - 1);
		return error;
	}
	error = demonet_header(env, s, "200 OK", st.st_size);
	while (error == 0 && (rv = rump_sys_read(fd, dc->dc_buf,
	    DEMONET_BUF)) != 0) {
		if (rv == -1) {
			error = demonet_errno();
			break;
		}
		error = demonet_write_all(env, s, dc->dc_buf, (rump_size_t)rv);
		if (error == 0)
			sent += rv;
	}
	if (rump_sys_close(fd) == -1 && error == 0)
		error = demonet_errno();
	if (error == 0)
		demonet_say(dc, "GET %s: 200, %lld bytes sent",
		    path + sizeof(DEMONET_WWW) - 1, sent);
	else
		demonet_say(dc, "GET %s: stopped after %lld of %lld bytes: "
		    "error %d", path + sizeof(DEMONET_WWW) - 1, sent,
		    (long long)st.st_size, error);
	return error;
}

/*
 * Serve HTTP/1.0 on dn_port until dn_should_stop() is nonzero (checked
 * every 250 ms) or after max_conns connections (0: no limit).  A failed
 * connection is reported and closed; the server goes on.
 */
static int demonet_serve(struct demonet_ctx *dc, int max_conns)
{
	const struct demonet_env *env = dc->dc_env;
	struct rump_sockaddr_in sin = demonet_sin(0, env->dn_port);
	struct rump_pollfd pfd;
	int ls, s, one = 1, error = 0, nconn = 0;

	dc->dc_step = "serve";
	ls = rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_STREAM, 0);
	if (ls == -1)
		return demonet_fail(dc, "socket", demonet_errno());
	if (rump_sys_setsockopt(ls, RUMP_SOL_SOCKET, RUMP_SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    rump_sys_bind(ls, (struct rump_sockaddr *)&sin,
	    sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 8) == -1) {
		error = demonet_fail(dc, "listen", demonet_errno());
		goto out_close;
	}
	demonet_say(dc, "serving HTTP on port %d", env->dn_port);
	while (!env->dn_should_stop() &&
	    (max_conns == 0 || nconn < max_conns)) {
		pfd.fd = ls;
		pfd.events = RUMP_POLLIN;
		pfd.revents = 0;
		if (rump_sys_poll(&pfd, 1, 250) == -1) {
			error = demonet_fail(dc, "poll", demonet_errno());
			break;
		}
		if ((pfd.revents & RUMP_POLLIN) == 0)
			continue;
		s = rump_sys_accept(ls, 0, 0);
		if (s == -1) {
			error = demonet_fail(dc, "accept", demonet_errno());
			break;
		}
		nconn++;
		error = demonet_answer(dc, s);
		if (error)
			demonet_say(dc, "connection %d failed: error %d", nconn,
			    error);
		else
			dc->dc_served++;
		if (rump_sys_close(s) == -1)
			demonet_say(dc, "connection %d: close failed: error %d",
			    nconn, demonet_errno());
		error = 0;
	}
	demonet_say(dc, "server stopped after %d connections", nconn);
out_close:
	if (rump_sys_close(ls) == -1 && error == 0)
		error = demonet_fail(dc, "close", demonet_errno());
	return error;
}
