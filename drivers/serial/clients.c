/* clients.c — the console's clients. A read with no finished line waiting is
 * answered later, in the order the reads came; a write is answered once its
 * bytes are out. A client that ends leaves its channel behind until the
 * driver needs the room for a new one. */
#include "serial.h"

#include <proc_abi.h>
#include <proto/pm.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

/* Clients at a time. The console hears of no client's end (it keeps the
 * channel until it needs the room), so the table stays this size: past it, a
 * new client takes the place of one whose process ended or of the quietest
 * (evict). */
#define CLIENT_MAX 48
#define PM_WAIT_NS 2000000000ull

struct client {
    bool used;
    bool reading;       /* a read waits for input */
    uint64_t read_seq;  /* when it asked: readers are served oldest first */
    uint64_t last_seen; /* its last message */
    struct chan chan;
};

static struct client clients[CLIENT_MAX];
static struct client *writing; /* whose write is half done, if anyone's */
static bool log_waiting;       /* the kernel's lines wait for that write to end */
static uint64_t next_seq;
static struct chan pm;
static bool pm_connected;
static capaddr_t take; /* where the next client's channel frame lands */

static struct client *client_of(const struct chan *ch)
{
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        if (clients[i].used && &clients[i].chan == ch)
            return &clients[i];
    }
    return NULL;
}

/* A write is done (or its writer gone): lines the kernel logged meanwhile go out. */
static void write_ended(const struct client *c)
{
    if (writing != c)
        return;
    writing = NULL;
    if (log_waiting) {
        log_waiting = false;
        serial_drain_log();
    }
}

static void drop(struct client *c)
{
    write_ended(c);
    chanset_remove(&serial.set, &c->chan);
    chan_drop(&c->chan); /* unmaps it; its slot and address go back */
    c->used = false;
}

capaddr_t clients_take_slot(void)
{
    if (take == 0 && slot_alloc(&take) != OK)
        take = 0;
    return take;
}

static bool pm_reachable(void)
{
    if (!pm_connected)
        pm_connected = chan_connect(PM_NAME, &pm, PM_WAIT_NS) == OK;
    return pm_connected;
}

/* Whether the process behind a client still runs, by PM's table (the driver
 * hears of no ends); if PM cannot say, it is taken to run. */
static bool still_running(const struct client *c)
{
    msg_t m = MSG(PM_WHO), r;
    *msg_payload(&m, struct pm_who) = (struct pm_who){c->chan.peer_core, c->chan.peer_domain};
    if (!pm_reachable() || chan_call(&pm, &m, &r) != OK)
        return true;
    return r.type == 0 && msg_payload_const(&r, struct pm_proc)->state == PM_RUNNING;
}

/* Room for a new client when every entry is taken: the clients whose
 * processes ended (PM says) go; if none did, the one quiet longest that is not
 * waiting to read. */
static struct client *evict(void)
{
    struct client *freed = NULL, *lru = NULL;
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        struct client *c = &clients[i];
        if (!c->used)
            continue;
        if (!still_running(c)) {
            drop(c);
            freed = c;
        } else if (!c->reading && (lru == NULL || c->last_seen < lru->last_seen)) {
            lru = c;
        }
    }
    if (freed == NULL && lru != NULL) {
        drop(lru);
        freed = lru;
    }
    return freed;
}

void clients_disconnected(const msg_t *disconnected)
{
    const struct ns_peer *p = msg_payload_const(disconnected, struct ns_peer);
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        struct client *c = &clients[i];
        if (c->used && c->chan.peer_core == p->core && c->chan.peer_domain == p->domain)
            drop(c);
    }
    (void)chan_closed(disconnected);
}

void clients_accept(const msg_t *connected, capaddr_t slot)
{
    struct client *c = NULL;
    for (unsigned i = 0; i < CLIENT_MAX && c == NULL; i++)
        c = clients[i].used ? NULL : &clients[i];
    if (c == NULL && (c = evict()) == NULL) {
        sys_printf("serial: a client refused: %s\n", err_str(ERR_NOMEM));
        (void)cap_delete(slot);
        return;
    }
    memset(c, 0, sizeof *c);
    if (chan_accept(connected, &c->chan, slot) != OK) {
        (void)cap_delete(slot);
        return;
    }
    if (slot == take)
        take = 0; /* the channel has it now */
    c->used = true;
    c->last_seen = next_seq++;
    if (chanset_add(&serial.set, &c->chan) != OK) {
        sys_printf("serial: a client refused: %s\n", err_str(ERR_NOMEM));
        chan_drop(&c->chan);
        c->used = false;
    }
}

static void answer(struct client *c, const msg_t *r)
{
    (void)chan_try_send(&c->chan, r); /* a client that reads no answers loses them */
}

static struct client *oldest_reader(void)
{
    struct client *best = NULL;
    for (unsigned i = 0; i < CLIENT_MAX; i++) {
        struct client *c = &clients[i];
        if (c->used && c->reading && (best == NULL || c->read_seq < best->read_seq))
            best = c;
    }
    return best;
}

void clients_serve_readers(void)
{
    struct client *c;
    while (ldisc_readable(&serial.ld) && (c = oldest_reader()) != NULL) {
        if (!still_running(c)) {
            drop(c); /* ended while its read waited: the input is for someone else */
            continue;
        }
        msg_t r = {.type = 0};
        struct cons_data *d = msg_payload(&r, struct cons_data);
        d->len = (uint32_t)ldisc_take(&serial.ld, d->data, CONS_DATA_MAX);
        c->reading = false;
        answer(c, &r);
    }
}

void clients_handle(struct chan *from, const msg_t *m)
{
    struct client *c = client_of(from);
    if (c == NULL)
        return;
    c->last_seen = next_seq++;
    msg_t r = {.type = 0};
    switch (m->type) {
    case CONS_READ:
        if (c->reading) {
            r.type = ERR_INVAL; /* one read at a time */
            break;
        }
        c->reading = true;
        c->read_seq = next_seq++;
        clients_serve_readers();
        return;
    case CONS_WRITE:
    case CONS_WRITE_MORE: {
        const struct cons_data *d = msg_payload_const(m, struct cons_data);
        if (d->len > CONS_DATA_MAX) {
            r.type = ERR_INVAL;
            write_ended(c);
            break;
        }
        uart_write(&serial.uart, d->data, d->len);
        if (m->type == CONS_WRITE_MORE && writing == NULL)
            writing = c;
        else if (m->type == CONS_WRITE)
            write_ended(c);
        break;
    }
    case CONS_SYNC:
        write_ended(c);
        serial_drain_log();
        uart_drain(&serial.uart);
        break;
    case CONS_FOREGROUND: {
        int32_t pid = msg_payload_const(m, struct cons_foreground)->pid;
        serial.foreground = pid > 0 ? pid : 0;
        return;
    }
    default:
        r.type = ERR_NOSYS;
        break;
    }
    answer(c, &r);
}

void clients_interrupt(void)
{
    if (serial.foreground == 0) {
        ldisc_push_newline(&serial.ld);
        return;
    }
    msg_t m = MSG(PM_KILL), r;
    *msg_payload(&m, struct pm_kill) = (struct pm_kill){serial.foreground, SIG_INT};
    if (!pm_reachable() || chan_call(&pm, &m, &r) != OK)
        sys_printf("serial: cannot reach pm to interrupt pid %d\n", (int)serial.foreground);
}

void clients_log_ready(void)
{
    if (writing != NULL && still_running(writing)) {
        log_waiting = true;
        return;
    }
    writing = NULL;
    log_waiting = false;
    serial_drain_log();
}
