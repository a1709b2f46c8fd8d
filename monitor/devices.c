/* devices.c — the capabilities a driver gets for its device. Which module
 * drives which device is fixed here: the console (the UART's registers, its
 * interrupt line and the kernel's console log) goes to module "serial" on
 * core 0; the buses (where devices are found, bus.c) to the bus driver "pci".
 * The first domain of that module the monitor starts holds the device until
 * it ends; then the next one may take it (a restarted driver). The test
 * domain irq_probe may take the console's line and registers on any core, to
 * show that a line reaches a driver off core 0. */
#include "monitor.h"

#include <lmp.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>

struct grant {
    const char *device;
    const char *module;
    err_t (*cap)(uint32_t index, capaddr_t slot, struct ns_device_cap *out);
    unsigned core;
    bool any_core; /* core does not matter */
    bool held;
    uint32_t holder;
};

static err_t console_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out);

static struct grant grants[] = {
    {.device = "console", .module = "serial", .cap = console_cap, .core = 0},
    {.device = "console", .module = "irq_probe", .cap = console_cap, .any_core = true},
    {.device = "bus", .module = "pci", .cap = bus_cap, .any_core = true},
};

#define GRANTS (sizeof grants / sizeof grants[0])

void devices_spawned(const char *module, uint32_t domain)
{
    for (unsigned i = 0; i < GRANTS; i++) {
        struct grant *g = &grants[i];
        if (!g->held && (g->any_core || g->core == mon.core) && strcmp(g->module, module) == 0) {
            g->held = true;
            g->holder = domain;
        }
    }
}

void devices_ended(uint32_t domain)
{
    for (unsigned i = 0; i < GRANTS; i++) {
        if (grants[i].held && grants[i].holder == domain)
            grants[i].held = false;
    }
}

/* The console's capability number index into slot: IRQ, registers, log. */
static err_t console_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out)
{
    err_t err = kernel_console(CAP_SLOT_KERNEL, &out->dev);
    if (err != OK)
        return err;
    switch (index) {
    case 0:
        out->cap_type = CAP_IRQ;
        return kernel_mint_irq(CAP_SLOT_KERNEL, slot, out->dev.irq);
    case 1:
        if (out->dev.access == DEV_IOPORT) {
            out->cap_type = CAP_IOPORT;
            return kernel_mint_ioport(CAP_SLOT_KERNEL, slot, (unsigned)out->dev.base,
                                      (unsigned)out->dev.size);
        }
        out->cap_type = CAP_DEVFRAME;
        return kernel_mint_device(CAP_SLOT_KERNEL, slot, out->dev.base & ~0xfffull, 4096);
    case 2:
        out->cap_type = CAP_KLOG;
        return kernel_mint_klog(CAP_SLOT_KERNEL, slot);
    default:
        return ERR_NOENT;
    }
}

err_t serve_ns_device(const msg_t *m, struct mon_call *c)
{
    const struct ns_device *req = msg_payload_const(m, struct ns_device);
    struct grant *g = NULL;
    bool known = false;
    for (unsigned i = 0; i < GRANTS; i++) {
        if (strncmp(grants[i].device, req->name, sizeof req->name) != 0)
            continue;
        known = true;
        if (grants[i].held && grants[i].holder == c->badge)
            g = &grants[i];
    }
    err_t err = !known ? ERR_NOENT : g == NULL ? ERR_PERM : OK; /* PERM: not its driver */
    if (err == OK)
        err = slot_alloc(&c->give);
    if (err == OK)
        err = g->cap(req->index, c->give, msg_payload(&c->r, struct ns_device_cap));
    if (err != OK && err != ERR_NOENT)
        sys_printf("monitor %u: device request from domain %u refused: %s\n", mon.core, c->badge,
                   err_str(err));
    return err;
}
