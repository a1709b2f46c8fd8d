/* irqs.c — routing interrupt lines to the cores of the drivers that bound
 * them. The shared interrupt controller (the I/O APIC; a PLIC source's
 * priority) is programmed by core 0's CPU driver alone. A driver on core K
 * binds its line with its own CPU driver, then asks monitor K (NS_IRQ), which
 * asks monitor 0 (MON_IRQ), which asks its CPU driver (SYS_KERNEL_IRQ).
 * Monitor 0 records which core has each line, and refuses it to another core
 * while it is routed. When a driver ends, its monitor unroutes its lines the
 * same way, then ends what was left of them at its own CPU driver. */
#include "monitor.h"

#include <dev_abi.h>
#include <lmp.h>
#include <proto/monitor.h>
#include <proto/ns.h>
#include <sys.h>

/* Monitor 0: the core each line is routed to, plus one; 0 if none. */
static uint16_t routed_to[IRQ_LINES_MAX];
/* Every monitor: which of its domains had each line routed here. */
static struct {
    bool held;
    uint32_t domain;
} held[IRQ_LINES_MAX];

/* Monitor 0: route line to core (or unroute it), if no other core has it. */
static err_t route_at_0(uint64_t line, unsigned core, bool route)
{
    if (line >= IRQ_LINES_MAX)
        return ERR_INVAL;
    if (routed_to[line] != 0 && routed_to[line] != core + 1)
        return route ? ERR_PERM : ERR_NOENT; /* another core's driver has it */
    if (!route && routed_to[line] == 0)
        return ERR_NOENT;
    err_t err = kernel_irq(CAP_SLOT_KERNEL, route ? KERNEL_IRQ_ROUTE : KERNEL_IRQ_UNROUTE,
                           (unsigned)line, core);
    if (err == OK)
        routed_to[line] = route ? (uint16_t)(core + 1) : 0;
    return err;
}

/* Any monitor: has monitor 0 route line to this core, or unroute it; waits
 * for the answer, serving the other monitors meanwhile. */
static err_t ask_0(uint64_t line, bool route)
{
    if (mon.core == 0)
        return route_at_0(line, 0, route);
    msg_t m = MSG(MON_IRQ), r;
    struct mon_irq *q = msg_payload(&m, struct mon_irq);
    q->route = route;
    q->line = line;
    err_t err = mon_ask(0, &m, MON_IRQ_DONE, &r);
    return err != OK ? err : (err_t)msg_payload_const(&r, struct mon_irq_done)->err;
}

/* The line no longer comes here: forget it at this core's CPU driver too. */
static err_t unroute(uint64_t line)
{
    err_t err = ask_0(line, false);
    held[line].held = false;
    err_t forget = kernel_irq(CAP_SLOT_KERNEL, KERNEL_IRQ_FORGET, (unsigned)line, mon.core);
    return err != OK ? err : forget;
}

err_t serve_ns_irq(const msg_t *m, struct mon_call *c)
{
    uint32_t badge = c->badge;
    const struct ns_irq *req = msg_payload_const(m, struct ns_irq);
    struct cap_info irq;
    err_t err = c->got_cap ? cap_identify(names_take_slot(), &irq) : ERR_PERM;
    if (err == OK && (irq.type != CAP_IRQ || irq.base >= IRQ_LINES_MAX))
        err = ERR_PERM;
    uint64_t line = err == OK ? irq.base : 0;
    if (err == OK && held[line].held && held[line].domain != badge)
        err = req->route ? ERR_PERM : ERR_NOENT; /* another driver here has it */
    if (err == OK && req->route) {
        err = ask_0(line, true);
        if (err == OK)
            held[line].held = true, held[line].domain = badge;
    } else if (err == OK) {
        err = held[line].held ? unroute(line) : ERR_NOENT;
    }
    if (err != OK)
        mon_refusal("monitor %u: %s line %lu for domain %u refused: %s\n", mon.core,
                    req->route ? "routing" : "unrouting", (unsigned long)line, badge, err_str(err));
    return err;
}

void irqs_ended(uint32_t domain)
{
    for (unsigned line = 0; line < IRQ_LINES_MAX; line++) {
        if (held[line].held && held[line].domain == domain && unroute(line) != OK)
            sys_printf("monitor %u: line %u of ended domain %u not unrouted\n", mon.core, line,
                       domain);
    }
}

err_t serve_mon_irq(unsigned src, const msg_t *m)
{
    const struct mon_irq *q = msg_payload_const(m, struct mon_irq);
    msg_t r = MSG(MON_IRQ_DONE);
    struct mon_irq_done *a = msg_payload(&r, struct mon_irq_done);
    a->seq = q->seq;
    a->err = mon.core == 0 ? route_at_0(q->line, src, q->route != 0) : ERR_INVAL;
    mon_send(src, &r);
    return OK;
}
