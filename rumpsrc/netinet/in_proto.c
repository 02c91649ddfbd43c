/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * in_proto.c: the Internet protocol table used by socreate (which
 * protocol serves socket(AF_INET, type, proto)), and the IPPROTO_IP
 * socket options shared by the protocols.  net_lock held for options.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <netinet/in.h>

#include "inet_private.h"
#include "in_pcb.h"

static const struct protosw inetsw[] = {
	{
		.pr_type = SOCK_STREAM,
		.pr_domain = AF_INET,
		.pr_protocol = IPPROTO_TCP,
		.pr_flags = PR_CONNREQUIRED,
		.pr_usrreqs = &tcp_usrreqs,
	},
	{
		.pr_type = SOCK_DGRAM,
		.pr_domain = AF_INET,
		.pr_protocol = IPPROTO_UDP,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_usrreqs = &udp_usrreqs,
	},
	{
		.pr_type = SOCK_RAW,
		.pr_domain = AF_INET,
		.pr_protocol = IPPROTO_ICMP,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_usrreqs = &rip_usrreqs,
	},
};

/*
 * socket(domain, type, proto): proto 0 picks the type's first protocol.
 * NULL when nothing matches (the caller tells EAFNOSUPPORT,
 * EPROTONOSUPPORT or EPROTOTYPE apart).
 */
const struct protosw *
pffindproto(int domain, int type, int proto)
{
	size_t i;

	for (i = 0; i < __arraycount(inetsw); i++) {
		const struct protosw *pr = &inetsw[i];
		if (pr->pr_domain != domain || pr->pr_type != type)
			continue;
		if (proto == 0 || proto == pr->pr_protocol)
			return pr;
	}
	return NULL;
}

int
inet_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    socklen_t *len)
{
	struct inpcb *inp = sotoinpcb(so);
	int v;

	NET_ASSERT_LOCKED();
	if (level != IPPROTO_IP)
		return ENOPROTOOPT;
	switch (name) {
	case IP_TTL:
	case IP_TOS:
		if (set) {
			if (*len != sizeof(int))
				return EINVAL;
			memcpy(&v, val, sizeof(v));
			if (v < 0 || v > 255)
				return EINVAL;
			if (name == IP_TTL)
				inp->inp_ttl = (uint8_t)v;
			else
				inp->inp_tos = (uint8_t)v;
			return 0;
		}
		if (*len < sizeof(int))
			return EINVAL;
		v = name == IP_TTL ? inp->inp_ttl : inp->inp_tos;
		memcpy(val, &v, sizeof(v));
		*len = sizeof(int);
		return 0;
	default:
		return ENOPROTOOPT;
	}
}
