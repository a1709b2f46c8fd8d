/* devices.c — the capabilities a driver gets for its device. Which service
 * may take which device is data: the devices= of its service line in
 * boot.conf (the console: the UART's registers, its interrupt line and the
 * kernel's console log; the bus: where devices are found, bus.c), read from
 * the boot archive at the first spawn. The first domain of that module the
 * monitor starts holds the device until it ends; then the next one may take
 * it (a restarted driver). `dma` is not a device but a right: the RAM such a
 * domain asks for (NS_RAM) tells it physical addresses (CAP_RIGHT_PHYS). Nor
 * is `target`: a mark that lets the holder of `debug` (the fault injector's
 * CAP_DEBUG) write into that domain's image. Each monitor keeps its own
 * holders: a device is held once per core, not once per machine. */
#include "monitor.h"

#include <archive.h>
#include <bootconf.h>
#include <lmp.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <string.h>
#include <sys.h>
#include <va_layout.h>

struct device {
    const char *name;
    err_t (*cap)(uint32_t index, capaddr_t slot, struct ns_device_cap *out);
    bool held;
    uint32_t holder;
};

static err_t console_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out);
static err_t debug_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out);

static struct device devices[] = {
    {.name = "console", .cap = console_cap},
    {.name = "bus", .cap = bus_cap},
    {.name = "debug", .cap = debug_cap},
};

#define DEVICES (sizeof devices / sizeof devices[0])

static struct bootconf conf;
static bool conf_read;

/* boot.conf's text, in the boot archive mapped read-only. */
static err_t boot_conf_text(const char **text, size_t *len)
{
    capaddr_t slot;
    uint64_t bytes;
    struct cap_info info;
    uintptr_t va = 0;
    err_t err = slot_alloc(&slot);
    if (err == OK)
        err = kernel_archive(CAP_SLOT_KERNEL, slot, &bytes);
    if (err == OK)
        err = cap_identify(slot, &info);
    if (err == OK)
        err = va_alloc(info.size, &va);
    if (err == OK)
        err = frame_map(slot, va, 0);
    struct archive ar;
    struct archive_entry e;
    if (err == OK)
        err = archive_open(&ar, (const void *)va, bytes);
    if (err == OK)
        err = archive_find(&ar, "boot.conf", &e);
    if (err != OK)
        return err;
    *text = (const char *)e.data;
    *len = e.size;
    return OK;
}

/* The service table, in tables of the monitor's own memory. */
static void read_service_table(void)
{
    conf_read = true;
    const char *text;
    size_t len;
    err_t err = boot_conf_text(&text, &len);
    if (err != OK) {
        sys_printf("monitor %u: no boot.conf: no device goes to any driver: %s\n", mon.core,
                   err_str(err));
        return;
    }
    struct bootconf sizes;
    bootconf_count(text, len, &sizes);
    static struct table modules = MON_TABLE(struct bootconf_module);
    static struct table places = MON_TABLE(struct bootconf_place);
    static struct table services = MON_TABLE(struct bootconf_service);
    if (!mon_table_fit(&modules, (uint32_t)sizes.module_cap + 1) ||
        !mon_table_fit(&places, (uint32_t)sizes.place_cap + 1) ||
        !mon_table_fit(&services, (uint32_t)sizes.service_cap + 1))
        return;
    conf = (struct bootconf){.modules = modules.items,
                             .module_cap = sizes.module_cap,
                             .places = places.items,
                             .place_cap = sizes.place_cap,
                             .services = services.items,
                             .service_cap = sizes.service_cap};
    const char *why;
    int line = bootconf_parse(text, len, &conf, &why);
    if (line != 0) {
        sys_printf("monitor %u: boot.conf:%d: %s\n", mon.core, line, why);
        conf.service_count = 0;
    }
}

/* The domains of this core that may learn physical addresses (devices=dma). */
static struct table dma_table = MON_TABLE(uint32_t);
static unsigned dma_count;

bool devices_may_dma(uint32_t domain)
{
    const uint32_t *ids = dma_table.items;
    for (unsigned i = 0; i < dma_count; i++) {
        if (ids[i] == domain)
            return true;
    }
    return false;
}

void devices_spawned(const char *module, uint32_t domain)
{
    if (!conf_read)
        read_service_table();
    const struct bootconf_service *s = bootconf_service(&conf, module);
    if (s != NULL && bootconf_service_has_device(s, "dma") &&
        mon_table_fit(&dma_table, dma_count + 1))
        ((uint32_t *)dma_table.items)[dma_count++] = domain;
    if (s != NULL && bootconf_service_has_device(s, "target")) {
        err_t err = kernel_fault_target(CAP_SLOT_KERNEL, domain);
        if (err != OK)
            sys_printf("monitor %u: %s cannot be a fault target: %s\n", mon.core, module,
                       err_str(err));
    }
    for (unsigned i = 0; s != NULL && i < DEVICES; i++) {
        struct device *d = &devices[i];
        if (!d->held && bootconf_service_has_device(s, d->name)) {
            d->held = true;
            d->holder = domain;
        }
    }
}

void devices_ended(uint32_t domain)
{
    uint32_t *ids = dma_table.items;
    for (unsigned i = 0; i < dma_count; i++) {
        if (ids[i] == domain)
            ids[i--] = ids[--dma_count];
    }
    for (unsigned i = 0; i < DEVICES; i++) {
        if (devices[i].held && devices[i].holder == domain)
            devices[i].held = false;
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

/* The fault injector's one capability. */
static err_t debug_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out)
{
    if (index != 0)
        return ERR_NOENT;
    out->cap_type = CAP_DEBUG;
    return kernel_mint_debug(CAP_SLOT_KERNEL, slot);
}

err_t serve_ns_device(const msg_t *m, struct mon_call *c)
{
    const struct ns_device *req = msg_payload_const(m, struct ns_device);
    struct device *d = NULL;
    for (unsigned i = 0; i < DEVICES; i++) {
        if (strncmp(devices[i].name, req->name, sizeof req->name) == 0)
            d = &devices[i];
    }
    err_t err = d == NULL                           ? ERR_NOENT
                : !d->held || d->holder != c->badge ? ERR_PERM /* not its driver */
                                                    : OK;
    if (err == OK)
        err = slot_alloc(&c->give);
    if (err == OK)
        err = d->cap(req->index, c->give, msg_payload(&c->r, struct ns_device_cap));
    if (err != OK && err != ERR_NOENT)
        mon_refusal("monitor %u: device request from domain %u refused: %s\n", mon.core, c->badge,
                    err_str(err));
    return err;
}
