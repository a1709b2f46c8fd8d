/* msgfuzz — sends random and mutated messages to every service by name over
 * channels of its own, and to its monitor's name service over LMP:
 * `msgfuzz SEED COUNT`. The same seed makes the same messages. A server must
 * answer each with an error or a success: a reply that is not an err_t, a
 * success for a type no row has, or no answer within ANSWER_NS is
 * unexpected. A server that cuts msgfuzz off (ERR_DEAD) is connected to
 * again, and counted. At the end every service must answer SRV_PING and a
 * real request over a fresh channel. Exits 0 if all went as expected. */
#include <lmp.h>
#include <lmp_abi.h>
#include <proto/ns.h>
#include <proto/pm.h>
#include <proto/srv.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>

#include "msgfuzz.h"

#define CONNECT_NS (2000ull * 1000 * 1000)  /* a name that is there answers at once */
#define ABSENT_NS  (50ull * 1000 * 1000)    /* how long to wait for a device that is not */
#define ANSWER_NS  (10000ull * 1000 * 1000) /* TCG under load is slow: generous */
#define SHOW_MAX   20

static unsigned long unexpected;

static void report(const struct target *t, const msg_t *m, const char *why)
{
    if (unexpected++ < SHOW_MAX)
        printf("msgfuzz: %s: type %#x len %u: %s\n", t->name ? t->name : "monitor", m->type, m->len,
               why);
}

/* chan_call with a deadline: ERR_WOULDBLOCK if no answer came in time. */
static err_t call_by(struct chan *c, const msg_t *m, msg_t *out, uint64_t deadline)
{
    err_t err = chan_send(c, m);
    if (err != OK)
        return err;
    while (sys_now_ns() < deadline) {
        if (ump_recv(&c->ump.rx, out) == OK)
            return OK;
        if (ump_tx_closed(&c->ump.tx))
            return ump_recv(&c->ump.rx, out) == OK ? OK : ERR_DEAD;
        sys_yield();
    }
    return ERR_WOULDBLOCK;
}

static err_t connect(struct target *t, uint64_t wait_ns)
{
    err_t err = chan_connect(t->name, &t->chan, wait_ns);
    t->connected = err == OK;
    return err;
}

static void reconnect(struct target *t)
{
    chan_drop(&t->chan);
    t->connected = false;
    if (connect(t, CONNECT_NS) != OK)
        printf("msgfuzz: %s: cannot connect again\n", t->name);
}

/* One message to t and what its answer says. */
static void one(struct fuzz_rng *r, struct target *t, int32_t own_pid)
{
    msg_t m, reply = {0};
    make_message(r, t, own_pid, &m);
    t->sent++;
    err_t err;
    uint64_t sent_at = sys_now_ns();
    if (t->name == NULL) {
        err = lmp_call(CAP_SLOT_MONITOR, &m, &reply, 0, 0);
    } else {
        err = call_by(&t->chan, &m, &reply, sent_at + ANSWER_NS);
        if (err == ERR_DEAD) {
            t->cut_offs++;
            reconnect(t);
            return;
        }
        if (err == ERR_WOULDBLOCK) {
            t->silent++;
            report(t, &m, "no answer in time");
            reconnect(t); /* its answer, if one comes, goes to a channel no one reads */
            return;
        }
    }
    if (err != OK)
        return report(t, &m, err_str(err));
    if (sys_now_ns() - sent_at > t->slowest_ns) {
        t->slowest_ns = sys_now_ns() - sent_at;
        t->slowest_type = m.type;
    }
    bool known = known_type(t, m.type);
    if (reply.type >= ERR__COUNT)
        report(t, &m, "an answer that is not an err_t");
    else if (!known && reply.type != ERR_NOSYS)
        report(t, &m, "an unknown type that was not ERR_NOSYS");
    else if (known && m.len > MSG_PAYLOAD_SIZE && reply.type != ERR_TRUNCATED)
        report(t, &m, "a length past the payload that was not ERR_TRUNCATED");
    else if (reply.len > MSG_PAYLOAD_SIZE)
        report(t, &m, "an answer longer than a payload");
}

/* Whether t still answers a ping and its real request, over a fresh channel. */
static err_t still_answers(struct target *t)
{
    msg_t reply;
    if (t->name == NULL) {
        err_t err = lmp_call(CAP_SLOT_MONITOR, &t->check, &reply, 0, 0);
        return err != OK ? err : proto_reply_err(&reply);
    }
    if (t->connected)
        chan_drop(&t->chan);
    err_t err = connect(t, CONNECT_NS);
    if (err != OK)
        return err;
    const msg_t ping = MSG(SRV_PING);
    const msg_t *asks[] = {&ping, &t->check};
    for (unsigned i = 0; i < 2 && err == OK; i++) {
        err = call_by(&t->chan, asks[i], &reply, sys_now_ns() + ANSWER_NS);
        if (err == OK)
            err = proto_reply_err(&reply);
    }
    return err;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: msgfuzz SEED COUNT\n");
        return 2;
    }
    unsigned long seed = strtoul(argv[1], NULL, 0);
    unsigned long count = strtoul(argv[2], NULL, 0);
    printf("msgfuzz: seed %lu, %lu messages\n", seed, count);
    struct pm_ids ids = {0};
    struct chan pm;
    if (chan_connect(PM_NAME, &pm, CONNECT_NS) == OK) {
        msg_t ask = MSG(PM_GETPID), got;
        if (chan_call(&pm, &ask, &got) == OK && got.type == OK)
            ids = *msg_payload(&got, struct pm_ids);
        chan_drop(&pm);
    }
    struct target **live = calloc(ntargets, sizeof *live);
    if (live == NULL)
        return 1;
    unsigned nlive = 0;
    for (unsigned i = 0; i < ntargets; i++) {
        struct target *t = &targets[i];
        bool device = t->base == 0xa00 || t->base == 0xb00; /* a disk, a network device */
        if (t->name == NULL || connect(t, device ? ABSENT_NS : CONNECT_NS) == OK)
            live[nlive++] = t;
        else if (!device)
            printf("msgfuzz: %s: cannot connect\n", t->name);
    }
    fflush(stdout);
    struct fuzz_rng r = {seed};
    uint64_t start = sys_now_ns();
    for (unsigned long i = 0; i < count; i++) {
        one(&r, live[fuzz_below(&r, nlive)], ids.pid);
        if ((i + 1) % 10000 == 0) {
            printf("msgfuzz: %lu messages\n", i + 1);
            fflush(stdout);
        }
    }
    uint64_t ms = (sys_now_ns() - start) / 1000000;
    unsigned long cut_offs = 0;
    bool all = true;
    for (unsigned i = 0; i < nlive; i++) {
        struct target *t = live[i];
        err_t err = still_answers(t);
        printf("msgfuzz: %-8s %7lu messages, %lu cut-offs, %lu unanswered, slowest answer %lu "
               "ms (type %#x); answers now: %s\n",
               t->name ? t->name : "monitor", t->sent, t->cut_offs, t->silent,
               (unsigned long)(t->slowest_ns / 1000000), t->slowest_type, err_str(err));
        all &= err == OK;
        cut_offs += t->cut_offs;
    }
    printf("msgfuzz: %lu messages in %lu ms (%lu messages/s)\n", count, (unsigned long)ms,
           ms ? count * 1000 / ms : 0);
    printf("msgfuzz: %lu messages, seed %lu; %s; %lu cut-offs, %lu unexpected\n", count, seed,
           all ? "every service answered afterwards" : "NOT every service answered afterwards",
           cut_offs, unexpected);
    return all && unexpected == 0 ? 0 : 1;
}
