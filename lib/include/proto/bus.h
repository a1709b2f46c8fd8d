/* proto/bus.h — the bus driver's protocol (drivers/pci): what it found, one
 * device per request, in the order it found them (PCI Express functions by
 * bus, slot and function, then virtio-mmio slots by address). */
#ifndef PROTO_BUS_H
#define PROTO_BUS_H

#include <dev_abi.h>
#include <proto.h>

#define BUS_NAME "pci"

#define VIRTIO_VENDOR 0x1af4

struct bus_ask {
    uint32_t index; /* from 0; ERR_NOENT past the last */
};

struct bus_device {
    uint8_t kind;            /* enum bus_kind */
    uint8_t bus, slot, func; /* PCIe */
    uint16_t vendor, device; /* PCIe ids; virtio-mmio: VIRTIO_VENDOR and the device type */
    uint16_t subsys_vendor, subsys;
    uint8_t class_code, subclass, prog_if, irq_pin; /* PCIe; irq_pin 1-4 is INTA-INTD */
    uint32_t virtio_type;                           /* 0 if not a virtio device */
    uint32_t version;                               /* virtio-mmio: its version register */
    uint32_t irq;                                   /* virtio-mmio: its interrupt line */
    uint64_t base;                                  /* virtio-mmio: its registers */
};

/* A driver takes a device: the which-th of its virtio type, one capability
 * per request. Only a caller on the bus driver's core can be given one (over
 * LMP); the first domain to claim a device is the only one that gets it. */
enum bus_piece_kind {
    BUS_PIECE_REGS = 0, /* virtio-mmio: its registers; PCIe: its configuration space (4 KiB) */
    BUS_PIECE_IRQ = 1,  /* its interrupt line (PCIe: the line its INTx pin is wired to) */
    BUS_PIECE_BAR0 = 2, /* PCIe: memory BAR i is BUS_PIECE_BAR0 + i, whole pages */
};

struct bus_claim {
    uint32_t virtio_type;
    uint32_t which; /* from 0, in the order of BUS_DEVICE */
    uint32_t piece; /* enum bus_piece_kind */
};

struct bus_piece {
    struct bus_device dev;
    uint32_t cap_type; /* what came: CAP_DEVFRAME or CAP_IRQ */
    uint32_t pad;
};

#define BUS_MESSAGES(X)                                                                            \
    X(BUS_DEVICE, 0x900, bus_device, struct bus_ask, struct bus_device, PROTO_IDEMPOTENT, NULL)    \
    X(BUS_CLAIM, 0x901, bus_claim, struct bus_claim, struct bus_piece, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(bus_msg_type, BUS_MESSAGES)

#endif
