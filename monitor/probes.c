/* probes.c — self-tests of the monitor mesh that the kernel command line asks
 * for; a monitor reports itself ready to its CPU driver only once they are done,
 * so a powered-off system has finished them.
 *   monping     every monitor sends PINGS numbered pings to every peer and checks
 *               that each peer answers every one, in order
 *   mongarbage  monitor 1 sends every peer malformed messages (each type too
 *               short, types past the last, each checked row's fields out of
 *               range, and some a handler refuses) and checks that each is
 *               refused with MON_ERROR and the right error, in order (before
 *               its pings, if any)
 *   moncaps     monitor 0 makes device-memory and IRQ capabilities, maps a
 *               device page, and checks what it may not make */
#include "monitor.h"

#include <proto/monitor.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

#define PINGS 10

static bool want_ping, want_garbage, pinging, garbage_done, reported;
static unsigned pongs[MON_MAX_CORES], out_of_order;
static unsigned garbage_sent, garbage_refused, garbage_wrong, garbage_peers;

/* The garbage, the same for every peer, with the refusal each must get;
 * along_tree: ERR_PERM from a peer not next to the receiver in the boot tree,
 * err from one that is. */
#define GARBAGE_MAX (2 * MON__COUNT + 4)
static struct {
    uint16_t type;
    err_t err;
    bool along_tree;
} garbage[GARBAGE_MAX];
static unsigned garbage_kinds, refused[MON_MAX_CORES];

#define PROBE_RULE_ROW(T, v, n, Rq, Rp, f, ok) PROTO_RULE(T, v, n, Rq, Rp, f, ok),
static const struct proto_rule rules[] = {MON_MESSAGES(PROBE_RULE_ROW)};

static void send_garbage(unsigned to, msg_t m, err_t err)
{
    mon_send(to, &m);
    garbage[garbage_kinds % GARBAGE_MAX].type = m.type;
    garbage[garbage_kinds % GARBAGE_MAX].along_tree = false;
    garbage[garbage_kinds++ % GARBAGE_MAX].err = err;
    garbage_sent++;
}

static void send_all_garbage(unsigned to)
{
    garbage_kinds = 0;
    send_garbage(to, (msg_t){.type = 999}, ERR_NOSYS);
    send_garbage(to, (msg_t){.type = MON__COUNT, .len = MSG_PAYLOAD_SIZE}, ERR_NOSYS);
    for (unsigned i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        msg_t m = {.type = rules[i].type, .len = (uint8_t)(rules[i].req_bytes - 1)};
        send_garbage(to, m, ERR_TRUNCATED);
        if (rules[i].check == NULL)
            continue;
        m.len = rules[i].req_bytes; /* every field all ones: out of every range */
        memset(m.payload, 0xff, sizeof m.payload);
        send_garbage(to, m, ERR_INVAL);
    }
    /* Well-formed, but a handler refuses them: a core not the sender's; and a
     * channel to pass along the tree for a core past the last (these probes
     * run on few cores): ERR_PERM where the sender is not the receiver's
     * neighbour in the boot tree, ERR_INVAL where it is. */
    send_garbage(to, MSG(MON_HELLO), ERR_INVAL);
    msg_t m = MSG(MON_PEER_CHAN);
    *msg_payload(&m, struct mon_peer_chan) = (struct mon_peer_chan){
        .peer = 0, .side = 1, .bytes = MON_MESH_CHAN_BYTES, .to = MON_MAX_CORES - 1};
    send_garbage(to, m, ERR_INVAL);
    garbage[(garbage_kinds - 1) % GARBAGE_MAX].along_tree = true;
}

static void start_pings(void)
{
    pinging = true;
    for (unsigned c = 0; c < mon.ncores; c++) {
        if (c == mon.core || !mon.online[c])
            continue;
        for (uint64_t seq = 0; seq < PINGS; seq++) {
            msg_t m = MSG(MON_PING);
            msg_payload(&m, struct mon_ping)->seq = seq;
            mon_send(c, &m);
        }
    }
}

static void maybe_done(void)
{
    if (reported)
        return;
    if (want_garbage && mon.core == 1) {
        if (garbage_refused < garbage_sent)
            return;
        if (!garbage_done) {
            garbage_done = true;
            sys_printf("monitor 1: garbage: %u/%u messages refused with the right errors (%u "
                       "kinds to each of %u peers)\n",
                       garbage_refused - garbage_wrong, garbage_sent, garbage_kinds, garbage_peers);
            if (want_ping)
                start_pings();
        }
    }
    if (want_ping) {
        unsigned peers = 0;
        for (unsigned c = 0; c < mon.ncores; c++) {
            if (c == mon.core || !mon.online[c])
                continue;
            if (pongs[c] < PINGS)
                return;
            peers++;
        }
        sys_printf("monitor %u: ping: %u peers answered %u pings each%s\n", mon.core, peers, PINGS,
                   out_of_order ? ", OUT OF ORDER" : ", in order");
    }
    reported = true;
    (void)sys_monitor_up();
}

static unsigned caps_checks, caps_passed;

static void caps_expect(const char *what, err_t got, err_t want)
{
    caps_checks++;
    caps_passed += got == want;
    sys_printf("monitor 0: caps: %s %s (%s)\n", got == want ? "ok" : "FAIL", what, err_str(got));
}

/* The device and interrupt capabilities drivers will be given. */
static void probe_caps(void)
{
    char name[32];
    uint64_t phys;
    struct cap_info ram, info;
    capaddr_t dev, irq, spare;
    if (slot_alloc(&dev) != OK || slot_alloc(&irq) != OK || slot_alloc(&spare) != OK) {
        sys_printf("monitor 0: caps: FAIL no free slots to check with\n");
        return;
    }
    caps_expect("learn a device page", kernel_device(CAP_SLOT_KERNEL, 0, &phys, name, sizeof name),
                OK);
    caps_expect("make a DevFrame of it", kernel_mint_device(CAP_SLOT_KERNEL, dev, phys, 4096), OK);
    uintptr_t va = mon_map(dev, 4096);
    caps_expect("map it", va != 0 ? OK : ERR_FAULT, OK);
    if (va != 0)
        sys_printf("monitor 0: caps: %s at 0x%llx reads 0x%x at offset 0x30\n", name,
                   (unsigned long long)phys, *(volatile uint32_t *)(va + 0x30));
    caps_expect("no device page past the last",
                kernel_device(CAP_SLOT_KERNEL, 1000, &phys, name, sizeof name), ERR_NOENT);
    caps_expect("no Frame of device memory", kernel_mint_frame(CAP_SLOT_KERNEL, spare, phys, 4096),
                ERR_INVAL);
    if (cap_identify(CAP_SLOT_RAM, &ram) == OK)
        caps_expect("no DevFrame of RAM",
                    kernel_mint_device(CAP_SLOT_KERNEL, spare, ram.base, 4096), ERR_INVAL);
    caps_expect("make an IRQ capability", kernel_mint_irq(CAP_SLOT_KERNEL, irq, 1), OK);
    caps_expect(
        "it is one, for line 1",
        cap_identify(irq, &info) == OK && info.type == CAP_IRQ && info.base == 1 ? OK : ERR_INVAL,
        OK);
    caps_expect("no IRQ capability for a line that does not exist",
                kernel_mint_irq(CAP_SLOT_KERNEL, spare, 100000), ERR_INVAL);
    sys_printf("monitor 0: caps: %u/%u checks passed\n", caps_passed, caps_checks);
}

void probes_after_up(void)
{
    if (mon.core == 0 && mon_has_word(mon.cmdline, "moncaps"))
        probe_caps();
    want_ping = mon_has_word(mon.cmdline, "monping");
    want_garbage = mon_has_word(mon.cmdline, "mongarbage") && mon.ncores > 1;
    if (want_garbage && mon.core == 1) {
        for (unsigned c = 0; c < mon.ncores; c++) {
            if (c != mon.core && mon.online[c]) {
                send_all_garbage(c);
                garbage_peers++;
            }
        }
    } else if (want_ping) {
        start_pings();
    }
    maybe_done();
}

err_t serve_mon_ping(unsigned src, const msg_t *m)
{
    msg_t r = MSG(MON_PONG);
    msg_payload(&r, struct mon_ping)->seq = msg_payload_const(m, struct mon_ping)->seq;
    mon_send(src, &r);
    return OK;
}

err_t serve_mon_pong(unsigned src, const msg_t *m)
{
    if (!pinging)
        return ERR_INVAL; /* no one asked */
    if (msg_payload_const(m, struct mon_ping)->seq != pongs[src])
        out_of_order++;
    pongs[src]++;
    maybe_done();
    return OK;
}

bool probes_refused(unsigned src, const struct mon_error *e)
{
    if (!(want_garbage && mon.core == 1) || garbage_done || refused[src] >= garbage_kinds)
        return false;
    unsigned k = refused[src]++;
    err_t want = garbage[k].along_tree && !mesh_neighbour(src) ? ERR_PERM : garbage[k].err;
    if (e->bad_type != garbage[k].type || e->err != want) {
        sys_printf("monitor 1: garbage: FAIL core %u refused type %u with %s; expected %u, %s\n",
                   src, e->bad_type, err_str((err_t)e->err), garbage[k].type, err_str(want));
        garbage_wrong++;
    }
    garbage_refused++;
    maybe_done();
    return true;
}
