/* mesh.c — how the monitors get a channel to each other. Monitor 0 starts the
 * other cores through its Kernel capability; each new monitor says HELLO on its
 * boot channel, and monitor 0 answers with the set of online cores: a monitor
 * is up once it knows them. Two other monitors get a channel of their own only
 * when one of them first sends to the other: it asks monitor 0 (MON_CHAN_ASK),
 * which makes one zeroed frame for the pair, once, and sends it to both
 * (MON_PEER_CHAN); what was sent meanwhile waits in the sender's queue. So a
 * boot takes O(N) channels, and only pairs that talk ever hold one. */
#include "monitor.h"

#include <proto/monitor.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

static void send_hello(unsigned to)
{
    msg_t m = MSG(MON_HELLO);
    struct mon_hello *h = msg_payload(&m, struct mon_hello);
    h->core = mon.core;
    if (mon.core == 0) {
        h->online_count = mon.online_count;
        for (unsigned c = 0; c < mon.ncores; c++) {
            if (mon.online[c])
                h->online[c / 8] |= (uint8_t)(1u << (c % 8));
        }
    }
    mon_send(to, &m);
}

void mesh_start(void)
{
    mon.online[mon.core] = true;
    if (mon.ncores == 1) {
        mon.online_count = 1;
        mon.online_known = true;
        return;
    }
    struct cap_info info;
    uintptr_t region = 0;
    if (cap_identify(CAP_SLOT_BOOT_FRAME, &info) == OK)
        region = mon_map(CAP_SLOT_BOOT_FRAME, info.size);
    if (region == 0) {
        sys_printf("monitor %u: cannot map the boot channels; staying alone\n", mon.core);
        return;
    }
    if (mon.core != 0) {
        if (ump_chan_init(&mon.peers[0].chan, (void *)region, MON_BOOT_CHAN_SLOTS, 1) != OK)
            return;
        mon.peers[0].have_chan = true;
        send_hello(0);
        return;
    }
    mon.online_count = 1;
    for (unsigned c = 1; c < mon.ncores; c++) {
        err_t err = kernel_start_core(CAP_SLOT_KERNEL, c);
        if (err != OK) {
            sys_printf("monitor 0: core %u did not start: %s\n", c, err_str(err));
            continue;
        }
        void *mem = (void *)(region + (uintptr_t)(c - 1) * MON_BOOT_CHAN_BYTES);
        if (ump_chan_init(&mon.peers[c].chan, mem, MON_BOOT_CHAN_SLOTS, 0) != OK)
            continue;
        mon.peers[c].have_chan = true;
        mon.online[c] = true;
        mon.online_count++;
    }
    mon.online_known = true;
}

/* Monitor 0: a fresh zeroed frame for the channel between a and b, to both. */
static void broker(unsigned a, unsigned b)
{
    uint64_t phys;
    err_t err = mon_phys_take(MON_MESH_CHAN_BYTES, &phys);
    if (err != OK) {
        sys_printf("monitor 0: no memory for the channel %u-%u: %s\n", a, b, err_str(err));
        return;
    }
    msg_t m = MSG(MON_PEER_CHAN);
    struct mon_peer_chan *pc = msg_payload(&m, struct mon_peer_chan);
    pc->phys = phys;
    pc->bytes = MON_MESH_CHAN_BYTES;
    pc->peer = b;
    pc->side = 0;
    mon_send(a, &m);
    pc->peer = a;
    pc->side = 1;
    mon_send(b, &m);
}

/* Monitor 0's record of the pairs it made a channel for (a bit each), and of
 * the asks it could not serve yet because a monitor had not said HELLO. */
static struct table made_table = MON_TABLE(uint8_t);
struct ask {
    unsigned a, b;
};
static struct table ask_table = MON_TABLE(struct ask);
static unsigned ask_count;

static bool made(unsigned a, unsigned b, bool mark)
{
    unsigned lo = a < b ? a : b, hi = a < b ? b : a;
    size_t bit = (size_t)lo * mon.ncores + hi;
    if (!mon_table_fit(&made_table, (uint32_t)((size_t)mon.ncores * mon.ncores / 8 + 1)))
        return false; /* said on the console; the pair gets no channel */
    uint8_t *bits = made_table.items;
    bool was = bits[bit / 8] & (1u << (bit % 8));
    if (mark)
        bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
    return was;
}

/* Monitor 0: a channel for a and b, unless they have one, once both have
 * said HELLO (before that their boot channels may not be set up). */
static void pair(unsigned a, unsigned b)
{
    if (made(a, b, false))
        return;
    if (!mon.peers[a].connected || !mon.peers[b].connected) {
        if (mon_table_fit(&ask_table, ask_count + 1))
            ((struct ask *)ask_table.items)[ask_count++] = (struct ask){a, b};
        return;
    }
    (void)made(a, b, true);
    broker(a, b);
}

/* Monitor 0: core said HELLO; the asks that waited for it. */
static void asks_for(unsigned core)
{
    struct ask *asks = ask_table.items;
    for (unsigned i = 0; i < ask_count;) {
        struct ask k = asks[i];
        if (k.a != core && k.b != core) {
            i++;
            continue;
        }
        asks[i] = asks[--ask_count];
        pair(k.a, k.b);
        asks = ask_table.items; /* pair may have grown the table */
    }
}

void mesh_want(unsigned core)
{
    struct peer *p = &mon.peers[core];
    if (p->have_chan || p->asked || mon.core == 0 || core == 0)
        return; /* monitor 0 and its boot channels need no asking */
    p->asked = true;
    msg_t m = MSG(MON_CHAN_ASK);
    msg_payload(&m, struct mon_chan_ask)->peer = core;
    mon_send(0, &m);
}

err_t serve_mon_chan_ask(unsigned src, const msg_t *m)
{
    unsigned peer = msg_payload_const(m, struct mon_chan_ask)->peer;
    if (mon.core != 0)
        return ERR_PERM; /* only monitor 0 makes channels */
    if (src == 0 || peer == 0 || peer == src || peer >= mon.ncores || !mon.online[peer])
        return ERR_INVAL;
    pair(src, peer);
    return OK;
}

err_t serve_mon_hello(unsigned src, const msg_t *m)
{
    const struct mon_hello *h = msg_payload_const(m, struct mon_hello);
    if (h->core != src)
        return ERR_INVAL;
    struct peer *p = &mon.peers[src];
    if (p->connected)
        return ERR_INVAL; /* said twice */
    p->connected = true;
    if (mon.core == 0) {
        send_hello(src);
        asks_for(src);
    } else if (src == 0) {
        if (h->online_count == 0 || h->online_count > mon.ncores)
            return ERR_INVAL;
        for (unsigned c = 0; c < mon.ncores; c++)
            mon.online[c] = (h->online[c / 8] >> (c % 8)) & 1;
        mon.online_count = h->online_count;
        mon.online_known = true;
    }
    return OK;
}

err_t serve_mon_peer_chan(unsigned src, const msg_t *m)
{
    const struct mon_peer_chan *pc = msg_payload_const(m, struct mon_peer_chan);
    if (src != 0 || mon.core == 0)
        return ERR_PERM; /* only monitor 0 hands out channels */
    if (pc->peer == 0 || pc->peer >= mon.ncores || pc->peer == mon.core)
        return ERR_INVAL;
    struct peer *p = &mon.peers[pc->peer];
    if (p->have_chan)
        return ERR_INVAL;
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    err_t err = kernel_mint_frame(CAP_SLOT_KERNEL, slot, pc->phys, pc->bytes);
    if (err != OK)
        return err;
    uintptr_t va = mon_map(slot, pc->bytes);
    if (va == 0)
        return ERR_NOMEM;
    if ((err = ump_chan_init(&p->chan, (void *)va, MON_MESH_CHAN_SLOTS, (int)pc->side)) != OK)
        return err;
    p->have_chan = true;
    p->asked = true;
    send_hello(pc->peer);
    mon_flush(); /* what waited for the channel */
    return OK;
}

void mesh_check_up(void)
{
    if (mon.up || !mon.online_known)
        return;
    mon.up = true;
    mon.up_ns = sys_now_ns();
    sys_printf("monitor %u: up, %u peers\n", mon.core, mon.online_count - 1);
    probes_after_up();
}

void mesh_wait_online(void)
{
    while (!mon.online_known) {
        if (mon_poll_peers() == 0)
            sys_yield();
    }
}
