/* mmio.c — reads a virtio-mmio slot's identity (virtio 1.1, 4.2.2): magic,
 * version, device type. An empty slot (type 0) is no device. */
#include "pci.h"

#define MMIO_MAGIC 0x74726976 /* "virt" */

void mmio_probe(uint32_t region, const struct bus_region *desc, capaddr_t cap,
                volatile uint8_t *regs)
{
    volatile uint32_t *r = (volatile uint32_t *)regs;
    if (r[0] != MMIO_MAGIC || r[2] == 0)
        return;
    struct bus_device d = {
        .kind = BUS_VIRTIO_MMIO,
        .vendor = VIRTIO_VENDOR,
        .device = (uint16_t)r[2],
        .subsys_vendor = (uint16_t)r[3],
        .virtio_type = r[2],
        .version = r[1],
        .irq = desc->irq,
        .base = desc->base,
    };
    (void)found_add(&(struct found){.dev = d, .region = region, .regs = cap});
}
