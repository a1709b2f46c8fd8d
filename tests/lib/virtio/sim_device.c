/* sim_device.c — the simulated device's registers (see sim_device.h). */
#include "sim_device.h"

#include <string.h>
#include <virtio_io.h>

struct sim_dev sim;

void sim_pci_cap(uint8_t off, uint8_t next, uint8_t type, uint8_t bar, uint32_t offset,
                 uint32_t length)
{
    uint8_t *c = sim.cfg + off;
    c[0] = 0x09, c[1] = next, c[2] = type == 2 ? 20 : 16, c[3] = type, c[4] = bar;
    memcpy(c + 8, &offset, 4);
    memcpy(c + 12, &length, 4);
    uint32_t mult = 4;
    if (type == 2)
        memcpy(c + 16, &mult, 4);
}

void sim_pci_layout(void)
{
    sim.cfg[0x06] = 1 << 4; /* a capability list */
    sim.cfg[0x34] = 0x40;
    sim_pci_cap(0x40, 0x54, 1, 4, 0x0000, 0x1000);
    sim_pci_cap(0x54, 0x68, 3, 4, 0x1000, 0x1000);
    sim_pci_cap(0x68, 0x7c, 4, 4, 0x2000, 0x1000);
    sim_pci_cap(0x7c, 0x00, 2, 4, 0x3000, 0x1000);
    for (unsigned i = 0; i < SIM_QUEUES; i++)
        sim.q[i] = (struct sim_queue){.size_max = 128, .notify_off = (uint16_t)i};
}

static bool in(const volatile void *p, const uint8_t *base, size_t bytes, uint32_t *off)
{
    const uint8_t *a = (const uint8_t *)(uintptr_t)p;
    if (a < base || a >= base + bytes)
        return false;
    *off = (uint32_t)(a - base);
    return true;
}

static uint32_t features_word(uint64_t f, uint32_t select)
{
    return select == 0 ? (uint32_t)f : select == 1 ? (uint32_t)(f >> 32) : 0;
}

static void status_write(uint8_t v)
{
    if (v == 0) { /* reset */
        sim.status = 0, sim.accepted = 0;
        for (unsigned i = 0; i < SIM_QUEUES; i++)
            sim.q[i].enabled = 0;
        return;
    }
    if ((v & 8) && (sim.refuse_features || (sim.accepted & ~sim.offered)))
        v &= (uint8_t)~8;
    sim.status = v;
}

static uint32_t generation_read(void)
{
    if (sim.generation_bumps > 0) {
        sim.generation_bumps--;
        return ++sim.generation;
    }
    return sim.generation;
}

/* The PCI common configuration (4.1.4.3), by offset. */
static uint64_t common_read(uint32_t off)
{
    struct sim_queue *q = &sim.q[sim.qselect % SIM_QUEUES];
    switch (off) {
    case 4:
        return features_word(sim.offered, sim.dfselect);
    case 18:
        return SIM_QUEUES;
    case 20:
        return sim.status;
    case 21:
        return generation_read();
    case 24:
        return sim.qselect < SIM_QUEUES ? q->size ? q->size : q->size_max : 0;
    case 28:
        return q->enabled;
    case 30:
        return q->notify_off;
    default:
        return 0;
    }
}

static void common_write(uint32_t off, uint32_t v)
{
    struct sim_queue *q = &sim.q[sim.qselect % SIM_QUEUES];
    switch (off) {
    case 0:
        sim.dfselect = v;
        break;
    case 8:
        sim.gfselect = v;
        break;
    case 12:
        if (sim.gfselect < 2)
            sim.accepted = (sim.accepted & ~(0xffffffffull << (32 * sim.gfselect))) |
                           (uint64_t)v << (32 * sim.gfselect);
        break;
    case 20:
        status_write((uint8_t)v);
        break;
    case 22:
        sim.qselect = v;
        break;
    case 24:
        q->size = (uint16_t)v;
        break;
    case 28:
        q->enabled = (uint16_t)v;
        break;
    case 32:
        q->desc = (q->desc & ~0xffffffffull) | v;
        break;
    case 36:
        q->desc = (q->desc & 0xffffffffull) | (uint64_t)v << 32;
        break;
    case 40:
        q->driver = (q->driver & ~0xffffffffull) | v;
        break;
    case 44:
        q->driver = (q->driver & 0xffffffffull) | (uint64_t)v << 32;
        break;
    case 48:
        q->device = (q->device & ~0xffffffffull) | v;
        break;
    case 52:
        q->device = (q->device & 0xffffffffull) | (uint64_t)v << 32;
        break;
    default:
        break;
    }
}

/* The virtio-mmio registers (4.2.2), by offset. */
static uint32_t mmio_read(uint32_t off)
{
    struct sim_queue *q = &sim.q[sim.qselect % SIM_QUEUES];
    switch (off) {
    case 0x000:
        return 0x74726976;
    case 0x004:
        return sim.mmio_version;
    case 0x008:
        return sim.mmio_type;
    case 0x010:
        return features_word(sim.offered, sim.dfselect);
    case 0x034:
        return sim.qselect < SIM_QUEUES ? q->size_max : 0;
    case 0x044:
        return q->enabled;
    case 0x060:
        return sim.irq_status;
    case 0x070:
        return sim.status;
    case 0x0fc:
        return generation_read();
    default:
        return off >= 0x100 ? *(uint32_t *)(sim.mmio + off) : 0;
    }
}

static void mmio_write(uint32_t off, uint32_t v)
{
    static const uint8_t as_common[][2] = {
        {0x014, 0},  {0x024, 8},  {0x020, 12}, {0x070, 20}, {0x030, 22}, {0x038, 24}, {0x044, 28},
        {0x080, 32}, {0x084, 36}, {0x090, 40}, {0x094, 44}, {0x0a0, 48}, {0x0a4, 52},
    };
    if (off == 0x050 && v < SIM_QUEUES)
        sim.notified[v]++;
    else if (off == 0x064)
        sim.irq_acked |= v, sim.irq_status &= ~v;
    for (unsigned i = 0; i < sizeof as_common / sizeof as_common[0]; i++) {
        if (as_common[i][0] == (off & 0xff) && off < 0x100)
            common_write(as_common[i][1], v);
    }
}

static uint32_t read_any(const volatile void *reg, unsigned width)
{
    uint32_t off, v = 0;
    if (in(reg, sim.cfg, sizeof sim.cfg, &off))
        memcpy(&v, sim.cfg + off, width);
    else if (in(reg, sim.bar, 0x1000, &off))
        v = (uint32_t)common_read(off);
    else if (in(reg, sim.bar + 0x1000, 0x1000, &off)) {
        v = sim.irq_status; /* the ISR: reading it clears it */
        sim.irq_status = 0;
    } else if (in(reg, sim.bar + 0x2000, 0x1000, &off))
        memcpy(&v, sim.bar + 0x2000 + off, width);
    else if (in(reg, sim.mmio, sizeof sim.mmio, &off))
        v = mmio_read(off);
    return v;
}

static void write_any(volatile void *reg, uint32_t v)
{
    uint32_t off;
    if (in(reg, sim.bar, 0x1000, &off))
        common_write(off, v);
    else if (in(reg, sim.bar + 0x3000, 0x1000, &off) && off % 4 == 0 && off / 4 < SIM_QUEUES &&
             v == off / 4)
        sim.notified[v]++;
    else if (in(reg, sim.mmio, sizeof sim.mmio, &off))
        mmio_write(off, v);
}

uint8_t vio_read8(const volatile void *reg) { return (uint8_t)read_any(reg, 1); }
uint16_t vio_read16(const volatile void *reg) { return (uint16_t)read_any(reg, 2); }
uint32_t vio_read32(const volatile void *reg) { return read_any(reg, 4); }
void vio_write8(volatile void *reg, uint8_t v) { write_any(reg, v); }
void vio_write16(volatile void *reg, uint16_t v) { write_any(reg, v); }
void vio_write32(volatile void *reg, uint32_t v) { write_any(reg, v); }
