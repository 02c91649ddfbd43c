/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_tcp_xfer.c: kernel-side tests of TCP data transfer and timers
 * over lo0 with the test's lo0 hook (kt_net_tcp_util.c): bulk transfers
 * through seeded loss, duplication and reordering (retransmission, fast
 * retransmit / NewReno, reassembly counters must move and the bytes must
 * arrive intact), the persist timer against a zero window, keepalive
 * timing out a silent peer, connection establishment timing out, and
 * TIME_WAIT ending after 2 * MSL.  Timers are shortened through
 * tcp_params (reset at every boot).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "../../rumpsrc/netinet/in_pcb.h"
#include "../../rumpsrc/netinet/tcp_var.h"
#include "kt_net_tcp.h"
#include "ktest.h"

#define KT_WAIT(cond, ms) do {						\
	int kt_w_;							\
	for (kt_w_ = 0; kt_w_ < (ms); kt_w_ += 5) {			\
		bool kt_ok_;						\
		NET_LOCK();						\
		kt_ok_ = (cond);					\
		NET_UNLOCK();						\
		if (kt_ok_)						\
			break;						\
		kpause("ktwait", false, mstohz(5), NULL);		\
	}								\
} while (0)

static uint8_t
kt_byte(uint64_t off)
{
	return (uint8_t)((off * 2654435761u) >> 11);
}

struct kt_sender {
	struct socket	*ks_so;
	size_t		ks_total;
	int		ks_error;
};

static void
kt_sender_thread(void *arg)
{
	struct kt_sender *s = arg;
	uint8_t *buf = kmem_alloc(8192, KM_SLEEP);
	size_t off = 0, n, sent, i;

	while (off < s->ks_total && s->ks_error == 0) {
		n = MIN((size_t)8192 - off % 97, s->ks_total - off);
		for (i = 0; i < n; i++)
			buf[i] = kt_byte(off + i);
		s->ks_error = kt_so_send(s->ks_so, buf, n, &sent);
		off += sent;
	}
	if (s->ks_error == 0)
		s->ks_error = soshutdown(s->ks_so, SHUT_WR);
	kmem_free(buf, 8192);
	kthread_exit(0);
}

/* A connected pair (client c, accepted s) on port; MSS cap mss. */
static int
kt_pair(uint16_t port, int mss, struct socket **cp, struct socket **sp)
{
	struct socket *l;
	int error;

	error = kt_tcp_listen(port, 5, &l);
	if (error != 0)
		return error;
	if (mss > 0) {
		socklen_t len = sizeof(mss);
		error = sosetopt(l, IPPROTO_TCP, TCP_MAXSEG, &mss, len);
	}
	if (error == 0)
		error = kt_tcp_connect(port, false, cp);
	if (error == 0) {
		if (mss > 0)
			(void)sosetopt(*cp, IPPROTO_TCP, TCP_MAXSEG, &mss,
			    sizeof(mss));
		error = soaccept(l, false, sp);
		if (error != 0)
			soclose(*cp);
	}
	soclose(l);
	return error;
}

/* Send total bytes c -> s through the hook's impairment; check them. */
static void
kt_lossy_transfer(struct ktest_ctx *ctx, struct kt_lohook *h, uint16_t port,
    size_t total)
{
	struct kt_sender snd;
	struct socket *c, *s;
	struct lwp *l;
	uint8_t *buf;
	size_t off = 0, got, i;
	int error;

	KT_REQUIRE(kt_pair(port, 1400, &c, &s) == 0);
	kt_lohook_install(h);
	snd.ks_so = c;
	snd.ks_total = total;
	snd.ks_error = 0;
	KT_REQUIRE(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    kt_sender_thread, &snd, &l, "ktsend") == 0);
	buf = kmem_alloc(10000, KM_SLEEP);
	for (;;) {
		error = kt_so_recv(s, buf, 10000 - off % 13, 0, &got);
		if (error != 0 || got == 0)
			break;
		for (i = 0; i < got; i++) {
			if (buf[i] != kt_byte(off + i)) {
				KT_CHECK_MSG(false, "byte %zu differs",
				    off + i);
				break;
			}
		}
		off += got;
		if (ktest_failed(ctx))
			break;
	}
	KT_CHECK_EQ(error, 0);
	KT_CHECK_EQ(off, total);
	if (off != total)	/* unblock the sender */
		(void)soshutdown(c, SHUT_RDWR);
	kthread_join(l);
	KT_CHECK_EQ(snd.ks_error, 0);
	kmem_free(buf, 10000);
	kt_lohook_remove(h);
	soclose(c);
	soclose(s);
}

KTEST(net_tcp, transfer_through_loss_dup_and_reorder)
{
	struct kt_lohook h = {
		.lh_loss = 3, .lh_dup = 3, .lh_reorder = 5, .lh_seed = 42,
	};
	uint64_t rx0 = tcpstat[TCP_STAT_SNDREXMITPACK];
	uint64_t oo0 = tcpstat[TCP_STAT_RCVOOPACK];
	uint64_t dup0 = tcpstat[TCP_STAT_RCVDUPPACK];
	uint64_t fr0 = tcpstat[TCP_STAT_FASTREXMT];

	tcp_params.tp_rto_min_ms = 30;
	kt_lossy_transfer(ctx, &h, 9200, 3u * 1024 * 1024);
	KT_CHECK(h.lh_lost > 0 && h.lh_duped > 0 && h.lh_reordered > 0);
	KT_CHECK(tcpstat[TCP_STAT_SNDREXMITPACK] > rx0);
	KT_CHECK(tcpstat[TCP_STAT_RCVOOPACK] > oo0);
	KT_CHECK(tcpstat[TCP_STAT_RCVDUPPACK] > dup0);
	KT_CHECK(tcpstat[TCP_STAT_FASTREXMT] > fr0);
	printf("ktest: net_tcp: lost %u dup %u reordered %u; rexmit %llu "
	    "fast %llu partial %llu timeouts %llu\n", h.lh_lost, h.lh_duped,
	    h.lh_reordered,
	    (unsigned long long)(tcpstat[TCP_STAT_SNDREXMITPACK] - rx0),
	    (unsigned long long)(tcpstat[TCP_STAT_FASTREXMT] - fr0),
	    (unsigned long long)tcpstat[TCP_STAT_PARTIALACK],
	    (unsigned long long)tcpstat[TCP_STAT_REXMTTIMEO]);
}

KTEST(net_tcp, transfer_through_heavy_loss)
{
	struct kt_lohook h = { .lh_loss = 15, .lh_seed = 7 };
	uint64_t to0 = tcpstat[TCP_STAT_REXMTTIMEO];

	tcp_params.tp_rto_min_ms = 20;
	kt_lossy_transfer(ctx, &h, 9201, 300u * 1024);
	KT_CHECK(tcpstat[TCP_STAT_REXMTTIMEO] > to0);
}

/* The receiver does not read: the window closes, the sender probes it
 * (persist), and everything arrives once the reader wakes up. */
KTEST(net_tcp, zero_window_persist_then_drain)
{
	struct socket *c, *s, *l;
	static uint8_t buf[65536];
	size_t sent, got, total = 0, want;
	int rcv = 8192;
	uint64_t p0 = tcpstat[TCP_STAT_PERSISTTIMEO];

	tcp_params.tp_persist_min_ms = 50;
	KT_REQUIRE(kt_tcp_listen(9202, 5, &l) == 0);
	/* A small window, inherited by the accepted socket. */
	KT_CHECK(sosetopt(l, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) == 0);
	KT_REQUIRE(kt_tcp_connect(9202, false, &c) == 0);
	KT_REQUIRE(soaccept(l, false, &s) == 0);
	soclose(l);
	memset(buf, 0x33, sizeof(buf));
	want = 60000;
	KT_REQUIRE(kt_so_send(c, buf, want, &sent) == 0 && sent == want);
	KT_WAIT(tcpstat[TCP_STAT_PERSISTTIMEO] >= p0 + 2, 3000);
	KT_CHECK(tcpstat[TCP_STAT_PERSISTTIMEO] >= p0 + 2);
	KT_CHECK(tcpstat[TCP_STAT_SNDPROBE] > 0);
	while (total < want) {
		KT_REQUIRE(kt_so_recv(s, buf, sizeof(buf), 0, &got) == 0 &&
		    got > 0);
		total += got;
	}
	KT_CHECK_EQ(total, want);
	soclose(c);
	soclose(s);
}

/* A peer that goes silent: keepalive probes, then ETIMEDOUT. */
KTEST(net_tcp, keepalive_times_out_a_silent_peer)
{
	struct kt_lohook h = { .lh_drop_all = false };
	struct socket *c, *s;
	int one = 1;
	uint64_t kp0 = tcpstat[TCP_STAT_KEEPPROBE];
	uint64_t kd0 = tcpstat[TCP_STAT_KEEPDROP];

	KT_REQUIRE(kt_pair(9203, 0, &c, &s) == 0);
	KT_CHECK(sosetopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one))
	    == 0);
	KT_CHECK(sosetopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof(one))
	    == 0);
	KT_CHECK(sosetopt(c, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof(one))
	    == 0);
	KT_CHECK(sosetopt(c, IPPROTO_TCP, TCP_KEEPCNT, &one, sizeof(one))
	    == 0);
	/* Probes are answered while the path works. */
	KT_WAIT(tcpstat[TCP_STAT_KEEPPROBE] >= kp0 + 1, 3000);
	KT_CHECK(tcpstat[TCP_STAT_KEEPPROBE] >= kp0 + 1);
	KT_CHECK(c->so_state & SS_ISCONNECTED);
	/* Now the peer is gone. */
	h.lh_drop_all = true;
	kt_lohook_install(&h);
	KT_WAIT(c->so_error != 0, 6000);
	KT_CHECK_EQ(c->so_error, ETIMEDOUT);
	KT_CHECK_EQ(tcpstat[TCP_STAT_KEEPDROP], kd0 + 1);
	kt_lohook_remove(&h);
	soclose(c);
	soclose(s);
}

/* SYNs into a black hole: the connection-establishment timer (and the
 * SYN retransmissions before it) end the attempt with ETIMEDOUT. */
KTEST(net_tcp, connect_times_out)
{
	struct kt_lohook h = { .lh_drop_all = true };
	struct socket *c;
	uint64_t rx0 = tcpstat[TCP_STAT_REXMTTIMEO];
	int error;

	tcp_params.tp_keepinit_ms = 800;
	tcp_params.tp_rto_init_ms = 100;
	kt_lohook_install(&h);
	error = kt_tcp_connect(9204, false, &c);
	KT_CHECK_EQ(error, ETIMEDOUT);
	KT_CHECK(tcpstat[TCP_STAT_REXMTTIMEO] >= rx0 + 2);
	kt_lohook_remove(&h);	/* kt_tcp_connect closed c on failure */
}

/* The active closer keeps TIME_WAIT for 2 * MSL, then it is gone. */
KTEST(net_tcp, time_wait_ends_after_2msl)
{
	struct socket *c, *s;
	uint8_t b;
	size_t got;

	tcp_params.tp_msl_ms = 100;
	KT_REQUIRE(kt_pair(9205, 0, &c, &s) == 0);
	soclose(c);
	KT_CHECK(kt_so_recv(s, &b, 1, 0, &got) == 0 && got == 0);
	soclose(s);
	KT_WAIT(tcbtable.it_count == 1, 1000);
	NET_LOCK();
	KT_CHECK_EQ(tcbtable.it_count, 1);	/* the TIME_WAIT one */
	KT_CHECK_EQ(intotcpcb(LIST_FIRST(&tcbtable.it_list))->t_state,
	    TCPS_TIME_WAIT);
	NET_UNLOCK();
	KT_WAIT(tcbtable.it_count == 0, 2000);
	NET_LOCK();
	KT_CHECK_EQ(tcbtable.it_count, 0);
	NET_UNLOCK();
}
