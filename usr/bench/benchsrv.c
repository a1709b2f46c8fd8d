/* benchsrv.c — the answering side of the channel benchmark: registers a
 * name and answers pings with how long the ping took to arrive (by the counter
 * all cores share), counts streams, and exits once its clients have said
 * goodbye.
 *   benchsrv [NAME CLIENTS]   default: "bench.K" (K its core), one client per core */
#include <chan.h>
#include <fmt.h>
#include <lmp.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <sys/arch.h>

#include "bench_proto.h"

#define CLIENTS_MAX 64 /* one per core of the largest run, with room */

static struct chan chans[CLIENTS_MAX];

int main(int argc, char **argv)
{
    unsigned core = sys_core_id(), clients = sys_core_count();
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "bench.%u", core);
    if (argc == 3) {
        fmt_format(name, sizeof name, "%s", argv[1]);
        clients = 0;
        for (const char *p = argv[2]; *p >= '0' && *p <= '9'; p++)
            clients = clients * 10 + (unsigned)(*p - '0');
        if (clients == 0)
            return 2;
    }
    capaddr_t ep, take; /* take: where the next client's channel frame lands */
    if (slot_alloc(&ep) != OK || slot_alloc(&take) != OK ||
        chan_register(name, 200 + core, ep) != OK)
        return 1;
    msg_t m;
    struct chanset set = {0};
    unsigned byes = 0;
    uint64_t streamed = 0;
    struct chan *from;
    bool got_cap;
    if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
        return 1;
    for (;;) {
        uint64_t now = sys_counter();
        if (from == NULL && m.type == NS_CONNECTED && got_cap && set.count < CLIENTS_MAX) {
            struct chan *c = &chans[set.count];
            if (chan_accept(&m, c, take) == OK) {
                if (chanset_add(&set, c) != OK || slot_alloc(&take) != OK)
                    return 1;
            } else {
                (void)cap_delete(take);
            }
            if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
                return 1;
            continue;
        }
        msg_t reply = {.type = m.type};
        struct bench_msg *out = msg_payload(&reply, struct bench_msg);
        switch (m.type) {
        case BENCH_PING:
            out->value = now - msg_payload_const(&m, struct bench_msg)->value;
            break;
        case BENCH_STREAM:
            streamed++;
            if (chanset_recv(&set, &m, &from, take, &got_cap) != OK)
                return 1;
            continue;
        case BENCH_COUNT:
            out->value = streamed;
            streamed = 0;
            break;
        case BENCH_BYE:
            break;
        case BENCH_DONE: {
            char done[NS_NAME_MAX];
            fmt_format(done, sizeof done, "benchdone.%u", core);
            capaddr_t done_ep;
            err_t err = slot_alloc(&done_ep);
            if (err == OK)
                err = chan_register(done, 400 + core, done_ep);
            reply.type = (uint16_t)err;
            break;
        }
        default:
            reply.type = ERR_NOSYS;
            break;
        }
        if (m.type == BENCH_BYE && ++byes == clients)
            return chan_reply(from, &reply) == OK ? 0 : 1;
        if (chanset_reply_recv(&set, from, &reply, &m, &from, take, &got_cap) != OK)
            return 1;
    }
}
