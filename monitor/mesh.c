/* mesh.c — how the monitors get a channel to each other.
 *
 * Boot and membership go over a tree of degree D (the kernel option
 * mondegree=D, default MON_TREE_DEGREE): core K > 0's parent is (K - 1) / D.
 * Monitor 0 starts the cores through its Kernel capability, parents before
 * their children. Core K's boot channel (frames the boot core's CPU driver set
 * aside, zeroed) joins it to its parent, which maps its children's channels
 * itself: K says HELLO to its parent, and the parent passes the set of online
 * cores down to each child once it knows it. So monitor 0 talks to D monitors,
 * not to N - 1, and everyone knows the cores online after log_D N hops.
 *
 * Two other monitors get a channel of their own only when one first sends to
 * the other. The lower-numbered one makes it, from its own memory (a zeroed
 * page), attaches its side at once and sends MON_PEER_CHAN along the tree; the
 * higher-numbered one asks it to with MON_CHAN_ASK, along the tree too. What
 * was sent meanwhile waits in the sender's queue. No monitor brokers for the
 * others, a boot takes O(N) channels, and only pairs that talk ever hold one. */
#include "monitor.h"

#include <proto/monitor.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

static unsigned degree = MON_TREE_DEGREE;

/* Core's parent; monitor 0 is the root, its own parent. */
static unsigned parent_of(unsigned core) { return core == 0 ? 0 : (core - 1) / degree; }

/* Core's first child; past the last core if it has none. */
static uint64_t first_child(unsigned core) { return (uint64_t)core * degree + 1; }

bool mesh_neighbour(unsigned core)
{
    return core != mon.core && ((mon.core > 0 && core == parent_of(mon.core)) ||
                                (core > 0 && parent_of(core) == mon.core));
}

/* The next monitor on the tree's path from here to core (not this one): the
 * child whose subtree holds it, else the parent. */
static unsigned next_hop(unsigned core)
{
    unsigned t = core;
    while (t != 0 && parent_of(t) != mon.core)
        t = parent_of(t);
    return t != 0 ? t : parent_of(mon.core);
}

/* mondegree=D on the kernel command line, the same on every core. */
static void read_degree(void)
{
    const char *key = "mondegree=";
    for (const char *p = mon.cmdline; (p = strstr(p, key)) != NULL; p++) {
        if (p != mon.cmdline && p[-1] != ' ')
            continue;
        unsigned d = 0;
        const char *q = p + strlen(key);
        while (*q >= '0' && *q <= '9' && d <= MON_TREE_DEGREE_MAX)
            d = d * 10 + (unsigned)(*q++ - '0');
        if ((*q == ' ' || *q == '\0') && d >= 1 && d <= MON_TREE_DEGREE_MAX) {
            degree = d;
        } else if (mon.core == 0) {
            sys_printf("monitor 0: mondegree must be 1..%u; the tree keeps degree %u\n",
                       MON_TREE_DEGREE_MAX, degree);
        }
        return;
    }
}

static void send_hello(unsigned to)
{
    msg_t m = MSG(MON_HELLO);
    struct mon_hello *h = msg_payload(&m, struct mon_hello);
    h->core = mon.core;
    if (mon.online_known && to != parent_of(mon.core)) {
        h->online_count = mon.online_count;
        for (unsigned c = 0; c < mon.ncores; c++) {
            if (mon.online[c])
                h->online[c / 8] |= (uint8_t)(1u << (c % 8));
        }
    }
    mon_send(to, &m);
}

/* The online set is known here: pass it down to every child online. */
static void tell_children(void)
{
    for (uint64_t c = first_child(mon.core); c < first_child(mon.core) + degree; c++) {
        if (c < mon.ncores && mon.online[c])
            send_hello((unsigned)c);
    }
}

/* Maps the boot channels of this monitor's children, side 0 of each: they
 * lie together in the region. Monitor 0's boot frame is the whole region,
 * mapped at region; another monitor's is its own channel, at own_phys, and it
 * makes a frame of its children's from there. */
static void map_children(uintptr_t region, uint64_t own_phys)
{
    uint64_t first = first_child(mon.core);
    if (first >= mon.ncores)
        return;
    uint64_t last = first + degree < mon.ncores ? first + degree : mon.ncores;
    uint64_t bytes = (last - first) * MON_BOOT_CHAN_BYTES;
    uintptr_t va = region + (first - 1) * MON_BOOT_CHAN_BYTES;
    if (mon.core != 0) {
        uint64_t phys = own_phys + (first - mon.core) * MON_BOOT_CHAN_BYTES;
        capaddr_t slot;
        err_t err = slot_alloc(&slot);
        if (err == OK)
            err = kernel_mint_frame(CAP_SLOT_KERNEL, slot, phys, bytes);
        va = err == OK ? mon_map(slot, bytes) : 0;
        if (va == 0) {
            sys_printf("monitor %u: cannot map my children's boot channels: %s\n", mon.core,
                       err_str(err == OK ? ERR_NOMEM : err));
            return;
        }
    }
    for (uint64_t c = first; c < last; c++) {
        void *mem = (void *)(va + (c - first) * MON_BOOT_CHAN_BYTES);
        if (ump_chan_init(&mon.peers[c].chan, mem, MON_BOOT_CHAN_SLOTS, 0) == OK)
            mon.peers[c].have_chan = mon.peers[c].asked = true;
    }
}

/* Monitor 0: starts the other cores in order, so each parent before its
 * children. A core whose parent did not start is not started either: its
 * boot channel would have nobody at the other end. */
static void start_cores(void)
{
    mon.online_count = 1;
    unsigned skipped = 0;
    for (unsigned c = 1; c < mon.ncores; c++) {
        if (!mon.online[parent_of(c)]) {
            skipped++;
            continue;
        }
        err_t err = kernel_start_core(CAP_SLOT_KERNEL, c);
        if (err != OK) {
            sys_printf("monitor 0: core %u did not start: %s\n", c, err_str(err));
            continue;
        }
        mon.online[c] = true;
        mon.online_count++;
    }
    if (skipped > 0)
        sys_printf("monitor 0: %u cores not started: a core above them in the tree did not\n",
                   skipped);
    mon.online_known = true;
}

void mesh_start(void)
{
    read_degree();
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
    if (mon.core == 0) {
        map_children(region, 0);
        start_cores();
        tell_children();
        return;
    }
    struct peer *up = &mon.peers[parent_of(mon.core)];
    if (ump_chan_init(&up->chan, (void *)region, MON_BOOT_CHAN_SLOTS, 1) != OK)
        return;
    up->have_chan = up->asked = true;
    map_children(0, info.base);
    send_hello(parent_of(mon.core));
}

/* Makes the channel to peer (higher-numbered than this core) from a page of
 * this monitor's own, attaches side 0, and sends it to peer along the tree. */
static err_t make_chan(unsigned peer)
{
    uint64_t phys;
    capaddr_t slot;
    err_t err = mon_phys_take(MON_MESH_CHAN_BYTES, &phys);
    if (err == OK)
        err = slot_alloc(&slot);
    if (err == OK)
        err = kernel_mint_frame(CAP_SLOT_KERNEL, slot, phys, MON_MESH_CHAN_BYTES);
    uintptr_t va = err == OK ? mon_map(slot, MON_MESH_CHAN_BYTES) : 0;
    if (va == 0) {
        sys_printf("monitor %u: no memory for a channel to core %u: %s\n", mon.core, peer,
                   err_str(err == OK ? ERR_NOMEM : err));
        return err == OK ? ERR_NOMEM : err;
    }
    struct peer *p = &mon.peers[peer];
    if ((err = ump_chan_init(&p->chan, (void *)va, MON_MESH_CHAN_SLOTS, 0)) != OK)
        return err;
    p->have_chan = p->asked = true;
    msg_t m = MSG(MON_PEER_CHAN);
    *msg_payload(&m, struct mon_peer_chan) = (struct mon_peer_chan){
        .peer = mon.core, .side = 1, .phys = phys, .bytes = MON_MESH_CHAN_BYTES, .to = peer};
    mon_send(next_hop(peer), &m);
    return OK;
}

void mesh_want(unsigned core)
{
    struct peer *p = &mon.peers[core];
    if (p->have_chan || p->asked)
        return;
    p->asked = true;
    if (mon.core < core) {
        (void)make_chan(core); /* said on the console; the queue waits */
        return;
    }
    msg_t m = MSG(MON_CHAN_ASK);
    *msg_payload(&m, struct mon_chan_ask) = (struct mon_chan_ask){.peer = core, .asker = mon.core};
    mon_send(next_hop(core), &m);
}

/* A message that travels along the tree comes only from a neighbour there,
 * and names cores that exist; one for another core is passed on. */
static err_t along_tree(unsigned src, unsigned to, const msg_t *m, bool *mine)
{
    if (!mesh_neighbour(src))
        return ERR_PERM;
    if (to >= mon.ncores || (mon.online_known && !mon.online[to]))
        return ERR_INVAL;
    *mine = to == mon.core;
    if (!*mine)
        mon_send(next_hop(to), m);
    return OK;
}

err_t serve_mon_chan_ask(unsigned src, const msg_t *m)
{
    const struct mon_chan_ask *a = msg_payload_const(m, struct mon_chan_ask);
    bool mine;
    err_t err = along_tree(src, a->peer, m, &mine);
    if (err != OK || !mine)
        return err;
    if (a->asker >= mon.ncores)
        return ERR_INVAL;
    struct peer *p = &mon.peers[a->asker];
    if (p->have_chan)
        return OK; /* made already: this side wanted it too, and it is on its way */
    p->asked = true;
    return make_chan(a->asker);
}

err_t serve_mon_peer_chan(unsigned src, const msg_t *m)
{
    const struct mon_peer_chan *pc = msg_payload_const(m, struct mon_peer_chan);
    bool mine;
    err_t err = along_tree(src, pc->to, m, &mine);
    if (err != OK || !mine)
        return err;
    struct peer *p = &mon.peers[pc->peer];
    if (p->have_chan)
        return ERR_INVAL; /* a pair has one channel */
    capaddr_t slot;
    if (slot_alloc(&slot) != OK)
        return ERR_NOSPACE;
    err = kernel_mint_frame(CAP_SLOT_KERNEL, slot, pc->phys, pc->bytes);
    if (err != OK)
        return err;
    uintptr_t va = mon_map(slot, pc->bytes);
    if (va == 0)
        return ERR_NOMEM;
    if ((err = ump_chan_init(&p->chan, (void *)va, MON_MESH_CHAN_SLOTS, 1)) != OK)
        return err;
    p->have_chan = p->asked = true;
    mon_flush(); /* what waited for the channel */
    return OK;
}

err_t serve_mon_hello(unsigned src, const msg_t *m)
{
    const struct mon_hello *h = msg_payload_const(m, struct mon_hello);
    if (h->core != src || !mesh_neighbour(src))
        return ERR_INVAL;
    struct peer *p = &mon.peers[src];
    if (p->connected)
        return ERR_INVAL; /* said twice */
    p->connected = true;
    if (mon.core == 0 || src != parent_of(mon.core))
        return OK; /* a child is up */
    if (h->online_count == 0 || h->online_count > mon.ncores)
        return ERR_INVAL;
    unsigned count = 0;
    for (unsigned c = 0; c < mon.ncores; c++)
        count += (h->online[c / 8] >> (c % 8)) & 1;
    bool has[2] = {(h->online[mon.core / 8] >> (mon.core % 8)) & 1,
                   (h->online[src / 8] >> (src % 8)) & 1};
    if (count != h->online_count || !has[0] || !has[1])
        return ERR_INVAL; /* the set must count right and hold both ends */
    for (unsigned c = 0; c < mon.ncores; c++)
        mon.online[c] = (h->online[c / 8] >> (c % 8)) & 1;
    mon.online_count = count;
    mon.online_known = true;
    tell_children();
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
