/* bars.c — sizes a PCI function's memory BARs (PCI 3.0, 6.2.5.1): all ones
 * written, the mask read back, the address put back, with the function's
 * memory decoding off meanwhile so that it answers at no half-written
 * address. I/O BARs are left alone: no driver here uses them. */
#include "pci.h"

#define PCI_COMMAND     0x04
#define PCI_COMMAND_MEM 0x2
#define PCI_BAR0        0x10

static uint32_t rd(volatile uint8_t *fn, unsigned off) { return *(volatile uint32_t *)(fn + off); }
static void wr(volatile uint8_t *fn, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(fn + off) = v;
}

/* The mask of one 32-bit BAR register: what sticks of all ones. */
static uint32_t mask_of(volatile uint8_t *fn, unsigned off, uint32_t was)
{
    wr(fn, off, 0xffffffffu);
    uint32_t m = rd(fn, off);
    wr(fn, off, was);
    return m;
}

void bars_read(volatile uint8_t *fn, struct found *f)
{
    volatile uint16_t *command = (volatile uint16_t *)(fn + PCI_COMMAND);
    uint16_t was = *command;
    *command = (uint16_t)(was & ~PCI_COMMAND_MEM);
    for (unsigned i = 0; i < 6; i++) {
        unsigned off = PCI_BAR0 + 4 * i;
        uint32_t lo = rd(fn, off);
        if (lo & 1)
            continue; /* I/O space */
        bool wide = ((lo >> 1) & 3) == 2 && i < 5;
        uint32_t hi = wide ? rd(fn, off + 4) : 0;
        uint64_t mask = (mask_of(fn, off, lo) & ~0xfull) |
                        (wide ? (uint64_t)mask_of(fn, off + 4, hi) << 32 : 0xffffffff00000000ull);
        if ((mask & 0xffffffffull) != 0 || wide) {
            uint64_t bytes = ~mask + 1;
            if (mask != 0xffffffff00000000ull && bytes != 0) {
                f->bar_base[i] = ((uint64_t)hi << 32) | (lo & ~0xfu);
                f->bar_bytes[i] = bytes;
            }
        }
        if (wide)
            i++; /* the next register is this BAR's high half */
    }
    *command = was;
}
