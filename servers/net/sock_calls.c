/* sock_calls.c — what each socket request does (proto/net.h), over lwIP's
 * raw API: the operations return OK or an err_t, ERR_WOULDBLOCK when they
 * have to wait (sock_wait.c keeps the call and runs it again). */
#include "sock.h"

#include <stdlib.h>
#include <string.h>
#include <sys.h>

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
    ip_addr_t a = sock_ip(e->addr);
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
    tcp_arg(l, sock_arg(sock_id(s)));
    tcp_accept(l, sock_tcp_accepted);
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
    struct sock *a = sock_at(sock_arg(id));
    d->sock = id;
    if (a != NULL && a->pcb.tcp != NULL) {
        d->addr = net_addr_of(ip_2_ip4(&a->pcb.tcp->remote_ip));
        d->port = a->pcb.tcp->remote_port;
    }
    return OK;
}

static err_t op_connect(struct sock *s, const struct net_endpoint *e, bool again)
{
    ip_addr_t a = sock_ip(e->addr);
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
        err = lwip_result(tcp_connect(s->pcb.tcp, &a, e->port, sock_tcp_connected));
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
    uint8_t *buf = sock_buffer(n);
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
        ip_addr_t to = sock_ip(io->addr);
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
    uint8_t *buf = sock_buffer(n);
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
    uint8_t *buf = sock_buffer(n);
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
    struct net_pollfd *fds = (struct net_pollfd *)sock_buffer(bytes);
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

err_t sock_run(struct srv_client *c, const msg_t *m, struct net_done *d, bool again, bool expired)
{
    if (m->type == NET_SOCKET)
        return sock_open(c, m, d);
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
