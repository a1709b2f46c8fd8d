/* claim.c — takes a virtio device from the bus driver, over LMP (the
 * bus driver runs on this core): on virtio-mmio its registers and line; on
 * PCI its configuration space, the BARs its virtio structures lie in, and
 * the line its INTx pin is wired to. The device is attached, not started. */
#include <chan.h>
#include <lmp.h>
#include <proto/bus.h>
#include <proto/ns.h>
#include <slot_alloc.h>
#include <sys.h>
#include <va_layout.h>
#include <virtio_drv.h>

#define FIND_NS                       30000000000ull
#define PCI_COMMAND                   0x04
#define PCI_COMMAND_MEMORY_AND_MASTER 0x6

static struct chan bus;

static err_t piece(uint32_t type, unsigned which, uint32_t kind, capaddr_t *slot,
                   struct bus_piece *got)
{
    msg_t m = MSG(BUS_CLAIM), r;
    *msg_payload(&m, struct bus_claim) = (struct bus_claim){type, which, kind};
    err_t err = slot_alloc(slot);
    if (err != OK)
        return err;
    err = lmp_call(bus.cap, &m, &r, 0, *slot);
    if (err == OK)
        err = (err_t)r.type;
    if (err == OK)
        *got = *msg_payload_const(&r, struct bus_piece);
    else
        slot_free(*slot);
    return err;
}

/* A device frame piece of the device, mapped. */
static err_t mapped(uint32_t type, unsigned which, uint32_t kind, volatile uint8_t **va,
                    uint64_t *bytes, struct bus_piece *got)
{
    capaddr_t frame;
    struct cap_info info;
    uintptr_t at;
    err_t err = piece(type, which, kind, &frame, got);
    if (err == OK)
        err = cap_identify(frame, &info);
    if (err == OK)
        err = va_alloc(info.size, &at);
    if (err == OK)
        err = frame_map(frame, at, 1);
    if (err != OK)
        return err;
    *va = (volatile uint8_t *)at;
    *bytes = info.size;
    return OK;
}

static err_t attach_pci(uint32_t type, unsigned which, volatile uint8_t *cfg,
                        struct virtio_dev *dev)
{
    struct virtio_pci_caps caps;
    err_t err = virtio_pci_caps_read(cfg, 4096, &caps);
    if (err != OK)
        return err;
    volatile uint8_t *bar[6] = {0};
    uint64_t bar_bytes[6] = {0};
    const struct virtio_pci_cap *need[] = {&caps.common, &caps.notify, &caps.isr, &caps.device};
    for (unsigned i = 0; i < 4 && err == OK; i++) {
        struct bus_piece got;
        unsigned b = need[i]->bar;
        if (bar[b] == NULL)
            err = mapped(type, which, BUS_PIECE_BAR0 + b, &bar[b], &bar_bytes[b], &got);
    }
    if (err != OK)
        return err;
    /* Its memory decoding on, and DMA allowed: its configuration space is ours. */
    volatile uint16_t *command = (volatile uint16_t *)(cfg + PCI_COMMAND);
    *command = (uint16_t)(*command | PCI_COMMAND_MEMORY_AND_MASTER);
    return virtio_pci_attach(dev, &caps, bar, bar_bytes);
}

err_t virtio_claim(uint32_t type, unsigned which, struct virtio_dev *dev, capaddr_t *irq)
{
    err_t err = chan_lookup_wait(BUS_NAME, &bus, FIND_NS);
    if (err != OK)
        return err;
    if (bus.kind != NS_LOCAL)
        return ERR_REMOTE; /* capabilities come only over LMP: place it with "pci" */
    volatile uint8_t *regs;
    uint64_t bytes;
    struct bus_piece got, line;
    if ((err = mapped(type, which, BUS_PIECE_REGS, &regs, &bytes, &got)) != OK ||
        (err = piece(type, which, BUS_PIECE_IRQ, irq, &line)) != OK)
        return err;
    if (got.dev.kind == BUS_PCIE_ECAM)
        return attach_pci(type, which, regs, dev);
    uint32_t found;
    err = virtio_mmio_attach(dev, regs, (uint32_t)bytes, &found);
    return err == OK && found != type ? ERR_NOSYS : err;
}
