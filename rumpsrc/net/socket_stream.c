/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * socket_stream.c: the stream half of the socket layer (protocols with
 * PR_CONNREQUIRED, i.e. TCP): byte-stream socket buffers, send and
 * receive of a byte stream (blocking, non-blocking, timeouts, MSG_PEEK,
 * MSG_WAITALL, MSG_DONTWAIT), connect with EINPROGRESS, listen and
 * accept with bounded queues, close with SO_LINGER, poll.
 *
 * socket.c hands stream sockets to the so_stream_* functions here; the
 * socket system calls (socket_syscalls.c) call soconnect_nb, solisten and
 * soaccept directly.  The protocol calls the net_lock-held helpers
 * (sonewconn, soisconnected, ..., sofree, sb_append_stream).  Waits are on
 * the buffers' condvars with net_lock as interlock, like socket.c's.
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

#define SO_STREAM_CHUNK	(64u * 1024)	/* copied per trip into the stack */
#define SO_SND_LOWAT	2048u		/* writable: at least this space */
#define SO_SMALL_COPY	512		/* appends this small are copied */

/* ---- byte-stream buffers ------------------------------------------------ */

static u_int
sb_mbsize(const struct mbuf *m)
{
	return MSIZE + ((m->m_flags & M_EXT) ? MCLBYTES : 0);
}

/* Memory a stream buffer may hold for its bytes: data in small segments
 * costs more than its length, but never without bound. */
static u_int
sb_mbmax(const struct sockbuf *sb)
{
	return sb->sb_hiwat * 2 + 8 * (MSIZE + MCLBYTES);
}

bool
sb_append_stream(struct sockbuf *sb, struct mbuf *m)
{
	struct mbuf *n, *tail = sb->sb_mbtail;

	NET_ASSERT_LOCKED();
	if (sb->sb_mbcnt > sb_mbmax(sb)) {
		sb->sb_overflows++;
		m_freem(m);
		return false;
	}
	while (m != NULL) {
		n = m;
		m = m->m_next;
		n->m_next = NULL;
		n->m_nextpkt = NULL;
		n->m_flags &= ~M_PKTHDR;
		if (n->m_len == 0) {
			m_free(n);
			continue;
		}
		sb->sb_cc += (u_int)n->m_len;
		/* Small pieces go into the tail's free space (1-byte writes
		 * and tiny segments do not pin a cluster each). */
		if (tail != NULL && n->m_len <= SO_SMALL_COPY &&
		    n->m_len <= M_TRAILINGSPACE(tail)) {
			memcpy(tail->m_data + tail->m_len, n->m_data,
			    (size_t)n->m_len);
			tail->m_len += n->m_len;
			m_free(n);
			continue;
		}
		sb->sb_mbcnt += sb_mbsize(n);
		if (tail != NULL)
			tail->m_next = n;
		else
			sb->sb_mb = n;
		tail = n;
	}
	sb->sb_mbtail = tail;
	return true;
}

void
sb_drop(struct sockbuf *sb, u_int len)
{
	struct mbuf *m;

	NET_ASSERT_LOCKED();
	KASSERT(len <= sb->sb_cc);
	sb->sb_cc -= len;
	while (len > 0 && (m = sb->sb_mb) != NULL) {
		if ((u_int)m->m_len > len) {
			m->m_data += len;
			m->m_len -= (int)len;
			break;
		}
		len -= (u_int)m->m_len;
		sb->sb_mbcnt -= sb_mbsize(m);
		sb->sb_mb = m_free(m);
	}
	/* Drop empty mbufs left at the front. */
	while ((m = sb->sb_mb) != NULL && m->m_len == 0) {
		sb->sb_mbcnt -= sb_mbsize(m);
		sb->sb_mb = m_free(m);
	}
	if (sb->sb_mb == NULL) {
		sb->sb_mbtail = NULL;
		KASSERT(sb->sb_cc == 0);
	}
}

/*
 * Take len bytes off the front of a stream buffer as a chain of their
 * own: whole mbufs move, a partly taken one is copied.  NULL only when
 * that copy finds no mbuf (nothing is taken then).
 */
static struct mbuf *
sb_take_front(struct sockbuf *sb, u_int len)
{
	struct mbuf *top = NULL, **np = &top, *m, *part;

	NET_ASSERT_LOCKED();
	KASSERT(len <= sb->sb_cc);
	m = sb->sb_mb;
	if (m != NULL && (u_int)m->m_len > len) {
		/* The first mbuf alone holds more than asked: copy. */
		part = m_get(M_NOWAIT, MT_DATA);
		if (part == NULL)
			return NULL;
		if (len > (u_int)MLEN && !m_clget(part, M_NOWAIT)) {
			m_free(part);
			return NULL;
		}
		memcpy(part->m_data, m->m_data, len);
		part->m_len = (int)len;
		sb_drop(sb, len);
		return part;
	}
	while (len > 0 && (m = sb->sb_mb) != NULL &&
	    (u_int)m->m_len <= len) {
		sb->sb_mb = m->m_next;
		m->m_next = NULL;
		sb->sb_cc -= (u_int)m->m_len;
		sb->sb_mbcnt -= sb_mbsize(m);
		len -= (u_int)m->m_len;
		*np = m;
		np = &m->m_next;
	}
	if (sb->sb_mb == NULL)
		sb->sb_mbtail = NULL;
	/* The rest of a partial last mbuf stays; the caller asks again. */
	return top;
}

/* A chain holding len bytes of uio (thread context, may sleep). */
static int
so_stream_copyin(struct uio *uio, size_t len, struct mbuf **mp)
{
	struct mbuf *top = NULL, **np = &top, *m;
	size_t n;
	int error;

	while (len > 0) {
		m = m_get(M_WAITOK, MT_DATA);
		if (len > (size_t)MLEN && !m_clget(m, M_WAITOK)) {
			m_free(m);
			m_freem(top);
			return ENOBUFS;
		}
		*np = m;
		np = &m->m_next;
		n = MIN(len, (size_t)M_TRAILINGSPACE(m));
		error = uiomove(m->m_data, n, uio);
		if (error != 0) {
			m_freem(top);
			return error;
		}
		m->m_len = (int)n;
		len -= n;
	}
	*mp = top;
	return 0;
}

/* Sleep on sb until woken or deadline (0: none); EWOULDBLOCK past it. */
static int
so_stream_wait(struct sockbuf *sb, uint64_t deadline)
{
	uint64_t now;

	if (deadline == 0) {
		cv_wait(&sb->sb_cv, &net_lock);
		return 0;
	}
	now = getuptime_ns();
	if (now >= deadline)
		return EWOULDBLOCK;
	(void)cv_timedwait_ns(&sb->sb_cv, &net_lock, deadline - now);
	return 0;
}

/* ---- send and receive --------------------------------------------------- */

int
so_stream_send(struct socket *so, struct uio *uio, int flags, bool nbio)
{
	struct sockbuf *sb = &so->so_snd;
	size_t resid0 = uio->uio_resid, chunk;
	uint64_t deadline = 0;
	struct mbuf *m;
	u_int space;
	int error = 0;

	if (flags & MSG_DONTWAIT)
		nbio = true;
	NET_LOCK();
	if (sb->sb_timeo_ns != 0)
		deadline = getuptime_ns() + sb->sb_timeo_ns;
	while (uio->uio_resid > 0) {
		if (so->so_state & SS_CANTSENDMORE) {
			error = EPIPE;
			break;
		}
		if (so->so_error != 0) {
			error = so->so_error;
			so->so_error = 0;
			break;
		}
		if (!(so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING))) {
			error = ENOTCONN;
			break;
		}
		/* No room while the buffer's memory is at its limit either
		 * (small writes cost more than their bytes): wait, so that
		 * sb_append_stream never refuses what we copied in. */
		space = (so->so_state & SS_ISCONNECTED) &&
		    sb->sb_mbcnt <= sb_mbmax(sb) ? sb_space(sb) : 0;
		if (space < MIN(uio->uio_resid, MIN(SO_SND_LOWAT,
		    sb->sb_hiwat))) {
			if (nbio) {
				error = EWOULDBLOCK;
				break;
			}
			error = so_stream_wait(sb, deadline);
			if (error != 0)
				break;
			continue;
		}
		chunk = MIN(MIN((size_t)space, uio->uio_resid),
		    (size_t)SO_STREAM_CHUNK);
		NET_UNLOCK();
		error = so_stream_copyin(uio, chunk, &m);
		NET_LOCK();
		if (error != 0)
			break;
		if (so->so_state & SS_CANTSENDMORE) {
			m_freem(m);
			error = EPIPE;
			break;
		}
		error = so->so_proto->pr_usrreqs->pru_send(so, m, NULL);
		if (error != 0)
			break;
	}
	NET_UNLOCK();
	/* Some bytes went: the caller sees a short write, never an error
	 * that hides them. */
	if (uio->uio_resid != resid0 &&
	    (error == EWOULDBLOCK || error == ENOBUFS))
		error = 0;
	return error;
}

int
so_stream_receive(struct socket *so, struct uio *uio, int *flagsp, bool nbio)
{
	struct sockbuf *sb = &so->so_rcv;
	int flags = *flagsp, error = 0;
	size_t copied = 0, len;
	uint64_t deadline = 0;
	struct mbuf *data, *m;
	u_int n;

	*flagsp = 0;
	if (flags & MSG_OOB)
		return EOPNOTSUPP;
	if (flags & MSG_DONTWAIT)
		nbio = true;
	NET_LOCK();
	if (sb->sb_timeo_ns != 0)
		deadline = getuptime_ns() + sb->sb_timeo_ns;
	while (uio->uio_resid > 0) {
		if (sb->sb_cc == 0) {
			if (copied > 0 && !(flags & MSG_WAITALL))
				break;
			if (so->so_error != 0) {
				if (copied == 0) {
					error = so->so_error;
					so->so_error = 0;
				}
				break;
			}
			if (so->so_state & SS_CANTRCVMORE)
				break;		/* EOF */
			if (!(so->so_state &
			    (SS_ISCONNECTED | SS_ISCONNECTING))) {
				if (copied == 0)
					error = ENOTCONN;
				break;
			}
			if (nbio) {
				if (copied == 0)
					error = EWOULDBLOCK;
				break;
			}
			error = so_stream_wait(sb, deadline);
			if (error != 0) {
				if (copied > 0)
					error = 0;
				break;
			}
			continue;
		}
		n = (u_int)MIN((size_t)sb->sb_cc, uio->uio_resid);
		if (flags & MSG_PEEK)
			data = m_copym(sb->sb_mb, 0, (int)n, M_NOWAIT);
		else
			data = sb_take_front(sb, n);
		if (data == NULL) {
			if (copied == 0)
				error = ENOBUFS;
			break;
		}
		NET_UNLOCK();
		for (m = data; m != NULL && error == 0; m = m->m_next) {
			len = MIN((size_t)m->m_len, uio->uio_resid);
			error = uiomove(m->m_data, len, uio);
			copied += len;
		}
		m_freem(data);
		NET_LOCK();
		if (error != 0)
			break;
		if (flags & MSG_PEEK)
			break;
		/* Window updates as the reader makes room. */
		so->so_proto->pr_usrreqs->pru_rcvd(so);
		if (!(flags & MSG_WAITALL) && copied > 0 && sb->sb_cc == 0)
			break;
	}
	NET_UNLOCK();
	return error;
}

/* ---- connection state (protocol side, net_lock held) -------------------- */

void
soisconnecting(struct socket *so)
{
	NET_ASSERT_LOCKED();
	so->so_state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING);
	so->so_state |= SS_ISCONNECTING;
}

void
soisconnected(struct socket *so)
{
	struct socket *head = so->so_head;

	NET_ASSERT_LOCKED();
	so->so_state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING);
	so->so_state |= SS_ISCONNECTED;
	if (head != NULL && (so->so_state & SS_INQ0)) {
		TAILQ_REMOVE(&head->so_q0, so, so_qe);
		head->so_q0len--;
		so->so_state &= ~SS_INQ0;
		TAILQ_INSERT_TAIL(&head->so_q, so, so_qe);
		head->so_qlen++;
		so->so_state |= SS_INQ;
		sorwakeup(head);
		return;
	}
	sorwakeup(so);
	sowwakeup(so);
}

void
soisdisconnecting(struct socket *so)
{
	NET_ASSERT_LOCKED();
	so->so_state &= ~SS_ISCONNECTING;
	so->so_state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
	sorwakeup(so);
	sowwakeup(so);
}

void
soisdisconnected(struct socket *so)
{
	NET_ASSERT_LOCKED();
	so->so_state &= ~(SS_ISCONNECTING | SS_ISCONNECTED |
	    SS_ISDISCONNECTING);
	so->so_state |= SS_CANTRCVMORE | SS_CANTSENDMORE;
	sorwakeup(so);
	sowwakeup(so);
}

void
socantsendmore(struct socket *so)
{
	NET_ASSERT_LOCKED();
	so->so_state |= SS_CANTSENDMORE;
	sowwakeup(so);
}

void
socantrcvmore(struct socket *so)
{
	NET_ASSERT_LOCKED();
	so->so_state |= SS_CANTRCVMORE;
	sorwakeup(so);
}

/* ---- listen, accept, new connections ------------------------------------ */

void
so_stream_unqueue(struct socket *so)
{
	struct socket *head = so->so_head;

	if (head == NULL)
		return;
	if (so->so_state & SS_INQ0) {
		TAILQ_REMOVE(&head->so_q0, so, so_qe);
		head->so_q0len--;
	} else if (so->so_state & SS_INQ) {
		TAILQ_REMOVE(&head->so_q, so, so_qe);
		head->so_qlen--;
	}
	so->so_state &= ~(SS_INQ0 | SS_INQ);
	so->so_head = NULL;
}

struct socket *
sonewconn(struct socket *head)
{
	struct socket *so;

	NET_ASSERT_LOCKED();
	so = kmem_zalloc(sizeof(*so), KM_NOSLEEP);
	if (so == NULL)
		return NULL;
	so->so_type = head->so_type;
	so->so_proto = head->so_proto;
	so->so_options = head->so_options & ~SO_ACCEPTCONN;
	so->so_linger = head->so_linger;
	so->so_state = SS_NOFDREF;
	TAILQ_INIT(&so->so_q0);
	TAILQ_INIT(&so->so_q);
	if (so->so_proto->pr_usrreqs->pru_attach(so,
	    so->so_proto->pr_protocol) != 0) {
		kmem_free(so, sizeof(*so));
		return NULL;
	}
	so->so_rcv.sb_hiwat = head->so_rcv.sb_hiwat;
	so->so_snd.sb_hiwat = head->so_snd.sb_hiwat;
	so->so_rcv.sb_timeo_ns = head->so_rcv.sb_timeo_ns;
	so->so_snd.sb_timeo_ns = head->so_snd.sb_timeo_ns;
	so_list_insert(so);
	so->so_head = head;
	so->so_state |= SS_INQ0;
	TAILQ_INSERT_TAIL(&head->so_q0, so, so_qe);
	head->so_q0len++;
	return so;
}

void
sofree(struct socket *so)
{
	NET_ASSERT_LOCKED();
	KASSERT(so->so_state & SS_NOFDREF);
	KASSERT(so->so_pcb == NULL);
	so_stream_unqueue(so);
	so_list_remove(so);
	sb_destroy(&so->so_rcv);
	sb_destroy(&so->so_snd);
	kmem_free(so, sizeof(*so));
}

/* Abort a queued connection (no descriptor): the protocol frees it. */
static void
soabort(struct socket *so)
{
	KASSERT(so->so_state & SS_NOFDREF);
	so->so_proto->pr_usrreqs->pru_abort(so);
}

int
solisten(struct socket *so, int backlog)
{
	int error;

	if (!(so->so_proto->pr_flags & PR_CONNREQUIRED))
		return EOPNOTSUPP;
	NET_LOCK();
	if (so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING |
	    SS_ISDISCONNECTING)) {
		error = EINVAL;
		goto out_unlock;
	}
	error = so->so_proto->pr_usrreqs->pru_listen(so, backlog);
	if (error != 0)
		goto out_unlock;
	if (backlog < 0 || backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	so->so_qlimit = (u_int)MAX(backlog, 1);
	so->so_options |= SO_ACCEPTCONN;
out_unlock:
	NET_UNLOCK();
	return error;
}

int
soaccept(struct socket *head, bool nbio, struct socket **sop)
{
	struct sockbuf *sb = &head->so_rcv;
	uint64_t deadline = 0;
	struct socket *so;
	int error = 0;

	NET_LOCK();
	if (!(head->so_options & SO_ACCEPTCONN)) {
		error = EINVAL;
		goto out_unlock;
	}
	if (sb->sb_timeo_ns != 0)
		deadline = getuptime_ns() + sb->sb_timeo_ns;
	while (head->so_qlen == 0) {
		if (head->so_error != 0) {
			error = head->so_error;
			head->so_error = 0;
			goto out_unlock;
		}
		if (head->so_state & SS_CANTRCVMORE) {
			error = ECONNABORTED;
			goto out_unlock;
		}
		if (nbio) {
			error = EWOULDBLOCK;
			goto out_unlock;
		}
		error = so_stream_wait(sb, deadline);
		if (error != 0)
			goto out_unlock;
	}
	so = TAILQ_FIRST(&head->so_q);
	so_stream_unqueue(so);
	so->so_state &= ~SS_NOFDREF;
	*sop = so;
out_unlock:
	NET_UNLOCK();
	return error;
}

int
soconnect_nb(struct socket *so, const struct sockaddr *nam, bool nbio)
{
	int error;

	if (!(so->so_proto->pr_flags & PR_CONNREQUIRED))
		return soconnect(so, nam);
	if (nam->sa_family != so->so_proto->pr_domain)
		return EAFNOSUPPORT;
	if (nam->sa_len != 16)	/* sizeof(struct sockaddr_in) */
		return EINVAL;
	NET_LOCK();
	if (so->so_options & SO_ACCEPTCONN) {
		error = EOPNOTSUPP;
		goto out_unlock;
	}
	if (so->so_state & SS_ISCONNECTING) {
		error = EALREADY;
		goto out_unlock;
	}
	if (so->so_state & (SS_ISCONNECTED | SS_ISDISCONNECTING)) {
		error = EISCONN;
		goto out_unlock;
	}
	error = so->so_proto->pr_usrreqs->pru_connect(so, nam);
	if (error != 0)
		goto out_unlock;
	if (nbio) {
		error = EINPROGRESS;
		goto out_unlock;
	}
	while ((so->so_state & SS_ISCONNECTING) && so->so_error == 0)
		cv_wait(&so->so_snd.sb_cv, &net_lock);
	if (so->so_error != 0) {
		error = so->so_error;
		so->so_error = 0;
	}
out_unlock:
	NET_UNLOCK();
	return error;
}

/* ---- close and poll (socket.c, net_lock held) --------------------------- */

/*
 * The descriptor's last close.  A listener aborts its queued connections.
 * SO_LINGER with a time > 0 starts the orderly close and waits (up to
 * that time) until the peer acknowledged everything; then the protocol
 * finishes or aborts the connection on its own (SO_LINGER 0: RST).
 * so may be freed when this returns.
 */
void
so_stream_close(struct socket *so)
{
	const struct pr_usrreqs *pru = so->so_proto->pr_usrreqs;
	struct socket *sq;
	uint64_t deadline;

	NET_ASSERT_LOCKED();
	if (so->so_options & SO_ACCEPTCONN) {
		while ((sq = TAILQ_FIRST(&so->so_q0)) != NULL)
			soabort(sq);
		while ((sq = TAILQ_FIRST(&so->so_q)) != NULL)
			soabort(sq);
	}
	if ((so->so_options & SO_LINGER) && so->so_linger > 0 &&
	    (so->so_state & SS_ISCONNECTED) &&
	    !(so->so_state & SS_ISDISCONNECTING) && so->so_rcv.sb_cc == 0) {
		deadline = getuptime_ns() +
		    (uint64_t)so->so_linger * NSEC_PER_SEC;
		if (pru->pru_disconnect(so) == 0) {
			while ((so->so_state & SS_ISCONNECTED) &&
			    so_stream_wait(&so->so_snd, deadline) == 0)
				continue;
		}
	}
	so->so_state |= SS_NOFDREF;
	pru->pru_close(so);
}

int
so_stream_poll(struct socket *so, int events)
{
	int revents = 0;
	bool err;

	NET_ASSERT_LOCKED();
	err = so->so_error != 0;
	if (so->so_options & SO_ACCEPTCONN) {
		if (so->so_qlen > 0 || err)
			revents |= events & (POLLIN | POLLRDNORM);
		return revents | (err ? POLLERR : 0);
	}
	if (so->so_rcv.sb_cc > 0 || (so->so_state & SS_CANTRCVMORE) || err)
		revents |= events & (POLLIN | POLLRDNORM);
	if (((so->so_state & SS_ISCONNECTED) &&
	    !(so->so_state & SS_CANTSENDMORE) &&
	    sb_space(&so->so_snd) >= MIN(SO_SND_LOWAT, so->so_snd.sb_hiwat)) ||
	    err)
		revents |= events & (POLLOUT | POLLWRNORM);
	if (err)
		revents |= POLLERR;
	if ((so->so_state & (SS_CANTRCVMORE | SS_CANTSENDMORE)) ==
	    (SS_CANTRCVMORE | SS_CANTSENDMORE))
		revents |= POLLHUP;
	return revents;
}
