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

#define BUS_MESSAGES(X)                                                                            \
    X(BUS_DEVICE, 0x900, bus_device, struct bus_ask, struct bus_device, PROTO_IDEMPOTENT, NULL)

PROTO_TYPES(bus_msg_type, BUS_MESSAGES)

#endif
