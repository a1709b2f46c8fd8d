/* sock.h — the parts of NET's sockets (sock.c: the table and lwIP's
 * callbacks; sock_calls.c: what each request does; sock_wait.c: calls that
 * wait, and the handlers). */
#ifndef NET_SOCK_H
#define NET_SOCK_H

#include "net.h"

#define UDP_QUEUE_MAX (256u * 1024) /* datagram bytes a socket holds unread; more are dropped */
#define BACKLOG_MAX   4096u
#define UDP_DATA_MAX  (0xffffu - 8 - 20) /* one datagram: IPv4's length field decides */

enum sock_state { S_NEW, S_LISTENING, S_CONNECTING, S_CONNECTED, S_GONE };

struct dgram {
    struct dgram *next;
    struct pbuf *p;
    uint32_t addr;
    uint16_t port;
};

struct sock {
    bool used;
    uint8_t kind; /* NET_TCP, NET_UDP */
    uint8_t state;
    bool reuse, nodelay;
    bool shut_rd, shut_wr;
    bool eof;       /* TCP: the peer's end came */
    uint32_t owner; /* the client's generation */
    err_t error;    /* to report once: the next call that can fail, or NET_OPT_ERROR */
    union {
        struct tcp_pcb *tcp;
        struct udp_pcb *udp;
    } pcb;
    struct pbuf *rx; /* TCP: come, not yet read */
    struct dgram *dq, *dq_tail;
    uint32_t dq_bytes, dq_dropped;
    uint32_t *backlog; /* a listener's connections not yet accepted (socket numbers) */
    uint32_t backlog_count, backlog_max, backlog_cap;
};

/* The socket numbered by lwIP's callback argument, or NULL. */
struct sock *sock_at(void *arg);
/* Client c's socket numbered id, or NULL. */
struct sock *sock_of(const struct srv_client *c, uint32_t id);
uint32_t sock_id(const struct sock *s);
static inline void *sock_arg(uint32_t id) { return (void *)(uintptr_t)id; }
/* A socket of kind for owner; NULL without memory. */
struct sock *sock_new(uint32_t owner, uint8_t kind);
/* Lets go of everything s holds. */
void sock_free(struct sock *s);
/* lwIP's callbacks for a connection that came up, and for a listener's new
 * connection (tcp_connect, tcp_accept). */
lwip_err_t sock_tcp_connected(void *arg, struct tcp_pcb *pcb, lwip_err_t err);
lwip_err_t sock_tcp_accepted(void *arg, struct tcp_pcb *pcb, lwip_err_t err);
/* NET_SOCKET. */
MUST_CHECK err_t sock_open(struct srv_client *c, const msg_t *m, struct net_done *d);
/* NET's buffer for copies between a grant and lwIP, of bytes at least; NULL
 * without memory. */
uint8_t *sock_buffer(size_t bytes);
/* The sockets of every client (for sock_left). */
uint32_t sock_count(void);
struct sock *sock_index(uint32_t i);

/* sock_calls.c: runs request m of client c: OK or an err_t with the answer's
 * payload in d, or ERR_WOULDBLOCK to wait; again: for a waiter, not a new call;
 * expired: a poll's time is up. */
MUST_CHECK err_t sock_run(struct srv_client *c, const msg_t *m, struct net_done *d, bool again,
                          bool expired);

/* sock_wait.c: something happened to s: its owner's waiting call runs again. */
void sock_wake(struct sock *s);

static inline ip_addr_t sock_ip(uint32_t addr)
{
    ip_addr_t a;
    ip_addr_set_ip4_u32(&a, lwip_htonl(addr));
    return a;
}

#endif
