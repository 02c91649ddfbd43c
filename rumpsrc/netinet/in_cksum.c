/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * in_cksum.c: the Internet checksum (RFC 1071) over mbuf chains and flat
 * buffers, and the TCP/UDP pseudo-header sum.  Used by IP, ICMP, UDP and
 * (later) TCP, on input and output.
 *
 * Sums are accumulated in 32 bits over 16-bit words in memory order
 * (the one's complement sum is byte-order independent, RFC 1071 2(B)),
 * folded at the end; a chain whose mbufs hold odd lengths is handled by
 * swapping the partial sum (RFC 1071 2(A)).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <netinet/in.h>
#include <netinet/ip_var.h>

static uint32_t
cksum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}

/* Sum len bytes at p (any alignment); returns a folded 16-bit sum. */
static uint32_t
cksum_buf(const uint8_t *p, int len)
{
	uint64_t sum = 0;
	uint16_t w;

	while (len >= 2) {
		memcpy(&w, p, 2);
		sum += w;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		w = 0;
		memcpy(&w, p, 1);	/* the odd byte, padded with zero */
		sum += w;
	}
	return cksum_fold(sum);
}

static uint32_t
cksum_swap(uint32_t s)
{
	return ((s & 0xff) << 8) | ((s >> 8) & 0xff);
}

uint32_t
in_cksum_add(uint32_t sum, const void *buf, int len)
{
	return cksum_fold((uint64_t)sum + cksum_buf(buf, len));
}

uint16_t
in_cksum(const struct mbuf *m, int off, int len, uint32_t sum0)
{
	uint64_t sum = cksum_fold(sum0);
	uint32_t part;
	bool odd = false;
	int count;

	while (m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	for (; m != NULL && len > 0; m = m->m_next, off = 0) {
		count = MIN(m->m_len - off, len);
		if (count <= 0)
			continue;
		part = cksum_buf(m->m_data + off, count);
		/* A buffer starting at an odd position of the stream sums
		 * its bytes in the other lanes. */
		sum += odd ? cksum_swap(part) : part;
		if (count & 1)
			odd = !odd;
		len -= count;
	}
	KASSERTMSG(len == 0, "in_cksum: range past the chain");
	return (uint16_t)~cksum_fold(sum);
}

uint32_t
in_pseudo(struct in_addr src, struct in_addr dst, uint8_t proto,
    uint16_t len)
{
	uint64_t sum;

	sum = (src.s_addr & 0xffff) + (src.s_addr >> 16) +
	    (dst.s_addr & 0xffff) + (dst.s_addr >> 16) +
	    htons((uint16_t)proto) + htons(len);
	return cksum_fold(sum);
}
