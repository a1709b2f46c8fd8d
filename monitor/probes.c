/* probes.c — self-tests of the monitor mesh that the kernel command line asks
 * for; a monitor reports itself ready to its CPU driver only once they are done,
 * so a powered-off system has finished them.
 *   monping     every monitor sends PINGS numbered pings to every peer and checks
 *               that each peer answers every one, in order
 *   mongarbage  monitor 1 sends malformed messages to every peer and checks that
 *               each is refused with an error reply (before its pings, if any)
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
static unsigned garbage_sent, garbage_refused;

static void send_garbage(unsigned to, uint16_t type, uint32_t word)
{
    msg_t m = {.type = type};
    memcpy(m.payload, &word, sizeof word);
    mon_send(to, &m);
    garbage_sent++;
}

static void start_pings(void)
{
    pinging = true;
    for (unsigned c = 0; c < mon.ncores; c++) {
        if (c == mon.core || !mon.peers[c].connected)
            continue;
        for (uint64_t seq = 0; seq < PINGS; seq++) {
            msg_t m = {.type = MON_PING};
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
            sys_printf("monitor 1: garbage: %u/%u messages refused with errors\n", garbage_refused,
                       garbage_sent);
            if (want_ping)
                start_pings();
        }
    }
    if (want_ping) {
        unsigned peers = 0;
        for (unsigned c = 0; c < mon.ncores; c++) {
            if (c == mon.core || !mon.peers[c].connected)
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
            if (c == mon.core || !mon.peers[c].connected)
                continue;
            send_garbage(c, 999, 0);           /* no such type */
            send_garbage(c, MON_HELLO, 4242);  /* a core number that is not the sender's */
            send_garbage(c, MON_PEER_CHAN, 0); /* only monitor 0 may hand out channels */
        }
    } else if (want_ping) {
        start_pings();
    }
    maybe_done();
}

bool probes_handle(unsigned src, const msg_t *m)
{
    switch (m->type) {
    case MON_PING: {
        msg_t r = {.type = MON_PONG};
        msg_payload(&r, struct mon_ping)->seq = msg_payload_const(m, struct mon_ping)->seq;
        mon_send(src, &r);
        return true;
    }
    case MON_PONG:
        if (!pinging || src >= mon.ncores)
            return false;
        if (msg_payload_const(m, struct mon_ping)->seq != pongs[src])
            out_of_order++;
        pongs[src]++;
        maybe_done();
        return true;
    case MON_ERROR:
        if (!(want_garbage && mon.core == 1) || garbage_done)
            return false;
        garbage_refused++;
        maybe_done();
        return true;
    default:
        return false;
    }
}
