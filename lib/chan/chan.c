/* chan.c — channels over LMP or UMP behind one API (see chan.h). A UMP
 * receiver polls for a while, then blocks; a sender wakes the other core
 * through the channel frame's capability only when the receiver asked. */
#include <chan.h>
#include <lmp.h>
#include <ns_calls.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

/* A receiver polls SPINS times before it blocks, yielding the core now and
 * then to a peer of its own core; woken, it polls only WOKEN_SPINS times
 * before it blocks again: a wake-up ends every wait on the core, most of
 * them for nothing, and each woken domain that spun would hold the core
 * from the one the wake-up was for. */
#define SPINS       2000
#define YIELD_EVERY 64
#define WOKEN_SPINS 8
#define WAIT_NS     100000000ull

/* A set's spins are counted in channels polled, not in rounds over the set:
 * a server with a thousand clients that spun SPINS rounds polled two million
 * rings each time it went idle, and held its core from the clients it
 * was waiting for. So a round over n channels counts as n polls. */
static unsigned rounds_of(const struct chanset *s, unsigned polls)
{
    unsigned n = s->count > 1 ? s->count : 1;
    return polls / n > 0 ? polls / n : 1;
}

/* Sets c up from what the monitor said, with the capability in slot; a
 * remote channel's frame is mapped at an address of its own. The caller
 * still owns slot if this fails (the capability may be gone from it). */
static err_t attach(struct chan *c, const struct ns_found *f, capaddr_t slot)
{
    if (f->kind != NS_LOCAL && (f->kind != NS_REMOTE || f->side > 1))
        return ERR_INVAL;
    uintptr_t va = 0;
    if (f->kind == NS_REMOTE) {
        err_t err = va_alloc(NS_CHAN_BYTES, &va);
        if (err == OK && (err = frame_map(slot, va, 1)) != OK)
            va_free(va, NS_CHAN_BYTES);
        if (err != OK)
            return err;
        if ((err = ump_chan_init(&c->ump, (void *)va, NS_CHAN_SLOTS, (int)f->side)) != OK) {
            (void)cap_delete(slot); /* the only way to unmap it */
            va_free(va, NS_CHAN_BYTES);
            return err;
        }
    }
    c->cap = slot;
    c->va = va;
    c->kind = (int)f->kind;
    c->peer_core = f->peer_core;
    c->peer_domain = f->peer_domain;
    return OK;
}

static err_t lookup(const char *name, uint32_t flags, struct chan *c)
{
    struct ns_name q = {.flags = flags};
    struct ns_found found;
    size_t len = strnlen(name, NS_NAME_MAX);
    if (len == 0 || len == NS_NAME_MAX)
        return ERR_INVAL;
    memcpy(q.name, name, len + 1);
    capaddr_t slot;
    err_t err = slot_alloc(&slot);
    if (err != OK)
        return err;
    err = ns_lookup(&q, &found, 0, slot);
    if (err == OK)
        err = attach(c, &found, slot);
    if (err != OK) {
        (void)cap_delete(slot); /* whatever came, if anything did */
        slot_free(slot);
    }
    return err;
}

err_t chan_lookup(const char *name, struct chan *c) { return lookup(name, 0, c); }

err_t chan_connect(const char *name, struct chan *c, uint64_t timeout_ns)
{
    uint64_t deadline = sys_now_ns() + timeout_ns;
    err_t err;
    while ((err = lookup(name, NS_LOOKUP_CHANNEL, c)) == ERR_NOENT && sys_now_ns() < deadline)
        sys_sleep_ns(5000000);
    return err;
}

static err_t register_name(const char *name, uint32_t badge, capaddr_t ep, uint32_t flags)
{
    struct ns_name q = {.flags = flags};
    size_t len = strnlen(name, NS_NAME_MAX);
    if (len == 0 || len == NS_NAME_MAX)
        return ERR_INVAL;
    memcpy(q.name, name, len + 1);
    err_t err = ep_mint(badge, ep);
    return err != OK ? err : ns_register(&q, NULL, ep, 0);
}

err_t chan_register(const char *name, uint32_t badge, capaddr_t ep)
{
    return register_name(name, badge, ep, 0);
}

err_t chan_register_hearing_ends(const char *name, uint32_t badge, capaddr_t ep)
{
    return register_name(name, badge, ep, NS_REGISTER_ENDS);
}

err_t chan_closed(const msg_t *disconnected)
{
    return ns_closed(msg_payload_const(disconnected, struct ns_peer), NULL, 0, 0);
}

err_t chan_lookup_wait(const char *name, struct chan *c, uint64_t timeout_ns)
{
    uint64_t deadline = sys_now_ns() + timeout_ns;
    err_t err;
    while ((err = chan_lookup(name, c)) == ERR_NOENT && sys_now_ns() < deadline)
        sys_sleep_ns(5000000);
    return err;
}

err_t chan_accept(const msg_t *connected, struct chan *c, capaddr_t slot)
{
    if (connected->type != NS_CONNECTED)
        return ERR_INVAL;
    return attach(c, msg_payload_const(connected, struct ns_found), slot);
}

void chan_hang_up(struct chan *c)
{
    if (c->kind != NS_REMOTE)
        return;
    ump_rx_close(&c->ump.rx);
    (void)chan_wake(c->cap); /* a peer blocked waiting for an answer sees it now */
}

void chan_drop(struct chan *c)
{
    (void)cap_delete(c->cap); /* unmaps the frame */
    slot_free(c->cap);
    if (c->va != 0)
        va_free(c->va, NS_CHAN_BYTES);
    c->cap = 0;
    c->va = 0;
}

err_t chan_try_send(struct chan *c, const msg_t *m)
{
    if (c->kind == NS_LOCAL)
        return lmp_send(c->cap, m, 0, LMP_NONBLOCK);
    err_t err = ump_send(&c->ump.tx, m);
    if (err == OK && ump_tx_wants_wake(&c->ump.tx))
        return chan_wake(c->cap);
    return err;
}

err_t chanset_add(struct chanset *s, struct chan *c)
{
    s->t.elem = sizeof(struct chan *);
    err_t err = table_fit(&s->t, s->count + 1);
    if (err == OK)
        ((struct chan **)s->t.items)[s->count++] = c;
    return err;
}

bool chanset_remove(struct chanset *s, const struct chan *c)
{
    struct chan **chans = s->t.items;
    for (unsigned i = 0; i < s->count; i++) {
        if (chans[i] == c) {
            chans[i] = chans[--s->count];
            return true;
        }
    }
    return false;
}

err_t chan_send(struct chan *c, const msg_t *m)
{
    if (c->kind == NS_LOCAL)
        return lmp_send(c->cap, m, 0, 0);
    err_t err;
    while ((err = ump_send(&c->ump.tx, m)) == ERR_WOULDBLOCK)
        sys_yield(); /* full: the receiver drains it */
    if (err != OK)
        return err;
    if (ump_tx_wants_wake(&c->ump.tx))
        return chan_wake(c->cap);
    return OK;
}

/* An LMP receive that gives up at deadline: it looks every millisecond. */
static err_t lmp_recv_by(msg_t *out, uint64_t deadline_ns)
{
    err_t err;
    while ((err = lmp_recv(out, 0, LMP_ANY, LMP_NONBLOCK, NULL)) == ERR_WOULDBLOCK) {
        if (sys_now_ns() >= deadline_ns)
            return ERR_TIMEDOUT;
        sys_sleep_ns(1000000);
    }
    return err;
}

err_t chan_recv_by(struct chan *c, msg_t *out, uint64_t deadline_ns)
{
    if (c->kind == NS_LOCAL)
        return deadline_ns == 0 ? lmp_recv(out, 0, LMP_ANY, 0, NULL)
                                : lmp_recv_by(out, deadline_ns);
    for (unsigned spins = SPINS;; spins = WOKEN_SPINS) {
        for (unsigned i = 0; i < spins; i++) {
            if (ump_recv(&c->ump.rx, out) == OK)
                return OK;
            if (i % YIELD_EVERY == YIELD_EVERY - 1)
                sys_yield(); /* a peer on this core runs only if we let it */
        }
        if (ump_tx_closed(&c->ump.tx) && ump_recv(&c->ump.rx, out) != OK)
            return ERR_DEAD; /* the other end hung up: no answer will come */
        uint64_t wait = WAIT_NS;
        if (deadline_ns != 0) {
            uint64_t now = sys_now_ns();
            if (now >= deadline_ns)
                return ERR_TIMEDOUT;
            if (deadline_ns - now < wait)
                wait = deadline_ns - now;
        }
        if (ump_rx_prepare_wait(&c->ump.rx))
            sys_wait_ns(wait);
        ump_rx_done_waiting(&c->ump.rx);
    }
}

err_t chan_recv(struct chan *c, msg_t *out) { return chan_recv_by(c, out, 0); }

err_t chan_call_by(struct chan *c, const msg_t *in, msg_t *out, uint64_t deadline_ns)
{
    if (c->kind == NS_LOCAL || deadline_ns == 0)
        return chan_call(c, in, out);
    err_t err = chan_send(c, in);
    return err == OK ? chan_recv_by(c, out, deadline_ns) : err;
}

err_t chan_call(struct chan *c, const msg_t *in, msg_t *out)
{
    if (c->kind == NS_LOCAL)
        return lmp_call(c->cap, in, out, 0, 0);
    err_t err = chan_send(c, in);
    return err == OK ? chan_recv(c, out) : err;
}

static bool poll_set(struct chanset *s, msg_t *out, struct chan **from)
{
    for (unsigned i = 0; i < s->count; i++) {
        if (chanset_at(s, i)->kind == NS_REMOTE && ump_recv(&chanset_at(s, i)->ump.rx, out) == OK) {
            *from = chanset_at(s, i);
            return true;
        }
    }
    return false;
}

/* A channel of the set whose other end hung up: *from names it, and *err is
 * ERR_DEAD, or OK with a message it sent before it went (taken into out). */
static bool dead_in_set(struct chanset *s, msg_t *out, struct chan **from, err_t *err)
{
    for (unsigned i = 0; i < s->count; i++) {
        struct chan *c = chanset_at(s, i);
        if (c->kind != NS_REMOTE || !ump_tx_closed(&c->ump.tx))
            continue;
        *from = c;
        *err = ump_recv(&c->ump.rx, out) == OK ? OK : ERR_DEAD;
        return true;
    }
    return false;
}

err_t chanset_recv(struct chanset *s, msg_t *out, struct chan **from, capaddr_t take, bool *got_cap)
{
    *got_cap = false;
    unsigned yield_every = rounds_of(s, YIELD_EVERY);
    for (unsigned spins = rounds_of(s, SPINS);;) {
        for (unsigned i = 0; i < spins; i++) {
            if (poll_set(s, out, from))
                return OK;
            /* A look at the endpoint is a system call, a look at a ring is a
             * read: the endpoint is looked at with each yield, not each round. */
            if (i % yield_every != yield_every - 1)
                continue;
            sys_yield(); /* a peer on this core runs only if we let it */
            if (lmp_recv(out, take, LMP_ANY, LMP_NONBLOCK, got_cap) == OK) {
                *from = NULL;
                return OK;
            }
        }
        err_t dead;
        if (s->report_dead && dead_in_set(s, out, from, &dead))
            return dead;
        bool block = true;
        for (unsigned i = 0; i < s->count && block; i++) {
            if (chanset_at(s, i)->kind == NS_REMOTE &&
                !ump_rx_prepare_wait(&chanset_at(s, i)->ump.rx))
                block = false;
        }
        err_t err = block ? lmp_recv(out, take, LMP_ANY, LMP_WAKEABLE, got_cap) : ERR_WOULDBLOCK;
        for (unsigned i = 0; i < s->count; i++) {
            if (chanset_at(s, i)->kind == NS_REMOTE)
                ump_rx_done_waiting(&chanset_at(s, i)->ump.rx);
        }
        spins = rounds_of(s, block ? WOKEN_SPINS : SPINS);
        if (err == OK) {
            *from = NULL;
            return OK;
        }
        if (err != ERR_WOULDBLOCK)
            return err;
    }
}

err_t chan_reply(struct chan *from, const msg_t *m)
{
    return from == NULL ? lmp_reply(m, 0) : chan_send(from, m);
}

err_t chanset_reply_recv(struct chanset *s, struct chan *from, const msg_t *reply, msg_t *out,
                         struct chan **next, capaddr_t take, bool *got_cap)
{
    if (from != NULL) {
        err_t err = chan_send(from, reply);
        return err != OK ? err : chanset_recv(s, out, next, take, got_cap);
    }
    /* Is anything waiting elsewhere? Then answer and take it. */
    bool block = true;
    for (unsigned i = 0; i < s->count && block; i++) {
        if (chanset_at(s, i)->kind == NS_REMOTE && !ump_rx_prepare_wait(&chanset_at(s, i)->ump.rx))
            block = false;
    }
    err_t err;
    *got_cap = false;
    if (block) {
        err = lmp_reply_recv(reply, out, take, LMP_ANY, LMP_WAKEABLE, got_cap);
        *next = NULL;
    } else {
        err = lmp_reply(reply, 0);
        err = err == OK || err == ERR_DEAD ? ERR_WOULDBLOCK : err;
    }
    for (unsigned i = 0; i < s->count; i++) {
        if (chanset_at(s, i)->kind == NS_REMOTE)
            ump_rx_done_waiting(&chanset_at(s, i)->ump.rx);
    }
    if (err == ERR_WOULDBLOCK) /* woken, or a UMP message waits */
        return chanset_recv(s, out, next, take, got_cap);
    return err;
}
