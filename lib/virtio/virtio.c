/* virtio.c — a modern virtio device through either transport (virtio 1.1,
 * 3.1 initialization, 4.1.4.3 PCI common configuration, 4.2.2 MMIO
 * registers): reset, negotiation, queues, notification and interrupts. The
 * device is trusted to be a device, not to be right: what it reports (queue
 * sizes, notification offsets) is checked before use. */
#include <virtio.h>
#include <virtio_io.h>

/* PCI common configuration (4.1.4.3). */
enum {
    PCI_DFSELECT = 0,
    PCI_DF = 4,
    PCI_GFSELECT = 8,
    PCI_GF = 12,
    PCI_NUM_QUEUES = 18,
    PCI_STATUS = 20,
    PCI_GENERATION = 21,
    PCI_Q_SELECT = 22,
    PCI_Q_SIZE = 24,
    PCI_Q_ENABLE = 28,
    PCI_Q_NOTIFY_OFF = 30,
    PCI_Q_DESC = 32,
    PCI_Q_DRIVER = 40,
    PCI_Q_DEVICE = 48,
};

/* MMIO registers (4.2.2). */
enum {
    MMIO_MAGIC = 0x000,
    MMIO_VERSION = 0x004,
    MMIO_DEVICE_ID = 0x008,
    MMIO_DF = 0x010,
    MMIO_DFSELECT = 0x014,
    MMIO_GF = 0x020,
    MMIO_GFSELECT = 0x024,
    MMIO_Q_SELECT = 0x030,
    MMIO_Q_NUM_MAX = 0x034,
    MMIO_Q_NUM = 0x038,
    MMIO_Q_READY = 0x044,
    MMIO_Q_NOTIFY = 0x050,
    MMIO_IRQ_STATUS = 0x060,
    MMIO_IRQ_ACK = 0x064,
    MMIO_STATUS = 0x070,
    MMIO_Q_DESC = 0x080,
    MMIO_Q_DRIVER = 0x090,
    MMIO_Q_DEVICE = 0x0a0,
    MMIO_GENERATION = 0x0fc,
    MMIO_CONFIG = 0x100,
};

#define RESET_POLLS 1000000

static bool pci(const struct virtio_dev *d) { return d->transport == VIRTIO_PCI; }

static void write64(volatile uint8_t *lo, volatile uint8_t *hi, uint64_t v)
{
    vio_write32(lo, (uint32_t)v);
    vio_write32(hi, (uint32_t)(v >> 32));
}

err_t virtio_mmio_attach(struct virtio_dev *dev, volatile uint8_t *regs, uint32_t bytes,
                         uint32_t *type)
{
    *dev = (struct virtio_dev){.transport = VIRTIO_MMIO, .common = regs};
    if (bytes < MMIO_CONFIG || vio_read32(regs + MMIO_MAGIC) != VIRTIO_MMIO_MAGIC)
        return ERR_BADMAGIC;
    uint32_t version = vio_read32(regs + MMIO_VERSION);
    *type = vio_read32(regs + MMIO_DEVICE_ID);
    if (*type == 0)
        return ERR_NOENT;
    if (version != 2)
        return ERR_NOSYS; /* 1 is legacy, which this library does not drive */
    dev->device = regs + MMIO_CONFIG;
    dev->device_bytes = bytes - MMIO_CONFIG;
    return OK;
}

uint8_t virtio_status(struct virtio_dev *dev)
{
    return pci(dev) ? vio_read8(dev->common + PCI_STATUS)
                    : (uint8_t)vio_read32(dev->common + MMIO_STATUS);
}

static void status_set(struct virtio_dev *dev, uint8_t status)
{
    if (pci(dev))
        vio_write8(dev->common + PCI_STATUS, status);
    else
        vio_write32(dev->common + MMIO_STATUS, status);
}

void virtio_failed(struct virtio_dev *dev)
{
    status_set(dev, (uint8_t)(virtio_status(dev) | VIRTIO_STATUS_FAILED));
}

static uint32_t features_half(struct virtio_dev *dev, uint32_t half)
{
    if (pci(dev)) {
        vio_write32(dev->common + PCI_DFSELECT, half);
        return vio_read32(dev->common + PCI_DF);
    }
    vio_write32(dev->common + MMIO_DFSELECT, half);
    return vio_read32(dev->common + MMIO_DF);
}

static void accept_half(struct virtio_dev *dev, uint32_t half, uint32_t bits)
{
    if (pci(dev)) {
        vio_write32(dev->common + PCI_GFSELECT, half);
        vio_write32(dev->common + PCI_GF, bits);
    } else {
        vio_write32(dev->common + MMIO_GFSELECT, half);
        vio_write32(dev->common + MMIO_GF, bits);
    }
}

err_t virtio_start(struct virtio_dev *dev, uint64_t wanted)
{
    status_set(dev, 0); /* reset; it is done when the status reads 0 (4.1.4.3.2) */
    unsigned polls = 0;
    while (virtio_status(dev) != 0) {
        if (++polls == RESET_POLLS)
            return ERR_BUSY;
    }
    status_set(dev, VIRTIO_STATUS_ACKNOWLEDGE);
    status_set(dev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    uint64_t offered = features_half(dev, 0) | (uint64_t)features_half(dev, 1) << 32;
    if ((offered & VIRTIO_F_VERSION_1) == 0) {
        virtio_failed(dev);
        return ERR_NOSYS;
    }
    dev->features = offered & (wanted | VIRTIO_F_VERSION_1);
    accept_half(dev, 0, (uint32_t)dev->features);
    accept_half(dev, 1, (uint32_t)(dev->features >> 32));
    uint8_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
    status_set(dev, s);
    if ((virtio_status(dev) & VIRTIO_STATUS_FEATURES_OK) == 0) {
        virtio_failed(dev);
        return ERR_NOSYS; /* it did not take what it offered */
    }
    return OK;
}

static err_t pci_queue(struct virtio_dev *dev, uint16_t index, const struct virtq *q)
{
    volatile uint8_t *c = dev->common;
    if (index >= vio_read16(c + PCI_NUM_QUEUES))
        return ERR_NOENT;
    vio_write16(c + PCI_Q_SELECT, index);
    uint16_t max = vio_read16(c + PCI_Q_SIZE);
    if (max == 0)
        return ERR_NOENT;
    uint64_t at = (uint64_t)vio_read16(c + PCI_Q_NOTIFY_OFF) * dev->notify_multiplier;
    if (max < q->size || dev->notify_bytes < 2 || at > dev->notify_bytes - 2)
        return ERR_RANGE;
    dev->queue_notify[index] = dev->notify + at;
    vio_write16(c + PCI_Q_SIZE, q->size);
    write64(c + PCI_Q_DESC, c + PCI_Q_DESC + 4, q->desc_pa);
    write64(c + PCI_Q_DRIVER, c + PCI_Q_DRIVER + 4, q->avail_pa);
    write64(c + PCI_Q_DEVICE, c + PCI_Q_DEVICE + 4, q->used_pa);
    vio_write16(c + PCI_Q_ENABLE, 1);
    return OK;
}

static err_t mmio_queue(struct virtio_dev *dev, uint16_t index, const struct virtq *q)
{
    volatile uint8_t *r = dev->common;
    vio_write32(r + MMIO_Q_SELECT, index);
    if (vio_read32(r + MMIO_Q_READY) != 0)
        return ERR_BUSY;
    uint32_t max = vio_read32(r + MMIO_Q_NUM_MAX);
    if (max == 0)
        return ERR_NOENT;
    if (max < q->size)
        return ERR_RANGE;
    vio_write32(r + MMIO_Q_NUM, q->size);
    write64(r + MMIO_Q_DESC, r + MMIO_Q_DESC + 4, q->desc_pa);
    write64(r + MMIO_Q_DRIVER, r + MMIO_Q_DRIVER + 4, q->avail_pa);
    write64(r + MMIO_Q_DEVICE, r + MMIO_Q_DEVICE + 4, q->used_pa);
    vio_write32(r + MMIO_Q_READY, 1);
    return OK;
}

err_t virtio_queue_setup(struct virtio_dev *dev, uint16_t index, const struct virtq *q)
{
    if (index >= VIRTIO_QUEUES_MAX)
        return ERR_NOENT;
    return pci(dev) ? pci_queue(dev, index, q) : mmio_queue(dev, index, q);
}

void virtio_ready(struct virtio_dev *dev)
{
    status_set(dev, (uint8_t)(virtio_status(dev) | VIRTIO_STATUS_DRIVER_OK));
}

void virtio_notify(struct virtio_dev *dev, uint16_t index)
{
    if (index >= VIRTIO_QUEUES_MAX)
        return;
    if (pci(dev)) {
        if (dev->queue_notify[index] != NULL)
            vio_write16(dev->queue_notify[index], index);
    } else {
        vio_write32(dev->common + MMIO_Q_NOTIFY, index);
    }
}

uint32_t virtio_isr(struct virtio_dev *dev)
{
    if (pci(dev))
        return vio_read8(dev->isr); /* reading it acknowledges it */
    uint32_t status = vio_read32(dev->common + MMIO_IRQ_STATUS);
    vio_write32(dev->common + MMIO_IRQ_ACK, status);
    return status;
}

static uint32_t generation(struct virtio_dev *dev)
{
    return pci(dev) ? vio_read8(dev->common + PCI_GENERATION)
                    : vio_read32(dev->common + MMIO_GENERATION);
}

/* 32-bit fields are read 32 bits wide, 64-bit ones as two of those, again
 * if the device changed its configuration meanwhile (4.1.4.3.1, 4.2.2.2). */
static err_t config_read(struct virtio_dev *dev, uint32_t off, uint32_t words, uint64_t *out)
{
    if ((off & 3) != 0 || off > dev->device_bytes || words * 4 > dev->device_bytes - off)
        return ERR_RANGE;
    uint32_t before, after;
    do {
        before = generation(dev);
        *out = vio_read32(dev->device + off);
        if (words == 2)
            *out |= (uint64_t)vio_read32(dev->device + off + 4) << 32;
        after = generation(dev);
    } while (before != after);
    return OK;
}

err_t virtio_config_read32(struct virtio_dev *dev, uint32_t off, uint32_t *out)
{
    uint64_t v;
    err_t err = config_read(dev, off, 1, &v);
    *out = (uint32_t)v;
    return err;
}

err_t virtio_config_read64(struct virtio_dev *dev, uint32_t off, uint64_t *out)
{
    return config_read(dev, off, 2, out);
}
