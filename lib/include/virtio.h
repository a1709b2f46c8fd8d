/* virtio.h — a virtio 1.x device, the driver's side of its transport
 * (virtio 1.1, 4.1 PCI and 4.2 MMIO): status, feature negotiation, queues,
 * notification, interrupt status and the device's own configuration. Only
 * modern devices: a virtio-mmio device of version 1 (legacy) is refused with
 * ERR_NOSYS, and so is any device that does not offer VIRTIO_F_VERSION_1.
 * Registers are reached through virtio_io.h; nothing here maps memory. */
#ifndef VIRTIO_H
#define VIRTIO_H

#include <err.h>
#include <stdint.h>
#include <virtq.h>

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED      128

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" */

enum virtio_transport { VIRTIO_PCI = 1, VIRTIO_MMIO };

/* Where a PCI device's virtio structures lie (4.1.4): which BAR, and where
 * in it, from its vendor-specific capabilities. */
struct virtio_pci_cap {
    uint8_t bar;
    uint32_t offset, length;
};

struct virtio_pci_caps {
    struct virtio_pci_cap common, notify, isr, device;
    uint32_t notify_multiplier;
};

#define VIRTIO_QUEUES_MAX 4 /* queues a driver of ours sets up */

struct virtio_dev {
    enum virtio_transport transport;
    volatile uint8_t *common; /* PCI: struct virtio_pci_common_cfg; MMIO: every register */
    volatile uint8_t *notify; /* PCI: the notification area */
    uint32_t notify_multiplier, notify_bytes;
    volatile uint8_t *queue_notify[VIRTIO_QUEUES_MAX]; /* PCI: where each queue is kicked */
    volatile uint8_t *isr;                             /* PCI: the ISR status byte */
    volatile uint8_t *device;                          /* the device-specific configuration */
    uint32_t device_bytes;
    uint64_t features; /* what was agreed */
};

/* Reads a PCI function's capability list (its configuration space, cfg_bytes
 * of it mapped at cfg) into caps. ERR_NOENT if a structure the driver needs
 * (common, notify, ISR, device) is missing; ERR_BADHDR for a list that loops
 * or points outside the configuration space. */
MUST_CHECK err_t virtio_pci_caps_read(const volatile uint8_t *cfg, uint32_t cfg_bytes,
                                      struct virtio_pci_caps *caps);

/* A PCI device whose BARs are mapped at bar[i] (bar_bytes[i] bytes; 0: not
 * mapped). ERR_RANGE if a structure lies past the end of its BAR. */
MUST_CHECK err_t virtio_pci_attach(struct virtio_dev *dev, const struct virtio_pci_caps *caps,
                                   volatile uint8_t *const bar[6], const uint64_t bar_bytes[6]);

/* A virtio-mmio device whose registers (bytes of them) are at regs; the type
 * it reports goes to *type. ERR_BADMAGIC if it is not virtio-mmio, ERR_NOSYS
 * for version 1 (legacy: QEMU makes version 2 with
 * -global virtio-mmio.force-legacy=false), ERR_NOENT for an empty slot. */
MUST_CHECK err_t virtio_mmio_attach(struct virtio_dev *dev, volatile uint8_t *regs, uint32_t bytes,
                                    uint32_t *type);

/* Resets the device and negotiates: accepts VIRTIO_F_VERSION_1 and what of
 * wanted the device offers, and sets FEATURES_OK. ERR_NOSYS if the device is
 * not modern or refuses the features (it is left FAILED). */
MUST_CHECK err_t virtio_start(struct virtio_dev *dev, uint64_t wanted);

/* Sets queue index up with q (virtq_init'd); ERR_NOENT if there is no such
 * queue (or index >= VIRTIO_QUEUES_MAX), ERR_RANGE if the device's queues are
 * shorter than q or its notification address lies outside its area. */
MUST_CHECK err_t virtio_queue_setup(struct virtio_dev *dev, uint16_t index, const struct virtq *q);

/* The driver is ready: DRIVER_OK. */
void virtio_ready(struct virtio_dev *dev);

/* Tells the device that queue index has new requests. */
void virtio_notify(struct virtio_dev *dev, uint16_t index);

/* Reads and acknowledges the interrupt status (bit 0: a queue, bit 1: the
 * configuration changed). */
uint32_t virtio_isr(struct virtio_dev *dev);

/* The device's status register; virtio_failed gives up on it. */
uint8_t virtio_status(struct virtio_dev *dev);
void virtio_failed(struct virtio_dev *dev);

/* A field of the device configuration at offset off (4-aligned), read whole
 * even while the device changes it (its generation is checked). ERR_RANGE
 * past the end or unaligned. */
MUST_CHECK err_t virtio_config_read32(struct virtio_dev *dev, uint32_t off, uint32_t *out);
MUST_CHECK err_t virtio_config_read64(struct virtio_dev *dev, uint32_t off, uint64_t *out);

#endif
