/* stats.c — a monitor's counts for tools/bench scaling (NS_MONSTATS): when it
 * came up, the messages it sent to and received from other monitors, the
 * memory it holds and its channels to other monitors. A domain asks its own
 * monitor, which asks the core's monitor named (MON_STATS_ASK). */
#include "monitor.h"

#include <proto/monitor.h>
#include <sys.h>

static void stats_here(struct ns_monstats *out)
{
    *out = (struct ns_monstats){.up_ns = mon.up_ns, .sent = mon.sent, .received = mon.received};
    uint64_t bytes = 0;
    struct cap_info info;
    if (cap_identify(mon_own_ram(), &info) == OK)
        bytes += info.size - info.free;
    if (cap_identify(CAP_SLOT_BOOT_FRAME, &info) == OK)
        bytes += info.size;
    out->memory_kib = (uint32_t)(bytes >> 10);
    for (unsigned c = 0; c < mon.ncores; c++)
        out->peer_chans += mon.peers[c].have_chan;
    names_counts(&out->lookups_home, &out->lookups_cached);
}

err_t serve_ns_monstats(const msg_t *m, struct mon_call *c)
{
    unsigned core = msg_payload_const(m, struct ns_monstats_ask)->core;
    if (core >= mon.ncores || !mon.online[core])
        return ERR_INVAL;
    if (core == mon.core) {
        stats_here(msg_payload(&c->r, struct ns_monstats));
        return OK;
    }
    msg_t q = MSG(MON_STATS_ASK), a;
    err_t err = mon_ask(core, &q, MON_STATS, &a);
    if (err == OK)
        *msg_payload(&c->r, struct ns_monstats) = msg_payload_const(&a, struct mon_stats)->stats;
    return err;
}

err_t serve_mon_stats_ask(unsigned src, const msg_t *m)
{
    msg_t r = MSG(MON_STATS);
    struct mon_stats *out = msg_payload(&r, struct mon_stats);
    out->seq = msg_payload_const(m, struct mon_stats)->seq;
    stats_here(&out->stats);
    mon_send(src, &r);
    return OK;
}
