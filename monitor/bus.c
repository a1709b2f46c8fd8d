/* bus.c — what the bus driver gets: each region where devices are found
 * (SYS_KERNEL_BUS), as device frames of at most one bus's configuration
 * space each, and the interrupt line of each virtio-mmio slot. The bus driver
 * hands devices on to their drivers; nothing here knows any device. */
#include "monitor.h"

#include <proto/ns.h>
#include <sys.h>

#define ECAM_BUS_BYTES (1ull << 20)

/* index = region << 16 | piece. A PCIe region's piece is a bus (from its
 * first), BUS_CAP_WINDOW the memory its BARs lie in, BUS_CAP_INTX + k its
 * k-th interrupt line; a virtio-mmio slot's piece 0 is its registers, 1 its
 * line. */
err_t bus_cap(uint32_t index, capaddr_t slot, struct ns_device_cap *out)
{
    uint32_t region = index >> 16, piece = index & 0xffff;
    err_t err = kernel_bus(CAP_SLOT_KERNEL, region, &out->bus);
    if (err != OK)
        return err;
    const struct bus_region *b = &out->bus;
    if (b->kind == BUS_PCIE_ECAM && piece == BUS_CAP_WINDOW) {
        if (b->window_pages == 0)
            return ERR_NOENT;
        out->cap_type = CAP_DEVFRAME;
        return kernel_mint_device(CAP_SLOT_KERNEL, slot, b->window_base,
                                  (uint64_t)b->window_pages << 12);
    }
    if (b->kind == BUS_PCIE_ECAM && piece >= BUS_CAP_INTX) {
        if (piece - BUS_CAP_INTX >= b->irq_count)
            return ERR_NOENT;
        out->cap_type = CAP_IRQ;
        return kernel_mint_irq(CAP_SLOT_KERNEL, slot, b->irq + piece - BUS_CAP_INTX);
    }
    if (b->kind == BUS_PCIE_ECAM) {
        if (piece > b->last_bus - b->first_bus)
            return ERR_NOENT;
        out->cap_type = CAP_DEVFRAME;
        return kernel_mint_device(CAP_SLOT_KERNEL, slot, b->base + piece * ECAM_BUS_BYTES,
                                  ECAM_BUS_BYTES);
    }
    if (piece == 0) {
        out->cap_type = CAP_DEVFRAME;
        return kernel_mint_device(CAP_SLOT_KERNEL, slot, b->base, b->size);
    }
    if (piece == 1 && b->irq != 0) {
        out->cap_type = CAP_IRQ;
        return kernel_mint_irq(CAP_SLOT_KERNEL, slot, b->irq);
    }
    return ERR_NOENT;
}
