/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket.c: the protocol-independent socket layer (sys/socketvar.h):
 * create/close, bind/connect, send and receive of messages with blocking,
 * timeouts and non-blocking mode, options, names, shutdown, poll, and the
 * socket buffers.
 *
 * Called by the socket system calls and the socket fileops
 * (socket_syscalls.c, socket_file.c) in thread context without net_lock;
 * each function takes net_lock around its protocol calls.  Waits are on
 * a buffer's sb_cv with net_lock as interlock; every state change that
 * can make a socket ready also bumps the poll generation (so_pollgen)
 * and wakes pollers.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/uio.h>
#include <net/if.h>

#include "net_private.h"

#define POLLIN		0x0001
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLRDNORM	0x0040
#define POLLWRNORM	POLLOUT

#define SB_MAX		(4u * 1024 * 1024)	/* largest SO_*BUF */
#define SO_LINGER_MAX	32767			/* seconds */

static uint64_t so_pollgen;		/* under net_lock */
static kcondvar_t so_pollcv;
static LIST_HEAD(, socket) so_all;	/* under net_lock */

int
socket_layer_init(void)
{
	so_pollgen = 0;
	cv_init(&so_pollcv, "sopoll");
	LIST_INIT(&so_all);
	return 0;
}

/*
 * Sockets still open when the stack shuts down (their descriptors are
 * closed later, by the VFS's teardown): detach them from their protocols
 * now and mark them orphaned, so that the late close only frees the
 * socket itself.  Reported, since a tidy client closes its sockets.
 */
void
socket_layer_fini(void)
{
	struct socket *so;
	u_int n = 0;

	NET_LOCK();
	while ((so = LIST_FIRST(&so_all)) != NULL) {
		LIST_REMOVE(so, so_list);
		so->so_proto->pr_usrreqs->pru_detach(so);
		sb_destroy(&so->so_rcv);
		sb_destroy(&so->so_snd);
		if (so->so_state & SS_NOFDREF) {
			/* Closed (TIME_WAIT, ...) or never accepted: no
			 * descriptor will free it. */
			so_stream_unqueue(so);
			kmem_free(so, sizeof(*so));
			continue;
		}
		so->so_orphaned = true;
		n++;
	}
	NET_UNLOCK();
	if (n != 0)
		printf("net: %u socket(s) still open at shutdown: detached\n",
		    n);
	cv_destroy(&so_pollcv);
}

/* ---- socket buffers ----------------------------------------------------- */

void
sb_init(struct sockbuf *sb, u_int hiwat, const char *wmesg)
{
	memset(sb, 0, sizeof(*sb));
	sb->sb_hiwat = hiwat;
	sb->sb_lowat = 1;
	cv_init(&sb->sb_cv, wmesg);
}

void
sb_destroy(struct sockbuf *sb)
{
	sb_flush(sb);
	cv_destroy(&sb->sb_cv);
}

u_int
sb_space(const struct sockbuf *sb)
{
	return sb->sb_cc >= sb->sb_hiwat ? 0 : sb->sb_hiwat - sb->sb_cc;
}

bool
sb_append_addr(struct sockbuf *sb, const struct sockaddr *nam,
    struct mbuf *m)
{
	struct mbuf *n;
	int len = m->m_pkthdr.len;

	NET_ASSERT_LOCKED();
	if ((u_int)len > sb_space(sb)) {
		sb->sb_overflows++;
		m_freem(m);
		return false;
	}
	n = m_get(M_NOWAIT, MT_SONAME);
	if (n == NULL) {
		sb->sb_overflows++;
		m_freem(m);
		return false;
	}
	KASSERT(nam->sa_len <= MLEN);
	memcpy(n->m_data, nam, nam->sa_len);
	n->m_len = nam->sa_len;
	n->m_next = m;
	m->m_flags &= ~M_PKTHDR;	/* the record's data, after the name */
	n->m_nextpkt = NULL;
	if (sb->sb_lastrecord != NULL)
		sb->sb_lastrecord->m_nextpkt = n;
	else
		sb->sb_mb = n;
	sb->sb_lastrecord = n;
	sb->sb_cc += (u_int)len;
	return true;
}

void
sb_flush(struct sockbuf *sb)
{
	m_freem_queue(sb->sb_mb);
	sb->sb_mb = sb->sb_lastrecord = NULL;
	sb->sb_cc = 0;
	sb->sb_mbtail = NULL;
	sb->sb_mbcnt = 0;
}

/* Take the first record off sb (its data length subtracted). */
static struct mbuf *
sb_dequeue_record(struct sockbuf *sb)
{
	struct mbuf *rec = sb->sb_mb;

	if (rec == NULL)
		return NULL;
	sb->sb_mb = rec->m_nextpkt;
	if (sb->sb_mb == NULL)
		sb->sb_lastrecord = NULL;
	rec->m_nextpkt = NULL;
	sb->sb_cc -= (u_int)m_length(rec->m_type == MT_SONAME ?
	    rec->m_next : rec);
	return rec;
}

/* ---- wakeups and poll --------------------------------------------------- */

static void
so_pollwakeup(void)
{
	NET_ASSERT_LOCKED();
	so_pollgen++;
	cv_broadcast(&so_pollcv);
}

void
sorwakeup(struct socket *so)
{
	cv_broadcast(&so->so_rcv.sb_cv);
	so_pollwakeup();
}

void
sowwakeup(struct socket *so)
{
	cv_broadcast(&so->so_snd.sb_cv);
	so_pollwakeup();
}

void
soseterror(struct socket *so, int error)
{
	so->so_error = error;
	sorwakeup(so);
	sowwakeup(so);
}

uint64_t
sopoll_generation(void)
{
	NET_ASSERT_LOCKED();
	return so_pollgen;
}

int
sopoll_wait(uint64_t gen, uint64_t timeout_ns)
{
	NET_ASSERT_LOCKED();
	if (so_pollgen != gen)
		return 0;
	if (timeout_ns == 0) {
		cv_wait(&so_pollcv, &net_lock);
		return 0;
	}
	return cv_timedwait_ns(&so_pollcv, &net_lock, timeout_ns);
}

int
sopoll(struct socket *so, int events)
{
	int revents = 0;

	NET_LOCK();
	if (so->so_proto->pr_flags & PR_CONNREQUIRED) {
		revents = so_stream_poll(so, events);
		NET_UNLOCK();
		return revents;
	}
	if (events & (POLLIN | POLLRDNORM)) {
		if (so->so_rcv.sb_mb != NULL ||
		    (so->so_state & SS_CANTRCVMORE) || so->so_error != 0)
			revents |= events & (POLLIN | POLLRDNORM);
	}
	if (events & (POLLOUT | POLLWRNORM)) {
		if (!(so->so_state & SS_CANTSENDMORE))
			revents |= events & (POLLOUT | POLLWRNORM);
	}
	if (so->so_error != 0)
		revents |= POLLERR;
	if ((so->so_state & (SS_CANTRCVMORE | SS_CANTSENDMORE)) ==
	    (SS_CANTRCVMORE | SS_CANTSENDMORE))
		revents |= POLLHUP;
	NET_UNLOCK();
	return revents;
}

u_int
socket_rcv_bytes(struct socket *so)
{
	u_int n;

	NET_LOCK();
	n = so->so_rcv.sb_cc;
	NET_UNLOCK();
	return n;
}

/* ---- create / close ----------------------------------------------------- */

void
so_list_insert(struct socket *so)
{
	NET_ASSERT_LOCKED();
	LIST_INSERT_HEAD(&so_all, so, so_list);
}

void
so_list_remove(struct socket *so)
{
	NET_ASSERT_LOCKED();
	LIST_REMOVE(so, so_list);
}

int
socreate(int domain, int type, int proto, struct socket **sop)
{
	const struct protosw *pr;
	struct socket *so;
	int error;

	if (domain != AF_INET)
		return EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW)
		return EPROTOTYPE;
	pr = pffindproto(domain, type, proto);
	if (pr == NULL) {
		/* A protocol we have, but not for this type? */
		if (proto != 0 && (pffindproto(domain, SOCK_DGRAM, proto) ||
		    pffindproto(domain, SOCK_RAW, proto)))
			return EPROTOTYPE;
		return EPROTONOSUPPORT;
	}
	so = kmem_zalloc(sizeof(*so), KM_SLEEP);
	so->so_type = (short)type;
	so->so_proto = pr;
	TAILQ_INIT(&so->so_q0);
	TAILQ_INIT(&so->so_q);
	NET_LOCK();
	error = pr->pr_usrreqs->pru_attach(so,
	    proto != 0 ? proto : pr->pr_protocol);
	if (error == 0) {
		LIST_INSERT_HEAD(&so_all, so, so_list);
	}
	NET_UNLOCK();
	if (error != 0) {
		kmem_free(so, sizeof(*so));
		return error;
	}
	*sop = so;
	return 0;
}

void
soclose(struct socket *so)
{
	if (so->so_orphaned) {		/* the stack is gone: see fini */
		kmem_free(so, sizeof(*so));
		return;
	}
	NET_LOCK();
	if (so->so_proto->pr_flags & PR_CONNREQUIRED) {
		so_stream_close(so);	/* the protocol frees it */
		so_pollwakeup();
		NET_UNLOCK();
		return;
	}
	LIST_REMOVE(so, so_list);
	so->so_proto->pr_usrreqs->pru_detach(so);
	so->so_state |= SS_CANTRCVMORE | SS_CANTSENDMORE;
	sb_destroy(&so->so_rcv);
	sb_destroy(&so->so_snd);
	so_pollwakeup();
	NET_UNLOCK();
	kmem_free(so, sizeof(*so));
}

/* ---- addresses ---------------------------------------------------------- */

static int
so_check_addr(struct socket *so, const struct sockaddr *nam)
{
	if (nam->sa_family == AF_UNSPEC)
		return 0;
	if (nam->sa_family != so->so_proto->pr_domain)
		return EAFNOSUPPORT;
	if (nam->sa_len != 16)	/* sizeof(struct sockaddr_in) */
		return EINVAL;
	return 0;
}

int
sobind(struct socket *so, const struct sockaddr *nam)
{
	int error;

	error = so_check_addr(so, nam);
	if (error != 0)
		return error;
	if (nam->sa_family == AF_UNSPEC)
		return EAFNOSUPPORT;
	NET_LOCK();
	error = so->so_proto->pr_usrreqs->pru_bind(so, nam);
	NET_UNLOCK();
	return error;
}

int
soconnect(struct socket *so, const struct sockaddr *nam)
{
	int error;

	error = so_check_addr(so, nam);
	if (error != 0)
		return error;
	NET_LOCK();
	error = so->so_proto->pr_usrreqs->pru_connect(so, nam);
	so_pollwakeup();
	NET_UNLOCK();
	return error;
}

int
sogetname(struct socket *so, struct sockaddr *nam, bool peer)
{
	const struct pr_usrreqs *pru = so->so_proto->pr_usrreqs;
	int error;

	NET_LOCK();
	error = peer ? pru->pru_peeraddr(so, nam) : pru->pru_sockaddr(so, nam);
	NET_UNLOCK();
	return error;
}

int
soshutdown(struct socket *so, int how)
{
	int error = 0;

	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return EINVAL;
	NET_LOCK();
	if ((so->so_proto->pr_flags & PR_CONNREQUIRED) &&
	    !(so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING |
	    SS_ISDISCONNECTING))) {
		NET_UNLOCK();
		return ENOTCONN;
	}
	if (how != SHUT_WR) {
		so->so_state |= SS_CANTRCVMORE;
		sb_flush(&so->so_rcv);
		sorwakeup(so);
	}
	if (how != SHUT_RD) {
		so->so_state |= SS_CANTSENDMORE;
		error = so->so_proto->pr_usrreqs->pru_shutdown(so);
		sowwakeup(so);
	}
	NET_UNLOCK();
	return error;
}

/* ---- data --------------------------------------------------------------- */

/* Build an mbuf chain holding the uio's data (thread context, may sleep). */
static int
so_uio_to_mbuf(struct uio *uio, int headroom, struct mbuf **mp)
{
	struct mbuf *top, *m, **np;
	size_t resid = uio->uio_resid;
	int len, error;

	top = m_gethdr(M_WAITOK, MT_DATA);
	if (resid + headroom > (size_t)MHLEN && !m_clget(top, M_WAITOK)) {
		m_freem(top);
		return ENOBUFS;
	}
	m_reserve(top, headroom);
	m = top;
	np = &top->m_next;
	for (;;) {
		len = (int)MIN((size_t)M_TRAILINGSPACE(m), resid);
		error = uiomove(m->m_data, (size_t)len, uio);
		if (error != 0) {
			m_freem(top);
			return error;
		}
		m->m_len = len;
		top->m_pkthdr.len += len;
		resid -= (size_t)len;
		if (resid == 0)
			break;
		m = m_get(M_WAITOK, MT_DATA);
		*np = m;
		np = &m->m_next;
		if (resid > (size_t)MLEN && !m_clget(m, M_WAITOK)) {
			m_freem(top);
			return ENOBUFS;
		}
	}
	*mp = top;
	return 0;
}

int
sosend(struct socket *so, const struct sockaddr *nam, struct uio *uio,
    int flags, bool nbio)
{
	struct mbuf *m;
	int error;

	if (so->so_proto->pr_flags & PR_CONNREQUIRED) {
		/* A stream ignores the address (connected or ENOTCONN). */
		return so_stream_send(so, uio, flags, nbio);
	}
	if (nam != NULL) {
		error = so_check_addr(so, nam);
		if (error != 0)
			return error;
	}
	/* Datagrams are sent whole; SO_SNDBUF bounds their size. */
	if (uio->uio_resid > so->so_snd.sb_hiwat)
		return EMSGSIZE;
	/* Headroom for link + IP + transport headers. */
	error = so_uio_to_mbuf(uio, 64, &m);
	if (error != 0)
		return error;
	NET_LOCK();
	if (so->so_state & SS_CANTSENDMORE) {
		NET_UNLOCK();
		m_freem(m);
		return EPIPE;
	}
	if (so->so_error != 0) {
		error = so->so_error;
		so->so_error = 0;
		NET_UNLOCK();
		m_freem(m);
		return error;
	}
	error = so->so_proto->pr_usrreqs->pru_send(so, m, nam);
	NET_UNLOCK();
	return error;
}

int
soreceive(struct socket *so, struct sockaddr *from, socklen_t *fromlen,
    struct uio *uio, int *flagsp, bool nbio)
{
	struct sockbuf *sb = &so->so_rcv;
	struct mbuf *rec, *m, *data;
	uint64_t deadline = 0, now;
	int flags = *flagsp, error = 0, outflags = 0, nlen;
	size_t len;

	if (so->so_proto->pr_flags & PR_CONNREQUIRED) {
		if (from != NULL && fromlen != NULL) {
			int e = sogetname(so, from, true);
			*fromlen = e == 0 ? from->sa_len : 0;
		}
		return so_stream_receive(so, uio, flagsp, nbio);
	}
	NET_LOCK();
	if (sb->sb_timeo_ns != 0)
		deadline = getuptime_ns() + sb->sb_timeo_ns;
	while (sb->sb_mb == NULL) {
		if (so->so_error != 0) {
			error = so->so_error;
			so->so_error = 0;
			goto out_unlock;
		}
		if (so->so_state & SS_CANTRCVMORE)
			goto out_unlock;	/* EOF: 0 bytes */
		if (nbio || (flags & MSG_DONTWAIT)) {
			error = EWOULDBLOCK;
			goto out_unlock;
		}
		if (deadline != 0) {
			now = getuptime_ns();
			if (now >= deadline) {
				error = EWOULDBLOCK;
				goto out_unlock;
			}
			(void)cv_timedwait_ns(&sb->sb_cv, &net_lock,
			    deadline - now);
		} else {
			cv_wait(&sb->sb_cv, &net_lock);
		}
	}
	/* The record: a name mbuf (PR_ADDR protocols), then the data. */
	rec = sb->sb_mb;
	nlen = rec->m_type == MT_SONAME ? rec->m_len : 0;
	if (from != NULL && fromlen != NULL) {
		socklen_t n = MIN(*fromlen, (socklen_t)nlen);
		if (n > 0)
			memcpy(from, rec->m_data, n);
		*fromlen = (socklen_t)nlen;
	}
	if (flags & MSG_PEEK) {
		data = m_copym(rec, nlen, M_COPYALL, M_NOWAIT);
		if (data == NULL) {
			error = ENOBUFS;
			goto out_unlock;
		}
	} else {
		rec = sb_dequeue_record(sb);
		data = nlen != 0 ? m_free(rec) : rec;
	}
	NET_UNLOCK();

	/* Copy out; what does not fit is discarded (MSG_TRUNC). */
	for (m = data; m != NULL && uio->uio_resid > 0; m = m->m_next) {
		len = MIN((size_t)m->m_len, uio->uio_resid);
		error = uiomove(m->m_data, len, uio);
		if (error != 0)
			break;
		if (len < (size_t)m->m_len) {
			outflags |= MSG_TRUNC;
			break;
		}
	}
	if (error == 0 && m != NULL && uio->uio_resid == 0 &&
	    m_length(m) > 0 && !(outflags & MSG_TRUNC))
		outflags |= MSG_TRUNC;
	m_freem(data);
	*flagsp = outflags;
	return error;

out_unlock:
	NET_UNLOCK();
	*flagsp = 0;
	return error;
}

/* ---- options ------------------------------------------------------------ */

static int
so_opt_int(const void *val, socklen_t len, int *out)
{
	if (len < sizeof(int))
		return EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

int
sosetopt(struct socket *so, int level, int name, const void *val,
    socklen_t len)
{
	struct rump_timeval_k {
		int64_t	tv_sec;
		int32_t	tv_usec;
	} tv;
	int v, error = 0;

	if (level != SOL_SOCKET) {
		NET_LOCK();
		error = so->so_proto->pr_usrreqs->pru_ctloutput(so, true,
		    level, name, (void *)(uintptr_t)val, &len);
		NET_UNLOCK();
		return error;
	}
	NET_LOCK();
	switch (name) {
	case SO_REUSEADDR:
	case SO_REUSEPORT:
	case SO_BROADCAST:
	case SO_KEEPALIVE:
	case SO_DEBUG:
	case SO_DONTROUTE:
		error = so_opt_int(val, len, &v);
		if (error == 0) {
			if (v)
				so->so_options |= name;
			else
				so->so_options &= ~name;
		}
		break;
	case SO_SNDBUF:
	case SO_RCVBUF:
		error = so_opt_int(val, len, &v);
		if (error == 0 && (v <= 0 || (u_int)v > SB_MAX))
			error = v <= 0 ? EINVAL : ENOBUFS;
		if (error == 0) {
			if (name == SO_SNDBUF)
				so->so_snd.sb_hiwat = (u_int)v;
			else
				so->so_rcv.sb_hiwat = (u_int)v;
		}
		break;
	case SO_LINGER: {
		struct linger l;

		if (len < sizeof(l)) {
			error = EINVAL;
			break;
		}
		memcpy(&l, val, sizeof(l));
		if (l.l_linger < 0 || l.l_linger > SO_LINGER_MAX) {
			error = EINVAL;
			break;
		}
		so->so_linger = l.l_linger;
		if (l.l_onoff)
			so->so_options |= SO_LINGER;
		else
			so->so_options &= ~SO_LINGER;
		break;
	}
	case SO_RCVTIMEO:
	case SO_SNDTIMEO:
		if (len < sizeof(tv)) {
			error = EINVAL;
			break;
		}
		memcpy(&tv, val, sizeof(tv));
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000) {
			error = EDOM;
			break;
		}
		(name == SO_RCVTIMEO ? &so->so_rcv : &so->so_snd)->sb_timeo_ns =
		    (uint64_t)tv.tv_sec * NSEC_PER_SEC +
		    (uint64_t)tv.tv_usec * NSEC_PER_USEC;
		break;
	default:
		error = ENOPROTOOPT;
		break;
	}
	NET_UNLOCK();
	return error;
}

int
sogetopt(struct socket *so, int level, int name, void *val, socklen_t *len)
{
	int v, error = 0;

	if (level != SOL_SOCKET) {
		NET_LOCK();
		error = so->so_proto->pr_usrreqs->pru_ctloutput(so, false,
		    level, name, val, len);
		NET_UNLOCK();
		return error;
	}
	if (name == SO_LINGER) {
		struct linger l;

		if (*len < sizeof(l))
			return EINVAL;
		NET_LOCK();
		l.l_onoff = (so->so_options & SO_LINGER) ? 1 : 0;
		l.l_linger = so->so_linger;
		NET_UNLOCK();
		memcpy(val, &l, sizeof(l));
		*len = sizeof(l);
		return 0;
	}
	if (*len < sizeof(int))
		return EINVAL;
	NET_LOCK();
	switch (name) {
	case SO_REUSEADDR:
	case SO_REUSEPORT:
	case SO_BROADCAST:
	case SO_KEEPALIVE:
	case SO_DEBUG:
	case SO_DONTROUTE:
		v = (so->so_options & name) ? 1 : 0;
		break;
	case SO_SNDBUF:
		v = (int)so->so_snd.sb_hiwat;
		break;
	case SO_RCVBUF:
		v = (int)so->so_rcv.sb_hiwat;
		break;
	case SO_TYPE:
		v = so->so_type;
		break;
	case SO_ACCEPTCONN:
		v = (so->so_options & SO_ACCEPTCONN) ? 1 : 0;
		break;
	case SO_ERROR:
		v = so->so_error;
		so->so_error = 0;
		break;
	default:
		error = ENOPROTOOPT;
		break;
	}
	NET_UNLOCK();
	if (error == 0) {
		memcpy(val, &v, sizeof(v));
		*len = sizeof(v);
	}
	return error;
}
