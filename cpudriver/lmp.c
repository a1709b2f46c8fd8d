/* lmp.c — local message passing between the dispatchers of this core (see
 * lmp.h). Messages go from IPC buffer to IPC buffer through the direct map: one
 * 64-byte copy, no page walk. Every capability and argument is checked before
 * anything is delivered. */
#include <arch.h>
#include <cap.h>
#include <dispatch.h>
#include <lmp_abi.h>
#include <lmp_sys.h>
#include <msg.h>
#include <string.h>

static msg_t *ipc(struct dispatcher *d) { return arch_phys_to_virt(d->ipc_phys); }

static void unblock(struct dispatcher *x, err_t err, uint64_t value)
{
    arch_set_syscall_result(&x->regs, err, value);
    x->state = D_RUNNABLE;
}

NORETURN static void finish(struct dispatcher *d, err_t err, uint64_t value)
{
    arch_set_syscall_result(&d->regs, err, value);
    arch_resume(d);
}

/* The dispatcher an endpoint capability names, and the badge it carries. */
static err_t target_of(struct dispatcher *d, capaddr_t ep, struct dispatcher **t, uint32_t *badge)
{
    struct cap *c;
    err_t err = cap_get(d, ep, CAP_ENDPOINT, CAP_RIGHT_WRITE, &c);
    if (err != OK)
        return err;
    *t = dispatch_find(c->core);
    *badge = (uint32_t)c->base;
    return *t == NULL ? ERR_DEAD : OK;
}

static err_t check_give(struct dispatcher *d, capaddr_t give)
{
    struct cap *c;
    return give == 0 ? OK : cap_get(d, give & ~LMP_GIVE_MOVE, CAP_NULL, CAP_RIGHT_GRANT, &c);
}

/* Copies the message (and a capability, if one is given and room is made for it).
 * The receive's value carries the sender's domain id in its upper half (see
 * lmp_abi.h): servers tell their clients apart by it, and no one can forge it. */
static uint64_t deliver(struct dispatcher *from, struct dispatcher *to, uint32_t badge,
                        capaddr_t give)
{
    msg_t *dst = ipc(to);
    memcpy(dst, ipc(from), sizeof *dst);
    dst->source = badge;
    dst->ctrl = 0;
    uint64_t sender = (uint64_t)from->id << LMP_SENDER_SHIFT;
    struct cap *c;
    capaddr_t slot = give & ~LMP_GIVE_MOVE;
    if (give == 0 || to->recv_take == 0 || cap_get(from, slot, CAP_NULL, CAP_RIGHT_GRANT, &c) != OK)
        return sender;
    err_t err = cap_derive_copy(c, to, to->recv_take, CAP_RIGHTS_ALL | CAP_RIGHT_PHYS);
    /* A move: the receiver's copy inherits the capability's place (cap_remove)
     * before either side runs again. */
    if (err == OK && (give & LMP_GIVE_MOVE))
        cap_remove(c);
    return sender | (err == OK ? LMP_GOT_CAP : 0);
}

static bool accepts(const struct dispatcher *r, uint32_t badge)
{
    return r->state == D_RECEIVING && (r->recv_filter == LMP_ANY || r->recv_filter == badge);
}

static void enqueue(struct dispatcher *t, struct dispatcher *s)
{
    s->sendq_next = NULL;
    if (t->sendq_tail != NULL)
        t->sendq_tail->sendq_next = s;
    else
        t->sendq_head = s;
    t->sendq_tail = s;
    s->waiting_on = t;
    s->state = D_SENDING;
}

static void dequeue(struct dispatcher *t, struct dispatcher *s)
{
    struct dispatcher **p = &t->sendq_head, *prev = NULL;
    while (*p != NULL && *p != s) {
        prev = *p;
        p = &(*p)->sendq_next;
    }
    if (*p == NULL)
        return;
    *p = s->sendq_next;
    if (t->sendq_tail == s)
        t->sendq_tail = prev;
    s->sendq_next = NULL;
}

/* Delivers a waiting notification to r; false if there is none or r filters. */
static bool take_notification(struct dispatcher *r)
{
    if (r->notify_bits == 0 || r->recv_filter != LMP_ANY)
        return false;
    msg_t *m = ipc(r);
    memset(m, 0, sizeof *m);
    m->type = LMP_NOTIFY_TYPE;
    memcpy(m->payload, &r->notify_bits, sizeof r->notify_bits);
    r->notify_bits = 0;
    return true;
}

/* The receive half: takes a queued sender or a notification; true if it did. */
static bool try_receive(struct dispatcher *d, uint64_t *value)
{
    *value = 0;
    if (take_notification(d))
        return true;
    for (struct dispatcher *s = d->sendq_head; s != NULL; s = s->sendq_next) {
        if (d->recv_filter != LMP_ANY && d->recv_filter != s->send_badge)
            continue;
        dequeue(d, s);
        *value = deliver(s, d, s->send_badge, s->send_give);
        if (s->send_is_call) {
            s->state = D_CALLING;
            s->waiting_on = d;
            d->reply_to = s->id;
        } else {
            unblock(s, OK, 0);
        }
        return true;
    }
    return false;
}

NORETURN void lmp_sys_send(struct dispatcher *d, const uint64_t a[6])
{
    struct dispatcher *t;
    uint32_t badge;
    capaddr_t give = (capaddr_t)a[1];
    err_t err = target_of(d, (capaddr_t)a[0], &t, &badge);
    if (err == OK)
        err = check_give(d, give);
    if (err == OK && t == d && !(a[2] & LMP_NONBLOCK))
        err = ERR_INVAL; /* it would wait for itself to receive, for ever */
    if (err != OK)
        finish(d, err, 0);
    if (accepts(t, badge)) {
        unblock(t, OK, deliver(d, t, badge, give));
        finish(d, OK, 0);
    }
    if (a[2] & LMP_NONBLOCK)
        finish(d, ERR_WOULDBLOCK, 0);
    d->send_badge = badge;
    d->send_give = give;
    d->send_is_call = false;
    enqueue(t, d);
    schedule();
}

NORETURN void lmp_sys_call(struct dispatcher *d, const uint64_t a[6])
{
    struct dispatcher *t;
    uint32_t badge;
    capaddr_t give = (capaddr_t)a[1];
    err_t err = target_of(d, (capaddr_t)a[0], &t, &badge);
    if (err == OK)
        err = check_give(d, give);
    if (err == OK && t == d)
        err = ERR_INVAL; /* it would wait for itself */
    if (err != OK)
        finish(d, err, 0);
    d->recv_take = (capaddr_t)a[2];
    if (accepts(t, badge)) {
        /* Fast path: the callee waits; hand it the message and run it now. */
        uint64_t got = deliver(d, t, badge, give);
        t->reply_to = d->id;
        d->state = D_CALLING;
        d->waiting_on = t;
        arch_set_syscall_result(&t->regs, OK, got);
        t->state = D_RUNNABLE;
        dispatch_switch_to(t);
    }
    d->send_badge = badge;
    d->send_give = give;
    d->send_is_call = true;
    enqueue(t, d);
    schedule();
}

/* A receive that found nothing returns at once if its flags say it may not
 * wait: LMP_NONBLOCK, or LMP_WAKEABLE with a wake-up already pending. */
static void return_if_not_waiting(struct dispatcher *d)
{
    if (d->recv_flags & LMP_NONBLOCK)
        finish(d, ERR_WOULDBLOCK, 0);
    if ((d->recv_flags & LMP_WAKEABLE) && d->wake_pending) {
        d->wake_pending = false;
        finish(d, ERR_WOULDBLOCK, 0);
    }
}

NORETURN void lmp_sys_recv(struct dispatcher *d, const uint64_t a[6])
{
    d->recv_take = (capaddr_t)a[0];
    d->recv_filter = (uint32_t)a[1];
    d->recv_flags = (uint32_t)a[2];
    uint64_t value;
    if (try_receive(d, &value))
        finish(d, OK, value);
    return_if_not_waiting(d);
    d->state = D_RECEIVING;
    schedule();
}

/* Sends the reply d owes; the caller it went to, or NULL. */
static struct dispatcher *reply(struct dispatcher *d, capaddr_t give, err_t *err)
{
    struct dispatcher *c = d->reply_to ? dispatch_find(d->reply_to) : NULL;
    d->reply_to = 0;
    *err = check_give(d, give);
    if (*err != OK)
        return NULL;
    if (c == NULL || c->state != D_CALLING || c->waiting_on != d) {
        *err = ERR_DEAD; /* no caller waits (any more) */
        return NULL;
    }
    arch_set_syscall_result(&c->regs, OK, deliver(d, c, 0, give));
    c->state = D_RUNNABLE;
    return c;
}

NORETURN void lmp_sys_reply(struct dispatcher *d, const uint64_t a[6])
{
    err_t err;
    reply(d, (capaddr_t)a[0], &err);
    finish(d, err, 0);
}

NORETURN void lmp_sys_reply_recv(struct dispatcher *d, const uint64_t a[6])
{
    err_t err;
    struct dispatcher *c = d->reply_to ? reply(d, (capaddr_t)a[0], &err) : NULL;
    d->recv_take = (capaddr_t)a[1];
    d->recv_filter = (uint32_t)a[2];
    d->recv_flags = (uint32_t)a[3];
    uint64_t value;
    if (try_receive(d, &value))
        finish(d, OK, value);
    return_if_not_waiting(d); /* the reply, if any, is on its way all the same */
    d->state = D_RECEIVING;
    if (c != NULL)
        dispatch_switch_to(c); /* fast path: straight back to the caller */
    schedule();
}

NORETURN void lmp_sys_notify(struct dispatcher *d, const uint64_t a[6])
{
    struct dispatcher *t;
    uint32_t badge;
    err_t err = target_of(d, (capaddr_t)a[0], &t, &badge);
    if (err != OK)
        finish(d, err, 0);
    if (a[1] == 0)
        finish(d, ERR_INVAL, 0);
    lmp_kernel_notify(t, a[1]);
    finish(d, OK, 0);
}

err_t lmp_endpoint_target(struct dispatcher *d, capaddr_t ep, struct dispatcher **t)
{
    uint32_t badge;
    return target_of(d, ep, t, &badge);
}

void lmp_kernel_notify(struct dispatcher *t, uint64_t bits)
{
    t->notify_bits |= bits;
    if (t->state == D_RECEIVING && take_notification(t))
        unblock(t, OK, 0);
}

NORETURN void lmp_sys_ep_mint(struct dispatcher *d, const uint64_t a[6])
{
    if (a[0] == LMP_ANY || a[0] > 0xffffffffu)
        finish(d, ERR_INVAL, 0);
    struct cap c = {.type = CAP_ENDPOINT, .rights = CAP_RIGHTS_ALL, .core = d->id, .base = a[0]};
    finish(d, cap_install(d, (capaddr_t)a[1], &c), 0);
}

void lmp_on_death(struct dispatcher *d)
{
    if (d->state == D_SENDING && d->waiting_on != NULL)
        dequeue(d->waiting_on, d);
    for (struct dispatcher *s = d->sendq_head, *next; s != NULL; s = next) {
        next = s->sendq_next;
        s->sendq_next = NULL;
        unblock(s, ERR_DEAD, 0);
    }
    d->sendq_head = d->sendq_tail = NULL;
    for (struct dispatcher *o = dispatch_first(); o != NULL; o = dispatch_next(o)) {
        if (o != d && o->state == D_CALLING && o->waiting_on == d)
            unblock(o, ERR_DEAD, 0);
    }
}

bool lmp_wake(struct dispatcher *d)
{
    if (d->state != D_RECEIVING || !(d->recv_flags & LMP_WAKEABLE))
        return false;
    unblock(d, ERR_WOULDBLOCK, 0);
    return true;
}
