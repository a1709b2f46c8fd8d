/* server.h — one way to write a server: its handlers plus one table.
 *
 *     static int serve_pm_kill(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);
 *     ...
 *     static const struct srv_op ops[] = {SRV_OPS(PM_MESSAGES)};
 *     static struct srv pm = {.name = PM_NAME, SRV_TABLE(ops), .state_bytes = ...};
 *     srv_start(&pm) ... srv_run(&pm);
 *
 * The skeleton registers the name, accepts clients (a UMP channel of their
 * own, or a local caller over LMP for one request), keeps the table of
 * clients (it grows), checks each request against its row of the protocol
 * (proto.h) before the handler runs and answers what fails with an error,
 * sends the answers, keeps the frame a client granted for bulk data, and
 * drops a client's channel when its process ends (the monitor says) or when
 * it does not read its answers: that client's calls then fail with ERR_DEAD.
 * It also answers the protocol of proto/srv.h itself (grants, SRV_PING,
 * SRV_FAULT). docs/protocols.md walks through a whole server. */
#ifndef SERVER_H
#define SERVER_H

#include <chan.h>
#include <proto.h>
#include <proto/srv.h>
#include <stdbool.h>
#include <stdint.h>
#include <table.h>

/* A frame a client shares with the server (SRV_GRANT): not mapped here, only
 * copied from and to (srv_grant_read, srv_grant_write). */
struct srv_grant {
    capaddr_t cap; /* 0: none */
    uint64_t bytes;
};

struct srv_client {
    struct chan chan;
    struct srv_grant grant;
    uint32_t gen;       /* counts the entry's clients: a deferred answer names one */
    bool used;          /* an entry of the table in use */
    bool local;         /* an LMP caller, kept only for this one request */
    capaddr_t give;     /* an LMP caller's answer brings this capability (a copy); 0: none */
    uint64_t last_seen; /* the server's sequence number at its last request */
} __attribute__((aligned(64))); /* so is the state after it: it may hold a msg_t */

struct srv;

/* A server that is also a client of another, without blocking its own
 * clients (RS waiting on PM, FS on a block driver): requests go out with
 * chan_send on chan (a UMP channel, from chan_connect), and each answer that
 * comes back is handed to answered() by the server's loop. When the other end
 * goes, died() runs once and the upstream leaves the loop. */
struct srv_upstream {
    struct chan chan;
    void (*answered)(struct srv *s, struct srv_upstream *u, const msg_t *m);
    void (*died)(struct srv *s, struct srv_upstream *u);
    struct srv_upstream *next; /* the skeleton's */
};

/* A handler: fills the reply's payload and returns OK or an err_t (the
 * reply's type), or SRV_LATER to answer later with srv_answer (MINIX's
 * SUSPEND). */
#define SRV_LATER (-1)
typedef int (*srv_fn)(struct srv *s, struct srv_client *c, const msg_t *m, msg_t *r);

struct srv_op {
    struct proto_rule rule; /* first: proto_find walks a table of these */
    srv_fn fn;
};

/* The table of a protocol's list: each row's handler is serve_<name>. */
#define SRV_OP_ROW(T, v, n, Rq, Rp, f, ok) {PROTO_RULE(T, v, n, Rq, Rp, f, ok), serve_##n},
#define SRV_OPS(LIST)                      LIST(SRV_OP_ROW)
#define SRV_TABLE(table)                   .ops = (table), .nops = sizeof(table) / sizeof(table)[0]

struct srv {
    /* The server's. */
    const char *name;
    const struct srv_op *ops;
    unsigned nops;
    size_t state_bytes; /* the server's own state per client (srv_state), zeroed for each */
    uint64_t grant_max; /* the largest frame a client may grant; 0: SRV_GRANT_DEFAULT */
    /* A client is going: its process ended, or it was cut off (then it may
     * connect again, as the same process). */
    void (*left)(struct srv *s, struct srv_client *c);
    /* A client's process ended (its monitor says, once for each channel it
     * had here, cut off or not): what the server keeps of that process beyond
     * its channels can go. */
    void (*ended)(struct srv *s, unsigned core, uint32_t domain);
    /* The kernel's notification bits for the endpoint (interrupts, the log, a
     * watcher's news of ends): the server minted its own badges for them. */
    void (*notified)(struct srv *s, uint64_t bits);
    /* The skeleton's. */
    capaddr_t ep;
    uint32_t monitor; /* the monitor's domain id: only it may say a client ended */
    struct table clients;
    struct table local; /* the one entry an LMP caller is served in */
    struct chanset set;
    struct srv_upstream *upstreams;
    capaddr_t take;
    uint64_t seq;
    uint32_t gens;
};

#define SRV_GRANT_DEFAULT (64 * 1024)

/* Registers s->name with an endpoint of its own (s->ep), hearing of its
 * clients' ends. */
MUST_CHECK err_t srv_start(struct srv *s);
/* Serves forever. */
__attribute__((noreturn)) void srv_run(struct srv *s);
/* Waits for one message and handles it. */
void srv_serve_one(struct srv *s);

/* The server's own state of client c (s->state_bytes of it), aligned for
 * any type up to a cache line (a msg_t). */
static inline void *srv_state(struct srv_client *c) { return c + 1; }
/* Clients, for a server that looks for one: srv_client_at(s, i) for i below
 * srv_clients(s) is NULL or a client. Valid until the next message. */
unsigned srv_clients(const struct srv *s);
struct srv_client *srv_client_at(const struct srv *s, unsigned i);

/* Adds u (its chan connected, its functions set) to the server's loop;
 * ERR_NOMEM if the set cannot grow. */
MUST_CHECK err_t srv_upstream_add(struct srv *s, struct srv_upstream *u);
/* Takes u out of the loop (its channel stays the caller's to drop). */
void srv_upstream_remove(struct srv *s, struct srv_upstream *u);

/* Answers a request later (its handler returned SRV_LATER): r's type is an
 * err_t, its len is set from the reply's row by the caller. A client that
 * does not read its answers is cut off (srv_cut_off): it is never silently
 * shorted one. */
void srv_answer(struct srv *s, struct srv_client *c, const msg_t *r);
/* Drops c: its end hears ERR_DEAD; left() runs first. */
void srv_cut_off(struct srv *s, struct srv_client *c);

/* Which process the domain of core is, by PM's table (PM_WHO over the
 * skeleton's own channel to PM): ERR_NOPROC if PM has no such process (it
 * ended and was reaped, or PM never started it); ERR_PERM in PM itself. */
struct pm_proc;
MUST_CHECK err_t srv_pm_who(const struct srv *s, unsigned core, uint32_t domain,
                            struct pm_proc *out);

/* Whether [offset, offset + bytes) lies in c's grant: OK, ERR_NOENT if it
 * granted none, ERR_RANGE past its end. */
static inline err_t srv_grant_span(const struct srv_client *c, uint64_t offset, uint64_t bytes)
{
    if (c->grant.cap == 0)
        return ERR_NOENT;
    if (offset > c->grant.bytes || bytes > c->grant.bytes - offset)
        return ERR_RANGE;
    return OK;
}

/* Copies bytes at offset of c's granted frame into buf (the client may
 * change it meanwhile: the server works on its copy); ERR_NOENT if it
 * granted none, ERR_RANGE past its end. */
MUST_CHECK err_t srv_grant_read(const struct srv_client *c, uint64_t offset, void *buf,
                                uint64_t bytes);
/* The same, into the granted frame. */
MUST_CHECK err_t srv_grant_write(const struct srv_client *c, uint64_t offset, const void *buf,
                                 uint64_t bytes);

#endif
