/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mbuf_ops.c: operations on mbuf chains (sys/mbuf.h): headroom, pullup,
 * prepend, trim, copy in and out, deep copy, building a packet from a
 * flat buffer.  Called by every layer of the stack; none of these takes a
 * lock (an mbuf chain belongs to one owner at a time).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include "net_private.h"

void
m_reserve(struct mbuf *m, int len)
{
	KASSERT(m->m_len == 0 && m->m_data == M_BUFSTART(m));
	KASSERT(len >= 0 && len <= M_BUFSIZE(m));
	m->m_data += len;
}

int
m_length(const struct mbuf *m)
{
	int len = 0;

	for (; m != NULL; m = m->m_next)
		len += m->m_len;
	return len;
}

bool
m_check(const struct mbuf *m)
{
	const struct mbuf *n;

	if (!(m->m_flags & M_PKTHDR))
		return false;
	for (n = m; n != NULL; n = n->m_next) {
		if (n->m_len < 0 || M_LEADINGSPACE(n) < 0 ||
		    M_TRAILINGSPACE(n) < 0)
			return false;
	}
	return m_length(m) == m->m_pkthdr.len;
}

/* Move the packet header of from to to (to has none yet). */
static void
m_move_pkthdr(struct mbuf *to, struct mbuf *from)
{
	to->m_flags = (to->m_flags & M_EXT) | (from->m_flags & M_COPYFLAGS);
	to->m_pkthdr = from->m_pkthdr;
	from->m_flags &= ~M_COPYFLAGS;
}

struct mbuf *
m_pullup(struct mbuf *m, int len)
{
	struct mbuf *n, *m0;
	int count, space;

	if (m->m_len >= len)
		return m;
	m0 = m;
	if (len > MCLBYTES || len > m_length(m))
		goto err_free;
	mbuf_note_pullup(false);
	/*
	 * If the first mbuf has room after its data for the rest, gather
	 * into it; otherwise start a fresh first mbuf (with a cluster when
	 * MHLEN is too small) and keep the old first one as the second.
	 */
	if (M_BUFSTART(m) + M_BUFSIZE(m) - m->m_data >= len) {
		if (M_TRAILINGSPACE(m) < len - m->m_len) {
			memmove(M_BUFSTART(m), m->m_data, m->m_len);
			m->m_data = M_BUFSTART(m);
		}
		n = m;
		m = m->m_next;
		n->m_next = NULL;
	} else {
		n = m_get(M_NOWAIT, m->m_type);
		if (n == NULL)
			goto err_free;
		if (len > MHLEN && !m_clget(n, M_NOWAIT)) {
			m_free(n);
			goto err_free;
		}
		if (m->m_flags & M_PKTHDR)
			m_move_pkthdr(n, m);
	}
	space = M_TRAILINGSPACE(n);
	while (n->m_len < len && m != NULL) {
		count = MIN(len - n->m_len, m->m_len);
		KASSERT(count <= space);
		memcpy(n->m_data + n->m_len, m->m_data, count);
		n->m_len += count;
		space -= count;
		m->m_data += count;
		m->m_len -= count;
		if (m->m_len == 0)
			m = m_free(m);
	}
	KASSERT(n->m_len == len);
	n->m_next = m;
	return n;

err_free:
	mbuf_note_pullup(true);
	m_freem(m0);
	return NULL;
}

struct mbuf *
m_prepend(struct mbuf *m, int len, int how)
{
	struct mbuf *n;

	KASSERT(len >= 0 && len <= MHLEN);
	if (M_LEADINGSPACE(m) >= len) {
		m->m_data -= len;
		m->m_len += len;
		if (m->m_flags & M_PKTHDR)
			m->m_pkthdr.len += len;
		return m;
	}
	n = m_get(how, m->m_type);
	if (n == NULL) {
		m_freem(m);
		return NULL;
	}
	if (m->m_flags & M_PKTHDR)
		m_move_pkthdr(n, m);
	/* Put the new bytes at the end of n's buffer: later prepends in
	 * front of them then find headroom. */
	n->m_data = n->m_dat + MLEN - len;
	n->m_len = len;
	n->m_next = m;
	if (n->m_flags & M_PKTHDR)
		n->m_pkthdr.len += len;
	return n;
}

void
m_adj(struct mbuf *mp, int req)
{
	struct mbuf *m;
	int len, total;

	if (mp == NULL)
		return;
	if (req >= 0) {
		len = req;
		for (m = mp; m != NULL && len > 0; m = m->m_next) {
			if (m->m_len <= len) {
				len -= m->m_len;
				m->m_len = 0;
			} else {
				m->m_data += len;
				m->m_len -= len;
				len = 0;
			}
		}
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len -= req - len;
		return;
	}
	/* Trim from the tail: keep the first total - (-req) bytes. */
	len = -req;
	total = m_length(mp);
	if (len > total)
		len = total;
	total -= len;
	for (m = mp; m != NULL; m = m->m_next) {
		if (m->m_len >= total) {
			m->m_len = total;
			total = 0;
			for (m = m->m_next; m != NULL; m = m->m_next)
				m->m_len = 0;
			break;
		}
		total -= m->m_len;
	}
	if (mp->m_flags & M_PKTHDR)
		mp->m_pkthdr.len -= len;
}

void
m_copydata(const struct mbuf *m, int off, int len, void *buf)
{
	uint8_t *p = buf;
	int count;

	KASSERT(off >= 0 && len >= 0);
	while (off > 0) {
		KASSERTMSG(m != NULL, "m_copydata: offset past the chain");
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		KASSERTMSG(m != NULL, "m_copydata: length past the chain");
		count = MIN(m->m_len - off, len);
		memcpy(p, m->m_data + off, count);
		p += count;
		len -= count;
		off = 0;
		m = m->m_next;
	}
}

int
m_copyback(struct mbuf *m0, int off, int len, const void *buf, int how)
{
	const uint8_t *p = buf;
	struct mbuf *m = m0, *n;
	int count, grown = 0, end = off + len;

	KASSERT(off >= 0 && len >= 0);
	/* First make sure the chain is long enough (grow the tail). */
	for (;;) {
		int have = m_length(m0);
		if (have >= end)
			break;
		for (n = m0; n->m_next != NULL; n = n->m_next)
			;
		if (M_TRAILINGSPACE(n) > 0) {
			count = MIN(M_TRAILINGSPACE(n), end - have);
			memset(n->m_data + n->m_len, 0, count);
			n->m_len += count;
			grown += count;
			continue;
		}
		n->m_next = m_get(how, MT_DATA);
		if (n->m_next == NULL)
			goto err_undo;
		if (end - have > MLEN && !m_clget(n->m_next, how)) {
			m_free(n->m_next);
			n->m_next = NULL;
			goto err_undo;
		}
	}
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len += grown;
	if (len == 0)
		return 0;
	while (off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		count = MIN(m->m_len - off, len);
		memcpy(m->m_data + off, p, count);
		p += count;
		len -= count;
		off = 0;
		m = m->m_next;
	}
	return 0;

err_undo:
	/* Give back what was added: trim the grown bytes off again. */
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len += grown;
	m_adj(m0, -grown);
	return ENOBUFS;
}

struct mbuf *
m_copym(const struct mbuf *m, int off, int len, int how)
{
	struct mbuf *top, *n, **np;
	int total, count;

	total = m_length(m);
	KASSERT(off >= 0 && off <= total);
	if (len == M_COPYALL)
		len = total - off;
	KASSERT(len >= 0 && off + len <= total);
	top = m_gethdr(how, m->m_type);
	if (top == NULL)
		return NULL;
	if (m->m_flags & M_PKTHDR) {
		top->m_pkthdr = m->m_pkthdr;
		top->m_flags |= m->m_flags & (M_COPYFLAGS & ~M_PKTHDR);
	}
	top->m_pkthdr.len = len;
	n = top;
	np = &top->m_next;
	if (len > MHLEN && !m_clget(top, how))
		goto err_free;
	for (;;) {
		count = MIN(len, M_TRAILINGSPACE(n));
		m_copydata(m, off, count, n->m_data + n->m_len);
		n->m_len += count;
		off += count;
		len -= count;
		if (len == 0)
			break;
		n = m_get(how, MT_DATA);
		if (n == NULL)
			goto err_free;
		*np = n;
		np = &n->m_next;
		if (len > MLEN && !m_clget(n, how))
			goto err_free;
	}
	return top;

err_free:
	m_freem(top);
	return NULL;
}

struct mbuf *
m_devget(const void *buf, int len, int headroom, struct ifnet *rcvif,
    int how)
{
	struct mbuf *m;
	int err;

	KASSERT(len >= 0 && headroom >= 0 && headroom <= MHLEN);
	if (headroom + len > MHLEN)
		m = m_getcl(how, MT_DATA);
	else
		m = m_gethdr(how, MT_DATA);
	if (m == NULL)
		return NULL;
	m_reserve(m, headroom);
	m->m_pkthdr.rcvif = rcvif;
	err = m_copyback(m, 0, len, buf, how);
	if (err != 0) {
		m_freem(m);
		return NULL;
	}
	return m;
}

void
m_cat(struct mbuf *m, struct mbuf *n)
{
	while (m->m_next != NULL)
		m = m->m_next;
	m->m_next = n;
}
