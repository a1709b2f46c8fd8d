/* sock_wait.c — socket calls that wait, and the protocol's handlers: a call
 * that has to wait is kept as the client's waiter (one per client: a client
 * has one call at a time) and run again, from the event loop, after anything
 * happens to a socket of its (sock_wakeups): never from inside lwIP's
 * callbacks, which only mark the client (sock_wake). */
#include "sock.h"

#include <string.h>
#include <sys.h>

static bool woken_any;

static void poll_expired(void *arg);

/* Something happened to s: its owner's waiting call is run again soon. */
void sock_wake(struct sock *s)
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
    err_t err = sock_run(c, m, d, false, false);
    if (err != ERR_WOULDBLOCK || nonblocking(m))
        return err;
    if (c->local)
        return ERR_WOULDBLOCK; /* no channel of its own to be answered on later */
    *w = (struct net_waiter){.waiting = true, .type = m->type, .len = m->len};
    memcpy(w->payload, m->payload, sizeof w->payload);
    if (m->type == NET_POLL && msg_payload_const(m, struct net_poll)->timeout_ms > 0)
        sys_timeout((u32_t)msg_payload_const(m, struct net_poll)->timeout_ms, poll_expired,
                    sock_arg(c->gen));
    return SRV_LATER;
}

/* Runs c's waiting call again; answers it unless it still has to wait. */
static void rerun(struct srv_client *c, bool expired)
{
    struct net_waiter *w = srv_state(c);
    msg_t m = {.type = w->type, .len = w->len}, r = {0};
    memcpy(m.payload, w->payload, sizeof m.payload);
    err_t err = sock_run(c, &m, msg_payload(&r, struct net_done), true, expired);
    if (err == ERR_WOULDBLOCK)
        return;
    if (m.type == NET_POLL)
        sys_untimeout(poll_expired, sock_arg(c->gen));
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
        sys_untimeout(poll_expired, sock_arg(c->gen));
    w->waiting = false;
    for (uint32_t i = 0; i < sock_count(); i++) {
        struct sock *s = sock_index(i);
        if (s != NULL && s->owner == c->gen)
            sock_free(s);
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
