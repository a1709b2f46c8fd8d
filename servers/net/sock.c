/* sock.c — sockets over lwIP's raw API: the socket half of proto/net.h.
 *
 * A socket is an entry of a table that grows, named by its index + 1 and
 * owned by one client (its generation): a number another client names is
 * not a socket of its (ERR_BADF). lwIP's callbacks carry the socket's number,
 * never a pointer, because the table moves when it grows.
 *
 * TCP data that came in waits in the socket as lwIP's pbufs until the client
 * reads it, and only then is the window opened again (tcp_recved): a client
 * that does not read slows its peer, and NET's memory for it stays one
 * window. A send takes what fits in lwIP's send buffer now and answers how
 * much; the C library sends the rest.
 *
 * A call that has to wait is kept as the client's waiter (one per client:
 * a client has one call at a time) and run again, from the event loop, after
 * anything happens to a socket of its (sock_wakeups): never from inside
 * lwIP's callbacks, which only mark the client. */
#include "net.h"

#include <stdlib.h>
#include <string.h>
#include <sys.h>

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

static struct sock *socks;
static uint32_t nsocks;
static uint8_t *data; /* copies between a client's grant and lwIP */
static size_t data_cap;
static bool woken_any;

static void *arg_of(uint32_t id) { return (void *)(uintptr_t)id; }
static uint32_t id_of(const struct sock *s) { return (uint32_t)(s - socks) + 1; }

static struct sock *sock_at(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    return id >= 1 && id <= nsocks && socks[id - 1].used ? &socks[id - 1] : NULL;
}

/* Client c's socket numbered id, or NULL. */
static struct sock *sock_of(const struct srv_client *c, uint32_t id)
{
    struct sock *s = sock_at(arg_of(id));
    return s != NULL && s->owner == c->gen ? s : NULL;
}

static uint8_t *data_room(size_t bytes)
{
    if (bytes <= data_cap)
        return data;
    uint8_t *grown = realloc(data, bytes);
    if (grown == NULL)
        return NULL;
    data = grown;
    data_cap = bytes;
    return data;
}

/* Something happened to s: its owner's waiting call is run again soon. */
static void wake(struct sock *s)
{
    struct srv_client *c = net_client(s->owner);
    if (c == NULL)
        return;
    struct net_waiter *w = srv_state(c);
    if (w->waiting) {
        w->woken = true;
        woken_any = true;
    }
}

static struct sock *sock_new(uint32_t owner, uint8_t kind)
{
    uint32_t i = 0;
    while (i < nsocks && socks[i].used)
        i++;
    if (i == nsocks) {
        uint32_t n = nsocks == 0 ? 16 : 2 * nsocks;
        struct sock *grown = realloc(socks, n * sizeof *grown);
        if (grown == NULL)
            return NULL;
        memset(grown + nsocks, 0, (n - nsocks) * sizeof *grown);
        socks = grown;
        nsocks = n;
    }
    socks[i] = (struct sock){.used = true, .kind = kind, .owner = owner};
    return &socks[i];
}

/* Addresses between lwIP's and the protocol's. */
static ip_addr_t ip_of(uint32_t addr)
{
    ip_addr_t a;
    ip_addr_set_ip4_u32(&a, lwip_htonl(addr));
    return a;
}

/* TCP's callbacks. */

static lwip_err_t tcp_received(void *arg, struct tcp_pcb *pcb, struct pbuf *p, lwip_err_t err)
{
    (void)err;
    struct sock *s = sock_at(arg);
    if (s == NULL) { /* cannot happen: closing takes the callbacks away */
        if (p != NULL)
            pbuf_free(p);
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    if (p == NULL) {
        s->eof = true;
    } else if (s->shut_rd) {
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
    } else if (s->rx != NULL) {
        pbuf_cat(s->rx, p);
    } else {
        s->rx = p;
    }
    wake(s);
    return ERR_OK;
}

static lwip_err_t tcp_sent_some(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb, (void)len;
    struct sock *s = sock_at(arg);
    if (s != NULL)
        wake(s); /* room to send again */
    return ERR_OK;
}

/* lwIP has freed the PCB: the connection is over. */
static void tcp_failed(void *arg, lwip_err_t err)
{
    struct sock *s = sock_at(arg);
    if (s == NULL)
        return;
    s->pcb.tcp = NULL;
    if (s->state == S_CONNECTING)
        s->error = err == ERR_RST ? ERR_REFUSED : ERR_TIMEDOUT;
    else
        s->error = ERR_RESET;
    s->state = S_GONE;
    wake(s);
}

static lwip_err_t tcp_connected(void *arg, struct tcp_pcb *pcb, lwip_err_t err)
{
    (void)pcb, (void)err;
    struct sock *s = sock_at(arg);
    if (s != NULL) {
        s->state = S_CONNECTED;
        wake(s);
    }
    return ERR_OK;
}

static void tcp_hooks(struct tcp_pcb *pcb, uint32_t id)
{
    tcp_arg(pcb, arg_of(id));
    tcp_recv(pcb, tcp_received);
    tcp_sent(pcb, tcp_sent_some);
    tcp_err(pcb, tcp_failed);
}

/* A connection the listener cannot take: lwIP resets it. Said on the
 * console, since its peer sees only the reset. */
static lwip_err_t refuse(struct tcp_pcb *pcb, const char *why)
{
    if (pcb != NULL)
        sys_printf("net: a connection to port %u reset: %s\n", pcb->local_port, why);
    return ERR_MEM;
}

static lwip_err_t tcp_accepted_one(void *arg, struct tcp_pcb *pcb, lwip_err_t err)
{
    struct sock *l = sock_at(arg);
    if (err != ERR_OK || pcb == NULL || l == NULL)
        return refuse(pcb, "the listener is gone");
    if (l->backlog_count >= l->backlog_max)
        return refuse(pcb, "as many wait to be accepted as listen() allowed");
    if (l->backlog_count == l->backlog_cap) {
        uint32_t n = l->backlog_cap == 0 ? 8 : 2 * l->backlog_cap;
        uint32_t *grown = realloc(l->backlog, n * sizeof *grown);
        if (grown == NULL)
            return refuse(pcb, "out of memory");
        l->backlog = grown;
        l->backlog_cap = n;
    }
    uint32_t owner = l->owner, lid = id_of(l);
    struct sock *s = sock_new(owner, NET_TCP); /* the table may move: l is stale */
    if (s == NULL)
        return refuse(pcb, "out of memory");
    l = &socks[lid - 1];
    s->state = S_CONNECTED;
    s->pcb.tcp = pcb;
    s->nodelay = l->nodelay;
    if (s->nodelay)
        tcp_nagle_disable(pcb);
    tcp_hooks(pcb, id_of(s));
    l->backlog[l->backlog_count++] = id_of(s);
    wake(l);
    return ERR_OK;
}

/* UDP's callback: a datagram for s, queued with its sender. */
static void udp_received(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *from,
                         u16_t port)
{
    (void)pcb;
    struct sock *s = sock_at(arg);
    struct dgram *d = NULL;
    if (s == NULL || s->dq_bytes + p->tot_len > UDP_QUEUE_MAX || (d = malloc(sizeof *d)) == NULL) {
        if (s != NULL)
            s->dq_dropped++; /* as a full socket buffer drops: UDP promises no delivery */
        pbuf_free(p);
        return;
    }
    *d = (struct dgram){.p = p, .addr = net_addr_of(ip_2_ip4(from)), .port = port};
    if (s->dq_tail != NULL)
        s->dq_tail->next = d;
    else
        s->dq = d;
    s->dq_tail = d;
    s->dq_bytes += p->tot_len;
    wake(s);
}

/* Lets go of everything s holds: a TCP connection ends gracefully (lwIP
 * sends what it holds, then the end; unread data makes it a reset, as
 * elsewhere), a listener's unaccepted connections go with it. */
static void sock_free(struct sock *s)
{
    if (s->kind == NET_TCP && s->pcb.tcp != NULL) {
        struct tcp_pcb *pcb = s->pcb.tcp;
        tcp_arg(pcb, NULL);
        if (s->state != S_LISTENING) {
            tcp_recv(pcb, NULL);
            tcp_sent(pcb, NULL);
            tcp_err(pcb, NULL);
        } else {
            tcp_accept(pcb, NULL);
        }
        if (tcp_close(pcb) != ERR_OK) {
            sys_printf("net: a connection to port %u reset: no memory to close it\n",
                       pcb->local_port);
            tcp_abort(pcb);
        }
    }
    if (s->kind == NET_UDP && s->pcb.udp != NULL)
        udp_remove(s->pcb.udp);
    if (s->rx != NULL)
        pbuf_free(s->rx);
    while (s->dq != NULL) {
        struct dgram *d = s->dq;
        s->dq = d->next;
        pbuf_free(d->p);
        free(d);
    }
    uint32_t *backlog = s->backlog, count = s->backlog_count;
    *s = (struct sock){.used = false};
    for (uint32_t i = 0; i < count; i++) {
        struct sock *a = sock_at(arg_of(backlog[i]));
        if (a != NULL)
            sock_free(a);
    }
    free(backlog);
}

/* The operations. Each returns OK or an err_t, ERR_WOULDBLOCK if it has to
 * wait; again says it runs for a waiter, not for a new call. */

static err_t op_socket(struct srv_client *c, const msg_t *m, struct net_done *d)
{
    uint32_t kind = msg_payload_const(m, struct net_socket)->kind;
    struct sock *s = sock_new(c->gen, (uint8_t)kind);
    if (s == NULL)
        return ERR_NOMEM;
    uint32_t id = id_of(s);
    if (kind == NET_TCP) {
        s->pcb.tcp = tcp_new();
        if (s->pcb.tcp != NULL)
            tcp_hooks(s->pcb.tcp, id);
    } else {
        s->pcb.udp = udp_new();
        if (s->pcb.udp != NULL)
            udp_recv(s->pcb.udp, udp_received, arg_of(id));
    }
    if (s->pcb.tcp == NULL && s->pcb.udp == NULL) {
        sock_free(s);
        return ERR_NOMEM;
    }
    d->sock = id;
    return OK;
}

/* A call on a socket that already failed: its error, once. */
static bool take_error(struct sock *s, err_t *err)
{
    if (s->error == OK)
        return false;
    *err = s->error;
    s->error = OK;
    return true;
}

static err_t lwip_result(lwip_err_t e)
{
    switch (e) {
    case ERR_OK:
        return OK;
    case ERR_MEM:
    case ERR_BUF:
        return ERR_NOMEM;
    case ERR_USE:
        return ERR_ADDRINUSE;
    case ERR_RTE:
        return ERR_UNREACH;
    case LWIP_ERR_ISCONN:
        return ERR_ISCONN;
    case ERR_CONN:
        return ERR_NOTCONN;
    case ERR_RST:
    case ERR_ABRT:
    case ERR_CLSD:
        return ERR_RESET;
    case ERR_VAL:
    case ERR_ARG:
        return ERR_INVAL;
    default:
        return ERR_IO;
    }
}

static err_t op_bind(struct sock *s, const struct net_endpoint *e)
{
    ip_addr_t a = ip_of(e->addr);
    if (s->kind == NET_UDP)
        return lwip_result(udp_bind(s->pcb.udp, &a, e->port));
    if (s->state != S_NEW || s->pcb.tcp == NULL)
        return ERR_INVAL;
    if (s->pcb.tcp->local_port != 0)
        return ERR_INVAL; /* bound already */
    return lwip_result(tcp_bind(s->pcb.tcp, &a, e->port));
}

static err_t op_listen(struct sock *s, uint32_t backlog)
{
    if (s->kind != NET_TCP || (s->state != S_NEW && s->state != S_LISTENING))
        return ERR_INVAL;
    s->backlog_max = backlog < 1 ? 1 : backlog > BACKLOG_MAX ? BACKLOG_MAX : backlog;
    if (s->state == S_LISTENING)
        return OK;
    if (s->pcb.tcp->local_port == 0) {
        lwip_err_t e = tcp_bind(s->pcb.tcp, IP4_ADDR_ANY, 0);
        if (e != ERR_OK)
            return lwip_result(e);
    }
    lwip_err_t e = ERR_OK;
    struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->pcb.tcp, 255, &e);
    if (l == NULL)
        return lwip_result(e); /* the socket keeps its PCB */
    s->pcb.tcp = l;
    s->state = S_LISTENING;
    tcp_arg(l, arg_of(id_of(s)));
    tcp_accept(l, tcp_accepted_one);
    return OK;
}

static err_t op_accept(struct sock *s, struct net_done *d)
{
    if (s->kind != NET_TCP || s->state != S_LISTENING)
        return ERR_INVAL;
    if (s->backlog_count == 0)
        return ERR_WOULDBLOCK;
    uint32_t id = s->backlog[0];
    memmove(s->backlog, s->backlog + 1, --s->backlog_count * sizeof *s->backlog);
    struct sock *a = sock_at(arg_of(id));
    d->sock = id;
    if (a != NULL && a->pcb.tcp != NULL) {
        d->addr = net_addr_of(ip_2_ip4(&a->pcb.tcp->remote_ip));
        d->port = a->pcb.tcp->remote_port;
    }
    return OK;
}

static err_t op_connect(struct sock *s, const struct net_endpoint *e, bool again)
{
    ip_addr_t a = ip_of(e->addr);
    if (s->kind == NET_UDP) {
        if (e->addr == 0 && e->port == 0) {
            udp_disconnect(s->pcb.udp);
            return OK;
        }
        return lwip_result(udp_connect(s->pcb.udp, &a, e->port));
    }
    err_t err;
    switch (s->state) {
    case S_NEW:
        if (e->port == 0 || e->addr == 0)
            return ERR_INVAL;
        err = lwip_result(tcp_connect(s->pcb.tcp, &a, e->port, tcp_connected));
        if (err != OK)
            return err;
        s->state = S_CONNECTING;
        return (e->flags & NET_NONBLOCK) ? ERR_INPROGRESS : ERR_WOULDBLOCK;
    case S_CONNECTING:
        return (e->flags & NET_NONBLOCK) ? ERR_INPROGRESS : ERR_WOULDBLOCK;
    case S_CONNECTED:
        return again ? OK : ERR_ISCONN;
    case S_GONE:
        return take_error(s, &err) ? err : ERR_INVAL;
    default:
        return ERR_INVAL;
    }
}

static err_t send_tcp(struct srv_client *c, struct sock *s, const struct net_io *io,
                      struct net_done *d)
{
    err_t err;
    if (take_error(s, &err))
        return err;
    if (s->state == S_GONE || s->shut_wr)
        return ERR_PIPE;
    if (s->state != S_CONNECTED)
        return ERR_NOTCONN;
    uint32_t room = tcp_sndbuf(s->pcb.tcp);
    if (room == 0 || tcp_sndqueuelen(s->pcb.tcp) >= TCP_SND_QUEUELEN)
        return ERR_WOULDBLOCK;
    uint32_t n = io->bytes < room ? io->bytes : room;
    uint8_t *buf = data_room(n);
    if (buf == NULL)
        return ERR_NOMEM;
    if ((err = srv_grant_read(c, io->offset, buf, n)) != OK)
        return err;
    lwip_err_t e = tcp_write(s->pcb.tcp, buf, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (e == ERR_MEM)
        return ERR_WOULDBLOCK; /* its segment queue is full: room comes with acks */
    if (e != ERR_OK)
        return lwip_result(e);
    (void)tcp_output(s->pcb.tcp);
    d->bytes = n;
    return OK;
}

static err_t send_udp(struct srv_client *c, struct sock *s, const struct net_io *io,
                      struct net_done *d)
{
    if (io->bytes > UDP_DATA_MAX)
        return ERR_TOOBIG;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)io->bytes, PBUF_RAM);
    if (p == NULL)
        return ERR_NOMEM;
    err_t err = srv_grant_read(c, io->offset, p->payload, io->bytes);
    if (err == OK) {
        ip_addr_t to = ip_of(io->addr);
        if (io->addr == 0 && io->port == 0)
            err = (s->pcb.udp->flags & UDP_FLAGS_CONNECTED) ? lwip_result(udp_send(s->pcb.udp, p))
                                                            : ERR_NOTCONN;
        else
            err = lwip_result(udp_sendto(s->pcb.udp, p, &to, io->port));
    }
    pbuf_free(p);
    d->bytes = io->bytes;
    return err;
}

static err_t recv_tcp(struct srv_client *c, struct sock *s, const struct net_io *io,
                      struct net_done *d)
{
    err_t err;
    if (s->rx == NULL) {
        if (take_error(s, &err))
            return err;
        if (s->eof || s->shut_rd || s->state == S_GONE)
            return OK; /* the end: 0 bytes */
        return s->state == S_CONNECTED || s->state == S_CONNECTING ? ERR_WOULDBLOCK : ERR_NOTCONN;
    }
    uint32_t n = io->bytes < s->rx->tot_len ? io->bytes : s->rx->tot_len; /* below 64 KiB */
    uint8_t *buf = data_room(n);
    if (buf == NULL)
        return ERR_NOMEM;
    (void)pbuf_copy_partial(s->rx, buf, (u16_t)n, 0);
    if ((err = srv_grant_write(c, io->offset, buf, n)) != OK)
        return err;
    s->rx = pbuf_free_header(s->rx, (u16_t)n);
    if (s->pcb.tcp != NULL)
        tcp_recved(s->pcb.tcp, (u16_t)n);
    d->bytes = n;
    if (s->pcb.tcp != NULL) {
        d->addr = net_addr_of(ip_2_ip4(&s->pcb.tcp->remote_ip));
        d->port = s->pcb.tcp->remote_port;
    }
    return OK;
}

static err_t recv_udp(struct srv_client *c, struct sock *s, const struct net_io *io,
                      struct net_done *d)
{
    struct dgram *q = s->dq;
    if (q == NULL)
        return ERR_WOULDBLOCK;
    uint32_t n = io->bytes < q->p->tot_len ? io->bytes : q->p->tot_len; /* below 64 KiB */
    uint8_t *buf = data_room(n);
    if (buf == NULL)
        return ERR_NOMEM;
    (void)pbuf_copy_partial(q->p, buf, (u16_t)n, 0);
    err_t err = srv_grant_write(c, io->offset, buf, n);
    if (err != OK)
        return err;
    s->dq = q->next;
    if (s->dq == NULL)
        s->dq_tail = NULL;
    s->dq_bytes -= q->p->tot_len;
    *d = (struct net_done){.bytes = n, .addr = q->addr, .port = q->port};
    pbuf_free(q->p);
    free(q);
    return OK;
}

static err_t op_shutdown(struct sock *s, uint32_t how)
{
    if (s->kind != NET_TCP)
        return ERR_NOTCONN;
    if (s->state != S_CONNECTED && s->state != S_GONE)
        return ERR_NOTCONN;
    if ((how & NET_SHUT_RD) && !s->shut_rd) {
        s->shut_rd = true;
        if (s->rx != NULL && s->pcb.tcp != NULL)
            tcp_recved(s->pcb.tcp, s->rx->tot_len);
        if (s->rx != NULL)
            pbuf_free(s->rx);
        s->rx = NULL;
    }
    if ((how & NET_SHUT_WR) && !s->shut_wr) {
        s->shut_wr = true;
        if (s->pcb.tcp != NULL)
            return lwip_result(tcp_shutdown(s->pcb.tcp, 0, 1));
    }
    return OK;
}

static err_t op_name(struct sock *s, bool peer, struct net_done *d)
{
    if (s->kind == NET_UDP) {
        struct udp_pcb *u = s->pcb.udp;
        if (peer && !(u->flags & UDP_FLAGS_CONNECTED))
            return ERR_NOTCONN;
        d->addr = net_addr_of(ip_2_ip4(peer ? &u->remote_ip : &u->local_ip));
        d->port = peer ? u->remote_port : u->local_port;
        return OK;
    }
    struct tcp_pcb *t = s->pcb.tcp;
    if (t == NULL || (peer && s->state != S_CONNECTED))
        return ERR_NOTCONN;
    d->addr = net_addr_of(ip_2_ip4(peer ? &t->remote_ip : &t->local_ip));
    d->port = peer ? t->remote_port : t->local_port;
    return OK;
}

static err_t op_setopt(struct sock *s, const struct net_opt *o)
{
    switch (o->opt) {
    case NET_OPT_REUSEADDR:
        s->reuse = o->value != 0;
        if (s->kind == NET_TCP && s->pcb.tcp != NULL) {
            if (s->reuse)
                ip_set_option(s->pcb.tcp, SOF_REUSEADDR);
            else
                ip_reset_option(s->pcb.tcp, SOF_REUSEADDR);
        } else if (s->kind == NET_UDP) {
            if (s->reuse)
                ip_set_option(s->pcb.udp, SOF_REUSEADDR);
            else
                ip_reset_option(s->pcb.udp, SOF_REUSEADDR);
        }
        return OK;
    case NET_OPT_NODELAY:
        if (s->kind != NET_TCP)
            return ERR_INVAL;
        s->nodelay = o->value != 0;
        if (s->pcb.tcp != NULL && s->state != S_LISTENING) {
            if (s->nodelay)
                tcp_nagle_disable(s->pcb.tcp);
            else
                tcp_nagle_enable(s->pcb.tcp);
        }
        return OK;
    default:
        return ERR_INVAL;
    }
}

static err_t op_getopt(struct sock *s, uint32_t opt, struct net_done *d)
{
    switch (opt) {
    case NET_OPT_REUSEADDR:
        d->value = s->reuse;
        return OK;
    case NET_OPT_NODELAY:
        d->value = s->nodelay;
        return OK;
    case NET_OPT_ERROR:
        d->value = (uint32_t)s->error;
        s->error = OK;
        return OK;
    case NET_OPT_TYPE:
        d->value = s->kind;
        return OK;
    default:
        return ERR_INVAL;
    }
}

/* What a poll sees of client c's socket id. */
static uint16_t ready(const struct srv_client *c, uint32_t id)
{
    struct sock *s = sock_of(c, id);
    if (s == NULL)
        return NET_POLLNVAL;
    uint16_t r = s->error != OK ? NET_POLLERR : 0;
    if (s->kind == NET_UDP)
        return (uint16_t)(r | NET_POLLOUT | (s->dq != NULL ? NET_POLLIN : 0));
    switch (s->state) {
    case S_LISTENING:
        return (uint16_t)(r | (s->backlog_count > 0 ? NET_POLLIN : 0));
    case S_CONNECTING:
        return r;
    case S_CONNECTED:
        if (s->rx != NULL || s->eof || s->shut_rd)
            r |= NET_POLLIN;
        if (!s->shut_wr && tcp_sndbuf(s->pcb.tcp) > 0 &&
            tcp_sndqueuelen(s->pcb.tcp) < TCP_SND_QUEUELEN)
            r |= NET_POLLOUT;
        if (s->eof && s->shut_wr)
            r |= NET_POLLHUP;
        return r;
    case S_GONE:
        return (uint16_t)(r | NET_POLLIN | NET_POLLOUT | NET_POLLHUP);
    default:
        return (uint16_t)(r | NET_POLLOUT | NET_POLLHUP); /* as an unconnected socket elsewhere */
    }
}

static err_t op_poll(struct srv_client *c, const struct net_poll *q, struct net_done *d,
                     bool expired)
{
    uint64_t bytes = (uint64_t)q->count * sizeof(struct net_pollfd);
    struct net_pollfd *fds = (struct net_pollfd *)data_room(bytes);
    if (fds == NULL && bytes > 0)
        return ERR_NOMEM;
    err_t err = srv_grant_read(c, q->offset, fds, bytes);
    if (err != OK)
        return err;
    uint32_t count = 0;
    for (uint32_t i = 0; i < q->count; i++) {
        uint16_t always = NET_POLLERR | NET_POLLHUP | NET_POLLNVAL;
        fds[i].revents = ready(c, fds[i].sock) & (fds[i].events | always);
        count += fds[i].revents != 0;
    }
    if (count == 0 && q->timeout_ms != 0 && !expired)
        return ERR_WOULDBLOCK;
    d->value = count;
    return srv_grant_write(c, q->offset, fds, bytes);
}

static void poll_expired(void *arg);

/* Runs request m of client c: OK or an err_t with the answer's payload in
 * d, or ERR_WOULDBLOCK to wait. */
static err_t run(struct srv_client *c, const msg_t *m, struct net_done *d, bool again, bool expired)
{
    if (m->type == NET_SOCKET)
        return op_socket(c, m, d);
    if (m->type == NET_POLL)
        return op_poll(c, msg_payload_const(m, struct net_poll), d, expired);
    /* Every other request names its socket first. */
    uint32_t id = m->type == NET_SEND || m->type == NET_RECV
                      ? msg_payload_const(m, struct net_io)->sock
                      : *msg_payload_const(m, uint32_t);
    struct sock *s = sock_of(c, id);
    if (s == NULL)
        return ERR_BADF;
    const struct net_sock *a = msg_payload_const(m, struct net_sock);
    const struct net_io *io = msg_payload_const(m, struct net_io);
    switch (m->type) {
    case NET_BIND:
        return op_bind(s, msg_payload_const(m, struct net_endpoint));
    case NET_LISTEN:
        return op_listen(s, a->arg);
    case NET_ACCEPT:
        return op_accept(s, d);
    case NET_CONNECT:
        return op_connect(s, msg_payload_const(m, struct net_endpoint), again);
    case NET_SEND:
        return s->kind == NET_TCP ? send_tcp(c, s, io, d) : send_udp(c, s, io, d);
    case NET_RECV:
        return s->kind == NET_TCP ? recv_tcp(c, s, io, d) : recv_udp(c, s, io, d);
    case NET_SHUTDOWN:
        return op_shutdown(s, a->arg);
    case NET_CLOSE:
        sock_free(s);
        return OK;
    case NET_SOCKNAME:
        return op_name(s, a->arg == 1, d);
    case NET_SETOPT:
        return op_setopt(s, msg_payload_const(m, struct net_opt));
    case NET_GETOPT:
        return op_getopt(s, msg_payload_const(m, struct net_opt)->opt, d);
    default:
        return ERR_NOSYS;
    }
}

static bool nonblocking(const msg_t *m)
{
    switch (m->type) {
    case NET_ACCEPT:
        return (msg_payload_const(m, struct net_sock)->arg & NET_NONBLOCK) != 0;
    case NET_SEND:
    case NET_RECV:
        return (msg_payload_const(m, struct net_io)->flags & NET_NONBLOCK) != 0;
    default:
        return false; /* a poll waits by its timeout; a connect says ERR_INPROGRESS itself */
    }
}

static uint8_t reply_len(uint16_t type)
{
    switch (type) {
    case NET_SOCKET:
    case NET_ACCEPT:
    case NET_SEND:
    case NET_RECV:
    case NET_SOCKNAME:
    case NET_GETOPT:
    case NET_POLL:
        return sizeof(struct net_done);
    default:
        return 0;
    }
}

/* The handler of every socket request. */
static int serve(struct srv_client *c, const msg_t *m, msg_t *r)
{
    struct net_waiter *w = srv_state(c);
    if (w->waiting)
        return ERR_BUSY; /* one call at a time: the one waiting is answered first */
    struct net_done *d = msg_payload(r, struct net_done);
    err_t err = run(c, m, d, false, false);
    if (err != ERR_WOULDBLOCK || nonblocking(m))
        return err;
    if (c->local)
        return ERR_WOULDBLOCK; /* no channel of its own to be answered on later */
    *w = (struct net_waiter){.waiting = true, .type = m->type, .len = m->len};
    memcpy(w->payload, m->payload, sizeof w->payload);
    if (m->type == NET_POLL && msg_payload_const(m, struct net_poll)->timeout_ms > 0)
        sys_timeout((u32_t)msg_payload_const(m, struct net_poll)->timeout_ms, poll_expired,
                    arg_of(c->gen));
    return SRV_LATER;
}

/* Runs c's waiting call again; answers it unless it still has to wait. */
static void rerun(struct srv_client *c, bool expired)
{
    struct net_waiter *w = srv_state(c);
    msg_t m = {.type = w->type, .len = w->len}, r = {0};
    memcpy(m.payload, w->payload, sizeof m.payload);
    err_t err = run(c, &m, msg_payload(&r, struct net_done), true, expired);
    if (err == ERR_WOULDBLOCK)
        return;
    if (m.type == NET_POLL)
        sys_untimeout(poll_expired, arg_of(c->gen));
    w->waiting = false;
    r.type = (uint16_t)err;
    r.len = err == OK ? reply_len(m.type) : 0;
    srv_answer(&net_srv, c, &r);
}

static void poll_expired(void *arg)
{
    struct srv_client *c = net_client((uint32_t)(uintptr_t)arg);
    struct net_waiter *w = c != NULL ? srv_state(c) : NULL;
    if (w != NULL && w->waiting && w->type == NET_POLL)
        rerun(c, true);
}

bool sock_wakeups(void)
{
    if (!woken_any)
        return false;
    woken_any = false;
    for (unsigned i = 0; i < srv_clients(&net_srv); i++) {
        struct srv_client *c = srv_client_at(&net_srv, i);
        struct net_waiter *w = c != NULL ? srv_state(c) : NULL;
        if (w != NULL && w->waiting && w->woken) {
            w->woken = false;
            rerun(c, false);
        }
    }
    return true;
}

void sock_left(struct srv_client *c)
{
    struct net_waiter *w = srv_state(c);
    if (w->waiting && w->type == NET_POLL)
        sys_untimeout(poll_expired, arg_of(c->gen));
    w->waiting = false;
    for (uint32_t i = 0; i < nsocks; i++) {
        if (socks[i].used && socks[i].owner == c->gen)
            sock_free(&socks[i]);
    }
}

#define SOCK_HANDLER(n)                                                                            \
    int serve_##n(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)                   \
    {                                                                                              \
        (void)s;                                                                                   \
        return serve(c, m, r);                                                                     \
    }
SOCK_HANDLER(net_socket)
SOCK_HANDLER(net_bind)
SOCK_HANDLER(net_listen)
SOCK_HANDLER(net_accept)
SOCK_HANDLER(net_connect)
SOCK_HANDLER(net_send)
SOCK_HANDLER(net_recv)
SOCK_HANDLER(net_shutdown)
SOCK_HANDLER(net_close)
SOCK_HANDLER(net_sockname)
SOCK_HANDLER(net_setopt)
SOCK_HANDLER(net_getopt)
SOCK_HANDLER(net_poll)
