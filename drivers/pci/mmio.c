/* mmio.c — reads a virtio-mmio slot's identity (virtio 1.1, 4.2.2): magic,
 * version, device type. An empty slot (type 0) is no device. */
#include "pci.h"

#include <virtio_io.h>

#define MMIO_MAGIC 0x74726976 /* "virt" */

/* Register i (32 bits), read as every device register is (lib/virtio_io):
 * with the architecture's ordering, and one plain load. */
static uint32_t reg(volatile uint8_t *regs, unsigned i) { return vio_read32(regs + 4 * i); }

void mmio_probe(uint32_t region, const struct bus_region *desc, capaddr_t cap,
                volatile uint8_t *regs)
{
    uint32_t type = reg(regs, 2);
    if (reg(regs, 0) != MMIO_MAGIC || type == 0)
        return;
    struct bus_device d = {
        .kind = BUS_VIRTIO_MMIO,
        .vendor = VIRTIO_VENDOR,
        .device = (uint16_t)type,
        .subsys_vendor = (uint16_t)reg(regs, 3),
        .virtio_type = type,
        .version = reg(regs, 1),
        .irq = desc->irq,
        .base = desc->base,
    };
    (void)found_add(&(struct found){.dev = d, .region = region, .regs = cap});
}
