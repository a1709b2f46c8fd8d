/* monitor.c — the per-core user-mode monitor: sets up its channels to every
 * other monitor (mesh.c), then serves messages from them. Every message is
 * untrusted input: a malformed one gets a MON_ERROR reply and a log line. It
 * also serves the domains of its core over LMP (names.c). It polls for a while,
 * then blocks until a local message comes or another core wakes it. */
#include "monitor.h"

#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

#define POLL_ROUNDS  200
#define WOKEN_ROUNDS 4
#define WAIT_NS      100000000ull

struct monitor mon;

uintptr_t mon_map(capaddr_t frame, uint64_t bytes)
{
    uintptr_t va;
    if (va_alloc(bytes, &va) != OK)
        return 0;
    if (frame_map(frame, va, 1) != OK) {
        va_free(va, bytes);
        return 0;
    }
    return va;
}

/* One struct peer per core online, each with its send queue: sized by the
 * machine, in a frame of the monitor's own RAM (there is no heap here). */
static bool peers_create(void)
{
    uint64_t bytes = ((uint64_t)mon.ncores * sizeof(struct peer) + 0xfff) & ~0xfffull;
    capaddr_t slot;
    err_t err = slot_alloc(&slot) == OK ? OK : ERR_NOSPACE;
    if (err == OK)
        err = mon_frame(bytes, slot);
    uintptr_t va = err == OK ? mon_map(slot, bytes) : 0;
    if (va == 0) {
        sys_printf("monitor %u: no memory for the state of %u peers (%lu bytes): %s\n", mon.core,
                   mon.ncores, (unsigned long)bytes, err_str(err == OK ? ERR_NOMEM : err));
        return false;
    }
    mon.peers = (struct peer *)va; /* zeroed by the retype */
    return true;
}

bool mon_has_word(const char *line, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = line; (p = strstr(p, word)) != NULL; p += n) {
        if ((p == line || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    }
    return false;
}

static void wake_if_waiting(unsigned core)
{
    if (ump_tx_wants_wake(&mon.peers[core].chan.tx))
        (void)kernel_wake(CAP_SLOT_KERNEL, core);
}

static msg_t *queued(const struct peer *p, unsigned i) { return (msg_t *)p->q.items + i; }

/* Sends what is queued for core, in order, while its ring has room. */
static void flush_peer(unsigned core)
{
    struct peer *p = &mon.peers[core];
    bool sent = false;
    while (p->have_chan && p->q_count > 0 && ump_send(&p->chan.tx, queued(p, p->q_head)) == OK) {
        p->q_head++;
        p->q_count--;
        sent = true;
    }
    if (p->q_count == 0) {
        p->q_head = 0;
        /* A queue that filled while its channel was being made gives its
         * frame back once empty (on 256 cores, a page for each peer); one a
         * full ring filled keeps it, as the ring may fill again. */
        if (p->have_chan && p->q_for_chan) {
            table_release(&p->q);
            p->q_for_chan = false;
        }
    }
    if (sent)
        wake_if_waiting(core);
}

void mon_flush(void)
{
    for (unsigned c = 0; c < mon.ncores; c++) {
        if (mon.peers[c].q_count > 0)
            flush_peer(c);
    }
}

/* Puts m at the end of p's queue, which moves to its start or grows when its
 * end is reached; false if there is no memory for it. */
static bool enqueue(struct peer *p, const msg_t *m)
{
    if (p->q.elem == 0)
        p->q = (struct table)MON_TABLE(msg_t);
    if (p->q_head + p->q_count == p->q.cap) {
        if (p->q_head > 0) {
            memmove(queued(p, 0), queued(p, p->q_head), (size_t)p->q_count * sizeof(msg_t));
            p->q_head = 0;
        } else if (!mon_table_fit(&p->q, p->q.cap < 16 ? 16 : p->q.cap * 2)) {
            return false;
        }
    }
    *queued(p, p->q_head + p->q_count) = *m;
    p->q_count++;
    p->q_for_chan |= !p->have_chan;
    return true;
}

void mon_send(unsigned core, const msg_t *m)
{
    if (core >= mon.ncores || core == mon.core || (mon.online_known && !mon.online[core])) {
        sys_printf("monitor %u: a message (type %u) for core %u, which is not a peer: dropped\n",
                   mon.core, m->type, core);
        return;
    }
    mon.sent++;
    struct peer *p = &mon.peers[core];
    if (!p->have_chan)
        mesh_want(core);
    flush_peer(core);
    if (p->have_chan && p->q_count == 0 && ump_send(&p->chan.tx, m) == OK) {
        wake_if_waiting(core);
        return;
    }
    if (!enqueue(p, m))
        sys_printf("monitor %u: no memory to queue a message (type %u) for core %u: dropped\n",
                   mon.core, m->type, core);
}

void mon_refuse(unsigned src, const msg_t *bad, err_t err)
{
    sys_printf("monitor %u: bad message type %u from core %u: %s\n", mon.core, bad->type, src,
               err_str(err));
    msg_t m = MSG(MON_ERROR);
    *msg_payload(&m, struct mon_error) = (struct mon_error){bad->type, (uint16_t)err};
    mon_send(src, &m);
}

err_t serve_mon_error(unsigned src, const msg_t *m)
{
    const struct mon_error *e = msg_payload_const(m, struct mon_error);
    mon_ask_refused(src, e->bad_type, (err_t)e->err);
    if (!probes_refused(src, e))
        mon_refusal("monitor %u: core %u refused message type %u: %s\n", mon.core, src, e->bad_type,
                    err_str((err_t)e->err));
    return OK;
}

/* The two tables: messages from other monitors, and requests of this core's
 * domains. Each row is checked (proto.h) before its handler runs. */
struct peer_op {
    struct proto_rule rule;
    err_t (*fn)(unsigned src, const msg_t *m);
};
#define MON_PEER_ROW(T, v, n, Rq, Rp, f, ok) {PROTO_RULE(T, v, n, Rq, Rp, f, ok), serve_##n},
static const struct peer_op peer_ops[] = {MON_MESSAGES(MON_PEER_ROW)};

struct local_op {
    struct proto_rule rule;
    err_t (*fn)(const msg_t *m, struct mon_call *c);
};
#define MON_LOCAL_ROW(T, v, n, Rq, Rp, f, ok) {PROTO_RULE(T, v, n, Rq, Rp, f, ok), serve_##n},
static const struct local_op local_ops[] = {NS_MESSAGES(MON_LOCAL_ROW)};

static void handle(unsigned src, const msg_t *m)
{
    mon.received++;
    const struct proto_rule *rule;
    err_t err = PROTO_FIND(peer_ops, m, &rule);
    if (err == OK)
        err = ((const struct peer_op *)rule)->fn(src, m);
    if (err != OK)
        mon_refuse(src, m, err);
}

unsigned mon_poll_peers(void)
{
    unsigned handled = 0;
    for (unsigned c = 0; c < mon.ncores; c++) {
        struct peer *p = &mon.peers[c];
        msg_t m;
        while (p->have_chan && ump_recv(&p->chan.rx, &m) == OK) {
            handle(c, &m);
            handled++;
        }
    }
    mon_flush();
    return handled;
}

/* A request from a domain of this core, over LMP, or the kernel's notice that
 * domains ended. Every request gets an answer: its err_t as the type, and on
 * success the payload its row says (the callers' calls check its length). */
static void handle_local(const msg_t *m, bool got_cap)
{
    if (lmp_is_notification(m)) {
        uint64_t bits = *msg_payload_const(m, uint64_t);
        if (bits & NOTIFY_REVOKE)
            (void)exports_revoke_pending();
        if (bits & NOTIFY_DOMAIN_DIED)
            procs_reap();
        return;
    }
    struct mon_call c = {.badge = m->source, .got_cap = got_cap};
    const struct proto_rule *rule;
    err_t err = PROTO_FIND(local_ops, m, &rule);
    if (err == OK)
        err = ((const struct local_op *)rule)->fn(m, &c);
    else
        mon_refusal("monitor %u: request %u from domain %u refused: %s\n", mon.core, m->type,
                    c.badge, err_str(err));
    if (got_cap)
        (void)cap_delete(names_take_slot());
    c.r.type = (uint16_t)err;
    c.r.len = err == OK ? rule->rep_bytes : 0;
    (void)lmp_reply(&c.r, err == OK ? c.give : 0);
    capaddr_t give = c.give & ~LMP_GIVE_MOVE;
    if (give != 0 && !c.keep) {
        (void)cap_delete(give); /* the asker has its copy (or has it, moved) */
        slot_free(give);
    }
}

/* One pass over every channel; returns how many messages it handled. */
static unsigned poll_all(void)
{
    unsigned handled = 0;
    msg_t local;
    bool got_cap;
    if (lmp_recv(&local, names_take_slot(), LMP_ANY, LMP_NONBLOCK, &got_cap) == OK) {
        handle_local(&local, got_cap);
        handled++;
        /* The asker has its answer: let it run now rather than after this
         * monitor's idle rounds (a request cost 280 us of them under TCG). */
        sys_yield();
    }
    return handled + mon_poll_peers();
}

static void wait_for_messages(void)
{
    bool block = true;
    for (unsigned c = 0; c < mon.ncores && block; c++)
        block = mon.peers[c].q_count == 0; /* still sending: poll, do not sleep */
    for (unsigned c = 0; c < mon.ncores && block; c++) {
        if (mon.peers[c].have_chan && !ump_rx_prepare_wait(&mon.peers[c].chan.rx))
            block = false;
    }
    /* Block in a receive that a local message or another core's wake-up ends;
     * while a busy server still has to take a channel, an alarm ends it too
     * within a millisecond, and one ends it when a count of refusals may be
     * said. (A plain nap kept the core's other domains waiting for it: a
     * flood of lookups then took a nap each.) */
    msg_t local;
    bool got_cap;
    uint64_t wake = names_pending() || channels_pending() ? sys_now_ns() + 1000000 : 0;
    uint64_t due = refusals_due(); /* a count of refusals to say, once it may */
    if (due != 0 && (wake == 0 || due < wake))
        wake = due;
    if (block && wake != 0 && sys_alarm(wake, NOTIFY_NAP) != OK) {
        sys_sleep_ns(1000000);
        block = false;
    }
    if (block)
        refusals_poll(); /* going idle: the count of lines left unsaid */
    if (block && lmp_recv(&local, names_take_slot(), LMP_ANY, LMP_WAKEABLE, &got_cap) == OK)
        handle_local(&local, got_cap);
    for (unsigned c = 0; c < mon.ncores; c++) {
        if (mon.peers[c].have_chan)
            ump_rx_done_waiting(&mon.peers[c].chan.rx);
    }
}

int main(void)
{
    mon.core = sys_core_id();
    mon.ncores = sys_core_count();
    if (mon.ncores > MON_MAX_CORES)
        mon.ncores = MON_MAX_CORES;
    if (sys_cmdline(mon.cmdline, sizeof mon.cmdline).err != OK)
        mon.cmdline[0] = '\0';
    if (!peers_create())
        return 1;
    mesh_start();
    /* Woken, a monitor polls WOKEN_ROUNDS idle rounds before it blocks again:
     * a wake-up ends every wait on its core, mostly for another domain, which
     * should not wait behind this monitor's idle rounds. */
    for (unsigned rounds = POLL_ROUNDS;; rounds = WOKEN_ROUNDS) {
        unsigned idle = 0;
        while (idle < rounds) {
            if (poll_all()) {
                idle = 0;
                rounds = POLL_ROUNDS;
            } else {
                idle++;
            }
            if (idle % 8 == 7)
                sys_yield(); /* whoever a wake-up was for runs before our idle rounds end */
            mon_flush();
            names_poll();
            channels_poll();
            mesh_check_up();
            procs_poll();
            refusals_poll(); /* a busy monitor says its count too, as the budget allows */
        }
        wait_for_messages();
    }
}
