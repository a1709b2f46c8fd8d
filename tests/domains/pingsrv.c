/* pingsrv.c — registers "ping.K" on core K and answers every PING with a PONG,
 * over LMP for clients on its core and UMP for the others, waiting on all its
 * channels at once. It exits once every core's client has had all its pongs. */
#include <chan.h>
#include <fmt.h>
#include <lmp.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

#include "ping_proto.h"

#define CLIENTS_MAX 64 /* one per core of the largest test, with room */

static struct chan chans[CLIENTS_MAX];

int main(void)
{
    unsigned core = sys_core_id(), ncores = sys_core_count();
    char name[NS_NAME_MAX];
    fmt_format(name, sizeof name, "ping.%u", core);
    capaddr_t ep, take; /* take: where the next client's channel frame lands */
    err_t err = slot_alloc(&ep);
    if (err == OK)
        err = slot_alloc(&take);
    if (err == OK)
        err = chan_register(name, 100 + core, ep);
    if (err != OK) {
        sys_printf("pingsrv %u: cannot register: %s\n", core, err_str(err));
        return 1;
    }
    msg_t m;
    struct chanset set = {0};
    unsigned served = 0, want = ncores * PINGS;
    while (served < want) {
        struct chan *from;
        bool got_cap;
        if ((err = chanset_recv(&set, &m, &from, take, &got_cap)) != OK)
            break;
        if (from == NULL && m.type == NS_CONNECTED && got_cap && set.count < CLIENTS_MAX) {
            struct chan *c = &chans[set.count];
            if (chan_accept(&m, c, take) != OK) {
                (void)cap_delete(take);
                continue;
            }
            if ((err = chanset_add(&set, c)) != OK || (err = slot_alloc(&take)) != OK)
                break;
            continue;
        }
        if (m.type != PING) {
            sys_printf("pingsrv %u: unexpected message type %u\n", core, m.type);
            continue;
        }
        msg_t pong = {.type = PONG};
        struct ping *p = msg_payload(&pong, struct ping);
        *p = *msg_payload_const(&m, struct ping);
        p->core = core;
        if ((err = chan_reply(from, &pong)) != OK)
            sys_printf("pingsrv %u: reply failed: %s\n", core, err_str(err));
        served++;
    }
    if (err != OK)
        sys_printf("pingsrv %u: receive failed: %s\n", core, err_str(err));
    return served == want ? 0 : 1;
}
