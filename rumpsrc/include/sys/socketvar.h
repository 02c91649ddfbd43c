/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sys/socketvar.h: sockets inside the kernel (net/socket.c,
 * net/socket_buf.c) and the protocol switch they call (struct protosw).
 *
 * A socket is the protocol-independent half of a communication
 * endpoint: two socket buffers (receive, send), options, state, the
 * pending error, and a pointer to its protocol's control block
 * (so_pcb).  Protocols are reached through so_proto->pr_usrreqs.
 *
 * Datagram receive buffers hold records (m_nextpkt list): an MT_SONAME
 * mbuf with the sender's address, then the data.  sb_cc counts data
 * bytes against sb_hiwat (SO_RCVBUF/SO_SNDBUF).
 *
 * Stream sockets (PR_CONNREQUIRED, net/socket_stream.c) keep both buffers
 * as one byte stream: a single m_next chain from sb_mb to sb_mbtail,
 * appended at the tail and consumed from the front; sb_mbcnt bounds the
 * memory behind the bytes.  A listening socket (SO_ACCEPTCONN) keeps
 * the connections the protocol created for it (sonewconn) on so_q0 while
 * they are being established and on so_q once they are ready for
 * accept(2); such queued sockets have no descriptor (SS_NOFDREF) and are
 * freed by the protocol (sofree) if they die before accept takes them.
 * A stream socket whose descriptor was closed lives on (SS_NOFDREF) until
 * its protocol is done with the connection and calls sofree.
 *
 * Locking: net_lock guards every field of a socket and its buffers, and
 * every pr_usrreqs call is made with it held.  Sleepers wait on the
 * buffer's sb_cv with net_lock as the interlock.  A file holds the only
 * long-lived reference to a socket; soclose (from the file's last
 * close) detaches the protocol and frees it.
 */
#ifndef _SYS_SOCKETVAR_H_
#define _SYS_SOCKETVAR_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/socket.h>
#include <sys/queue.h>

struct mbuf;
struct socket;
struct uio;

struct sockbuf {
	struct mbuf	*sb_mb;		/* first record */
	struct mbuf	*sb_lastrecord;
	u_int		sb_cc;		/* data bytes held */
	u_int		sb_hiwat;	/* limit on sb_cc */
	u_int		sb_lowat;
	uint64_t	sb_timeo_ns;	/* SO_RCVTIMEO/SO_SNDTIMEO, 0: none */
	kcondvar_t	sb_cv;
	uint64_t	sb_overflows;	/* records dropped: no space */
	struct mbuf	*sb_mbtail;	/* stream: last mbuf of the chain */
	u_int		sb_mbcnt;	/* stream: mbuf+cluster bytes held */
};

/* so_state */
#define SS_ISCONNECTED		0x0001
#define SS_CANTSENDMORE		0x0010
#define SS_CANTRCVMORE		0x0020
#define SS_ISBOUND		0x0100
#define SS_ISCONNECTING		0x0002	/* stream: connect in progress */
#define SS_ISDISCONNECTING	0x0004	/* stream: closing */
#define SS_NOFDREF		0x0200	/* no descriptor holds it */
#define SS_INQ0			0x0400	/* on so_head's so_q0 */
#define SS_INQ			0x0800	/* on so_head's so_q */

#define SOMAXCONN		128	/* largest listen backlog */

/* SO_LINGER's value (NetBSD layout). */
struct linger {
	int	l_onoff;
	int	l_linger;	/* seconds */
};

struct pr_usrreqs;

struct protosw {
	int		pr_type;	/* SOCK_* */
	int		pr_domain;	/* AF_* */
	int		pr_protocol;	/* IPPROTO_*, 0 = the type's default */
	int		pr_flags;	/* PR_* */
	const struct pr_usrreqs *pr_usrreqs;
};
#define PR_ATOMIC	0x01	/* messages are sent whole */
#define PR_ADDR		0x02	/* receive records carry an address */
#define PR_WILDCARD	0x04	/* matches any protocol of its type */
#define PR_CONNREQUIRED	0x08	/* connection based: a byte stream */

/*
 * Protocol operations, all called with net_lock held.  Addresses are
 * kernel copies, already length-checked against sa_len.  pru_send owns
 * m (NULL nam: to the connected peer).
 */
struct pr_usrreqs {
	int	(*pru_attach)(struct socket *so, int proto);
	void	(*pru_detach)(struct socket *so);
	int	(*pru_bind)(struct socket *so, const struct sockaddr *nam);
	int	(*pru_connect)(struct socket *so, const struct sockaddr *nam);
	int	(*pru_disconnect)(struct socket *so);
	int	(*pru_shutdown)(struct socket *so);
	int	(*pru_send)(struct socket *so, struct mbuf *m,
		    const struct sockaddr *nam);
	int	(*pru_sockaddr)(struct socket *so, struct sockaddr *nam);
	int	(*pru_peeraddr)(struct socket *so, struct sockaddr *nam);
	/* Protocol-level options (level != SOL_SOCKET); set or get. */
	int	(*pru_ctloutput)(struct socket *so, bool set, int level,
		    int name, void *val, socklen_t *len);
	/* Stream protocols only (PR_CONNREQUIRED). */
	int	(*pru_listen)(struct socket *so, int backlog);
	/* The reader took data out of so_rcv: window updates. */
	void	(*pru_rcvd)(struct socket *so);
	/* The descriptor is gone (SS_NOFDREF is set): finish or abort the
	 * connection; the protocol calls sofree when it is done (possibly
	 * before returning).  The caller must not touch so afterwards. */
	void	(*pru_close)(struct socket *so);
	/* Abort at once (RST); frees like pru_close when SS_NOFDREF. */
	void	(*pru_abort)(struct socket *so);
};

struct socket {
	LIST_ENTRY(socket) so_list;	/* all sockets, under net_lock */
	bool		so_orphaned;	/* the stack shut down under it */
	short		so_type;	/* SOCK_* */
	int		so_options;	/* SO_* booleans */
	int		so_state;	/* SS_* */
	int		so_error;	/* pending asynchronous error */
	const struct protosw *so_proto;
	void		*so_pcb;
	struct sockbuf	so_rcv;
	struct sockbuf	so_snd;
	/* Stream sockets (socket_stream.c). */
	int		so_linger;	/* SO_LINGER seconds (so_options) */
	struct socket	*so_head;	/* listener, while queued */
	TAILQ_ENTRY(socket) so_qe;	/* on so_head's so_q0 or so_q */
	TAILQ_HEAD(, socket) so_q0;	/* listener: being established */
	TAILQ_HEAD(, socket) so_q;	/* listener: ready for accept */
	u_int		so_q0len;
	u_int		so_qlen;
	u_int		so_qlimit;	/* listen backlog */
};

/* net/socket.c; thread context, net_lock NOT held unless stated. */
int	socreate(int domain, int type, int proto, struct socket **sop);
void	soclose(struct socket *so);
int	sobind(struct socket *so, const struct sockaddr *nam);
int	soconnect(struct socket *so, const struct sockaddr *nam);
/* Send one message (uio) to nam (NULL: connected peer). */
int	sosend(struct socket *so, const struct sockaddr *nam, struct uio *uio,
	    int flags, bool nbio);
/* Receive one message into uio; the sender's address to *from (may be
 * NULL) with its length in *fromlen; *flagsp gets MSG_TRUNC. */
int	soreceive(struct socket *so, struct sockaddr *from, socklen_t *fromlen,
	    struct uio *uio, int *flagsp, bool nbio);
int	sosetopt(struct socket *so, int level, int name, const void *val,
	    socklen_t len);
int	sogetopt(struct socket *so, int level, int name, void *val,
	    socklen_t *len);
int	sogetname(struct socket *so, struct sockaddr *nam, bool peer);
int	soshutdown(struct socket *so, int how);
int	sopoll(struct socket *so, int events);

/* Socket buffers (net/socket_buf.c), net_lock held. */
void	sb_init(struct sockbuf *sb, u_int hiwat, const char *wmesg);
void	sb_destroy(struct sockbuf *sb);
u_int	sb_space(const struct sockbuf *sb);
/* Append a datagram record (address nam, data m); false when it does
 * not fit (m freed, counted in sb_overflows). */
bool	sb_append_addr(struct sockbuf *sb, const struct sockaddr *nam,
	    struct mbuf *m);
void	sb_flush(struct sockbuf *sb);
/* Wake readers/writers and pollers. */
void	sorwakeup(struct socket *so);
void	sowwakeup(struct socket *so);
/* Set a pending error and wake everyone. */
void	soseterror(struct socket *so, int error);

/* Poll support (net/socket.c). */
uint64_t sopoll_generation(void);
/* Wait (net_lock held) until the generation moves past gen or timeout
 * ns pass (0: forever); EWOULDBLOCK on timeout. */
int	sopoll_wait(uint64_t gen, uint64_t timeout_ns);

/*
 * Stream sockets (net/socket_stream.c).  Thread context without net_lock
 * unless stated.
 */
/* connect; nbio: EINPROGRESS instead of waiting (streams). */
int	soconnect_nb(struct socket *so, const struct sockaddr *nam, bool nbio);
int	solisten(struct socket *so, int backlog);
/* Take the first ready connection of listener head (waits unless nbio). */
int	soaccept(struct socket *head, bool nbio, struct socket **sop);
/* net_lock held: */
/* A new socket for a connection arriving on listener head, on its so_q0;
 * NULL when no memory (the caller counts the drop). */
struct socket *sonewconn(struct socket *head);
void	soisconnecting(struct socket *so);
void	soisconnected(struct socket *so);	/* moves q0 -> q */
void	soisdisconnecting(struct socket *so);
void	soisdisconnected(struct socket *so);
void	socantsendmore(struct socket *so);
void	socantrcvmore(struct socket *so);
/* Free a socket the protocol is done with (SS_NOFDREF, so_pcb NULL). */
void	sofree(struct socket *so);
/* Append a chain (no packet header needed) to a stream buffer; false when
 * the memory bound is hit (m freed, counted in sb_overflows). */
bool	sb_append_stream(struct sockbuf *sb, struct mbuf *m);
/* Drop len bytes from the front of a stream buffer. */
void	sb_drop(struct sockbuf *sb, u_int len);

/* The protocol table (netinet/in_proto.c). */
const struct protosw *pffindproto(int domain, int type, int proto);

#endif /* _SYS_SOCKETVAR_H_ */
