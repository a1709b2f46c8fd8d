/* bars.c — where a virtio PCI function's memory BARs are (as the firmware
 * placed them) and how much of each its driver needs: the pages its virtio
 * structures lie in, from its capabilities (virtio 1.1, 4.1.4). BARs are not
 * sized by writing them: moving a BAR for a moment, even with decoding off,
 * crashed QEMU 7.2 under TCG now and then, and the structures are all a
 * driver may touch anyway. */
#include "pci.h"

#include <virtio.h>

#define PCI_BAR0 0x10
#define PAGE     4096ull

static uint32_t rd(volatile uint8_t *fn, unsigned off) { return *(volatile uint32_t *)(fn + off); }

static uint64_t bar_base(volatile uint8_t *fn, unsigned i)
{
    uint32_t lo = rd(fn, PCI_BAR0 + 4 * i);
    if (lo & 1)
        return 0; /* I/O space */
    bool wide = ((lo >> 1) & 3) == 2 && i < 5;
    return (wide ? (uint64_t)rd(fn, PCI_BAR0 + 4 * i + 4) << 32 : 0) | (lo & ~0xfu);
}

void bars_read(volatile uint8_t *fn, struct found *f)
{
    struct virtio_pci_caps caps;
    if (virtio_pci_caps_read(fn, 4096, &caps) != OK)
        return; /* not a modern virtio device: nothing to hand on */
    const struct virtio_pci_cap *used[] = {&caps.common, &caps.notify, &caps.isr, &caps.device};
    for (unsigned k = 0; k < 4; k++) {
        const struct virtio_pci_cap *c = used[k];
        uint64_t end = ((uint64_t)c->offset + c->length + PAGE - 1) & ~(PAGE - 1);
        uint64_t base = bar_base(fn, c->bar);
        if (base == 0 || (base & (PAGE - 1)) != 0)
            continue;
        f->bar_base[c->bar] = base;
        if (end > f->bar_bytes[c->bar])
            f->bar_bytes[c->bar] = end;
    }
}
