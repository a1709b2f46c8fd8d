/* server.c — the server skeleton (server.h): clients, dispatch, answers. */
#include <lmp.h>
#include <ns_calls.h>
#include <proc_abi.h>
#include <server.h>
#include <slot_alloc.h>
#include <stddef.h>
#include <string.h>
#include <sys.h>

/* Every server answers these: grant.c's and health.c's. */
int serve_srv_grant(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_srv_ping(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
int serve_srv_fault(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
void srv_grant_release(struct srv_client *c);

static const struct srv_op builtin[] = {SRV_OPS(SRV_MESSAGES)};

static size_t entry_bytes(const struct srv *s)
{
    size_t align = _Alignof(struct srv_client);
    return (sizeof(struct srv_client) + s->state_bytes + align - 1) & ~(align - 1);
}

static struct srv_client *entry(const struct table *t, unsigned i)
{
    return (struct srv_client *)((char *)t->items + (size_t)i * t->elem);
}

unsigned srv_clients(const struct srv *s) { return s->clients.cap; }

struct srv_client *srv_client_at(const struct srv *s, unsigned i)
{
    struct srv_client *c = i < s->clients.cap ? entry(&s->clients, i) : NULL;
    return c != NULL && c->used ? c : NULL;
}

err_t srv_start(struct srv *s)
{
    s->clients.elem = (uint32_t)entry_bytes(s);
    s->local.elem = (uint32_t)entry_bytes(s);
    struct cap_info monitor;
    err_t err = table_fit(&s->local, 1);
    if (err == OK && (err = cap_identify(CAP_SLOT_MONITOR, &monitor)) == OK)
        s->monitor = (uint32_t)monitor.size;
    if (err == OK)
        err = slot_alloc(&s->ep);
    if (err == OK)
        err = chan_register_hearing_ends(s->name, 1, s->ep);
    s->set.report_dead = true;
    return err;
}

err_t srv_upstream_add(struct srv *s, struct srv_upstream *u)
{
    err_t err = chanset_add(&s->set, &u->chan);
    if (err != OK)
        return err;
    u->next = s->upstreams;
    s->upstreams = u;
    return OK;
}

void srv_upstream_remove(struct srv *s, struct srv_upstream *u)
{
    for (struct srv_upstream **p = &s->upstreams; *p != NULL; p = &(*p)->next) {
        if (*p == u) {
            *p = u->next;
            chanset_remove(&s->set, &u->chan);
            return;
        }
    }
}

/* The client whose channel from is, or NULL for an upstream's. */
static struct srv_client *client_of(const struct srv *s, struct chan *from)
{
    char *p = (char *)from - offsetof(struct srv_client, chan);
    char *first = s->clients.items;
    if (first == NULL || p < first || p >= first + (size_t)s->clients.cap * s->clients.elem)
        return NULL;
    return (struct srv_client *)p;
}

static struct srv_upstream *upstream_of(struct chan *from)
{
    return (struct srv_upstream *)((char *)from - offsetof(struct srv_upstream, chan));
}

/* A free entry, the table grown if need be. A table that grew moved its
 * clients: the set of channels is made again from it. */
static err_t room(struct srv *s, struct srv_client **out)
{
    unsigned i = 0;
    while (i < s->clients.cap && entry(&s->clients, i)->used)
        i++;
    if (i == s->clients.cap) {
        err_t err = table_fit(&s->clients, i + 1);
        if (err != OK)
            return err;
        s->set.count = 0;
        for (unsigned k = 0; k < i && err == OK; k++)
            err = chanset_add(&s->set, &entry(&s->clients, k)->chan); /* room: it held them */
        for (struct srv_upstream *u = s->upstreams; u != NULL && err == OK; u = u->next)
            err = chanset_add(&s->set, &u->chan);
    }
    *out = entry(&s->clients, i);
    return OK;
}

static void accept_client(struct srv *s, const msg_t *m)
{
    struct srv_client *c = NULL;
    err_t err = room(s, &c);
    struct chan refused;
    if (err != OK) { /* no room: the client hears ERR_DEAD instead of waiting */
        sys_printf("%s: a client refused: %s\n", s->name, err_str(err));
        if (chan_accept(m, &refused, s->take) == OK) {
            s->take = 0;
            chan_hang_up(&refused);
            chan_drop(&refused);
        }
        return;
    }
    memset(c, 0, s->clients.elem);
    if (chan_accept(m, &c->chan, s->take) != OK)
        return; /* the slot is still s->take's; what came in it goes with the next */
    s->take = 0;
    c->used = true;
    c->gen = ++s->gens;
    if ((err = chanset_add(&s->set, &c->chan)) != OK) {
        sys_printf("%s: a client refused: %s\n", s->name, err_str(err));
        chan_hang_up(&c->chan);
        chan_drop(&c->chan);
        c->used = false;
    }
}

static void drop(struct srv *s, struct srv_client *c, bool hang_up)
{
    if (s->left != NULL)
        s->left(s, c);
    srv_grant_release(c);
    chanset_remove(&s->set, &c->chan);
    if (hang_up)
        chan_hang_up(&c->chan);
    chan_drop(&c->chan); /* unmaps it; its slot and address go back */
    c->used = false;
}

void srv_cut_off(struct srv *s, struct srv_client *c) { drop(s, c, true); }

/* A client's process ended (its monitor says): its channels go, so that their
 * pages can be used again. */
static void disconnected(struct srv *s, const msg_t *m)
{
    const struct ns_peer *p = msg_payload_const(m, struct ns_peer);
    for (unsigned i = 0; i < s->clients.cap; i++) {
        struct srv_client *c = srv_client_at(s, i);
        if (c != NULL && c->chan.peer_core == p->core && c->chan.peer_domain == p->domain)
            drop(s, c, false);
    }
    if (s->ended != NULL)
        s->ended(s, p->core, p->domain);
    (void)chan_closed(m);
}

void srv_answer(struct srv *s, struct srv_client *c, const msg_t *r)
{
    if (c->local) {
        (void)lmp_reply(r, r->type == OK ? c->give : 0);
        return;
    }
    err_t err = chan_try_send(&c->chan, r);
    if (err == OK)
        return;
    if (err == ERR_DEAD) { /* the client hung up, or died and its monitor hung up for it */
        drop(s, c, false);
        return;
    }
    sys_printf("%s: the client on core %u domain %u does not read its answers: cut off\n", s->name,
               c->chan.peer_core, c->chan.peer_domain);
    srv_cut_off(s, c);
}

static err_t find(const struct srv *s, const msg_t *m, const struct srv_op **op)
{
    const struct proto_rule *rule;
    err_t err = PROTO_FIND(builtin, m, &rule);
    if (err == ERR_NOSYS)
        err = proto_find(s->ops, sizeof *s->ops, s->nops, m, &rule);
    *op = (const struct srv_op *)rule; /* the rule is the first member of its op */
    return err;
}

static void dispatch(struct srv *s, struct srv_client *c, const msg_t *m)
{
    c->last_seen = ++s->seq;
    const struct srv_op *op;
    msg_t r = {.type = OK};
    msg_t in = *m;
    err_t err = find(s, &in, &op);
    int result = err;
    if (err == OK) {
        /* The handler sees only the bytes the client sent; the rest are 0. */
        memset(in.payload + in.len, 0, MSG_PAYLOAD_SIZE - in.len);
        result = op->fn(s, c, &in, &r);
    }
    if (result == SRV_LATER && !c->local)
        return;
    if (result == SRV_LATER)
        result = ERR_WOULDBLOCK; /* a caller without a channel cannot be answered later */
    r.type = (uint16_t)result;
    r.len = result == OK ? op->rule.rep_bytes : 0;
    srv_answer(s, c, &r);
}

/* Clients' channels the monitor could not hand over while this server was
 * busy (NOTIFY_CHANNEL_WAITING): a server its clients keep busy is never
 * waiting in a receive when the monitor tries, so it asks for them. */
static void take_pending(struct srv *s)
{
    for (;;) {
        if (s->take == 0 && slot_alloc(&s->take) != OK)
            return;
        msg_t m = MSG(NS_CONNECTED);
        m.len = sizeof(struct ns_found);
        if (ns_pending(NULL, msg_payload(&m, struct ns_found), 0, s->take) != OK)
            return;
        accept_client(s, &m);
    }
}

/* A request over LMP, from a domain of this core that has the endpoint:
 * served as a client of this one request. */
static void serve_local(struct srv *s, const msg_t *m)
{
    struct srv_client *c = entry(&s->local, 0);
    memset(c, 0, s->local.elem);
    c->local = true;
    c->chan.kind = NS_LOCAL;
    c->chan.peer_core = sys_core_id();
    c->chan.peer_domain = lmp_last_sender();
    dispatch(s, c, m);
}

void srv_serve_one(struct srv *s)
{
    if (s->take == 0 && slot_alloc(&s->take) != OK)
        s->take = 0; /* no slot: a client's channel waits until one is free */
    msg_t m;
    struct chan *from;
    bool got_cap;
    err_t err = chanset_recv(&s->set, &m, &from, s->take, &got_cap);
    if (err == ERR_DEAD && from != NULL) {
        struct srv_client *c = client_of(s, from);
        if (c != NULL) {
            drop(s, c, false); /* its monitor's NS_DISCONNECTED follows */
        } else {
            struct srv_upstream *u = upstream_of(from);
            srv_upstream_remove(s, u);
            if (u->died != NULL)
                u->died(s, u);
        }
        return;
    }
    if (err != OK)
        return;
    if (from != NULL) {
        struct srv_client *c = client_of(s, from);
        if (c != NULL)
            dispatch(s, c, &m);
        else if (upstream_of(from)->answered != NULL)
            upstream_of(from)->answered(s, upstream_of(from), &m);
    } else if (lmp_is_notification(&m)) {
        uint64_t bits = *msg_payload_const(&m, uint64_t);
        if (bits & NOTIFY_CHANNEL_WAITING)
            take_pending(s);
        bits &= ~NOTIFY_CHANNEL_WAITING;
        if (bits != 0 && s->notified != NULL)
            s->notified(s, bits);
    } else if (m.type == NS_CONNECTED && got_cap && lmp_last_sender() == s->monitor) {
        accept_client(s, &m);
    } else if (m.type == NS_DISCONNECTED && !got_cap && lmp_last_sender() == s->monitor) {
        disconnected(s, &m);
    } else {
        if (got_cap)
            (void)cap_delete(s->take); /* a local caller's capability: not taken */
        serve_local(s, &m);
    }
}

void srv_run(struct srv *s)
{
    for (;;)
        srv_serve_one(s);
}
