/* virtio_pci.c — finds a virtio PCI device's structures from its
 * vendor-specific capabilities (virtio 1.1, 4.1.4). The list comes from the
 * device: every pointer is checked to stay inside configuration space, and a
 * list that loops ends the walk with an error rather than hanging. */
#include <virtio.h>
#include <virtio_io.h>

#define PCI_STATUS          0x06
#define PCI_STATUS_CAP_LIST (1u << 4)
#define PCI_CAP_PTR         0x34
#define PCI_CAP_VENDOR      0x09
#define PCI_CAPS_MAX        48 /* (256 - 64) / 4: more means the list loops */

enum { CAP_COMMON = 1, CAP_NOTIFY = 2, CAP_ISR = 3, CAP_DEVICE = 4 };

static uint32_t cfg32(const volatile uint8_t *cfg, uint32_t off) { return vio_read32(cfg + off); }

/* The structure one vendor capability at off names, if the driver uses it. */
static void take_cap(const volatile uint8_t *cfg, uint32_t off, struct virtio_pci_caps *caps,
                     unsigned *have)
{
    uint32_t head = cfg32(cfg, off);
    uint8_t len = (uint8_t)(head >> 16), type = (uint8_t)(head >> 24);
    uint8_t bar = (uint8_t)cfg32(cfg, off + 4);
    if (len < 16 || bar > 5 || type < CAP_COMMON || type > CAP_DEVICE ||
        (*have & (1u << type)) != 0)
        return; /* the first of each type is the one to use (4.1.4) */
    struct virtio_pci_cap c = {
        .bar = bar, .offset = cfg32(cfg, off + 8), .length = cfg32(cfg, off + 12)};
    switch (type) {
    case CAP_COMMON:
        caps->common = c;
        break;
    case CAP_NOTIFY:
        if (len < 20)
            return;
        caps->notify = c;
        caps->notify_multiplier = cfg32(cfg, off + 16);
        break;
    case CAP_ISR:
        caps->isr = c;
        break;
    default:
        caps->device = c;
        break;
    }
    *have |= 1u << type;
}

err_t virtio_pci_caps_read(const volatile uint8_t *cfg, uint32_t cfg_bytes,
                           struct virtio_pci_caps *caps)
{
    *caps = (struct virtio_pci_caps){0};
    if (cfg_bytes < 256)
        return ERR_RANGE;
    if ((vio_read16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST) == 0)
        return ERR_NOENT;
    unsigned have = 0;
    uint32_t off = vio_read8(cfg + PCI_CAP_PTR) & 0xfc;
    for (unsigned n = 0; off != 0; n++) {
        if (n == PCI_CAPS_MAX || off < 0x40 || off > 256 - 16)
            return ERR_BADHDR;
        uint32_t head = cfg32(cfg, off);
        if ((head & 0xff) == PCI_CAP_VENDOR)
            take_cap(cfg, off, caps, &have);
        off = (head >> 8) & 0xfc;
    }
    unsigned need = 1u << CAP_COMMON | 1u << CAP_NOTIFY | 1u << CAP_ISR | 1u << CAP_DEVICE;
    return (have & need) == need ? OK : ERR_NOENT;
}

static err_t place(const struct virtio_pci_cap *c, uint32_t min, volatile uint8_t *const bar[6],
                   const uint64_t bar_bytes[6], volatile uint8_t **out)
{
    if (bar[c->bar] == NULL || c->length < min || c->offset > bar_bytes[c->bar] ||
        c->length > bar_bytes[c->bar] - c->offset)
        return ERR_RANGE;
    *out = bar[c->bar] + c->offset;
    return OK;
}

err_t virtio_pci_attach(struct virtio_dev *dev, const struct virtio_pci_caps *caps,
                        volatile uint8_t *const bar[6], const uint64_t bar_bytes[6])
{
    *dev = (struct virtio_dev){.transport = VIRTIO_PCI,
                               .notify_multiplier = caps->notify_multiplier,
                               .notify_bytes = caps->notify.length,
                               .device_bytes = caps->device.length};
    err_t err = place(&caps->common, 56, bar, bar_bytes, &dev->common);
    if (err == OK)
        err = place(&caps->notify, 2, bar, bar_bytes, &dev->notify);
    if (err == OK)
        err = place(&caps->isr, 1, bar, bar_bytes, &dev->isr);
    if (err == OK)
        err = place(&caps->device, 1, bar, bar_bytes, &dev->device);
    return err;
}
