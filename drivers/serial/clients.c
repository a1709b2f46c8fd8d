/* clients.c — the console's protocol (proto/console.h) on the server skeleton
 * (server.h). A read with no finished line waiting is answered later, in the
 * order the reads came; a write is answered once its bytes are out, and goes
 * out as one piece: the kernel's lines come between requests, never inside one.
 * A write sent again (writes.c) is answered without going out twice. */
#include "serial.h"

#include <proc_abi.h>
#include <proto/pm.h>
#include <proto_chan.h>
#include <sys.h>

#define PM_WAIT_NS 2000000000ull

/* A client's own state (srv_state): the read it waits on. */
struct reader {
    uint64_t seq; /* when it asked, for oldest first; 0: not reading */
};

static uint64_t reads;
static struct chan pm;
static bool pm_connected;
static char out[CONS_GRANT_MAX]; /* a write, copied out of its grant */

PROTO_CHAN_CALLS(PM_MESSAGES)

/* The channel to PM, opened on first use; NULL if PM cannot be reached. */
static struct chan *pm_chan(void)
{
    if (!pm_connected)
        pm_connected = chan_connect(PM_NAME, &pm, PM_WAIT_NS) == OK;
    return pm_connected ? &pm : NULL;
}

/* Whether the process behind c still runs, by PM's table: its end may reach
 * the driver (NS_DISCONNECTED) after the line typed for the next reader. If
 * PM cannot say, it is taken to run. */
static bool still_running(const struct srv_client *c)
{
    struct pm_proc p;
    struct chan *to = pm_chan();
    if (to == NULL)
        return true;
    err_t err = pm_who(to, &(struct pm_who){c->chan.peer_core, c->chan.peer_domain}, &p);
    if (err != OK && err != ERR_NOPROC)
        return true;
    return err == OK && p.state == PM_RUNNING;
}

static uint64_t read_seq(struct srv_client *c) { return ((struct reader *)srv_state(c))->seq; }

static struct srv_client *oldest_reader(struct srv *s)
{
    struct srv_client *best = NULL;
    for (unsigned i = 0; i < srv_clients(s); i++) {
        struct srv_client *c = srv_client_at(s, i);
        if (c != NULL && read_seq(c) != 0 && (best == NULL || read_seq(c) < read_seq(best)))
            best = c;
    }
    return best;
}

static int take_line(msg_t *r)
{
    struct cons_data *d = msg_payload(r, struct cons_data);
    d->len = (uint32_t)ldisc_take(&serial.ld, d->data, CONS_DATA_MAX);
    return OK;
}

void clients_serve_readers(struct srv *s)
{
    struct srv_client *c;
    while (ldisc_readable(&serial.ld) && (c = oldest_reader(s)) != NULL) {
        if (!still_running(c)) {
            srv_cut_off(s, c); /* ended while its read waited: the line is someone else's */
            continue;
        }
        msg_t r = {.type = OK, .len = CONS_READ_REPLY_LEN};
        take_line(&r);
        ((struct reader *)srv_state(c))->seq = 0;
        srv_answer(s, c, &r);
    }
}

static int serve_cons_read(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)m;
    struct reader *rd = srv_state(c);
    if (c->local) /* served once, with no channel to answer on later */
        return ldisc_readable(&serial.ld) ? take_line(r) : ERR_WOULDBLOCK;
    if (rd->seq != 0)
        return ERR_INVAL; /* one read at a time */
    rd->seq = ++reads;
    clients_serve_readers(s); /* it may answer this one at once */
    return SRV_LATER;
}

static int serve_cons_write(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)r;
    const struct cons_write *w = msg_payload_const(m, struct cons_write);
    if (writes_done(c, w->seq))
        return OK; /* its answer was lost: written once is enough */
    err_t err = OK;
    if (w->offset == CONS_INLINE)
        uart_write(&serial.uart, w->data, w->len);
    else if ((err = srv_grant_read(c, w->offset, out, w->len)) == OK) /* the grant fits in out */
        uart_write(&serial.uart, out, w->len);
    if (err == OK)
        writes_record(c, w->seq);
    return err;
}

static int serve_cons_sync(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m, (void)r;
    serial_drain_log();
    uart_drain(&serial.uart);
    return OK;
}

static int serve_cons_poll(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)s, (void)c, (void)m;
    msg_payload(r, struct cons_ready)->readable = ldisc_readable(&serial.ld);
    return OK;
}

static const struct srv_op ops[] = {SRV_OPS(CONS_MESSAGES)};

struct srv console_srv = {
    .name = CONSOLE_NAME,
    SRV_TABLE(ops),
    .state_bytes = sizeof(struct reader),
    .grant_max = sizeof out,
    .notified = serial_notified,
    .ended = writes_ended,
};

/* Ctrl-C: PM interrupts the foreground the shell named there (PM_FOREGROUND);
 * with none, the reader gets an empty line. */
void clients_interrupt(void)
{
    struct chan *to = pm_chan();
    err_t err = to != NULL ? pm_interrupt(to, NULL, NULL) : ERR_DEAD;
    if (err == ERR_NOPROC)
        ldisc_push_newline(&serial.ld);
    else if (err != OK)
        sys_printf("serial: cannot have pm interrupt the foreground: %s\n", err_str(err));
}
