/* sim_device.h — a simulated virtio device for the transport's host tests:
 * a PCI configuration space with its capability list, a BAR holding the
 * common configuration, notification area, ISR and device configuration,
 * and a virtio-mmio register file; its registers behave as the spec says
 * (feature selects, reset, queue selects), through the vio_* accessors the
 * library calls. */
#ifndef SIM_DEVICE_H
#define SIM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_BAR_BYTES 0x4000
#define SIM_QUEUES    2

struct sim_queue {
    uint16_t size_max, size, notify_off, enabled;
    uint64_t desc, driver, device;
};

struct sim_dev {
    _Alignas(4096) uint8_t cfg[4096];
    _Alignas(4096) uint8_t bar[SIM_BAR_BYTES];
    _Alignas(4096) uint8_t mmio[4096];
    uint64_t offered, accepted;
    uint32_t dfselect, gfselect, qselect;
    uint8_t status;
    bool refuse_features;      /* FEATURES_OK does not stick */
    unsigned generation_bumps; /* the configuration changes under this many reads */
    uint32_t generation;
    struct sim_queue q[SIM_QUEUES];
    uint32_t notified[SIM_QUEUES];
    uint32_t mmio_version, mmio_type, irq_status, irq_acked;
};

extern struct sim_dev sim;

/* A QEMU-like layout: common at 0, ISR at 0x1000, device at 0x2000, notify
 * at 0x3000 with multiplier 4, all in BAR 4; a capability chain at 0x40. */
void sim_pci_layout(void);
/* Writes one vendor capability at off, chained to next. */
void sim_pci_cap(uint8_t off, uint8_t next, uint8_t type, uint8_t bar, uint32_t offset,
                 uint32_t length);

#endif
