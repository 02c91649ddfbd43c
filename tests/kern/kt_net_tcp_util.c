/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_net_tcp_util.c: helpers of the kernel-side TCP tests (see
 * kt_net_tcp.h): the lo0 hook with capture and seeded impairment,
 * building and parsing segments, kernel sockets on kernel buffers.
 * No test cases here.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/uio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>

#include "../../rumpsrc/netinet/inet_private.h"
#include "kt_net_tcp.h"

static struct kt_lohook *kt_hook;	/* under net_lock */

static uint32_t
kt_rand(struct kt_lohook *h)
{
	h->lh_seed = h->lh_seed * 1103515245u + 12345u;
	return (h->lh_seed >> 16) % 100;
}

static void
kt_loop_one(struct ifnet *ifp, struct mbuf *m)
{
	m->m_flags |= M_LOOP;
	if_input_enqueue(ifp, m);
}

/* lo0's start routine while hooked (net_lock held). */
static void
kt_lohook_start(struct ifnet *ifp)
{
	struct kt_lohook *h = kt_hook;
	struct mbuf *m, *d;
	struct ip *ip;

	while ((m = if_dequeue_snd(ifp)) != NULL) {
		ip = mtod(m, struct ip *);
		if (h->lh_capture.s_addr != 0 &&
		    ip->ip_dst.s_addr == h->lh_capture.s_addr) {
			m->m_nextpkt = NULL;
			*h->lh_captail = m;
			h->lh_captail = &m->m_nextpkt;
			h->lh_captured++;
			continue;
		}
		if (h->lh_drop_all || (h->lh_loss && kt_rand(h) <
		    h->lh_loss)) {
			h->lh_lost++;
			m_freem(m);
			continue;
		}
		if (h->lh_dup && kt_rand(h) < h->lh_dup) {
			d = m_copym(m, 0, M_COPYALL, M_NOWAIT);
			if (d != NULL) {
				h->lh_duped++;
				kt_loop_one(ifp, d);
			}
		}
		if (h->lh_held == NULL && h->lh_reorder &&
		    kt_rand(h) < h->lh_reorder) {
			h->lh_held = m;
			h->lh_reordered++;
			continue;
		}
		kt_loop_one(ifp, m);
		if (h->lh_held != NULL) {
			kt_loop_one(ifp, h->lh_held);
			h->lh_held = NULL;
		}
	}
}

void
kt_lohook_install(struct kt_lohook *h)
{
	NET_LOCK();
	h->lh_caphead = NULL;
	h->lh_captail = &h->lh_caphead;
	h->lh_held = NULL;
	h->lh_saved_start = lo0ifp->if_start;
	kt_hook = h;
	lo0ifp->if_start = kt_lohook_start;
	NET_UNLOCK();
}

void
kt_lohook_remove(struct kt_lohook *h)
{
	NET_LOCK();
	lo0ifp->if_start = h->lh_saved_start;
	kt_hook = NULL;
	m_freem_queue(h->lh_caphead);
	h->lh_caphead = NULL;
	h->lh_captail = &h->lh_caphead;
	m_freem(h->lh_held);
	h->lh_held = NULL;
	NET_UNLOCK();
}

struct mbuf *
kt_lohook_take(struct kt_lohook *h)
{
	struct mbuf *m = h->lh_caphead;

	if (m == NULL)
		return NULL;
	h->lh_caphead = m->m_nextpkt;
	if (h->lh_caphead == NULL)
		h->lh_captail = &h->lh_caphead;
	m->m_nextpkt = NULL;
	return m;
}

bool
kt_seg_parse(struct mbuf *m, struct kt_seg *ks)
{
	uint8_t buf[IP_MAXHLEN + TCP_MAXHLEN];
	struct tcphdr *th;
	struct ip *ip;
	int len = m->m_pkthdr.len, hlen, off, i, olen;
	const uint8_t *o;

	memset(ks, 0, sizeof(*ks));
	ks->ks_ws = -1;
	if (len < IP_MINHLEN + (int)sizeof(*th)) {
		m_freem(m);
		return false;
	}
	m_copydata(m, 0, MIN(len, (int)sizeof(buf)), buf);
	ip = (struct ip *)buf;
	hlen = IP_HL(ip);
	th = (struct tcphdr *)(buf + hlen);
	off = TH_OFF(th) << 2;
	ks->ks_seq = ntohl(th->th_seq);
	ks->ks_ack = ntohl(th->th_ack);
	ks->ks_flags = th->th_flags;
	ks->ks_win = ntohs(th->th_win);
	ks->ks_len = len - hlen - off;
	o = (const uint8_t *)(th + 1);
	for (i = 0; i < off - (int)sizeof(*th); i += olen) {
		if (o[i] == TCPOPT_EOL)
			break;
		if (o[i] == TCPOPT_NOP) {
			olen = 1;
			continue;
		}
		olen = o[i + 1];
		if (olen < 2)
			break;
		if (o[i] == TCPOPT_MAXSEG)
			ks->ks_mss = (uint16_t)(o[i + 2] << 8 | o[i + 3]);
		if (o[i] == TCPOPT_WINDOW)
			ks->ks_ws = o[i + 2];
		if (o[i] == TCPOPT_TIMESTAMP) {
			ks->ks_have_ts = true;
			memcpy(&ks->ks_tsval, o + i + 2, 4);
			memcpy(&ks->ks_tsecr, o + i + 6, 4);
			ks->ks_tsval = ntohl(ks->ks_tsval);
			ks->ks_tsecr = ntohl(ks->ks_tsecr);
		}
	}
	m_freem(m);
	return true;
}

struct mbuf *
kt_seg_build(uint16_t sport, uint16_t dport, tcp_seq seq, tcp_seq ack,
    int flags, uint16_t win, int opts, uint32_t tsval, uint32_t tsecr,
    const void *data, int len)
{
	uint8_t buf[IP_MINHLEN + TCP_MAXHLEN + 256];
	struct ip *ip = (struct ip *)buf;
	struct tcphdr *th = (struct tcphdr *)(ip + 1);
	uint8_t *o = (uint8_t *)(th + 1);
	struct mbuf *m;
	int n = 0, tot;

	KASSERT(len <= 256);
	memset(buf, 0, sizeof(buf));
	if (opts & KT_OPT_MSS) {
		o[n++] = TCPOPT_MAXSEG;
		o[n++] = 4;
		o[n++] = 1460 >> 8;
		o[n++] = 1460 & 0xff;
	}
	if (opts & KT_OPT_WS) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_WINDOW;
		o[n++] = 3;
		o[n++] = 2;
	}
	if (opts & KT_OPT_TS) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_TIMESTAMP;
		o[n++] = 10;
		tsval = htonl(tsval);
		tsecr = htonl(tsecr);
		memcpy(o + n, &tsval, 4);
		memcpy(o + n + 4, &tsecr, 4);
		n += 8;
	}
	tot = IP_MINHLEN + (int)sizeof(*th) + n + len;
	if (len > 0)
		memcpy(o + n, data, (size_t)len);
	ip->ip_vhl = IP_VHL(IPVERSION, IP_MINHLEN);
	ip->ip_len = htons((uint16_t)tot);
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_TCP;
	ip->ip_src.s_addr = htonl(KT_PEER);
	ip->ip_dst.s_addr = htonl(INADDR_LOOPBACK);
	th->th_sport = htons(sport);
	th->th_dport = htons(dport);
	th->th_seq = htonl(seq);
	th->th_ack = htonl(ack);
	th->th_offx2 = TH_OFFX2((sizeof(*th) + (size_t)n) >> 2);
	th->th_flags = (uint8_t)flags;
	th->th_win = htons(win);
	m = m_devget(buf, tot, 32, NULL, M_WAITOK);
	th = (struct tcphdr *)(mtod(m, uint8_t *) + IP_MINHLEN);
	th->th_sum = in_cksum(m, IP_MINHLEN, tot - IP_MINHLEN,
	    in_pseudo(ip->ip_src, ip->ip_dst, IPPROTO_TCP,
	    (uint16_t)(tot - IP_MINHLEN)));
	return m;
}

void
kt_seg_input(struct mbuf *m)
{
	NET_LOCK();
	tcp_input(m, IP_MINHLEN);
	NET_UNLOCK();
}

int
kt_tcp_listen(uint16_t port, int backlog, struct socket **sop)
{
	struct sockaddr_in sin;
	int error;

	error = socreate(AF_INET, SOCK_STREAM, 0, sop);
	if (error != 0)
		return error;
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	error = sobind(*sop, (struct sockaddr *)&sin);
	if (error == 0)
		error = solisten(*sop, backlog);
	if (error != 0)
		soclose(*sop);
	return error;
}

int
kt_tcp_connect(uint16_t port, bool nbio, struct socket **sop)
{
	struct sockaddr_in sin;
	int error;

	error = socreate(AF_INET, SOCK_STREAM, 0, sop);
	if (error != 0)
		return error;
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	error = soconnect_nb(*sop, (struct sockaddr *)&sin, nbio);
	if (error != 0 && error != EINPROGRESS)
		soclose(*sop);
	return error;
}

static void
kt_uio(struct uio *uio, struct iovec *iov, void *buf, size_t len,
    enum uio_rw rw)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = 0;
	uio->uio_resid = len;
	uio->uio_rw = rw;
	uio->uio_segflg = UIO_SYSSPACE;
}

int
kt_so_send(struct socket *so, const void *buf, size_t len, size_t *sent)
{
	struct iovec iov;
	struct uio uio;
	int error;

	kt_uio(&uio, &iov, (void *)(uintptr_t)buf, len, UIO_WRITE);
	error = sosend(so, NULL, &uio, 0, false);
	*sent = len - uio.uio_resid;
	return error;
}

int
kt_so_recv(struct socket *so, void *buf, size_t len, int flags, size_t *got)
{
	struct iovec iov;
	struct uio uio;
	int error;

	kt_uio(&uio, &iov, buf, len, UIO_READ);
	error = soreceive(so, NULL, NULL, &uio, &flags, false);
	*got = len - uio.uio_resid;
	return error;
}
