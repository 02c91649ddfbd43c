/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tcp_reass.c: the out-of-order queue of a connection (RFC 9293 3.10.7.4:
 * segments beyond rcv_nxt are kept until the gap before them fills).
 *
 * Entries are sorted by sequence number and never overlap: a new segment
 * is trimmed against its neighbours (bytes already queued win), and one
 * that adds nothing is dropped.  The queue is bounded per connection
 * (tcp_params.tp_reass_max entries); past the bound a segment is dropped
 * and counted, and the sender retransmits it.  The data bytes count
 * against nothing else: the receive window bounds what a peer may send.
 *
 * Called by tcp_input with net_lock held; tcp_close/tcp_discard flush.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "in_pcb.h"
#include "tcp_var.h"

struct tcp_qent {
	struct tcp_qent	*q_next;
	struct mbuf	*q_m;		/* data only */
	tcp_seq		q_seq;
	int		q_len;
	bool		q_fin;		/* a FIN follows the data */
};

static void
tcp_qent_free(struct tcp_qent *q)
{
	m_freem(q->q_m);
	kmem_free(q, sizeof(*q));
}

void
tcp_reass_flush(struct tcpcb *tp)
{
	struct tcp_qent *q;

	while ((q = tp->t_segq) != NULL) {
		tp->t_segq = q->q_next;
		tcp_qent_free(q);
	}
	tp->t_segqlen = 0;
}

void
tcp_reass_insert(struct tcpcb *tp, struct mbuf *m, tcp_seq seq, int len,
    bool fin)
{
	struct tcp_qent *q, *prev = NULL, *nq, **pp;
	int over;

	NET_ASSERT_LOCKED();
	/* Find the first entry that starts after seq. */
	for (q = tp->t_segq; q != NULL && SEQ_LEQ(q->q_seq, seq);
	    q = q->q_next)
		prev = q;
	/* The predecessor covers our front: trim it off. */
	if (prev != NULL) {
		over = (int)(prev->q_seq + (uint32_t)prev->q_len - seq);
		if (over >= len && !(fin && !prev->q_fin &&
		    over == len)) {
			TCP_STATINC(TCP_STAT_RCVDUPPACK);
			TCP_STATADD(TCP_STAT_RCVDUPBYTE, (uint64_t)len);
			m_freem(m);
			return;
		}
		if (over > 0) {
			m_adj(m, over);
			seq += (uint32_t)over;
			len -= over;
		}
	}
	/* Successors we cover entirely go; a partly covered one trims us. */
	while (q != NULL) {
		over = (int)(seq + (uint32_t)len - q->q_seq);
		if (over <= 0)
			break;
		if (over < q->q_len || q->q_fin) {
			m_adj(m, -over);
			len -= over;
			fin = false;
			break;
		}
		nq = q->q_next;
		if (prev != NULL)
			prev->q_next = nq;
		else
			tp->t_segq = nq;
		tp->t_segqlen--;
		tcp_qent_free(q);
		q = nq;
	}
	if (len <= 0 && !fin) {
		m_freem(m);
		return;
	}
	if (tp->t_segqlen >= tcp_params.tp_reass_max) {
		TCP_STATINC(TCP_STAT_RCVOODROP);
		m_freem(m);
		return;
	}
	nq = kmem_alloc(sizeof(*nq), KM_NOSLEEP);
	if (nq == NULL) {
		TCP_STATINC(TCP_STAT_RCVMEMDROP);
		m_freem(m);
		return;
	}
	TCP_STATINC(TCP_STAT_RCVOOPACK);
	nq->q_m = m;
	nq->q_seq = seq;
	nq->q_len = len;
	nq->q_fin = fin;
	pp = prev != NULL ? &prev->q_next : &tp->t_segq;
	nq->q_next = *pp;
	*pp = nq;
	tp->t_segqlen++;
}

int
tcp_reass_pull(struct tcpcb *tp)
{
	struct socket *so = tp->t_socket;
	struct tcp_qent *q;
	int over, flags = 0;

	NET_ASSERT_LOCKED();
	while ((q = tp->t_segq) != NULL && SEQ_LEQ(q->q_seq, tp->rcv_nxt)) {
		tp->t_segq = q->q_next;
		tp->t_segqlen--;
		over = (int)(tp->rcv_nxt - q->q_seq);
		if (over >= q->q_len && !q->q_fin) {
			tcp_qent_free(q);
			continue;
		}
		if (over > q->q_len) {	/* the data is old, the FIN not */
			over = q->q_len;
		}
		if (over > 0)
			m_adj(q->q_m, over);
		if (q->q_len - over > 0 && !(so->so_state & SS_CANTRCVMORE)) {
			if (!sb_append_stream(&so->so_rcv, q->q_m)) {
				/* Not acknowledged: the peer sends it again. */
				TCP_STATINC(TCP_STAT_RCVSBFULL);
				kmem_free(q, sizeof(*q));
				break;
			}
		} else {
			m_freem(q->q_m);
		}
		q->q_m = NULL;
		tp->rcv_nxt += (uint32_t)(q->q_len - over);
		if (q->q_fin)
			flags |= TH_FIN;
		kmem_free(q, sizeof(*q));
		if (flags & TH_FIN)
			break;
	}
	return flags;
}
