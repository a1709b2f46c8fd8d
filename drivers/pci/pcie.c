/* pcie.c — reads PCI Express configuration space through ECAM (4 KiB per
 * function, 1 MiB per bus): every function of every bus reachable from the
 * region's first, behind bridges the firmware numbered. It only reads: BARs
 * stay as the firmware left them. */
#include "pci.h"

#define ECAM_FUNC(slot, func) (((uint32_t)(slot) << 15) | ((uint32_t)(func) << 12))

static uint32_t cfg32(volatile uint8_t *fn, unsigned off)
{
    return *(volatile uint32_t *)(fn + (off & ~3u));
}

static uint8_t cfg8(volatile uint8_t *fn, unsigned off)
{
    return (uint8_t)(cfg32(fn, off) >> (8 * (off & 3)));
}

static uint16_t cfg16(volatile uint8_t *fn, unsigned off)
{
    return (uint16_t)(cfg32(fn, off) >> (8 * (off & 2)));
}

/* The virtio device type of a PCI function, 0 if it is none (virtio 1.1,
 * 4.1.2: modern ids are 0x1040 + type; transitional ones carry the type in
 * the subsystem id). */
static uint32_t virtio_type(const struct bus_device *d)
{
    if (d->vendor != VIRTIO_VENDOR || d->device < 0x1000 || d->device > 0x107f)
        return 0;
    return d->device >= 0x1040 ? d->device - 0x1040u : d->subsys;
}

/* Records one function (its bus's configuration space is cap); a bridge's
 * secondary bus, if it is past this one, goes in *next. */
static void add_function(volatile uint8_t *fn, uint32_t region, capaddr_t cap, unsigned bus,
                         unsigned slot, unsigned func, unsigned *next)
{
    uint32_t class_rev = cfg32(fn, 0x08);
    uint8_t header = cfg8(fn, 0x0e) & 0x7f;
    struct bus_device d = {
        .kind = BUS_PCIE_ECAM,
        .bus = (uint8_t)bus,
        .slot = (uint8_t)slot,
        .func = (uint8_t)func,
        .vendor = cfg16(fn, 0x00),
        .device = cfg16(fn, 0x02),
        .class_code = (uint8_t)(class_rev >> 24),
        .subclass = (uint8_t)(class_rev >> 16),
        .prog_if = (uint8_t)(class_rev >> 8),
        .irq_pin = cfg8(fn, 0x3d),
    };
    struct found f = {.region = region, .regs = cap, .cfg_offset = ECAM_FUNC(slot, func)};
    if (header == 0) {
        d.subsys_vendor = cfg16(fn, 0x2c);
        d.subsys = cfg16(fn, 0x2e);
    } else if (header == 1) {
        uint8_t secondary = cfg8(fn, 0x19);
        if (secondary > bus)
            *next = secondary;
    }
    d.virtio_type = virtio_type(&d);
    if (header == 0 && d.virtio_type != 0)
        bars_read(fn, &f);
    f.dev = d;
    (void)found_add(&f); /* a full table drops nothing silently: found_add says so */
}

static void scan_bus(uint32_t region, const struct bus_region *desc, capaddr_t bus0_cap,
                     volatile uint8_t *bus0, unsigned bus, unsigned *queue, unsigned *queued)
{
    struct bus_region again;
    volatile uint8_t *cfg = bus0;
    capaddr_t slot = bus0_cap;
    err_t err = OK;
    if (bus != desc->first_bus)
        err = region_cap(region, bus - desc->first_bus, &again, &slot, &cfg);
    if (err != OK) {
        sys_printf("pci: cannot map bus %u: %s\n", bus, err_str(err));
        return;
    }
    for (unsigned slot_no = 0; slot_no < 32; slot_no++) {
        unsigned funcs = 1;
        for (unsigned func = 0; func < funcs; func++) {
            volatile uint8_t *fn = cfg + ECAM_FUNC(slot_no, func);
            if (cfg16(fn, 0x00) == 0xffff)
                continue;
            if (func == 0 && (cfg8(fn, 0x0e) & 0x80))
                funcs = 8; /* a multi-function device */
            unsigned next = 0;
            add_function(fn, region, slot, bus, slot_no, func, &next);
            if (next != 0 && next <= desc->last_bus && *queued < 256)
                queue[(*queued)++] = next;
        }
    }
}

void pcie_scan(uint32_t region, const struct bus_region *desc, capaddr_t bus0_cap,
               volatile uint8_t *bus0)
{
    unsigned queue[256], queued = 0;
    queue[queued++] = desc->first_bus;
    for (unsigned i = 0; i < queued; i++)
        scan_bus(region, desc, bus0_cap, bus0, queue[i], queue, &queued);
}
