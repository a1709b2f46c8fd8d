/* ioapic.c — interrupt lines for user-mode drivers on x86-64: the first I/O
 * APIC's pins, numbered by GSI. A bound line is sent to the binding core's
 * LAPIC as vector VEC_IRQ_BASE + GSI. Edge-triggered lines (the ISA ones) are
 * never masked: an edge while masked would be lost, and the driver re-reads
 * its device after it acks anyway. Level-triggered lines are masked from the
 * interrupt until the driver acks, or the line would fire again at once. */
#include <arch.h>
#include <bootinfo.h>
#include <irq.h>

#include "x86.h"

#define REG_VERSION    0x01
#define REG_REDIR      0x10 /* two 32-bit registers per pin */
#define REDIR_MASKED   (1u << 16)
#define REDIR_LEVEL    (1u << 15)
#define REDIR_LOW      (1u << 13)
#define ISA_POLARITY   0x3 /* MPS INTI flags: 00 bus default, 01 high, 11 low */
#define ISA_TRIGGER    0xc /* 00 bus default, 04 edge, 0c level */
#define IOAPIC_MAX_PIN 24

static volatile uint32_t *ioapic(void) { return arch_phys_to_virt(boot_info()->arch.ioapic_phys); }

static uint32_t rd(uint32_t reg)
{
    volatile uint32_t *io = ioapic();
    io[0] = reg;
    return io[4]; /* the data window at offset 0x10 */
}

static void wr(uint32_t reg, uint32_t v)
{
    volatile uint32_t *io = ioapic();
    io[0] = reg;
    io[4] = v;
}

static unsigned pins(void)
{
    if (boot_info()->arch.ioapic_phys == 0)
        return 0;
    unsigned n = ((rd(REG_VERSION) >> 16) & 0xff) + 1;
    return n < IOAPIC_MAX_PIN ? n : IOAPIC_MAX_PIN;
}

/* How a GSI is wired: the ISA default (edge, active high) unless an override
 * says otherwise; other GSIs are PCI lines (level, active low). */
static uint32_t wiring(uint32_t gsi)
{
    const struct arch_boot_info *a = &boot_info()->arch;
    for (unsigned isa = 0; isa < 16; isa++) {
        if (a->isa_gsi[isa] != gsi)
            continue;
        uint16_t f = a->isa_flags[isa];
        return ((f & ISA_POLARITY) == ISA_POLARITY ? REDIR_LOW : 0) |
               ((f & ISA_TRIGGER) == ISA_TRIGGER ? REDIR_LEVEL : 0);
    }
    return REDIR_LOW | REDIR_LEVEL;
}

static bool pin_of(uint64_t line, unsigned *pin)
{
    uint32_t base = boot_info()->arch.ioapic_gsi_base;
    if (line < base || line - base >= pins())
        return false;
    *pin = (unsigned)(line - base);
    return true;
}

void ioapic_init(void)
{
    unsigned n = pins();
    for (unsigned pin = 0; pin < n; pin++)
        wr(REG_REDIR + 2 * pin, REDIR_MASKED);
    if (n > 0)
        kprintf("boot: I/O APIC at 0x%lx, %u pins from GSI %u\n",
                (unsigned long)boot_info()->arch.ioapic_phys, n, boot_info()->arch.ioapic_gsi_base);
}

err_t arch_irq_route(uint64_t line)
{
    unsigned pin;
    if (!pin_of(line, &pin))
        return ERR_INVAL;
    wr(REG_REDIR + 2 * pin + 1, lapic_id() << 24);
    wr(REG_REDIR + 2 * pin, wiring((uint32_t)line) | (VEC_IRQ_BASE + pin));
    return OK;
}

void arch_irq_unroute(uint64_t line)
{
    unsigned pin;
    if (pin_of(line, &pin))
        wr(REG_REDIR + 2 * pin, REDIR_MASKED);
}

void arch_irq_ack(uint64_t line)
{
    unsigned pin;
    if (pin_of(line, &pin) && (wiring((uint32_t)line) & REDIR_LEVEL))
        wr(REG_REDIR + 2 * pin, rd(REG_REDIR + 2 * pin) & ~REDIR_MASKED);
}

bool arch_irq_valid(uint64_t irq)
{
    unsigned pin;
    return pin_of(irq, &pin);
}

/* An interrupt on vector VEC_IRQ_BASE + pin (x86_trap). */
void ioapic_interrupt(unsigned pin)
{
    uint64_t line = boot_info()->arch.ioapic_gsi_base + pin;
    bool level = wiring((uint32_t)line) & REDIR_LEVEL;
    if (level)
        wr(REG_REDIR + 2 * pin, rd(REG_REDIR + 2 * pin) | REDIR_MASKED);
    lapic_eoi();
    if (!irq_raised(line))
        wr(REG_REDIR + 2 * pin, REDIR_MASKED); /* nobody's: keep it quiet */
}
