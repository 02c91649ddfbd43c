/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * guest_nbench.c: the Linux-side TCP benchmark peer of `make bench`, a
 * small static program run INSIDE the qemu guest (the Makefile builds it
 * with `gcc -static` as build/guest/nbench; scripts/guest-test.sh puts it
 * into the guest image as /guest/nbench).
 *
 * Roles (the rump side has the same ones, tests/kmod/netbench):
 *   nbench sink PORT              accept one connection, read to EOF;
 *                                 prints "NBENCH sink <bytes> <us>"
 *   nbench source ADDR PORT BYTES connect, send BYTES (64 KiB writes),
 *                                 close; prints "NBENCH source <bytes> <us>"
 *   nbench echo PORT              accept one connection, echo every byte
 *                                 back until EOF
 *   nbench rr ADDR PORT SECONDS   connect, then send one byte and wait
 *                                 for it back, again and again for
 *                                 SECONDS; prints "NBENCH rr <n> <us>"
 * Times are from the first byte (sink) or connect (source, rr) to the
 * last, in microseconds of CLOCK_MONOTONIC.  TCP_NODELAY is set for rr
 * and echo.  Exit status 0 on success, 1 with a message on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NB_BUF	(64 * 1024)

static char nb_buf[NB_BUF];

static long long nb_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int nb_die(const char *what)
{
	fprintf(stderr, "nbench: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Listen on port, accept one connection; its fd or -1. */
static int nb_accept(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int ls, s, one = 1;

	sin.sin_port = htons((unsigned short)port);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls == -1)
		return -1;
	if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(ls, 1) == -1) {
		close(ls);
		return -1;
	}
	s = accept(ls, NULL, NULL);
	close(ls);
	return s;
}

static int nb_connect(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int s;

	sin.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s == -1)
		return -1;
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(s);
		return -1;
	}
	return s;
}

static int nb_sink(int port)
{
	long long total = 0, t0 = 0;
	ssize_t n;
	int s;

	s = nb_accept(port);
	if (s == -1)
		return nb_die("accept");
	while ((n = read(s, nb_buf, sizeof(nb_buf))) > 0) {
		if (total == 0)
			t0 = nb_now_us();
		total += n;
	}
	if (n == -1)
		return nb_die("read");
	printf("NBENCH sink %lld %lld\n", total, nb_now_us() - t0);
	close(s);
	return 0;
}

static int nb_source(const char *addr, int port, long long bytes)
{
	long long left = bytes, t0;
	ssize_t n;
	int s;

	memset(nb_buf, 'x', sizeof(nb_buf));
	s = nb_connect(addr, port);
	if (s == -1)
		return nb_die("connect");
	t0 = nb_now_us();
	while (left > 0) {
		n = write(s, nb_buf, left < NB_BUF ? (size_t)left : NB_BUF);
		if (n <= 0)
			return nb_die("write");
		left -= n;
	}
	shutdown(s, SHUT_WR);
	/* wait for the peer's close: every byte arrived */
	while ((n = read(s, nb_buf, sizeof(nb_buf))) > 0)
		;
	printf("NBENCH source %lld %lld\n", bytes, nb_now_us() - t0);
	close(s);
	return 0;
}

static int nb_echo(int port)
{
	ssize_t n;
	int s, one = 1;

	s = nb_accept(port);
	if (s == -1)
		return nb_die("accept");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while ((n = read(s, nb_buf, sizeof(nb_buf))) > 0)
		if (write(s, nb_buf, (size_t)n) != n)
			return nb_die("write");
	close(s);
	return n == 0 ? 0 : nb_die("read");
}

static int nb_rr(const char *addr, int port, int seconds)
{
	long long t0, end, n = 0, now;
	char c = 'r';
	int s, one = 1;

	s = nb_connect(addr, port);
	if (s == -1)
		return nb_die("connect");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t0 = nb_now_us();
	end = t0 + seconds * 1000000LL;
	do {
		if (write(s, &c, 1) != 1)
			return nb_die("write");
		if (read(s, &c, 1) != 1)
			return nb_die("read");
		n++;
		now = nb_now_us();
	} while (now < end);
	printf("NBENCH rr %lld %lld\n", n, now - t0);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "sink") == 0)
		return nb_sink(atoi(argv[2]));
	if (argc == 5 && strcmp(argv[1], "source") == 0)
		return nb_source(argv[2], atoi(argv[3]), atoll(argv[4]));
	if (argc == 3 && strcmp(argv[1], "echo") == 0)
		return nb_echo(atoi(argv[2]));
	if (argc == 5 && strcmp(argv[1], "rr") == 0)
		return nb_rr(argv[2], atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: nbench sink PORT | source ADDR PORT BYTES | "
	    "echo PORT | rr ADDR PORT SECONDS\n");
	return 2;
}
