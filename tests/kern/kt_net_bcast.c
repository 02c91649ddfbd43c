/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_bcast.c: kernel-side tests of UDP broadcast (SO_BROADCAST,
 * limited and subnet-directed broadcasts out and in) and of sockets
 * bound to an interface (in_socket_bindif), on test wires
 * (kt_net_wire.h) whose other stations the tests play.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/uio.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <netinet/in.h>
#include <netinet/ip_var.h>

#include "ktest.h"
#include "kt_net_wire.h"

#define KB_MAXSEEN	8

/* What the wire saw (UDP frames only), under net_lock. */
struct kb_seen {
	u_int			ks_n;
	struct {
		uint8_t		dmac[ETHER_ADDR_LEN];
		uint32_t	sip, dip;
		uint16_t	dport;
	}			ks_f[KB_MAXSEEN];
};

static void
kb_tx(struct ktwire *kw, const uint8_t *frame, size_t len)
{
	struct kb_seen *ks = kw->kw_arg;
	struct ktwire_udp ku;

	if (!ktwire_udp_parse(frame, len, &ku) || ks->ks_n >= KB_MAXSEEN)
		return;
	memcpy(ks->ks_f[ks->ks_n].dmac, ku.ku_dmac, ETHER_ADDR_LEN);
	ks->ks_f[ks->ks_n].sip = ku.ku_sip;
	ks->ks_f[ks->ks_n].dip = ku.ku_dip;
	ks->ks_f[ks->ks_n].dport = ku.ku_dport;
	ks->ks_n++;
}

static struct sockaddr_in
kb_sin(uint32_t host_addr, uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(host_addr);
	return sin;
}

/* A UDP socket bound to addr:port (SO_REUSEADDR), or NULL. */
static struct socket *
kb_udp(uint32_t addr, uint16_t port)
{
	struct sockaddr_in sin = kb_sin(addr, port);
	struct socket *so;
	int one = 1;

	if (socreate(AF_INET, SOCK_DGRAM, 0, &so) != 0)
		return NULL;
	if (sosetopt(so, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (port != 0 && sobind(so, (struct sockaddr *)&sin) != 0)) {
		soclose(so);
		return NULL;
	}
	return so;
}

static int
kb_send(struct socket *so, uint32_t dst, uint16_t port)
{
	struct sockaddr_in sin = kb_sin(dst, port);
	char data[4] = "bc!";
	struct iovec iov = { data, sizeof(data) };
	struct uio uio = {
		.uio_iov = &iov, .uio_iovcnt = 1, .uio_resid = sizeof(data),
		.uio_rw = UIO_WRITE, .uio_segflg = UIO_SYSSPACE,
	};

	return sosend(so, (struct sockaddr *)&sin, &uio, 0, false);
}

/* Bytes of the next datagram waiting up to ms, or -errno. */
static int
kb_recv(struct socket *so, int ms)
{
	char buf[64];
	struct iovec iov = { buf, sizeof(buf) };
	struct uio uio = {
		.uio_iov = &iov, .uio_iovcnt = 1, .uio_resid = sizeof(buf),
		.uio_rw = UIO_READ, .uio_segflg = UIO_SYSSPACE,
	};
	int i, flags = 0, error;

	for (i = 0; i <= ms; i += 5) {
		error = soreceive(so, NULL, NULL, &uio, &flags, true);
		if (error != EWOULDBLOCK)
			return error != 0 ? -error : (int)(sizeof(buf) -
			    uio.uio_resid);
		kpause("kbrecv", false, mstohz(5), NULL);
	}
	return -EWOULDBLOCK;
}

/* A broadcast frame from 10.3.0.9:7 to dip:port injected into kw. */
static void
kb_inject(struct ktwire *kw, uint32_t dip, uint16_t port)
{
	static const uint8_t peer[6] = { 0x02, 0, 0, 0, 0x33, 0x09 };
	uint8_t f[128];
	size_t len;

	len = ktwire_udp_frame(f, etherbroadcastaddr, peer, 0x0a030009, dip,
	    7, port, "in", 2);
	(void)ktwire_inject(kw, f, len);
}

static const uint8_t kb_lla0[6] = { 0x02, 0, 0, 0, 0x30, 0x01 };
static const uint8_t kb_lla1[6] = { 0x02, 0, 0, 0, 0x31, 0x01 };

static struct in_addr
kb_a(uint32_t host)
{
	struct in_addr a = { htonl(host) };
	return a;
}

KTEST(net_bcast, send_needs_so_broadcast_and_goes_to_ff_mac)
{
	struct kb_seen seen;
	struct ktwire *w;
	struct socket *so;
	int one = 1;

	memset(&seen, 0, sizeof(seen));
	KT_REQUIRE(ktwire_create("kbw0", kb_lla0, kb_tx, &seen, &w) == 0);
	NET_LOCK();
	if_up(&w->kw_if);
	KT_CHECK_EQ(in_ifaddr_add(&w->kw_if, kb_a(0x0a030001),
	    kb_a(0xffffff00)), 0);
	NET_UNLOCK();
	so = kb_udp(0, 0);
	KT_REQUIRE(so != NULL);
	KT_CHECK_EQ(kb_send(so, 0xffffffff, 9), EACCES);
	KT_CHECK_EQ(kb_send(so, 0x0a0300ff, 9), EACCES);
	KT_CHECK_EQ(sosetopt(so, SOL_SOCKET, SO_BROADCAST, &one,
	    sizeof(one)), 0);
	KT_CHECK_EQ(kb_send(so, 0xffffffff, 9), 0);
	KT_CHECK_EQ(kb_send(so, 0x0a0300ff, 10), 0);
	NET_LOCK();
	KT_CHECK_EQ(seen.ks_n, 2);
	KT_CHECK(memcmp(seen.ks_f[0].dmac, etherbroadcastaddr, 6) == 0);
	KT_CHECK(memcmp(seen.ks_f[1].dmac, etherbroadcastaddr, 6) == 0);
	KT_CHECK_EQ(seen.ks_f[0].sip, 0x0a030001);
	KT_CHECK_EQ(seen.ks_f[0].dip, 0xffffffff);
	KT_CHECK_EQ(seen.ks_f[1].dip, 0x0a0300ff);
	KT_CHECK_EQ(seen.ks_f[1].dport, 10);
	NET_UNLOCK();
	soclose(so);
	ktwire_destroy(w);
}

KTEST(net_bcast, receive_reaches_wildcard_sockets_of_the_port)
{
	struct ktwire *w;
	struct socket *any, *other, *byaddr;

	KT_REQUIRE(ktwire_create("kbw0", kb_lla0, NULL, NULL, &w) == 0);
	NET_LOCK();
	if_up(&w->kw_if);
	KT_CHECK_EQ(in_ifaddr_add(&w->kw_if, kb_a(0x0a030001),
	    kb_a(0xffffff00)), 0);
	NET_UNLOCK();
	any = kb_udp(0, 5000);
	byaddr = kb_udp(0x0a030001, 5000);
	other = kb_udp(0, 5001);
	KT_REQUIRE(any != NULL && byaddr != NULL && other != NULL);
	kb_inject(w, 0xffffffff, 5000);
	KT_CHECK_EQ(kb_recv(any, 2000), 2);
	kb_inject(w, 0x0a0300ff, 5000);
	KT_CHECK_EQ(kb_recv(any, 2000), 2);
	/* Neither reached the socket bound to the unicast address, nor
	 * the other port. */
	KT_CHECK_EQ(kb_recv(byaddr, 0), -EWOULDBLOCK);
	KT_CHECK_EQ(kb_recv(other, 0), -EWOULDBLOCK);
	soclose(other);
	soclose(byaddr);
	soclose(any);
	ktwire_destroy(w);
}

KTEST(net_bcast, bound_socket_sends_from_zero_and_hears_only_its_if)
{
	struct kb_seen seen0, seen1;
	struct ktwire *w0, *w1;
	struct socket *so, *free_so, *raw;
	int one = 1;

	memset(&seen0, 0, sizeof(seen0));
	memset(&seen1, 0, sizeof(seen1));
	KT_REQUIRE(ktwire_create("kbw0", kb_lla0, kb_tx, &seen0, &w0) == 0);
	KT_REQUIRE(ktwire_create("kbw1", kb_lla1, kb_tx, &seen1, &w1) == 0);
	NET_LOCK();
	if_up(&w0->kw_if);
	if_up(&w1->kw_if);
	KT_CHECK_EQ(in_ifaddr_add(&w0->kw_if, kb_a(0x0a030001),
	    kb_a(0xffffff00)), 0);
	NET_UNLOCK();
	so = kb_udp(0, 6800);
	free_so = kb_udp(0, 6801);
	KT_REQUIRE(so != NULL && free_so != NULL);
	KT_CHECK_EQ(sosetopt(so, SOL_SOCKET, SO_BROADCAST, &one,
	    sizeof(one)), 0);
	KT_CHECK_EQ(sosetopt(free_so, SOL_SOCKET, SO_BROADCAST, &one,
	    sizeof(one)), 0);

	/* Unbound: the first up broadcast interface with an address. */
	KT_CHECK_EQ(kb_send(free_so, 0xffffffff, 67), 0);
	/* Bound to the address-less kbw1: out there, from 0.0.0.0. */
	KT_CHECK_EQ(in_socket_bindif(so, w1->kw_if.if_index, 0), 0);
	KT_CHECK_EQ(kb_send(so, 0xffffffff, 67), 0);
	/* ... and nowhere else. */
	KT_CHECK_EQ(kb_send(so, 0x0a030005, 67), ENETUNREACH);
	NET_LOCK();
	KT_CHECK_EQ(seen0.ks_n, 1);
	KT_CHECK_EQ(seen0.ks_f[0].sip, 0x0a030001);
	KT_CHECK_EQ(seen1.ks_n, 1);
	KT_CHECK_EQ(seen1.ks_f[0].sip, 0);
	KT_CHECK_EQ(seen1.ks_f[0].dip, 0xffffffff);
	KT_CHECK(memcmp(seen1.ks_f[0].dmac, etherbroadcastaddr, 6) == 0);
	NET_UNLOCK();

	/* Input: what arrives on kbw0 does not reach the kbw1 socket. */
	kb_inject(w0, 0xffffffff, 6800);
	kb_inject(w0, 0xffffffff, 6801);
	KT_CHECK_EQ(kb_recv(free_so, 2000), 2);
	KT_CHECK_EQ(kb_recv(so, 0), -EWOULDBLOCK);
	kb_inject(w1, 0xffffffff, 6800);
	KT_CHECK_EQ(kb_recv(so, 2000), 2);

	/* Unbinding restores the normal rules; bad requests fail. */
	KT_CHECK_EQ(in_socket_bindif(so, 0, 0), 0);
	KT_CHECK_EQ(kb_send(so, 0xffffffff, 67), 0);
	KT_CHECK_EQ(in_socket_bindif(so, 9999, 0), ENXIO);
	KT_CHECK_EQ(in_socket_bindif(so, w1->kw_if.if_index, 0x80), EINVAL);
	KT_REQUIRE(socreate(AF_INET, SOCK_RAW, IPPROTO_ICMP, &raw) == 0);
	KT_CHECK_EQ(in_socket_bindif(raw, w1->kw_if.if_index, 0), EOPNOTSUPP);
	soclose(raw);
	NET_LOCK();
	KT_CHECK_EQ(seen0.ks_n, 2);
	KT_CHECK_EQ(seen1.ks_n, 1);
	NET_UNLOCK();
	soclose(free_so);
	soclose(so);
	ktwire_destroy(w1);
	ktwire_destroy(w0);
}
