/* bcast.c — a message that must reach every core's monitor and come back
 * acknowledged (NS_BROADCAST), the analogue of a TLB shoot-down, sent two
 * ways so that tools/bench scaling can set them side by side:
 *
 *   unicast: the root sends MON_BCAST to every other core, and each answers
 *            MON_BCAST_ACK: 2(N-1) messages, 2 hops, but N-1 sends in a row
 *            by the root;
 *   tree:    the cores online, in order from the root, form a tree of the
 *            given degree (rank r's children are rD+1 .. rD+D); each monitor
 *            sends to its children and acknowledges to its parent once they
 *            all have: the same 2(N-1) messages, 2 log_D N hops, and D sends
 *            by any one monitor.
 *
 * Each acknowledgement carries its subtree's exact counts. Only the root
 * waits (it is answering a domain); every other monitor forwards, keeps a
 * record, and goes on serving. */
#include "monitor.h"

#include <proto/monitor.h>
#include <string.h>
#include <sys.h>

#define BCAST_TIMEOUT_NS 30000000000ull

/* A broadcast this monitor is part of, until its subtree acknowledged. */
struct bcast {
    bool used;
    uint32_t id, root;
    unsigned parent; /* whom to acknowledge; the root: itself */
    unsigned waiting;
    struct mon_bcast_ack sum; /* what the subtree has said so far */
};
static struct table bcast_table = MON_TABLE(struct bcast);
#define bcasts ((struct bcast *)bcast_table.items)

static uint32_t next_id;

/* The cores online in order, from root on (rank 0), wrapping around. */
static unsigned rank_of(unsigned core, unsigned root)
{
    unsigned r = 0;
    for (unsigned c = root; c != core; c = (c + 1) % mon.ncores)
        r += mon.online[c];
    return r;
}

static unsigned core_at(unsigned rank, unsigned root)
{
    unsigned c = root;
    for (;;) {
        if (mon.online[c] && rank-- == 0)
            return c;
        c = (c + 1) % mon.ncores;
    }
}

/* Sends b down to this monitor's children; returns how many there are. */
static unsigned send_down(const struct mon_bcast *b)
{
    unsigned n = mon.online_count, me = rank_of(mon.core, b->root);
    unsigned first, last; /* ranks of the children, first..last-1 */
    if (b->mode == NS_BCAST_UNICAST) {
        first = me == 0 ? 1 : n;
        last = n;
    } else {
        uint64_t f = (uint64_t)me * b->degree + 1;
        first = f < n ? (unsigned)f : n;
        last = f + b->degree < n ? (unsigned)(f + b->degree) : n;
    }
    msg_t m = MSG(MON_BCAST);
    *msg_payload(&m, struct mon_bcast) = *b;
    for (unsigned r = first; r < last; r++)
        mon_send(core_at(r, b->root), &m);
    return last - first;
}

static void ack_up(struct bcast *e)
{
    msg_t m = MSG(MON_BCAST_ACK);
    struct mon_bcast_ack *a = msg_payload(&m, struct mon_bcast_ack);
    *a = e->sum;
    a->cores += 1;
    a->messages += 2; /* the BCAST that came here, and this ACK */
    a->rounds += 2;
    mon_send(e->parent, &m);
    e->used = false;
}

/* A record for broadcast (id, root); NULL if the table cannot grow. */
static struct bcast *record(uint32_t id, uint32_t root, unsigned parent, unsigned waiting)
{
    unsigned i = 0;
    while (i < bcast_table.cap && bcasts[i].used)
        i++;
    if (i == bcast_table.cap && !mon_table_fit(&bcast_table, i + 1))
        return NULL;
    bcasts[i] = (struct bcast){.used = true,
                               .id = id,
                               .root = root,
                               .parent = parent,
                               .waiting = waiting,
                               .sum = {.id = id, .root = root}};
    return &bcasts[i];
}

err_t serve_mon_bcast(unsigned src, const msg_t *m)
{
    const struct mon_bcast *b = msg_payload_const(m, struct mon_bcast);
    if (b->root == mon.core || !mon.online[b->root])
        return ERR_INVAL;
    unsigned children = send_down(b);
    struct bcast *e = record(b->id, b->root, src, children);
    if (e == NULL)
        return ERR_NOMEM; /* said on the console; the root's wait ends in time */
    if (children == 0)
        ack_up(e);
    return OK;
}

err_t serve_mon_bcast_ack(unsigned src, const msg_t *m)
{
    (void)src;
    const struct mon_bcast_ack *a = msg_payload_const(m, struct mon_bcast_ack);
    for (unsigned i = 0; i < bcast_table.cap; i++) {
        struct bcast *e = &bcasts[i];
        if (!e->used || e->id != a->id || e->root != a->root || e->waiting == 0)
            continue;
        e->sum.cores += a->cores;
        e->sum.messages += a->messages;
        if (a->rounds > e->sum.rounds)
            e->sum.rounds = a->rounds;
        if (--e->waiting == 0 && e->root != mon.core)
            ack_up(e);
        return OK;
    }
    return ERR_NOENT; /* no broadcast of that number waits here */
}

err_t serve_ns_broadcast(const msg_t *m, struct mon_call *c)
{
    const struct ns_broadcast *req = msg_payload_const(m, struct ns_broadcast);
    struct mon_bcast b = {
        .id = ++next_id, .root = mon.core, .mode = req->mode, .degree = req->degree};
    unsigned sends = send_down(&b);
    if (record(b.id, b.root, mon.core, sends) == NULL)
        return ERR_NOMEM;
    /* Serve the other monitors (never this core's domains: one is owed this
     * answer) until the subtree has acknowledged; the table may grow meanwhile. */
    uint64_t deadline = sys_now_ns() + BCAST_TIMEOUT_NS;
    struct bcast *e = NULL;
    for (;;) {
        for (unsigned i = 0; i < bcast_table.cap; i++) {
            if (bcasts[i].used && bcasts[i].id == b.id && bcasts[i].root == mon.core)
                e = &bcasts[i];
        }
        if (e->waiting == 0 || sys_now_ns() >= deadline)
            break;
        if (mon_poll_peers() == 0)
            sys_yield();
    }
    e->used = false;
    if (e->waiting != 0)
        return ERR_TIMEDOUT;
    struct ns_broadcast_done *out = msg_payload(&c->r, struct ns_broadcast_done);
    *out = (struct ns_broadcast_done){.cores = e->sum.cores + 1,
                                      .messages = e->sum.messages,
                                      .rounds = e->sum.rounds,
                                      .root_sends = sends};
    return OK;
}
