/* sock.c — NET's sockets over lwIP's raw API (the socket half of
 * proto/net.h): their table, and lwIP's callbacks into it.
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
 * much; the C library sends the rest (sock_calls.c). The callbacks only
 * mark the owner's waiting call (sock_wait.c). */
#include "sock.h"

#include <stdlib.h>
#include <string.h>
#include <sys.h>

static struct sock *socks;
static uint32_t nsocks;
static uint8_t *data; /* copies between a client's grant and lwIP */
static size_t data_cap;

uint32_t sock_id(const struct sock *s) { return (uint32_t)(s - socks) + 1; }

uint32_t sock_count(void) { return nsocks; }

struct sock *sock_index(uint32_t i) { return i < nsocks && socks[i].used ? &socks[i] : NULL; }

struct sock *sock_at(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    return id >= 1 && id <= nsocks && socks[id - 1].used ? &socks[id - 1] : NULL;
}

struct sock *sock_of(const struct srv_client *c, uint32_t id)
{
    struct sock *s = sock_at(sock_arg(id));
    return s != NULL && s->owner == c->gen ? s : NULL;
}

uint8_t *sock_buffer(size_t bytes)
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

struct sock *sock_new(uint32_t owner, uint8_t kind)
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
    sock_wake(s);
    return ERR_OK;
}

static lwip_err_t tcp_sent_some(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb, (void)len;
    struct sock *s = sock_at(arg);
    if (s != NULL)
        sock_wake(s); /* room to send again */
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
    sock_wake(s);
}

lwip_err_t sock_tcp_connected(void *arg, struct tcp_pcb *pcb, lwip_err_t err)
{
    (void)pcb, (void)err;
    struct sock *s = sock_at(arg);
    if (s != NULL) {
        s->state = S_CONNECTED;
        sock_wake(s);
    }
    return ERR_OK;
}

static void tcp_hooks(struct tcp_pcb *pcb, uint32_t id)
{
    tcp_arg(pcb, sock_arg(id));
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

lwip_err_t sock_tcp_accepted(void *arg, struct tcp_pcb *pcb, lwip_err_t err)
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
    uint32_t owner = l->owner, lid = sock_id(l);
    struct sock *s = sock_new(owner, NET_TCP); /* the table may move: l is stale */
    if (s == NULL)
        return refuse(pcb, "out of memory");
    l = &socks[lid - 1];
    s->state = S_CONNECTED;
    s->pcb.tcp = pcb;
    s->nodelay = l->nodelay;
    if (s->nodelay)
        tcp_nagle_disable(pcb);
    tcp_hooks(pcb, sock_id(s));
    l->backlog[l->backlog_count++] = sock_id(s);
    sock_wake(l);
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
    sock_wake(s);
}

/* Lets go of everything s holds: a TCP connection ends gracefully (lwIP
 * sends what it holds, then the end; unread data makes it a reset, as
 * elsewhere), a listener's unaccepted connections go with it. */
void sock_free(struct sock *s)
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
        struct sock *a = sock_at(sock_arg(backlog[i]));
        if (a != NULL)
            sock_free(a);
    }
    free(backlog);
}

/* NET_SOCKET: a new socket with its PCB. */

err_t sock_open(struct srv_client *c, const msg_t *m, struct net_done *d)
{
    uint32_t kind = msg_payload_const(m, struct net_socket)->kind;
    struct sock *s = sock_new(c->gen, (uint8_t)kind);
    if (s == NULL)
        return ERR_NOMEM;
    uint32_t id = sock_id(s);
    if (kind == NET_TCP) {
        s->pcb.tcp = tcp_new();
        if (s->pcb.tcp != NULL)
            tcp_hooks(s->pcb.tcp, id);
    } else {
        s->pcb.udp = udp_new();
        if (s->pcb.udp != NULL)
            udp_recv(s->pcb.udp, udp_received, sock_arg(id));
    }
    if (s->pcb.tcp == NULL && s->pcb.udp == NULL) {
        sock_free(s);
        return ERR_NOMEM;
    }
    d->sock = id;
    return OK;
}
